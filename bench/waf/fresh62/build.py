"""fresh62: the injected values of afrog's YAML PoCs (zan8in/afrog ``pocs/``: Chinese OA/ERP/router/camera products
under ``vulnerability/`` and ``CNVD/``, and CVE PoCs of 2022-2025), against the recorded Netatmo API answers the
pyatmo sdist ships as test fixtures (homes, rooms, modules and schedules of smart-home installations, weather-station
measures, camera events, WebRTC session answers).

    python bench/waf/fresh62/build.py                   # writes corpus.jsonl (deterministic)
    python bench/waf/fresh62/build.py --extract PYATMO  # re-selects the values first (the three json files)

``PYATMO`` is the unpacked PyPI sdist ``pyatmo-9.9.1.tar.gz``; every ``fixtures/**/*.json`` is read in path order
(the one JPEG is skipped).

Attack payloads (what was read, and how). The PoCs were read one by one through the code-search index (read_file; the
commit the index returned is named per source) and the value an attacker controls transcribed by hand into
``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, PoC, commit and licence;
``@@ drop`` lines say what was left out and why): the query or form value, path segment, header, cookie, JSON field,
XML text or whole body as the PoC sends it, decoded once as the application receives it
(``split_corpus.decode_form_record``: kind ``Q`` with ``unquote_plus``, ``U`` with ``unquote``, ``J`` as written).
afrog's placeholders (``oob()``, ``newJNDI()``, ``randomLowercase``, ``randomInt``) are filled with fixed values.
The sampling and the rules, fixed before measuring, are in the header of ``records.txt``: the PoC's own family (id and
name, then tags, then description) decides the class (sqli, cmdi, ssti, jndi, traversal, xss, xxe; ssrf only for an
internal target), a family of none of ours (upload, auth bypass, disclosure) drops the PoC, and lone probes, bare
command words, serialized blobs, harmless uploads and out-of-band probes to public hosts are dropped with notes.
Values already in an older split (attacks or corpus) or repeated are dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring). Every string of every fixture not under a ``SECRET_KEYS`` key and kept
by ``keep_text``, by ``text_category`` (``atmo_names``, ``atmo_prose``, ``atmo_codes``, ``atmo_urls``; at most ``CAP``
per category at an even stride); every object of a list and every whole fixture of 80-4,000 characters whole as a
JSON body (``atmo_objects``, at most ``MAX_BODIES``); every list object whose values are all scalars whole as a GET
query string (``atmo_queries``, at most ``MAX_QUERIES``), the way the Netatmo API takes a home's or module's settings
(``/api/homestatus?home_id=...``). Values an older split holds, and values holding ``localhost``, are left out. Split
name ``fresh62``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh62"
CAP = {"names": 600, "prose": 400, "urls": 200, "codes": 900}
MAX_BODIES = 600
MAX_QUERIES = 300
LABEL = "pyatmo 9.9.1 fixtures"
HOW_READ = (
    "each PoC's stored text through the code-search index (read_file; the commit the index returned is named per "
    "source); the injected values transcribed into records.txt as the PoC sends them and decoded once (see its header "
    "for the sampling and the rules)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "pyatmo 9.9.1 (PyPI sdist pyatmo-9.9.1.tar.gz), fixtures/**/*.json: 67 recorded Netatmo API answers "
    "(homesdata, homestatus, getstationsdata, gethomecoachsdata, getpublicdata, getmeasure, getevents, schedules, "
    "camera and WebRTC answers, error answers; fixtures/archive/ the older API's)",
    "licence": "MIT (PKG-INFO License-Expression: MIT; LICENSE.txt 'Copyright (c) 2018 Hugo DUPRAS')",
    "what": "every string by text_category (names, prose, codes, urls; at most CAP per category, evenly spaced); list "
    "objects and whole fixtures of 80-4,000 characters whole as JSON bodies; list objects whose values are all "
    "scalars whole as a GET query string; values among an older split's benign values left out",
}


def _documents(root: Path) -> list[tuple[str, Any]]:
    """Every JSON fixture in path order, with its path under ``fixtures/``."""
    out = []
    for path in sorted((root / "fixtures").rglob("*.json")):
        out.append((str(path.relative_to(root / "fixtures")), json.loads(path.read_text(encoding="utf-8"))))
    return out


def _scalar_query(obj: Any) -> str:
    """``obj`` as a query string when it is a non-empty object whose values are all strings, numbers or booleans."""
    if not isinstance(obj, dict) or not obj:
        return ""
    if not all(isinstance(v, (str, int, float, bool)) for v in obj.values()):
        return ""
    return urlencode([(k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in obj.items()])


def _benign(root: Path) -> dict[str, list[dict[str, str]]]:
    older = sc.older_benign(HERE)
    seen: set[str] = set(older)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    bodies: list[dict[str, str]] = []
    queries: list[dict[str, str]] = []
    whole: set[str] = set(older)

    def body(obj: Any, where: str) -> None:
        text = json.dumps(obj, ensure_ascii=False)
        if isinstance(obj, (dict, list)) and 80 <= len(text) <= 4000 and text not in whole and sc.keep_text(text):
            whole.add(text)
            bodies.append({"value": text, "source": where})

    for name, doc in _documents(root):
        sc.collect_strings(found, seen, LABEL, name, doc)
        body(doc, f"{LABEL}/{name}")
        items: list[Any] = []
        sc.list_items(doc, items)
        for i, item in enumerate(items):
            where = f"{LABEL}/{name}: list object {i}"
            body(item, where)
            query = _scalar_query(item)
            if query and query not in whole and sc.keep_text(query):
                whole.add(query)
                queries.append({"value": query, "source": where})
    values = {f"atmo_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**values, "atmo_queries": sc.even(queries, MAX_QUERIES), "atmo_objects": sc.even(bodies, MAX_BODIES)}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(root), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_documents(
        HERE, SPLIT, ("atmo_queries", "queries", "/api/homestatus?"), ("atmo_objects", "objects")
    )
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
