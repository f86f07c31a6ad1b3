"""fresh55: the template-option and sandbox-escape inputs JavaScript template engines test themselves against, against
translation catalogs full of placeholders and braces (CLDR patterns as Babel ships them, GNU gettext catalogs).

    python bench/waf/fresh55/build.py                                        # writes corpus.jsonl (deterministic)
    python bench/waf/fresh55/build.py --extract BABEL_WHL BABEL_SDIST GLIB GTK  # re-selects the values

``BABEL_WHL`` is the unpacked PyPI wheel ``babel-2.19.0-py3-none-any.whl`` (its ``babel/locale-data/*.dat``, read with
the wheel's own ``babel.localedata.load``), ``BABEL_SDIST`` the unpacked sdist ``babel-2.19.0.tar.gz`` (its
``tests/messages/data/**/*.po``), ``GLIB`` and ``GTK`` the unpacked Debian packages ``libglib2.0-data_2.74.6-2+deb12u9``
and ``libgtk-3-common_3.24.38-2~deb12u3`` (``apt-get download`` + ``dpkg-deb -x``; their
``usr/share/locale/*/LC_MESSAGES/{glib20,gtk30}.mo``, read with ``gettext.GNUTranslations``).

Attack payloads (what was read, and how): ``records.txt``, transcribed by hand. The npm tarballs of ejs 7.0.2, nunjucks
3.2.4, pug 3.0.4, lodash 4.18.1, eta 4.6.0, squirrelly 9.1.1, dot 1.1.3, velocityjs 2.1.7, art-template 4.13.4, hogan.js
3.0.2, dustjs-linkedin 3.0.1 and underscore 1.13.8 were unpacked and every test file they ship read (only dot, dustjs
and hogan ship tests); for ejs, lodash, underscore, eta and squirrelly the test files of the stored GitHub index were
read instead (a few look-ups; file id or commit named). Kept: each value a security test feeds the engine as an option
or a polluted setting (ejs ``outputFunctionName``/``localsName``/``destructuredLocals``, lodash ``sourceURL``,
underscore ``templateSettings.variable`` for CVE-2021-23337 and CVE-2021-23358, doT ``templateSettings.varname``, dust's
``Object.prototype.MAL_CODE``), and, where the CVE reaches that option through request data, the same value in the
request shape that carries it (Express query and JSON body for ejs's ``settings[view options]``, ``__proto__`` JSON
bodies and ``qs`` queries for the polluted settings). Templates the application writes (feature tests reading its own
data) are left out with notes. Values already in an older split or repeated are dropped and listed in
``sources.json``.

Benign values (rules fixed before measuring; split name ``fresh55``):

- CLDR (Babel 2.19.0, BSD-3-Clause; CLDR data under the Unicode licence): every 6th locale of ``babel/locale-data``
  in name order. Names: language, territory, script and currency names. Patterns (every string holding a ``{0}``-style
  placeholder): unit, compound-unit, currency-unit, list, relative-time (``date_fields``), datetime and interval
  patterns. Formats: date, time, decimal, percent, currency and compact number patterns (quoted literals such as
  ``'um'`` included). Plural rules as Babel states them.
- gettext (GLib 2.74.6 and GTK 3.24.38 catalogs, LGPL-2.1-or-later): every 4th locale's ``glib20.mo`` and ``gtk30.mo``,
  each message id (singular and plural) and its translation, context prefixes removed; GTK's ``"translator-credits"``
  entry skipped (names and e-mails, not messages); whole catalogs cut into bundles of 12 entries sent as JSON bodies
  ``{msgid: msgstr}`` as a translation upload sends them.
- Babel's test catalogs (``tests/messages/data``): every message id and translation of the ``.po`` files.
- Left out: empty strings, control characters other than tab/newline, values over 4,000 characters, ``localhost``,
  every value an older split holds. At most ``CAP`` values per category at an even stride, ``MAX_BODIES`` bodies.
"""

