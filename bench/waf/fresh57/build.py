"""fresh57: the XML documents XML parsers test their entity, DOCTYPE, XInclude and XSLT-document() handling with
(CPython 3.11's own XML tests, lxml 6.1.3's tests, xmltodict 1.0.4's tests), against the Atom feeds the arXiv API
answered (arxiv 4.0.2's recorded fixtures: titles, abstracts, author names and comments) and GPX tracks (gpxpy 1.6.2).

    python bench/waf/fresh57/build.py                                                  # writes corpus.jsonl
    python bench/waf/fresh57/build.py --extract CPYTHON LXML XMLTODICT ARXIV GPXPY     # re-selects the values

``CPYTHON`` is Debian's ``libpython3.11-testsuite_3.11.2-6+deb12u9_all.deb`` unpacked with ``dpkg-deb -x`` (its
``usr/lib/python3.11/test/``), ``LXML`` the unpacked PyPI sdist ``lxml-6.1.3.tar.gz``, ``XMLTODICT`` the unpacked
``xmltodict-1.0.4.tar.gz``, ``ARXIV`` the unpacked ``arxiv-4.0.2.tar.gz``, ``GPXPY`` the unpacked
``gpxpy-1.6.2.tar.gz`` (each the folder holding the package's files).

Attack payloads (what was read, and how). Every ``str``/``bytes`` literal (``ast``; adjacent literals joined as
Python joins them) of the test files ``PY_FILES`` that, stripped, starts with ``<``, and every document file of
``DOC_FILES``; for CPython's ``test_sax.py`` also the document each test function feeds in pieces (its
``parser.feed('...')`` literals joined in order). A ``%s``, ``{}`` or ``{FILE}`` placeholder, where the test puts the
path of one of its own files, is filled with ``FILL``. Each document is then sorted by ``classify`` (rules fixed
before measuring):

- ``xxe``: it declares an external entity (``<!ENTITY name SYSTEM|PUBLIC ...``, also an unparsed ``NDATA`` one) or a
  parameter entity (``<!ENTITY % ...``); its DOCTYPE names an external DTD (``SYSTEM "id"`` or ``PUBLIC "p" "id"``)
  other than a W3C/IETF public DTD; an internal entity's text refers to other entities twice or more (the
  billion-laughs expansion); it holds an XInclude ``include`` element; an XSLT stylesheet reads another document
  (``document('uri')`` with a non-empty URI, ``xsl:import``/``xsl:include``).
- dropped: a literal that is no whole document (expat: not well-formed for another reason than an entity the
  external DTD would define: the pieces of a document a test joins, a DOCTYPE alone as a test expects it back);
  with a note: a DOCTYPE whose system id is a lone quote character (the quoting tests: no DTD a parser can
  fetch), ``document('')`` (the stylesheet reading itself).
- benign: every other whole document without an undefined entity or active content (fresh48's ``ACTIVE`` rule):
  plain, namespaced, CDATA, comments, processing instructions, internal character entities, internal DTDs without
  amplification, W3C/IETF public DOCTYPEs.

npm's ``fast-xml-parser`` 5.12.1, ``xml2js`` 0.6.2, ``sax`` 1.6.1, ``@xmldom/xmldom`` 0.9.12 and ``libxmljs2`` 0.35.0
were packed (``npm pack``) and read: none ships its tests, so they give no values (a ``left_out`` note each). Debian's
testsuite package for 3.11 ships ``test_sax.py`` and ``test_xml_etree.py`` but no ``test_minidom.py`` or
``test_pyexpat.py``. Values already in an older split or repeated are dropped and listed in ``sources.json``.

Every attack document is sent in all eight locations; in the ``xml`` location any value that is itself a whole XML
document (attack or benign, starts with ``<``) is sent as the request body as it is (the body an XML API receives),
not wrapped in an order document.

Benign values (rules fixed before measuring). The benign test documents above, each whole as a value in every
location it fits (``xmldocs``). arXiv: every ``<entry>`` of every recorded Atom answer (``tests/fixtures/*.json``,
name order, the answer's ``body``) serialised whole (``xml.etree.ElementTree``, the Atom namespace as the default)
as an XML body (at most ``MAX_ENTRIES``); every answer of at most ``MAX_DOC`` characters whole as an XML body; the
text of each entry's title, summary, author names and affiliations, ``arxiv:comment``, ``arxiv:journal_ref``,
``arxiv:doi``, link hrefs, category terms, id, dates by ``text_category`` (at most ``CAP`` per category at an even
stride). GPX: every ``test_files/*.gpx`` of at most ``MAX_DOC`` characters whole as an XML body; its ``name``,
``desc``, ``cmt``, ``src``, ``author``/``email`` text, ``link`` hrefs and ``keywords`` by ``text_category``. Values
an older split holds, and values holding ``localhost``, are left out. Split name ``fresh57``.
"""

