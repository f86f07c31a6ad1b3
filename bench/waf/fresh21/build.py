"""fresh21: a WAF's and a detection library's own test inputs (naxsi's unit tests, wallarm/libdetection's unit tests)
and the OWASP XSS Filter Evasion Cheat Sheet's vectors, against the recorded chat and code-hosting webhook and API
answers that opsdroid's connector tests replay, and the request naxsi's tests expect to pass (hard benign).

    python bench/waf/fresh21/build.py                   # writes corpus.jsonl (deterministic)
    python bench/waf/fresh21/build.py --extract OPSDROID   # re-selects the values (the three json files)

``OPSDROID`` is the unpacked PyPI sdist ``opsdroid-0.30.0``.

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, files,
commit and licence; each file's stored text was read through the code-search index and transcribed; ``@@ drop`` lines
say what was left out and why): wallarm/libdetection ``lib/test/detect_unit.c`` (every string its SQL and bash
detectors must flag: SQL statements and clauses of MySQL, SQL Server, PostgreSQL and Oracle, shell lists, loops,
redirections, substitutions and globs), nbs-system/naxsi ``t/09sqlmap_tamper.t`` and ``t/20sqlmap.t`` (the query
strings of the sqlmap-tamper requests the tests expect blocked; a ``Q`` record is decoded once with ``unquote_plus``
as the application receives a query value) and OWASP/CheatSheetSeries ``XSS_Filter_Evasion_Cheat_Sheet.md`` (its
example vectors). Values already in an older split (``older_payloads``) or repeated are dropped and listed in
``sources.json``. These sources hold SQL, shell and XSS strings only, so the other classes are absent.

Benign values: the JSON answers and webhook payloads in ``opsdroid/connector/*/tests/**`` of ``opsdroid`` 0.30.0
(Apache-2.0; GitHub and GitLab webhooks, Slack Web API answers and events, Gitter, Matrix, Teams and Twitch): every
string by category (URLs, prose, names, codes; ``split_corpus.collect_strings``), leaving out values already among an
older split's benign values, at most ``CAP`` per category at an even stride; each payload whole as a JSON body (a
webhook delivery) and Slack's ``*.urlencoded`` interaction payloads whole as form bodies. Hard benign: the valid JSON
document naxsi's ``t/14json.t`` (test JSON0) expects to pass, whole and by string. Split name ``fresh21``.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh21"
CAP = 600
DOC_CAP = 120
OPSDROID = "opsdroid 0.30.0"
HOW_READ = (
    "each file's stored text through the code-search index (read_file), the commit named per source; the strings "
    "transcribed into records.txt as the tests send them (see its header)"
)
NAXSI_GLOSSARY = {
    "glossary": {
        "title": "example glossary",
        "GlossDiv": {
            "title": "S",
            "GlossList": {
                "GlossEntry": {
                    "ID": "SGML",
                    "SortAs": "SGML",
                    "GlossTerm": "Standard Generalized Markup Language",
                    "Acronym": "SGML",
                    "Abbrev": "ISO 8879:1986",
                    "GlossDef": {
                        "para": "A meta-markup language used to create markup languages such as DocBook.",
                        "GlossSeeAlso": ["GML", "XML"],
                    },
                    "GlossSee": "markup",
                }
            },
        },
    }
}
"""naxsi t/14json.t JSON0 (commit 0dfa94bff7f404954e903b6ce5ff30e5ad5c6e71), the POST body it expects to pass (200)."""

BENIGN_SOURCES: dict[str, Any] = {
    "opsdroid": {
        "package": f"{OPSDROID} (PyPI sdist), opsdroid/connector/*/tests/**/*.json and slack/tests/responses/"
        "*.urlencoded: recorded webhook payloads and API answers of GitHub, GitLab, Slack, Gitter, Matrix, Teams and "
        "Twitch that the connector tests replay",
        "licence": "Apache-2.0 (PKG-INFO and LICENSE of opsdroid)",
        "left_out": "gitlab_response_payloads/bad_json.json and confidential_issue_created.json (not valid JSON)",
    },
    "naxsi": {
        "package": "nbs-system/naxsi t/14json.t test JSON0 (commit 0dfa94bff7f404954e903b6ce5ff30e5ad5c6e71): the "
        "valid JSON body the test expects naxsi to pass; JSON7 (same document with a trailing comma in an array, "
        "also expected to pass) left out as not valid JSON",
        "licence": "GPL-3.0 (naxsi); the document used as test data only",
    },
    "what": "unique strings by category (URLs; prose: with a space and over 30 characters; names: other text with a "
    f"space; codes: no space), no credential keys or 'localhost', at most 4,000 characters, none already among an "
    f"older split's benign values, at most {CAP} per category at an even stride; each JSON payload whole as a JSON "
    f"body and each Slack urlencoded payload whole as a form body, at most {DOC_CAP} each",
}


# --- benign ---------------------------------------------------------------------------------------------------------


def _benign(opsdroid: Path) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    seen = sc.older_benign(HERE)
    bodies: list[dict[str, str]] = []
    forms: list[dict[str, str]] = []
    for path in sorted(glob.glob(str(opsdroid / "opsdroid/connector/*/tests/**/*.json"), recursive=True)):
        rel = os.path.relpath(path, opsdroid)
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except ValueError:
            continue
        sc.collect_strings(found, seen, OPSDROID, rel, doc)
        body = json.dumps(doc, ensure_ascii=False)
        if "localhost" not in body:
            bodies.append({"value": body, "source": f"{OPSDROID} {rel}"})
    for path in sorted(glob.glob(str(opsdroid / "opsdroid/connector/slack/tests/responses/*.urlencoded"))):
        rel = os.path.relpath(path, opsdroid)
        form = Path(path).read_text(encoding="utf-8").strip()
        forms.append({"value": form, "source": f"{OPSDROID} {rel}"})
        fields = dict(parse_qsl(form))
        sc.collect_strings(found, seen, OPSDROID, rel, json.loads(fields["payload"]) if "payload" in fields else fields)
    naxsi: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    sc.collect_strings(naxsi, set(), "naxsi", "t/14json.t JSON0", NAXSI_GLOSSARY)
    out = {f"api_{cat}": sc.even(vals, CAP) for cat, vals in found.items() if vals}
    return {
        **out,
        "naxsipass_values": [e for es in naxsi.values() for e in es],
        "api_bodies": sc.even(bodies, DOC_CAP),
        "api_forms": sc.even(forms, DOC_CAP),
        "naxsipass_body": [{"value": json.dumps(NAXSI_GLOSSARY), "source": "naxsi t/14json.t JSON0"}],
    }


def extract(opsdroid: Path) -> None:
    sources, dropped = sc.read_records(HERE / "records.txt", _decode)
    attacks, repeats = sc.first_seen(HERE, sources)
    benign = _benign(opsdroid)
    meta = sc.attack_meta(sources, HOW_READ, dropped, repeats, attacks)
    counts = {cat: len(v) for cat, v in benign.items()}
    sc.write_values(HERE, SPLIT, attacks, benign, meta, {**BENIGN_SOURCES, "counts": counts})


def _decode(kind: str, text: str) -> str:
    value = str(json.loads(text))
    return unquote_plus(value) if kind == "Q" else value


# --- corpus ---------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    corpus, benign = sc.load(HERE, SPLIT)
    documents = {cat: benign.pop(cat, []) for cat in ("api_bodies", "api_forms", "naxsipass_body")}
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.long_texts(benign)
    for cat, loc in (("api_bodies", "json"), ("api_forms", "form"), ("naxsipass_body", "json")):
        corpus.documents(documents[cat], cat, loc)
    out: list[dict[str, Any]] = corpus.items
    return out


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
