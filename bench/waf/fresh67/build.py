"""fresh67: the payloads API security testing tools send (flipkart-incubator/Astra's payload files; metlo-labs/metlo's
injection test data), against the recorded requests to and answers of the Recurly subscription-billing API
(recurly 2.9.30's test fixtures: accounts, billing info, subscriptions, plans, add-ons, coupons, invoices,
transactions, adjustments, gift cards, dunning campaigns).

    python bench/waf/fresh67/build.py                       # writes corpus.jsonl
    python bench/waf/fresh67/build.py --extract RECURLY     # re-selects the values first

``RECURLY`` is the unpacked PyPI sdist ``recurly-2.9.30.tar.gz`` (the folder holding ``tests/fixtures``).

Attack payloads (what was read, and how). The sources were read through the code-search index (read_file); their
payload lists are transcribed in ``records.txt`` as the source writes them, one ``@@ source`` line each (repository,
file and list, commit, licence, family, kind): kind ``U`` a raw line of an Astra payload file, which Astra pastes into
a URL (query value or path), so it is decoded once as the server does; ``X`` Astra's XXE body, with ``{host}``
replaced by the callback URL its ``xxe_scan.send_request`` builds (``http://<scanner ip>:1111/<md5>``); ``T`` an
element of a metlo TypeScript ``String.raw`...``` list, the text between the backquotes kept raw (String.raw keeps a
backslash), then decoded once when it holds a ``%XX`` escape (the lists are payloadbox's, written for URLs), with
metlo's ``__TIME__`` placeholder given the 5 seconds its time list writes. metlo's ``xss.ts`` is 561,593 characters:
the first page (0-16,000) was read: the brutelogic list and the per-tag event-handler table from ``<a>`` to
``<address>`` (the rest repeats that table for every HTML tag). Each value is sorted by its family's rule
(``classify``; rules fixed before measuring):

- ``sql`` (metlo ``SQLI``, ``SQLI_TIME``): ``sqli`` when it holds a boolean clause (``or``/``and``/``||``/``&&`` then a
  comparison, ``like``, ``in``, ``between``, ``is``, ``exists``, ``isnull`` or a delay call), a delay or heavy call
  (``sleep``, ``pg_sleep``, ``benchmark``, ``randomblob``, ``waitfor delay``), ``union select`` (also split by inline
  comments), a stacked statement (``;`` then exec/select/declare/waitfor/begin/...), an ``exec``/``execute`` of an
  ``xp_``/``sp_`` procedure, a string or ``@variable``, a ``declare @var``, a ``select ... from|into``, a subquery
  ``(select``, ``load_file``/``utl_http``, ``having 1=1``, or a comment right after a quote, parenthesis or number
  (``SQL_RULES``). A value of another family in the list is sorted by what it is: an LDAP filter (``*(|(mail=*))``)
  is ``ldapi``, a ``$(...)`` command substitution is ``cmdi``. Left out: lone SQL words (``update``, ``order by``,
  ``having``), punctuation and quote probes (``'``, ``)``, ``<>"'%;)(&+``), numbers and hex blobs, wildcards
  (``21%``), ``@variable`` alone, a bare ``--`` and concatenation probes (``||6``).
- ``xss`` (Astra ``xss.txt``; metlo ``XSS``): ``xss`` when it holds a script element, an ``on*`` handler attribute
  whose value is not a bare number, a ``javascript:``/``data:`` script URL (also behind character references), or a
  call of ``alert``/``prompt``/``confirm``/``eval`` in any JavaScript form (after HTML references and JavaScript
  ``\\uXXXX``/``\\xXX``/octal escapes are decoded: a call, a tagged template, ``(alert)(1)``, ``a=alert``, a
  callback ``find(alert)``, a bracket call ``top[...](...)``) (``_xss``). Left out: markup without script (``<br>``,
  ``<base href=//0>``), an invented handler with a constant value (``<x onxxx=1``: brutelogic's filter probe; nothing
  runs), ``navigator.vibrate(500)``.
- ``crlf`` (Astra ``crlf.txt``): ``crlf`` when a CR or LF, raw or still percent/``%u`` encoded after the one
  decoding (the double-encoded lines aim at a second decoder), is followed by a header line.
- ``xxe`` (Astra ``xxe.txt``): ``xxe`` when a DOCTYPE declares an external entity.

Left out with a note: Astra's ``ssrf.txt`` (parameter names its SSRF module looks for; the requests come from the
bundled SSRFmap, not in the index) and ``redirect.txt`` (open redirect: no injection class); Astra's SQL injection
and template injection modules run sqlmap and tplmap and hold no values. Values already in an older split (attacks
or corpus) or repeated are dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring). Every fixture ``tests/fixtures/*/*.xml`` (name order) is a recorded
HTTP exchange: a request line, headers and an optional XML body, then the status line, headers and XML body of the
answer. From each: the text of every XML element and every attribute value not under a ``SECRET_KEYS`` name, kept by
``keep_text``, by ``text_category`` (``recurly_urls``, ``recurly_prose``, ``recurly_names``, ``recurly_codes``; at
most ``CAP`` per category at an even stride); the query string of each request line, decoded, as values
(``recurly_queries``); each request and answer XML body of at most ``MAX_DOC`` characters whole as an XML body
and each element of a list answer or of an ``type="array"`` element that has children of its own, serialized
alone (``recurly_documents``, at most ``MAX_DOCS`` together). Values an older split holds, and values holding
``localhost``, are left out. Split name ``fresh67``.
"""

