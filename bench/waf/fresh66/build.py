"""fresh66: the injection payloads OWASP OFFAT (OFFensive API Tester) sends, against the recorded answers of the HERE
location APIs (herepy 3.6.6's test data: geocoding, places, routing, isolines, public transit, traffic, EV charging
stations and destination weather).

    python bench/waf/fresh66/build.py                     # writes corpus.jsonl
    python bench/waf/fresh66/build.py --extract HEREPY    # re-selects the values first

``HEREPY`` is the unpacked PyPI sdist ``herepy-3.6.6.tar.gz`` (the folder holding ``testdata/``).

Attack payloads (what was read, and how). OFFAT's testers were read in the PyPI sdist ``offat`` 0.19.4 (``pip download
--no-deps --no-binary :all:``; ``offat/tester/generator.py``: the SQLi, OS command, XSS/HTML and SSTI lists) and, for
the Go rewrite, the DAST engine and the knowledge base, through the code-search index (read_file; OWASP/OFFAT
``src/pkg/tgen/*.go``, ``dast/internal/kb/data/*.yaml``, ``knowledge-base/**/*.yaml``, an older
``src/offat/tester/test_generator.py``). The lists are transcribed in ``records.txt`` as the source writes them, one
``@@ source`` line each (repository, file and list, commit or version, licence, family, kind): kind ``P`` a Python (or
Go double-quoted) literal, decoded with ``ast.literal_eval``; ``R`` a Go raw string; ``Y`` a YAML scalar, decoded with
``yaml.safe_load``. The values are kept as written: the Python tester puts them into JSON bodies and query parameters
and the Go engine query-escapes them (``url.Values.Encode``, ``url.PathEscape``), so the application receives the
value itself, ``%0d%0a`` and ``..%2f`` included. Each value is sorted by its family's rule (``classify``; rules fixed
before measuring):

- ``sql`` (generator.py's and tgen's basic SQLi lists; the kb's sqli-error/boolean/time/union vectors): ``sqli`` when a
  quote, ``)`` or number is followed by a boolean clause (``OR 1=1``, ``AND '1'='2``), a boolean operator opening a
  subquery or a sleep (``AND (SELECT``, ``AND SLEEP(``), ``UNION SELECT``, ``ORDER BY``, ``WAITFOR DELAY``, a comment
  (``--``, ``#``, ``/*``) or a stacked statement (``;SELECT``) (``SQL``). Left out: the lone quote and the lone double
  quote (error probes that alone change nothing in a statement).
- ``nosql`` (kb nosqli-operator and mongo-where): ``nosqli`` when it holds a MongoDB query operator (``$ne``, ``$gt``
  ...), a quote closing a string followed by a JavaScript operator (``;``, ``||``, ``&&``), or a statement separator
  followed by ``return`` (JavaScript in a ``$where`` clause).
- ``command`` (generator.py's and tgen's OS command lists; kb cmdi): ``cmdi`` when a command word stands at the start
  or after a shell separator or line break (the tester replaces the whole value with ``cat /etc/passwd``, ``ls -la``),
  or in a ``$(...)`` or backquoted substitution (``CMD``).
- ``ssti`` (generator.py's and tgen's SSTI lists; kb ssti): ``ssti`` when a template delimiter pair (``{{ }}``,
  ``${ }``, ``#{ }``, ``*{ }``, ``<%= %>``) holds an expression (``TEMPLATE``).
- ``ldap`` (kb ldapi): ``ldapi`` when it closes a filter term and opens another (``)(``). Left out: the lone ``*``
  (a wildcard: it stays inside the application's assertion).
- ``xss`` (generator.py's, tgen's and an older test_generator.py's XSS/HTML lists; kb xss-reflected): ``xss`` when it
  holds a script element, an ``on*`` event-handler attribute or a ``javascript:`` URL (``XSS``).
- ``file`` (kb path-traversal): ``traversal`` when ``../``, ``..\\`` or their percent-encoded forms (``..%2f``,
  ``..%5c``) climb at least twice, or the filter-stripping form ``....//`` repeats (``TRAVERSAL``).
- ``ssrf`` (kb ssrf, bb-ssrf-redirect-metadata): ``ssrf`` when the URL's host is loopback, unspecified, link-local or
  private in any notation (dotted, decimal, IPv4-mapped IPv6), a cloud metadata or ``.internal`` name, ``localhost``,
  a DNS name that resolves to an internal address (``<ip>.nip.io``), or the scheme is ``file:`` with a path.
- ``crlf`` (kb crlf-injection): ``crlf`` when a CR or LF, raw or percent-encoded (``%0d``, ``%0a``), is followed by a
  header line (``Name:value``).
- ``xxe`` (kb xxe): ``xxe`` when a DOCTYPE declares an external entity.
- ``redirect`` (kb open-redirect: ``https://offat-oob.example/``, ``//offat-oob.example/``) and ``none`` (kb
  graphql-introspection ``{__schema{types{name}}}``, host-header-injection ``offat-evil.example``, the bug-bounty
  price and page-size numbers): left out, no injection class of ours (an open redirect to a public host, a legitimate
  GraphQL query, a host name, numbers).

OFFAT's structural tests send no injected value and are notes in ``sources.json``: BOLA and BOPLA (identifiers and
response fields filled with random values by ``fuzzer.py``), mass assignment (role/is_admin/balance fields), missing
authentication, JWT ``alg=none``, method tampering, rate limiting, CORS (``Origin: https://offat-evil.example``), data
exposure; and the Go SSRF test (``basicSsrf.go``) sends the user's own ``--ssrf`` URL. Values already in an older split
(attacks or corpus) or repeated across OFFAT's lists are dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring). Every recorded answer ``testdata/models/*.json`` (name order): every
string value not under a ``SECRET_KEYS`` key, kept by ``keep_text``, by ``text_category`` (``here_urls``,
``here_prose``, ``here_names``, ``here_codes``; at most ``CAP`` per category at an even stride); the query string of
each URL inside the answers, decoded, as values (``here_queries``; keys in ``SECRET_KEYS`` and ``appId`` skipped);
each answer of at most ``MAX_DOC`` characters whole as a JSON body, and each element of a top-level list or of a list
directly under the top-level object of the larger ones likewise (``here_documents``, at most ``MAX_DOCS``). Values an
older split holds, and values holding ``localhost``, are left out. Split name ``fresh66``.
"""

