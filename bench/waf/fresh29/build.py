"""fresh29: the rest of chaitin/blazehttp's malicious samples (every 6th folder after the 100 fresh22 read) and its
fork's one readable unread sample, the example payloads of OWASP WSTG pages no older split read (SSI, IMAP, local file
inclusion, format string, stored XSS, parameter pollution and the client-side pages) and three HackTricks pages (file
inclusion, command injection, MySQL injection), against recorded astronomy-archive answers: the test data astroquery
ships (MAST, Gaia, JPL Horizons and SBDB, Minor Planet Center, VizieR, ESA, ALMA, NIST ... answers).

    python bench/waf/fresh29/build.py                       # writes corpus.jsonl (deterministic)
    python bench/waf/fresh29/build.py --extract ASTROQUERY  # re-selects the values (the three json files)

``ASTROQUERY`` is the unpacked PyPI wheel ``astroquery-0.4.11-py3-none-any.whl`` (its ``astroquery/*/tests/data``; the
sdist cannot be fetched without building it, and the wheel carries the same test data).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, files, commit
and licence; ``# path`` lines name the test case; ``@@ drop`` lines say what was left out and why). A ``Q`` record (a
query or form value) is decoded once with ``unquote_plus``, a ``U`` record (a path, header or %20-encoded value) once
with ``unquote`` (``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped and
listed in ``sources.json``.

Benign values. Every string of the JSON answers under ``astroquery/*/tests/data`` (46 parseable files), by
``text_category`` (names, prose, urls, codes), none already among an older split's benign values, at most ``CAP`` per
category at an even stride (fixed-width MPC observation lines, target and proposal names, bibcodes, coordinates,
instrument and filter codes, archive URLs); each JSON answer's list items (at most 1,500 characters) whole as JSON
bodies, at most ``DOC_CAP`` at an even stride; and the query strings of the URLs recorded in any test-data file (JPL
Horizons, MPC, HLA, VizieR, NIST ...), sent whole as GET query strings. Split name ``fresh29``.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh29"
CAP = 900
DOC_CAP = 300
HOW_READ = (
    "each file's or page's stored text through the code-search index (find_files ext=black per folder, read_file) at "
    "the commit named per source; the injected values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "astroquery 0.4.11 (PyPI wheel astroquery-0.4.11-py3-none-any.whl), astroquery/*/tests/data/**: the "
    "recorded answers of astronomy archive services its offline tests replay (MAST, Gaia, JPL Horizons, JPL SBDB, "
    "Minor Planet Center, VizieR, ESA archives, ALMA, CASDA, IPAC/IRSA, NIST, Splatalogue, SIMBAD ...)",
    "licence": "BSD-3-Clause (astroquery's LICENSE.rst)",
    "what": "every unique string of the JSON answers by text_category (names, prose, urls, codes; at most CAP per "
    "category, evenly spaced), JSON list items whole as bodies (at most DOC_CAP), the query strings of the URLs "
    "recorded in any test-data file sent whole; values among an older split's benign values left out",
}
QUERY = re.compile(r"https?://[^\s\"'<>\\]+\?([^\s\"'<>\\]+)")


def _benign(aq: Path) -> dict[str, list[dict[str, str]]]:
    older = sc.older_benign(HERE)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    seen: set[str] = set(older)
    docs: list[dict[str, str]] = []
    queries: list[dict[str, str]] = []
    label = "astroquery 0.4.11"
    for path in sorted(aq.glob("astroquery/*/tests/data/**/*")):
        rel = str(path.relative_to(aq))
        try:
            text = path.read_text()
        except (UnicodeDecodeError, IsADirectoryError):
            continue
        for m in QUERY.finditer(text):
            query = html.unescape(m.group(1))
            if re.match(r"^[\w.%-]+=", query) and "]" not in query and not query.endswith("...") and query not in seen:
                seen.add(query)
                queries.append({"value": query, "source": f"{label} {rel}"})
        try:
            doc = json.loads(text)
        except ValueError:
            continue
        sc.collect_strings(found, seen, label, rel, doc)
        items: list[Any] = []
        sc.list_items(doc, items)
        for item in items:
            whole = json.dumps(item, ensure_ascii=False)
            if len(whole) <= 1500 and whole not in older and "localhost" not in whole:
                docs.append({"value": whole, "source": f"{label} {rel}"})
    out = {f"aq_{cat}": sc.even(vals, CAP) for cat, vals in found.items() if vals}
    out["aq_queries"] = queries
    out["aq_items"] = sc.even(docs, DOC_CAP)
    return out


def extract(aq: Path) -> None:
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(aq), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_documents(HERE, SPLIT, ("aq_queries", "queries", "/api/query?"), ("aq_items", "items"))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
