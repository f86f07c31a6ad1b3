"""fresh69: the SQL injection payloads two SQL injection tools send (ghauri's payload table and jSQL Injection's
per-database vendor models), against recorded answers of Home Assistant integrations (test fixtures of integrations
whose name starts with a, b or c).

    python bench/waf/fresh69/build.py                      # writes corpus.jsonl
    python bench/waf/fresh69/build.py --extract HA_FIXTURES    # re-selects the values first

``HA_FIXTURES`` is a folder holding ``<integration>/<file>.json`` for each ``FIXTURES`` entry below: the files of
``home-assistant/core`` ``tests/components/<integration>/fixtures/``, read through the code-search index (read_file, the
commit given per file) and written out again as JSON (whitespace aside, the same documents).

Attack payloads (what was read, and how). Read through the code-search index (read_file; commit per source) and
transcribed in ``records.txt``, one ``@@ source`` line per list:

- ``r0oth3x49/ghauri`` ``ghauri/common/payloads.py`` ``PAYLOADS`` (MIT): the generic boolean tests and the MySQL,
  Microsoft SQL Server, PostgreSQL and Oracle boolean, error, time and stacked payloads. Each payload comes with a list
  of prefix/suffix pairs (``comments``); a record (kind ``G``) is one payload with one pair, chosen at an even stride
  (two to six pairs a payload). ``[RANDNUM]`` is filled with 5678, ``[SLEEPTIME]`` with 5, ``[ORIGVALUE]`` with 1; the
  value is ``pref + payload + suf`` percent-decoded once (the MSSQL payloads write ``+`` as ``%2B``). The extraction
  fragments (``LENGTH_PAYLOADS``, ``PAYLOADS_BANNER`` ...) are not sent alone and were not taken.
- ``ron190/jsql-injection`` ``src/main/resources/vendor/<db>.yml`` (GPL-2.0 per its README badge; the strings are
  test data here, no code taken): the ``strategy`` templates of MySQL, PostgreSQL, SQL Server, Oracle, SQLite, DB2,
  H2, HSQLDB, Firebird, Sybase and CockroachDB: ``normal`` (union select, order by), ``boolean`` (blind test, bit and
  length tests), ``time`` and the ``error`` methods. A record (kind ``Y``) is the value before the injection point
  (``1`` with or without a quote or parenthesis), the template and the vendor's ``endingComment``; for an error
  method the vendor's ``slidingWindow`` goes into ``${WINDOW}``. The placeholders get fixed simple values
  (``PLACEHOLDERS``: columns 1,2,3, table ``users``, query ``select name from users``, test ``1 = 1``, sleep 5 ...),
  the ``/* ... */`` notes are dropped, whitespace is folded to single spaces as jsql sends the query, and the value
  is percent-decoded once (the templates write ``!``, ``&``, ``+`` as ``%21``, ``%26``, ``%2b``; ``--+-`` becomes
  ``-- -``).

Each value is sorted by fresh61's rule for the ``sql`` family (``classify``; rules fixed before measuring), with the
additions of fresh68 (``information_schema``, ``pg_sleep``, ``UNION [ALL] SELECT``) and one more: ``sqli`` also when
the value holds a subquery ``(SELECT`` or calls a database's delay or error function (``SLEEP``, ``WAITFOR DELAY``,
``DBMS_PIPE``, ``DBMS_LOCK``, ``USER_LOCK``, ``EXTRACTVALUE``, ``UPDATEXML``, ``GTID_SUBSET``, ``CTXSYS``). Every
value of both tools is an injection the tool sends; a value no rule holds is left out with the reason. Values already
in an older split (attacks or corpus) or repeated are dropped and listed in ``sources.json``.

Benign values (rules fixed before measuring). Every fixture of ``FIXTURES`` (in that order): every string value not
under a ``SECRET_KEYS`` key nor one of ``MORE_SECRET_KEYS`` (serial numbers, signatures, MAC and BSSID addresses),
kept by ``keep_text``, not an address or URL of a private, loopback or link-local host (``PRIVATE``), by
``text_category`` (``hass_urls``, ``hass_prose``, ``hass_names``, ``hass_codes``; at most ``CAP`` per category at an
even stride); each fixture whole as a JSON body (``hass_documents``) when it holds no left-out value. Values an older
split holds are left out. Split name ``fresh69``.
"""

