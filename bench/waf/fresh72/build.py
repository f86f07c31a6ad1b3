"""fresh72: the injected values of Metasploit Framework's ``modules/exploits/linux/http/`` exploit modules (the
module's own request values, rebuilt from the Ruby source), against recorded answers of Home Assistant integrations
n-r (``home-assistant/core`` ``tests/components/<integration>/fixtures/*.json``: Radarr, Picnic, NYT Games, NextDNS,
Renault, Peblar, OpenSky, Pure Energie, NINA, Overseerr, OpenUV, Paperless-ngx).

    python bench/waf/fresh72/build.py                    # writes corpus.jsonl
    python bench/waf/fresh72/build.py --extract FIXTURES # re-selects the values first

``FIXTURES`` is ``bench/waf/fresh72/ha_fixtures`` (the fixture files as read through the code-search index with
read_file, transcribed as compact JSON with the same content; ``COMMITS`` names each file's commit).

Attack payloads (what was read, and how). rapid7/metasploit-framework (BSD-3-Clause) ``modules/exploits/linux/http/``
as the code-search index lists it (find_files lists 100 of its names, ``accellion_fta_getstatus_oauth`` to
``dlink_dir300_exec_telnet``): every listed module whose request carries an injected value was read (read_file, commit
per source), plus 16 modules of the same folder named directly for the classes the list had few of (EL, FreeMarker,
XXE, SQL: ``nexus_repo_manager_el_injection``, ``zimbra_xxe_rce``, ``vmware_workspace_one_access_cve_2022_22954``,
``pandora_fms_sqli``, ``nagios_xi_chained_rce``, ``librenms_addhost_cmd_inject``, ``tiki_calendar_exec``,
``webmin_package_updates_rce``, ``f5_bigip_tmui_rce``, ``zyxel_lfi_unauth_ssh_rce``; and ``symantec_web_gateway_lfi``,
``esva_exec``, ``zen_load_balancer_exec``, ``op5_config_exec``, ``wanem_exec``, ``sophos_wpa_iface_exec``). No older
split read this folder
(fresh49 read eight ``multi/http`` modules; fresh44 four exploit-db copies of other modules). Each injected value is
rebuilt exactly as the module builds it, with the payload fixed to the command ``id`` (or the module's own check
command, a python or PHP payload fixed to the smallest call of ``id``), random parts fixed to constants, and
transcribed in ``records.txt`` (``@@ source`` line: repository, module and field, commit, licence, family, kind).
Kinds: ``R`` the value as the application receives it; ``J`` a JSON string literal (line breaks, NUL); ``U`` a
percent-encoded value decoded once; ``F`` a query value decoded with ``unquote_plus`` ('+' is a space); ``X`` the
plain OGNL the Confluence module sends with every character written ``\\u00XX`` (``Rex::Text.to_hex(ognl, '\\u00')``):
classified on the plain text, sent as the module sends it.

Each value is sorted by its family's rule (``classify``; rules fixed before measuring), the rules of fresh61 (reused
through importlib) and fresh68's ``sql`` additions, with these for the families this source needs:

- ``command``: fresh61's ``CMD``, or a shell separator, substitution or backquote followed by a command word of the
  longer list below (``;sudo``, ``|xxd``, ``$(echo``...), or a PHP ``system(`` call.
- ``cmdline``: the whole command line a field runs by design (CouchDB query servers, Centreon command lines, D-Link
  ``command.php``): ``cmdi`` when it begins with a command word (optionally ``/bin/``, ``/usr/bin/``) and has an
  argument. Left out: a lone path (``/tmp/AbCdEf``).
- ``code``: code a server-side interpreter runs (Java in a Druid/Gremlin/Cloupia script, Groovy, H2 trigger
  JavaScript, PHP): ``cmdi`` when it reaches a process or an evaluator (``Runtime.getRuntime().exec``,
  ``ProcessBuilder``, ``.execute()``, ``system``/``passthru``/``eval``/``assert``/``readpipe``) or a quote closes a
  string and a statement calling a function follows (``';print(x);$a='``). Left out: arithmetic a stub evaluates
  (``print_r(4821+1234);``).
- ``ognl``: ``ssti`` when a quote closes the string and ``+`` joins another string or a method-call chain.
- ``ssti``: fresh61's ``TEMPLATE`` or a Template Toolkit ``[% ... %]`` directive.
- ``sqlprog``: ``sqli`` when a statement runs ``COPY ... FROM PROGRAM``.
- ``file`` (``traversal``), ``xxe``, ``sql``: fresh61's and fresh68's rules.

Left out (``sources.json`` ``left_out``): memory corruption, file-upload-only, credential and deserialization
modules, values that travel in WebSocket frames, base64 or archives, bare command words, a single climb. Values an
older split holds, or repeated, are dropped and listed.

Benign values (rules fixed before measuring). Every fixture under ``ha_fixtures/`` (path order): every string value
not under a ``SECRET_KEYS`` key or a key naming a key, token, password or secret, kept by ``keep_text``, and not a URL
or host on a private, loopback or link-local address (an SSRF guard rightly refuses those; counted), by
``text_category`` (``hass_urls``, ``hass_prose``, ``hass_names``, ``hass_codes``; at most ``CAP`` per category at an
even stride); each fixture of at most ``MAX_DOC`` characters whole as a JSON body (``hass_documents``). Values an
older split holds are left out. Split name ``fresh72``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

import split_corpus as sc  # noqa: E402

f61 = sc.load_build("fresh61")  # fresh61's rules, reused unchanged
f68 = sc.load_build("fresh68")  # fresh68's sql additions

SPLIT = "fresh72"
CAP = {"names": 600, "prose": 600, "urls": 300, "codes": 800}
MAX_DOC = 20_000
LABEL = "home-assistant/core tests/components"
HOW_READ = (
    "read through the code-search index (read_file; commit per source); each injected value rebuilt from the module's "
    "Ruby source with the payload fixed to the command id and random parts fixed, transcribed in records.txt (raw, "
    "JSON literal, percent- or form-encoded, or the plain OGNL the module escapes) and decoded and sorted by "
    "build.py's classify (see its docstring)"
)
NOTES = [
    (
        "acronis_cyber_infra_cve_2023_45249",
        "default credentials (no injected value)",
    ),
    (
        "airmedia_am100_creds",
        "credential disclosure (no injected value)",
    ),
    (
        "airties_login_cgi_bof",
        "memory corruption (buffer overflow)",
    ),
    (
        "apache_couchdb_cmd_exec_debug",
        "the same _config/query_servers request as apache_couchdb_cmd_exec, carrying CmdStager chunks (echo of "
        "binary data) as the command line",
    ),
    (
        "apache_ofbiz_deserialiation, apache_ofbiz_deserialization, apache_ofbiz_deserialization_soap",
        "deserialization blobs (Java serialized objects)",
    ),
    (
        "asuswrt_lan_rce",
        "the command travels in a UDP infosvr packet; the HTTP request only sets ateCommand_flag=1",
    ),
    (
        "avideo_encoder_getimage_cmd_injection",
        "the command travels base64-encoded in base64Url (encoded values left out)",
    ),
    (
        "awind_oem_ate_command_exec (exploit)",
        "ATE_COMMAND is the bare payload command (a bare command word; the check's traversal is kept)",
    ),
    (
        "alienvault_sqli_exec (exec_command)",
        "the bare payload command in an action's command field",
    ),
    (
        "beyondtrust_pra_rs_command_injection",
        "the injected value ([$(cmd)]) travels in a WebSocket text frame after the upgrade, not in an HTTP "
        "request field",
    ),
    (
        "bolt_authenticated_rce (execute)",
        "the $_GET variable carries the bare payload command",
    ),
    (
        "cacti_unauthenticated_cmd_injection (X-Forwarded-For)",
        "a loopback address to spoof the poller's host: no injection",
    ),
    (
        "centreon_pollers_auth_rce",
        "command_line is the bare payload command in Centreon's command editor (a bare command word)",
    ),
    (
        "centreon_cmd_exec (resource_line)",
        "'/' as the $USER1$ resource path: a plain path",
    ),
    (
        "centreon_authenticated_macro_expression_location_setting_handler_cmd_exec",
        "the same command_line values as centreon_cmd_exec (an earlier copy of that module)",
    ),
    (
        "chaos_rat_xss_to_rce (XSS)",
        "the script travels as a byte array in a WebSocket frame, not in an HTTP request field",
    ),
    (
        "churchcrm_rce_cve_2025_68109",
        "file upload only (a PHP file and an .htaccess through the restore endpoint)",
    ),
    (
        "cisco_firepower_useradd",
        "file upload only (the rules-import shell script file), then SSH",
    ),
    (
        "cisco_fmc_auth_bypass_rce (pjb.cgi parameters)",
        "the script's own path /var/tmp/license.tmp and a UUID: no injection",
    ),
    (
        "cisco_prime_inf_rce",
        "file upload only (a JSP over TFTP), then a plain GET",
    ),
    (
        "citrix_dir_traversal_rce (path)",
        "/vpn/../vpns/...: one climb in the path (the rules need two)",
    ),
    (
        "craftcms_ftp_template",
        "the Twig template travels over FTP; the HTTP request carries only --templatesPath=ftp://host (argument"
        " injection through register_argc_argv: no class of ours)",
    ),
    (
        "craftcms_preauth_rce_cve_2025_32432 (JSON body)",
        "a Yii object-configuration gadget (__class yii\\rbac\\PhpManager / GuzzleHttp FnStream): an "
        "object-injection blob, no class of ours",
    ),
    (
        "craftcms_unauth_rce_cve_2023_41892",
        "the config value is an object-instantiation gadget (GuzzleHttp FnStream, Imagick msl:) and the PHP "
        "stub travels in an uploaded MSL file: object injection and file upload, no class of ours",
    ),
    (
        "crypttech_cryptolog_login_exec (lsid)",
        "the same lsid value as cryptolog_exec",
    ),
    (
        "cypress_ctm200_command_injection (exploit)",
        "fw_url is the bare payload command",
    ),
    (
        "dalfox_server_rce_cve_2026_45087",
        "found-action is the bare payload command in the scan options JSON (mass assignment of an option that "
        "names a command)",
    ),
    (
        "apache_solr_backup_restore",
        "file upload only (a configset zip holding a compiled class with the command); the backup location is a"
        " plain path",
    ),
    (
        "artica_proxy_unauth_rce_cve_2024_2054",
        "a base64 PHP serialized object (Net_DNS2_Cache_File) in build-js: a deserialization blob",
    ),
    (
        "atutor_filemanager_traversal",
        "the traversal names live inside an uploaded zip (file upload); the code travels base64 in a header",
    ),
    (
        "beyondtrust_rce_cve_2024_12356",
        "the gskey value travels in a WebSocket binary frame, not an HTTP request field",
    ),
    (
        "apache_superset_cookie_sig_rce, bentoml_rce_cve_2025_27520, bentoml_runner_server_rce_cve_2025_32375",
        "forged session cookie / pickled objects (not read further: signature forgery and deserialization blobs)",
    ),
    (
        "axis_app_install, bludit_upload_images_exec, chamilo_bigupload_webshell, "
        "cisco_hyperflex_file_upload_rce, cpi_tararchive_upload, cfme_manageiq_evm_upload_exec, "
        "dell_idrac_upload_exec, dlink_dcs931l_upload",
        "file upload only (by name and description; not read further)",
    ),
    (
        "belkin_login_bof, cisco_rv130_rmi_rce, cve_2019_1663_cisco_rmi_rce, dlink_authentication_bof, "
        "dlink_authentication_cgi_bof, dlink_authentication_rop, dlink_authentication_rop_system",
        "memory corruption (buffer overflow / ROP)",
    ),
    (
        "dcos_marathon",
        "a container job definition the API accepts by design (no injected value)",
    ),
    (
        "op5_config_exec",
        "cmd_str is the command line the test form runs by design, sent as the bare CmdStager echo lines",
    ),
    (
        "sophos_wpa_iface_exec (admins)",
        "a JSON list resetting the admin password hash (mass assignment): no injection class of ours",
    ),
    (
        "beyondtrust_pra_rs_unauth_rce",
        "not read (the same WebSocket channel as the two BeyondTrust modules read)",
    ),
    (
        "f5_bigip_tmui_rce",
        "the path /tmui/login.jsp/..;/tmui/... climbs once (the rules need two); the tmsh command, file name "
        "and file content are what the endpoints take by design (create cli alias, a /tmp path, the bare "
        "command)",
    ),
    (
        "pandora_fms_sqli (upload)",
        "file upload of the PHP payload (the SQL injections are kept)",
    ),
    (
        "zyxel_lfi_unauth_ssh_rce",
        "/Export_Log?/data/zcfg_config.json: a plain absolute path (nothing climbs); the rest is SSH",
    ),
    (
        "nagios_xi_chained_rce (upload)",
        "the root shell travels in an uploaded component zip (file upload)",
    ),
]
BENIGN_SOURCES: dict[str, Any] = {
    "repository": "home-assistant/core",
    "files": "tests/components/<integration>/fixtures/*.json of nextdns, nina, nyt_games, opensky, openuv, overseerr, "
    "paperless_ngx, peblar, picnic, pure_energie, radarr, renault (40 files; commits in ha_fixtures/COMMITS)",
    "licence": "Apache-2.0",
    "how_read": "read_file through the code-search index, transcribed as compact JSON with the same content",
    "what": "string values of the recorded API answers by text_category, whole answers as JSON bodies",
}

# --- reading records.txt ---------------------------------------------------------------------------------------------


def _ognl_escape(text: str) -> str:
    """``Rex::Text.to_hex(text, '\\u00')``: every character as ``\\u00`` and its two hex digits."""
    return "".join(f"\\u00{ord(c):02x}" for c in text)


def _decode(kind: str, line: str) -> str:
    """A value as ``records.txt`` holds it (kind ``X`` stays plain: ``attack_records`` escapes it after sorting)."""
    if kind == "J":
        return str(json.loads(line))
    if kind == "U":
        return unquote(line)
    if kind == "F":
        return unquote_plus(line)
    return line


# --- the rules -------------------------------------------------------------------------------------------------------

WORDS = (
    r"(?:sudo|wget|curl|bash|sh|python\d?|perl|nc|telnetd|chmod|chown|rm|base64|openssl|xxd|service|sleep|echo|id|cat|"
    r"ls|uname|whoami|tftp|busybox)"
)
CMD_MORE = re.compile(r"(?:^|[;&|\n`(]|\$\(|\$\{IFS\})\s*+(?:/usr)?(?:/s?bin/)?" + WORDS + r"\b|\bsystem\s*+\(")
COMMAND_LINE = re.compile(r"^\s*+(?:/usr)?(?:/s?bin/)?" + WORDS + r"\s++\S")
CODE_CALL = re.compile(
    r"Runtime\s*+\.\s*+getRuntime\s*+\(\s*+\)\s*+\.\s*+exec|\bProcessBuilder\b|\]\s*+\.\s*+execute\s*+\(|"
    r"\b(?:system|passthru|shell_exec|popen|eval|assert|readpipe)\s*+\(|['\"]\s*+;\s*+\w+\s*+\([^)]*+\)\s*+;"
)
OGNL = re.compile(r"'\s*+\+\s*+(?:'|[\w.]+\s*+\()")
TT_DIRECTIVE = re.compile(r"\[%.+?%\]", re.S)
SQL_PROGRAM = re.compile(r"\bcopy\s++\w+\s++from\s++program\b", re.I)


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("", why) for a value left out."""
    if family == "command":
        if f61.CMD.search(value) or CMD_MORE.search(value):
            return "cmdi", ""
        return "", "no OS command after a separator, in a substitution or a call"
    if family == "cmdline":
        return ("cmdi", "") if COMMAND_LINE.search(value) else ("", "a lone path or word: no command line")
    if family == "code":
        return ("cmdi", "") if CODE_CALL.search(value) else ("", "code with no process, evaluator or breakout")
    if family == "ognl":
        return ("ssti", "") if OGNL.search(value) else ("", "no expression joined after a closing quote")
    if family == "ssti":
        if f61.TEMPLATE.search(value) or TT_DIRECTIVE.search(value):
            return "ssti", ""
        return "", "no template expression"
    if family == "sqlprog":
        return ("sqli", "") if SQL_PROGRAM.search(value) else ("", "no COPY FROM PROGRAM")
    if family == "sql":
        why = f68._sql(value)
        return ("sqli", "") if not why else ("", why)
    cls, rule = f61.RULES[family]
    why: str = rule(value)
    return (cls, "") if not why else ("", why)


