"""fresh13: WAF-evasion write-ups, tiny XSS payloads, SSRF address notations and OWASP Juice Shop's own exploit
tests, against recorded Discogs and Zotero API answers.

    python bench/waf/fresh13/build.py                            # writes corpus.jsonl (deterministic)
    python bench/waf/fresh13/build.py --extract DISCOGS ZOTERO   # re-selects the values (the three json files)

Attack payloads (``records.txt``, one ``class|kind|value`` line each, grouped under ``@@ source`` lines naming the
repository, file, commit and licence; each file's stored text was read through the code-search index):
0xInfection/Awesome-WAF ``README.md`` (Apache-2.0: the evasion-technique and known-bypass examples),
s0md3v/AwesomeXSS ``README.md`` (context-breaking payloads), terjanq/Tiny-XSS-Payloads ``payloads.js``,
juice-shop/juice-shop (MIT: the injected values of its API and Cypress exploit tests and its XXE test files) and
cujanovic/SSRF-Testing (``README.md`` bypass URLs, ``cloud-metadata.txt``). ``kind`` says how a value is decoded
once to what the application receives: ``L`` as written, ``Q`` ``unquote_plus`` (a query value), ``U``
``unquote``; ``{NL}`` and ``{TAB}`` stand for a line break and a tab. The SSRF-Testing ``ip.py`` address forms are
rebuilt here (``_ip_forms``: its 19 URL forms for 169.254.169.254 port 80 behind ``www.google.com`` in five
notations, every other form, fixed "random" userinfo from a seeded generator with ip.py's character sets, ``%09``
decoded once). Values already in an older split (``older_payloads``) or repeated are dropped and listed in
``sources.json``.

Benign values: (1) the recorded Discogs API answers shipped as ``discogs_client/tests/res/**/*.json`` in
``python3-discogs-client`` 2.7 (PyPI sdist, BSD-2-Clause): artist, label and release names and name variations,
titles and track titles, profiles and release notes (Discogs markup, several languages), catalogue numbers,
barcodes, formats, styles, roles, URLs, and each recorded request's query string (the fixture's file name) sent
whole as a GET query; (2) the recorded Zotero API answers of ``pyzotero`` 1.5.18 (PyPI sdist, MIT;
``tests/api_responses/*.json``): titles, creators, abstracts, publishers, tags, identifiers (ISBN, ISSN, DOI, call
numbers), item keys and URLs, and each item's ``data`` object sent whole as a JSON body (as a Zotero write request
sends it). Values are sampled evenly per category (``even``) and placed in the eight locations with
``SplitCorpus`` as in fresh12. Split name ``fresh13``.
"""

from __future__ import annotations

import glob
import json
import os
import random
import string
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_plus

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

from split_corpus import attack_meta, field_values, first_seen, load, main, read_records, write_values  # noqa: E402

SPLIT = "fresh13"
CAP = 150
DISCOGS_DIR = "discogs_client/tests/res"
# JSON key -> benign category (both recordings).
FIELDS = {
    "names": ("name", "realname", "anv", "namevariations", "label", "creatorSummary", "publisher", "username",
              "join"),
    "titles": ("title", "shortTitle", "trackinfo", "publicationTitle", "series", "description", "websiteTitle",
               "text"),
    "prose": ("notes", "profile", "abstractNote", "extra"),
    "codes": ("catno", "key", "ISBN", "ISSN", "DOI", "callNumber", "collections", "parentCollection", "value",
              "position", "duration", "year", "released", "released_formatted", "date", "parsedDate", "dateAdded",
              "dateModified", "accessDate", "date_added", "pages", "volume", "issue", "numPages", "seriesNumber",
              "currency", "qty"),
    "urls": ("resource_url", "uri", "href", "url", "urls", "thumb", "uri150", "owl:sameAs", "master_url",
             "releases_url", "cover_image"),
    "terms": ("style", "styles", "genre", "genres", "format", "descriptions", "role", "tag", "itemType",
              "localized", "field", "country", "libraryCatalog", "place", "type", "status", "data_quality",
              "entity_type_name", "creatorType"),
}
PERSON = ("firstName", "lastName")
HOW_READ = (
    "each file's stored text through the code-search index (read_file), the commit named per "
    "source; values transcribed into records.txt as written, then decoded once as the kind column says"
)



# --- attacks: records.txt and ip.py's address forms ---------------------------------------------------------------


