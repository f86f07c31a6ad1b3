"""fresh80: the injected values of the Metasploit Framework's auxiliary HTTP modules
(rapid7/metasploit-framework ``modules/auxiliary/admin/http/``, ``modules/auxiliary/sqli/`` and the injection modules of
``modules/auxiliary/gather/``), against the recorded API answers the perceval packages replay in their tests (PyPI
``perceval-zulip`` 0.4.0: Zulip message pages; PyPI ``perceval`` 1.6.1: GitLab, Jira, Bugzilla, Launchpad, Jenkins,
Slack, Discourse and 15 more backends, github left out).

    python bench/waf/fresh80/build.py                     # writes corpus.jsonl
    python bench/waf/fresh80/build.py --extract SDISTS    # re-selects the values first

``SDISTS`` is a folder holding the two sdists unpacked (``pip download --no-deps --no-binary :all: perceval-zulip==0.4.0
perceval==1.6.1`` and ``tar xzf`` each): ``perceval_zulip-0.4.0/`` and ``perceval-1.6.1/``.

The brief named Zulip's webhook fixtures (zulip/zulip ``zerver/webhooks/<integration>/fixtures/*.json``) as the benign
source; the session's code-search look-up budget was used up before one of them was read (their names were listed,
not their text), so the benign side comes from PyPI instead: the same shapes (Zulip messages with markdown; issue,
merge-request, build and alert payloads with markdown, code and stack traces; chat messages) in the recorded answers
perceval's tests replay.

Attack payloads (what was read, and how). ``auxiliary/admin/http`` was listed with find_files (the index lists the
first 100 of its 145 names; the others were read by name where the name says traversal, SQLi, XXE or command
execution), ``auxiliary/sqli`` was listed whole (24 files, all looked at) and ``auxiliary/gather`` was listed (the first
100 of 283 names; HTTP modules whose names say SQLi, file read, traversal, LFI or XXE were read, and more of the folder
found by name). Every module whose request carries an injected value was read whole through the code-search index and
the value rebuilt as the module builds it; the values the ``Msf::Exploit::SQLi`` library generates (PostgreSQL, MySQL,
SQLite and MSSQL ``Common`` and blind classes) were rebuilt from ``lib/msf/core/exploit/sqli/`` as read. They are
transcribed in ``records.txt`` (``@@ source`` line per module and request: repository, file and request, commit,
licence, family, kind; its header says how values are decoded and which payloads and random parts were fixed). Left
out, with a note (``NOTES``): credential, account-takeover and authentication-bypass modules, serialized or base64
payloads, bare commands to a command field or backdoor shell, SQL to a field that runs SQL by design, XXE carried in
the operator's own server answer, and the folders older splits read. Values already in an older split (attacks or
corpus) or repeated are dropped and listed in ``sources.json``.

Each value is sorted by its family's rule (``classify``; rules fixed before measuring): fresh72's rules for
``command`` and ``code`` and fresh73's for ``sql``, ``file``, ``ssti``, ``php`` (with fresh61's ``xxe`` rule), reused
unchanged, with these additions for shapes these modules send:

- ``sql``: also a select list that names a table and goes on with a clause (``... from wp_users where``/``order by``/
  ``limit``/``group by``), a statement ended and commented out (``; --``), a quote that closes a string and
  concatenates (``'||``), or a quote closing a string followed by ``and``/``or`` and a function call
  (``' and SCOTT.X()``).
- ``command``: also ``cmd`` or ``cmd.exe`` handed ``/c`` (commas or spaces between), Windows' command runner.

Benign values (rules fixed before measuring), as fresh73 and fresh76 take their fixtures: every file under the two
sdists' ``tests/data/`` that parses as JSON (``PACKAGES`` order, then backend and file name; the ``github`` backend
left out, as the brief left Zulip's github fixtures out), with every subtree under a secret key removed first
(``split_corpus.SECRET_KEYS`` and keys ending in ``token`` or holding ``secret``, ``password`` or ``serial``) and every
string value that is, or is a URL whose host is, a loopback, private or link-local address removed (an SSRF guard
rightly refuses those; counted in ``sources.json``). Every remaining string kept by ``text_category``
(``perceval_urls``, ``perceval_prose``, ``perceval_names``, ``perceval_codes``; at most ``CAP`` per category at an even
stride); each pruned answer of at most ``MAX_DOC`` characters whole as a JSON body (``perceval_documents``, at most
``MAX_DOCS``) and each object that is an element of a list in it whole as a JSON body (``perceval_items``, at most
``MAX_ITEMS``), both at an even stride. Values an older split holds, and values holding ``localhost``, are left out.
Split name ``fresh80``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

f72 = sc.load_build("fresh72")  # rules for command, code
f73 = sc.load_build("fresh73")  # rules for sql, file, ssti, php, xxe; the fixture pruning

SPLIT = "fresh80"
CAP = {"names": 200, "prose": 250, "urls": 100, "codes": 250}
MAX_ITEMS = 150
MAX_DOCS = 150
MAX_DOC = 20_000
PACKAGES = (("perceval_zulip-0.4.0", "tests/data"), ("perceval-1.6.1", "tests/data"))
"""The unpacked PyPI sdists (``pip download --no-deps --no-binary :all: perceval-zulip==0.4.0 perceval==1.6.1``) and
the folder of recorded answers in each."""
SKIP_BACKENDS = frozenset({"github"})
"""Left out as the brief left Zulip's github fixtures out (GitHub's API answers are in many older splits)."""
F72_FAMILIES = {"command", "code"}
HOW_READ = (
    "Metasploit modules read by path through the code-search index (read_file; commit per source) after listing "
    "auxiliary/admin/http, auxiliary/sqli and auxiliary/gather with find_files; the injected values rebuilt as each "
    "module (and the Msf::Exploit::SQLi library) builds them and transcribed in records.txt (raw, %-encoded, "
    "query-string and JSON-literal forms, decoded once as the application receives them) and sorted by build.py's "
    "classify (see its docstring)"
)
NOTES = [
    (
        "admin/http credential, account and authentication modules of the listing, looked at by name and description "
        "(adcs_cert_issuance, "
        "allegro_rompager_auth_bypass, atlassian_confluence_auth_bypass, cfme_manageiq_evm_pass_reset, "
        "cisco_ssm_onprem_account, couchdb_2017-12635, cve_2024_11680_projectsend_new_user, "
        "dlink_*_password_extractor, epmp1000_reset_pass, fortinet_fortiweb_create_admin, "
        "gitlab_password_reset_account_takeover, "
        "hikvision_unauth_pwd_reset, idsecure_auth_bypass, iis_auth_bypass, intersil_pass_reset, ivanti_vtm_admin, "
        "joomla_*_privesc, kaseya_master_admin, keycloak_reset_credentials_ato, manage_engine_dc_create_admin, "
        "manageengine_pmp_privesc, mantisbt_password_reset, me_dc9_admin, nacos_auth_bypass, netgear_*_auth_bypass / "
        "pass_reset / password_extractor / pass_recovery, nuuo_nvrmini_reset, rails_devise_pass_reset, "
        "scadabr_credential_dump, scrutinizer_add_user, sysaid_sql_creds's database decryption, ...)",
        "account creation, password reset, credential disclosure or authentication bypass: no injected value",
    ),
    (
        "admin/http cnpilot_r_cmd_exec (read), and by name and description cnpilot_r_fpt, "
        "cisco_ios_xe_cli_exec_cve_2023_20198, gitstack_rest, jboss_bshdeployer, jboss_deploymentfilerepository",
        "a bare command or script to a backdoor shell, CLI or deployer that runs it by design: only the application "
        "could tell",
    ),
    (
        "admin/http limesurvey_file_download (base64 serialized CMultiFileUpload), contentkeeper_fileaccess (mimencode "
        "options), novell_file_reporter_filedelete (an absolute path in the agent's own XML record), "
        "phpmyadmin_null_termination_exec's sql_query (SQL to phpMyAdmin's SQL field) and find value, "
        "typo3_sa_2009_002 (a relative file name and a hash), netflow_file_download (an absolute path as "
        "manageengine_file_download's), linksys_tmunblock / netgear_r7000 (memory corruption)",
        "serialized or option-injected payloads, plain file names, SQL to a SQL console, or memory corruption",
    ),
    (
        "sqli/questdb/questdb_rce (tables() to QuestDB's own SQL endpoint), sqli/oracle/dbms_export_extension (a "
        "PL/SQL package created over the database connection, base64-wrapped)",
        "SQL to a field or connection that runs SQL by design, or a base64-wrapped block: nothing injected",
    ),
    (
        "sqli/oracle dbms_cdc_ipublish, dbms_cdc_publish2, dbms_cdc_publish3, "
        "dbms_cdc_subscribe_activate_subscription, dbms_metadata_get_granted_xml, dbms_metadata_open, jvm_os_code_10g, "
        "jvm_os_code_11g, lt_mergeworkspace, "
        "lt_removeworkspace, lt_rollbackworkspace; admin/http past the listing but the six read by name; gather past "
        "the listing but the six read by name (joomla_contenthistory_sqli, vbulletin_getindexablecontent_sqli, "
        "wp_bookingpress_category_services_sqli, jasmin_ransomware_sqli, admin/http ni8mare_cve_2026_21858 and "
        "oxid_web_shop_admin were asked for when the code-search look-up budget ran out)",
        "not read: the session's look-up budget (shared) was used up",
    ),
    (
        "gather/drupal_openid_xxe (the XXE is in the XRDS the operator's server answers, the request carries only the "
        "operator's URL), gather/dolibarr_creds_sqli (the same request as sqli/oracle/dolibarr_list_creds), the "
        "browser, DNS, Kerberos, cloud-lookup and credential-disclosure modules of the gather listing",
        "no injected request value, or a repeat",
    ),
    (
        "exploits/linux/http (fresh72); exploits/unix/webapp and auxiliary/scanner/http (fresh73); exploits/multi/http "
        "(fresh75); exploits/unix/http and windows/http (fresh76)",
        "read by an older split",
    ),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "perceval-zulip 0.4.0 (PyPI sdist perceval_zulip-0.4.0.tar.gz), tests/data/zulip/message_page_*: "
    "recorded Zulip message API answers; perceval 1.6.1 (PyPI sdist perceval-1.6.1.tar.gz), tests/data/<backend>/*: "
    "recorded answers of the GitLab, Jira, Bugzilla, Launchpad, Redmine, Phabricator, Pagure, Jenkins, Confluence, "
    "MediaWiki, Discourse, Askbot, StackExchange, Slack, Mattermost, Rocket.Chat, Gitter, Telegram, Twitter, "
    "Groups.io, Meetup and Docker Hub APIs (github left out); every file that parses as JSON",
    "licence": "GPL-3.0-or-later (PKG-INFO of perceval and perceval-zulip); recorded data used as test values only",
    "what": "string values by text_category (secret subtrees and private-address values removed), whole answers (at "
    "most 20,000 characters) and list-element objects as JSON bodies",
    "why_not_zulip_webhooks": "the brief named zulip/zulip zerver/webhooks/<integration>/fixtures; the code-search "
    "look-up budget of the session (1,000, shared) was used up before any fixture was read (only their file names "
    "were listed), so the same shapes (Zulip messages; issue, merge-request and build payloads with markdown, code and "
    "stack traces; chat messages) were taken from the recorded answers the perceval packages ship on PyPI",
}


# --- the rules -------------------------------------------------------------------------------------------------------

SQL80 = re.compile(
    r"\bfrom\s++[\w.]++\s++(?:where|order\s++by|limit|group\s++by)\b|;\s*+--|'\s*+\|\||"
    r"['\")]\s*+(?:and|or)\s++[\w.]++\s*+\(",
    re.I,
)
CMD80 = re.compile(r"\bcmd(?:\.exe)?+[\s,]++/c\b", re.I)


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("", why) for a value left out."""
    if family == "sql" and SQL80.search(value):
        return "sqli", ""
    if family == "command" and CMD80.search(value):
        return "cmdi", ""
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


