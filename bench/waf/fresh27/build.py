"""fresh27: other WAFs' own test inputs (naxsi's libinjection tests, lua-resty-waf's reflected-XSS test, Coraza's
end-to-end test) and the attack cases of CRS v4 regression-test files no older split used, against the recorded Tableau
Server REST API answers that tableauserverclient's unit tests replay.

    python bench/waf/fresh27/build.py                   # writes corpus.jsonl (deterministic)
    python bench/waf/fresh27/build.py --extract TSC     # re-selects the values (the three json files)

``TSC`` is the unpacked PyPI sdist ``tableauserverclient-0.42.tar.gz`` (its ``test/assets/*.xml`` and ``*.json``).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, file, commit
and licence; each test file's stored text was read through the code-search index and the values of the requests the
test expects blocked transcribed, decoded once as the application receives them; ``@@ drop`` lines say what was left
out and why). Values already in an older split (``older_payloads``) or repeated are dropped and listed in
``sources.json``.

Benign values: every attribute value and element text of the REST API answers in ``test/assets/*.xml`` (sites,
projects, workbooks, views, data sources, flows, users, groups, schedules, jobs, webhooks, metrics …) and every string
of its ``*.json`` answers, by ``text_category`` (names, prose, urls, codes); no token or password values; each answer
also whole, as an XML (or JSON) body; values already among an older split's benign values are left out. Split name
``fresh27``.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

SPLIT = "fresh27"
HOW_READ = (
    "each test file's stored text through the code-search index (read_file) at the commit named per source; the "
    "values of the requests the test expects blocked transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "tableauserverclient 0.42 (PyPI sdist), test/assets/*.xml and *.json: the Tableau Server REST API "
    "answers its unit tests replay (sites, projects, workbooks, views, data sources, flows, users, groups, schedules, "
    "jobs, subscriptions, webhooks, metrics, favourites, permissions, revisions, tasks)",
    "licence": "MIT (tableauserverclient LICENSE)",
    "what": "every unique attribute value and element text (XML) and string (JSON) by text_category (names, prose, "
    "urls, codes), token/password values left out; each answer whole as an XML or JSON body (at most 4,000 "
    "characters); values among an older split's benign values left out",
}
LABEL = "tableauserverclient 0.42 test/assets"

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402


def _tree(elem: ET.Element) -> dict[str, Any]:
    """An XML element as a JSON-like node: its attributes under their names, its text under its tag's local name, its
    children under ``children``."""
    node: dict[str, Any] = {name.split("}")[-1]: value for name, value in elem.attrib.items()}
    if elem.text and elem.text.strip():
        node[elem.tag.split("}")[-1]] = elem.text
    node["children"] = [_tree(child) for child in elem]
    return node


def _benign(tsc: Path) -> dict[str, list[dict[str, str]]]:
    older = sc.older_benign(HERE)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    seen: set[str] = set(older)
    xml_docs: list[dict[str, str]] = []
    json_docs: list[dict[str, str]] = []
    for path in sorted((tsc / "test/assets").glob("*.*")):
        if path.suffix not in (".xml", ".json"):
            continue
        text = path.read_text(encoding="utf-8")
        try:
            doc = _tree(ET.fromstring(text)) if path.suffix == ".xml" else json.loads(text)
        except (ET.ParseError, ValueError):
            continue
        sc.collect_strings(found, seen, LABEL, path.name, doc)
        whole = text.strip()
        secret = any(f' {key}="' in whole for key in ("token", "password"))
        if sc.keep_text(whole) and not secret and whole not in older:
            docs = xml_docs if path.suffix == ".xml" else json_docs
            docs.append({"value": whole, "source": f"{LABEL}/{path.name}"})
    values = {f"tsc_{cat}": vals for cat, vals in found.items() if vals}
    return {**values, "tsc_xmlanswers": xml_docs, "tsc_jsonanswers": json_docs}


def extract(tsc: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``tsc``."""
    benign = _benign(tsc)
    sc.write_split(HERE, SPLIT, sc.read_records(HERE / "records.txt", sc.decode_url_record), HOW_READ, benign,
                   BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_bodies(HERE, SPLIT, (("tsc_xmlanswers", "xmlanswers", "xml"),
                                              ("tsc_jsonanswers", "jsonanswers", "json")))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
