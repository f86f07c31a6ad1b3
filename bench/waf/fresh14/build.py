"""fresh14: the payloads of three scanners no older split used (dalfox, wafw00f, wapiti), against recorded Crossref
and Linode API traffic.

    python bench/waf/fresh14/build.py                              # writes corpus.jsonl (deterministic)
    python bench/waf/fresh14/build.py --extract HABANERO LINODE    # re-selects the values (the three json files)

Attack payloads (``records.txt``: ``class|kind|value`` lines under ``@@ source`` lines naming repository, file,
commit and licence; each file's stored text was read through the code-search index): hahwul/dalfox
``pkg/scanning/payload.go`` (MIT: its SQLi, SSTI, CRLF, blind-XSS, common, HTML, attribute, in-JavaScript and DOM
payloads), EnableSecurity/wafw00f ``wafw00f/main.py`` (BSD-3-Clause: its five probe strings) and
wapiti-scanner/wapiti (GPL-2.0-or-later; payload strings only: ``xssPayloads.ini``, ``execPayloads.ini``,
``blindSQLPayloads.ini``, ``fileHandlingPayloads.ini``, ``xxePayloads.ini``, ``ldap.ini``/``ldapi_payloads.ini``,
the CRLF payload of ``mod_crlf.py`` and the lookup ``mod_log4shell.py`` builds). ``kind``: ``G`` a Go string literal
as written (``json.loads``), decoded once with ``unquote`` as the application receives dalfox's
``%0a``/``%0d%0a``/``%26`` (its templates too), ``L`` the text as written, ``E`` a Python literal with
``\\r\\n`` escapes.

The payloads are rebuilt as the tools build them: dalfox's ``DALFOX_ALERT_VALUE`` is its default alert value
``1``; its HTML templates are expanded with its six functions (``DALFOX_FUNC_VALUE``), its attribute payloads with
its handler list (every 3rd handler x function form), its HTML payloads behind ``>`` for attributes; the
in-JavaScript payloads in its ``none`` (``;p;//``, ``;p;``, ``p``), ``double``, ``single`` and ``backtick``
contexts, every 4th combination. wapiti's markers: ``[TIME]`` = 7 (its default 6 s timeout + 1), ``[VALUE]`` = the
field's original value ``42``, ``[DIRVALUE]`` = ``images``, ``[EXTVALUE]`` = ``php``, ``[LF]``/``[TAB]``/``[FF]``
the characters, ``[NULL]`` and ``\\0`` a NUL byte (sent as ``%00``, received decoded), ``[EXTERNAL_ENDPOINT]`` =
``http://wapiti3.ovh/`` (its default endpoint), ``[PROTO_ENDPOINT]`` = ``wapiti3.ovh/``, ``__XSS__`` = a fixed
taint ``w4d2kq8r1z``, ``[ATTR_SEP]``/``[VALUE_SEP]`` = a double-quoted attribute context (``"`` + space / ``"``),
session/path/param ids fixed. The log4shell lookup is ``${jndi:dns://dns.wapiti3.ovh/<uuid>.l}`` with two fixed
UUIDs. Values already in an older split (``older_payloads``) or repeated are dropped and listed in
``sources.json``; records left out on purpose are listed there with the reason (``@@ drop``). This split has no
SSRF, NoSQL or prototype-pollution payloads (none of the three tools sends one that a request alone can judge).

Benign values: (1) the recorded Crossref REST API traffic in ``habanero`` 2.9.2's ``test/cassettes/**/*.yaml``
(PyPI sdist, MIT; response bodies gunzipped where recorded compressed): work titles, journal and series titles,
author names, publishers and places, abstracts (JATS markup), unstructured references, DOIs, ISSNs, ISBNs, award
numbers, pages, ORCIDs and URLs, work types and languages, and each recorded request's query string sent whole as a
GET query; (2) the Linode API answers shipped as ``test/fixtures/*.json`` in ``linode_api4`` 5.48.0 (PyPI sdist,
BSD-3-Clause): labels, descriptions, regions, plans, tags, addresses, hostnames, DNS zone files. Values are sampled
evenly per category (``even``) and placed in the eight locations with ``SplitCorpus`` as in fresh12, with the long
texts of fresh13. Split name ``fresh14``.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

from split_corpus import attack_meta, field_values, first_seen, load, main, read_records, write_values  # noqa: E402

SPLIT = "fresh14"
CAP = 150
HABANERO = "habanero 2.9.2"
LINODE = "linode_api4 5.48.0"
CR_FIELDS = {
    "titles": ("title", "article-title", "journal-title", "container-title", "short-container-title", "volume-title",
               "series-title", "subtitle", "search-terms"),
    "names": ("name", "publisher", "publisher-location", "alt-names", "place", "location", "names",
              "acronym", "edition"),
    "prose": ("abstract", "unstructured", "description"),
    "codes": ("DOI", "ISSN", "ISBN", "award", "award-number", "page", "first-page", "volume", "issue", "ORCID", "key",
              "article-number", "alternative-id", "date-time", "next-cursor"),
    "urls": ("URL",),
    "terms": ("type", "language", "content-type", "intended-application", "role", "source", "domain", "archive",
              "id-type", "asserted-by", "content-version", "special_numbering", "sequence"),
}
LN_FIELDS = {
    "names": ("label", "region", "plan", "type", "status", "tags", "group", "slug", "hostname", "username",
              "service_type", "country", "purpose", "site_type", "class", "filesystem", "created_by", "updated_by",
              "dimension_label", "y_label", "metric", "name", "domain", "soa_email", "image", "distribution"),
    "text": ("description", "zone_file", "example", "notes", "summary", "message", "label_description"),
    "addresses": ("ipv4", "ipv6", "address", "gateway", "subnet_mask", "mac_address", "nat_1_1", "ipam_address",
                  "range", "s3_endpoint", "url", "route_target", "ports"),
}
ALERT = "1"
FUNCS_KEY = "func"
WAPITI_MARKERS = {
    "[TIME]": "7", "[VALUE]": "42", "[DIRVALUE]": "images", "[EXTVALUE]": "php", "[LF]": "\n", "[TAB]": "\t",
    "[FF]": "\f", "[NULL]": "\0", "\\0": "\0", "[EXTERNAL_ENDPOINT]": "http://wapiti3.ovh/",
    "[PROTO_ENDPOINT]": "wapiti3.ovh/", "__XSS__": "w4d2kq8r1z", "[ATTR_SEP]": '" ', "[VALUE_SEP]": '"',
    "[SESSION_ID]": "k3v9q2", "[PATH_ID]": "17", "[PARAM_AS_HEX]": "7175657279",
}
LOG4SHELL_UUIDS = ("8f14e45f-ceea-467a-9d3b-2c5e8b1f7a10", "c9f0f895-fb98-4b9e-8a7e-45c48cce2e2d")
HOW_READ = (
    "each file's stored text through the code-search index (read_file), the commit named per "
    "source; values transcribed into records.txt as written, markers filled and templates expanded by "
    "build.py as the tool does (see its docstring)"
)



# --- attacks: records.txt, dalfox's templates ---------------------------------------------------------------------


def _fill(value: str) -> str:
    value = value.replace("DALFOX_ALERT_VALUE", ALERT)
    for marker, text in WAPITI_MARKERS.items():
        value = value.replace(marker, text)
    return value


def _decode(kind: str, text: str) -> str:
    if kind == "G":
        return unquote(str(json.loads(text)))
    if kind == "E":
        return text.replace("\\r", "\r").replace("\\n", "\n")
    return text


def _dalfox(templates: dict[str, list[str]]) -> list[str]:
    """dalfox's getHTMLPayload, getAttrPayload and getInJsPayload as its Go code expands them (see the docstring)."""
    templates = {group: [unquote(t) for t in texts] for group, texts in templates.items()}
    funcs = templates[FUNCS_KEY]
    html: list[str] = []
    for pattern in templates["html"]:
        html.extend(pattern.replace("DALFOX_FUNC_VALUE", f) for f in funcs) if "DALFOX_FUNC_VALUE" in pattern \
            else html.append(pattern)
    attr = list(templates["attr"])
    forms = ("={f}(A) class=dalfox ", "={f}.call(null,A) class=dalfox ", "={f}.apply(null,A) class=dalfox ")
    for h_i, handler in enumerate(templates["handler"]):
        if h_i % 3 == 0:
            for form in forms:
                attr.extend(handler + form.format(f=f).replace("A", "DALFOX_ALERT_VALUE")
                            for f in ("alert", "confirm", "prompt"))
    attr.extend(">" + h for h in html)
    injs: list[str] = []
    for v in templates["injs"]:
        injs += [";" + v + ";//", ";" + v + ";", v]
        for q in ('"', "'"):
            injs += [q + "+" + v + "//", q + ";" + v + "//", q + "+" + v + "+" + q, q + "-" + v + "-" + q,
                     q + v + q, "\\" + q + "+" + v + "//", "\\" + q + ";" + v + "//", "\\" + q + "+" + v + "+" + q,
                     "\\" + q + "-" + v + "-" + q, "\\" + q + v + q]
        injs.append("${" + v + "}")
    return html + attr[::2] + injs[::4]


