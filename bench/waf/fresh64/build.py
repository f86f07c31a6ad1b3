"""fresh64: the attack requests of BunkerWeb's own tests (bunkerity/bunkerweb's core ModSecurity and bad-behaviour
tests, bunkerity/bunkerweb-plugins' open-appsec, Coraza and CrowdSec plugin tests) and, since BunkerWeb's tests hold
only a handful of injection strings, the detector tests of a second WAF product no older split read: Aikido Zen, an
in-app firewall (AikidoSec/firewall-node's shell, SQL, SSRF, path traversal, JavaScript injection and attack-wave
tests, and the Rust core they call, AikidoSec/zen-internals); against the recorded answers of the Netatmo API
(pyatmo 9.9.1's test fixtures: weather stations, thermostats, homes, cameras, energy measures).

    python bench/waf/fresh64/build.py                      # writes corpus.jsonl
    python bench/waf/fresh64/build.py --extract PYATMO     # re-selects the values first

``PYATMO`` is the unpacked PyPI sdist ``pyatmo-9.9.1.tar.gz`` (the folder holding ``fixtures/``).

Attack payloads (what was read, and how). The sources were read through the code-search index (read_file); their
values are transcribed in ``records.txt`` as the tests write them, one ``@@ source`` line each (repository, file and
list, commit or index file id, licence, family, kind): kind ``L`` a string literal (``"..."`` with JavaScript/Rust
escapes, a JavaScript template literal without interpolation, a Rust raw string ``r#"..."#``), ``U`` a URL-encoded
query value or path of a test script's request, ``P`` the raw line of a text file. Zen is a RASP: its tests pair a
user input with the command, query, file path or code it reaches; the value here is the user input (what a request
carries), never the command or query. Each value is sorted by its family's rule (``classify``; rules fixed before
measuring, by the shapes of the family the test file belongs to):

- ``bw`` (BunkerWeb's requests): by the SQL, XSS and file rules below; the CrowdSec AppSec path ``/rpc2`` (a route a
  scanner probes, no injection) is left out.
- ``sql`` (Zen SQL tests, the postgres.txt payload list): ``sqli`` when a quote, number or closing parenthesis is
  followed by a boolean tautology, a boolean with a function call, UNION SELECT, ORDER BY, a comment, a stacked
  statement, or statement terminators then a comment; when a quote and parenthesis close a VALUES tuple and open
  another; when it names ``information_schema``, calls ``sleep``/``pg_sleep`` or ``WAITFOR DELAY``; or when the whole
  value is a statement (``select``/``insert``/``update``/``delete``/``create``/``drop``/``copy``/``alter`` then a
  FROM/TABLE/INTO target, a call or a terminating ``;``) (``SQL``, ``SQL_ANYWHERE``, ``SQL_STATEMENT``). Left out:
  prose with an SQL word (``Roses are red drop are blue``), lone quotes and comment openers (``' a``, ``-- a``),
  calls of unknown functions (``foobar()``), fragments that only hold SQL words (``INTO users``, ``FROM hakuna``,
  ``date DESC LIMIT 1``) and placeholder lists (``(:name, :age)``): a WAF reads no injection in them.
- ``command`` (Zen shell tests): ``cmdi`` when a separator (``;``, ``&&``, ``||``, ``|``, a line break) or a quote
  breaking out is followed by a command word, a ``$(...)`` or backquoted command, a redirection ``>``/``>>`` to an
  absolute path, a whole value that is a command word with an argument (``rm -rf``, ``sleep 10``, ``chmod 777``) or a
  path into a binary directory (``/bin/``, ``/usr/bin/``, climbing or ``/./`` included), or a shell ``for ((`` loop
  (``CMD``, ``CMD_LINE``, ``BIN_PATH``). Left out: a lone command word with no argument (``halt``, ``kill``), a
  variable or ``~`` expansion (``$USER``, ``${array[@]}``, ``~/.ssh``), a trailing ``;``, ``$``, ``!`` or backquote
  alone, a pipe into nothing (``:|``) and quoted words (``'single quote'``): nothing runs a command.
- ``file`` (Zen path traversal tests): ``traversal`` when ``../`` (or ``..\\``) climbs at least twice, when a climb
  or a ``/./`` step reaches a system directory (``etc``, ``root``, ``proc``, ``bin``, ``usr``, ``var``, ``home``,
  ``windows``), or when the value names a sensitive file (``/etc/passwd``, ``/etc/shadow``, ``/.aws/credentials``,
  ``/.ssh/``) (``TRAVERSAL``, ``CLIMB_TO_SYSTEM``, ``SENSITIVE``). Left out: a single climb with no target (``../``,
  ``./../``), absolute application, user and volume paths naming no sensitive file (``/var/a``, ``/app/config``,
  ``/Users/user/``) and a bare drive root (``C:\\``).
- ``ssrf`` (Zen SSRF tests): ``ssrf`` by fresh61's rule (the URL's host is loopback, private, link-local or
  unspecified in any notation, a metadata or internal name), a scheme with one or no slash counted as a URL
  (``http:/localhost``, ``http:localhost``: the parsers Zen guards accept them). Left out: a bare host without a
  scheme (``localhost``, ``localhost/path/path``).
- ``js`` (Zen JavaScript injection tests): ``ssti`` (server-side code evaluation, as fresh52 and fresh55 label it)
  when a quote or bracket closes the literal and ``;``, ``,``, ``||`` or ``&&`` is followed by a call or a ``//``
  comment, or ``;`` is followed by a call (``JS_CODE``); ``xss`` when what is left is a dialog call (``alert('!');``).
  Left out: arithmetic and lists with no call or literal closed (``5 || 1 === 1``, ``1, 4], test2: [2, 3``).
- ``mongo_js`` (Zen's MongoDB ``$where`` cases): ``nosqli`` by fresh61's NoSQL rule (a quote then ``;``, ``||`` or
  ``&&``); ``1 || 1 ===`` (no quote closed) is left out.
- ``wave`` (Zen's attack-wave query checks, WAF-like): by the SQL rule, then the file rule.
- ``*_neg`` (the inputs the same tests assert are not flagged): the benign ``zen_negatives`` values, unless another
  test of these suites flags the same value (``whatever;``, ``$USER``), or the family's rule above reads an attack in
  them (``"; rm -rf /"``, ``"' OR 1=1 -- "``: the test's command or query
  quotes them, a request carrying them is still an attack): those are left out with a note, never counted benign.

Values already in an older split (attacks or corpus) or repeated are dropped and listed in ``sources.json``. Not
read: Zen's NoSQL tests (the inputs are objects), its IDOR, prototype pollution and bot tests (no injection values),
firewall-python/-go/-java/-php/-ruby/-dotnet (ports of the same test lists); BunkerWeb's UI and API tests send no
attack values (a ``left_out`` note).

Benign values (rules fixed before measuring). Every fixture ``fixtures/*.json`` and ``fixtures/archive/*.json`` (name
order) is a recorded Netatmo API answer: every string value not under a ``SECRET_KEYS`` key, kept by ``keep_text``,
by ``text_category`` (``netatmo_urls``, ``netatmo_prose``, ``netatmo_names``, ``netatmo_codes``; at most ``CAP`` per
category at an even stride); every answer of at most ``MAX_DOC`` characters whole as a JSON body
(``netatmo_documents``) and every object that is a list element (a station, a module, a room, an event) of at most
``MAX_DOC`` characters whole as a JSON body (``netatmo_items``, at most ``MAX_ITEMS`` at an even stride). The
``*_neg`` values the rules keep are the benign ``zen_negatives``. Values an older split holds, and values holding
``localhost``, are left out. Split name ``fresh64``.
"""

