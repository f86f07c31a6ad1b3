"""fresh25: the example payloads of the OWASP Web Security Testing Guide's input-validation pages (SQL, PostgreSQL,
command injection, HTTP splitting, NoSQL, LDAP, SSTI, SSRF, prototype pollution) and of four HackTricks pages (NoSQL,
LDAP, CRLF, Node.js prototype pollution), against the OpenWeatherMap city list that pyowm ships (city names in many
languages' spellings, country codes, coordinates).

    python bench/waf/fresh25/build.py                    # writes corpus.jsonl (deterministic)
    python bench/waf/fresh25/build.py --extract PYOWM    # re-selects the values (the three json files)

``PYOWM`` is the unpacked PyPI wheel ``pyowm-3.3.0-py3-none-any.whl`` (its ``pyowm/commons/cityids/cities.db.bz2``).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, files, commit
and licence; each page's stored text was read through the code-search index and its example payloads transcribed, the
value of a ``param=value`` example; ``@@ drop`` lines say what was left out and why). A ``U`` record is a value the page
writes URL-encoded, decoded once with ``unquote`` as the application receives it. Values already in an older split
(``older_payloads``) or repeated are dropped and listed in ``sources.json``. No jndi or xxe payload was transcribed.

Benign values: the OpenWeatherMap city list (``city.list.json``, as the OWM bulk download serves it) that pyowm 3.3.0
ships as an SQLite table (MIT): at an even stride, city names (Latin with diacritics, transliterations, some native
scripts), "name,CC" place queries as pyowm's ``weather_at_place`` sends them (``q=`` value), each city whole as its
city-list JSON record, and whole OWM query strings ``q=<name>,<CC>&units=metric&lang=<lang>`` as pyowm builds them;
values already among an older split's benign values are left out. Split name ``fresh25``.
"""

from __future__ import annotations

import bz2
import json
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh25"
NAMES = 1100
PLACES = 300
DOCS = 200
QUERIES = 200
LANGS = ("en", "de", "fr", "es", "it", "ru", "ja", "zh_cn", "ar", "pt", "pl", "tr")
"""Languages pyowm's configuration accepts for OWM answers; cycled over the query strings."""
HOW_READ = (
    "each page's stored text through the code-search index (read_file) at the commit named per source; the example "
    "payloads transcribed into records.txt (see its header)"
)
BENIGN_SOURCES: dict[str, Any] = {
    "package": "pyowm 3.3.0 (PyPI wheel), pyowm/commons/cityids/cities.db.bz2: OpenWeatherMap's city list "
    "(city id, name, country, state, lat, lon) as pyowm ships it for CityIDRegistry",
    "licence": "MIT (pyowm LICENSE); the city list is OpenWeatherMap's published data (CC-BY-SA-4.0 per OWM)",
    "what": f"at an even stride over the rows in id order: {NAMES} city names, {PLACES} 'name,CC' place queries, "
    f"{DOCS} city records whole as city.list.json objects (JSON bodies), {QUERIES} whole query strings "
    "q=<name>,<CC>&units=metric&lang=<lang> (GET /data/2.5/weather?...); values among an older split's benign values "
    "left out",
}


def _rows(pyowm: Path) -> list[tuple[int, str, str, str | None, float, float]]:
    data = bz2.decompress((pyowm / "pyowm/commons/cityids/cities.db.bz2").read_bytes())
    with tempfile.NamedTemporaryFile(suffix=".db") as tmp:
        tmp.write(data)
        tmp.flush()
        con = sqlite3.connect(tmp.name)
        rows = con.execute("SELECT city_id, name, country, state, lat, lon FROM city ORDER BY id").fetchall()
        con.close()
    return rows


def _stride(rows: list[Any], cap: int, offset: int) -> list[Any]:
    step = len(rows) / cap
    return [rows[(int(i * step) + offset) % len(rows)] for i in range(cap)]


def _benign(pyowm: Path) -> dict[str, list[dict[str, str]]]:
    rows = _rows(pyowm)
    older = sc.older_benign(HERE)
    label = "pyowm 3.3.0 cities.db"
    out: dict[str, list[dict[str, str]]] = {"owm_names": [], "owm_places": [], "owm_records": [], "owm_queries": []}
    seen: set[str] = set()

    def add(cat: str, value: str, city_id: int) -> None:
        if value in seen or value.strip() in older or not sc.keep_text(value):
            return
        seen.add(value)
        out[cat].append({"value": value, "source": f"{label}: city_id {city_id}"})

    for city_id, name, _cc, _st, _lat, _lon in _stride(rows, NAMES, 0):
        add("owm_names", name, city_id)
    for city_id, name, cc, _st, _lat, _lon in _stride(rows, PLACES, 7):
        add("owm_places", f"{name},{cc}", city_id)
    for city_id, name, cc, state, lat, lon in _stride(rows, DOCS, 13):
        record = {"id": city_id, "name": name, "state": state or "", "country": cc, "coord": {"lon": lon, "lat": lat}}
        add("owm_records", json.dumps(record, ensure_ascii=False), city_id)
    for i, (city_id, name, cc, _st, _lat, _lon) in enumerate(_stride(rows, QUERIES, 29)):
        add("owm_queries", urlencode({"q": f"{name},{cc}", "units": "metric", "lang": LANGS[i % len(LANGS)]}), city_id)
    return out


def extract(pyowm: Path) -> None:
    records = sc.read_records(HERE / "records.txt", sc.decode_url_record)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _benign(pyowm), BENIGN_SOURCES)


# --- corpus ---------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    return sc.build_with_documents(HERE, SPLIT, ("owm_queries", "queries", "/data/2.5/weather?"),
                                   ("owm_records", "records"))


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
