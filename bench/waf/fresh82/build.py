"""fresh82: Exploit-DB's newest web-application exploits no older split read (ids 48,403-51,995, 2020-2024, mostly
``exploits/php/webapps/`` and ``exploits/multiple/webapps/``), against what WordPress's REST API sends and receives:
its route schema, block types, block patterns, templates with block markup, themes and global styles (WordPress
6.1.9).

    python bench/waf/fresh82/build.py                        # writes corpus.jsonl (deterministic)
    python bench/waf/fresh82/build.py --extract ROOT         # re-selects the values (the three json files)

``ROOT`` is the Debian packages ``wordpress`` and ``wordpress-theme-twentytwentythree`` (6.1.9+dfsg1-0+deb12u1, from
``apt-get download``) unpacked into one folder with ``dpkg -x``; the files read are under ``ROOT/usr/share/wordpress``.

Attack payloads (what was read, and how): ``records.txt`` (its header says how the exploits were chosen and read, how
values were transcribed, which parts were fixed, and the labelling rules), decoded once as the application receives
them (``split_corpus.decode_form_record``). The labels are hand-assigned by fresh43's and fresh46's written rules
(none of the older Exploit-DB splits has a ``classify`` function to reuse). Values already in an older split
(attacks or corpus) or repeated are dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring). The brief's source is wordpress-develop's REST API fixture
``tests/qunit/fixtures/wp-api-generated.js``; only its first 16,000 characters (of 361,887: the head of the route
schema) could be read before the session's code-search budget ran out, and the recorded answers behind it could not.
The same data is taken from WordPress 6.1.9 as Debian ships it, file by file, as the REST API serves it:

- the route schema: every ``'description'`` and ``'title'`` string of ``wp-includes/rest-api/`` (the texts of the
  fixture's ``mockedApiResponse.Schema``), by ``text_category``;
- block types (``/wp/v2/block-types``): each ``wp-includes/blocks/*/block.json`` whole as a JSON body and its strings
  by category;
- global styles and themes (``/wp/v2/global-styles``, ``/wp/v2/themes``): ``wp-includes/theme.json``, the theme's
  ``theme.json`` and its ten ``styles/*.json`` variations whole as JSON bodies, their strings by category and each
  object that is an element of a list in them (palette colours, font sizes, template parts ...) as a JSON body;
- templates and template parts (``/wp/v2/templates``, ``/wp/v2/template-parts``): each ``templates/*.html`` and
  ``parts/*.html`` of Twenty Twenty-Three, its block markup as a ``markup`` value and as the body the editor saves,
  ``{"slug": ..., "theme": "twentytwentythree", "type": ..., "status": "publish", "content": markup}``;
- block patterns (``/wp/v2/block-patterns/patterns``): the core patterns of ``wp-includes/block-patterns/*.php``
  (their ``'content'`` string) and the theme's ``patterns/*.php`` (the markup after the header, each
  ``<?php echo esc_html_x( 'text', ... ); ?>`` or ``<?php esc_attr_e( 'text', ... ); ?>`` replaced by its text, as PHP
  prints it; a pattern with any other PHP left, ``footer-default.php``'s ``printf``, is left out), as ``markup``
  values and as ``{"name": ..., "title": ..., "categories": [...], "content": markup}`` bodies (labelling fix after
  the first measurement: ``esc_attr_e`` calls, which print without ``echo``, and the ``printf`` had been left in as
  raw PHP source, which the REST API never sends for a pattern);
- rendered HTML without script: each ``<p>`` ... ``</p>`` of ``readme.html`` (``markup``).

Values holding ``localhost`` or a loopback/private address are left out (as older splits do; none is a secret:
``split_corpus.SECRET_KEYS`` subtrees are pruned from the JSON documents with fresh73's ``_prune``), and values an
older split holds. At most ``CAP`` per category at an even stride. Split name ``fresh82``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

f73 = sc.load_build("fresh73")  # the JSON pruning (secret keys, private addresses)

SPLIT = "fresh82"
CAP = {"names": 400, "prose": 400, "urls": 200, "codes": 400, "markup": 400}
MAX_ITEMS = 300
WP = "usr/share/wordpress"
THEME = f"{WP}/wp-content/themes/twentytwentythree"
LABEL = "WordPress 6.1.9 (Debian wordpress, wordpress-theme-twentytwentythree)"
HOW_READ = (
    "Exploit-DB exploits read by path through the code-search index (read_file; commit per source) after choosing "
    "them from pages of the Xhoenix/searchsploit files_exploits.csv; the injected values transcribed by hand in "
    "records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "Debian bookworm packages wordpress and wordpress-theme-twentytwentythree 6.1.9+dfsg1-0+deb12u1 "
    "(apt-get download, dpkg -x): the REST route schema strings of wp-includes/rest-api/, the block.json of every "
    "core block, wp-includes/theme.json, the core block patterns, and Twenty Twenty-Three's theme.json, style "
    "variations, templates, template parts and patterns; readme.html",
    "licence": "GPL-2.0-or-later (WordPress license.txt; debian/copyright of both packages)",
    "instead_of": "wordpress-develop tests/qunit/fixtures/wp-api-generated.js (commit "
    "00176139a4fb832299d67859094d875fef9ba5ca, index file id 34667989297): only its first 16,000 of 361,887 "
    "characters were read before the code-search budget ran out",
    "what": "strings by text_category (names, prose, urls, codes), block markup and rendered paragraphs (markup), "
    "whole JSON documents as REST bodies (documents) and list-element objects (items); values holding localhost or "
    "a private address and values among an older split's benign values left out",
}
REST_STRING = re.compile(r"'(?:description|title)'\s*=>\s*(?:__|_x|esc_html__)\(\s*'((?:[^'\\]|\\.)*)'")
PHP_ECHO = re.compile(r"<\?php\s+(?:echo\s+)?\w+\(\s*'((?:[^'\\]|\\.)*)'.*?\?>", re.S)
PHP_HEADER = re.compile(r"\A<\?php\s*/\*\*(.*?)\*/\s*\?>\s*", re.S)
PATTERN_CONTENT = re.compile(r"'content'\s*=>\s*'((?:[^'\\]|\\.)*)'", re.S)
PATTERN_TITLE = re.compile(r"'title'\s*=>\s*_x\(\s*'((?:[^'\\]|\\.)*)'")
PATTERN_CATEGORIES = re.compile(r"'categories'\s*=>\s*array\(([^)]*)\)")
PARAGRAPH = re.compile(r"<p\b.*?</p>", re.S)
PRIVATE = re.compile(
    r"\b(?:127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+)\b"
)


def _php_string(text: str) -> str:
    """A single-quoted PHP literal's value."""
    return re.sub(r"\\([\\'])", r"\1", text)