from __future__ import annotations

import ast
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from xml.parsers import expat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh57"
FILL = "/PATH/TO/tests/test.xml"
"""What a ``%s``/``{}``/``{FILE}`` placeholder is filled with: the tests put the path of one of their files there."""
CAP = {"names": 500, "prose": 400, "urls": 200, "codes": 250}
MAX_ENTRIES = 300
MAX_DOC = 40_000
CPY_TEST = "usr/lib/python3.11/test"
LXML_TEST = "src/lxml/tests"
PY_FILES: dict[str, tuple[str, ...]] = {
    "cpython": (f"{CPY_TEST}/test_xml_etree.py", f"{CPY_TEST}/test_sax.py"),
    "lxml": tuple(f"{LXML_TEST}/{n}" for n in (
        "selftest.py", "selftest2.py", "test_classlookup.py", "test_dtd.py", "test_elementtree.py", "test_etree.py",
        "test_htmlparser.py", "test_http_io.py", "test_threading.py", "test_xslt.py", "test_io.py", "test_sax.py",
        "test_xpathevaluator.py", "test_objectify.py", "test_incremental_xmlfile.py", "test_unicode.py",
        "test_nsclasses.py", "test_builder.py", "test_errors.py", "test_external_document.py")),
    "xmltodict": ("tests/test_xmltodict.py", "tests/test_dicttoxml.py"),
}
DOC_FILES: dict[str, tuple[str, ...]] = {
    "cpython": ("xmltestdata/*.xml", "xmltestdata/c14n-20/*.xml"),
    "lxml": ("*.xml", "*.xslt", "*.xsd", "*.rng", "*.sch", "include/*.xml", "c14n-20/*.xml"),
}
PKG = {
    "cpython": ("Debian libpython3.11-testsuite 3.11.2-6+deb12u9 (CPython 3.11.2 Lib/test)",
                "PSF-2.0 (CPython licence; the package's doc folder is a link to python3.11's copyright); "
                "strings used as test data only"),
    "lxml": ("lxml 6.1.3 (PyPI sdist lxml-6.1.3.tar.gz)",
             "BSD-3-Clause (lxml PKG-INFO License: BSD-3-Clause; LICENSE.txt); strings used as test data only"),
    "xmltodict": ("xmltodict 1.0.4 (PyPI sdist xmltodict-1.0.4.tar.gz)",
                  "MIT (xmltodict PKG-INFO License-Expression: MIT; LICENSE); strings used as test data only"),
}
HOW_READ = (
    "each package downloaded with its ordinary client (apt-get download + dpkg-deb -x, pip download --no-deps of the "
    "sdist, npm pack) and its test files read by build.py: every string literal starting with '<' (ast) and every "
    "test document file, placeholders filled with FILL, each sorted by classify (see the docstring)"
)
NPM_DROPS = [
    ("npm fast-xml-parser 5.12.1, xml2js 0.6.2, sax 1.6.1, @xmldom/xmldom 0.9.12, libxmljs2 0.35.0 (npm pack)",
     "the packed packages ship no tests (libxmljs2 ships libxml2's C sources, no test documents): no values"),
    ("Debian libpython3.11-testsuite: test_minidom.py, test_pyexpat.py", "not in the package for 3.11.2"),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "arxiv 4.0.2 (PyPI sdist arxiv-4.0.2.tar.gz), tests/fixtures/*.json (20 recorded answers of the "
    "arXiv API, Atom feeds); gpxpy 1.6.2 (PyPI sdist gpxpy-1.6.2.tar.gz), test_files/*.gpx; the benign test "
    "documents of the attack packages (see classify)",
    "licence": "arxiv: MIT (PKG-INFO License-Expression: MIT; LICENSE.txt); gpxpy: Apache-2.0 (PKG-INFO License: "
    "Apache License, Version 2.0); the abstracts, titles and comments are their authors' text",
    "what": "Atom entries whole as XML bodies, recorded answers and GPX files of at most MAX_DOC characters whole as "
    "XML bodies, entry and GPX text by text_category, benign test documents whole as values in every location",
}

