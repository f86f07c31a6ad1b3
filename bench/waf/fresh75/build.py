"""fresh75: the injected values of the Metasploit Framework's multi-platform web exploits (rapid7/metasploit-framework
``modules/exploits/multi/http/``), against the recorded device and cloud-service answers Home Assistant's integration
tests replay (``tests/components/<integration>/fixtures/*.json`` of v2c, vegehub, venstar, vesync, vodafone_station,
volvo, wallbox, waqi, weatherflow_cloud and withings).

    python bench/waf/fresh75/build.py                                     # writes corpus.jsonl
    python bench/waf/fresh75/build.py --extract bench/waf/fresh75/ha_fixtures   # re-selects the values first

``ha_fixtures/`` holds the fixture files as read through the code-search index (read_file; the commit and index file id
of each version read are in ``ha_fixtures/COMMITS``, ``FIXTURES`` and ``sources.json``), stored as compact JSON with
the same content (whitespace is not significant).

Attack payloads (what was read, and how). The folder was listed with find_files (the index names 100 of its 526 files,
``acronis_cyber_protect_unauth_rce_cve_2022_3405`` to ``file_sharing_wizard_rce``). Every listed module was looked at
by name, skipping the eight fresh49 read; each whose request may carry an injected value (OS command, SQL, OGNL, EL,
SpEL, Velocity, ERB, CFML, PHP, Groovy, JavaScript or Python code, traversal) was read whole through the code-search
index and the value rebuilt as the module builds it. Because the listed modules gave fewer than 80 values, twenty more
modules of the same folder that no older split names (checked with grep over ``bench/waf`` and ``docs/benchmarks``)
were read by path (Struts, Spring, Solr, vBulletin, phpMyAdmin, phpLDAPadmin, ...). Each value is transcribed in
``records.txt`` (``@@ source`` line per module and request: repository, file and request, commit, licence, family,
kind; its header says how values are decoded and which payloads and random parts were fixed). Left out, with a note
(``NOTES``): upload-only modules (the payload is a file's or archive's bytes), default-credential, backdoor and
console modules, serialized-object and base64- or encrypted-wrapped payloads, remote inclusion of the operator's own
URL, bare commands in a field that runs commands by design, non-HTTP protocols, and memory corruption. Values already in
an older split (attacks or corpus) or repeated are dropped and listed in ``sources.json``.

Each value is sorted by its family's rule (``classify``; rules fixed before measuring): fresh73's rules (``sql``,
``file``, ``ssti``, ``php``, ``xxe``; loaded from ``fresh73/build.py``), fresh72's (``command``, ``code``, ``ognl``;
loaded from ``fresh72/build.py``), fresh61's ``nosql``, with these additions for shapes this source has:

- ``code`` (``cmdi``): also a string literal's Groovy ``.execute()``, any ``getRuntime().exec`` (``@`` or ``.``
  before it: OGNL static calls and CFML objects), ``require('child_process')``, Python ``__import__(`` and
  ``URLClassLoader``.
- ``ognl`` (``ssti``): also ``#_memberAccess``, ``#context[`` or an OGNL static call ``@pkg.Class@method(``.
- ``ssti``: also a Velocity directive on a variable (``#set($``, ``#foreach($``).
- ``nosql`` (``nosqli``): also MongoLite's ``$func`` operator.

Kind ``X`` values (OGNL and Groovy the module sends escaped as ``\\u00XX`` per character) are sorted plain and sent
escaped (fresh72's ``_ognl_escape``), as the application's parser receives them.

Benign values (rules fixed before measuring): fresh73's selection (``ha_fixtures`` of ``fresh73/build.py`` run over
this split's ``FIXTURES``): secret subtrees and private/loopback/link-local address values removed, every remaining
string by ``text_category`` (``ha_urls``, ``ha_prose``, ``ha_names``, ``ha_codes``), each pruned fixture whole as a
JSON body (``ha_documents``) and each list-element object whole (``ha_items``). Values an older split holds, and values
holding ``localhost``, are left out. Split name ``fresh75``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

f61 = sc.load_build("fresh61")  # nosql rule
f72 = sc.load_build("fresh72")  # command, code, ognl rules and the \u00XX escape
f73 = sc.load_build("fresh73")  # sql, file, ssti, php, xxe rules, record decoding and the fixture selection

SPLIT = "fresh75"
HOW_READ = (
    "Metasploit modules read by path through the code-search index (read_file; commit per source) after listing the "
    "folder with find_files; the injected values rebuilt as each module builds them and transcribed in records.txt "
    "(raw, %-encoded, JSON-literal and plain-OGNL forms, decoded once as the application receives them) and sorted "
    "by build.py's classify (see its docstring)"
)
NOTES = [
    (
        "multi/http upload-only modules in the listing: apache_activemq_upload_jsp, apache_flink_jar_upload_exec, "
        "apache_jetspeed_file_upload, apprain_upload_exec, atutor_upload_traversal (zip entry names), "
        "auxilium_upload_exec, axis2_deployer, axis2_deployer_rest, baldr_upload_exec, bolt_file_upload, "
        "builderengine_upload_exec, cacti_package_import_rce (gzip package), carrental_fileupload_rce, "
        "churchcrm_db_restore_rce, churchinfo_upload_exec, cisco_dcnm_upload, cisco_dcnm_upload_2019, "
        "cleo_rce_cve_2024_55956 (zip), clinic_pms_fileupload_rce, clinic_pms_sqli_to_rce's upload, "
        "clipbucket_fileupload_exec, cmsms_file_manager_auth_rce, cmsms_showtime2_rce, cmsms_upload_rename_rce, "
        "coldfusion_ckeditor_file_upload, atlassian_confluence_rce_cve_2024_21683 (language file), "
        "atlassian_confluence_rce_cve_2023_22515 (plugin jar), atlassian_crowd_pdkinstall_plugin_upload_rce, "
        "connectwise_screenconnect_rce_cve_2024_1709, cuteflow_upload_exec, cuteflow_2.11.2_upload_exec, "
        "cve_2023_38836_boidcms, dompdf_rce_cve_2022_28368, dotcms_file_upload_rce, eventlog_file_upload, "
        "extplorer_upload_exec, mantisbt_php_exec (XML import file), rails_dynamic_render_code_exec (image upload)",
        "the payload is an uploaded file's or archive's bytes (upload-only)",
    ),
    (
        "multi/http serialized, encrypted or base64-wrapped payloads: apache_tomcat_rce_cve_2025_24813, "
        "cve_2021_35464_forgerock_openam, cmsms_object_injection_rce, agent_tesla_panel_rce (base64 SQL, serialized "
        "columns), dexter_casinoloader_exec (base64 SQL), avideo_notify_ffmpeg_unauth_rce (AES callback), "
        "cyberark_conjur_erb_ssti (ERB inside base64 JSON inside base64), cpanel_whm_auth_bypass_rce (CR LF inside a "
        "Basic credential), avideo_wwbnindex_unauth_rce (a php://filter iconv chain the PhpFilterChain mixin builds, "
        "not read), the base64 bodies of eaton_nsm_code_exec, phpldapadmin_query_engine and phpscheduleit_start_date",
        "object injection or a wrapped payload: no class of ours sees inside it",
    ),
    (
        "multi/http operator URLs: confluence_widget_connector (_template ftp:// URL), apache_activemq_jolokia_rce "
        "(brokerConfig=xbean:http:// URL), apache_shardingsphere_cve_2022_22733 (H2 INIT=RUNSCRIPT FROM the operator's "
        "URL), coldfusion_rds_auth_bypass and adobe_coldfusion_apsb13_03 ScheduledURL",
        "the injected value is the operator's own URL serving the payload (a public URL; no class of ours)",
    ),
    (
        "multi/http bare commands or code in a field that runs them by design: apache_nifi_processor_rce, "
        "apache_airflow's bash_task body, bluemind_api_submit_command, couchdb_unauth_exec (query server command), "
        "acronis_cyber_protect_unauth_rce_cve_2022_3405 (backup pre-command), commvault QCommand qoperation, "
        "churchcrm_install_unauth_rce and churchcrm_db_restore_rce cmd, adobe_coldfusion_apsb13_03 cmd/args of its own "
        "dropped CFM, struts_dmi_exec's command parameter, drupal_drupageddon's PHP-filter article body",
        "a bare command or code where the (now hijacked) feature runs it by design: only the application could tell",
    ),
    (
        "multi/http credentials, backdoors, non-HTTP and memory corruption: apache_apisix_api_default_token_rce, "
        "caidao_php_backdoor_exec, carberp_backdoor_exec, coldfusion_rds, apache_couchdb_erlang_rce (Erlang "
        "distribution), apache_rocketmq_update_config (RocketMQ remoting), file_sharing_wizard_rce (SEH overflow), "
        "cisco_ssl_vpn_priv_esc, atlassian_confluence_unauth_backup, crushftp_rce_cve_2023_43177 other than its log "
        "path, cve_2014_9390 (git repository), spring_framework_rce_spring4shell (class-loader property names with a "
        "JSP dropper of a base64 executable), adobe_coldfusion_rce_cve_2023_26359 (same CFML as 26360, a repeat)",
        "no injected value of a class of ours, or a value already recorded",
    ),
    (
        "exploits/multi/http modules fresh49 read: adobe_aem_forms_debug_ognl_rce, ajaxplorer_checkinstall_exec, "
        "apache_commons_text4shell, apache_druid_cve_2023_25194, apache_normalize_path_rce, "
        "apache_roller_ognl_injection, atlassian_confluence_rce_cve_2023_22527, atutor_sqli",
        "read by an older split",
    ),
]
FIXTURES: list[tuple[str, str, str, str]] = [
    (*rel.split("/", 1), commit, fid)  # type: ignore[misc]
    for rel, commit, fid in (
        line.split() for line in (HERE / "ha_fixtures" / "COMMITS").read_text().splitlines() if not line.startswith("#")
    )
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "home-assistant/core tests/components/<integration>/fixtures/*.json, read through the code-search index "
    f"(read_file): {len(FIXTURES)} recorded device and cloud-service answers of "
    f"{len({i for i, *_ in FIXTURES})} integrations ({', '.join(sorted({i for i, *_ in FIXTURES}))}); commit and index "
    "file id per file in 'fixtures'",
    "licence": "Apache-2.0 (home-assistant/core LICENSE.md); the answers are the test fixtures' own data",
    "what": "string values by text_category (secret subtrees and private-address values removed), whole fixtures and "
    "list-element objects as JSON bodies",
    "fixtures": [
        {"integration": i, "file": f"tests/components/{i}/fixtures/{f}", "commit": c, "index_file_id": fid}
        for i, f, c, fid in FIXTURES
    ],
}

# --- the rules -------------------------------------------------------------------------------------------------------

CODE_MORE = re.compile(
    r"['\"]\s*+\.\s*+execute\s*+\(|[.@]getRuntime\s*+\(\s*+\)\s*+\.\s*+exec\b|"
    r"\brequire\s*+\(\s*+['\"]child_process['\"]\s*+\)|\b__import__\s*+\(|\bURLClassLoader\b"
)
OGNL_MORE = re.compile(r"#_memberAccess\b|#context\[|@[\w.]++@\w++\s*+\(")
VELOCITY = re.compile(r"#(?:set|foreach)\s*+\(\s*+\$")
NOSQL_MORE = re.compile(r"\$func\b")


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("", why) for a value left out."""
    if family == "code":
        if f72.CODE_CALL.search(value) or CODE_MORE.search(value):
            return "cmdi", ""
        return "", "code with no process, evaluator or breakout"
    if family == "ognl":
        if f72.OGNL.search(value) or OGNL_MORE.search(value):
            return "ssti", ""
        return "", "no OGNL expression"
    if family == "ssti":
        cls, why = f73.classify("ssti", value)
        return ("ssti", "") if cls or VELOCITY.search(value) else ("", why)
    if family == "nosql":
        if f61.NOSQL.search(value) or NOSQL_MORE.search(value):
            return "nosqli", ""
        return "", "no operator or JavaScript breakout"
    if family == "command":
        result: tuple[str, str] = f72.classify("command", value)
        return result
    out: tuple[str, str] = f73.classify(family, value)
    return out


