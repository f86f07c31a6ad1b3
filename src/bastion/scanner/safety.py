"""The scanner's guard rails: one origin, safe methods by default, a request budget and a rate cap."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from bastion.scanner.messages import SAFE_METHODS, ProbeRequest


class Refused(Exception):
    """The engine will not send this request; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class Guard:
    target: httpx.URL
    allow_unsafe: bool = False
    max_requests: int = 5000
    sent: int = 0

    def url_for(self, request: ProbeRequest) -> httpx.URL:
        """The absolute URL on the target; anything that would leave the target's origin is refused."""
        if not request.path.startswith("/") or request.path.startswith("//") or "\\" in request.path:
            raise Refused("path must be relative to the target")
        path = quote(request.path, safe="/%:@!$&'()*+,;=-._~")
        try:
            url = httpx.URL(str(self.target).rstrip("/") + path, params=list(request.query) or None)
        except httpx.InvalidURL:
            raise Refused("invalid URL") from None
        if (url.scheme, url.host, url.port) != (self.target.scheme, self.target.host, self.target.port):
            raise Refused("request would leave the target")
        return url

    def admit(self, request: ProbeRequest) -> None:
        if request.method.upper() not in SAFE_METHODS and not self.allow_unsafe and request.purpose != "login":
            raise Refused("unsafe method (use --allow-unsafe-methods)")
        if self.sent >= self.max_requests:
            raise Refused("request budget exhausted")
        self.sent += 1


class RateCap:
    """At most ``rate`` requests per second, spaced evenly, shared by every probe."""

    def __init__(self, rate: float, now: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self.now = now
        self.sleep = sleep
        self.next_at = 0.0

    async def wait(self) -> None:
        now = self.now()
        slot = max(now, self.next_at)
        self.next_at = slot + self.interval
        if slot > now:
            await self.sleep(slot - now)
