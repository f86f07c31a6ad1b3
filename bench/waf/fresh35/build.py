"""fresh35: PayloadsAllTheThings sub-pages no older split read (XSS Common WAF Bypass, XSS Polyglot, XSS in Angular,
SSRF-Cloud-Instances, SSRF-Advanced-Exploitation, File Inclusion Wrappers (first 16,000 characters) and LFI-to-RCE,
the DB2, BigQuery, Cassandra and HQL injection pages), against the AWS service models and request examples botocore
ships (documentation is HTML prose with code, ARNs, JSON policies and URLs; examples are real request and answer
bodies).

    python bench/waf/fresh35/build.py                      # writes corpus.jsonl (deterministic)
    python bench/waf/fresh35/build.py --extract BOTOCORE   # re-selects the values (the three json files)

``BOTOCORE`` is the unpacked PyPI sdist ``botocore-1.44.8.tar.gz`` (its ``botocore/data/<service>/<version>/``
``service-2.json`` and ``examples-1.json``, newest version per service; every ``STRIDE``-th of the 449 services in
name order is read).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, page, commit
and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped and listed in
``sources.json``.

Benign values. Every string of the models and examples read (operation, shape and member names, HTML documentation,
patterns, enum values, example titles, descriptions, comments and input/output values) by ``text_category`` (names,
prose, urls, codes), at most ``CAP`` per category at an even stride; every example's input and output object and every
shape of 80-4,000 characters sent whole as a JSON body (at most ``MAX_BODIES``); every example input whose values are
all scalars sent whole as a GET query string (at most ``MAX_QUERIES``). Values among an older split's benign values are
left out. Split name ``fresh35``.
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

SPLIT = "fresh35"
STRIDE = 6
CAP = {"names": 260, "prose": 400, "urls": 80, "codes": 260}
MAX_BODIES = 500
MAX_QUERIES = 300
DATA = "botocore/data"
LABEL = "botocore 1.44.8 botocore/data"
HOW_READ = (
    "each page's stored text through the code-search index (read_file) at the commit named per source; the injected "
    "values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "botocore 1.44.8 (PyPI sdist botocore-1.44.8.tar.gz), the AWS service models and request examples of "
    f"{DATA}/<service>/<newest version>/service-2.json and examples-1.json (every {STRIDE}th of the 449 services in "
    "name order)",
    "licence": "Apache-2.0 (botocore LICENSE.txt)",
    "what": "every unique string by text_category (names, prose, urls, codes; at most CAP per category, evenly "
    "spaced); example input and output objects and model shapes of 80-4,000 characters whole as JSON bodies; "
    "example inputs whose values are all scalars whole as a GET query string; values among an older split's "
    "benign values left out",
}


def _services(root: Path) -> list[tuple[str, Path]]:
    """The newest model folder of every ``STRIDE``-th service, in name order."""
    out = []
    for service in sorted(p for p in (root / DATA).iterdir() if p.is_dir())[::STRIDE]:
        versions = sorted(p for p in service.iterdir() if (p / "service-2.json").is_file())
        if versions:
            out.append((service.name, versions[-1]))
    return out


def _examples(doc: Any) -> list[dict[str, Any]]:
    """Every example object of an ``examples-1.json``."""
    return [ex for exs in (doc or {}).get("examples", {}).values() for ex in exs if isinstance(ex, dict)]


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
        if isinstance(obj, dict) and 80 <= len(text) <= 4000 and text not in whole and sc.keep_text(text):
            whole.add(text)
            bodies.append({"value": text, "source": where})

    for name, folder in _services(root):
        rel = f"{name}/{folder.name}"
        model = json.loads((folder / "service-2.json").read_text(encoding="utf-8"))
        sc.collect_strings(found, seen, LABEL, f"{rel}/service-2.json", model)
        for shape_name, shape in sorted(model.get("shapes", {}).items()):
            body(shape, f"{LABEL}/{rel}/service-2.json: shapes.{shape_name}")
        path = folder / "examples-1.json"
        examples = _examples(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else []
        sc.collect_strings(found, seen, LABEL, f"{rel}/examples-1.json", examples)
        for ex in examples:
            where = f"{LABEL}/{rel}/examples-1.json: {ex.get('id', '')}"
            body(ex.get("input"), where + " input")
            body(ex.get("output"), where + " output")
            query = _scalar_query(ex.get("input"))
            if query and query not in whole:
                whole.add(query)
                queries.append({"value": query, "source": where + " input"})
    values = {f"aws_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**values, "aws_queries": sc.even(queries, MAX_QUERIES), "aws_objects": sc.even(bodies, MAX_BODIES)}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(root), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_documents(HERE, SPLIT, ("aws_queries", "queries", "/api/v1/resources?"),
                                   ("aws_objects", "objects"))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
