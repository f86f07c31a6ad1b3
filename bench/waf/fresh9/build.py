"""fresh9: libinjection's collected SQLi/XSS inputs against values recorded from the Mastodon API.

    python bench/waf/fresh9/build.py                    # writes bench/waf/fresh9/corpus.jsonl (deterministic)
    python bench/waf/fresh9/build.py --extract RAW TESTS  # re-selects the values (writes the three json files)

Attack payloads: lines of client9/libinjection ``data/sqli-*.txt`` and ``data/xss-*.txt`` (BSD-3-Clause), read
through the code-search index and kept in ``RAW`` as one JSON file per data file (``{"commit", "text"}`` or
``{"commit", "parts": [{"where", "text"}]}``; each text is a verbatim slice of the stored file, lines over 400
characters replaced by ``@@LONG@@``). Benign values: ``data/false_positives.txt`` of the same repository, plus
values recorded from the Mastodon API in Mastodon.py 2.3.3's test cassettes (MIT; ``TESTS`` is the ``tests``
folder of its PyPI sdist). ``sources.json`` says what was taken, how it was sampled and what was left out.

Every attack payload and benign value is placed in the eight locations of ``bench/waf/build.py`` (its
``place()``), benign values in a path segment only when they look like one and as a JSON key only when short;
long texts and whole recorded form bodies are added as in the other splits. Split name ``fresh9``.
"""

from __future__ import annotations

import glob
import json
import os
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, unquote_plus, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

from split_corpus import SplitCorpus, write  # noqa: E402

SPLIT = "fresh9"
LIBINJECTION = "client9/libinjection"
LONG = "@@LONG@@"
# Lines that are in a file of attacks but are not an injection attempt (decoded value -> why).
NOT_ATTACKS = {
    "test 45 <div style=\"font-family:'foo[a];color:red;';\">XXX</div>": "a CSS-parser test whose only effect is a "
    "text colour: no script, navigation or resource load",
    'test 46 <div style="font-family:foo}color=red;">XXX</div>': "a CSS-parser test whose only effect is a text "
    "colour: no script, navigation or resource load",
    '<div id="fuzzelement1" style="/**\x00/;color:#000000;"></div>': "a browser CSS-parser fuzz case (Shazzer 256): "
    "sets a colour, no script",
    '<div id="fuzzelement1" style="/***/;color:#000000;"></div>': "a browser CSS-parser fuzz case (Shazzer 256): "
    "sets a colour, no script",
    '<div id="fuzzelement1" style="/**//;color:#000000;"></div>': "a browser CSS-parser fuzz case (Shazzer 256): "
    "sets a colour, no script",
}
NOT_TRANSCRIBED = {
    "sqli-fullqueries.txt": "left out whole: its own header says 'Frequently not SQLi' (complete SELECT statements "
    "such as 'select 1,1,1,1,1,1,1' used to test the tokenizer, not injected into a query)",
    "sqli-rsalgado-bhusa213.txt": "left out whole: its 18 payload lines are slides 83-84 of "
    "sqli-rsalgado-bhusa2013.txt, which is taken whole",
}
# Mastodon response fields that carry user content, by benign category.
MASTODON_FIELDS = {
    "html": ("content", "note"),
    "prose": (
        "text",
        "comment",
        "description",
        "title",
        "hint",
        "spoiler_text",
        "avatar_description",
        "header_description",
        "keyword",
        "value",
        "phrase",
        "status",
        "summary",
    ),
    "names": ("name", "username", "acct", "display_name", "domain"),
    "urls": ("url", "uri", "avatar", "avatar_static", "header", "header_static", "preview_url", "remote_url", "src"),
    "emails": ("email",),
    "dates": ("created_at", "last_status_at", "date", "updated_at", "verified_at", "expires_at", "scheduled_at"),
    "tokens": ("blurhash", "canonical_email_hash", "key", "etag", "vapid_key"),
    "enums": ("language", "visibility", "type", "category", "privacy", "quote_policy", "severity", "locale", "state"),
}
CAPS = {
    "html": 120,
    "prose": 160,
    "names": 100,
    "urls": 120,
    "emails": 20,
    "dates": 40,
    "tokens": 40,
    "enums": 40,
    "request": 180,
}
PLACEHOLDER = re.compile(r"__MASTODON_PY_TEST_")
MARKUP = re.compile(r"</?[a-z]")


