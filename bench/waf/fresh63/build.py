"""fresh63: the payloads of OWASP VulnerableApp (SasanLabs/VulnerableApp: its attack-vector payload files, the
challenge-mode payloads and hints of its message bundle, and the inputs of its unit tests), and, because that source
holds fewer than 150 distinct new payloads, the exploit inputs of two other deliberately vulnerable applications'
solution write-ups (appsecco/dvna ``docs/solution/``, OWASP SKF labs blabla1337/skf-labs write-ups), against the API
answers the Hetzner Cloud client hcloud 2.27.0 records as test fixtures (servers, networks, firewalls, load
balancers, certificates, storage boxes, actions, pricing, errors).

    python bench/waf/fresh63/build.py                   # writes corpus.jsonl
    python bench/waf/fresh63/build.py --extract HCLOUD  # re-selects the values first

``HCLOUD`` is the unpacked PyPI sdist ``hcloud-2.27.0.tar.gz`` (the folder holding ``tests/``).

Attack payloads (what was read, and how). Every file was read through the code-search index (read_file; commit or
index file id per source in ``records.txt``): VulnerableApp's ``src/main/resources/attackvectors/*.properties`` (every
file; most are prose, the payloads sit in ``<code>`` hints), ``src/main/resources/i18n/messages.properties`` (all
133,348 characters: the challenge-mode ``*_PAYLOAD_VALUE`` and ``*_HINT`` entries), the unit tests under
``src/test/java/`` that hold attack inputs (SQL injection, XSS, LDAP, SSTI, XXE, SSRF, command injection via GraphQL,
e-mail header injection, path traversal, cache poisoning), VulnerableApp-php's definitions and messages (no payloads),
VulnerableApp-jsp (file-upload code only, no payload strings); DVNA's ``a1-injection.md``, ``a7-xss.md`` and
``a4-xxe.md``; the SKF labs write-ups of XSS (reflected, attribute, stored, href), SQL injection (union, blind, LIKE,
login bypass), SSTI, command injection 1-4 and blind, LFI 1-3, RFI, SSRF and XXE (most command-injection and SSRF
write-ups show their payloads only in screenshots: no text to take). ``records.txt`` holds each value as the source
writes it (kind ``R`` raw, ``J`` a Java/JSON string literal, ``U`` decoded once as a URL value as the application
receives it, ``H`` HTML character references decoded once where a hint quotes markup escaped) with its class.

Classes (rules fixed before measuring): the family of the page, level or test the value belongs to (blind/error/union
SQL injection and the authentication SQLi level = ``sqli``; the NoSQL levels = ``nosqli``; command injection and the
RFI lab's evaluated ``os.popen`` = ``cmdi``; LDAP = ``ldapi``; the Thymeleaf/Jinja2 template levels and the uploaded
template calling ``system_call`` = ``ssti``; XXE = ``xxe``; SSRF = ``ssrf``; e-mail header injection = ``crlf``; path
traversal, LFI and upload file names = ``traversal``; the XSS levels, the upload levels' script content, cache
poisoning's script banner and the WebSocket echo's script = ``xss``). Left out with a note in ``records.txt`` (and
``sources.json``): lone probes (a single quote, ``#``, ``abc``, ``foobar"></``, a lone ``../``), wildcards alone (``*``,
``a*``: they stay inside the LDAP assertion), public URLs and bare file names, open redirects (no injection class),
the forged alg=none JWT (a credential), IDOR/authorization GraphQL queries, JPA field names (an oracle, no syntax),
cache-poisoning banners and hosts, file names whose trick is only an extension, SQL the learner runs in the database
console, a browser-console JavaScript statement, a CSRF attacker page, a DOCTYPE without entities, the sanitizer test's
``hello\\r\\nworld``. The XXE expansion inputs (an internal entity naming another entity five times) are ``xxe`` as in
fresh61's rule, though VulnerableApp's level 6/7 tests accept the smaller one. The valid inputs of the same tests and
hints (``World``, ``UserInfo.json``, image paths, the plain book XML, banners, GraphQL queries ...) are the benign
category ``vapp_negatives``. Values already in an older split (attacks or corpus) or repeated are dropped and listed in
``sources.json``.

Benign values (rules fixed before measuring). Every ``tests/**/*.py`` of hcloud 2.27.0 (name order): each outermost
dict literal that ``ast.literal_eval`` accepts (the recorded API answers and request bodies the tests feed the client's
mocked session); every string value not under a ``SECRET_KEYS`` key, kept by ``keep_text``, by ``text_category``
(``hcloud_urls``, ``hcloud_prose``, ``hcloud_names``, ``hcloud_codes``; at most ``CAP`` per category at an even
stride); each dict, and each object of a list inside it (``split_corpus.list_items``), of ``MIN_DOC`` to ``MAX_DOC``
characters whole as a JSON body (``hcloud_documents``, at most ``MAX_DOCS``). Values an older split holds, and
values holding ``localhost``, are left out. Split ``fresh63``.
"""

from __future__ import annotations

