"""Integration: staff-only operations and orders that reference other objects, over real sockets.

``KitchenApi`` (tests/integration/scan_fixtures.py) has a regular identity pair (carol, dave) and a staff
identity (chef, the scan's admin). Each test names one technique and runs against the planted flaw
(``secure=False``) and the fixed twin (``secure=True``), where the rule must stay silent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from scan_fixtures import KitchenApi, Recording, serve, write_kitchen

from bastion.findings.model import Report
from bastion.scanner.scan import ScanOptions, new_report, run_scan

pytestmark = pytest.mark.integration
Scanned = tuple[Report, KitchenApi, Recording]


def scan(folder: Path, api: KitchenApi) -> Scanned:
    recording = Recording(api)
    with serve(recording) as port:
        options = ScanOptions(spec=write_kitchen(folder), target=f"http://127.0.0.1:{port}", allow_unsafe=True,
                              auth=["Authorization: Bearer tok-carol"], auth_b=["Authorization: Bearer tok-dave"],
                              admin_auth=["Authorization: Bearer tok-chef"], rate=500)
        report = new_report(options)
        anyio.run(lambda: run_scan(options, report))
    return report, api, recording


@pytest.fixture(scope="module")
def vulnerable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scanned]:
    yield scan(tmp_path_factory.mktemp("kitchen-vuln"), KitchenApi(secure=False))


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scanned]:
    yield scan(tmp_path_factory.mktemp("kitchen-twin"), KitchenApi(secure=True))


def found(report: Report, rule: str) -> list[str]:
    return sorted(f.location.operation for f in report.findings if f.rule_id == rule)


def test_a_staff_only_create_is_probed_as_the_admin_and_its_fetched_url_is_ssrf(
        vulnerable: Scanned, twin: Scanned) -> None:
    report, api, _ = vulnerable
    assert found(report, "ssrf.callback") == ["PUT /dishes"]
    assert any("/ssrf/" in url for url in api.fetched)
    assert found(twin[0], "ssrf.callback") == []


def test_a_regular_user_deleting_what_only_the_admin_could_create_is_bfla(vulnerable: Scanned, twin: Scanned) -> None:
    report, _, recording = vulnerable
    assert "DELETE /dishes/{dish_id}" in found(report, "bfla.privileged-operation")
    assert found(twin[0], "bfla.privileged-operation") == []
    for _, kitchen, _ in (vulnerable, twin):  # discovery's dish (the first added) is gone in both: A deleted
        assert kitchen.added and kitchen.added[0] not in kitchen.dishes  # it, or the admin's cleanup did
        assert {7, 9} <= set(kitchen.dishes)
    assert ("PUT", "/dishes") in recording.seen


def test_order_items_name_dishes_from_the_listing_so_orders_exist_for_the_bola_check(
        vulnerable: Scanned, twin: Scanned) -> None:
    report, api, _ = vulnerable
    owners = {o["owner"] for o in api.orders.values()}
    assert {"carol", "dave"} <= owners, "each identity placed an order (dish ids from GET /dishes, no voucher)"
    assert found(report, "bola.read") == ["GET /orders/{order_id}"]
    assert {o["owner"] for o in twin[1].orders.values()} >= {"carol", "dave"}
    assert found(twin[0], "bola.read") == []


def test_a_regular_user_raising_its_own_role_with_the_api_s_own_words_is_found_and_set_back(
        vulnerable: Scanned, twin: Scanned) -> None:
    report, api, _ = vulnerable
    assert ("carol", "Staff") in api.raised  # 'Cook' (the admin's role) was refused, 'Staff' was not
    assert ("carol", "Cook") in api.raised  # through the PATCH that keeps an undocumented role
    assert "PUT /staff/roles" in found(report, "bfla.privileged-operation")
    assert found(report, "bopla.mass-assignment") == ["PATCH /account"]
    assert api.roles["carol"] == "Diner", "the scan set A's role back"
    assert "PUT /staff/roles" not in found(twin[0], "bfla.privileged-operation")
    assert found(twin[0], "bopla.mass-assignment") == []
    assert twin[1].roles == {"carol": "Diner", "dave": "Diner", "chef": "Cook"}
