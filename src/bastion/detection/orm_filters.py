"""Filter injection through an ORM's own query language: a lookup, predicate or operator aimed at a secret column
(fresh37: the HackTricks ORM-injection page's Django, Beego/Harbor, Ransack, OData and Prisma requests).

An endpoint that passes the caller's keys or operators into its ORM (``Article.objects.filter(**request.data)``,
``Post.ransack(params[:q])``, ``prisma.user.findFirst({where: {resetToken: req.body.resetToken}})``, an OData
``$filter``) lets the caller write a predicate on any column the model reaches. Aimed at a password hash, a reset or
API token, a salt or a TFA secret, the predicate is an oracle that reads the secret one character at a time (or lets
the check pass without knowing it). An application's own filter UI never offers these: no search form filters on a
password hash. Read here, each only with a secret column named (``_SECRET``):

- a Django or Beego lookup path (``created_by__user__password__startswith``, ``email__password__contains``) with a
  comparison or pattern lookup after the column (``__startswith``, ``__contains``, ``__regex``, ``__gt`` …; double
  underscores only: ``password_regex`` is a password-policy setting's name);
- Harbor's fuzzy-match operator on the column (``q=password=~$argon2id$``, ``q=salt=~abc``);
- a Ransack predicate key (``q[user_reset_password_token_start]=0``): the bracketed attribute ends in one of
  Ransack's predicates (``_start``, ``_cont``, ``_eq``, ``_matches`` …);
- an OData comparison on the property (``$filter=CreatedBy/TfaSecret ge 'M'``);

these read as SQL injection (the ORM writes the WHERE clause the caller chose). Operator injection, the MongoDB
``$ne`` shape in the ORM's own words, reads as NoSQL injection:

- a Prisma operator object, bracket key or ``j:`` JSON cookie where the secret's plain value was expected
  (``{"resetToken": {"not": "E"}}``, ``resetToken[contains]=argon2``, ``j:{"startsWith":"0x"}``), and a key of a
  body's ``select`` that asks for the secret itself (``"select": {"password": true}``). In a JSON body the operator is
  a key whose parent key is the secret (``Context.name``), so the field decoder's own walk finds it.
"""

from __future__ import annotations

import re

from bastion.detection.rules import Context

_CORE = (
    r"(?:password|passwd|secret|salt|api_?key|(?:reset|access|refresh|auth|session|api|remember|confirmation"
    r"|verification|unlock)_?(?:password_)?token|otp_?seed|security_?stamp)"
)
_HIDDEN = r"[a-z0-9_]{0,40}?" + _CORE + r"[a-z0-9_]{0,40}?"
"""A column that holds a secret: a password or its hash, a secret, a salt, an API key, a reset, access, refresh,
session or confirmation token, an OTP seed, a security stamp, with the model's own prefix or suffix
(``user_reset_password_token``, ``password_hash``). ``token`` alone is not here: a token *type* or count is ordinary
data. Each pattern that uses it starts at a fixed character (``[``, a quote, ``/``, ``$filter=``) or at the secret's
own word, and the affixes are bounded: a long run of word characters is read once."""

_LOOKUP = re.compile(
    _CORE + r"[a-z0-9_]{0,40}?__(?:i?(?:startswith|endswith|contains|regex|exact)|gte?|lte?|in|range|isnull)"
    r"(?![a-z0-9])"
    r"|" + _CORE + r"[a-z0-9_]{0,40}?=~(?=\S)"
    r"|\[" + _HIDDEN + r"_(?:start|end|cont|i_cont|not_cont|matches|does_not_match|eq|not_eq|lt|gt|lteq|gteq|in"
    r"|present|blank|null|not_null)\]"
    r"|/" + _HIDDEN + r"\s+(?:eq|ne|gt|ge|lt|le)\s+'"
    r"|\$filter=[^&\n]{0,200}?(?<![\w$])" + _HIDDEN + r"\s+(?:eq|ne|gt|ge|lt|le)\s+'",
    re.I,
)
_OPERATORS = r"(?:not|contains|startsWith|endsWith|gte?|lte?|equals)"
"""Prisma's filter operators a secret's value can be swapped for (``in``/``notIn`` only with a list: ``"in"`` is
also OpenAPI's key for where an API key is sent)."""
_OPERATOR = re.compile(
    r"[\"']" + _HIDDEN + r"[\"']\s*:\s*\{\s*[\"'](?:" + _OPERATORS + r"[\"']\s*:|(?:in|notIn)[\"']\s*:\s*\[)"
    r"|" + _CORE + r"[a-z0-9_]{0,40}?\[" + _OPERATORS + r"\]="
    r"|^\s*j:\s*\{\s*\"" + _OPERATORS + r"\"\s*:"
    r"|[\"']select[\"']\s*:\s*\{[^{}]{0,400}?[\"']" + _HIDDEN + r"[\"']\s*:\s*true\b",
    re.I,
)
_OPERATOR_KEY = re.compile(_OPERATORS, re.I)
_HIDDEN_NAME = re.compile(_HIDDEN, re.I)


def _names_secret(value: str) -> bool:
    """``value`` holds a substring every ``_CORE`` name holds: the regexes run only on such a value (the SQL trigger
    fires on every quote, and most quoted text names no secret; a chain of ``in`` tests is the cheapest check)."""
    low = value.lower()
    return ("pass" in low or "secret" in low or "salt" in low or "key" in low or "token" in low or "seed" in low
            or "stamp" in low)


def orm_lookup(value: str) -> tuple[int, int] | None:
    """A lookup, predicate or comparison on a secret column (SQL written by the ORM), or ``None``."""
    if not _names_secret(value):
        return None
    m = _LOOKUP.search(value)
    return (m.start(), m.end()) if m else None


def orm_operator(value: str, ctx: Context) -> tuple[int, int] | None:
    """A Prisma-style operator where a secret's value was expected, or a ``select`` of the secret, or ``None``."""
    if ctx.is_key and ctx.name and len(value) < 24:
        if _OPERATOR_KEY.fullmatch(value) and _HIDDEN_NAME.fullmatch(ctx.name):
            return 0, len(value)
        if ctx.name == "select" and _HIDDEN_NAME.fullmatch(value):
            return 0, len(value)
    if not _names_secret(value) and value.lstrip()[:2].lower() != "j:":
        return None
    m = _OPERATOR.search(value)
    return (m.start(), m.end()) if m else None


def trigger() -> bytes:
    """What every value ``orm_lookup`` or ``orm_operator`` reads holds (caseless, for the prefilter), or that JSON
    key's exact text."""
    return (rb"(password|passwd|secret|salt|api_?key|token|otp_?seed|security_?stamp)\w*(__|=~|_[a-z]+\]"
            rb"|\s+([gl][et]|eq|ne)\s|['\"]\s*:\s*\{|\[[a-z]+\]=|['\"]\s*:\s*true)|(^|\x00)\s*j:\s*\{"
            rb"|(^|\x00)(not|contains|startswith|endswith|gte?|lte?|equals)(\x00|$)"
            rb"|(^|\x00)\w*(password|passwd|secret|salt|api_?key|token)\w*(\x00|$)")
