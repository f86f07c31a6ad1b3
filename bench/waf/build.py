"""Expand the hand-written payload and benign-value lists into the labelled request corpus.

    python bench/waf/build.py      # writes bench/waf/corpus.jsonl (deterministic)

Attack payloads (attacks_<split>.json) are placed in every location: path segment, query value,
header, cookie, nested JSON value, JSON key, form field and XML element. Benign values
(benign_<split>.json) go through the same locations, plus long texts and complete realistic API
requests. Splits: ``dev`` (tuned on), ``heldout``, ``fresh``, ``fresh2``, ``fresh3``, ``fresh6``, ``fresh7`` and
``fresh8`` (see README.md for what was measured on them before any change; fresh6's benign values are OpenAPI
example values, fresh7's are values from PRAW's recorded Reddit API interactions, fresh8's from octokit's recorded
GitHub API interactions, and each carries its own ``source`` note).
``fresh4`` is GoTestWAF's test cases, placed and encoded the way GoTestWAF does it (``gotestwaf.py``), not in the
eight locations above. ``fresh5`` is the payloads OWASP ZAP's
active scan rules send, placed the way ZAP's input vectors place them (``zap.py``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus
from xml.sax.saxutils import escape

try:
    from bench.waf import gotestwaf, zap
except ImportError:  # run as a script: python bench/waf/build.py
    import gotestwaf  # type: ignore[no-redef]
    import zap  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
LOCATIONS = ("path", "query", "header", "cookie", "json", "json_key", "form", "xml")
PRE_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}")
BASE_HEADERS = [
    [
        [
            "user-agent",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0 Safari/537.36",
        ],
        ["accept", "application/json, text/plain, */*"],
        ["accept-language", "en-US,en;q=0.9,de;q=0.8"],
        ["referer", "https://app.example.com/orders?page=2"],
    ],
    [
        ["user-agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) Gecko/20100101 Firefox/125.0"],
        ["accept", "*/*"],
        ["authorization", "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1LTEiLCJzY29wZSI6Im9yZGVyczpyZWFkIn0.c2ln"],
    ],
    [
        ["user-agent", "python-requests/2.31.0"],
        ["accept", "*/*"],
        ["accept-encoding", "gzip, deflate"],
        ["x-request-id", "9f1c2b7e-4d1a-4f3b-9a57-0c1d2e3f4a5b"],
    ],
    [
        ["user-agent", "PostmanRuntime/7.37.3"],
        ["accept", "*/*"],
        ["cache-control", "no-cache"],
        ["x-api-key", "k_live_3f9a8b7c6d5e4f3a2b1c"],
    ],
]
URL_CLASSES = {"ssrf"}
SPLITS = ("dev", "heldout", "fresh", "fresh2", "fresh3", "fresh6", "fresh7", "fresh8")


def _url_part(value: str) -> str:
    """A path segment: a value that already holds ``%xx`` is sent as it is (a traversal's ``..%2f`` is meant for
    the router to decode). Query and cookie values are always percent-encoded whole, so that their own ``&``,
    ``;`` or ``#`` cannot split them."""
    if PRE_ENCODED.search(value):
        return quote(value, safe="%/:=&?~#+!$,;'@()*[]")
    return quote(value, safe="")


def _header_value(value: str) -> str:
    out = []
    for ch in value:
        out.append(ch if 0x20 <= ord(ch) < 0x7F else quote(ch, safe=""))
    return "".join(out)


def _field(cls: str) -> str:
    return "callback_url" if cls in URL_CLASSES else "note"


def place(value: str, location: str, cls: str, n: int, name: str = "") -> dict[str, Any]:
    """One request carrying ``value`` at ``location`` (in a field called ``name``)."""
    headers = [list(h) for h in BASE_HEADERS[n % len(BASE_HEADERS)]]
    req: dict[str, Any] = {"method": "GET", "target": "/api/v1/orders", "headers": headers, "body": None}
    name = name or _field(cls)
    if location == "path":
        req["target"] = "/api/v1/orders/" + _url_part(value)
    elif location == "query":
        if value.startswith("["):
            req["target"] = f"/api/v1/orders?user{quote(value, safe='[]$=')}"
        else:
            req["target"] = f"/api/v1/orders?page=1&{name}={quote(value, safe='')}"  # arrives as given: its own
            # "&", ";", "#" or "%xx" stay in the value, not split into parameters or decoded
    elif location == "header":
        hname = "referer" if cls in URL_CLASSES else ("user-agent", "x-request-context", "x-client-info")[n % 3]
        headers[:] = [h for h in headers if h[0] != hname] + [[hname, _header_value(value)]]
    elif location == "cookie":
        headers.append(["cookie", f"theme=light; {name}={quote(value, safe='')}"])  # its own ";" stays in it
    else:
        req["method"] = "POST"
        req["body"], ctype = _body(value, location, name)
        headers.append(["content-type", ctype])
    return req


def _body(value: str, location: str, name: str) -> tuple[str, str]:
    if location == "form":
        return f"name=Alice&{name}={quote_plus(value)}&qty=2", "application/x-www-form-urlencoded"
    if location == "xml":
        if value.lstrip().startswith(("<?xml", "<!DOCTYPE", "<root", "<foo")):
            return value, "application/xml"
        return (f'<?xml version="1.0"?><order><id>42</id><{name}>{escape(value)}</{name}></order>', "application/xml")
    inner: Any = value
    if location == "json":
        try:
            parsed = json.loads(value)
            inner = parsed if isinstance(parsed, dict | list) else value
        except ValueError:
            pass
        doc = {"order": {"id": 42, "items": [{"sku": "A-1", name: inner}]}, "customer": {"name": "Alice"}}
    else:
        doc = {"order": {"id": 42, "attributes": {value: "1"}}}
    return json.dumps(doc, ensure_ascii=False), "application/json"


