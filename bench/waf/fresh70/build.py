"""fresh70: the example attack values of the OWASP community pages (OWASP/www-community: pages/attacks and
pages/vulnerabilities: SQL injection, blind SQL injection and the WAF bypass sheet, the XSS pages and RSnake's XSS
filter evasion cheat sheet, command, code, function and eval injection, SSI, XPath and blind XPath, HTTP response
splitting, log injection, cache poisoning, cross-user defacement, path traversal, null-byte and Unicode encodings,
resource injection, SSRF, XXE, expression language, PHP object injection, format strings, CSV and RSQL injection),
against recorded answers of real services: Home Assistant's test fixtures of 14 integrations whose names start with
d to h (elgato, habitica, environment_canada, home_connect, fully_kiosk, evohome, freebox, google_photos,
epic_games_store, homewizard, fronius, ecovacs, homee, husqvarna_automower).

    python bench/waf/fresh70/build.py                          # writes corpus.jsonl
    python bench/waf/fresh70/build.py --extract HA_FIXTURES    # re-selects the values first

``HA_FIXTURES`` is a folder holding the fixture files read from ``home-assistant/core``
``tests/components/<integration>/fixtures/`` through the code-search index (read_file), laid out as
``<integration>/<path under fixtures>``, with a ``COMMITS`` file of ``<integration>/<path>|<commit>`` lines (the
commit read_file returned for each; ``sources.json`` lists them). A few repetitive files were transcribed with
their repeated sub-objects built in a loop; every value is the file's own.

Attack payloads (what was read, and how). The pages were read through the code-search index (read_file; commit and
index file id per page); the values are transcribed in ``records.txt`` as the page writes them, one ``@@ source``
line per page section (repository, file and section, commit and index file id, licence CC-BY-SA-4.0, family,
kind): kind ``R`` the value as written (markdown code-span backticks, backslash escapes and the wiki migration's link
artifacts removed; a value the page wraps over lines joined), ``Q`` a query-string value of one of the page's URLs
decoded once with ``unquote_plus`` (as the application receives it; a URL's parameters are split as the server
splits them, so an HTTP parameter pollution or fragmentation example gives one value per parameter), ``U`` decoded
once with ``unquote``, ``J`` a JSON string literal (multi-line values, control characters).
``mbarzanti/www-community`` was checked: in the index it is another project (Java/SQL/shell samples) with no
``pages/`` folder, so nothing of it is counted.

Each value is sorted by its family's rule (``classify``; rules fixed before measuring). fresh61's rules (its
``RULES``) and fresh68's SQL additions, with these additions:

- ``sql``: also ``sqli`` when, after MySQL comments are read as spaces (``/*...*/``, ``#`` and ``--`` to the line
  end; a ``/*!`` version comment keeps its content), ``UNION [ALL|DISTINCT|DISTINCTROW] SELECT`` remains; a time
  function (``sleep(``, ``benchmark(``, ``waitfor delay``); a parenthesised sub-select; ``@@version``,
  ``information_schema.``, a ``concat``/``hex``/``unhex`` of ``version()``, ``table_name``, ``column_name`` or
  ``table_schema``; a statement separator before ``drop``/``delete``/``truncate``/``insert``/``update``; a string
  function (``substring``, ``substr``, ``mid``, ``strcmp``, ``ascii``, ``ord``, ``left``) compared with ``=``, ``<``
  or ``>``; a boolean fragment ``and|or`` followed by a comparison (``=``, ``<``, ``>``, ``<>``, ``<=>``,
  ``is [not] null``). Left out: bare ``and 1`` / ``or 1``, a keyword split by a nested copy or a vertical tab or an
  asterisk (``UNunionION``, ``uni%0bon``, ``uni*on``: SQL only after the application's own stripping filter),
  misspelled or double-encoded keywords, lone quotes, HPP/HPF fragments that hold no SQL by themselves, the page's
  misspelled ``'WAIT FOR DELAY '0:0:10''``.
- ``xss``: also ``xss`` when, after HTML character references (named ones too: ``&colon;``, ``&lpar;``) and
  JavaScript escapes (``\\u0065``, ``\\x28``, ``\\145``) or, separately, CSS escapes (``\\0075``, ``\\j``) are
  decoded and whitespace, control characters and typographic quotes removed, it holds a ``javascript:``,
  ``vbscript:`` or ``livescript:`` URL, ``expression(``, a call of ``alert``/``prompt``/``confirm``/``eval``, a
  reference to ``alert``/``prompt``/``confirm`` in a value that calls something (``a=alert,a(1)``), ``-moz-binding``,
  ``behavior:url``, a ``data:text/html`` or ``data:image/svg+xml`` URL, or a computed global call ``top[...](``.
  Left out: markup with no script (links to public hosts, an ``<input>``, a remote stylesheet, a scriptlet
  ``<OBJECT>``, the HTML injection login form of Content Spoofing), ``<!--``, the bare ``document.cookie``.
- ``code`` (code, eval and function injection, log poisoning, the SSRF page's uploaded shell): ``cmdi`` when a PHP
  tag (``<?``) opens code or a PHP call of ``phpinfo``, ``system``, ``passthru``, ``exec``, ``shell_exec``,
  ``popen``, ``proc_open``, ``eval``, ``assert``, ``include`` or ``require`` follows a separator, a tag or a quote.
  Left out: public URLs (remote file inclusion: only the application's ``include()`` makes them code) and bare
  function names or words (``phpinfo``, ``system``, ``ls`` as separate parameters).
- ``command``: fresh61's ``CMD`` or a separator followed by ``rm``, ``wget``, ``curl``, ``nc``, ``bash``, ``sh``.
- ``ssi``: ``cmdi`` when it holds a server-side include directive (``<!--#exec``, ``#include``, ``#echo``,
  ``#config``, ``#fsize``, ``#flastmod``, ``#printenv``, ``#set``). Left out: the host-and-path URL.
- ``phpobject`` (serialized PHP objects): ``traversal`` when a property climbs (``../`` twice), ``cmdi`` when a
  property holds a PHP call (the ``code`` rule).
- ``xpath``: ``xpathi`` when a quote closes a string and ``or``/``and`` follows with a comparison or call, or a
  predicate or union follows (fresh68); or the value is an XPath expression over an absolute node path with a
  predicate or axis (``//user[position()=1]``, ``child::node()``).
- ``crlf``: also when a CR/LF is followed by a header name and a colon without a space (``Content-Length:45``).
- ``file``: ``traversal`` when ``../`` or ``..\\`` climbs at least twice. Left out: one-step notations, absolute
  paths, NUL truncations of an absolute path or file name, double-encoded or invalid byte sequences, public URLs.
- ``ssrf``: fresh61's rule, and a UNC path (``\\\\host\\share``) to an internal host.
- ``el`` (expression language): ``ssti`` by fresh61's ``TEMPLATE`` or a SpEL type reference ``T(java...)``.
- ``rsql``, ``format``, ``csv``: left out (an RSQL filter the API itself evaluates, printf format strings, spreadsheet
  formulas: no class of ours).

Left out without a record (``NOTES``): pure prose, the pseudo-code of the vulnerable applications and the resulting
SQL/XPath statements (including the WAF page's 11 ``select user from mysql.user ...`` notations and its
``UPDATE``/``select`` examples), the LDAP page (no values), the CRLF page (no values), the filter evasion sheet's
event handler names and its 70 notations of a lone ``<`` (``%3C``, ``&lt``, ``&#60`` ... ``\\u003c``), its
``.htaccess`` line and the EMBED line the migration merged with prose, the shell injection syntax templates of the
eval page (``$(command)``, ``| command`` ...), Full Path Disclosure's ``javascript:void(document.cookie=...)`` (typed
into the attacker's own address bar) and ``page[]=about``, DOM XSS's fragment placeholder, safe inputs the pages
show (``Jane Smith``, ``twenty-one``, ``report.pdf``, ``French``, ``Hello World``). Values already in an older split
(attacks or corpus) or repeated are dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring). Every fixture of ``COMMITS`` (path order): every string value, kept by
``keep_text``, by ``text_category`` (``hass_urls``, ``hass_prose``, ``hass_names``, ``hass_codes``; at most ``CAP``
per category at an even stride); each fixture of at most ``MAX_DOC`` characters whole as a JSON body
(``hass_documents``). Left out (counted in ``sources.json``): values under a secret-like key (``SECRET_KEY``:
passwords, PINs, tokens, licence and Wi-Fi keys, serials, MAC addresses; ``key`` itself is kept: Home Connect and the
Epic store name settings with it), values that are, or are URLs of, private, loopback or link-local addresses or
``.local`` names (``PRIVATE``: an SSRF guard rightly refuses those in URL fields), and whole fixtures holding either.
Values an older split holds are left out. Split name ``fresh70``.
"""

