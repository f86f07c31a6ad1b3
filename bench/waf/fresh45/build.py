"""fresh45: Exploit-DB's router, camera, IoT, appliance and multi-platform web exploits (the injected value each
exploit's own PoC sends), against the wikitext and developer prose of mwparserfromhell's test suite and documentation
(what MediaWiki users and editors write: templates, links, tables, references, headings, entities).

    python bench/waf/fresh45/build.py                       # writes corpus.jsonl (deterministic)
    python bench/waf/fresh45/build.py --extract SDIST       # re-selects the values (the three json files)

``SDIST`` is the unpacked PyPI sdist ``mwparserfromhell-0.7.2.tar.gz``.

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, file, commit
and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``). The exploits were chosen from the id -> path/title map ``files_exploits.csv``
at an even spread over the folders exploits/{hardware,multiple,linux,unix,cgi}/webapps/ (see the header of
``records.txt``) and each file read through the code-search index. Values already in an older split or repeated are
dropped and listed in ``sources.json``.

Benign values. From the sdist: every test case of ``tests/tokenizer/*.mwtest`` (its ``input`` wikitext, decoded as
``tests/test_tokenizer.py`` decodes it, its ``label`` and its ``name``), every string constant of at least 3
characters in ``tests/test_*.py`` (wikitext snippets and docstrings) and every paragraph of ``docs/*.rst``; each by
``text_category`` (names, prose, urls, codes), at most ``CAP`` per category at an even stride. Every tokenizer input of
20-4,000 characters is also sent whole as the MediaWiki edit request a wiki client posts (``action=edit`` form body
with title, summary = the test's label, text, and the anonymous token ``+\\``; at most ``MAX_BODIES``) and as a JSON
body ``{"title", "summary", "text"}``. Values with active content (a script/iframe/object/embed tag, an ``on...=``
handler, a ``javascript:``/``vbscript:``/``data:text/html`` URL) are left out by a rule fixed before measuring (none
was found); values among an older split's benign values are left out. Split name ``fresh45``.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh45"
CAP = {"names": 260, "prose": 400, "urls": 40, "codes": 160}
MAX_BODIES = 300
LABEL = "mwparserfromhell 0.7.2"
HOW_READ = (
    "each exploit file's stored text through the code-search index (read_file) at the commit named per source, chosen "
    "from Xhoenix/searchsploit files_exploits.csv at 04fa5ba95dca9caf5528c27a0840391c671908f2; the injected values "
    "transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "mwparserfromhell 0.7.2 (PyPI sdist mwparserfromhell-0.7.2.tar.gz): tests/tokenizer/*.mwtest "
    "(12 files), tests/test_*.py string constants, docs/*.rst paragraphs",
    "licence": "MIT (mwparserfromhell LICENSE, PKG-INFO 'License-Expression: MIT')",
    "what": "every unique tokenizer input (wikitext), label and name, test-file string constant and documentation "
    "paragraph by text_category (at most CAP per category, evenly spaced); tokenizer inputs of 20-4,000 characters "
    "whole as MediaWiki action=edit form bodies and as JSON bodies (at most MAX_BODIES each); active content and "
    "values among an older split's benign values left out",
}
ACTIVE = re.compile(r"<\s*(?:script|iframe|object|embed)\b|\bon[a-z]+\s*=|(?:javascript|vbscript)\s*:|data:text/html",
                    re.IGNORECASE)


def _active(text: str) -> bool:
    return bool(ACTIVE.search(text))


def _mwtests(path: Path) -> list[dict[str, str]]:
    """The test cases of one ``.mwtest`` file as ``tests/test_tokenizer.py`` reads them (name, label, input)."""
    cases = []
    for block in path.read_text(encoding="utf-8").split("\n---\n"):
        case: dict[str, str] = {}
        for line in block.strip().splitlines():
            for key in ("name", "label"):
                if line.startswith(key + ":"):
                    case[key] = line[len(key) + 1:].strip()
            if line.startswith("input:"):
                raw = line[len("input:"):].strip()
                if raw[:1] == '"' and raw[-1:] == '"':
                    raw = raw[1:-1]
                case["input"] = raw.encode("raw_unicode_escape").decode("unicode_escape")
        if "input" in case:
            cases.append(case)
    return cases


def _constants(path: Path) -> list[str]:
    """String constants of at least 3 characters in a test module, in source order."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    nodes.sort(key=lambda n: (n.lineno, n.col_offset))
    return [str(n.value) for n in nodes if len(str(n.value).strip()) >= 3]


def _paragraphs(path: Path) -> list[str]:
    return [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def _benign(root: Path) -> dict[str, list[dict[str, str]]]:
    older = sc.older_benign(HERE)
    seen: set[str] = set(older)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}

    def add(text: str, where: str) -> None:
        text = text.strip()
        if text in seen or not sc.keep_text(text) or _active(text):
            return
        seen.add(text)
        found[sc.text_category(text)].append({"value": text, "source": f"{LABEL} {where}"})

    forms: list[dict[str, str]] = []
    bodies: list[dict[str, str]] = []
    whole: set[str] = set(older)
    for path in sorted((root / "tests" / "tokenizer").glob("*.mwtest")):
        rel = str(path.relative_to(root))
        for case in _mwtests(path):
            name, label, text = case.get("name", ""), case.get("label", ""), case["input"]
            for key in ("input", "label", "name"):
                add(case.get(key, ""), f"{rel}: {name} {key}")
            if not 20 <= len(text) <= 4000 or _active(text) or text in whole:
                continue
            whole.add(text)
            title = f"Sandbox/{name}"
            form = urlencode([("action", "edit"), ("format", "json"), ("title", title), ("summary", label),
                              ("text", text), ("token", "+\\")])
            forms.append({"value": form, "source": f"{LABEL} {rel}: {name} (edit form)"})
            obj = json.dumps({"title": title, "summary": label, "text": text}, ensure_ascii=False)
            bodies.append({"value": obj, "source": f"{LABEL} {rel}: {name} (JSON)"})
    for path in sorted((root / "tests").glob("test_*.py")):
        rel = str(path.relative_to(root))
        for text in _constants(path):
            add(text, f"{rel}: string constant")
    for path in sorted((root / "docs").glob("*.rst")):
        rel = str(path.relative_to(root))
        for text in _paragraphs(path):
            add(text, f"{rel}: paragraph")
    values = {f"wiki_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**values, "wiki_forms": sc.even(forms, MAX_BODIES), "wiki_objects": sc.even(bodies, MAX_BODIES)}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(root), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_bodies(HERE, SPLIT, (("wiki_forms", "edits", "form"), ("wiki_objects", "objects", "json")))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