def _decode(kind: str, line: str) -> str:
    """Kind ``X`` stays plain here (``attack_records`` escapes it after sorting); the others as fresh73 decodes them."""
    return line if kind == "X" else str(f73._decode(kind, line))


def attack_records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The sources with their classified values, and the values left out."""
    sources = sc.read_family_records(HERE / "records.txt", _decode)
    dropped = [{"repository": "rapid7/metasploit-framework", "left_out": what, "why": why} for what, why in NOTES]
    kinds = [
        line.rsplit("|", 1)[1]
        for line in (HERE / "records.txt").read_text(encoding="utf-8").split("\n")
        if line.startswith("@@ source|")
    ]
    for src, kind in zip(sources, kinds, strict=True):
        classified = []
        for value in src.pop("values"):
            cls, why = classify(src["family"], value)
            if cls:
                classified.append((cls, f72._ognl_escape(value) if kind == "X" else value))
            else:
                dropped.append({"repository": src["repository"], "left_out": f"{src['files']}: {value!r}", "why": why})
        src["values"] = classified
    return sources, dropped


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the fixture folder (fresh73's selection)."""
    sources, dropped = attack_records()
    f73.FIXTURES = FIXTURES  # fresh73's ha_fixtures reads its module's FIXTURES: point it at this split's files
    benign, pruned = f73.ha_fixtures(root, sc.older_benign(HERE))
    sc.write_split(HERE, SPLIT, (sources, dropped), HOW_READ, benign, {**BENIGN_SOURCES, "pruned": pruned})


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(
        HERE, SPLIT, (("ha_documents", "documents", "json"), ("ha_items", "items", "json"))
    )
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
