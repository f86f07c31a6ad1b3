"""fresh73: the injected values of the Metasploit Framework's Unix web-application exploits and HTTP scanner modules
(rapid7/metasploit-framework ``modules/exploits/unix/webapp/`` and ``modules/auxiliary/scanner/http/``), against the
recorded device and service answers Home Assistant's integration tests replay (``tests/components/<integration>/
fixtures/*.json`` of sensibo, sfr_box, smlight, sonarr, spotify, swiss_public_transport, tado, tautulli, tessie,
tplink_omada and tractive).

    python bench/waf/fresh73/build.py                         # writes corpus.jsonl
    python bench/waf/fresh73/build.py --extract HA_FIXTURES   # re-selects the values first

``HA_FIXTURES`` is a folder ``<integration>/<file>.json`` holding the fixture files listed in ``FIXTURES``, each read
from home-assistant/core through the code-search index (read_file; the commit and index file id of the version read
are in ``FIXTURES`` and ``sources.json``) and stored as parsed JSON (whitespace is not significant).

Attack payloads (what was read, and how). Both folders were listed with find_files (the index names only the first 100
files of each: 212 and 468 in all). Every listed module was looked at by name; each whose request carries an injected
value (PHP code, OS command, SQL, traversal/file inclusion, template expression, XXE, SSI) was read whole through the
code-search index and the value rebuilt as the module builds it, transcribed in ``records.txt`` (``@@ source`` line per
module and request: repository, file and request, commit, licence, family, kind; its header says how values are
decoded and which payloads and random parts were fixed). Left out, with a note (``NOTES``): upload-only modules (the
payload is a file's bytes), default-credential and login scanners, memory-corruption and denial-of-service modules,
remote file inclusion of the operator's own URL, base64- or rot13-wrapped and serialized-object payloads (no class of
ours sees inside them), bare commands sent to a field that runs commands by design (an authenticated admin feature),
version and banner scanners, and the modules fresh49 and fresh18 read. Values already in an older split (attacks or
corpus) or repeated are dropped and listed in ``sources.json``.

Each value is sorted by its family's rule (``classify``; rules fixed before measuring): fresh61's rules (loaded from
``fresh61/build.py``) with these additions:

- ``sql``: also a statement that reads ``information_schema``, calls ``pg_sleep`` or holds ``UNION [ALL] SELECT``
  (fresh68's additions) or opens a subquery ``(select``.
- ``command``: fresh61's rule as it stands.
- ``file`` (``traversal``): at least two ``..`` path segments (``/`` or ``\\`` separators, so Windows and mixed forms
  count), looked for in the value and in the value percent-decoded once more (the double-encoded climbs Flink and
  Apache 2.4.50 decode themselves). A single climb (``/vpn/../vpns/``) is left out.
- ``ssti``: fresh61's delimiters, a Template Toolkit directive ``[% ... %]``, or a Velocity reference reflecting into
  Java (``$name.getClass()``).
- ``xxe``: fresh61's rule.
- ``php`` (``cmdi``): an opening tag ``<?php``/``<?=``, a call of a PHP function that runs code or commands or prints
  (``system``, ``passthru``, ``exec``, ``shell_exec``, ``popen``, ``proc_open``, ``eval``, ``assert``, ``phpinfo``,
  ``printf``, ``print``, ``include``, ``require``, ``file_put_contents``, ``base64_decode``, ``usleep``), an execution
  function named as a callback value or path segment (``=passthru&``, ``/passthru/``), a Drupal render-array callback
  key (``[#post_render]``, ``[#pre_render]``, ``[#lazy_builder]``), or a PHP-CGI ``-d`` directive that turns on
  remote inclusion or prepends a file (``allow_url_include``, ``auto_prepend_file``).
- ``ssi`` (``cmdi``): a server-side include exec directive ``<!--#exec``.

Benign values (rules fixed before measuring). Every fixture in ``FIXTURES`` (integration and file order), with every
subtree under a secret key removed first (``split_corpus.SECRET_KEYS`` and keys ending in ``token`` or holding
``secret``, ``password`` or ``serial``: tokens, serial numbers) and every string value that is, or is a URL whose host
is, a loopback, private or link-local address removed (an SSRF guard rightly refuses those; counted in
``sources.json``). Every remaining string kept by ``keep_text``, by ``text_category`` (``ha_urls``, ``ha_prose``,
``ha_names``, ``ha_codes``; at most ``CAP`` per category at an even stride); each pruned fixture whole as a JSON body
(``ha_documents``) and each object that is an element of a list in it whole as a JSON body (``ha_items``, at most
``MAX_ITEMS`` at an even stride). Values an older split holds, and values holding ``localhost``, are left out. Split
name ``fresh73``.
"""

