"""Unit: detectors find validated PII and secrets in text and leave look-alikes that fail validation."""

from __future__ import annotations

import base64

import pytest

from bastion.redaction import Category
from bastion.redaction.categories import marker
from bastion.redaction.detectors import find, scan


def _jwt() -> str:
    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    header, payload = b64(b'{"alg":"HS256","typ":"JWT"}'), b64(b'{"sub":"alice"}')
    return f"{header}.{payload}.c2lnbmF0dXJlLXZhbHVl"


FOUND = [
    ("visa raw", "pay 4111111111111111 now", Category.CARD, "4111111111111111"),
    ("visa spaced", "pay 4111 1111 1111 1111 now", Category.CARD, "4111 1111 1111 1111"),
    ("mastercard dashed", "pay 5555-5555-5555-4444.", Category.CARD, "5555-5555-5555-4444"),
    ("amex", "amex 3782 822463 10005", Category.CARD, "3782 822463 10005"),
    ("card beside other digits", "order 12 4111 1111 1111 1111 qty 3", Category.CARD, "4111 1111 1111 1111"),
    ("card glued to letters", "ref4111111111111111x", Category.CARD, "4111111111111111"),
    ("iban compact", "to DE89370400440532013000.", Category.IBAN, "DE89370400440532013000"),
    ("iban grouped", "to GB82 WEST 1234 5698 7654 32 FOO", Category.IBAN, "GB82 WEST 1234 5698 7654 32"),
    ("ssn dashed", "ssn 123-45-6789", Category.SSN, "123-45-6789"),
    ("ssn raw", "ssn 123456789", Category.SSN, "123456789"),
    ("phone e164", "call +44 20 7946 0958 today", Category.PHONE, "+44 20 7946 0958"),
    ("phone nanp", "call (415) 555-2671", Category.PHONE, "(415) 555-2671"),
    ("email", "mail alice.o'hara+x@mail.example.co.uk.", Category.EMAIL, "alice.o'hara+x@mail.example.co.uk"),
    ("ipv4", "from 203.0.113.7, ok", Category.IP, "203.0.113.7"),
    ("ipv6", "from 2001:db8::8a2e:370:7334 ok", Category.IP, "2001:db8::8a2e:370:7334"),
    ("uk nino", "nino AB 12 34 56 C", Category.NATIONAL_ID, "AB 12 34 56 C"),
    ("uk nino compact", "nino AB123456C", Category.NATIONAL_ID, "AB123456C"),
    ("es dni", "dni 12345678Z", Category.NATIONAL_ID, "12345678Z"),
    ("es nie", "nie X1234567L", Category.NATIONAL_ID, "X1234567L"),
    ("fr nir", "nir 1 85 05 78 006 084 91", Category.NATIONAL_ID, "1 85 05 78 006 084 91"),
    ("jwt", f"token {_jwt()} end", Category.JWT, _jwt()),
    ("aws key", "AKIAIOSFODNN7EXAMPLE", Category.API_KEY, "AKIAIOSFODNN7EXAMPLE"),
    ("github token", "ghp_" + "A1b2" * 9, Category.API_KEY, "ghp_" + "A1b2" * 9),
    ("stripe key", "key=sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", Category.API_KEY, None),
    ("slack token", "xoxb-1234-5678-abcdefghij", Category.API_KEY, "xoxb-1234-5678-abcdefghij"),
    ("google key", "AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", Category.API_KEY, None),
    ("private key", "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----", Category.PRIVATE_KEY,
     None),
    ("bearer", "got Bearer abcdefghijklmnop123", Category.TOKEN, "abcdefghijklmnop123"),
    ("auth header line", "Authorization: Basic dXNlcjpwYXNz", Category.TOKEN, "Basic dXNlcjpwYXNz"),
    ("cookie header", "Cookie: sid=31d4d96e407aad42; lang=en", Category.TOKEN, "sid=31d4d96e407aad42; lang=en"),
    ("header pair repr", "[('cookie', 'sid=31d4d96e407aad42')]", Category.TOKEN, "sid=31d4d96e407aad42"),
    ("header pair json", '{"Authorization": "Basic dXNlcjpwYXNz"}', Category.TOKEN, "Basic dXNlcjpwYXNz"),
    ("password query", "login?user=bob&password=hunter2&x=1", Category.PASSWORD, "hunter2"),
    ("password json", '{"client_secret": "s3cr3t value"}', Category.PASSWORD, "s3cr3t value"),
    ("url userinfo", "postgres://app:pa55word@db/x", Category.PASSWORD, "pa55word"),
]


