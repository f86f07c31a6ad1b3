"""fresh34: attack write-ups no older split read (HackTricks' file-inclusion page from character 16,000 to the end, its
PostgreSQL-injection sub-pages and its bash-restriction-bypass page), against the documentation, CLI help and test
fixtures of a command-line HTTP client (shell command lines, paths, URLs, headers and JSON: the benign text that looks
most like command injection and traversal).

    python bench/waf/fresh34/build.py                      # writes corpus.jsonl (deterministic)
    python bench/waf/fresh34/build.py --extract HTTPIE     # re-selects the values (the three json files)

``HTTPIE`` is the unpacked PyPI sdist ``httpie-3.2.4.tar.gz``.

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, page, commit
and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped and listed in
``sources.json``.

Benign values. From ``docs/README.md`` (the user manual): every command line of its code blocks (the text after
``$ ``, continuation lines kept with their backslash), every other code block whole (HTTP messages, JSON, config files,
shell sessions' output; at most 4,000 characters), every paragraph, list item and heading outside code blocks; from
``CHANGELOG.md`` every entry; from ``httpie/cli/definition.py`` every ``help``, ``short_help``, ``description`` and
``epilog`` string literal, dedented (the CLI's ``--help`` text). Prose, headings and help text go by
``text_category`` (names, prose, urls, codes); at most ``CAP`` per category at an even stride. Whole
documents: the ``tests/fixtures`` JSON files and session files that parse as JSON, as written, as JSON bodies; the
``tests/fixtures/xmldata/valid`` and ``xhtml`` files as XML bodies (not ``invalid/``: entity bombs and external
entities, attacks); per manual command line with ``name==value`` query items, those items as a GET query string.
Values among an older split's benign values are left out, and so is every value with ``../`` (the manual's
``--path-as-is`` example requests ``example.org/./../../etc/password``: a traversal to a system file, not a benign
value). Split name ``fresh34``.
"""

from __future__ import annotations

import ast
import json
import re
import sys
import textwrap
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh34"
CAP = {"names": 260, "prose": 360, "urls": 120, "codes": 200, "commands": 400, "blocks": 200, "help": 200}
LABEL = "httpie 3.2.4"
HOW_READ = (
    "each page's stored text through the code-search index (read_file) at the commit named per source; the injected "
    "values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "httpie 3.2.4 (PyPI sdist httpie-3.2.4.tar.gz): docs/README.md (the user manual), CHANGELOG.md, "
    "httpie/cli/definition.py (the CLI help text), tests/fixtures/**/*.json and tests/fixtures/xmldata/{valid,xhtml}/*",
    "licence": "BSD-3-Clause (httpie LICENSE: 'Copyright © 2012-2022 Jakub Roztocil <jakub@roztocil.co>')",
    "what": "manual command lines (without the '$ ' prompt), other code blocks whole, paragraphs, list items and "
    "headings of the manual and the changelog, the CLI help strings; fixture JSON and session files whole as JSON "
    "bodies, the valid and XHTML fixture documents whole as XML bodies, each manual command's name==value items as a "
    "GET query string; at most CAP per category, evenly spaced; values among an older split's benign values left out",
    "left_out": "every value with '../' (the manual's --path-as-is section requests "
    "example.org/./../../etc/password and shows GET /../../etc/password: a traversal to a system file, whatever the "
    "intent of the page)",
}
_FENCE = re.compile(r"^\s*```")
_QUERY_ITEM = re.compile(r"""^([A-Za-z0-9_.\-\[\]]+)==(.*)$""")


def _markdown(text: str) -> tuple[list[str], list[str], list[str]]:
    """(command lines, other code blocks, prose pieces) of a markdown document."""
    commands: list[str] = []
    blocks: list[str] = []
    prose: list[str] = []
    in_code = False
    block: list[str] = []
    para: list[str] = []

    def flush_para() -> None:
        if para:
            prose.append(" ".join(para))
            para.clear()

    for line in text.splitlines():
        if _FENCE.match(line):
            if in_code:
                _split_block(block, commands, blocks)
                block = []
            else:
                flush_para()
            in_code = not in_code
            continue
        if in_code:
            block.append(line)
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith(("|", "<", "{{", "---")):
            flush_para()
            continue
        if stripped.startswith("#"):
            flush_para()
            prose.append(stripped.lstrip("#").strip())
            continue
        if re.match(r"^([-*+]|\d+\.)\s", stripped):
            flush_para()
            para.append(re.sub(r"^([-*+]|\d+\.)\s+", "", stripped))
            continue
        para.append(stripped)
    flush_para()
    return commands, blocks, [p for p in prose if p]


