"""fresh38: HackTricks sub-pages no older split read (the file-inclusion LFI2RCE pages and phar://, the
xss-cross-site-scripting sub-pages: DOM XSS, DOM clobbering, iframes, other JS tricks, JS hoisting, service workers,
shadow DOM; proxy-waf-protections-bypass, unicode-normalization and the unicode-injection README, mysql-ssrf and
ssrf-vulnerable-platforms), against the Last.fm API answers and requests recorded in pylast's test cassettes (artist
and album wiki text, user names, tags, track and album titles).

    python bench/waf/fresh38/build.py                    # writes corpus.jsonl (deterministic)
    python bench/waf/fresh38/build.py --extract PYLAST   # re-selects the values (the three json files)

``PYLAST`` is the unpacked PyPI sdist ``pylast-7.2.0.tar.gz`` (its ``tests/cassettes/*/*.yaml``, vcrpy cassettes of
``ws.audioscrobbler.com/2.0/``: each interaction's form-encoded request body and its XML answer).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, page, commit
and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``), plus one value rebuilt here: the ``php://filter`` chain that
lfi2rce-via-php-filters.md's script sends (``_php_filter_chain``). Values already in an older split or repeated are
dropped and listed in ``sources.json``.

Benign values. Every element text and attribute value of the recorded XML answers by ``text_category`` (names, prose,
urls, codes), at most ``CAP`` per category at an even stride; every answer element with child elements whose
serialisation is 80-4,000 characters sent whole as an XML body (at most ``MAX_XML``; the API answers in XML, so these
stand where fresh35 sent JSON objects); every recorded request body sent whole as a form body, as pylast POSTs it
(the cassettes already hold them without api_key and api_sig). Values among an older split's benign values are left
out. Split name ``fresh38``.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh38"
CAP = {"names": 260, "prose": 400, "urls": 80, "codes": 260}
MAX_XML = 500
LABEL = "pylast 7.2.0 tests/cassettes"
HOW_READ = (
    "each page's stored text through the code-search index (read_file) at the commit named per source; the injected "
    "values transcribed into records.txt (see its header); the php://filter chain rebuilt in build.py"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "pylast 7.2.0 (PyPI sdist pylast-7.2.0.tar.gz), tests/cassettes/*/*.yaml: recorded Last.fm API "
    "(ws.audioscrobbler.com/2.0/) requests and XML answers",
    "licence": "Apache-2.0 (pylast PKG-INFO 'License-Expression: Apache-2.0', LICENSE.txt)",
    "what": "every unique element text and attribute value of the answers by text_category (names, prose, urls, "
    "codes; at most CAP per category, evenly spaced); answer elements with child elements of 80-4,000 characters "
    "whole as XML bodies; every recorded request body whole as a form body; values among an older split's benign "
    "values left out",
}

# lfi2rce-via-php-filters.md (HackTricks-wiki/hacktricks 006a72a357031e2526caa97972554f685c4038ee, CC-BY-NC-4.0):
# the "Full script" conversions table and base64 payload (#<?=`$_GET[0]`;;?>), rebuilt as the script joins them.
PHP_FILTERS = "src/pentesting-web/file-inclusion/lfi2rce-via-php-filters.md"
PHP_FILTERS_COMMIT = "006a72a357031e2526caa97972554f685c4038ee"
_CONVERSIONS = {
    "R": "convert.iconv.UTF8.UTF16LE|convert.iconv.UTF8.CSISO2022KR|convert.iconv.UTF16.EUCTW|convert.iconv.MAC.UCS2",
    "B": "convert.iconv.UTF8.UTF16LE|convert.iconv.UTF8.CSISO2022KR|convert.iconv.UTF16.EUCTW|"
    "convert.iconv.CP1256.UCS2",
    "C": "convert.iconv.UTF8.CSISO2022KR",
    "8": "convert.iconv.UTF8.CSISO2022KR|convert.iconv.ISO2022KR.UTF16|convert.iconv.L6.UCS2",
    "9": "convert.iconv.UTF8.CSISO2022KR|convert.iconv.ISO2022KR.UTF16|convert.iconv.ISO6937.JOHAB",
    "f": "convert.iconv.UTF8.CSISO2022KR|convert.iconv.ISO2022KR.UTF16|convert.iconv.L7.SHIFTJISX0213",
    "s": "convert.iconv.UTF8.CSISO2022KR|convert.iconv.ISO2022KR.UTF16|convert.iconv.L3.T.61",
    "z": "convert.iconv.UTF8.CSISO2022KR|convert.iconv.ISO2022KR.UTF16|convert.iconv.L7.NAPLPS",
    "U": "convert.iconv.UTF8.CSISO2022KR|convert.iconv.ISO2022KR.UTF16|convert.iconv.CP1133.IBM932",
    "P": "convert.iconv.UTF8.CSISO2022KR|convert.iconv.ISO2022KR.UTF16|convert.iconv.UCS-2LE.UCS-2BE|"
    "convert.iconv.TCVN.UCS2|convert.iconv.857.SHIFTJISX0213",
    "V": "convert.iconv.UTF8.CSISO2022KR|convert.iconv.ISO2022KR.UTF16|convert.iconv.UCS-2LE.UCS-2BE|"
    "convert.iconv.TCVN.UCS2|convert.iconv.851.BIG5",
    "0": "convert.iconv.UTF8.CSISO2022KR|convert.iconv.ISO2022KR.UTF16|convert.iconv.UCS-2LE.UCS-2BE|"
    "convert.iconv.TCVN.UCS2|convert.iconv.1046.UCS2",
    "Y": "convert.iconv.UTF8.UTF16LE|convert.iconv.UTF8.CSISO2022KR|convert.iconv.UCS2.UTF8|"
    "convert.iconv.ISO-IR-111.UCS2",
    "W": "convert.iconv.UTF8.UTF16LE|convert.iconv.UTF8.CSISO2022KR|convert.iconv.UCS2.UTF8|convert.iconv.851.UTF8|"
    "convert.iconv.L7.UCS2",
    "d": "convert.iconv.UTF8.UTF16LE|convert.iconv.UTF8.CSISO2022KR|convert.iconv.UCS2.UTF8|"
    "convert.iconv.ISO-IR-111.UJIS|convert.iconv.852.UCS2",
    "D": "convert.iconv.UTF8.UTF16LE|convert.iconv.UTF8.CSISO2022KR|convert.iconv.UCS2.UTF8|convert.iconv.SJIS.GBK|"
    "convert.iconv.L10.UCS2",
    "7": "convert.iconv.UTF8.UTF16LE|convert.iconv.UTF8.CSISO2022KR|convert.iconv.UCS2.EUCTW|convert.iconv.L4.UTF8|"
    "convert.iconv.866.UCS2",
    "4": "convert.iconv.UTF8.UTF16LE|convert.iconv.UTF8.CSISO2022KR|convert.iconv.UCS2.EUCTW|convert.iconv.L4.UTF8|"
    "convert.iconv.IEC_P271.UCS2",
}
_BASE64_PAYLOAD = "PD89YCRfR0VUWzBdYDs7Pz4"


def _php_filter_chain() -> list[tuple[str, str]]:
    """The ``file=`` value the page's script sends: its filters joined with ``|`` around the reversed payload's
    conversions, ``resource=php://temp``."""
    filters = "convert.iconv.UTF8.CSISO2022KR|convert.base64-encode|convert.iconv.UTF8.UTF7|"
    for c in _BASE64_PAYLOAD[::-1]:
        filters += _CONVERSIONS[c] + "|"
    filters += "convert.base64-decode|convert.base64-encode|convert.iconv.UTF8.UTF7|convert.base64-decode"
    return [("traversal", f"php://filter/{filters}/resource=php://temp")]


