"""fresh48: the XSS vectors four HTML sanitizers test against and the XXE / entity-expansion documents defusedxml ships
(all from their PyPI sdists), against Library of Congress catalogue records (what a library or bookshop API carries:
titles, authors, publishers, subjects and notes in many languages) as pymarc 5.4.0 ships and reads them.

    python bench/waf/fresh48/build.py                       # writes corpus.jsonl (deterministic)
    python bench/waf/fresh48/build.py --extract SDIST       # re-selects the values (the three json files)

``SDIST`` is the unpacked PyPI sdist ``pymarc-5.4.0.tar.gz``; its own pure-Python reader (``pymarc/``, put first on
``sys.path``) reads the records.

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming package, files, sdist
hash and licence; ``@@ drop`` lines say what was left out and why): the attack inputs of bleach 6.4.0
(``tests/test_clean.py``, ``tests/test_linkify.py``, ``tests/data/*.test``), lxml_html_clean 0.4.6 (``tests/``),
html-sanitizer 2.7.0 (``html_sanitizer/tests.py``) and nh3 0.3.8 (``tests/test_nh3.py``; its sdist ships no ammonia
tests), each the string the test feeds the sanitizer, and defusedxml 0.7.1's ``xmltestdata/`` documents whole; benign
controls, expected outputs and sanitizer-timing inputs dropped with notes. Values already in an older split or
repeated are dropped and listed in ``sources.json``.

Benign values. Every record of ``BooksAll.2016.part01.utf8`` (MARC 21 transmission format, UTF-8) read in file order
with ``pymarc.MARCReader(to_unicode=True, force_utf8=True)``; each field's text (``Field.value()``: the subfields
joined by spaces, the data of a control field) by the category its tag gives (``TAGS``: names, titles, subjects,
imprints, notes, codes, urls = 856 $u), unique values, at most ``CAP`` per category at an even stride. Records whose
``as_json()`` (pymarc's own MARC-in-JSON) is 200-4,000 characters are sent whole as JSON bodies (at most
``MAX_BODIES``, evenly spaced) and, at the same stride shifted by half a step, as MARCXML bodies written by pymarc's
``record_to_xml(namespace=True)`` (at most ``MAX_XML``); the MARCXML files of the sdist's ``test/`` folder are sent
whole as XML bodies. Values with active content (a script/iframe/object/embed tag, an ``on...=`` handler, a
``javascript:``/``vbscript:``/``data:text/html`` URL) are left out by a rule fixed before measuring; values among an
older split's benign values are left out. Split name ``fresh48``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh48"
DATA = "BooksAll.2016.part01.utf8"
LABEL = "pymarc 5.4.0"
TAGS: dict[str, tuple[str, ...]] = {
    "names": ("100", "110", "111", "700", "710", "711"),
    "titles": ("130", "240", "245", "246", "440", "490", "830"),
    "subjects": ("600", "610", "611", "630", "650", "651", "655"),
    "imprints": ("250", "260", "264", "300"),
    "notes": tuple(str(t) for t in range(500, 600)),
    "codes": ("001", "008", "010", "020", "022", "043", "050", "082"),
}
CAP = {"names": 300, "titles": 300, "subjects": 250, "imprints": 150, "notes": 300, "codes": 150, "urls": 40}
MAX_BODIES = 400
MAX_XML = 200
HOW_READ = (
    "each sdist downloaded from PyPI with pip download --no-deps (nh3 unpacked by pip, its metadata build needing "
    "maturin) and its test files read; the injected values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": f"pymarc 5.4.0 (PyPI sdist pymarc-5.4.0.tar.gz): {DATA} (Library of Congress MARC 21 book records, "
    "UTF-8) read with the sdist's own MARCReader, and the MARCXML files test/*.xml",
    "licence": "BSD-2-Clause (pymarc LICENSE, the BSD two-clause text; PKG-INFO 'License:' carries that text); the "
    "records are Library of Congress catalogue data",
    "what": "each field's text by the category its MARC tag gives (names, titles, subjects, imprints, notes, codes, "
    "856 $u urls), unique values, at most CAP per category at an even stride; records of 200-4,000 characters of "
    "pymarc's as_json() whole as JSON bodies and as pymarc's record_to_xml(namespace=True) MARCXML bodies; test/*.xml "
    "whole as XML bodies; active content and values among an older split's benign values left out",
}
ACTIVE = re.compile(r"<\s*(?:script|iframe|object|embed)\b|\bon[a-z]+\s*=|(?:javascript|vbscript)\s*:|data:text/html",
                    re.IGNORECASE)


def _category(tag: str) -> str | None:
    for cat, tags in TAGS.items():
        if tag in tags:
            return cat
    return None


def _benign(root: Path) -> dict[str, list[dict[str, str]]]:
    sys.path.insert(0, str(root))
    from pymarc import MARCReader  # type: ignore[import-not-found]
    from pymarc.marcxml import record_to_xml  # type: ignore[import-not-found]

    older = sc.older_benign(HERE)
    seen: set[str] = set(older)
    found: dict[str, list[dict[str, str]]] = {cat: [] for cat in CAP}

    def add(cat: str, text: str, where: str) -> None:
        text = text.strip()
        if text in seen or not sc.keep_text(text) or ACTIVE.search(text):
            return
        seen.add(text)
        found[cat].append({"value": text, "source": f"{LABEL} {where}"})

    wholes: list[tuple[str, Any]] = []
    with (root / DATA).open("rb") as fh:
        for i, record in enumerate(MARCReader(fh, to_unicode=True, force_utf8=True)):
            if record is None:
                continue
            for field in record.get_fields():
                cat = _category(field.tag)
                where = f"{DATA} record {i} field {field.tag}"
                if cat:
                    add(cat, field.data if field.control_field else field.value(), where)
                if field.tag == "856":
                    for url in field.get_subfields("u"):
                        add("urls", url, where + " $u")
            text = record.as_json(ensure_ascii=False)
            if 200 <= len(text) <= 4000 and not ACTIVE.search(text) and "localhost" not in text:
                wholes.append((f"{DATA} record {i}", record))
    values = {f"marc_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    bodies: list[dict[str, str]] = []
    xmls: list[dict[str, str]] = []
    step = len(wholes) / MAX_BODIES
    for k in range(min(MAX_BODIES, len(wholes))):
        where, record = wholes[int(k * step)]
        bodies.append({"value": record.as_json(ensure_ascii=False), "source": f"{LABEL} {where} (as_json)"})
    step = len(wholes) / MAX_XML
    for k in range(min(MAX_XML, len(wholes))):
        where, record = wholes[int((k + 0.5) * step)]
        xml = record_to_xml(record, namespace=True).decode("ascii")
        xmls.append({"value": xml, "source": f"{LABEL} {where} (record_to_xml)"})
    for path in sorted((root / "test").glob("*.xml")):
        xmls.append({"value": path.read_text(encoding="utf-8"), "source": f"{LABEL} {path.relative_to(root)}"})
    return {**values, "marc_objects": bodies, "marc_xml": xmls}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(root), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_bodies(HERE, SPLIT, (("marc_objects", "objects", "json"), ("marc_xml", "records", "xml")))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
