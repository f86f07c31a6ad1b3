"""Integration: SSRF defences of egress over real sockets — DNS rebinding, refused addresses, cross-host
redirects, mandatory TLS verification, SPKI pinning and mTLS client certificates."""

from __future__ import annotations

import base64
import errno
import hashlib
import socket
from collections.abc import Iterator

import orjson
import pytest
from egress_fakes import Apps, AuditList, FakePartner, Pki, call, serve

from bastion.egress.connector import spki_sha256
from bastion.secrets.store import SecretStore

pytestmark = [pytest.mark.integration, pytest.mark.anyio]
pytest_plugins = ["egress_fixtures"]  # fixtures: pki, partner, port, apps, store


class RebindingResolver:
    """The first answer passes the check; every later answer points at an internal address."""

    def __init__(self, first: str, later: str) -> None:
        self.first, self.later, self.calls = first, later, 0

    async def resolve(self, host: str, port: int) -> list[str]:
        self.calls += 1
        return [self.first if self.calls == 1 else self.later]


@pytest.fixture
def victim(port: int) -> Iterator[socket.socket]:
    """An 'internal service' listening on 127.0.0.2 at the partner's port."""
    sock = socket.socket()
    sock.bind(("127.0.0.2", port))
    sock.listen(16)
    sock.setblocking(False)
    yield sock
    sock.close()


def _connections(sock: socket.socket) -> int:
    count = 0
    while True:
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


async def test_dns_rebinding_cannot_redirect_the_connection(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps, victim: socket.socket
) -> None:
    resolver = RebindingResolver("127.0.0.1", "127.0.0.2")
    app = await apps(pki, port, store, resolver=resolver)
    resp = await call(app, "GET", "/orders/1")
    assert resp.status == 200 and resolver.calls == 1  # checked once, dialled the checked address
    assert _connections(victim) == 0


async def test_rebound_answer_on_a_new_connection_is_refused(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps, victim: socket.socket
) -> None:
    audit = AuditList()
    resolver = RebindingResolver("127.0.0.1", "127.0.0.2")
    app = await apps(pki, port, store, resolver=resolver, audit=audit,
                     allow_networks=["127.0.0.1/32"])
    assert (await call(app, "GET", "/orders/1")).status == 200
    await app.service.aclose()  # drop pooled connections: the next call must resolve again
    resp = await call(app, "GET", "/orders/2")
    assert resp.status == 502 and audit[-1]["outcome"] == "destination-refused"
    assert "127.0.0.2" not in resp.body.decode() and "loopback" in audit[-1]["reason"]
    assert _connections(victim) == 0


async def test_refuses_loopback_partner_address_unless_allowed(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit, allow_networks=[])
    resp = await call(app, "GET", "/orders/1")
    body = orjson.loads(resp.body)
    assert resp.status == 502 and body["detail"] == "partner 'partner' is unavailable"
    assert partner.token_requests == 0 and partner.api_requests == 0
    assert audit[-1]["outcome"] == "destination-refused"


async def test_redirect_to_another_host_is_not_followed(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit, credential={"kind": "none"})
    resp = await call(app, "GET", "/redirect-away")
    assert resp.status == 502 and b"other.test" not in resp.body
    assert audit[-1]["outcome"] == "response-rejected" and "another origin" in audit[-1]["reason"]


async def test_same_origin_redirect_is_followed_for_get(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    app = await apps(pki, port, store)
    resp = await call(app, "GET", "/redirect-home")
    assert resp.status == 200 and orjson.loads(resp.body)["id"] == "redirected"


async def test_tls_verification_is_mandatory(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    audit = AuditList()
    app = await apps(pki, port, store, audit=audit, credential={"kind": "none"}, tls={})  # system CAs only
    resp = await call(app, "GET", "/orders/1")
    assert resp.status == 502 and audit[-1]["outcome"] == "partner-unreachable"
    assert "CERTIFICATE_VERIFY_FAILED" in audit[-1]["reason"]


async def test_spki_pin_mismatch_is_refused_with_a_clear_reason(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    audit = AuditList()
    wrong = base64.b64encode(hashlib.sha256(b"not the partner key").digest()).decode()
    app = await apps(pki, port, store, audit=audit, tls={"ca": str(pki.ca), "spki_pins": [wrong]})
    resp = await call(app, "GET", "/orders/1")
    assert resp.status == 502 and partner.token_requests == 0
    assert audit[-1]["outcome"] == "spki-pin-mismatch"
    assert "matches none of the configured spki_pins" in audit[-1]["reason"]


async def test_spki_pin_match_is_accepted(
    pki: Pki, port: int, partner: FakePartner, store: SecretStore, apps: Apps
) -> None:
    pin = spki_sha256(pki.server_der)
    app = await apps(pki, port, store, tls={"ca": str(pki.ca), "spki_pins": [pin]})
    assert (await call(app, "GET", "/orders/1")).status == 200


async def test_mtls_partner_requires_and_gets_the_client_certificate(
    pki: Pki, store: SecretStore, apps: Apps
) -> None:
    partner = FakePartner()
    with serve(partner.app(), pki, require_client_cert=True) as port:
        without = await apps(pki, port, store)
        assert (await call(without, "GET", "/orders/1")).status == 502
        with_cert = await apps(pki, port, store, tls={"ca": str(pki.ca), "client_cert": str(pki.client_cert),
                                                      "client_key": "${secret:partner.client_key}"})
        assert (await call(with_cert, "GET", "/orders/1")).status == 200
        await with_cert.service.reload_tls("partner")  # client-certificate rotation: new pool, same answers
        assert (await call(with_cert, "GET", "/orders/2")).status == 200
        await apps.aclose()
        apps.built.clear()


def test_victim_port_reuse_is_possible_on_this_host() -> None:
    """Guard for the rebinding tests: binding 127.0.0.2 must work here, else they would test nothing."""
    with socket.socket() as a, socket.socket() as b:
        a.bind(("127.0.0.1", 0))
        try:
            b.bind(("127.0.0.2", a.getsockname()[1]))
        except OSError as exc:
            pytest.fail(f"cannot bind 127.0.0.2 ({errno.errorcode.get(exc.errno or 0)})")
