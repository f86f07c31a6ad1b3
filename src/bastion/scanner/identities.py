"""Who the scanner is: identities from ``--auth`` headers or a login-flow file.

A login flow is YAML::

    identities:
      a:
        request: {method: POST, path: /api/v1/auth/login, json: {username: alice, password: "..."}}
        token: token                      # dotted path to the token in the JSON answer
        header: "Authorization: Bearer {token}"
      b: {...}
      admin: {...}

The login requests go to the target only, like every other request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from bastion.errors import BastionError
from bastion.scanner.context import Identity
from bastion.scanner.messages import ProbeRequest, ProbeResponse

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


async def login(name: str, spec: dict[str, Any], send: Send) -> Identity:
    raw = spec.get("request") or {}
    body = raw.get("json")
    request = ProbeRequest(str(raw.get("method", "POST")).upper(), str(raw.get("path", "/")),
                           tuple((str(k), str(v)) for k, v in (raw.get("query") or {}).items()),
                           tuple(parse_header(h) for h in raw.get("headers") or []), json=body, purpose="login")
    response = await send(request)
    token = _dig(response.json(), str(spec.get("token", "token")))
    if not response.ok or not isinstance(token, str):
        raise LoginError(f"identity {name!r} could not log in (HTTP {response.status or response.blocked})")
    header = parse_header(str(spec.get("header", "Authorization: Bearer {token}")).replace("{token}", token))
    username = spec.get("username") or (body.get("username") if isinstance(body, dict) else None)
    return Identity(name, (header,), str(username) if username else None)
