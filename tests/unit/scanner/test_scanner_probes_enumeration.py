"""Unit: user enumeration at a login. "Unknown user" against "known user, wrong password" is one
discrepancy with one meaning (the account exists), so it is one finding, whatever the messages call it;
brute-forcing the password of an account found that way is ``auth.no-attempt-limit``'s finding."""

from __future__ import annotations

from scanner_support import drive, ok

from bastion.scanner.context import Identity, ScanContext
from bastion.scanner.messages import ProbeRequest, ProbeResponse
from bastion.scanner.probes.enumeration import EnumerationProbe
from bastion.scanner.spec import ScanOperation

LOGIN = ScanOperation("POST", "/users/v1/login", "login_user", (), [], {"type": "object", "properties": {
    "username": {"type": "string"}, "password": {"type": "string"}}}, {}, secured=False)


def login_api() -> ScanContext:
    ctx = ScanContext([LOGIN], target="http://api.test", allow_unsafe=True)
    ctx.identities["a"] = Identity("a", (("Authorization", "Bearer a"),), username="name1")
    return ctx


def vampi_like(request: ProbeRequest) -> ProbeResponse:
    if request.json["username"] == "name1":
        return ok({"status": "fail", "message": "Password is not correct for the given username."})
    return ok({"status": "fail", "message": "Username does not exist"})


def test_different_messages_for_unknown_user_and_wrong_password_are_one_enumeration_finding() -> None:
    ctx = login_api()
    sent = drive(EnumerationProbe().run(ctx), vampi_like)
    assert "name1" in [r.json["username"] for r in sent] and len(sent) == 2
    assert [(f.rule_id, f.cwe, f.owasp) for f in ctx.findings] == [("auth.user-enumeration", 204, "API2:2023")]


def test_one_answer_for_both_is_no_finding() -> None:
    ctx = login_api()
    drive(EnumerationProbe().run(ctx), lambda r: ok({"status": "fail", "message": "Username or Password Incorrect!"}))
    assert ctx.findings == []