def _segment_like(value: str) -> bool:
    """Benign values that a client would plausibly put in a path segment (no spaces or slashes)."""
    return not re.search(r"[\s/\\]", value)


def _benign_field(category: str) -> str:
    return {
        "urls": "website",
        "emails": "email",
        "prices": "price",
        "names": "name",
        "tokens": "token",
        "queries": "q",
        "dsl": "filter",
        "versions": "version",
        "cron": "schedule",
        "regex": "pattern",
        "ips": "ip_address",
        "files": "filename",
        "html": "description",
    }.get(category, "comment")


def build() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    n = 0
    for split in SPLITS:
        attacks = json.loads((HERE / f"attacks_{split}.json").read_text())
        for cls, payloads in attacks.items():
            for p_i, payload in enumerate(payloads):
                for loc in LOCATIONS:
                    n += 1
                    items.append(
                        {
                            "id": f"{split}-{cls}-{p_i}-{loc}",
                            "label": "attack",
                            "class": cls,
                            "location": loc,
                            "split": split,
                            **place(payload, loc, cls, n),
                        }
                    )
        benign = _benign_values(json.loads((HERE / f"benign_{split}.json").read_text()))
        for category, values in benign.items():
            for v_i, value in enumerate(values):
                for loc in LOCATIONS:
                    if (
                        (loc == "json_key"
                        and len(value) > 40)
                        or (loc == "path"
                        and (len(value) > 60 or not _segment_like(value)))
                    ):
                        continue
                    n += 1
                    req = place(value, loc, "benign", n, _benign_field(category))
                    items.append(
                        {
                            "id": f"{split}-{category}-{v_i}-{loc}",
                            "label": "benign",
                            "class": category,
                            "location": loc,
                            "split": split,
                            **req,
                        }
                    )
        texts = [v for vs in benign.values() for v in vs if len(v) > 15]
        for k in range(6):
            long_text = " ".join(texts[k::3] * 3)[:4000]
            for loc in ("json", "form", "xml"):
                n += 1
                items.append(
                    {
                        "id": f"{split}-long-{k}-{loc}",
                        "label": "benign",
                        "class": "long",
                        "location": loc,
                        "split": split,
                        **place(long_text, loc, "benign", n),
                    }
                )
        items.extend(_documents(benign, split))
    items.extend(gotestwaf.build(HERE))
    items.extend(zap.build(HERE))
    return items


def _benign_values(doc: dict[str, Any]) -> dict[str, list[str]]:
    """Category -> values; a split whose file also records its source keeps the values under ``values``."""
    values: dict[str, list[str]] = doc["values"] if "values" in doc else doc
    return values


def _documents(benign: dict[str, list[str]], split: str) -> list[dict[str, Any]]:
    """Complete, realistic API requests that mix the benign values the way real clients do."""
    out: list[dict[str, Any]] = []
    benign = {**benign, "names": benign.get("names") or benign["apostrophes"]}
    pick = lambda cat, i: benign[cat][i % len(benign[cat])]  # noqa: E731
    comments = benign["prose"] + benign["code"] + benign["markdown"] + benign["multilingual"]
    for i in range(len(comments)):
        doc = {
            "customer": {"name": pick("names", i), "email": pick("emails", i), "website": pick("urls", i)},
            "order": {
                "id": f"ORD-{1000 + i}",
                "total": pick("prices", i),
                "currency": "EUR",
                "gift": i % 2 == 0,
                "lines": [
                    {"sku": f"SKU-{i}-{k}", "qty": k + 1, "note": comments[(i + k) % len(comments)]} for k in range(3)
                ],
            },
            "payment": {"token": pick("tokens", i)},
            "comment": comments[i],
            "tags": ["vip", "eu"],
            "meta": {"$schema": "v1"},
        }
        hdrs = [list(h) for h in BASE_HEADERS[i % len(BASE_HEADERS)]] + [["content-type", "application/json"]]
        out.append(
            {
                "id": f"{split}-doc-{i}-json",
                "label": "benign",
                "class": "document",
                "location": "json",
                "split": split,
                "method": "POST",
                "target": "/api/v1/orders",
                "headers": hdrs,
                "body": json.dumps(doc, ensure_ascii=False),
            }
        )
        query = "&".join(
            f"{k}={quote(v, safe='')}"
            for k, v in (
                ("q", comments[i][:80]),
                ("author", pick("names", i)),
                ("sort", "-created_at"),
                ("page", str(i)),
            )
        )
        out.append(
            {
                "id": f"{split}-doc-{i}-query",
                "label": "benign",
                "class": "document",
                "location": "query",
                "split": split,
                "method": "GET",
                "target": "/api/v1/search?" + query,
                "headers": [list(h) for h in BASE_HEADERS[(i + 1) % len(BASE_HEADERS)]],
                "body": None,
            }
        )
    return out


if __name__ == "__main__":
    corpus = build()
    with (HERE / "corpus.jsonl").open("w") as fh:
        for item in corpus:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for item in corpus:
        key = f"{item['split']}/{item['label']}"
        counts[key] = counts.get(key, 0) + 1
    print(json.dumps(counts))
