"""PII rules shared by ``minimize`` (responses) and ``request_minimize`` (requests to third parties).

``PiiSettings`` is the config fragment both policies accept; ``PiiSettings.rules()`` compiles it once
into ``redaction.RedactionRules``. JSON bodies are decoded here too: ``decode_json`` undoes
``gzip``/``deflate`` content coding with a size cap (a compression bomb is refused, not inflated).
"""

from __future__ import annotations

import abc
import zlib
from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, field_validator

from bastion.chain.exchange import Exchange
from bastion.chain.policy import Policy, PolicyDeps
from bastion.errors import ConfigError, SecretError
from bastion.http.headers import MutableHeaders
from bastion.redaction import Action, Category, RedactionRules, inventory
from bastion.redaction.selectors import SelectorError, SelectorSet, parse
from bastion.validation.body import MAX_DEPTH, nested_deeper

MAX_DECODED_BYTES = 8 << 20


class BodyError(ValueError):
    """The body cannot be decoded for inspection (unknown coding, bomb, not JSON). No content in it."""


class PiiSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    pii: dict[Category, Action] = {}
    """Action per detected category, e.g. ``{email: mask, card: redact, ssn: block, iban: hash}``."""
    fields: dict[str, Action] = {}
    """Action per field selector (``customer.notes: redact``, ``**.password: drop``); beats ``pii``."""
    hash_key: str | None = None
    """Reference to the tenant HMAC key for ``hash`` (``${env:NAME}``, ``${file:PATH}``, ``${secret:NAME}``)."""

    @field_validator("fields")
    @classmethod
    def _selectors(cls, v: dict[str, Action]) -> dict[str, Action]:
        check_selectors(list(v))
        return v

    def uses_hash(self) -> bool:
        return Action.HASH in self.pii.values() or Action.HASH in self.fields.values()

    def rules(self, deps: PolicyDeps, extra_fields: dict[str, Action] | None = None) -> RedactionRules:
        key = self.resolve_key(deps) if self.uses_hash() or _has_hash(extra_fields) else None
        fields = {**(extra_fields or {}), **self.fields}
        return RedactionRules(SelectorSet.build(fields.items()), dict(self.pii), key)

    def resolve_key(self, deps: PolicyDeps) -> bytes:
        if not self.hash_key:
            raise ConfigError("hash_key", "the `hash` action needs `hash_key` (a ${env:…} or ${secret:…} reference)")
        from bastion.secrets.references import resolve_reference

        try:
            value = resolve_reference(self.hash_key, base_dir=deps.base_dir,
                                      secret_lookup=deps.services.get("secret_lookup"))
        except SecretError as exc:
            raise ConfigError("hash_key", str(exc)) from None
        if len(value) < 16:
            raise ConfigError("hash_key", "the pseudonym key must be at least 16 characters")
        return value.encode()


def check_selectors(selectors: list[str]) -> list[str]:
    for selector in selectors:
        try:
            parse(selector)
        except SelectorError as exc:
            raise ValueError(str(exc)) from None
    return selectors


class FlowRecordingPolicy(Policy, abc.ABC):
    """Base of the body policies: after sending, count the categories of personal data that left.

    The counts go to ``deps.services["dataflow"]`` (a ``bastion.dataflow.FlowRecorder``) when the
    gateway wired one; nothing is recorded otherwise. Values are never kept: only category counts.
    Every message is counted; bodies are scanned at the recorder's sampling rate (scans cost ~1-3 ms
    per 20 KB, so they are bounded per flow rather than paid on every response).
    """

    direction: ClassVar[str] = "response"

    @abc.abstractmethod
    def flow_body(self, ex: Exchange) -> tuple[bytes | None, str | None, str]:
        """The body that left, its content type, and its recipient."""

    async def on_complete(self, ex: Exchange) -> None:
        recorder = self.deps.services.get("dataflow")
        if recorder is None:
            return
        body, content_type, recipient = self.flow_body(ex)
        if not body or not is_json(content_type):
            return
        flow = (ex.route.route_id, f"{ex.request.method} {ex.route.template or ex.request.path}", recipient,
                self.direction)
        weight = recorder.observe(*flow)
        if not weight:
            return
        try:
            counts = inventory(load_json(body))
        except BodyError:
            return
        recorder.record_categories(*flow, _by_name(counts), weight)


def _by_name(counts: Mapping[Category, int]) -> dict[str, int]:
    return {c.value: n for c, n in counts.items() if n}


def _has_hash(fields: dict[str, Action] | None) -> bool:
    return bool(fields) and Action.HASH in (fields or {}).values()


def fix_length(headers: MutableHeaders, body: bytes | None) -> None:
    """Make a ``Content-Length`` that is present tell the truth about the new body.

    The gateway engine drops framing headers and writes its own ``Content-Length`` from the body, so
    one is added here only where one already is (a stale value would be worse than none)."""
    if "content-length" in headers:
        headers.set("content-length", str(len(body or b"")))


def is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def decode_body(body: bytes, coding: str | None, limit: int = MAX_DECODED_BYTES) -> bytes:
    """Undo ``gzip``/``deflate`` content codings (a list is undone last-applied first), refusing output
    beyond ``limit`` at every step."""
    codings = [c.strip().lower() for c in (coding or "").split(",")]
    for name in reversed([c for c in codings if c not in ("", "identity")]):
        body = _decode_one(body, name, limit)
    return body


def _decode_one(body: bytes, coding: str, limit: int) -> bytes:
    if coding in ("gzip", "x-gzip"):
        wbits = 16 + zlib.MAX_WBITS
    elif coding == "deflate":
        wbits = zlib.MAX_WBITS if body[:1] == b"\x78" else -zlib.MAX_WBITS
    else:
        raise BodyError(f"content coding {coding!r} is not supported")
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error:
        raise BodyError("corrupt compressed body") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise BodyError("decoded body exceeds the limit")
    return out


def load_json(body: bytes) -> Any:
    """``body`` parsed, for a policy that rewrites it. Nesting is bounded as ``validate`` bounds it: orjson reads
    1,024 levels but writes only 254, so a deeper document would fail when written again (an error, not a
    refusal), and a minimised document is walked recursively."""
    import orjson

    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise BodyError("body is not valid JSON") from None
    if nested_deeper(body):
        raise BodyError(f"JSON nesting deeper than {MAX_DEPTH}")
    return doc
