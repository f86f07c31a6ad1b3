"""fresh59: the inputs Datadog's in-app WAF (libddwaf) and its system tests hand their detectors: the user parameters
of the RASP detectors' tests (SQL, shell, exec, file and URL injection) and the rule triggers of the AppSec system
tests, against recorded NASA ADS search answers (ads 0.12.7's stub data) and the values the same tests say the
detectors must NOT flag.

    python bench/waf/fresh59/build.py                   # writes corpus.jsonl (deterministic)
    python bench/waf/fresh59/build.py --extract ADS     # re-selects the values

``ADS`` is the unpacked PyPI sdist ``ads-0.12.7.tar.gz`` (the folder holding ``ads/tests/stubdata/``).

Attack payloads (what was read, and how): ``records.txt``, transcribed by hand from ``DataDog/libddwaf``'s detector
tests (``tests/unit/condition/{sqli,shi,cmdi,lfi,ssrf}_detector*_test.cpp``, ``sqli_detector_internals_test.cpp``,
``tests/unit/matcher/is_{sqli,xss}_test.cpp``, ``tests/integration/conditions/rasp_transformers/test.cpp``) and
``DataDog/system-tests``' ``tests/appsec/rasp/test_*.py`` and ``tests/appsec/waf/test_{rules,addresses}.py``, read
through the code-search index at the commits named on each source line. The RASP tests pair a user parameter with the
statement, command, path or URL it ends up in: the value kept is the user parameter (what a WAF sees). The classes,
fixed before measuring, are the detector or rule family's (sqli, cmdi, traversal, ssrf, xss, nosqli, ssti); the rules
for what makes a value an attack of each class and what is left out (ORDER BY expression lists, bare literal
comparisons, bare command words, host and query-string fragments, scanner marks, classes Bastion has not) are the
header of ``records.txt``, every left-out value with its ``@@ drop`` note. Values already in an older split or repeated
are dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring):

- ``ddwaf_negatives``: the values the same tests hand their detectors and assert are NOT flagged (records of class
  ``negative``: ORDER BY clauses with LIMIT/OFFSET, ``-- admin``, relative and Windows file names, internal-looking
  hosts and paths, shell arguments), unless the same value or one of its shape is an attack of these suites (left out
  with a note). The hardest benign look-alikes: reported apart.
- ``ads_*``: every string of the recorded ADS API answers in ``ads/tests/stubdata/`` (``solr.py``'s search answer,
  ``export.py``'s BibTeX export, ``metrics.py``'s metrics answer; each module's JSON string parsed), except under
  ``split_corpus.SECRET_KEYS``, by ``text_category`` (names: authors, journals; prose: titles, abstracts, the BibTeX
  record; urls; codes: bibcodes with ``&`` and ``...``, DOIs, dates, ids), at most ``CAP`` per category at an even
  stride; ``ads_records``: each search result document whole as a JSON body; ``ads_answers``: each answer of at most
  ``MAX_DOC`` characters whole as a JSON body.

The ads values are stripped, the negatives kept as the tests write them (leading blanks included); empty values,
values an older split holds (``split_corpus.older_benign``) and repeats are left out. Split name ``fresh59``.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh59"
CAP = {"names": 400, "prose": 300, "urls": 100, "codes": 300}
MAX_DOC = 40_000
STUBDATA = "ads/tests/stubdata"
STUB_FILES = ("solr.py", "export.py", "metrics.py")
LABEL = "ads 0.12.7 ads/tests/stubdata"
HOW_READ = (
    "DataDog/libddwaf and DataDog/system-tests test files read through the code-search index (read_file, find_string "
    "for the two RASP tests whose parameter is one literal) at the commits named per source; the user parameters "
    "transcribed by hand into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "ads 0.12.7 (PyPI sdist ads-0.12.7.tar.gz), ads/tests/stubdata/{solr,export,metrics}.py: the recorded "
    "answers of the NASA ADS search, export and metrics APIs its tests replay; the no-match values of the libddwaf "
    "and system-tests suites (records.txt, class negative)",
    "licence": "ads: MIT (PKG-INFO License: MIT; LICENSE); the titles and abstracts are their authors' text; "
    "libddwaf: Apache-2.0 OR BSD-3-Clause",
    "what": "ads strings by text_category (at most CAP each, evenly spaced), search documents and whole answers as "
    "JSON bodies; the detectors' negatives as their own category ddwaf_negatives",
}


def _stub_answers(root: Path) -> list[tuple[str, Any, str]]:
    """(file, parsed answer, raw JSON text) of every module-level string of the stub files that is a JSON document."""
    out: list[tuple[str, Any, str]] = []
    for name in STUB_FILES:
        tree = ast.parse((root / STUBDATA / name).read_text(encoding="utf-8"))
        for node in tree.body:
            value = node.value if isinstance(node, ast.Assign) else None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                try:
                    out.append((name, json.loads(value.value), value.value))
                except ValueError:
                    continue
    return out


def _ads(root: Path) -> dict[str, list[dict[str, str]]]:
    seen = set(sc.older_benign(HERE))
    found: dict[str, list[dict[str, str]]] = {"names": [], "prose": [], "urls": [], "codes": []}
    records: list[dict[str, str]] = []
    answers: list[dict[str, str]] = []
    for name, doc, raw in _stub_answers(root):
        sc.collect_strings(found, seen, LABEL, name, doc)
        for i, item in enumerate(doc.get("response", {}).get("docs", []) if isinstance(doc, dict) else []):
            text = json.dumps(item, ensure_ascii=False)
            if text not in seen:
                seen.add(text)
                records.append({"value": text, "source": f"{LABEL}/{name} response.docs[{i}]"})
        if len(raw) <= MAX_DOC and raw.strip() not in seen:
            seen.add(raw.strip())
            answers.append({"value": raw.strip(), "source": f"{LABEL}/{name}"})
    out = {f"ads_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**out, "ads_records": records, "ads_answers": answers}


def _negatives(sources: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The ``negative`` records (taken out of ``sources``): values the tests assert are not flagged."""
    older = sc.older_benign(HERE)
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for src in sources:
        keep = []
        for cls, value in src["values"]:
            if cls != "negative":
                keep.append((cls, value))
            elif value.strip() and value not in seen and value.strip() not in older:
                seen.add(value)
                out.append({"value": value, "source": f"{src['repository']} {src['files'].split(' (')[0]}"})
        src["values"] = keep
    return out


def extract(ads: Path) -> None:
    """The attack values and negatives (records.txt) and the benign values from the unpacked ads sdist."""
    sources, dropped = sc.read_records(HERE / "records.txt", sc.decode_url_record)
    negatives = _negatives(sources)
    benign = {"ddwaf_negatives": negatives, **_ads(ads)}
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(
        HERE, SPLIT, (("ads_records", "records", "json"), ("ads_answers", "answers", "json"))
    )
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
