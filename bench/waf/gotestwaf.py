"""The ``fresh4`` split: GoTestWAF's test cases sent the way GoTestWAF sends them.

GoTestWAF (github.com/wallarm/gotestwaf, MIT) multiplies each test case's payloads by its encoders and
placeholders. This module re-implements the encoders and placeholders from its
``internal/payload/encoder/*.go`` and ``internal/payload/placeholder/*.go`` (read, not copied), so that
``build.py`` produces the requests GoTestWAF would send:

- encoders: ``Plain``; ``URL`` (Go's ``url.QueryEscape``: space as ``+``); ``Base64`` and ``Base64Flat``
  (standard alphabet, ``=`` removed); ``JSUnicode`` (every UTF-16 unit as ``\\uXXXX``); ``XMLEntity``
  (Go's ``xml.Encoder`` on a string: ``<string>`` + escaped text + ``</string>``).
- placeholders: ``URLPath`` (``/<payload>``, escaped as Go's ``url.URL`` does), ``URLParam``
  (``/?<random>=<payload>``, raw), ``Header`` (``X-<random>: <payload>``), ``UserAgent``, ``HTMLForm``
  (``<random>=<payload>``, raw, form-urlencoded), ``HTMLMultipartForm`` (one field, Go's multipart
  writer), ``JSONRequest`` (``{"test":true, "<random>": "<JSUnicode(payload)>"}``), ``JSONBody`` and
  ``XMLBody`` (the payload is the body), ``SOAPBody`` (a SOAP envelope, the payload XML-entity
  encoded), ``RequestBody`` and ``NonCRUDRequestBody`` (raw body, no media type), ``GraphQL``
  (``GET /graphql?query=…``) and ``RawRequest`` (the case's own template).

A request Go's ``net/http`` would refuse to build (a control character in the URL, a bad ``%`` escape
in the path, a control character in a header value) is not sent by GoTestWAF either and is left out.
The random parameter names come from a fixed seed, so the corpus is deterministic.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any
from urllib.parse import quote, quote_plus

UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
BASE_HEADERS = [["user-agent", UA], ["accept", "*/*"], ["accept-encoding", "gzip"]]
_PATH_OK = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@\[\]/%]*")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
SOAP = """<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
\txmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
\t<soapenv:Header>
\t\t<ns1:RequestHeader soapenv:actor="http://schemas.xmlsoap.org/soap/actor/next"
               soapenv:mustUnderstand="0" xmlns:ns1="https://www.google.com/apis/ads/publisher/v202002">
\t\t</ns1:RequestHeader>
\t</soapenv:Header>
\t<soapenv:Body>
\t\t<getAdUnitsByStatement xmlns="https://www.google.com/apis/ads/publisher/v202002">
\t\t\t<filterStatement>
\t\t\t\t<{name}>{value}</{name}>
\t\t\t</filterStatement>
\t\t</getAdUnitsByStatement>
\t</soapenv:Body>
</soapenv:Envelope>"""


def random_hex(seed: str, n: int = 5) -> str:
    """GoTestWAF's ``RandomHex(5)``: ten hex digits (here derived from ``seed``, for a stable corpus)."""
    return hashlib.sha256(seed.encode()).hexdigest()[: 2 * n]


def _xml_escape(text: str) -> str:
    table = {'"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\t": "&#x9;", "\n": "&#xA;",
             "\r": "&#xD;"}
    return "".join(table.get(ch, ch if ch >= " " or ch in "\t\n\r" else "\ufffd") for ch in text)


def encode(encoder: str, payload: str) -> str:
    if encoder == "Plain":
        return payload
    if encoder == "URL":
        return quote_plus(payload, safe="-_.~")
    if encoder in ("Base64", "Base64Flat"):
        out = base64.b64encode(payload.encode()).decode()
        return out.replace("=", "") if encoder == "Base64Flat" else out
    if encoder == "JSUnicode":
        raw = payload.encode("utf-16-be", errors="surrogatepass")
        return "".join(f"\\u{raw[i]:02x}{raw[i + 1]:02x}" for i in range(0, len(raw), 2))
    if encoder == "XMLEntity":
        return "<string>" + _xml_escape(payload) + "</string>"
    raise ValueError(f"unknown encoder {encoder}")


