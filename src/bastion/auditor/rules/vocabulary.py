"""Names that carry meaning: personal-data categories, server-managed fields, URLs, error internals.

Names are normalised to lower-case letters and digits (``card_number``, ``cardNumber`` and
``Card-Number`` all become ``cardnumber``) and matched whole or by suffix, never by substring.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from bastion.openapi import types

_NON_ALNUM = re.compile(r"[^a-z0-9]")


@lru_cache(maxsize=8192)
def norm(name: str) -> str:
    return _NON_ALNUM.sub("", name.lower())


def _ends(name: str, suffixes: tuple[str, ...]) -> bool:
    return any(name == s or name.endswith(s) for s in suffixes)


# category -> (whole names, suffixes, formats)
PII: dict[str, tuple[frozenset[str], tuple[str, ...], frozenset[str]]] = {
    "credentials": (frozenset({"pin", "otp", "pwd", "cvv", "cvc"}),
                    ("password", "passwd", "passphrase", "secret", "token", "apikey", "privatekey", "pincode"),
                    frozenset({"password"})),
    "government-id": (frozenset({"ssn", "nin", "sin", "passport", "taxid", "tin", "nationalid"}),
                      ("socialsecuritynumber", "ssn", "passportnumber", "nationalid", "driverslicense",
                       "driverlicense", "taxid", "nationalinsurancenumber"), frozenset()),
    "payment-card": (frozenset({"pan", "iban", "bic"}),
                     ("cardnumber", "creditcard", "ccnumber", "iban", "bankaccount", "accountnumber",
                      "routingnumber"), frozenset({"credit-card", "creditcard", "iban"})),
    "date-of-birth": (frozenset({"dob", "birthday", "birthdate"}), ("dateofbirth", "birthdate", "dob"),
                      frozenset()),
    "contact": (frozenset({"email", "phone", "mobile", "fax"}),
                ("email", "emailaddress", "phone", "phonenumber", "mobilenumber", "telephone"),
                frozenset({"email", "idn-email", "phone"})),
    "name": (frozenset({"firstname", "lastname", "fullname", "surname", "givenname", "familyname"}),
             ("firstname", "lastname", "fullname", "surname", "givenname", "familyname", "middlename"), frozenset()),
    "address": (frozenset({"address", "street", "postcode", "zip", "zipcode", "postalcode"}),
                ("streetaddress", "homeaddress", "billingaddress", "shippingaddress", "postalcode", "zipcode",
                 "postcode"), frozenset()),
    "location": (frozenset({"lat", "lng", "lon", "latitude", "longitude", "geolocation", "gps"}),
                 ("latitude", "longitude", "geolocation", "coordinates"), frozenset()),
    "network": (frozenset({"ip", "ipaddress", "useragent", "macaddress"}), ("ipaddress", "macaddress"),
                frozenset({"ipv4", "ipv6"})),
    "health": (frozenset({"diagnosis", "bloodtype", "medicalrecord", "allergies"}),
               ("diagnosis", "medicalrecord", "healthrecord", "prescription"), frozenset()),
    "demographic": (frozenset({"gender", "sex", "ethnicity", "religion", "race", "sexualorientation"}),
                    ("ethnicity", "religion", "sexualorientation"), frozenset()),
}
SENSITIVE = ("credentials", "government-id", "payment-card", "date-of-birth")
"""Categories a response should not return at all (or only masked)."""

_NOT_SECRETS = ("page", "cursor", "next", "type", "count", "expires", "expiry", "hint", "url", "uri", "length",
                "policy", "format", "endpoint", "lifetime", "ttl", "required", "set", "changed", "name")


def pii_category(name: str, schema: dict[str, Any]) -> str | None:
    """The personal-data category a property belongs to, by name or ``format``; None if none."""
    if types(schema) & {"boolean", "object"}:
        return None
    return _category(norm(name), str(schema.get("format", "")).lower())


@lru_cache(maxsize=8192)
def _category(key: str, fmt: str) -> str | None:
    for category, (whole, suffixes, formats) in PII.items():
        if fmt in formats or key in whole or _ends(key, suffixes):
            if category == "credentials" and any(word in key for word in _NOT_SECRETS) and fmt != "password":
                continue
            return category
    return None


SERVER_MANAGED = frozenset({
    "id", "uuid", "isadmin", "admin", "issuperuser", "superuser", "isstaff", "balance", "credit", "credits",
    "owner", "ownerid", "createdat", "updatedat", "createdby", "verified", "isverified", "emailverified",
    "approved", "isapproved", "tenantid",
})
"""Properties a server owns: never set by a client (ids only at the top level: nested ones are references)."""

GRANTS = frozenset({"role", "roles", "permissions", "privileges", "scopes"})
"""Often legitimate input (inviting someone with a role); server-managed when the body is the stored model,
i.e. when the same schema is also returned."""

URL_SUFFIXES = ("url", "uri", "href", "callback", "webhook", "endpoint", "redirect", "redirectto", "link",
                "feed", "returnto")
URL_FORMATS = frozenset({"uri", "url", "iri", "uri-reference", "iri-reference", "uri-template"})

ERROR_INTERNALS = frozenset({
    "stack", "stacktrace", "trace", "traceback", "backtrace", "exception", "exceptionclass", "exceptiontype",
    "innererror", "innerexception", "debug", "debuginfo", "sql", "sqlstate", "query", "internalmessage",
    "internalerror", "classname", "hostname", "filename", "lineno", "linenumber",
})

PAGE_SIZE_PARAMS = frozenset({"limit", "pagesize", "perpage", "size", "count", "top", "first", "max",
                              "maxresults", "take", "pagelimit", "maxitems", "numresults"})

ADMIN_SEGMENTS = frozenset({"admin", "admins", "administration", "internal", "manage", "management", "debug",
                            "actuator", "ops", "superuser", "backoffice", "staff"})

TOKEN_ISSUING_SEGMENTS = frozenset({"login", "signin", "logon", "token", "tokens", "oauth", "session", "sessions",
                                    "refresh", "authenticate", "auth", "apikeys", "keys"})
"""Operations whose job is to hand out credentials: returning a token there is not a leak."""

SENSITIVE_FLOW_SEGMENTS = frozenset({
    "login", "signin", "logon", "token", "register", "signup", "password", "reset", "forgot", "otp", "mfa",
    "2fa", "checkout", "purchase", "payment", "payments", "transfer", "transfers", "withdraw", "withdrawal",
    "redeem", "coupon", "coupons", "voucher", "vote", "invite",
})


def segments(path: str) -> list[str]:
    return [norm(s) for s in path.split("/") if s and not s.startswith("{")]


def issues_tokens(path: str) -> bool:
    """Operations whose job is to hand out credentials (login, token, session endpoints)."""
    return any(s in TOKEN_ISSUING_SEGMENTS or s.endswith(("token", "tokens")) for s in segments(path))


def is_object_id(name: str) -> bool:
    key = norm(name)
    return _ends(key, ("id", "uuid", "guid", "number", "slug")) or key in {"username", "handle", "key"}


def is_url_like(name: str, schema: dict[str, Any]) -> bool:
    fmt = str(schema.get("format", "")).lower()
    return fmt in URL_FORMATS or (bool(types(schema) & {"string"} or not types(schema))
                                  and _ends(norm(name), URL_SUFFIXES))
