"""fresh83: the injected values that deliberately vulnerable API projects ship in their solutions, walkthroughs,
exploit scripts and tests (Damn Vulnerable RESTaurant API Game, payatu's DVAPI and two walkthroughs of it, Radware's
vulnerable API application, telco-vulnerable-api, a VAmPI fork's integration tests, OWASP RailsGoat's specs,
Perpetual-AI's Vulnerable-API, BookingDojo-Vulnerable, Zeroday Academy labs and smaller vulnerable API labs), against
the database fixtures of the Gitea forge (go-gitea/gitea ``models/fixtures/*.yml``: users, repositories, issues and
pull requests, comments, reviews, releases, labels, milestones, webhooks, branches, commit statuses, Actions runs, jobs
and tasks, projects, teams, topics, attachments, notices).

    python bench/waf/fresh83/build.py                                      # writes corpus.jsonl
    python bench/waf/fresh83/build.py --extract bench/waf/fresh83/gitea_fixtures   # re-selects the values first

``gitea_fixtures/<name>.yml`` holds the fixture files listed in ``FIXTURES``, each read from go-gitea/gitea through the
code-search index (read_file; the commit of the version read is in ``FIXTURES`` and ``sources.json``) and written out
as read, except that ``user.yml`` and ``action_task.yml`` were stored without their secret lines (``passwd``,
``passwd_hash_algo``, ``salt``; ``token_hash``, ``token_salt``, ``token_last_eight``): the benign side never sends
secret subtrees, and ``_prune`` removes the remaining ones (``secret``, ``header_authorization_encrypted``).

Attack payloads (what was read, and how). The named projects were found with find_repos/find_files and their
solution, walkthrough, exploit-script and test files read through the code-search index; the ``search`` verb found
more walkthroughs of vulnerable API labs (BookingDojo, Zeroday Academy, hack-this, michalszalkowski/vulnerable,
lucaschultz/vulnerable-web-applications, Kontora). Repositories the index holds with no payloads of a class of ours
(akto-api-security/vulnerable-apis, DevSlop/Pixi, we45/Vulnerable-Flask-App, jbrb/vulnerable-api, tom-val/
vulnerable-api, HideFromYou/vulnerable-api-lab, dmdhrumilmistry/Vulnerable-API-App, diego-all/go-vulnerable-api,
Harunablg/Vulnerable-API-Security-Lab, justm0rph3u5/very-vulnerable-api, dotboris/nodejs-mongodb-vulnerable-api,
lauraluc92/vulnerable-api-demo-owasp's guide) are named in ``NOTES``. Every injected value is transcribed in
``records.txt`` (``@@ source`` line per file and request: repository, file and request, commit or index file id,
licence, family, kind; its header says how values are decoded), decoded once as the application receives it. Left
out, with a note (``NOTES``, with counts): BOLA/IDOR, authentication, JWT, mass-assignment, rate-limit, race and
business-flow exploits (not injection), Host-header poisoning, CSRF pages, GraphQL introspection and batching, uploads,
bare commands sent to a field that runs commands by design, values the exploit leaves as placeholders, and response
bodies an attacker's server returns. Values already in an older split (attacks or corpus) or repeated are dropped
and listed in ``sources.json``.

Each value is sorted by its family's rule (``classify``; rules fixed before measuring), reused from older splits:
``sql``, ``file`` (at least two ``..`` climbs, also once more %-decoded) and ``ssti`` by fresh73's rules; ``command``
and ``code`` by fresh72's; ``nosql``, ``ldap``, ``xss``, ``xxe`` and ``crlf`` by fresh61's; ``ssrf`` by fresh61's
rule with one addition made here: a host written as dotted numbers in decimal, ``0x`` hex or ``0`` octal parts (one
to four parts, as ``inet_aton`` reads them: ``0x7f.0.0.1``, ``0177.0.0.1``, ``0x7f.0.0.0x1``) is read as the address
it names before the loopback/private test (fresh61's rule reads those forms only as a single number).

Benign values (rules fixed before measuring). Every fixture in ``FIXTURES`` parsed with PyYAML (a list of records),
every subtree under a secret key removed first (fresh73's ``_secret_key`` plus keys holding ``passwd``, ``salt``,
``hash``, ``token`` or ``encrypted``) and every string value that is, or is a URL whose host is, a loopback, private or
link-local address removed (counted in ``sources.json``). Every remaining string kept by ``keep_text``, by
``text_category`` (``gitea_urls``, ``gitea_prose``, ``gitea_names``, ``gitea_codes``; at most ``CAP`` per category at
an even stride); each record whole as a JSON body (``gitea_records``) and each pruned fixture file whole as a JSON
array body (``gitea_documents``). Values an older split holds, and values holding ``localhost``, are left out. Split
name ``fresh83``.
"""

