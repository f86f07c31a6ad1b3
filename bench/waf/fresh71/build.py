"""fresh71: the XSS vectors the scanner XSSer (epsylon/xsser) sends, instantiated as it sends them, against recorded
answers of the services Home Assistant integrates (the JSON fixtures of its integrations whose names start with i, j,
k, l or m: ipp, iron_os, jellyfin, lamarzocco, lametric, lidarr, linkplay, loqed, mastodon, mealie, miele,
music_assistant, myuplink).

    python bench/waf/fresh71/build.py              # writes corpus.jsonl
    python bench/waf/fresh71/build.py --extract    # re-selects the values first (from records.txt and ha/)

Attack payloads (what was read, and how). XSSer was read through the code-search index (read_file; commit or index
file id per source): ``core/fuzzing/vectors.py`` (about 1,290 vectors, sampled at every fourth entry in file order),
``DOM.py``, ``DCP.py`` and ``HTTPsr.py`` (all entries), and ``core/main.py`` (how a vector becomes the value sent: its
anti-WAF and browser wrappers, the encodings of ``core/encdec.py``, the ``--payload`` examples of its help). The
vectors are transcribed in ``records.txt`` as the files write them, Python string literals with their quotes (kind
``P``, evaluated with ``ast.literal_eval`` as XSSer's Python 3 evaluates them: ``\\u0061`` is ``a``, ``\\154`` is
``l``). Each is then instantiated as ``get_url_payload`` does: ``PAYLOAD`` (and a wrapper's vector) becomes
``DEFAULT_XSS_PAYLOAD`` (``'XSS'``), then every ``XSS`` becomes the attack hash (an md5 hex digest; here of the vector
itself, so a vector repeated in the file stays one value); in a DCP vector the part between the first two ``[B64]``
marks is base64-encoded and what follows the second mark is dropped (as ``split("[B64]")[1]`` does). XSSer puts the
result into the query or form with ``urlencode``, so the application receives the vector as written (its ``%3C`` and
``%0A`` included); the HTTP response-splitting list (``HTTPsr.py``, kind ``PU``) is written for the URL itself and is
percent-decoded once. The wrappers (``--Phpids070`` ... ``--Opera``) wrap vectors.py's first vector ``">PAYLOAD``
(their ``VECTOR``); ``--Imperva``'s double URL encoding is computed but then replaced by the plain hashed payload for
a parameter injection, so the plain form is what is sent. The encodings (``--Hex``, ``--Hes``, ``--Dec``, ``--Une``)
are applied by ``encoded()`` to every 40th vector value kept as xss (built in code, not transcribed).

Each value is sorted by its family's rule (``classify``; rules fixed before measuring):

- ``vector``, ``dom``, ``dcp``, ``wrapper``, ``manual``: ``xss`` when, on the value, on it with its character
  references resolved (``html.unescape``) or on it percent-decoded once (``_readings``), fresh61's XSS rule holds (a
  script element,
  an event-handler attribute, a ``javascript:`` URL once character references and spaces are removed, a ``data:``
  HTML URL, an ``alert``/``prompt``/``confirm``/``eval`` call, CSS ``expression(``) or ``XSS_MORE`` does: a
  ``vbscript:``/``livescript:``/``mocha:`` URL, a ``data:`` URL of HTML, SVG, XML or JavaScript, a UTF-7
  ``+ADw-script``, a ``vbs:``/``MsgBox`` handler, an ``on..._...=`` handler (``onqt_error``), a namespaced script
  element (``<html:script``), or a CSS ``expression(`` split by comments. Left out: a vector whose only content is
  the hash in an inert place (``">hash``, ``<IMG SRC="hash">``, ``&{hash};``), since ``PAYLOAD`` stands for the code
  and XSSer fills it with the hash alone.
- ``induced`` (HTTPsr.py): ``crlf`` when a line break is followed by a header line (``CRLF_HEADER``: ``Name:``), else
  ``xss`` by the rule above, else left out.
- ``encoded``: the class of the vector it encodes (always ``xss``: only vectors kept as xss are encoded).
  ``--Str`` (a comma-separated list of character codes) is left out: nothing in it runs unless the application itself
  wraps it in ``String.fromCharCode``; the heuristic list (``heuristic.py``: one special character between two
  ``XSS`` marks) is left out as a probe, not an injection.

Values already in an older split (attacks or corpus) or repeated are dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring). The fixture files under ``ha/`` (copied from home-assistant/core
``tests/components/<integration>/fixtures/``, Apache-2.0, re-serialized compactly; ``FIXTURES`` lists each file's
commit and index file id), in path order: every string value not under a secret key (``SECRET_KEYS`` and
``MORE_SECRETS``: tokens, API keys, key secrets, serial numbers, UUIDs), kept by ``keep_text``, not an address or URL
on a private, loopback or link-local host (``_private``; counted in ``sources.json``), by ``text_category``
(``ha_urls``, ``ha_prose``, ``ha_names``, ``ha_codes``; at most ``CAP`` per category at an even stride); and each
fixture whole as a JSON body (``ha_documents``) with the secret keys and the private addresses taken out. Values an
older split holds are left out. Split name ``fresh71``.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import html
import ipaddress
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

f61 = sc.load_build("fresh61")  # fresh61's rules, reused unchanged

SPLIT = "fresh71"
CAP = {"names": 700, "prose": 600, "urls": 300, "codes": 700}
MAX_DOC = 20_000
LABEL = "home-assistant/core tests/components"
HOW_READ = (
    "read through the code-search index (read_file; commit or index file id per source); the vectors transcribed in "
    "records.txt as the files write them (Python literals), instantiated as XSSer's get_url_payload does and sorted "
    "by build.py's classify (see its docstring)"
)
FIRST_VECTOR = '">PAYLOAD'
ENCODE_EVERY = 40
NOTES = [
    (
        "epsylon/xsser core/fuzzing/heuristic.py (heuristic_test)",
        "one special character (\\ / > < ; ' \" = and their %XX and &#NN forms) between two hashes: a probe for "
        "which characters come back unfiltered, not an injection",
    ),
    (
        "epsylon/xsser core/encdec.py --Str (String.fromCharCode encoding)",
        "a comma-separated list of character codes: nothing runs unless the application wraps it in "
        "String.fromCharCode itself",
    ),
    (
        "epsylon/xsser core/main.py --Phpids065 (32 copies of the vector and one more)",
        "the repetition of a vector that is itself left out ('\">' and the hash)",
    ),
    (
        "epsylon/xsser core/main.py --Dwo/--Doo (IP address DWORD/octal encodings)",
        "rewrite an IP address in a vector; the sampled vectors hold none but 127.0.0.1 of a vector left out",
    ),
    (
        "epsylon/xsser core/fuzzing/vectors.py (the other three in four entries)",
        "not sampled: the list is about 1,290 entries, many repeating a pattern with another event name",
    ),
]
# home-assistant/core fixture files read (integration/file, commit as find_files/read_file gave it, index file id).
FIXTURES = [
    ("ipp/printer.json", "2835f0bfde631a7069f2b1dfea2736b1c1a2d62e", "67225654619"),
    ("iron_os/releases_latest.json", "6df6f606f2ea0d3b8ee9f5c99039a4e35f32afff", "5847755738"),
    ("jellyfin/artist.json", "acb5ead8556a768f2fa1e7b788ef5c76e6f3820d", "1025455763"),
    ("jellyfin/movie.json", "01dba6ff9616d45213018367d89535a961a36828", "1102504398"),
    ("jellyfin/season.json", "554cbbda926afbdcf20b426bcb3c74bc5a80c0e9", "131130292"),
    ("jellyfin/track.json", "49ec9f14bc4f3fe3f453726d170fc60e8c2cc2e2", "412386797"),
    ("lamarzocco/schedule.json", "a4f4d328378a50bb77deb86f13305befc1e9a787", "60702129"),
    ("lamarzocco/statistics.json", "aa0b4bf1e976b897c557c5823ba2b573dbb96c32", "312022691"),
    ("lamarzocco/thing.json", "bdcf557f972238dd0bec5228ac01125893b2c792", "825888098"),
    ("lametric/cloud_devices.json", "0de0b367dea37758f332e4d4ddcc96086625f439", "490845373"),
    ("lametric/device.json", "17f019f3695fdda99446789b7c949755a679e62c", "1549598501"),
    ("lidarr/album.json", "117f81ae9e2d717be1018991f450702053a5b69d", "326010088"),
    ("lidarr/queue.json", "5f4ed4fb92e7add6c00829dc34594c9db3c450e7", "796255470"),
    ("lidarr/rootfolder-linux.json", "9e2a38a5ea5c1b89d7b965c9ba201b696c7b4b5f", "884360671"),
    ("lidarr/system-status.json", "6f7c17df3a5d06ec317897dd13d06d65a4c329e6", "598236162"),
    ("lidarr/wanted-missing.json", "10b53674f7dfb8d3718a61be8bdc42373fdd34cc", "20362510751"),
    ("linkplay/getPlayerEx.json", "2156d62c6ecec2f9f6bfefcc650a3f6d82d66979", "251957232"),
    ("linkplay/getPlayerEx_follower.json", "74f348a68a6e05dd6297d746ac3a27f0fd55d111", "59405661675"),
    ("linkplay/getStatusEx.json", "8a8e5264b901a2a3ca1375c75a2bb6b2b165c774", "894752547"),
    ("loqed/get_all_locks.json", "96f1412f76ee9dcdeb23b53b96fb630b2ba4ed6f", "603762755"),
    ("loqed/lock_going_to_nightlock.json", "8a8aa9c72eac11d995e9832affd4155c193b5e2b", "233811926"),
    ("loqed/status_ok.json", "0b803411a8f9accb9f66712e25bc5b1a50768b73", "70254288463"),
    ("mastodon/account.json", "8d7df6e1a4d49cf438cbd3d22b5f9bc24c5d005b", "377970536"),
    ("mastodon/account_verify_credentials.json", "42c449f54ecfceee01652b552e6f1e0251ee3b34", "424747967"),
    ("mastodon/instance.json", "37f3446dd76770522e3d6ba89d211378b63b6740", "27970725607"),
    ("mastodon/status_post.json", "447184e04996f345a15f8f1f010e0da3f4a8bfc2", "56248157199"),
    ("mealie/about.json", "2895602777f8cfd7f7e64d73e929d6010da59096", "18654961677"),
    ("mealie/get_mealplan_today.json", "2e53df1d3d52fcf146290e01aa689d821fde2d44", "53497333004"),
    ("mealie/get_shopping_items.json", "4939dd030e3b5800b8c2e62a0a67444d40449858", "946123096"),
    ("mealie/statistics.json", "8a8e5264b901a2a3ca1375c75a2bb6b2b165c774", "994260025"),
    ("mealie/users_self.json", "c3562c57c51051e2cab96491e06f445bfb734233", "446576256"),
    ("miele/hob.json", "8d7df6e1a4d49cf438cbd3d22b5f9bc24c5d005b", "72653814"),
    ("miele/programs.json", "2e53df1d3d52fcf146290e01aa689d821fde2d44", "2209840618"),
    ("miele/programs_washing_machine.json", "d6f425cf3d0aebfee232aa3a907e13c0a5753f2c", "128681500"),
    ("miele/rooms.json", "5f603c4d45e1197dca0b98fea5fa0b0dc90fa308", "40967149057"),
    ("music_assistant/library_podcasts.json", "ab84fe241b76664f20b1324540c70a750935c0ce", "260615164"),
    ("music_assistant/library_radios.json", "824e3683fd3b660c9ffc05dfd2e01107a374e4ec", "9962868"),
    ("music_assistant/users.json", "320e73da42acc36c5d0c1a500ccfa10f2be07f08", "56292615169"),
    ("myuplink/device.json", "b3d6e248fa10f8b0eea128dadba141d8054950f4", "397576958"),
    ("myuplink/systems-2dev.json", "3e230d76d39ee89ef9b8c2871807a63c5ec3dafb", "876171852"),
    ("myuplink/systems.json", "bf982012e9cf515b8c62d99d00f7099912592d1f", "3141061874"),
]
MORE_SECRETS = frozenset(
    {
        "public_key",
        "key_secret",
        "backend_key",
        "bridge_key",
        "bleauthtoken",
        "serial_number",
        "serialnumber",
        "fabnumber",
        "uuid",
        "temp_uuid",
        "upnp_uuid",
        "printer-uuid",
        "tokens",
        "cachekey",
    }
)
"""Keys whose values are left out besides ``sc.SECRET_KEYS``: keys, tokens, serial numbers and device UUIDs."""
BENIGN_SOURCES: dict[str, Any] = {
    "repository": "home-assistant/core",
    "files": "tests/components/<integration>/fixtures/*.json for "
    + ", ".join(sorted({rel.split("/")[0] for rel, _, _ in FIXTURES})),
    "fixtures": [{"file": rel, "commit": commit, "index_file_id": fid} for rel, commit, fid in FIXTURES],
    "licence": "Apache-2.0 (home-assistant/core LICENSE.md); the recorded answers are the services' own text",
    "what": "string values of the recorded answers by text_category; each answer whole as a JSON body",
}

# --- the attack side --------------------------------------------------------------------------------------------------


def _decode(kind: str, line: str) -> str:
    value = ast.literal_eval(line)
    assert isinstance(value, str)
    return unquote(value) if kind == "PU" else value


def _hash(vector: str) -> str:
    return hashlib.md5(("fresh71 " + vector).encode()).hexdigest()


def instantiate(family: str, vector: str) -> str:
    """The value XSSer sends for ``vector``: PAYLOAD -> 'XSS' -> the hash; a DCP vector's [B64] part base64-encoded."""
    template = vector.replace("VECTOR", FIRST_VECTOR) if family == "wrapper" else vector
    value = template.replace("PAYLOAD", "XSS").replace("XSS", _hash(vector))
    if family == "dcp" and "[B64]" in value:
        parts = value.split("[B64]")
        value = parts[0] + base64.b64encode(parts[1].encode()).decode()
    return value