# --- benign: perceval's and perceval-zulip's recorded API answers ----------------------------------------------------


def _json_files(root: Path) -> list[tuple[str, Path]]:
    """(label, path) of every file of the unpacked sdists that parses as JSON, in ``PACKAGES`` order, then backend and
    file name order; the backends in ``SKIP_BACKENDS`` and files that are not JSON are left out."""
    out: list[tuple[str, Path]] = []
    for sdist, data in PACKAGES:
        base = root / sdist / data
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            rel = path.relative_to(root / sdist)
            if rel.parts[2] in SKIP_BACKENDS:
                continue
            try:
                json.loads(path.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError):
                continue
            out.append((f"{sdist} {rel}", path))
    return out


def perceval_answers(root: Path, older: set[str]) -> tuple[dict[str, list[dict[str, str]]], dict[str, int]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    documents: list[dict[str, str]] = []
    items: list[dict[str, str]] = []
    seen = set(older)
    removed: list[str] = []
    files = _json_files(root)
    for label, path in files:
        doc = f73._prune(json.loads(path.read_text(encoding="utf-8")), removed)
        sc.collect_strings(found, seen, label, "", doc)
        text = json.dumps(doc, ensure_ascii=False)
        if len(text) <= MAX_DOC and text not in seen and "localhost" not in text:
            seen.add(text)
            documents.append({"value": text, "source": f"{label} body"})
        elements: list[Any] = []
        sc.list_items(doc, elements)
        for e_i, element in enumerate(elements):
            text = json.dumps(element, ensure_ascii=False)
            if len(text) <= MAX_DOC and text not in seen and "localhost" not in text:
                seen.add(text)
                items.append({"value": text, "source": f"{label} list element {e_i}"})
    out = {f"perceval_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["perceval_documents"] = sc.even(documents, MAX_DOCS)
    out["perceval_items"] = sc.even(items, MAX_ITEMS)
    secret = sum(1 for k in removed if f73._secret_key(k))
    return out, {"json_files": len(files), "secret_subtrees_removed": secret,
                 "private_address_values_removed": len(removed) - secret}


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the unpacked sdists under ``root``."""
    sources, dropped = attack_records()
    benign, pruned = perceval_answers(root, sc.older_benign(HERE))
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, {**BENIGN_SOURCES, "pruned": pruned})


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(
        HERE, SPLIT, (("perceval_documents", "documents", "json"), ("perceval_items", "items", "json"))
    )
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