from __future__ import annotations

import ipaddress
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

f61 = sc.load_build("fresh61")  # fresh61's rules, reused unchanged
f68 = sc.load_build("fresh68")  # fresh68's additions to the sql rule

SPLIT = "fresh69"
CAP = {"names": 600, "prose": 600, "urls": 300, "codes": 800}
HOW_READ = (
    "read through the code-search index (read_file; commit per source); the templates transcribed in records.txt "
    "as the source writes them (ghauri: payload with one prefix/suffix pair; jsql: prefix, strategy template, ending "
    "comment, sliding window), filled with fixed values and sorted by build.py's classify (see its docstring)"
)
NOTES = [
    (
        "r0oth3x49/ghauri ghauri/common/payloads.py LENGTH_PAYLOADS, DATA_EXTRACTION_PAYLOADS, PAYLOADS_BANNER ...",
        "extraction fragments put inside a vector's [INFERENCE]; never sent alone",
    ),
    (
        "ron190/jsql-injection vendor/*.yml resource (schema, zipped, dios, file)",
        "the metadata queries jsql puts inside a strategy's ${INJECTION}; represented by the fixed query instead",
    ),
    (
        "ron190/jsql-injection vendor/*.xml",
        "the older XML form of the same vendor models (the YAML files were read)",
    ),
]
PLACEHOLDERS = {
    "INDICES": "1,2,3",
    "RESULT_RANGE": "1,2,3",
    "INDICE_UNIQUE": "select 1 a",
    "TEST": "1 = 1",
    "SLEEP_TIME": "5",
    "INJECTION": "select name from users",
    "INDEX": "1",
    "CAPACITY": "64",
    "BIT": "1",
    "LEAD": "x",
    "LEAD_HEX": "0x78",
    "TRAIL_SQL": "x",
}
GHAURI = {"[RANDNUM]": "5678", "[SLEEPTIME]": "5", "[ORIGVALUE]": "1"}
NOTE = re.compile(r"/\*.*?\*/", re.S)
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")

