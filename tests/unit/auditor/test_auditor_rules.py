"""Unit: named checks of single rules on small in-memory specs, the rule-error path, and a large spec."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from bastion.auditor import audit
from bastion.auditor.rules import REGISTRY, AuditContext, Hit, Rule, RuleInfo
from bastion.findings import Severity
from bastion.openapi import OpenAPIDocument

NOW = datetime(2026, 11, 29, tzinfo=UTC)


def spec(paths: dict[str, Any], version: str = "3.1.0", schemas: dict[str, Any] | None = None,
         **extra: Any) -> OpenAPIDocument:
    components = {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": schemas or {}}
    doc = {"openapi": version, "info": {"title": "t", "version": "1"}, "security": [{"bearer": []}],
           "paths": paths, "components": components, **extra}
    return OpenAPIDocument.from_sources("mem.json", {"mem.json": orjson.dumps(doc).decode()})


def fired(doc: OpenAPIDocument, rule: str) -> list[str]:
    report = audit(doc, now=NOW, rules=[rule])
    assert report.stats["rule_errors"] == []
    return [f.message for f in report.findings]


def returns(schema: dict[str, Any]) -> dict[str, Any]:
    return {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}


def accepts(schema: dict[str, Any]) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": schema}}}
    return {"requestBody": body, "responses": {"204": {"description": "ok"}}}


def test_flags_password_returned_by_format_not_only_by_name() -> None:
    props = {"secretish": {"type": "string", "format": "password"}}
    doc = spec({"/me": {"get": returns({"type": "object", "properties": props})}})
    assert fired(doc, "data.sensitive-response") == ["GET /me returns `secretish` (credentials)."]


def test_token_endpoint_may_return_tokens_but_not_card_numbers() -> None:
    body = {"type": "object", "properties": {"access_token": {"type": "string"}, "cardNumber": {"type": "string"}}}
    doc = spec({"/oauth/token": {"post": returns(body)}})
    assert fired(doc, "data.sensitive-response") == ["POST /oauth/token returns `cardNumber` (payment-card)."]


def test_write_only_password_is_not_returned() -> None:
    props = {"password": {"type": "string", "writeOnly": True}}
    doc = spec({"/me": {"get": returns({"type": "object", "properties": props})}})
    assert fired(doc, "data.sensitive-response") == []


def test_flags_is_admin_mass_assignment_and_read_only_clears_it() -> None:
    props: dict[str, Any] = {"name": {"type": "string"}, "isAdmin": {"type": "boolean"}}
    users = {"/users": {"post": accepts({"type": "object", "properties": props})}}
    assert fired(spec(users), "data.mass-assignment") == [
        "POST /users accepts server-managed properties `isAdmin` without readOnly."]
    props["isAdmin"]["readOnly"] = True
    assert fired(spec(users), "data.mass-assignment") == []


def test_flags_unsigned_31_webhook_and_accepts_a_signed_one() -> None:
    hook: dict[str, Any] = {"post": {"responses": {"200": {"description": "ok"}}}}
    assert fired(spec({}, webhooks={"orderPaid": hook}), "webhooks.unsigned") == [
        "The webhook `orderPaid` (POST) carries no signature header or security requirement."]
    hook["post"]["parameters"] = [{"name": "X-Hub-Signature-256", "in": "header", "schema": {"type": "string"}}]
    assert fired(spec({}, webhooks={"orderPaid": hook}), "webhooks.unsigned") == []


def test_flags_ssrf_url_input_unless_restricted_by_pattern() -> None:
    param: dict[str, Any] = {"name": "imageUrl", "in": "query", "schema": {"type": "string"}}
    op = {"parameters": [param], "responses": {"204": {"description": "ok"}}}
    assert fired(spec({"/thumbs": {"get": op}}), "input.url") == [
        "URL input in the parameters of GET /thumbs: `imageUrl` (URL supplied by the client)."]
    param["schema"]["pattern"] = "^https://images\\.example\\.com/"
    assert fired(spec({"/thumbs": {"get": op}}), "input.url") == []


def test_admin_operation_with_its_own_scope_passes() -> None:
    ordinary = {"security": [{"bearer": ["orders"]}], "responses": {"200": {"description": "ok"}}}
    admin = {"security": [{"bearer": ["admin:users"]}], "responses": {"200": {"description": "ok"}}}
    rule = "authz.admin-shared-scheme"
    assert fired(spec({"/orders": {"get": ordinary}, "/admin/users": {"get": admin}}), rule) == []
    assert fired(spec({"/orders": {"get": ordinary}, "/admin/users": {"get": ordinary}}), rule)


def test_optional_security_is_a_medium_finding() -> None:
    report = audit(spec({"/a": {"get": {"security": [{}], "responses": {}}}}), now=NOW, rules=["auth.missing-security"])
    assert [(f.severity, f.location.pointer) for f in report.findings] == [(Severity.MEDIUM, "/paths/~1a/get/security")]


def test_a_failing_rule_is_reported_and_does_not_hide_the_others() -> None:
    def broken(ctx: AuditContext) -> Iterator[Hit]:
        raise RuntimeError("boom")
        yield  # pragma: no cover

    REGISTRY["test.broken"] = Rule(RuleInfo("test.broken", "t", Severity.LOW, "", None, "", ""), broken)
    try:
        report = audit(spec({"/a": {"get": {"security": [], "responses": {}}}}), now=NOW)
    finally:
        del REGISTRY["test.broken"]
    assert report.stats["rule_errors"] == [{"rule": "test.broken", "error": "RuntimeError"}]
    assert "auth.missing-security" in {f.rule_id for f in report.findings}


def large_spec(operations: int, version: str) -> OpenAPIDocument:
    """A synthetic spec in the shape of real ones: CRUD resources sharing components, refs and cycles."""
    paths: dict[str, Any] = {}
    for i in range(operations // 4):
        item = {"$ref": f"#/components/schemas/Thing{i % 25}"}
        paths[f"/things{i}"] = {
            "get": {"parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 50}}],
                    **returns({"type": "array", "items": item})},
            "post": {**accepts(item), "tags": ["things"]}}
        paths[f"/things{i}/{{thing_id}}"] = {
            "parameters": [{"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": returns(item), "delete": {"responses": {"204": {"description": "gone"}}, "deprecated": i % 7 == 0}}
    schemas = {f"Thing{n}": {"type": "object", "properties": {
        "id": {"type": "string", "readOnly": True}, "name": {"type": "string", "nullable": True},
        "email": {"type": "string", "format": "email"}, "parent": {"$ref": f"#/components/schemas/Thing{n}"},
        "tags": {"type": "array", "items": {"type": "string"}}}} for n in range(25)}
    return spec(paths, version, schemas)


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_large_spec_is_crash_free_and_not_noisy(version: str) -> None:
    doc = large_spec(2000, version)
    report = audit(doc, now=NOW)
    assert report.stats["rule_errors"] == [] and report.stats["operations"] == 2000
    per_operation = Counter(f.location.operation for f in report.findings if f.location.operation)
    assert max(per_operation.values()) <= 3


GITHUB_SPEC = Path(__file__).resolve().parents[3] / "bench" / "results" / "specs" / "api.github.com.json"


@pytest.mark.skipif(not GITHUB_SPEC.exists(), reason="GitHub's spec is fetched by `make bench-audit` (npm)")
def test_githubs_published_spec_is_crash_free_and_every_finding_is_located() -> None:
    from bastion.openapi import load_document

    report = audit(load_document(GITHUB_SPEC), now=NOW)
    assert report.stats["rule_errors"] == [] and report.stats["operations"] > 1000
    assert report.stats["risk_findings_per_operation"] <= 3
    assert all(f.location.line and f.location.column for f in report.findings)


def test_swagger2_specs_are_audited_with_positions_in_the_swagger_file() -> None:
    from bastion.openapi import load_document

    spec = Path(__file__).resolve().parents[2] / "fixtures" / "specs" / "loader" / "petstore-swagger2.yaml"
    report = audit(load_document(spec), now=NOW)
    lines = spec.read_text().splitlines()
    located = {f.rule_id: lines[(f.location.line or 0) - 1].strip() for f in report.findings}
    assert located["auth.http-basic"] == "basic: {type: basic}"
    assert located["auth.oauth-weak-flow"] == "oauth:"
    assert located["data.sensitive-response"] == "card_number: {type: string}"
    assert located["data.verbose-errors"].startswith("schema:")
    assert located["input.upload-size"] == "- {name: file, in: formData, type: file, required: true}"
    assert located["transport.http-url"] == "host: petstore.example.com"


def test_role_is_mass_assignment_only_when_the_body_is_the_returned_model() -> None:
    member = {"type": "object", "properties": {"email": {"type": "string"}, "role": {"type": "string"}}}
    invite = {"/invitations": {"post": accepts(member)}}
    assert fired(spec(invite), "data.mass-assignment") == []
    shared = {"/members": {"post": {**accepts({"$ref": "#/components/schemas/Member"}),
                                    **returns({"$ref": "#/components/schemas/Member"})}}}
    assert fired(spec(shared, schemas={"Member": member}), "data.mass-assignment") == [
        "POST /members accepts server-managed properties `role` without readOnly."]


def test_nested_ids_are_references_not_mass_assignment() -> None:
    body = {"type": "object", "properties": {"image": {"type": "object", "properties": {"id": {"type": "string"}}}}}
    assert fired(spec({"/runners": {"post": accepts(body)}}), "data.mass-assignment") == []


def test_one_finding_per_rule_and_place_keeps_fingerprints_unique() -> None:
    oauth = {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {"c": ""}}}}
    op = {"security": [{"oauth": ["a:read", "b:write"]}, {"ghost": [], "phantom": []}], "responses": {}}
    doc = spec({"/a": {"get": op}}, components={"securitySchemes": {"oauth": oauth}})
    report = audit(doc, now=NOW, rules=["auth.undefined-scheme", "auth.scope-problems"])
    assert [f.message for f in report.findings] == [
        "Security scheme(s) `ghost`, `phantom` used but not defined.",
        "GET /a requires undeclared scope(s) `a:read` (`oauth`), `b:write` (`oauth`).",
    ]
    assert len({f.fingerprint for f in report.findings}) == 2


def test_debug_and_database_setup_operations_are_flagged_high_when_open() -> None:
    ok = {"responses": {"200": {"description": "ok"}}}
    doc = spec({
        "/users/_debug": {"get": {**ok, "security": []}},
        "/actuator/env": {"get": ok},
        "/createdb": {"get": {**ok, "security": [{}]}},
        "/reset": {"post": {**ok, "summary": "Wipes the database and loads dummy data"}},
    })
    report = audit(doc, now=NOW, rules=["inventory.debug-operation"])
    got = {f.location.operation: (f.severity, f.message) for f in report.findings}
    assert got["GET /users/_debug"][0] is Severity.HIGH and "`debug`" in got["GET /users/_debug"][1]
    assert got["GET /createdb"][0] is Severity.HIGH  # optional security ({}) is no security
    assert got["GET /actuator/env"] == (Severity.MEDIUM, "GET /actuator/env is a debugging or set-up operation "
                                        "(path segment `actuator`).")
    assert "wipes the database" in got["POST /reset"][1]


def test_ordinary_operations_that_mention_debugging_or_databases_are_not_debug_operations() -> None:
    ok = {"responses": {"200": {"description": "ok"}}}
    doc = spec({
        "/databases": {"post": {**ok, "summary": "Creates the database for a project"}},
        "/requests/{id}": {"get": {**ok, "description": "Use the request id for debugging with support."}},
        "/tests/{id}": {"get": {**ok, "summary": "A laboratory test result"}},
        "/traces": {"get": {**ok, "summary": "Distributed traces of a service"}},
    })
    assert fired(doc, "inventory.debug-operation") == []


def _error(message: str) -> dict[str, Any]:
    schema = {"type": "object", "properties": {"message": {"type": "string", "example": message}}}
    return {"description": "Invalid request", "content": {"application/json": {"schema": schema}}}


def test_login_errors_that_say_which_credential_was_wrong_reveal_accounts() -> None:
    ok = {"200": {"description": "ok"}}
    doc = spec({
        "/users/v1/login": {"post": {"responses": {**ok, "400": _error(
            "Password is not correct for the given username.")}}},
        "/password/forgot": {"post": {"responses": {**ok, "404": {"description": "No such user"}}}},
        "/signup": {"post": {"responses": {**ok, "409": _error("Email already registered")}}},
    })
    assert fired(doc, "auth.account-enumeration") == [
        'POST /users/v1/login answers 400 with "password is not correct": it tells callers whether an account exists.',
        'POST /password/forgot answers 404 with "no such user": it tells callers whether an account exists.',
        'POST /signup answers 409 with "email already registered": it tells callers whether an account exists.',
    ]


def test_one_generic_login_error_and_ordinary_not_found_answers_pass() -> None:
    ok = {"200": {"description": "ok"}}
    doc = spec({
        "/login": {"post": {"responses": {**ok, "401": _error("Invalid username or password")}}},
        "/users/{id}": {"get": {"responses": {**ok, "404": _error("User not found")}}},
    })
    assert fired(doc, "auth.account-enumeration") == []