XSS_MORE = re.compile(
    r"\b(?:vbscript|livescript|mocha)\s*+:|\bdata:(?:text/html|image/svg\+xml|text/xml|text/javascript)|"
    r"\+ADw-\s*+script|\bvbs:|\bmsgbox\b|\bon[a-z_]+\s*+=|<[\w-]+:script\b",
    re.I,
)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
CRLF_HEADER = re.compile(r"[\r\n][\w-]++:")


def _readings(value: str) -> tuple[str, ...]:
    """The value, its character references resolved, and its percent-encoding undone once (XSSer writes some vectors
    entity- or percent-encoded for the application that decodes them)."""
    once = unquote(value)
    return value, html.unescape(value), once, html.unescape(once)


def _xss(value: str) -> str:
    for text in _readings(value):
        if not f61._xss(text) or XSS_MORE.search(text) or "expression(" in CSS_COMMENT.sub("", text).lower():
            return ""
    return "no script, handler, script URL or call once instantiated (XSSer fills PAYLOAD with the hash alone)"


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("", why) for a value left out."""
    if family == "induced" and CRLF_HEADER.search(value):
        return "crlf", ""
    why = _xss(value)
    return ("xss", "") if not why else ("", why)


ENCODINGS = {
    "Hex": lambda s: "".join("%" + format(ord(c), "x") for c in s),
    "Hes": lambda s: "".join("&#x" + format(ord(c), "x") + ";" for c in s),
    "Dec": lambda s: "".join("&#" + str(ord(c)) for c in s),
    "Une": lambda s: "".join(quote(c) for c in s),
}
"""core/encdec.py's encoders, as its functions write them."""


