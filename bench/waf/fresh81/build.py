"""fresh81: the injected values of Nikto's test database (sullo/nikto ``program/databases/db_tests``, the CSV of some
6,500 checks Nikto requests, and ``db_dir_traversal``), against the text of CVE records (CVEProject/cvelistV5
``cves/<year>/<nxxx>/CVE-*.json``: the descriptions, titles, problem types, affected vendors, products and versions and
the reference URLs of the CNA container: hard benign prose full of attack vocabulary).

    python bench/waf/fresh81/build.py              # writes corpus.jsonl (deterministic)
    python bench/waf/fresh81/build.py --extract    # re-selects the values from records.txt and cve_records.jsonl

Attack payloads (what was read, and how). ``db_tests`` (1,197,040 characters) was read through the code-search index
(read_file) at an even stride: every third 16,000-character page from offset 0 to 864,000, then every sixth (960,000,
1,056,000, 1,152,000) through the long RFI list: 22 of its 75 pages, some 2,050 checks, with ``db_variables``,
``nikto.conf.default`` (for ``@RFIURL``) and ``db_dir_traversal`` whole. The session's look-up budget ran out before
more pages could be read. Each check whose URI or HTTP data
carries an injected value is transcribed in ``records.txt`` (``C|test-ids|family|kind|value`` under an ``@@ file`` line
per page; its header says how values are decoded and how Nikto's ``@``-variables were replaced): the injected parameter
value, not the whole path of a probed file (for an injection into the path, the path from the injected segment's
directory on), as the application receives it. Plain file and directory existence checks (the great majority) are not
attacks and are only counted (``PAGES``); ``@@ drop`` lines name the checks left out by hand (Cisco IOS
``/level/NN/exec`` device commands, the RFI checks' own ``&cmd=`` web-shell parameters, HTML-escaped quotes that never
reach the application, a typo'd parameter).

Each value is sorted by its family's rule (``classify``; rules fixed before measuring), reusing older splits' rules:

- ``command``, ``cmdline``, ``code``: fresh72's (fresh61's command rule plus a command word after a separator or in a
  substitution, ``system(``; a whole command line; a process call in code).
- ``sql``, ``php``, ``ssi``, ``ssti``: fresh73's (SQL clause/comment/statement after a quote or number, ``UNION
  SELECT``, a subquery; PHP code, callbacks, directives; an SSI ``exec``; a template expression).
- ``xss``, ``ssrf``: fresh61's (script element, handler, ``javascript:`` URL, alert/prompt/confirm/eval call;
  HTML-escaped markup left out; an internal host).
- ``file``: fresh73's (at least two ``..`` climbs with ``/`` or ``\\``, also after one more %-decoding), the value also
  read with IIS's overlong UTF-8 forms decoded (``%c0%af`` and ``%c1%1c``/``%c1%9c`` as ``/`` and ``\\``, ``%c0%ae`` as
  ``.``: the Unicode traversal Nikto sends to IIS). ``.|.`` and ``....//`` filter tricks and single climbs are left out.
- ``rfi`` (this split): a URL (``http``/``https``/``ftp``, an optional leading ``=``) to a script or text file
  (``.txt``, ``.php``, ``.inc``, ``.phtml``) followed by ``?`` or a NUL byte: the remote file inclusion shape that
  neutralises the application's suffix; labelled ``traversal`` as fresh43 labels remote inclusion. A bare URL to a file
  (most of Nikto's RFI list) is left out: only the application's ``include()`` makes it code (fresh70, fresh73).

Values already in an older split (attacks or corpus) or repeated are dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring). The CVE records in ``cve_records.jsonl``, read through the code-search
index at an even stride: 2008 (0500, 1000, 1500, 2000, 3000, 4000, 5000, 6000), 2011 (0500, 1500, 2500, 3500), 2014
(1000, 3000, 5000, 7000), 2017 (2000, 9000), 2019 (5000, 10000), 2022 (every 10th file of the index's listing of
``cves/2022/31xxx``: 31000 ... 31092); the listings of 2019/15xxx, 2023/41xxx and 2024/47xxx were taken but the look-up
budget ran out before their records could be read, so the benign side is 26 records (1,782 requests, short of the 2,000
aimed at). Numbers that are missing or rejected are listed in ``MISSING``. Each record is kept as the text fields of its
CNA container (``title``, ``descriptions``, ``affected`` vendor/product/versions, ``problemTypes``, ``references``
url/name, ``source.advisory``; metrics, provider metadata, the legacy v4 copy and the ADP containers are left out),
rebuilt into the CNA container's own shape. A record whose text QUOTES a payload (``QUOTES``: script/event-handler
markup, ``javascript:``, an ``alert(``, a SQL tautology or ``UNION SELECT``, two ``..`` climbs, ``;id``/``|id``, ``$(``,
``<?php``, ``${jndi:``, ``{{``, ``<!ENTITY``, ``%0d%0a``, ``/etc/passwd``) is not clean benign and is left out with a
count. Every string of the kept containers by ``text_category`` (``cve_urls``, ``cve_prose``, ``cve_names``,
``cve_codes``; at most ``CAP`` per category), and each kept container whole as a JSON body (``cve_documents``). Values
an older split holds, and values holding ``localhost``, are left out. Split name ``fresh81``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_plus

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

f61 = sc.load_build("fresh61")  # xss, ssrf
f72 = sc.load_build("fresh72")  # command, cmdline, code
f73 = sc.load_build("fresh73")  # sql, file, php, ssi, ssti; the JSON pruning

SPLIT = "fresh81"
CAP = {"names": 600, "prose": 600, "urls": 400, "codes": 600}
LABEL = "CVEProject/cvelistV5 cves"
LICENCE = (
    "Nikto is GPL-2.0 (sullo/nikto COPYING); the database files' own header reads '(c) 2001 Chris Sullo ... may only "
    "be distributed and used with the full Nikto package': short injected strings transcribed as test data only"
)
F72_FAMILIES = {"command", "cmdline", "code"}
HOW_READ = (
    "sullo/nikto program/databases/db_tests read through the code-search index (read_file) at every third 16,000-"
    "character page to offset 864,000, then every sixth (22 of 75 pages; the look-up budget ran out), db_variables, "
    "nikto.conf.default and db_dir_traversal whole; the injected value of each check transcribed in records.txt "
    "(decoded once as the application receives it, @-variables replaced) and sorted by build.py's classify"
)
PAGES: dict[int, tuple[int, int]] = {
    # offset of the page read: (first, last) test id on it, for the count of checks read
    0: (1, 89), 48000: (285, 378), 96000: (561, 640), 144000: (778, 839), 192000: (977, 1067),
    240000: (1240, 1357), 288000: (1512, 1668), 336000: (1999, 2138), 384000: (2340, 2414), 432000: (2570, 2660),
    480000: (2877, 2962), 528000: (3118, 3198), 576000: (3348, 3441), 624000: (3692, 3820), 672000: (3970, 4046),
    720000: (4191, 4264), 768000: (4420, 4496), 816000: (4651, 4730), 864000: (4893, 4972), 960000: (5374, 5449),
    1056000: (5835, 5912), 1152000: (6397, 6517),
}
"""The 22 pages read (912,000, 1,008,000 and 1,104,000 of the every-third stride were skipped in the RFI list)."""
MISSING = [
    ("CVE-2014-1000", "not in the index"),
    ("CVE-2017-2000", "REJECTED (no CNA text)"),
    ("CVE-2019-5000", "not in the index"),
    ("CVE-2019-10000", "not in the index"),
]

# --- the attack rules ------------------------------------------------------------------------------------------------

_OVERLONG = {"%c0%af": "/", "%c1%1c": "\\", "%c1%9c": "\\", "%c0%ae": "."}
_OVERLONG_RE = re.compile("|".join(re.escape(k) for k in _OVERLONG), re.I)
RFI = re.compile(r"^=?(?:https?|ftp)://[^\s?#\x00]+\.(?:txt|php\d?|inc|phtml)(?:\?|\x00)", re.I)


def _decode(kind: str, line: str) -> str:
    """A record's value: ``JUNK(n)`` (Nikto's filler macro) as n ``A``s, then ``R`` raw, ``U`` %-decoded, ``Q``
    %-decoded with '+' a space, ``J`` a JSON literal."""
    line = re.sub(r"JUNK\((\d+)\)", lambda m: "A" * int(m.group(1)), line)
    if kind == "U":
        return unquote(line)
    if kind == "Q":
        return unquote_plus(line)
    if kind == "J":
        return str(json.loads(line))
    return line


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("", why) for a value left out."""
    if family == "rfi":
        if RFI.search(value):
            return "traversal", ""
        return "", "a bare URL to a file: only the application's include() makes it code"
    if family == "file":
        cls, why = f73.classify("file", value)
        if cls:
            return cls, ""
        flat = _OVERLONG_RE.sub(lambda m: _OVERLONG[m.group(0).lower()], value)
        return f73.classify("file", flat) if flat != value else ("", why)
    result: tuple[str, str] = (f72 if family in F72_FAMILIES else f73).classify(family, value)
    return result


