"""fresh84: the injection lists of danielmiessler/SecLists ``Fuzzing/`` that no older split read (the SQL
authentication-bypass, polyglot and generic lists, the sqlmap-risk-classified templates older splits left, the XSS
lists of RSnake, EnDe/h4k, Mario Heiderich's vectors, OFJAAAH, innerht.ml's polyglots and Brute Logic's bypass strings,
LFISuite's path list, the template engines' special variables, XML-FUZZ's documents and the command, traversal, XXE,
header and LDAP lines of fuzzdb's Unix attack list), against the recorded Slack Web API answers and Block Kit views of
slackapi/python-slack-sdk's tests (``tests/data/`` and ``tests/slack_sdk_fixture/``).

    python bench/waf/fresh84/build.py                                        # writes corpus.jsonl
    python bench/waf/fresh84/build.py --extract bench/waf/fresh84/slack_fixtures  # re-selects the values first

``slack_fixtures/<path>`` holds the fixture files listed in ``FIXTURES``, each read from slackapi/python-slack-sdk
through the code-search index (read_file; the commit and index file id of the version read are in ``FIXTURES`` and
``sources.json``) and stored as parsed JSON (whitespace is not significant; the JSON escapes ``\\/`` of rtm.start.json
are plain ``/``).

Attack payloads (what was read, and how). SecLists' ``Fuzzing/`` was listed with find_files (the root listing names
only its first 100 files; the ``XSS``, ``Databases``, ``Polyglots`` and ``command-injection`` folders were listed on
their own) and compared with the lists older splits read (fresh6: NoSQL, quick-SQLi, the Low-Risk boolean/error/
stacked/time lists, LDAP.Fuzzing, LFI-Jhaddix, SSRF_hacktricks, XSS-Cheat-Sheet-PortSwigger, XSS-Somdev,
xss-without-parentheses, XXE-Fuzzing, template-engines-expression; fresh20: BRUTELOGIC_XSS_CHEATSHEET,
HTML5sec-Injections-Jhaddix, JSON.Fuzzing, SSI-Injection-Jhaddix, the High-Risk boolean list, SQLi/safe-SQLi-payloads).
The unread lists were read through the code-search index and transcribed in ``records.txt`` (``@@ source`` line per
list: repository, file and what was taken, commit, licence, family, kind; long lists at an even stride, said per
source; its header says how values are decoded and how sqlmap's template placeholders are filled). Left out, with a
note (``NOTES``): the lists that hold no injection of a class of ours (bare file paths, format strings, numbers,
wordlists) and the mirrors of lists older splits read. Values already in an older split (attacks or corpus) or
repeated are dropped and listed in ``sources.json``; then each source keeps at most ``PER_SOURCE`` of its new values at
an even stride (the big XSS and traversal lists would otherwise outweigh the rest).

Each value is sorted by its family's rule (``classify``; rules fixed before measuring), reused unchanged from older
splits: ``command`` by fresh72's rule (fresh61's command rule plus a command word after a separator or in a
substitution or a ``system(`` call); ``sql``, ``file`` and ``ssti`` by fresh73's (fresh61's and fresh68's SQL rules
plus a ``(select`` subquery; at least two ``..`` climbs, also once more %-decoded; fresh61's template delimiters plus
``[% %]`` and ``$x.getClass()``); ``xss``, ``xxe``, ``crlf`` and ``ldap`` by fresh61's (a script element, handler,
script URL, entity-encoded attribute, ``expression(``, frame or alert/prompt/confirm/eval call; an external entity,
parameter entity, external DTD or nested expansion; a CR/LF followed by a header line; a filter term closed and another
opened, an operator filter or an extensible match).

Benign values (rules fixed before measuring), as fresh76: every fixture in ``FIXTURES`` (file order), with every
subtree under a secret key removed first (``split_corpus.SECRET_KEYS`` and keys ending in ``token`` or holding
``secret``, ``password`` or ``serial``) and every string value that is, or is a URL whose host is, a loopback, private
or link-local address removed (fresh73's ``_prune``); the RTM session URL (``wss://``, its path is a connection secret)
removed too. Every remaining string kept by ``text_category`` (``slack_urls``, ``slack_prose``, ``slack_names``,
``slack_codes``; at most ``CAP`` per category at an even stride); each pruned fixture whole as a JSON body
(``slack_documents``) and each object that is an element of a list in it whole as a JSON body (``slack_items``, at most
``MAX_ITEMS`` at an even stride). Values an older split holds, and values holding ``localhost``, are left out. Split
name ``fresh84``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

f72 = sc.load_build("fresh72")  # rule for command
f73 = sc.load_build("fresh73")  # rules for sql, file, ssti (and fresh61's xss, xxe, crlf, ldap); the fixture pruning

SPLIT = "fresh84"
CAP = {"names": 600, "prose": 600, "urls": 300, "codes": 800}
MAX_ITEMS = 400
PER_SOURCE = 40
LABEL = "slackapi/python-slack-sdk"
HOW_READ = (
    "SecLists Fuzzing/ lists read by path through the code-search index (read_file; commit per source) after listing "
    "Fuzzing/ and its XSS, Databases and Polyglots folders with find_files; the lines transcribed in records.txt as "
    "the lists hold them (long lists at an even stride, said per source), decoded once as the application receives a "
    "value a fuzzer puts into a URL, sqlmap's template placeholders filled, the special template variables put between "
    "their engine's delimiters, and sorted by build.py's classify (see its docstring)"
)
FILL = {
    "[RANDNUM]": "4821",
    "[RANDNUM1]": "7315",
    "[RANDNUM2]": "2206",
    "[RANDNUM3]": "5530",
    "[RANDNUM4]": "8867",
    "[RANDNUM5]": "3390",
    "[RANDSTR]": "kPwq",
    "[SLEEPTIME]": "5",
    "[DELIMITER_START]": "qvkzq",
    "[DELIMITER_STOP]": "qbjxq",
}
NOTES = [
    (
        "Fuzzing/LFI/LFI-gracefulsecurity-linux.txt, LFI-gracefulsecurity-windows.txt, LFI-Windows-adeadfed.txt, "
        "LFI-etc-files-of-all-linux-packages.txt, LFI-coyote0x90-linux-etc-files.txt, Linux/OMI-Agent-Linux.txt, "
        "Windows/Windows-Paths.txt, LFI-linux-and-windows_by-1N3@CrowdShield.txt (read: its first 16,000 characters "
        "are bare absolute paths, with a trailing space or %00, and one traversal line)",
        "bare file paths to append to a traversal the tester supplies: no climb, not an attack on its own (fresh61's "
        "and fresh73's traversal rule)",
    ),
    (
        "Fuzzing/template-engines-special-vars.txt: its '# ' comment lines; Fuzzing/Databases/SQLi/Generic-SQLi.txt: "
        "the 14 lines the list itself cuts off with ' ...' (declare @s ... 0x73656c6 ..., 1;(load_file(char(47,101, "
        "...) and its '# from wapiti' remark",
        "remarks, and truncated lines that are not the payload any tool sends",
    ),
    (
        "Fuzzing/UnixAttacks.fuzzdb.txt: its SQL, XSS, format-string, metacharacter and number lines",
        "the list is fuzzdb's attack/all-attacks/all-attacks-unix.txt; older splits read fuzzdb's SQL and XSS lists "
        "(of its command, traversal and XXE lines 74 of 81 tried were already in an older split); format strings and "
        "lone metacharacters are no class of ours",
    ),
    (
        "Fuzzing/Databases/SQLi/MSSQL.fuzzdb.txt, MySQL-SQLi-Login-Bypass.fuzzdb.txt, Oracle.fuzzdb.txt, "
        "Postgres-Enumeration.fuzzdb.txt, db2enumeration.fuzzdb.txt, Fuzzing/FUZZDB-URIXSS.txt, URI-XSS.fuzzdb.txt, "
        "JHADDIX_LFI.txt, JHADDIX_SSI_Injection.txt, XSS/robot-friendly/XSS-payloadbox.txt, XSS-BruteLogic.txt, "
        "XSS-Jhaddix.txt, JHADDIX-XSS-WITH-CONTEXT.txt, XSS/human-friendly/* (the robot-friendly copies' sources)",
        "copies of fuzzdb, payloadbox, Jhaddix and Brute Logic lists older splits read (fresh7, fresh19, fresh20, "
        "fresh6), or not read within the look-up budget",
    ),
    (
        "Fuzzing/FormatString-Jhaddix.txt, JHADDIX_FORMATSTRING, FUZZDB_Metacharacters.txt, "
        "FuzzingStrings-SkullSecurity.org.txt, Unicode.txt, Amounts/, Dates/, numbers and letters lists, "
        "LDAP-*-attributes/classes.txt, Databases/OracleSID.txt, OracleDB-SID.txt, mimetypes.txt, Media-Types/, "
        "IBMMQSeries-channels.txt",
        "format strings, metacharacters, numbers, names and identifiers: no injection of a class of ours",
    ),
]
FIXTURES: list[tuple[str, str, str]] = [
    # (path, commit of the version read, index file id)
    ("tests/data/channel.created.json", "4f4d92e16c1a6c0029bb6516a5ac3162dab62bc4", "986644305"),
    ("tests/data/rtm.start.json", "1e251af3453d91f216902b098abce50d5794705a", "335311322"),
    ("tests/data/view_home_004.json", "a474372dd253383aa6351cf160274d6f2bd6ea02", "4462679558"),
    ("tests/data/view_home_006.json", "3fa808357660b19255277c4da6aaf3f59cbe1037", "3624534301"),
    ("tests/data/view_modal_002.json", "a474372dd253383aa6351cf160274d6f2bd6ea02", "3943027006"),
    ("tests/data/view_modal_003.json", "3fa808357660b19255277c4da6aaf3f59cbe1037", "3536027041"),
    ("tests/data/view_modal_004.json", "a474372dd253383aa6351cf160274d6f2bd6ea02", "4405542473"),
    ("tests/data/view_modal_005.json", "a474372dd253383aa6351cf160274d6f2bd6ea02", "3477727035"),
    ("tests/data/view_modal_006.json", "a474372dd253383aa6351cf160274d6f2bd6ea02", "3976353644"),
    ("tests/data/view_modal_008.json", "3fa808357660b19255277c4da6aaf3f59cbe1037", "4406206344"),
    ("tests/data/view_modal_009.json", "3fa808357660b19255277c4da6aaf3f59cbe1037", "4504809171"),
    ("tests/data/view_modal_010.json", "291b432b91a2ff05e1ad364bf146b1d5db5872b4", "4377621679"),
    (
        "tests/data/web_response_channels_list_pagination2.json",
        "a7a679c91bb7b2c13c1c9075cd933079a6c62338",
        "4329529364",
    ),
    ("tests/slack_sdk_fixture/view_home_001.json", "5be7bcbccd42ea788e709fea0eaa8ca48ab57158", "4206504685"),
    ("tests/slack_sdk_fixture/view_home_002.json", "5be7bcbccd42ea788e709fea0eaa8ca48ab57158", "3792347163"),
    ("tests/slack_sdk_fixture/view_home_003.json", "5be7bcbccd42ea788e709fea0eaa8ca48ab57158", "4368988546"),
    ("tests/slack_sdk_fixture/view_home_005.json", "1ff4e0cb6d6a74f064b07ce121a66a655c0166a3", "4259369644"),
    ("tests/slack_sdk_fixture/view_modal_001.json", "5be7bcbccd42ea788e709fea0eaa8ca48ab57158", "3596435743"),
    ("tests/slack_sdk_fixture/view_modal_007.json", "1ff4e0cb6d6a74f064b07ce121a66a655c0166a3", "4445632499"),
    (
        "tests/slack_sdk_fixture/web_response_admin_convo_pagination.json",
        "52efac95ae92642be06468d195757cc252d6a121",
        "3889647373",
    ),
    (
        "tests/slack_sdk_fixture/web_response_api_test_false.json",
        "5be7bcbccd42ea788e709fea0eaa8ca48ab57158",
        "4239509085",
    ),
    (
        "tests/slack_sdk_fixture/web_response_chat_stream_test.json",
        "8fb43f0e140770b8900915a316d42a542055c30e",
        "1319729557",
    ),
    (
        "tests/slack_sdk_fixture/web_response_conversations_list.json",
        "1ff4e0cb6d6a74f064b07ce121a66a655c0166a3",
        "3818008567",
    ),
    (
        "tests/slack_sdk_fixture/web_response_conversations_list_pagination.json",
        "1ff4e0cb6d6a74f064b07ce121a66a655c0166a3",
        "3700226083",
    ),
    (
        "tests/slack_sdk_fixture/web_response_users_list_pagination.json",
        "e4980f4bf9353f46855bb1db316817535f05ed11",
        "4339093371",
    ),
    (
        "tests/slack_sdk_fixture/web_response_users_setPhoto.json",
        "e4980f4bf9353f46855bb1db316817535f05ed11",
        "552868837",
    ),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "slackapi/python-slack-sdk tests/data/*.json and tests/slack_sdk_fixture/*.json, read through the "
    "code-search index (read_file): 26 recorded Web API answers, RTM and event payloads and Block Kit home and modal "
    "views (mrkdwn with links <url|label>, user and channel links, emoji codes, prices, dates); commit and index file "
    "id per file in 'fixtures'. Not read: the pagination stubs web_response_admin_convo_pagination_1, "
    "web_response_conversations_list_pagination_has_page2, web_response_users_list_pagination_1, "
    "web_response_channels_list_pagination2_page2, im.created and the copies "
    "tests/slack_sdk_fixture/view_modal_009/010 and _pytest/data/rtm.start.json of files read (a few ids each); "
    "日本語.txt and the PNG logos (no JSON). fresh21 read opsdroid's Slack connector answers, not these",
    "licence": "MIT (slackapi/python-slack-sdk LICENSE); the answers are the test fixtures' own data",
    "what": "string values by text_category (secret subtrees, private-address values and the RTM session URL removed), "
    "whole fixtures and list-element objects as JSON bodies",
    "fixtures": [
        {"file": f, "repository": "slackapi/python-slack-sdk", "commit": c, "index_file_id": fid}
        for f, c, fid in FIXTURES
    ],
}


def _decode(kind: str, line: str) -> str:
    """A value as ``records.txt`` holds it (see its header)."""
    if kind == "J":
        return str(json.loads(line))
    if kind == "U":
        return unquote(line)
    if kind == "T":
        return unquote(line).replace("__TIME__", "5")
    if kind == "S":
        value = line
        for key in sorted(FILL, key=len, reverse=True):
            value = value.replace(key, FILL[key])
        if value.startswith(("(", "SELECT")):
            return value
        if value.startswith((",", ";")):
            return "42" + value
        return "42 " + value
    return line


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("", why) for a value left out."""
    result: tuple[str, str] = (f72 if family == "command" else f73).classify(family, value)
    return result


