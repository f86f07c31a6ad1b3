"""fresh11: the injected values of PayloadsAllTheThings' class pages against MusicBrainz and Stripe API fixtures.

    python bench/waf/fresh11/build.py                               # writes corpus.jsonl (deterministic)
    python bench/waf/fresh11/build.py --extract MUSICBRAINZ STRIPE  # re-selects the values (the three json files)

Attack payloads: the values an attacker puts in a parameter, from the code blocks of swisskyrepo/PayloadsAllTheThings
(MIT) class pages -- SQL Injection (README, MySQL, MSSQL, PostgreSQL, Oracle, SQLite), XSS Injection README, Command
Injection, Directory Traversal, File Inclusion, NoSQL Injection, LDAP Injection, CRLF Injection and Server Side
Template Injection -- not the ``Intruder/`` lists (used before) and not the SSRF/XXE/Prototype Pollution/Log4Shell
pages (fresh3). Each page's stored text was read through the code-search index (first 16,000 characters; the commit is
named per page in ``COMMITS``) and transcribed by hand into ``records.txt``: one value per line, verbatim, with the
lines left out and why (``@@ skip``). A URL or ``param=`` prefix in front of a value is removed; percent-escapes are
kept as written (the page's trick). Values already in an older split are dropped (``sources.json`` lists them).

Benign values: (1) the recorded MusicBrainz web-service answers shipped as test data in ``musicbrainzngs`` 0.7.1
(PyPI sdist, BSD-2-Clause; ``MUSICBRAINZ`` is the unpacked sdist): titles, artist names and aliases, disambiguations,
descriptions, addresses, dates, codes and URLs, sampled evenly per category; (2) the request parameters of
``tests/test_generated_examples.py`` in ``stripe`` 16.1.0 (PyPI sdist, MIT; ``STRIPE`` is the unpacked sdist): every
string value, and every recorded form body (``post_data``) and query string sent as a whole request. Each value is
placed in the eight locations of ``bench/waf/build.py`` (its ``place()``) as in fresh10. Split name ``fresh11``.
"""

from __future__ import annotations

import ast
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

from split_corpus import SplitCorpus, even, older_payloads, write  # noqa: E402

SPLIT = "fresh11"
PATT = "swisskyrepo/PayloadsAllTheThings"
COMMITS = {
    "LICENSE": "852e248b1042d315c64cbb5af8ea0cba850c65ad",
    "SQL Injection/README.md": "0913e8c3bd3ea27e3f5ac3e3a274041d31a6eb80",
    "SQL Injection/MySQL Injection.md": "13864bde04577962cb9a312fe6e34534d076af56",
    "SQL Injection/MSSQL Injection.md": "0443babe35ac771517bb8e0091b8b9f8a8cd02c0",
    "SQL Injection/PostgreSQL Injection.md": "13ba72f12453c39b0b8d2788845315f45cd38f9e",
    "SQL Injection/OracleSQL Injection.md": "0b5c5acb8703c0cdfba2a698b65ef64144923777",
    "SQL Injection/SQLite Injection.md": "03427da53485db82e5c78eca8c5008f16a25ae11",
    "XSS Injection/README.md": "00f50c5f322f19ee66b5135fbe59494f3528a0f8",
    "Command Injection/README.md": "033982dc30af28a383dcc3ef8a647abc132f4c34",
    "Directory Traversal/README.md": "0b87cdb455c8c874a776173ee0a0c1c83ebd6372",
    "File Inclusion/README.md": "072cac04d6de1ff1522f9b393f18dcbdf1b16db4",
    "NoSQL Injection/README.md": "144b3827ab19b409dd4a425812bc13ec37330d8b",
    "LDAP Injection/README.md": "1a3e605d64fc50d302607e4274d7d6776b2925a7",
    "CRLF Injection/README.md": "118924f291241837eb5cc992b036f63c83e7903f",
    "Server Side Template Injection/README.md": "030e53658612f04c366a2f92d3a45a739f434d9f",
}
# MusicBrainz XML element -> benign category; at most MB_CAP values per category, taken at an even stride.
MB_FIELDS = {
    "titles": ("title",),
    "names": ("name", "sort-name", "alias", "target-credit"),
    "prose": ("disambiguation", "description", "address", "text", "setlist"),
    "dates": ("date", "begin", "end", "first-release-date", "time"),
    "codes": ("barcode", "asin", "catalog-number", "iswc", "label-code", "isrc", "iso-3166-2-code"),
    "urls": ("target",),
}
MB_CAP = 160