from __future__ import annotations

import html
import re
import sys
import xml.etree.ElementTree as ET  # the sdist's own recorded fixtures, not input from a client
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh67"
CAP = {"names": 1200, "prose": 600, "urls": 600, "codes": 1500, "queries": 200}
MAX_DOC = 20_000
MAX_DOCS = 600
XXE_HOST = "http://192.168.1.20:1111/5d41402abc4b2a76b9719d911017c592"
"""What Astra's ``xxe_scan`` puts for ``{host}``: ``http://`` + the scanner's own address + ``:1111/`` + an md5."""
RECURLY_LABEL = "recurly 2.9.30 tests/fixtures"
HOW_READ = (
    "read through the code-search index (read_file; commit per source); the payload lists transcribed in records.txt "
    "as the source writes them (raw payload-file lines, TypeScript String.raw elements) and decoded and sorted by "
    "build.py's classify (see its docstring)"
)
NOTES = [
    (
        "flipkart-incubator/Astra Payloads/ssrf.txt",
        "parameter names (url, dest, callback ...) the SSRF module picks the parameter by; the requests come from "
        "SSRFmap, which the index does not hold",
    ),
    ("flipkart-incubator/Astra Payloads/redirect.txt", "open redirect targets: no injection class (not read)"),
    (
        "flipkart-incubator/Astra modules/sqli.py, modules/template_injection.py",
        "drive sqlmap's API and tplmap: no payload values of Astra's own",
    ),
    (
        "metlo-labs/metlo testing/src/data/xss.ts characters 16,000-561,593",
        "the same event-handler table repeated for every further HTML tag: not read",
    ),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "recurly 2.9.30 (PyPI sdist recurly-2.9.30.tar.gz), tests/fixtures/*/*.xml (258 recorded HTTP "
    "exchanges with the Recurly API v2, api.recurly.com/v2: request line, headers, XML bodies)",
    "licence": "MIT (PKG-INFO License: MIT; LICENSE)",
    "what": "text and attribute values of the XML request and answer bodies by text_category, decoded request query "
    "strings, whole XML bodies",
}

# --- reading records.txt ---------------------------------------------------------------------------------------------

_PCT = re.compile(r"%[0-9A-Fa-f]{2}")


