"""Who a limit counts: the key selectors of the ``rate_limit`` policy.

``ip``, ``route``, ``subject``, ``client_id``, ``api_key``, ``claim:<name>`` or ``header:<name>``.
A selector that needs a principal falls back to the client IP when the caller is anonymous (so an
unauthenticated flood is still limited, per address). Values are hashed before they become store
keys: subjects and claims can be personal data, and keys end up in Redis and its dumps.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.chain.exchange import Exchange

Selector = Callable[["Exchange"], str]

def parse_selector(spec: str) -> Selector:
    """Compile a selector once, at config load. Raises ``ValueError`` on an unknown one."""
    kind, _, arg = spec.partition(":")
    if not arg and kind in _SIMPLE:
        return _SIMPLE[kind]
    if kind == "claim" and arg:
        return _claim(arg)
    if kind == "header" and arg:
        return _header(arg.lower())
    known = ", ".join(_SIMPLE)
    raise ValueError(f"unknown key {spec!r}; expected one of {known}, claim:<name>, header:<name>")


def digest(value: str) -> str:
    return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def _ip(ex: Exchange) -> str:
    return "ip=" + ex.request.client_ip


def _route(ex: Exchange) -> str:
    return "route"


def _subject(ex: Exchange) -> str:
    p = ex.principal
    return "sub=" + p.subject if p is not None else _ip(ex)


def _client_id(ex: Exchange) -> str:
    p = ex.principal
    return "client=" + p.client_id if p is not None and p.client_id else _ip(ex)


def _api_key(ex: Exchange) -> str:
    """The key's id (the api_key policy puts it in ``client_id``; its owner is the subject)."""
    p = ex.principal
    if p is None or p.method != "api_key":
        return _ip(ex)
    return "key=" + (p.client_id or p.subject)


def _claim(name: str) -> Selector:
    def select(ex: Exchange) -> str:
        p = ex.principal
        value = p.claims.get(name) if p is not None else None
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return f"claim.{name}={value}"
        return _ip(ex)

    return select


def _header(name: str) -> Selector:
    def select(ex: Exchange) -> str:
        value = ex.request.headers.get(name)
        return f"h.{name}={value}" if value else _ip(ex)

    return select


_SIMPLE: dict[str, Selector] = {
    "ip": _ip, "route": _route, "subject": _subject, "client_id": _client_id, "api_key": _api_key,
}
