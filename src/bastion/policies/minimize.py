"""``minimize``: send clients only the response data their operation declares and their token allows.

OWASP API3:2023 (Broken Object Property Level Authorization, formerly "excessive data exposure").
In order, on a JSON response body:

1. **schema** (``openapi: <name>``): every property the operation's response schema does not declare,
   for that status code and media type, is removed (``redaction/projection.py`` for the rules);
2. **allow** / **deny**: explicit field-path lists (``items[].id``, ``**.internal_notes``);
3. **scoped**: fields kept only for tokens holding a scope, otherwise removed, masked, redacted or hashed;
4. **pii** / **fields**: per-category and per-field actions; ``block`` answers 502.

In ``on_request`` the policy asks the upstream for ``Accept-Encoding: identity``; a gzip/deflate
body is decoded anyway (bounded). A ``Content-Length`` present is set to the new size and ``ETag``/
``Content-Encoding`` are dropped when the body changed. Responses the document does not declare and
non-JSON bodies are refused (502; an undeclared *error* keeps its status with a bare problem body) unless
``undeclared``/``non_json`` say ``pass``. The gateway's own
problem responses pass untouched. In ``report`` mode nothing is changed: what would have been removed
or refused becomes a finding. ``on_complete`` records what left, by category, in the data-flow
inventory (``deps.services["dataflow"]``): counts only, never values.
"""

from __future__ import annotations

import warnings
from http import HTTPStatus
from typing import Any, ClassVar, Literal

import orjson
from pydantic import BaseModel, ConfigDict, field_validator

from bastion.chain.exchange import Exchange
from bastion.chain.policy import Mode, PolicyConfig, PolicyDeps
from bastion.errors import ConfigError, SecurityWarning
from bastion.http.problem import UPSTREAM_INVALID, Problem
from bastion.policies.pii import (
    BodyError,
    FlowRecordingPolicy,
    PiiSettings,
    check_selectors,
    decode_body,
    fix_length,
    is_json,
    load_json,
)
from bastion.redaction import Action, Blocked, RedactionRules, redact
from bastion.redaction.projection import ShapeMismatch
from bastion.redaction.selectors import SelectorSet
from bastion.redaction.transform import apply_fields, keep_only, targeted

_NO_BODY_STATUS = frozenset({204, 304})
_OTHERWISE = {"remove": Action.DROP, "mask": Action.MASK, "redact": Action.REDACT, "hash": Action.HASH}