from __future__ import annotations

import ipaddress
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
f68 = sc.load_build("fresh68")  # fresh68's SQL additions

SPLIT = "fresh73"
CAP = {"names": 600, "prose": 600, "urls": 300, "codes": 800}
MAX_ITEMS = 400
LABEL = "home-assistant/core tests/components"
HOW_READ = (
    "Metasploit modules read by path through the code-search index (read_file; commit per source) after listing both "
    "folders with find_files; the injected values rebuilt as each module builds them and transcribed in records.txt "
    "(raw, %-encoded, query-string and JSON-literal forms, decoded once as the application receives them) and sorted "
    "by build.py's classify (see its docstring)"
)
NOTES = [
    (
        "unix/webapp upload-only modules: arkeia_upload_exec, asset-manager_upload_exec, bolt_file_upload, "
        "bolt_authenticated_rce, clipbucket_upload_exec, egallery_upload_exec, flashchat_upload_exec, "
        "get_simple_cms_upload_exec, havalite_upload_exec, joomla_comjce_imgmanager, joomla_media_upload_exec, "
        "joomla_tinybrowser, jquery_file_upload, libretto_upload_exec, maarch_letterbox_file_upload, "
        "maarch_letterbox_unrestricted_file_upload, moinmoin_twikidraw, open_flash_chart_upload_exec, "
        "openemr_upload_exec, openx_banner_edit, oscommerce_filemanager, php_wordpress_foxypress, "
        "php_wordpress_infusionsoft",
        "the payload is an uploaded file's bytes (upload-only: not read beyond the name, or read and found so)",
    ),
    (
        "unix/webapp remote file inclusion: base_qry_common, mambo_cache_lite, php_include, "
        "google_proxystylesheet_exec",
        "the injected value is the operator's own URL serving the payload (a public URL; no class of ours)",
    ),
    (
        "unix/webapp serialized or wrapped payloads: cakephp_cache_corruption (rot13 serialized object), "
        "drupal_sa_core_2019_003 (GuzzleHttp serialized object), drupal_restws_unserialize, horde_unserialize_exec, "
        "invision_pboard_unserialize_exec, joomla_akeeba_unserialize, kaltura_unserialize_rce, graphite_pickle_exec, "
        "drupal_coder_exec (data:// URL with a base64 serialized config), php_eval's header (the PHP payload itself)",
        "object injection or a base64/rot13-wrapped payload: no class of ours sees inside it",
    ),
    (
        "unix/webapp bare commands in a command field: generic_exec (CMDURI cmd=id), fusionpbx_exec_cmd_exec (exec.php "
        "cmd), nextcloud_workflows_rce (workflow operation), openmediavault_auth_cron_rce (cron command), "
        "alienvault_sqli_exec's exec_command, freepbx args alone",
        "a bare command where the authenticated feature runs commands by design: only the application could tell",
    ),
    (
        "unix/webapp backdoors and credentials: caidao_php_backdoor_exec, carberp_backdoor_exec, "
        "metasploit_webui_console_command_execution, ajenti_auth_username_cmd_exec, joomla_akeeba_exec, "
        "gitea_git_fetch_rce",
        "a backdoor's own parameter, a console the operator is logged into, or a repository-mirror flow: not read",
    ),
    (
        "unix/webapp nagios3_history_cgi",
        "memory corruption (an overlong host name), no injected value",
    ),
    (
        "scanner/http login, version, enumeration and disclosure scanners in the listing (advantech_webaccess_login, "
        "apache_nifi_*, appletv_login, axis_login, azure_ad_login, buffalo_login, buildmaster_login, "
        "bavision_cam_login, "
        "caidao_bruteforce_login, chef_webui_login, ciscoace_login, cisco_*_login/asdm/firepower/ironport/ssl_vpn, "
        "dlink_*_http_login, dolibarr_login, dvwa_login, directadmin_login, ... cert, crawler, dir_listing, "
        "dir_scanner, brute_dirs, backup_file, backup_scanner, copy_of_file, docker_*, coldfusion_version, "
        "cold_fusion_version, dell_idrac, chromecast_*, canon_wireless, cnpilot_r_web_login_loot, "
        "concrete5_member_list, "
        "concrete_cms_file_usage_disclosure, drupal_views_user_enum, dolibarr_16_contact_dump, ektron_cms400net, "
        "ca_ehealth_enum, binom3_login_config_pass_dump, bmc_trackit_passwd_reset, audiobookshelf_auth_bypass, "
        "backdrop_salesforce_csrf, cisco_ios_auth_bypass, cisco_ssl_vpn_priv_esc, citrix_bleed_cve_2023_4966, "
        "citrix_netscaler_cve_2026_3055, apache_activemq_source_disclosure, apache_userdir_enum, cisco_device_manager, "
        "cisco_secure_desktop, dlink_user_agent_backdoor)",
        "default credentials, logins, version banners, enumeration, memory disclosure, auth bypass: no injected value",
    ),
    (
        "scanner/http denial of service and memory corruption: apache_byterange_dos, apache_optionsbleed, "
        "allegro_rompager_misfortune_cookie, elasticsearch_memory_disclosure",
        "no injected value (a header flood, a method probe, an overlong cookie index, a memory read)",
    ),
    (
        "scanner/http dir_webdav_unicode_bypass, elasticsearch_tika_xfa_xxe",
        "an overlong-UTF-8 authentication bypass of a directory name; an XXE carried inside a base64 PDF in JSON",
    ),
    (
        "scanner/http log4shell_scanner; exploits/multi/http (fresh49); exploits/linux/http (another helper)",
        "read by an older split or by another split of this round",
    ),
    (
        "Rex/PHPInclude payload bodies (the PHP the operator's server answers with), php_eval's X- header value",
        "the payload the application fetches or receives whole as code by design, not an injected parameter",
    ),
]
FIXTURES: list[tuple[str, str, str, str]] = [
    # (integration, file, commit of the version read, index file id)
    ("sensibo", "me.json", "61e3fa506d6cea21bb7fbbae014dca3ccee386e3", "839272976"),
    ("sfr_box", "dsl_getInfo.json", "ba8025ed87619b3ef5f0b139df8c26cb6caf3a13", "1127131465"),
    ("sfr_box", "ftth_getInfo.json", "ad7a6045013c77e03b43cbf553cadb3e98451ba8", "64656904"),
    ("sfr_box", "system_getInfo.json", "e50cd1f8715181c1677729d9bfe1f48a3705b182", "961205569"),
    ("sfr_box", "voip_getInfo.json", "2e309c78ee90479ef89ce0adc885afbb6e448602", "53688587262"),
    ("sfr_box", "voip_get_call_history_list.json", "5bf56496ed85287ac4482831b898edb9de5cea3c", "54667456474"),
    ("sfr_box", "wan_getInfo.json", "554cbbda926afbdcf20b426bcb3c74bc5a80c0e9", "588984973"),
    ("smlight", "esp_firmware.json", "0b4595b57199dc8005276a15634892e8e945d0f2", "1109738224"),
    ("smlight", "info.json", "11abaeb2499812d7cda811ca76c63897c8a227b7", "435679126"),
    ("smlight", "sensors.json", "2c5075c84af2e202787b729368c9b00f687581c2", "24423486"),
    ("smlight", "zb_firmware.json", "6c57ed2f3b56d838b98a09f7ff10eb7882e20b72", "9713793407"),
    ("sonarr", "calendar.json", "321d24d6d21f3e7d459f99fb9ee714865bbd7984", "266075926"),
    ("sonarr", "diskspace.json", "5f4ed4fb92e7add6c00829dc34594c9db3c450e7", "378119331"),
    ("sonarr", "queue.json", "76d5262caa7a3cf96134806d85bbd29cd1f000f4", "27789721966"),
    ("sonarr", "series.json", "7012ff80da14a953cabb5c054a765343eb0a2a8f", "2018392259"),
    ("sonarr", "system-status.json", "1e58f4aa84682750b913a83e5fdb88d70fd90aac", "588864128"),
    ("spotify", "categories.json", "4026d96c3a9a26b2da4fc7a5d67bbb6f9a04526b", "199910248"),
    ("spotify", "current_user.json", "650ae442e14b68a5fd8ef588814823cb13570ca1", "1202964354"),
    ("spotify", "devices.json", "e82e3ef586d47d9b16ca78a8036b4422ec991045", "515815387"),
    ("spotify", "featured_playlists.json", "2ab9a6ff6241b4760b4045a7128687e860fc294f", "512142772"),
    ("spotify", "saved_shows.json", "59de6725d22b9c8797a187f7e2d598375bd372c4", "29256242568"),
    ("swiss_public_transport", "connections.json", "3a9678fd00475cccba0dab09aa3fe30dfac2f5e8", "3200706178"),
    ("tado", "add_readings_invalid_meter_reading.json", "c4718eb67da3958884421925ebbbe5db6add2c65", "656668564"),
    ("tado", "heating_circuits.json", "7c5da48e5c3b25e0f44038b8e31ec972ffc703e3", "57639189908"),
    ("tado", "home.json", "5fe8f35ccf3ea82b2832f812e0e6efdbf8fc798d", "496060184"),
    ("tado", "me.json", "08361f8f986d30f89e2b0a241f4b7feb0579419a", "110319277"),
    ("tado", "mobile_devices.json", "8f37ada6d46b0c91e7e8f20233a40cfe8fed78b2", "8064407531"),
    ("tado", "smartac3.cool_mode.json", "08361f8f986d30f89e2b0a241f4b7feb0579419a", "562735150"),
    ("tado", "weather.json", "188b40114aa8c6888ef39472f8239622a73f96e2", "634427786"),
    ("tautulli", "get_activity.json", "254ffd12d32951c5069d450ad7437ff41ec6cc9c", "566348276"),
    ("tautulli", "get_users.json", "afc7b9aa724c4e08eb7b0cfc4c0db39137e96286", "963889839"),
    ("tessie", "battery.json", "841faa3bc4541c5dd3b8cae1e532f8eb93e8b900", "17297367626"),
    ("tessie", "site_info.json", "de899ffa61020aee13b74ce4a08f327f45d209f2", "926671009"),
    ("tessie", "weather.json", "4e3ebd1ed57b83d91c101d393f7a6c44d578eb1b", "9115852459"),
    ("tplink_omada", "controller-info.json", "b137d5c26cc9165ba3d08c8afe6989c130fd8e80", "56363277616"),
    (
        "tplink_omada",
        "firmware-update-54-AF-97-00-00-01.json",
        "76d5262caa7a3cf96134806d85bbd29cd1f000f4",
        "17285422169",
    ),
    ("tplink_omada", "vpn-policies.json", "cf86cad7643cd554f4354f70547d98a794d9ac76", "56500421485"),
    ("tractive", "trackable_object.json", "0b3d33ea871b58dd7616cd6fc6fdd058fe075c15", "7561513065"),
    ("tractive", "tracker_details.json", "1c44d4ae08d9f1e56dbefde32f2bac0a5ffbd993", "36662075932"),
    ("tractive", "tracker_hw_info.json", "1c44d4ae08d9f1e56dbefde32f2bac0a5ffbd993", "36538602995"),
    ("tractive", "tracker_pos_report.json", "1c44d4ae08d9f1e56dbefde32f2bac0a5ffbd993", "36556058995"),
]
BENIGN_SOURCES: dict[str, Any] = {
    "package": "home-assistant/core tests/components/<integration>/fixtures/*.json, read through the code-search index "
    "(read_file): 41 recorded device and cloud-service answers of 11 integrations (sensibo, sfr_box, smlight, sonarr, "
    "spotify, swiss_public_transport, tado, tautulli, tessie, tplink_omada, tractive); commit and index file id per "
    "file in 'fixtures'",
    "licence": "Apache-2.0 (home-assistant/core LICENSE.md); the answers are the test fixtures' own data",
    "what": "string values by text_category (secret subtrees and private-address values removed), whole fixtures and "
    "list-element objects as JSON bodies",
    "fixtures": [
        {"integration": i, "file": f"tests/components/{i}/fixtures/{f}", "commit": c, "index_file_id": fid}
        for i, f, c, fid in FIXTURES
    ],
}

