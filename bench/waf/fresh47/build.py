"""fresh47: the injected values Nmap's NSE scripts send (every ``http-vuln-*.nse`` CVE check, the ``http-*`` injection,
traversal and execution checks, the WAF-detection vectors and the traversal fingerprints of ``http-enum``), against
real-world iCalendar files (the calendars recurring-ical-events ships for its tests: holiday and event calendars
exported by Google Calendar, Thunderbird, Outlook, WordPress event plugins and others, mostly sent in by users with
their bug reports: summaries, descriptions, locations, organisers, attendees, URLs, rendered HTML descriptions, in
German, English, Hungarian and other languages).

    python bench/waf/fresh47/build.py                       # writes corpus.jsonl (deterministic)
    python bench/waf/fresh47/build.py --extract CALS        # re-selects the values (the three json files)

``CALS`` is the unpacked PyPI sdist ``recurring_ical_events-3.8.2.tar.gz`` (its
``recurring_ical_events/test/calendars/*.ics`` files, every one, in path order, except the two malformed on purpose).
The task named icalendar's test calendars, but fresh23 already read icalendar 7.3.0's, so this split reads another
package's calendars; values an older split already sent (icalendar's included) are left out.

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming the Debian package
``nmap-common`` 7.93+dfsg1-1, the script or data file and the licence; ``@@ drop`` lines say what was left out and
why), decoded once as the application receives them (``split_corpus.decode_form_record``). Values already in an older
split or repeated are dropped and listed in ``sources.json``.

Benign values (rules written before measuring). Every property value of every calendar (folded lines unfolded, RFC
5545 text escapes undone as a calendar client does; BEGIN/END/VERSION lines skipped) by ``text_category`` (names,
prose, urls, codes), at most ``CAP`` per category at an even stride; every VEVENT/VTODO/VJOURNAL with a summary or
description sent whole as a JSON body (its properties as lower-case keys, the calendar's name with it) when it is
80-4,000 characters (at most ``MAX_BODIES``). Values among an older split's benign values are left out. Split name
``fresh47``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh47"
CAP = {"names": 400, "prose": 400, "urls": 80, "codes": 240}
MAX_BODIES = 500
DATA = "recurring_ical_events/test/calendars"
LABEL = "recurring-ical-events 3.8.2 recurring_ical_events/test/calendars"
SKIP = ("issue_186_invalid_trigger.ics", "bad_rrule_missing_until_event.ics")
"""Calendars malformed on purpose (an invalid alarm trigger, an RRULE without its UNTIL): not recorded data."""
HOW_READ = (
    "each NSE script and nselib data file of the Debian package nmap-common 7.93+dfsg1-1 (apt-get download "
    "nmap-common; dpkg-deb -x), read whole; the values each builds with its default arguments transcribed into "
    "records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "recurring-ical-events 3.8.2 (PyPI sdist recurring_ical_events-3.8.2.tar.gz), the iCalendar files of "
    f"{DATA}/*.ics (93 of 95; {', '.join(SKIP)} malformed on purpose): real calendars sent in with bug reports and "
    "public holiday/event calendars (Google Calendar, Thunderbird, Outlook, WordPress event plugins, Confluence)",
    "licence": "LGPL-3.0-or-later (PKG-INFO License-Expression of recurring-ical-events); data only, strings used as "
    "test data",
    "why_not_icalendar": "the task named icalendar's test calendars, but fresh23 already read icalendar 7.3.0's",
    "what": "every unique property value by text_category (names, prose, urls, codes; at most CAP per category, "
    "evenly spaced); every VEVENT/VTODO/VJOURNAL with a SUMMARY or DESCRIPTION of 80-4,000 characters whole as a JSON "
    "body (its properties, lower-case keys, and the calendar's X-WR-CALNAME); values among an older split's benign "
    "values left out",
}


def _unescape(text: str) -> str:
    """RFC 5545 TEXT escapes undone: ``\\n``, ``\\,``, ``\\;``, ``\\\\``."""
    return re.sub(r"\\([nN,;\\])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _lines(text: str) -> list[tuple[str, str]]:
    """``(name, value)`` of every content line, folded lines unfolded (RFC 5545 3.1); BEGIN/END kept as markers."""
    out: list[tuple[str, str]] = []
    for line in re.sub(r"\r?\n[ \t]", "", text).splitlines():
        head, sep, value = line.partition(":")
        name = head.split(";", 1)[0].upper()
        if sep and name != "VERSION":
            out.append((name, value if name in ("BEGIN", "END") else _unescape(value)))
    return out


def _components(props: list[tuple[str, str]]) -> tuple[str, list[dict[str, str]]]:
    """The calendar's X-WR-CALNAME and each VEVENT/VTODO/VJOURNAL as a dict of its own properties (first value of a
    name wins; nested VALARMs left out)."""
    calname = next((v for n, v in props if n == "X-WR-CALNAME"), "")
    comps: list[dict[str, str]] = []
    stack: list[str] = []
    current: dict[str, str] | None = None
    for name, value in props:
        if name == "BEGIN":
            stack.append(value.upper())
            if value.upper() in ("VEVENT", "VTODO", "VJOURNAL"):
                current = {}
        elif name == "END":
            if stack and stack.pop() in ("VEVENT", "VTODO", "VJOURNAL") and current is not None:
                comps.append(current)
                current = None
        elif current is not None and stack and stack[-1] in ("VEVENT", "VTODO", "VJOURNAL"):
            current.setdefault(name.lower(), value)
    return calname, comps


def _benign(root: Path) -> dict[str, list[dict[str, str]]]:
    older = sc.older_benign(HERE)
    seen: set[str] = set(older)
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    bodies: list[dict[str, str]] = []
    whole: set[str] = set(older)
    for path in sorted((root / DATA).glob("*.ics")):
        if path.name in SKIP:
            continue
        rel = path.name
        props = _lines(path.read_text(encoding="utf-8", errors="replace"))
        doc = [{n.lower(): v} for n, v in props if n not in ("BEGIN", "END")]
        sc.collect_strings(found, seen, LABEL, rel, doc)
        calname, comps = _components(props)
        for i, comp in enumerate(comps):
            if not (comp.get("summary") or comp.get("description")):
                continue
            obj = {"calendar": calname, **comp} if calname else comp
            text = json.dumps(obj, ensure_ascii=False)
            if 80 <= len(text) <= 4000 and text not in whole and sc.keep_text(text):
                whole.add(text)
                bodies.append({"value": text, "source": f"{LABEL}/{rel}: component {i}"})
    values = {f"ical_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    return {**values, "ical_objects": sc.even(bodies, MAX_BODIES)}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdist ``root``."""
    records = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(root), BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_bodies(HERE, SPLIT, (("ical_objects", "objects", "json"),))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