@pytest.mark.parametrize(("text", "category", "raw"), [c[1:] for c in FOUND], ids=[c[0] for c in FOUND])
def test_detector_finds_and_replaces(text: str, category: Category, raw: str | None) -> None:
    seen: list[tuple[Category, str]] = []

    def record(cat: Category, value: str) -> str:
        seen.append((cat, value))
        return marker(cat)

    out = scan(text, record)
    assert category in [c for c, _ in seen]
    assert marker(category) in out
    if raw is not None:
        assert (category, raw) in seen
        assert raw not in out


NOT_FOUND = [
    ("card failing luhn", "4111 1111 1111 1112"),
    ("all zeros", "0000 0000 0000 0000"),
    ("ssn never issued area", "000-12-3456, 666-12-3456, 912-12-3456"),
    ("iban bad checksum", "DE88370400440532013000"),
    ("iban wrong length", "DE8937040044053201300"),
    ("dates and money", "2024-01-02 12:30:45 total 1234.56 qty 3"),
    ("log timestamps", "2026-11-29 16:11:47 UTC 2026-11-29T16:11:47.123456Z"),
    ("short numbers", "room 12, floor 3, code 4711"),
    ("bad email", "a@b user@localhost x@y..com"),
    ("bad ip", "999.1.1.1 and 12:30:45"),
    ("bad nino prefix", "nino GB123456C"),
    ("bad dni letter", "dni 12345678A"),
    ("jwt-like but no alg", "eyJmb28iOiJiYXIifQ.eyJzdWIiOiIxIn0.sig"),
    ("ordinary words", "the quick brown fox jumps over the lazy dog"),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_FOUND], ids=[c[0] for c in NOT_FOUND])
def test_validators_reject_look_alikes(text: str) -> None:
    assert find(text) == []
    assert scan(text, lambda c, r: marker(c)) == text


def test_only_restricts_categories() -> None:
    text = "mail a@example.com card 4111111111111111"
    out = scan(text, lambda c, r: marker(c), frozenset({Category.EMAIL}))
    assert out == "mail [REDACTED:email] card 4111111111111111"


def test_markers_are_not_detected_again() -> None:
    once = scan("4111111111111111 a@example.com", lambda c, r: marker(c))
    assert find(once) == []


ADVERSARIAL = {
    "long run then @": "a" * 50_000 + " x@y.com",
    "dashed run then colon": "a-" * 25_000 + ":",
    "dotted run then url": "a." * 25_000 + "://",
    "iban-like tokens": " ".join(["AB12"] * 12_000),
    "unclosed quoted header": "'cookie', '" + "x" * 50_000,
    "many assignments": "k=" * 25_000,
    "escaped quotes": 'a:"' + '\\"b:' * 12_000,
    "digit groups": " ".join(["123"] * 12_000),
}


@pytest.mark.parametrize("text", list(ADVERSARIAL.values()), ids=list(ADVERSARIAL))
def test_rejects_regex_denial_of_service(text: str) -> None:
    """Every detector is linear: 50 KB of adversarial text is scanned in well under a second (a
    quadratic pattern takes minutes here). The bound is generous for a shared, loaded machine."""
    import time

    start = time.process_time()
    scan(text, lambda c, r: marker(c))
    assert time.process_time() - start < 2.0


@pytest.mark.parametrize("sep", [" ", "-", "."])
def test_a_run_of_one_digit_groups_is_scanned_in_linear_time_at_a_low_constant(sep: str) -> None:
    """Every group of a digit run starts a window of up to 19 digits; a 128 KiB run of ``1 1 1 …`` took 2–3 s of CPU
    when each window's shape was built and classified (a body that size to a minimised route was a CPU
    denial of service). Only windows a validator could accept are classified now (``_Windows``)."""
    import time

    text = ("1" + sep) * 65_536
    start = time.process_time()
    scan(text, lambda c, r: marker(c))
    assert time.process_time() - start < 1.5