from __future__ import annotations

import ast
import ipaddress
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh66"
CAP = {"names": 700, "prose": 600, "urls": 300, "codes": 700, "queries": 200}
MAX_DOC = 20_000
MAX_DOCS = 400
HERE_LABEL = "herepy 3.6.6 testdata/models"
HOW_READ = (
    "offat 0.19.4 read in its PyPI sdist; the Go testers, DAST knowledge base and an older Python tester read through "
    "the code-search index (read_file; commit per source); the payload lists transcribed in records.txt as the source "
    "writes them (Python/Go literals, Go raw strings, YAML scalars) and decoded and sorted by build.py's classify (see "
    "its docstring)"
)
NOTES = [
    (
        "OWASP/OFFAT offat/tester/generator.py bola_fuzz_path_test, bola_fuzz_trailing_slash_path_test, "
        "bopla_fuzz_test; offat/tester/fuzzer.py",
        "identifiers and response fields filled with random values: access-control tests, no injected value",
    ),
    (
        "OWASP/OFFAT dast/internal/attack/generate.go buildMassAssignment, buildAuthBypass, buildJWTNone, "
        "buildMethodTamper, buildRateLimit, buildCORS, buildDataExposure",
        "structural tests (privileged fields, removed credentials, alg=none tokens, other verbs, bursts, a foreign "
        "Origin): no injection class",
    ),
    (
        "OWASP/OFFAT src/pkg/tgen/basicSsrf.go",
        "sends the URL the user passes with --ssrf: no payload of its own",
    ),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "herepy 3.6.6 (PyPI sdist herepy-3.6.6.tar.gz), testdata/models/*.json (84 recorded answers of the "
    "HERE location APIs: geocoder and autocomplete, places, routing v7/v8 and matrix, isolines, public transit, "
    "traffic flow and incidents, EV charging stations, fleet telematics, destination weather)",
    "licence": "MIT (PKG-INFO License: MIT License; LICENSE); the place names, addresses, instructions and weather "
    "texts are the HERE APIs' own answers",
    "what": "string values of the recorded JSON answers by text_category, decoded query strings of the URLs inside "
    "them, whole JSON bodies (and the list elements of the larger ones)",
}

