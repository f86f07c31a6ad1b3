"""fresh79: the injected values of projectdiscovery/nuclei-templates' product and vendor templates under
``http/vulnerabilities/`` outside ``other/``, ``wordpress/``, ``joomla/`` and ``generic/`` (Chinese OA and router
firmware, cameras, NAS boxes, CMSs, Cisco and VMware Log4j checks: SQL injection, traversal, command and code
injection, XSS, XXE, JNDI, a template expression, CRLF), against the static answers of the Pokemon API
(PokeAPI/api-data ``data/api/v2/...``: species flavor texts and genera in ten languages, an ability's effects, an
item's texts, a berry and a location).

    python bench/waf/fresh79/build.py                                 # writes corpus.jsonl (deterministic)
    python bench/waf/fresh79/build.py --extract bench/waf/fresh79/pokeapi   # re-selects the values first

``pokeapi/<resource>/<id>.json`` holds the part of each answer listed in ``ANSWERS`` that was read through the
code-search index (read_file; commit and index file id in ``ANSWERS`` and ``sources.json``), stored as parsed JSON
(whitespace is not significant). The berry and the location are whole. The others are the parts read:
``pokemon-species/25`` its first 16,000 characters and its last 13,000 (flavor texts of red to y, of shield and
legends-arceus; genera, names, dex numbers, varieties), ``pokemon-species/300`` from character 16,000 to the end
(omega-ruby and alpha-sapphire texts, genera, names), ``ability/9`` and ``item/17`` their first 16,000 characters; in
each a flavor-text entry whose text repeats an earlier entry's text is left out (the same text is listed once per
game version). The index's look-up budget ran out after these seven reads, so the stride over the ids is what was read:
species 25 and 300, ability 9, item 17, berry 10, location 100 (no move was read).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, template,
commit and licence; ``@@ drop`` lines say what was left out and why; the header says how values are decoded, how
placeholders were fixed and the labelling rules, fresh39's and fresh41's, fixed before measuring), decoded once as the
application receives it (``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped
and listed in ``sources.json``.

Benign values (rules fixed before measuring), as fresh76: every string of every answer
(``split_corpus.collect_strings``: keys in ``SECRET_KEYS`` skipped, ``keep_text``) by ``text_category``
(``poke_prose``, ``poke_names``, ``poke_codes``; no answer holds an http URL: its links are API paths, ``codes``),
at most ``CAP`` per category at an even stride; each
answer whole as a JSON body (``poke_documents``) and each object that is an element of a list in it whole as a JSON
body (``poke_items``, at most ``MAX_ITEMS`` at an even stride). Values an older split holds are left out. Split name
``fresh79``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh79"
CAP = {"names": 600, "prose": 600, "urls": 300, "codes": 800}
MAX_ITEMS = 400
LABEL = "PokeAPI/api-data data/api/v2"
HOW_READ = (
    "nuclei templates listed per folder with find_files and read whole through the code-search index (read_file; "
    "commit per source); the injected values rebuilt as each template sends them and transcribed in records.txt "
    "(raw, %-encoded and form forms, decoded once as the application receives them) with their class"
)
ANSWERS: list[tuple[str, str, str, str]] = [
    # (resource/id, part read, commit of the version read, index file id)
    ("pokemon-species/25", "characters 0-16,000 and 62,000-75,122 of 75,122",
     "05391bebacdddb48fdba419447d6ad3fea3e9bad", "14508200610"),
    ("pokemon-species/300", "characters 16,000-28,523 of 28,523", "102bfff8e7c4176d8bf028a4c9b83f34f8498b74",
     "14629762358"),
    ("ability/9", "characters 0-16,000 of 45,786", "05391bebacdddb48fdba419447d6ad3fea3e9bad", "14044283071"),
    ("item/17", "characters 0-16,000 of 31,040", "2d0dcd33d1907f4dfcdabab142ab97bafc6569fc", "14776771232"),
    ("berry/10", "whole (1,047 characters)", "91c53b3ff506b2e507dd1747585114f6eaca20ae", "58163521959"),
    ("location/100", "whole (843 characters)", "66917960d76807c4ffc716b64f163b0d95da82ec", "6574688534"),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "PokeAPI/api-data data/api/v2/<resource>/<id>/index.json, read through the code-search index "
    "(read_file): the static answers of the Pokemon API; commit and index file id per answer in 'answers'; the parts "
    "read are stored as parsed JSON in pokeapi/ (see build.py: a flavor-text entry repeating an earlier text left out)",
    "licence": "BSD-3-Clause, as the PokeAPI project publishes its code and data (the LICENSE file of api-data was not "
    "re-read: the look-up budget ran out); the texts are the games' own data as PokeAPI publishes them",
    "what": "string values by text_category, whole answers and list-element objects as JSON bodies",
    "answers": [
        {"file": f"data/api/v2/{r}/index.json", "part": part, "commit": c, "index_file_id": fid}
        for r, part, c, fid in ANSWERS
    ],
    "left_out": "the look-up budget of the code-search index ran out after these reads: no move, and no species, "
    "ability, item, berry or location beyond the ones listed, was read",
}


def pokeapi(root: Path, older: set[str]) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    documents: list[dict[str, str]] = []
    items: list[dict[str, str]] = []
    seen = set(older)
    for resource, _part, _commit, _fid in ANSWERS:
        rel = f"{resource}/index.json"
        doc = json.loads((root / f"{resource}.json").read_text(encoding="utf-8"))
        sc.collect_strings(found, seen, LABEL, rel, doc)
        text = json.dumps(doc, ensure_ascii=False)
        if text not in seen:
            seen.add(text)
            documents.append({"value": text, "source": f"{LABEL}/{rel} body"})
        elements: list[Any] = []
        sc.list_items(doc, elements)
        for e_i, element in enumerate(elements):
            text = json.dumps(element, ensure_ascii=False)
            if text not in seen and "localhost" not in text:
                seen.add(text)
                items.append({"value": text, "source": f"{LABEL}/{rel} list element {e_i}"})
    out = {f"poke_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["poke_documents"] = documents
    out["poke_items"] = sc.even(items, MAX_ITEMS)
    return out


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the stored answers in ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, pokeapi(root, sc.older_benign(HERE)), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(
        HERE, SPLIT, (("poke_documents", "documents", "json"), ("poke_items", "items", "json"))
    )
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
