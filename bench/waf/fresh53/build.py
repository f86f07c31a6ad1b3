"""fresh53: the NoSQL-operator, prototype-pollution and LDAP-filter inputs that sanitizing and parsing libraries test
themselves against, against country, subdivision, language, currency and script names in every locale pycountry ships
and the recorded Lichess API answers of berserk's test cassettes.

    python bench/waf/fresh53/build.py                                   # writes corpus.jsonl (deterministic)
    python bench/waf/fresh53/build.py --extract PYCOUNTRY BERSERK       # re-selects the values (the three json files)

``PYCOUNTRY`` is the unpacked PyPI wheel ``pycountry-26.2.16-py3-none-any.whl`` (its ``pycountry/locales/*/LC_MESSAGES
/*.mo`` catalogues, read with the standard library's ``gettext.GNUTranslations``, and ``pycountry/databases/*.json``);
``BERSERK`` the unpacked PyPI sdist ``berserk-0.14.0.tar.gz`` (its ``tests/clients/cassettes/*/*.yaml``, read in path
order with PyYAML).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming the package or the stored
GitHub file, its commit and licence; ``@@ drop`` lines say what was left out and why): the test inputs of
mongo-sanitize, express-mongo-sanitize, mongoose's ``sanitizeFilter``, qs, secure-json-parse, @hapi/bourne, defu, dset,
set-value, dot-prop, object-path and @ldapjs/filter, each as the application receives it (see the header of
``records.txt``). Values already in an older split or repeated are dropped and listed in ``sources.json``.

Benign values (rules written before measuring). pycountry: every translation (``msgstr`` different from its ``msgid``)
of every locale's catalogue, locales in name order, each catalogue in ``msgid`` order, by domain: ``countries``
(iso3166-1 and iso3166-3), ``subdivisions`` (iso3166-2, and the database's own subdivision names), ``languages``
(iso639-3 and iso639-5), ``currencies`` (iso4217) and ``scripts`` (iso15924); one-character strings left out; at most
``CAP`` per domain at an even stride, each sent in a field named ``name``. Whole documents: every ``RECORD_STRIDE``-th
entry of each database file as a JSON body, and for each locale with a country catalogue ``QUERIES`` search query
strings (a translated country, subdivision or language name and the locale code, urlencoded) after ``/search?``.
Lichess (berserk's cassettes): every string of every recorded answer (JSON, or one JSON document a line) by
``text_category`` (names, prose, urls, codes), a non-JSON answer (the PGN export) whole as one value; every list
element object of 80-4,000 characters whole as a JSON body (at most
``MAX_OBJECTS`` at an even stride); every request URI's query string whole as a GET query
string. Left out: values under ``SECRET_KEYS`` and every value an older split holds. Split name ``fresh53``.
"""

from __future__ import annotations

import gettext
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh53"
DOMAINS = {
    "countries": ("iso3166-1", "iso3166-3"),
    "subdivisions": ("iso3166-2",),
    "languages": ("iso639-3", "iso639-5"),
    "currencies": ("iso4217",),
    "scripts": ("iso15924",),
}
CAP = {"countries": 300, "subdivisions": 300, "languages": 300, "currencies": 160, "scripts": 160}
LICHESS_CAP = {"names": 200, "prose": 200, "urls": 80, "codes": 200}
MAX_OBJECTS = 200
RECORD_STRIDE = 40
QUERIES = 2
PC_LABEL = "pycountry 26.2.16 pycountry"
CASSETTES = "tests/clients/cassettes"
LI_LABEL = "berserk 0.14.0 tests/clients/cassettes"
HOW_READ = (
    "npm tarballs unpacked (npm pack) and test files of the stored GitHub index (read_file, commit named); the "
    "inputs transcribed into records.txt by a scratch script (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "pycountry 26.2.16 (PyPI wheel pycountry-26.2.16-py3-none-any.whl): "
    "pycountry/locales/*/LC_MESSAGES/*.mo (163 locales; the iso-codes translations) and pycountry/databases/*.json; "
    "berserk 0.14.0 (PyPI sdist "
    f"berserk-0.14.0.tar.gz): the recorded Lichess API requests and answers of {CASSETTES}/*/*.yaml (20 cassettes)",
    "licence": "pycountry: LGPL-2.1-only (METADATA License-Expression; LICENSE.txt; the translations are the Debian "
    "iso-codes project's, LGPL-2.1); berserk: GPL-3.0-or-later (PKG-INFO License; LICENSE); the team descriptions, "
    "names and tournament texts are Lichess users' text",
    "what": "pycountry: every translated name by domain (countries, subdivisions with the database's own names, "
    "languages, currencies, scripts), at most CAP per domain evenly spaced, in a name field; every RECORD_STRIDE-th "
    "database entry whole as a JSON body; QUERIES search query strings per locale. Lichess: every answer string by "
    "text_category, list-element objects of 80-4,000 characters whole as JSON bodies, request query strings whole; "
    "secret keys and older splits' values left out",
}


