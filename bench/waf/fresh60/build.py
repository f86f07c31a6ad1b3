"""fresh60: Baidu OpenRASP's own attack inputs (the vulnerable test pages of ``baidu-security/openrasp-testcases``,
the payload lists of the ``baidu-security/openrasp-iast`` scanner plugins, the SQL cases of ``baidu/openrasp``'s plugin
dev tool), against the recorded Xbox Live API answers of xbox-webapi 2.1.0's tests (gamertags and real names, store
catalog entries with their product descriptions, achievements and their descriptions, game clips and screenshots,
messages, presence, title history, TV listings).

    python bench/waf/fresh60/build.py                      # writes corpus.jsonl (deterministic)
    python bench/waf/fresh60/build.py --extract XBOX       # re-selects the values (the three json files)

``XBOX`` is the unpacked PyPI sdist ``xbox-webapi-2.1.0.tar.gz`` (its ``tests/data/responses/*.json``: the recorded
answers its provider tests replay).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, file,
commit and licence; ``@@ drop`` lines say what was left out and why), read through the code-search index and decoded
once as the application receives them (``split_corpus.decode_form_record``). Classes (rules fixed before measuring):

- ``sqli``: SQL that changes the query it is pasted into (``and 1=2 union select``, a whole UNION query).
- ``cmdi``: a command line: a system command with arguments (``ls -la /``, ``cmd /c dir``), a shell separator
  before a command (``; cmd``, ``whoami;ls;pwd``), PHP code calling ``system()``, an XStream body whose
  ``EventHandler`` starts a ``ProcessBuilder`` (as fresh41 and fresh46 label it).
- ``traversal``: ``../`` or ``..\\`` sequences, absolute system paths (``/etc/passwd``, ``/proc``,
  ``C:\\Windows\\...``, ``/private/etc``) and ``file:`` URLs where a file or directory name is expected.
- ``ssrf``: a URL naming a loopback or private host in any scheme (``http``, and ``rmi``/``ldap`` as the JNDI
  gadgets fetch them, as older splits label ``ldap://127.0.0.1``), hexadecimal dotted forms included.
- ``xxe``: an XML document declaring an external entity.  ``jndi``: a ``${jndi:...}`` lookup.  ``xss``: HTML
  script.  ``nosqli``: a Mongo operator object, or a quote-and-``||`` break-out of a ``$where`` JavaScript string.
- left out (``@@ drop``, listed in ``sources.json``): the IAST scanner's quote probes (``1'openrasp``,
  ``'openraspcmd'``, ``str()'"$openrasp``: a lone quote before a marker word, the shape of a name with an apostrophe;
  only the RASP hook sees their effect), a lone word (``calc``), a bare drive letter (``C:``), a public request-bin
  URL, an operator in a parameter name (``id[$ne]=123``: the shared placement sends values), file names and prose
  whose attack is the file written, the XPath page's sample (the query the page expects), and pages that give no
  payload (Struts2, OGNL and SpEL pages ask for a tool or a typed expression; the PHP extension's ``.phpt`` tests call
  the hooked functions directly).

The normal calls the same pages and the dev tool's ``sql-safe`` cases give next to their attacks (``reports``,
``report.pdf``, ``header.php``, ``DESC wp_users``, ``select name, email from users where id = 1002``, the default
MongoDB server URL, ...) are benign values (``rasp_negatives``): what the RASP must let through.

Benign values (rules fixed before measuring). Every recorded answer except the authentication ones (``auth_*``,
``xal_*``: tokens, not API traffic). Every string of every answer (``split_corpus.collect_strings``: not under a
secret key, not ``localhost``, at most 4,000 characters) by ``text_category`` (at most ``CAP`` per category at an even
stride); long texts (descriptions, captions, message text: ``PROSE_KEYS``) also cut into their blank-line separated
paragraphs (``paragraphs``). Whole documents: every object that is an element of a list in an answer, of 40 to 4,000
characters, as a JSON body (at most ``MAX_OBJECTS``, even stride). Values an older split holds are left out. Split
name ``fresh60``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh60"
NEGATIVES = "rasp_negatives"
CAP = {"urls": 400, "prose": 700, "names": 700, "codes": 700, "paragraphs": 500}
MAX_OBJECTS = 400
LABEL = "xbox-webapi 2.1.0 tests/data/responses"
RESPONSES = "tests/data/responses"
SKIP = ("auth_", "xal_")
"""Recorded authentication answers (tokens), left out."""
HOW_READ = (
    "each test page, scanner plugin and case file read through the code-search index (read_file) at the commit named "
    "per source; the values its sample requests, payload lists or case lines send transcribed into records.txt (see "
    "its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "xbox-webapi 2.1.0 (PyPI sdist xbox-webapi-2.1.0.tar.gz), tests/data/responses/*.json: the recorded "
    "Xbox Live answers its provider tests replay (profiles, people, presence, achievements, store catalog, game clips, "
    "screenshots, messages, title hub, user stats, lists, TV channel lists and schedules, SmartGlass consoles); the "
    "normal calls of the OpenRASP test pages and the dev tool's sql-safe cases (rasp_negatives)",
    "licence": "xbox-webapi: MIT (LICENSE: 'Copyright (c) 2020 OpenXbox', the MIT text; PKG-INFO says License: GPL, "
    "the LICENSE file it ships is MIT); the recorded texts are the Xbox users' and publishers' own; strings used as "
    "test data only. OpenRASP: Apache-2.0",
    "what": "every string of every recorded answer (auth_* and xal_* left out) by category (at most CAP each, evenly "
    "spaced), paragraphs of descriptions, captions and message text, every list element object of 40-4,000 characters "
    "as a JSON body (at most MAX_OBJECTS); values among an older split's benign values left out",
}
PARAGRAPH = re.compile(r"(?:\r?\n){2,}")
PROSE_KEYS = ("description", "shortdescription", "productdescription", "text", "caption", "userCaption", "bio")
"""Keys whose long text is also cut into blank-line separated paragraphs."""


def _long_texts(node: Any, out: list[str]) -> None:
    """Every string under a ``PROSE_KEYS`` key (any case) anywhere in ``node``."""
    keys = {k.lower() for k in PROSE_KEYS}
    if isinstance(node, dict):
        for k, v in node.items():
            if k.lower() in keys and isinstance(v, str):
                out.append(v)
            else:
                _long_texts(v, out)
    elif isinstance(node, list):
        for v in node:
            _long_texts(v, out)


def _benign(xbox: Path) -> dict[str, list[dict[str, str]]]:
    seen = sc.older_benign(HERE)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    paragraphs: list[dict[str, str]] = []
    objects: list[dict[str, str]] = []
    for path in sorted((xbox / RESPONSES).glob("*.json")):
        if path.name.startswith(SKIP):
            continue
        rel = path.name
        doc = json.loads(path.read_text(encoding="utf-8"))
        sc.collect_strings(found, seen, LABEL, rel, doc)
        texts: list[str] = []
        _long_texts(doc, texts)
        for text in texts:
            for para in PARAGRAPH.split(text.replace("\r\n", "\n")):
                para = para.strip()
                if para and para not in seen and sc.keep_text(para):
                    seen.add(para)
                    paragraphs.append({"value": para, "source": f"{LABEL}/{rel} paragraph"})
        items: list[Any] = []
        sc.list_items(doc, items)
        for item in items:
            body = json.dumps(item, ensure_ascii=False)
            if body not in seen and 40 <= len(body) <= 4000:
                seen.add(body)
                objects.append({"value": body, "source": f"{LABEL}/{rel} list element"})
    values = {f"xbox_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {
        **values,
        "xbox_paragraphs": sc.even(paragraphs, CAP["paragraphs"]),
        "xbox_objects": sc.even(objects, MAX_OBJECTS),
    }


def extract(xbox: Path) -> None:
    """The attack values and negatives from ``records.txt`` and the benign values from the unpacked sdist."""
    sources, dropped = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    negatives: list[dict[str, str]] = []
    older = sc.older_benign(HERE)
    for src in sources:
        kept = []
        for cls, value in src["values"]:
            if cls != NEGATIVES:
                kept.append((cls, value))
            elif value not in older and sc.keep_text(value) and all(n["value"] != value for n in negatives):
                negatives.append({"value": value, "source": f"{src['repository']} {src['files']}"})
        src["values"] = kept
    sources = [s for s in sources if s["values"]]
    benign = {**_benign(xbox), NEGATIVES: negatives}
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus, benign = sc.load(HERE, SPLIT)
    objects = benign.pop("xbox_objects", [])
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.long_texts(benign)
    corpus.documents(objects, "objects", "json")
    out: list[dict[str, Any]] = corpus.items
    return out


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
