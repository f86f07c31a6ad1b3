"""fresh23: payload lists and write-ups no older split read (an aggregated wordlist project's SSTI, CRLF, XXE, command
and file-inclusion lists, a payload collection's LDAP, SQL-bypass and Struts OGNL files, a SQL list, a knowledge base's
prototype-pollution, SSRF, LDAP and XXE pages, three Log4Shell obfuscation write-ups) against recorded home-automation
device answers (python-kasa's device fixtures) and calendar data (icalendar's test calendars).

    python bench/waf/fresh23/build.py                          # writes corpus.jsonl (deterministic)
    python bench/waf/fresh23/build.py --extract KASA ICAL      # re-selects the values (the three json files)

``KASA`` is the unpacked PyPI sdist ``python_kasa-0.12.0``, ``ICAL`` the unpacked ``icalendar-7.3.0``.

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, files,
commit and licence; each file's stored text was read through the code-search index and transcribed; ``@@ drop`` lines
say what was left out and why): carlospolop/Auto_Wordlists ``wordlists/`` ssti, crlf, xxe, command_injection and
file_inclusion_linux (a ``U`` record is a line the list puts into a URL, decoded once with ``unquote`` as the
application receives it), foospidy/payloads (jbrofuzz LDAP, libinjection bypasses: the value after ``where id=``,
d0znpp's SQL, Struts2 OGNL), omurugur/SQL_Injection_Payload, FrancescoStabile/numasec's payload pages (prototype
pollution, SSRF, LDAP, XXE), and the Log4Shell obfuscations of shadowsock5/Poc, mcb2Eexe/Log4j2-Obfucation and
ox-eye/Ox4Shell. Values already in an older split (``older_payloads``) or repeated are dropped and listed in
``sources.json``. No source had NoSQL payloads that older splits did not already hold (cr0hn's MongoDB list is
SecLists' ``NoSQL.txt``), so that class is absent.

Benign values: every string of the device answers in ``tests/fixtures/**/*.json`` of ``python-kasa`` 0.12.0 (PyPI
sdist, GPL-3.0-or-later, data only; TP-Link Kasa/Tapo plugs, bulbs, strips, hubs, sensors and cameras: aliases and
nicknames in several languages, models, firmware versions, MAC-like ids, schedules, time zones, URLs) and every
property value of the iCalendar files in ``src/icalendar/tests/**/*.ics`` of ``icalendar`` 7.3.0 (BSD-2-Clause;
calendars exported by Google, Thunderbird, Etar, Outlook and others and the RFC examples: summaries, descriptions and
locations in several languages, organisers, attendees, URLs, recurrence rules, time zones; folded lines unfolded and
text escapes undone as a calendar client does), leaving out the fuzzing and malformed-calendar cases and values already
among an older split's benign values, at most ``CAP`` per category at an even stride; each device fixture's answers
to single methods and each jCal (``*.jcal``) document whole as JSON bodies. Split name ``fresh23``.
"""

from __future__ import annotations

import glob
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh23"
CAP = 600
DOC_CAP = 150
KASA = "python-kasa 0.12.0"
ICAL = "icalendar 7.3.0"
HOW_READ = (
    "each file's stored text through the code-search index (read_file), the commit named per source; the lines "
    "transcribed into records.txt as the lists write them (see its header)"
)
SKIP_ICS = re.compile(r"fuzz_testcase|broken|invalid|bad_|_bad|parsing_error")
"""Calendars that are malformed on purpose (fuzzer output, broken or invalid values): not recorded data."""

BENIGN_SOURCES: dict[str, Any] = {
    "kasa": {
        "package": f"{KASA} (PyPI sdist), tests/fixtures/**/*.json: the answers of TP-Link Kasa and Tapo devices "
        "(iot, smart, smartcam protocols) that the library's tests replay",
        "licence": "GPL-3.0-or-later (PKG-INFO of python-kasa); data only",
    },
    "ical": {
        "package": f"{ICAL} (PyPI sdist), src/icalendar/tests/**/*.ics and *.jcal: calendars exported by calendar "
        "clients and the RFC examples the tests parse",
        "licence": "BSD-2-Clause (PKG-INFO of icalendar)",
        "left_out": "files named fuzz_testcase*, *broken*, *invalid*, *bad*, *parsing_error* (malformed on purpose)",
    },
    "what": "unique strings by category (URLs; prose: with a space and over 30 characters; names: other text with a "
    f"space; codes: no space), no credential keys or 'localhost', at most 4,000 characters, none already among an "
    f"older split's benign values, at most {CAP} per category at an even stride; each device fixture's per-method "
    f"answers (at most 4,000 characters) and each jCal document whole as JSON bodies, at most {DOC_CAP} each",
}