import ast
import html
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh63"
CAP = {"names": 600, "prose": 600, "urls": 300, "codes": 600}
MAX_DOC = 20_000
MIN_DOC = 20
MAX_DOCS = 900
CLASSES = frozenset({"sqli", "nosqli", "cmdi", "ldapi", "ssti", "xxe", "ssrf", "crlf", "traversal", "xss"})
HCLOUD_LABEL = "hcloud 2.27.0 tests"
HOW_READ = (
    "read through the code-search index (read_file; commit or index file id per source); each value transcribed in "
    "records.txt as the source writes it (raw text, Java/JSON literal, URL-decoded once, HTML references decoded "
    "once) with the class of the page, level or test it belongs to (build.py's docstring)"
)
NOTES = [
    (
        "SasanLabs/VulnerableApp-php resources/ and src/",
        "file-upload and NoSQL levels without payload strings (descriptions only)",
    ),
    ("SasanLabs/VulnerableApp-jsp src/", "file-upload levels: validation code, no payload strings"),
    (
        "SasanLabs/VulnerableApp benchmarks/ (ZAP, Wapiti, Nuclei results)",
        "scanner findings lists (URL, type, CWE), no attack strings",
    ),
    (
        "blabla1337/skf-labs command injection 1, 2, blind and SSRF write-ups",
        "the payloads are shown only in screenshots: no text to transcribe",
    ),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "hcloud 2.27.0 (PyPI sdist hcloud-2.27.0.tar.gz), tests/**/*.py: the Hetzner Cloud API answers and "
    "request bodies the unit tests feed the client's mocked session (dict literals)",
    "licence": "MIT (PKG-INFO License: MIT; LICENSE)",
    "what": "string values of the recorded answers by text_category, whole answers as JSON bodies; VulnerableApp's "
    "own valid test and hint inputs (vapp_negatives, MIT)",
}

# --- reading records.txt ---------------------------------------------------------------------------------------------

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[nrt0\"'\\])")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", '"': '"', "'": "'", "\\": "\\"}


def _unescape(body: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        return chr(int(code[1:], 16)) if code[0] in "ux" else _SIMPLE[code]

    return _ESCAPE.sub(one, body)


def decode(kind: str, text: str) -> str:
    """A record's value as the application receives it."""
    if kind == "J":
        if not (text.startswith('"') and text.endswith('"')):
            raise ValueError(f"not a string literal: {text!r}")
        return _unescape(text[1:-1])
    if kind == "U":
        return unquote(text)
    if kind == "H":
        return html.unescape(text)
    if kind == "R":
        return text
    raise ValueError(f"unknown kind {kind!r}")


def read_records(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, str]], list[dict[str, str]]]:
    """The sources with their ``(class, value)`` pairs, the values left out with why, and the benign controls."""
    sources: list[dict[str, Any]] = []
    dropped = [{"repository": what, "left_out": what, "why": why} for what, why in NOTES]
    benign: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line or line.startswith("# "):
            continue
        if line.startswith("@@ source|"):
            _, repo, files, commit, licence = line.split("|")
            sources.append({"repository": repo, "files": files, "commit": commit, "licence": licence, "values": []})
            continue
        cls, kind, rest = line.split("|", 2)
        where = f"{sources[-1]['repository']} {sources[-1]['files']}"
        if cls == "-":
            why, text = rest.split("|", 1)
            dropped.append({"repository": sources[-1]["repository"], "left_out": f"{sources[-1]['files']}: "
                            f"{decode(kind, text)!r}", "why": why})
        elif cls == "benign":
            benign.append({"value": decode(kind, rest), "source": where})
        elif cls in CLASSES:
            sources[-1]["values"].append((cls, decode(kind, rest)))
        else:
            raise ValueError(f"unknown class {cls!r} in {line!r}")
    return [s for s in sources if s["values"] or not s["files"].startswith("benign")], dropped, benign


# --- benign: the hcloud test fixtures --------------------------------------------------------------------------------


def _literal_dicts(tree: ast.AST) -> list[Any]:
    """Every outermost dict literal of ``tree`` that ``ast.literal_eval`` accepts (nested ones come with it)."""
    out: list[Any] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Dict):
            try:
                out.append(ast.literal_eval(node))
                return
            except (ValueError, TypeError, SyntaxError):
                pass
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return out


def hcloud(root: Path, older: set[str]) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    documents: list[dict[str, str]] = []
    seen = set(older)
    for path in sorted((root / "tests").rglob("*.py")):
        rel = str(path.relative_to(root))
        for i, doc in enumerate(_literal_dicts(ast.parse(path.read_text(encoding="utf-8")))):
            where = f"{rel} dict {i}"
            sc.collect_strings(found, seen, HCLOUD_LABEL, where, doc)
            parts: list[Any] = [doc]
            sc.list_items(doc, parts)
            for part in parts:
                if not isinstance(part, dict) or not part:
                    continue
                try:
                    text = json.dumps(part, ensure_ascii=False)
                except TypeError:
                    continue  # bytes or sets: not a JSON answer
                if MIN_DOC <= len(text) <= MAX_DOC and text not in seen and "localhost" not in text:
                    seen.add(text)
                    documents.append({"value": text, "source": f"{HCLOUD_LABEL} {where}"})
    out = {f"hcloud_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["hcloud_documents"] = sc.even(documents, MAX_DOCS)
    return out


def extract(hcloud_root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist."""
    sources, dropped, controls = read_records(HERE / "records.txt")
    older = sc.older_benign(HERE)
    benign = hcloud(hcloud_root, older)
    benign["vapp_negatives"] = [c for c in controls if c["value"].strip() not in older]
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(HERE, SPLIT, (("hcloud_documents", "documents", "json"),))
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
