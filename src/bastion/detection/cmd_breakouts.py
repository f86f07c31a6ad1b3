"""Command lines that follow a break-out out of the argument they were sent in, in the shapes scanners send.

- A cmd.exe (or POSIX) command line after a closing quote or a separator, that comments out the rest of the
  application's line: ``"&del\\x0bq26193259&rem\\x0b``, ``ping;-w;11000;-n;1;1.2.3.4|rem;``, ``';rm q89385457 #``.
  cmd.exe splits arguments on ``;``, ``,``, ``=``, tab, vertical tab and form feed as well as the space, and a
  ``&rem``/``|rem`` (or a shell's trailing `` #``) ends the line there. The grammar: a start, a quote or a separator
  (``&``, ``|``, ``;``, ``,``, a line break), a known command word, at most a few arguments, then ``&rem`` (or, after
  a quote or a separator, `` #`` ending the value, or an output redirection to a file ending it:
  ``foo" || echo db 4d 5a … >>file``). Prose has no ``&rem``, and a sentence that ends in ``#`` does not open with a
  quote and a command word.
- PHP code that leaves a string, an array key or a function body and calls a shell-out function:
  ``".system('…').``, ``"].passthru('id').``, ``0).system('id').(``, ``{}system(id);``, ``@system(id);``.
  ``.system(`` right after a closing quote or parenthesis concatenates a call into a string: no program writes
  that; JavaScript's ``re.exec(s)`` is a method, and ``exec`` is left out for that reason.
- cmd.exe's own switches before the command it runs (``/x /c tftp -i host get file``) and Perl's backtick
  execution printed after a statement break (``;print `id`;``).
- ``cmd`` or ``cmd.exe`` handed ``/c`` (or ``/k``) and a command with cmd.exe's own argument delimiters between them
  (``ExecuteFile(,cmd.exe,/c,whoami,)``, ``cmd;/c;ver``, fresh80): only cmd.exe splits a command line on ``,``, ``;``
  or ``=``, so the run is a command line handed to it, however the application joins its arguments. Prose and
  documentation write ``cmd /c dir`` with spaces (judged by the other rules), never ``cmd.exe,/c,dir``.
"""

from __future__ import annotations

import re
from collections.abc import Collection

_BLANK = r"[ \t\x0b\x0c;,=]"
_WORDS = (r"del|erase|rm|ver|ping|type|dir|echo|set|copy|move|ren|rd|rmdir|md|mkdir|whoami|ipconfig|ifconfig"
          r"|hostname|systeminfo|tasklist|netstat|net|cat|id|ls|uname|sleep|touch|nslookup|timeout|cmd|powershell")
_CMD_LINE = re.compile(
    r"(?P<lead>^|['\"]|[;&|\r\n])(?P<gap>[\s;,&|]{0,6}?)"
    rf"(?<![\w.-])(?P<cmd>{_WORDS})(?:\.exe)?"
    rf"(?P<args>{_BLANK}+[^&|\r\n#'\"<`]{{0,120}}?)??"
    rf"(?:(?P<rem>{_BLANK}*[&|]{{1,2}}{_BLANK}*rem(?:{_BLANK}|$))"
    rf"|(?P<hash>{_BLANK}+\#\s*$)"
    rf"|(?P<redirect>{_BLANK}*\d?>>?{_BLANK}*[\w.-]+\s*$))",
    re.I,
)
_SEPARATOR = re.compile(r"[;&|\r\n]")


_REM = re.compile(rf"[&|]{_BLANK}*rem", re.I)


def cmd_line_worth(value: str) -> bool:
    """What each ending of ``_CMD_LINE`` cannot do without: ``&rem``/``|rem``, a final ``#``, ``>>``."""
    return value.rstrip()[-1:] == "#" or ">>" in value or (("&" in value or "|" in value) and bool(_REM.search(value)))


def cmd_line_breakout(value: str) -> tuple[int, int] | None:
    """The span of a command line that ends the application's own with ``&rem``, `` #`` or a redirection."""
    opens = len(value) - len(value.lstrip())
    for m in _CMD_LINE.finditer(value):
        lead, gap = m.group("lead"), m.group("gap")
        args = (m.group("args") or "").strip(" \t\x0b\x0c;,=")  # the break-out must open the value for `` #``:
        # ';rm q1 # is a probe, "Meet at 5; set the table #" prose
        if len(args.split()) > 8 and m.group("redirect") is None:
            continue  # a probe names a file or a host; a sentence goes on (an echo into a file may be long)
        broke_out = bool(lead) or bool(gap.strip())
        if m.group("rem") is not None and (args or broke_out):
            return m.start(), m.end()
        if m.group("hash") is not None and broke_out and m.start() == opens and len(args.split()) <= 2:
            return m.start(), m.end()
        if m.group("redirect") is not None and lead in ("'", '"') and _SEPARATOR.search(gap) and args and (
                ">>" in m.group("redirect")):
            return m.start(), m.end()
    return None


_SHELL_OUTS = r"(?:system|passthru|shell_exec|popen|proc_open|pcntl_exec)\s*\(\s*"
_PHP_SHELL_OUT = re.compile(
    rf"['\"\])]\s*\]?\s*\.\s*@?{_SHELL_OUTS}(?:'[^'\n]{{1,500}}'|\"[^\"\n]{{1,500}}\")\s*[,)]"
    rf"|(?:\{{\}}|(?:^|;)\s*@)\s*@?{_SHELL_OUTS}(?:'[^'\n]{{1,500}}'|\"[^\"\n]{{1,500}}\"|[a-z_]\w{{0,30}})\s*[,)]",
    re.I,
)
"""Concatenated after a quote or a call (``".system('id').``) the argument is a string; after a closed body or
PHP's ``@`` (``{}system(id);``, ``@system(id);``) a bare constant name is one too. ``foo().system(bar)`` is a
method call in most languages."""


def php_shell_breakout(value: str) -> tuple[int, int] | None:
    """A shell-out call concatenated into a string or glued after a closed body (see the module)."""
    m = _PHP_SHELL_OUT.search(value)
    return (m.start(), m.end()) if m else None


_CMD_SWITCHES = re.compile(r"^\s*(?:/[a-z]\s+){0,4}/[ck]\s+([a-z][\w.-]*)(?=\s)", re.I)
_PERL_BACKTICK = re.compile(r"(?:^|[;{])\s*print\s*`\s*([a-z][\w.-]*)[^`\n]{0,200}`\s*(?:;|$)", re.I)


_CMD_DELIMITED = re.compile(
    r"(?<![\w.-])cmd(?:\.exe)?(?=[ \t]*[,;=])[ \t,;=]+/[ck](?:[ \t,;=]+/[a-z])*[ \t,;=]+([a-z][\w.-]*)(?![\w.-])",
    re.I,
)


def delimited_cmd_run(value: str, tools: Collection[str]) -> tuple[int, int] | None:
    """``cmd.exe,/c,whoami``: cmd.exe told to run a known command, with a ``,``/``;``/``=`` delimiter after its name."""
    for m in _CMD_DELIMITED.finditer(value):
        if m.group(1).lower() in tools:
            return m.start(), m.end()
    return None


def switches_or_backtick(value: str, tools: Collection[str]) -> tuple[int, int] | None:
    """``/x /c tftp -i host get file`` (cmd.exe's switches, then the command ``/c`` runs) or ``;print `id`;``."""
    for rx in (_CMD_SWITCHES, _PERL_BACKTICK):
        m = rx.search(value)
        if m and m.group(1).lower() in tools:
            return m.start(), m.end()
    return None