from __future__ import annotations

import ipaddress
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

f61 = sc.load_build("fresh61")  # rules for nosql, ldap, xss, xxe, crlf, ssrf
f72 = sc.load_build("fresh72")  # rules for command, code
f73 = sc.load_build("fresh73")  # rules for sql, file, ssti; the record decoding and pruning

SPLIT = "fresh83"
CAP = {"names": 600, "prose": 600, "urls": 300, "codes": 800}
LABEL = "go-gitea/gitea models/fixtures"
HOW_READ = (
    "solution, walkthrough, exploit-script and test files of deliberately vulnerable API projects read by path through "
    "the code-search index (read_file; commit or index file id per source) after finding them with find_repos, "
    "find_files and search; the injected values transcribed in records.txt as each exploit sends them (raw, "
    "%-encoded, query-string and JSON-literal forms, decoded once as the application receives them) and sorted by "
    "build.py's classify (see its docstring)"
)
NOTES = [
    (
        "access-control, authentication and business-logic exploits (112, counted by file, test or lab section looked"
        " at by name): RESTaurant levels 0-3 (4); DVAPI 0xa1-0xa3, 0xa5, 0xa7-0xa9 in the solution, in smrayyans' "
        "walkthrough and in vuhung16au's exploits/0xa1-0xa3, 0xa5, 0xa6, 0xa8, 0xa9 (21); Radware's BOLA (5), BFLA "
        "(3), business-logic (4), high-quantity (1), B2B scraping (2) and admin-escalation pollution (1) flows and "
        "the 15 BOLA/BFLA/pollution/protected-entity tests of tests/test_vulnerabilities.py (31); telco's "
        "mass-assignment, BOLA, BFLA and batching queries (4); kaakaww/VAmPI integration tests 02-09 (8); RailsGoat's"
        " broken_auth, csrf, insecure_dor, mass_assignment, password_complexity, password_hashing, "
        "sensitive_data_exposure, unvalidated_redirects and url_access specs (9); BookingDojo labs 02, 02b, 05, 06, "
        "07, 09, 10, 11, 12B (9); Zeroday Academy beginner labs 3, 5, 7-10 and intermediate JWT, CSRF and "
        "race-condition labs (9); Perpetual-AI's broken-auth, default-credential, plaintext-password, timing and "
        "insecure-default tests (5); SEGRED-VULNERABLE-API findings 1-12 (12)",
        "BOLA/IDOR, JWT forging, mass assignment, rate limits, races, default credentials: no injected value",
    ),
    (
        "Host-header and forwarded-host poisoning: Perpetual-AI autopatch_tests/test_host_header_injection.py "
        "(attacker.com, evil.attacker.com, steal-tokens.attacker.com), Zeroday Academy's host-header lab (evil.com, "
        "attacker.com in Host, X-Forwarded-Host, X-Original-Host, X-Host, X-Forwarded-Server); WebSocket Origin "
        "values (http://evil.trusted.com ...)",
        "a foreign host name in a host header: no class of ours (the script-carrying Host value is kept as xss)",
    ),
    (
        "Zeroday Academy GraphQL introspection, batching, depth and __typename queries; telco's IntrospectionQuery",
        "schema disclosure and resource abuse, not an injection of a class of ours",
    ),
    (
        "michalszalkowski/vulnerable CMD examples (cmd=id, filter=pwd in query, JSON, XML, cookie, header, CSV) and "
        "the JNDI example (java:comp/env/jdbc/datasource)",
        "a bare command to a field that runs commands by design; a local JNDI name with no remote lookup",
    ),
    (
        "BookingDojo lab 12A log forging (alice\\n[CRITICAL] ... ROLE_CHANGED to SuperAdmin)",
        "a newline forging a log line, no header injected: no class of ours (fresh61's crlf rule)",
    ),
    (
        "placeholders the exploit leaves to the reader: Kontora's `' AND (SELECT CASE WHEN (<cond>) ...` and `'; COPY"
        " … FROM PROGRAM …; --`; DVAPI's interactsh link and port scan; BookingDojo's extraction loop beyond its "
        "first probe; Zeroday's Intruder positions beyond the first character; hack-this' <token>",
        "no concrete value to send",
    ),
    (
        "Perpetual-AI autopatch_tests/test_rfi_xss.py (the script bodies an attacker's server returns), "
        "test_rfi_ssrf_redirect.py (http://example.com/redirect-to-imds, http://attacker.com/redirect: public URLs "
        "whose server redirects), test_hhi_javascript_uri_xss.py (an allowed Host)",
        "the payload is not in the request, or the request holds only a public URL",
    ),
    (
        "DVAPI 0xa4 profile upload (a 200-512 MB file); lucaschultz's denial-of-service JSON array; RESTaurant's "
        "undisclosed root privilege escalation",
        "an upload's size, a request count, or no value published",
    ),
    (
        "akto-api-security/vulnerable-apis, DevSlop/Pixi, we45/Vulnerable-Flask-App (tests/e2e_zap.py drives ZAP), "
        "jbrb/vulnerable-api, tom-val/vulnerable-api, HideFromYou/vulnerable-api-lab, "
        "dmdhrumilmistry/Vulnerable-API-App, diego-all/go-vulnerable-api (sqlmap command lines only), "
        "Harunablg/Vulnerable-API-Security-Lab, justm0rph3u5/very-vulnerable-api, "
        "dotboris/nodejs-mongodb-vulnerable-api, lauraluc92/vulnerable-api-demo-owasp (an auth/BOLA guide), hirosh7's"
        " RESTaurant fork (no solutions folder), surajkumar8084's DVAPI report (a PDF)",
        "the index holds the application, a README or a report, but no exploit value of a class of ours",
    ),
    (
        "crAPI, DVGA, dvws-node, nodejs-goof, NodeGoat, WebGoat, DVWA, juice-shop, brokencrystals, VulnerableApp, "
        "skf-labs, erev0s/VAmPI and vAPI",
        "read by older splits",
    ),
]
FIXTURES: list[tuple[str, str]] = [
    # (file, commit of the version read)
    ("user.yml", "0194b9dcbf53afd5a712b5e68f770252b45f0170"),
    ("repository.yml", "020ffa5627448b78d2694f4232fc0e5a6325042d"),
    ("issue.yml", "020ffa5627448b78d2694f4232fc0e5a6325042d"),
    ("pull_request.yml", "020ffa5627448b78d2694f4232fc0e5a6325042d"),
    ("comment.yml", "0727a651dfa9d807f0f0588f21b970c0744d78b2"),
    ("review.yml", "0727a651dfa9d807f0f0588f21b970c0744d78b2"),
    ("release.yml", "0727a651dfa9d807f0f0588f21b970c0744d78b2"),
    ("label.yml", "05a2a82a33519e9297c4ebd6690e116f4d3e46d7"),
    ("milestone.yml", "0727a651dfa9d807f0f0588f21b970c0744d78b2"),
    ("webhook.yml", "0727a651dfa9d807f0f0588f21b970c0744d78b2"),
    ("team.yml", "03745c65de56b739b4cdd2d795126b9a91c69bab"),
    ("branch.yml", "011136a9cab6e051d217864f443581811343b8df"),
    ("commit_status.yml", "0727a651dfa9d807f0f0588f21b970c0744d78b2"),
    ("attachment.yml", "012b4e504f762b580614ebc237346765af6cd7db"),
    ("action_run.yml", "05aa0e462c124ab0ff09fd17f3b72302c718bb85"),
    ("action_run_job.yml", "05aa0e462c124ab0ff09fd17f3b72302c718bb85"),
    ("action_task.yml", "05aa0e462c124ab0ff09fd17f3b72302c718bb85"),
    ("project.yml", "040b8bde60055dbf8d34b34f87ae97577bd3eb31"),
    ("topic.yml", "0727a651dfa9d807f0f0588f21b970c0744d78b2"),
    ("notice.yml", "0727a651dfa9d807f0f0588f21b970c0744d78b2"),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "go-gitea/gitea models/fixtures/*.yml, read through the code-search index (read_file): 20 database "
    "fixture files of the Gitea forge's unit tests (the version the index stores of each; commit per file in "
    "'fixtures'); user.yml and action_task.yml stored without their secret lines (see build.py)",
    "licence": "MIT (go-gitea/gitea LICENSE); the fixtures are the project's own test data",
    "what": "string values by text_category (secret subtrees and private-address values removed), each record and each "
    "fixture file whole as JSON bodies",
    "fixtures": [{"file": f"models/fixtures/{f}", "commit": c} for f, c in FIXTURES],
}