FIXTURES = [
    ("bring/items.json", "5c383f3d88d944d1f1e2d53d15b1ca424d03b1b0"),
    ("bring/activity.json", "09c011a38b5c6981c7dee477e0dd7f0f6878ebab"),
    ("bring/lists.json", "554cbbda926afbdcf20b426bcb3c74bc5a80c0e9"),
    ("bring/users.json", "4bdbf6f2baaa0e09c6313249e19aa7e757b0cb01"),
    ("bring/usersettings.json", "8d7df6e1a4d49cf438cbd3d22b5f9bc24c5d005b"),
    ("bring/items_shared.json", "2156d62c6ecec2f9f6bfefcc650a3f6d82d66979"),
    ("bring/lists2.json", "8d7df6e1a4d49cf438cbd3d22b5f9bc24c5d005b"),
    ("cambridge_audio/get_info.json", "554cbbda926afbdcf20b426bcb3c74bc5a80c0e9"),
    ("cambridge_audio/get_now_playing.json", "96f1412f76ee9dcdeb23b53b96fb630b2ba4ed6f"),
    ("cambridge_audio/get_presets_list.json", "17aa46695829219c1ea963f20b1b18709ee3e051"),
    ("cambridge_audio/get_sources.json", "42c449f54ecfceee01652b552e6f1e0251ee3b34"),
    ("cambridge_audio/spotify_get_now_playing.json", "1de3f35187fc8030864d09e30f28b18a63c29667"),
    ("cambridge_audio/get_state.json", "485d249bb595b20299b6a4ebb5932bd035158ba8"),
    ("cambridge_audio/get_display.json", "162c27b92c88b39ef96d0432dcb22ddf9b71fd85"),
    ("cambridge_audio/get_audio.json", "251e5f4fbfcdce5d9a19ec42e9bf9e705c6f940c"),
    ("cookidoo/additional_items.json", "2e93b607e7f63ade53fda99a765e26b83b1b674b"),
    ("cookidoo/ingredient_items.json", "cca6086b595bd5092001b7cd960721ff35c9c994"),
    ("cookidoo/calendar_week.json", "8d7df6e1a4d49cf438cbd3d22b5f9bc24c5d005b"),
    ("cookidoo/subscriptions.json", "c3562c57c51051e2cab96491e06f445bfb734233"),
    ("cookidoo/user_info.json", "31a69a21186d6397c2a3c9e50e444e5d753bda59"),
    ("accuweather/current_conditions_data.json", "37ed92ae6564ed6be2096d253a54035bde3a74a7"),
    ("bsblan/static.json", "e82e3ef586d47d9b16ca78a8036b4422ec991045"),
    ("bsblan/state.json", "0d5d1c6c7e08062a8feda25786763e46e4ea0401"),
    ("bsblan/dhw_config.json", "31b9d64e0d37430a3a9f212231551ec4ca170a8b"),
    ("bsblan/device.json", "227aa25d6a3df92818d40817160c3e6cec1c6460"),
    ("bsblan/info.json", "227aa25d6a3df92818d40817160c3e6cec1c6460"),
    ("bsblan/sensor.json", "31ee6a144ed35891d69312e4ac4359f570c9374a"),
    ("bsblan/heating_schedule.json", "7fd6b51aa9822fa47c6b6527371916f6f2aecaab"),
    ("bsblan/time.json", "20d1859d4c93299d6dc11203de4e97c9bb88247b"),
    ("airgradient/get_config.json", "96f1412f76ee9dcdeb23b53b96fb630b2ba4ed6f"),
    ("airgradient/current_measures.json", "7ed15e6d2f07af7be88bd4024ef60fdddeacc596"),
    ("airgradient/status.json", "a88ca9472f28f91141ec5c766e083dd908c1b5cf"),
    ("aemet/station-3195.json", "321d24d6d21f3e7d459f99fb9ee714865bbd7984"),
    ("aemet/town-id28065.json", "8a8aa9c72eac11d995e9832affd4155c193b5e2b"),
    ("autarco/solar.json", "3f5c930b9055f8e7a5cc247825e8578e930fecdf"),
    ("brother/printer_data.json", "2a0a37bb3e6a16ee41ead7ed2f06461de3141a96"),
    ("comelit/get_all_devices.json", "8f21576a24b776414608b1cba76af5691a7f80c6"),
    ("bmw_connected_drive/remote_service/eventposition.json", "07aa8605af0ce183144bd74e404606a4ace97ac7"),
    ("august/get_doorbell.json", "ac38065f45bbeed88b02b0bcadbd366809ebab61"),
    ("august/get_activity.lock_from_keypad.json", "c5edf173ea9326a9ee2181b265b9a9c9085aab3e"),
    ("august/get_activity.jammed.json", "3c1c34d2f37df7a6953ee2df0781ee1d079e707d"),
    ("august/get_lock.online_with_keys.json", "8b335a415de9b1e113fa6f8b92f81ff6a92752ea"),
]
MORE_SECRET_KEYS = frozenset({"serialno", "serialnumber", "signature", "mac", "bssid"})
BENIGN_SOURCES: dict[str, Any] = {
    "repository": "home-assistant/core",
    "files": [
        {"path": f"tests/components/{rel.split('/', 1)[0]}/fixtures/{rel.split('/', 1)[1]}", "commit": commit}
        for rel, commit in FIXTURES
    ],
    "licence": "Apache-2.0 (home-assistant/core LICENSE.md)",
    "how_read": "read through the code-search index (read_file, the commit per file), written out as JSON again",
    "what": "string values of the recorded answers by text_category, whole answers as JSON bodies",
    "not_read": "airly valid_station.json (65 kB, too long to transcribe by hand; no smaller airly answer holds text)",
}

# --- reading records.txt ---------------------------------------------------------------------------------------------


