"""The small probes active scanners send to learn whether a value is evaluated (fresh50: bbot's lightfuzz, boofuzz's
string library, pocsuite3's Struts2 and ThinkPHP PoCs). Each is harmless-looking on its own and none is what a person
types:

- Struts OGNL arithmetic ``%{53921+81433}`` (``struts_arithmetic``, ssti): ``%{…}`` is also Ruby's named format
  placeholder, but a placeholder holds a name, never two numbers and an operator (``ognl_exprs`` reads the
  expressions that reach the runtime);
- a template expression glued between the digits of a number, ``1,787{{z}},569`` (``glued_template``, ssti): bbot's
  probe for engines that render an unknown name as nothing, so the number reads whole; text puts a placeholder
  after a blank or a sign, not inside a number;
- a ``javascript:`` (or ``vbscript:``, fresh59) URL that is the whole value and names one identifier
  (``javascript:k3Rb9xQa``; ``js_probe``, xss): the scheme runs whatever follows, ``xss`` wants a call;
- a JavaScript string break-out for escapers that add a backslash but leave the backslash alone (``a\\';zzzzz(x)\\``,
  ``a\\";f(x)``; ``js_probe``, xss): a backslash, a quote, ``;`` and a call glued to its name; text and JSON escape
  quotes inside strings, not before a statement;
- a lone control tool after or before a command separator or a line break (``;notepad;``, ``\\nreboot``, ``id|``;
  ``control_command``, cmdi): the whole value is nothing but a separator and a tool that reboots the host, opens a
  window or prints the user (``id|`` alone is a table cell, as fresh46 decided);
- a comment close followed by a SELECT of constants only (``*/ select 1,0x2720…,3,4,5-- -``; ``split_select``, sqli):
  the second half of a UNION that a comment spans (ECShop's serialized Referer puts ``' union /*`` after it); SQL
  that selects nothing but three or more literal columns right after a comment is a column-count probe;
- ThinkPHP's controller invocation (``s=index/\\think\\app/invokefunction``, ``function=call_user_func_array&vars[0]=
  phpinfo``; ``thinkphp_call``, cmdi): a framework route that calls any PHP function by name.

Every pattern is anchored or bounded and has no nested quantifier over overlapping classes: linear in the value.
"""

from __future__ import annotations

import re

_STRUTS_ARITHMETIC = re.compile(r"%\{\s*[-+]?\d{1,18}\s*[-+*/%]\s*[-+]?\d{1,18}\s*\}")
_GLUED_TEMPLATE = re.compile(r"\d\{\{\s*[a-z_]\w{0,30}\s*\}\}\s*[,.]?\d", re.I)
_SCRIPT_URL = re.compile(r"\s*(?:java|vb)script\s*:\s*[a-z_$][\w$]{0,63}(?:\.[a-z_$][\w$]{0,63}){0,4}\s*;?\s*", re.I)
_STRING_BREAKOUT = re.compile(r"\\['\"]\s*;\s*[a-z_$][\w$.]{0,40}\(", re.I)
"""A call glued to its name (``f(x)``): prose puts a blank before a parenthesis (``then (leave)``)."""
CONTROL_TOOLS = frozenset({"reboot", "poweroff", "halt", "shutdown", "notepad", "notepad.exe", "calc.exe", "whoami",
                           "id", "uname", "ifconfig", "ipconfig", "netstat", "hostname", "dmesg", "printenv"})
"""Tools a probe runs for their effect or their output alone; each needs a separator or line break beside it."""
COLUMN_WORDS = frozenset({"id", "hostname"})
"""Tools that are also column names: with only a separator after them (``id|``, a table header cell; fresh46's
look-alike) they are text, so they need a separator or line break before them."""
_SEPARATORS = r"(?:;|&&|\|\||\||&|\r|\n)"
_CONTROL = re.compile(
    r"[ \t]*(" + _SEPARATORS + r"[ \t]*)*([a-z][\w.]{0,15})(?:[ \t]+-{1,2}[a-z][\w-]{0,15})*[ \t]*((?:;|&&|\|\||\||&)"
    r"[ \t]*)*[\r\n]*", re.I)
_CONSTANT = r"(?:-?\d{1,20}|0x[0-9a-f]{1,4000}|null)"
_SPLIT_SELECT = re.compile(r"\*/\s*select\s+" + _CONSTANT + r"(?:\s*,\s*" + _CONSTANT + r"){2,40}\b", re.I)
_THINKPHP = re.compile(
    r"\\think\\[\w\\]{1,60}/invokefunction\b"
    r"|(?:^|[&?])function=(?:call_user_func(?:_array)?|system|exec|passthru|shell_exec|assert)&vars\[", re.I)


def struts_arithmetic(value: str) -> tuple[int, int] | None:
    """The span of ``%{n op m}``, or ``None``."""
    if "%{" not in value:
        return None
    m = _STRUTS_ARITHMETIC.search(value)
    return m.span() if m else None


def glued_template(value: str) -> tuple[int, int] | None:
    """The span of ``d{{name}}d``, or ``None``."""
    if "{{" not in value:
        return None
    m = _GLUED_TEMPLATE.search(value)
    return m.span() if m else None


def js_probe(value: str) -> tuple[int, int] | None:
    """A whole-value ``javascript:name``/``vbscript:name`` URL or a backslash-quote string break-out, or ``None``."""
    if ("cript" in value or "CRIPT" in value) and _SCRIPT_URL.fullmatch(value):
        return 0, len(value)
    if "\\" in value and (m := _STRING_BREAKOUT.search(value)):
        return m.span()
    return None


def control_command(value: str) -> tuple[int, int] | None:
    """The whole value when it is a control tool with a separator or line break before or after it, else ``None``."""
    if len(value) > 64 or (value.strip(" \t;|&\r\n").split(None, 1) or [""])[0].lower() not in CONTROL_TOOLS:
        return None  # the one word first: most values are not a control tool, and this is cheaper than the regex
    m = _CONTROL.fullmatch(value)
    if m is None or m.group(2).lower() not in CONTROL_TOOLS or not (m.group(1) or m.group(3)):
        return None
    if not m.group(1) and m.group(2).lower() in COLUMN_WORDS:
        return None
    return 0, len(value)


def split_select(value: str) -> tuple[int, int] | None:
    """The span of ``*/ select`` and three or more constant columns, or ``None``."""
    if "*/" not in value:
        return None
    m = _SPLIT_SELECT.search(value)
    return m.span() if m else None


def thinkphp_call(value: str) -> tuple[int, int] | None:
    """The span of a ThinkPHP ``invokefunction`` route or its ``function=…&vars[`` call, or ``None``."""
    if "hink" not in value and "unction=" not in value:
        return None
    m = _THINKPHP.search(value)
    return m.span() if m else None


def trigger() -> bytes:
    """The prefilter pattern for the cmdi shapes (``\\x00`` joins the values of a batch scan)."""
    tools = "|".join(re.escape(t) for t in sorted(CONTROL_TOOLS)).encode()
    return (rb"(?:^|\x00)[ \t]*[;|&\r\n][ \t;|&\r\n]*(?:" + tools + rb")|(?:^|\x00)[ \t]*(?:" + tools
            + rb")[ \t]*[;|&]|\\think\\|function=(?:call_user_func|system|exec|passthru|shell_exec|assert)")


SSTI_TRIGGER = rb"%\{\s*[-+]?\d"
"""What ``struts_arithmetic`` needs beyond the ssti trigger (``{{`` is in it already)."""
