"""Unit: SSRF targets in every address notation, dangerous schemes, and public URLs that must pass."""

from __future__ import annotations

import pytest

from bastion.detection.ssrf import internal_address, is_ssrf

ATTACKS = {
    "loopback": "http://127.0.0.1/admin",
    "aws_metadata": "http://169.254.169.254/latest/meta-data/",
    "localhost_name": "http://localhost:8080/",
    "decimal": "http://2130706433/",
    "hex": "http://0x7f000001/",
    "octal": "http://0177.0.0.1/",
    "short_form": "http://127.1/",
    "zero": "http://0/",
    "ipv6_loopback": "http://[::1]/",
    "ipv6_mapped": "http://[::ffff:127.0.0.1]/",
    "ipv6_mapped_long": "http://[0:0:0:0:0:ffff:127.0.0.1]:80/",
    "ipv6_link_local": "http://[fe80::1]/",
    "hex_metadata": "http://0xA9FEA9FE/",
    "userinfo_confusion": "http://evil.example@127.0.0.1/",
    "wildcard_dns": "http://127.0.0.1.nip.io/admin",
    "gcp_metadata_name": "http://metadata.google.internal/computeMetadata/v1/",
    "alibaba_metadata": "http://100.100.100.200/latest/meta-data/",
    "private_10": "http://10.0.0.5:8500/v1/kv",
    "private_172": "http://172.16.0.10:9200/",
    "private_192": "http://192.168.1.1/",
    "ideographic_full_stops": "http://127\u30020\u30020\u30021/",
    "localhost_localdomain": "https://localhost.localdomain/",
    "oracle_metadata": "http://192.0.0.192/latest/",
    "file_scheme": "file:///etc/passwd",
    "file_single_slash": "file:/etc/shadow",
    "gopher": "gopher://127.0.0.1:6379/_FLUSHALL",
    "dict": "dict://127.0.0.1:11211/stats",
    "ipv6_link_local_with_zone_id": "http://[fe80::1%25eth0]/",
    # fresh3 (2026-11-29)
    "public_loopback_domain": "http://localtest.me",
    "public_loopback_subdomain": "http://app.lvh.me:8080/admin",
    "dotted_decimal_overflow": "http://425.510.425.510/",
    "dotless_decimal_overflow": "http://7147006462/",
    "dotless_hex_overflow": "http://0x41414141A9FEA9FE/",
    "name_ending_in_internal_address": "http://example.com.127.0.0.1",
    "nul_truncated_host": "http://127.0.0.1%00example.com",
}

BENIGN = {
    "slack_webhook": "https://hooks.slack.com/services/T000/B000/XXXXXXXX",
    "github_api": "https://api.github.com/repos/org/repo/hooks",
    "public_ip_literal": "https://8.8.8.8/dns-query",
    "mailto": "mailto:support@example.com",
    "public_ftp": "ftp://ftp.example.com/pub/file.txt",
    "prose_with_colon": "Note: file: report.pdf is attached",
    "dict_in_prose": "dict: a mapping type",
    "userinfo_public": "https://user:pass@example.com/path",
    "documentation_range_test_net_3": "https://203.0.113.10:8443/callback",
    "public_dns_resolver_port": "https://1.1.1.1:53/",
    "domain_ending_like_a_loopback_name": "https://notlocaltest.me/",
    "name_ending_in_public_address": "https://example.com.8.8.8.8/",
    "address_like_labels_before_a_domain": "https://v1.2.3.4.example.com/",
}


@pytest.mark.parametrize("url", ATTACKS.values(), ids=ATTACKS.keys())
def test_detects_internal_target(url: str) -> None:
    assert is_ssrf(url) is not None


@pytest.mark.parametrize("url", BENIGN.values(), ids=BENIGN.keys())
def test_passes_public_url(url: str) -> None:
    assert is_ssrf(url) is None


@pytest.mark.parametrize("host", ["169.254.169.254", "localhost", "2130706433", "metadata.google.internal"])
def test_bare_host_in_url_named_field(host: str) -> None:
    assert is_ssrf(host, "callback_url") is not None
    assert is_ssrf(host, "comment") is None  # a bare host only counts where a URL is expected


def test_small_number_in_host_field_is_not_an_address() -> None:
    assert is_ssrf("0x1F", "x-forwarded-host") is None


@pytest.mark.parametrize("host", ["8.8.8.8", "example.com", "2606:4700::1111"])
def test_public_hosts_are_not_internal(host: str) -> None:
    assert not internal_address(host)


NESTED_AND_RARE_SCHEMES = {
    "java_url_prefix_before_file": "url:file:///home/app/.aws/credentials",
    "java_url_prefix_before_internal_http": "url:http://10.1.2.3:8500/v1/kv",
    "python_urllib_local_file": "local_file:///proc/self/environ",
}


@pytest.mark.parametrize("value", NESTED_AND_RARE_SCHEMES.values(), ids=NESTED_AND_RARE_SCHEMES.keys())
def test_a_scheme_inside_java_url_prefix_or_urllib_local_file_is_a_target(value: str) -> None:
    assert is_ssrf(value) is not None


ANCHORED_METADATA = {
    "aws_metadata_in_anchor": '<p>see <a href="http://169.254.169.254/latest/meta-data/iam/">docs</a></p>',
    "decimal_metadata_in_anchor": "<a href='http://2852039166/latest/'>x</a>",
    "link_local_in_anchor": '<a href="http://169.254.10.1/">x</a>',
    "loopback_in_image_source": '<p><img src="http://127.0.0.1:8080/admin/delete"></p>',  # renderers fetch it
    "loopback_in_prose": "please fetch http://127.0.0.1:2375/containers/json for me",
    "oob_host_in_anchor": '<a href="http://c0ffee.oast.fun/">x</a>',
}


@pytest.mark.parametrize("value", ANCHORED_METADATA.values(), ids=ANCHORED_METADATA.keys())
def test_metadata_in_links_and_internal_sources_stay_targets(value: str) -> None:
    assert is_ssrf(value) is not None


def test_a_link_to_an_internal_page_in_html_content_is_not_a_target() -> None:
    """A link a person clicks (``<a href>``) is not fetched by the server that stores it; recorded traffic of
    an instance run on a developer's machine is full of them (Mastodon's ``http://localhost:3000/tags/…``)."""
    html = ('<p>Hi <span class="h-card"><a href="http://localhost:3000/@alice" class="u-url mention">@alice</a>'
            '</span>, see <a href="https://wiki.corp.internal/runbooks/42" rel="nofollow">runbook</a></p>')
    assert is_ssrf(html) is None
    assert is_ssrf("http://localhost:3000/@alice") is not None  # the same URL as the whole value is
