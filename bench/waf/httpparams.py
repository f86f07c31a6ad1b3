"""bastion's waf against HttpParamsDataset (Morzeux): HTTP parameter values labelled norm/sqli/xss/cmdi/path-traversal.

    .venv/bin/python bench/waf/httpparams.py --csv /tmp/httpparams/sample.csv [--misses]

The dataset is not in the repository (its licence is unclear): ``--csv`` names a local copy with the columns
``payload,length,attack_type,label`` (the dataset's own format). Every value is placed as a query parameter value,
a nested JSON string value and a form field; every ``--every``-th value also as a header and as a cookie. The
placement helpers are ``build.py``'s (the same requests the corpus splits use); the verdicts come from
``bench/waf.py``'s in-process runner at default settings. Printed: detection per attack type and per location,
false positives per location, and with ``--misses`` every missed attack and false positive.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1])]

import build  # noqa: E402  (bench/waf/build.py, run as a sibling script)
from bench.waf import bastion_verdicts  # noqa: E402

LOCATIONS = ("query", "json", "form")
SAMPLED = ("header", "cookie")


def _field(value: str, kind: str) -> str:
    """A field name a CSIC form would use for a value of this shape (attacks go where a name would)."""
    if kind != "norm":
        return "name"
    if "@" in value:
        return "email"
    if re.fullmatch(r"\d{12,19}", value):
        return "card_number"
    if re.search(r"\d", value) and " " in value:
        return "address"
    return "name"


def load(path: Path) -> list[tuple[str, str]]:
    """(value, attack type) rows; the header row is skipped, rows without a type are refused."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = [(r["payload"], r["attack_type"]) for r in csv.DictReader(f)]
    if any(not kind for _, kind in rows):
        raise SystemExit(f"{path}: a row has no attack_type")
    return rows


def requests(rows: list[tuple[str, str]], every: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for n, (value, kind) in enumerate(rows):
        locations = LOCATIONS + (SAMPLED if n % every == 0 else ())
        for location in locations:
            req = build.place(value, location, "httpparams", n, name=_field(value, kind))
            label = "benign" if kind == "norm" else "attack"
            out.append(req | {"id": f"hp-{n}-{location}", "label": label, "class": kind, "location": location,
                              "value": value})
    return out


def _rate(hits: int, total: int) -> str:
    return f"{100 * hits / total:5.1f}% ({hits}/{total})" if total else "   -"


def report(corpus: list[dict[str, Any]], verdicts: dict[str, str]) -> None:
    for label, key, title in (("attack", "class", "detection by attack type"),
                              ("attack", "location", "detection by location"),
                              ("benign", "location", "false positives by location")):
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for c in corpus:
            if c["label"] == label:
                groups[c[key]].append(c)
                groups["ALL"].append(c)
        print(f"\n{title}")
        for group, members in sorted(groups.items(), key=lambda kv: kv[0] == "ALL"):
            print(f"  {group:<16}{_rate(sum(bool(verdicts[c['id']]) for c in members), len(members)):>22}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", type=Path, required=True, help="local copy of the dataset (payload,...,attack_type)")
    parser.add_argument("--every", type=int, default=4, help="also place every Nth value in a header and a cookie")
    parser.add_argument("--misses", action="store_true", help="list missed attacks and false positives")
    args = parser.parse_args()
    corpus = requests(load(args.csv), args.every)
    verdicts = bastion_verdicts(corpus)
    values = {c["value"] for c in corpus}
    print(f"{len(values)} distinct values, {len(corpus)} requests")
    report(corpus, verdicts)
    if args.misses:
        for c in corpus:
            if bool(verdicts[c["id"]]) != (c["label"] == "attack"):
                tag = "MISS" if c["label"] == "attack" else "FP  "
                print(tag, c["class"], c["location"], repr(c["value"][:160]))


if __name__ == "__main__":
    main()