XI_NS = "http://www.w3.org/2001/XInclude"
EXT_ENTITY = re.compile(r"<!ENTITY\s+(?:%\s+)?[\w.:-]+\s+(?:SYSTEM|PUBLIC)\b|<!ENTITY\s+%", re.I)
DOCTYPE_EXT = re.compile(
    r"<!DOCTYPE\s+[\w.:-]+\s+(?:SYSTEM\s+(['\"])(.*?)\1|PUBLIC\s+(['\"])(.*?)\3(?:\s+(['\"])(.*?)\5)?)", re.I | re.S
)
INTERNAL_ENTITY = re.compile(r"<!ENTITY\s+[\w.:-]+\s+(['\"])(.*?)\1", re.S)
DOCUMENT_CALL = re.compile(r"document\(\s*(['\"])(.*?)\1")
XSL_IMPORT = re.compile(r"<xsl:(?:import|include)\b[^>]*\bhref=")
STANDARD_PUBLIC = re.compile(r"-//(?:W3C|IETF)//")
ACTIVE = re.compile(r"<\s*(?:script|iframe|object|embed)\b|\bon[a-z]+\s*=|(?:javascript|vbscript)\s*:|data:text/html",
                    re.IGNORECASE)
"""fresh48's rule for benign values: no active content."""


def _fill(text: str) -> str:
    return text.replace("{FILE}", FILL).replace("%s", FILL).replace("{}", FILL)


