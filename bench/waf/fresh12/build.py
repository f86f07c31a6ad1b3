"""fresh12: CRS v4 regression-test inputs not used before, against recorded MediaWiki and NetBox API traffic.

    python bench/waf/fresh12/build.py                              # writes corpus.jsonl (deterministic)
    python bench/waf/fresh12/build.py --extract PYMEDIAWIKI PYNETBOX  # re-selects the values (the three json files)

Attack payloads: the values sent by the regression tests of coreruleset/coreruleset (Apache-2.0),
``tests/regression/tests/REQUEST-9xx-*/<rule>.yaml``: 57 rule files no older split used were read, 48 gave values
(fresh3 and fresh8 used 930100, 930120, 932150, 932236, 932260, 934100, 934110, 934130, 941110, 941160, 941180,
942100, 942190, 942200, 942360 and 942440). Each file's stored text was read through the code-search index (first
16,000 characters; the commit is named per file) and its inputs transcribed into ``records.txt``: the YAML scalar as
written (``uri``, ``data``, a cookie or header value), the field the test puts its payload in, and the class of the
value. ``build.py``
unescapes the YAML scalar, takes that field and decodes it once the way the application receives it (a query or form
field: ``unquote_plus``; a cookie or header: ``unquote``; a JSON body: ``json.loads``). Cases left out are listed in
``records.txt`` with the reason (``@@ drop``): mostly an SQL operator, keyword or function name alone (``XOR``,
``ORder by``, ``concat (``), a Java class name alone, a plain public URL, or a near repeat. Values already in an older
split are dropped (``sources.json`` lists them). The test cases the CRS file marks as false positives that are
ordinary text (``I like you!``, ``except selecting``, prose, a German number) are benign values (``crs_negatives``).

Benign values: (1) the recorded MediaWiki API answers and requests of ``pymediawiki`` 0.7.5 (PyPI sdist, MIT;
``tests/mock_requests.json``: English and French Wikipedia, the A Wiki of Ice and Fire and practicalplants.org wikis):
page titles, language names in their own scripts, interlanguage titles, article extract paragraphs, extension names
and authors, URLs, timestamps, codes and continuation tokens, lines of rendered page HTML, each recorded request's
parameters sent whole as a query string; (2) the NetBox API answers shipped as ``tests/fixtures/**/*.json`` in
``pynetbox`` 7.8.0 (PyPI sdist, Apache-2.0): device, site, rack and circuit names and labels, IP addresses and
prefixes, models, serials, descriptions and comments (not the ``url`` fields, which all point at the fixture's
``http://localhost:8000`` test instance). Values are sampled evenly per category (``_even``) and placed in the eight
locations of ``bench/waf/build.py`` as in fresh11. Split name ``fresh12``.
"""

from __future__ import annotations

import glob
import json
import os
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_plus, urlencode

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

from split_corpus import SplitCorpus, even, older_payloads, write  # noqa: E402

SPLIT = "fresh12"
CRS = "coreruleset/coreruleset"
CRS_DIR = "tests/regression/tests/"
NEXT_FIELD = re.compile(r"&[A-Za-z0-9_\-\[\]\.%]+=")
COOKIE_NAME = re.compile(r"^[A-Za-z0-9_.\-]+=")
# MediaWiki answer key -> benign category; at most CAP[category] values per category, taken at an even stride.
MW_FIELDS = {
    "titles": ("title", "bltitle", "titles", "cmtitle", "srsearch", "to", "from"),
    "urls": ("url", "descriptionurl", "descriptionshorturl", "canonicalurl", "editurl", "vcs-url", "base", "logo",
             "favicon", "server", "license", "credits"),
    "dates": ("touched", "timestamp", "vcs-date", "time", "iistart"),
    "codes": ("bcp47", "code", "vcs-version", "cmcontinue", "rvcontinue", "llcontinue", "rncontinue", "dbversion",
              "descriptionmsg", "namemsg", "generator", "wikiid", "license-name", "version"),
    "names": ("author", "name"),
}
CAP = {"titles": 150, "urls": 100, "dates": 50, "codes": 100, "names": 100, "languages": 150, "langlinks": 83,
       "prose": 150, "html": 80, "queries": 120}
NB_FIELDS = {
    "names": ("name", "display_name", "display", "slug", "label", "model", "part_number", "username", "ssid", "domain",
              "facility", "vendor", "hostname", "fqdn", "os_version", "color", "status", "type"),
    "addresses": ("address", "prefix", "mac_address", "rd"),
    "text": ("description", "comments", "physical_address", "shipping_address", "contact_name", "contact_phone",
             "contact_email", "noc_contact", "admin_contact", "portal_url", "pp_info", "detail"),
    "ids": ("serial", "serial_number", "cid", "facility_id", "asset_tag", "xconnect_id", "account", "key", "token"),
}
NB_CAP = 120


# --- attacks: records.txt ------------------------------------------------------------------------------------------