def _decode(kind: str, line: str) -> str:
    if kind == "U":
        return unquote(line)
    if kind == "X":
        return line.replace("{host}", XXE_HOST)
    text = line.strip()
    if not (text.startswith("String.raw`") and text.endswith("`,")):
        raise ValueError(f"not a String.raw element: {line!r}")
    value = text[len("String.raw`") : -2].replace("__TIME__", "5")
    return unquote(value) if _PCT.search(value) else value


# --- the rules -------------------------------------------------------------------------------------------------------

_INLINE_COMMENT = re.compile(r"/\*.*?\*/", re.S)
SQL_RULES = re.compile(
    r"(?:\b(?:or|and)\b|\|\||&&)\s*+\(*\s*+(?:['\"]*+[\w@.]*+['\"]*+\s*+(?:=|<>|>|<|\blike\b|\bin\b|\bbetween\b|\bis\b)|"
    r"(?:exists|isnull|sleep|pg_sleep|benchmark)\b)|"
    r"\b(?:sleep|pg_sleep|benchmark|randomblob)\s*+\(|\bwaitfor\s++delay\b|union\s++(?:all\s++)?select\b|"
    r";\s*+(?:exec|execute|select|declare|waitfor|begin|drop|insert|update|delete)\b|"
    r"\bexec(?:ute)?\s*+(?:\(|(?:master\.\.)?(?:xp|sp)_\w)|\bdeclare\s++@\w|\bselect\b.+?\b(?:from|into)\b|"
    r"\(\s*+select\b|\bload_file\s*+\(|\butl_http\.|\bhaving\s++1\s*+=\s*+1|['\")\d]\s*+(?:--|#|/\*)",
    re.I | re.S,
)
LDAP = re.compile(r"\(\s*+[&|!]\s*+\(")
CMD_SUBST = re.compile(r"\$\([^)]++\)")
XSS = re.compile(
    r"<\s*+/?\s*+script|\bon[a-z]+\s*+=\s*+['\"]?(?!\d+(?:[\s>'\"]|$))|"
    r"\b(?:alert|prompt|confirm|eval)\s*+[(`]|\((?:alert|prompt|confirm)\)\s*+\(|=\s*+(?:alert|prompt|confirm)\b|"
    r"\(\s*+(?:alert|prompt|confirm)\s*+\)|\b(?:top|window|self|parent)\s*+\[[^\]]*+\]\s*+\(",
    re.I,
)
_JS_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([0-7]{1,3}))")
CRLF = re.compile(r"(?:[\r\n]|%0[ad]|%u000[ad])[\w-]+:\s", re.I)
EXT_ENTITY = re.compile(r"<!ENTITY\s+(?:%\s+)?[\w.:-]+\s+(?:SYSTEM|PUBLIC)\b", re.I)


def _js_unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2)
        return chr(int(code, 16)) if code else chr(int(m.group(3), 8))

    return _JS_ESCAPE.sub(one, text)


def _xss(value: str) -> str:
    flat = _js_unescape(html.unescape(value))
    squeezed = re.sub(r"\s++", "", flat).lower()
    if XSS.search(value) or XSS.search(flat) or "javascript:" in squeezed or re.search(r"data:[^,]*,", squeezed):
        return ""
    if re.search(r"\bon[a-z]+\s*+=", flat, re.I):
        return "an invented handler with a constant value (a filter probe): nothing runs"
    return "no script, handler, script URL or call (markup or a harmless call)"


