"""fresh46: the injected values of Exploit-DB web exploits outside PHP (offensive-security/exploitdb
``exploits/{asp,aspx,jsp,java,python,ruby,nodejs,json,xml,windows,perl}/webapps/``: classic ASP and MSSQL/Access SQL
injection, ASP.NET, Java EL/OGNL/MVEL and XStream, XXE in SOAP bodies, Node.js deserialization, Windows paths),
against recorded MediaWiki API answers (the ``wikipedia`` client's test data: article extracts, titles, links,
categories, image and external URLs, search answers, rendered article HTML, and the query strings that asked for them).

    python bench/waf/fresh46/build.py                          # writes corpus.jsonl (deterministic)
    python bench/waf/fresh46/build.py --extract WIKIPEDIA      # re-selects the values (the three json files)

``WIKIPEDIA`` is the unpacked PyPI sdist ``wikipedia-1.4.0.tar.gz`` (its ``tests/request_mock_data.py``: one Python
literal, ``mock_data``, read with ``ast.literal_eval``, never imported or run).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, exploit file,
commit and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped and listed in
``sources.json``. How the exploits were chosen and transcribed: the header of ``records.txt``.

Benign values (rules written before measuring). From ``mock_data["_wiki_request calls"]`` (42 recorded API answers keyed
by their request parameters) and ``mock_data["data"]`` (the values the tests expect: page content, summaries, rendered
HTML, link, image, reference and category lists, search results, coordinates): every string by
``split_corpus.text_category`` (names, prose, urls, codes) when it is at most 4,000 characters; every text with a blank
line split into its paragraphs (``paragraphs``: extracts and page content with their ``== Heading ==`` lines); every
string holding HTML tags split into its non-empty lines (``html``: rendered article HTML, tables, reference lists);
at most ``CAP`` per category at an even stride. Whole documents: each recorded request's parameters as the query string
the client sends (``format=json`` and ``action=query`` added as ``wikipedia._wiki_request`` adds them) after
``/w/api.php?``, and each recorded answer of at most 4,000 characters as a JSON body. Values among an older split's
benign values are left out. Split name ``fresh46``.
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

SPLIT = "fresh46"
CAP = {"names": 300, "prose": 300, "urls": 200, "codes": 200, "paragraphs": 300, "html": 400}
MAX_LEN = 4000
MOCK = "tests/request_mock_data.py"
LABEL = "wikipedia 1.4.0 tests/request_mock_data.py"
TAG = re.compile(r"<[a-zA-Z/][^>]*>")
HOW_READ = (
    "each exploit's stored text through the code-search index (read_file) at the commit named per source; the "
    "injected values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "wikipedia 1.4.0 (PyPI sdist wikipedia-1.4.0.tar.gz), tests/request_mock_data.py: 42 recorded "
    "MediaWiki API answers (English Wikipedia, 2013-2014: Celtuce, Tropical Depression Ten (2005), Great Wall of "
    "China, Barack Obama and Porsche searches, disambiguation pages) and the values its tests expect",
    "licence": "MIT (wikipedia PKG-INFO 'License: MIT', LICENSE Copyright 2013 Jonathan Goldsmith); the article text "
    "is Wikipedia's (CC BY-SA), used as test data",
    "what": "every string of at most 4,000 characters by text_category (names, prose, urls, codes); texts with blank "
    "lines split into paragraphs; texts with HTML tags split into lines; at most CAP per category, evenly spaced; each "
    "recorded request as its query string after /w/api.php? (format=json, action=query added as the client adds "
    "them); each recorded answer of at most 4,000 characters whole as a JSON body; values among an older split's "
    "benign values left out",
}


def _mock(root: Path) -> dict[str, Any]:
    """``mock_data`` of the sdist's test module, read as a literal (the module is not imported)."""
    tree = ast.parse((root / MOCK).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "mock_data" for t in node.targets):
            data: dict[str, Any] = ast.literal_eval(node.value)
            return data
    raise SystemExit(f"no mock_data in {root / MOCK}")


def _strings(node: Any, out: list[str]) -> None:
    """Every string value of ``node`` (dict keys too), depth first."""
    if isinstance(node, dict):
        for k, v in node.items():
            _strings(k, out)
            _strings(v, out)
    elif isinstance(node, (list, tuple)):
        for v in node:
            _strings(v, out)
    elif isinstance(node, str):
        out.append(node)


def _query(params: tuple[tuple[str, Any], ...]) -> str:
    """The query string ``wikipedia._wiki_request`` sends for ``params``."""
    full = dict(params)
    full.setdefault("format", "json")
    full.setdefault("action", "query")
    return urlencode([(k, str(v)) for k, v in full.items()])


class Found:
    """The values found so far by category, each once (and never one an older split holds)."""

    def __init__(self, older: set[str]) -> None:
        self.seen = set(older)
        self.values: dict[str, list[dict[str, str]]] = {cat: [] for cat in CAP}

    def add(self, cat: str, value: str, where: str) -> None:
        value = value.strip()
        if value and value not in self.seen and sc.keep_text(value):
            self.seen.add(value)
            self.values[cat].append({"value": value, "source": where})

    def text(self, value: str, where: str) -> None:
        if len(value.strip()) <= MAX_LEN:
            self.add(sc.text_category(value.strip()), value, where)
        if TAG.search(value):
            for line in value.split("\n"):
                self.add("html", line, f"{where} (a line)")
        elif "\n\n" in value:
            for para in re.split(r"\n\s*\n", value):
                self.add("paragraphs", para, f"{where} (a paragraph)")


def _benign(root: Path) -> dict[str, list[dict[str, str]]]:
    data = _mock(root)
    found = Found(sc.older_benign(HERE))
    queries: list[dict[str, str]] = []
    bodies: list[dict[str, str]] = []
    for i, (params, answer) in enumerate(data["_wiki_request calls"].items()):
        where = f"{LABEL}: _wiki_request calls[{i}]"
        queries.append({"value": _query(params), "source": f"{where} (request)"})
        body = json.dumps(answer, ensure_ascii=False)
        if len(body) <= MAX_LEN:
            bodies.append({"value": body, "source": f"{where} (answer)"})
        texts: list[str] = []
        _strings(answer, texts)
        for text in texts:
            found.text(text, f"{where} (answer)")
    for key, value in data["data"].items():
        texts = []
        _strings(value, texts)
        for text in texts:
            found.text(text, f"{LABEL}: data[{key!r}]")
    values = {f"wiki_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.values.items() if vals}
    return {**values, "wiki_queries": queries, "wiki_answers": bodies}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(root), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_documents(HERE, SPLIT, ("wiki_queries", "queries", "/w/api.php?"), ("wiki_answers", "answers"))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
