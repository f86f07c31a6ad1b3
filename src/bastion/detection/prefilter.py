"""The multi-pattern prefilter: one pass over a value says which analysers are worth running.

Each attack class has a *trigger*: a pattern every payload of that class must contain (a quote or
``;`` for SQL, ``<`` or a script scheme for XSS, ``${`` for JNDI …). All triggers are compiled once
into a single Hyperscan database, which scans a value in one pass whatever the number of rules,
without backtracking. Where Hyperscan is not installed (it is x86-only), Python's ``re`` runs each
trigger in turn: the same answers, just a cost that grows with the rule count.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import threading
from bisect import bisect_right
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from bastion.detection.cmd_grammar import trigger as cmd_grammar_trigger
from bastion.detection.cmd_lone import trigger as lone_command_trigger
from bastion.detection.cmd_spelled import trigger as spelled_command_trigger
from bastion.detection.commands import trigger as bare_command_trigger
from bastion.detection.device_files import TRIGGER as DEVICE_FILE_TRIGGER
from bastion.detection.doc_exec import trigger as doc_command_trigger
from bastion.detection.eval_sinks import trigger as eval_sink_trigger
from bastion.detection.exchange_routing import trigger as exchange_route_trigger
from bastion.detection.identifier_slots import TRIGGER as IDENTIFIER_SLOT_TRIGGER
from bastion.detection.inclusion_targets import trigger as inclusion_target_trigger
from bastion.detection.jolokia import TRIGGER as JOLOKIA_TRIGGER
from bastion.detection.js_breakouts import TRIGGER as JS_BREAKOUT_TRIGGER
from bastion.detection.language_exec import trigger as language_exec_trigger
from bastion.detection.ldap_fragments import TRIGGER as LDAP_FRAGMENT_TRIGGER
from bastion.detection.lone_probes import trigger as lone_probe_trigger
from bastion.detection.mail_words import trigger as split_address_trigger
from bastion.detection.node_serialize import trigger as node_serialize_trigger
from bastion.detection.orm_filters import trigger as orm_trigger
from bastion.detection.php_breakouts import trigger as php_breakout_trigger
from bastion.detection.php_concat import trigger as concat_call_trigger
from bastion.detection.probe_chains import trigger as probe_chain_trigger
from bastion.detection.proxy_target import trigger as proxy_target_trigger
from bastion.detection.runtime_paths import trigger as runtime_path_trigger
from bastion.detection.sandbox_escapes import SSTI_TRIGGER as sandbox_ssti_trigger
from bastion.detection.scanner_agents import TRIGGER as SCANNER_TRIGGER
from bastion.detection.scanner_probes import SSTI_TRIGGER as scanner_ssti_trigger
from bastion.detection.scanner_probes import trigger as scanner_probe_trigger
from bastion.detection.scripted import trigger as scripted_trigger
from bastion.detection.shell_expansion import trigger as expansion_trigger
from bastion.detection.shell_fragments import REDIRECT_TRIGGER
from bastion.detection.shell_lines import TRIGGER as BINARY_PATH_TRIGGER
from bastion.detection.shell_refs import trigger as shell_ref_trigger
from bastion.detection.signatures import SYSTEM_DIRECTORY_TRIGGER
from bastion.detection.ssrf import OOB_DOMAINS
from bastion.detection.thinkphp import TRIGGER as THINKPHP_TRIGGER
from bastion.detection.webshell_writes import TRIGGER as SCRIPT_WRITE_TRIGGER
from bastion.detection.windows_paths import TRIGGER as MACHINE_CONFIG_TRIGGER

log = logging.getLogger("bastion.detection")

_CONTROL_WORDS = (rb"(select|union|insert|update|delete|drop|from|where|having|exec|declare|into|and|x?or|not|like"
                  rb"|order|group)")
"""SQL keywords that a control character standing for a blank touches (``sqli._CONTROL_GLUED``); NUL, which joins a
batch of values, and the vertical tab and form feed of text only count on both sides."""

TRIGGERS: dict[str, bytes] = {
    "sqli": rb"['\"`;]|union|sleep|benchmark|extractvalue|updatexml|load_file|xp_cmdshell|dbms_|utl_"
            rb"|randomblob|gtid_subset|name_const|json_keys|exp\s*\(|(^|\x00)[\s(+\-]*(\.?\d[\w.]*[^\w.\x00]|select|\$[a-z_]{0,16}\$)|/\*"
            rb"|(^|\x00)[\s(]*(and|or|xor|where|having|order|group|as|rlike|regexp|if|except|intersect|&&|\|\|)[\s(]"
            rb"|(and|or|xor|where|when|having)\s+\(*\s*\w+\s*(=|like)|lo_get|current_setting|pg_read|pg_ls_dir"
            rb"|[(,]\s*\d+\s*=\s*\d|@@\w|(^|\x00)\s*(declare|exec|execute|print)[\s(]|(asc|desc)\s*(--|#|/\*)"
            rb"|information_schema|waitfor\s+(delay|time)|outfile|dumpfile|\*/|[>\s(]select\s+-?\d+\s*[-+*/]"
            rb"|(and|or|xor|&&|\|\|)\s*[-+~!(]*\s*(\d|pi|cos|sin|tan|cot|floor|ceil|abs|sqrt|ln|log|exp|round|sign|ord"
            rb"|ascii|length|char_length)[^=<>\x00]{0,60}[=<>]|(^|\x00)\s*\)|\(\s*select|(chr|char)\s*\(\s*\d"
            rb"|\)\s*=\s*[a-z_]\w*\s*\("
            rb"|(rownum|rowid|ctid|sysdate|(sys|local)timestamp|current_(user|date|time)|session_user|system_user)\s*="
            rb"|(cvar|cdbl|cint|clng|csng|cbool|cbyte|ccur|cdate|cdec|cstr|atn|iif|last_insert_rowid|sqlite_version"
            rb"|total_changes|last_insert_id|connection_id|found_rows|row_count|pg_backend_pid|txid_current"
            rb"|current_database|rawtohex|lnnvl)\s*\(|\xe2\x80[\xb2\xb3\x98\x99\x9b\x9c\x9d\x9f]|\xca\xbc|\xef\xbc[\x82\x87]"
            rb"|exec(ute)?\s*\(?\s*@[a-z_]"
            rb"|(concat|concat_ws|char|unhex|load_file|convert)\s*\(\s*0x[0-9a-f]{6}"
            rb"|concat(_ws)?\s*\([^()\x00]{0,200}?\b0x[0-9a-f]{2}"  # sqli._CATALOG_CONCAT (fresh70)
            rb"|\([\s(]{0,4}/{1,2}[\w*@]"  # xpath_unions.xpath_probe (fresh70)
            rb"|0x[0-9a-f]{2,4}\s*\)\s*[=<>]"  # sqli_whole._char_code_oracle (fresh70)
            rb"|(^|\x00)\s*,\s*(find_in_set|make_set|export_set|elt|field|group_concat|substring_index|extractvalue"
            rb"|updatexml)\s*\("
            rb"|procedure\s+analyse|(version|database|user|schema)\s*\(\s*\)\s*[,)]|\)\s*::\s*(int|integer|bigint|smallint|numeric)\b"
            rb"|(then|else)\s+(\w+\s*\(\s*)?-?\d+\s*/\s*0"
            rb"|case\s+when\s+\(*\s*(not\s+)?(true|false)\b"
            rb"|(^|\x00|[\w)'])(#|--)\w*\n|--\s*sp_password|(^|\x00)\s*\*\s*from\s"
            rb"|(^|\x00)\s*(drop|truncate|alter)\s+(temporary\s+)?(table|database|schema|function|procedure|trigger"
            rb"|login|sequence)\s|\sexec(ute)?\s+(master\W+\w*\W+)?(xp|sp)_"
            rb"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]" + _CONTROL_WORDS + rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
            rb"|[\x01-\x08\x0e-\x1f\x7f]" + _CONTROL_WORDS + rb"|" + _CONTROL_WORDS + rb"[\x01-\x08\x0e-\x1f\x7f]"
            + rb"|" + orm_trigger(),
    "xss": rb"<|[a-z](&tab;|&newline;)[a-z]"
           rb"|\+\[\]|\xc2\xbc/?[a-z]|['\"`]|\$\{|s\s*c\s*r\s*i\s*p\s*t|data\s*:|:\s*expression"
           rb"|(alert|confirm|prompt)\s*\)?\s*[(`.?\]]|(eval|function)\s*\(|document\s*[\[.]"
           rb"|(window|top|self|parent|globalthis|frames|this)\s*\["
           rb"|(^|\x00)\s+(src|href|action|formaction|data|srcdoc|xlink:href)\s*="
           rb"|\\[0-7]{3}\\[0-7]{3}|\\[ac-eg-mo-qswyz:(][^\\\x00]{0,3}\\[ac-eg-mo-qswyz:(]|\\0?7[46]"
           rb"|(^|\x00)\s*expression\s*\(|mocha:"  # script_links (fresh54): a whole CSS expression(, Netscape's mocha:
           rb"|onerror\s*=|=\s*(alert|confirm|prompt|eval)\s*[,;}]|\(\s*(alert|confirm|prompt|eval)\s*[,)]"
           rb"|constructor\s*\.\s*constructor|\d\.\.tostring\s*\(|import\s*\("
           rb"|(settimeout|setinterval|execscript)\s*\("  # js_indirect._DOM_SOURCE_EVAL (fresh67)
           rb"|(document|window|self|top|parent|globalthis|frames)\s*/\*|-moz-binding|behavior\s*:\s*url"
           rb"|(^|\x00)[\w.-]*(\*/)?\s*;\s*[a-z_$][\w$]*\s*\."
           rb"|(a[\t\n\r]*l[\t\n\r]*e[\t\n\r]*r[\t\n\r]*t|c[\t\n\r]*o[\t\n\r]*n[\t\n\r]*f[\t\n\r]*i[\t\n\r]*r[\t\n\r]*m"
           rb"|p[\t\n\r]*r[\t\n\r]*o[\t\n\r]*m[\t\n\r]*p[\t\n\r]*t|e[\t\n\r]*v[\t\n\r]*a[\t\n\r]*l)[\t\n\r]*[(`]"
           rb"|,\s*(alert|confirm|prompt|eval|settimeout|setinterval|function)\s*\)"
           rb"|(^|\x00)\s*((window|self|top|document|body)\s*\.\s*)?on[a-z]{3,}\s*=\s*(async\s*)?(function|\(|[\w$]+\s*=>)",
    "cmdi": rb"[;|&\n\r`]|\^\s*[a-z/]|\$\(|<!--#"
            rb"|<\s*cfexecute|cfexecute\s*\("  # cfml (doc_exec has the DDE() function with no pipe)
            rb"|createobject\s*\(\s*['\"]java|<\s*cfobject\b"  # cfml.cf_java_object (fresh75)
            rb"|with\(|callee\s*\.\s*caller|import\s*\("  # node_escape
            rb"|!!python/|!ruby/|-exec\s|execute\s*\(|resume\s+next|\(\s*\)\s*\{|<\?|\{\$|\$\{@|\$_[a-z]+\s*\["
            rb"|(system|exec|spawn|passthru|popen|phpinfo|eval|assert)\s*\("
            rb"|/dev/(tcp|udp)/|[\s\\:+]!\s*[a-z/]|(^|\x00)!|(sh|busybox)[\s,]+-c[\s,]|[a-z](''|\"\")[a-z]"
            rb"|(^|\x00)\s*(time|nohup|setsid|nice|timeout|xargs|env|stdbuf|strace|watch|flock|cpulimit|chroot|sudo)\s"
            rb"|-[a-z]*[ec]\s*['\"]?(/[\w/]*/)?((ba|z|k|da)?sh|cmd|powershell)\b|(^|\x00)\s*['\"]\s*[;&|]*\s*[a-z]"
            rb"|(^|\x00)\s*(net|reg|netsh)(\.exe)?\s+(user|localgroup|add|delete|advfirewall|firewall)\s"
            rb"|<<-|\d<>|\s\d{1,2}[<>]|\}[<>]"
            rb"|<<<|child_process|process\s*\.\s*(mainmodule|binding)|(^|\x00)\s*(\d?>>?/|[12]>)|(^|\x00)\s*[a-z]*\{[^{}\s:]*,"
            rb"|(^|\x00)\s*[a-z/]+(('[a-z/]*'|\"[a-z/]*\"|\\|\$[@*!?$_-]|\$\{\}|``|[<>]\(\))[a-z/]*)+(\s+[-/$~.'\"]|\s*(\x00|$)|[;|&])"
            rb"|(^|\x00)\s*(\\[a-z]){3}"  # shell._split_command: \u\n\a\m\e, every letter escaped (fresh34)
            rb"|[a-z]\$(\{ifs\}|ifs)|\$[@*!?$_-][a-z]|[<>]\(\)[a-z]|[<>]\(\s*[a-z_]|\$[a-z_]\w*\s+-"
            rb"|%[a-z_]\w*:~-?\d|-o\s*['\"]?(proxy|local)command"
            rb"|while\s*\(\s*(true|1|!0)\s*\)\s*\{|(^|\x00)[\s\d'\";|&]*(while\s*\(|for\s*\(\s*;)"
            rb"|process\s*\.\s*(exit|kill|abort|reallyexit|chdir|setuid|setgid|dlopen)\s*\("
            rb"|require\s*\(\s*['\"`](node:)?(fs|child_process|net|vm|os|http)['\"`]"
            rb"|(^|\x00)[\s\d'\"]*(print|echo|response\.write|thread\.sleep)|__import__|new\s+date\s*\(\s*\)\s*;?\s*\}\s*while"
            rb"|ping(\.exe)?\s+-[ncs]|(^|\x00)\s*(/[a-z]\s+){0,4}/[ck]\s+[a-z]"
            rb"|cmd(\.exe)?[ \t]*[,;=][ \t,;=]*/[ck][ \t,;=]"  # cmd_breakouts.delimited_cmd_run (fresh80)
            rb"|dup2\s*\(|pty\.spawn|/inet/tcp/|tcpclient|fsockopen|telnetd\s"
            rb"|socat\s[^\x00]*(exec|system):"
            rb"|(^|\x00)\s*[\w{}$]*/[\w./$?*\[\]{}'\"!-]*[?*'\"][\w./$?*\[\]{}'\"!-]*(\s|\x00|$|[;|&)`])"
            rb"|(^|\x00)\s*\\[nr]|\\[nr]\s*(\x00|$)|\$\{[a-z_]\w*(:\s*\d*\s*:\s*1\s*\}|//?[^}\x00]{1,60}/\})|php:function"
            rb"|\$'\\[0-7x]|(^|\x00)\s*['\"]?-(-(upload-pack|receive-pack|exec|checkpoint-action|use-compress-program"
            rb"|to-command|rsh|rsync-path|ssh-command|open-files-in-pager|config)|c\s*['\"]?core\.)"
            rb"|java\.lang\.(processbuilder|runtime|thread|system|class|classloader|reflect\.[\w$]+)[\"']"
            rb"|" + bare_command_trigger() + rb"|" + scripted_trigger() + rb"|" + cmd_grammar_trigger()
            + rb"|" + lone_command_trigger() + rb"|" + spelled_command_trigger()
            + rb"|" + language_exec_trigger() + rb"|" + eval_sink_trigger() + rb"|xsl/transform"  # xslt.extension_call
            + rb"|" + doc_command_trigger() + rb"|" + expansion_trigger() + rb"|" + node_serialize_trigger()
            + rb"|" + THINKPHP_TRIGGER + rb"|" + SCRIPT_WRITE_TRIGGER  # fresh49
            + rb"|" + lone_probe_trigger() + rb"|" + concat_call_trigger()  # fresh47
            + rb"|" + scanner_probe_trigger()  # fresh50
            + rb"|" + shell_ref_trigger()  # fresh56
            + rb"|" + probe_chain_trigger()  # fresh58
            + rb"|" + REDIRECT_TRIGGER + rb"|" + BINARY_PATH_TRIGGER  # fresh64
            + rb"|" + php_breakout_trigger(),  # fresh73
    "traversal": rb"\.\.|etc[/\\]|proc[/\\]|win|boot\.ini|web-inf|web\.config|inetpub|[/\\]\.|://|\xe2\x88\x95|\xe2\x81\x84"
                 rb"|(?:^|\x00)\s*\\\\|/[\w.?*]*[?*][\w.?*]*/[\w.?*]+|/[\w?*]+/[\w.]*[?*]|etc\$|system32"
                 rb"|(?:^|\x00)\s*/(?:sys|boot|root|var/log|var/lib/[mp]?locate|(?:var/)?run/secrets|var/spool"
                 rb"|var/mail)/|0x2e0x2e|data:(?:application|text)/x-(?:httpd-)?php|[/\\]repair[/\\]"
                 rb"|%(?:systemroot|windir)%|\.ssh[/\\]|unattend|sysprep|tomcat-users|wp-config|[/\\]sess_"
                 rb"|(?:access|error)[_.-]?log|pearcmd(?:\.php)?&"
                 rb"|etc(?:%|[^\w\s/])[^\s\x00]*(?:passwd|shadow|group|hosts|issue|sudoers)|system\.ini"
                 rb"|(?:\.[a-z][a-z0-9]{0,7}|(?:[/\\]|%(?:25)*(?:2f|5c))[\w.+@~-]{0,255})(?:%(?:25)*00|\\x00|\\u0000)"
                 rb"|/[\w.+@~-]+\\0(?:[^1-7]|$)"  # signatures._BACKSLASH_ZERO_AFTER_PATH (fresh63)
                 rb"|" + inclusion_target_trigger() + rb"|" + MACHINE_CONFIG_TRIGGER + rb"|" + DEVICE_FILE_TRIGGER
                 + rb"|" + SYSTEM_DIRECTORY_TRIGGER  # fresh60
                 + rb"|" + runtime_path_trigger(),  # fresh58
    "ssrf": rb":[/\\]|" + JOLOKIA_TRIGGER + rb"|" + exchange_route_trigger() + rb"|" + proxy_target_trigger()
            + rb"|169\.254\.169\.254|169\.254\.170\.2|100\.100\.100\.200|192\.0\.0\.192|fd00:ec2::254"
            rb"|168\.63\.129\.16|fd00:a9fe:a9fe::1|rancher-metadata"
            rb"|metadata\.(google\.internal|goog|azure\.com|tencentyun\.com|packet\.net|platformequinix\.com|cloud\.ibm\.com)"
            rb"|\.(" + "|".join(re.escape(d) for d in OOB_DOMAINS).encode() + rb")"
            rb"|(https?|wss?|ftp):[@\d\[]|(^|\x00)\s*[/\\]{2}|(^|\x00|/)\s*(127|169|0+(177|251)|0x0*(7f|a9))(\.|\xe3\x80\x82|\xef\xbc\x8e|\xef\xbd\xa1)",
    "nosqli": rb"\$|this\.|['\"]\s*(;|\|\||&&)|db\.|[;{]\s*sleep\s*\(|(^|\x00)\s*(-?[\d.]+\s*)?;\s*return\b"
              rb"|\}\s*,\s*\{\s*['\"]?[\w$]+['\"]?\s*:\s*/"
              rb"|[;}]\s*return\b[^;\n\x00]*;\s*(var|let|const)\s"
              + rb"|" + orm_trigger(),
    "ldapi": rb"\)\s*\(|\(\s*[|&!]|objectclass|\*\s*\)\s*\)|\*\s*\(\s*\)|:\d+\.\d+\.\d+[\d.]*:="
             rb"|\*[\s()]*[|&!]|[|&!][\s()]*\*|[\w.@-]\*(\x00|$)|(^|\x00)\*|(\)|%29)(\x00|%00)|(^|\x00)\s*\(\*\*"
             + rb"|" + LDAP_FRAGMENT_TRIGGER,  # fresh61
    "xxe": rb"<!|:include|xmlns:xi|utf-7|!entity|schemalocation|xsl/transform"  # xslt.local_document
           rb"|<\s*(xsl:result-document|redirect:(open|write))\s",
    "ssti": rb"\{\{|\{%|\$\{|#\{|\*\{|@\{|~\{|<%|\[\[|[<\[]#|<!--\s*#|#set|#foreach|\$class|\{php\}|\{system|\{exec"
            rb"|\{\$smarty|\{if|@\(|@system\.|\{[#@=]?\s*\d+\s*\*\s*\d|\{@\w|\{math\s"
            rb"|t\s*\(\s*(java|javax|jdk|sun|org|com)\.|(''|\"\")\s*\.\s*(class|getclass)|forname\s*\("
            rb"|memberaccess|@ognl\.|@[a-z_]\w*\.[\w.]*@|\{\*|#(evaluate|include|parse|define)\s*\("
            rb"|%\{\s*[#(]|#(context|request|session|application|attr|parameters)\s*\[|\(\s*#\w+\s*="
            rb"|[$#](\\[a-z]){1,4}\{|runphp|__(globals|builtins|mro|subclasses)__|getruntime\s*\(\s*\)\s*;"
            rb"|\{var\s+\$|\|\s*cat\s*:|\?\s*new\s*\("  # template_exprs: Latte {var}, Smarty |cat:, FreeMarker ?new()
            rb"|(^|\x00)\s*['\"]\s*\]\s*\["  # shortcodes: a quote and ] that end a shortcode, then another
            rb"|gettype\s*\(\s*\)\s*\.\s*assembly"  # template_exprs: .NET reflection from a string literal
            rb"|" + scanner_ssti_trigger + rb"|" + sandbox_ssti_trigger  # fresh52
            + rb"|" + IDENTIFIER_SLOT_TRIGGER  # fresh55
            + rb"|" + JS_BREAKOUT_TRIGGER,  # fresh64: js_breakouts
    "jndi": rb"\$\{|jndi",
    "crlf": rb"[\r\n\x0b\x0c\x8a\x8d]|\xe2\x80[\xa8\xa9]|\xc2\x85|\\[rn]|" + split_address_trigger(),
    "proto": rb"__proto__|prototype|class\s*[.\[]|\$(_?proto__|onstructor|rototype)",  # fresh53: proto_paths
    "scanner": SCANNER_TRIGGER,
}


class Run(NamedTuple):
    """A trigger that is a run of at least ``length`` bytes of ``alphabet`` (caseless), reported as ``name``."""

    name: str
    alphabet: bytes
    length: int


class Prefilter:
    """``scan(value)``: the class names whose trigger occurs in ``value``. ``scan_many(values)``: the
    same for many NUL-free ASCII values in one pass (joined with NUL, which no trigger spans).

    ``run``, a trigger that is a long run of one alphabet (unmarked base64), is looked for with ``bytes.translate``
    and ``find`` instead of Hyperscan: as an automaton with no literal to anchor on, it kept a state live at every
    byte of a long alphanumeric value and cost as much as every other trigger together (about 6 of 13 µs on the
    gateway bench's 2 KB POST with a bearer token; 1.5 µs this way)."""

    def __init__(self, triggers: Mapping[str, bytes], *, use_hyperscan: bool = True, run: Run | None = None) -> None:
        self.names = list(triggers)
        self.backend = "re"
        self._db: Any = None
        self._run = run
        self._run_table = bytes(0x61 if chr(i).lower().encode() in run.alphabet.lower() and i < 128 else 0
                                for i in range(256)) if run is not None else b""
        self._run_needle = b"a" * run.length if run is not None else b""
        """One database for both scans (``HS_FLAG_SINGLEMATCH`` would need a second one: ``scan_hits`` needs every
        match to tell the joined values apart). A second compile doubled the engine's start-up (1.4 s each, the
        bulk of the gateway's and the demo's start), to save callbacks on the few values scanned alone."""
        if use_hyperscan:
            self._db = _compile_hyperscan(list(triggers.values()))
            if self._db is not None:
                self.backend = "hyperscan"
        self._res = [re.compile(p, re.I | re.S) for p in triggers.values()]
        self._owner = threading.get_ident()
        self._local = threading.local()

    def _scratch(self) -> Any:
        """The Hyperscan scratch space for this thread: ``None`` (the database's own) on the thread that built the
        prefilter, a clone of it kept per thread on any other. A scratch serves one scan at a time, and the scan
        releases the GIL, so the waf's large-body inspector thread and the event loop must not share one."""
        if threading.get_ident() == self._owner:
            return None
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = self._db.scratch.clone()
        return scratch

    def scan(self, value: str) -> set[str]:
        data = value.encode("utf-8", "surrogatepass")
        if self._db is not None:
            found: set[int] = set()

            def on_match(pid: int, start: int, end: int, flags: int, ctx: object) -> None:
                found.add(pid)

            self._db.scan(data, match_event_handler=on_match, scratch=self._scratch())
            out = {self.names[i] for i in found}
        else:
            out = {name for name, rx in zip(self.names, self._res, strict=True) if rx.search(data)}
        if self._run is not None and self._run_needle in data.translate(self._run_table):
            out.add(self._run.name)
        return out

    def scan_many(self, values: list[str]) -> list[set[str]]:
        hits = self.scan_hits(values)
        return [hits.get(i, set()) for i in range(len(values))]

    def scan_hits(self, values: list[str]) -> dict[int, set[str]]:
        """Like ``scan_many``, but only the indexes of values that matched: most values match nothing."""
        if self._db is None or len(values) < 2:
            return {i: hit for i, v in enumerate(values) if (hit := self.scan(v))}
        starts: list[int] = []
        pos = 0
        for v in values:
            starts.append(pos)
            pos += len(v) + 1
        found: dict[int, set[str]] = {}
        names = self.names

        def on_match(pid: int, start: int, end: int, flags: int, ctx: object) -> None:
            index = bisect_right(starts, end - 1) - 1
            if index in found:
                found[index].add(names[pid])
            else:
                found[index] = {names[pid]}

        data = "\x00".join(values).encode("ascii")
        self._db.scan(data, match_event_handler=on_match, scratch=self._scratch())
        if self._run is not None:
            self._runs(data, starts, found)
        return found

    def _runs(self, data: bytes, starts: list[int], found: dict[int, set[str]]) -> None:
        """Add the run trigger's name to the values of ``data`` (joined at ``starts``) that hold a run."""
        assert self._run is not None
        name, needle = self._run.name, self._run_needle
        mapped = data.translate(self._run_table)
        pos = mapped.find(needle)
        while pos != -1:
            index = bisect_right(starts, pos) - 1
            found.setdefault(index, set()).add(name)
            if index + 1 >= len(starts):
                break
            pos = mapped.find(needle, starts[index + 1])


def _compile_hyperscan(patterns: list[bytes]) -> Any:
    try:
        import hyperscan
    except ImportError:
        log.info("hyperscan not installed: the WAF prefilter uses re (cost grows with rule count)")
        return None
    flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_DOTALL
    key = hashlib.sha256(repr((patterns, flags, getattr(hyperscan, "__version__", ""))).encode()).hexdigest()
    if (cached := _load_cached(hyperscan, key)) is not None:
        return cached
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        db.compile(expressions=patterns, ids=list(range(len(patterns))), elements=len(patterns),
                   flags=[flags] * len(patterns))
    except Exception:  # hyperscan.error on an unsupported CPU or pattern: fall back, never fail closed at load
        log.warning("hyperscan failed to compile the WAF prefilter; using re", exc_info=True)
        return None
    _store_cached(hyperscan, key, db)
    return db


def cache_dir() -> Path:
    """Where compiled prefilter databases are kept: ``$BASTION_CACHE_DIR``, else ``$XDG_CACHE_HOME/bastion``, else
    ``~/.cache/bastion``.

    Compiling the database took 2.0 of the demo's 3.4 s start-up, and the time grows with every trigger. A
    database is stored under the SHA-256 of its patterns, flags and the Hyperscan version, so a changed trigger is
    compiled afresh. Hyperscan checks on loading that the database was built for this CPU (else it is compiled
    again). The folder must belong to this user and be writable by nobody else, and so must the file, as for
    Python's own bytecode cache: a database another user could write is not loaded. Any failure to read or write
    the cache only costs the compile."""
    if env := os.environ.get("BASTION_CACHE_DIR"):
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bastion"


def _private(path: Path) -> bool:
    st = path.stat()
    return st.st_uid == os.geteuid() and not st.st_mode & 0o022


def _load_cached(hyperscan: Any, key: str) -> Any:
    path = cache_dir() / f"prefilter-{key}.hsdb"
    try:
        if not path.is_file() or not _private(path.parent) or not _private(path):
            return None
        db = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        db.scratch = hyperscan.Scratch(db)
        return db
    except Exception:  # unreadable, corrupt or built for another CPU: compile instead
        log.info("cached WAF prefilter database not usable; compiling it", exc_info=True)
        return None


def _store_cached(hyperscan: Any, key: str, db: Any) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
            return
        data = hyperscan.dumpb(db)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".prefilter-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, folder / f"prefilter-{key}.hsdb")
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # a read-only home, a full disk: the next start compiles again
        log.info("could not cache the WAF prefilter database", exc_info=True)
