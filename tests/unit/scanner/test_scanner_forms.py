"""Unit: form bodies (an OAuth2 password grant at ``/token``) are built, sent form-encoded and logged in with."""

from __future__ import annotations

from pathlib import Path

from scanner_support import drive, ok

from bastion.scanner.context import ScanContext
from bastion.scanner.identities import login_request, login_secret, login_user
from bastion.scanner.messages import ProbeRequest, ProbeResponse
from bastion.scanner.probes.attempts import AttemptsProbe
from bastion.scanner.spec import load_operations

TOKEN_SPEC = """\
openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /token:
    post:
      operationId: login_for_access_token_token_post
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [username, password]
              properties:
                grant_type: {anyOf: [{type: string, pattern: password}, {type: "null"}]}
                username: {type: string}
                password: {type: string}
      responses: {"200": {description: a bearer token}}
"""


def token_context(tmp_path: Path) -> ScanContext:
    spec = tmp_path / "token.yaml"
    spec.write_text(TOKEN_SPEC)
    return ScanContext(load_operations(spec), target="http://api.test", allow_unsafe=True)


def test_a_form_body_is_built_with_the_form_content_type_and_sent_form_encoded(tmp_path: Path) -> None:
    ctx = token_context(tmp_path)
    op = ctx.operations[0]
    assert op.form and set(op.body["properties"]) == {"grant_type", "username", "password"}
    request = ctx.build(op, None)
    assert request is not None and request.is_form
    assert request.json["grant_type"] == "password"  # a pattern without metacharacters is its one word
    assert request.content().startswith(b"grant_type=password&username=")  # not JSON


def test_a_login_flow_with_form_fields_logs_in_form_encoded() -> None:
    flow = {"request": {"method": "POST", "path": "/token", "form": {"username": "alice", "password": "s3cret"}},
            "token": "access_token"}
    request = login_request(flow)
    assert request.is_form and request.content() == b"username=alice&password=s3cret"
    assert login_secret(flow) == "s3cret" and login_user(request.json) == "alice"
    assert login_request(flow, secret="n3w").content() == b"username=alice&password=n3w"


def test_a_form_login_without_attempt_limits_is_found(tmp_path: Path) -> None:
    ctx = token_context(tmp_path)
    bodies: list[bytes] = []

    def respond(request: ProbeRequest) -> ProbeResponse:
        bodies.append(request.content())
        return ok({"detail": "Incorrect username or password"}, 401)

    drive(AttemptsProbe().run(ctx), respond)
    assert [(f.rule_id, f.location.operation) for f in ctx.findings] == [("auth.no-attempt-limit", "POST /token")]
    assert len(bodies) == 25 and all(b"password=wrong-" in b for b in bodies)
