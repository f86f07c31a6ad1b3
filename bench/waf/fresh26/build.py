"""fresh26: the XXE, Log4Shell/JNDI and SSRF example payloads of OWASP WSTG's XML-injection and XXE pages and four
HackTricks pages (XXE, JNDI/Log4Shell, URL-format bypass, cloud SSRF), against the recorded Wiktionary answers that
wiktionaryparser's test compares with (headwords, definitions, etymologies, IPA, examples and related words in English,
Norwegian Bokmål, Swedish, Latin and Ancient Greek).

    python bench/waf/fresh26/build.py                          # writes corpus.jsonl (deterministic)
    python bench/waf/fresh26/build.py --extract WIKTIONARYPARSER  # re-selects the values (the three json files)

``WIKTIONARYPARSER`` is the unpacked PyPI sdist ``wiktionaryparser-0.0.97.tar.gz`` (its ``tests/testOutput.json``).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, file, commit
and licence; each page's stored text was read through the code-search index and its example payloads transcribed;
``@@ drop`` lines say what was left out and why). A ``U`` record is a value the page writes URL-encoded, decoded once
with ``unquote``. Values already in an older split (``older_payloads``) or repeated are dropped and listed in
``sources.json``.

Benign values: every string of ``tests/testOutput.json`` (the parsed Wiktionary pages of 19 words in five languages, as
``WiktionaryParser.fetch`` returns them from the recorded pages), by ``text_category`` (names, prose, urls, codes);
each word's parsed entry list whole, and each of its definition objects whole, as JSON bodies; values already among an
older split's benign values are left out. Split name ``fresh26``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh26"
HOW_READ = (
    "each page's stored text through the code-search index (read_file) at the commit named per source; the example "
    "payloads transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "wiktionaryparser 0.0.97 (PyPI sdist), tests/testOutput.json: the parsed Wiktionary pages its test "
    "compares fetch() with (English: grapple, test, patronise, abiologically, alexin, song, house; Latin: video; "
    "Norwegian Bokmål: seg, aldersblandet, by, for, admiral, heis, konkurs, pantergaupe, maldivisk; Swedish: house; "
    "Ancient Greek: ἀγγελία)",
    "licence": "MIT (wiktionaryparser's setup.py/README; the sdist's PKG-INFO says UNKNOWN); the text is Wiktionary's "
    "(CC-BY-SA-3.0)",
    "what": "every unique string by text_category (names, prose, urls, codes); each word's entry list whole and each "
    "definition object whole as JSON bodies; values among an older split's benign values left out",
}


def _benign(wp: Path) -> dict[str, list[dict[str, str]]]:
    data = json.loads((wp / "tests/testOutput.json").read_text())
    older = sc.older_benign(HERE)
    label = "wiktionaryparser 0.0.97 tests/testOutput.json"
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    seen: set[str] = set(older)
    docs: list[dict[str, str]] = []
    for lang, words in data.items():
        for word, entries in words.items():
            sc.collect_strings(found, seen, label, f"{lang}/{word}", entries)
            whole = json.dumps(entries, ensure_ascii=False)
            if sc.keep_text(whole):
                docs.append({"value": whole, "source": f"{label}: {lang}/{word}"})
            for e_i, entry in enumerate(entries):
                for d_i, definition in enumerate(entry.get("definitions", [])):
                    text = json.dumps(definition, ensure_ascii=False)
                    if text not in older:
                        docs.append({"value": text, "source": f"{label}: {lang}/{word}[{e_i}].definitions[{d_i}]"})
    out = {f"wikt_{cat}": vals for cat, vals in found.items() if vals}
    out["wikt_entries"] = docs
    return out


def extract(wp: Path) -> None:
    records = sc.read_records(HERE / "records.txt", sc.decode_url_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(wp), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus, benign = sc.load(HERE, SPLIT)
    docs = benign.pop("wikt_entries", [])
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.long_texts(benign)
    corpus.documents(docs, "entries", "json")
    out: list[dict[str, Any]] = corpus.items
    return out


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
