"""fresh36: the parts of the payloadbox lists no older split read (fresh7 read every line of the command-injection
README, the rfi-lfi README, the xxe and ssti Intruder lists, the SQL Generic/Auth-bypass/NoSQL Intruder lists and the
first and last 16 KB of the 461 KB XSS list): the SQL list's ``SQL injection payloads.md`` (every 10th payload line),
the middle of ``Intruder/xss-payload-list.txt`` (about every 25th line of every 4th 16,000-character page), the ssti
and xxe READMEs; against Reddit API answers and requests recorded in PRAW's test cassettes (user-written titles,
self-texts, comment bodies, descriptions, flair, URLs and user names: markdown, code and prose in many languages).

    python bench/waf/fresh36/build.py                  # writes corpus.jsonl (deterministic)
    python bench/waf/fresh36/build.py --extract PRAW   # re-selects the values (the three json files)

``PRAW`` is the unpacked PyPI sdist ``praw-8.0.3.tar.gz`` (its ``tests/integration/cassettes/*.json``, 643 files, read
in name order). fresh7 took 939 values from the same cassettes; they (and every other older split's benign values)
are left out here, so the values are new but the source is not: see ``sources.json``.

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, file, commit,
stride and licence; ``@@ drop`` lines say what was left out and why), decoded once as the application receives them
(``split_corpus.decode_form_record``). Values already in an older split or repeated are dropped and listed in
``sources.json``.

Benign values. Every string under the user-content keys of ``FIELDS`` in every recorded answer body, and every form
value of every recorded request body, by ``text_category`` (names, prose, urls, codes), at most ``CAP`` per category at
an even stride; every list element object of 80-4,000 characters of an answer sent whole as a JSON body (at most
``MAX_BODIES``); every recorded request URI's query string sent whole as a GET query string (at most
``MAX_QUERIES``). Left out, by rules fixed before any measurement: the cassettes' redaction placeholders
(``<USERNAME>``, ``<ACCESS_TOKEN>`` ...) and values holding one, values under ``SECRET_KEYS``, and the
server-rendered markup keys (``*_html``, the oEmbed/media-embed ``html`` and ``content``: an ``<iframe>`` the server
builds is active content, not text a user sends). Values among an older split's benign values are left out. Split
name ``fresh36``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh36"
CAP = {"names": 240, "prose": 360, "urls": 100, "codes": 240}
MAX_BODIES = 400
MAX_QUERIES = 250
CASSETTES = "tests/integration/cassettes"
LABEL = "praw 8.0.3 tests/integration/cassettes"
FIELDS = frozenset({
    "title", "selftext", "body", "bodyMarkdown", "link_title", "target_title", "target_body", "subject", "description",
    "public_description", "submit_text", "text", "note", "details", "reasonText", "ban_note", "flair_text",
    "author_flair_text", "link_flair_text", "url", "link_url", "url_overridden_by_dest", "permalink", "link_permalink",
    "target_permalink", "domain", "thumbnail", "icon_img", "header_img", "author", "link_author", "target_author",
    "author_name", "display_name", "displayName", "subreddit", "subreddit_name_prefixed", "display_name_prefixed",
})
"""The answer keys whose strings are user-written text (or a user's URL or name)."""
PLACEHOLDER = re.compile(
    r"<(?:TEST_SUBREDDIT|USERNAME|USER_AGENT|ACCESS_TOKEN|BASIC_AUTH|PASSWORD|REFRESH_TOKEN|REDACTED|CLIENT_ID|CONTENT|"
    r"COMMENT_IDS|AVAILABLE_NAME|AUTH_CODE)>"
)
"""The redaction placeholders the cassettes hold in place of names, tokens and secrets."""
HOW_READ = (
    "each file's stored text through the code-search index (read_file) at the commit named per source; the injected "
    "values transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "praw 8.0.3 (PyPI sdist praw-8.0.3.tar.gz), the recorded Reddit API requests and answers of "
    f"{CASSETTES}/*.json (643 cassettes, name order)",
    "licence": "BSD-2-Clause (praw LICENSE.txt: 'Copyright (c) 2016, Bryce Boe ... Redistribution and use in source "
    "and binary forms ... are permitted provided that ...' two conditions; PKG-INFO classifier 'License :: OSI "
    "Approved :: BSD License'); the recorded posts and comments are Reddit users' text",
    "same_source_as": "fresh7 (939 values of these cassettes; they and every other older split's values are left out)",
    "what": "user-content strings of the answers (FIELDS) and the form values of the requests by text_category "
    "(names, prose, urls, codes; at most CAP per category, evenly spaced); answer list elements of 80-4,000 characters "
    "whole as JSON bodies; request URI query strings whole as GET query strings; redaction placeholders, secret keys, "
    "*_html and the oEmbed html/content markup left out; values among an older split's benign values left out",
}


def _keep(text: str) -> bool:
    return sc.keep_text(text) and not PLACEHOLDER.search(text)


def _json(text: Any) -> Any:
    if not isinstance(text, str) or text[:1] not in "{[":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _benign(root: Path) -> dict[str, list[dict[str, str]]]:
    older = sc.older_benign(HERE)
    seen: set[str] = set(older)
    whole: set[str] = set(older)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    bodies: list[dict[str, str]] = []
    queries: list[dict[str, str]] = []

    def add(key: str, text: str, where: str) -> None:
        text = text.strip()
        if key.lower() in sc.SECRET_KEYS or text in seen or not _keep(text):
            return
        seen.add(text)
        found[sc.text_category(text)].append({"value": text, "source": f"{where}: {key}"})

    for path in sorted((root / CASSETTES).glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for i, inter in enumerate(doc.get("interactions", [])):
            where = f"{LABEL}/{path.name} interactions[{i}]"
            req = inter.get("request", {})
            query = urlsplit(req.get("uri", "")).query
            if query and query not in whole and _keep(query):
                whole.add(query)
                queries.append({"value": query, "source": where + " request uri"})
            form = req.get("body")
            if isinstance(form, str) and form and _json(form) is None and "=" in form:
                for key, value in parse_qsl(form, keep_blank_values=False):
                    add(key, value, where + " request body")
            body = inter.get("response", {}).get("body")
            answer = _json(body.get("string") if isinstance(body, dict) else None)
            if answer is None:
                continue

            def visit(key: str, text: str, where: str = where) -> None:
                if key in FIELDS:
                    add(key, text, where + " response")

            sc.walk_strings(answer, "", visit, ("", ""))
            items: list[Any] = []
            sc.list_items(answer, items)
            for obj in items:
                text = json.dumps(obj, ensure_ascii=False)
                if 80 <= len(text) <= 4000 and text not in whole and _keep(text):
                    whole.add(text)
                    bodies.append({"value": text, "source": where + " response list element"})
    values = {f"reddit_{cat}": [v for v in sc.even(vals, CAP[cat]) if _text(v["value"])]
              for cat, vals in found.items() if vals}
    return {**values, "reddit_queries": sc.even(queries, MAX_QUERIES), "reddit_objects": sc.even(bodies, MAX_BODIES)}


def _text(value: str) -> bool:
    """Not a piece of a binary upload. The first build read 32 raw PNG/JPEG and multipart request bodies as forms,
    and their pieces became "values" of random bytes (195 requests of the first-contact run, 71 of them flagged,
    mostly for a real NUL byte). Applied after the even selection, so no other value moved; decided after the
    first measurement, which is why the record gives the first-contact figures with and without them."""
    return not any((c < " " and c not in "\t\n\r") or c == "\ufffd" for c in value)


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(root), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_documents(HERE, SPLIT, ("reddit_queries", "queries", "/api/v1/resources?"),
                                   ("reddit_objects", "objects"))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
