"""The caller assertion handed from the ``egress`` policy to the egress app inside one process.

The gateway authenticates the caller with its identity policies (``jwt``, ``api_key``, ``mtls`` …);
the ``egress`` policy then writes ``x-bastion-egress-caller`` on the forwarded request: the caller's
subject and client id, bound to the method, path and time, MACed with the service's per-process key.
The egress app accepts no call without a valid assertion, so reaching the app by another route, or a
caller sending the header itself, gets a 401 and never a partner credential.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import orjson

CALLER_HEADER = "x-bastion-egress-caller"
MAX_AGE = 60.0


def _mac(key: bytes, payload: bytes) -> str:
    return base64.urlsafe_b64encode(hmac.new(key, payload, hashlib.sha256).digest()).decode().rstrip("=")


def make_assertion(key: bytes, subject: str, client_id: str | None, method: str, path: str, now: float) -> str:
    payload = orjson.dumps([subject, client_id, method, path, int(now)])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + _mac(key, payload)


def read_assertion(key: bytes, value: str | None, method: str, path: str, now: float) -> tuple[str, str | None] | None:
    """``(subject, client_id)`` when the assertion is authentic, fresh and for this request."""
    if not value or value.count(".") != 1:
        return None
    body, mac = value.split(".")
    try:
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError:
        return None
    if not hmac.compare_digest(_mac(key, payload), mac):
        return None
    subject, client_id, a_method, a_path, stamp = orjson.loads(payload)
    if a_method != method or a_path != path or abs(now - stamp) > MAX_AGE:
        return None
    return str(subject), None if client_id is None else str(client_id)
