"""fresh74: the attack strings OWASP Security Shepherd's lessons and challenges are solved with (its solution cheat
sheet, the lesson example vectors, the attack inputs of its unit tests), with the examples of four OWASP WSTG SQL pages
no older split read (Oracle, MySQL, SQL Server, MS Access: Shepherd alone gives about 60 values), against the recorded
Okta management API answers okta 3.4.6's sdist ships as integration-test cassettes (users, groups, applications,
policies, authorization servers, identity providers, network zones, brands, authenticators ...).

    python bench/waf/fresh74/build.py                    # writes corpus.jsonl
    python bench/waf/fresh74/build.py --extract OKTA     # re-selects the values first

``OKTA`` is the unpacked PyPI sdist ``okta-3.4.6.tar.gz`` (``pip download --no-deps --no-binary :all: okta==3.4.6``;
the folder holding ``tests/``).

Attack payloads (what was read, and how). The sources were read through the code-search index (read_file; commit or
index file id per source) and transcribed in ``records.txt`` as the source writes them, one ``@@ source`` line per list
(repository, file and list, commit or index file id, licence, family, kind): ``R`` the raw line, ``J`` a JSON string
literal (Shepherd's Java test literals, which use only ``\\"`` escapes; the multi-line WSTG blocks), ``H`` the text a
``.properties`` page renders (``<br/>`` a line break, the page's own tags such as ``<b>``/``<a>`` removed, character
references decoded, a no-break space as a space), ``P`` a ``.properties`` value (backslash escapes decoded) then as
``H``, ``Q`` a query-string value (``+`` a space, ``%xx`` decoded once), ``U`` a percent-encoded value (``%xx``
decoded once). Security Shepherd (GPL-3.0, strings as test data only): ``solutions.properties`` (XSS, SQL injection
and NoSQL solutions), the XSS and XXE lesson examples, ``TestXssLesson``, ``TestSqlInjectionLesson``, ``FindXSSTest``,
``XssFilterTest``, ``SqlFilterTest``. etnoy/SecurityShepherd (a Spring rewrite) was looked at: its tests hold no attack
values and it has no solution sheet (a note). The WSTG pages (CC-BY-SA-4.0, strings only): ``05.1-Testing_for_Oracle``,
``05.2-Testing_for_MySQL``, ``05.3-Testing_for_SQL_Server``, ``05.5-Testing_for_MS_Access``.

Each value is sorted by its family's rule (``classify``; rules fixed before measuring): fresh61's rules with these
additions for ``sql``: the value also counts when, after ``\\xHH`` escapes are decoded (Shepherd's SQL injection 6
decodes them), fresh61's rule holds, or when it holds a ``UNION [ALL] SELECT``, ``information_schema``, a subquery
``(select``, ``waitfor delay``, ``xp_cmdshell``/``sp_makewebtask``/``sp_configure``/``OPENROWSET``, ``into
outfile``, a T-SQL ``declare @var``, a MySQL executable comment ``/*!``, a boolean ``and``/``or`` before an
inequality (``!=``, ``<>``) or a ``like`` test, a ``group by`` after a quote or number, a statement ended and the rest
commented (``x;--``), a call closed and a statement begun (``);--``, ``);name(``, ``);execute``) or a string
concatenation across quotes (``'||'``). Left out (``sources.json`` ``left_out``): a lone quote (``'``, ``%27``,
``INJECT'POINT``), a quote with a NUL or ``%16`` truncation and nothing after (``admin'%00``), a whole query where the
Oracle procedure's parameter takes SQL by design (``SELECT USERNAME FROM ALL_USERS``: only the application could tell),
Shepherd's filter-bypass forms that only its own filter turns into SQL (``oorr``, ``-or-``), plain text and markup
without script (``<p>NotXSSAtAll</p>``, a public link, ``&#x6f;nclick``). Not transcribed (notes): the CSRF, IDOR,
session, crypto and mobile solutions (no injection class), the Oracle exclusion-list bypass paths (package names), the
WSTG placeholders (``[SQL CODE]``, ``[debug script line #n of n]``) and the bare conditions ``password LIKE 0x4125``.
Values already in an older split (attacks or corpus) or repeated are dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring). Every cassette ``tests/integration/cassettes/**/*.yaml`` (path order):
the JSON request and response bodies, with every subtree under a secret key removed first (``SECRET_KEYS`` of
split_corpus and ``PRUNE``: credentials, passwords, client secrets, tokens, keys and JWKs, certificates and CSRs, shared
secrets, recovery answers; any key holding ``secret`` or ending in ``token``); every remaining string value kept by
``keep_text``, by ``text_category`` (``okta_urls``, ``okta_prose``, ``okta_names``, ``okta_codes``; at most ``CAP``
per category at an even stride); the query string of each request URI, decoded, as values (``okta_queries``); each
pruned body of at most ``MAX_DOC`` characters whole as a JSON body (``okta_documents``, at most ``MAX_DOCS`` at an even
stride). Values and bodies holding a URL whose host is loopback, private or link-local (an SSRF guard rightly refuses
those) are left out and counted. Values an older split holds, and values holding ``localhost``, are left out. Split
name ``fresh74``.
"""