def attack_records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The sources with their classified new values (at most ``PER_SOURCE`` each), and the values left out."""
    sources = sc.read_family_records(HERE / "records.txt", _decode)
    dropped = [{"repository": "danielmiessler/SecLists", "left_out": what, "why": why} for what, why in NOTES]
    corpora = [HERE.parent / "corpus.jsonl", *sorted(HERE.parent.glob("fresh*/corpus.jsonl"))]
    older = sc.older_payloads(HERE, [c for c in corpora if c.parent != HERE])
    seen: set[str] = set()
    for src in sources:
        classified = []
        for value in src.pop("values"):
            cls, why = classify(src["family"], value)
            if not cls:
                dropped.append({"repository": src["repository"], "left_out": f"{src['files']}: {value!r}", "why": why})
            elif value in older or value in seen:
                why = "in an older split" if value in older else "repeats a value of these lists"
                dropped.append({"repository": src["repository"], "left_out": f"{src['files']}: {value!r}", "why": why})
            else:
                seen.add(value)
                classified.append({"value": value, "cls": cls})
        fresh = sc.even(classified, PER_SOURCE)
        for entry in classified:
            if entry not in fresh:
                dropped.append(
                    {
                        "repository": src["repository"],
                        "left_out": f"{src['files']}: {entry['value']!r}",
                        "why": f"over the {PER_SOURCE} new values a source keeps (even stride)",
                    }
                )
        src["values"] = [(e["cls"], e["value"]) for e in fresh]
    return sources, dropped


def _prune(doc: Any, removed: list[str]) -> Any:
    """fresh73's pruning, then the RTM session URL (a ``wss://`` value) removed."""
    node = f73._prune(doc, removed)
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if isinstance(v, str) and v.startswith("wss://"):
                removed.append("session url")
                continue
            out[k] = _prune(v, removed) if isinstance(v, (dict, list)) else v
        return out
    if isinstance(node, list):
        return [_prune(v, removed) if isinstance(v, (dict, list)) else v for v in node]
    return node


