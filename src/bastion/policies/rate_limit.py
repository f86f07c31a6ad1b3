"""``rate_limit``: GCRA rate limits, daily quotas and a concurrency cap, in memory or shared in Redis.

    - rate_limit: {key: subject, rate: 100/minute, burst: 20}
    - rate_limit:
        key: ip
        limits:
          - {name: burst, rate: 10/second, burst: 20}
          - {name: sustained, rate: 1000/hour}
          - {name: daily, quota: 10000/day, key: subject}
        cost_per_kib: 1                # large bodies cost more
        concurrency: 8
        on_store_error: fallback       # or fail_closed (503)

Modelled on Envoy's local_ratelimit filter: config compiled once, a decision on the request, state
stashed in ``ex.notes`` for the response (``RateLimit`` headers) and completion (concurrency release).
Covers OWASP API4:2023 (unrestricted resource consumption), CWE-770.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bastion.chain.policy import Policy, PolicyConfig, PolicyDeps
from bastion.errors import ConfigError
from bastion.http.problem import RATE_LIMITED, SERVICE_UNAVAILABLE, Problem
from bastion.ratelimit import headers as rl_headers
from bastion.ratelimit.guard import GuardedStore, Verdict
from bastion.ratelimit.headers import NamedRule
from bastion.ratelimit.keys import Selector, digest, parse_selector
from bastion.ratelimit.memory import MemoryCounterStore
from bastion.ratelimit.store import CounterStore
from bastion.ratelimit.strategies import Concurrency, Gcra, Rule, Window, parse_rate

if TYPE_CHECKING:
    from bastion.chain.exchange import Exchange

_NAME = re.compile(r"^[a-z0-9_-]{1,32}$")


class LimitSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    name: str | None = Field(default=None, pattern=_NAME.pattern)
    """Label in the ``RateLimit`` headers; defaults to ``rate``/``quota`` and the position."""
    rate: str | None = None
    """A GCRA rate: ``100/minute``, ``10/s``, ``5000/day``."""
    burst: int | None = Field(default=None, ge=1)
    """Units admitted at once; defaults to the rate's count."""
    quota: str | None = None
    """A fixed-window quota (``10000/day``: per UTC day)."""
    key: str | None = None
    """Override the policy's ``key`` for this limit."""

    @model_validator(mode="after")
    def _one_kind(self) -> LimitSpec:
        if (self.rate is None) == (self.quota is None):
            raise ValueError("give exactly one of 'rate' or 'quota'")
        if self.quota is not None and self.burst is not None:
            raise ValueError("'burst' applies to 'rate' limits only")
        return self


class RateLimitConfig(PolicyConfig):
    key: str = "ip"
    """Who is counted: ip, route, subject, client_id, api_key, claim:<name> or header:<name>.
    Principal-based keys fall back to the client IP for anonymous callers."""
    rate: str | None = None
    """Shorthand for one GCRA limit (``100/minute``)."""
    burst: int | None = Field(default=None, ge=1)
    quota: str | None = None
    """Shorthand for one fixed-window quota (``10000/day``)."""
    limits: tuple[LimitSpec, ...] = ()
    cost: int = Field(default=1, ge=1)
    """Units each request costs."""
    cost_per_kib: int = Field(default=0, ge=0)
    """Extra units per started KiB of request body (from Content-Length)."""
    concurrency: int | None = Field(default=None, ge=1)
    """At most this many requests in flight per key."""
    concurrency_lease: float = Field(default=300.0, gt=0)
    """Seconds after which a slot whose release was lost (a crashed instance) is reclaimed."""
    scope: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    """Counter namespace; defaults to the route id. Routes with the same scope share counters."""
    on_store_error: Literal["fallback", "fail_closed"] = "fallback"
    """When the shared store (Redis) is unreachable: decide with local ``fallback_limits`` on each
    instance (the default: the API stays up, limits are per instance), or answer 503."""
    fallback_limits: tuple[LimitSpec, ...] | None = None
    """Local limits used during a store outage, one per limit and in the same order (each keeps the
    key of the limit it stands in for); default: the same limits."""
    headers: bool = True
    """Send ``RateLimit``/``RateLimit-Policy`` on allowed responses too (always on 429s)."""