from __future__ import annotations

import html
import ipaddress
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

f61 = sc.load_build("fresh61")  # fresh61's rules, reused unchanged
f68 = sc.load_build("fresh68")  # fresh68's SQL and XPath additions

SPLIT = "fresh70"
CAP = {"names": 700, "prose": 600, "urls": 300, "codes": 900}
MAX_DOC = 20_000
LABEL = "home-assistant/core tests/components"
HOW_READ = (
    "read through the code-search index (read_file; commit and index file id per page); the values transcribed in "
    "records.txt as the page writes them (raw, query values decoded once, JSON literals) and decoded and sorted by "
    "build.py's classify (see its docstring)"
)
NOTES = [
    (
        "mbarzanti/www-community",
        "another project under the same name in the index (Java/SQL/shell samples); no pages/ folder: nothing counted",
    ),
    ("OWASP/www-community pages/attacks/LDAP_Injection.md, pages/vulnerabilities/CRLF_Injection.md", "no values"),
    (
        "OWASP/www-community pseudo-code and resulting statements",
        "the vulnerable applications' code and the SQL/XPath statements they build (SQL_Injection_Bypassing_WAF.md's "
        "11 'select user from mysql.user ...' notations, UPDATE/select examples; Blind_SQL_Injection.md's SELECT "
        "IF(expression, true, false); the RSQL page's table of legitimate operators): not values a client sends",
    ),
    (
        "OWASP/www-community pages/attacks/XSS_Filter_Evasion_Cheat_Sheet.md character escape sequences and events",
        "70 notations of a lone '<' and 105 event handler names: no injection by themselves; the .htaccess Redirect "
        "line and the EMBED line merged with the page's prose by the wiki migration",
    ),
    (
        "OWASP/www-community pages/attacks/Direct_Dynamic_Code_Evaluation_Eval_Injection.md Example 5",
        "shell syntax templates with the placeholder word 'command' ($(command), | command, > file ...)",
    ),
    (
        "OWASP/www-community pages/attacks/Full_Path_Disclosure.md, DOM_Based_XSS.md",
        "javascript:void(document.cookie=...) typed into the attacker's own address bar, page[]=about (an array "
        "parameter), the PDF fragment placeholder javascript:attackers_script_here (never sent to the server)",
    ),
    (
        "OWASP/www-community safe inputs",
        "the pages' legitimate examples: Jane Smith, twenty-one, Newman, report.pdf, French, contact.php, Hello World",
    ),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "home-assistant/core tests/components/<integration>/fixtures (Apache-2.0), read through the "
    "code-search index (read_file); the recorded answers of the devices and services of 14 integrations "
    "(d to h): elgato, habitica, environment_canada, home_connect, fully_kiosk, evohome, freebox, google_photos, "
    "epic_games_store, homewizard, fronius, ecovacs, homee, husqvarna_automower",
    "licence": "Apache-2.0 (home-assistant/core LICENSE.md); the texts are the services' own",
    "what": "string values of the recorded JSON answers by text_category, whole answers as JSON bodies",
}

