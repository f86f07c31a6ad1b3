"""fresh56: the injection strings shell-escaping and path-sanitizing libraries test themselves against, against
community-written command-line documentation (cheat sheets and examples) and test file names.

    python bench/waf/fresh56/build.py                                   # writes corpus.jsonl (deterministic)
    python bench/waf/fresh56/build.py --extract CHEAT EG PATHVALIDATE SANITIZE

``CHEAT`` is the unpacked PyPI sdist ``cheat-2.5.1.tar.gz`` (its ``cheat/cheatsheets/*``, read in name order), ``EG``
the unpacked sdist ``eg-1.2.3.tar.gz`` (its ``eg/examples/*.md``), ``PATHVALIDATE`` the unpacked sdist
``pathvalidate-3.3.1.tar.gz`` (its ``test/*.py``), ``SANITIZE`` the unpacked npm tarball ``sanitize-filename-1.6.4.tgz``
(its ``package/test.js``).

Attack payloads (what was read, and how): ``records.txt`` (its header says how), transcribed by hand from shescape
2.1.12's ``injectionStrings`` (npm tarball), shell-quote's ``test/op.js``, cross-spawn's ``test/index.test.js``,
send's ``test/send.js``, serve-static's ``test/test.js`` and resolve-path's ``test/resolvePath.js`` (stored GitHub
test files at the commits named: the npm tarballs of these five ship no tests), werkzeug 3.1.9's ``tests/`` and
pathvalidate 3.3.1's ``test/`` (PyPI sdists), sanitize-filename 1.6.4's ``test.js`` (npm tarball). Classes ``cmdi``
(a command with a separator, pipe, process substitution or variable expansion the test treats as an injection) and
``traversal`` (a path the test refuses because it reaches outside its base, or one that normalises above it). Lone
punctuation, invalid characters, reserved device names alone, NUL bytes, paths that stay inside the root and the test
machine's own absolute folders are left out with ``@@ drop`` notes. Values already in an older split or repeated are
dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring):

- cheat 2.5.1's cheat sheets (GPL-3.0): every line of every sheet in name order; a line starting with ``#`` is
  ``cheat_prose`` (the ``#`` and spaces stripped; a line that is then empty or only punctuation is skipped), every other
  non-empty line is ``cheat_commands`` (a real command line as the documentation shows it, pipes, ``&&``, ``;``,
  redirections and ``$(...)`` included).
- eg 1.2.3's examples (MIT): every line of every ``.md`` file in name order; a line indented by four spaces is
  ``eg_commands`` (a leading ``$ `` prompt stripped), a ``#`` heading is ``eg_names`` (the ``#`` stripped), every other
  non-empty line is ``eg_prose`` (Markdown back-ticks kept).
- pathvalidate 3.3.1's tests and sanitize-filename 1.6.4's ``test.js``: every string literal (``ast`` for the Python
  files; the double-quoted literals of ``test.js``) of 3-200 characters with a letter, without a control character,
  without a ``../`` or ``..\\`` segment (those are the attack side) as ``names_files``.

Every value is stripped; empty values, values an older split holds (``split_corpus.older_benign``) and repeats are
left out; at most ``CAP`` per category at an even stride. The shell commands are a judgement call: a command line in an
ordinary text field is what the waf refuses by design when it chains commands (docs/waf.md), so they are kept as their
own categories (``cheat_commands``, ``eg_commands``) and their rate is reported apart. Split name ``fresh56``.
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

SPLIT = "fresh56"
CAP = {"commands": 700, "prose": 500, "names": 200, "files": 300}
HOW_READ = (
    "transcribed by hand into records.txt from the npm tarballs, PyPI sdists and stored GitHub test files named on "
    "each source line (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "cheat 2.5.1 (PyPI sdist cheat-2.5.1.tar.gz) cheat/cheatsheets/* (194 sheets, name order); eg 1.2.3 "
    "(PyPI sdist eg-1.2.3.tar.gz) eg/examples/*.md (75 files, name order); pathvalidate 3.3.1 (PyPI sdist) test/*.py "
    "string literals; sanitize-filename 1.6.4 (npm tarball) package/test.js string literals",
    "licence": "cheat: GPL3 (PKG-INFO License: GPL3); eg: MIT (PKG-INFO License: MIT; LICENSE.txt); pathvalidate: MIT "
    "(PKG-INFO; LICENSE); sanitize-filename: WTFPL OR ISC (package.json; LICENSE.md); the sheets and examples are "
    "their contributors' text",
    "what": "cheat sheets: # lines as prose, other lines as commands; eg: indented lines as commands ($ prompt "
    "stripped), # headings as names, other lines as prose; test string literals of 3-200 characters with a letter as "
    "file names (no ../ segment, no control character); older splits' values and repeats left out",
    "judgement": "the commands are real documented shell command lines, many chaining commands with | && ; or $( ): "
    "the waf refuses shell chaining in ordinary fields by design (docs/waf.md), so they are their own categories "
    "(cheat_commands, eg_commands) and their rate is reported apart",
    "recorded_api": "none: no package reachable here that ships a recorded API not read by an older split was found "
    "(python-youtube 0.9.9, atproto 0.0.73, python-twitter 3.5, deezer-python 7.4.0, trakt 3.4.0, semanticscholar "
    "0.12.0, shopifyapi 12.7.0, python-facebook-api 0.24.0, zenpy 2.0.57 and pydiscourse 1.7.0 ship no recorded "
    "answers in their sdists); the user-written text here is the sheets' and examples' prose",
}
ONLY_PUNCT = re.compile(r"^[\W_]*$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
PARENT = re.compile(r"(?:^|[/\\])\.\.(?:[/\\]|$)")


def _add(found: dict[str, list[dict[str, str]]], seen: set[str], cat: str, text: str, where: str) -> None:
    text = text.strip()
    if not text or ONLY_PUNCT.match(text) or text in seen or len(text) > 4000:
        return
    seen.add(text)
    found.setdefault(cat, []).append({"value": text, "source": where})


def _cheat(root: Path, found: dict[str, list[dict[str, str]]], seen: set[str]) -> None:
    for sheet in sorted((root / "cheat" / "cheatsheets").iterdir()):
        if not sheet.is_file() or sheet.name.startswith("__"):
            continue
        for line in sheet.read_text(encoding="utf-8", errors="replace").splitlines():
            where = f"cheat 2.5.1 cheat/cheatsheets/{sheet.name}"
            if line.lstrip().startswith("#"):
                _add(found, seen, "cheat_prose", line.lstrip().lstrip("#"), where)
            else:
                _add(found, seen, "cheat_commands", line, where)


def _eg(root: Path, found: dict[str, list[dict[str, str]]], seen: set[str]) -> None:
    for page in sorted((root / "eg" / "examples").glob("*.md")):
        for line in page.read_text(encoding="utf-8", errors="replace").splitlines():
            where = f"eg 1.2.3 eg/examples/{page.name}"
            if line.startswith("    "):
                cmd = line.strip()
                _add(found, seen, "eg_commands", cmd[2:] if cmd.startswith("$ ") else cmd, where)
            elif line.startswith("#"):
                _add(found, seen, "eg_names", line.lstrip("#"), where)
            else:
                _add(found, seen, "eg_prose", line, where)


def _file_name(text: str) -> bool:
    return (
        3 <= len(text) <= 200
        and bool(re.search(r"[^\W\d_]", text))
        and not CONTROL.search(text)
        and not (PARENT.search(text))
    )


def _names(pathvalidate: Path, sanitize: Path, found: dict[str, list[dict[str, str]]], seen: set[str]) -> None:
    for py in sorted((pathvalidate / "test").glob("*.py")):
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _file_name(node.value):
                _add(found, seen, "names_files", node.value, f"pathvalidate 3.3.1 test/{py.name}")
    js = (sanitize / "package" / "test.js").read_text(encoding="utf-8")
    for lit in re.findall(r'"((?:[^"\\\n]|\\.)*)"', js):
        try:
            text = str(json.loads(f'"{lit}"'))  # the JavaScript escapes of these literals are JSON's
        except ValueError:
            continue
        if _file_name(text):
            _add(found, seen, "names_files", text, "sanitize-filename 1.6.4 package/test.js")


def _benign(cheat: Path, eg: Path, pathvalidate: Path, sanitize: Path) -> dict[str, list[dict[str, str]]]:
    seen = set(sc.older_benign(HERE))
    found: dict[str, list[dict[str, str]]] = {}
    _cheat(cheat, found, seen)
    _eg(eg, found, seen)
    _names(pathvalidate, sanitize, found, seen)
    return {cat: sc.even(vals, CAP[cat.split("_", 1)[1]]) for cat, vals in found.items()}


def extract(cheat: Path, eg: Path, pathvalidate: Path, sanitize: Path) -> None:
    """The attack values (records.txt) and the benign values from the unpacked packages."""
    sources, dropped = sc.read_records(HERE / "records.txt", sc.decode_url_record)
    sc.write_split(
        HERE, SPLIT, (sources, dropped), HOW_READ, _benign(cheat, eg, pathvalidate, sanitize), BENIGN_SOURCES
    )


def build() -> list[dict[str, Any]]:
    return sc.build_values_only(HERE, SPLIT)


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