# --- benign ---------------------------------------------------------------------------------------------------------


def _unescape(text: str) -> str:
    """RFC 5545 TEXT escapes undone: ``\\n``, ``\\,``, ``\\;``, ``\\\\``."""
    return re.sub(r"\\([nN,;\\])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def ics_properties(text: str) -> list[tuple[str, str]]:
    """``(name, value)`` for every content line of an iCalendar text, folded lines unfolded (RFC 5545 3.1)."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    out: list[tuple[str, str]] = []
    for line in unfolded.splitlines():
        head, sep, value = line.partition(":")
        name = head.split(";", 1)[0].upper()
        if sep and name not in ("BEGIN", "END", "VERSION"):
            out.append((name, _unescape(value)))
    return out


def _kasa(kasa: Path, found: dict[str, list[dict[str, str]]], seen: set[str]) -> list[dict[str, str]]:
    bodies: list[dict[str, str]] = []
    for path in sorted(glob.glob(str(kasa / "tests/fixtures/**/*.json"), recursive=True)):
        rel = os.path.relpath(path, kasa)
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        sc.collect_strings(found, seen, KASA, rel, doc)
        for method, answer in doc.items() if isinstance(doc, dict) else []:
            body = json.dumps({method: answer}, ensure_ascii=False)
            if isinstance(answer, dict) and answer and sc.keep_text(body):
                bodies.append({"value": body, "source": f"{KASA} {rel}: {method}"})
    return bodies


def _ical(ical: Path, found: dict[str, list[dict[str, str]]], seen: set[str]) -> list[dict[str, str]]:
    tests = ical / "src/icalendar/tests"
    for path in sorted(glob.glob(str(tests / "**/*.ics"), recursive=True)):
        if SKIP_ICS.search(os.path.basename(path)):
            continue
        rel = os.path.relpath(path, ical)
        props = ics_properties(Path(path).read_text(encoding="utf-8", errors="replace"))
        doc = [{name.lower(): value} for name, value in props]
        sc.collect_strings(found, seen, ICAL, rel, doc)
    bodies: list[dict[str, str]] = []
    for path in sorted(glob.glob(str(tests / "**/*.jcal"), recursive=True)):
        rel = os.path.relpath(path, ical)
        body = json.dumps(json.loads(Path(path).read_text(encoding="utf-8")), ensure_ascii=False)
        if sc.keep_text(body):
            bodies.append({"value": body, "source": f"{ICAL} {rel}"})
    return bodies


def _benign(kasa: Path, ical: Path) -> dict[str, list[dict[str, str]]]:
    seen = sc.older_benign(HERE)
    kasa_found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    ical_found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    kasa_bodies = _kasa(kasa, kasa_found, seen)
    ical_bodies = _ical(ical, ical_found, seen)
    return {
        **{f"kasa_{cat}": sc.even(vals, CAP) for cat, vals in kasa_found.items() if vals},
        **{f"ical_{cat}": sc.even(vals, CAP) for cat, vals in ical_found.items() if vals},
        "kasa_bodies": sc.even(kasa_bodies, DOC_CAP),
        "ical_bodies": sc.even(ical_bodies, DOC_CAP),
    }


def extract(kasa: Path, ical: Path) -> None:
    records = sc.read_records(HERE / "records.txt", sc.decode_url_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(kasa, ical), BENIGN_SOURCES)


# --- corpus ---------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    corpus, benign = sc.load(HERE, SPLIT)
    documents = {cat: benign.pop(cat, []) for cat in ("kasa_bodies", "ical_bodies")}
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.long_texts(benign)
    for cat, entries in documents.items():
        corpus.documents(entries, cat, "json")
    out: list[dict[str, Any]] = corpus.items
    return out


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