# --- reading records.txt ---------------------------------------------------------------------------------------------


def _decode(kind: str, line: str) -> str:
    """A value as ``records.txt`` holds it: ``R`` raw, ``U`` %-decoded, ``Q`` %-decoded with '+' a space, ``J`` JSON."""
    if kind == "R":
        return line
    if kind == "U":
        return unquote(line)
    if kind == "Q":
        return unquote_plus(line)
    return str(json.loads(line))


# --- the rules -------------------------------------------------------------------------------------------------------

SUBQUERY = re.compile(r"\(\s*+select\b", re.I)
CLIMB = re.compile(r"(?:^|[/\\])\.\.(?=[/\\])")
TEMPLATE_MORE = re.compile(r"\[%.+?%\]|\$\w++\.getClass\(\)", re.S)
PHP = re.compile(
    r"<\?(?:php\b|=)|\b(?:system|passthru|exec|shell_exec|popen|proc_open|eval|assert|phpinfo|printf|print|include|"
    r"require|file_put_contents|base64_decode|usleep)\s*+\(|(?:^|[=/])(?:passthru|system|exec|shell_exec|assert)(?=[&/]|$)|"
    r"\[#(?:post_render|pre_render|lazy_builder)\]|-d\s++(?:allow_url_include|auto_prepend_file)=",
    re.I,
)
SSI = re.compile(r"<!--#exec\b", re.I)


