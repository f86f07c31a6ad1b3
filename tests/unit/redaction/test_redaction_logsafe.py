"""Unit: redact_text/redact_value and RedactingFilter keep secrets and PII out of the gateway's own logs."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bastion.chain.exchange import Exchange
from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.chain.runner import CompiledChain
from bastion.http.headers import Headers
from bastion.http.problem import Problem
from bastion.redaction import Category, RedactingFilter, redact_text, redact_value
from bastion.testing.exchange import make_exchange

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVlLWxvbmc"
SECRETS = {
    "bearer": JWT,
    "basic": "dXNlcjpjb3JyZWN0LWhvcnNl",
    "cookie": "sid=31d4d96e407aad42",
    "api_key": "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "password": "correct-horse-battery",
    "card": "4111111111111111",
    "card_spaced": "5555 5555 5555 4444",
    "email": "alice@example.org",
    "ssn": "123-45-6789",
    "iban": "GB82WEST12345698765432",
    "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----",
}


def test_redact_text_removes_headers_tokens_and_pii() -> None:
    text = (f"Authorization: Bearer {SECRETS['bearer']}\nCookie: {SECRETS['cookie']}\n"
            f"url=/login?password={SECRETS['password']}&user={SECRETS['email']} card {SECRETS['card_spaced']}")
    out = redact_text(text)
    for value in (SECRETS["bearer"], SECRETS["cookie"], SECRETS["password"], SECRETS["email"], "5555 5555"):
        assert value not in out


def test_redact_value_by_field_name_and_content() -> None:
    event = {
        "headers": Headers([("Authorization", "Basic " + SECRETS["basic"]), ("X-Api-Key", SECRETS["api_key"]),
                            ("accept", "application/json")]),
        "set_cookie": [("set-cookie", SECRETS["cookie"])],
        "user": {"password": SECRETS["password"], "card_number": int(SECRETS["card"]), "ssn": SECRETS["ssn"]},
        "detail": f"upstream said: iban {SECRETS['iban']} key {SECRETS['private_key']}",
        "raw": SECRETS["email"].encode(),
        "route": {"name": "get-customer"},
        "status": 200,
    }
    out = redact_value(event)
    text = repr(out)
    for value in SECRETS.values():
        assert value not in text
    assert "4111" not in text and "dXNlcjpj" not in text
    assert ("accept", "application/json") in out["headers"]
    assert out["route"] == {"name": "get-customer"} and out["status"] == 200


def test_keep_leaves_named_categories() -> None:
    assert redact_value({"client_ip": "203.0.113.9"}, keep=frozenset({Category.IP})) == {"client_ip": "203.0.113.9"}
    assert redact_value({"client_ip": "203.0.113.9"}) == {"client_ip": "[REDACTED:ip]"}


def test_unknown_objects_become_redacted_strings() -> None:
    class Leaky:
        def __str__(self) -> str:
            return f"token={SECRETS['api_key']}"

    assert SECRETS["api_key"] not in repr(redact_value([Leaky()]))


class _Leaky(Policy):
    """A policy that fails with secrets in its exception message, as a buggy plugin might."""

    name = "leaky"

    async def on_request(self, ex: Exchange) -> Problem | None:
        auth = ex.request.headers.get("authorization")
        raise RuntimeError(f"cannot parse {auth} for {SECRETS['email']} card {SECRETS['card_spaced']}")


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s %(event)s"))
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("bastion")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


class _Defaults(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "event"):
            record.event = "-"
        return True


@pytest.mark.anyio
async def test_log_output_while_sending_secrets_contains_none_of_them(captured: io.StringIO) -> None:
    logging.getLogger("bastion").handlers[-1].filters.insert(0, _Defaults())
    ex = make_exchange("POST", "/login", headers=[("authorization", f"Bearer {SECRETS['bearer']}"),
                                                  ("cookie", SECRETS["cookie"])],
                       body=f'{{"password": "{SECRETS["password"]}"}}'.encode())
    chain = CompiledChain([_Leaky(PolicyConfig(), PolicyDeps())])
    problem, _ = await chain.run_request(ex)
    assert problem is not None and problem.status == 500
    log = logging.getLogger("bastion.access")
    log.info("request %s %s headers=%s body=%s", ex.request.method, ex.request.path, ex.request.headers.items(),
             ex.request_body)
    log.warning("upstream error", extra={"event": {"authorization": f"Bearer {SECRETS['bearer']}",
                                                   "detail": f"api key {SECRETS['api_key']} rejected",
                                                   "key": SECRETS["private_key"], "ssn": SECRETS["ssn"],
                                                   "iban": SECRETS["iban"]}})
    output = captured.getvalue()
    assert "cannot parse" in output and "RuntimeError" in output  # the log is still useful
    for name, value in SECRETS.items():
        assert value not in output, name
        for part in value.split():
            if len(part) >= 8 and part not in ("-----BEGIN", "-----END", "PRIVATE", "KEY-----"):
                assert part not in output, name
