"""fresh68: the attack values the DAST vendor NeuraLegion (Bright Security) publishes and sends (the payload list its
WAF fingerprinter wafalyzer injects; the exploit values brokencrystals, its vulnerable benchmark application, documents
in its README and sends in its SecTester e2e tests), against recorded answers of the npm registry (npm-registry-mock
1.3.2's fixtures: package documents and version manifests of async, request, underscore, optimist, minimist ...).

    python bench/waf/fresh68/build.py                          # writes corpus.jsonl
    python bench/waf/fresh68/build.py --extract NPM_REGISTRY_MOCK   # re-selects the values first

``NPM_REGISTRY_MOCK`` is the unpacked npm tarball ``npm-registry-mock-1.3.2.tgz`` (``npm pack npm-registry-mock@1.3.2``;
the folder ``package/``).

Attack payloads (what was read, and how). The sources were read through the code-search index (read_file; commit or
index file id per source); the values are transcribed in ``records.txt`` as the source writes them, one ``@@ source``
line per list (repository, file and list, commit or index file id, licence, family, kind): kind ``R`` the raw line,
``U`` a URL-encoded query value as the README's curl command writes it (percent-decoded), ``J`` a JSON string literal
(the multi-line values). NeuraLegion/sectester-js and sectester-net were looked at: they are clients of the Bright
cloud scanner and hold no payloads (the scanner's own payloads are not public); NeuraLegion/LDAP-Injection-Vuln-App
holds only a Dockerfile in the index; brokencrystals's other SecTester tests name test types, not values. The source
is small (about 35 values): the rules below keep what is an injection.

Each value is sorted by its family's rule (``classify``; rules fixed before measuring), the rules of fresh61 with these
additions: ``sql`` also when a statement reads ``information_schema``, calls ``pg_sleep`` or holds ``UNION [ALL]
SELECT``; ``mixed`` (wafalyzer's unlabelled list) takes the first family of xxe, sql, xss whose rule holds; ``xpath``
(brokencrystals's XPath injection) is ``xpathi`` when a quote closes a string and a predicate or union follows
(``')] |``, ``' or '``); ``proto`` is ``proto`` when a ``__proto__`` or ``constructor[prototype]`` key path is set;
``command`` also when the value is a whole command line the application runs (brokencrystals's
``/api/spawn?command=``; the value begins with a command word or ``/bin/``).
Left out (``sources.json`` ``left_out``): the LFI example ``/etc/hosts`` (an absolute
path, nothing climbs), public URLs (``https://httpbin.org/get``, the redirect ``https://example.com``), the
full-path-disclosure probe ``Opal'`` (a lone quote), the SecTester scans' base values (``mcp.e2e-spec.ts``: the
legitimate query and template the scan mutates). Values already in an older split (attacks or corpus) or repeated are
dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring). Every fixture ``*.json`` of the package (path order; its own
``package.json`` not): every string value not under a ``SECRET_KEYS`` key, kept by ``keep_text``, by ``text_category``
(``npmreg_urls``, ``npmreg_prose``, ``npmreg_names``, ``npmreg_codes``; at most ``CAP`` per category at an even
stride); each fixture of at most ``MAX_DOC`` characters whole as a JSON body (``npmreg_documents``). Values an older
split holds, and values holding ``localhost``, are left out. Split name ``fresh68``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

f61 = sc.load_build("fresh61")  # fresh61's rules, reused unchanged

SPLIT = "fresh68"
CAP = {"names": 600, "prose": 600, "urls": 300, "codes": 800}
MAX_DOC = 20_000
LABEL = "npm-registry-mock 1.3.2"
HOW_READ = (
    "read through the code-search index (read_file; commit or index file id per source); the values transcribed in "
    "records.txt as the source writes them (raw lines, URL-encoded query values, JSON literals) and decoded and sorted "
    "by build.py's classify (see its docstring)"
)
NOTES = [
    (
        "NeuraLegion/sectester-js, NeuraLegion/sectester-net",
        "clients of the Bright cloud scanner: they send the target request and test names, no payloads",
    ),
    ("NeuraLegion/LDAP-Injection-Vuln-App", "only a Dockerfile in the index; no payload values"),
    (
        "NeuraLegion/brokencrystals test/*.e2e-spec.ts (other than metadata and mcp)",
        "name the scan's test types (sqli, ssti ...) against a plain request; no values",
    ),
    (
        "NeuraLegion/brokencrystals README.md JWT, mass assignment, brute force, common files, business constraint",
        "forged tokens without a value, privileged field names, passwords, file names, limits: no injection class",
    ),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "npm-registry-mock 1.3.2 (npm tarball npm-registry-mock-1.3.2.tgz), fixtures/**/*.json and "
    "test/fixtures/**/*.json (52 recorded npm registry answers: package documents and version manifests)",
    "licence": "BSD-2-Clause (package.json license; LICENSE); the descriptions and READMEs are the packages' own text",
    "what": "string values of the recorded JSON answers by text_category, whole answers as JSON bodies",
}

# --- reading records.txt ---------------------------------------------------------------------------------------------


def _decode(kind: str, line: str) -> str:
    """A value as ``records.txt`` holds it: ``R`` raw, ``U`` percent-encoded, else a JSON string."""
    return line if kind == "R" else unquote(line) if kind == "U" else str(json.loads(line))


# --- the rules -------------------------------------------------------------------------------------------------------

SQL_MORE = re.compile(r"\bfrom\s++information_schema\b|\bpg_sleep\s*+\(|\bunion\s++(?:all\s++)?select\b", re.I)
XPATH = re.compile(r"'\s*+\)*\]\s*+\||'\s*+or\s++'", re.I)
PROTO = re.compile(r"__proto__\s*+[\[.]|constructor\s*+[\[.]\s*+prototype")
COMMAND_LINE = re.compile(r"^\s*+(?:/bin/)?(?:uname|cat|ls|id|whoami)\b")


def _sql(value: str) -> str:
    return "" if f61.SQL.search(value) or SQL_MORE.search(value) else "a lone quote or plain text: no clause"


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("", why) for a value left out."""
    if family == "baseline":
        return "", "the SecTester scan's base value (the legitimate input the scan mutates)"
    if family == "mixed":
        for fam in ("xxe", "sql", "xss"):
            cls, why = classify(fam, value)
            if cls:
                return cls, ""
        return "", "no rule of xxe, sql or xss holds"
    if family == "sql":
        why = _sql(value)
        return ("sqli", "") if not why else ("", why)
    if family == "xpath":
        return ("xpathi", "") if XPATH.search(value) else ("", "no predicate or union after a closing quote")
    if family == "proto":
        return ("proto", "") if PROTO.search(value) else ("", "no prototype key path")
    if family == "command" and COMMAND_LINE.search(value):
        return "cmdi", ""
    cls, rule = f61.RULES[family]
    why: str = rule(value)
    return (cls, "") if not why else ("", why)


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


# --- benign: the npm registry answers ---------------------------------------------------------------------------------


def npm_registry(root: Path, older: set[str]) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    documents: list[dict[str, str]] = []
    seen = set(older)
    for path in sorted(root.rglob("*.json")):
        rel = str(path.relative_to(root))
        if rel == "package.json":
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        sc.collect_strings(found, seen, LABEL, rel, doc)
        text = json.dumps(doc, ensure_ascii=False)
        if len(text) <= MAX_DOC and text not in seen and "localhost" not in text:
            seen.add(text)
            documents.append({"value": text, "source": f"{LABEL} {rel} body"})
    out = {f"npmreg_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["npmreg_documents"] = documents
    return out


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked tarball."""
    sources, dropped = attack_records()
    benign = npm_registry(root, sc.older_benign(HERE))
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(HERE, SPLIT, (("npmreg_documents", "documents", "json"),))
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
