"""fresh50: the probes three active scanners and fuzzers on PyPI send, rebuilt as the tools build them, against
recorded Twitter and Reddit API answers.

    python bench/waf/fresh50/build.py                                          # writes corpus.jsonl (deterministic)
    python bench/waf/fresh50/build.py --extract BOOFUZZ TWYTHON ASYNCPRAW      # re-selects the values

``BOOFUZZ`` is the unpacked PyPI wheel ``boofuzz-0.4.2-py3-none-any.whl`` (its ``boofuzz/primitives/string.py``),
``TWYTHON`` the unpacked sdist ``twython-3.9.1.tar.gz`` (its ``tests/tweets/*.json``), ``ASYNCPRAW`` the unpacked sdist
``asyncpraw-8.0.3.tar.gz`` (its ``tests/integration/cassettes/*.json``, read in name order).

Attack payloads (what was read, and how):

- bbot 3.0.2 (PyPI wheel ``bbot-3.0.2-py3-none-any.whl``, AGPL-3.0, strings only): the lightfuzz submodules
  ``bbot/modules/lightfuzz/submodules/{sqli,xss,cmdi,path,ssti}.py`` and ``bbot/modules/generic_ssrf.py``, rebuilt
  here by ``_bbot`` as the submodules build each probe (``f"{probe_value}..."`` and the templates), with their random
  parts fixed: the original value of an empty parameter (``rand_string(10, numeric_only=True)``) = ``PROBE``, the echo
  canary, the arithmetic factors, the interactsh correlation domain (the one ``bbot/core/helpers/interactsh.py``'s
  docstring shows) and the per-probe subdomain tags, the XSS reflection string, the path original value. Probes the
  submodule sends raw into a URL (``skip_urlencoding``) are decoded once with ``unquote``, as the application
  receives them; the rest are received as built. What the modules send that is no injection of a benchmark class is
  left out with a ``drop`` note in ``sources.json`` (``BBOT_DROPS``).
- boofuzz 0.4.2 (PyPI wheel, GPL-2.0-only, strings only): the ``String._fuzz_library`` list of
  ``boofuzz/primitives/string.py`` read from the wheel (``ast``), its command-injection and traversal entries (the
  library has no SQL entries in this version) at an even stride (every 3rd of the kept entries), each decoded once
  with ``unquote`` (the ``%0a``-style entries are written for URLs); long strings, format strings, overflow and
  binary entries, lone words and punctuation left out with notes (``BOOFUZZ_DROPS``).
- pocsuite3 2.1.0 (PyPI wheel, GPLv2, strings only): the injected value of each bundled web PoC's verify request,
  ``records.txt`` (computed from each PoC's template with its random parts fixed, decoded once; ``@@ drop`` lines for
  the PoCs that send no injected value).

Values already in an older split or repeated are dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring). Twython's recorded tweets: every string of each tweet (text, user
names, screen names, descriptions, URLs, ids, dates) by ``text_category``, except ``source`` (the server-rendered
``<a href>`` of the client name); every list-element object of 80-4,000 characters whole as a JSON body. asyncpraw's
cassettes, as fresh36 read PRAW's: every string under the user-content keys ``FIELDS`` of every recorded answer body
and every form value of every recorded request body by ``text_category``; every answer list element of 80-4,000
characters whole as a JSON body; every request URI's query string whole as a GET query string. Left out: the
cassettes' redaction placeholders and values holding one, values under ``SECRET_KEYS``, server-rendered markup keys
(``*_html``, oEmbed ``html``/``content``), pieces of binary upload bodies (a control character or U+FFFD), and every
value an older split holds (PRAW's cassettes, read by fresh7 and fresh36, record the same API in the same kind: the
values here are new, the kind is not). At most ``CAP`` per category at an even stride. Split name ``fresh50``.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh50"
CAP = {"names": 240, "prose": 360, "urls": 100, "codes": 240}
MAX_BODIES = 400
MAX_QUERIES = 250
CASSETTES = "tests/integration/cassettes"
LABEL = "asyncpraw 8.0.3 tests/integration/cassettes"
TWEETS = "tests/tweets"
TW_LABEL = "twython 3.9.1 tests/tweets"
FIELDS = frozenset({
    "title", "selftext", "body", "bodyMarkdown", "link_title", "target_title", "target_body", "subject", "description",
    "public_description", "submit_text", "text", "note", "details", "reasonText", "ban_note", "flair_text",
    "author_flair_text", "link_flair_text", "url", "link_url", "url_overridden_by_dest", "permalink", "link_permalink",
    "target_permalink", "domain", "thumbnail", "icon_img", "header_img", "author", "link_author", "target_author",
    "author_name", "display_name", "displayName", "subreddit", "subreddit_name_prefixed", "display_name_prefixed",
})
"""The answer keys whose strings are user-written text (or a user's URL or name): fresh36's list."""
PLACEHOLDER = re.compile(
    r"<(?:TEST_SUBREDDIT|USERNAME|USER_AGENT|ACCESS_TOKEN|BASIC_AUTH|PASSWORD|REFRESH_TOKEN|REDACTED|CLIENT_ID|CONTENT|"
    r"COMMENT_IDS|AVAILABLE_NAME|AUTH_CODE)>"
)
"""The redaction placeholders the cassettes hold in place of names, tokens and secrets."""
HOW_READ = (
    "bbot and boofuzz rebuilt by build.py from the wheels (see its docstring); pocsuite3's PoCs computed from each "
    "PoC's template with fixed random parts and written into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "twython 3.9.1 (PyPI sdist twython-3.9.1.tar.gz), tests/tweets/*.json (10 recorded tweets); asyncpraw "
    "8.0.3 (PyPI sdist asyncpraw-8.0.3.tar.gz), the recorded Reddit API requests and answers of "
    f"{CASSETTES}/*.json (648 cassettes, name order)",
    "licence": "twython: MIT (PKG-INFO License: MIT); asyncpraw: BSD (PKG-INFO classifier 'License :: OSI Approved :: "
    "BSD License', LICENSE.txt); the recorded tweets, posts and comments are their users' text",
    "same_kind_as": "fresh7 and fresh36 (PRAW 8.0.3's cassettes of the same Reddit API; every value an older split "
    "holds is left out, so the values are new but the kind is not)",
    "what": "tweets: every string by text_category except the source markup, list-element objects whole as JSON "
    "bodies; asyncpraw: user-content strings of the answers (FIELDS) and the request form values by text_category, "
    "answer list elements of 80-4,000 characters whole as JSON bodies, request URI query strings whole; placeholders, "
    "secret keys, *_html and oEmbed markup, binary upload pieces and older splits' values left out",
}

# --- bbot 3.0.2 lightfuzz and generic_ssrf ----------------------------------------------------------------------------

BBOT = ("bbot 3.0.2 (PyPI wheel bbot-3.0.2-py3-none-any.whl)", "AGPL-3.0 (bbot-3.0.2.dist-info/METADATA "
        "License-Expression: AGPL-3.0; LICENSE); strings used as test data only")
PROBE = "4820715392"
"""``incoming_probe_value(populate_empty=True)`` of an empty parameter: ``rand_string(10, numeric_only=True)``."""
OAST = "rg99x2f860h5466ou3so86i07n1m3013k.oast.me"
"""The interactsh domain (``bbot/core/helpers/interactsh.py``'s docstring example of a registered domain)."""
SQLI_TEMPLATES = (
    "'||pg_sleep({d})--",
    "' OR (SELECT TRUE FROM pg_sleep({d})) LIMIT 1-- -",
    "1' AND (SLEEP({d})) AND '",
    "' OR SLEEP({d}) IS NOT NULL LIMIT 1-- -",
    " OR SLEEP({d}) IS NOT NULL LIMIT 1-- -",
    "' AND (SELECT 1 FROM DUAL WHERE DBMS_LOCK.SLEEP({d})=0) AND '1'='1",
    "'; WAITFOR DELAY '00:00:{d:02d}'--",
    "; WAITFOR DELAY '00:00:{d:02d}'--",
)
"""``sqli.DELAY_PROBE_TEMPLATES``: each sent as ``f"{probe_value}{template.format(d=3)}"`` (stage 1, delay_low)."""
CMDI_DELIMS = (";", "&&", "||", "&", "|")
CMDI_TAGS = ("qzkv", "wbnx", "hjtr", "mpld", "cfse")
"""``register_interactsh_tag``'s ``rand_string(4, digits=False)`` per delimiter (the ``AAAA`` probe's tag unused)."""
SSTI_PROBES = (
    "<%25%3d%201337*1337%20%25>", "<%= 1337*1337 %>", "${1337*1337}", "%24%7b1337*1337%7d", "{{1337*1337}}",
    "1,787{{z}},569", "{1337*1337}", "%23set(%24x%3d1337*1337)%24x",
)
"""``ssti.ssti_probes``, sent with ``skip_urlencoding`` (decoded once here)."""
XSS_RAND = "k3Rb9xQa"
PATH_VALUE = "report.pdf"
BBOT_DROPS = [
    ("sqli.py: f'{probe_value}'' and f'{probe_value}'''' (the quote probes) and the junk control value",
     "a quote after a number, or digits alone: no single request can tell it from text"),
    ("sqli.py: the stage-2 delay probes (d=8)", "the stage-1 probes with another number (near repeats)"),
    ("cmdi.py: the 'AAAA' false-positive probes (echo and nslookup)", "the tool's own control: no delimiter, no "
     "command boundary"),
    ("xss.py: the reflection string, <z>/<svg>/<img> around it, the attribute quote breakouts RAND\"z and RAND'z, "
     "the comment breakout RAND-->z and the template-literal ${RAND}", "markup without script, a quote or a comment "
     "end before a word, an identifier in ${}: not attacks on their own"),
    ("path.py: the single-dot payloads (./, /./, ./a/../ ...) and the canary payload", "the tool's controls: a "
     "current-directory path, and a doubledot payload with a random name (a near repeat)"),
    ("path.py: the start-of-path technique", "only built for an original value that is an absolute path; the "
     "original value taken here is the file name report.pdf"),
    ("ssrf.py, generic_ssrf.py Generic_SSRF and Generic_SSRF_POST: http://<tag>.<interactsh domain> in 28 "
     "parameters", "an out-of-band URL on the scanner's public host: no WAF can tell it from a link (as fresh41, "
     "jaeles in fresh15)"),
    ("esi.py: AA<!--esi-->BB<!--esx-->CC and <esi:include src=http://<interactsh>/>", "ESI is not a class of this "
     "corpus (as ActiveScan++ in fresh15)"),
    ("serial.py: base64, hex and PHP-raw serialized objects (Boolean, 'test', a:0:{}, pickle, .NET, Ruby, URLDNS)",
     "serialized blobs of harmless objects (or a DNS lookup): not a class of this corpus"),
    ("crypto.py", "padding-oracle and hash probes on tokens: not a class of this corpus"),
    ("host_header.py: Host, X-Forwarded-Host and six other override headers set to <tag>.<interactsh domain>, the "
     "absolute-URL request target, the duplicate Host", "host-header spoofing to the scanner's public host: not a "
     "class of this corpus (as jaeles in fresh15)"),
]


def _bbot() -> list[tuple[str, str]]:
    """The values bbot's lightfuzz submodules and generic_ssrf send, as they build them."""
    out: list[tuple[str, str]] = []
    for template in SQLI_TEMPLATES:
        out.append(("sqli", f"{PROBE}{template.format(d=3)}"))
    canary, arith_a, arith_b = "7391046285", "52917", "38461"
    for p, tag in zip(CMDI_DELIMS, CMDI_TAGS, strict=True):
        out.append(("cmdi", f"{PROBE}{p} echo {canary} {p}"))
        out.append(("cmdi", f"{PROBE}{p} echo $(({arith_a}*{arith_b})) {p}"))
        out.append(("cmdi", f"{PROBE}{p} set /A {arith_a}*{arith_b} {p}"))
        out.append(("cmdi", f"{PROBE}{p} nslookup {tag}.{OAST} {p}"))
    out.append(("xss", f"javascript:{XSS_RAND}"))
    out.append(("xss", rf"</script><script>{XSS_RAND}</script>"))
    out.append(("xss", rf"a\';zzzzz({XSS_RAND})\\"))
    out.append(("xss", rf"a\";zzzzz({XSS_RAND})\\"))
    v = PATH_VALUE
    doubledot = [
        f"../{v}", f"/../{v}", quote(f"../{v}".encode(), safe=""), f"../a/../{v}", f"/../a/../{v}",
        quote(f"../a/../{v}".encode(), safe=""), quote(f"/../a/../{v}".encode(), safe=""), f"....//a/....//{v}",
        f"/....//a/....//{v}", f"....//{v}", f"/....//{v}", f"..%252fa%252f..%252f{v}",
        f"%252f..%252fa%252f..%252f{v}", f"..%252f{v}", f"%252f..%252f{v}",
    ]
    absolute = [r"c:\\windows\\win.ini", "/etc/passwd", "../../../../../etc/passwd%00.png"]
    for payload in doubledot + absolute:
        out.append(("traversal", unquote(payload)))
    for probe in SSTI_PROBES:
        out.append(("ssti", unquote(probe)))
    rand_entity, tag = "zqmw", "hvtc"
    out.append(("xxe", f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE foo [
<!ELEMENT foo ANY >
<!ENTITY {rand_entity} SYSTEM "http://{tag}.{OAST}" >
]>
<foo>&{rand_entity};</foo>"""))
    return out


# --- boofuzz 0.4.2 String fuzz library --------------------------------------------------------------------------------

BOOFUZZ = ("boofuzz 0.4.2 (PyPI wheel boofuzz-0.4.2-py3-none-any.whl)",
           "GPL-2.0-only (boofuzz-0.4.2.dist-info/METADATA License: GPL-2.0-only); strings used as test data only")
BOOFUZZ_STRIDE = 3
INJECTION = re.compile(r"reboot|notepad|\bid\b|\|nid|SULLEY|\.\./|\.\.\./|boot\.ini|etc/passwd|#exec")
"""An entry that names a command (``reboot``, ``notepad``, ``id``, ``touch``), a traversal or an SSI exec."""
BARE = frozenset({"reboot", "id", "'reboot'", "<reboot", "<reboot;", "<reboot%0A", "<reboot%0D"})
"""Entries that are a word alone (or quoted, or an input redirection from a file named reboot): no command boundary."""
BOOFUZZ_DROPS = [
    ("String._fuzz_library: the format strings (%n, %s, \"%n\", \"%s\" repeated 100/500 times), the long and overflow "
     "entries ('/.' * 5000, '/.../' + 'B' * 5000, '/.:/' + 'A' * 5000, '/\\\\' * 5000, '<>' * 500, "
     "'\\r\\n' * 100), the "
     "binary entries (\\xde\\xad\\xbe\\xef runs, \\x01\\x02\\x03\\x04, %\\xfe\\xf0%\\x00\\xff), the empty string, "
     "'!@#$%%^#$%#$@#$%$$@#$%^^**(()', the NUL and escape probes (%00, %00/, /%00/, %u0000, "
     "%01%02%03%04%0a%0d%0aADSF), "
     "the Windows prefixes \\\\* and \\\\?\\, and the long_string_seeds expansions",
     "long-string, format-string, overflow and binary fuzz entries and punctuation: memory-corruption input, not an "
     "injected value of a benchmark class"),
    ("String._fuzz_library: 'reboot', 'id', \"'reboot'\", '<reboot', '<reboot;', '<reboot%0A', '<reboot%0D'",
     "a command word alone, quoted, or read from a file: no command boundary, prose can hold it"),
    ("String._fuzz_library: '..:..:..:..:..:..:..:..:..:..:..:..:..:'", "a colon-separated run of dots (a classic "
     "Mac OS path probe): kept out as no path separator a web stack reads"),
]


def _boofuzz(root: Path) -> Callable[[], list[tuple[str, str]]]:
    def make() -> list[tuple[str, str]]:
        tree = ast.parse((root / "boofuzz/primitives/string.py").read_text(encoding="utf-8"))
        library: list[str] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_fuzz_library"
                                                    for t in node.targets):
                assert isinstance(node.value, ast.List)
                for elt in node.value.elts:
                    if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                        library.append(elt.value)  # a BinOp (string * n) is a long-string entry: left out
        kept = [e for e in library if INJECTION.search(e) and e not in BARE and len(e) < 100]
        out = []
        for entry in kept[::BOOFUZZ_STRIDE]:
            cls = "traversal" if re.search(r"\.\./|boot\.ini|etc/passwd", entry) else "cmdi"
            out.append((cls, unquote(entry)))
        return out

    return make


# --- benign -----------------------------------------------------------------------------------------------------------


def _keep(text: str) -> bool:
    return sc.keep_text(text) and not PLACEHOLDER.search(text) and _text(text)


def _text(value: str) -> bool:
    """Not a piece of a binary upload (fresh36's rule, fixed here before measuring)."""
    return not any((c < " " and c not in "\t\n\r") or c == "\ufffd" for c in value)


def _json(text: Any) -> Any:
    if not isinstance(text, str) or text[:1] not in "{[":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


class Found:
    def __init__(self) -> None:
        older = sc.older_benign(HERE)
        self.seen: set[str] = set(older)
        self.whole: set[str] = set(older)
        self.values: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
        self.bodies: list[dict[str, str]] = []
        self.queries: list[dict[str, str]] = []

    def add(self, key: str, text: str, where: str) -> None:
        text = text.strip()
        if key.lower() in sc.SECRET_KEYS or text in self.seen or not _keep(text):
            return
        self.seen.add(text)
        self.values[sc.text_category(text)].append({"value": text, "source": f"{where}: {key}"})

    def objects(self, answer: Any, where: str) -> None:
        items: list[Any] = []
        sc.list_items(answer, items)
        for obj in items:
            text = json.dumps(obj, ensure_ascii=False)
            if 80 <= len(text) <= 4000 and text not in self.whole and _keep(text):
                self.whole.add(text)
                self.bodies.append({"value": text, "source": where + " list element"})


def _tweets(found: Found, root: Path) -> None:
    for path in sorted((root / TWEETS).glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        where = f"{TW_LABEL}/{path.name}"

        def visit(key: str, text: str, where: str = where) -> None:
            if key != "source":
                found.add(key, text, where)

        sc.walk_strings(doc, "", visit, ("", ""))
        found.objects(doc, where)


def _cassettes(found: Found, root: Path) -> None:
    for path in sorted((root / CASSETTES).glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for i, inter in enumerate(doc.get("interactions", [])):
            where = f"{LABEL}/{path.name} interactions[{i}]"
            req = inter.get("request", {})
            query = urlsplit(req.get("uri", "")).query
            if query and query not in found.whole and _keep(query):
                found.whole.add(query)
                found.queries.append({"value": query, "source": where + " request uri"})
            form = req.get("body")
            if isinstance(form, str) and form and _json(form) is None and "=" in form:
                for key, value in parse_qsl(form, keep_blank_values=False):
                    found.add(key, value, where + " request body")
            body = inter.get("response", {}).get("body")
            answer = _json(body.get("string") if isinstance(body, dict) else None)
            if answer is None:
                continue

            def visit(key: str, text: str, where: str = where) -> None:
                if key in FIELDS:
                    found.add(key, text, where + " response")

            sc.walk_strings(answer, "", visit, ("", ""))
            found.objects(answer, where + " response")


def _benign(twython: Path, asyncpraw: Path) -> dict[str, list[dict[str, str]]]:
    found = Found()
    _tweets(found, twython)
    _cassettes(found, asyncpraw)
    values = {f"social_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.values.items() if vals}
    return {**values, "social_queries": sc.even(found.queries, MAX_QUERIES),
            "social_objects": sc.even(found.bodies, MAX_BODIES)}


def extract(boofuzz: Path, twython: Path, asyncpraw: Path) -> None:
    """The attack values (records.txt, bbot and boofuzz rebuilt) and the benign values from the unpacked packages."""
    sources, dropped = sc.records_and_built(HERE / "records.txt", sc.decode_form_record, [
        (BBOT[0], "bbot/modules/lightfuzz/submodules/{sqli,cmdi,xss,path,ssti}.py, bbot/modules/generic_ssrf.py "
         "(Generic_XXE)", "-", BBOT[1], _bbot),
        (BOOFUZZ[0], "boofuzz/primitives/string.py String._fuzz_library (command-injection and traversal entries, "
         "every 3rd)", "-", BOOFUZZ[1], _boofuzz(boofuzz)),
    ])
    dropped += [{"repository": BBOT[0], "left_out": what, "why": why} for what, why in BBOT_DROPS]
    dropped += [{"repository": BOOFUZZ[0], "left_out": what, "why": why} for what, why in BOOFUZZ_DROPS]
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, _benign(twython, asyncpraw), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_documents(HERE, SPLIT, ("social_queries", "queries", "/api/v1/resources?"),
                                   ("social_objects", "objects"))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
