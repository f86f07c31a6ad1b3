"""The corpus of an unseen split kept in its own folder (``fresh9/``, ``fresh10/``, ``fresh11/``), placed exactly as
``build.py`` places the main corpus: every attack payload in all eight locations, every benign value in the
locations it fits, then the split's own whole documents. Each folder's ``build.py`` says what its values are.
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from build import LOCATIONS, _benign_field, _segment_like, place


class SplitCorpus:
    def __init__(self, split: str) -> None:
        self.split = split
        self.items: list[dict[str, Any]] = []
        self.n = 0
        """Requests placed so far: ``place`` picks each request's base headers from it."""

    def place(self, value: str, loc: str, cls: str, name: str = "") -> dict[str, Any]:
        self.n += 1
        req: dict[str, Any] = place(value, loc, cls, self.n, name)
        return req

    def add(self, item_id: str, label: str, cls: str, loc: str, req: dict[str, Any]) -> None:
        self.items.append({"id": item_id, "label": label, "class": cls, "location": loc, "split": self.split, **req})

    def attacks(self, attacks: dict[str, list[str]]) -> None:
        for cls, payloads in attacks.items():
            for p_i, payload in enumerate(payloads):
                for loc in LOCATIONS:
                    self.add(f"{self.split}-{cls}-{p_i}-{loc}", "attack", cls, loc, self.place(payload, loc, cls))

    def benign_values(self, benign: dict[str, list[dict[str, str]]], field_category: Callable[[str], str]) -> None:
        """Each value in every location it fits (short keys, path-segment-like values), in a field named for its
        category (``field_category`` strips the split's own prefixes)."""
        for category, entries in benign.items():
            field = _benign_field(field_category(category))
            for v_i, entry in enumerate(entries):
                value = entry["value"]
                for loc in LOCATIONS:
                    if (loc == "json_key" and len(value) > 40) or (
                        loc == "path" and (len(value) > 60 or not _segment_like(value))
                    ):
                        continue
                    self.add(f"{self.split}-{category}-{v_i}-{loc}", "benign", category, loc,
                             self.place(value, loc, "benign", field))

    def long_texts(self, benign: dict[str, list[dict[str, str]]]) -> None:
        """Six long texts made of the benign values, as JSON, form and XML bodies."""
        texts = [e["value"] for es in benign.values() for e in es if len(e["value"]) > 15]
        for k in range(6):
            long_text = " ".join(texts[k::3] * 3)[:4000]
            for loc in ("json", "form", "xml"):
                self.add(f"{self.split}-long-{k}-{loc}", "benign", "long", loc, self.place(long_text, loc, "benign"))

    def documents(self, entries: list[dict[str, str]], category: str, loc: str, target: str = "") -> None:
        """Whole benign bodies (or query strings after ``target``) sent as they were recorded."""
        for d_i, entry in enumerate(entries):
            req = self.place("x", loc, "benign")
            if target:
                req["target"] = target + entry["value"]
            else:
                req["body"] = entry["value"]
            self.add(f"{self.split}-{category}-{d_i}-{loc}", "benign", category, loc, req)


def load(folder: Path, split: str) -> tuple[SplitCorpus, dict[str, list[dict[str, str]]]]:
    """A split's corpus with its attacks placed, and its benign values (``attacks_<split>.json``,
    ``benign_<split>.json`` in ``folder``) for the builder to place."""
    attacks: dict[str, list[str]] = json.loads((folder / f"attacks_{split}.json").read_text())
    benign: dict[str, list[dict[str, str]]] = json.loads((folder / f"benign_{split}.json").read_text())
    corpus = SplitCorpus(split)
    corpus.attacks(attacks)
    return corpus, benign


def dump(path: Path, data: Any) -> None:
    """``data`` as indented UTF-8 JSON."""
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def main(folder: Path, argv: list[str], extract: Callable[[Path, Path], None],
         build: Callable[[], list[dict[str, Any]]]) -> None:
    """A split builder's command line: ``--extract A B`` re-selects the values from two unpacked sources first, then
    ``corpus.jsonl`` is written."""
    if argv[:1] == ["--extract"]:
        extract(Path(os.path.expanduser(argv[1])), Path(os.path.expanduser(argv[2])))
    write(folder, build())


def write(folder: Path, corpus: list[dict[str, Any]]) -> None:
    """``corpus.jsonl`` in ``folder``; prints the count per label."""
    with (folder / "corpus.jsonl").open("w") as fh:
        for item in corpus:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for item in corpus:
        counts[item["label"]] = counts.get(item["label"], 0) + 1
    print(json.dumps(counts))


def older_payloads(here: Path, corpora: Iterable[Path] = ()) -> set[str]:
    """Every attack value of the other splits' ``attacks_*.json`` (main folder and ``fresh*/``, not ``here``), and the
    JSON-body value of each attack item in ``corpora``: what a new split leaves out as already seen."""
    seen: set[str] = set()
    for path in glob.glob(str(here.parent / "attacks_*.json")) + glob.glob(str(here.parent / "fresh*/attacks_*.json")):
        if Path(path).parent == here:
            continue
        for values in json.loads(Path(path).read_text()).values():
            seen.update(v for v in values if isinstance(v, str))
    for corpus in corpora:
        for line in corpus.read_text().split("\n"):
            if not line:
                continue
            item = json.loads(line)
            if item["label"] != "attack" or item["location"] != "json" or not item.get("body"):
                continue
            try:
                items = json.loads(item["body"])["order"]["items"][0]
            except (ValueError, KeyError, IndexError, TypeError):
                continue
            for key, val in items.items():
                if key != "sku":
                    seen.add(val if isinstance(val, str) else json.dumps(val))
    return seen


def even(values: list[dict[str, str]], cap: int) -> list[dict[str, str]]:
    """At most ``cap`` of ``values``, evenly spaced."""
    if len(values) <= cap:
        return values
    step = len(values) / cap
    return [values[int(i * step)] for i in range(cap)]
