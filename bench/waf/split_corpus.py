"""The corpus of an unseen split kept in its own folder (``fresh9/``, ``fresh10/``, ``fresh11/``), placed exactly as
``build.py`` places the main corpus: every attack payload in all eight locations, every benign value in the
locations it fits, then the split's own whole documents. Each folder's ``build.py`` says what its values are.
"""

from __future__ import annotations

import glob
import importlib.util
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, unquote_plus

from build import LOCATIONS, _benign_field, _segment_like, place

# The keys of GitHub REST API JSON bodies whose text a split takes as benign values, by category (fresh16, fresh18).
GITHUB_FIELDS: dict[str, tuple[str, ...]] = {
    "names": (
        "name",
        "login",
        "full_name",
        "title",
        "label",
        "company",
        "location",
        "default_branch",
        "tag_name",
        "target_commitish",
        "filename",
        "author",
        "committer",
    ),
    "prose": ("description", "message", "body", "bio", "note", "text", "summary", "content_type"),
    "urls": (
        "url",
        "html_url",
        "homepage",
        "blog",
        "avatar_url",
        "git_url",
        "clone_url",
        "ssh_url",
        "svn_url",
        "href",
        "documentation_url",
        "raw_url",
        "browser_download_url",
        "mirror_url",
        "location_url",
    ),
    "codes": (
        "sha",
        "node_id",
        "created_at",
        "updated_at",
        "pushed_at",
        "ref",
        "path",
        "state",
        "type",
        "email",
        "language",
        "mode",
        "encoding",
        "etag",
        "gravatar_id",
        "key",
        "fingerprint",
        "token_last_eight",
    ),
}


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


def build_values_only(folder: Path, split: str) -> list[dict[str, Any]]:
    """The corpus of a split whose benign side is values only: attacks placed, every ``<source>_<category>`` value
    placed in the eight locations under its category, and the long texts made of them."""
    corpus, benign = load(folder, split)
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.long_texts(benign)
    return corpus.items


def build_with_documents(folder: Path, split: str, queries: tuple[str, str, str],
                         bodies: tuple[str, str]) -> list[dict[str, Any]]:
    """``build_values_only`` plus whole recorded documents: ``queries`` = (benign key, category, target) sent as GET
    query strings after the target, ``bodies`` = (benign key, category) sent as JSON bodies."""
    corpus, benign = load(folder, split)
    query_docs = benign.pop(queries[0], [])
    body_docs = benign.pop(bodies[0], [])
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.long_texts(benign)
    corpus.documents(query_docs, queries[1], "query", target=queries[2])
    corpus.documents(body_docs, bodies[1], "json")
    out: list[dict[str, Any]] = corpus.items
    return out


def build_with_bodies(folder: Path, split: str, bodies: tuple[tuple[str, str, str], ...]) -> list[dict[str, Any]]:
    """``build_values_only`` plus whole recorded bodies: each (benign key, category, location) sends that key's values
    whole as the body of a request in that location (``json``, ``xml`` or ``form``; fresh27)."""
    corpus, benign = load(folder, split)
    whole = [(benign.pop(key, []), category, loc) for key, category, loc in bodies]
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.long_texts(benign)
    for entries, category, loc in whole:
        corpus.documents(entries, category, loc)
    out: list[dict[str, Any]] = corpus.items
    return out


def dump(path: Path, data: Any) -> None:
    """``data`` as indented UTF-8 JSON."""
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def main(folder: Path, argv: list[str], extract: Callable[..., None],
         build: Callable[[], list[dict[str, Any]]]) -> None:
    """A split builder's command line: ``--extract A [B ...]`` re-selects the values from the unpacked sources first
    (one path argument each), then ``corpus.jsonl`` is written."""
    if argv[:1] == ["--extract"]:
        extract(*(Path(os.path.expanduser(arg)) for arg in argv[1:]))
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


def older_benign(here: Path) -> set[str]:
    """Every benign value of the other splits' ``benign_*.json`` (main folder and ``fresh*/``, not ``here``): what a
    new split leaves out as already seen (fresh21, fresh23)."""
    seen: set[str] = set()
    paths = glob.glob(str(here.parent / "benign_*.json")) + glob.glob(str(here.parent / "fresh*/benign_*.json"))
    for path in paths:
        if Path(path).parent == here or path.endswith("_sources.json"):
            continue
        data = json.loads(Path(path).read_text())
        for entries in data.values() if isinstance(data, dict) else []:
            for entry in entries if isinstance(entries, list) else []:
                value = entry.get("value") if isinstance(entry, dict) else entry
                if isinstance(value, str):
                    seen.add(value.strip())
    return seen


def even(values: list[dict[str, str]], cap: int) -> list[dict[str, str]]:
    """At most ``cap`` of ``values``, evenly spaced."""
    if len(values) <= cap:
        return values
    step = len(values) / cap
    return [values[int(i * step)] for i in range(cap)]


# --- helpers shared by the builders that read a ``records.txt`` and recorded API answers (fresh13, fresh14) ---------


