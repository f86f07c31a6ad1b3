"""fresh20: attacks aimed at APIs (Damn Vulnerable GraphQL Application's exploit solutions, waf-bypass's API, GraphQL,
SSI, multipart and unread XSS payload files, GraphQLmap, crAPI's solutions, and SecLists lists no older split read)
against recorded chat-bot and issue-tracker API traffic (zulip_bots fixtures, python-bugzilla and gidgethub samples,
python-gitlab's mocked answers).

    python bench/waf/fresh20/build.py                              # writes corpus.jsonl (deterministic)
    python bench/waf/fresh20/build.py --extract ZULIP BUGZILLA GIDGETHUB GITLAB   # re-selects the values (json files)

``ZULIP``, ``BUGZILLA``, ``GIDGETHUB`` and ``GITLAB`` are the unpacked PyPI sdists ``zulip_bots-0.9.1``,
``python_bugzilla-3.3.0``, ``gidgethub-6.0.0`` and ``python_gitlab-8.6.0``.

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, files,
commit and licence; each file's stored text was read through the code-search index; ``@@ drop`` lines say what was
left out and why): dolevf/Damn-Vulnerable-GraphQL-Application's solution pages (the strings the exploits put in
GraphQL arguments), nemesida-waf/waf-bypass's payload files that fresh8 did not read (API, GraphQL, SSI, RFI, CM,
multipart, Misc and the XSS files outside fresh8's every-10th sample that the index holds; a file's payload once, its
carrier form fields left out), swisskyrepo/GraphQLmap's blind SQL and NoSQL payloads, OWASP/crAPI's command-injection
and JWT ``kid`` traversal solutions, and SecLists ``Fuzzing/`` lists that no older split read (Brute Logic's XSS cheat
sheet, the first 16 KB of the html5sec list's script-running entries, the safe SQLi probes, the SSI exec directives,
four sqlmap risk-classified files and the operator documents of JSON.Fuzzing.txt). A ``U`` record is decoded once as
the application receives it; an ``S`` record is a sqlmap template filled with fixed values (``FILL``), its ``OR`` and
``;`` payloads after the original value ``1``. Values already in an older split (``older_payloads``) or repeated are
dropped and listed in ``sources.json``.

Every attack is placed in the eight locations with ``SplitCorpus`` and, because these suites aim at APIs, twice more
as a GraphQL request to ``/graphql``: inside a string argument of a mutation (``graphql``) and as the value of a
GraphQL variable (``graphql_var``). The benign names and prose are placed the same two ways.

Benign values: the recorded API exchanges in ``zulip_bots/bots/*/fixtures/*.json`` of ``zulip_bots`` 0.9.1 (Apache-2.0;
Front support inbox, Jira, Stack Overflow, Salesforce, Trello, GitHub, Wikipedia, YouTube and other bots' requests and
answers), the recorded Bugzilla answers in ``tests/data/mockreturn/*.txt`` of ``python-bugzilla`` 3.3.0
(GPL-2.0-or-later, data only: bug comments with stack traces and commands), the GitHub answers in
``tests/samples/*/*.json`` of ``gidgethub`` 6.0.0 (Apache-2.0), and the GitLab API answers that ``python-gitlab``
8.6.0's unit tests mock (``tests/unit``, LGPL-3.0, data only): every string by category (URLs, prose, names, codes;
unique, at most 4,000 characters, no credentials or ``localhost``), at most ``CAP`` per category at an even stride;
the recorded request query strings and JSON request bodies whole. Split name ``fresh20``.
"""

from __future__ import annotations

import ast
import glob
import json
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