def _sql(value: str) -> tuple[str, str]:
    if LDAP.search(value):
        return "ldapi", ""
    if CMD_SUBST.search(value):
        return "cmdi", ""
    if SQL_RULES.search(value) or SQL_RULES.search(_INLINE_COMMENT.sub("", value)):
        return "sqli", ""
    return "", "a lone SQL word, punctuation or quote probe, number, hex blob, wildcard or concatenation probe"


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("", why) for a value left out."""
    if family == "sql":
        return _sql(value)
    if family == "xss":
        why = _xss(value)
        return ("xss", "") if not why else ("", why)
    if family == "crlf":
        return ("crlf", "") if CRLF.search(value) else ("", "no header line after a line break")
    if family == "xxe":
        return ("xxe", "") if EXT_ENTITY.search(value) else ("", "no external entity")
    raise ValueError(family)


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


# --- benign: the Recurly fixtures -------------------------------------------------------------------------------------

_START = re.compile(r"^(?:(?:GET|POST|PUT|DELETE|HEAD) https?://\S+ HTTP/1\.1|HTTP/1\.1 \d{3}.*)$", re.M)


def exchanges(text: str) -> list[tuple[str, str]]:
    """The start line and XML body (or "") of each request and answer a fixture records."""
    starts = list(_START.finditer(text))
    out = []
    for i, m in enumerate(starts):
        block = text[m.end() : starts[i + 1].start() if i + 1 < len(starts) else len(text)]
        _, _, body = block.partition("\n\n")
        out.append((m.group(0), body.strip()))
    return out


def _strings(root: ET.Element) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for el in root.iter():
        out.extend((name, val) for name, val in el.attrib.items())
        if el.text and el.text.strip():
            out.append((el.tag, el.text))
    return out


def list_items(root: ET.Element) -> list[ET.Element]:
    """The elements of a list answer (``<accounts type="array">`` holding ``<account>``s) and of every array inside
    a document (``<line_items type="array">``, ``<adjustments type="array">``)."""
    out: list[ET.Element] = []
    for el in root.iter():
        children = list(el)
        if (el.get("type") == "array" or el is root) and len(children) > 1 and len({c.tag for c in children}) == 1:
            out.extend(c for c in children if len(c))
    return out


def recurly(root: Path, older: set[str]) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    queries: list[dict[str, str]] = []
    documents: list[dict[str, str]] = []
    items: list[dict[str, str]] = []
    seen = set(older)
    for path in sorted((root / "tests/fixtures").glob("*/*.xml")):
        rel = str(path.relative_to(root / "tests/fixtures"))
        for i, (start, body) in enumerate(exchanges(path.read_text(encoding="utf-8"))):
            where = f"{rel} #{i}"
            if not start.startswith("HTTP/"):
                for key, val in parse_qsl(urlsplit(start.split()[1]).query):
                    if key.lower() not in sc.SECRET_KEYS and val.strip() and val not in seen and sc.keep_text(val):
                        seen.add(val)
                        queries.append({"value": val, "source": f"{RECURLY_LABEL} {where} query {key}"})
            if not body.startswith("<"):
                continue
            try:
                doc = ET.fromstring(body.encode("utf-8"))
            except ET.ParseError:
                continue
            for key, raw in _strings(doc):
                text = raw.strip()
                if key.lower() in sc.SECRET_KEYS or text in seen or not sc.keep_text(text):
                    continue
                seen.add(text)
                found[sc.text_category(text)].append({"value": text, "source": f"{RECURLY_LABEL} {where}: {key}"})
            if len(body) <= MAX_DOC and body not in seen and "localhost" not in body:
                seen.add(body)
                documents.append({"value": body, "source": f"{RECURLY_LABEL} {where} body"})
            for j, item in enumerate(list_items(doc)):
                text = ET.tostring(item, encoding="unicode").strip()
                if text not in seen and "localhost" not in text:
                    seen.add(text)
                    items.append({"value": text, "source": f"{RECURLY_LABEL} {where} body item {j}"})
    out = {f"recurly_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["recurly_queries"] = sc.even(queries, CAP["queries"])
    out["recurly_documents"] = sc.even(documents + items, MAX_DOCS)
    return out


def extract(recurly_root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist."""
    sources, dropped = attack_records()
    benign = recurly(recurly_root, sc.older_benign(HERE))
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(HERE, SPLIT, (("recurly_documents", "documents", "xml"),))
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
