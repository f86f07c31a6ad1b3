"""fresh22: a WAF test tool's malicious request samples and vulnerable-environment exploit requests, against recorded
YouTube Music answers and real-world multilingual text.

    python bench/waf/fresh22/build.py                            # writes corpus.jsonl (deterministic)
    python bench/waf/fresh22/build.py --extract YTMUSICAPI FTFY  # re-selects the values (the three json files)

``YTMUSICAPI`` is the unpacked PyPI sdist ``ytmusicapi-1.12.3``, ``FTFY`` the unpacked sdist ``ftfy-6.3.1``.

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, files,
commit and licence; ``# path`` lines name the test case or README of each value; ``@@ drop`` lines say what was left
out and why): the injected values of chaitin/blazehttp's malicious request samples (``testcases/**/*.black``: query,
form, JSON, Referer and upload values) and of its fork xu-xiang/blazehttp's own sample set, 0xSobky/HackVault's two
XSS polyglots, the exploit requests in vulhub/vulhub's READMEs of injection-class CVEs (OGNL/SpEL/EL/Velocity/Jinja,
SQL, command, traversal, XXE, SSRF, JNDI, CRLF, prototype pollution, NoSQL) and the solution requests of
snoopysecurity/dvws-node's ``CHALLENGES.md``. A ``Q`` record (a query or form value) is decoded once with
``unquote_plus``, a ``U`` record (a path, header or %20-encoded value) once with ``unquote``, as the application
receives it. Values already in an older split or repeated are dropped and listed in ``sources.json``.

Benign values. ``ytm_*``: every string of the recorded YouTube Music (innertube) answers in ``tests/data/*.json`` of
``ytmusicapi`` 1.12.3 (MIT; albums, playlists, charts, artists, explore: titles, names, descriptions, URLs, codes) by
category (``split_corpus.collect_strings``), none already among an older split's benign values, at most ``CAP`` per
category at an even stride; the query strings of the recorded URLs, sent whole as GET query strings; the parsed
track, artist and album objects of ``tests/data/expected_output/*.json``, sent whole as JSON bodies; the words
YouTube Music answers with in 17 languages as ytmusicapi transcribed them to parse its answers (``ytmusicapi/locales/*/
LC_MESSAGES/base.po`` msgstr). ``ftfy_*``: the real-world strings of ftfy 6.3.1's ``tests/test_cases.json`` (Apache-2.0;
language names, tweets, product and shipping labels in many scripts): the text as fixed, and the mojibake as found
(hard benign). Every benign entry carries its dominant script (``script``). Split name ``fresh22``.
"""

from __future__ import annotations

import glob
import json
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_plus

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh22"
CAP = 600
DOC_CAP = 120
YTM = "ytmusicapi 1.12.3"
FTFY = "ftfy 6.3.1"
HOW_READ = (
    "each file's stored text through the code-search index (read_file), the commit named per source or per value; the "
    "strings transcribed into records.txt as the requests send them (see its header)"
)
SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "DEVANAGARI", "THAI",
           "BENGALI", "GUJARATI", "GURMUKHI", "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA",
           "GEORGIAN", "ARMENIAN", "ETHIOPIC", "KHMER", "LAO", "MYANMAR", "TIBETAN", "NKO")
BENIGN_SOURCES: dict[str, Any] = {
    "ytmusicapi": {
        "package": f"{YTM} (PyPI sdist): tests/data/*.json (recorded YouTube Music innertube answers), "
        "tests/data/expected_output/*.json (the parsed objects the tests expect) and ytmusicapi/locales/*/LC_MESSAGES/"
        "base.po (the YouTube Music interface words in ar, cs, de, en, es, fr, hi, it, ja, ko, nl, pt, ru, tr, ur, "
        "zh_CN, zh_TW that ytmusicapi parses answers with)",
        "licence": "MIT (LICENSE of ytmusicapi)",
    },
    "ftfy": {
        "package": f"{FTFY} (PyPI sdist): tests/test_cases.json, real-world strings (language-selector names, "
        "tweets, labels) with their mojibake as found and as fixed",
        "licence": "Apache-2.0 (LICENSE.txt of ftfy)",
    },
    "what": "unique strings by category (URLs; prose: with a space and over 30 characters; names: other text with a "
    "space; codes: no space), no credential keys or 'localhost', at most 4,000 characters, none already among an "
    f"older split's benign values, at most {CAP} per category at an even stride; at most {DOC_CAP} whole query strings "
    "and whole JSON bodies; each entry's 'script' is the script of most of its letters (LATIN-DIACRITIC when a Latin "
    "letter outside ASCII is present, ASCII otherwise)",
}


# --- benign ---------------------------------------------------------------------------------------------------------