from __future__ import annotations

import gettext
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh55"
CAP = {"names": 500, "patterns": 700, "formats": 300, "plurals": 60, "prose": 700, "labels": 500, "codes": 200}
MAX_BODIES = 400
LOCALE_STRIDE = 6
GETTEXT_STRIDE = 4
BUNDLE = 12
HOW_READ = (
    "transcribed by hand into records.txt from the npm tarballs' test files and the stored GitHub test files (see "
    "its header); request shapes for the option injections built as the CVE's delivery sends them"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "babel 2.19.0 (PyPI wheel babel-2.19.0-py3-none-any.whl: babel/locale-data/*.dat; PyPI sdist "
    "babel-2.19.0.tar.gz: tests/messages/data/**/*.po); Debian libglib2.0-data 2.74.6-2+deb12u9 and libgtk-3-common "
    "3.24.38-2~deb12u3 (apt-get download + dpkg-deb -x: usr/share/locale/*/LC_MESSAGES/glib20.mo, gtk30.mo)",
    "licence": "babel: BSD-3-Clause (METADATA License-Expression), CLDR data Unicode License v3 (babel LICENSE notes "
    "the CLDR data); GLib and GTK catalogs: LGPL-2.1-or-later (debian/copyright)",
    "what": "CLDR names, {0}-placeholder patterns, date/number format patterns and plural rules of every 6th locale; "
    "GLib and GTK gettext messages (ids and translations, printf placeholders) of every 4th locale and 12-entry "
    "bundles of them as JSON bodies; Babel's test .po messages; older splits' values left out",
    "user_written_api": "none: no recorded API with user-written text no older split read was found in time (stackapi "
    "0.3.1 and python-youtube 0.9.9 sdists ship no recorded answers)",
}


def _text(value: str) -> bool:
    return not any((c < " " and c not in "\t\n") or c == "\ufffd" for c in value)


class Found:
    def __init__(self) -> None:
        self.seen: set[str] = set(sc.older_benign(HERE))
        self.values: dict[str, list[dict[str, str]]] = {}
        self.bodies: list[dict[str, str]] = []

    def add(self, category: str, text: Any, where: str) -> None:
        if not isinstance(text, str):
            return
        text = text.strip()
        if text in self.seen or not sc.keep_text(text) or not _text(text):
            return
        self.seen.add(text)
        self.values.setdefault(category, []).append({"value": text, "source": where})


def _strings(node: Any, out: list[str]) -> None:
    """Every string under ``node`` (dicts, tuples and lists; Babel's aliases skipped)."""
    if isinstance(node, str):
        out.append(node)
    elif isinstance(node, dict) or hasattr(node, "items"):
        for value in node.values():
            _strings(value, out)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _strings(value, out)


def _cldr(found: Found, wheel: Path) -> None:
    sys.path.insert(0, str(wheel))
    from babel import localedata  # the wheel's own reader of its pickled data

    names = sorted(p.stem for p in (wheel / "babel/locale-data").glob("*.dat") if p.stem != "root")
    for loc in names[::LOCALE_STRIDE]:
        data = localedata.load(loc, merge_inherited=False)
        where = f"babel 2.19.0 babel/locale-data/{loc}.dat"
        for key in ("languages", "territories", "scripts", "currency_names"):
            for text in (data.get(key) or {}).values():
                found.add("cldr_names", text, f"{where} {key}")
        for key in (
            "unit_patterns",
            "compound_unit_patterns",
            "currency_unit_patterns",
            "list_patterns",
            "date_fields",
            "datetime_formats",
            "interval_formats",
            "datetime_formats_relative",
        ):
            out: list[str] = []
            _strings(data.get(key) or {}, out)
            for text in out:
                if "{0}" in text or "{1}" in text:
                    found.add("cldr_patterns", text, f"{where} {key}")
        for key in (
            "date_formats",
            "time_formats",
            "decimal_formats",
            "percent_formats",
            "currency_formats",
            "compact_decimal_formats",
            "scientific_formats",
        ):
            out = []
            _strings(data.get(key) or {}, out)
            for obj in _patterns(data.get(key) or {}):
                out.append(obj)
            for text in out:
                found.add("cldr_formats", text, f"{where} {key}")
        plural = data.get("plural_form")
        rules = getattr(plural, "rules", None)
        if isinstance(rules, dict):
            for tag, rule in rules.items():
                found.add("cldr_plurals", f"{tag}: {rule}", f"{where} plural_form")