def _decode(kind: str, text: str) -> str:
    text = text.replace("{NL}", "\n").replace("{TAB}", "\t")
    if kind == "Q":
        return unquote_plus(text)
    if kind == "U":
        return unquote(text)
    return text


def _records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    return read_records(HERE / "records.txt", _decode)


def _ip_forms() -> list[str]:
    """SSRF-Testing ``ip.py 169.254.169.254 80 www.google.com``: its 19 URL forms in the dotted-hex, dotless-hex,
    dotless-decimal, dotted-overflow and dotted-octal notations, every other form."""
    rng = random.Random(13)
    plain = string.ascii_letters + string.digits
    spec = plain + "!$%^&*()<>;:,.|\\~`"
    text = "".join(rng.choice(plain) for _ in range(14))
    text_spec = "".join(rng.choice(spec) for _ in range(14))
    octets = [169, 254, 169, 254]
    notations = [
        ".".join(hex(o) for o in octets),
        "0x" + "".join(f"{o:02x}" for o in octets),
        str(sum(o * 256 ** (3 - i) for i, o in enumerate(octets))),
        ".".join(str(o + 256) for o in octets),
        ".".join("0" + format(o, "o") for o in octets),
    ]
    port, site = "80", "www.google.com"
    out: list[str] = []
    for ip in notations:
        forms = [
            f"http://{ip}:{port}/", f"http://{ip}:{port}?@{site}//", f"http://{ip}:{port}#@{site}/",
            f"http://{site}@{ip}:{port}/", f"http://{text}@{ip}:{port}/", f"http://{text_spec}@{ip}:{port}/",
            f"http://{text}@{ip}:{port}@{site}/", f"http://{text_spec}@{ip}:@{site}/",
            f"http://{text}@{ip}:{port}+@{site}/", f"http://{text_spec}@{ip}:+@{site}/",
            f"http://{text}@{site}@{ip}:{port}/", f"http://{text_spec}@{site}@{ip}:{port}/",
            f"http://{ip}:{port}+&@{site}#+@{site}/", f"http://{site}+&@{ip}:{port}#+@{site}/",
            f"http://{site}+&@{site}#+@{ip}:{port}/", f"http://{ip}:{port}:80/", f"http://{ip}:{port}\\t{site}/",
            f"http://{ip}:{port}%09{site}/", f"http://{ip}:{port}%2509{site}/",
        ]
        out.extend(unquote(f) for f in forms[::2])
    return out


# crlfuzz (dwisiswant0/crlfuzz pkg/crlfuzz/vars.go, const.go, generator.go): URL + append + escape + header.
CRLF_APPEND = ("", "?crlfuzz=")
CRLF_ESCAPES = (
    "%0a", "%0a%20", "%0d", "%0d%09", "%0d%0a", "%0d%0a%09", "%0d%0a%20", "%0d%20", "%20%0a", "%20%0d", "%20%0d%0a",
    "%23%0a", "%23%0a%20", "%23%0d", "%23%0d%0a", "%25%30%61", "%2e%2e%2f%0d%0a", "%2f%2e%2e%0d%0a", "%2f..%0d%0a",
    "%3f%0a", "%3f%0d", "%3f%0d%0a", "%e5%98%8a%e5%98%8d", "%e5%98%8a%e5%98%8d%0a", "%e5%98%8a%e5%98%8d%0d",
    "%e5%98%8a%e5%98%8d%0d%0a", "%e5%98%8a%e5%98%8d%e5%98%8a%e5%98%8d", "%u000a", "%u000d", "\\r", "\\r%20",
    "\\r\\n", "\\r\\n%20", "\\r\\n\\t", "\\r\\t",
)


def _crlf_forms() -> list[str]:
    """The path crlfuzz appends to a URL, for its escapes that hold a line break (or a look-alike of one), after two
    of its four appends, decoded once as the application receives a path."""
    return [unquote(a + e + "X-Injected-Header-By%3a%20CRLFuzz") for a in CRLF_APPEND for e in CRLF_ESCAPES]


