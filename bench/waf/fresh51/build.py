"""fresh51: the addresses and URLs that SSRF guards test themselves against, and CRLFsuite's header-injection payloads,
against the JSON-Schema-Test-Suite instances and URL-library test URLs as ordinary API input.

    python bench/waf/fresh51/build.py                      # writes corpus.jsonl (deterministic)
    python bench/waf/fresh51/build.py --extract SRC        # re-selects the values from the unpacked packages in SRC

``SRC`` holds the unpacked PyPI sdists ``advocate-1.0.0``, ``CRLFsuite-2.5.2``, ``jsonschema-4.26.0``,
``validators-0.36.0``, ``rfc3986-2.0.0``, ``hyperlink-21.0.0`` and the unpacked npm tarballs (``npm pack``)
``ssrfcheck-1.4.0``, ``private-ip-3.0.2``, ``request-filtering-agent-3.2.1``, ``ssrf-req-filter-1.1.1`` (each in
``<name>-<version>/package``).

Attack payloads (what was read, and how):

- advocate 1.0.0 (PyPI sdist, Apache-2.0) ``test/test_advocate.py`` read with ``ast``: the first argument of every
  ``_test_ip_kind_blocked`` and ``_is_addrinfo_allowed`` call and every string constant that is a URL, kept by
  ``internal_target`` (below), as written (a bare address is what a URL-valued field would carry).
- ssrfcheck 1.4.0 (npm, MIT) ``tests/data/should-not-pass.js``: every string of the list, kept by ``internal_target``.
- private-ip 3.0.2 (npm, MIT) ``test.js``: every address of ``priv_ips``, kept by ``internal_target``.
- request-filtering-agent 3.2.1 and ssrf-req-filter 1.1.1 (npm, MIT): the tarballs ship no tests; every URL quoted in
  their ``README.md`` (the blocked examples), kept by ``internal_target``.
- CRLFsuite 2.5.2 (PyPI sdist, MIT) ``crlfsuite/core/config.py`` read with ``ast``: the scanner's payloads as
  ``core/generator.py`` builds them for a URL with a parameter (``starting_strings`` without its 3rd entry, each
  ``escape_chars`` entry, then ``Set-Cookie:nefcore=crlfsuite;``), one starting string per escape in turn (the four
  starting strings give near repeats), the ``heuristic_payload`` and every ``xss_payloads`` entry; each decoded once
  with ``unquote`` (the tool writes them for a URL), as the application receives them. Kept when a line break is
  left after that decoding: CR or LF, a still-encoded one (``%0a``, ``%250a``, ``%u000a``), the escape text ``\\r``
  or ``\\n`` (for a JSON or JavaScript sink) or the U+560A/U+560D pair that servers truncate to LF/CR.

``internal_target(value)`` (fixed before measuring): a ``file:`` URL with an empty host and a path, or a value one of
whose readable hosts is loopback, private (RFC 1918, IPv6 ULA and site-local), link-local, carrier-grade NAT,
``0.0.0.0/8``/``::`` or ``localhost``, read as resolvers read it: NFKC-normalised (``①②⑦.0.0.1``), in the inet_aton
notations (decimal ``2130706433``, octal ``0177.0.0.1``, hex ``0x7f000001``, short ``127.1``), IPv6 with an embedded
IPv4 (mapped, NAT64 ``64:ff9b::/96`` and ``64:ff9b:1::/48``, 6to4, Teredo's client, IPv4-compatible), or a
``nip.io``/``sslip.io``/``xip.io`` name that spells one; the hosts read are the bracketed ones and every piece of the
authority split at ``@``, ``\\``, ``;`` or a space, with and without a trailing ``:port``. Left out: multicast,
broadcast, documentation, benchmarking, reserved and anycast-relay addresses (a guard refuses them, but they reach
nothing inside), malformed URLs, public hosts with user info, and text lines (see ``sources.json`` ``left_out``).
Values already in an older split or repeated are dropped and listed in ``sources.json``, and so are near repeats:
of the values that differ only in their numbers (ssrfcheck's forty ``https://192.168.x.y`` lines, its ports 80/443/22)
the first is kept. The class is ``ssrf`` for
the addresses and URLs (placed in the URL-valued ``callback_url`` field and the ``referer`` header, as ``build.py``
places every SSRF value) and ``crlf`` for CRLFsuite's.

Benign values (rules fixed before measuring):

- JSON-Schema-Test-Suite as shipped in jsonschema 4.26.0's sdist (``json/tests/*/**.json``, MIT): every string of
  every test's ``data``, valid and invalid instances alike (both are ordinary client input shapes); a string from
  ``optional/format/<format>.json`` takes its format's category (uri/iri/references/templates -> ``urls``, email ->
  ``emails``, ipv4/ipv6 -> ``ips``, regex -> ``regex``, hostname -> ``hostnames``, date/time/duration ->
  ``dates``, json pointers -> ``pointers``, the rest by ``text_category``); every ``data`` object or array of at least
  8 characters whole as a JSON body.
- validators 0.36.0 (PyPI sdist, MIT) ``tests/test_*.py``: every string inside a ``pytest.mark.parametrize`` list,
  by file (test_url/test_uri -> ``urls``, test_email -> ``emails``, test_domain/test_hostname -> ``hostnames``,
  test_ip_address -> ``ips``, test_cron -> ``cron``, the rest by ``text_category``).
- rfc3986 2.0.0 (PyPI sdist, Apache-2.0) ``tests/*.py`` and hyperlink 21.0.0 (PyPI sdist, MIT)
  ``src/hyperlink/test/*.py``: every string constant that is a URL (``scheme://``), as ``urls``.
- ssrfcheck 1.4.0 ``tests/data/should-pass.js``: every string, as ``urls``.

Left out of the benign side: an instance that is a URL (``scheme://``, ``//``, ``http:``, ``https:``, ``file:``)
whose host ``internal_target`` reads as private, loopback or link-local, or a ``file:///`` URL (such a URL is the
attack's own shape; bare addresses such as ``192.168.0.1`` or ``fe80::1`` in an ``ip_address`` field stay); every
value equal to an attack
value of this split or an older one (``0x7f000001``, ``::1`` ...: the same string cannot be both); empty strings and
strings over 4,000 characters or naming ``localhost`` (``keep_text``); every value an older split holds. At most
``CAP`` per category at an even stride. Split name ``fresh51``.
"""