# --- reading records.txt ---------------------------------------------------------------------------------------------


def _decode(kind: str, line: str) -> str:
    """A value as ``records.txt`` holds it: ``R`` raw, ``Q`` a query value, ``U`` percent-encoded, ``J`` JSON."""
    if kind == "R":
        return line
    if kind == "Q":
        return unquote_plus(line)
    if kind == "U":
        return unquote(line)
    return str(json.loads(line))


# --- the rules -------------------------------------------------------------------------------------------------------

_SQL_COMMENT = re.compile(r"/\*.*?\*/|#[^\n]*|--[^\n]*", re.S)
UNION_SELECT = re.compile(r"\bunion\s*+(?:all\b|distinct(?:row)?\b)?\s*+\(*\s*+select\b", re.I)
SQL_EXTRA = re.compile(
    r"\b(?:sleep|benchmark)\s*+\(|\bwaitfor\s++delay\b|\(\s*+select\b|@@version|\binformation_schema\.|"
    r"\b(?:concat|hex|unhex)\s*+\(.*?(?:@@version|version\s*+\(\)|table_name|column_name|table_schema)|"
    r";\s*+(?:drop|delete|truncate|insert|update)\b|"
    r"\b(?:substring|substr|mid|strcmp|ascii|ord|left)\s*+\(.*\)\s*+(?:=|<|>)|"
    r"^\s*+(?:and|or)\s++\S+?\s*+(?:<=>|<>|<=|>=|=|<|>|\bis\s++(?:not\s++)?null\b)",
    re.I | re.S,
)