def _climbs(value: str) -> int:
    return max(len(CLIMB.findall(value)), len(CLIMB.findall(unquote(value))))


def classify(family: str, value: str) -> tuple[str, str]:
    """(class, "") for an attack; ("", why) for a value left out."""
    if family == "sql":
        if f61.SQL.search(value) or f68.SQL_MORE.search(value) or SUBQUERY.search(value):
            return "sqli", ""
        return "", "no clause, comment, statement or subquery after a quote or number"
    if family == "file":
        return ("traversal", "") if _climbs(value) >= 2 else ("", "fewer than two climbs")
    if family == "ssti":
        if f61.TEMPLATE.search(value) or TEMPLATE_MORE.search(value):
            return "ssti", ""
        return "", "no template expression"
    if family == "php":
        return ("cmdi", "") if PHP.search(value) else ("", "no PHP code, callback or directive")
    if family == "ssi":
        return ("cmdi", "") if SSI.search(value) else ("", "no SSI exec directive")
    cls, rule = f61.RULES[family]
    why: str = rule(value)
    return (cls, "") if not why else ("", why)


def attack_records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The sources with their classified values, and the values left out."""
    sources = sc.read_family_records(HERE / "records.txt", _decode)
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


# --- benign: the Home Assistant fixtures ------------------------------------------------------------------------------


def _secret_key(key: str) -> bool:
    k = key.lower()
    return k in sc.SECRET_KEYS or k.endswith("token") or any(w in k for w in ("secret", "password", "serial"))


def _private_host(text: str) -> bool:
    """The value is, or is a URL whose host is, a loopback, private, link-local or unspecified address."""
    host = urlsplit(text).hostname if "://" in text else text.strip()
    try:
        addr = ipaddress.ip_address((host or "").strip("[]"))
    except ValueError:
        return False
    return addr.is_loopback or addr.is_private or addr.is_link_local or addr.is_unspecified


def _prune(node: Any, removed: list[str]) -> Any:
    """``node`` without secret subtrees and private-address strings (each removal noted in ``removed``)."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if _secret_key(str(k)) or (isinstance(v, str) and _private_host(v)):
                removed.append(str(k))
                continue
            out[k] = _prune(v, removed)
        return out
    if isinstance(node, list):
        kept = [v for v in node if not (isinstance(v, str) and _private_host(v))]
        removed.extend("list item" for _ in range(len(node) - len(kept)))
        return [_prune(v, removed) for v in kept]
    return node


def ha_fixtures(root: Path, older: set[str]) -> tuple[dict[str, list[dict[str, str]]], dict[str, int]]:
    found: dict[str, list[dict[str, str]]] = {"urls": [], "prose": [], "names": [], "codes": []}
    documents: list[dict[str, str]] = []
    items: list[dict[str, str]] = []
    seen = set(older)
    removed: list[str] = []
    for integration, name, _commit, _fid in FIXTURES:
        rel = f"{integration}/fixtures/{name}"
        doc = _prune(json.loads((root / integration / name).read_text(encoding="utf-8")), removed)
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
    secret = sum(1 for k in removed if _secret_key(k))
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
