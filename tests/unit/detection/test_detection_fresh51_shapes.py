"""Unit: the shapes of the fresh51 first contact.

SSRF guards' own test addresses: an internal IPv4 address carried inside an IPv6 one by NAT64 (``64:ff9b::/96``,
``64:ff9b:1::/48``), IPv4-translation (``::ffff:0:a.b.c.d``) or Teredo (``ipv6_embedding``); URLs spelled so that
one parser reads an internal host (``url_spellings``: a web scheme without slashes, blanks after ``//``, a ``\\`` or a
blank before the user information's ``@``, only slashes before the host); a one-letter scheme before an internal
host (``odd_schemes``). Two false positives: ``rdar://1234`` read as the address 0.0.4.210 (``odd_schemes``) and
``https://%40@example.com/`` read as the server variable ``@@example`` (``sqli_grammar``). Values are our own; none
comes from a corpus."""

from __future__ import annotations

import ipaddress
import time

import pytest
from shape_tables import shape_tests

from bastion.detection import Context, Engine
from bastion.detection.ipv6_embedding import embedded_ipv4
from bastion.detection.url_spellings import spelled_target

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]
URL_CONTEXTS = [Context("body", "callback_url"), Context("cookie", "next"), Context("query", "webhook_url"),
                Context("body", "image_url")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "nat64 and translated addresses in a URL": [
        "http://[64:ff9b::10.1.2.3]/admin", "https://[64:ff9b::a00:203]:8443/", "http://[::ffff:0:7f00:1]/x",
        "http://[64:ff9b:1::c0a8:101]/", "http://[::ffff:0:169.254.169.254]/latest/meta-data/",
    ],
    "teredo and 6to4 in a URL": ["http://[2001:0:4136:e378:8000:63bf:3f57:f5fe]/", "http://[2002:a00:1::]/"],
    "web scheme without slashes": ["https:10.1.2.3", "http:172.16.5.4:8080/status", "https:[::1]/x"],
    "blanks after the slashes": [":// 10.0.0.7", "http://  192.168.7.7/admin", "https://\t127.0.0.1/"],
    "backslash or blank in the user information": [
        "http://example.com\\@10.0.0.9/", "http://x @169.254.169.254/", "https://a\\\\ @localhost:8080/",
    ],
    "only slashes before the host": ["///10.20.30.40/api", "//①⓪.0.0.1/", "\\\\/192.168.1.50"],
    "one-letter scheme": ["x://127.0.0.1/", "z://[::1]:22"],
}

REJECTED_BARE = {
    "bare nat64 and teredo hosts in URL-named fields": [
        "64:ff9b::172.16.0.9", "2001:0:4136:e378:8000:63bf:3f57:f5fe", "64:ff9b::7f00:1",
    ],
}

PASSED = {
    "public hosts in the same spellings": [
        "http://[64:ff9b::8.8.8.8]/", "http://[2001:4860:4860::8888]/", "https:example.com", "http:// example.com",
        "//cdn.example.com/app.js", "http://user\\@example.org/", "///srv/data", "x://example.com/",
    ],
    "prose and paths": [
        "see https: the spec", "http: 10 retries", "// TODO: call 10.0.0.1 later", "/usr/local/lib", "a//b",
        "ratio 3://4", "mailto:ops@example.com",
    ],
    "ids after odd schemes": ["rdar://1234", "bug://42", "jira://PROJ-1234", "ticket://99999"],
    "user information in rfc3986 style": ["https://%40@example.com/", "https://a:%40@example.com/path"],
}


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS, CONTEXTS)


@pytest.mark.parametrize("value", [v for vs in REJECTED_BARE.values() for v in vs])
def test_rejected_bare_in_url_fields(engine: Engine, value: str) -> None:
    for ctx in URL_CONTEXTS:
        assert engine.inspect(value, ctx) is not None, (value, ctx)

def test_server_variable_still_counts(engine: Engine) -> None:
    for value in ("1 and @@version>0", "1;select @@datadir--", "print @@servername"):
        assert engine.inspect(value, BODY) is not None, value


@pytest.mark.parametrize("text,expected", [
    ("64:ff9b::10.0.0.1", "10.0.0.1"), ("64:ff9b:1::a9fe:a9fe", "169.254.169.254"), ("::ffff:0:7f00:1", "127.0.0.1"),
    ("::ffff:10.0.0.1", "10.0.0.1"), ("2002:c0a8:101::", "192.168.1.1"),
    ("2001:0:4136:e378:8000:63bf:3f57:f5fe", "192.168.10.1"), ("64:ff9b::", None), ("2002::", None),
    ("2001:db8::1", None), ("fe80::1", None),
])
def test_embedded_ipv4(text: str, expected: str | None) -> None:
    got = embedded_ipv4(ipaddress.IPv6Address(text))
    assert (str(got) if got is not None else None) == expected


@pytest.mark.parametrize("prefix", [
    "https:1", "http://a", "http://a\\", "http://a @", ":// ", "://", "//", "/\\", "a://1", "http://" + "a" * 40,
])
def test_linear(prefix: str) -> None:
    value = prefix * (128 * 1024 // len(prefix))
    start = time.process_time()
    spelled_target(value[:4096])
    spelled_target(value)
    assert time.process_time() - start < 1.0


def test_engine_linear_on_triggers(engine: Engine) -> None:
    for prefix in ("https:1", "http://a\\", "http://a @", ":// 1", "//1", "http://[64:ff9b::a00:1]/", "z://1"):
        value = prefix * (128 * 1024 // len(prefix))
        start = time.process_time()
        engine.inspect(value, BODY)
        assert time.process_time() - start < 2.0, prefix