from __future__ import annotations

import html
import ipaddress
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, unquote_plus, urlsplit

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

f61 = sc.load_build("fresh61")  # fresh61's rules, reused unchanged

SPLIT = "fresh74"
CAP = {"names": 600, "prose": 600, "urls": 300, "codes": 800, "queries": 300}
MAX_DOC = 20_000
MAX_DOCS = 1_500
LABEL = "okta 3.4.6 tests/integration/cassettes"
HOW_READ = (
    "read through the code-search index (read_file; commit or index file id per source); the values transcribed in "
    "records.txt as the source writes them (raw lines, JSON literals, rendered .properties text, URL-encoded values) "
    "and decoded and sorted by build.py's classify (see its docstring)"
)
NOTES = [
    (
        "etnoy/SecurityShepherd",
        "a Spring rewrite: its tests (dao, model, repository, service) hold no attack values; no solution sheet",
    ),
    (
        "OWASP/SecurityShepherd src/test/java/servlets/module/challenge/NoSqlInjection1Test.java",
        "submits the stored gamer id, no injection value",
    ),
    (
        "OWASP/SecurityShepherd solutions.properties (CSRF, direct object, session, crypto, mobile solutions)",
        "forged forms and URLs, ids, cookies, keys and app steps: no injection class of ours",
    ),
    (
        "OWASP/wstg 05.1-Testing_for_Oracle.md exclusion-list bypasses",
        "package paths (%0ASYS.PACKAGE.PROC, <<LBL>>SYS.PACKAGE.PROC ...): no value an application parameter takes",
    ),
    (
        "OWASP/wstg 05.2/05.3 placeholders and conditions",
        "'[SQL CODE]--' headers, '[debug script line #n of n]', 'password LIKE 0x4125', load_file('filename'): "
        "placeholders or bare conditions, not injected values",
    ),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "okta 3.4.6 (PyPI sdist okta-3.4.6.tar.gz), tests/integration/cassettes/**/*.yaml (444 cassettes, "
    "2,304 recorded Okta management API interactions)",
    "licence": "Apache-2.0 (LICENSE of the sdist)",
    "what": "string values of the recorded JSON request and response bodies (secret subtrees removed) by "
    "text_category, request query strings, whole pruned bodies as JSON bodies",
}

# --- reading records.txt ---------------------------------------------------------------------------------------------

TAG = re.compile(r"<[a-zA-Z/][^<>]*>")


def _rendered(text: str) -> str:
    text = re.sub(r"<br\s*/?>", "\n", text)
    return html.unescape(TAG.sub("", text)).replace("\xa0", " ")


def _decode(kind: str, line: str) -> str:
    """A value as ``records.txt`` holds it, decoded once as the application receives it (kinds: the docstring)."""
    if kind == "R":
        return line
    if kind == "J":
        return str(json.loads(line))
    if kind == "H":
        return _rendered(line)
    if kind == "P":
        return _rendered(line.replace("\\\\", "\\"))
    if kind == "Q":
        return unquote_plus(line)
    return unquote(line)


# --- the rules -------------------------------------------------------------------------------------------------------

SQL_MORE = re.compile(
    r"\bunion\s++(?:all\s++)?select\b|\binformation_schema\b|\(\s*+select\b|\bwaitfor\s++delay\b|"
    r"\b(?:xp_cmdshell|sp_makewebtask|sp_configure|openrowset)\b|\binto\s++(?:out|dump)file\b|\bdeclare\s++@\w|"
    r"/\*!|\b(?:and|or)\b[^=<>!]{0,40}?(?:!=|<>)|\b(?:and|or)\s++[\w@()]+\s++like\s|['\d]\s*+group\s++by\b|"
    r"\w\s*+;\s*+--|\)\s*+;\s*+(?:--|[\w.]+\s*+\(|execute\b)|'\s*+\|\|\s*+'",
    re.I,
)
HEX_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})")