def _attacks(sources: list[dict[str, Any]]) -> tuple[dict[str, list[str]], list[dict[str, str]]]:
    sources.append({"repository": "cujanovic/SSRF-Testing", "files": "ip.py (forms rebuilt in build.py)",
                    "commit": "0e1bf04085bc1f89faaa410eb7b0f1469cbb6846",
                    "licence": "no licence file stored; the address forms are rebuilt, no code copied",
                    "values": [("ssrf", v) for v in _ip_forms()]})
    sources.append({"repository": "dwisiswant0/crlfuzz", "files": "pkg/crlfuzz/vars.go const.go generator.go",
                    "commit": "8d0ea1debc378f288666b02dd86b5bc900157a32",
                    "licence": "MIT (LICENSE at 9bd2abf05e6c89f67b8065ecace8cac8ce612d9c: 'MIT License Copyright (c) "
                    "2020 dwisiswant0')",
                    "values": [("crlf", v) for v in _crlf_forms()]})
    return first_seen(HERE, sources)


# --- benign: discogs and zotero -----------------------------------------------------------------------------------


def _values(files: list[tuple[str, Any]], prefix: str, label: str) -> dict[str, list[dict[str, str]]]:
    return field_values(files, FIELDS, prefix, label, CAP, ("firstName", "lastName"))


def _discogs(root: Path) -> tuple[dict[str, list[dict[str, str]]], list[dict[str, str]]]:
    label = "python3-discogs-client 2.7"
    files: list[tuple[str, Any]] = []
    queries: list[dict[str, str]] = []
    for path in sorted(glob.glob(str(root / DISCOGS_DIR / "**/*.json"), recursive=True)):
        rel = os.path.relpath(path, root)
        files.append((rel, json.loads(Path(path).read_text())))
        name = Path(path).stem
        if "=" in name:
            queries.append({"value": name.split("_", 1)[1] if "_" in name.split("=")[0] else name,
                            "source": f"{label} {rel}: the recorded request's query string (file name)"})
    return _values(files, "dc", label), queries


def _zotero(root: Path) -> tuple[dict[str, list[dict[str, str]]], list[dict[str, str]]]:
    label = "pyzotero 1.5.18"
    files: list[tuple[str, Any]] = []
    items: list[dict[str, str]] = []
    for path in sorted(glob.glob(str(root / "tests/api_responses/*.json"))):
        rel = os.path.relpath(path, root)
        doc = json.loads(Path(path).read_text())
        files.append((rel, doc))
        for entry in doc if isinstance(doc, list) else [doc]:
            if isinstance(entry, dict) and isinstance(entry.get("data"), dict) and entry["data"].get("itemType"):
                items.append({"value": json.dumps(entry["data"], ensure_ascii=False),
                              "source": f"{label} {rel}: item {entry.get('key', '')} data object"})
    return _values(files, "zt", label), items


def extract(discogs: Path, zotero: Path) -> None:
    sources, dropped = _records()
    attacks, repeats = _attacks(sources)
    dc, queries = _discogs(discogs)
    zt, items = _zotero(zotero)
    benign = {**dc, **zt, "dc_queries": queries, "zt_items": items}
    write_values(HERE, SPLIT, attacks, benign, attack_meta(sources, HOW_READ, dropped, repeats, attacks), {
        "discogs": {
            "package": "python3-discogs-client 2.7 (PyPI sdist), discogs_client/tests/res/**/*.json: recorded "
            "Discogs API answers; file names are the recorded requests' query strings",
            "licence": "BSD-2-Clause (LICENSE: 'Copyright (c) 2015 Discogs. All rights reserved. "
            "Redistribution and use in source and binary forms, with or without modification, are permitted "
            "provided ...')",
        },
        "zotero": {
            "package": "pyzotero 1.5.18 (PyPI sdist), tests/api_responses/*.json: recorded Zotero API answers",
            "licence": "MIT (license.txt: 'The MIT License (MIT) Copyright (c) 2015 Stephan Hügel')",
        },
        "what": f"unique text of the listed keys (first occurrence), at most {CAP} per category at an even "
        "stride; a creator's firstName + lastName as one name; discogs query strings sent whole as a GET query; "
        "each Zotero item's data object sent whole as a JSON body",
        "fields": FIELDS,
        "counts": {cat: len(v) for cat, v in benign.items()},
    })


# --- corpus -------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    corpus, benign = load(HERE, SPLIT)
    queries = benign.pop("dc_queries", [])
    items = benign.pop("zt_items", [])
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.long_texts(benign)
    corpus.documents(queries, "dc_query", "query", target="/database/search?")
    corpus.documents(items, "zt_item", "json")
    out: list[dict[str, Any]] = corpus.items
    return out


if __name__ == "__main__":
    main(HERE, sys.argv[1:], extract, build)