def _scalar(text: str) -> str:
    """The YAML scalar as the test file wrote it: a quoted one is unescaped, anything else is literal text."""
    if text[:1] in "\"'":
        loaded = yaml.safe_load("v: " + text)["v"]
        return str(loaded)
    return text


def _value(kind: str, param: str, text: str) -> str:
    """The value the application receives from one record (see the module docstring)."""
    raw = _scalar(text)
    if kind == "J":
        return str(json.loads(raw)[param])
    if kind == "C":
        match = COOKIE_NAME.match(raw)
        if match and param != "*":
            raw = raw[match.end():]
        return unquote(raw)
    if kind == "Q" and "?" in raw:
        raw = raw.split("?", 1)[1]
    if param == "*" or "=" not in raw:
        return unquote_plus(raw)
    if param:
        found = re.search(r"(?:^|[&?])" + re.escape(param) + "=", raw)
        if found is None:
            raise ValueError(f"no field {param!r} in {raw!r}")
        start = found.end()
    else:
        start = raw.index("=") + 1
    end = NEXT_FIELD.search(raw, start)
    return unquote_plus(raw[start:end.start() if end else len(raw)])


def _records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    files: list[dict[str, Any]] = []
    dropped: list[dict[str, str]] = []
    for line in (HERE / "records.txt").read_text().splitlines():
        if line.startswith("# ") or not line:
            continue
        if line.startswith("@@ file|"):
            _, path, commit = line.split("|")
            files.append({"file": CRS_DIR + path, "commit": commit, "cases": []})
        elif line.startswith(("@@ drop|", "@@ note|")):
            what, name, tests, why = line.split("|", 3)
            dropped.append({"file": name, "tests": tests, ("why" if what == "@@ drop" else "note"): why})
        else:
            test, label, cls, kind, param, text = line.split("|", 5)
            files[-1]["cases"].append({"test": test, "label": label, "class": cls, "kind": kind, "param": param,
                                       "text": text, "value": _value(kind, param, text)})
    return files, dropped


def _attacks(files: list[dict[str, Any]]) -> tuple[dict[str, list[str]], list[dict[str, str]], list[dict[str, str]]]:
    corpora = [HERE.parent / "corpus.jsonl", *sorted(HERE.parent.glob("fresh*/corpus.jsonl"))]
    older = older_payloads(HERE, [c for c in corpora if c.parent != HERE])
    out: dict[str, list[str]] = {}
    negatives: list[dict[str, str]] = []
    repeats: list[dict[str, str]] = []
    seen: dict[str, str] = {}
    for rec in files:
        name = rec["file"].rsplit("/", 1)[1]
        for case in rec["cases"]:
            value, where = case["value"], f"{name} {case['test']}"
            if value in seen:
                repeats.append({"case": where, "value": value, "why": f"repeats {seen[value]}"})
                continue
            seen[value] = where
            if case["label"] == "b":
                negatives.append({"value": value, "source": f"{CRS} {rec['file']} test {case['test']} (negative)"})
            elif value in older:
                repeats.append({"case": where, "value": value, "why": "in an older split"})
            else:
                out.setdefault(case["class"], []).append(value)
    return out, negatives, repeats


# --- benign: pymediawiki and pynetbox ------------------------------------------------------------------------------


def _walk(node: Any, key: str, visit: Any) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("*"), str):
            visit(node, "*", node["*"])
        for k, v in node.items():
            if k != "*":
                _walk(v, k, visit)
    elif isinstance(node, list):
        for v in node:
            _walk(v, key, visit)
    elif isinstance(node, str):
        visit(None, key, node)


def _mediawiki(root: Path) -> dict[str, list[dict[str, str]]]:
    rel = "tests/mock_requests.json"
    recorded: dict[str, dict[str, Any]] = json.loads((root / rel).read_text())
    field_cat = {f: cat for cat, fields in MW_FIELDS.items() for f in fields}
    found: dict[str, list[dict[str, str]]] = {cat: [] for cat in CAP}
    seen: set[str] = set()

    def add(cat: str, text: str, where: str) -> None:
        text = text.strip()
        if text and text not in seen:
            seen.add(text)
            found[cat].append({"value": text, "source": f"pymediawiki 0.7.5 {rel}: {where}"})

    for api in sorted(recorded):
        host = api.split("/")[2]
        for params in sorted(recorded[api]):
            pairs = json.loads(params)
            add("queries", urlencode([(k, v) for k, v in pairs]), f"{host} request")
            for k, v in pairs:
                if isinstance(v, str) and k in field_cat:
                    add(field_cat[k], v, f"{host} request {k}")

            def visit(owner: dict[str, Any] | None, key: str, text: str, host: str = host) -> None:
                if key == "*" and owner is not None:
                    if "code" in owner:
                        add("languages", text, f"{host} language name")
                    elif "lang" in owner:
                        add("langlinks", text, f"{host} langlinks ({owner['lang']})")
                    elif text.startswith(("http://", "https://", "//")):
                        add("urls", text, f"{host} extlinks")
                    elif text.startswith("<"):
                        for line in text.split("\n"):
                            if 40 <= len(line.strip()) <= 1500:
                                add("html", line, f"{host} parse text (a line of the rendered HTML)")
                elif key == "extract":
                    for para in text.split("\n"):
                        if 20 <= len(para.strip()) <= 1500:
                            add("prose", para, f"{host} extract (a paragraph)")
                elif key == "description" and len(text) > 15:
                    add("prose", text, f"{host} description")
                elif key in field_cat:
                    add(field_cat[key], text, f"{host} <{key}>")

            _walk(recorded[api][params], "", visit)
    return {f"mw_{cat}": even(vals, CAP[cat]) for cat, vals in found.items()}