class RateLimitPolicy(Policy):
    name = "rate_limit"
    config_model = RateLimitConfig
    config: RateLimitConfig

    def __init__(self, config: RateLimitConfig, deps: PolicyDeps) -> None:
        super().__init__(config, deps)
        self._slot = f"rate_limit:{id(self)}"
        scope = config.scope or deps.route_id or "default"
        specs = _specs(config)
        if not specs and config.concurrency is None:
            raise ConfigError("", "give 'rate', 'quota', 'limits' or 'concurrency'")
        self._rules, self._selectors = _compile(specs, config, scope)
        fallback_specs = specs if config.fallback_limits is None else config.fallback_limits
        self._fallback_rules = _compile(fallback_specs, config, scope)[0]
        if len(self._fallback_rules) != len(self._rules):
            raise ConfigError("fallback_limits", "give one fallback limit per limit, in the same order")
        self._policy_field = rl_headers.policy_field(self._rules)
        self._held = tuple(i for i, n in enumerate(self._rules) if isinstance(n.rule, Concurrency))
        self._math = tuple(n.rule for n in self._rules)
        self._fallback_math = tuple(n.rule for n in self._fallback_rules)
        self._guard = _guard(config, deps)

    async def on_request(self, ex: Exchange) -> Problem | None:
        keys = [sel(ex) for sel in self._selectors]
        now = self.deps.clock.now()
        verdict = await self._guard.decide(
            keys, self._math, self._fallback_math, self._cost(ex), now, ex.request_id
        )
        outcome = verdict.outcome
        if outcome is None:
            return SERVICE_UNAVAILABLE.problem(
                "rate limiting is temporarily unavailable", headers=(("retry-after", "1"),)
            )
        fields = (("ratelimit-policy", self._policy_field),
                  ("ratelimit", rl_headers.status_field(self._rules, outcome.statuses)))
        ex.notes[self._slot] = (verdict, keys, fields)
        if outcome.allowed:
            return None
        wait = rl_headers.retry_after(outcome.retry_after)
        return RATE_LIMITED.problem(
            "too many requests; retry later", headers=(("retry-after", wait), *fields), retry_after=int(wait)
        )

    async def on_response(self, ex: Exchange) -> Problem | None:
        note = ex.notes.get(self._slot)
        if note is None or ex.response is None or not self.config.headers or not note[0].outcome.allowed:
            return None  # a 429 already carries the fields in the problem's headers
        for name, value in note[2]:
            ex.response.headers.add(name, value)
        return None

    async def on_complete(self, ex: Exchange) -> None:
        note = ex.notes.get(self._slot) if self._held else None
        if note is None:
            return
        verdict: Verdict = note[0]
        if verdict.store is None or verdict.outcome is None or not verdict.outcome.allowed:
            return
        await self._guard.release(verdict.store, [note[1][i] for i in self._held], ex.request_id)

    def _cost(self, ex: Exchange) -> int:
        per_kib = self.config.cost_per_kib
        if not per_kib:
            return self.config.cost
        if ex.request_body is not None:
            size = len(ex.request_body)
        else:
            declared = ex.request.headers.get("content-length") or "0"
            size = int(declared) if declared.isdigit() else 0
        return self.config.cost + per_kib * math.ceil(size / 1024)

    @property
    def store_errors(self) -> int:
        return self._guard.errors


def _specs(config: RateLimitConfig) -> list[LimitSpec]:
    specs = list(config.limits)
    if config.rate is not None:
        specs.insert(0, LimitSpec(rate=config.rate, burst=config.burst))
    elif config.burst is not None:
        raise ConfigError("burst", "'burst' needs 'rate'")
    if config.quota is not None:
        specs.append(LimitSpec(quota=config.quota))
    return specs


def _compile(
    specs: list[LimitSpec] | tuple[LimitSpec, ...], config: RateLimitConfig, scope: str
) -> tuple[list[NamedRule], list[Selector]]:
    rules: list[NamedRule] = []
    selectors: list[Selector] = []
    for i, spec in enumerate(specs):
        where = f"limits[{i}]" if config.limits else ("rate" if spec.rate else "quota")
        try:
            count, period = parse_rate(spec.rate or spec.quota or "")
            selector = parse_selector(spec.key or config.key)
        except ValueError as exc:
            raise ConfigError(where, str(exc)) from None
        rule: Rule = Gcra(count, period, spec.burst or count) if spec.rate else Window(count, period)
        label = spec.name or f"{'rate' if spec.rate else 'quota'}{i}"
        rules.append(NamedRule(label, rule))
        selectors.append(_scoped(selector, f"{scope}:{label}:{_signature(rule)}:"))
    if config.concurrency is not None:
        selector = parse_selector(config.key)
        rules.append(NamedRule("concurrency", Concurrency(config.concurrency, config.concurrency_lease)))
        selectors.append(_scoped(selector, f"{scope}:concurrency:c{config.concurrency}:"))
    if len({n.name for n in rules}) != len(rules):
        raise ConfigError("limits", "limit names must be unique")
    return rules, selectors


def _signature(rule: Rule) -> str:
    """Part of the store key, so two policies (or a changed config) never share state across different math."""
    if isinstance(rule, Gcra):
        return f"g{rule.count}/{rule.period:g}b{rule.burst}"
    return f"w{rule.count}/{rule.period:g}" if isinstance(rule, Window) else "c"


def _scoped(selector: Selector, prefix: str) -> Selector:
    def key(ex: Exchange) -> str:
        return prefix + digest(selector(ex))

    return key


def _guard(config: RateLimitConfig, deps: PolicyDeps) -> GuardedStore:
    """One store per gateway, shared by every route through ``deps.services`` (shared scopes work)."""
    services = deps.services
    primary: CounterStore | None = services.get("rate_limit.store")
    if primary is None:
        state = services.get("state")
        if state is not None and state.redis is not None:
            from bastion.ratelimit.redis import RedisCounterStore

            primary = RedisCounterStore(state.redis, state.prefix)
        else:
            primary = MemoryCounterStore()
        services["rate_limit.store"] = primary
    fallback = None
    if config.on_store_error == "fallback" and primary.kind != "memory":
        fallback = services.setdefault("rate_limit.fallback", MemoryCounterStore())
    return GuardedStore(primary, fallback, deps.clock)
