"""fresh40: the CVE templates of projectdiscovery/nuclei-templates under http/cves/2021/ ... http/cves/2024/ (older
splits read only its dast/ folder, fresh10), against the recorded Socrata (SODA) API answers the sodapy sdist ships
(dataset catalogue entries with their publishers' names and descriptions, dataset metadata, song rows and bicycle
counter rows).

    python bench/waf/fresh40/build.py                    # writes corpus.jsonl (deterministic)
    python bench/waf/fresh40/build.py --extract SODAPY   # re-selects the values (the three json files)

``SODAPY`` is the unpacked PyPI sdist ``sodapy-2.2.0.tar.gz``; every JSON file of its ``tests/test_data/`` is read
(``empty.txt`` and ``nondatasetfile.zip`` are not JSON and are skipped).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, template,
commit and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped and listed in
``sources.json``.

Benign values. Every string of the recorded answers (``collect_strings``: names, prose, urls, codes by
``text_category``), at most ``CAP`` per category at an even stride; every object of a list and every whole document
of 80-4,000 characters sent whole as a JSON body (at most ``MAX_BODIES``); every list object whose values are all
scalars sent whole as a GET query string (at most ``MAX_QUERIES``), the way SODA filters rows
(``/resource/<id>.json?column=value``). Values among an older split's benign values are left out. No form bodies: the
sdist records none. Split name ``fresh40``.
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

SPLIT = "fresh40"
CAP = {"names": 260, "prose": 400, "urls": 80, "codes": 260}
MAX_BODIES = 500
MAX_QUERIES = 300
DATA = "tests/test_data"
LABEL = "sodapy 2.2.0 tests/test_data"
HOW_READ = (
    "each template's stored text through the code-search index (read_file) at the commit named per source; the "
    "injected values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "sodapy 2.2.0 (PyPI sdist sodapy-2.2.0.tar.gz), tests/test_data/*: recorded Socrata (SODA) API answers "
    "(dataset catalogue search, dataset metadata, song rows, bicycle counter rows, an error answer)",
    "licence": "MIT (sodapy PKG-INFO: 'License: MIT')",
    "what": "every unique string by text_category (names, prose, urls, codes; at most CAP per category, evenly "
    "spaced); list objects and whole documents of 80-4,000 characters whole as JSON bodies; list objects whose "
    "values are all scalars whole as a GET query string; values among an older split's benign values left out",
}


def _documents(root: Path) -> list[tuple[str, Any]]:
    """Every JSON document of ``tests/test_data`` in name order, with its file name."""
    out = []
    for path in sorted((root / DATA).iterdir()):
        try:
            out.append((path.name, json.loads(path.read_text(encoding="utf-8"))))
        except (ValueError, UnicodeDecodeError):
            continue
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
            if query and query not in whole:
                whole.add(query)
                queries.append({"value": query, "source": where})
    values = {f"soda_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**values, "soda_queries": sc.even(queries, MAX_QUERIES), "soda_objects": sc.even(bodies, MAX_BODIES)}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(root), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_documents(HERE, SPLIT, ("soda_queries", "queries", "/resource/dataset.json?"),
                                   ("soda_objects", "objects"))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
