"""Unit: the partner client's request head — what is written, and what can never be (header splitting)."""

from __future__ import annotations

import ssl

import pytest

from bastion.egress.client import Origin, PartnerClient
from bastion.egress.connector import PinnedBackend, StaticResolver
from bastion.egress.errors import UnsafeRequest


def _client() -> PartnerClient:
    backend = PinnedBackend("p", StaticResolver({}), frozenset({"api.test:443"}))
    return PartnerClient("p", backend, ssl.create_default_context(), 1.0, 5.0)


def _head(url: str, headers: list[tuple[str, str]], body: bytes = b"", method: str = "GET") -> bytes:
    return _client().request_head(method, Origin.of(url), url, headers, body)


def test_request_head_is_exact() -> None:
    head = _head("https://api.test/v1/orders?page=2", [("accept", "application/json"), ("x-api-key", "k1")])
    assert head == (b"GET /v1/orders?page=2 HTTP/1.1\r\nhost: api.test\r\naccept: application/json\r\n"
                    b"x-api-key: k1\r\n\r\n")
    post = _head("https://api.test:8443/v1", [], b"{}", "POST")
    assert post == b"POST /v1 HTTP/1.1\r\nhost: api.test:8443\r\ncontent-length: 2\r\n\r\n"
    assert _head("https://api.test", [], b"", "POST").endswith(b"content-length: 0\r\n\r\n")


@pytest.mark.parametrize("value", ["key\r\nx-injected: 1", "key\nx-injected: 1", "key\rx", "key\x00x"])
def test_rejects_crlf_or_nul_in_a_header_value(value: str) -> None:
    with pytest.raises(UnsafeRequest, match="x-api-key has CR, LF or NUL") as caught:
        _head("https://api.test/v1", [("x-api-key", value)])
    assert "key" not in str(caught.value).replace("x-api-key", "")  # the value (a credential) is never echoed


@pytest.mark.parametrize("name", ["x-api-key: y", "x api", "x\r\ny", "", "x\x00"])
def test_rejects_a_header_name_that_is_not_a_token(name: str) -> None:
    with pytest.raises(UnsafeRequest, match="not a token"):
        _head("https://api.test/v1", [(name, "v")])


@pytest.mark.parametrize("url", ["https://api.test/v1/a b", "https://api.test/v1?q=\r\nx", "https://api.test/\x7f"])
def test_rejects_a_request_target_with_spaces_or_controls(url: str) -> None:
    with pytest.raises(UnsafeRequest, match="request line"):
        _head(url, [])


def test_rejects_a_method_that_is_not_a_token() -> None:
    with pytest.raises(UnsafeRequest, match="request line"):
        _head("https://api.test/v1", [], method="GET /x HTTP/1.1\r\n")


def test_rejects_header_values_outside_latin_1() -> None:
    with pytest.raises(UnsafeRequest, match="not Latin-1"):
        _head("https://api.test/v1", [("x-name", "\u2603")])