# --- the rules -------------------------------------------------------------------------------------------------------

NUMERIC_PART = re.compile(r"0x[0-9a-f]*+|0[0-7]*+|[1-9]\d*+", re.I)


def _dotted_numeric(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a host written as one to four dotted decimal/hex/octal numbers names (``inet_aton``)."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(NUMERIC_PART.fullmatch(p) for p in parts):
        return None
    nums = [
        int(p[2:] or "0", 16)
        if p.lower().startswith("0x")
        else int(p, 8)
        if p.startswith("0") and p != "0"
        else int(p or "0")
        for p in parts
    ]
    *head, tail = nums
    if any(n > 255 for n in head) or tail >= 256 ** (5 - len(nums)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (5 - len(nums)) + tail
    return ipaddress.IPv4Address(value) if value < 2**32 else None


def _ssrf(value: str) -> str:
    why: str = f61._ssrf(value)
    if not why:
        return ""
    host = urlsplit(value).hostname or ""
    addr = _dotted_numeric(host)
    if addr is not None and (addr.is_loopback or addr.is_private or addr.is_link_local or addr.is_unspecified):
        return ""
    return why


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("", why) for a value left out."""
    if family in ("sql", "file", "ssti"):
        result: tuple[str, str] = f73.classify(family, value)
        return result
    if family in ("command", "code"):
        result = f72.classify(family, value)
        return result
    if family == "ssrf":
        why = _ssrf(value)
        return ("ssrf", "") if not why else ("", why)
    cls, rule = f61.RULES[family]
    why = rule(value)
    return (cls, "") if not why else ("", why)


def attack_records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The sources with their classified values, and the values left out."""
    sources = sc.read_family_records(HERE / "records.txt", f73._decode)
    dropped = [{"repository": "(several)", "left_out": what, "why": why} for what, why in NOTES]
    for src in sources:
        classified = []
        for value in src.pop("values"):
            cls, why = classify(src["family"], value)
            if cls:
                classified.append((cls, value))
            else:
                dropped.append({"repository": src["repository"], "left_out": f"{src['files']}: {value!r}", "why": why})
        src["values"] = classified
    return sources, dropped


# --- benign: the Gitea fixtures --------------------------------------------------------------------------------------


def _secret_key(key: str) -> bool:
    k = key.lower()
    return bool(f73._secret_key(k)) or any(w in k for w in ("passwd", "salt", "hash", "token", "encrypted"))


def _prune(node: Any, removed: list[str]) -> Any:
    """``node`` without secret subtrees and private-address strings (each removal noted in ``removed``)."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if _secret_key(str(k)) or (isinstance(v, str) and f73._private_host(v)):
                removed.append(str(k))
                continue
            out[k] = _prune(v, removed)
        return out
    if isinstance(node, list):
        kept = [v for v in node if not (isinstance(v, str) and f73._private_host(v))]
        removed.extend("list item" for _ in range(len(node) - len(kept)))
        return [_prune(v, removed) for v in kept]
    return node


def gitea_fixtures(root: Path, older: set[str]) -> tuple[dict[str, list[dict[str, str]]], dict[str, int]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    records: list[dict[str, str]] = []
    documents: list[dict[str, str]] = []
    seen = set(older)
    removed: list[str] = []
    for name, _commit in FIXTURES:
        rel = f"models/fixtures/{name}"
        doc = _prune(yaml.safe_load((root / name).read_text(encoding="utf-8")), removed)
        sc.collect_strings(found, seen, LABEL, rel, doc)
        for r_i, record in enumerate(doc):
            text = json.dumps(record, ensure_ascii=False)
            if text not in seen and "localhost" not in text:
                seen.add(text)
                records.append({"value": text, "source": f"{LABEL} {rel} record {r_i}"})
        text = json.dumps(doc, ensure_ascii=False)
        if text not in seen and "localhost" not in text:
            seen.add(text)
            documents.append({"value": text, "source": f"{LABEL} {rel} whole"})
    out = {f"gitea_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["gitea_records"] = records
    out["gitea_documents"] = documents
    secret = sum(1 for k in removed if _secret_key(k))
    return out, {"secret_subtrees_removed": secret, "private_address_values_removed": len(removed) - secret}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the stored fixtures."""
    sources, dropped = attack_records()
    benign, pruned = gitea_fixtures(root, sc.older_benign(HERE))
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, {**BENIGN_SOURCES, "pruned": pruned})


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(
        HERE, SPLIT, (("gitea_records", "records", "json"), ("gitea_documents", "documents", "json"))
    )
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