def _sql_flat(value: str) -> str:
    """``value`` with MySQL comments read as spaces; a ``/*!`` version comment keeps its content."""
    opened = re.sub(r"/\*!\d*", " ", value)
    return _SQL_COMMENT.sub(" ", opened).replace("*/", " ")


def _sql(value: str) -> str:
    if f61.SQL.search(value) or f68.SQL_MORE.search(value) or SQL_EXTRA.search(value):
        return ""
    if UNION_SELECT.search(_sql_flat(value)):
        return ""
    return "no clause, statement, function or UNION SELECT (a lone quote, a bare truth value, a split keyword)"


_JS_ESCAPE = re.compile(r"\\u([0-9a-f]{4})|\\x([0-9a-f]{2})|\\([0-7]{1,3})|\\(?=[a-z])", re.I)
_CSS_ESCAPE = re.compile(r"\\([0-9a-f]{1,6})\s?|\\(?=[g-z])", re.I)


def _unescape_js(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        u, x, octal = m.groups()
        if u or x:
            return chr(int(u or x, 16))
        return chr(int(octal, 8)) if octal else ""

    return _JS_ESCAPE.sub(one, text)


def _unescape_css(text: str) -> str:
    return _CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else "", text)


XSS_FLAT = re.compile(
    r"(?:java|vb|live)script:|expression\(|(?<![a-z])(?:alert|prompt|confirm|eval)\)?\(|-moz-binding|behavior:url|"
    r"data:(?:text/html|image/svg\+xml)|\btop\[.*\]\(",
    re.I,
)
DIALOG = re.compile(r"(?<![a-z])(?:alert|prompt|confirm)(?![a-z])", re.I)


def _xss(value: str) -> str:
    why: str = f61._xss(value)
    if not why or why.startswith("HTML-escaped"):
        return why
    text = html.unescape(html.unescape(value))
    for flat in (_unescape_js(text), _unescape_css(text)):
        flat = re.sub(r"[\s\x00-\x1f“”‘’]+", "", flat)
        if XSS_FLAT.search(flat) or (DIALOG.search(flat) and "(" in flat):
            return ""
    return why


CODE = re.compile(
    r"<\?(?:php\b|=|\s|[a-z]+\s*\()|(?:^|[;|&)'\"\s>])\s*(?:phpinfo|system|passthru|shell_exec|exec|popen|proc_open|"
    r"eval|assert|include|require)\s*\(",
    re.I,
)
CMD_MORE = re.compile(r"(?:^|[;&|\n\r`])\s*+(?:/\w+/)*(?:rm|wget|curl|nc|bash|sh)\b")
SSI = re.compile(r"<!--\s*#\s*(?:exec|include|echo|config|fsize|flastmod|printenv|set)\b", re.I)
XPATH_MORE = re.compile(r"'\s*+(?:or|and)\s++[^=]*=|//\w+\[|\bchild::node\(\)", re.I)
CRLF_MORE = re.compile(r"[\r\n][A-Za-z][\w-]*:")
TRAVERSAL = re.compile(r"(?:\.\.[/\\]){2,}")
SPEL = re.compile(r"\bT\(\s*java\.[\w.]+\)\.")
UNC = re.compile(r"^\\\\([^\\/]+)\\")


def _ssrf(value: str) -> str:
    m = UNC.match(value)
    if m and f61._internal_host(m.group(1)):
        return ""
    why: str = f61._ssrf(value)
    return why


