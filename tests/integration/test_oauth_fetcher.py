"""Integration: the JWKS/discovery fetcher over real sockets: no redirects followed, size cap, status
checks without bodies, cache headers passed through, unreachable hosts mapped to FetchFailed."""

from __future__ import annotations

from collections.abc import Iterator

import anyio
import pytest
from oauth_node import serve_in_thread

from bastion.tokens.jwks import FetchedDocument, FetchFailed
from bastion.tokens.load import MAX_DOCUMENT_BYTES, HttpFetcher
from bastion.webapp.app import AppRequest, AppResponse, Router

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    r = Router()

    async def jwks(_: AppRequest) -> AppResponse:
        return AppResponse(200, [("content-type", "application/json"), ("cache-control", "max-age=123")],
                           b'{"keys": []}')

    async def redirect(_: AppRequest) -> AppResponse:
        return AppResponse(302, [("location", "http://169.254.169.254/latest/meta-data")], b"")

    async def huge(_: AppRequest) -> AppResponse:
        return AppResponse(200, [], b"x" * (MAX_DOCUMENT_BYTES + 1))

    async def error(_: AppRequest) -> AppResponse:
        return AppResponse(500, [], b"internal details that must not leak")

    r.add("GET", "/jwks", jwks)
    r.add("GET", "/redirect", redirect)
    r.add("GET", "/huge", huge)
    r.add("GET", "/error", error)
    port, stop = serve_in_thread(r)
    yield f"http://127.0.0.1:{port}"
    stop()


def fetch(url: str) -> FetchedDocument | str:
    async def run() -> FetchedDocument | str:
        fetcher = HttpFetcher(timeout=2)
        try:
            return await fetcher.fetch(url)
        except FetchFailed as exc:
            return str(exc)
        finally:
            await fetcher.aclose()

    return anyio.run(run)


def test_fetches_document_with_cache_headers(base: str) -> None:
    doc = fetch(base + "/jwks")
    assert isinstance(doc, FetchedDocument) and doc.cache_control == "max-age=123"


def test_does_not_follow_redirects(base: str) -> None:
    assert fetch(base + "/redirect") == "status 302"


def test_refuses_oversized_documents(base: str) -> None:
    assert fetch(base + "/huge") == "document too large"


def test_error_status_carries_no_body(base: str) -> None:
    result = fetch(base + "/error")
    assert result == "status 500" and "internal" not in result


def test_unreachable_is_fetch_failed() -> None:
    result = fetch("http://127.0.0.1:9/jwks")
    assert isinstance(result, str) and "details" not in result