def _netbox(root: Path) -> dict[str, list[dict[str, str]]]:
    field_cat = {f: cat for cat, fields in NB_FIELDS.items() for f in fields}
    found: dict[str, list[dict[str, str]]] = {cat: [] for cat in NB_FIELDS}
    seen: set[str] = set()
    for path in sorted(glob.glob(str(root / "tests/fixtures/**/*.json"), recursive=True)):
        rel = os.path.relpath(path, root)

        def visit(owner: dict[str, Any] | None, key: str, text: str, rel: str = rel) -> None:
            cat = field_cat.get(key)
            text = text.strip()
            if cat is None or not text or text in seen or "localhost" in text:
                return
            seen.add(text)
            found[cat].append({"value": text, "source": f"pynetbox 7.8.0 {rel}: {key}"})

        _walk(json.loads(Path(path).read_text()), "", visit)
    return {f"nb_{cat}": even(vals, NB_CAP) for cat, vals in found.items()}


def extract(mediawiki: Path, netbox: Path) -> None:
    files, dropped = _records()
    attacks, negatives, repeats = _attacks(files)
    benign = {**_mediawiki(mediawiki), **_netbox(netbox), "crs_negatives": negatives}
    (HERE / f"attacks_{SPLIT}.json").write_text(json.dumps(attacks, indent=1, ensure_ascii=False) + "\n")
    (HERE / f"benign_{SPLIT}.json").write_text(json.dumps(benign, indent=1, ensure_ascii=False) + "\n")
    sources = {
        "attacks": {
            "repository": CRS,
            "licence": "Apache-2.0 (LICENSE at 5a72190c42889724db8629e38c8cff50643ec06c: Apache License, Version 2.0, "
            "'Copyright 2024 Core Rule Set project')",
            "how_read": "each file's stored text through the code-search index (read_file, first 16,000 characters), "
            "the commit named per file; the inputs transcribed into records.txt as written",
            "rules": "a query or form field decoded once with unquote_plus, a cookie or header value with unquote, a "
            "JSON body with json.loads; the field a test puts its payload in; class by what the value is (the CRS "
            "file's family unless a note says otherwise)",
            "files": [{k: v for k, v in f.items() if k != "cases"} | {"cases": len(f["cases"])} for f in files],
            "left_out": dropped,
            "dropped_values": repeats,
            "counts": {cls: len(v) for cls, v in attacks.items()},
        },
        "benign": {
            "mediawiki": {
                "package": "pymediawiki 0.7.5 (PyPI sdist), tests/mock_requests.json: recorded MediaWiki API "
                "requests and answers (en/fr.wikipedia.org, awoiaf.westeros.org, practicalplants.org)",
                "licence": "MIT (LICENSE: 'MIT License Copyright (c) 2016 Tyler Barrus')",
                "what": "unique text of the listed keys, first occurrence, at an even stride up to the cap per "
                "category; language names and interlanguage titles from the '*' text of code/lang entries; extract "
                "paragraphs; lines of rendered HTML (parse answers, 40-1500 characters); each recorded request's "
                "parameters urlencoded and sent whole as a GET query",
                "fields": MW_FIELDS,
                "caps": CAP,
            },
            "netbox": {
                "package": "pynetbox 7.8.0 (PyPI sdist), tests/fixtures/**/*.json: NetBox API answers",
                "licence": "Apache-2.0 (PKG-INFO License: Apache2; LICENSE: Apache License, Version 2.0)",
                "what": f"unique text of the listed keys, at most {NB_CAP} per category at an even stride; values "
                "naming the fixtures' localhost test instance left out",
                "fields": NB_FIELDS,
            },
            "crs_negatives": "the CRS test cases of the same files that the file marks as not an attack and that are "
            "ordinary values (see records.txt, label b)",
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
    queries = benign.pop("mw_queries", [])
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.documents(queries, "mw_query", "query", target="/w/api.php?")
    items: list[dict[str, Any]] = corpus.items
    return items


def main(argv: list[str]) -> None:
    if argv[:1] == ["--extract"]:
        extract(Path(os.path.expanduser(argv[1])), Path(os.path.expanduser(argv[2])))
    write(HERE, build())


if __name__ == "__main__":
    main(sys.argv[1:])
