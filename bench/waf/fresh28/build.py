"""fresh28: the exploits that deliberately vulnerable applications ship or document (snyk-labs/nodejs-goof's
`exploits/`, OWASP NodeGoat's tutorial, WebGoat's lesson tests and integration tests, DVWA's help spoilers), against
the test feeds of feedparser and podcastparser (RSS, Atom, RDF, CDF, iTunes, Media RSS, GeoRSS and podcast feeds in
many encodings: titles, summaries and content with escaped HTML, links, authors, categories, dates, entities, scripts).

    python bench/waf/fresh28/build.py                                       # writes corpus.jsonl (deterministic)
    python bench/waf/fresh28/build.py --extract FEEDPARSER PODCASTPARSER     # re-selects the values (the json files)

``FEEDPARSER`` is the unpacked PyPI sdist ``feedparser-6.0.14.tar.gz`` (its ``tests/`` folder), ``PODCASTPARSER`` the
unpacked ``podcastparser-0.6.11.tar.gz`` (its ``tests/data/``).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, file, commit
and licence; each file's stored text was read through the code-search index and the value each exploit, test or
spoiler puts into the application transcribed; ``@@ drop`` lines say what was left out and why). A ``U`` record is a
value the source writes URL-encoded, decoded once with ``unquote``. Values already in an older split
(``older_payloads``) or repeated are dropped and listed in ``sources.json``.

Benign values: the text of every element and the link, term, label, scheme, type (…) attributes of feedparser's
``tests/wellformed``, ``tests/entities`` and ``tests/encoding`` feeds and podcastparser's ``tests/data/*.rss`` that
parse as XML (HTML named entities replaced when the plain parse fails), by ``text_category`` (names, prose, urls, codes;
escaped HTML in summaries and content arrives unescaped, as a feed reader's API would pass it on); each UTF-8 feed
document whole as an XML body; each of podcastparser's expected parse results (``tests/data/*.json``) whole as a JSON
body. Left out: ``tests/wellformed/sanitize`` and every other test feed that carries script,
event handlers, ``javascript:``/``vbscript:`` URLs, CSS expressions or active elements on purpose (they test
feedparser's sanitiser, so they are attacks, not benign traffic), the ill-formed, encoding, compression and HTTP tests,
and values already among an older split's benign values. Split name ``fresh28``.
"""

from __future__ import annotations

import html
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

SPLIT = "fresh28"
HOW_READ = ("each file's stored text through the code-search index (read_file) at the commit named per source; the "
            "injected values transcribed into records.txt (see its header)")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

BENIGN_SOURCES: dict[str, Any] = {
    "package": "feedparser 6.0.14 (PyPI sdist), tests/wellformed/** (except sanitize/), tests/entities/*.xml and "
    "tests/encoding/*.xml: the test feeds its test suite parses; podcastparser 0.6.11 (PyPI sdist), tests/data/*.rss "
    "and the expected parse results tests/data/*.json",
    "licence": "feedparser: BSD-2-Clause (its LICENSE: 'feedparser and its unit tests are released under the "
    "following license'); podcastparser: ISC (its LICENSE)",
    "what": "element text and listed attribute values by text_category (names, prose, urls, codes), each UTF-8 feed "
    "document whole as an XML body and each podcastparser parse result whole as a JSON body; feeds carrying script, "
    "event handlers, javascript:/vbscript: URLs, CSS expressions or active elements (sanitiser tests) and values among "
    "an older split's benign values left out",
}
FOLDERS = ("wellformed", "entities", "encoding")
ATTRS = ("href", "url", "uri", "src", "term", "label", "scheme", "type", "domain", "port", "path", "text", "title",
         "name", "role", "rel", "hreflang", "length", "width", "height")
UNSAFE = re.compile(
    r"(?i)(<|&lt;|&#60;|&#x3c;)\s*/?\s*(script|iframe|object|embed|applet|style|meta|link\b|form|input|frame|base\b|"
    r"svg|math)|javascript:|vbscript:|\bon[a-z]+\s*=|expression\s*\("
)
COMMENT = re.compile(rb"\A\s*<!--.*?-->\s*", re.S)
ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})