# --- reading records.txt ---------------------------------------------------------------------------------------------


def _decode(kind: str, text: str) -> str:
    if kind == "P":
        value = ast.literal_eval(text)
    elif kind == "Y":
        value = yaml.safe_load(text)
    elif kind == "R":
        value = text
    else:
        raise ValueError(f"unknown record kind {kind!r}")
    if not isinstance(value, str):
        raise ValueError(f"not a string: {text!r}")
    return value


# --- the rules -------------------------------------------------------------------------------------------------------

SQL = re.compile(
    r"(?:['\")]|\b\d+)\s*+(?:\)\s*+)*+(?:\b(?:or|and)\b\s*+\(*\s*+['\"\w]+\s*+=|"
    r"\b(?:or|and)\s*+\(*\s*+(?:select\b|sleep\s*+\(|benchmark\s*+\()|"
    r"\bunion\s++(?:all\s++)?select\b|\border\s++by\b|\bwaitfor\s++delay\b|--|#|/\*|"
    r";\s*+(?:drop|select|exec|waitfor|insert|update|delete)\b)",
    re.I,
)
NOSQL = re.compile(
    r"\$(?:gte?|lte?|ne|n?in|where|regex|or|and|not|nor|expr)\b|['\"]\s*+(?:;|\|\||&&)|;\s*+return\b"
)
CMD = re.compile(
    r"(?:^|[;&|\n\r])\s*+(?:/bin/)?(?:ls|cat|whoami|id|uname|dir|type|ping|sleep|echo|touch)\b|\$\([^)]*+\)|`[^`]++`"
)
LDAP = re.compile(r"\)\s*+[&|!]?\s*+\(")
TEMPLATE = re.compile(r"\{\{.+?\}\}|[$#*@]\{.+?\}|<%=.+?%>", re.S)
XSS = re.compile(r"<\s*+/?\s*+script|\bon[a-z]+\s*+=|javascript:", re.I)
CRLF = re.compile(r"(?:[\r\n]|%0[ad])[\w-]+:\s*+\S", re.I)
TRAVERSAL = re.compile(r"(?:\.\.(?:/|\\|%2f|%5c)){2,}|(?:\.\.\.\.//){2,}", re.I)
EXT_ENTITY = re.compile(r"<!ENTITY\s+(?:%\s+)?[\w.:-]+\s+(?:SYSTEM|PUBLIC)\b", re.I)


def _internal_host(host: str) -> bool:
    host = host.lower().strip("[]")
    if host in ("localhost", "0") or host.endswith((".localhost", ".internal", ".local", ".nip.io")):
        return True
    try:
        addr: ipaddress.IPv4Address | ipaddress.IPv6Address = (
            ipaddress.ip_address(int(host)) if host.isdigit() else ipaddress.ip_address(host)
        )
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_loopback or addr.is_private or addr.is_link_local or addr.is_unspecified


def _ssrf(value: str) -> str:
    url = urlsplit(value)
    if url.scheme == "file":
        return "" if url.path.strip("/") else "a file URL of the bare root"
    if url.hostname and _internal_host(url.hostname):
        return ""
    return "a public DNS name; nothing in the URL is internal"


