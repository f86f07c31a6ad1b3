"""API3 excessive data exposure: response properties the spec does not document.

Passive: it reads the successful baseline answers already logged. Undocumented properties with
sensitive names (password, token, api_key, ssn...) or values that look like secrets or personal data
are a high-severity finding; other undocumented properties a low one. One finding per operation.

An answer whose schema the spec leaves out (``content: {}``) documents nothing, so every property
would be "undocumented": there only credentials (passwords, password hashes, API and private keys)
are reported, as nothing else in a listing is secret by its name alone.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from bastion.redaction import inventory
from bastion.scanner.context import Exchange, ScanContext
from bastion.scanner.messages import Flow
from bastion.scanner.probes.base import report

CREDENTIAL = re.compile(r"^(pass(word|wd)?|pwd)$|password|passwd|api_?key|private_?key|secret_?key|client_?secret",
                        re.I)
SENSITIVE = re.compile(r"pass(word|wd)?|pwd|secret|token|api_?key|private|ssn|social|card|cvv|iban|hash|salt|otp|"
                       r"mfa|credential|session", re.I)


def undocumented(data: Any, schema: dict[str, Any] | None, path: str = "", depth: int = 0) -> dict[str, Any]:
    """``{json path: value}`` of properties ``schema`` does not declare."""
    if not isinstance(schema, dict) or depth > 8:
        return {}
    out: dict[str, Any] = {}
    if isinstance(data, list) and isinstance(schema.get("items"), dict):
        for item in data[:20]:
            out.update(undocumented(item, schema["items"], path + "[]", depth + 1))
    elif isinstance(data, dict):
        props = schema.get("properties")
        if not isinstance(props, dict) or schema.get("additionalProperties") not in (None, False):
            return out
        for key, value in data.items():
            if key in props:
                out.update(undocumented(value, props[key], f"{path}.{key}", depth + 1))
            else:
                out[f"{path}.{key}".lstrip(".")] = value
    return out


class ExposureProbe:
    id: ClassVar[str] = "exposure"
    phase: ClassVar[int] = 7

    def run(self, ctx: ScanContext) -> Flow:
        seen: set[str] = set()
        for exchange in list(ctx.log):
            request, response = exchange.request, exchange.response
            op = ctx.operation(request.method, request.operation.split(" ", 1)[-1]) if request.operation else None
            if op is None or request.purpose != "baseline" or not response.ok or op.label in seen:
                continue
            schema = op.responses.get(str(response.status))
            if schema is None:
                yield from self._credentials(ctx, exchange, seen)
                continue
            extra = undocumented(response.json(), schema)
            if not extra:
                continue
            seen.add(op.label)
            names = sorted({p.rsplit(".", 1)[-1].removesuffix("[]") for p in extra})
            categories = sorted(c.value for c in inventory(extra))
            sensitive = [n for n in names if SENSITIVE.search(n)]
            if sensitive or categories:
                what = ", ".join(sensitive + [f"{c} data" for c in categories])
                report(ctx, "bopla.sensitive-property",
                       f"{op.label} returns undocumented sensitive properties: {what}.", request, response,
                       operation=op.label)
            else:
                report(ctx, "bopla.undocumented-property",
                       f"{op.label} returns properties the spec does not document: {', '.join(names)}.",
                       request, response, operation=op.label)
        yield from ()

    def _credentials(self, ctx: ScanContext, exchange: Exchange, seen: set[str]) -> Flow:
        names = sorted({k for k, v in credentials(exchange.response.json())})
        if names:
            seen.add(exchange.request.operation)
            report(ctx, "bopla.sensitive-property", f"{exchange.request.operation} returns credentials: "
                   f"{', '.join(names)} (the spec documents no schema for this answer).",
                   exchange.request, exchange.response)
        yield from ()


def credentials(data: Any, depth: int = 0) -> list[tuple[str, Any]]:
    """(name, value) of non-empty string properties named like credentials, anywhere in ``data``."""
    if depth > 8:
        return []
    if isinstance(data, list):
        return [c for item in data[:50] for c in credentials(item, depth + 1)]
    if not isinstance(data, dict):
        return []
    out = [(k, v) for k, v in data.items() if isinstance(v, str) and v and CREDENTIAL.search(k)]
    return out + [c for v in data.values() if isinstance(v, dict | list) for c in credentials(v, depth + 1)]