def _go_url(path: str, query: str | None) -> str | None:
    """The request target Go's ``http.NewRequest`` + client would send, or ``None`` if it refuses."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in path + (query or "")):
        return None
    path = path.split("#", 1)[0]
    if query is None and "?" in path:
        path, query = path.split("?", 1)
    if query is not None:
        query = query.split("#", 1)[0]
    if _BAD_ESCAPE.search(path):
        return None
    if not _PATH_OK.fullmatch(path):
        # Go's EscapedPath: the raw form is not a valid encoding, so the decoded path is re-escaped
        from urllib.parse import unquote

        path = quote(unquote(path, errors="surrogateescape"), safe="$&+,/:;=@-_.~")
    if query is not None:
        # Go sends RawQuery as is; a space or non-ASCII byte there would not survive any HTTP parser
        # (nor Python's http.client), so only those are escaped.
        query = "".join(c if 0x20 < ord(c) < 0x7F else quote(c, safe="") for c in query)
        return path + "?" + query
    return path


def place(placeholder: str, payload: str, seed: str, case: dict[str, Any]) -> dict[str, Any] | None:
    """One request (method, target, headers, body) carrying the already encoded ``payload``."""
    name = random_hex(seed)
    headers = [list(h) for h in BASE_HEADERS]
    req: dict[str, Any] = {"method": "GET", "target": "/", "headers": headers, "body": None}
    if placeholder == "URLPath":
        target = _go_url("/" + payload, None)
    elif placeholder == "URLParam":
        target = _go_url("/", f"{name}={payload}")
    elif placeholder == "GraphQL":
        target = "/graphql?query=" + quote_plus(payload, safe="-_.~")
    else:
        target = "/"
    if target is None:
        return None
    req["target"] = target
    if placeholder in ("Header", "UserAgent"):
        if any((ord(c) < 0x20 and c != "\t") or ord(c) == 0x7F for c in payload):
            return None
        hname = "user-agent" if placeholder == "UserAgent" else "x-" + name
        value = "".join(c if ord(c) < 0x80 else quote(c, safe="") for c in payload)
        headers[:] = [h for h in headers if h[0] != hname] + [[hname, value]]
        return req
    if placeholder in ("URLPath", "URLParam", "GraphQL"):
        return req
    req["method"] = "POST"
    ctype: str | None
    if placeholder == "HTMLForm":
        body, ctype = f"{name}={payload}", "application/x-www-form-urlencoded"
    elif placeholder == "HTMLMultipartForm":
        boundary = hashlib.sha256(("b" + seed).encode()).hexdigest()[:60]
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{payload}'
                f"\r\n--{boundary}--\r\n")
        ctype = f"multipart/form-data; boundary={boundary}"
    elif placeholder == "JSONRequest":
        body = '{"test":true, "' + name + '": "' + encode("JSUnicode", payload) + '"}'
        ctype = "application/json"
    elif placeholder == "JSONBody":
        body, ctype = payload, "application/json"
    elif placeholder == "XMLBody":
        body, ctype = payload, "text/xml"
    elif placeholder == "SOAPBody":
        body = SOAP.format(name="ab" + name, value=encode("XMLEntity", payload))
        ctype = "text/xml"
        headers.append(["soapaction", '"http://schemas.xmlsoap.org/soap/actor/next"'])
    elif placeholder in ("RequestBody", "NonCRUDRequestBody"):
        body, ctype = payload, None
    elif placeholder == "RawRequest":
        raw = case["raw_request"]
        req["method"], req["target"] = raw["method"], raw["path"]
        body = raw["body"].replace("{{payload}}", payload)
        ctype = None
        for k, v in raw.get("headers", {}).items():
            headers[:] = [h for h in headers if h[0] != k.lower()] + [[k.lower(), v]]
    else:
        raise ValueError(f"unknown placeholder {placeholder}")
    if ctype is not None:
        headers.append(["content-type", ctype])
    req["body"] = body
    return req


BENIGN_PLACEHOLDERS = ("URLPath", "URLParam", "Header", "HTMLForm", "HTMLMultipartForm", "JSONRequest", "SOAPBody")
BENIGN_ENCODERS = ("Plain", "URL", "Base64Flat")


def build(here: Any, split: str = "fresh4") -> list[dict[str, Any]]:
    """Every GoTestWAF request of the split: attacks by case × encoder × placeholder, each sent once
    (cases repeated across GoTestWAF versions collapse), then the false-positive texts: first exactly as
    GoTestWAF sends them (category ``texts``), then in every other placeholder and encoder the attack
    cases use (``texts-more``), to measure false positives with more than 51 requests."""
    cases: dict[str, dict[str, Any]] = json.loads((here / "gotestwaf_cases.json").read_text())
    attacks: dict[str, list[str]] = json.loads((here / f"attacks_{split}.json").read_text())
    benign: dict[str, list[str]] = json.loads((here / f"benign_{split}.json").read_text())
    items: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str, int]] = set()

    def add(label: str, cls: str, idx: int, payload: str, enc: str, ph: str, case: dict[str, Any]) -> None:
        key = (payload, enc, ph, case.get("pad_a", 0))
        if key in seen:
            return
        seen.add(key)
        body = encode(enc, payload)
        if case.get("pad_a"):
            body = "A" * case["pad_a"] + body
        req = place(ph, body, f"{cls}-{idx}-{enc}-{ph}", case)
        if req is None:
            return
        items.append({"id": f"{split}-{cls}-{idx}-{ph}-{enc}", "label": label, "class": cls, "location": ph,
                      "encoder": enc, "split": split, **req})

    for cls, payloads in attacks.items():
        case = cases[cls]
        for i, payload in enumerate(payloads):
            for enc in case["encoders"]:
                for ph in case["placeholders"]:
                    add("attack", cls, i, payload, enc, ph, case)
    for cls, values in benign.items():
        case = cases[cls]
        for i, value in enumerate(values):
            for enc in case["encoders"]:
                for ph in case["placeholders"]:
                    add("benign", cls, i, value, enc, ph, case)
        for i, value in enumerate(values):
            for enc in BENIGN_ENCODERS:
                for ph in BENIGN_PLACEHOLDERS:
                    add("benign", cls + "-more", i, value, enc, ph, case)
    return items