def _code(value: str) -> str:
    return "" if CODE.search(value) else "a public URL or a bare function name: no code"


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("", why) for a value left out."""
    if family in ("rsql", "format", "csv"):
        return "", "an RSQL filter, a format string or a spreadsheet formula: no class of ours"
    rules: dict[str, tuple[str, Any]] = {
        "sql": ("sqli", _sql),
        "xss": ("xss", _xss),
        "code": ("cmdi", _code),
        "command": (
            "cmdi",
            lambda v: "" if f61.CMD.search(v) or CMD_MORE.search(v) else "no OS command after a separator",
        ),
        "ssi": ("cmdi", lambda v: "" if SSI.search(v) else "no server-side include directive"),
        "xpath": (
            "xpathi",
            lambda v: "" if f68.XPATH.search(v) or XPATH_MORE.search(v) else "no predicate, boolean or node path",
        ),
        "crlf": ("crlf", lambda v: "" if f61.CRLF.search(v) or CRLF_MORE.search(v) else "no header after a CR/LF"),
        "file": ("traversal", lambda v: "" if TRAVERSAL.search(v) else "an absolute path or one step; nothing climbs"),
        "ssrf": ("ssrf", _ssrf),
        "el": ("ssti", lambda v: "" if f61.TEMPLATE.search(v) or SPEL.search(v) else "no expression"),
        "xxe": f61.RULES["xxe"],
    }
    if family == "phpobject":
        if TRAVERSAL.search(value):
            return "traversal", ""
        return ("cmdi", "") if CODE.search(value) else ("", "no property that climbs or calls")
    cls, rule = rules[family]
    why: str = rule(value)
    return (cls, "") if not why else ("", why)


def attack_records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The sources with their classified values, and the values left out."""
    sources = sc.read_family_records(HERE / "records.txt", _decode)
    dropped = [{"repository": what, "left_out": what, "why": why} for what, why in NOTES]
    for src in sources:
        classified = []
        for value in src.pop("values"):
            cls, why = classify(src["family"], value)
            if cls:
                classified.append((cls, value))
            else:
                dropped.append({"repository": src["repository"], "left_out": f"{src['files']}: {value!r}", "why": why})
        src["values"] = classified
    return sources, dropped


# --- benign: the Home Assistant fixtures ---------------------------------------------------------------------------

SECRET_KEY = re.compile(
    r"password|passwd|pin$|token|secret|licen[cs]ekey|wifikey|api_?key|serial|^mac$|authori[sz]ation|cookie", re.I
)


def _private(text: str) -> bool:
    """A private, loopback or link-local address, or a URL of one or of a ``.local`` name."""
    host = text.split("%", 1)[0]
    if "://" in text:
        try:
            host = urlsplit(text).hostname or ""
        except ValueError:
            return False
        if host.endswith((".local", ".localhost")) or host == "localhost":
            return True
    try:
        addr = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return addr.is_private or addr.is_loopback or addr.is_link_local


def _walk(node: Any, key: str, out: list[tuple[str, str]]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            _walk(v, k, out)
    elif isinstance(node, list):
        for v in node:
            _walk(v, key, out)
    elif isinstance(node, str):
        out.append((key, node))


def hass(root: Path, older: set[str]) -> tuple[dict[str, list[dict[str, str]]], dict[str, Any]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    documents: list[dict[str, str]] = []
    seen = set(older)
    files: list[dict[str, str]] = []
    left = {"secret_values": 0, "private_address_values": 0, "documents_with_secret_or_private": 0}
    for line in sorted((root / "COMMITS").read_text().split("\n")):
        if not line:
            continue
        rel, commit = line.split("|")
        integration, path = rel.split("/", 1)
        files.append({"file": f"tests/components/{integration}/fixtures/{path}", "commit": commit})
        doc = json.loads((root / rel).read_text(encoding="utf-8"))
        strings: list[tuple[str, str]] = []
        _walk(doc, "", strings)
        tainted = False
        for key, text in strings:
            text = text.strip()
            if SECRET_KEY.search(key) and text:
                left["secret_values"] += 1
                tainted = True
                continue
            if _private(text):
                left["private_address_values"] += 1
                tainted = True
                continue
            if text in seen or not sc.keep_text(text):
                continue
            seen.add(text)
            found[sc.text_category(text)].append(
                {"value": text, "source": f"{LABEL}/{integration}/fixtures/{path}: {key}"}
            )
        body = json.dumps(doc, ensure_ascii=False)
        if tainted:
            left["documents_with_secret_or_private"] += 1
        elif len(body) <= MAX_DOC and body not in seen:
            seen.add(body)
            documents.append({"value": body, "source": f"{LABEL}/{integration}/fixtures/{path} body"})
    out = {f"hass_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["hass_documents"] = documents
    return out, {"files": files, "left_out": left}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the fixture folder."""
    sources, dropped = attack_records()
    benign, meta = hass(root, sc.older_benign(HERE))
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, {**BENIGN_SOURCES, **meta})


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(HERE, SPLIT, (("hass_documents", "documents", "json"),))
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