BUILT: list[sc.Built] = [
    ("HackTricks-wiki/hacktricks", f"{PHP_FILTERS} (the file= value its 'Full script' builds from its conversions "
     "table for the base64 payload of <?=`$_GET[0]`;;?>, rebuilt in build.py)", PHP_FILTERS_COMMIT,
     "CC-BY-NC-4.0 (HackTricks' licence page); strings used as test data only", _php_filter_chain),
]


def _xml_strings(node: ET.Element, visit: Any) -> None:
    """``visit(key, text)`` for every attribute value and element text under ``node``."""
    for name, value in node.attrib.items():
        visit(name, value)
    if node.text and node.text.strip():
        visit(node.tag, node.text)
    for child in node:
        _xml_strings(child, visit)


def _benign(root: Path) -> dict[str, list[dict[str, str]]]:
    import yaml  # the cassettes are YAML; only the extraction needs it

    older = sc.older_benign(HERE)
    seen: set[str] = set(older)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    xml_docs: list[dict[str, str]] = []
    forms: list[dict[str, str]] = []
    whole: set[str] = set(older)
    for path in sorted((root / "tests" / "cassettes").glob("*/*.yaml")):
        rel = str(path.relative_to(root))
        cassette = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, interaction in enumerate(cassette.get("interactions", [])):
            where = f"{LABEL}/{rel} interaction {i}"
            form = interaction["request"].get("body") or ""
            if form and form not in whole and sc.keep_text(form):
                whole.add(form)
                forms.append({"value": form, "source": where + " request body"})
            answer = interaction["response"]["body"]["string"]
            try:
                doc = ET.fromstring(answer.encode("utf-8"))
            except ET.ParseError:
                continue

            def visit(key: str, text: str, where: str = where) -> None:
                text = text.strip()
                if key.lower() in sc.SECRET_KEYS or text in seen or not sc.keep_text(text):
                    return
                seen.add(text)
                found[sc.text_category(text)].append({"value": text, "source": f"{where}: {key}"})

            _xml_strings(doc, visit)
            for element in doc.iter():
                if len(element) == 0:
                    continue
                text = ET.tostring(element, encoding="unicode").strip()
                if 80 <= len(text) <= 4000 and text not in whole and sc.keep_text(text):
                    whole.add(text)
                    xml_docs.append({"value": text, "source": f"{where}: <{element.tag}>"})
    values = {f"lastfm_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**values, "lastfm_forms": forms, "lastfm_xml": sc.even(xml_docs, MAX_XML)}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` (and the rebuilt chain) and the benign values from the unpacked sdist
    ``root``."""
    records = sc.records_and_built(HERE / "records.txt", sc.decode_form_record, BUILT)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(root), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_bodies(HERE, SPLIT, (("lastfm_forms", "forms", "form"), ("lastfm_xml", "xml_answers", "xml")))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
