"""Unit: route matching — most specific wins, 404 vs 405, hosts, determinism."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bastion.routing.table import Match, NoMatch, RouteSpec, RouteTable


def table() -> RouteTable[str]:
    return RouteTable([
        RouteSpec("catch-all", "catch-all", prefix="/"),
        RouteSpec("api", "api", prefix="/api/"),
        RouteSpec("order", "order", path="/api/orders/{order_id}", methods=frozenset({"GET", "DELETE"})),
        RouteSpec("order-items", "order-items", path="/api/orders/{order_id}/items/{item_id}"),
        RouteSpec("special", "special", path="/api/orders/special"),
        RouteSpec("tenant", "tenant", path="/t", host="*.example.com"),
        RouteSpec("exact-host", "exact-host", path="/t", host="api.example.org"),
    ])


@pytest.mark.parametrize(("method", "host", "path", "route", "params"), [
    ("GET", "h", "/api/orders/7", "order", {"order_id": "7"}),
    ("GET", "h", "/api/orders/special", "special", {}),
    ("GET", "h", "/api/orders/7/items/9", "order-items", {"order_id": "7", "item_id": "9"}),
    ("POST", "h", "/api/orders/7", "api", {}),
    ("GET", "h", "/api", "api", {}),
    ("GET", "h", "/apix", "catch-all", {}),
    ("GET", "a.example.com", "/t", "tenant", {}),
    ("GET", "api.example.org", "/t", "exact-host", {}),
    ("HEAD", "h", "/api/orders/7", "order", {"order_id": "7"}),
])
def test_most_specific_route_wins(method: str, host: str, path: str, route: str, params: dict[str, str]) -> None:
    m = table().match(method, host, path)
    assert isinstance(m, Match)
    assert m.spec.route_id == route and m.params == params


def test_405_lists_allowed_methods_and_404_when_nothing_matches() -> None:
    t = RouteTable([RouteSpec("o", "o", path="/orders/{id}", methods=frozenset({"GET", "DELETE"}))])
    assert t.match("POST", "h", "/orders/1") == NoMatch(405, ("DELETE", "GET", "HEAD"))
    assert t.match("GET", "h", "/orders") == NoMatch(404)
    assert t.match("GET", "h", "/orders/1/x") == NoMatch(404)


def test_wildcard_host_needs_a_label() -> None:
    t = RouteTable([RouteSpec("w", "w", path="/", host="*.example.com")])
    assert t.match("GET", "example.com", "/") == NoMatch(404)
    assert t.match("GET", "evil-example.com", "/") == NoMatch(404)


def test_template_errors_are_reported() -> None:
    with pytest.raises(ValueError, match="twice"):
        RouteTable([RouteSpec("x", "x", path="/{a}/{a}")])
    with pytest.raises(ValueError, match="exactly one"):
        RouteTable([RouteSpec("x", "x", path="/a{b}")])


@given(st.lists(st.sampled_from(["api", "orders", "7", "special", "items", "x"]), max_size=5),
       st.sampled_from(["GET", "POST", "DELETE"]))
def test_routing_is_deterministic(segments: list[str], method: str) -> None:
    path = "/" + "/".join(segments)
    assert table().match(method, "h", path) == table().match(method, "h", path)
