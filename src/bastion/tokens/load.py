"""The network edge of ``tokens``: fetching JWKS / discovery documents and calling RFC 7662 introspection.

This is the only module in ``tokens/`` that does I/O (httpx, TLS verified, short timeouts, bounded
response size, no redirects). It sits behind the ``DocumentFetcher`` port and the ``Introspector``
protocol so everything else is tested without sockets. Failures become ``FetchFailed``, never carrying a
response body or upstream error text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from bastion.tokens.jwks import FetchedDocument, FetchFailed

if TYPE_CHECKING:
    import httpx

MAX_DOCUMENT_BYTES = 256 * 1024


class HttpFetcher:
    def __init__(self, timeout: float = 3.0, client: httpx.AsyncClient | None = None) -> None:
        import httpx  # imported here so the mtls policy's CA loading does not pull in an HTTP client

        self.client = client or httpx.AsyncClient(timeout=timeout, verify=True, follow_redirects=False,
                                                  headers={"accept": "application/json"})

    async def fetch(self, url: str) -> FetchedDocument:
        import httpx

        try:
            async with self.client.stream("GET", url) as resp:
                if resp.status_code != 200:
                    raise FetchFailed(f"status {resp.status_code}")
                body = b""
                async for chunk in resp.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_DOCUMENT_BYTES:
                        raise FetchFailed("document too large")
                return FetchedDocument(body, resp.headers.get("cache-control", ""))
        except httpx.HTTPError as exc:
            raise FetchFailed(type(exc).__name__) from None

    async def aclose(self) -> None:
        await self.client.aclose()


class HttpIntrospector:
    """RFC 7662 client, authenticating with ``client_secret_basic``."""

    def __init__(self, endpoint: str, client_id: str, client_secret: str, timeout: float = 3.0,
                 max_cache_seconds: float = 60.0) -> None:
        self.endpoint = endpoint
        self.max_cache_seconds = max_cache_seconds
        import httpx

        self._auth = httpx.BasicAuth(client_id, client_secret)
        self.client = httpx.AsyncClient(timeout=timeout, verify=True, follow_redirects=False)

    async def introspect(self, token: str) -> dict[str, Any]:
        import httpx

        try:
            resp = await self.client.post(self.endpoint, data={"token": token, "token_type_hint": "access_token"},
                                          auth=self._auth, headers={"accept": "application/json"})
        except httpx.HTTPError as exc:
            raise FetchFailed(type(exc).__name__) from None
        if resp.status_code != 200 or len(resp.content) > MAX_DOCUMENT_BYTES:
            raise FetchFailed(f"status {resp.status_code}")
        try:
            doc = orjson.loads(resp.content)
        except orjson.JSONDecodeError:
            raise FetchFailed("invalid JSON") from None
        if not isinstance(doc, dict):
            raise FetchFailed("not an object")
        return doc

    def __repr__(self) -> str:
        return f"HttpIntrospector(endpoint={self.endpoint!r})"

    async def aclose(self) -> None:
        await self.client.aclose()


def load_ca_bundle(path: str) -> list[Any]:
    """Read a PEM bundle of trust anchors (``mtls`` policy). Raises ValueError naming the path only."""
    from cryptography import x509

    try:
        with open(path, "rb") as fh:
            certs = x509.load_pem_x509_certificates(fh.read())
    except (OSError, ValueError):
        raise ValueError(f"cannot read a PEM CA bundle from {path}") from None
    return list(certs)