def script_of(text: str) -> str:
    """The script most of ``text``'s non-ASCII letters belong to (``ASCII`` when none)."""
    counts: dict[str, int] = {}
    for ch in text:
        if ord(ch) < 128 or not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        found = next((s for s in SCRIPTS if name.startswith(s)), "LATIN-DIACRITIC" if "LATIN" in name else "OTHER")
        counts[found] = counts.get(found, 0) + 1
    return max(counts, key=lambda s: counts[s]) if counts else "ASCII"


def _ytm(root: Path, seen: set[str]) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    for path in sorted(glob.glob(str(root / "tests/data/*.json"))):
        rel = os.path.relpath(path, root)
        sc.collect_strings(found, seen, YTM, rel, json.loads(Path(path).read_text(encoding="utf-8")))
    queries: list[dict[str, str]] = []
    for entry in found["urls"]:
        query = entry["value"].split("?", 1)[1] if "?" in entry["value"] else ""
        if query and query not in seen and "=" in query:
            seen.add(query)
            queries.append({"value": query, "source": entry["source"] + " (its query string)"})
    bodies: list[dict[str, str]] = []
    for path in sorted(glob.glob(str(root / "tests/data/expected_output/*.json"))):
        rel = os.path.relpath(path, root)
        objects: list[Any] = []
        sc.list_items(json.loads(Path(path).read_text(encoding="utf-8")), objects)
        for obj in objects:
            body = json.dumps(obj, ensure_ascii=False)
            if 80 <= len(body) <= 3000 and body not in seen and "localhost" not in body:
                seen.add(body)
                bodies.append({"value": body, "source": f"{YTM} {rel}"})
    words: list[dict[str, str]] = []
    for path in sorted(glob.glob(str(root / "ytmusicapi/locales/*/LC_MESSAGES/base.po"))):
        rel = os.path.relpath(path, root)
        text = Path(path).read_text(encoding="utf-8")
        for msgid, msgstr in re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, re.M):
            value = msgstr.strip()
            if value and value not in seen:
                seen.add(value)
                words.append({"value": value, "source": f"{YTM} {rel}: {msgid}"})
    out = {f"ytm_{cat}": sc.even(vals, CAP) for cat, vals in found.items() if vals}
    documents = {"ytm_queries": sc.even(queries, DOC_CAP), "ytm_bodies": sc.even(bodies, DOC_CAP)}
    return {**out, "ytm_uiwords": words, **documents}


def _ftfy(root: Path, seen: set[str]) -> dict[str, list[dict[str, str]]]:
    text: list[dict[str, str]] = []
    mojibake: list[dict[str, str]] = []
    for case in json.loads((root / "tests/test_cases.json").read_text(encoding="utf-8")):
        src = f"{FTFY} tests/test_cases.json: {case['label']}"
        for value, bucket in ((case["fixed"], text), (case["original"], mojibake)):
            value = value.strip()
            if value and value not in seen and sc.keep_text(value):
                seen.add(value)
                bucket.append({"value": value, "source": src})
    return {"ftfy_text": text, "ftfy_mojibake": mojibake}


def _benign(ytm: Path, ftfy: Path) -> dict[str, list[dict[str, str]]]:
    seen = sc.older_benign(HERE)
    benign = {**_ytm(ytm, seen), **_ftfy(ftfy, seen)}
    for entries in benign.values():
        for entry in entries:
            entry["script"] = script_of(entry["value"])
    return benign


def extract(ytm: Path, ftfy: Path) -> None:
    sources, dropped = sc.read_records(HERE / "records.txt", _decode)
    attacks, repeats = sc.first_seen(HERE, sources)
    benign = _benign(ytm, ftfy)
    meta = sc.attack_meta(sources, HOW_READ, dropped, repeats, attacks)
    counts = {cat: len(v) for cat, v in benign.items()}
    scripts: dict[str, int] = {}
    for entries in benign.values():
        for entry in entries:
            scripts[entry["script"]] = scripts.get(entry["script"], 0) + 1
    sc.write_values(HERE, SPLIT, attacks, benign, meta, {**BENIGN_SOURCES, "counts": counts, "scripts": scripts})


def _decode(kind: str, text: str) -> str:
    value = str(json.loads(text))
    return unquote_plus(value) if kind == "Q" else unquote(value) if kind == "U" else value


# --- corpus ---------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    corpus, benign = sc.load(HERE, SPLIT)
    queries = benign.pop("ytm_queries", [])
    bodies = benign.pop("ytm_bodies", [])
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.long_texts(benign)
    corpus.documents(queries, "ytm_queries", "query", target="/api/v1/orders?")
    corpus.documents(bodies, "ytm_bodies", "json")
    out: list[dict[str, Any]] = corpus.items
    return out


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