from __future__ import annotations

import ast
import ipaddress
import json
import re
import socket
import sys
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh51"
CAP = 600
MAX_BODIES = 900
ADVOCATE = ("advocate 1.0.0 (PyPI sdist advocate-1.0.0.tar.gz)", "Apache-2.0 (PKG-INFO License: Apache 2)")
SSRFCHECK = ("ssrfcheck 1.4.0 (npm tarball ssrfcheck-1.4.0.tgz)", "MIT (package.json license: MIT; LICENSE)")
PRIVATE_IP = ("private-ip 3.0.2 (npm tarball private-ip-3.0.2.tgz)", "MIT (package.json license: MIT; LICENSE)")
RFA = ("request-filtering-agent 3.2.1 (npm tarball request-filtering-agent-3.2.1.tgz)",
       "MIT (package.json license: MIT; LICENSE)")
SRF = ("ssrf-req-filter 1.1.1 (npm tarball ssrf-req-filter-1.1.1.tgz)", "MIT (package.json license: MIT; LICENSE)")
CRLFSUITE = ("CRLFsuite 2.5.2 (PyPI sdist CRLFsuite-2.5.2.tar.gz)", "MIT (PKG-INFO License: MIT)")
INJECTION = "Set-Cookie:nefcore=crlfsuite;"
"""``core/generator.py``'s ``injection``, appended to each starting string and escape."""
HOW_READ = "rebuilt by build.py from the unpacked packages (see its docstring); no records.txt"

# --- the internal-target rule (selection only; fixed before measuring) ------------------------------------------------

_KEEP_V4 = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"))
_KEEP_V6 = tuple(ipaddress.ip_network(n) for n in ("::1/128", "::/128", "fc00::/7", "fe80::/10", "fec0::/10"))
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_COMPAT = ipaddress.ip_network("::/96")
_NIP = re.compile(r"(\d{1,3}(?:\.\d{1,3}){3})\.(?:nip\.io|sslip\.io|xip\.io)$")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)


