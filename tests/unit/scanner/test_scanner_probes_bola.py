"""Unit: BOLA and BFLA probes with next()/send(): findings need the victim's data in the attacker's answer."""

from __future__ import annotations

from scanner_support import baseline, context, drive, ok

from bastion.scanner.context import ScanContext
from bastion.scanner.messages import ProbeRequest, ProbeResponse
from bastion.scanner.probes.bfla import BflaProbe
from bastion.scanner.probes.bola import BolaProbe

ALICE_ORDER = {"id": 1, "owner_id": 1, "product_id": 2, "quantity": 1, "note": "leave at the door", "total": 89.0}
BOB_ORDER = {"id": 3, "owner_id": 2, "product_id": 2, "quantity": 1, "note": "", "total": 89.0}


def two_users() -> ScanContext:
    ctx = context(a="token-a", b="token-b")
    baseline(ctx, "GET /api/v1/orders", "a", "/api/v1/orders", {"items": [ALICE_ORDER]})
    baseline(ctx, "GET /api/v1/orders", "b", "/api/v1/orders", {"items": [BOB_ORDER]})
    baseline(ctx, "GET /api/v1/orders/{order_id}", "a", "/api/v1/orders/1", ALICE_ORDER)
    baseline(ctx, "GET /api/v1/orders/{order_id}", "b", "/api/v1/orders/3", BOB_ORDER)
    ctx.allow_unsafe = False
    return ctx


def test_bola_read_is_reported_when_b_gets_a_s_order() -> None:
    ctx = two_users()

    def respond(request: ProbeRequest) -> ProbeResponse:
        return ok(ALICE_ORDER) if request.path == "/api/v1/orders/1" else ProbeResponse(404)

    sent = drive(BolaProbe().run(ctx), respond)
    assert [(r.identity, r.path) for r in sent] == [("b", "/api/v1/orders/1")]
    assert [f.rule_id for f in ctx.findings] == ["bola.read"]


def test_no_bola_when_b_is_refused() -> None:
    ctx = two_users()
    drive(BolaProbe().run(ctx), lambda r: ProbeResponse(404))
    assert ctx.findings == []


def test_no_bola_when_the_server_answers_with_b_s_own_order() -> None:
    ctx = two_users()
    drive(BolaProbe().run(ctx), lambda r: ok(BOB_ORDER))
    assert ctx.findings == []


def test_bfla_reported_when_a_regular_user_gets_the_admin_answer() -> None:
    ctx = context(a="token-a", admin="token-admin")
    baseline(ctx, "GET /api/v1/admin/stats", "admin", "/api/v1/admin/stats", {"users": 3, "posts": 2})
    drive(BflaProbe().run(ctx), lambda r: ok({"users": 3, "posts": 2}) if r.path.endswith("stats")
          else ProbeResponse(403))
    assert [(f.rule_id, f.location.operation) for f in ctx.findings] == [
        ("bfla.privileged-operation", "GET /api/v1/admin/stats")]


def test_bfla_not_reported_when_the_regular_user_is_forbidden() -> None:
    ctx = context(a="token-a", admin="token-admin")
    baseline(ctx, "GET /api/v1/admin/stats", "admin", "/api/v1/admin/stats", {"users": 3, "posts": 2})
    drive(BflaProbe().run(ctx), lambda r: ProbeResponse(403))
    assert ctx.findings == []


def test_bola_read_compares_with_a_s_current_object_when_it_changed_since_discovery() -> None:
    ctx = context(a="token-a", b="token-b")
    created = {"id": 4, "owner_id": 1, "note": "ring the bell-3fa9c1", "total": 89.0}
    baseline(ctx, "GET /api/v1/orders/{order_id}", "a", "/api/v1/orders/4", created)
    baseline(ctx, "GET /api/v1/orders/{order_id}", "b", "/api/v1/orders/5", {**created, "id": 5, "owner_id": 2,
                                                                             "note": "ring the bell-77c0de"})
    ctx.allow_unsafe = False
    rewritten = {**created, "note": "' OR '1'='1"}  # an injection probe's payload, left in A's object
    sent = drive(BolaProbe().run(ctx), lambda r: ok(rewritten) if r.path == "/api/v1/orders/4" else ProbeResponse(404))
    assert [(r.identity, r.path) for r in sent] == [("b", "/api/v1/orders/4"), ("a", "/api/v1/orders/4")]
    assert [f.rule_id for f in ctx.findings] == ["bola.read"]


def _write_scenario(answer_put: str) -> ScanContext:
    """B's PUT on A's order is accepted; by the time A reads the order back another (concurrent) probe has
    rewritten the field B wrote. ``answer_put``: ``object`` (A's order with B's change, as REST APIs answer
    an update) or ``echo`` (only B's own body back)."""
    ctx = two_users()
    ctx.allow_unsafe = True
    written: list[bool] = []

    def respond(request: ProbeRequest) -> ProbeResponse:
        if request.method == "PUT" and request.path == "/api/v1/orders/1" and request.identity == "b":
            written.append(True)
            body = request.json if isinstance(request.json, dict) else {}
            return ok({**ALICE_ORDER, **body} if answer_put == "object" else body)
        if request.method == "GET" and request.path == "/api/v1/orders/1":
            return ok({**ALICE_ORDER, "note": "set by another probe"} if written else ALICE_ORDER)
        return ProbeResponse(404)

    drive(BolaProbe().run(ctx), respond)
    return ctx


def test_bola_write_proven_by_b_s_answer_when_a_s_read_back_was_overwritten_meanwhile() -> None:
    ctx = _write_scenario("object")
    assert ("bola.write", "PUT /api/v1/orders/{order_id}") in [(f.rule_id, f.location.operation) for f in ctx.findings]


def test_no_bola_write_when_b_s_answer_only_echoes_b_s_own_body() -> None:
    ctx = _write_scenario("echo")
    assert "bola.write" not in [f.rule_id for f in ctx.findings]
