"""fresh42: HackTricks pages no older split read (the prototype-pollution client-side, Express-gadget and to-RCE
sub-pages, email-injections, the end of mssql-injection, the SSRF README, and because those were short
less-code-injection, the XSLT page and the formula/CSV/LaTeX page), against the ChatterBot dialog corpus
(chatterbot-corpus: user-written chat exchanges in 28 languages, the statements a chat bot is trained on and answers).

    python bench/waf/fresh42/build.py                       # writes corpus.jsonl (deterministic)
    python bench/waf/fresh42/build.py --extract CORPUS      # re-selects the values (the three json files)

``CORPUS`` is the unpacked PyPI sdist ``chatterbot_corpus-1.3.3.tar.gz`` (its ``chatterbot_corpus/data/<language>/``
``*.yml`` files, every one, in path order).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, page, commit
and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped and listed in
``sources.json``.

Benign values. Every string of the corpus files (category names and the statements of every conversation) by
``text_category`` (names, prose, urls, codes), at most ``CAP`` per category at an even stride; every conversation sent
whole as a JSON body in the corpus's own format (``{"categories": [...], "conversations": [[...]]}``, one conversation)
when it is 80-4,000 characters (at most ``MAX_BODIES``). Values among an older split's benign values are left out.
Split name ``fresh42``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh42"
CAP = {"names": 260, "prose": 400, "urls": 40, "codes": 160}
MAX_BODIES = 500
DATA = "chatterbot_corpus/data"
LABEL = "chatterbot-corpus 1.3.3 chatterbot_corpus/data"
HOW_READ = (
    "each page's stored text through the code-search index (read_file) at the commit named per source; the injected "
    "values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "chatterbot-corpus 1.3.3 (PyPI sdist chatterbot_corpus-1.3.3.tar.gz), the dialog corpus of "
    f"{DATA}/<language>/*.yml (all 237 files, 28 languages): user-written chat exchanges",
    "licence": "BSD-3-Clause (chatterbot-corpus license.md, PKG-INFO 'License :: OSI Approved :: BSD License')",
    "what": "every unique string by text_category (names, prose, urls, codes; at most CAP per category, evenly "
    "spaced); every conversation of 80-4,000 characters whole as a JSON body in the corpus's own format "
    "(categories and that one conversation); values among an older split's benign values left out",
}


def _files(root: Path) -> list[Path]:
    return sorted((root / DATA).rglob("*.yml"))


def _benign(root: Path) -> dict[str, list[dict[str, str]]]:
    older = sc.older_benign(HERE)
    seen: set[str] = set(older)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    bodies: list[dict[str, str]] = []
    whole: set[str] = set(older)
    for path in _files(root):
        rel = str(path.relative_to(root / DATA))
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        sc.collect_strings(found, seen, LABEL, rel, doc)
        cats = [str(c) for c in doc.get("categories") or []]
        for i, conv in enumerate(doc.get("conversations") or []):
            if not isinstance(conv, list):
                continue
            obj = {"categories": cats, "conversations": [[str(s) for s in conv]]}
            text = json.dumps(obj, ensure_ascii=False)
            if 80 <= len(text) <= 4000 and text not in whole and sc.keep_text(text):
                whole.add(text)
                bodies.append({"value": text, "source": f"{LABEL}/{rel}: conversations[{i}]"})
    values = {f"chat_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**values, "chat_objects": sc.even(bodies, MAX_BODIES)}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(root), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_bodies(HERE, SPLIT, (("chat_objects", "objects", "json"),))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
