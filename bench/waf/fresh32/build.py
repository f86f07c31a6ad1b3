"""fresh32: attack write-ups no older split read (HackTricks' SQL-injection overview page, its MS Access page and the
first 48,000 characters of its XSS overview page), against the API discovery documents google-api-python-client ships
(descriptions are prose with code, filters, SQL and URLs; parameter patterns are regular expressions).

    python bench/waf/fresh32/build.py                      # writes corpus.jsonl (deterministic)
    python bench/waf/fresh32/build.py --extract GAPI       # re-selects the values (the three json files)

``GAPI`` is the unpacked PyPI sdist ``google_api_python_client-2.202.0.tar.gz`` (its
``googleapiclient/discovery_cache/documents/*.json``, 611 documents; every ``STRIDE``-th in name order is read).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, page, commit
and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped and listed in
``sources.json``.

Benign values. Every string of the documents read (titles, names, ids, descriptions and enum descriptions, paths and
flat paths, patterns, defaults, enum values, URLs) by ``text_category`` (names, prose, urls, codes), at most ``CAP``
per category at an even stride; every JSON object of 80-4,000 characters (a parameter, a schema property, a method
without its parameters) sent whole as a JSON body (at most ``MAX_BODIES``); per method with a query parameter that has a
default or an enumeration, those parameters and the document's common ones (``alt``, ``prettyPrint``, ``$.xgafv``)
sent whole as a GET query string (the default, else the first enumerated value; at most ``MAX_QUERIES``). Values
among an older split's benign values are left out. Split name ``fresh32``.
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

SPLIT = "fresh32"
STRIDE = 12
CAP = {"names": 260, "prose": 360, "urls": 80, "codes": 260}
MAX_BODIES = 500
MAX_QUERIES = 300
DOCS = "googleapiclient/discovery_cache/documents"
LABEL = "google-api-python-client 2.202.0 discovery_cache/documents"
HOW_READ = (
    "each page's stored text through the code-search index (read_file) at the commit named per source; the injected "
    "values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "google-api-python-client 2.202.0 (PyPI sdist google_api_python_client-2.202.0.tar.gz), the API "
    f"discovery documents of {DOCS}/ (every {STRIDE}th of the 611 in name order)",
    "licence": "Apache-2.0 (google-api-python-client LICENSE)",
    "what": "every unique string by text_category (names, prose, urls, codes; at most CAP per category, evenly "
    "spaced); JSON objects of 80-4,000 characters (parameters, schema properties, methods without their parameters) "
    "whole as JSON bodies; per method its query parameters with a default or an enumeration and the document's common "
    "ones whole as a GET query string; values among an older split's benign values left out",
}


def _documents(gapi: Path) -> list[tuple[str, Any]]:
    paths = sorted((gapi / DOCS).glob("*.json"))[::STRIDE]
    return [(path.name, json.loads(path.read_text(encoding="utf-8"))) for path in paths]


def _methods(node: Any, out: list[dict[str, Any]]) -> None:
    """Every method object (one with ``httpMethod``) anywhere in ``node``."""
    if isinstance(node, dict):
        if isinstance(node.get("httpMethod"), str):
            out.append(node)
        for child in node.values():
            _methods(child, out)
    elif isinstance(node, list):
        for child in node:
            _methods(child, out)


def _objects(node: Any, out: list[Any]) -> None:
    """Every dict anywhere in ``node``, depth first; a method is taken without its ``parameters`` (sent apart)."""
    if isinstance(node, dict):
        out.append({k: v for k, v in node.items() if k != "parameters"} if "httpMethod" in node else node)
        for child in node.values():
            _objects(child, out)
    elif isinstance(node, list):
        for child in node:
            _objects(child, out)


def _pairs(params: Any) -> list[tuple[str, str]]:
    """The query parameters of ``params`` that have a default or an enumeration, with that value (the default, else
    the first enumerated value)."""
    pairs = []
    for name, param in sorted((params or {}).items()):
        if not isinstance(param, dict) or param.get("location") != "query":
            continue
        value = param.get("default", (param.get("enum") or [None])[0])
        if isinstance(value, str) and value:
            pairs.append((name, value))
    return pairs


def _query(method: dict[str, Any], common: list[tuple[str, str]]) -> str:
    """A method's own query parameters (``_pairs``) then the document's common ones (``alt``, ``prettyPrint``,
    ``$.xgafv``), as a query string; empty when the method has none of its own."""
    own = _pairs(method.get("parameters"))
    return urlencode(own + common) if own else ""


def _benign(gapi: Path) -> dict[str, list[dict[str, str]]]:
    older = sc.older_benign(HERE)
    seen: set[str] = set(older)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    bodies: list[dict[str, str]] = []
    queries: list[dict[str, str]] = []
    whole: set[str] = set(older)
    for name, doc in _documents(gapi):
        sc.collect_strings(found, seen, LABEL, name, doc)
        objects: list[Any] = []
        _objects(doc, objects)
        for obj in objects[1:]:  # not the whole document
            text = json.dumps(obj, ensure_ascii=False)
            if 80 <= len(text) <= 4000 and text not in whole and sc.keep_text(text):
                whole.add(text)
                bodies.append({"value": text, "source": f"{LABEL}/{name}"})
        methods: list[dict[str, Any]] = []
        _methods(doc.get("resources", {}), methods)
        common = _pairs(doc.get("parameters"))
        for method in methods:
            query = _query(method, common)
            if query and query not in whole:
                whole.add(query)
                queries.append({"value": query, "source": f"{LABEL}/{name}: {method.get('id', '')}"})
    values = {f"gapi_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**values, "gapi_queries": sc.even(queries, MAX_QUERIES), "gapi_objects": sc.even(bodies, MAX_BODIES)}


def extract(gapi: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``gapi``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(gapi), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_documents(HERE, SPLIT, ("gapi_queries", "queries", "/api/v1/resources?"),
                                   ("gapi_objects", "objects"))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