SPLIT = "fresh20"
CAP = 500
DOC_CAP = 120
ZULIP = "zulip_bots 0.9.1"
BUGZILLA = "python-bugzilla 3.3.0"
GIDGETHUB = "gidgethub 6.0.0"
GITLAB = "python-gitlab 8.6.0"
FILL = {
    "[RANDNUM]": "4721",
    "[RANDNUM1]": "8810",
    "[RANDNUM2]": "3306",
    "[RANDSTR]": "qzvx",
    "[SLEEPTIME]": "5",
    "[DELIMITER_START]": "qkvpq",
    "[DELIMITER_STOP]": "qjxzq",
}
HOW_READ = (
    "each file's stored text through the code-search index (read_file), the commit named per source; the payloads "
    "transcribed into records.txt as the tool sends them (see its header), the sqlmap templates filled by build.py"
)
MUTATION = 'mutation {{ createPaste(title: "note", content: {arg}, public: true) {{ paste {{ id }} }} }}'
MUTATION_VAR = (
    'mutation Paste($content: String!) { createPaste(title: "note", content: $content, public: true) '
    "{ paste { id } } }"
)


BENIGN_SOURCES: dict[str, Any] = {
    "zulip_bots": {
        "package": f"{ZULIP} (PyPI sdist), zulip_bots/bots/*/fixtures/*.json: recorded requests and answers "
        "of the bots' third-party APIs (Front, Jira, Stack Overflow, Salesforce, Trello, GitHub, ...)",
        "licence": "Apache-2.0 (PKG-INFO of zulip_bots)",
    },
    "python-bugzilla": {
        "package": f"{BUGZILLA} (PyPI sdist), tests/data/mockreturn/*.txt: recorded Bugzilla XML-RPC answers "
        "(Python literals)",
        "licence": "GPL-2.0-or-later (COPYING of python-bugzilla); recorded data used as test values only",
    },
    "gidgethub": {
        "package": f"{GIDGETHUB} (PyPI sdist), tests/samples/*/*.json: recorded GitHub API answers",
        "licence": "Apache-2.0 (LICENSE of gidgethub)",
    },
    "python-gitlab": {
        "package": f"{GITLAB} (PyPI sdist), tests/unit/**/*.py: the GitLab API answers and request bodies "
        "its unit tests mock (dict literals evaluated as data, no code run)",
        "licence": "LGPL-3.0 (COPYING of python-gitlab); data used as test values only",
    },
    "what": "unique strings of request (headers left out) and response documents by category (URLs; prose: "
    "with a space and over 30 characters; names: other text with a space; codes: no space), no credential "
    f"keys or 'localhost', at most 4,000 characters, at most {CAP} per category at an even stride; request "
    f"query strings and JSON request bodies whole, at most {DOC_CAP} each",
}


# --- attacks --------------------------------------------------------------------------------------------------------


def _decode(kind: str, text: str) -> str:
    value = str(json.loads(text))
    if kind == "U":
        return unquote(value)
    if kind == "S":
        for marker, fixed in FILL.items():
            value = value.replace(marker, fixed)
    return value


def _graphql(corpus: sc.SplitCorpus, value: str, cls: str, as_variable: bool) -> dict[str, Any]:
    """A POST to /graphql carrying ``value`` in a string argument (a GraphQL string literal has JSON's escapes) or as
    the value of a variable."""
    req = corpus.place("x", "json", cls)
    req["target"] = "/graphql"
    if as_variable:
        doc: dict[str, Any] = {"query": MUTATION_VAR, "variables": {"content": value}}
    else:
        doc = {"query": MUTATION.format(arg=json.dumps(value, ensure_ascii=False))}
    req["body"] = json.dumps(doc, ensure_ascii=False)
    out: dict[str, Any] = req
    return out


def _graphql_items(corpus: sc.SplitCorpus, values: dict[str, list[str]], label: str) -> None:
    for cls, vals in values.items():
        for v_i, value in enumerate(vals):
            for loc, as_variable in (("graphql", False), ("graphql_var", True)):
                corpus.add(f"{SPLIT}-{cls}-{v_i}-{loc}", label, cls, loc,
                           _graphql(corpus, value, "benign" if label == "benign" else cls, as_variable))


# --- benign ---------------------------------------------------------------------------------------------------------


def _literal_dicts(path: Path) -> list[Any]:
    """The dict literals of a Python test file that evaluate as plain data (the API answers its tests mock)."""
    out: list[Any] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            try:
                out.append(ast.literal_eval(node))
            except ValueError:
                continue
    return out