def encoded(values: list[str]) -> list[tuple[str, str]]:
    """Every ``ENCODE_EVERY``-th xss value of vectors.py under each encoding."""
    return [("xss", enc(v)) for v in values[::ENCODE_EVERY] for enc in ENCODINGS.values()]


def attack_records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The sources with their classified values, and the values left out."""
    sources = sc.read_family_records(HERE / "records.txt", _decode)
    dropped = [{"repository": what, "left_out": what, "why": why} for what, why in NOTES]
    kept_vectors: list[str] = []
    for src in sources:
        classified = []
        for vector in src.pop("values"):
            value = instantiate(src["family"], vector)
            cls, why = classify(src["family"], value)
            if cls:
                classified.append((cls, value))
                if src["family"] == "vector":
                    kept_vectors.append(value)
            else:
                dropped.append({"repository": src["repository"], "left_out": f"{src['files']}: {value!r}", "why": why})
        src["values"] = classified
    sources.append(
        {
            "repository": "epsylon/xsser",
            "files": "core/encdec.py --Hex, --Hes, --Dec, --Une applied to every "
            f"{ENCODE_EVERY}th vectors.py value kept",
            "commit": "index file id 31217048707",
            "licence": "GPL-3.0",
            "family": "encoded",
            "values": encoded(kept_vectors),
        }
    )
    return sources, dropped


# --- the benign side: Home Assistant fixtures -------------------------------------------------------------------------

_IP_OR_HOST = re.compile(r"^(?:[\w-]+://)?\[?([0-9a-fA-F:.]+|[\w.-]+)\]?(?::\d+)?(?:/|$)")


def _private(text: str) -> bool:
    """An address, or a URL, on a private, loopback or link-local host (an SSRF guard refuses these in URL fields)."""
    host = urlsplit(text).hostname if "://" in text else None
    if host is None:
        match = _IP_OR_HOST.match(text)
        host = match.group(1) if match else None
    if not host:
        return False
    if host == "localhost" or host.endswith(".local"):
        return True
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    return addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_unspecified


def _clean(node: Any, counts: dict[str, int]) -> Any:
    """``node`` without secret keys and without private addresses (each counted)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key.lower() in sc.SECRET_KEYS or key.lower() in MORE_SECRETS:
                counts["secret"] += 1
                continue
            out[key] = _clean(value, counts)
        return out
    if isinstance(node, list):
        return [_clean(v, counts) for v in node]
    if isinstance(node, str) and _private(node.strip()):
        counts["private"] += 1
        return ""
    return node


def fixtures(older: set[str]) -> tuple[dict[str, list[dict[str, str]]], dict[str, int]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    documents: list[dict[str, str]] = []
    counts = {"secret": 0, "private": 0}
    seen = set(older)
    for rel, _commit, _fid in FIXTURES:
        doc = _clean(json.loads((HERE / "ha" / rel).read_text(encoding="utf-8")), counts)
        sc.collect_strings(found, seen, LABEL, rel, doc)
        text = json.dumps(doc, ensure_ascii=False)
        if len(text) <= MAX_DOC and text not in seen:
            seen.add(text)
            documents.append({"value": text, "source": f"{LABEL} {rel} body"})
    out = {f"ha_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["ha_documents"] = documents
    return out, counts


def extract() -> None:
    sources, dropped = attack_records()
    benign, counts = fixtures(sc.older_benign(HERE))
    meta = {
        **BENIGN_SOURCES,
        "left_out": {
            "values under secret keys": counts["secret"],
            "private, loopback or link-local addresses": counts["private"],
        },
    }
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, meta)


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(HERE, SPLIT, (("ha_documents", "documents", "json"),))
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