def _well_formed(doc: str) -> str:
    """"" when expat parses ``doc``, else its error text (no external entity or DTD is fetched)."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(doc, True)
    except expat.ExpatError as exc:
        return str(exc)
    return ""


def classify(doc: str) -> tuple[str, str]:
    """(``"xxe"`` | ``"benign"`` | ``"drop"``, why) for a whole document (the docstring's rules)."""
    error = _well_formed(doc)
    if error and not error.startswith("undefined entity"):
        return "drop", f"no whole document ({error})"
    for m in DOCTYPE_EXT.finditer(doc):
        public, system = m.group(4), m.group(2) if m.group(2) is not None else m.group(6)
        if system in ('"', "'"):
            return "drop", "a DOCTYPE whose system id is a lone quote (a quoting test; no DTD to fetch)"
        if public is not None and STANDARD_PUBLIC.search(public):
            continue
        return "xxe", "external DTD"
    if EXT_ENTITY.search(doc):
        return "xxe", "external or parameter entity"
    if any(len(re.findall(r"&[\w.:-]+;", m.group(2))) >= 2 for m in INTERNAL_ENTITY.finditer(doc)):
        return "xxe", "entity expansion"
    if XI_NS in doc and re.search(r":include\b[^>]*\bhref=", doc):
        return "xxe", "XInclude"
    if XSL_IMPORT.search(doc) or any(m.group(2) for m in DOCUMENT_CALL.finditer(doc)):
        return "xxe", "XSLT reads another document"
    if DOCUMENT_CALL.search(doc):
        return "drop", "document('') (the stylesheet reading itself)"
    if error or ACTIVE.search(doc):
        return "drop", "an undefined entity, or active content (fresh48's rule: a script/iframe/object/embed tag, an "
        "on...= handler, a script URL)"
    return "benign", ""


def _literals(path: Path) -> list[tuple[int, str]]:
    """Every string literal of ``path`` starting with ``<`` (bytes decoded as UTF-8), and for each function the
    ``parser.feed('...')`` literals joined in order (test_sax.py feeds its documents in pieces)."""
    tree = ast.parse(path.read_bytes())  # honours a coding declaration
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
            try:
                text = node.value.decode("utf-8") if isinstance(node.value, bytes) else node.value
            except UnicodeDecodeError:
                continue
            if text.strip().startswith("<") and len(text.strip()) > 3:
                out.append((node.lineno, text.strip()))
        if isinstance(node, ast.FunctionDef):
            pieces = [c.args[0].value for c in ast.walk(node) if isinstance(c, ast.Call)
                      and isinstance(c.func, ast.Attribute) and c.func.attr == "feed" and c.args
                      and isinstance(c.args[0], ast.Constant) and isinstance(c.args[0].value, str)]
            if len(pieces) > 1:
                out.append((node.lineno, "".join(pieces).strip()))
    out.sort(key=lambda item: item[0])
    return out


class Docs:
    def __init__(self) -> None:
        self.attacks: dict[str, list[tuple[str, str]]] = {}
        self.benign: list[dict[str, str]] = []
        self.dropped: list[dict[str, str]] = []
        self.seen: set[str] = set()

    def add(self, pkg: str, where: str, text: str) -> None:
        doc = _fill(text)
        if doc in self.seen:
            return
        self.seen.add(doc)
        kind, why = classify(doc)
        if kind == "xxe":
            self.attacks.setdefault(pkg, []).append(("xxe", doc))
        elif kind == "benign":
            if len(doc) <= 4000:
                self.benign.append({"value": doc, "source": f"{PKG[pkg][0]} {where}"})
        elif not why.startswith("no whole document"):
            self.dropped.append({"repository": PKG[pkg][0], "left_out": f"{where}: {doc[:120]!r}", "why": why})


def _decoded(raw: bytes) -> str | None:
    """A document file's text in the encoding its XML declaration names (UTF-8 without one); None when it is not
    text in that encoding (a test of broken input)."""
    m = re.match(rb"<\?xml[^>]*encoding=[\"']([\w.-]+)", raw)
    try:
        return raw.decode(m.group(1).decode("ascii") if m else "utf-8").lstrip("\ufeff").strip()
    except (UnicodeDecodeError, LookupError):
        return None


def _attack_docs(roots: dict[str, Path]) -> Docs:
    docs = Docs()
    for pkg, files in PY_FILES.items():
        for rel in files:
            path = roots[pkg] / rel
            for lineno, text in _literals(path):
                docs.add(pkg, f"{rel}:{lineno}", text)
    for pkg, patterns in DOC_FILES.items():
        base = roots[pkg] / (CPY_TEST if pkg == "cpython" else LXML_TEST)
        for pattern in patterns:
            for path in sorted(base.glob(pattern)):
                text = _decoded(path.read_bytes())
                if text is not None:
                    docs.add(pkg, str(path.relative_to(roots[pkg])), text)
    return docs


# --- benign: arXiv Atom answers and GPX tracks ------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV_NS = "{http://arxiv.org/schemas/atom}"
ARXIV_LABEL = "arxiv 4.0.2 tests/fixtures"
GPX_LABEL = "gpxpy 1.6.2 test_files"
ENTRY_TEXT = (f"{ATOM}title", f"{ATOM}summary", f"{ATOM}id", f"{ATOM}published", f"{ATOM}updated",
              f"{ATOM}author/{ATOM}name", f"{ATOM}author/{ARXIV_NS}affiliation", f"{ARXIV_NS}comment",
              f"{ARXIV_NS}journal_ref", f"{ARXIV_NS}doi")
GPX_TEXT = re.compile(r"\}(?:name|desc|cmt|src|keywords|author|email|text|type|sym)$")


class Found:
    def __init__(self) -> None:
        self.seen: set[str] = sc.older_benign(HERE)
        self.values: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
        self.bodies: list[dict[str, str]] = []

    def add(self, text: str | None, where: str) -> None:
        text = " ".join((text or "").split())
        if not text or text in self.seen or not sc.keep_text(text):
            return
        self.seen.add(text)
        self.values[sc.text_category(text)].append({"value": text, "source": where})

    def body(self, text: str, where: str) -> None:
        if text not in self.seen and len(text) <= MAX_DOC and "localhost" not in text:
            self.seen.add(text)
            self.bodies.append({"value": text, "source": where})


def _arxiv(found: Found, root: Path, entries: list[dict[str, str]]) -> None:
    ET.register_namespace("", ATOM[1:-1])
    ET.register_namespace("arxiv", ARXIV_NS[1:-1])
    ET.register_namespace("opensearch", "http://a9.com/-/spec/opensearch/1.1/")
    for path in sorted((root / "tests/fixtures").glob("*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))["body"]
        where = f"{ARXIV_LABEL}/{path.name}"
        found.body(body, where)
        feed = ET.fromstring(body.encode("utf-8"))
        for i, entry in enumerate(feed.iter(f"{ATOM}entry")):
            text = ET.tostring(entry, encoding="unicode")
            if text not in found.seen:
                found.seen.add(text)
                entries.append({"value": text, "source": f"{where} entry {i}"})
            for tag in ENTRY_TEXT:
                for el in entry.findall(tag):
                    found.add(el.text, f"{where} entry {i} {tag.split('}')[-1]}")
            for el in entry.findall(f"{ATOM}link"):
                found.add(el.get("href"), f"{where} entry {i} link")
            for el in entry.findall(f"{ATOM}category"):
                found.add(el.get("term"), f"{where} entry {i} category")


def _gpx(found: Found, root: Path) -> None:
    for path in sorted((root / "test_files").glob("*.gpx")):
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        where = f"{GPX_LABEL}/{path.name}"
        found.body(text.strip(), where)
        try:
            tree = ET.fromstring(raw)
        except ET.ParseError:
            continue
        for el in tree.iter():
            if GPX_TEXT.search(el.tag):
                found.add(el.text, f"{where} {el.tag.split('}')[-1]}")
            if el.tag.endswith("}link"):
                found.add(el.get("href"), f"{where} link")


def extract(cpython: Path, lxml: Path, xmltodict: Path, arxiv: Path, gpxpy: Path) -> None:
    """The attack documents and the benign values from the unpacked packages."""
    docs = _attack_docs({"cpython": cpython, "lxml": lxml, "xmltodict": xmltodict})
    sources = [{"repository": PKG[pkg][0], "files": ", ".join(PY_FILES[pkg] + DOC_FILES.get(pkg, ())),
                "commit": "-", "licence": PKG[pkg][1], "values": docs.attacks.get(pkg, [])} for pkg in PKG]
    dropped = docs.dropped + [{"repository": what, "left_out": what, "why": why} for what, why in NPM_DROPS]
    found = Found()
    entries: list[dict[str, str]] = []
    _arxiv(found, arxiv, entries)
    _gpx(found, gpxpy)
    older = sc.older_benign(HERE)
    xmldocs = [d for d in docs.benign if d["value"] not in older]
    values = {f"feeds_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.values.items() if vals}
    benign = {**values, "tests_xmldocs": xmldocs, "feeds_entries": sc.even(entries, MAX_ENTRIES),
              "feeds_documents": found.bodies}
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus = sc.build_with_bodies(HERE, SPLIT, (("feeds_entries", "entries", "xml"),
                                                ("feeds_documents", "documents", "xml")))
    return _raw_xml(corpus)


def _raw_xml(corpus: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """In the ``xml`` location a value that is itself a whole XML document goes as the body as it is."""
    attacks: dict[str, list[str]] = json.loads((HERE / f"attacks_{SPLIT}.json").read_text())
    benign: dict[str, list[dict[str, str]]] = json.loads((HERE / f"benign_{SPLIT}.json").read_text())
    values: dict[str, str] = {}
    for cls, payloads in attacks.items():
        for i, payload in enumerate(payloads):
            values[f"{SPLIT}-{cls}-{i}-xml"] = payload
    for i, entry in enumerate(benign["tests_xmldocs"]):
        values[f"{SPLIT}-tests_xmldocs-{i}-xml"] = entry["value"]
    for item in corpus:
        doc = values.get(item["id"])
        if doc is not None and doc.startswith("<"):
            item["body"] = doc
            item["headers"] = [h for h in item["headers"] if h[0] != "content-type"] + [["content-type",
                                                                                         "application/xml"]]
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