from __future__ import annotations

import ipaddress
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh64"
CAP = {"names": 600, "prose": 600, "urls": 300, "codes": 900}
MAX_DOC = 20_000
MAX_ITEMS = 700
PYATMO_LABEL = "pyatmo 9.9.1 fixtures"
HOW_READ = (
    "read through the code-search index (read_file; commit or index file id per source); the test inputs "
    "transcribed in records.txt as the tests write them (string literals, URL-encoded request values, raw lines) "
    "and decoded and sorted by build.py's classify (see its docstring)"
)
NOTES = [
    (
        "bunkerity/bunkerweb tests/ui/, tests/api/, tests/core/{antibot,whitelist,blacklist,reverseproxy,misc}",
        "no injection values: UI flows, settings, IP lists, status codes, sizes; the only attack requests are the "
        "ModSecurity and bad-behaviour tests' (read)",
    ),
    (
        "AikidoSec/firewall-node library/vulnerabilities/nosql-injection/detectNoSQLInjection.test.ts",
        "not read: the user inputs are objects ({ $ne: null }) matched against filters, not request strings",
    ),
    (
        "AikidoSec/firewall-python, firewall-go, firewall-java, firewall-php, firewall-ruby, firewall-dotnet",
        "not read: ports of the same detector test lists",
    ),
    (
        "AikidoSec/zen-internals src/js_injection/detect_js_injection_test.rs test_js_real_cve (CVE-2023-1283)",
        "a 20-line Qwik program, not transcribed",
    ),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "pyatmo 9.9.1 (PyPI sdist pyatmo-9.9.1.tar.gz), fixtures/*.json and fixtures/archive/*.json (71 "
    "recorded answers of the Netatmo API: weather stations, home coaches, thermostats, homes and rooms, cameras "
    "and events, energy measures, schedules, public weather data, error answers)",
    "licence": "MIT (PKG-INFO License-Expression: MIT; LICENSE)",
    "what": "string values of the answers by text_category, whole answers and their list-element objects as JSON "
    "bodies; the Zen tests' negative inputs the rules keep (zen_negatives)",
}

