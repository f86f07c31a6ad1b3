"""fresh44: Exploit-DB's web-application exploits for PHP written as scripts or pages (``exploits/php/webapps/``:
Perl, Python, Ruby, shell, PHP and HTML files, 2005-2022), against the date strings of dateparser's test suite (the
dates people type or pages print, in some 200 languages and scripts, and the paragraphs its search tests read).

    python bench/waf/fresh44/build.py                       # writes corpus.jsonl (deterministic)
    python bench/waf/fresh44/build.py --extract SDIST       # re-selects the values (the three json files)

``SDIST`` is the unpacked PyPI sdist ``dateparser-1.5.0.tar.gz`` (its ``tests/*.py``, every file, in name order).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, exploit
file, commit and licence note; ``@@ drop`` lines say what was left out and why), decoded once as the application
receives them (``split_corpus.decode_form_record``). The exploits were chosen from Exploit-DB's index
``files_exploits.csv`` (read from the Xhoenix/searchsploit copy in the code-search index, since the index holds no copy
in offensive-security/exploitdb) at evenly spaced offsets of its ``php/webapps`` section (alphabetical by title, so
the ids span 2005-2024), keeping the script and page files (.pl .py .rb .sh .php .html) whose title names an
injection; each file was then read through the code-search index at the commit named per source. Values already in an
older split or repeated are dropped and listed in ``sources.json``.

Benign values (rules written before measuring). Every string constant of every ``tests/*.py`` file (read with the
standard library's ``ast``; docstrings and f-strings left out) by ``text_category`` (names, prose, urls, codes), at
most ``CAP`` per category at an even stride; and each ``param(...)`` call whose first argument is a language code
(``en``, ``zh``, ``pt-BR`` ...) sent whole as a JSON body in the form of dateparser's own call, ``{"date_string": ...,
"languages": [code]}``, one per other string argument of 3-4,000 characters (at most ``MAX_BODIES``). Values among an
older split's benign values are left out. Split name ``fresh44``.
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

SPLIT = "fresh44"
CAP = {"names": 400, "prose": 400, "urls": 40, "codes": 400}
MAX_BODIES = 500
LABEL = "dateparser 1.5.0 tests"
LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,4})?$")
HOW_READ = (
    "each exploit file's stored text through the code-search index (read_file) at the commit named per source; the "
    "injected values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "dateparser 1.5.0 (PyPI sdist dateparser-1.5.0.tar.gz), the string constants of tests/*.py (all 44 "
    "files): date strings in some 200 languages and scripts, relative dates, the paragraphs of the search tests, "
    "date formats, settings values, language and time-zone names",
    "licence": "BSD-3-Clause (dateparser PKG-INFO 'License-Expression: BSD-3-Clause', LICENSE)",
    "what": "every unique string constant by text_category (names, prose, urls, codes; at most CAP per category, "
    "evenly spaced; docstrings and f-strings left out); each param(code, ...) call of the tests sent as the JSON body "
    '{"date_string": s, "languages": [code]} per other string argument of 3-4,000 characters; values among an '
    "older split's benign values left out",
}


def _files(root: Path) -> list[Path]:
    return sorted((root / "tests").glob("*.py"))


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string nodes that are docstrings (a module's, class's or function's first statement)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                out.add(id(value))
    return out


def _strings(tree: ast.AST) -> list[str]:
    """Every string constant outside docstrings and f-strings, in source order."""
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in ast.walk(node))
    found = [
        n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip
    ]
    return [str(n.value) for n in sorted(found, key=lambda n: (n.lineno, n.col_offset))]


def _params(tree: ast.AST) -> list[tuple[str, list[str]]]:
    """``param(code, ...)`` calls whose first argument is a language code: the code and the other string arguments."""
    out: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "param"):
            continue
        args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if len(args) >= 2 and node.args and isinstance(node.args[0], ast.Constant) and LANG_CODE.match(args[0]):
            out.append((args[0], args[1:]))
    return sorted(out, key=lambda p: json.dumps(p, ensure_ascii=False))


def _benign(root: Path) -> dict[str, list[dict[str, str]]]:
    older = sc.older_benign(HERE)
    seen: set[str] = set(older)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    bodies: list[dict[str, str]] = []
    whole: set[str] = set(older)
    for path in _files(root):
        rel = path.name
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for text in _strings(tree):
            text = text.strip()
            if text in seen or not sc.keep_text(text):
                continue
            seen.add(text)
            found[sc.text_category(text)].append({"value": text, "source": f"{LABEL} {rel}"})
        for code, texts in _params(tree):
            for text in texts:
                body = json.dumps({"date_string": text, "languages": [code]}, ensure_ascii=False)
                if 3 <= len(text) <= 4000 and body not in whole and sc.keep_text(text):
                    whole.add(body)
                    bodies.append({"value": body, "source": f"{LABEL} {rel}: param({code!r}, ...)"})
    values = {f"dates_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**values, "dates_objects": sc.even(bodies, MAX_BODIES)}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(root), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_bodies(HERE, SPLIT, (("dates_objects", "objects", "json"),))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
