"""API9 inventory: endpoints that answer but are not in the spec.

Common debug, admin, documentation, environment and actuator paths, and other versions of the spec's
own paths (``/v1/`` -> ``/v0/``, ``/v2/``), are requested without and with identity A's credentials.
A 2xx answer that differs from the answer to a random path (so catch-all pages do not count) is a
finding; environment files and debug endpoints are high severity. A documentation path that serves the
scanned API's own description (no path beyond the spec's) is not one.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import orjson
import yaml

from bastion.findings.model import Severity
from bastion.scanner.context import ScanContext
from bastion.scanner.idbank import SELF_SEGMENTS
from bastion.scanner.messages import Flow, ProbeRequest, send
from bastion.scanner.payloads import wordlist
from bastion.scanner.probes.base import report

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover (PyYAML without libyaml)
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

VERSION = re.compile(r"/v(\d+)/")
SENSITIVE = ("/.env", "/.git", "/debug", "/actuator/env", "/actuator/heapdump", "/phpinfo", "/config")
DOCS = ("swagger", "openapi", "api-docs")


MAX_DOCUMENT = 1 << 20


def _document(body: bytes) -> Any:
    """A served JSON or YAML document (specs come in both), or ``None``."""
    if not body or len(body) > MAX_DOCUMENT:
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    try:
        return yaml.load(body, Loader=_SafeLoader)
    except yaml.YAMLError:
        return None


def publishes_the_spec(doc: Any, documented: set[str]) -> bool:
    """True when a documentation path serves an OpenAPI/Swagger document of the scanned API: it describes
    only paths the scan's spec has. A document that describes others reveals shadow endpoints: a finding."""
    if not isinstance(doc, dict) or not ("openapi" in doc or "swagger" in doc):
        return False
    paths = doc.get("paths")
    return isinstance(paths, dict) and bool(paths) and set(paths) <= documented


def version_variants(ctx: ScanContext) -> list[str]:
    out: list[str] = []
    for op in ctx.operations:
        if op.method != "GET" or op.path_params:
            continue
        match = VERSION.search(op.path)
        if match is None:
            continue
        current = int(match.group(1))
        rest = op.path[match.end():].split("/")
        tails = {"/".join(rest), "/".join(s for s in rest if s.lower() not in SELF_SEGMENTS)}
        for other in (current - 1, current + 1):
            for tail in sorted(tails):
                path = op.path[: match.start()] + f"/v{other}/" + tail
                if other >= 0 and path not in out and ctx.operation("GET", path) is None:
                    out.append(path)
    return out[:24]


class InventoryProbe:
    id: ClassVar[str] = "inventory"
    phase: ClassVar[int] = 1

    def run(self, ctx: ScanContext) -> Flow:
        documented = {op.path for op in ctx.operations}
        decoy = yield from send(ProbeRequest("GET", "/bastion-scan-no-such-path-7f3a"))
        identities = [None, "a"] if ctx.has("a") else [None]
        for path in [*wordlist("paths"), *version_variants(ctx)]:
            if path in documented:
                continue
            for identity in identities:
                request = ProbeRequest("GET", path, identity=identity)
                response = yield from send(request)
                if not response.ok or (decoy.ok and response.body == decoy.body):
                    continue
                severity = Severity.HIGH if path.startswith(SENSITIVE) else None
                if any(d in path for d in DOCS):
                    if publishes_the_spec(_document(response.body), documented):
                        break  # the API's own published description, nothing beyond what was scanned
                    severity = Severity.LOW
                report(ctx, "inventory.undocumented-path", f"GET {path} answers {response.status} but is not "
                       "in the spec.", request, response, operation=f"GET {path}", severity=severity)
                break
