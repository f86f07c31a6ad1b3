"""Evidence for a finding: request and response excerpts with secrets redacted, and a ``curl`` line.

Credentials never appear: the engine's identity headers become ``$AUTH_A``-style placeholders, JWTs
and secret-named JSON fields are masked, and bodies are cut to a short excerpt.
"""

from __future__ import annotations

import re
import shlex
from typing import Any
from urllib.parse import urlencode

import orjson

from bastion.findings.model import Evidence
from bastion.redaction import logsafe
from bastion.scanner.messages import ProbeRequest, ProbeResponse

EXCERPT = 600
SECRET_KEYS = re.compile(r"pass|secret|token|api_?key|hash|otp|credential|private|session", re.I)
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
SHOWN_HEADERS = ("content-type", "location", "access-control-allow-origin", "access-control-allow-credentials",
                 "server", "x-powered-by", "retry-after")


def mask_value(value: str) -> str:
    return value[:4] + "…[redacted]" if len(value) > 8 else "[redacted]"


def redact(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: (mask_value(v) if isinstance(v, str) and SECRET_KEYS.search(str(k)) else redact(v))
                for k, v in data.items()}
    if isinstance(data, list):
        return [redact(v) for v in data[:20]]
    if isinstance(data, str):
        return JWT.sub(lambda m: m.group(0)[:10] + "…[redacted]", data)
    return data


def redact_text(body: bytes) -> str:
    try:
        text = orjson.dumps(redact(orjson.loads(body))).decode()
    except orjson.JSONDecodeError:
        text = JWT.sub("[redacted JWT]", body.decode("utf-8", errors="replace"))
    text = logsafe.redact_text(text)
    return text if len(text) <= EXCERPT else text[:EXCERPT] + f"… ({len(text)} chars)"


def _headers(request: ProbeRequest) -> list[tuple[str, str]]:
    out = []
    if request.identity:
        out.append(("Authorization", f"$AUTH_{request.identity.upper()}"))
    for key, value in request.headers:
        shown = redact(value) if key.lower() not in ("authorization", "cookie") else mask_value(value)
        out.append((key, shown))
    if request.json is not None:
        out.append(("Content-Type", "application/json"))
    return out


def _url(base: str, request: ProbeRequest) -> str:
    query = [(k, mask_value(v) if SECRET_KEYS.search(k) else v) for k, v in request.query]
    return base.rstrip("/") + request.path + (("?" + urlencode(query)) if query else "")


def _body(request: ProbeRequest) -> str:
    if request.json is not None:
        text = orjson.dumps(redact(request.json)).decode()
    elif request.body:
        text = request.body[:200].decode("utf-8", errors="replace")
    else:
        return ""
    return text if len(text) <= EXCERPT else text[:EXCERPT] + f"… ({len(text)} chars)"


def evidence(base: str, request: ProbeRequest, response: ProbeResponse | None, notes: str = "") -> Evidence:
    url = _url(base, request)
    headers = _headers(request)
    body = _body(request)
    req_text = f"{request.method} {url}\n" + "".join(f"{k}: {v}\n" for k, v in headers) + (f"\n{body}" if body else "")
    curl = ["curl", "-i", "-X", request.method, url]
    for key, value in headers:
        curl += ["-H", f"{key}: {value}"]
    if body:
        curl += ["--data", body]
    resp_text = ""
    if response is not None:
        shown = [(k, v) for k, v in response.headers if k.lower() in SHOWN_HEADERS]
        resp_text = (f"HTTP {response.status} ({response.elapsed * 1000:.0f} ms)\n"
                     + "".join(f"{k}: {v}\n" for k, v in shown) + "\n" + redact_text(response.body))
    line = " ".join(shlex.quote(part) if not part.startswith("Authorization: $") else f'"{part}"' for part in curl)
    return Evidence(request=req_text, response=resp_text, curl=line, notes=notes)
