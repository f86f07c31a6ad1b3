"""Unit: SSRF shapes first met in fresh13 — an internal address hidden among ``@``-delimited authority parts or
after ``#@`` (parser differentials), an address spelled into a host name (DNS-rebinding and pinning helpers),
an internal URL nested in a public URL's query or path, and metadata services missing from the list. Through the
whole engine (decoders, prefilter, analysers) and the analyser's own functions; benign look-alikes must pass."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine
from bastion.detection.ssrf import internal_address, is_ssrf, metadata_host

NOTE = Context("body", "note")
CALLBACK = Context("body", "webhook_url")


@pytest.mark.parametrize("url", [
    "http://someone@10.1.2.3:8080@api.example.org/",          # the middle part is a host:port
    "http://someone@0x0a.0x01.0x02.0x03:81+@api.example.org/",
    "http://tok@3232235777:80@cdn.example.net/x",             # 192.168.1.1 as one number
    "http://tok@0300.0250.01.01:80@cdn.example.net/",         # octal
    "http://api.example.org+&@api.example.org#+@0x7f.1:8000/",  # a host after ``#+@``
    "http://cdn.example.net#@169.254.169.254/latest/",
    "https://docs.example.com/a#&@[::1]:9000/",
    "http://172.20.0.4+&@cdn.example.net/",                   # ``+&`` glued to an internal user part
])
def test_an_internal_address_among_at_delimited_parts_is_a_target(engine: Engine, url: str) -> None:
    assert is_ssrf(url) is not None
    assert engine.inspect(url, NOTE) is not None


@pytest.mark.parametrize("url", [
    "https://alice:s3cret@api.example.org/v1/items",
    "https://bot:pa@ss@registry.example.net/v2/",              # an unencoded ``@`` in a password
    "https://4711:tok_abc@api.example.org/v1",                 # a numeric account id as the user name
    "https://deploy:2024@git.example.com/repo.git",
    "ftp://anonymous:guest@ftp.example.org/pub/",
    "https://example.com/profile#@alice",
    "https://chat.example.org/#/room/#general:example.org",
    "mailto:alice@example.org",
])
def test_credentials_and_fragments_that_name_no_address_pass(engine: Engine, url: str) -> None:
    assert is_ssrf(url) is None
    assert engine.inspect(url, NOTE) is None


@pytest.mark.parametrize("host", [
    "probe-169.254.169.254.rebind.example",
    "race-10.0.0.7.pin.example.org",
    "x.127.0.0.1.attacker.example",
    "svc-192.168.0.10.example.com",
    "app-10-1-2-3.nip.io",
    "c0a80001.sslip.io",
    "dev-7f000001.nip.io",
    "edge.10.0.0.9.traefik.me",
])
def test_an_internal_address_spelled_into_a_host_name_is_internal(host: str) -> None:
    assert internal_address(host)
    assert is_ssrf(f"https://{host}/cb") is not None
    assert is_ssrf(host, "callback_url") is not None


@pytest.mark.parametrize("value", [
    "probe-169.254.169.254.rebind.example",
    "https://redir.example/img/302-http-169.254.169.254:80-.png",
    "job-100.100.100.200.example.net",
])
def test_a_metadata_address_joined_into_a_name_is_a_target_anywhere(engine: Engine, value: str) -> None:
    assert engine.inspect(value, Context("header", "referer")) is not None
    assert engine.inspect(value, Context("cookie", "session")) is not None
    assert engine.inspect(f"/api/v1/files/{value}", Context("path")) is not None


@pytest.mark.parametrize("host", [
    "api-v1.2.3.example.com",
    "v1.2.3.4.example.com",                 # a version, not an address in a label of its own
    "ec2-54-210-3-7.compute-1.amazonaws.com",
    "203.0.113.5.example.net",              # a documentation address, not internal
    "deadbeef.example.com",
    "release-2024.10.01.example.org",
])
def test_host_names_with_digits_that_embed_no_internal_address_pass(host: str) -> None:
    assert not internal_address(host)
    assert is_ssrf(f"https://{host}/x") is None


@pytest.mark.parametrize("value", [
    "The instance reads its credentials from 169.254.169.254 at boot.",
    "Link-local addresses such as 169.254.169.254, or 100.100.100.200 on Alibaba, are not routed.",
    "firmware-10.0.0.1.bin",
])
def test_an_address_standing_alone_in_prose_passes(engine: Engine, value: str) -> None:
    assert engine.inspect(value, NOTE) is None


@pytest.mark.parametrize("url", [
    "https://redir.example/hop?code=307&url=http://169.254.169.254/latest/&type=json",
    "https://fetch.example.net/proxy/http://10.0.0.12:8500/v1/kv/",
    "https://preview.example.com/?u=http://0x7f000001:6379/&w=600",
    "https://img.example.org/resize?src=https://[fd00:ec2::254]/latest/meta-data/",
])
def test_an_internal_url_nested_in_a_public_url_is_a_target(engine: Engine, url: str) -> None:
    assert is_ssrf(url) is not None
    assert engine.inspect(url, NOTE) is not None
    assert engine.inspect(url, CALLBACK) is not None


@pytest.mark.parametrize("url", [
    "https://auth.example.com/authorize?client_id=abc&redirect_uri=https://app.example.org/callback",
    "https://web.archive.org/web/2024/https://www.example.com/page",
    "https://share.example.net/?u=https://news.example.org/story/42&t=Hello",
    "https://lint.example.com/check?url=http://203.0.113.7/health",
])
def test_a_public_url_nested_in_a_public_url_passes(engine: Engine, url: str) -> None:
    assert is_ssrf(url) is None
    assert engine.inspect(url, NOTE) is None


def test_a_nested_internal_link_inside_an_anchor_follows_the_anchor_rule() -> None:
    link = '<p>see <a href="https://go.example/?to=http://localhost:3000/tags/x">this</a></p>'
    assert is_ssrf(link) is None
    assert is_ssrf('<a href="https://go.example/?to=http://169.254.169.254/">x</a>') is not None


def test_a_long_chain_of_nested_urls_is_read_in_linear_time() -> None:
    assert is_ssrf("https://a.example/?u=" * 20000) is None


@pytest.mark.parametrize("host", [
    "metadata.packet.net", "metadata.platformequinix.com", "api.metadata.cloud.ibm.com", "rancher-metadata",
    "168.63.129.16", "[fd00:a9fe:a9fe::1]",
])
def test_more_cloud_metadata_services_are_targets(engine: Engine, host: str) -> None:
    assert is_ssrf(f"https://{host}/metadata") is not None
    assert engine.inspect(f"http://{host}/userdata", NOTE) is not None
    assert metadata_host(host)
    assert engine.inspect(host, Context("header", "host")) is not None


@pytest.mark.parametrize("url", [
    "https://api.packet.net/projects", "https://cloud.ibm.com/docs/vpc", "https://metadata.example.com/v1/items",
    "https://rancher.example.org/v3/clusters",
])
def test_public_apis_of_the_same_clouds_pass(engine: Engine, url: str) -> None:
    assert engine.inspect(url, NOTE) is None