# --- pycountry -------------------------------------------------------------------------------------------------------


def _catalogues(root: Path) -> list[tuple[str, str, dict[str, str]]]:
    """(locale, iso domain, msgid -> msgstr) for every catalogue, locales in name order."""
    out = []
    for mo in sorted((root / "pycountry/locales").glob("*/LC_MESSAGES/*.mo")):
        with mo.open("rb") as fh:
            catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        pairs = {k: v for k, v in catalog.items() if isinstance(k, str) and k and isinstance(v, str)}
        out.append((mo.parent.parent.name, mo.stem, pairs))
    return out


def _pycountry(root: Path, older: set[str]) -> dict[str, list[dict[str, str]]]:
    seen = set(older)
    found: dict[str, list[dict[str, str]]] = {dom: [] for dom in DOMAINS}
    domain_of = {iso: dom for dom, isos in DOMAINS.items() for iso in isos}

    def add(dom: str, text: str, where: str) -> None:
        text = text.strip()
        if len(text) < 2 or text in seen or not sc.keep_text(text):
            return
        seen.add(text)
        found[dom].append({"value": text, "source": where})

    catalogues = _catalogues(root)
    for locale, iso, pairs in catalogues:
        for msgid in sorted(pairs):
            if pairs[msgid] != msgid:
                add(domain_of[iso], pairs[msgid], f"{PC_LABEL}/locales/{locale}/LC_MESSAGES/{iso}.mo: {msgid}")
    db = json.loads((root / "pycountry/databases/iso3166-2.json").read_text(encoding="utf-8"))
    for entry in db["3166-2"]:
        add("subdivisions", entry["name"], f"{PC_LABEL}/databases/iso3166-2.json: {entry['code']}")
    out = {f"{dom}_names": sc.even(vals, CAP[dom]) for dom, vals in found.items()}

    records: list[dict[str, str]] = []
    for path in sorted((root / "pycountry/databases").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for key, entries in doc.items():
            for i, entry in enumerate(entries[::RECORD_STRIDE]):
                text = json.dumps(entry, ensure_ascii=False)
                if text not in older:
                    where = f"{PC_LABEL}/databases/{path.name}: {key}[{i * RECORD_STRIDE}]"
                    records.append({"value": text, "source": where})
    out["pycountry_records"] = records

    queries: list[dict[str, str]] = []
    by_locale: dict[str, dict[str, dict[str, str]]] = {}
    for locale, iso, pairs in catalogues:
        by_locale.setdefault(locale, {})[iso] = {k: v for k, v in pairs.items() if v != k}
    for locale in sorted(by_locale):
        cats = by_locale[locale]
        countries = [cats["iso3166-1"][k] for k in sorted(cats.get("iso3166-1", {}))]
        if not countries:
            continue
        others = [cats[iso][k] for iso in ("iso3166-2", "iso639-3") for k in sorted(cats.get(iso, {}))] or countries
        for i in range(QUERIES):
            place = countries[(i * 37 + len(locale)) % len(countries)]
            other = others[(i * 53 + 7) % len(others)]
            query = urlencode({"q": other if i % 2 else place, "country": place, "lang": locale})
            if query not in older:
                queries.append({"value": query, "source": f"{PC_LABEL}/locales/{locale} (search query {i})"})
    out["pycountry_queries"] = queries
    return out


# --- Lichess (berserk's cassettes) ------------------------------------------------------------------------------------


def _answers(text: str) -> list[Any] | None:
    """The JSON document(s) of an answer body: one document, or one a line (ndjson); None when it is not JSON."""
    try:
        return [json.loads(text)]
    except ValueError:
        pass
    docs = []
    for line in text.splitlines():
        if line.strip():
            try:
                docs.append(json.loads(line))
            except ValueError:
                return None
    return docs or None


def _lichess(root: Path, older: set[str]) -> dict[str, list[dict[str, str]]]:
    import yaml  # the venv's PyYAML; only the extract step reads the cassettes

    seen = set(older)
    whole = set(older)
    found: dict[str, list[dict[str, str]]] = {cat: [] for cat in LICHESS_CAP}
    bodies: list[dict[str, str]] = []
    queries: list[dict[str, str]] = []

    def add(key: str, text: str, where: str) -> None:
        text = text.strip()
        if key.lower() in sc.SECRET_KEYS or len(text) < 2 or text in seen or not sc.keep_text(text):
            return
        seen.add(text)
        found[sc.text_category(text)].append({"value": text, "source": f"{where}: {key}"})

    for path in sorted((root / CASSETTES).glob("*/*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, inter in enumerate(doc.get("interactions", [])):
            where = f"{LI_LABEL}/{path.parent.name}/{path.name} interactions[{i}]"
            query = urlsplit(inter.get("request", {}).get("uri", "")).query
            if query and query not in whole and sc.keep_text(query):
                whole.add(query)
                queries.append({"value": query, "source": where + " request uri"})
            body = inter.get("response", {}).get("body", {}).get("string")
            if not isinstance(body, str) or not body.strip():
                continue
            answers = _answers(body)
            if answers is None:
                add("body", body, where + " response (not JSON)")
                continue
            for answer in answers:

                def visit(key: str, text: str, where: str = where) -> None:
                    add(key, text, where + " response")

                sc.walk_strings(answer, "", visit, ("", ""))
                items: list[Any] = []
                sc.list_items(answer, items)
                for obj in items:
                    text = json.dumps(obj, ensure_ascii=False)
                    if 80 <= len(text) <= 4000 and text not in whole and sc.keep_text(text):
                        whole.add(text)
                        bodies.append({"value": text, "source": where + " response list element"})
    out = {f"lichess_{cat}": sc.even(vals, LICHESS_CAP[cat]) for cat, vals in found.items() if vals}
    return {**out, "lichess_objects": sc.even(bodies, MAX_OBJECTS), "lichess_queries": queries}


def extract(pycountry: Path, berserk: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked wheel and sdist."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    older = sc.older_benign(HERE)
    benign = {**_pycountry(pycountry, older), **_lichess(berserk, older)}
    sc.write_split(HERE, SPLIT, records, HOW_READ, benign, BENIGN_SOURCES)


DOCUMENTS = (
    ("pycountry_records", "records", "json", ""),
    ("lichess_objects", "objects", "json", ""),
    ("pycountry_queries", "search_queries", "query", "/search?"),
    ("lichess_queries", "queries", "query", "/api/v1/resources?"),
)
"""Benign keys sent whole: (key, category, location, GET target prefix or "" for a body)."""


def build() -> list[dict[str, Any]]:
    corpus, benign = sc.load(HERE, SPLIT)
    docs = [(benign.pop(key, []), cat, loc, target) for key, cat, loc, target in DOCUMENTS]
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.long_texts(benign)
    for entries, cat, loc, target in docs:
        corpus.documents(entries, cat, loc, target=target)
    out: list[dict[str, Any]] = corpus.items
    return out


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