def _records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    templates: dict[str, list[str]] = {}
    sources, dropped = read_records(HERE / "records.txt", _decode, templates)
    sources[0]["values"].extend(("xss", v) for v in _dalfox(templates))
    sources[-1]["values"].extend(("jndi", "${jndi:dns://dns.wapiti3.ovh/" + u + ".l}") for u in LOG4SHELL_UUIDS)
    for src in sources:
        src["values"] = [(cls, _fill(v)) for cls, v in src["values"]]
    return sources, dropped


# --- benign: habanero (Crossref) and linode_api4 ------------------------------------------------------------------


def _keep(text: str) -> bool:
    return len(text) <= 4000 and "localhost" not in text


def _habanero(root: Path) -> tuple[dict[str, list[dict[str, str]]], list[dict[str, str]]]:
    files: list[tuple[str, Any]] = []
    queries: list[dict[str, str]] = []
    seen_q: set[str] = set()
    for path in sorted(glob.glob(str(root / "test/cassettes/**/*.yaml"), recursive=True)):
        rel = os.path.relpath(path, root)
        for i_i, inter in enumerate(yaml.safe_load(Path(path).read_text())["interactions"]):
            query = urlsplit(inter["request"]["uri"]).query
            if query and query not in seen_q:
                seen_q.add(query)
                queries.append({"value": query, "source": f"{HABANERO} {rel}: interaction {i_i} request query"})
            body = inter["response"]["body"].get("string")
            if isinstance(body, bytes):
                try:
                    body = gzip.decompress(body)
                except OSError:
                    pass
            try:
                files.append((f"{rel}#{i_i}", json.loads(body)))
            except (ValueError, TypeError):
                continue
    return field_values(files, CR_FIELDS, "cr", HABANERO, CAP, ("given", "family"), _keep), queries


