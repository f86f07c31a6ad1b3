"""fresh33: attack write-ups no older split read (the last 39,008 of the 87,008 characters of HackTricks' XSS overview
page, and its SSTI overview page outside the characters 6,000-22,000 fresh25 read), against the AWS service models
botocore ships (documentation strings are HTML prose with ``<code>``, ``<a href>``, examples and, in a few services,
``{{ }}`` template text; the examples are recorded request bodies).

    python bench/waf/fresh33/build.py                      # writes corpus.jsonl (deterministic)
    python bench/waf/fresh33/build.py --extract BOTOCORE   # re-selects the values (the three json files)

``BOTOCORE`` is the unpacked PyPI sdist ``botocore-1.44.8.tar.gz`` (its ``botocore/data/<service>/<version>/``
``service-2.json`` and ``examples-1.json``; every ``STRIDE``-th of the 449 services in name order, newest API version,
plus every service whose model holds ``{{``: the template-like benign text xss/ssti detection must leave alone).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, page, commit
and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped and listed in
``sources.json``.

Benign values. Every string of the models read (documentation HTML, shape and member names, enum values, patterns,
error messages, URLs) by ``text_category`` (names, prose, urls, codes), at most ``CAP`` per category (every one with
``{{`` or ``${`` first, the others at an even stride); every shape object of 80-4,000 characters sent whole as a JSON
body (at most ``MAX_BODIES``); every example input of 80-4,000 characters whole as a JSON body (at most
``MAX_EXAMPLES``); every example input whose members are all scalars sent as an AWS query-protocol GET query string
(``Action``, ``Version``, then the members; at most ``MAX_QUERIES``). Values among an older split's benign values are
left out. Split name ``fresh33``.
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

SPLIT = "fresh33"
STRIDE = 10
CAP = {"names": 260, "prose": 420, "urls": 80, "codes": 260}
MAX_BODIES = 450
MAX_EXAMPLES = 250
MAX_QUERIES = 120
DATA = "botocore/data"
LABEL = "botocore 1.44.8 data"
HOW_READ = (
    "each page's stored text through the code-search index (read_file) at the commit named per source; the injected "
    "values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": f"botocore 1.44.8 (PyPI sdist botocore-1.44.8.tar.gz), the AWS service models of {DATA}/ "
    f"(service-2.json and examples-1.json of the newest API version; every {STRIDE}th of the 449 services in name "
    "order, plus every service whose service-2.json holds '{{')",
    "licence": "Apache-2.0 (botocore LICENSE.txt)",
    "what": "every unique string by text_category (names, prose, urls, codes; at most CAP per category: every one "
    "holding '{{' or '${' first, the others evenly spaced); shape objects of 80-4,000 characters whole as JSON "
    "bodies; example inputs of 80-4,000 characters whole as JSON bodies; example inputs of scalar members as AWS "
    "query-protocol GET query strings (Action, Version, members); values among an older split's benign values left "
    "out",
}


TEMPLATE_MARKS = ("{{", "${")
"""Template-like text (a model's ``{{param}}`` placeholders, ``${...}`` variables): every value holding one is kept
before the even sampling, as the benign cases ssti detection must leave alone."""


def _prefer(values: list[dict[str, str]], cap: int) -> list[dict[str, str]]:
    """Every value with a ``TEMPLATE_MARKS`` mark, then the others evenly spaced up to ``cap`` in all."""
    marked = [v for v in values if any(m in v["value"] for m in TEMPLATE_MARKS)][:cap]
    rest = [v for v in values if not any(m in v["value"] for m in TEMPLATE_MARKS)]
    return marked + sc.even(rest, cap - len(marked))


def _services(botocore: Path) -> list[tuple[str, Path]]:
    """(service, newest version folder): every ``STRIDE``-th service, and every one whose model holds ``{{``."""
    data = botocore / DATA
    services = sorted(p for p in data.iterdir() if p.is_dir())
    chosen = []
    for i, service in enumerate(services):
        versions = sorted(v for v in service.iterdir() if (v / "service-2.json").exists())
        if not versions:
            continue
        newest = versions[-1]
        if i % STRIDE == 0 or "{{" in (newest / "service-2.json").read_text(encoding="utf-8"):
            chosen.append((service.name, newest))
    return chosen


def _query(op: str, version: str, example_input: Any) -> str:
    """An example input whose members are all scalars as an AWS query-protocol query string; empty otherwise."""
    if not isinstance(example_input, dict) or not example_input:
        return ""
    pairs = [("Action", op), ("Version", version)]
    for key, value in example_input.items():
        if isinstance(value, bool):
            pairs.append((key, "true" if value else "false"))
        elif isinstance(value, (str, int, float)):
            pairs.append((key, str(value)))
        else:
            return ""
    return urlencode(pairs)


def _benign(botocore: Path) -> dict[str, list[dict[str, str]]]:
    older = sc.older_benign(HERE)
    seen: set[str] = set(older)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    bodies: list[dict[str, str]] = []
    examples: list[dict[str, str]] = []
    queries: list[dict[str, str]] = []
    whole: set[str] = set(older)
    for name, folder in _services(botocore):
        rel = f"{name}/{folder.name}"
        model = json.loads((folder / "service-2.json").read_text(encoding="utf-8"))
        sc.collect_strings(found, seen, LABEL, f"{rel}/service-2.json", model)
        for shape_name, shape in sorted(model.get("shapes", {}).items()):
            text = json.dumps(shape, ensure_ascii=False)
            if 80 <= len(text) <= 4000 and text not in whole and sc.keep_text(text):
                whole.add(text)
                bodies.append({"value": text, "source": f"{LABEL}/{rel}/service-2.json: shapes.{shape_name}"})
        ex_path = folder / "examples-1.json"
        if not ex_path.exists():
            continue
        version = model.get("metadata", {}).get("apiVersion", folder.name)
        for op, cases in sorted(json.loads(ex_path.read_text(encoding="utf-8")).get("examples", {}).items()):
            for case in cases:
                example_input = case.get("input")
                text = json.dumps(example_input, ensure_ascii=False)
                where = f"{LABEL}/{rel}/examples-1.json: {op} {case.get('id', '')}"
                if 80 <= len(text) <= 4000 and text not in whole and sc.keep_text(text):
                    whole.add(text)
                    examples.append({"value": text, "source": where})
                query = _query(op, version, example_input)
                if query and query not in whole and sc.keep_text(query):
                    whole.add(query)
                    queries.append({"value": query, "source": where})
    values = {f"boto_{cat}": _prefer(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**values, "boto_queries": sc.even(queries, MAX_QUERIES),
            "boto_objects": _prefer(bodies, MAX_BODIES) + _prefer(examples, MAX_EXAMPLES)}


def extract(botocore: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``botocore``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(botocore), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_documents(HERE, SPLIT, ("boto_queries", "queries", "/api/v1/resources?"),
                                   ("boto_objects", "objects"))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
