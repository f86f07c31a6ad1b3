"""Integration: scanning an API whose spec leaves things out, over real sockets (``LegacyApi``).

The spec declares no ``security`` and no response schemas; the login answers 200 with a "fail" message
for a wrong password; tokens are short-lived JWTs signed with a placeholder word; object keys are named
fields (``note_name``), not ids; a GET called like an action reseeds the data. Each test names one
technique the scanner needs for such an API, and runs against the planted flaw (``secure=False``) and
its fixed twin (``secure=True``), where the rule must stay silent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest
from scan_fixtures import LegacyApi, Recording, serve, write_legacy

from bastion.findings.model import Report
from bastion.scanner.scan import ScanOptions, new_report, run_scan
from bastion.scanner.values import tag_for

pytestmark = pytest.mark.integration
Scanned = tuple[Report, LegacyApi, Recording, int]


def scan(folder: Path, api: LegacyApi, *, rate: float = 500) -> tuple[Report, Recording, int]:
    spec, flow = write_legacy(folder)
    recording = Recording(api)
    with serve(recording) as port:
        options = ScanOptions(spec=spec, target=f"http://127.0.0.1:{port}", login_flow=flow, allow_unsafe=True,
                              rate=rate)
        report = new_report(options)
        anyio.run(lambda: run_scan(options, report))
        logins = {handle: login(port, handle, password) for handle, password
                  in (("carol", "carol-pass-1"), ("dave", "dave-pass-2"))}
    assert all(logins.values()), f"the scan left an identity unable to log in: {logins}"
    return report, recording, port


def login(port: int, handle: str, password: str) -> bool:
    answer = httpx.post(f"http://127.0.0.1:{port}/members/signin", json={"handle": handle, "password": password})
    return "access_token" in answer.json()


@pytest.fixture(scope="module")
def vulnerable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scanned]:
    api = LegacyApi(secure=False)
    report, recording, port = scan(tmp_path_factory.mktemp("legacy-vuln"), api)
    yield report, api, recording, port


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scanned]:
    api = LegacyApi(secure=True)
    report, recording, port = scan(tmp_path_factory.mktemp("legacy-twin"), api)
    yield report, api, recording, port


def rules(report: Report, operation: str | None = None) -> set[str]:
    return {f.rule_id for f in report.findings if operation is None or f.location.operation == operation}


def test_undeclared_auth_is_inferred_and_objects_keyed_by_a_named_field_are_checked_for_bola(
        vulnerable: Scanned, twin: Scanned) -> None:
    assert "bola.read" in rules(vulnerable[0], "GET /notes/{note_name}")
    assert "bola.read" not in rules(twin[0])


def test_identity_a_attacks_from_its_own_object_when_the_listing_names_owners(vulnerable: Scanned) -> None:
    found = [f for f in vulnerable[0].findings if f.rule_id == "bola.read"
             and f.location.operation == "GET /notes/{note_name}"]
    assert [f.location.url for f in found] == ["/notes/carol-diary"]


def test_password_change_of_another_user_is_proved_by_logging_in_and_then_undone(
        vulnerable: Scanned, twin: Scanned) -> None:
    # scan() already logged in with both original passwords afterwards, on both APIs
    assert "bola.credential-change" in rules(vulnerable[0], "PUT /members/{handle}/secret")
    assert "bola.credential-change" not in rules(twin[0])


def test_credential_change_operations_get_no_injection_payloads(vulnerable: Scanned) -> None:
    _, _, recording, _ = vulnerable
    changes = [path for method, path in recording.seen if method == "PUT" and path.endswith("/secret")]
    # the anonymous auth check, BOLA's write without the password, B's attempt, A's and B's restore
    assert len(changes) <= 5
    assert set(changes) <= {f"/members/{h}/secret" for h in ("bastion-scan-nobody", "carol", "dave")}


def test_mass_assignment_on_signup_is_read_back_through_a_listing(vulnerable: Scanned, twin: Scanned) -> None:
    assert "bopla.mass-assignment" in rules(vulnerable[0], "POST /members/join")
    assert "bopla.mass-assignment" not in rules(twin[0])


def test_passwords_in_an_answer_without_a_documented_schema(vulnerable: Scanned, twin: Scanned) -> None:
    assert "bopla.sensitive-property" in rules(vulnerable[0], "GET /members/_all")
    assert "bopla.sensitive-property" not in rules(twin[0])


def test_login_failures_answered_with_200_still_count_as_attempts(vulnerable: Scanned, twin: Scanned) -> None:
    assert "auth.no-attempt-limit" in rules(vulnerable[0], "POST /members/signin")
    assert "auth.no-attempt-limit" not in rules(twin[0])


def test_jwt_signed_with_a_placeholder_word_is_cracked(vulnerable: Scanned) -> None:
    assert "auth.weak-jwt-secret" in rules(vulnerable[0])


def test_a_get_named_like_an_action_is_called_once_and_never_burst(vulnerable: Scanned, twin: Scanned) -> None:
    for report, api, _, _ in (vulnerable, twin):
        assert api.resets == 1
        assert "GET /maintenance/reset-store" not in rules(report)


def test_no_oversized_input_where_redos_was_already_shown(vulnerable: Scanned, twin: Scanned) -> None:
    report, api, _, _ = vulnerable
    assert "resource.redos" in rules(report, "PUT /members/{handle}/motto")
    assert "/members/carol/motto" not in api.oversized
    assert "resource.redos" not in rules(twin[0])


def test_expired_tokens_are_renewed_from_the_login_flow(tmp_path: Path) -> None:
    report, _, _ = scan(tmp_path, LegacyApi(secure=False, ttl=3), rate=60)
    assert report.stats["relogins"] >= 1
    assert "bola.read" in rules(report, "GET /notes/{note_name}")


def test_each_identity_creates_its_own_object_despite_unique_titles(vulnerable: Scanned, twin: Scanned) -> None:
    for report, api, _, _ in (vulnerable, twin):
        tag = {name: tag_for(str(report.stats["seed"]), name) for name in ("a", "b")}
        owners = {title: owner for title, (owner, _) in api.albums.items() if title.startswith("summer-")}
        assert owners == {f"summer-{tag['a']}": "carol", f"summer-{tag['b']}": "dave"}


def test_an_object_created_without_an_id_in_the_answer_is_the_bola_victim(vulnerable: Scanned,
                                                                            twin: Scanned) -> None:
    report = vulnerable[0]
    found = [f.location.url for f in report.findings if f.rule_id == "bola.read"
             and f.location.operation == "GET /albums/{album_title}"]
    assert found == [f"/albums/summer-{tag_for(str(report.stats['seed']), 'a')}"]
    assert "bola.read" not in rules(twin[0])