def _fill_jsql(template: str, window: str) -> str:
    values = {**PLACEHOLDERS, "WINDOW": _fill_jsql(window, "") if window else ""}
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def _decode(kind: str, line: str) -> str:
    """A record as the application receives it (see the module docstring for kinds ``G`` and ``Y``)."""
    parts = json.loads(line)
    if kind == "G":
        pref, payload, suf = parts
        for key, val in GHAURI.items():
            payload = payload.replace(key, val)
        return unquote(pref + payload + suf)
    prefix, template, ending, *window = parts
    body = " ".join(NOTE.sub(" ", _fill_jsql(template, window[0] if window else "")).split())
    return unquote(f"{prefix} {body} {ending.replace('+', ' ')}")


# --- the rules -------------------------------------------------------------------------------------------------------

SQL_CALLS = re.compile(
    r"\(\s*+select\b|\b(?:sleep|extractvalue|updatexml|gtid_subset)\s*+\(|\bwaitfor\s++delay\b|"
    r"\b(?:dbms_pipe|dbms_lock|user_lock|ctxsys)\.",
    re.I,
)


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("", why) for a value left out."""
    assert family == "sql"
    if f61.SQL.search(value) or f68.SQL_MORE.search(value) or SQL_CALLS.search(value):
        return "sqli", ""
    return "", "no clause, comment, statement, subquery or database function"


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


# --- benign: the Home Assistant fixtures -----------------------------------------------------------------------------


def private(text: str) -> bool:
    """An address, or a URL whose host is, on a private, loopback or link-local network."""
    if "://" in text:
        host = urlsplit(text).hostname
        return bool(host) and bool(f61._internal_host(host))
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return False
    return addr.is_private or addr.is_loopback or addr.is_link_local


def _left_out(node: Any, key: str = "") -> int:
    """How many strings of a document ``hass_fixtures`` leaves out as secret or private."""
    if isinstance(node, dict):
        return sum(_left_out(v, k) for k, v in node.items())
    if isinstance(node, list):
        return sum(_left_out(v, key) for v in node)
    if isinstance(node, str):
        secret = key.lower() in sc.SECRET_KEYS or key.lower() in MORE_SECRET_KEYS
        return int(secret or private(node.strip()))
    return 0


def hass_fixtures(root: Path, older: set[str]) -> tuple[dict[str, list[dict[str, str]]], dict[str, int]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    documents: list[dict[str, str]] = []
    seen = set(older)
    left = {"secret_or_private_values": 0, "documents_with_them": 0}
    for rel, _commit in FIXTURES:
        doc = json.loads((root / rel).read_text(encoding="utf-8"))
        label = f"home-assistant/core tests/components/{rel.split('/', 1)[0]}/fixtures"
        kept: dict[str, list[dict[str, str]]] = {cat: [] for cat in found}
        sc.collect_strings(kept, seen, label, rel.split("/", 1)[1], _without_secrets(doc))
        for cat, entries in kept.items():
            found[cat].extend(e for e in entries if not private(e["value"]))
        n_left = _left_out(doc)
        left["secret_or_private_values"] += n_left
        text = json.dumps(doc, ensure_ascii=False)
        if n_left:
            left["documents_with_them"] += 1
        elif text not in seen:
            seen.add(text)
            documents.append({"value": text, "source": f"{label} {rel.split('/', 1)[1]} body"})
    out = {f"hass_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["hass_documents"] = documents
    return out, left


def _without_secrets(node: Any) -> Any:
    """``node`` less the values under ``MORE_SECRET_KEYS`` (``collect_strings`` already skips ``SECRET_KEYS``)."""
    if isinstance(node, dict):
        return {k: _without_secrets(v) for k, v in node.items() if k.lower() not in MORE_SECRET_KEYS}
    if isinstance(node, list):
        return [_without_secrets(v) for v in node]
    return node


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the fixture folder."""
    sources, dropped = attack_records()
    benign, left = hass_fixtures(root, sc.older_benign(HERE))
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, {**BENIGN_SOURCES, "left_out": left})


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(HERE, SPLIT, (("hass_documents", "documents", "json"),))
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
