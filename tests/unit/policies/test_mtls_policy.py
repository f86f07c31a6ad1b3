"""Unit: the mtls policy re-verifies the client chain, maps identities and sets the certificate thumbprint."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from certforge import make_ca, make_client, pem

from bastion.chain.exchange import Exchange
from bastion.chain.policy import PolicyDeps
from bastion.errors import ConfigError
from bastion.policies.mtls import MtlsConfig, MtlsPolicy
from bastion.testing.clock import FakeClock
from bastion.testing.exchange import make_exchange
from bastion.tokens.claims import certificate_thumbprint

pytestmark = pytest.mark.anyio
CA, CA_KEY = make_ca()
GOOD = make_client(CA, CA_KEY, "billing-service", "billing.internal")


def exchange(cert: bytes | None) -> Exchange:
    ex = make_exchange()
    ex.request = dataclasses.replace(ex.request, tls_peer_cert=cert, tls_peer_chain=(cert,) if cert else ())
    return ex


def policy(tmp_path: Path, **config: Any) -> MtlsPolicy:
    (tmp_path / "ca.pem").write_bytes(pem(CA))
    return MtlsPolicy(MtlsConfig(ca="ca.pem", **config), PolicyDeps(clock=FakeClock(), base_dir=tmp_path))


async def test_trusted_client_certificate_authenticates(tmp_path: Path) -> None:
    ex = exchange(GOOD)
    assert await policy(tmp_path).on_request(ex) is None
    assert ex.principal is not None and ex.principal.subject == "billing-service"
    assert ex.principal.cert_thumbprint == certificate_thumbprint(GOOD)


async def test_missing_certificate_is_401(tmp_path: Path) -> None:
    problem = await policy(tmp_path).on_request(exchange(None))
    assert problem is not None and problem.status == 401


async def test_certificate_from_another_ca_with_same_name_is_rejected(tmp_path: Path) -> None:
    rogue_ca, rogue_key = make_ca("Test Client CA")
    rogue = make_client(rogue_ca, rogue_key, "billing-service", "billing.internal")
    problem = await policy(tmp_path).on_request(exchange(rogue))
    assert problem is not None and problem.status == 401


async def test_expired_certificate_is_rejected(tmp_path: Path) -> None:
    old = make_client(CA, CA_KEY, "billing-service", "billing.internal", days=(-60, -1))
    problem = await policy(tmp_path).on_request(exchange(old))
    assert problem is not None and problem.status == 401


async def test_identity_allow_list_and_san_mapping(tmp_path: Path) -> None:
    assert await policy(tmp_path, identity="dns", allowed=["billing.internal"]).on_request(exchange(GOOD)) is None
    problem = await policy(tmp_path, allowed=["orders-service"]).on_request(exchange(GOOD))
    assert problem is not None and problem.status == 403


async def test_cn_only_certificate_is_accepted_but_server_certificate_is_not(tmp_path: Path) -> None:
    from cryptography.x509.oid import ExtendedKeyUsageOID

    cn_only = make_client(CA, CA_KEY, "billing-service", None)
    assert await policy(tmp_path).on_request(exchange(cn_only)) is None
    server = make_client(CA, CA_KEY, "billing-service", "billing.internal", usage=ExtendedKeyUsageOID.SERVER_AUTH)
    problem = await policy(tmp_path).on_request(exchange(server))
    assert problem is not None and problem.status == 401


async def test_garbage_der_is_401_not_500(tmp_path: Path) -> None:
    problem = await policy(tmp_path).on_request(exchange(b"\x30\x03junk"))
    assert problem is not None and problem.status == 401


def test_unreadable_ca_bundle_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        MtlsPolicy(MtlsConfig(ca="missing.pem"), PolicyDeps(base_dir=tmp_path))
