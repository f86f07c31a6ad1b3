"""fresh19: fuzzdb's SQL, NoSQL and traversal lists, 1N3's Intruder lists and OWASP Nettacker's vulnerability modules
against recorded YouTube player API answers (innertube) from youtube-transcript-api's test assets.

    python bench/waf/fresh19/build.py                  # writes corpus.jsonl (deterministic)
    python bench/waf/fresh19/build.py --extract YTA    # re-selects the values (the three json files)

``YTA`` is the unpacked ``youtube-transcript-api`` 1.2.5 PyPI sdist (``youtube_transcript_api-1.2.5``).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, file, commit
and licence; each file's stored text was read through the code-search index and transcribed): fuzzdb-project/fuzzdb
(BSD-3-Clause) ``attack/sql-injection/detect/`` xplatform, GenericBlind (``__TIME__`` = 5), MySQL, MSSQL and oracle,
``attack/no-sql-injection/mongodb.txt`` and ``attack/path-traversal/path-traversal-windows.txt``; 1N3/IntruderPayloads
(no licence file stored; strings only) ``FuzzLists/`` xml-attacks, ssi_quick, sqli-time-based, command_exec and the
response-splitting lines of url_payloads. fuzzdb puts a line into the URL as written, so ``%xx`` is decoded once as
the application receives it. Built here as the tools build them (no file is copied):

- fuzzdb ``attack/path-traversal/traversals-8-deep-exotic-encoding.txt``: each of its eighteen encoded ``../`` and
  ``..\\`` step families at depths 8, 5 and 2 after a leading ``/``, ``{FILE}`` filled with ``etc/passwd`` and
  ``windows/win.ini`` (the list's README asks for the target to be filled in); decoded once as sent in a URL.
- OWASP/Nettacker ``nettacker/modules/vuln/`` (Apache-2.0): the CVE-2021-41773 ``cgi-bin`` traversal paths, the
  CVE-2021-43798 Grafana plugin traversal (every 6th plugin id), the GeoServer CVE-2025-58360 XXE document, the
  Confluence CVE-2023-22527 OGNL form fields and the Memos CVE-2025-22952 SSRF link.

Values already in an older split (``older_payloads``) or repeated are dropped and listed in ``sources.json``; records
left out on purpose are listed there with the reason (``@@ drop``). None of these lists has server-side template
(beyond Nettacker's OGNL), JNDI or prototype-pollution payloads, so those classes are absent or small.

Benign values: the recorded YouTube innertube ``player`` answers in ``youtube_transcript_api/test/assets/*.json.static``
of ``youtube-transcript-api`` 1.2.5 (PyPI sdist, MIT) and the ``ytInitialPlayerResponse``/``ytInitialData`` JSON of its
recorded watch pages (``*.html.static``): the string fields by category (names: titles, labels, language
names and channel names in many languages; prose: descriptions and messages; URLs; codes: ids, tokens, enum values),
unique, at most 4,000 characters, evenly spaced; plus every ``baseUrl``/``url`` query string as a whole query string
and each answer's small objects (captions tracks, thumbnails, audio tracks) as whole JSON bodies. Placed in the eight
locations with ``SplitCorpus`` as in fresh18, with the long texts. Split name ``fresh19``.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh19"
CAP = 300
DOC_CAP = 120
YTA = "youtube-transcript-api 1.2.5"
YT_FIELDS: dict[str, tuple[str, ...]] = {
    "names": (
        "title", "label", "author", "keywords", "simpleText", "trackName", "displayName", "name", "ownerChannelName",
    ),
    "prose": ("shortDescription", "text", "description", "reason", "subreason", "message"),
    "urls": ("url", "baseUrl", "ownerProfileUrl", "openInBrowserUrls", "playabilityStatusUrl"),
    "codes": (
        "videoId", "channelId", "languageCode", "vssId", "kind", "mimeType", "quality", "qualityLabel", "status",
        "audioQuality", "projectionType", "qualityOrdinal", "category", "uploadDate", "publishDate", "lengthSeconds",
        "viewCount", "itag", "type", "style", "service", "key", "value", "headerType", "primaries",
        "transferCharacteristics", "matrixCoefficients", "detailedNetworkType", "countryCode",
    ),
}
HOW_READ = (
    "each file's stored text through the code-search index (read_file), the commit named per source; the lists "
    "transcribed into records.txt as written, the exotic-encoding traversal list and Nettacker's module payloads "
    "rebuilt by build.py as the tools build them (see its docstring)"
)


# --- attacks: records.txt and the payloads built in code ----------------------------------------------------------


def _exotic() -> list[tuple[str, str]]:
    steps = [
        "0x2e0x2e/", "0x2e0x2e\\", "0x2e0x2e0x2f", "0x2e0x2e0x5c", "..0x2f", "..0x5c",
        "%25c0%25ae%25c0%25ae/", "%25c0%25ae%25c0%25ae\\", "%25c0%25ae%25c0%25ae%25c0%25af",
        "%25c0%25ae%25c0%25ae%25c1%259c", "..%25c0%25af", "..%25c1%259c", "%2e%2e%2f", "%2e%2e%5c",
        "%%32%65%%32%65%%32%66", "%%32%65%%32%65%%35%63", "..%%32%66", "..%%35%63",
    ]
    lead = {"%2e%2e%2f": "////", "%2e%2e%5c": "/\\\\\\"}
    out: list[tuple[str, str]] = []
    for step in steps:
        for depth in (8, 5, 2):
            for target in ("etc/passwd", "windows/win.ini"):
                out.append(("traversal", unquote(lead.get(step, "/") + step * depth + target)))
    return out


def _nettacker() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for path in (
        "cgi-bin/.%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "cgi-bin/.%2e/.%2e/.%2e/.%2e/.%2e/.%2e/.%2e/etc/passwd",
        "cgi-bin/" + ".%2e/" * 15 + "etc/passwd",
        "cgi-bin/.%2e/" + "%2e%2e/" * 13 + "etc/passwd",
    ):
        out.append(("traversal", unquote(path)))
    plugins = [
        "alertlist", "annolist", "barchart", "bargauge", "cloudwatch", "dashlist", "elasticsearch", "gauge", "geomap",
        "gettingstarted", "grafana-azure-monitor-datasource", "grafana-clock-panel", "grafana-simple-json-datasource",
        "graph", "graphite", "heatmap", "histogram", "influxdb", "jaeger", "logs", "loki", "mssql", "mysql", "news",
        "nodeGraph", "opentsdb", "piechart", "pluginlist", "postgres", "prometheus", "stackdriver", "stat",
        "state-timeline", "status-history", "table", "table-old", "tempo", "testdata", "text", "timeseries", "welcome",
        "zipkin",
    ]
    out += [("traversal", f"/public/plugins/{p}/" + "../" * 19 + "etc/passwd") for p in plugins[::6]]
    out.append(
        (
            "xxe",
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE root [\n<!ENTITY xxe SYSTEM "/this_file_does_not_exist">'
            '\n]>\n<StyledLayerDescriptor version="1.0.0">\n  <NamedLayer>\n    <Name>&xxe;</Name>\n  </NamedLayer>\n'
            "</StyledLayerDescriptor>\n",
        )
    )
    form = (
        "label=aaa%5Cu0027%2B%23request.get%28%5Cu0027.KEY_velocity.struts2.context%5Cu0027%29.internalGet%28"
        "%5Cu0027ognl%5Cu0027%29.findValue%28%23parameters.x%5B0%5D%2C%7B%7D%29%2B%5Cu0027&x=%40org.apache.struts2."
        "ServletActionContext%40getResponse%28%29.setHeader%28%5Cu0027X-Cmd-Response%5Cu0027%2C%28new+freemarker."
        "template.utility.Execute%28%29%29.exec%28%7B%22id%22%7D%29%29"
    )
    for field in form.split("&"):
        out.append(("ssti", unquote(field.split("=", 1)[1].replace("+", " "))))
    out.append(("ssrf", "http://localhost:13042"))
    return out


BUILT: list[sc.Built] = [
    (
        "fuzzdb-project/fuzzdb",
        "attack/path-traversal/traversals-8-deep-exotic-encoding.txt (step families rebuilt, {FILE} filled)",
        "77f572aa7c8b063cc5947796728d946b2f213119",
        "BSD-3-Clause (LICENSE of fuzzdb-project/fuzzdb); payload strings only",
        _exotic,
    ),
    (
        "OWASP/Nettacker",
        "nettacker/modules/vuln/apache_cve_2021_41773.yaml, grafana_cve_2021_43798.yaml, "
        "geoserver_xxe_cve_2025_58360.yaml, confluence_cve_2023_22527.yaml, memos_cve_2025_22952_ssrf.yaml",
        "5cd4cce1010c1a68e1f894a711f1d66c26745b2e (apache); 3fc72c4e4adbded9ec0209c412560216a7e6dfee (grafana); "
        "137b4476ea764651fa9603ded6d669a0ad6f2317 (geoserver); 07122f44553bcdb4f0abb6c867954ab5b8ee4456 "
        "(confluence, memos)",
        "Apache-2.0 (OWASP Nettacker LICENSE)",
        _nettacker,
    ),
]


# --- benign: youtube-transcript-api's recorded innertube answers ---------------------------------------------------


def _keep(text: str) -> bool:
    return len(text) <= 4000 and "localhost" not in text


def _small_objects(node: Any, out: list[Any]) -> None:
    """Objects of a few string/number fields (a captions track, a thumbnail, an audio track): whole JSON bodies."""
    if isinstance(node, dict):
        if 2 <= len(node) <= 12 and len(json.dumps(node)) <= 1500:
            out.append(node)
            return
        for v in node.values():
            _small_objects(v, out)
    elif isinstance(node, list):
        for v in node:
            _small_objects(v, out)


def _urls(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        for v in node.values():
            _urls(v, out)
    elif isinstance(node, list):
        for v in node:
            _urls(v, out)
    elif isinstance(node, str) and node.startswith("http") and "?" in node:
        out.append(node)


def _documents(root: Path) -> list[tuple[str, Any]]:
    """The recorded innertube answers, and the ``ytInitialPlayerResponse``/``ytInitialData`` JSON of the recorded
    watch pages."""
    docs: list[tuple[str, Any]] = []
    assets = root / "youtube_transcript_api/test/assets"
    for path in sorted(glob.glob(str(assets / "*.static"))):
        rel = os.path.relpath(path, root)
        text = Path(path).read_text(encoding="utf-8")
        if path.endswith(".json.static"):
            docs.append((rel, json.loads(text)))
            continue
        for marker in ("var ytInitialPlayerResponse = ", "var ytInitialData = "):
            at = text.find(marker)
            if at >= 0:
                docs.append((f"{rel} {marker.split()[1]}", json.JSONDecoder().raw_decode(text, at + len(marker))[0]))
    return docs


def _youtube(root: Path) -> dict[str, list[dict[str, str]]]:
    docs = _documents(root)
    queries: dict[str, dict[str, str]] = {}
    bodies: dict[str, dict[str, str]] = {}
    for rel, doc in docs:
        urls: list[str] = []
        _urls(doc, urls)
        for url in urls:
            query = urlsplit(url).query
            if query and _keep(query):
                queries.setdefault(query, {"value": query, "source": f"{YTA} {rel}: query of {urlsplit(url).netloc}"})
        objects: list[Any] = []
        _small_objects(doc, objects)
        for text in (json.dumps(obj, ensure_ascii=False) for obj in objects):
            if _keep(text):
                bodies.setdefault(text, {"value": text, "source": f"{YTA} {rel}: object"})
    values = sc.field_values(docs, YT_FIELDS, "yt", YTA, CAP, ("firstName", "lastName"), _keep)
    return {
        **values,
        "yt_queries": sc.even(list(queries.values()), DOC_CAP),
        "yt_bodies": sc.even(list(bodies.values()), DOC_CAP),
    }


def extract(yta: Path) -> None:
    records = sc.records_and_built(HERE / "records.txt", sc.decode_url_record, BUILT)
    sc.write_split(HERE, SPLIT, records, HOW_READ, _youtube(yta), {
        "youtube": {
            "package": f"{YTA} (PyPI sdist), youtube_transcript_api/test/assets/*.static: recorded YouTube innertube "
            "player API answers and watch pages",
            "licence": "MIT (LICENSE of youtube-transcript-api); recorded API data used as test values only",
        },
        "what": "unique text of the listed keys of the answers (first occurrence, at most 4,000 characters, no "
        f"'localhost'), at most {CAP} per category at an even stride; the query strings of the answers' URLs and "
        f"their small objects (2-12 keys, at most 1,500 characters) whole, at most {DOC_CAP} each at an even stride",
        "fields": {"youtube": YT_FIELDS},
    })


# --- corpus -------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    queries = ("yt_queries", "yt_query", "/youtubei/v1/player?")
    out: list[dict[str, Any]] = sc.build_with_documents(HERE, SPLIT, queries, ("yt_bodies", "yt_body"))
    return out


if __name__ == "__main__":
    if sys.argv[1:2] == ["--extract"]:
        extract(Path(os.path.expanduser(sys.argv[2])))
    sc.write(HERE, build())
