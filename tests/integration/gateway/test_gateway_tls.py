"""Integration: TLS termination and verified upstream TLS with real handshakes on loopback."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from bastion.devca import DevCA
from bastion.testing.servers import GatewayThread, LoopThread, RecordingUpstream

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("pki")
    ca = DevCA.create()
    ca.save(d / "ca.pem", d / "ca-key.pem")
    other = DevCA.create("Someone Else's CA")
    other.save(d / "other-ca.pem", d / "other-ca-key.pem")
    files = {"ca": d / "ca.pem", "other_ca": d / "other-ca.pem"}
    for name, issuer, kw in (
        ("gw", ca, {"dns": ["localhost"], "ips": ["127.0.0.1"]}),
        ("up", ca, {"dns": ["upstream.internal"], "ips": ["127.0.0.1"]}),
        ("rogue", other, {"dns": ["upstream.internal"], "ips": ["127.0.0.1"]}),
        ("client", ca, {"client": True}),
    ):
        cert, key = issuer.issue(name, **kw)  # type: ignore[arg-type]
        (d / f"{name}.pem").write_bytes(cert)
        (d / f"{name}-key.pem").write_bytes(key)
        files[name] = d / f"{name}.pem"
        files[f"{name}_key"] = d / f"{name}-key.pem"
    return files


def _server_ctx(cert: Path, key: Path, client_ca: Path | None = None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    if client_ca:
        ctx.load_verify_locations(client_ca)
        ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def _config(pki: dict[str, Path], up_port: int, upstream_tls: str, listener_extra: str = "") -> str:
    return f"""
listeners:
  - address: 127.0.0.1:0
    tls: {{cert: {pki['gw']}, key: {pki['gw_key']}{listener_extra}}}
upstreams:
  up:
    url: https://127.0.0.1:{up_port}
    tls: {upstream_tls}
routes:
  - id: all
    match: {{prefix: /}}
    upstream: up
    public: true
