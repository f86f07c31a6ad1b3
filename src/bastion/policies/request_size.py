"""``request_size``: a per-route request body limit, below the global ``limits.max_body_bytes``.

The engine enforces the smallest applicable limit while reading (413, then the connection closes),
so an oversized body is never buffered or forwarded. This policy also rejects a declared
``Content-Length`` above the limit before anything is read, and optionally requires a body length.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from bastion.chain.exchange import Exchange
from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.config.units import Size
from bastion.http.problem import PAYLOAD_TOO_LARGE, Problem
from bastion.http.problem import ProblemType as _PT

LENGTH_REQUIRED = _PT("length-required", "Length Required", 411)


class RequestSizeConfig(PolicyConfig):
    max_body_bytes: Size = Field(...)
    """Largest request body accepted on this route."""
    require_length: bool = False
    """Refuse chunked bodies (no ``Content-Length``) with 411."""


class RequestSizePolicy(Policy):
    name: ClassVar[str] = "request_size"
    config_model = RequestSizeConfig
    config: RequestSizeConfig

    def __init__(self, config: RequestSizeConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        self.max_body_bytes = config.max_body_bytes

    async def on_request(self, ex: Exchange) -> Problem | None:
        headers = ex.request.headers
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            return PAYLOAD_TOO_LARGE.problem(f"request body exceeds {self.max_body_bytes} bytes").with_close()
        if ex.request_body is not None and len(ex.request_body) > self.max_body_bytes:
            return PAYLOAD_TOO_LARGE.problem(f"request body exceeds {self.max_body_bytes} bytes").with_close()
        if self.config.require_length and "transfer-encoding" in headers:
            return LENGTH_REQUIRED.problem("a Content-Length is required on this route")
        return None