def _patterns(node: Any) -> list[str]:
    """The ``pattern`` strings of Babel's parsed number/date pattern objects."""
    out: list[str] = []
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict) or hasattr(cur, "items"):
            stack.extend(cur.values())
        elif isinstance(cur, (list, tuple)):
            stack.extend(cur)
        elif isinstance(getattr(cur, "pattern", None), str):
            out.append(cur.pattern)
    return out


def _gettext(found: Found, roots: list[tuple[Path, str, str]]) -> None:
    for root, domain, label in roots:
        paths = sorted((root / "usr/share/locale").glob(f"*/LC_MESSAGES/{domain}.mo"))
        for path in paths[::GETTEXT_STRIDE]:
            loc = path.parent.parent.name
            where = f"{label} usr/share/locale/{loc}/LC_MESSAGES/{domain}.mo"
            with path.open("rb") as fh:
                cat = gettext.GNUTranslations(fh)
            bundle: dict[str, str] = {}
            for key, value in cat._catalog.items():  # type: ignore[attr-defined]
                msgid = key[0] if isinstance(key, tuple) else key
                if not msgid or msgid == "translator-credits":
                    continue
                msgid = msgid.split("\x04", 1)[-1]
                for text in (msgid, value):
                    cat_name = sc.text_category(text)
                    found.add(f"gettext_{'labels' if cat_name == 'names' else cat_name}", text, where)
                if _text(msgid) and _text(value) and value.strip():
                    bundle[msgid] = value
                if len(bundle) == BUNDLE:
                    body = json.dumps(bundle, ensure_ascii=False)
                    if len(body) <= 4000 and "localhost" not in body:
                        found.bodies.append({"value": body, "source": where + " bundle"})
                    bundle = {}


def _babel_po(found: Found, sdist: Path) -> None:
    from babel.messages.pofile import read_po

    for path in sorted((sdist / "tests/messages/data").rglob("*.po")):
        rel = path.relative_to(sdist)
        with path.open("rb") as fh:
            try:
                cat = read_po(fh)
            except Exception:  # a deliberately broken test catalog (fi_BUGGY)
                continue
        for msg in cat:
            for text in (msg.id, msg.string):
                for one in text if isinstance(text, (list, tuple)) else [text]:
                    if one:
                        found.add("po_messages", one, f"babel 2.19.0 sdist {rel}")


def extract(wheel: Path, sdist: Path, glib: Path, gtk: Path) -> None:
    sources, dropped = sc.read_records(HERE / "records.txt", sc.decode_form_record)
    found = Found()
    _cldr(found, wheel)
    _gettext(
        found,
        [(glib, "glib20", "libglib2.0-data 2.74.6-2+deb12u9"), (gtk, "gtk30", "libgtk-3-common 3.24.38-2~deb12u3")],
    )
    _babel_po(found, sdist)
    benign: dict[str, list[dict[str, str]]] = {}
    for category, values in found.values.items():
        benign[category] = sc.even(values, CAP.get(category.split("_", 1)[1], 300))
    benign["gettext_bundles"] = sc.even(found.bodies, MAX_BODIES)
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, BENIGN_SOURCES)


def build() -> list[dict[str, Any]]:
    return sc.build_with_bodies(HERE, SPLIT, (("gettext_bundles", "bundles", "json"),))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
