"""The policy contract.

A policy is a plain class with three optional async hooks. The base class gives no-op defaults,
so a policy overrides only the hooks it needs.

Lifecycle of one exchange through a route's compiled chain (``chain/runner.py``):

``on_request(ex)``  — forward order, before anything is sent upstream.
    Return ``None`` to continue, or a ``Problem`` to stop: in ``enforce`` mode the problem becomes
    the response and nothing is forwarded; in ``report`` mode it is recorded as a finding on
    ``ex.findings`` and the chain continues. A policy may edit ``ex.forward_headers`` (what goes
    upstream), set ``ex.principal`` (authentication) and leave state in ``ex.notes[self.name]``.
    ``ex.request_body`` is present (complete, bytes) iff some policy on the route declared
    ``needs_request_body``; a policy may replace it (the forwarded body is exactly ``ex.request_body``).

``on_response(ex)`` — reverse order, only for policies whose ``on_request`` was entered.
    ``ex.response`` holds the upstream (or short-circuit) response head, editable in place.
    ``ex.response_body`` is present iff some policy declared ``needs_response_body`` and the body
    fits the buffer limit. Return a ``Problem`` to replace the response (e.g. a schema-invalid
    upstream body becomes a 502); ``report`` mode records it instead.

``on_complete(ex)`` — every policy, after the response was sent (or the client went away).
    Observe only: logs, audit, metrics, anomaly detectors. Exceptions here are logged and counted,
    never raised to the client.

Failure is closed: an exception in ``on_request`` or ``on_response`` yields a 500 problem; nothing
is forwarded and no unfiltered body leaks. Policies are sans-I/O: ports (clock, stores, key
sources, sinks) are injected through ``PolicyDeps`` at construction; a policy never opens a socket,
creates a client or reads the wall clock itself.

Construction: ``XxxPolicy(config: XxxConfig, deps: PolicyDeps)``. The config is validated once at
load; a bad value raises ``ConfigError`` with its key path.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict

from bastion.clock import SYSTEM_CLOCK, Clock

if TYPE_CHECKING:
    from bastion.chain.exchange import Exchange
    from bastion.http.problem import Problem


class Mode(str, enum.Enum):
    ENFORCE = "enforce"
    REPORT = "report"


class PolicyConfig(BaseModel):
    """Fields every policy accepts. Subclass per policy: ``class RateLimitConfig(PolicyConfig)``."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    mode: Mode = Mode.ENFORCE
    """``enforce`` blocks; ``report`` only records what would have been blocked (a SecurityWarning on
    authentication policies)."""


@dataclass
class PolicyDeps:
    """Ports and shared, load-time resources handed to every policy constructor.

    ``services`` is the escape hatch for a port that only one family of policies needs (e.g. a JWKS
    key source, an API-key store, a blocklist); the gateway wires them at startup by name.
    """

    clock: Clock = SYSTEM_CLOCK
    base_dir: Path = field(default_factory=Path.cwd)
    """Directory of the configuration file; relative paths in policy configs resolve against it."""
    openapi: dict[str, Any] = field(default_factory=dict)
    """Loaded OpenAPI documents by the name given in the top-level ``openapi:`` section."""
    settings: dict[str, Any] = field(default_factory=dict)
    """Raw top-level configuration sections (``issuers``, ``state`` ...) for policies that need them."""
    services: dict[str, Any] = field(default_factory=dict)
    route_id: str = ""
    """The id of the route this instance is compiled into (each route gets its own instances)."""


class Policy:
    name: ClassVar[str] = "policy"
    needs_request_body: ClassVar[bool] = False
    needs_response_body: ClassVar[bool] = False
    authenticates: ClassVar[bool] = False
    """True for policies that establish ``ex.principal`` (jwt, api_key, mtls, introspection)."""

    config: PolicyConfig

    def __init__(self, config: PolicyConfig, deps: PolicyDeps) -> None:
        self.config = config
        self.deps = deps

    @property
    def mode(self) -> Mode:
        return self.config.mode

    async def on_request(self, ex: Exchange) -> Problem | None:
        return None

    async def on_response(self, ex: Exchange) -> Problem | None:
        return None

    async def on_complete(self, ex: Exchange) -> None:
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} mode={self.mode.value}>"