# --- extraction (run once, with the sdists unpacked) -------------------------------------------------------------


def _records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    records: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    for line in (HERE / "records.txt").read_text().splitlines():
        if line.startswith("# ") or not line:
            continue
        if line.startswith("@@ take|"):
            _, file, cls, note = line.split("|", 3)
            records.append({"file": file, "commit": COMMITS[file], "class": cls, "note": note, "values": []})
        elif line.startswith("@@ skip|"):
            _, file, why = line.split("|", 2)
            skipped.append({"file": file, "why": why})
        else:
            records[-1]["values"].append(line)
    return records, skipped


def _attacks(records: list[dict[str, Any]]) -> tuple[dict[str, list[str]], list[dict[str, Any]]]:
    older = older_payloads(HERE, (HERE.parent / "corpus.jsonl", HERE.parent / "fresh9/corpus.jsonl",
                                   HERE.parent / "fresh10/corpus.jsonl"))
    out: dict[str, list[str]] = {}
    dropped: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for rec in records:
        for value in rec["values"]:
            if value in seen:
                dropped.append({"file": rec["file"], "value": value, "why": f"repeats {seen[value]}"})
            elif value in older:
                dropped.append({"file": rec["file"], "value": value, "why": "in an older split"})
            else:
                seen[value] = rec["file"]
                out.setdefault(rec["class"], []).append(value)
    return out, dropped


def _musicbrainz(root: Path) -> dict[str, list[dict[str, str]]]:
    field_cat = {f: cat for cat, fields in MB_FIELDS.items() for f in fields}
    found: dict[str, list[dict[str, str]]] = {cat: [] for cat in MB_FIELDS}
    seen: set[str] = set()
    for path in sorted(glob.glob(str(root / "test/data/**/*.xml"), recursive=True)):
        rel = os.path.relpath(path, root)
        for el in ET.parse(path).iter():
            tag = el.tag.split("}")[-1]
            text = (el.text or "").strip()
            cat = field_cat.get(tag)
            if cat is None or not text or len(el) or text in seen:
                continue
            if cat == "urls" and not text.startswith("http"):
                continue  # relation targets that are bare MBIDs
            seen.add(text)
            found[cat].append({"value": text, "source": f"musicbrainzngs 0.7.1 {rel}: <{tag}>"})
    return {f"mb_{cat}": even(vals, MB_CAP) for cat, vals in found.items()}


def _stripe(root: Path) -> dict[str, list[dict[str, str]]]:
    rel = "tests/test_generated_examples.py"
    tree = ast.parse((root / rel).read_text())
    values: list[dict[str, str]] = []
    forms: list[dict[str, str]] = []
    queries: list[dict[str, str]] = []
    seen: set[str] = set()
    seen_docs: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("post_data", "query_string"):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str) and node.value.value:
                text = node.value.value
                if text not in seen_docs:
                    seen_docs.add(text)
                    source = f"stripe 16.1.0 {rel}: {node.arg}"
                    (forms if node.arg == "post_data" else queries).append({"value": text, "source": source})
        if isinstance(node, ast.Dict):
            for key, val in zip(node.keys, node.values, strict=True):
                if isinstance(val, ast.Constant) and isinstance(val.value, str) and val.value and val.value not in seen:
                    seen.add(val.value)
                    name = str(key.value) if isinstance(key, ast.Constant) else "?"
                    values.append({"value": val.value, "source": f"stripe 16.1.0 {rel}: {name}"})
    return {"stripe_params": values, "stripe_form_documents": forms, "stripe_query_documents": queries}