def _legacy_v4(text: str) -> ipaddress.IPv4Address | None:
    """inet_aton's reading: one to four parts, each decimal, octal (leading 0) or hex (0x)."""
    if not re.fullmatch(r"[0-9a-fx.]+", text, re.I):
        return None
    try:
        ip = ipaddress.IPv4Address(socket.inet_aton(text))
    except (OSError, ValueError):
        return None
    return ip if int(ip) == 0 or int(ip) >= 1 << 24 else None  # ``1234`` is a number, not 0.0.4.210


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    host = host.strip().strip("[]").lower().split("%", 1)[0]
    if not host:
        return None
    if (m := _NIP.search(host)) is not None:
        host = m.group(1)
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return _legacy_v4(host)


def _internal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv4Address):
        return any(ip in net for net in _KEEP_V4)
    if ip.ipv4_mapped is not None:
        return _internal(ip.ipv4_mapped)
    embedded: ipaddress.IPv4Address | None = ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
    low = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if embedded is None and (any(ip in net for net in _NAT64) or (ip in _COMPAT and int(low) >= 1 << 24)):
        embedded = low
    if embedded is None and int(ip) >> 32 == 0xFFFF0000:  # ::ffff:0:a.b.c.d (IPv4-translated)
        embedded = low
    if embedded is not None and int(embedded) >= 1 << 24:
        return _internal(embedded)  # a prefix with zeros after it (``2002::``, Teredo of 0.0.0.0) names nothing
    if embedded is not None:
        return False
    return any(ip in net for net in _KEEP_V6)


def _hosts(value: str) -> list[str]:
    text = unicodedata.normalize("NFKC", value).strip()
    out = re.findall(r"\[([^\]]*)\]", text)
    m = _SCHEME.match(text)
    if (slashes := re.match(r"[^/@\s]*://", text)) is not None:
        rest = text[slashes.end():]  # ``0://evil.com``: whatever stands before ``://`` is read as a scheme
    else:
        rest = text[m.end():] if m and m.group(1).lower() in {"http", "https"} else text
    rest = rest.lstrip("/\\ ")
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    for piece in re.split(r"[@\\\s;]", authority):
        if piece.startswith("["):
            continue  # a bracketed host is read above, with or without its ``:port``
        out.append(piece)
        if ":" in piece:
            out.append(piece.rsplit(":", 1)[0])
    return [h for h in out if h]


def internal_target(value: str) -> bool:
    """The selection rule of the module docstring."""
    m = _SCHEME.match(value)
    if m and m.group(1).lower() == "file":
        return bool(re.match(r"file:(?://[/\\]|/(?!/))", value, re.I))  # an empty host and a path
    nested = [value[m.start():] for m in re.finditer(r"(?<=.)https?://", value, re.I)]  # ``?url=http://10.0.0.1/``
    for host in [h for part in (value, *nested) for h in _hosts(part)]:
        name = host.lower().rstrip(".")
        if name == "localhost" or name.endswith(".localhost"):
            return True
        ip = _address(host)
        if ip is not None and _internal(ip):
            return True
    return False


def is_url(value: str) -> bool:
    """``scheme://``, ``//host``, or ``http:``/``https:``/``file:`` without slashes (not ``fe80::1``)."""
    return bool(re.match(r"[a-z][a-z0-9+.-]*://|//|(?:https?|file):", value, re.I))


# --- attacks ----------------------------------------------------------------------------------------------------------


