"""The categories of personal data and secrets that Bastion detects, and what each action does to a value.

Actions (per field or per category):
- ``redact``: replace with ``[REDACTED:<category>]``;
- ``mask``: keep the last 4 characters, star the rest;
- ``hash``: a keyed HMAC-SHA256 pseudonym, stable for one tenant key (joins still work, values do not leak);
- ``drop``: remove the field (inside free text it degrades to ``redact``);
- ``block``: refuse the whole message (the response policy answers 502);
- ``allow``: keep the value (lets a category be counted for the inventory but left alone).
"""

from __future__ import annotations

import enum
import hashlib
import hmac


class Category(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    CARD = "card"
    IBAN = "iban"
    SSN = "ssn"
    NATIONAL_ID = "national_id"
    IP = "ip"
    JWT = "jwt"
    API_KEY = "api_key"
    PRIVATE_KEY = "private_key"
    PASSWORD = "password"  # noqa: S105 - a category name, not a secret
    TOKEN = "token"  # noqa: S105
    NAME = "name"
    ADDRESS = "address"
    BIRTH_DATE = "birth_date"

    @property
    def is_secret(self) -> bool:
        return self in SECRET_CATEGORIES

    @property
    def label(self) -> str:
        return _LABELS[self]


SECRET_CATEGORIES = frozenset(
    {Category.JWT, Category.API_KEY, Category.PRIVATE_KEY, Category.PASSWORD, Category.TOKEN}
)
ALL_CATEGORIES = frozenset(Category)

_LABELS = {
    Category.EMAIL: "contact details (e-mail)",
    Category.PHONE: "contact details (phone)",
    Category.CARD: "financial data (payment card)",
    Category.IBAN: "financial data (bank account)",
    Category.SSN: "national identifier (US SSN)",
    Category.NATIONAL_ID: "national identifier",
    Category.IP: "online identifier (IP address)",
    Category.JWT: "credential (JWT)",
    Category.API_KEY: "credential (API key)",
    Category.PRIVATE_KEY: "credential (private key)",
    Category.PASSWORD: "credential (password)",
    Category.TOKEN: "credential (token)",
    Category.NAME: "identity (name)",
    Category.ADDRESS: "contact details (postal address)",
    Category.BIRTH_DATE: "identity (date of birth)",
}


class Action(enum.StrEnum):
    REDACT = "redact"
    MASK = "mask"
    HASH = "hash"
    DROP = "drop"
    BLOCK = "block"
    ALLOW = "allow"


class Blocked(Exception):
    """A value of a category configured ``block`` was found. Carries the category, never the value."""

    def __init__(self, category: Category | None) -> None:
        self.category = category
        super().__init__(f"blocked: message contains {category.value if category else 'a blocked field'}")


# Letters only, so a pseudonym or marker is never itself detected as a number, card or id.
_TO_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def marker(category: Category | None) -> str:
    return f"[REDACTED:{category.value}]" if category is not None else "[REDACTED]"


def mask(value: str) -> str:
    """Keep the last 4 characters (all stars when the value is 4 characters or shorter)."""
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]


def pseudonym(value: str, category: Category | None, key: bytes) -> str:
    """Keyed HMAC-SHA256 pseudonym: same key and value → same output; no key → no reversal."""
    label = category.value if category is not None else "field"
    digest = hmac.new(key, label.encode() + b"\x00" + value.encode(), hashlib.sha256).hexdigest()
    return f"{label}_{digest[:20].translate(_TO_LETTERS)}"


def apply_action(value: str, category: Category | None, action: Action, key: bytes | None) -> str:
    """The replacement text for ``value`` under ``action`` (drop inside text becomes redact)."""
    if action is Action.ALLOW:
        return value
    if action is Action.BLOCK:
        raise Blocked(category)
    if action is Action.MASK:
        return mask(value)
    if action is Action.HASH:
        if key is None:
            raise ValueError("hash action needs a key")
        return pseudonym(value, category, key)
    return marker(category)
