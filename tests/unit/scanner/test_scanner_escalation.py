"""Unit: the role words the escalation check tries come from the API itself first."""

from __future__ import annotations

from scanner_support import baseline, context

from bastion.scanner.probes.escalation import candidates, role_fields, styled


def test_staff_words_take_the_letter_case_of_the_api_s_own_role_values() -> None:
    assert styled("admin", "Customer") == "Admin"
    assert styled("admin", "CUSTOMER") == "ADMIN"
    assert styled("admin", "customer") == "admin"


def test_the_admin_identity_s_own_role_is_tried_first_and_a_s_own_never() -> None:
    ctx = context(a="token-a", admin="token-admin")
    baseline(ctx, "GET /api/v1/users/me", "a", "/api/v1/users/me", {"username": "a", "role": "Customer"})
    baseline(ctx, "GET /api/v1/users/me", "admin", "/api/v1/users/me", {"username": "admin", "role": "Chef"})
    words = candidates(ctx, "role", "Customer")
    assert words[0] == "Chef" and "Employee" in words and "Customer" not in words


def test_a_bare_type_field_is_not_a_role() -> None:
    from bastion.scanner.spec import ScanOperation

    body = {"type": "object", "properties": {"type": {"type": "string"}, "amount": {"type": "number"}}}
    payment = ScanOperation("POST", "/payments", "pay", (), [], body, {}, secured=True)
    assert role_fields(payment) == ([], False)
