"""fresh65: the inputs application-security libraries feed their own tests (terrylinooo/shieldon's XSS bypass list and
filter tests, voku/anti-xss's XSS vectors, AikidoSec/firewall-node's path-traversal, shell- and SQL-injection
detector tests), against the recorded GitHub webhook deliveries of ``@octokit/webhooks-examples`` 7.6.1 (npm, MIT).

    python bench/waf/fresh65/build.py                       # writes corpus.jsonl
    python bench/waf/fresh65/build.py --extract EXAMPLES    # re-selects the values first

``EXAMPLES`` is the unpacked npm tarball ``octokit-webhooks-examples-7.6.1.tgz`` (the ``package`` folder, holding
``api.github.com/index.json``).

Attack payloads (what was read, and how). The test files were read through the code-search index (read_file, commit
per source) and their inputs transcribed in ``records.txt`` as the test source writes them, one ``@@ source`` line
per list (repository, file and test, commit, licence, the library's family, what the test asserts, the literal kind):
kind ``J`` a JSON string literal (raw text-file lines, values holding real tabs or line breaks), ``P`` a PHP
expression of single-/double-quoted literals joined by ``.`` (``chr(N)`` allowed; decoded as PHP does), ``S`` a
TypeScript string literal, ``U`` a TypeScript literal of a URL path decoded once with ``unquote`` (the application
receives it decoded). Only inputs the test asserts the library changes, blocks or flags (``attack``) can be attacks;
inputs the test asserts are left alone (``clean``) become the benign category ``lib_negatives`` unless the family
rule below calls them attacks (then they are left out: a detector that only sees the value cannot know the query or
command the library's test builds around it). Each ``attack`` value is sorted by its family's rule (``classify``;
rules fixed before measuring):

- ``xss`` (shieldon, anti-xss): ``xss`` when, in the value as written or after ``flatten`` (character references
  decoded twice, ``%xx`` decoded once, NFKC, UTF-7 ``+ADw-``/``+AD4-``, ``¼``/``¾`` read as 7-bit ``<``/``>``, CSS
  ``\\hex`` escapes decoded, CSS comments, backslashes, whitespace and control characters removed), it holds a script
  element (``<script``, ``</script``), an event-handler attribute (``on…=``, ``on…!``, ``fscommand=``,
  ``seekSegmentTime=``, ``ev:handler=``), a script URL (``javascript:``, ``vbscript:``, ``livescript:``,
  ``jscript:``, ``mocha:``, ``data:text/html``), a ``base64,`` payload that decodes to a script element or handler, a
  CSS ``expression(``, ``-moz-binding`` or ``behavior:``, a frame, embed, object or applet loading a document or
  code (``src``/``data``/``code``/``srcdoc``), a ``<base href``, an HTML import (``rel=import``), or a call of
  ``alert``/``prompt``/``confirm``/``eval``/``execScript``/``msgbox``/``setTimeout``/``setInterval``/
  ``document.write`` (``(`` or a template backquote) (a JavaScript-context break-out) (``_xss``). Left out:
  HTML-escaped markup, markup with no active content (``<input>``, ``<meta>``, ``<style>`` rules, remote style
  sheets, ``<form>`` fields), ``view-source:``/``jar:``/``applescript:`` links, an escaped ``<!ENTITY`` DOCTYPE, PHP
  code (``<?php``: no class of ours), a word in an attribute value (``ads="onClick();"``).
- ``traversal`` (Aikido path traversal): ``traversal`` when, after dropping tab/CR/LF (URL parsers drop them), a
  ``..`` segment bounded by ``/`` or ``\\`` climbs out of a path (``../x``, ``/abc/..``, ``C:\\up\\..``), or the
  value is an absolute path into a system location (``/etc/<name>``, ``/root``, ``/proc/``, ``/sys/``, a ``.aws`` or
  ``.ssh`` folder) or starts with ``/./`` (the bypass) (``_traversal``). Left out: a lone ``..`` (no path), absolute
  paths inside an application's own tree (``/var/a``, ``/app/config``, ``/Users/user/``, ``/home/user/``): Aikido
  flags these only against the file path the application reaches.
- ``cmdi`` (Aikido shell injection): ``cmdi`` when a shell separator or line break (``;``, ``&``, ``|``, LF, CR) is
  followed by a command word, a ``$(…)`` or backquoted substitution holds a command word, or ``>``/``>>`` redirects
  into an absolute path (``CMD``). Left out: bare commands (``rm -rf``, ``/usr/bin/kill``, ``sleep 10 &``; fresh59
  did the same), variables and globs (``$USER``, ``${array[@]}``, ``~``), a lone separator or metacharacter
  (``whatever;``, ``:|``).
- ``sqli`` (Aikido SQL injection): ``sqli`` when a quote (``'``, ``"``, backquote, a Postgres ``$tag$``), a closing
  parenthesis or a number is followed by a boolean clause, ``UNION SELECT``, ``ORDER BY``, a comment (``--``, ``#``,
  ``/*``) or a statement separator opening a statement (``SQL``). Left out: function calls, operators, casts and
  ``SET``/``VACUUM`` fragments with no such break-out (Aikido flags them only against the query they land in), a
  comment alone, values holding a lone UTF-16 surrogate (not valid UTF-8: no request can carry them).

Values already in an older split (attacks or corpus) or repeated are dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring). ``api.github.com/index.json`` of the npm tarball: the ``examples`` of
every webhook event (recorded deliveries contributed by users; the events' schema descriptions are not read); every
string value not under a ``SECRET_KEYS`` key, kept by ``keep_text``, by ``text_category`` (``webhooks_urls``,
``webhooks_prose``, ``webhooks_names``, ``webhooks_codes``; at most ``CAP`` per category at an even stride); each
example of at most ``MAX_DOC`` characters whole as a JSON body (``webhooks_documents``, at most ``MAX_DOCS``); and the
``lib_negatives`` above. Values an older split holds, and values holding ``localhost``, are left out. Split name
``fresh65``.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh65"
CAP = {"names": 700, "prose": 500, "urls": 400, "codes": 700}
MAX_DOC = 20_000
MAX_DOCS = 400
EXAMPLES_LABEL = "@octokit/webhooks-examples 7.6.1 api.github.com/index.json"
HOW_READ = (
    "read through the code-search index (read_file; commit per source); the test inputs transcribed in records.txt "
    "as the test source writes them (JSON, PHP and TypeScript literals) and decoded and sorted by build.py's "
    "classify (see its docstring)"
)
NOTES = [
    (
        "voku/anti-xss tests/XssTest.php (178a845)",
        "not transcribed: test_no_xss_url_with_json's 5.6 KB URL, testXssClean after '<IMG SRC=java%00script:...' "
        "(offset 48,000 of 129,054 characters), testJavaScriptCleaning's 95 '<img onX=\"someFunction()\">' handler "
        "variants (one shape) and the Drupal cases (time)",
    ),
    (
        "voku/anti-xss tests/DOMPurifyTest.php, tests/JsXssTest.php",
        "not read: their vectors are DOMPurify's and js-xss's own fixtures, read by the test from JSON files",
    ),
    (
        "terrylinooo/shieldon tests/XssBypass/test_sample*.jpg",
        "the EXIF Software strings of the sample images were taken from XssTest.php's assertions, not the images",
    ),
    (
        "AikidoSec/firewall-node library/vulnerabilities/ssrf/",
        "not read: private addresses without a URL (fresh51 read such lists)",
    ),
    (
        "AikidoSec/firewall-node library/vulnerabilities/sql-injection/payloads/*.txt",
        "not read: payloadbox lists (fresh7 read them); the test asserts them safe only when escaped",
    ),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "@octokit/webhooks-examples 7.6.1 (npm, octokit-webhooks-examples-7.6.1.tgz), api.github.com/index.json "
    "(58 webhook events, each with its recorded example deliveries)",
    "licence": "MIT (package.json); the payloads are deliveries GitHub sent for test repositories, contributed by "
    "users",
    "what": "string values of the example payloads by text_category, examples whole as JSON bodies; lib_negatives: the "
    "inputs the libraries' tests assert are clean (records.txt, 'clean' lists) that no rule here calls attacks",
    "note": "GitHub's REST answers were read before (fresh8 @octokit/fixtures, fresh16, fresh18); these webhook "
    "deliveries are another recording; values an older split holds are left out",
}

# --- reading records.txt ---------------------------------------------------------------------------------------------

_PHP_DQ = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|u\{[0-9a-fA-F]+\}|[ntrvef\\$\"])")
_PHP_SIMPLE = {"n": b"\n", "t": b"\t", "r": b"\r", "v": b"\v", "e": b"\x1b", "f": b"\f", "\\": b"\\", "$": b"$",
               '"': b'"'}


def _php_double(body: str) -> bytes:
    out = bytearray()
    pos = 0
    for m in _PHP_DQ.finditer(body):
        out += body[pos:m.start()].encode("utf-8")
        code = m.group(1)
        if code[0] == "x":
            out.append(int(code[1:], 16))
        elif code[0] == "u":
            out += chr(int(code[2:-1], 16)).encode("utf-8")
        elif code[0] in "01234567":
            out.append(int(code, 8) & 0xFF)
        else:
            out += _PHP_SIMPLE[code]
        pos = m.end()
    out += body[pos:].encode("utf-8")
    return bytes(out)


def _php_single(body: str) -> bytes:
    return re.sub(r"\\([\\'])", r"\1", body).encode("utf-8")


_PHP_PART = re.compile(r"\s*(?:'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"|chr\((\d+)\))\s*(?:\.|$)", re.S)


def _php(line: str) -> str:
    """A PHP expression of literals joined by ``.``, decoded as PHP builds the byte string, read as UTF-8."""
    out = b""
    pos = 0
    while pos < len(line):
        m = _PHP_PART.match(line, pos)
        if m is None:
            raise ValueError(f"not a PHP literal expression: {line!r}")
        if m.group(1) is not None:
            out += _php_single(m.group(1))
        elif m.group(2) is not None:
            out += _php_double(m.group(2))
        else:
            out += bytes([int(m.group(3))])
        pos = m.end()
    return out.decode("utf-8")


_TS_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_TS_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "0": "\0", "\n": ""}


def _ts(literal: str) -> str:
    """A TypeScript string literal (``"…"``, ``'…'`` or a template without ``${}``) decoded."""
    quote = literal[0]
    if quote not in "\"'`" or literal[-1] != quote or len(literal) < 2:
        raise ValueError(f"not a TypeScript literal: {literal!r}")

    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code.startswith("u{"):
            return chr(int(code[2:-1], 16))
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _TS_SIMPLE.get(code, code)

    return _TS_ESCAPE.sub(one, literal[1:-1])


def _decode(kind: str, text: str) -> str:
    if kind == "J":
        return str(json.loads(text))
    if kind == "P":
        return _php(text)
    if kind == "S":
        return _ts(text)
    if kind == "U":
        return unquote(_ts(text))
    raise ValueError(kind)


def read_records(path: Path) -> list[dict[str, Any]]:
    """The sources of ``records.txt``, each with its decoded values (a TypeScript template literal may span lines)."""
    sources: list[dict[str, Any]] = []
    kind = ""
    pending: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if pending:
            pending.append(line)
            if line.endswith("`"):
                sources[-1]["values"].append(_decode(kind, "\n".join(pending)))
                pending = []
            continue
        if not line or line.startswith("# "):
            continue
        if line.startswith("@@ source|"):
            _, repo, files, commit, licence, family, asserts, kind = line.split("|")
            sources.append({"repository": repo, "files": files, "commit": commit, "licence": licence,
                            "family": family, "asserts": asserts, "values": []})
            continue
        if kind in "SU" and line.startswith("`") and (len(line) == 1 or not line.endswith("`")):
            pending = [line]
            continue
        sources[-1]["values"].append(_decode(kind, line))
    return sources


# --- the rules -------------------------------------------------------------------------------------------------------

_CSS_HEX = re.compile(r"\\([0-9a-fA-F]{1,6})\s?")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_UTF7 = {"+ADw-": "<", "+AD4-": ">", "+ACI-": '"'}


def flatten(value: str) -> str:
    """The value as a lenient HTML/URL/CSS reader sees it, with every obfuscation the xss rule looks through removed."""
    text = html.unescape(html.unescape(value))
    text = unquote(text)
    text = unicodedata.normalize("NFKC", text)
    for k, v in _UTF7.items():
        text = text.replace(k, v)
    text = text.replace("\u00bc", "<").replace("\u00be", ">")
    text = _CSS_HEX.sub(lambda m: chr(int(m.group(1), 16)) if int(m.group(1), 16) < 0x110000 else "", text)
    text = _CSS_COMMENT.sub("", text)
    text = text.replace("\\", "")
    return re.sub(r"[\x00-\x20\x7f\u2028\u2029\u3000]+", "", text).lower()


XSS_ACTIVE = re.compile(
    r"<\s*/?\s*script|(?:^|\W)on[a-z]+\s*[=!]|\b(?:fscommand|seeksegmenttime)\s*=|ev:handler\s*=|"
    r"<(?:iframe|frame|embed|object|applet)\b[^>]*?\b(?:src|data|code|srcdoc)\s*=|<base\b[^>]*?\bhref\s*=|"
    r"\brel\s*=\s*[\"']?import|"
    r"\b(?:alert|prompt|confirm|eval|execscript|msgbox|settimeout|setinterval|document\.write)\s*[(`]",
    re.I,
)
XSS_FLAT = re.compile(
    r"</?script|(?:javascript|vbscript|livescript|jscript|mocha):|data:text/html|expression\(|-moz-binding|"
    r"behavior:|(?:alert|prompt|confirm|eval|execscript|msgbox|settimeout|setinterval|document\.write)[(`]"
)
_BASE64 = re.compile(r"base64,([A-Za-z0-9+/=]{8,})")


def _base64_active(value: str) -> bool:
    for m in _BASE64.finditer(value):
        data = m.group(1)
        try:
            text = base64.b64decode(data + "=" * (-len(data) % 4)).decode("latin-1")
        except (binascii.Error, ValueError):
            continue
        if XSS_ACTIVE.search(text) or XSS_FLAT.search(flatten(text)):
            return True
    return False


def _xss(value: str) -> str:
    if "&lt;" in value and "<" not in value:
        return "HTML-escaped markup (the safe form)"
    decoded = unquote(html.unescape(html.unescape(value)))
    if XSS_ACTIVE.search(value) or XSS_ACTIVE.search(decoded) or XSS_FLAT.search(flatten(value)):
        return ""
    if _base64_active(value):
        return ""
    if "<?php" in value:
        return "PHP code: no class of ours"
    return "no script, handler, script URL, active element or call (markup, a style sheet or a link without script)"


PARENT = re.compile(r"(?:^|[/\\])\.\.(?:[/\\]|$)")
SYSTEM_PATH = re.compile(r"^/(?:\./)*(?:etc/[^/]|root(?:/|$)|proc/|sys/)|/\.(?:aws|ssh)(?:/|$)|^/(?:\./)+", re.I)


def _traversal(value: str) -> str:
    text = re.sub(r"[\t\r\n]", "", value)
    if (PARENT.search(text) and re.search(r"[/\\]", text)) or SYSTEM_PATH.search(text):
        return ""
    if text == "..":
        return "a lone parent reference: no path"
    return "an absolute path inside an application's own tree: flagged only against the file path it reaches"


_WORDS = (
    r"(?:ls|cat|rm|echo|whoami|id|uname|grep|sleep|touch|mv|cp|kill|killall|chmod|chown|curl|wget|nc|sh|bash|"
    r"ping|reboot|shutdown|halt|poweroff|ifconfig|xargs|find|type|dir)"
)
CMD = re.compile(
    rf"[;&|\n\r]\s*+(?:/[\w/]*/)?{_WORDS}\b|\$\([^)]*?\b{_WORDS}\b|`[^`]*?\b{_WORDS}\b[^`]*`|(?:^|\s)>>?\s*+/\S"
)


def _cmdi(value: str) -> str:
    if CMD.search(value):
        return ""
    return "no command after a separator, in a substitution or a redirection (a bare command, variable or glob)"


SQL = re.compile(
    r"(?:['\"`)]|\$\w*\$|\b\d+)\s*+(?:\)\s*+)*+(?:\b(?:or|and)\b\s*+\(*\s*+['\"\w]+\s*+=|"
    r"\b(?:or|and)\s++(?:sleep|benchmark)\s*+\(|\bunion\s++select\b|\border\s++by\b|--|#|/\*|"
    r";\s*+(?:drop|select|exec|waitfor|insert|update|delete|shutdown)\b)",
    re.I,
)


def _sqli(value: str) -> str:
    if SQL.search(value):
        return ""
    if value.lstrip().startswith("--"):
        return "a comment alone: nothing is closed before it"
    return (
        "a call, operator, cast or statement fragment with no quote or number break-out: flagged only against the "
        "query"
    )


RULES: dict[str, Any] = {"xss": _xss, "traversal": _traversal, "cmdi": _cmdi, "sqli": _sqli}


def classify(family: str, value: str) -> str:
    """"" for an attack of ``family``; otherwise why it is none."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "a lone UTF-16 surrogate: not valid UTF-8, no request can carry it"
    if not value.strip():
        return "empty or whitespace only"
    why: str = RULES[family](value)
    return why


