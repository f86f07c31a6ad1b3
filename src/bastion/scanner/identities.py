"""Who the scanner is: identities from ``--auth`` headers or a login-flow file.

A login flow is YAML::

    identities:
      a:
        request: {method: POST, path: /api/v1/auth/login, json: {username: alice, password: "..."}}
        token: token                      # dotted path to the token in the JSON answer
        header: "Authorization: Bearer {token}"
      b:
        request: {method: POST, path: /token, form: {username: bob, password: "..."}}   # a form body
        token: access_token               # (an OAuth2 password grant)
      b: {...}
      admin: {...}

The login requests go to the target only, like every other request. An identity keeps its flow, so
the engine can log it in again when its token expires mid-scan and the credential-change check can
prove a changed password by logging in with it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from bastion.errors import BastionError
from bastion.redaction.fieldnames import secret_field
from bastion.scanner.context import Identity
from bastion.scanner.messages import FORM, ProbeRequest, ProbeResponse

Send = Callable[[ProbeRequest], Awaitable[ProbeResponse]]


class LoginError(BastionError):
    """An identity could not log in; the message names the identity and the status, never credentials."""


def parse_header(text: str) -> tuple[str, str]:
    """``"Authorization: Bearer x"`` -> (name, value); a bare token becomes a bearer header."""
    name, sep, value = text.partition(":")
    if not sep or " " in name.strip():
        return "Authorization", f"Bearer {text.strip()}"
    return name.strip(), value.strip()


def from_headers(name: str, headers: Sequence[str]) -> Identity | None:
    return Identity(name, tuple(parse_header(h) for h in headers)) if headers else None


def load_flow(path: str | Path) -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    ids = data.get("identities") if isinstance(data, dict) else None
    if not isinstance(ids, dict):
        raise LoginError(f"{path}: expected a mapping 'identities: {{a: ..., b: ...}}'")
    return {str(k): v for k, v in ids.items() if isinstance(v, dict)}


def _dig(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def login_body(spec: dict[str, Any]) -> Any:
    """The flow's login body: its ``json``, else its ``form`` fields."""
    raw = spec.get("request") or {}
    return raw.get("json") if raw.get("json") is not None else raw.get("form")


def login_request(spec: dict[str, Any], secret: str | None = None) -> ProbeRequest:
    """The flow's login request; with ``secret``, every password-like field set to it instead."""
    raw = spec.get("request") or {}
    body = login_body(spec)
    if secret is not None and isinstance(body, dict):
        body = {k: secret if secret_field(str(k)) else v for k, v in body.items()}
    headers = tuple(parse_header(h) for h in raw.get("headers") or [])
    if raw.get("json") is None and raw.get("form") is not None:
        headers += (("Content-Type", FORM),)
    return ProbeRequest(str(raw.get("method", "POST")).upper(), str(raw.get("path", "/")),
                        tuple((str(k), str(v)) for k, v in (raw.get("query") or {}).items()),
                        headers, json=body, purpose="login")


def token_from(spec: dict[str, Any], response: ProbeResponse) -> str | None:
    """The token a login answer carries at the flow's ``token`` path, or None (failed login)."""
    token = _dig(response.json(), str(spec.get("token", "token")))
    return token if response.ok and isinstance(token, str) and token else None


def login_user(body: Any) -> str | None:
    """Who a login body names: its ``username``, else its first string field that is not a secret."""
    if not isinstance(body, dict):
        return None
    if isinstance(body.get("username"), str):
        return str(body["username"])
    return next((v for k, v in body.items() if isinstance(v, str) and not secret_field(str(k))), None)


def auth_header(spec: dict[str, Any], token: str) -> tuple[str, str]:
    """The header the flow sends ``token`` in (``Authorization: Bearer {token}`` unless it says)."""
    return parse_header(str(spec.get("header", "Authorization: Bearer {token}")).replace("{token}", token))


def login_secret(spec: dict[str, Any]) -> str | None:
    """The password the flow logs in with (its first password-like JSON field), if it has one."""
    body = login_body(spec)
    if not isinstance(body, dict):
        return None
    return next((str(v) for k, v in body.items() if secret_field(str(k))), None)


async def login(name: str, spec: dict[str, Any], send: Send) -> Identity:
    request = login_request(spec)
    response = await send(request)
    token = token_from(spec, response)
    if token is None:
        raise LoginError(f"identity {name!r} could not log in (HTTP {response.status or response.blocked})")
    header = auth_header(spec, token)
    username = spec.get("username") or login_user(request.json)
    return Identity(name, (header,), str(username) if username else None, flow=spec)