def read_records(path: Path, decode: Callable[[str, str], str],
                 templates: dict[str, list[str]] | None = None) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The sources of a ``records.txt``: ``@@ source|repo|files|commit|licence`` lines, each followed by its
    ``class|kind|value`` lines (``decode(kind, value)``), ``@@ drop|repo|what|why`` lines, and (when ``templates`` is
    given) ``T|group|<JSON string>`` template lines collected per group for the builder to expand."""
    sources: list[dict[str, Any]] = []
    dropped: list[dict[str, str]] = []
    for line in path.read_text().splitlines():
        if not line or line.startswith("# "):
            continue
        if line.startswith("@@ source|"):
            _, repo, files, commit, licence = line.split("|", 4)
            sources.append({"repository": repo, "files": files, "commit": commit, "licence": licence, "values": []})
        elif line.startswith("@@ drop|"):
            _, repo, what, why = line.split("|", 3)
            dropped.append({"repository": repo, "left_out": what, "why": why})
        elif templates is not None and line.startswith("T|"):
            _, group, text = line.split("|", 2)
            templates.setdefault(group, []).append(str(json.loads(text)))
        else:
            cls, kind, text = line.split("|", 2)
            sources[-1]["values"].append((cls, decode(kind, text)))
    return sources, dropped


def read_family_records(path: Path, decode: Callable[[str, str], str]) -> list[dict[str, Any]]:
    """The sources of a ``records.txt`` in fresh61's layout: ``@@ source|repo|files|commit|licence|family|kind`` lines,
    each followed by its values, one a line, decoded as ``decode(kind, line)``; blank and ``# `` lines are skipped."""
    sources: list[dict[str, Any]] = []
    kind = ""
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("# ") or not line:
            continue
        if line.startswith("@@ source|"):
            _, repo, files, commit, licence, family, kind = line.split("|")
            sources.append({"repository": repo, "files": files, "commit": commit, "licence": licence, "family": family,
                            "values": []})
            continue
        sources[-1]["values"].append(decode(kind, line))
    return sources


def decode_url_record(kind: str, text: str) -> str:
    """A record's JSON string literal; kind ``U`` (a line the tool puts into a URL) decoded once more with
    ``unquote``, as the application receives it."""
    value = str(json.loads(text))
    return unquote(value) if kind == "U" else value


def decode_form_record(kind: str, text: str) -> str:
    """``decode_url_record``, and kind ``Q`` (a query-string or form value as the raw request sends it) decoded once
    with ``unquote_plus`` (fresh29)."""
    return unquote_plus(str(json.loads(text))) if kind == "Q" else decode_url_record(kind, text)


Built = tuple[str, str, str, str, Callable[[], list[tuple[str, str]]]]
"""A source whose payloads a builder rebuilds in code: repository, files, commit, licence, the function."""


def records_and_built(path: Path, decode: Callable[[str, str], str],
                      built: list[Built]) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """``read_records`` of ``path`` with the rebuilt sources appended, each with the values its function makes."""
    sources, dropped = read_records(path, decode)
    for repo, files, commit, licence, make in built:
        sources.append({"repository": repo, "files": files, "commit": commit, "licence": licence, "values": make()})
    return sources, dropped


def first_seen(here: Path, sources: list[dict[str, Any]]) -> tuple[dict[str, list[str]], list[dict[str, str]]]:
    """The sources' ``(class, value)`` pairs by class, leaving out a value already in an older split (every other
    split's attacks and corpus) or met before in these sources; the left-out values with the reason."""
    corpora = [here.parent / "corpus.jsonl", *sorted(here.parent.glob("fresh*/corpus.jsonl"))]
    older = older_payloads(here, [c for c in corpora if c.parent != here])
    out: dict[str, list[str]] = {}
    repeats: list[dict[str, str]] = []
    seen: dict[str, str] = {}
    for src in sources:
        for cls, value in src["values"]:
            where = f"{src['repository']} {src['files']}"
            why = f"repeats {seen[value]}" if value in seen else "in an older split" if value in older else ""
            if why:
                repeats.append({"source": where, "value": value, "why": why})
                continue
            seen[value] = where
            out.setdefault(cls, []).append(value)
    return out, repeats


def walk_strings(node: Any, key: str, visit: Callable[[str, str], None], person: tuple[str, str]) -> None:
    """``visit(key, text)`` for every string of a JSON document under the key that holds it; an object with both
    ``person`` keys (first and last name) is also visited as one ``"person"`` value."""
    if isinstance(node, dict):
        first, last = person
        if isinstance(node.get(first), str) and isinstance(node.get(last), str):
            visit("person", f"{node[first]} {node[last]}".strip())
        for k, v in node.items():
            walk_strings(v, k, visit, person)
    elif isinstance(node, list):
        for v in node:
            walk_strings(v, key, visit, person)
    elif isinstance(node, str):
        visit(key, node)


