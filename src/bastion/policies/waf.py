"""``waf``: injection filtering over every string the upstream might interpret.

A thin adapter over ``bastion.detection``: it walks the request (normalised path and each segment,
query keys and values, header values, cookies, every key and string of JSON and form bodies, XML
text and attributes, each string literal of a GraphQL document besides the whole document), asks the
engine about each, and on the first detection answers 403
``request-blocked``. The client learns nothing about the rule or its input; the rule id, OWASP and
CWE ids, the field's JSON pointer and a redacted snippet go to ``ex.findings`` and
``ex.notes["waf"]`` for the audit log. ``mode: report`` lets the request through and keeps the record.
A POST whose body carries a top-level ``_method`` field naming another method is refused with 400 in
either mode (``overrides_method``), as the server refuses the override headers.

```yaml
- waf:
    exclude_headers: [x-signature]          # not inspected on this route
    exclusions:
      - {field: /body/comment, rules: [sqli]}   # JSON pointer; * matches one segment
      - {field: /query/q}                       # every rule
    base64_fields: [/body/attachment]       # decoded and inspected as well
    disabled: [ldapi]                       # attack classes off on this route
    max_body_bytes: 128KiB                  # larger bodies: 413 before inspection (the default)
```
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bastion.chain.exchange import Exchange
from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.config.units import Size
from bastion.detection.engine import ANALYSERS, Engine
from bastion.detection.fields import UNPARSED, body_fields, request_fields
from bastion.detection.fields import Field as Inspected
from bastion.detection.rules import Detection
from bastion.errors import ConfigError
from bastion.findings.model import Evidence, Finding, Location
from bastion.http.problem import BAD_REQUEST, PAYLOAD_TOO_LARGE, REQUEST_BLOCKED, Problem

BLOCKED_DETAIL = "The request was blocked by a security rule."
_OVERRIDE_POINTER = "/body/_method"
_METHOD_TOKEN = re.compile(r"[A-Za-z]+")


def overrides_method(fields: list[Inspected]) -> bool:
    """A top-level ``_method`` field (form, multipart or JSON) naming a method other than POST.

    Rack's MethodOverride, Symfony/Laravel and Express's method-override run a POST as the method such a
    field names (upper-cased), so a route that allows POST and refuses DELETE, or scopes them apart, would
    have its DELETE run anyway. The server refuses the override headers and a ``_method`` query parameter
    on every route; bodies are only read where a policy reads them, so the waf refuses the field here.
    """
    for pointer, value, context in fields:
        if pointer == _OVERRIDE_POINTER and not context.is_key:
            method = value.strip()
            if _METHOD_TOKEN.fullmatch(method) and method.upper() != "POST":
                return True
    return False


def _attack_class(rule: str) -> str:
    name = rule.removeprefix("waf.")
    if name not in ANALYSERS:
        raise ValueError(f"unknown rule {rule!r}; expected one of {sorted(ANALYSERS)}")
    return name


class Exclusion(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    field: str = Field(pattern=r"^/(path|query|headers|cookies|body)(/.*)?$")
    """A JSON pointer into the request (``/body/items/*/note``, ``/query/q``, ``/headers/x-sig``,
    ``/cookies/prefs``); it excludes its whole subtree. Exclusions weaken protection: keep them narrow."""
    rules: tuple[str, ...] = ()
    """Attack classes or rule ids (``sqli`` or ``waf.sqli``) skipped there; empty skips every rule."""

    @field_validator("rules")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_attack_class(r) for r in v)


class WafConfig(PolicyConfig):
    exclude_headers: tuple[str, ...] = ()
    """Header names not inspected on this route (e.g. a signature header with opaque content)."""
    exclusions: tuple[Exclusion, ...] = ()
    """Fields (JSON pointers) where some or all rules are skipped."""
    base64_fields: tuple[str, ...] = ()
    """Pointers of fields whose values are base64: the decoded text is inspected too. Unmarked values are
    decoded anyway when they are standard-alphabet base64 of clean text (what GoTestWAF's Base64 encoders
    send); marking a field also covers the URL-safe alphabet and text with a few stray bytes."""
    disabled: tuple[str, ...] = ()
    """Attack classes switched off for the whole route."""
    max_body_bytes: Size = 131072
    """Largest request body inspected; a larger one is refused with 413 before it is read (an uninspected
    body never passes). Inspection costs up to a few µs per byte on adversarial input (long runs of
    ``;`` or quotes), so this bounds the CPU one request can cost, like ModSecurity's 128 KB
    ``SecRequestBodyNoFilesLimit`` with ``Reject``. Raise it on routes that take larger bodies."""

    @field_validator("disabled")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_attack_class(r) for r in v)


def _segments(pointer: str) -> tuple[str, ...]:
    return tuple(pointer.lower().split("/")[1:])


def _covers(pattern: tuple[str, ...], target: tuple[str, ...]) -> bool:
    return len(target) >= len(pattern) and all(p in ("*", t) for p, t in zip(pattern, target, strict=False))


OFFLOAD_BODY_BYTES = 16 * 1024
"""A request whose body is longer than this is inspected on ``_INSPECTOR``'s thread, not on the event loop."""

_INSPECTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bastion-waf")
"""Inspects large bodies, one at a time, off the event loop. Text built to be slow to inspect costs the Python
confirmers up to a few tenths of a CPU second per 128 KiB: run on the loop, every other request on the process
waited for it (a small GET sent meanwhile took 8.5 s behind a 900 KiB body on a route that allows 1 MiB). On this
thread the interpreter hands the GIL back to the loop every switch interval (5 ms), so other requests keep being
served while it works; one thread, because the GIL makes a second no faster, and large bodies then queue here, not
on the loop. The prefilter gives the thread its own Hyperscan scratch."""


@lru_cache(maxsize=32)
def shared_engine(disabled: frozenset[str]) -> Engine:
    """One compiled engine per set of disabled classes, for every route and every reload of the process:
    compiling the prefilter takes ~0.7 s, and a configuration with many ``waf`` routes would otherwise pay
    it per route at start-up and again, on the event loop, at every reload. The engine holds no per-request
    state (the prefilter keeps a Hyperscan scratch per thread), so routes and threads can share it."""
    return Engine(disabled)


class WafPolicy(Policy):
    name: ClassVar[str] = "waf"
    needs_request_body: ClassVar[bool] = True
    config_model = WafConfig
    config: WafConfig

    def __init__(self, config: WafConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        try:
            self.engine = shared_engine(frozenset(config.disabled))
        except ValueError as exc:
            raise ConfigError("disabled", str(exc)) from None
        self.skip_headers = frozenset(h.lower() for h in config.exclude_headers)
        all_rules = frozenset(ANALYSERS)
        self.exclusions = tuple((_segments(e.field), frozenset(e.rules) or all_rules) for e in config.exclusions)
        self.base64 = tuple(_segments(p) for p in config.base64_fields)
        self.max_body_bytes = config.max_body_bytes
        """Read by the route compiler: the route's body limit is at most this."""

    def _skip_for(self, pointer: str) -> frozenset[str]:
        if not self.exclusions:
            return frozenset()
        target = _segments(pointer)
        out: frozenset[str] = frozenset()
        for pattern, rules in self.exclusions:
            if _covers(pattern, target):
                out |= rules
        return out

    def inspect(self, ex: Exchange) -> tuple[str, Detection] | None:
        """The first (pointer, detection) in the request, or ``None``."""
        return self._first(self._fields(ex))

    def _fields(self, ex: Exchange) -> list[Inspected]:
        fields = list(request_fields(ex.request, self.skip_headers))
        body = ex.request_body
        if body:
            parsed = ex.request_json
            fields.extend(body_fields(body, ex.request.headers.get("content-type") or "",
                                      parsed[1] if parsed is not None and parsed[0] is body else UNPARSED))
        return fields

    def _first(self, fields: list[Inspected]) -> tuple[str, Detection] | None:
        hit = self.engine.first(fields, self._skip_for if self.exclusions else None,
                                self._is_base64 if self.base64 else None)
        return (fields[hit[0]][0], hit[1]) if hit is not None else None

    def _is_base64(self, pointer: str) -> bool:
        target = _segments(pointer)
        return any(_covers(p, target) for p in self.base64)

    async def on_request(self, ex: Exchange) -> Problem | None:
        if ex.request_body is not None and len(ex.request_body) > self.max_body_bytes:
            return PAYLOAD_TOO_LARGE.problem(f"request body exceeds {self.max_body_bytes} bytes").with_close()
        fields = self._fields(ex)
        # bytes.find, not `in`: CPython 3.11's bytes `in` first tries the needle as an int and raises and clears a
        # TypeError (~1,850 instructions, callgrind) before it searches
        if ex.request.method == "POST" and ex.request_body and ex.request_body.find(b"method") != -1 \
                and overrides_method(fields):
            return BAD_REQUEST.problem("a _method field is not accepted: send the method itself")
        if ex.request_body is not None and len(ex.request_body) > OFFLOAD_BODY_BYTES:
            hit = await asyncio.get_running_loop().run_in_executor(_INSPECTOR, self._first, fields)
        else:
            hit = self._first(fields)
        if hit is None:
            return None
        pointer, det = hit
        rule = det.rule
        safe_pointer = "/".join(seg[:40] for seg in pointer.split("/"))
        ex.notes[self.name] = {
            "rule": rule.id, "attack": rule.attack, "owasp": rule.owasp, "web": rule.web, "cwe": rule.cwe,
            "pointer": safe_pointer, "snippet": det.snippet, "decoded": det.decoded, "mode": self.mode.value,
        }
        ex.findings.append(Finding(
            rule_id=rule.id, title=rule.title, severity=rule.severity, owasp=rule.owasp, cwe=rule.cwe,
            message=f"{rule.title} pattern in {safe_pointer}" + (" (after decoding)" if det.decoded else ""),
            risk="Input that an interpreter behind the gateway would execute reached the API.",
            fix="Fix the client if the traffic is legitimate, or add a narrow exclusion for this field and rule.",
            location=Location(pointer=safe_pointer, method=ex.request.method, operation=ex.route.route_id,
                              url=ex.route.template or None),
            evidence=Evidence(request=det.snippet), tags=("waf", rule.web),
        ))
        return REQUEST_BLOCKED.problem(detail=BLOCKED_DETAIL)