def extract(musicbrainz: Path, stripe: Path) -> None:
    records, skipped = _records()
    attacks, dropped = _attacks(records)
    benign = {**_musicbrainz(musicbrainz), **_stripe(stripe)}
    (HERE / f"attacks_{SPLIT}.json").write_text(json.dumps(attacks, indent=1, ensure_ascii=False) + "\n")
    (HERE / f"benign_{SPLIT}.json").write_text(json.dumps(benign, indent=1, ensure_ascii=False) + "\n")
    sources = {
        "attacks": {
            "repository": PATT,
            "licence": f"MIT (LICENSE at {COMMITS['LICENSE']}: 'MIT License Copyright (c) 2019 Swissky')",
            "how_read": "each page's stored text through the code-search index (read_file, first 16,000 "
            "characters), the commit named per record; the values transcribed by hand into records.txt",
            "rules": "one value per code line; URL or param= prefixes removed; percent-escapes kept as written; "
            "placeholders [RANDNUM]=4123, [SLEEPTIME]=5, [RANDSTR]=qzVr; not used: Intruder/ lists, and the SSRF, XXE, "
            "Prototype Pollution and Log4Shell pages (fresh3)",
            "class_rule": "by page: SQL Injection -> sqli, XSS -> xss, Command Injection -> cmdi, Directory Traversal "
            "and File Inclusion -> traversal, NoSQL -> nosqli, LDAP -> ldapi, CRLF -> crlf, Server Side Template "
            "Injection -> ssti",
            "records": records,
            "skipped_lines": skipped,
            "dropped_values": dropped,
            "counts": {cls: len(v) for cls, v in attacks.items()},
        },
        "benign": {
            "musicbrainz": {
                "package": "musicbrainzngs 0.7.1 (PyPI sdist), test/data/**/*.xml: recorded MusicBrainz answers",
                "licence": "BSD-2-Clause (COPYING: 'Copyright 2011 Alastair Porter, Adrian Sampson, and others.')",
                "what": f"unique text of the listed elements, first occurrence, at most {MB_CAP} per category at "
                "an even stride; relation targets only when they are URLs",
                "fields": MB_FIELDS,
            },
            "stripe": {
                "package": "stripe 16.1.0 (PyPI sdist), tests/test_generated_examples.py",
                "licence": "MIT (LICENSE: 'The MIT License … Copyright (c) 2010-2018 Stripe (http://stripe.com)')",
                "what": "every unique string value in the request-parameter dicts; every unique recorded post_data "
                "body (sent as a form request) and query_string (sent as a GET query)",
            },
            "counts": {cat: len(v) for cat, v in benign.items()},
        },
    }
    (HERE / "sources.json").write_text(json.dumps(sources, indent=1, ensure_ascii=False) + "\n")


# --- corpus -------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    attacks: dict[str, list[str]] = json.loads((HERE / f"attacks_{SPLIT}.json").read_text())
    benign: dict[str, list[dict[str, str]]] = json.loads((HERE / f"benign_{SPLIT}.json").read_text())
    corpus = SplitCorpus(SPLIT)
    corpus.attacks(attacks)
    forms = benign.pop("stripe_form_documents", [])
    queries = benign.pop("stripe_query_documents", [])
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.documents(forms, "stripe_form", "form")
    corpus.documents(queries, "stripe_query", "query", target="/v1/resources?")
    return corpus.items


def main(argv: list[str]) -> None:
    if argv[:1] == ["--extract"]:
        extract(Path(os.path.expanduser(argv[1])), Path(os.path.expanduser(argv[2])))
    write(HERE, build())

if __name__ == "__main__":
    main(sys.argv[1:])