def attack_records() -> tuple[list[dict[str, Any]], list[dict[str, str]], list[dict[str, str]]]:
    """The sources with their classified attack values, the values left out, and the clean values kept as benign."""
    sources = read_records(HERE / "records.txt")
    dropped = [{"repository": what, "left_out": what, "why": why} for what, why in NOTES]
    clean: list[dict[str, str]] = []
    for src in sources:
        where = f"{src['repository']} {src['files']}"
        classified = []
        for value in src.pop("values"):
            why = classify(src["family"], value)
            if src["asserts"] == "clean":
                if why and not why.startswith(("a lone UTF-16", "empty")):
                    clean.append({"value": value, "source": where})
                else:
                    note = "asserted clean by the test, but an attack by our rule" if not why else why
                    dropped.append({"repository": src["repository"], "left_out": f"{src['files']}: {value!r}",
                                    "why": note})
            elif not why:
                classified.append((src["family"], value))
            else:
                dropped.append({"repository": src["repository"], "left_out": f"{src['files']}: {value!r}", "why": why})
        src["values"] = classified
    return sources, dropped, clean


# --- benign: the webhook examples ------------------------------------------------------------------------------------


def webhooks(root: Path, older: set[str]) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    documents: list[dict[str, str]] = []
    seen = set(older)
    events = json.loads((root / "api.github.com/index.json").read_text(encoding="utf-8"))
    for event in events:
        for i, example in enumerate(event.get("examples", [])):
            where = f"{event['name']} example #{i}"
            sc.collect_strings(found, seen, EXAMPLES_LABEL, where, example)
            text = json.dumps(example, ensure_ascii=False)
            if len(text) <= MAX_DOC and text not in seen and "localhost" not in text:
                seen.add(text)
                documents.append({"value": text, "source": f"{EXAMPLES_LABEL} {where} whole"})
    out = {f"webhooks_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["webhooks_documents"] = sc.even(documents, MAX_DOCS)
    return out


def extract(examples_root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked tarball."""
    sources, dropped, clean = attack_records()
    older = sc.older_benign(HERE)
    benign = webhooks(examples_root, older)
    seen: set[str] = set()
    negatives = []
    for entry in clean:
        if entry["value"].strip() in older or entry["value"] in seen:
            continue
        seen.add(entry["value"])
        negatives.append(entry)
    benign["lib_negatives"] = negatives
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(HERE, SPLIT, (("webhooks_documents", "documents", "json"),))
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
