"""fresh43: Exploit-DB's PHP web-application advisories (``exploits/php/webapps/<id>.txt``, ids sampled at an even
stride over 1,000-52,000, 2003-2021), against the multilingual date strings and sentences of dateparser's test suite
(what a booking, calendar or search API receives as user-typed dates in 200+ languages and scripts).

    python bench/waf/fresh43/build.py                       # writes corpus.jsonl (deterministic)
    python bench/waf/fresh43/build.py --extract DATEPARSER  # re-selects the values (the three json files)

``DATEPARSER`` is the unpacked PyPI sdist ``dateparser-1.5.0.tar.gz`` (its ``tests/*.py`` files, every one but the
four ``*linear_time*.py`` worst-case tests, in path order).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, file and
commit; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped and listed in
``sources.json``.

Benign values. Every string literal of the test files (the date strings the tests parse, in their own languages and
scripts, the sentences ``search_dates`` searches, expected translations, date formats, language and locale codes,
test names and messages written as prose) that holds a letter or a digit, by ``text_category`` (names, prose, urls,
codes), at most ``CAP`` per category at an even stride; every ``param(...)`` case written with keyword arguments only
(``date_string``, ``languages``, ``locales``, ``settings``, ...) sent whole as a JSON body with those keys (at most
``MAX_BODIES``). Values among an older split's benign values are left out. Split name ``fresh43``.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh43"
CAP = {"names": 400, "prose": 400, "urls": 40, "codes": 200}
MAX_BODIES = 400
LABEL = "dateparser 1.5.0 tests"
HOW_READ = (
    "each advisory's stored text through the code-search index (read_file) at the commit named per source; the "
    "injected values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "dateparser 1.5.0 (PyPI sdist dateparser-1.5.0.tar.gz), the string literals of tests/*.py (all test "
    "files but the four *linear_time*.py worst-case tests): date strings and sentences in 200+ languages and scripts",
    "licence": "BSD-3-Clause (dateparser LICENSE, PKG-INFO 'License-Expression: BSD-3-Clause')",
    "what": "every unique string literal holding a letter or digit by text_category (names, prose, urls, codes; at "
    "most CAP per category, evenly spaced); every keyword-only param(...) case whole as a JSON body with its own keys; "
    "values among an older split's benign values left out",
}
HAS_WORD = re.compile(r"\w")


def _files(root: Path) -> list[Path]:
    return [p for p in sorted((root / "tests").glob("*.py")) if "linear_time" not in p.name]


def _benign(root: Path) -> dict[str, list[dict[str, str]]]:
    older = sc.older_benign(HERE)
    seen: set[str] = set(older)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    bodies: list[dict[str, str]] = []
    whole: set[str] = set(older)
    for path in _files(root):
        rel = f"tests/{path.name}"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.strip()
                if HAS_WORD.search(text) and text not in seen and sc.keep_text(text):
                    seen.add(text)
                    where = f"{LABEL} {rel}: line {node.lineno}"
                    found[sc.text_category(text)].append({"value": text, "source": where})
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "param"
                  and node.keywords and not node.args):
                try:
                    obj = {str(k.arg): ast.literal_eval(k.value) for k in node.keywords}
                    text = json.dumps(obj, ensure_ascii=False)
                except (ValueError, TypeError, SyntaxError):
                    continue  # a case built from non-literal values (datetimes, settings objects)
                if text not in whole and sc.keep_text(text):
                    whole.add(text)
                    bodies.append({"value": text, "source": f"{LABEL} {rel}: param(...) at line {node.lineno}"})
    values = {f"ds_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**values, "ds_objects": sc.even(bodies, MAX_BODIES)}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(root), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_bodies(HERE, SPLIT, (("ds_objects", "objects", "json"),))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
