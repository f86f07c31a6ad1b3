"""fresh37: the nuclei DAST fuzzing templates of projectdiscovery/fuzzing-templates (sqli, xss, cmdi, ssrf, ssti,
lfi/pathtraversal, crlf, xxe) and three HackTricks pages no older split read (ORM injection, RSQL injection, RCE with
PostgreSQL extensions in place of the prose-only Cypher page), against the markdown documents and rendered HTML of the
markdown-it-py test fixtures (an API that stores user comments written in markdown and the HTML it renders).

    python bench/waf/fresh37/build.py                     # writes corpus.jsonl (deterministic)
    python bench/waf/fresh37/build.py --extract MDIT      # re-selects the values (the three json files)

``MDIT`` is the unpacked PyPI sdist ``markdown_it_py-4.3.0.tar.gz`` (its ``tests/test_cmark_spec/commonmark.json``, the
652 CommonMark spec examples, and every fixture file of ``tests/test_port/fixtures/``, in name order).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, file, commit
and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped and listed in
``sources.json``.

Benign values. Every example's markdown source as a ``comment`` value (all eight locations it fits) and its expected
HTML output as a ``body_html`` value sent whole in a JSON body, and also as a query and a header value when it is at
most ``SHORT`` characters. The rule, fixed before measuring: an example whose markdown source contains active content
(``ACTIVE``: a ``<script``, ``<iframe``, ``<object`` or ``<embed`` tag, an ``on...=`` event-handler attribute inside a
tag, or a ``javascript:``, ``vbscript:`` or ``data:text/html`` URL; matched case-insensitively in the text and in the
text with its HTML entities decoded) is left out of the benign side and counted, since it IS script a browser would
run; an HTML output is used only when it contains no such active content either. Empty or whitespace-only sources,
values over 4,000 characters or with ``localhost`` (``split_corpus.keep_text``), repeats and values among an older
split's benign values are left out; at most ``CAP`` per category, evenly spaced. Split name ``fresh37``.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh37"
CAP = {"markdown": 760, "html": 640}
SHORT = 200
LABEL = "markdown-it-py 4.3.0"
SPEC = "tests/test_cmark_spec/commonmark.json"
FIXTURES = "tests/test_port/fixtures"
ACTIVE = re.compile(
    r"<\s*(?:script|iframe|object|embed)\b|<[a-z][^<>]*?\son[a-z]+\s*=|javascript:|vbscript:|data:text/html",
    re.IGNORECASE,
)
HOW_READ = (
    "each file's stored text through the code-search index (read_file) at the commit named per source; the injected "
    "values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "markdown-it-py 4.3.0 (PyPI sdist markdown_it_py-4.3.0.tar.gz), the CommonMark spec examples of "
    f"{SPEC} and the fixture files of {FIXTURES}/ (markdown source, expected HTML)",
    "licence": "MIT (markdown-it-py LICENSE and PKG-INFO 'License :: OSI Approved :: MIT License'; "
    "LICENSE.markdown-it: MIT, Vitaly Puzrin, Alex Kocharin)",
    "what": "each example's markdown source as a comment value, its expected HTML output whole as a JSON body field "
    f"(and as a query and header value when at most {SHORT} characters); an example whose source contains active "
    "content (script/iframe/object/embed tag, on...= handler in a tag, javascript:/vbscript:/data:text/html URL, "
    "also after HTML-entity decoding) left out and counted, an output with active content left out; at most "
    f"{CAP['markdown']} sources and {CAP['html']} outputs, evenly spaced; values among an older split's benign values "
    "left out",
}


def active(text: str) -> bool:
    """``text`` carries content a browser would run (the rule of the module docstring)."""
    return bool(ACTIVE.search(text) or ACTIVE.search(html.unescape(text)))


def read_fixture(path: Path) -> list[tuple[str, str, str]]:
    """(title, markdown, html) of a markdown-it fixture file: each test is a title line, then ``.``-separated source
    and expected output (the format ``markdown_it.utils.read_fixture_file`` reads)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    tests: list[list[str]] = []
    section, last = 0, 0
    for i, line in enumerate(lines):
        if line.rstrip() != ".":
            continue
        if section == 0:
            tests.append([lines[i - 1].strip() if i else ""])
        else:
            tests[-1].append("".join(lines[last + 1:i]))
        section = (section + 1) % 3
        last = i
    return [(t[0], t[1], t[2]) for t in tests if len(t) == 3]


def _examples(root: Path) -> list[tuple[str, str, str]]:
    """(where, markdown, html) of every spec example and fixture test, spec first, fixture files in name order."""
    out = [(f"{SPEC}: example {ex['example']} ({ex['section']})", ex["markdown"], ex["html"])
           for ex in json.loads((root / SPEC).read_text(encoding="utf-8"))]
    for path in sorted((root / FIXTURES).glob("*.md")):
        out += [(f"{FIXTURES}/{path.name}: {title}", md, out_html) for title, md, out_html in read_fixture(path)]
    return out


def _benign(root: Path) -> tuple[dict[str, list[dict[str, str]]], dict[str, int]]:
    older = sc.older_benign(HERE)
    seen: set[str] = set(older)
    sources: list[dict[str, str]] = []
    outputs: list[dict[str, str]] = []
    counts = {"examples": 0, "left_out_active_source": 0, "left_out_active_output": 0}
    for where, md, out_html in _examples(root):
        counts["examples"] += 1
        if active(md):
            counts["left_out_active_source"] += 1
        elif md.strip() and sc.keep_text(md) and md not in seen:
            seen.add(md)
            sources.append({"value": md, "source": f"{LABEL} {where} markdown"})
        if active(out_html):
            counts["left_out_active_output"] += 1
        elif out_html.strip() and sc.keep_text(out_html) and out_html not in seen:
            seen.add(out_html)
            outputs.append({"value": out_html, "source": f"{LABEL} {where} html"})
    return {"mdit_markdown": sc.even(sources, CAP["markdown"]), "mdit_html": sc.even(outputs, CAP["html"])}, counts


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    values, counts = _benign(root)
    sc.write_split(HERE, SPLIT, records, HOW_READ, values, {**BENIGN_SOURCES, "examples": counts})


def build() -> list[dict[str, Any]]:
    corpus, benign = sc.load(HERE, SPLIT)
    rendered = benign.pop("mdit_html", [])
    corpus.benign_values(benign, lambda category: "comment")
    corpus.long_texts(benign)
    for d_i, entry in enumerate(rendered):
        value = entry["value"]
        for loc in ("json", "query", "header") if len(value) <= SHORT else ("json",):
            corpus.add(f"{SPLIT}-html-{d_i}-{loc}", "benign", "html", loc,
                       corpus.place(value, loc, "benign", "body_html"))
    out: list[dict[str, Any]] = corpus.items
    return out


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
