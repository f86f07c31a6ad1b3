"""Commands a probe runs through syntax the separator scan in ``shell`` does not read as a command line.

- cmd.exe's ``for /f … in ('…') do …`` after a separator: the quoted text in the parentheses is a command line that
  cmd runs to loop over its output (``& for /f "tokens=*" %i in ('cmd /c "whoami"') do @set /p =%i<nul``), when it
  starts a shell (``cmd /c``) or a known tool. Only
  cmd.exe writes this loop; a batch snippet in a comment stands on a line of its own, not after ``|`` or ``&``.
- Ruby's and Perl's command literals ``%x(…)``, ``%x{…}``, ``qx(…)`` opening on a command: the literal's text runs in a
  shell. ``%x`` in a format string is followed by a conversion or punctuation, not by a tool's name.
- PHP code that closes a string, concatenates a call on a backtick literal (PHP's shell operator) and ends there
  (``'.print(`echo a<newline>echo b`);.'``), or closes the string, the call, the statement and the blocks around it
  and makes that call a statement of its own (``");}print(`id`);``), the rest of the line cut off by a comment or
  left as junk (``//…``, ``#…``, ``\\…``): the probe of an ``eval`` sink, whatever the commands inside.
- The blind length test: a literal number compared with a variable, then ``sleep`` (``[ 6 -eq $V1 ];then sleep 5``,
  after ``V1=${#V}``): the answer comes back as a delay. A script compares its variable first
  (``if [ $retries -gt 3 ]; then sleep 10; fi``).
- A command glued to the value, with a quote or nothing between (``7'uname -a``, ``42python3 -c "…"``), then only
  the junk that closes the rest of the application's command (a quote, ``#``, ``//``): a whole command line
  ``commands.bare_command`` knows, or any command whose output is redirected into a web server's document root
  (``echo x > /var/www/html/x.txt``): a file the probe then fetches over HTTP.
"""

from __future__ import annotations

import re

from bastion.detection.commands import RECON_PREFIXES, TOOL_NAMES, bare_command

_CMD_FOR_F = re.compile(
    r"[|&]\s*for\s+/f\b[^\n|&]{0,80}?%%?[a-z]\s+in\s*\(\s*'\s*(cmd(?:\.exe)?\s+/c\s+)?[\"']?([a-z][\w.-]*)", re.I
)
_COMMAND_LITERAL = re.compile(r"(?<![\w%])(?:%x|qx)[({\[<|!]\s*['\"]?([a-z][\w.-]*)(?=\s|['\"]?[)}\]>|!])", re.I)
_PHP_CALLS = r"print|echo|print_r|var_dump|system|passthru|exec|shell_exec|printf|die|exit|eval|assert"
_PHP_BACKTICK_BREAKOUT = re.compile(
    r"\s*(?:[\w-]{0,32}['\"]|\d{0,16})\s*(?:\.|[)\]]{0,4}\s*;\s*(?:\}\s*){0,4})\s*@?(?:" + _PHP_CALLS + r")\s*\(\s*`"
    r"\s*([a-z][\w.-]*)[^`]{0,400}`\s*\)\s*;?\s*(?:\.\s*['\"]?|(?://|#|\\)[^\n`]{0,64})?\s*",
    re.I,
)
_LENGTH_THEN_SLEEP = re.compile(
    r"\[\s*\d{1,6}\s+-(?:eq|ne|gt|lt|ge|le)\s+\$\{?[a-z_]\w*\}?\s*\]\s*(?:;|\n|&&)\s*(?:then\s+)?sleep\s+\d", re.I
)
_GLUED_HEAD = re.compile(r"\s*(?:\d{1,16}['\"]?|['\"])(?=[a-z])", re.I)
_JUNK_TAIL = re.compile(r"(?:\s*(?:#|//|['\"]))+\s*$")
_WEB_ROOT_REDIRECT = re.compile(
    r"([a-z][\w.-]*)[^<>|;&\n`]{0,80}?\s\d?>>?\s*['\"]?(?:/var/www|/srv/www|/srv/http|/usr/share/nginx/html"
    r"|/var/lib/tomcat\d*/webapps|[a-z]:[\\/]inetpub[\\/]wwwroot)(?:[\\/][\w.-]+)*[\\/][\w-]+\.[a-z0-9]{1,5}",
    re.I,
)


def _tool(word: str, tools: frozenset[str]) -> bool:
    word = word.lower()
    return word in tools or (word.endswith(".exe") and word[:-4] in tools)


def scripted_probe(value: str, tools: frozenset[str]) -> tuple[int, int] | None:
    """The span of a command run through one of the shapes in the module docstring; ``tools`` are the command
    names that count."""
    if (
        "/" in value
        and ("for" in value or "FOR" in value or "For" in value)
        and (loop := _CMD_FOR_F.search(value))
        and (loop.group(1) or _tool(loop.group(2), tools))
    ):
        return loop.start(), loop.end()
    if "x" in value and ("%x" in value or "qx" in value):
        for m in _COMMAND_LITERAL.finditer(value):
            if _tool(m.group(1), tools):
                return m.start(), m.end()
    if "`" in value and "(" in value and len(value) < 600 and (php := _PHP_BACKTICK_BREAKOUT.fullmatch(value)):
        if _tool(php.group(1), tools):
            return 0, len(value)
    if "sleep" in value and "[" in value and (timed := _LENGTH_THEN_SLEEP.search(value)):
        return timed.start(), timed.end()
    if len(value) < 400 and ((glued := _GLUED_HEAD.match(value)) or ">" in value):
        rest = value[glued.end() :] if glued else value.lstrip()
        tail = _JUNK_TAIL.search(rest)
        rest = rest[: tail.start()] if tail else rest
        if ">" in rest and (redirect := _WEB_ROOT_REDIRECT.fullmatch(rest)) and _tool(redirect.group(1), tools):
            return 0, len(value)
        if glued and bare_command(rest):
            return 0, len(value)
    return None


def trigger() -> bytes:
    """The prefilter pattern for what the separator triggers miss: a command literal, a redirection into a web root,
    a tool name glued to the digits that open a value (``\\x00`` joins values in a batch scan)."""
    names = sorted(TOOL_NAMES, key=lambda n: (-len(n), n))  # longest first; then by name, so the pattern (and
    # the cached prefilter database named by its hash) is the same in every process
    alternatives = "|".join([re.escape(n) for n in names] + [re.escape(p) + "[a-z]+" for p in RECON_PREFIXES])
    return (
        r"""(?:%x|qx)[({\[<|!]|>\s*['"]?(?:/(?:var|srv)/www|/srv/http|/usr/share/nginx/html|/var/lib/tomcat"""
        r"""|[a-z]:[\\/]inetpub)|(?:^|\x00)\s*\d{1,16}['"]?(?:""" + alternatives + r""")(?:\.exe)?['"]?\s"""
    ).encode()