# --- extraction (run once, with the raw slices and the cassettes at hand) -------------------------------------


def _decode(line: str, kind: str) -> str:
    """The value the application receives: libinjection's data lines are URL-encoded query-string input."""
    return unquote_plus(line) if kind in ("sqli", "fp") else unquote(line)


def _parts(doc: dict[str, Any]) -> list[dict[str, Any]]:
    if "parts" in doc:
        return list(doc["parts"])
    where = doc.get("window") or ("the whole file" if doc.get("whole") else "the first lines of the file")
    return [{"where": where, "text": doc["text"], "every": doc.get("every", 1)}]


def _older_payloads() -> set[str]:
    seen: set[str] = set()
    for path in glob.glob(str(HERE.parent / "attacks_*.json")):
        for values in json.loads(Path(path).read_text()).values():
            seen.update(v for v in values if isinstance(v, str))
    return seen


def _attacks(raw: Path) -> tuple[dict[str, list[str]], list[dict[str, Any]], list[dict[str, Any]]]:
    older = _older_payloads()
    out: dict[str, list[str]] = {"sqli": [], "xss": []}
    taken: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for path in sorted(raw.glob("*.txt.json")):
        name = path.name.removesuffix(".json")
        cls = name.split("-", 1)[0]
        if cls not in out:
            continue
        doc = json.loads(path.read_text())
        kept = 0
        windows = []
        for part in _parts(doc):
            lines = part["text"].split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            every = int(part.get("every", 1))
            windows.append({"where": part["where"], "lines": len(lines), "every_nth_payload_line": every})
            k = -1
            for line in lines:
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                k += 1
                src = f"{LIBINJECTION} data/{name}"
                if line == LONG:
                    dropped.append({"source": src, "line": "(not transcribed)", "why": "longer than 400 characters"})
                    continue
                if k % every:
                    continue  # sampling, recorded per window
                value = _decode(line, cls)
                why = NOT_ATTACKS.get(value)
                if why:
                    dropped.append({"source": src, "line": line, "why": why})
                elif value in seen:
                    dropped.append({"source": src, "line": line, "why": f"repeats a line of {seen[value]}"})
                elif value in older:
                    dropped.append({"source": src, "line": line, "why": "in an older split"})
                else:
                    seen[value] = name
                    out[cls].append(value)
                    kept += 1
        taken.append({"file": f"data/{name}", "commit": doc["commit"], "class": cls, "read": windows, "kept": kept})
    for name, why in NOT_TRANSCRIBED.items():
        taken.append({"file": f"data/{name}", "class": name.split("-", 1)[0], "read": [], "kept": 0, "why": why})
    return out, taken, dropped


def _false_positives(raw: Path) -> tuple[dict[str, list[dict[str, str]]], list[dict[str, Any]]]:
    doc = json.loads((raw / "false_positives.txt.json").read_text())
    values: dict[str, list[dict[str, str]]] = {"fp_searches": [], "fp_misc": [], "fp_sql_like": []}
    dropped: list[dict[str, Any]] = []
    category = "fp_searches"
    seen: set[str] = set()
    lines = doc["text"].split("\n")
    for n, line in enumerate(lines, 1):
        if line.startswith("# some base64"):
            category = "fp_misc"
        elif "libinjection/issues/49" in line:
            category = "fp_sql_like"
        if not line.strip() or line.startswith("#"):
            continue
        if line == LONG:
            dropped.append({"line": n, "why": "longer than 400 characters: not transcribed"})
            continue
        value = _decode(line, "fp")
        if value in seen:
            dropped.append({"line": n, "value": value, "why": "repeated in the file"})
            continue
        seen.add(value)
        values[category].append({"value": value, "source": f"{LIBINJECTION} data/false_positives.txt line {n}"})
    return values, dropped


