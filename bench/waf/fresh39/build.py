"""fresh39: the CVE templates of projectdiscovery/nuclei-templates for 2017-2020 (real exploit requests against named
products: SQL injection, traversal, command and code injection, XSS, XXE, JNDI, OGNL/EL, CRLF), against the recorded
NCBI Entrez E-utilities answers that Biopython's test suite parses (PubMed article titles and abstracts, author names
and affiliations, GenBank and taxonomy records, database descriptions, search terms: text written by people about
biology and medicine, and the identifiers around it).

    python bench/waf/fresh39/build.py                        # writes corpus.jsonl (deterministic)
    python bench/waf/fresh39/build.py --extract BIOPYTHON    # re-selects the values (the three json files)

``BIOPYTHON`` is the unpacked PyPI sdist ``biopython-1.88.tar.gz`` (only its ``Tests/Entrez/*.xml`` are read).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, template,
commit and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped and listed in
``sources.json``.

Benign values. Every element text and attribute value of every recorded answer that parses (``einfo4.xml`` is a
truncated answer the tests feed to the parser's error path and does not parse; ``pubmed3.html`` is not an E-utilities
answer), by ``text_category`` (names, prose, urls, codes), at most ``CAP`` per category at an even stride. Whole
documents: every answer of 80-4,000 characters as recorded (prolog and DOCTYPE kept) and every repeated record
element (a child whose tag repeats under its parent: ``PubmedArticle``, ``DocSum``, ``Link``, ``Item`` ...) of
80-4,000 characters re-serialised, as XML bodies; the same record elements turned into JSON (attributes as ``@name``,
text as ``#text``, repeated children as lists: the shape of E-utilities' own ``retmode=json``) as JSON bodies; at most
``MAX_BODIES`` each. No answer holds a form-encoded body, so none is sent as a form. Values among an older split's
benign values are left out. Split name ``fresh39``.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh39"
CAP = {"names": 320, "prose": 400, "urls": 60, "codes": 240}
MAX_BODIES = 300
DATA = "Tests/Entrez"
LABEL = "biopython 1.88 Tests/Entrez"
HOW_READ = (
    "each template's stored text through the code-search index (read_file) at the commit named per source; the "
    "injected values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "biopython 1.88 (PyPI sdist biopython-1.88.tar.gz), Tests/Entrez/*.xml: recorded NCBI Entrez "
    "E-utilities answers (efetch PubMed/PMC/nucleotide/protein/taxonomy/journals/biosample, esearch, esummary, elink, "
    "einfo, epost, espell) that Bio.Entrez's tests parse",
    "licence": "Biopython License Agreement (PKG-INFO License-Expression: LicenseRef-Biopython-License-Agreement; "
    "LICENSE.rst: 'Biopython License Agreement' or, for dual-licensed files, BSD 3-Clause)",
    "what": "every element text and attribute value by text_category (names, prose, urls, codes; at most CAP per "
    "category, evenly spaced); answers of 80-4,000 characters whole as recorded and repeated record elements "
    "re-serialised as XML bodies; the same record elements as JSON (@attribute, #text, repeated children as lists) as "
    "JSON bodies; values among an older split's benign values left out",
    "left_out": "einfo4.xml (a truncated answer that does not parse; the tests use it for the parser's error path) and "
    "pubmed3.html (an HTML page, not an E-utilities answer); no form-encoded bodies exist in the answers, none are "
    "sent as forms",
}


def _answers(root: Path) -> list[tuple[str, str, ET.Element]]:
    """(file name, recorded text, parsed root) of every answer that parses, in name order."""
    out = []
    for path in sorted((root / DATA).glob("*.xml")):
        text = path.read_text(encoding="utf-8")
        try:
            tree = ET.fromstring(text)
        except ET.ParseError:
            continue
        out.append((path.name, text, tree))
    return out


def _to_json(el: ET.Element) -> Any:
    """``el`` as JSON: attributes ``@name``, text ``#text`` (the text alone when there is nothing else), children by
    tag, a repeated tag as a list."""
    node: dict[str, Any] = {f"@{k}": v for k, v in el.attrib.items()}
    for child in el:
        value = _to_json(child)
        if child.tag in node:
            if not isinstance(node[child.tag], list):
                node[child.tag] = [node[child.tag]]
            node[child.tag].append(value)
        else:
            node[child.tag] = value
    text = (el.text or "").strip()
    if text:
        if not node:
            return text
        node["#text"] = text
    return node


def _text(el: ET.Element) -> str:
    """An element's own text; with inline markup (children that hold only text and are followed by text, as the
    ``<i>`` and ``<sup>`` of an abstract) the whole running text."""
    if len(el) and any((c.tail or "").strip() for c in el) and all(len(c) == 0 for c in el):
        return "".join(el.itertext())
    return el.text or ""


def _records(tree: ET.Element) -> list[ET.Element]:
    """Every element whose tag repeats among its parent's children, depth first."""
    out = []
    for parent in tree.iter():
        tags = [c.tag for c in parent]
        out.extend(c for c in parent if tags.count(c.tag) > 1)
    return out


def _benign(root: Path) -> dict[str, list[dict[str, str]]]:
    older = sc.older_benign(HERE)
    seen: set[str] = set(older)
    whole: set[str] = set(older)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    xml_bodies: list[dict[str, str]] = []
    json_bodies: list[dict[str, str]] = []

    def body(out: list[dict[str, str]], text: str, where: str) -> None:
        if 80 <= len(text) <= 4000 and text not in whole and sc.keep_text(text):
            whole.add(text)
            out.append({"value": text, "source": where})

    for name, text, tree in _answers(root):
        for el in tree.iter():
            for key, value in [(el.tag, _text(el)), *el.attrib.items()]:
                value = value.strip()
                if value and value not in seen and sc.keep_text(value):
                    seen.add(value)
                    found[sc.text_category(value)].append({"value": value, "source": f"{LABEL}/{name}: {key}"})
        body(xml_bodies, text.strip(), f"{LABEL}/{name} (whole answer)")
        for rec in _records(tree):
            where = f"{LABEL}/{name}: {rec.tag}"
            body(xml_bodies, ET.tostring(rec, encoding="unicode").strip(), where)
            obj = _to_json(rec)
            if isinstance(obj, dict):
                body(json_bodies, json.dumps({rec.tag: obj}, ensure_ascii=False), where)
    values = {f"entrez_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**values, "entrez_xml": sc.even(xml_bodies, MAX_BODIES), "entrez_objects": sc.even(json_bodies, MAX_BODIES)}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(root), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_bodies(HERE, SPLIT, (("entrez_xml", "xml_docs", "xml"), ("entrez_objects", "objects", "json")))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
