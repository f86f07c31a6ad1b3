"""fresh24: labelled HTTP-request datasets that ML-WAF research evaluates with: the FWAF dataset (faizann24's
badqueries.txt, and its goodqueries.txt as mirrored in nighthawkk/FireBricks), the Kaggle "SQL Injection Dataset"
(Modified_SQL_Dataset.csv) and the Kaggle "Cross site scripting XSS dataset" (XSS_dataset.csv, in its author's
repository). Attacks from the attack side, labelled by class here; benign values from the same datasets' normal side.

    python bench/waf/fresh24/build.py             # writes corpus.jsonl (deterministic)
    python bench/waf/fresh24/build.py --extract   # re-selects the values (the three json files) from the records

No sdist is needed: every value was read through the code-search index and transcribed into ``records.txt``
(attacks) and ``benign_records.txt`` (normal side); both files name repository, file, commit, page and licence.

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines; ``@@ drop`` lines say what was
left out and why). The datasets label only attack/normal, so the class of each kept value is this split's own; a
request whose injected value is not an attack of one of the twelve classes (a path probe for a file name, a lone quote,
an external RFI URL, PHP evaluation that starts no process, a placeholder) was left out. FWAF records (kind ``F``) are
the injected parameter value (or path segment) of a scan request, its log escapes undone and then decoded once with
``unquote_plus`` as the application receives it; commix's URL-encoded probes (kind ``U``) are decoded once with
``unquote``; the CSV datasets' cells (kind ``R``) are taken as the dataset has them. Values already in an older split,
or repeated, are dropped and listed in ``sources.json``.

Benign values: ``benign_records.txt``, the datasets' own normal side as they label it: every line of FWAF's
goodqueries.txt as stored (URL paths of real web traffic: numeric ids, slugs, song and film titles, file names in many
languages; the leading and trailing ``/`` removed, log escapes undone), leaving out the lines that are in fact a
scanner's injection request (``MISLABELLED``: RFI URLs, ``union select``, ``.%2e`` traversal, ``|id|``, web shells;
counted in ``sources.json``); the XSS dataset's label-0 sentences (news sentences with HTML entities, chat-bot
dialogues and the author's hard negatives such as "have you studied union and intersection?"); the SQL dataset's
label-0 rows (generated SQL statements over random English words, which that dataset labels normal). Values already
among an older split's benign values are left out. Split name ``fresh24``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_plus

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh24"
HOW_READ = (
    "each file's stored text through the code-search index (read_file) at the commit and offsets named per source; "
    "the injected value of each request kept transcribed into records.txt (see its header)"
)
MISLABELLED = re.compile(r"http://|@rfiurl|union|\.\./|%2e|%00|\||c99|phpinfo|passwd|win\.ini|--|xxxxx|@192\.168|/bin/",
                         re.IGNORECASE)
"""A goodqueries.txt line that is a scanner's injection request although the dataset labels it normal."""
FILE_LIKE = re.compile(r"[/.]")


def _unescape_log(text: str) -> str:
    """An FWAF log line's escapes undone: ``\\"`` -> ``"``, ``\\xNN`` -> that byte, the bytes read as UTF-8 (else
    Latin-1)."""
    raw = re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), text.replace('\\"', '"'))
    data = raw.encode("latin-1", errors="ignore")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _decode(kind: str, text: str) -> str:
    if kind == "F":
        return unquote_plus(_unescape_log(text))
    if kind == "U":
        return unquote(text)
    return text


# --- benign ---------------------------------------------------------------------------------------------------------


def _read_benign() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """``benign_records.txt``: each source (``@@ source|repo|files|commit|licence|prefix``) with its raw lines."""
    sources: list[dict[str, Any]] = []
    for line in (HERE / "benign_records.txt").read_text().splitlines():
        if line.startswith("# "):
            continue
        if line.startswith("@@ source|"):
            _, repo, files, commit, licence, prefix = line.split("|", 5)
            sources.append({"repository": repo, "files": files, "commit": commit, "licence": licence,
                            "prefix": prefix, "lines": []})
        elif line.strip():
            sources[-1]["lines"].append(line)
    return sources, []


def _category(prefix: str, value: str) -> str:
    if prefix == "sqlds":
        return "queries"
    if prefix == "fwafgood":
        return "names" if " " in value else "files" if FILE_LIKE.search(value) else "codes"
    return sc.text_category(value)


def _benign() -> tuple[dict[str, list[dict[str, str]]], dict[str, Any]]:
    sources, _ = _read_benign()
    older = sc.older_benign(HERE)
    found: dict[str, list[dict[str, str]]] = {}
    seen: set[str] = set()
    mislabelled: list[str] = []
    counts = {"in an older split": 0, "repeated": 0}
    for src in sources:
        prefix = src["prefix"]
        for raw in src["lines"]:
            if prefix == "fwafgood":
                if MISLABELLED.search(raw):
                    mislabelled.append(raw)
                    continue
                value = _unescape_log(raw).strip("/").strip()
            else:
                value = raw.strip()
            if not sc.keep_text(value):
                continue
            if value in seen or value in older:
                counts["repeated" if value in seen else "in an older split"] += 1
                continue
            seen.add(value)
            found.setdefault(f"{prefix}_{_category(prefix, value)}", []).append(
                {"value": value, "source": f"{src['repository']} {src['files'].split(' (')[0]}"})
    meta = {
        "sources": [{k: v for k, v in s.items() if k != "lines"} | {"lines": len(s["lines"])} for s in sources],
        "how_read": HOW_READ.replace("injected value of each request kept", "lines of each page"),
        "what": "the datasets' normal side as they label it; FWAF goodqueries lines without their leading and "
        "trailing '/', log escapes undone; CSV cells stripped; values already among an older split's benign values "
        "or repeated left out",
        "left_out_mislabelled": {
            "rule": MISLABELLED.pattern,
            "why": "labelled normal in goodqueries.txt but a scanner's injection request (RFI URL, union select, "
            "encoded traversal, pipe, web shell): not benign traffic",
            "count": len(mislabelled),
            "lines": mislabelled,
        },
        "left_out_seen": counts,
        "not_found": "CSIC 2010 (anomalousTrafficTest.txt, normalTrafficTraining.txt) and ECML/PKDD 2007 are not in "
        "the code-search index (only a 7,823-character fragment of CSIC's normalTrafficTest.txt, and csic_dataset.zip "
        "as a binary); HttpParamsDataset, which carries CSIC values, was used by bench/waf/httpparams.py and is not "
        "used here",
    }
    return found, meta


def extract() -> None:
    sources, dropped = sc.read_records(HERE / "records.txt", _decode)
    attacks, repeats = sc.first_seen(HERE, sources)
    benign, benign_meta = _benign()
    meta = sc.attack_meta(sources, HOW_READ, dropped, repeats, attacks)
    counts = {cat: len(v) for cat, v in benign.items()}
    sc.write_values(HERE, SPLIT, attacks, benign, meta, {**benign_meta, "counts": counts})


# --- corpus ---------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    return sc.build_values_only(HERE, SPLIT)


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