def _split_block(lines: list[str], commands: list[str], blocks: list[str]) -> None:
    """A code block's ``$ `` command lines (with their continuation lines) to ``commands``; a block with none whole to
    ``blocks``."""
    found = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            found = True
            cmd = [line[2:]]
            while cmd[-1].rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                cmd.append(lines[i])
            commands.append("\n".join(cmd).strip())
        i += 1
    if not found:
        whole = "\n".join(lines).strip()
        if whole:
            blocks.append(whole)


def _help_strings(source: str) -> list[str]:
    """Every string literal given as ``help``, ``short_help``, ``description`` or ``epilog`` in ``source``."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword) and node.arg in ("help", "short_help", "description", "epilog"):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                out.append(textwrap.dedent(node.value.value).strip())
    return [s for s in out if s]


def _query(command: str) -> str:
    """A command line's ``name==value`` items as a query string (empty when it has none)."""
    pairs = []
    for word in command.replace("\\\n", " ").split():
        m = _QUERY_ITEM.match(word.strip("'\""))
        if m:
            pairs.append((m.group(1), m.group(2).strip("'\"")))
    return urlencode(pairs) if pairs else ""


def _add(out: list[dict[str, str]], seen: set[str], text: str, source: str) -> None:
    text = text.strip()
    if text and text not in seen and sc.keep_text(text) and "../" not in text:
        seen.add(text)
        out.append({"value": text, "source": source})


def _benign(root: Path) -> dict[str, list[dict[str, str]]]:
    seen: set[str] = set(sc.older_benign(HERE))
    found: dict[str, list[dict[str, str]]] = {k: [] for k in CAP}
    queries: list[dict[str, str]] = []
    for rel in ("docs/README.md", "CHANGELOG.md"):
        commands, blocks, prose = _markdown((root / rel).read_text(encoding="utf-8"))
        for cmd in commands:
            _add(found["commands"], seen, cmd, f"{LABEL} {rel}: command line")
            query = _query(cmd)
            if query and query not in seen:
                seen.add(query)
                queries.append({"value": query, "source": f"{LABEL} {rel}: {cmd[:60]}"})
        for block in blocks:
            _add(found["blocks"], seen, block, f"{LABEL} {rel}: code block")
        for piece in prose:
            _add(found[sc.text_category(piece)], seen, piece, f"{LABEL} {rel}: text")
    for text in _help_strings((root / "httpie/cli/definition.py").read_text(encoding="utf-8")):
        _add(found["help"], seen, text, f"{LABEL} httpie/cli/definition.py: help")
    bodies: list[dict[str, str]] = []
    for path in sorted((root / "tests/fixtures").rglob("*.json")):
        text = path.read_text(encoding="utf-8")
        try:
            json.loads(text)
        except ValueError:  # session templates with {__version__}-style fields the tests fill in
            continue
        _add(bodies, seen, text, f"{LABEL} {path.relative_to(root)}")
    xml: list[dict[str, str]] = []
    for sub in ("valid", "xhtml"):
        for path in sorted((root / "tests/fixtures/xmldata" / sub).glob("*.xml")):
            _add(xml, seen, path.read_text(encoding="utf-8"), f"{LABEL} {path.relative_to(root)}")
    values = {f"httpie_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**values, "httpie_queries": queries, "httpie_objects": bodies, "httpie_xml": xml}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(root), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus, benign = sc.load(HERE, SPLIT)
    queries = benign.pop("httpie_queries", [])
    bodies = benign.pop("httpie_objects", [])
    xml = benign.pop("httpie_xml", [])
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.long_texts(benign)
    corpus.documents(queries, "queries", "query", target="/api/v1/resources?")
    corpus.documents(bodies, "objects", "json")
    corpus.documents(xml, "xml_documents", "xml")
    out: list[dict[str, Any]] = corpus.items
    return out


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
