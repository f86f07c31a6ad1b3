"""fresh76: the injected values of the Metasploit Framework's Unix HTTP exploits (rapid7/metasploit-framework
``modules/exploits/unix/http/``) and of the injection modules among the Windows HTTP exploits the index lists
(``modules/exploits/windows/http/``), against the recorded device and service answers Home Assistant's integration
tests replay (``tests/components/<integration>/fixtures/*.json`` of xbox, yale, yale_smart_alarm, yandex_transport,
yolink, youless, youtube, zamg and zwave_js).

    python bench/waf/fresh76/build.py                                   # writes corpus.jsonl
    python bench/waf/fresh76/build.py --extract bench/waf/fresh76/ha_fixtures   # re-selects the values first

``ha_fixtures/<integration>/<file>.json`` holds the fixture files listed in ``FIXTURES``, each read from
home-assistant/core through the code-search index (read_file; the commit and index file id of the version read are in
``FIXTURES`` and ``sources.json``) and stored as parsed JSON (whitespace is not significant). Two large files are kept
as the excerpt read: ``yale_smart_alarm/get_all.json`` (its ``DEVICES``, ``MODE`` and ``STATUS`` members; the
``CYCLE`` member repeats the devices) and ``yandex_transport/bus_reply.json`` (the stop with its region tree and its
first five transport lines of 52 KB).

Attack payloads (what was read, and how). ``unix/http`` was listed with find_files (38 modules) and every module looked
at by name; each whose request carries an injected value (OS command, SQL, PHP or Perl code, JSP, traversal) was read
whole through the code-search index and the value rebuilt as the module builds it. It gives fewer than 80 values, so the
injection modules among the 100 names the index lists of ``windows/http`` (280 in all), and five more of that
folder found by name, were read too. The values are
transcribed in ``records.txt`` (``@@ source`` line per module and request: repository, file and request, commit,
licence, family, kind; its header says how values are decoded and which payloads and random parts were fixed). Left
out, with a note (``NOTES``): upload-only modules, default-credential and access-control modules, serialized or
base64-wrapped payloads, raw binary or non-HTTP protocols, bare commands sent to a field or web shell that runs commands
by design, and the folders older splits or other helpers read. Values already in an older split (attacks or corpus) or
repeated are dropped and listed in ``sources.json``.

Each value is sorted by its family's rule (``classify``; rules fixed before measuring), reused unchanged from the
splits that read the neighbouring Metasploit folders: ``command``, ``cmdline``, ``code``, ``ognl`` and ``sqlprog`` by
fresh72's rules (fresh61's command rule plus a command word after a separator or in a substitution or a ``system(``
call; a process or evaluator call in code), and ``sql``, ``file``, ``ssti``, ``php`` and ``ssi`` by fresh73's (fresh61's
and fresh68's SQL rules plus a ``(select`` subquery; at least two ``..`` climbs, also once more %-decoded; PHP code,
callbacks and directives).

Benign values (rules fixed before measuring), as fresh73: every fixture in ``FIXTURES`` (integration and file order),
with every subtree under a secret key removed first (``split_corpus.SECRET_KEYS`` and keys ending in ``token`` or
holding ``secret``, ``password`` or ``serial``) and every string value that is, or is a URL whose host is, a loopback,
private or link-local address removed (an SSRF guard rightly refuses those; counted in ``sources.json``). Every
remaining string kept by ``text_category`` (``ha_urls``, ``ha_prose``, ``ha_names``, ``ha_codes``; at most ``CAP`` per
category at an even stride); each pruned fixture whole as a JSON body (``ha_documents``) and each object that is an
element of a list in it whole as a JSON body (``ha_items``, at most ``MAX_ITEMS`` at an even stride). Values an older
split holds, and values holding ``localhost``, are left out. Split name ``fresh76``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

f72 = sc.load_build("fresh72")  # rules for command, cmdline, code, ognl, sqlprog
f73 = sc.load_build("fresh73")  # rules for sql, file, ssti, php, ssi; the fixture pruning

SPLIT = "fresh76"
CAP = {"names": 600, "prose": 600, "urls": 300, "codes": 800}
MAX_ITEMS = 400
LABEL = "home-assistant/core tests/components"
F72_FAMILIES = {"command", "cmdline", "code", "ognl", "sqlprog"}
HOW_READ = (
    "Metasploit modules read by path through the code-search index (read_file; commit per source) after listing "
    "unix/http and windows/http with find_files; the injected values rebuilt as each module builds them and "
    "transcribed in records.txt (raw, %-encoded, query-string and JSON-literal forms, decoded once as the application "
    "receives them) and sorted by build.py's classify (see its docstring)"
)
NOTES = [
    (
        "unix/http upload-only: dell_kace_k1000_upload, freepbx_firmware_file_upload, playsms_uploadcsv_exec (PHP in "
        "an uploaded CSV, the command in the User-Agent), pfsense_config_data_exec (the command inside an uploaded "
        "RRD XML file), splunk_xslt_authenticated_rce (an uploaded XSLT file); windows/http: dizquetv_rce (an uploaded "
        "batch file), the *_upload / *_file_upload / *_fileupload modules of the listing",
        "the payload is an uploaded file's bytes",
    ),
    (
        "unix/http serialized, wrapped or binary payloads: laravel_token_unserialize_exec, xdebug_unauth_exec (DBGp, "
        "base64 eval), lifesize_room (AMF binary body), contentkeeperweb_mimencode (mimencode options and a base64 "
        "body); windows/http: gitstack_rce (the command in an HTTP Basic password, base64), the *_deserialization*, "
        "*viewstate* and exchange_* serialization modules, forticlient_ems_fctid_sqli (a FortiClient TLS protocol "
        "message, not HTTP)",
        "object injection, base64 or binary wrapping, or no HTTP request: no class of ours sees inside it",
    ),
    (
        "unix/http bare commands where the feature runs commands by design: syncovery_linux_rce_2022_36534 "
        "(Job_ExecuteBefore), pfsense_diag_routes_webshell / pfsense_pfblockerng_* / advantech_iview_* web-shell "
        "calls (cmd=id), pfsense_pfblockerng_rce c=id",
        "a bare command to a command field or the module's own web shell: only the application could tell",
    ),
    (
        "unix/http schneider_electric_net55xx_encoder, pfsense_clickjacking, tnftp_savefile",
        "access control (a JSON password change), a CSRF page served to the admin, an FTP client's file name "
        "from the operator's server: no injected request value",
    ),
    (
        "windows/http memory-corruption and overflow modules of the listing (*_bof, *_seh, *_overflow, *_post, "
        "apache_chunked, bea_weblogic_*, ...) and authentication bypasses (adobe_robohelper_authbypass, "
        "ca_arcserve_rpc_authbypass, connectwise_screenconnect_*)",
        "no injected value of a class of ours",
    ),
    (
        "exploits/multi/http (another helper this round); exploits/linux/http (fresh72); exploits/unix/webapp and "
        "auxiliary/scanner/http (fresh73); windows/http beyond the 100 names the index lists and the five "
        "found by name (rejetto_hfs_exec, rejetto_hfs_rce_cve_2024_23692, trendmicro_officescan_widget_exec, "
        "zentao_pro_rce, sonicwall_scrutinizer_sqli)",
        "read by another split, or not listed",
    ),
]
FIXTURES: list[tuple[str, str, str, str]] = [
    # (integration, file, commit of the version read, index file id)
    ("xbox", "achievements_gameprogress.json", "e02fd090cc5c713a49f23e94dbb2f84234190f60", "69703803647"),
    ("xbox", "gameclips_recent_xuid.json", "99a90d89ee261c21ded2b2235c875e3690b54ab0", "11427199340"),
    ("xbox", "people_batch2.json", "2e53df1d3d52fcf146290e01aa689d821fde2d44", "11702757057"),
    ("xbox", "people_friends_own.json", "50e418600e236cf1dd6bfb7931c245eead39a5ba", "68555387550"),
    ("xbox", "people_friends_own_no_friends.json", "f134cc76cd44ec209f37d87a18e897dbf58dc67c", "18931316851"),
    ("xbox", "smartglass_command_response.json", "2c0058f8287ff2e934e6d36200b75cb5b88fb334", "68732985227"),
    ("xbox", "smartglass_command_response_error.json", "9fd31d54e55bd861f4c1e2afe94cc06a9cc102b0", "68283027395"),
    ("xbox", "smartglass_console_list.json", "9834df0642346ea5024b645b45bb615f19fe55d5", "548975202"),
    ("xbox", "smartglass_console_status.json", "55f5a41fdb3b59a51cabb0d77de1fe569f93c439", "1544180831"),
    ("xbox", "smartglass_console_status_livetv.json", "03190903c66af09e8c9d61984b61146db99bc6f3", "17032756662"),
    ("xbox", "smartglass_console_status_off.json", "bb6e370ab91c0ceee0f3279555c05efb57cf85ea", "31938371526"),
    ("xbox", "smartglass_console_status_playing.json", "63af4e4da94c11d2671fc69ab7d90dedfda9290f", "18035114253"),
    ("xbox", "titlehub_titleinfo.json", "01ef46de5c848507defad31dc320393c8ece6178", "31957260879"),
    ("yale", "get_activity.bridge_offline.json", "e16f693ff416e208d737a6e91a278f4de27d777b", "55906342"),
    ("yale", "get_activity.bridge_online.json", "8d7df6e1a4d49cf438cbd3d22b5f9bc24c5d005b", "396215713"),
    ("yale", "get_activity.jammed.json", "336e37e2851b503c7eecd0865344c7677a270316", "1074981358"),
    ("yale", "get_activity.lock.json", "8d7df6e1a4d49cf438cbd3d22b5f9bc24c5d005b", "378678475"),
    ("yale", "get_activity.lock_from_autorelock.json", "8a8aa9c72eac11d995e9832affd4155c193b5e2b", "40141803"),
    ("yale", "get_doorbell.json", "aa821fae1f5fd2068d2b0af199d188471190168b", "192257310"),
    ("yale", "get_doorbell.offline.json", "ce47b745ae75a70908a2b0659e9b205928518248", "1080100382"),
    ("yale", "get_lock.online.unknown_state.json", "c149650943ba94c630b57ef0c8589b433fdcea4f", "1143781029"),
    ("yale", "get_lock.online_with_keys.json", "554cbbda926afbdcf20b426bcb3c74bc5a80c0e9", "793697333"),
    ("yale", "lock_open.json", "c5c1ac21b7f1e6e60441970e8081a63e7711033b", "566711098"),
    ("yale", "unlock_closed.json", "8d7df6e1a4d49cf438cbd3d22b5f9bc24c5d005b", "90440993"),
    ("yale_smart_alarm", "get_all.json", "2f051f97aaddd6cfff74218e34baedd053a522f1", "408891681"),
    ("yandex_transport", "bus_reply.json", "74cda622c453890583eab94ee353caa0cda38a3e", "152298896"),
    ("yolink", "ys5018_report.json", "18301fc6b9c8180158e24d37f47d5bfa5c10d45f", "57554210338"),
    ("youless", "device.json", "1e448181ead57ae2c64ea49dcc76b49023dc47f7", "168696955"),
    ("youless", "enologic.json", "188b40114aa8c6888ef39472f8239622a73f96e2", "282698101"),
    ("youless", "phase.json", "07d9039efb0d44e364ab09ec1d20f820ea0d9aac", "1169377555"),
    ("youtube", "diagnostics.json", "88c83583be201c17df5af362cdf8b554a8347574", "15458705922"),
    ("youtube", "get_channel.json", "ad7a6045013c77e03b43cbf553cadb3e98451ba8", "746052904"),
    ("youtube", "get_channel_2.json", "62f8e7b5c9ce55f7bc928471272efa0f81fd2224", "7201878818"),
    ("youtube", "get_no_channel.json", "6967409c72c631d5cceba5fab94ceacd1a46db44", "982759731"),
    ("youtube", "get_no_playlist_items.json", "ab2ddb38847110ba0d8adddfe1fe96065bdf589c", "637177231"),
    ("youtube", "get_playlist_items.json", "9e2a38a5ea5c1b89d7b965c9ba201b696c7b4b5f", "230174979"),
    ("youtube", "get_subscriptions.json", "7032703eb7e0d49f53aa173b217a52401412863b", "548594721"),
    ("youtube", "thumbnail/standard.json", "916aeed476ff403b29ccf81bbc9bdf48b7657425", "885932587"),
    ("zamg", "data.json", "1e6c11e9f39d91044ee3c49ce1dd20d9adb427be", "35110468591"),
    ("zwave_js", "controller_state.json", "2832b512014573c915ce255fe62bdf5f0451cc85", "2948545157"),
    ("zwave_js", "nortek_thermostat_removed_event.json", "321d24d6d21f3e7d459f99fb9ee714865bbd7984", "2321430651"),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "home-assistant/core tests/components/<integration>/fixtures/*.json, read through the code-search index "
    "(read_file): 41 recorded device and cloud-service answers of 9 integrations (xbox, yale, yale_smart_alarm, "
    "yandex_transport, yolink, youless, youtube, zamg, zwave_js; no other integration from x to z, nor one starting "
    "with a digit, has a fixtures folder in the index); commit and index file id per file in 'fixtures'; "
    "yale_smart_alarm/get_all.json and yandex_transport/bus_reply.json are the excerpts read (see build.py)",
    "licence": "Apache-2.0 (home-assistant/core LICENSE.md); the answers are the test fixtures' own data",
    "what": "string values by text_category (secret subtrees and private-address values removed), whole fixtures and "
    "list-element objects as JSON bodies",
    "fixtures": [
        {"integration": i, "file": f"tests/components/{i}/fixtures/{f}", "commit": c, "index_file_id": fid}
        for i, f, c, fid in FIXTURES
    ],
}


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("", why) for a value left out."""
    result: tuple[str, str] = (f72 if family in F72_FAMILIES else f73).classify(family, value)
    return result