def read_records(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, str]], list[str]]:
    """The checks (one source each), the hand drops and every test id named."""
    sources: list[dict[str, Any]] = []
    dropped: list[dict[str, str]] = []
    ids: list[str] = []
    current: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line or line.startswith("# "):
            continue
        if line.startswith("@@ file|"):
            _, repo, file, commit, fid, page = line.split("|", 5)
            current = {"repository": repo, "file": file, "commit": commit, "index_file_id": fid, "page": page}
        elif line.startswith("@@ drop|"):
            _, tests, what, why = line.split("|", 3)
            dropped.append({"repository": "sullo/nikto", "left_out": f"db_tests {tests}: {what}", "why": why})
        elif line.startswith("C|"):
            _, tests, family, kind, text = line.split("|", 4)
            ids.extend(tests.split(","))
            sources.append({
                "repository": current["repository"],
                "files": f"{current['file']} test {tests} ({current['page'].split(' (')[0]})",
                "commit": current["commit"],
                "licence": LICENCE,
                "family": family,
                "values": [_decode(kind, text)],
            })
    return sources, dropped, ids


def attack_records() -> tuple[list[dict[str, Any]], list[dict[str, str]], dict[str, int]]:
    """The sources with their classified values, the values left out, and the counts of checks read."""
    sources, dropped, ids = read_records(HERE / "records.txt")
    for src in sources:
        classified = []
        for value in src.pop("values"):
            cls, why = classify(src["family"], value)
            if cls:
                classified.append((cls, value))
            else:
                dropped.append({"repository": src["repository"], "left_out": f"{src['files']}: {value!r}", "why": why})
        src["values"] = classified
    read = sum(last - first + 1 for first, last in PAGES.values())
    counts = {
        "db_tests_pages_read": len(PAGES),
        "db_tests_checks_on_pages_with_ids_noted_about": read,
        "checks_with_an_injected_value": len(set(ids)),
        "checks_without_one_about": read - len(set(ids)),
    }
    return sources, dropped, counts


