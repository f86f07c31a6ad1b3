"""fresh54: the XSS inputs markdown and HTML renderers and sanitizers on npm and PyPI test themselves against, against
the same packages' markdown test inputs that carry no script and recorded Facebook Graph API text.

    python bench/waf/fresh54/build.py                                              # writes corpus.jsonl (deterministic)
    python bench/waf/fresh54/build.py --extract MARKDOWN2 MARKDOWN MISTUNE SHOWDOWN REMARKABLE   # re-selects the values

``MARKDOWN2`` is the unpacked PyPI sdist ``markdown2-2.5.5.tar.gz``, ``MARKDOWN`` the sdist ``markdown-3.11.3.tar.gz``,
``MISTUNE`` the sdist ``mistune-3.4.0.tar.gz``, ``SHOWDOWN`` the unpacked npm tarball ``showdown-1.9.1.tgz`` (its
``package/``), ``REMARKABLE`` the unpacked npm tarball ``remarkable-1.6.2.tgz`` (the folder holding its ``test/``).

Attack payloads (what was read, and how): ``records.txt``, transcribed from the unpacked packages and reviewed by hand
(its header says the rule): the first argument of each ``sanitizeHtml()`` call of sanitize-html 1.19.3's
``test/test.js`` (the last release whose npm tarball ships its tests), the test patterns of xss-filters 1.2.7's
``tests/unit/``, the ``insane()`` inputs and ``test/fixtures/dirty.html`` of insane 2.6.2, the fixtures of remarkable
1.6.2's ``test/fixtures/remarkable/xss.txt`` (the ancestor of markdown-it's ``xss.txt``), the XSS and ``safe_mode``
tm-cases of markdown2 2.5.5, the markdown fed by mistune 3.4.0's ``tests/test_security_*.py``, ``test_misc.py``,
``test_renderers.py`` and ``test_directives.py`` (its URL lists built into ``[h](url)`` as the test builds them) and the
two attribute-name break-outs of Python-Markdown 3.11.3's extension tests. A value is kept only if it carries script;
multi-input markdown documents are split at blank lines. What the packages test that is no attack, and the packages
whose tarballs ship no tests (marked, markdown-it, showdown 2, dompurify, sanitize-html 2), are ``@@ drop`` lines.
Values already in an older split or repeated are dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring). The markdown test inputs and expected HTML outputs of the same packages:
markdown2's ``test/tm-cases/*.text`` and ``*.html``; Python-Markdown's ``tests/**/*.txt`` and ``*.html`` (the legacy
cases) and the first two arguments of every ``assertMarkdownRenders`` call of ``tests/test_syntax/**/*.py`` (read with
``ast``, ``self.dedent`` applied as the test applies it); mistune's ``tests/fixtures/*.txt`` examples and
``commonmark.json``; showdown 1.9.1's ``test/**/*.md`` and ``*.html``; remarkable 1.6.2's ``test/fixtures/**/*.txt``
(``. source . expected .`` fixtures; not ``xss.txt``, not the spec text). Each source is one ``md_markdown`` value, each
expected output one ``md_html`` value, stripped. Left out: a value that carries script (``SCRIPT`` on the value with
character references decoded: a script element, an event-handler attribute, a script URL scheme, ``data:text/html``,
``expression(``, ``alert``/``prompt``/``msgbox``), a value with a control character other than tab and line breaks,
over 4,000 characters or holding ``localhost``, and every value an older split holds (fresh37 read markdown-it-py's
CommonMark spec and fixtures: the spec examples here that are the same strings are dropped, the kind is the same). At
most ``CAP`` per category at an even stride, in sorted file order. Then the user-written strings of seven recorded
Facebook Graph API answers (``facebook.txt``, transcribed: messages, descriptions, names, titles, post URLs) by
``text_category``. Split name ``fresh54``.
"""

from __future__ import annotations

import ast
import html
import json
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh54"
CAP = {"markdown": 1000, "html": 450}
SCRIPT = re.compile(
    r"(?i)(?:java|vb|live)\s*script|mocha:|data:text/html|<script|\bon[a-z]+\s*=|expression\s*\(|alert|msgbox|prompt"
)
"""A value that carries script (checked with character references decoded): never benign."""
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
HOW_READ = (
    "records.txt: transcribed from the unpacked npm tarballs and PyPI sdists by a one-off script, reviewed by hand "
    "(see its header): each value as the test feeds the renderer or sanitizer, kept only if it carries script"
)
FACEBOOK = (
    "sns-sdks/python-facebook testdata/facebook/apidata/ (the test data of PyPI python-facebook-api 0.24.0, whose "
    "sdist leaves it out): posts/feed_fields_p1.json (1c35d39b6d2b77270e382f576a0549bd25af3356), "
    "comments/comments_p1.json (dc1afe93f6b3fd53cad4a592f771c1827282ae39), comments/comments_p2.json "
    "(601dc13792c26c62b4dc34f78d70fee9a04d26ef), "
    "groups/feed_p1.json (972471f55bd55954a92ba0183defa23714d2c1fd), messages/messages_info.json "
    "(af9ecaf5102b5671870d961ea40c0eb087ee6d35), events/events_info.json (aa2dd3bc4786688d9215ec4833144317c20eb42d), "
    "posts/multi_posts_data.json (19fce32d4d9f80e56c78ac89f748ccb2374535e5)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "markdown2 2.5.5 (PyPI sdist), Markdown 3.11.3 (PyPI sdist), mistune 3.4.0 (PyPI sdist), showdown 1.9.1 "
    "(npm tarball), remarkable 1.6.2 (npm tarball): their markdown test inputs and expected HTML outputs; "
    f"recorded Facebook Graph API answers: {FACEBOOK}",
    "licence": "markdown2: MIT; Markdown: BSD-3-Clause; mistune: BSD-3-Clause; showdown 1.9.1: BSD-3-Clause "
    "(package.json license: BSD-3-Clause); remarkable: MIT; python-facebook: Apache-2.0 (PKG-INFO of "
    "python-facebook-api 0.24.0), the posts and comments are their users' text",
    "same_kind_as": "fresh37 (markdown-it-py's CommonMark spec examples and fixtures: every value an older split holds "
    "is left out, so the values are new but part of the kind is not); the Facebook Graph API is new",
    "what": "each markdown test input (md_markdown) and expected HTML output (md_html) that carries no script, at most "
    "CAP per category at an even stride; the user-written Facebook strings by text_category",
}