def list_items(node: Any, out: list[Any]) -> None:
    """Every dict that is an element of a list anywhere in ``node``, depth first, appended to ``out`` (fresh22,
    fresh29: recorded objects sent whole as JSON bodies)."""
    if isinstance(node, dict):
        for v in node.values():
            list_items(v, out)
    elif isinstance(node, list):
        for v in node:
            if isinstance(v, dict):
                out.append(v)
            list_items(v, out)


def field_values(files: list[tuple[str, Any]], fields: dict[str, tuple[str, ...]], prefix: str, label: str, cap: int,
                 person: tuple[str, str], keep: Callable[[str], bool] = lambda text: True,
                 ) -> dict[str, list[dict[str, str]]]:
    """Unique text of the listed keys by category (``"person"`` counts as ``names``; first occurrence, ``keep``
    filters), at most ``cap`` per category at an even stride, each with its file and key."""
    field_cat = {f: cat for cat, names in fields.items() for f in names}
    found: dict[str, list[dict[str, str]]] = {cat: [] for cat in fields}
    seen: set[str] = set()
    for rel, doc in files:

        def visit(key: str, text: str, rel: str = rel) -> None:
            cat = "names" if key == "person" else field_cat.get(key)
            text = text.strip()
            if cat is None or not text or text in seen or not keep(text):
                return
            seen.add(text)
            found[cat].append({"value": text, "source": f"{label} {rel}: {key}"})

        walk_strings(doc, "", visit, person)
    return {f"{prefix}_{cat}": even(vals, cap) for cat, vals in found.items() if vals}


SECRET_KEYS = frozenset({"authorization", "auth_token", "api_key", "key", "token", "set-cookie", "cookie", "x-api-key",
                         "password"})
"""Keys whose string values a builder never takes as benign values (fresh20, fresh21)."""


def keep_text(text: str) -> bool:
    """A recorded string a split may send: not empty, at most 4,000 characters, no ``localhost`` (fresh20, fresh21)."""
    return 0 < len(text) <= 4000 and "localhost" not in text


def text_category(text: str) -> str:
    """``urls`` (http/https), ``prose`` (with a space, over 30 characters), ``names`` (other text with a space) or
    ``codes`` (no space)."""
    if text.startswith(("http://", "https://")):
        return "urls"
    if " " in text.strip():
        return "prose" if len(text) > 30 else "names"
    return "codes"


def collect_strings(found: dict[str, list[dict[str, str]]], seen: set[str], label: str, rel: str, doc: Any) -> None:
    """Every string of ``doc`` not under a ``SECRET_KEYS`` key, kept by ``keep_text`` and not in ``seen``, appended to
    ``found[text_category(text)]`` with its file and key (a first/last name pair as one ``person`` value)."""

    def visit(key: str, text: str) -> None:
        text = text.strip()
        if key.lower() in SECRET_KEYS or text in seen or not keep_text(text):
            return
        seen.add(text)
        found[text_category(text)].append({"value": text, "source": f"{label} {rel}: {key}"})

    walk_strings(doc, "", visit, ("first_name", "last_name"))


def attack_meta(sources: list[dict[str, Any]], how_read: str, dropped: list[dict[str, str]],
                repeats: list[dict[str, str]], attacks: dict[str, list[str]]) -> dict[str, Any]:
    """The ``attacks`` part of a split's ``sources.json``: each source without its values (their count instead), how
    they were read, what was left out on purpose, the values dropped as repeats, the count per class."""
    return {
        "sources": [{k: v for k, v in s.items() if k != "values"} | {"values": len(s["values"])} for s in sources],
        "how_read": how_read,
        "left_out": dropped,
        "dropped_values": repeats,
        "counts": {cls: len(v) for cls, v in attacks.items()},
    }


def write_split(folder: Path, split: str, records: tuple[list[dict[str, Any]], list[dict[str, str]]], how_read: str,
                benign: dict[str, list[dict[str, str]]], benign_sources: dict[str, Any]) -> None:
    """A split's selected values from its attack ``records`` (sources, dropped) and its chosen benign values: the
    attacks not seen in an older split, written with ``write_values``; the benign count per category added."""
    sources, dropped = records
    attacks, repeats = first_seen(folder, sources)
    counts = {cat: len(v) for cat, v in benign.items()}
    write_values(folder, split, attacks, benign, attack_meta(sources, how_read, dropped, repeats, attacks),
                 {**benign_sources, "counts": counts})


def write_values(folder: Path, split: str, attacks: dict[str, list[str]], benign: dict[str, list[dict[str, str]]],
                 attack_sources: dict[str, Any], benign_sources: dict[str, Any]) -> None:
    """A split's selected values: ``attacks_<split>.json``, ``benign_<split>.json`` and ``sources.json``."""
    dump(folder / f"attacks_{split}.json", attacks)
    dump(folder / f"benign_{split}.json", benign)
    dump(folder / "sources.json", {"attacks": attack_sources, "benign": benign_sources})


def load_build(split: str) -> ModuleType:
    """Another split's ``build.py`` as a module, to reuse its rules unchanged (``bench/waf`` is not a package)."""
    path = Path(__file__).resolve().parent / split / "build.py"
    spec = importlib.util.spec_from_file_location(f"{split}_build", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