def slack_fixtures(root: Path, older: set[str]) -> tuple[dict[str, list[dict[str, str]]], dict[str, int]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    documents: list[dict[str, str]] = []
    items: list[dict[str, str]] = []
    seen = set(older)
    removed: list[str] = []
    for rel, _commit, _fid in FIXTURES:
        doc = _prune(json.loads((root / rel).read_text(encoding="utf-8")), removed)
        sc.collect_strings(found, seen, LABEL, rel, doc)
        text = json.dumps(doc, ensure_ascii=False)
        if text not in seen and "localhost" not in text:
            seen.add(text)
            documents.append({"value": text, "source": f"{LABEL} {rel} body"})
        elements: list[Any] = []
        sc.list_items(doc, elements)
        for e_i, element in enumerate(elements):
            text = json.dumps(element, ensure_ascii=False)
            if text not in seen and "localhost" not in text:
                seen.add(text)
                items.append({"value": text, "source": f"{LABEL} {rel} list element {e_i}"})
    out = {f"slack_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["slack_documents"] = documents
    out["slack_items"] = sc.even(items, MAX_ITEMS)
    secret = sum(1 for k in removed if f73._secret_key(k))
    session = sum(1 for k in removed if k == "session url")
    return out, {
        "secret_subtrees_removed": secret,
        "session_urls_removed": session,
        "private_address_values_removed": len(removed) - secret - session,
    }


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the fetched fixtures."""
    sources, dropped = attack_records()
    benign, pruned = slack_fixtures(root, sc.older_benign(HERE))
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, {**BENIGN_SOURCES, "pruned": pruned})


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(
        HERE, SPLIT, (("slack_documents", "documents", "json"), ("slack_items", "items", "json"))
    )
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