class ScopedFields(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    scope: str
    """The token must hold this scope to receive ``fields`` as they are."""
    fields: list[str]
    """Field selectors (``email``, ``items[].phone``, ``**.email``)."""
    otherwise: Literal["remove", "mask", "redact", "hash"] = "remove"

    _check = field_validator("fields")(classmethod(lambda cls, v: check_selectors(v)))


class MinimizeConfig(PolicyConfig, PiiSettings):
    openapi: str | None = None
    """Name of a document in the top-level ``openapi`` section: keep only what it declares."""
    allow: list[str] | None = None
    """Explicit allow-list of field paths (whole subtrees are kept); applied after the schema."""
    deny: list[str] = []
    """Field paths always removed."""
    scoped: list[ScopedFields] = []
    undeclared: Literal["refuse", "pass"] = "refuse"
    """A response (operation, status, media type) the document does not declare: ``refuse`` answers 502
    for a success and replaces an error's body with a bare problem of the same status (the client still
    sees its 404, never the upstream's error text); ``pass`` forwards it as is (emits a SecurityWarning)."""
    native: bool = True
    """Project in C (msgspec) when the schema allows it; ``false`` forces the Python projector (same
    result, slower; it also counts the removed fields in ``notes``)."""
    non_json: Literal["refuse", "pass"] = "refuse"
    """A non-JSON body (images, CSV, HTML): 502, or pass unminimised (emits a SecurityWarning)."""

    _check_allow = field_validator("allow")(classmethod(lambda cls, v: v if v is None else check_selectors(v)))
    _check_deny = field_validator("deny")(classmethod(lambda cls, v: check_selectors(v)))


class MinimizePolicy(FlowRecordingPolicy):
    name: ClassVar[str] = "minimize"
    needs_response_body: ClassVar[bool] = True
    config_model = MinimizeConfig
    config: MinimizeConfig
    direction: ClassVar[str] = "response"

    def __init__(self, config: MinimizeConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        self.shapes: Any = None
        if config.openapi is not None:
            doc = deps.openapi.get(config.openapi)
            if doc is None:
                raise ConfigError("openapi", f"no document named {config.openapi!r} in the `openapi` section")
            from bastion.redaction.response_shapes import ResponseShapes

            self.shapes = ResponseShapes(doc, native=config.native)
        elif config.allow is None and not config.deny and not config.scoped and not config.pii \
                and not config.fields:
            raise ConfigError("", "nothing to do: set `openapi`, `allow`, `deny`, `scoped`, `pii` or `fields`")
        if config.mode is Mode.REPORT:
            warnings.warn("minimize is in report mode: responses are forwarded unminimised", SecurityWarning,
                          stacklevel=2)
        for key in ("undeclared", "non_json"):
            if getattr(config, key) == "pass":
                warnings.warn(f"minimize.{key}: pass forwards some upstream bodies unminimised", SecurityWarning,
                              stacklevel=2)
        self.allow = SelectorSet.build((s, True) for s in config.allow) if config.allow is not None else None
        base = {**dict.fromkeys(config.deny, Action.DROP)}
        self.base_fields = base
        self._rules: dict[frozenset[int], RedactionRules | None] = {}
        self._rules_for(frozenset(range(len(config.scoped))))  # validate the hash key at load time

    def _rules_for(self, missing: frozenset[int]) -> RedactionRules | None:
        """Redaction rules when the token lacks the scoped entries ``missing`` (cached per combination)."""
        if missing in self._rules:
            return self._rules[missing]
        fields = dict(self.base_fields)
        for i in sorted(missing):
            entry = self.config.scoped[i]
            fields.update(dict.fromkeys(entry.fields, _OTHERWISE[entry.otherwise]))
        rules = None
        if fields or self.config.pii or self.config.fields:
            rules = self.config.rules(self.deps, fields)
        self._rules[missing] = rules
        return rules

    async def on_request(self, ex: Exchange) -> Problem | None:
        ex.forward_headers.set("accept-encoding", "identity")
        return None

    async def on_response(self, ex: Exchange) -> Problem | None:
        resp = ex.response
        body = ex.response_body
        if resp is None or ex.problem is not None or ex.request.method == "HEAD" or resp.status in _NO_BODY_STATUS:
            return None
        if not body:
            return None
        headers = resp.headers
        if not is_json(headers.get("content-type")):
            return None if self.config.non_json == "pass" else _refuse(ex, "non-JSON response body")
        try:
            raw = decode_body(body, headers.get("content-encoding"))
        except BodyError as exc:
            return _refuse(ex, str(exc))
        compiled = None
        if self.shapes is not None:
            from bastion.redaction.response_shapes import UndeclaredResponse

            try:
                compiled = self.shapes.lookup(ex.request.method, ex.route.template, ex.request.path, resp.status,
                                              headers.get("content-type") or "")
            except UndeclaredResponse as exc:
                if self.config.undeclared == "refuse":
                    if resp.status >= 400 and self.mode is not Mode.REPORT:
                        _generic_error(ex, f"error response not declared: {exc}")
                        return None
                    return _refuse(ex, f"response not declared: {exc}")
        rules = self._rules_for(self._missing_scopes(ex))
        removed = [0]
        try:
            if compiled is not None and compiled.native is not None and self.mode is not Mode.REPORT:
                projected = compiled.native(raw)  # parse + project + serialise in C
                if self.allow is None and rules is None:
                    self._send(ex, projected, {"projected": "native"})
                    return None
                doc = load_json(projected)
            else:
                doc = load_json(raw)
                if compiled is not None:
                    doc = compiled.python(doc, removed)
            if self.allow is not None:
                doc = keep_only(doc, self.allow, removed)
            if rules is not None:
                if targeted(rules):
                    removed[0] += apply_fields(doc, rules)
                else:
                    outcome = redact(doc, rules)
                    doc = outcome.value
                    removed[0] += outcome.changed
        except BodyError as exc:
            return _refuse(ex, str(exc))
        except ShapeMismatch:
            return _refuse(ex, "response body does not match the declared schema")
        except Blocked as exc:
            return _refuse(ex, f"response contains {exc.category.value if exc.category else 'a blocked field'}")
        if self.mode is Mode.REPORT:  # record what would go, forward the upstream body as it is
            ex.notes[self.name] = {"removed": removed[0]}
            return _refuse(ex, f"{removed[0]} fields would be removed") if removed[0] else None
        self._send(ex, orjson.dumps(doc), {"removed": removed[0]})
        return None

    def _send(self, ex: Exchange, new_body: bytes, note: dict[str, Any]) -> None:
        assert ex.response is not None
        ex.notes[self.name] = note
        if new_body != ex.response_body:
            ex.response_body = new_body
            ex.response.headers.remove_many({"etag", "content-encoding", "content-md5", "digest"})
        fix_length(ex.response.headers, ex.response_body)

    def _missing_scopes(self, ex: Exchange) -> frozenset[int]:
        scopes = ex.principal.scopes if ex.principal is not None else frozenset()
        return frozenset(i for i, s in enumerate(self.config.scoped) if s.scope not in scopes)

    def flow_body(self, ex: Exchange) -> tuple[bytes | None, str | None, str]:
        if ex.response is None or ex.problem is not None:
            return None, None, ""
        return ex.response_body, ex.response.headers.get("content-type"), recipient_of(ex)


def recipient_of(ex: Exchange) -> str:
    """Who received a response: the OAuth client, never the end user's subject (that would be PII)."""
    p = ex.principal
    if p is None:
        return "anonymous"
    client = p.client_id or p.claims.get("azp") or p.claims.get("client_id")
    if isinstance(client, str) and client:
        return client
    return f"unidentified {p.method} client"


def _generic_error(ex: Exchange, reason: str) -> None:
    """Keep the upstream's error status, drop its undeclared body: a bare RFC 9457 problem instead."""
    assert ex.response is not None
    status = ex.response.status
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    ex.response_body = orjson.dumps({"type": "about:blank", "title": title, "status": status})
    headers = ex.response.headers
    headers.remove_many({"etag", "content-encoding", "content-md5", "digest"})
    headers.set("content-type", "application/problem+json")
    fix_length(headers, ex.response_body)
    ex.notes["minimize"] = {"replaced": reason}


def _refuse(ex: Exchange, reason: str) -> Problem:
    ex.notes["minimize"] = {**ex.notes.get("minimize", {}), "refused": reason}
    return UPSTREAM_INVALID.problem("The upstream response was withheld by the data-minimization policy.")