def _linode(root: Path) -> dict[str, list[dict[str, str]]]:
    files = [(os.path.relpath(p, root), json.loads(Path(p).read_text()))
             for p in sorted(glob.glob(str(root / "test/fixtures/*.json")))]
    return field_values(files, LN_FIELDS, "ln", LINODE, CAP, ("given", "family"), _keep)


def extract(habanero: Path, linode: Path) -> None:
    sources, dropped = _records()
    attacks, repeats = first_seen(HERE, sources)
    cr, queries = _habanero(habanero)
    benign = {**cr, **_linode(linode), "cr_queries": queries}
    write_values(HERE, SPLIT, attacks, benign, attack_meta(sources, HOW_READ, dropped, repeats, attacks), {
        "crossref": {
            "package": f"{HABANERO} (PyPI sdist), test/cassettes/**/*.yaml: recorded Crossref REST API requests "
            "and answers (api.crossref.org); gzip bodies decompressed",
            "licence": "MIT (LICENSE.md: 'Copyright (C) 2025 Scott Chamberlain. Permission is hereby granted, "
            "free of charge, ...')",
        },
        "linode": {
            "package": f"{LINODE} (PyPI sdist), test/fixtures/*.json: Linode API answers",
            "licence": "BSD-3-Clause (LICENSE: 'Copyright (c) 2016, Linode, LLC. All rights reserved. "
            "Redistribution and use in source and binary forms ... are permitted provided ...')",
        },
        "what": f"unique text of the listed keys (first occurrence, at most 4,000 characters), at most {CAP} per "
        "category at an even stride; an author's given + family name as one name; each recorded request's query "
        "string sent whole as a GET query",
        "fields": {"crossref": CR_FIELDS, "linode": LN_FIELDS},
        "counts": {cat: len(v) for cat, v in benign.items()},
    })


# --- corpus -------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    corpus, benign = load(HERE, SPLIT)
    queries = benign.pop("cr_queries", [])
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.long_texts(benign)
    corpus.documents(queries, "cr_query", "query", target="/works?")
    out: list[dict[str, Any]] = corpus.items
    return out


if __name__ == "__main__":
    main(HERE, sys.argv[1:], extract, build)