"""


@pytest.fixture
def tls_upstream(lt: LoopThread, pki: dict[str, Path]) -> Iterator[RecordingUpstream]:
    up = RecordingUpstream(lt, ssl_context=_server_ctx(pki["up"], pki["up_key"])).start()
    yield up
    up.stop()


def _client(pki: dict[str, Path], **kw: object) -> httpx.Client:
    ctx = ssl.create_default_context(cafile=str(pki["ca"]))
    return httpx.Client(verify=ctx, **kw)  # type: ignore[arg-type]


def test_tls_listener_serves_with_hsts_and_verified_upstream(
        make_gateway: Callable[[str], GatewayThread], pki: dict[str, Path], tls_upstream: RecordingUpstream) -> None:
    gw = make_gateway(_config(pki, tls_upstream.port, f"{{ca: {pki['ca']}, server_name: upstream.internal}}"))
    with _client(pki) as c:
        r = c.get(f"https://127.0.0.1:{gw.port}/hello")
    assert r.status_code == 200
    assert r.headers["strict-transport-security"].startswith("max-age=31536000")
    assert dict(tls_upstream.requests[-1].headers.items())["x-forwarded-proto"] == "https"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1])
def test_tls_10_and_11_are_refused(version: ssl.TLSVersion, make_gateway: Callable[[str], GatewayThread],
                                   pki: dict[str, Path], tls_upstream: RecordingUpstream) -> None:
    gw = make_gateway(_config(pki, tls_upstream.port, f"{{ca: {pki['ca']}, server_name: upstream.internal}}"))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_ciphers("ALL:@SECLEVEL=0")
    ctx.minimum_version = version
    ctx.maximum_version = version
    with socket.create_connection(("127.0.0.1", gw.port), timeout=3) as raw, pytest.raises(ssl.SSLError):
        ctx.wrap_socket(raw, server_hostname="localhost")


def test_tls12_non_aead_cipher_is_refused(make_gateway: Callable[[str], GatewayThread], pki: dict[str, Path],
                                          tls_upstream: RecordingUpstream) -> None:
    gw = make_gateway(_config(pki, tls_upstream.port, f"{{ca: {pki['ca']}, server_name: upstream.internal}}"))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(pki["ca"])
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers("ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA")
    with socket.create_connection(("127.0.0.1", gw.port), timeout=3) as raw, pytest.raises(ssl.SSLError):
        ctx.wrap_socket(raw, server_hostname="localhost")
    ctx.set_ciphers("ECDHE-ECDSA-AES128-GCM-SHA256")
    with socket.create_connection(("127.0.0.1", gw.port), timeout=3) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.version() == "TLSv1.2"


def test_untrusted_upstream_certificate_is_refused(lt: LoopThread, make_gateway: Callable[[str], GatewayThread],
                                                   pki: dict[str, Path], request: pytest.FixtureRequest) -> None:
    rogue = RecordingUpstream(lt, ssl_context=_server_ctx(pki["rogue"], pki["rogue_key"])).start()
    request.addfinalizer(rogue.stop)
    gw = make_gateway(_config(pki, rogue.port, f"{{ca: {pki['ca']}, server_name: upstream.internal}}"))
    with _client(pki) as c:
        r = c.get(f"https://127.0.0.1:{gw.port}/x")
    assert r.status_code == 502
    assert rogue.requests == []
    assert "certificate" not in r.text.lower()


def test_upstream_hostname_mismatch_is_refused(make_gateway: Callable[[str], GatewayThread], pki: dict[str, Path],
                                               tls_upstream: RecordingUpstream) -> None:
    gw = make_gateway(_config(pki, tls_upstream.port, f"{{ca: {pki['ca']}, server_name: billing.internal}}"))
    with _client(pki) as c:
        assert c.get(f"https://127.0.0.1:{gw.port}/x").status_code == 502
    assert tls_upstream.requests == []


def test_system_trust_store_refuses_private_ca_by_default(make_gateway: Callable[[str], GatewayThread],
                                                          pki: dict[str, Path],
                                                          tls_upstream: RecordingUpstream) -> None:
    gw = make_gateway(_config(pki, tls_upstream.port, "{server_name: upstream.internal}"))
    with _client(pki) as c:
        assert c.get(f"https://127.0.0.1:{gw.port}/x").status_code == 502


def test_mtls_to_upstream(lt: LoopThread, make_gateway: Callable[[str], GatewayThread], pki: dict[str, Path],
                          request: pytest.FixtureRequest) -> None:
    strict = RecordingUpstream(lt, ssl_context=_server_ctx(pki["up"], pki["up_key"], pki["ca"])).start()
    request.addfinalizer(strict.stop)
    without = make_gateway(_config(pki, strict.port, f"{{ca: {pki['ca']}, server_name: upstream.internal}}"))
    with _client(pki) as c:
        assert c.get(f"https://127.0.0.1:{without.port}/x").status_code == 502
    with_cert = make_gateway(_config(pki, strict.port, f"{{ca: {pki['ca']}, server_name: upstream.internal, "
                                                       f"cert: {pki['client']}, key: {pki['client_key']}}}"))
    with _client(pki) as c:
        assert c.get(f"https://127.0.0.1:{with_cert.port}/x").status_code == 200


def test_listener_requires_client_certificate(make_gateway: Callable[[str], GatewayThread], pki: dict[str, Path],
                                              tls_upstream: RecordingUpstream) -> None:
    gw = make_gateway(_config(pki, tls_upstream.port, f"{{ca: {pki['ca']}, server_name: upstream.internal}}",
                              f", client_ca: {pki['ca']}, client_auth: required"))
    with _client(pki) as c, pytest.raises(httpx.TransportError):
        c.get(f"https://127.0.0.1:{gw.port}/x")
    ctx = ssl.create_default_context(cafile=str(pki["ca"]))
    ctx.load_cert_chain(pki["client"], pki["client_key"])
    with httpx.Client(verify=ctx) as c:
        assert c.get(f"https://127.0.0.1:{gw.port}/x").status_code == 200