def attack_records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The sources with their classified values, and the values left out."""
    sources = sc.read_family_records(HERE / "records.txt", f73._decode)
    dropped = [{"repository": "rapid7/metasploit-framework", "left_out": what, "why": why} for what, why in NOTES]
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


def ha_fixtures(root: Path, older: set[str]) -> tuple[dict[str, list[dict[str, str]]], dict[str, int]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    documents: list[dict[str, str]] = []
    items: list[dict[str, str]] = []
    seen = set(older)
    removed: list[str] = []
    for integration, name, _commit, _fid in FIXTURES:
        rel = f"{integration}/fixtures/{name}"
        doc = f73._prune(json.loads((root / integration / name).read_text(encoding="utf-8")), removed)
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
    out = {f"ha_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["ha_documents"] = documents
    out["ha_items"] = sc.even(items, MAX_ITEMS)
    secret = sum(1 for k in removed if f73._secret_key(k))
    return out, {"secret_subtrees_removed": secret, "private_address_values_removed": len(removed) - secret}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the fetched fixtures."""
    sources, dropped = attack_records()
    benign, pruned = ha_fixtures(root, sc.older_benign(HERE))
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, {**BENIGN_SOURCES, "pruned": pruned})


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(
        HERE, SPLIT, (("ha_documents", "documents", "json"), ("ha_items", "items", "json"))
    )
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
