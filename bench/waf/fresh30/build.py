"""fresh30: every OWASP CRS v4 regression-test file of the injection families no older split read (930 LFI, 931 RFI,
932 RCE, 933 PHP, 934 generic, 941 XSS, 942 SQLi, 944 Java), against the recorded STAC API answers odc-stac ships as
test data.

    python bench/waf/fresh30/build.py                  # writes corpus.jsonl (deterministic)
    python bench/waf/fresh30/build.py --extract ODC    # re-selects the values (the three json files)

``ODC`` is the unpacked PyPI sdist ``odc_stac-0.5.3.tar.gz`` (its ``tests/data/*.json`` and ``*.geojson``).

Attack payloads: ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, file, commit
and licence; each file's stored text was read through the code-search index and the values of the tests whose output
expects the rule to fire transcribed, decoded once as the application receives them; ``@@ drop`` lines say what was
left out and why: fragments, keywords, file names, external-URL RFI, repeats). PHP injection (933) is labelled cmdi
except PHP file wrappers (traversal) and an ssh2 tunnel to an internal address (ssrf); Perl interpolation and Node.js
eval loops (934) cmdi; SMTP/IMAP/POP3 commands after CR LF (932300-932321) crlf. Values already in an older split
(``older_payloads``) or repeated are dropped and listed in ``sources.json``.

Benign values: every string of the STAC items, item collections and collection documents in odc-stac's test data
(recorded from Microsoft Planetary Computer, Element 84 Earth Search, Copernicus Data Space, USGS Landsat and Geoscience
Australia STAC APIs: ids, titles, descriptions, asset hrefs, roles, EPSG codes, datetimes, band names, providers) by
``text_category`` (names, prose, urls, codes); the 66 recorded link query strings (``collection=…&item=…``) sent whole
as GET query strings; every JSON object of those answers between 80 and 4,000 characters (an item's properties, an
asset, a link, a band) sent whole as a JSON body; and the CRS files' own no-match cases (``benign_records.txt``) as hard
values. Values already among an older split's benign values are left out. Split name ``fresh30``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SPLIT = "fresh30"
HOW_READ = (
    "117 CRS v4 regression-test files (every file of REQUEST-930/931/932/933/934/941/942/944 that fresh8, fresh12 and "
    "fresh27 did not read) through the code-search index (read_file) at the commit named per source, each whole except "
    "944120, 944210, 944250 and 944300 (first 16,000 characters; keyword-only files) and 933180 (first 16,000 of "
    "18,103); the values of the tests expected to match transcribed into records.txt (see its header); 48 files gave "
    "no value (see the left_out notes)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "odc-stac 0.5.3 (PyPI sdist), tests/data/*.json and *.geojson: STAC items, item collections and a "
    "collection recorded from the Planetary Computer, Earth Search, Copernicus Data Space, USGS Landsat and Geoscience "
    "Australia STAC APIs; the pystac-client 0.9.1/0.7.5/0.5.1, pystac 1.15.2/1.10.1/1.4.0, pywikibot 11.9.0 and "
    "sentinelsat 1.2.1 sdists ship no cassettes or test data",
    "licence": "Apache-2.0 (odc-stac LICENSE)",
    "hard": "the no-match cases of the CRS files read for the attacks (benign_records.txt, Apache-2.0)",
    "what": "every unique string by text_category (names, prose, urls, codes), token/password keys left out; the link "
    "query strings whole as GET query strings; every JSON object of 80-4,000 characters whole as a JSON body (evenly "
    "spaced, at most 900); values among an older split's benign values left out",
}
LABEL = "odc-stac 0.5.3 tests/data"
MAX_BODIES = 900

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402


def _objects(node: Any, out: list[Any]) -> None:
    """Every dict anywhere in ``node`` (the root included), depth first."""
    if isinstance(node, dict):
        out.append(node)
        for child in node.values():
            _objects(child, out)
    elif isinstance(node, list):
        for child in node:
            _objects(child, out)


def _whole(odc: Path, older: set[str]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The recorded link query strings and the JSON objects of 80-4,000 characters, each once, with their file."""
    queries: list[dict[str, str]] = []
    bodies: list[dict[str, str]] = []
    seen: set[str] = set(older)
    for path in sorted((odc / "tests/data").glob("*.*json")):
        objects: list[Any] = []
        _objects(json.loads(path.read_text(encoding="utf-8")), objects)
        for obj in objects:
            href = obj.get("href")
            query = urlsplit(href).query if isinstance(href, str) else ""
            if query and query not in seen and "sig=" not in query:
                seen.add(query)
                queries.append({"value": query, "source": f"{LABEL}/{path.name}: href"})
            text = json.dumps(obj, ensure_ascii=False)
            if 80 <= len(text) <= 4000 and text not in seen and sc.keep_text(text):
                seen.add(text)
                bodies.append({"value": text, "source": f"{LABEL}/{path.name}"})
    return queries, sc.even(bodies, MAX_BODIES)


def _benign(odc: Path) -> dict[str, list[dict[str, str]]]:
    older = sc.older_benign(HERE)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    seen: set[str] = set(older)
    for path in sorted((odc / "tests/data").glob("*.*json")):
        sc.collect_strings(found, seen, LABEL, path.name, json.loads(path.read_text(encoding="utf-8")))
    hard_sources, _ = sc.read_records(HERE / "benign_records.txt", sc.decode_url_record)
    hard = [{"value": value, "source": f"{src['repository']} {src['files'].split(' (')[0]}"}
            for src in hard_sources for _, value in src["values"] if value.strip() and value not in seen]
    queries, bodies = _whole(odc, older)
    values = {f"stac_{cat}": vals for cat, vals in found.items() if vals}
    return {**values, "crs_nomatch": hard, "stac_queries": queries, "stac_objects": bodies}


def extract(odc: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``odc``."""
    sc.write_split(HERE, SPLIT, sc.read_records(HERE / "records.txt", sc.decode_url_record), HOW_READ, _benign(odc),
                   BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_documents(HERE, SPLIT, ("stac_queries", "queries", "/search?"),
                                   ("stac_objects", "objects"))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
