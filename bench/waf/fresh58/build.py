"""fresh58: the injection values Akto's API security test templates send in API parameters, against the recorded
AniList GraphQL API answers of pyanilist's test cassettes (anime titles in Japanese and romaji, HTML descriptions,
character and staff names, episode titles, streaming URLs) and its GraphQL request bodies.

    python bench/waf/fresh58/build.py                          # writes corpus.jsonl (deterministic)
    python bench/waf/fresh58/build.py --extract PYANILIST      # re-selects the values (the three json files)

``PYANILIST`` is the unpacked PyPI sdist ``pyanilist-0.9.0.tar.gz`` (its ``tests/cassettes/*/*.yaml``, read in path
order with PyYAML; the recorded answers are gzip streams, decompressed with ``zlib``).

Attack payloads (what was read, and how): ``records.txt``, transcribed by hand from the YAML test templates of the
GitHub repository ``akto-api-security/tests-library`` (not on PyPI; read with the stored GitHub index, 45 template
files, each source line naming its file and commit; its header says how each kind of line is decoded). Taken from
each template: its ``wordLists`` and the literal values of ``modify_body_param``, ``modify_query_param``,
``add_query_param``, ``modify_header`` and ``replace_body``, as the application receives them (rules fixed before
measuring):

- class by the template's ``category``: LFI = ``traversal``, COMMAND_INJECTION = ``cmdi``, SSTI = ``ssti``, XSS =
  ``xss``, CRLF = ``crlf``, SSRF = ``ssrf``; where the category is generic (INJECT, SQL, NO_AUTH) the class the template
  id names: ``NOSQLI_*`` = ``nosqli``, ``XXE_*``/``XML_EXTERNAL_XINCLUDE_*`` = ``xxe``, ``*_SQLI``/``*SQL_INJECTION`` =
  ``sqli``, ``AUTH_BYPASS_LDAP`` = ``ldapi``, ``LOG4J_*`` = ``jndi``, ``NODEJS_TEMPLATE_INJECT`` (EJS
  ``outputFunctionName``) = ``ssti``. A bare file path without a scheme is ``traversal`` whatever the template (the
  SSRF template that puts ``/etc/shadow`` in a URL parameter).
- a payload the template appends to the parameter's original value (``${changed_body_value}``, ``${query_value}``,
  ``${userVal}``, ``${keyVal}``) keeps ``ORIG`` in front; ``${random_uuid}`` is ``UUID``.
- a percent-encoded template value is decoded once (what an application that URL-decodes the parameter receives); YAML
  escapes are applied (``\\n``, ``\\u0031``).
- left out, with a note in ``sources.json``: a lone metacharacter of at most two characters (``'``, ``"``, ``$``,
  ``.``, ``>``, ``--``, ``;``, ``*``), the same after the original value, and ``[","]`` (error probes, not injections a
  WAF can tell from data); a lone command word with no argument or shell syntax (``systeminfo``, ``ipconfig``); base64
  text appended to a value; the authorization, authentication, misconfiguration and LLM/agent templates (counted per
  folder); the ``*_AGENTIC`` copies; the injection templates not read within the read budget (counted per folder).

Values already in an older split or repeated are dropped and listed in ``sources.json``. Every payload is sent in all
eight locations.

Benign values (rules fixed before measuring): every string of every recorded AniList answer by ``text_category``
(names, prose, urls, codes; ``SECRET_KEYS`` left out), at most ``CAP`` per category at an even stride; every list
element object of 80-4,000 characters whole as a JSON body (at most ``MAX_OBJECTS`` at an even stride); every distinct
GraphQL request body (query text and variables) whole as a JSON body. Values an older split holds, values holding
``localhost`` and values with active content (fresh48's ``ACTIVE`` rule: a script/iframe/object/embed tag, an
``on...=`` handler, a script URL) are left out. Split name ``fresh58``.
"""

from __future__ import annotations