RULES: dict[str, tuple[str, Any]] = {
    "sql": (
        "sqli",
        lambda v: "" if SQL.search(v) else "a lone quote: an error probe with no clause, comment or statement",
    ),
    "nosql": ("nosqli", lambda v: "" if NOSQL.search(v) else "no operator or JavaScript breakout"),
    "command": ("cmdi", lambda v: "" if CMD.search(v) else "no OS command"),
    "ldap": ("ldapi", lambda v: "" if LDAP.search(v) else "a lone wildcard: it stays inside the filter's assertion"),
    "ssti": ("ssti", lambda v: "" if TEMPLATE.search(v) else "no template expression"),
    "xss": ("xss", lambda v: "" if XSS.search(v) else "no script, handler or script URL"),
    "file": ("traversal", lambda v: "" if TRAVERSAL.search(v) else "nothing climbs"),
    "ssrf": ("ssrf", _ssrf),
    "crlf": ("crlf", lambda v: "" if CRLF.search(v) else "no header line after the line break"),
    "xxe": ("xxe", lambda v: "" if EXT_ENTITY.search(v) else "no external entity"),
    "redirect": ("", lambda v: "an open redirect to a public host: no injection class of ours"),
    "none": ("", lambda v: "a GraphQL introspection query, a host name or a number: no injection class of ours"),
}


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("", why) for a value left out."""
    cls, rule = RULES[family]
    why: str = rule(value)
    return (cls, "") if cls and not why else ("", why)


def attack_records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The sources with their classified values, and the values left out."""
    sources = sc.read_family_records(HERE / "records.txt", _decode)
    dropped = [{"repository": what, "left_out": what, "why": why} for what, why in NOTES]
    for src in sources:
        classified = []
        for value in src.pop("values"):
            cls, why = classify(src["family"], value)
            if cls:
                classified.append((cls, value))
            else:
                dropped.append({"repository": src["repository"], "left_out": f"{src['files']}: {value!r}", "why": why})
        src["values"] = classified
    return sources, dropped


# --- benign: the HERE answers ----------------------------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s\"'<>]+")
QUERY_SKIP = {"appid"}


def _parts(doc: Any) -> list[tuple[str, Any]]:
    """The list elements of a large answer: a top-level list, or lists directly under the top-level object."""
    if isinstance(doc, list):
        return [(f"[{i}]", el) for i, el in enumerate(doc)]
    out: list[tuple[str, Any]] = []
    if isinstance(doc, dict):
        for key, val in doc.items():
            if isinstance(val, list):
                out.extend((f"{key}[{i}]", el) for i, el in enumerate(val) if isinstance(el, (dict, list)))
    return out


def here(root: Path, older: set[str]) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    queries: list[dict[str, str]] = []
    documents: list[dict[str, str]] = []
    seen = set(older)
    for path in sorted((root / "testdata/models").glob("*.json")):
        rel = path.name
        doc = json.loads(path.read_text(encoding="utf-8"))
        sc.collect_strings(found, seen, HERE_LABEL, rel, doc)
        raw = path.read_text(encoding="utf-8")
        for m in _URL.finditer(raw):
            for key, val in parse_qsl(urlsplit(m.group(0)).query):
                if key.lower() in sc.SECRET_KEYS or key.lower() in QUERY_SKIP:
                    continue
                if val.strip() and val not in seen and sc.keep_text(val):
                    seen.add(val)
                    queries.append({"value": val, "source": f"{HERE_LABEL} {rel} url query {key}"})
        text = json.dumps(doc, ensure_ascii=False)
        whole = [("", text)] if len(text) <= MAX_DOC else [
            (where, json.dumps(part, ensure_ascii=False)) for where, part in _parts(doc)
        ]
        for where, body in whole:
            if len(body) <= MAX_DOC and body not in seen and "localhost" not in body:
                seen.add(body)
                documents.append({"value": body, "source": f"{HERE_LABEL} {rel} {where or 'whole'} body"})
    out = {f"here_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["here_queries"] = sc.even(queries, CAP["queries"])
    out["here_documents"] = sc.even(documents, MAX_DOCS)
    return out


def extract(here_root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist."""
    sources, dropped = attack_records()
    older = sc.older_benign(HERE)
    benign = here(here_root, older)
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(HERE, SPLIT, (("here_documents", "documents", "json"),))
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
