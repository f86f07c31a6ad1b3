"""Labelled synthetic traffic for evaluating the detectors: normal users with realistic rhythms plus
attack episodes of every detector kind. Pure and seeded: the same seed gives the same traffic.

Normal traffic: users arrive in sessions (a Poisson process, slowly varying through the run); a
session is a run of actions separated by log-normal think times, with occasional bursts (a page that
fetches several resources). Each user has a profile of at most six routes, a handful of own orders,
and browses a catalogue whose popularity is Zipf-like. Noise: stale product links (404), expired
tokens (401, then a login), mistyped passwords, one-off data exports, and a service client that polls in bursts.

Attacks (each an ``Episode`` with its ground truth): a rate spike by an established user, credential
stuffing or token guessing from one fresh IP or spread over many, BOLA enumeration of order ids, 404/405 scanning, bulk
exports (exfiltration), and a new client mapping many routes.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

# (route id, method, template, response bytes low, high)
ROUTES: dict[str, tuple[str, str, int, int]] = {
    "list-products": ("GET", "/products", 3000, 9000),
    "get-product": ("GET", "/products/{id}", 800, 2500),
    "search": ("GET", "/search", 2000, 7000),
    "get-reviews": ("GET", "/products/{id}/reviews", 1000, 5000),
    "get-cart": ("GET", "/cart", 300, 1500),
    "add-cart": ("POST", "/cart/items", 200, 600),
    "checkout": ("POST", "/checkout", 400, 1200),
    "list-orders": ("GET", "/orders", 1000, 4000),
    "get-order": ("GET", "/orders/{id}", 600, 2000),
    "profile": ("GET", "/me", 300, 900),
    "update-profile": ("PATCH", "/me", 300, 900),
    "list-addresses": ("GET", "/me/addresses", 300, 1200),
    "export": ("GET", "/me/export", 200_000, 400_000),
    "login": ("POST", "/login", 200, 400),
    "list-categories": ("GET", "/categories", 500, 2000),
    "get-category": ("GET", "/categories/{id}", 800, 3000),
    "wishlist": ("GET", "/me/wishlist", 300, 1500),
}
PROFILES = {
    "browser": ["list-products", "get-product", "search", "get-reviews", "get-cart", "add-cart"],
    "buyer": ["get-cart", "add-cart", "checkout", "list-orders", "get-order", "profile"],
    "account": ["profile", "update-profile", "list-addresses", "list-orders", "get-order", "wishlist"],
}
SCAN_WORDS = ["admin", ".env", "wp-login.php", ".git/config", "phpmyadmin", "api/v1", "debug", "console",
              "server-status", "backup.zip", "config.json", "actuator/health", "swagger.json", "graphql",
              "internal", "metrics", "test", "old", "v2", "login.php", "cgi-bin/test", "xmlrpc.php"]
DETECTOR_KINDS = ("rate_spike", "auth_failures", "enumeration", "scanning", "volume_spike", "route_spread")


@dataclass(slots=True)
class Req:
    t: float
    ip: str
    user: str | None
    """``sub:…``/``client:…`` when authenticated, None for anonymous or failed authentication."""
    route: str
    """Route id, or ``-`` for a path no route matches."""
    method: str
    path: str
    object_id: str | None
    status: int
    bytes: int
    episode: int | None = None


@dataclass(slots=True)
class Episode:
    id: int
    kind: str
    user: str | None
    ip: str
    start: float
    end: float
    routes: set[str] = field(default_factory=set)


@dataclass
class Scenario:
    requests: list[Req]
    episodes: list[Episode]
    duration: float


@dataclass(slots=True)
class _User:
    handle: str
    ip: str
    profile: list[str]
    orders: list[int]


def _fill(template: str, obj: str | None) -> str:
    return template.replace("{id}", obj) if obj is not None else template


class _Builder:
    def __init__(self, seed: int, users: int, duration: float) -> None:
        self.rng = random.Random(seed)
        self.duration = duration
        self.out: list[Req] = []
        self.users = [
            _User(f"sub:u{i:04d}", f"10.{1 + i // 250}.{i % 250}.{1 + (i * 7) % 250}",
                  PROFILES[self.rng.choice(list(PROFILES))], [self.rng.randrange(10_000, 99_999) for _ in range(6)])
            for i in range(users)
        ]

    def req(self, t: float, ip: str, user: str | None, route: str, obj: str | None = None, status: int = 200,
            size: int | None = None, episode: int | None = None) -> None:
        method, template, lo, hi = ROUTES[route]
        self.out.append(Req(t, ip, user if status != 401 else None, route, method, _fill(template, obj), obj,
                            status, self.rng.randint(lo, hi) if size is None else size, episode))

    def product(self) -> str:
        return str(int(2000 * self.rng.random() ** 3) + 1)  # a few popular products, a long tail

    def session(self, u: _User, t: float) -> None:
        if self.rng.random() < 0.05:  # a mistyped password, then the right one
            self.req(t, u.ip, None, "login", status=401)
            t += self.rng.uniform(2, 8)
        self.req(t, u.ip, None, "login", status=200)
        t += self.rng.uniform(0.5, 2.0)
        for _ in range(self.rng.randint(4, 30)):
            if t >= self.duration:
                return
            route = self.rng.choice(u.profile)
            if route in ("get-product", "get-reviews"):
                obj: str | None = self.product()
                status = 404 if self.rng.random() < 0.02 else 200
            elif route == "get-order":
                obj, status = str(self.rng.choice(u.orders)), 200
            else:
                obj, status = None, 200
            if self.rng.random() < 0.005:
                self.req(t, u.ip, None, route, obj, status=401)
                t += self.rng.uniform(1, 4)
                self.req(t, u.ip, None, "login")
            else:
                self.req(t, u.ip, u.handle, route, obj, status)
            if self.rng.random() < 0.003:
                self.req(t + 1, u.ip, u.handle, "export")
            if self.rng.random() < 0.15:
                t += self.rng.uniform(0.05, 0.5)
            else:
                t += min(60.0, max(0.3, self.rng.lognormvariate(math.log(5.0), 0.8)))

    def normal(self) -> None:
        for u in self.users:
            t = self.rng.uniform(0, 300)
            while t < self.duration:
                self.session(u, t)
                rate = 1.0 + 0.5 * math.sin(2 * math.pi * t / max(self.duration, 1))  # a slow daily-like swing
                t += self.rng.expovariate(rate / 600.0)
        t = self.rng.uniform(0, 30)
        while t < self.duration:  # a service client polling in bursts every 30 s
            for k in range(self.rng.randint(10, 25)):
                self.req(t + 0.05 * k, "10.9.0.1", "client:inventory-sync", "list-products")
            t += 30 + self.rng.uniform(-2, 2)


def _attack(b: _Builder, ep: Episode) -> None:
    rng, t0 = b.rng, ep.start
    if ep.kind == "rate_spike":
        profile = next(u.profile for u in b.users if u.handle == ep.user)
        routes = [r for r in profile if "{id}" not in ROUTES[r][1]]  # a script hammering its usual calls
        for k in range(60 * 10):
            b.req(t0 + k * 0.1 + rng.uniform(0, 0.05), ep.ip, ep.user, rng.choice(routes), episode=ep.id)
    elif ep.kind == "auth_failures":
        if rng.random() < 0.4:  # distributed stuffing: 2 attempts/s from addresses each trying 1-3 times
            for k in range(120):
                ip = f"192.0.{ep.id}.{rng.randrange(1, 250)}"
                b.req(t0 + k * 0.5 + rng.uniform(0, 0.2), ip, None, "login", status=401, episode=ep.id)
        else:
            route = rng.choice(["login", "login", "profile"])
            for k in range(90):
                b.req(t0 + k / 1.5, ep.ip, None, route, status=401, episode=ep.id)
    elif ep.kind == "enumeration":
        base = rng.randrange(100_000, 900_000)
        for k in range(90):
            b.req(t0 + k + rng.uniform(0, 0.3), ep.ip, ep.user, "get-order", str(base + k),
                  status=rng.choice([403, 403, 403, 404, 200]), episode=ep.id)
    elif ep.kind == "scanning":
        for k, word in enumerate(rng.sample(SCAN_WORDS, len(SCAN_WORDS)) + ["x" + str(i) for i in range(40)]):
            t = t0 + k + rng.uniform(0, 0.3)
            if t > ep.end:
                break
            if k % 5 == 4:
                route = rng.choice(list(ROUTES))
                b.out.append(Req(t, ep.ip, None, "-", "DELETE", _fill(ROUTES[route][1], "1"), None, 405, 200, ep.id))
            else:
                b.out.append(Req(t, ep.ip, None, "-", "GET", "/" + word, None, 404, 150, ep.id))
    elif ep.kind == "volume_spike":
        for k in range(30):
            b.req(t0 + 2 * k + rng.uniform(0, 0.5), ep.ip, ep.user, "export", size=rng.randint(500_000, 900_000),
                  episode=ep.id)
    elif ep.kind == "route_spread":
        routes = [r for r in ROUTES if r not in ("login", "export")]
        for k, route in enumerate(rng.sample(routes, 14)):
            obj = str(rng.randrange(1, 50)) if "{id}" in ROUTES[route][1] else None
            b.req(t0 + 2.2 * k + rng.uniform(0, 0.6), ep.ip, ep.user, route, obj, episode=ep.id)
    ep.routes = {r.route for r in b.out if r.episode == ep.id}


def build(seed: int = 1, *, users: int = 60, duration: float = 3600.0, episodes_per_kind: int = 2,
          warmup: float = 900.0) -> Scenario:
    """Normal traffic for ``duration`` seconds, plus ``episodes_per_kind`` attack episodes of every kind
    placed after ``warmup``, spaced so they do not overlap. ``episodes_per_kind=0`` is the control run."""
    b = _Builder(seed, users, duration)
    b.normal()
    kinds = [k for k in DETECTOR_KINDS for _ in range(episodes_per_kind)]
    b.rng.shuffle(kinds)
    slot = (duration - warmup) / max(1, len(kinds))
    episodes: list[Episode] = []
    used: set[str] = set()
    for i, kind in enumerate(kinds):
        start = warmup + i * slot + b.rng.uniform(0, max(0.0, slot - 150))
        if kind in ("rate_spike", "enumeration", "volume_spike"):
            u = b.rng.choice([u for u in b.users if u.handle not in used and
                              (kind != "enumeration" or "get-order" in u.profile)])
            used.add(u.handle)
            user, ip = u.handle, u.ip
        elif kind == "route_spread":
            user, ip = f"client:newapp-{i}", f"198.51.100.{10 + i}"
        else:
            user, ip = None, f"203.0.113.{10 + i}"
        ep = Episode(i, kind, user, ip, start, start + (90 if kind == "enumeration" else 60))
        _attack(b, ep)
        episodes.append(ep)
    b.out.sort(key=lambda r: r.t)
    return Scenario([r for r in b.out if r.t < duration], episodes, duration)