import json
import re
import sys
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_plus

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh58"
ORIG = "jdoe42"
"""The original parameter value a template keeps in front of its payload (a user name or id with a letter and a digit,
as the PostgreSQL template requires)."""
UUID = "3f2b9c4e-8d1a-4b7e-9a6f-1c2d3e4f5a6b"
"""``${random_uuid}`` of the EJS template."""
CAP = {"names": 700, "prose": 700, "urls": 300, "codes": 400}
MAX_OBJECTS = 400
CASSETTES = "tests/cassettes"
LABEL = "pyanilist 0.9.0 tests/cassettes"
ACTIVE = re.compile(
    r"<\s*(?:script|iframe|object|embed)\b|\bon[a-z]+\s*=|(?:javascript|vbscript)\s*:|data:text/html", re.IGNORECASE
)
"""fresh48's rule for benign values: no active content."""
HOW_READ = (
    "YAML test templates of akto-api-security/tests-library read with the stored GitHub index (read_file, 45 files, "
    "commit named per file) and transcribed into records.txt by hand (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": f"pyanilist 0.9.0 (PyPI sdist pyanilist-0.9.0.tar.gz): {CASSETTES}/*/*.yaml (32 cassettes, the "
    "recorded requests and gzip answers of the AniList GraphQL API)",
    "licence": "MIT (PKG-INFO License-Expression: MIT; LICENSE); titles, descriptions and names are AniList's and its "
    "users' text",
    "what": "every answer string by text_category at most CAP per category evenly spaced, list-element objects of "
    "80-4,000 characters whole as JSON bodies (at most MAX_OBJECTS), every distinct GraphQL request body whole; "
    "secret keys, older splits' values, localhost and active content left out",
}


def decode(kind: str, text: str) -> str:
    """A record's value: J a JSON string literal, S the text as is, U decoded once with ``unquote``, Q with
    ``unquote_plus``; then ``{ORIG}`` and ``{UUID}`` filled."""
    if kind == "S":
        value = text
    else:
        value = str(json.loads(text))
        if kind == "U":
            value = unquote(value)
        elif kind == "Q":
            value = unquote_plus(value)
    return value.replace("{ORIG}", ORIG).replace("{UUID}", UUID)


def _body(raw: Any) -> str:
    """A recorded body as text: a gzip stream (possibly sync-flushed chunks) decompressed, text as it is."""
    if isinstance(raw, bytes):
        return zlib.decompressobj(31).decompress(raw).decode("utf-8")
    return str(raw)


def _benign(root: Path) -> dict[str, list[dict[str, str]]]:
    import yaml  # the venv's PyYAML; only the extract step reads the cassettes

    older = sc.older_benign(HERE)
    seen = set(older)
    whole = set(older)
    found: dict[str, list[dict[str, str]]] = {cat: [] for cat in CAP}
    objects: list[dict[str, str]] = []
    requests: list[dict[str, str]] = []

    def keep(text: str) -> bool:
        return sc.keep_text(text) and not ACTIVE.search(text) and text not in whole

    for path in sorted((root / CASSETTES).glob("*/*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        rel = f"{path.parent.name}/{path.name}"
        for i, inter in enumerate(doc.get("interactions", [])):
            where = f"{LABEL}/{rel} interactions[{i}]"
            req = _body(inter.get("request", {}).get("body") or "")
            if req and keep(req):
                whole.add(req)
                requests.append({"value": req, "source": where + " request body"})
            answer = json.loads(_body(inter["response"]["body"]["string"]))
            before = {cat: len(vals) for cat, vals in found.items()}
            sc.collect_strings(found, seen, LABEL, f"{rel} interactions[{i}]", answer)
            for cat, vals in found.items():  # fresh48's active-content rule on the strings just added
                vals[before[cat] :] = [v for v in vals[before[cat] :] if not ACTIVE.search(v["value"])]
            items: list[Any] = []
            sc.list_items(answer, items)
            for obj in items:
                text = json.dumps(obj, ensure_ascii=False)
                if 80 <= len(text) <= 4000 and keep(text):
                    whole.add(text)
                    objects.append({"value": text, "source": where + " response list element"})
    out = {f"anilist_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**out, "anilist_objects": sc.even(objects, MAX_OBJECTS), "anilist_requests": requests}


def extract(pyanilist: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist."""
    records = sc.read_records(HERE / "records.txt", decode)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(pyanilist), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = sc.build_with_bodies(
        HERE, SPLIT, (("anilist_objects", "objects", "json"), ("anilist_requests", "graphql", "json"))
    )
    return out


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
