"""The IETF ``RateLimit-Policy`` and ``RateLimit`` fields (draft-ietf-httpapi-ratelimit-headers-09).

    RateLimit-Policy: "burst";q=20;w=1, "daily";q=10000;w=86400
    RateLimit: "burst";r=19;t=1, "daily";r=9950;t=3600

``q`` is the quota (units per window ``w`` seconds), ``r`` the units left now and ``t`` the seconds
until the quota is restored. A concurrency limit reports ``qu="concurrent-requests"`` and no window.
``Retry-After`` (RFC 9110) goes on 429 responses, in whole seconds, rounded up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bastion.ratelimit.strategies import Gcra, LimitStatus, Rule, Window


@dataclass(frozen=True, slots=True)
class NamedRule:
    name: str
    """A short token (``[a-z0-9_-]``): the item name in both fields."""
    rule: Rule


def policy_field(rules: Sequence[NamedRule]) -> str:
    """The ``RateLimit-Policy`` value, computed once per policy at load."""
    items = []
    for named in rules:
        rule = named.rule
        if isinstance(rule, Gcra | Window):
            items.append(f'"{named.name}";q={rule.count};w={_seconds(rule.period)}')
        else:
            items.append(f'"{named.name}";q={rule.count};qu="concurrent-requests"')
    return ", ".join(items)


def status_field(rules: Sequence[NamedRule], statuses: Sequence[LimitStatus]) -> str:
    """The ``RateLimit`` value for one decision."""
    return ", ".join(
        f'"{named.name}";r={max(s.remaining, 0)};t={_ceil(s.reset)}'
        for named, s in zip(rules, statuses, strict=True)
    )


def retry_after(seconds: float) -> str:
    return str(max(_ceil(seconds), 1))


def _ceil(seconds: float) -> int:
    return max(math.ceil(seconds - 1e-9), 0)


def _seconds(period: float) -> int:
    return max(round(period), 1)