def _benign(zulip: Path, bugzilla: Path, gidgethub: Path, gitlab: Path) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    seen: set[str] = set()
    queries: list[dict[str, str]] = []
    bodies: list[dict[str, str]] = []
    for path in sorted(glob.glob(str(zulip / "zulip_bots/bots/*/fixtures/*.json"))):
        rel = os.path.relpath(path, zulip)
        fixture = json.loads(Path(path).read_text(encoding="utf-8"))
        request = fixture.get("request") if isinstance(fixture, dict) else None
        if isinstance(request, dict):
            request = {k: v for k, v in request.items() if k != "headers"}
            query = request.get("api_url", "").partition("?")[2]
            if isinstance(request.get("params"), dict) and request["params"]:
                query = urlencode(request["params"])
            if query and sc.keep_text(query) and query not in [q["value"] for q in queries]:
                queries.append({"value": query, "source": f"{ZULIP} {rel}: request query"})
            if isinstance(request.get("json"), dict):
                body = json.dumps(request["json"], ensure_ascii=False)
                if body not in [b["value"] for b in bodies]:
                    bodies.append({"value": body, "source": f"{ZULIP} {rel}: request json"})
            sc.collect_strings(found, seen, ZULIP, rel, request)
        if isinstance(fixture, dict):
            sc.collect_strings(found, seen, ZULIP, rel, fixture.get("response"))
    for path in sorted(glob.glob(str(bugzilla / "tests/data/mockreturn/*.txt"))):
        doc = ast.literal_eval(Path(path).read_text())
        sc.collect_strings(found, seen, BUGZILLA, os.path.relpath(path, bugzilla), doc)
    for path in sorted(glob.glob(str(gidgethub / "tests/samples/*/*.json"))):
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except ValueError:
            continue
        sc.collect_strings(found, seen, GIDGETHUB, os.path.relpath(path, gidgethub), doc)
    for path in sorted(glob.glob(str(gitlab / "tests/unit/**/*.py"), recursive=True)):
        for doc in _literal_dicts(Path(path)):
            sc.collect_strings(found, seen, GITLAB, os.path.relpath(path, gitlab), doc)
    out = {f"api_{cat}": sc.even(vals, CAP) for cat, vals in found.items() if vals}
    return {**out, "api_queries": sc.even(queries, DOC_CAP), "api_bodies": sc.even(bodies, DOC_CAP)}


def extract(zulip: Path, bugzilla: Path, gidgethub: Path, gitlab: Path) -> None:
    sources, dropped = sc.read_records(HERE / "records.txt", _decode)
    attacks, repeats = sc.first_seen(HERE, sources)
    benign = _benign(zulip, bugzilla, gidgethub, gitlab)
    meta = sc.attack_meta(sources, HOW_READ, dropped, repeats, attacks)
    counts = {cat: len(v) for cat, v in benign.items()}
    sc.write_values(HERE, SPLIT, attacks, benign, meta, {**BENIGN_SOURCES, "counts": counts})


# --- corpus ---------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    corpus, benign = sc.load(HERE, SPLIT)
    attacks: dict[str, list[str]] = json.loads((HERE / f"attacks_{SPLIT}.json").read_text())
    _graphql_items(corpus, attacks, "attack")
    documents = {cat: benign.pop(cat, []) for cat in ("api_queries", "api_bodies")}
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.long_texts(benign)
    for cat, loc, target in (("api_queries", "query", "/api/v1/search?"), ("api_bodies", "json", "")):
        corpus.documents(documents[cat], cat.replace("queries", "query").replace("bodies", "body"), loc, target)
    texts = {cat: [e["value"] for e in benign[cat]] for cat in ("api_names", "api_prose") if cat in benign}
    _graphql_items(corpus, texts, "benign")
    out: list[dict[str, Any]] = corpus.items
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--extract"]:
        extract(*(Path(os.path.expanduser(a)) for a in args[1:5]))
    sc.write(HERE, build())
