"""Evasion probe: mutate the attacks bastion catches the way bypass suites do, and count what slips through.

    PYTHONPATH=src:. python bench/waf/evasion.py [--splits dev,heldout] [--misses] [--seed 7]

1. The attack payloads of the main corpus (``attacks_<split>.json``) that bastion catches in the query
   location are kept, per class (what is missed in plain form is the corpus's business, not this probe's).
2. Each is rewritten by every class-appropriate evasion transform, as the tools do it: sqlmap's tamper scripts,
   XSS filter-evasion lists, commix's shell tricks, the traversal encodings of dotdotpwn, Log4Shell lookups,
   GoTestWAF-style URL-encoding layers. A transform returns ``(value, wire)``: ``wire`` means the value is
   already what goes on the wire in a query string (pre-encoded: ``%27``, ``+`` for a space) and is sent as is;
   otherwise it is what the application receives and the query carries it fully percent-encoded. In JSON and
   header locations the value is put verbatim (a pre-encoded value stays encoded, as the suites send it).
3. Every mutation is run through the waf at default settings (``bench.waf.bastion_verdicts``, requests built
   by ``bench.waf.build.place``) in the query, JSON and header locations; the table is the evasion rate per
   class x transform: mutated requests that pass / mutated requests sent.
4. The transforms that keep a benign value's meaning (URL-encoding layers, case toggling, blank changes) are run
   over the benign values of the same splits: a benign value must stay benign once encoded.

Deterministic: every random choice comes from ``random.Random`` seeded with ``--seed`` and the value's CRC.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import random
import re
import zlib
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import build  # run as a script: bench/waf is on sys.path
from bench.waf import bastion_verdicts

HERE = Path(__file__).resolve().parent
LOCS = ("query", "json", "header")
Mutation = tuple[str, bool]
Transform = Callable[[str, random.Random], "Mutation | None"]

# ---------------------------------------------------------------------------------------------- helpers

_WORD = re.compile(r"[A-Za-z_]+")
SQL_KEYWORDS = frozenset(
    "select union all from where and or order by group having insert update delete drop table exec waitfor delay "
    "sleep benchmark null not like concat char version user database limit offset into values case when then else "
    "end cast convert extractvalue updatexml pg_sleep information_schema xp_cmdshell if substring ascii".split()
)


def _pct(ch: str, upper: bool = True) -> str:
    return "".join(f"%{b:02X}" if upper else f"%{b:02x}" for b in ch.encode())


def _encode_all(value: str) -> str:
    return "".join(_pct(c) for c in value)


def _encode_specials(value: str, rng: random.Random | None = None) -> str:
    out = []
    for c in value:
        if c.isalnum() or c in "-_.~":
            out.append(c)
        else:
            out.append(_pct(c, upper=rng.random() < 0.5 if rng else True))
    return "".join(out)


def _wire_plain(value: str) -> str:
    """``value`` as a query-wire string: only what a URL cannot carry literally is encoded."""
    return quote(value, safe="!$'()*,/:;=?@[]~{}|^`\"<>\\")


def _randomcase(word: str, rng: random.Random) -> str:
    out = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in word)
    if out in (word.lower(), word.upper()) and len(word) > 1:
        out = word[0].upper() + word[1:].lower() if word[0].isalpha() else out
    return out


def _sql_words(value: str, fn: Callable[[str], str]) -> str:
    return _WORD.sub(lambda m: fn(m.group(0)) if m.group(0).lower() in SQL_KEYWORDS else m.group(0), value)


def _spaces(value: str, fn: Callable[[], str]) -> str | None:
    if " " not in value:
        return None
    return re.sub(" ", lambda m: fn(), value)


# ---------------------------------------------------------------------------------------------- generic

def url_all(v: str, r: random.Random) -> Mutation:
    return _encode_all(v), True


def url_specials_mixedcase(v: str, r: random.Random) -> Mutation:
    return _encode_specials(v, r), True


def url_double(v: str, r: random.Random) -> Mutation:
    return _encode_specials(_encode_specials(v)), True


def url_unicode(v: str, r: random.Random) -> Mutation:
    return "".join(c if c.isalnum() else f"%u{ord(c):04X}" for c in v), True


def url_double_value(v: str, r: random.Random) -> Mutation:
    """Double-encoded as GoTestWAF sends it to JSON and headers too: the app receives it encoded once."""
    return _encode_specials(v), False


GENERIC: dict[str, Transform] = {
    "url_all": url_all,
    "url_specials_mixedcase": url_specials_mixedcase,
    "url_double": url_double,
    "url_unicode(%u)": url_unicode,
    "url_once_in_value": url_double_value,
}

# ---------------------------------------------------------------------------------------------- sqli (tamper)


def space2comment(v: str, r: random.Random) -> Mutation | None:
    out = _spaces(v, lambda: "/**/")
    return (out, False) if out else None


def space2plus(v: str, r: random.Random) -> Mutation | None:
    return (_wire_plain(v).replace("%20", "+"), True) if " " in v else None


def space2randomblank(v: str, r: random.Random) -> Mutation | None:
    out = _spaces(v, lambda: r.choice(["\t", "\n", "\r", "\x0b", "\x0c"]))
    return (out, False) if out else None


def space2nbsp(v: str, r: random.Random) -> Mutation | None:
    """%A0 as a blank (MySQL on latin1 connections)."""
    return (_wire_plain(v).replace("%20", "%A0"), True) if " " in v else None


def space2hash(v: str, r: random.Random) -> Mutation | None:
    out = _spaces(v, lambda: "#" + "".join(r.choice("abcdefghij") for _ in range(4)) + "\n")
    return (out, False) if out and "#" not in v else None


def space2dash(v: str, r: random.Random) -> Mutation | None:
    out = _spaces(v, lambda: "--" + "".join(r.choice("abcdefghij") for _ in range(4)) + "\n")
    return (out, False) if out else None


def sql_randomcase(v: str, r: random.Random) -> Mutation | None:
    out = _sql_words(v, lambda w: _randomcase(w, r))
    return (out, False) if out != v else None


def versionedkeywords(v: str, r: random.Random) -> Mutation | None:
    out = _sql_words(v, lambda w: f"/*!{w}*/" if w.isalpha() else w)
    return (out, False) if out != v else None


def versionedmorekeywords(v: str, r: random.Random) -> Mutation | None:
    out = _sql_words(v, lambda w: f"/*!50000{w}*/")
    return (out, False) if out != v else None


def halfversionedmorekeywords(v: str, r: random.Random) -> Mutation | None:
    out = _sql_words(v, lambda w: f"/*!0{w}")
    return (out, False) if out != v else None


def between(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r"(\w+|'[^']*')\s*=\s*(\w+|'[^']*')", r"\1 BETWEEN \2 AND \2", v, count=1)
    out = re.sub(r"\s*>\s*(\w+)", r" NOT BETWEEN 0 AND \1", out)
    return (out, False) if out != v else None


def equaltolike(v: str, r: random.Random) -> Mutation | None:
    return (re.sub(r"\s*=\s*", " LIKE ", v), False) if "=" in v else None


def symboliclogical(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r"(?i)\s+and\s+", " && ", v)
    out = re.sub(r"(?i)\s+or\s+", " || ", out)
    return (out, False) if out != v else None


def apostrophemask(v: str, r: random.Random) -> Mutation | None:
    return (_wire_plain(v).replace("'", "%EF%BC%87"), True) if "'" in v else None


def apostrophenullencode(v: str, r: random.Random) -> Mutation | None:
    return (_wire_plain(v).replace("'", "%00%27"), True) if "'" in v else None


def unmagicquotes(v: str, r: random.Random) -> Mutation | None:
    if "'" not in v:
        return None
    wire = _wire_plain(v).replace("'", "%BF%27", 1)
    return wire, True


def chardoubleencode(v: str, r: random.Random) -> Mutation:
    return "".join(f"%25{b:02X}" for b in v.encode()), True


def sql_char_build(v: str, r: random.Random) -> Mutation | None:
    """String literals rebuilt with CHAR()/CONCAT (sqlmap's ``--no-escape`` off: 'abc' -> CHAR(97,98,99))."""
    out = re.sub(r"'([A-Za-z0-9:]{1,12})'", lambda m: "CHAR(" + ",".join(str(ord(c)) for c in m.group(1)) + ")", v)
    return (out, False) if out != v else None


def sql_hex_literal(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r"'([A-Za-z0-9:]{1,12})'", lambda m: "0x" + m.group(1).encode().hex(), v)
    return (out, False) if out != v else None


def percentage(v: str, r: random.Random) -> Mutation | None:
    """ASP's tamper: ``%`` before every letter of a keyword (``%S%E%L%E%C%T``), dropped by classic ASP."""
    out = _sql_words(v, lambda w: "".join("%" + c for c in w))
    return (_wire_plain(out).replace("%25", "%"), True) if out != v else None


SQLI: dict[str, Transform] = {
    "space2comment": space2comment,
    "space2plus": space2plus,
    "space2randomblank": space2randomblank,
    "space2nbsp(%A0)": space2nbsp,
    "space2hash": space2hash,
    "space2dash": space2dash,
    "randomcase": sql_randomcase,
    "versionedkeywords": versionedkeywords,
    "versionedmorekeywords": versionedmorekeywords,
    "halfversionedmorekeywords": halfversionedmorekeywords,
    "between": between,
    "equaltolike": equaltolike,
    "symboliclogical": symboliclogical,
    "apostrophemask": apostrophemask,
    "apostrophenullencode": apostrophenullencode,
    "unmagicquotes": unmagicquotes,
    "chardoubleencode": chardoubleencode,
    "char()_strings": sql_char_build,
    "hex_strings": sql_hex_literal,
    "percentage": percentage,
}

# ---------------------------------------------------------------------------------------------- xss

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
_HANDLER = re.compile(r"(\s|/)(on[a-z]+)(\s*=\s*)(['\"]?)([^'\">]*)", re.I)
_JS_URL = re.compile(r"javascript:", re.I)


def xss_case(v: str, r: random.Random) -> Mutation | None:
    out = _TAG.sub(lambda m: "<" + m.group(1) + _randomcase(m.group(2), r), v)
    out = re.sub(r"(?i)\bon[a-z]+(?=\s*=)", lambda m: _randomcase(m.group(0), r), out)
    out = _JS_URL.sub(lambda m: _randomcase("javascript", r) + ":", out)
    return (out, False) if out != v else None


def xss_slash_space(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r"(<[A-Za-z][A-Za-z0-9]*) +", r"\1/", v)
    return (out, False) if out != v else None


def xss_blank_space(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r"(<[A-Za-z][A-Za-z0-9]*) +", lambda m: m.group(1) + r.choice(["\t", "\n", "\x0c", "\r\n"]), v)
    out = re.sub(r"(on[a-z]+)=", lambda m: m.group(1) + r.choice(["\t", "\n", " "]) + "=", out)
    return (out, False) if out != v else None


def _entity(ch: str, style: str) -> str:
    return {
        "dec": f"&#{ord(ch)};",
        "dec_nosemi": f"&#{ord(ch)}",
        "dec_pad": f"&#{ord(ch):07d};",
        "hex": f"&#x{ord(ch):x};",
        "hex_nosemi": f"&#x{ord(ch):X}",
        "hex_pad": f"&#x{ord(ch):06x};",
    }[style]


def _attr_entities(style: str) -> Transform:
    def fn(v: str, r: random.Random) -> Mutation | None:
        def handler(m: re.Match[str]) -> str:
            code = m.group(5)
            # no semicolon: a following digit or letter would extend the reference
            enc = "".join(_entity(c, style) if c.isalpha() or c in "()" else c for c in code)
            if style.endswith("nosemi"):
                enc = "".join(_entity(c, style) for c in code)
            return m.group(1) + m.group(2) + m.group(3) + m.group(4) + enc

        out = _HANDLER.sub(handler, v)
        if out == v and "<" in v:
            out = re.sub(r"(?i)(href|src)=(['\"]?)javascript:([^'\">]*)",
                         lambda m: m.group(1) + "=" + m.group(2) + "".join(
                             _entity(c, style) for c in "javascript:" + m.group(3)), v)
        return (out, False) if out != v else None

    return fn


def xss_js_url_blank(v: str, r: random.Random) -> Mutation | None:
    if not _JS_URL.search(v):
        return None
    return _JS_URL.sub(lambda m: "java" + r.choice(["\t", "\n", "\r"]) + "script:", v), False


def xss_js_url_entity(v: str, r: random.Random) -> Mutation | None:
    if not _JS_URL.search(v):
        return None
    return _JS_URL.sub(lambda m: r.choice(["java&#x09;script&colon;", "jav&#x0A;ascript:", "&#106;avascript:",
                                            "java&Tab;script:"]), v), False


def xss_backtick(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r"\b(alert|prompt|confirm)\((\d*)\)", r"\1`\2`", v)
    return (out, False) if out != v else None


def xss_bracket_concat(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r"\b(alert|prompt|confirm)\(", lambda m: f'top["{m.group(1)[:2]}"+"{m.group(1)[2:]}"](', v)
    return (out, False) if out != v else None


def xss_js_unicode(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r"\b(alert|prompt|confirm)\(", lambda m: f"\\u{ord(m.group(1)[0]):04x}{m.group(1)[1:]}(", v)
    return (out, False) if out != v else None


def xss_eval_atob(v: str, r: random.Random) -> Mutation | None:
    m = re.search(r"\b(alert|prompt|confirm)\([^)]*\)", v)
    if not m:
        return None
    code = base64.b64encode(m.group(0).encode()).decode()
    return v[: m.start()] + f"eval(atob('{code}'))" + v[m.end():], False


XSS: dict[str, Transform] = {
    "case_toggle": xss_case,
    "tag_slash_for_space": xss_slash_space,
    "tag_blank_for_space": xss_blank_space,
    **{f"attr_entity_{s}": _attr_entities(s) for s in ("dec", "dec_nosemi", "dec_pad", "hex", "hex_nosemi",
                                                        "hex_pad")},
    "javascript_blank": xss_js_url_blank,
    "javascript_entity": xss_js_url_entity,
    "backtick_call": xss_backtick,
    "bracket_concat": xss_bracket_concat,
    "js_unicode_escape": xss_js_unicode,
    "eval_atob": xss_eval_atob,
}

# ---------------------------------------------------------------------------------------------- cmdi (commix)

_CMD_WORDS = ("cat", "id", "whoami", "ls", "nc", "sleep", "ping", "wget", "curl", "uname", "sh", "bash", "echo")
_CMD = re.compile(r"(?<![\w/.-])(" + "|".join(_CMD_WORDS) + r")(?![\w.-])")


def _cmd_words(v: str, fn: Callable[[str], str]) -> str | None:
    out = _CMD.sub(lambda m: fn(m.group(1)), v)
    return out if out != v else None


def cmd_ifs(style: str) -> Transform:
    def fn(v: str, r: random.Random) -> Mutation | None:
        body = v.lstrip()
        if " " not in body:
            return None
        lead = v[: len(v) - len(body)]
        return lead + body.replace(" ", style), False

    return fn


def cmd_quote_single(v: str, r: random.Random) -> Mutation | None:
    out = _cmd_words(v, lambda w: w[0] + "''" + w[1:] if len(w) > 1 else "'" + w + "'")
    return (out, False) if out else None


def cmd_quote_double(v: str, r: random.Random) -> Mutation | None:
    out = _cmd_words(v, lambda w: w[0] + '"' + w[1:2] + '"' + w[2:] if len(w) > 1 else '"' + w + '"')
    return (out, False) if out else None


def cmd_backslash(v: str, r: random.Random) -> Mutation | None:
    out = _cmd_words(v, lambda w: w[0] + "\\" + w[1:] if len(w) > 1 else "\\" + w)
    return (out, False) if out else None


def cmd_dollar_at(v: str, r: random.Random) -> Mutation | None:
    out = _cmd_words(v, lambda w: w[0] + "$@" + w[1:] if len(w) > 1 else w + "$@")
    return (out, False) if out else None


def cmd_wildcards(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r"/etc/passwd", "/e??/p?ss*", v)
    out = re.sub(r"(?<![\w/])cat(?=\s|\$)", "/???/c?t", out)
    out = re.sub(r"/bin/sh", "/b??/s?", out)
    return (out, False) if out != v else None


def cmd_brace(v: str, r: random.Random) -> Mutation | None:
    m = re.search(r"(?<![\w/.-])(" + "|".join(_CMD_WORDS) + r") ([^;|&`$()\s]+)", v)
    if not m:
        return None
    return v[: m.start()] + "{" + m.group(1) + "," + m.group(2) + "}" + v[m.end():], False


def cmd_backtick_swap(v: str, r: random.Random) -> Mutation | None:
    if "$(" in v:
        return re.sub(r"\$\(([^)]*)\)", r"`\1`", v), False
    if "`" in v:
        return re.sub(r"`([^`]*)`", r"$(\1)", v), False
    return None


def cmd_newline_sep(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r"\s*(;|&&|\|\||&|\|)\s*", "\n", v, count=1)
    return (out, False) if out != v else None


def cmd_pct0a_sep(v: str, r: random.Random) -> Mutation | None:
    wire = _wire_plain(v)
    out = re.sub(r"(%20)*(;|&&|\|\||&|\|)(%20)*", "%0a", wire, count=1)
    return (out, True) if out != wire else None


def cmd_base64_sh(v: str, r: random.Random) -> Mutation | None:
    m = re.search(r"(;|&&|\|\||&|\||\n)\s*(.+)$", v)
    if not m:
        return None
    code = base64.b64encode(m.group(2).encode()).decode()
    return v[: m.start(2)] + f"echo {code}|base64 -d|sh", False


CMDI: dict[str, Transform] = {
    "ifs_$IFS": cmd_ifs("$IFS"),
    "ifs_${IFS}": cmd_ifs("${IFS}"),
    "ifs_$IFS$9": cmd_ifs("$IFS$9"),
    "tab_for_space": cmd_ifs("\t"),
    "quote_single": cmd_quote_single,
    "quote_double": cmd_quote_double,
    "backslash": cmd_backslash,
    "dollar_at": cmd_dollar_at,
    "wildcards": cmd_wildcards,
    "brace_expansion": cmd_brace,
    "backtick<->$()": cmd_backtick_swap,
    "newline_sep": cmd_newline_sep,
    "%0a_sep": cmd_pct0a_sep,
    "base64_pipe_sh": cmd_base64_sh,
}

# ---------------------------------------------------------------------------------------------- traversal


def _dotdot(repl: str, wire: bool) -> Transform:
    def fn(v: str, r: random.Random) -> Mutation | None:
        if "../" not in v and "..\\" not in v:
            return None
        out = re.sub(r"\.\.[/\\]", lambda m: repl, v)
        if wire:
            out = re.sub(r"[^A-Za-z0-9%./\\_-]", lambda m: _pct(m.group(0)), out)
        return out, wire

    return fn


def trav_slash(repl: str, wire: bool) -> Transform:
    def fn(v: str, r: random.Random) -> Mutation | None:
        if "/" not in v:
            return None
        out = v.replace("/", repl)
        return out, wire

    return fn


TRAVERSAL: dict[str, Transform] = {
    "..%2f": _dotdot("..%2f", True),
    "..%5c": _dotdot("..%5c", True),
    "%2e%2e/": _dotdot("%2e%2e/", True),
    "%2e%2e%2f": _dotdot("%2e%2e%2f", True),
    "..%c0%af": _dotdot("..%c0%af", True),
    "%c0%ae%c0%ae/": _dotdot("%c0%ae%c0%ae/", True),
    "..%e0%80%af": _dotdot("..%e0%80%af", True),
    "%252e%252e%252f": _dotdot("%252e%252e%252f", True),
    "..%252f": _dotdot("..%252f", True),
    "%u002e%u002e/": _dotdot("%u002e%u002e/", True),
    "....//": _dotdot("....//", False),
    "..\\": _dotdot("..\\", False),
    "..;/": _dotdot("..;/", False),
    "./../": _dotdot("./../", False),
    "..//": _dotdot("..//", False),
    "all_slashes_backslash": trav_slash("\\", False),
}

# ---------------------------------------------------------------------------------------------- ssti/jndi/crlf/xxe


def ssti_inner_blank(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r"(\{\{|\$\{|#\{|<%=)\s*(.*?)\s*(\}\}|\}|%>)", r"\1 \2 \3", v)
    out = out.replace("{{ ", "{{\t").replace(" }}", "\n}}")
    return (out, False) if out != v else None


def ssti_attr_filter(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r"\.(__[a-z]+__)", r'|attr("\1")', v, count=1)
    return (out, False) if out != v else None


def ssti_hex_dunder(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r"\.(__[a-z]+__)", lambda m: '["' + m.group(1).replace("_", "\\x5f") + '"]', v)
    return (out, False) if out != v else None


def ssti_concat_dunder(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r"\.(__[a-z]+__)", lambda m: '["' + m.group(1)[:4] + '"+"' + m.group(1)[4:] + '"]', v)
    return (out, False) if out != v else None


def ssti_print_stmt(v: str, r: random.Random) -> Mutation | None:
    m = re.fullmatch(r"\{\{(.*)\}\}", v)
    return ("{%print(" + m.group(1) + ")%}", False) if m else None


SSTI: dict[str, Transform] = {
    "inner_blanks": ssti_inner_blank,
    "|attr()": ssti_attr_filter,
    "\\x5f_dunder": ssti_hex_dunder,
    "concat_dunder": ssti_concat_dunder,
    "{%print%}": ssti_print_stmt,
}


def _jndi(fn: Callable[[str, random.Random], str]) -> Transform:
    def t(v: str, r: random.Random) -> Mutation | None:
        m = re.search(r"\$\{jndi:", v, re.I)
        if not m:
            return None
        return v[: m.start()] + "${" + fn("jndi", r) + ":" + v[m.end():], False

    return t


JNDI: dict[str, Transform] = {
    "${lower:j}": _jndi(lambda w, r: "".join("${lower:" + c + "}" for c in w)),
    "${upper:j}": _jndi(lambda w, r: "${upper:j}${upper:n}di"),
    "${::-j}": _jndi(lambda w, r: "".join("${::-" + c + "}" for c in w)),
    "${env:X:-j}": _jndi(lambda w, r: "${env:NOPE:-j}nd${env:NOPE:-i}"),
    "${date:'j'}": _jndi(lambda w, r: "${date:'j'}${date:'n'}di"),
    "case_JnDi": _jndi(lambda w, r: "JnDi"),
    "${sys:x:-j}": _jndi(lambda w, r: "${sys:nope:-j}${sys:nope:-n}${sys:nope:-d}${sys:nope:-i}"),
    "nested_${${::-j}}": _jndi(lambda w, r: "${${::-j}${::-n}${::-d}${::-i}}"[2:-1]),
}

_CRLF_WIRE = re.compile(r"(?i)%0d%0a|%0a|%0d|\r\n|\n|\r|\u2028|%E5%98%8A%E5%98%8D")


def _crlf(repl: str) -> Transform:
    def t(v: str, r: random.Random) -> Mutation | None:
        if not _CRLF_WIRE.search(v):
            return None
        wire = _CRLF_WIRE.sub(repl, v)
        wire = re.sub(r"[ <>\"]", lambda m: _pct(m.group(0)), wire)
        return wire, True

    return t


CRLF: dict[str, Transform] = {
    "%E5%98%8A%E5%98%8D": _crlf("%E5%98%8A%E5%98%8D"),
    "%0a_only": _crlf("%0a"),
    "%0d_only": _crlf("%0d"),
    "%250d%250a": _crlf("%250d%250a"),
    "%u000d%u000a": _crlf("%u000d%u000a"),
    "%c0%8d%c0%8a": _crlf("%c0%8d%c0%8a"),
    "%0D%0A_upper": _crlf("%0D%0A"),
}


def xxe_blanks(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r"(<!(?:DOCTYPE|ENTITY)) ", lambda m: m.group(1) + r.choice(["\n", "\t", "\r\n  "]), v)
    return (out, False) if out != v else None


def xxe_public(v: str, r: random.Random) -> Mutation | None:
    out = re.sub(r'SYSTEM (["\'])', r'PUBLIC "-//x//EN" \1', v)
    return (out, False) if out != v else None


def xxe_param_entity(v: str, r: random.Random) -> Mutation | None:
    m = re.search(r'<!ENTITY (\w+) SYSTEM ("[^"]*")>', v)
    if not m:
        return None
    return v[: m.start()] + f'<!ENTITY % {m.group(1)} SYSTEM {m.group(2)}> %{m.group(1)};' + v[m.end():], False


XXE: dict[str, Transform] = {
    "decl_blanks": xxe_blanks, "SYSTEM->PUBLIC": xxe_public, "parameter_entity": xxe_param_entity,
}

BY_CLASS: dict[str, dict[str, Transform]] = {
    "sqli": SQLI, "xss": XSS, "cmdi": CMDI, "traversal": TRAVERSAL, "ssti": SSTI, "jndi": JNDI, "crlf": CRLF,
    "xxe": XXE,
}

BENIGN_SAFE: dict[str, Transform] = {
    **GENERIC,
    "space2plus": space2plus,
    "case_toggle_words": lambda v, r: (re.sub(r"[A-Za-z]+", lambda m: _randomcase(m.group(0), r), v), False),
    "tab_for_space": lambda v, r: (v.replace(" ", "\t"), False) if " " in v else None,
    "html_escape": lambda v, r: (html.escape(v), False) if html.escape(v) != v else None,
}
"""Transforms a benign value survives with its meaning: an application that decodes it reads the same text."""

# ---------------------------------------------------------------------------------------------- runner


def _request(value: str, wire: bool, loc: str, cls: str, n: int) -> dict[str, Any]:
    field = build._field(cls) if cls != "benign" else "comment"
    req = build.place("x", loc, cls, n, field) if loc == "query" else build.place(value, loc, cls, n, field)
    if loc == "query":
        encoded = value if wire else quote(value, safe="")
        encoded = re.sub(r"[^\x21-\x7e]", lambda m: quote(m.group(0), safe=""), encoded).replace("#", "%23")
        req["target"] = f"/api/v1/orders?page=1&{field}={encoded}"
    elif loc == "header" and wire is False:
        pass
    return req


def _rng(seed: int, *parts: str) -> random.Random:
    return random.Random(seed * 1_000_003 + zlib.crc32("\x00".join(parts).encode()))


def probe(splits: list[str], seed: int, misses: bool) -> dict[str, Any]:
    attacks: dict[str, list[str]] = defaultdict(list)
    benign: list[str] = []
    for split in splits:
        for cls, payloads in json.loads((HERE / f"attacks_{split}.json").read_text()).items():
            attacks[cls].extend(payloads)
        doc = json.loads((HERE / f"benign_{split}.json").read_text())
        benign.extend(v for vs in build._benign_values(doc).values() for v in vs)

    plain = []
    for cls, payloads in attacks.items():
        for i, p in enumerate(payloads):
            plain.append({"id": f"plain|{cls}|{i}", **_request(p, False, "query", cls, i)})
    caught_ids = {k for k, v in bastion_verdicts(plain).items() if v}
    caught = {cls: [p for i, p in enumerate(ps) if f"plain|{cls}|{i}" in caught_ids] for cls, ps in attacks.items()}

    items: list[dict[str, Any]] = []
    meta: dict[str, tuple[str, str, str, str]] = {}
    n = 0
    for cls, payloads in caught.items():
        for tname, fn in {**GENERIC, **BY_CLASS.get(cls, {})}.items():
            for i, p in enumerate(payloads):
                mut = fn(p, _rng(seed, cls, tname, p))
                if mut is None:
                    continue
                for loc in LOCS:
                    n += 1
                    rid = f"a|{cls}|{tname}|{i}|{loc}"
                    items.append({"id": rid, **_request(mut[0], mut[1], loc, cls, n)})
                    meta[rid] = (cls, tname, loc, mut[0])
    benign_plain = [{"id": f"bp|{i}", **_request(v, False, "query", "benign", i)} for i, v in enumerate(benign)]
    benign_ok = {i for i, v in enumerate(benign) if not bastion_verdicts(benign_plain).get(f"bp|{i}")}
    for tname, fn in BENIGN_SAFE.items():
        for i, v in enumerate(benign):
            if i not in benign_ok:
                continue
            mut = fn(v, _rng(seed, "benign", tname, v))
            if mut is None:
                continue
            for loc in LOCS if not mut[1] or tname.startswith("url") else ("query",):
                n += 1
                rid = f"b|benign|{tname}|{i}|{loc}"
                items.append({"id": rid, **_request(mut[0], mut[1], loc, "benign", n)})
                meta[rid] = ("benign", tname, loc, mut[0])
    verdicts = bastion_verdicts(items)

    table: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for rid, (cls, tname, loc, value) in meta.items():
        row = table[(cls, tname)]
        row[0] += 1
        bad = (not verdicts[rid]) if cls != "benign" else bool(verdicts[rid])
        row[1] += bad
        if bad and misses:
            print("MISS" if cls != "benign" else "FP  ", cls, tname, loc, repr(value)[:140])
    return {"caught": {c: (len(caught[c]), len(attacks[c])) for c in attacks}, "table": table}


def render(result: dict[str, Any]) -> str:
    lines = ["| class | plain payloads caught in query | transform | mutated requests | passed | evasion rate |",
             "|---|---|---|---|---|---|"]
    per_class: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (cls, tname), (sent, passed) in sorted(result["table"].items()):
        caught = result["caught"].get(cls)
        cell = f"{caught[0]}/{caught[1]}" if caught else "-"
        rate = f"{100 * passed / sent:.1f} %" if sent else "-"
        lines.append(f"| {cls} | {cell} | {tname} | {sent} | {passed} | {rate} |")
        per_class[cls][0] += sent
        per_class[cls][1] += passed
    lines += ["", "| class | mutated requests | passed (benign: flagged) | rate |", "|---|---|---|---|"]
    for cls, (sent, passed) in sorted(per_class.items()):
        lines.append(f"| {cls} | {sent} | {passed} | {100 * passed / sent:.1f} % |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--splits", default="dev,heldout")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--misses", action="store_true", help="list each mutated attack that passed")
    parser.add_argument("--summary", action="store_true", help="only the per-class totals")
    args = parser.parse_args()
    text = render(probe(args.splits.split(","), args.seed, args.misses))
    print(text.split("\n\n", 1)[1] if args.summary else text)


if __name__ == "__main__":
    main()