def _ok(text: str) -> bool:
    return sc.keep_text(text) and not PRIVATE.search(text)


def _rest_strings(wp: Path) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for path in sorted((wp / "wp-includes/rest-api").rglob("*.php")):
        for match in REST_STRING.finditer(path.read_text(encoding="utf-8")):
            out.append((str(path.relative_to(wp)), _php_string(match.group(1))))
    return out


def _theme_pattern(path: Path) -> tuple[dict[str, str], str]:
    """A theme pattern file's header fields and its markup as PHP prints it."""
    text = path.read_text(encoding="utf-8")
    head = PHP_HEADER.match(text)
    assert head, path
    fields = dict(re.findall(r"^\s*\*\s*([A-Za-z ]+):\s*(.+?)\s*$", head.group(1), re.M))
    body = PHP_ECHO.sub(lambda m: _php_string(m.group(1)), text[head.end():])
    return fields, body.strip() if "<?php" not in body else ""


def _benign(root: Path) -> tuple[dict[str, list[dict[str, str]]], dict[str, int]]:
    wp = root / WP
    theme = root / THEME
    older = sc.older_benign(HERE)
    seen = set(older)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    markup: list[dict[str, str]] = []
    documents: list[dict[str, str]] = []
    items: list[dict[str, str]] = []
    removed: list[str] = []

    def add_text(text: str, where: str) -> None:
        text = text.strip()
        if text in seen or not _ok(text):
            return
        seen.add(text)
        found[sc.text_category(text)].append({"value": text, "source": f"{LABEL} {where}"})

    def add_markup(text: str, where: str) -> None:
        text = text.strip()
        if text in seen or not _ok(text):
            return
        seen.add(text)
        markup.append({"value": text, "source": f"{LABEL} {where}"})

    def add_document(doc: Any, where: str) -> None:
        text = json.dumps(doc, ensure_ascii=False)
        if text in seen or not _ok(text):
            return
        seen.add(text)
        documents.append({"value": text, "source": f"{LABEL} {where}"})

    def add_json_file(path: Path) -> None:
        rel = str(path.relative_to(root))
        doc = f73._prune(json.loads(path.read_text(encoding="utf-8")), removed)
        sc.collect_strings(found, seen, LABEL, rel, doc)
        add_document(doc, f"{rel} body")
        elements: list[Any] = []
        sc.list_items(doc, elements)
        for e_i, element in enumerate(elements):
            text = json.dumps(element, ensure_ascii=False)
            if text not in seen and _ok(text):
                seen.add(text)
                items.append({"value": text, "source": f"{LABEL} {rel} list element {e_i}"})

    for rel, text in _rest_strings(wp):
        add_text(text, f"{rel}: schema description/title")
    for path in sorted((wp / "wp-includes/blocks").glob("*/block.json")):
        add_json_file(path)
    for path in [wp / "wp-includes/theme.json", theme / "theme.json", *sorted((theme / "styles").glob("*.json"))]:
        add_json_file(path)
    for kind, folder in (("wp_template", "templates"), ("wp_template_part", "parts")):
        for path in sorted((theme / folder).glob("*.html")):
            rel = str(path.relative_to(root))
            content = path.read_text(encoding="utf-8").strip()
            add_markup(content, rel)
            add_document({"slug": path.stem, "theme": "twentytwentythree", "type": kind, "status": "publish",
                          "content": content}, f"{rel} as a save body")
    for path in sorted((wp / "wp-includes/block-patterns").glob("*.php")):
        rel = str(path.relative_to(root))
        text = path.read_text(encoding="utf-8")
        content_m, title_m = PATTERN_CONTENT.search(text), PATTERN_TITLE.search(text)
        if not content_m or not title_m:
            continue
        content = _php_string(content_m.group(1))
        cats_m = PATTERN_CATEGORIES.search(text)
        cats = re.findall(r"'([^']*)'", cats_m.group(1)) if cats_m else []
        add_markup(content, rel)
        add_text(_php_string(title_m.group(1)), f"{rel}: title")
        add_document({"name": f"core/{path.stem}", "title": _php_string(title_m.group(1)), "categories": cats,
                      "content": content}, f"{rel} as a pattern")
    for path in sorted((theme / "patterns").glob("*.php")):
        rel = str(path.relative_to(root))
        fields, content = _theme_pattern(path)
        if not content:  # PHP that is more than one printed string (footer-default's printf): left out
            continue
        add_markup(content, rel)
        add_document({"name": fields.get("Slug", path.stem), "title": fields.get("Title", ""),
                      "categories": [c.strip() for c in fields.get("Categories", "").split(",") if c.strip()],
                      "content": content}, f"{rel} as a pattern")
    readme = (wp / "readme.html").read_text(encoding="utf-8")
    for p_i, match in enumerate(PARAGRAPH.finditer(readme)):
        add_markup(match.group(0), f"{WP}/readme.html paragraph {p_i}")

    out = {f"wp_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["wp_markup"] = sc.even(markup, CAP["markup"])
    out["wp_documents"] = documents
    out["wp_items"] = sc.even(items, MAX_ITEMS)
    secret = sum(1 for k in removed if f73._secret_key(k))
    return out, {"secret_subtrees_removed": secret, "private_address_values_removed": len(removed) - secret}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked Debian packages."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    benign, pruned = _benign(root)
    sc.write_split(HERE, SPLIT, records, HOW_READ, benign, {**BENIGN_SOURCES, "pruned": pruned})


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(
        HERE, SPLIT, (("wp_documents", "documents", "json"), ("wp_items", "items", "json"))
    )
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
