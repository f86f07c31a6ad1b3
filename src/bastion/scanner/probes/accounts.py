"""Recognising the account operations of an API: login, password reset, one-time codes, registration."""

from __future__ import annotations

import re
from typing import Any

from bastion.redaction.fieldnames import secret_field
from bastion.scanner.context import ScanContext
from bastion.scanner.spec import ScanOperation

SECRET_FIELD = re.compile(r"pass(word|code|phrase)?|pin|otp|totp|code|token|secret", re.I)
USER_FIELD = re.compile(r"^(user(name)?|login|email|e-?mail|account|phone|handle|nick(name)?)$", re.I)
CHALLENGE = re.compile(r"login|signin|sign-in|session|token|otp|verify|mfa|2fa|reset|confirm|code", re.I)
SIGNUP = re.compile(r"register|signup|sign-up|join|create", re.I)


def fields(op: ScanOperation, pattern: re.Pattern[str]) -> list[str]:
    props = (op.body or {}).get("properties") or {}
    return [k for k in props if pattern.search(k)]


def is_challenge(op: ScanOperation) -> bool:
    """An operation that checks a secret the client supplies (login, OTP, reset code)."""
    words = op.path + " " + op.operation_id
    return op.method == "POST" and bool(fields(op, SECRET_FIELD)) and bool(CHALLENGE.search(words)) \
        and not SIGNUP.search(words)


def is_user_lookup(op: ScanOperation) -> bool:
    """An operation that takes a user name (login, reset request), where answers may reveal accounts."""
    words = op.path + " " + op.operation_id
    return op.method == "POST" and bool(fields(op, USER_FIELD)) and bool(CHALLENGE.search(words)) \
        and not SIGNUP.search(words)


def changes_credentials(op: ScanOperation) -> bool:
    """A write that sets a secret (a password change) and is neither a login-like check nor a signup.

    Replaying such an operation with example values would change an identity's credentials and lock
    it out, so only the credential-change check sends it (and restores what it changed).
    """
    words = op.path + " " + op.operation_id
    return op.method in ("PUT", "PATCH", "POST") and any(secret_field(k) for k in fields(op, SECRET_FIELD)) \
        and not is_challenge(op) and not SIGNUP.search(words)


def known_user(ctx: ScanContext) -> str | None:
    a = ctx.identities.get("a")
    if a is not None and a.username:
        return a.username
    return next((v for k, v, _ in ctx.bank("a").entries if k in ("username", "login", "email")), None)


def with_user(body: Any, op: ScanOperation, user: str | None) -> dict[str, Any]:
    data = dict(body) if isinstance(body, dict) else {}
    if user is not None:
        for name in fields(op, USER_FIELD):
            data[name] = user
    return data
