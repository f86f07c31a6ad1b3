"""Redaction for what the gateway itself writes: logs, audit events, error messages.

``redact_text(s)`` replaces every secret and piece of personal data the detectors find in free
text; ``redact_value(obj)`` walks dicts, lists, tuples, header collections and ``(name, value)``
pairs, replacing whole values of fields whose name announces a secret or personal data
(``authorization``, ``cookie``, ``password``, ``email``, ``card_number`` ...) and scanning every other
string. Neither ever raises on odd input, and neither keeps anything it cannot inspect: unknown
objects become their redacted ``str()``.

``keep`` names categories to leave in place (an access log may keep ``Category.IP`` for abuse
handling; the default redacts IP addresses too).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from bastion.http.headers import Headers
from bastion.redaction.categories import ALL_CATEGORIES, Category, marker
from bastion.redaction.detectors import scan
from bastion.redaction.fieldnames import field_category

_MAX_DEPTH = 32
_AMBIGUOUS = frozenset({"name", "Name"})
"""Bare ``name`` in gateway events is a route, policy or key name far more often than a person's."""
_INERT = (bool, float, type(None))


def redact_text(s: str, *, keep: frozenset[Category] = frozenset()) -> str:
    """``s`` with every detected secret and piece of PII replaced by ``[REDACTED:<category>]``."""
    if not keep:
        return scan(s, _mark)
    return scan(s, lambda c, raw: raw if c in keep else marker(c))


def redact_value(obj: Any, *, keep: frozenset[Category] = frozenset()) -> Any:
    """A redacted copy of ``obj`` (log event, audit record, exception arguments)."""
    return _value(obj, keep, 0)


def _mark(category: Category, raw: str) -> str:
    return marker(category)


def _value(obj: Any, keep: frozenset[Category], depth: int) -> Any:
    if isinstance(obj, _INERT):
        return obj
    if isinstance(obj, str):
        return redact_text(obj, keep=keep)
    if isinstance(obj, int):
        text = str(obj)
        out = redact_text(text, keep=keep)
        return obj if out == text else out
    if depth >= _MAX_DEPTH:
        return "[REDACTED:depth]"
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return redact_text(bytes(obj).decode("utf-8", "replace"), keep=keep)
    if isinstance(obj, Headers):
        return [_pair(k, v, keep, depth) for k, v in obj.items()]
    if isinstance(obj, Mapping):
        return {_key(k, keep): _field(k, v, keep, depth) for k, v in obj.items()}
    if isinstance(obj, tuple) and len(obj) == 2 and isinstance(obj[0], str):
        return _pair(obj[0], obj[1], keep, depth)
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [_value(v, keep, depth + 1) for v in obj]
    return redact_text(str(obj), keep=keep)


def _key(k: Any, keep: frozenset[Category]) -> Any:
    return redact_text(k, keep=keep) if isinstance(k, str) else _value(k, keep, _MAX_DEPTH - 1)


def _field(name: Any, value: Any, keep: frozenset[Category], depth: int) -> Any:
    if isinstance(name, str) and name not in _AMBIGUOUS:
        category = field_category(name)
        if category is not None and category not in keep and value not in (None, "", [], {}):
            return marker(category)
    return _value(value, keep, depth + 1)


def _pair(name: str, value: Any, keep: frozenset[Category], depth: int) -> tuple[str, Any]:
    return (name, _field(name, value, keep, depth))


_STANDARD_ATTRS = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class RedactingFilter(logging.Filter):
    """Install on a handler: every record it emits has its message, ``extra`` fields and traceback
    redacted (``handler.addFilter(RedactingFilter())``). The formatted message replaces ``msg``/``args``."""

    def __init__(self, keep: frozenset[Category] = frozenset()) -> None:
        super().__init__()
        self.keep = keep

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not bypass redaction
            message = f"{record.msg!s} {record.args!s}"
        record.msg = redact_text(message, keep=self.keep)
        record.args = None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact_text(text, keep=self.keep)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact_text(record.exc_text, keep=self.keep)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info, keep=self.keep)
        for name, value in list(record.__dict__.items()):
            if name not in _STANDARD_ATTRS:
                setattr(record, name, _field(name, value, self.keep, 0))
        return True


__all__ = ["ALL_CATEGORIES", "RedactingFilter", "redact_text", "redact_value"]