def carries_script(text: str) -> bool:
    return bool(SCRIPT.search(html.unescape(text)))


class Found:
    def __init__(self) -> None:
        self.seen: set[str] = set(sc.older_benign(HERE))
        self.values: dict[str, list[dict[str, str]]] = {"markdown": [], "html": []}

    def add(self, category: str, text: str, where: str) -> None:
        text = text.strip()
        if text in self.seen or not sc.keep_text(text) or CONTROL.search(text) or carries_script(text):
            return
        self.seen.add(text)
        self.values[category].append({"value": text, "source": where})


def _markdown2(found: Found, root: Path) -> None:
    for path in sorted((root / "test/tm-cases").glob("*.text")):
        found.add("markdown", path.read_text(encoding="utf-8"), f"markdown2 2.5.5 test/tm-cases/{path.name}")
        out = path.with_suffix(".html")
        if out.exists():
            found.add("html", out.read_text(encoding="utf-8"), f"markdown2 2.5.5 test/tm-cases/{out.name}")


def _dedent_arg(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "dedent"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return textwrap.dedent(node.args[0].value).strip()
    return None


def _python_markdown(found: Found, root: Path) -> None:
    tests = root / "tests"
    for path in sorted(tests.rglob("*.txt")) + sorted(tests.rglob("*.html")):
        cat = "markdown" if path.suffix == ".txt" else "html"
        found.add(cat, path.read_text(encoding="utf-8"), f"Markdown 3.11.3 {path.relative_to(root)}")
    for path in sorted((tests / "test_syntax").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "assertMarkdownRenders"
                and len(node.args) >= 2
            ):
                where = f"Markdown 3.11.3 {path.relative_to(root)}:{node.lineno}"
                for cat, arg in (("markdown", node.args[0]), ("html", node.args[1])):
                    text = _dedent_arg(arg)
                    if text is not None:
                        found.add(cat, text, where)


EXAMPLE = re.compile(r"^`{32} example\n(.*?)^\.\n(.*?)^`{32}$", re.S | re.M)
DOTTED = re.compile(r"^\.\n(.*?)^\.\n(.*?)^\.$", re.S | re.M)


def _mistune(found: Found, root: Path) -> None:
    fixtures = root / "tests/fixtures"
    for path in sorted(fixtures.glob("*.txt")):
        for m in EXAMPLE.finditer(path.read_text(encoding="utf-8")):
            where = f"mistune 3.4.0 tests/fixtures/{path.name}"
            found.add("markdown", m.group(1).replace("\u2192", "\t"), where)
            found.add("html", m.group(2).replace("\u2192", "\t"), where)
    for i, ex in enumerate(json.loads((fixtures / "commonmark.json").read_text(encoding="utf-8"))):
        where = f"mistune 3.4.0 tests/fixtures/commonmark.json[{i}]"
        found.add("markdown", ex["markdown"], where)
        found.add("html", ex["html"], where)


def _showdown(found: Found, root: Path) -> None:
    for path in sorted((root / "test").rglob("*.md")):
        found.add("markdown", path.read_text(encoding="utf-8"), f"showdown 1.9.1 {path.relative_to(root)}")
        out = path.with_suffix(".html")
        if out.exists():
            found.add("html", out.read_text(encoding="utf-8"), f"showdown 1.9.1 {out.relative_to(root)}")


def _remarkable(found: Found, root: Path) -> None:
    for path in sorted((root / "test/fixtures").rglob("*.txt")):
        if path.name in ("xss.txt", "spec.txt"):
            continue
        for m in DOTTED.finditer(path.read_text(encoding="utf-8")):
            where = f"remarkable 1.6.2 {path.relative_to(root)}"
            found.add("markdown", m.group(1).replace("\u2192", "\t"), where)
            found.add("html", m.group(2).replace("\u2192", "\t"), where)


def _facebook(seen: set[str]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for line in (HERE / "facebook.txt").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("# "):
            continue
        rel, key, literal = line.split("|", 2)
        text = str(json.loads(literal)).strip()
        if text in seen or not sc.keep_text(text) or carries_script(text):
            continue
        seen.add(text)
        where = f"sns-sdks/python-facebook {rel}: {key}"
        out.setdefault(f"fb_{sc.text_category(text)}", []).append({"value": text, "source": where})
    return out


def extract(markdown2: Path, markdown: Path, mistune: Path, showdown: Path, remarkable: Path) -> None:
    """The attack values (records.txt) and the benign values from the unpacked packages."""
    sources, dropped = sc.read_records(HERE / "records.txt", sc.decode_url_record)
    found = Found()
    _markdown2(found, markdown2)
    _python_markdown(found, markdown)
    _mistune(found, mistune)
    _showdown(found, showdown)
    _remarkable(found, remarkable)
    benign = {f"md_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.values.items()}
    benign.update(_facebook(found.seen))
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_values_only(HERE, SPLIT)


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