def _sql(value: str) -> str:
    plain = HEX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    if any(f61.SQL.search(v) or SQL_MORE.search(v) for v in (value, plain)):
        return ""
    return "a lone quote, a truncation, a whole query where SQL is the parameter, or a filter-bypass form: no clause"


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("", why) for a value left out."""
    if family == "sql":
        why = _sql(value)
        return ("sqli", "") if not why else ("", why)
    cls, rule = f61.RULES[family]
    why = rule(value)
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


# --- benign: the Okta cassettes --------------------------------------------------------------------------------------

PRUNE = frozenset({
    "credentials", "client_secret", "keys", "jwks", "x5c", "x5t", "x5t#s256", "e", "n", "d", "p", "q", "dp", "dq",
    "qi", "k", "kid", "keyid", "secretkey", "secrets", "sitekey", "clientcredentials", "authenticatorappkey",
    "tokensigningkey", "resourceservercredentialskeys", "temppassword", "answer", "recovery_question",
    "certificate", "csr", "privatekey", "sharedsecret", "passcode", "hash", "salt", "signing",
})
"""Keys whose whole subtree a cassette body loses before any value is taken (with ``sc.SECRET_KEYS``)."""
URL_HOST = re.compile(r"\bhttps?://\[?([^/\s\"'?#\]]+?)\]?(?::\d+)?(?=[/\s\"'?#]|$)", re.I)


def _secret(key: str) -> bool:
    key = key.lower()
    return key in PRUNE or key in sc.SECRET_KEYS or "secret" in key or key.endswith("token") or "password" in key


def _prune(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _prune(v) for k, v in node.items() if not _secret(k)}
    if isinstance(node, list):
        return [_prune(v) for v in node]
    return node


def _private_url(text: str) -> bool:
    for m in URL_HOST.finditer(text):
        host = m.group(1).lower()
        if host == "localhost" or host.endswith(".localhost"):
            return True
        try:
            addr = ipaddress.ip_address(host)
        except ValueError:
            continue
        if addr.is_loopback or addr.is_private or addr.is_link_local or addr.is_unspecified:
            return True
    return False


def _json(text: Any) -> Any:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not isinstance(text, str) or not text.strip().startswith(("{", "[")):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def okta(root: Path, older: set[str]) -> tuple[dict[str, list[dict[str, str]]], int]:
    """The benign values by category, and how many values or bodies a private-address URL left out."""
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    queries: list[dict[str, str]] = []
    documents: list[dict[str, str]] = []
    seen = set(older)
    private = 0
    base = root / "tests/integration/cassettes"
    for path in sorted(base.rglob("*.yaml")):
        rel = str(path.relative_to(base))
        for i, interaction in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]):
            where = f"{rel} #{i}"
            for key, val in parse_qsl(urlsplit(interaction["request"]["uri"]).query):
                if _secret(key) or not val.strip() or val in seen or not sc.keep_text(val):
                    continue
                if _private_url(val):
                    private += 1
                    continue
                seen.add(val)
                queries.append({"value": val, "source": f"{LABEL} {where} query {key}"})
            for part, raw in (
                ("request", interaction["request"].get("body")),
                ("response", interaction["response"]["body"].get("string")),
            ):
                doc = _json(raw)
                if doc is None:
                    continue
                doc = _prune(doc)
                local: dict[str, list[dict[str, str]]] = {k: [] for k in found}
                sc.collect_strings(local, seen, LABEL, f"{where} {part}", doc)
                for cat, vals in local.items():
                    for v in vals:
                        if _private_url(v["value"]):
                            private += 1
                        else:
                            found[cat].append(v)
                text = json.dumps(doc, ensure_ascii=False)
                if len(text) > MAX_DOC or text in seen or "localhost" in text or text in ("{}", "[]"):
                    continue
                if _private_url(text):
                    private += 1
                    continue
                seen.add(text)
                documents.append({"value": text, "source": f"{LABEL} {where} {part} body"})
    out = {f"okta_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["okta_queries"] = sc.even(queries, CAP["queries"])
    out["okta_documents"] = sc.even(documents, MAX_DOCS)
    return out, private


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist."""
    sources, dropped = attack_records()
    benign, private = okta(root, sc.older_benign(HERE))
    print(f"left out for a private-address URL: {private}")
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(HERE, SPLIT, (("okta_documents", "documents", "json"),))
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