def _walk(obj: Any, found: list[tuple[str, str]], path: str = "") -> None:
    if isinstance(obj, dict):
        for key, val in obj.items():
            if isinstance(val, str):
                found.append((key, val))
            else:
                _walk(val, found, f"{path}.{key}")
    elif isinstance(obj, list):
        for val in obj:
            _walk(val, found, path)


def _mastodon(tests: Path) -> tuple[dict[str, list[dict[str, str]]], list[dict[str, Any]]]:
    import yaml  # the PyYAML of the venv; only the extraction needs it

    field_cat = {f: cat for cat, fields in MASTODON_FIELDS.items() for f in fields}
    pools: dict[str, dict[str, str]] = {cat: {} for cat in CAPS}
    forms: list[dict[str, str]] = []
    for path in sorted(glob.glob(str(tests / "cassettes*" / "*.yaml"))):
        rel = os.path.relpath(path, tests)
        doc = yaml.safe_load(Path(path).read_text())
        for it in doc.get("interactions") or []:
            req, resp = it["request"], it["response"]
            pairs = parse_qsl(urlsplit(req["uri"]).query)
            ctype = " ".join(req.get("headers", {}).get("Content-Type", []))
            body = req.get("body")
            if isinstance(body, str) and "x-www-form-urlencoded" in ctype:
                form = parse_qsl(body, keep_blank_values=False)
                pairs += form
                if form and not any(PLACEHOLDER.search(v) for _, v in form):
                    forms.append({"body": body, "cassette": rel})
            for key, val in pairs:
                if val and not PLACEHOLDER.search(val):
                    pools["request"].setdefault(val, f"{rel}: request {key}")
            text = (resp.get("body") or {}).get("string") or ""
            try:
                parsed = json.loads(text)
            except (ValueError, TypeError):
                continue
            found: list[tuple[str, str]] = []
            _walk(parsed, found)
            for key, val in found:
                cat = field_cat.get(key)
                if not val or PLACEHOLDER.search(val) or cat is None:
                    continue
                if cat in ("html", "prose"):
                    cat = "html" if MARKUP.search(val) else "prose"
                if cat == "urls" and not val.startswith("http"):
                    continue
                pools[cat].setdefault(val, f"{rel}: response {key}")
    values: dict[str, list[dict[str, str]]] = {}
    sampling: list[dict[str, Any]] = []
    for cat, pool in pools.items():
        items = sorted(pool.items())
        step = max(1, -(-len(items) // CAPS[cat]))
        chosen = items[::step]
        values[f"mastodon_{cat}"] = [{"value": v, "source": f"Mastodon.py 2.3.3 tests/{src}"} for v, src in chosen]
        sampling.append(
            {"category": f"mastodon_{cat}", "unique_values": len(items), "every_nth": step, "kept": len(chosen)}
        )
    step = max(1, len(forms) // 60)
    values["mastodon_form_bodies"] = [
        {"value": f["body"], "source": f"Mastodon.py 2.3.3 tests/{f['cassette']}: request body"} for f in forms[::step]
    ]
    sampling.append(
        {
            "category": "mastodon_form_bodies",
            "unique_values": len(forms),
            "every_nth": step,
            "kept": len(values["mastodon_form_bodies"]),
        }
    )
    return values, sampling


def extract(raw: Path, tests: Path) -> None:
    field_list = "; ".join(f"{cat}: {', '.join(fields)}" for cat, fields in MASTODON_FIELDS.items())
    attacks, taken, dropped = _attacks(raw)
    fps, fp_dropped = _false_positives(raw)
    masto, sampling = _mastodon(tests)
    benign = {**fps, **masto}
    (HERE / "attacks_fresh9.json").write_text(json.dumps(attacks, indent=1, ensure_ascii=False) + "\n")
    (HERE / "benign_fresh9.json").write_text(json.dumps(benign, indent=1, ensure_ascii=False) + "\n")
    sources = {
        "attacks": {
            "repository": LIBINJECTION,
            "licence": "BSD-3-Clause (COPYING, commit 6f31b5ba: 'Copyright 2012-2016 Nick Galbreath -- nickg [at] "
            "client9 [dot] com ... All rights reserved.' Redistribution with this notice, the conditions and the "
            "disclaimer of COPYING)",
            "how_read": "each file's stored text through the code-search index, first page (16,000 characters) "
            "only; the slices below were copied verbatim, lines over 400 characters not transcribed",
            "decoding": "the data files hold URL-encoded query-string input (data/README.md): sqli and "
            "false-positive lines are decoded once as query-string values (+ is a space); xss lines are written as "
            "raw HTML (+ in base64 and MIME types), so only their %XX escapes are decoded",
            "kept_lines": "every non-blank line not starting with # in each slice (libinjection's own rule), "
            "sampled where every_nth_payload_line > 1, minus the dropped lines below",
            "known_deviation": "data/xss-soaj1664ashar.txt and data/xss-soaj1664ashar-400257634449637376.txt are "
            "one character longer in the index than as transcribed: the line '<svg><GMO=`<ftw=...' holds an "
            "invisible (right-to-left) character that the transcription lacks",
            "files": taken,
            "counts": {cls: len(v) for cls, v in attacks.items()},
        },
        "dropped_attack_lines": dropped,
        "benign": {
            "libinjection_false_positives": {
                "file": "data/false_positives.txt",
                "commit": "e6c8eb9b661222aff596bc7dd391ef64448d8702",
                "licence": "BSD-3-Clause, as above",
                "read": "the first 16,000 of 16,097 characters (the cut last line left out); categories by the "
                "file's own sections: fp_searches (shop searches before '# some base64 things?'), fp_misc, "
                "fp_sql_like (from the '# from .../issues/49' section on)",
                "dropped": fp_dropped,
                "counts": {cat: len(v) for cat, v in fps.items()},
            },
            "mastodon": {
                "package": "Mastodon.py 2.3.3 (PyPI sdist mastodon_py-2.3.3.tar.gz), tests/cassettes*/*.yaml",
                "licence": "MIT (LICENSE: Copyright (c) 2016 Lorenz Diener / Mastodon.py contributors)",
                "what": "recorded requests to and answers from a Mastodon 4.x test instance: request query and "
                "form values, and response string fields that carry user content or are echoed by clients "
                f"({field_list}); content or prose "
                "holding a tag is 'html', else 'prose'; the test suite's placeholder tokens left out; unique values, "
                "sorted, every Nth up to a cap per category; whole form bodies as 'document' requests",
                "sampling": sampling,
            },
        },
    }
    (HERE / "sources.json").write_text(json.dumps(sources, indent=1, ensure_ascii=False) + "\n")


# --- corpus -------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    attacks: dict[str, list[str]] = json.loads((HERE / "attacks_fresh9.json").read_text())
    benign: dict[str, list[dict[str, str]]] = json.loads((HERE / "benign_fresh9.json").read_text())
    corpus = SplitCorpus(SPLIT)
    corpus.attacks(attacks)
    forms = benign.pop("mastodon_form_bodies", [])
    corpus.benign_values(benign, lambda category: category.removeprefix("mastodon_").removeprefix("fp_"))
    corpus.long_texts(benign)
    corpus.documents(forms, "document", "form")
    return corpus.items


def main(argv: list[str]) -> None:
    if argv[:1] == ["--extract"]:
        extract(Path(argv[1]), Path(argv[2]))
    write(HERE, build())

if __name__ == "__main__":
    main(sys.argv[1:])
