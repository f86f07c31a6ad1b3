"""``request_minimize``: send third-party APIs only the request fields they need, without the PII
they must not receive.

For routes whose upstream is someone else's API (payment, e-mail, analytics providers): ``allow``
keeps only the listed field paths of a JSON request body (whole subtrees), then ``pii``/``fields``
actions redact, mask, hash or drop what is left; ``block`` refuses the request (403) instead of
sending the category at all. The rewritten body replaces ``ex.request_body`` (the engine frames it);
a gzip/deflate request body is decoded (bounded) and forwarded as identity.
``on_complete`` records, per category, what was sent to the upstream (the recipient) in the
data-flow inventory: counts only. In ``report`` mode the body is forwarded unchanged and what would have
been removed becomes a finding. OWASP API10:2023 (Unsafe Consumption of APIs), GDPR Art. 5(1)(c).
"""

from __future__ import annotations

import warnings
from typing import ClassVar, Literal

import orjson
from pydantic import field_validator

from bastion.chain.exchange import Exchange
from bastion.chain.policy import Mode, PolicyConfig, PolicyDeps
from bastion.errors import ConfigError, SecurityWarning
from bastion.http.problem import REQUEST_BLOCKED, UNPROCESSABLE, UNSUPPORTED_MEDIA_TYPE, Problem
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
from bastion.redaction import Blocked, redact
from bastion.redaction.selectors import SelectorSet
from bastion.redaction.transform import keep_only


class RequestMinimizeConfig(PolicyConfig, PiiSettings):
    allow: list[str] | None = None
    """Field paths the destination needs; everything else is removed before forwarding."""
    non_json: Literal["refuse", "pass"] = "refuse"
    """A non-JSON request body: 415, or forward it unexamined."""

    _check_allow = field_validator("allow")(classmethod(lambda cls, v: v if v is None else check_selectors(v)))


class RequestMinimizePolicy(FlowRecordingPolicy):
    name: ClassVar[str] = "request_minimize"
    needs_request_body: ClassVar[bool] = True
    direction: ClassVar[str] = "request"
    config_model = RequestMinimizeConfig
    config: RequestMinimizeConfig

    def __init__(self, config: RequestMinimizeConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        if config.allow is None and not config.pii and not config.fields:
            raise ConfigError("", "nothing to do: set `allow`, `pii` or `fields`")
        if config.mode is Mode.REPORT:
            warnings.warn("request_minimize is in report mode: request bodies are forwarded unminimised",
                          SecurityWarning, stacklevel=2)
        self.allow = SelectorSet.build((s, True) for s in config.allow) if config.allow is not None else None
        self.rules = config.rules(deps) if config.pii or config.fields else None

    async def on_request(self, ex: Exchange) -> Problem | None:
        body = ex.request_body
        if not body:
            return None
        headers = ex.request.headers
        if not is_json(headers.get("content-type")):
            if self.config.non_json == "pass":
                return None
            return UNSUPPORTED_MEDIA_TYPE.problem("This route forwards JSON request bodies only.")
        try:
            doc = load_json(decode_body(body, headers.get("content-encoding")))
        except BodyError:
            return UNPROCESSABLE.problem("The request body could not be read as JSON.")
        removed = [0]
        if self.allow is not None:
            doc = keep_only(doc, self.allow, removed)
        if self.rules is not None:
            try:
                outcome = redact(doc, self.rules)
            except Blocked as exc:
                what = exc.category.label if exc.category else "a field"
                return REQUEST_BLOCKED.problem(f"The request contains {what}, which this destination may not receive.")
            doc, removed[0] = outcome.value, removed[0] + outcome.changed
        ex.notes[self.name] = {"removed": removed[0]}
        if self.mode is Mode.REPORT:  # record what would go, forward the body as it is
            return REQUEST_BLOCKED.problem(f"{removed[0]} request fields would be removed.") if removed[0] else None
        new_body = orjson.dumps(doc)
        if new_body != body:
            ex.request_body = new_body
            ex.forward_headers.remove_many({"content-encoding", "content-md5", "digest"})
        fix_length(ex.forward_headers, ex.request_body)
        return None

    def flow_body(self, ex: Exchange) -> tuple[bytes | None, str | None, str]:
        if ex.problem is not None:
            return None, None, ""
        return ex.request_body, ex.request.headers.get("content-type"), ex.route.upstream or "upstream"