def attack_records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The sources with their classified values, and the values left out."""
    sources = sc.read_family_records(HERE / "records.txt", _decode)
    dropped = [{"repository": "rapid7/metasploit-framework", "left_out": what, "why": why} for what, why in NOTES]
    kinds = [
        line.rsplit("|", 1)[1]
        for line in (HERE / "records.txt").read_text().split("\n")
        if line.startswith("@@ source|")
    ]
    for src, kind in zip(sources, kinds, strict=True):
        classified = []
        for value in src.pop("values"):
            cls, why = classify(src["family"], value)
            if cls:
                classified.append((cls, _ognl_escape(value) if kind == "X" else value))
            else:
                dropped.append({"repository": src["repository"], "left_out": f"{src['files']}: {value!r}", "why": why})
        src["values"] = classified
    return sources, dropped


# --- benign: the Home Assistant fixtures ------------------------------------------------------------------------------

SECRET_WORDS = re.compile(r"key|token|password|secret", re.I)
HOST_LIKE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^/@\s]*@)?([^/:\s]+)", re.I)


def _private(text: str) -> bool:
    """A URL or bare host naming a private, loopback or link-local address (fresh61's ``_internal_host`` on dotted or
    IPv6 literals and loopback names only: a single-label word is no host here)."""
    match = HOST_LIKE.match(text.strip())
    if not match or " " in text.strip():
        return False
    host = (urlsplit(text).hostname if "://" in text else match.group(1)) or ""
    if host.lower() in ("localhost",) or host.lower().endswith(".localhost"):
        return True
    if not re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host, re.I) or host.count(".") not in (0, 3) or ":" in host[:1]:
        return False
    return "." in host and bool(f61._internal_host(host))


def hass_fixtures(root: Path, older: set[str]) -> tuple[dict[str, list[dict[str, str]]], int]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    documents: list[dict[str, str]] = []
    seen = set(older)
    private = 0

    def visit(rel: str) -> Any:
        def inner(key: str, text: str) -> None:
            nonlocal private
            text = text.strip()
            if key.lower() in sc.SECRET_KEYS or SECRET_WORDS.search(key) or text in seen or not sc.keep_text(text):
                return
            if _private(text):
                private += 1
                return
            seen.add(text)
            found[sc.text_category(text)].append({"value": text, "source": f"{LABEL}/{rel.split('/')[0]}: {rel} {key}"})

        return inner

    for path in sorted(root.rglob("*.json")):
        rel = str(path.relative_to(root))
        doc = json.loads(path.read_text(encoding="utf-8"))
        sc.walk_strings(doc, "", visit(rel), ("first_name", "last_name"))
        text = json.dumps(doc, ensure_ascii=False)
        if len(text) <= MAX_DOC and text not in seen and "localhost" not in text:
            seen.add(text)
            documents.append({"value": text, "source": f"{LABEL}/{rel} body"})
    out = {f"hass_{cat}": sc.even(vals, CAP[cat]) for cat, vals in found.items() if vals}
    out["hass_documents"] = documents
    return out, private


def extract(root: Path) -> None:
    """The attack values from ``records.txt`` and the benign values from the fixtures folder."""
    sources, dropped = attack_records()
    benign, private = hass_fixtures(root, sc.older_benign(HERE))
    sc.write_split(
        HERE, SPLIT, (sources, dropped), HOW_READ, benign, {**BENIGN_SOURCES, "private_hosts_left_out": private}
    )


def build() -> list[dict[str, Any]]:
    corpus: list[dict[str, Any]] = sc.build_with_bodies(HERE, SPLIT, (("hass_documents", "documents", "json"),))
    return corpus


if __name__ == "__main__":
    sc.main(HERE, sys.argv[1:], extract, build)