# --- reading records.txt ---------------------------------------------------------------------------------------------

_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[nrt0\"'`$\\])")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", '"': '"', "'": "'", "`": "`", "$": "$", "\\": "\\"}


def _unescape(body: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code.startswith("u{"):
            return chr(int(code[2:-1], 16))
        return chr(int(code[1:], 16)) if code[0] in "ux" else _SIMPLE[code]

    return _ESCAPE.sub(one, body)


def _literal(text: str) -> str:
    """A string literal as a test writes it: ``"..."``, ``'...'``, a template ``\\`...\\``` or a Rust ``r#"..."#``."""
    text = text.rstrip(",")
    if text.startswith('r#"') and text.endswith('"#'):
        return text[3:-2]
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'`":
        return _unescape(text[1:-1])
    raise ValueError(f"not a string literal: {text!r}")


def read_records(path: Path) -> list[dict[str, Any]]:
    """The sources of ``records.txt``, each with its decoded values (a template literal may span lines)."""
    sources: list[dict[str, Any]] = []
    kind = ""
    pending: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if pending:
            pending.append(line)
            if line.rstrip(",").endswith("`"):
                sources[-1]["values"].append(_literal("\n".join(pending)))
                pending = []
            continue
        if line.startswith("# ") or line == "#" or not line:
            continue
        if line.startswith("@@ source|"):
            _, repo, files, commit, licence, family, kind = line.split("|")
            sources.append(
                {
                    "repository": repo,
                    "files": files,
                    "commit": commit,
                    "licence": licence,
                    "family": family,
                    "values": [],
                }
            )
            continue
        if kind == "L" and line.startswith("`") and (len(line.rstrip(",")) < 2 or not line.rstrip(",").endswith("`")):
            pending = [line]
            continue
        value = _literal(line) if kind == "L" else unquote(line) if kind == "U" else line
        sources[-1]["values"].append(value)
    return sources


# --- the rules -------------------------------------------------------------------------------------------------------

SQL = re.compile(
    r"(?:['\")]|\b\d+)\s*+(?:\)\s*+)*+(?:\b(?:or|and)\b\s*+\(*\s*+['\"\w]+\s*+=|\b(?:or|and|xor)\s++\w+\s*+\(|"
    r"\bunion\s++(?:all\s++)?select\b|\border\s++by\b|--|#|/\*|"
    r";\s*+(?:drop|select|exec|waitfor|insert|update|delete|shutdown|declare)\b|(?:;\s*+)++(?:--|#|/\*))",
    re.I,
)
SQL_ANYWHERE = re.compile(
    r"['\"]\s*+\)\s*+,\s*+\(|\binformation_schema\b|\b(?:pg_)?sleep\s*+\(\s*+\d|\bwaitfor\s++delay\b|"
    r"\bselect\b[^;]*?\bfrom\s++\w",
    re.I,
)
SQL_STATEMENT = re.compile(
    r"^\s*+(?:select|insert|update|delete|create|drop|copy|alter)\b.*?(?:\b(?:from|table|into)\s++\w|\w\s*+\(|;\s*+$)",
    re.I | re.S,
)
NOSQL = re.compile(
    r"\$(?:gte?|lte?|ne|n?in|where|regex|or|and|not|nor|expr)\b|['\"]\s*+(?:;|\|\||&&)|this\.constructor\.constructor|"
    r"\bdb\.\w+\.(?:find|drop|remove|insert)\b"
)
COMMAND_WORDS = (
    r"(?:rm|ls|cat|echo|grep|curl|wget|sleep|touch|mv|cp|chmod|chown|kill|killall|id|whoami|uname|ping|nc|bash|sh|"
    r"shutdown|reboot|ifconfig)"
)
CMD = re.compile(
    r"(?:[;&|\n\r]|['\"]\s*+;)\s*+(?:/bin/)?" + COMMAND_WORDS + r"\b|\$\([^)]*+\)|`[^`]++`|"
    r"(?:^|\s)>>?\s*+/\w|\bfor\s*+\(\(",
    re.I,
)
CMD_LINE = re.compile(r"^\s*+" + COMMAND_WORDS + r"\s++\S", re.I)
BIN_PATH = re.compile(r"^(?:/+|(?:\.\./)++|/\.\./|/\./)(?:usr/)?bin/\w", re.I)
TRAVERSAL = re.compile(r"(?:\.\.[/\\]){2,}")
CLIMB_TO_SYSTEM = re.compile(r"(?:\.\.[/\\]|/\./)(?:\./)*(?:etc|root|proc|bin|usr|var|home|windows)\b", re.I)
SENSITIVE = re.compile(r"^/etc/(?:passwd|shadow|group|hosts)$|/\.aws/credentials|/\.ssh/")
JS_CODE = re.compile(
    r"['\"\]})]\s*+[)}\]]*+\s*+(?:;|,|\|\||&&).*?(?:\w\s*+\(|//)|;\s*+[\w.]+\s*+\(",
    re.S,
)
DIALOG = re.compile(r"\b(?:alert|prompt|confirm)\s*+\(")
XSS = re.compile(r"<\s*+/?\s*+script|\bon[a-z]+\s*+=|javascript:", re.I)


def _internal_host(host: str) -> bool:
    host = host.lower().strip("[]")
    if host in ("localhost", "0") or host.endswith((".localhost", ".internal", ".local")):
        return True
    try:
        if host.isdigit():
            addr = ipaddress.ip_address(int(host))
        elif re.fullmatch(r"\d+(?:\.\d+){1,2}", host):  # short dotted forms: 127.1, 127.0.1
            head, *rest = host.split(".")
            mid = rest[:-1]
            addr = ipaddress.ip_address(".".join([head, *mid, *["0"] * (2 - len(mid)), rest[-1]]))
        else:
            addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    return addr.is_loopback or addr.is_private or addr.is_link_local or addr.is_unspecified


def _ssrf(value: str) -> str:
    m = re.match(r"^([a-z][a-z0-9+.-]*):/{0,2}(\[[^\]]*\]|[^/:?#]+)", value, re.I)
    if m is None:
        return "a bare host or path without a scheme: no URL"
    if _internal_host(m.group(2)):
        return ""
    return "a public host: nothing in the URL is internal"


def _sql(value: str) -> str:
    if SQL.search(value) or SQL_ANYWHERE.search(value) or SQL_STATEMENT.search(value):
        return ""
    return (
        "no clause, comment, statement or sleep after a quote or number: prose with an SQL word, a lone quote or "
        "comment opener, a call of an unknown function, SQL words alone or a placeholder list"
    )


def _command(value: str) -> str:
    if CMD.search(value) or CMD_LINE.search(value) or BIN_PATH.search(value):
        return ""
    return "no command runs: a lone command word, a variable or ~ expansion, a trailing metacharacter or quoted words"


def _file(value: str) -> str:
    if TRAVERSAL.search(value) or CLIMB_TO_SYSTEM.search(value) or SENSITIVE.search(value):
        return ""
    return "a single climb with no target, or an absolute path naming no system directory or sensitive file"


def _js(value: str) -> tuple[str, str]:
    if JS_CODE.search(value):
        return "ssti", ""
    if DIALOG.search(value):
        return "xss", ""
    return "", "no literal closed and no statement or call after it: arithmetic or a list"


def _bw(value: str) -> tuple[str, str]:
    if not _sql(value):
        return "sqli", ""
    if XSS.search(value):
        return "xss", ""
    if not _file(value):
        return "traversal", ""
    return "", "a route a scanner probes (CrowdSec AppSec's test path): no injection"


def _wave(value: str) -> tuple[str, str]:
    if not _sql(value):
        return "sqli", ""
    if not _file(value):
        return "traversal", ""
    return "", "no SQL or path shape"


RULES: dict[str, Any] = {
    "sql": lambda v: ("sqli", _sql(v)),
    "command": lambda v: ("cmdi", _command(v)),
    "file": lambda v: ("traversal", _file(v)),
    "ssrf": lambda v: ("ssrf", _ssrf(v)),
    "mongo_js": lambda v: ("nosqli", "" if NOSQL.search(v) else "no quote closed before the JavaScript operator"),
    "js": _js,
    "bw": _bw,
    "wave": _wave,
}


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("zen_negatives", "") for a benign negative; ("", why) for a value left out."""
    negative = family.endswith("_neg")
    cls, why = RULES[family.removesuffix("_neg")](value)
    if negative:
        if why:
            return "zen_negatives", ""
        return "", f"a negative of the test (its command or query quotes it) with the shape of a {cls} attack"
    return (cls, "") if not why else ("", why)


def attack_records() -> tuple[list[dict[str, Any]], list[dict[str, str]], list[dict[str, str]]]:
    """The sources with their classified values, the values left out, and the test negatives kept as benign."""
    sources = read_records(HERE / "records.txt")
    dropped = [{"repository": what, "left_out": what, "why": why} for what, why in NOTES]
    positives = {v for src in sources if not src["family"].endswith("_neg") for v in src["values"]}
    negatives: list[dict[str, str]] = []
    kept: list[dict[str, Any]] = []
    for src in sources:
        where = f"{src['repository']} {src['files']}"
        classified = []
        for value in src.pop("values"):
            cls, why = classify(src["family"], value)
            if cls == "zen_negatives" and value in positives:
                why = "a negative of one test that another test of these suites flags as an attack: not counted benign"
                dropped.append({"repository": src["repository"], "left_out": f"{src['files']}: {value!r}", "why": why})
            elif cls == "zen_negatives":
                negatives.append({"value": value, "source": where})
            elif cls:
                classified.append((cls, value))
            else:
                dropped.append({"repository": src["repository"], "left_out": f"{src['files']}: {value!r}", "why": why})
        src["values"] = classified
        if not src["family"].endswith("_neg"):
            kept.append(src)
    return kept, dropped, negatives


# --- benign: the Netatmo fixtures ----------------------------------------------------------------------------------


def netatmo(root: Path, older: set[str]) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    documents: list[dict[str, str]] = []
    items: list[dict[str, str]] = []
    seen = set(older)
    paths = sorted((root / "fixtures").glob("*.json")) + sorted((root / "fixtures/archive").glob("*.json"))
    for path in paths:
        rel = str(path.relative_to(root))
        doc = json.loads(path.read_text(encoding="utf-8"))
        sc.collect_strings(found, seen, PYATMO_LABEL, rel, doc)
        text = json.dumps(doc, ensure_ascii=False)
        if len(text) <= MAX_DOC and text not in seen and "localhost" not in text:
            seen.add(text)
            documents.append({"value": text, "source": f"{PYATMO_LABEL} {rel} (whole answer)"})
        elements: list[Any] = []
        sc.list_items(doc, elements)
        for i, element in enumerate(elements):
            text = json.dumps(element, ensure_ascii=False)
            if len(text) <= MAX_DOC and text not in seen and "localhost" not in text:
                seen.add(text)
                items.append({"value": text, "source": f"{PYATMO_LABEL} {rel} (list element {i})"})
    out = {f"netatmo_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["netatmo_documents"] = documents
    out["netatmo_items"] = sc.even(items, MAX_ITEMS)
    return out


def extract(pyatmo_root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist."""
    sources, dropped, negatives = attack_records()
    older = sc.older_benign(HERE)
    benign = netatmo(pyatmo_root, older)
    seen: set[str] = set()
    kept = []
    for entry in negatives:
        value = entry["value"]
        if value.strip() in older or value in seen or not value.strip():
            continue
        seen.add(value)
        kept.append(entry)
    benign["zen_negatives"] = kept
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(
        HERE,
        SPLIT,
        (("netatmo_documents", "documents", "json"), ("netatmo_items", "items", "json")),
    )
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
