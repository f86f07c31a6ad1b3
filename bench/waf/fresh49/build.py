"""fresh49: the injected values of exploit-framework modules (eight Metasploit Framework HTTP exploit modules read
before the look-up budget ran out, every HTTP exploit module of RouterSploit and the web PoCs of pocsuite3), against
the locale data mimesis ships (names, surnames, occupations, cities, streets, companies, banks, dishes and drinks,
words, quotes, encyclopaedia sentences and 4,922 user-written Quora questions, in 50 locales).

    python bench/waf/fresh49/build.py                        # writes corpus.jsonl (deterministic)
    python bench/waf/fresh49/build.py --extract MIMESIS      # re-selects the values (the three json files)

``MIMESIS`` is the unpacked PyPI sdist ``mimesis-22.2.0.tar.gz`` (its ``mimesis/datasets/<locale>/*.json`` files, every
one, in path order; ``global/emojis.json`` and the ``int/`` Python modules are not locale data and are not read).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository or sdist,
module file, commit and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application
receives them (``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped and listed
in ``sources.json``. Why three frameworks and how the modules were chosen: the header of ``records.txt``.

Benign values (rules written before measuring). Every string of every locale file, except format templates (keys
holding ``fmt`` or ``format``: ``###-####`` masks, ``{street_name}`` patterns) and one-character strings, by
``text_category`` (names, prose, urls, codes), at most ``CAP`` per category at an even stride; the ``questions`` list
(user-written questions) kept as its own category. Whole documents: for each locale, ``PROFILES`` sign-up records as
JSON bodies (first name, surname, occupation, city, street, a food preference, a sentence of the locale's text, the
locale's own words for yes/no) taken from the locale's lists at fixed strides, and ``QUERIES`` search query strings
(a word or question of the locale, a city and the locale code, urlencoded) after ``/search?``. Values among an older
split's benign values are left out. Split name ``fresh49``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh49"
CAP = {"names": 500, "prose": 500, "urls": 40, "codes": 300, "questions": 400}
PROFILES = 12
QUERIES = 8
DATA = "mimesis/datasets"
LABEL = "mimesis 22.2.0 mimesis/datasets"
HOW_READ = (
    "Metasploit modules through the code-search index (read_file) at the commit named per source until the look-up "
    "budget ran out; RouterSploit and pocsuite3 modules from their PyPI sdists, read whole by path; the injected "
    "values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "mimesis 22.2.0 (PyPI sdist mimesis-22.2.0.tar.gz), the locale data of "
    f"{DATA}/<locale>/*.json (all 307 files, 50 locales): person, address, finance, food, datetime and text data",
    "licence": "MIT (mimesis PKG-INFO 'License-Expression: MIT', LICENSE Copyright 2016-Present Isaak Uchakaev)",
    "what": "every string except format templates and one-character strings by text_category (names, prose, urls, "
    "codes) and the user-written questions, at most CAP per category, evenly spaced; per locale PROFILES sign-up "
    "records as JSON bodies and QUERIES search query strings built from the locale's lists at fixed strides; values "
    "among an older split's benign values left out",
}


def _files(root: Path) -> list[Path]:
    return sorted(p for p in (root / DATA).glob("*/*.json") if p.parent.name != "global")


def _walk(node: Any, key: str, out: list[tuple[str, str]]) -> None:
    """``(key, text)`` for every string under a key that is not a format template."""
    if "fmt" in key or "format" in key:
        return
    if isinstance(node, dict):
        for k, v in node.items():
            _walk(v, str(k), out)
    elif isinstance(node, list):
        for v in node:
            _walk(v, key, out)
    elif isinstance(node, str):
        out.append((key, node))


def _list(doc: dict[str, Any], *path: str) -> list[str]:
    """The strings at ``path`` in a locale file (a dict of lists is flattened in key order)."""
    node: Any = doc
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        return [str(v) for k in sorted(node) for v in (node[k] if isinstance(node[k], list) else [])]
    return [str(v) for v in node] if isinstance(node, list) else []


def _pick(values: list[str], i: int, step: int) -> str:
    return values[(i * step) % len(values)] if values else ""


def _locale_docs(locale: str, docs: dict[str, dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The sign-up records (JSON) and search query strings of one locale."""
    person, address = docs.get("person", {}), docs.get("address", {})
    food, text = docs.get("food", {}), docs.get("text", {})
    first = _list(person, "names")
    last = _list(person, "surnames")
    jobs = _list(person, "occupation")
    cities = _list(address, "city")
    streets = _list(address, "street", "name")
    dishes = _list(food, "dishes")
    sentences = _list(text, "text")
    words = _list(text, "questions") or _list(text, "words")
    answers = _list(text, "answers")
    profiles, queries = [], []
    for i in range(PROFILES):
        obj = {
            "first_name": _pick(first, i, 37),
            "last_name": _pick(last, i, 53),
            "occupation": _pick(jobs, i, 29),
            "address": {"street": _pick(streets, i, 17), "city": _pick(cities, i, 41)},
            "favourite_dish": _pick(dishes, i, 11),
            "about": _pick(sentences, i, 3),
            "newsletter": _pick(answers, i, 1),
            "locale": locale,
        }
        profiles.append(json.dumps({k: v for k, v in obj.items() if v}, ensure_ascii=False))
    for i in range(QUERIES):
        queries.append(urlencode({"q": _pick(words, i, 97), "city": _pick(cities, i, 23), "lang": locale}))
    return profiles, queries


def _benign(root: Path) -> dict[str, list[dict[str, str]]]:
    older = sc.older_benign(HERE)
    seen: set[str] = set(older)
    found: dict[str, list[dict[str, str]]] = {cat: [] for cat in CAP}
    by_locale: dict[str, dict[str, dict[str, Any]]] = {}
    for path in _files(root):
        rel = str(path.relative_to(root / DATA))
        doc = json.loads(path.read_text(encoding="utf-8"))
        by_locale.setdefault(path.parent.name, {})[path.stem] = doc
        pairs: list[tuple[str, str]] = []
        _walk(doc, "", pairs)
        for key, text in pairs:
            text = text.strip()
            if len(text) < 2 or text in seen or not sc.keep_text(text):
                continue
            seen.add(text)
            cat = "questions" if key == "questions" else sc.text_category(text)
            found[cat].append({"value": text, "source": f"{LABEL}/{rel}: {key}"})
    profiles: list[dict[str, str]] = []
    queries: list[dict[str, str]] = []
    for locale in sorted(by_locale):
        bodies, qs = _locale_docs(locale, by_locale[locale])
        where = f"{LABEL}/{locale}/*.json"
        profiles += [{"value": b, "source": f"{where} (sign-up record {i})"}
                     for i, b in enumerate(bodies) if b not in older]
        queries += [{"value": q, "source": f"{where} (search query {i})"} for i, q in enumerate(qs) if q not in older]
    values = {f"mimesis_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**values, "mimesis_profiles": profiles, "mimesis_queries": queries}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(root), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_documents(HERE, SPLIT, ("mimesis_queries", "queries", "/search?"),
                                   ("mimesis_profiles", "profiles"))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