def _strings(tree: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _js_strings(text: str) -> list[str]:
    """The string literals of a JS data file (double- or single-quoted), with JS escapes read."""
    out = []
    for m in re.finditer(r"\"((?:[^\"\\\n]|\\.)*)\"|'((?:[^'\\\n]|\\.)*)'", text):
        raw = m.group(1) if m.group(1) is not None else m.group(2)
        out.append(re.sub(r"\\(.)", r"\1", raw))  # JS drops a backslash before an ordinary character
    return out


def _select(name: tuple[str, str], files: str, values: list[str], dropped: list[dict[str, str]]) -> dict[str, Any]:
    kept: list[tuple[str, str]] = []
    for value in values:
        if internal_target(value):
            kept.append(("ssrf", value))
        else:
            dropped.append({"repository": name[0], "left_out": value,
                            "why": "no internal target (public, multicast, broadcast, documentation, reserved or "
                            "malformed): a guard refuses it, but it reaches nothing inside"})
    return {"repository": name[0], "files": files, "commit": "-", "licence": name[1], "values": kept}


def _advocate(root: Path, dropped: list[dict[str, str]]) -> dict[str, Any]:
    tree = ast.parse((root / "advocate-1.0.0/test/test_advocate.py").read_text(encoding="utf-8"))
    values: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {
                "_test_ip_kind_blocked", "_is_addrinfo_allowed"} and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                values.append(arg.value)
    values += [s for s in _strings(tree) if re.match(r"https?://", s)]
    return _select(ADVOCATE, "test/test_advocate.py (_test_ip_kind_blocked, _is_addrinfo_allowed, URL constants)",
                   list(dict.fromkeys(values)), dropped)


def _ssrfcheck(root: Path, dropped: list[dict[str, str]]) -> dict[str, Any]:
    text = (root / "ssrfcheck-1.4.0/package/tests/data/should-not-pass.js").read_text(encoding="utf-8")
    return _select(SSRFCHECK, "tests/data/should-not-pass.js", list(dict.fromkeys(_js_strings(text))), dropped)


def _private_ip(root: Path, dropped: list[dict[str, str]]) -> dict[str, Any]:
    text = (root / "private-ip-3.0.2/package/test.js").read_text(encoding="utf-8")
    block = text.split("const priv_ips = [", 1)[1].split("]", 1)[0]
    return _select(PRIVATE_IP, "test.js (priv_ips)", _js_strings(block), dropped)


def _readme_urls(root: Path, pkg: str, name: tuple[str, str], dropped: list[dict[str, str]]) -> dict[str, Any]:
    text = (root / pkg / "package/README.md").read_text(encoding="utf-8")
    urls = re.findall(r"['\"]?(https?://[^\s'\"`,)\]]+)", text)
    internal = [u for u in dict.fromkeys(urls) if internal_target(u)]  # the README's links to public pages: no payload
    return _select(name, "README.md (the URLs it says are blocked)", internal, dropped)


def _plain_fstrings(node: ast.expr) -> ast.expr:
    """``f"\\r"`` (an f-string without fields, as ``escape_chars`` writes some entries) as the constant it is."""
    if isinstance(node, ast.List):
        return ast.List(elts=[_plain_fstrings(e) for e in node.elts], ctx=ast.Load())
    if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
        return ast.Constant("".join(str(v.value) for v in node.values if isinstance(v, ast.Constant)))
    return node


def _crlfsuite(root: Path, dropped: list[dict[str, str]]) -> dict[str, Any]:
    tree = ast.parse((root / "CRLFsuite-2.5.2/crlfsuite/core/config.py").read_text(encoding="utf-8"))
    names: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                names[node.targets[0].id] = ast.literal_eval(_plain_fstrings(node.value))
            except ValueError:
                pass  # vuln_urls = set()
    starts = [s for i, s in enumerate(names["starting_strings"]) if i != 2]  # generator.py: del starting_strings[2]
    raw = [starts[i % len(starts)] + esc + INJECTION for i, esc in enumerate(names["escape_chars"])]
    raw += [names["heuristic_payload"], *names["xss_payloads"]]
    kept = []
    for payload in raw:
        value = unquote(payload)
        if re.search(r"[\r\n\u560a\u560d]|%(?:25)*0[ad]|%u000[ad]|\\[rn]", value, re.I):
            kept.append(("crlf", value))
        else:
            dropped.append({"repository": CRLFSUITE[0], "left_out": payload,
                            "why": "no line break left after one decoding (%3f, %25%30, %u0000): no header injection"})
    return {"repository": CRLFSUITE[0], "files": "crlfsuite/core/config.py (escape_chars x starting_strings + "
            "generator.py's injection, heuristic_payload, xss_payloads), decoded once", "commit": "-",
            "licence": CRLFSUITE[1], "values": kept}


# --- benign -----------------------------------------------------------------------------------------------------------

FORMAT_CATEGORY = {
    "uri": "urls", "iri": "urls", "uri-reference": "urls", "iri-reference": "urls", "uri-template": "urls",
    "email": "emails", "idn-email": "emails", "ipv4": "ips", "ipv6": "ips", "regex": "regex",
    "ecmascript-regex": "regex", "hostname": "hostnames", "idn-hostname": "hostnames", "date-time": "dates",
    "date": "dates", "time": "dates", "duration": "dates", "json-pointer": "pointers",
    "relative-json-pointer": "pointers",
}
VALIDATORS_CATEGORY = {"test_url.py": "urls", "test_uri.py": "urls", "test_email.py": "emails",
                       "test_domain.py": "hostnames", "test_hostname.py": "hostnames", "test_ip_address.py": "ips",
                       "test_cron.py": "cron"}
BENIGN_SOURCES: dict[str, Any] = {
    "package": "jsonschema 4.26.0 (PyPI sdist jsonschema-4.26.0.tar.gz) json/tests/*/**.json (the JSON-Schema-Test-"
    "Suite); validators 0.36.0 (PyPI sdist) tests/test_*.py; rfc3986 2.0.0 (PyPI sdist) tests/*.py; hyperlink 21.0.0 "
    "(PyPI sdist) src/hyperlink/test/*.py; ssrfcheck 1.4.0 (npm) tests/data/should-pass.js",
    "licence": "jsonschema: MIT (PKG-INFO License-Expression: MIT; json/LICENSE MIT); validators: MIT; rfc3986: "
    "Apache-2.0; hyperlink: MIT; ssrfcheck: MIT",
    "what": "schema-test instances (every data string by its format or shape, data objects whole as JSON bodies), "
    "validator and URL-library test values; URLs naming a private/loopback/link-local host, values equal to an attack "
    "value, and older splits' values left out (see build.py)",
}


class Found:
    def __init__(self, attacks: set[str]) -> None:
        older = sc.older_benign(HERE)
        self.attacks = attacks
        self.seen: set[str] = set(older)
        self.values: dict[str, list[dict[str, str]]] = {}
        self.bodies: list[dict[str, str]] = []
        self.left_out: list[dict[str, str]] = []

    def add(self, category: str, text: str, where: str) -> None:
        if not text.strip() or text in self.seen or not sc.keep_text(text):
            return
        self.seen.add(text)
        if text in self.attacks:
            self.left_out.append({"value": text, "source": where, "why": "equal to an attack value"})
            return
        if is_url(text) and internal_target(text):
            why = "a URL naming a private/loopback host or a local file"
            self.left_out.append({"value": text, "source": where, "why": why})
            return
        cat = category or sc.text_category(text)
        self.values.setdefault(cat, []).append({"value": text, "source": where})

    def body(self, doc: Any, where: str) -> None:
        text = json.dumps(doc, ensure_ascii=False)
        if len(text) < 8 or text in self.seen or not sc.keep_text(text):
            return
        self.seen.add(text)
        strings: list[str] = []
        sc.walk_strings(doc, "", lambda _k, s: strings.append(s), ("", ""))
        if any(s in self.attacks or (is_url(s) and internal_target(s)) for s in strings):
            self.left_out.append({"value": text, "source": where, "why": "holds a left-out string"})
            return
        self.bodies.append({"value": text, "source": where})


def _schema_suite(found: Found, root: Path) -> None:
    base = root / "jsonschema-4.26.0/json/tests"
    for path in sorted(base.rglob("*.json")):
        rel = path.relative_to(base).as_posix()
        category = FORMAT_CATEGORY.get(path.stem, "") if "/format/" in f"/{rel}" else ""
        for g_i, group in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            for t_i, test in enumerate(group.get("tests", [])):
                where = f"jsonschema 4.26.0 json/tests/{rel} [{g_i}].tests[{t_i}].data"
                data = test.get("data")
                if isinstance(data, str):
                    found.add(category, data, where)
                else:
                    sc.walk_strings(data, "", lambda _k, s, w=where: found.add("", s, w), ("", ""))
                    if isinstance(data, dict | list):
                        found.body(data, where)


def _parametrized(tree: ast.AST) -> list[str]:
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "parametrize":
            for arg in node.args[1:]:
                out += [s for s in _strings(arg)]
    return out


def _validators(found: Found, root: Path) -> None:
    for path in sorted((root / "validators-0.36.0/tests").glob("test_*.py")):
        category = VALIDATORS_CATEGORY.get(path.name, "")
        for s in _parametrized(ast.parse(path.read_text(encoding="utf-8"))):
            found.add(category, s, f"validators 0.36.0 tests/{path.name}")


def _url_constants(found: Found, root: Path, folder: str, label: str) -> None:
    for path in sorted((root / folder).glob("*.py")):
        for s in _strings(ast.parse(path.read_text(encoding="utf-8"))):
            if re.match(r"[a-z][a-z0-9+.-]*://\S", s, re.I) and "%s" not in s and "{" not in s:
                found.add("urls", s, f"{label} {path.name}")


def _benign(root: Path, attacks: set[str]) -> tuple[dict[str, list[dict[str, str]]], list[dict[str, str]]]:
    found = Found(attacks)
    _schema_suite(found, root)
    _validators(found, root)
    _url_constants(found, root, "rfc3986-2.0.0/tests", "rfc3986 2.0.0 tests")
    _url_constants(found, root, "hyperlink-21.0.0/src/hyperlink/test", "hyperlink 21.0.0 src/hyperlink/test")
    text = (root / "ssrfcheck-1.4.0/package/tests/data/should-pass.js").read_text(encoding="utf-8")
    for s in _js_strings(text):
        found.add("urls", s, "ssrfcheck 1.4.0 tests/data/should-pass.js")
    values = {f"schema_{cat}": sc.even(vals, CAP) for cat, vals in sorted(found.values.items())}
    return {**values, "schema_objects": sc.even(found.bodies, MAX_BODIES)}, found.left_out


def _without_near_repeats(attacks: dict[str, list[str]], repeats: list[dict[str, str]]) -> dict[str, list[str]]:
    """The first of the values that differ only in their numbers (``https://192.168.0.3``, ``https://10.0.0.1:8000``):
    the rest are near repeats, listed with the value kept."""
    out: dict[str, list[str]] = {}
    first: dict[str, str] = {}
    for cls, values in attacks.items():
        for value in values:
            shape = re.sub(r"\d+", "0", value)
            if shape in first:
                repeats.append({"source": "near repeat", "value": value, "why": f"differs only in numbers from "
                                f"{first[shape]!r}"})
                continue
            first[shape] = value
            out.setdefault(cls, []).append(value)
    return out


def extract(root: Path) -> None:
    """The attack and benign values from the unpacked packages under ``root``."""
    dropped: list[dict[str, str]] = []
    sources = [
        _advocate(root, dropped), _ssrfcheck(root, dropped), _private_ip(root, dropped),
        _readme_urls(root, "request-filtering-agent-3.2.1", RFA, dropped),
        _readme_urls(root, "ssrf-req-filter-1.1.1", SRF, dropped), _crlfsuite(root, dropped),
    ]
    attacks, repeats = sc.first_seen(HERE, sources)
    attacks = _without_near_repeats(attacks, repeats)
    every_attack = sc.older_payloads(HERE) | {v for vals in attacks.values() for v in vals} | {
        r["value"] for r in repeats}
    benign, left_out = _benign(root, every_attack)
    counts = {cat: len(v) for cat, v in benign.items()}
    sc.write_values(HERE, SPLIT, attacks, benign, sc.attack_meta(sources, HOW_READ, dropped, repeats, attacks),
                    {**BENIGN_SOURCES, "left_out": left_out, "counts": counts})


def build() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = sc.build_with_bodies(HERE, SPLIT, (("schema_objects", "objects", "json"),))
    return out


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
