"""fresh10: injected values of real exploit requests (nuclei-templates) against UK address-lookup API fixtures.

    python bench/waf/fresh10/build.py                          # writes bench/waf/fresh10/corpus.jsonl (deterministic)
    python bench/waf/fresh10/build.py --extract RECORDS IDEAL   # re-selects the values (writes the three json files)

Attack payloads: the value an attacker controls (a query or body parameter value, a path segment, a header value)
in the requests of projectdiscovery/nuclei-templates ``http/cves/`` and ``http/vulnerabilities/`` templates (MIT),
read through the code-search index and transcribed by hand into ``RECORDS`` (one record per template: path, commit,
class, values, note). nuclei placeholders are replaced by fixed concrete values (``PLACEHOLDERS`` below and the
per-record notes); values are percent-decoded once, as the application receives them, except where a template's
trick is the encoding itself (kept as sent, noted). The class comes from the template's tags (rce -> cmdi, lfi ->
traversal; OGNL/SpEL/Velocity expression injection -> ssti). Templates with no injected text are listed as skipped.

Benign values: the recorded API answers and requests of ``@ideal-postcodes/api-fixtures`` 1.3.0 (npm, MIT;
``IDEAL`` is the unpacked package), UK addresses, organisation names, places, postcodes, error messages; the
fixtures' own placeholder keys (``<VALID_API_KEY>`` …) left out. Every value is placed in the eight locations of
``bench/waf/build.py`` (its ``place()``) as in fresh9; whole recorded address objects are added as JSON documents.
Split name ``fresh10``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

from split_corpus import SplitCorpus, older_payloads, write  # noqa: E402

SPLIT = "fresh10"
NUCLEI = "projectdiscovery/nuclei-templates"
PLACEHOLDERS = {
    "{{BaseURL}} / {{RootURL}}": "https://shop.example.com",
    "{{Hostname}}": "shop.example.com",
    "{{randstr}}": "2b9Kq7XwLpT4",
    "{{interactsh-url}}": "c8x2k4n7p1q9.oast.fun (the shape of an interactsh host)",
    "variables such as {{num}}": "the template's own declared value (999999999)",
    "rand_int / rand_text_alpha / rand_base": "a fixed draw from the stated range, named in the record's note",
}
# Fixture field -> benign category.
IDEAL_FIELDS = {
    "addresses": (
        "line_1",
        "line_2",
        "line_3",
        "premise",
        "sub_building_name",
        "building_name",
        "thoroughfare",
        "dependant_thoroughfare",
        "suggestion",
        "query",
        "q",
    ),
    "names": (
        "organisation_name",
        "post_town",
        "county",
        "postal_county",
        "traditional_county",
        "district",
        "ward",
        "country",
        "dependant_locality",
    ),
    "prose": ("description", "message"),
    "codes": ("postcode", "postcode_inward", "postcode_outward", "delivery_point_suffix", "building_number", "uprn"),
    "urls": ("url", "udprn", "umprn"),
    "dates": ("date", "start", "end"),
    "emails": ("emails",),
}
PLACEHOLDER = re.compile(r"^<[A-Z_]+>$")


# --- extraction (run once, with the transcribed records and the unpacked fixtures at hand) --------------------


def _attacks(records: dict[str, Any]) -> tuple[dict[str, list[str]], list[dict[str, Any]]]:
    older = older_payloads(HERE)
    out: dict[str, list[str]] = {}
    dropped: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for rec in records["records"]:
        for value in rec["values"]:
            if value in seen:
                dropped.append({"template": rec["template"], "value": value, "why": f"repeats {seen[value]}"})
            elif value in older:
                dropped.append({"template": rec["template"], "value": value, "why": "in an older split"})
            else:
                seen[value] = rec["template"]
                out.setdefault(rec["class"], []).append(value)
    return out, dropped


def _walk(obj: Any, found: list[tuple[str, str]], key: str = "") -> None:
    if isinstance(obj, dict):
        for k, val in obj.items():
            _walk(val, found, k)
    elif isinstance(obj, list):
        for val in obj:
            _walk(val, found, key)
    elif isinstance(obj, str) and obj.strip():
        found.append((key, obj))


def _load_fixtures(ideal: Path) -> dict[str, Any]:
    """The fixture modules as data: each ``dist/fixtures/**.js`` exports plain JSON-like objects."""
    script = (
        "const fs=require('fs'),p=require('path');"
        "function w(d){let o=[];for(const f of fs.readdirSync(d)){const q=p.join(d,f);"
        "if(fs.statSync(q).isDirectory())o=o.concat(w(q));else if(q.endsWith('.js'))o.push(q)}return o}"
        "const out={};for(const f of w('dist/fixtures').sort())out[f]=require('./'+f);"
        "process.stdout.write(JSON.stringify(out))"
    )
    text = subprocess.run(["node", "-e", script], cwd=ideal, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(text))


def _benign(ideal: Path) -> tuple[dict[str, list[dict[str, str]]], list[dict[str, Any]]]:
    field_cat = {f: cat for cat, fields in IDEAL_FIELDS.items() for f in fields}
    fixtures = _load_fixtures(ideal)
    values: dict[str, list[dict[str, str]]] = {f"ideal_{cat}": [] for cat in IDEAL_FIELDS}
    seen: set[str] = set()
    left_out: list[dict[str, Any]] = []
    documents: list[dict[str, str]] = []
    for name, module in fixtures.items():
        found: list[tuple[str, str]] = []
        _walk(module, found)
        for key, val in found:
            cat = field_cat.get(key)
            if PLACEHOLDER.match(val):
                left_out.append({"fixture": name, "field": key, "value": val, "why": "a test-suite placeholder"})
                continue
            if cat is None or val in seen:
                continue
            seen.add(val)
            source = f"@ideal-postcodes/api-fixtures 1.3.0 {name}: {key}"
            values[f"ideal_{cat}"].append({"value": val, "source": source})
        payload = module.get("payload") if isinstance(module, dict) else None
        if isinstance(payload, dict) and "postcode" in payload:
            documents.append({"value": json.dumps(payload, ensure_ascii=False), "source": f"{name}: payload"})
    values["ideal_documents"] = documents
    return values, left_out


def extract(records_path: Path, ideal: Path) -> None:
    records = json.loads(records_path.read_text())
    attacks, dropped = _attacks(records)
    benign, left_out = _benign(ideal)
    (HERE / "attacks_fresh10.json").write_text(json.dumps(attacks, indent=1, ensure_ascii=False) + "\n")
    (HERE / "benign_fresh10.json").write_text(json.dumps(benign, indent=1, ensure_ascii=False) + "\n")
    sources = {
        "attacks": {
            "repository": NUCLEI,
            "licence": "MIT (LICENSE.md: 'MIT License Copyright (c) 2020 ProjectDiscovery, Inc.')",
            "how_read": "each template's stored text through the code-search index (read_file), the commit named per "
            "record; the injected values transcribed by hand",
            "placeholders": PLACEHOLDERS,
            "class_rule": "from the template's tags: sqli, xss, lfi/traversal -> traversal, rce -> cmdi, ssrf, xxe, "
            "crlf, log4j/jndi -> jndi; OGNL, SpEL, Velocity and AngularJS expression injection -> ssti",
            "templates": records["records"],
            "skipped_templates": records["skipped"],
            "dropped_values": dropped,
            "counts": {cls: len(v) for cls, v in attacks.items()},
        },
        "benign": {
            "package": "@ideal-postcodes/api-fixtures 1.3.0 (npm registry tarball), dist/fixtures/**/*.js",
            "licence": "MIT (LICENSE: 'Software Copyright 2018 Ideal-Postcodes.co.uk (IDDQD Limited)', MIT terms)",
            "what": "recorded requests to and answers from the Ideal Postcodes address API: every unique string value "
            "of the fields listed per category, first occurrence; whole address objects ('payload' with a postcode) as "
            "JSON documents",
            "fields": IDEAL_FIELDS,
            "left_out": left_out,
            "counts": {cat: len(v) for cat, v in benign.items()},
        },
    }
    (HERE / "sources.json").write_text(json.dumps(sources, indent=1, ensure_ascii=False) + "\n")


# --- corpus -------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    attacks: dict[str, list[str]] = json.loads((HERE / "attacks_fresh10.json").read_text())
    benign: dict[str, list[dict[str, str]]] = json.loads((HERE / "benign_fresh10.json").read_text())
    corpus = SplitCorpus(SPLIT)
    corpus.attacks(attacks)
    documents = benign.pop("ideal_documents", [])
    corpus.benign_values(benign, lambda category: category.removeprefix("ideal_"))
    corpus.long_texts(benign)
    corpus.documents(documents, "document", "json")
    return corpus.items


def main(argv: list[str]) -> None:
    if argv[:1] == ["--extract"]:
        extract(Path(argv[1]), Path(os.path.expanduser(argv[2])))
    write(HERE, build())

if __name__ == "__main__":
    main(sys.argv[1:])
