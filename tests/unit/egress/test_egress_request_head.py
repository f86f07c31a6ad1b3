"""Unit: the partner client's request head — what is written, and what can never be (header splitting)."""

from __future__ import annotations

import ssl

import httptools
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.egress.client import _VISIBLE, Origin, PartnerClient
from bastion.egress.connector import PinnedBackend, StaticResolver
from bastion.egress.errors import UnsafeRequest


def _client() -> PartnerClient:
    backend = PinnedBackend("p", StaticResolver({}), frozenset({"api.test:443"}))
    return PartnerClient("p", backend, ssl.create_default_context(), 1.0, 5.0)


def _head(url: str, headers: list[tuple[str, str]], body: bytes = b"", method: str = "GET") -> bytes:
    target = "/" + url.split("://", 1)[1].partition("/")[2]  # as written: urlsplit would drop CR/LF
    return _client().request_head(method, Origin.of(url), target, headers, body)


def test_request_head_is_exact() -> None:
    head = _head("https://api.test/v1/orders?page=2", [("accept", "application/json"), ("x-api-key", "k1")])
    assert head == (b"GET /v1/orders?page=2 HTTP/1.1\r\nhost: api.test\r\naccept: application/json\r\n"
                    b"x-api-key: k1\r\n\r\n")
    post = _head("https://api.test:8443/v1", [], b"{}", "POST")
    assert post == b"POST /v1 HTTP/1.1\r\nhost: api.test:8443\r\ncontent-length: 2\r\n\r\n"
    assert _head("https://api.test", [], b"", "POST").endswith(b"content-length: 0\r\n\r\n")


@pytest.mark.parametrize("value", ["key\r\nx-injected: 1", "key\nx-injected: 1", "key\rx", "key\x00x", "key\x1fx",
                                   "key\x7f", "key\x0bx"])
def test_rejects_crlf_nul_or_controls_in_a_header_value(value: str) -> None:
    with pytest.raises(UnsafeRequest, match="x-api-key has CR, LF, NUL or another control") as caught:
        _head("https://api.test/v1", [("x-api-key", value)])
    assert "key" not in str(caught.value).replace("x-api-key", "")  # the value (a credential) is never echoed


@pytest.mark.parametrize("value", ["Bearer t\r\nx-injected: 1", "Bearer t\n", "Bearer t\x00", "Bearer t\x7f"])
def test_credential_lines_refuse_a_token_that_would_split_the_head(value: str) -> None:
    """A partner's token endpoint returns the token: a CR/LF in it must never reach the API request."""
    with pytest.raises(UnsafeRequest, match="authorization has CR, LF, NUL") as caught:
        _client().credential_lines([("authorization", value)])
    assert "Bearer" not in str(caught.value)


@pytest.mark.parametrize("headers", [[("x api", "v")], [("x-key", "caf\u00e9\u20ac")]])
def test_credential_lines_refuse_bad_names_and_non_latin1(headers: list[tuple[str, str]]) -> None:
    with pytest.raises(UnsafeRequest, match=r"not a token|not Latin-1"):
        _client().credential_lines(headers)


def test_prepared_credential_lines_follow_the_checked_headers() -> None:
    client = _client()
    lines = client.credential_lines([("authorization", "Bearer t1"), ("x-sig", "a\tb")])
    head = client.request_head("POST", Origin.of("https://api.test"), "/v1", [("accept", "*/*")], b"{}", lines)
    assert head == (b"POST /v1 HTTP/1.1\r\nhost: api.test\r\naccept: */*\r\ncontent-length: 2\r\n"
                    b"authorization: Bearer t1\r\nx-sig: a\tb\r\n\r\n")


@pytest.mark.parametrize("name", ["x-api-key: y", "x api", "x\r\ny", "", "x\x00"])
def test_rejects_a_header_name_that_is_not_a_token(name: str) -> None:
    with pytest.raises(UnsafeRequest, match="not a token"):
        _head("https://api.test/v1", [(name, "v")])


@pytest.mark.parametrize("url", ["https://api.test/v1/a b", "https://api.test/v1?q=\r\nx", "https://api.test/\x7f"])
def test_rejects_a_request_target_with_spaces_or_controls(url: str) -> None:
    with pytest.raises(UnsafeRequest, match="request line"):
        _head(url, [])


@pytest.mark.parametrize("target", ["", "/a\tb", "/a\u00e9", "/\u2028", "/a\x85", "/\x1b[0m", "/a\x00"])
def test_rejects_an_empty_or_non_visible_target_as_the_visible_ascii_rule_did(target: str) -> None:
    """The target check is plain ``str`` methods now (was ``[\\x21-\\x7e]+``): the same targets fail."""
    assert _VISIBLE.fullmatch(target) is None
    with pytest.raises(UnsafeRequest, match="request line"):
        _client().request_head("GET", Origin.of("https://api.test"), target, [], b"")


@given(st.text(alphabet=st.characters(max_codepoint=0x2100), max_size=12))
@settings(max_examples=300, deadline=None)
def test_the_target_check_accepts_exactly_what_the_visible_ascii_rule_accepts(target: str) -> None:
    try:
        _client().request_head("GET", Origin.of("https://api.test"), target, [], b"")
        accepted = True
    except UnsafeRequest:
        accepted = False
    assert accepted == (_VISIBLE.fullmatch(target) is not None)


def test_rejects_a_method_that_is_not_a_token() -> None:
    with pytest.raises(UnsafeRequest, match="request line"):
        _head("https://api.test/v1", [], method="GET /x HTTP/1.1\r\n")


def test_rejects_header_values_outside_latin_1() -> None:
    with pytest.raises(UnsafeRequest, match="not Latin-1"):
        _head("https://api.test/v1", [("x-name", "\u2603")])


CLIENT = _client()
_VALUES = st.text(st.characters(min_codepoint=0, max_codepoint=0x17F), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["accept", "x-api-key", "authorization", "x-b"]), _VALUES), max_size=4),
       st.text(st.characters(min_codepoint=0, max_codepoint=0x7F), max_size=10))
def test_a_head_is_refused_or_parses_back_to_exactly_the_headers_given(
        headers: list[tuple[str, str]], path: str) -> None:
    """Whatever the values and target hold, the head is refused or an HTTP parser reads back the same
    request line and the same headers (no value can add, split or end a header)."""
    try:
        head = CLIENT.request_head("GET", Origin.of("https://api.test"), "/" + path, headers, b"")
    except UnsafeRequest:
        return
    seen: list[tuple[str, str]] = []

    class Sink:
        def on_header(self, name: bytes, value: bytes) -> None:
            seen.append((name.decode("latin-1"), value.decode("latin-1").strip(" \t")))  # (OWS is not content)

        def on_url(self, url: bytes) -> None:
            seen.append(("<target>", url.decode("latin-1")))

    parser = httptools.HttpRequestParser(Sink())
    parser.feed_data(head)
    expected = [("<target>", "/" + path), ("host", "api.test"), *[(k, v.strip(" \t")) for k, v in headers]]
    assert seen == expected


@pytest.mark.parametrize("host", ["api.test\r\nx-injected: 1", "api.test\x00", "api test"])
def test_rejects_an_authority_that_could_split_the_head(host: str) -> None:
    origin = Origin(host, 443)  # Origin.of would never build these from a URL: the check is the last line
    with pytest.raises(UnsafeRequest, match="host would be malformed"):
        _client().request_head("GET", origin, "/v1", [], b"")


def test_a_tab_inside_a_header_value_is_allowed() -> None:
    assert b"x-note: a\tb\r\n" in _head("https://api.test/v1", [("x-note", "a\tb")])