def _feeds(fp: Path, pp: Path) -> list[tuple[str, bytes]]:
    """(label, feed bytes without a leading test comment) of each kept test feed, in path order: feedparser's
    ``tests/<FOLDERS>`` (not ``sanitize/``), then podcastparser's ``tests/data/*.rss``; feeds matching ``UNSAFE`` left
    out."""
    paths = [(f"feedparser 6.0.14 tests/{p.relative_to(fp / 'tests')}", p)
             for folder in FOLDERS for p in sorted((fp / "tests" / folder).rglob("*.xml"))]
    paths += [(f"podcastparser 0.6.11 tests/data/{p.name}", p) for p in sorted((pp / "tests/data").glob("*.rss"))]
    out: list[tuple[str, bytes]] = []
    for label, path in paths:
        if "/sanitize/" in label:
            continue
        body = COMMENT.sub(b"", path.read_bytes(), count=1)
        if UNSAFE.search(body.decode("latin-1")):
            continue
        out.append((label, body))
    return out


def _root(body: bytes) -> ET.Element | None:
    """The feed parsed as XML; HTML named entities (the entities tests use them without a DTD) replaced first when
    the plain parse fails."""
    try:
        return ET.fromstring(body)
    except (ET.ParseError, ValueError, LookupError):  # ValueError: an encoding expat cannot read (UTF-16, CJK)
        pass
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = ENTITY.sub(lambda m: m.group(0) if m.group(1) in XML_ENTITIES else html.unescape(m.group(0)), text)
    text = re.sub(r"<\?xml[^>]*\?>", "", text, count=1)
    try:
        return ET.fromstring(text)
    except ET.ParseError:
        return None


def _strings(root: ET.Element) -> list[tuple[str, str]]:
    """(key, text) of every element's text and the listed attributes."""
    found: list[tuple[str, str]] = []
    for el in root.iter():
        tag = str(el.tag).rsplit("}", 1)[-1]
        if el.text and el.text.strip():
            found.append((tag, el.text))
        for name, value in el.attrib.items():
            if name.rsplit("}", 1)[-1] in ATTRS:
                found.append((f"{tag}@{name.rsplit('}', 1)[-1]}", value))
    return found


def _benign(fp: Path, pp: Path) -> dict[str, list[dict[str, str]]]:
    older = sc.older_benign(HERE)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    seen: set[str] = set(older)
    docs: list[dict[str, str]] = []
    for label, body in _feeds(fp, pp):
        root = _root(body)
        if root is None:
            continue
        for key, text in _strings(root):
            text = text.strip()
            if text in seen or not sc.keep_text(text) or UNSAFE.search(text):
                continue
            seen.add(text)
            found[sc.text_category(text)].append({"value": text, "source": f"{label}: {key}"})
        try:
            whole = body.decode("utf-8").strip()
        except UnicodeDecodeError:
            continue
        if sc.keep_text(whole) and whole not in older:
            docs.append({"value": whole, "source": label})
    parsed: list[dict[str, str]] = []
    for path in sorted((pp / "tests/data").glob("*.json")):
        text = json.dumps(json.loads(path.read_text()), ensure_ascii=False)
        if sc.keep_text(text) and text not in older and not UNSAFE.search(text):
            parsed.append({"value": text, "source": f"podcastparser 0.6.11 tests/data/{path.name}"})
    out = {f"feed_{cat}": vals for cat, vals in found.items() if vals}
    out["feed_documents"] = docs
    out["feed_parsed"] = parsed
    return out


def extract(fp: Path, pp: Path) -> None:
    records = sc.read_records(HERE / "records.txt", sc.decode_url_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(fp, pp), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus, benign = sc.load(HERE, SPLIT)
    whole = {"documents": "xml", "parsed": "json"}  # sent whole: the feeds as XML, podcastparser's results as JSON
    entries = {cat: benign.pop(f"feed_{cat}", []) for cat in whole}
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.long_texts(benign)
    for cat, loc in whole.items():
        corpus.documents(entries[cat], cat, loc)
    out: list[dict[str, Any]] = corpus.items
    return out


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