# --- benign: the CVE records -----------------------------------------------------------------------------------------

QUOTES = re.compile(
    r"<\s*/?\s*(?:script|img|svg|iframe|body|object|embed)\b|javascript:|\bon(?:error|load|mouseover|focus|click)\s*=|"
    r"\balert\s*\(|['\"]\s*or\s+['\"]?\w+['\"]?\s*=|\bunion\s+(?:all\s+)?select\b|\.\.[/\\]\.\.|[;|]\s*id\b|\$\(|"
    r"<\?php|\$\{jndi:|\{\{|<!ENTITY|%0d%0a|/etc/passwd",
    re.I,
)
"""A record whose text quotes a payload rather than naming a weakness (fixed before measuring)."""


def container(rec: dict[str, Any]) -> dict[str, Any]:
    """The record's CNA container, rebuilt from the fields kept in ``cve_records.jsonl``."""
    cna: dict[str, Any] = {}
    if rec.get("title"):
        cna["title"] = rec["title"]
    cna["descriptions"] = [{"lang": "en", "value": d} for d in rec["desc"]]
    cna["affected"] = [{"vendor": v, "product": p, "versions": vs} for v, p, vs in rec["affected"]]
    ids = rec.get("cweid", [])
    cna["problemTypes"] = [
        {"descriptions": [{"cweId": ids[i], "description": d, "lang": "en", "type": "CWE"} if i < len(ids)
                          else {"description": d, "lang": "en", "type": "text"}]}
        for i, d in enumerate(rec["cwe"])
    ]
    cna["references"] = [{"name": n, "url": u} if n else {"url": u} for u, n in rec["refs"]]
    if rec.get("advisory"):
        cna["source"] = {"advisory": rec["advisory"], "discovery": "UNKNOWN"}
    return cna


def _strings(node: Any) -> list[str]:
    out: list[str] = []
    sc.walk_strings(node, "", lambda _k, t: out.append(t), ("first_name", "last_name"))
    return out


def cve_values(older: set[str]) -> tuple[dict[str, list[dict[str, str]]], dict[str, Any]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    documents: list[dict[str, str]] = []
    seen = set(older)
    quoting: list[dict[str, str]] = []
    records = [json.loads(line) for line in (HERE / "cve_records.jsonl").read_text().splitlines() if line]
    removed: list[str] = []
    for rec in records:
        cna = f73._prune(container(rec), removed)
        hit = next((m.group(0) for s in _strings(cna) for m in [QUOTES.search(s)] if m), "")
        if hit:
            quoting.append({"record": rec["id"], "quotes": hit})
            continue
        year = rec["id"].split("-")[1]
        num = int(rec["id"].split("-")[2])
        rel = f"{year}/{num // 1000}xxx/{rec['id']}.json"
        sc.collect_strings(found, seen, LABEL, rel, {"containers": {"cna": cna}})
        text = json.dumps({"cveId": rec["id"], "containers": {"cna": cna}}, ensure_ascii=False)
        if text not in seen and "localhost" not in text:
            seen.add(text)
            documents.append({"value": text, "source": f"{LABEL}/{rel} cna container"})
    out = {f"cve_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["cve_documents"] = documents
    meta = {
        "package": "CVEProject/cvelistV5 cves/<year>/<nxxx>/CVE-*.json read through the code-search index (read_file); "
        "the text fields of each record's CNA container (see build.py), rebuilt into the container's shape",
        "licence": "CVE records: the CVE Program's terms of use (free to copy and use); text used as test data only",
        "records": [{"id": r["id"], "commit": r["commit"], "index_file_id": r["fid"]} for r in records],
        "missing": [{"id": i, "why": w} for i, w in MISSING],
        "left_out_quoting_a_payload": quoting,
        "what": "strings by text_category, each kept CNA container whole as a JSON body",
    }
    return out, meta


def extract() -> None:
    """The attack values from ``records.txt`` and the benign values from ``cve_records.jsonl``."""
    sources, dropped, counts = attack_records()
    benign, meta = cve_values(sc.older_benign(HERE))
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, {**meta, "nikto_checks": counts})


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(HERE, SPLIT, (("cve_documents", "documents", "json"),))
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
