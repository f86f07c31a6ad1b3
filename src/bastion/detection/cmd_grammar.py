"""Command lines in shell grammar the separator scan in ``shell`` does not read as one.

- cmd.exe's ``FOR`` loop (``for [/d | /r path | /l | /f ["options"]] %v in (set) do command``, ``%%v`` in a batch
  file) opening the value or after ``&``/``|``: the ``%v in (…) do`` grammar is cmd.exe's alone, and the ``do`` part
  runs a command for every item. ``scripted`` knew only the ``for /f … in ('command')`` form.
- A value that opens with a separator (``;chmod +x x.php``, ``; format C:``, ``;vi -c:…``): nothing precedes it to
  be data, the separator ends the application's own command, and what follows is a command with the arguments only a
  shell reads (a file mode, a drive, ``vi``'s ``-c`` ex command) or a command line ``commands.bare_command`` knows.
- A wrapper that times or detaches a reconnaissance tool (``time tracert``, ``nohup nslookup x``), bash's ``set -o``
  and ``env`` given only options, two probe commands joined by ``&``/``;``/``|`` (``ls & id``), as the whole value.
- ``alias name=tool`` (quotes or an empty ``${V}`` inside the tool's name allowed) then a separator and the alias run,
  or an alias of a known tool as the whole value (``alias -p x=id``): renaming a command so it never appears as
  itself.
- A query-like value (``view=image.jpg``) then ``&`` and a Windows command with a switch or an input redirection
  (``&sort/r file.txt``, ``&bcdboot < file.txt``): a query string joins ``name=value`` pairs, never a switch.
- bash history expansion as the whole value or two event designators glued together (``!-1!-2``).
- Making a file in a world-writable directory executable and running it (``chmod 744 /tmp/p; /tmp/p``).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from bastion.detection.commands import RECON, bare_command

_FOR_LOOP = re.compile(
    r"(?:^|[&|])\s*@?for\s+(?:/[dl]\s+|/r\s+(?:\"[^\"\n]{0,200}\"\s*|[^\s%\"]{1,200}\s+)?"
    r"|/f\s+(?:\"[^\"\n]{0,80}\"\s+)?)?%%?[a-z]\w{0,31}\s+in\s*\([^\n]{0,300}?\)\s*do\s+@?[(\"]?[a-z%]",
    re.I,
)
_LEADING_SEPARATOR = re.compile(r"\s*(?:;|&&?|\|\|?)\s*")
_AFTER_SEPARATOR = re.compile(
    r"(?:chmod|chown|chgrp)\s+(?:-[a-z]+\s+)*(?:[ugoa]*[-+=][rwxXst]+|[0-7]{3,4}|[\w.-]+:[\w.-]*)\s+\S"
    r"|format(?:\.com)?\s+[a-z]:"
    r"|(?:vi|vim|nvim|ex|view)\s+['\"]?[-+]c"
    r"|(?:rm|del|erase|rd|rmdir)\s+(?:-[a-z]+\s+|/[a-z]\s+)*[\w./\\*:~-]+\s*$",
    re.I,
)
"""After an opening separator: a file mode (``+x``, ``755``, ``user:group``), a drive to format, ``vi -c`` running an
ex command (``:!cmd`` runs a shell one), a removal of a named file."""
_WRAPPERS = r"time|nohup|setsid|nice|sudo|strace|watch"
_WRAPPER_WORDS = ("time", "nohup", "setsid", "nice", "sudo", "strace", "watch")
_WRAPPED_RECON = re.compile(rf"\s*(?:{_WRAPPERS})\s+(?:-\S+\s+)*([a-z][\w.-]*)(?:\s[^;|&\n`]{{0,120}})?", re.I)
_SHELL_OPTIONS = re.compile(r"\s*(?:set\s+[-+]o\s+[a-z]+|set\s+[-+][a-z]{1,4}|env\s+--?[a-z][\w-]*)\s*", re.I)
_PROBES = r"ls|dir|id|whoami|pwd|uname|hostname|ver|ipconfig|ifconfig|netstat|ps|env|set|uptime|systeminfo|tasklist"
_TWO_PROBES = re.compile(rf"\s*(?:{_PROBES})(?:\s+-[a-z]+)?\s*(?:&&?|;|\|\|?)\s*(?:{_PROBES})(?:\s+-[a-z]+)?\s*",
                         re.I)
"""``ls & id``: two probe commands and nothing else; "R & D" or "Q&A" are not commands."""
_ALIAS = re.compile(
    r"(?:^|[;&|\n])\s*alias\s+(?:-p\s+)?(['\"]?)([\w-]{1,32})\1=(['\"]?)((?:[\w.-]|\$\{\w{0,16}\}){1,64})\3"
    r"(?=\s*(?:$|[;&|\n]))",
    re.I,
)
_EMPTY_VAR = re.compile(r"\$\{\w{0,16}\}")
_RUN_AFTER = re.compile(r"\s*(?:;|&&?|\|\|?|\n)\s*(['\"]?)([\w-]{1,32})\1(?=\s|$)")
_QUERY_THEN_COMMAND = re.compile(
    r"[\w.-]=[^&\s=]{0,200}&([a-z][\w.-]{1,31})(?=\s*/[a-z?]{1,2}(?:\s|$)|\s*<\s*[\w.:\\/-]+\s*$)", re.I)
_HISTORY = re.compile(r"!-\d{1,4}!(?:-\d{1,4}|!|\$)")
_HISTORY_WHOLE = re.compile(r"\s*(?:!-\d{1,4}(?::[\w$^*-]+)?)+\s*")
_STAGED_RUN = re.compile(
    r"chmod\s+(?:[ugoa]*\+[rwx]*x[rwx]*|[0-7]?[1357][0-7]{2})\s+((?:/tmp|/var/tmp|/dev/shm)/[\w.-]+)\s*(?:;|&&|\n)\s*\1"
    r"(?=\s|$|[;&|])",
    re.I,
)
WINDOWS_COMMANDS = frozenset({
    "sort", "bcdboot", "bcdedit", "find", "findstr", "type", "more", "dir", "del", "erase", "copy", "xcopy",
    "robocopy", "attrib", "icacls", "takeown", "format", "diskpart", "shutdown", "tasklist", "taskkill", "net",
    "reg", "sc", "wmic", "certutil", "cmd", "powershell", "ping", "tracert", "nslookup", "ipconfig", "whoami",
    "systeminfo", "cipher", "fsutil", "vssadmin", "wevtutil", "schtasks", "bitsadmin", "print", "comp", "fc",
    "tree", "label", "chkdsk", "cacls", "runas", "forfiles", "where", "expand", "replace", "move", "ren",
})


def _tool(word: str, tools: Collection[str]) -> bool:
    word = word.lower()
    return word in tools or (word.endswith(".exe") and word[:-4] in tools)


def cmd_grammar(value: str, tools: Collection[str]) -> tuple[int, int] | None:
    """The span of a command line in one of the module's shapes; ``tools`` are the command names that count."""
    low = value.lower()
    if "%" in value and "for" in low and (loop := _FOR_LOOP.search(value)):
        return loop.start(), loop.end()
    if (lead := _LEADING_SEPARATOR.match(value)) and lead.end() < len(value):
        rest = value[lead.end() :]
        if _AFTER_SEPARATOR.match(rest) or bare_command(rest):
            return 0, min(len(value), lead.end() + 32)
    head = low.lstrip()[:6]
    if len(value) < 200 and head[:1].isalpha():
        if head.startswith(_WRAPPER_WORDS) and (wrapped := _WRAPPED_RECON.fullmatch(value)) and (
                wrapped.group(1).lower() in RECON):
            return 0, len(value)
        if (head.startswith(("set", "env")) and _SHELL_OPTIONS.fullmatch(value)) or (
                ("&" in value or ";" in value or "|" in value) and _TWO_PROBES.fullmatch(value)):
            return 0, len(value)
    if "alias" in low:
        for m in _ALIAS.finditer(value):
            target = _EMPTY_VAR.sub("", m.group(4))
            run = _RUN_AFTER.match(value, m.end())
            if (run and run.group(2) == m.group(2)) or (_tool(target, tools) and (
                    run or value[m.end() :].strip() == "")):
                return m.start(), m.end()
    if "&" in value and "=" in value:
        for q in _QUERY_THEN_COMMAND.finditer(value):
            if _tool(q.group(1), WINDOWS_COMMANDS) or _tool(q.group(1), tools):
                return q.start(1) - 1, min(len(value), q.end() + 32)
    if "!" in value:
        if history := _HISTORY.search(value):
            return history.start(), history.end()
        if len(value) < 64 and _HISTORY_WHOLE.fullmatch(value):
            return 0, len(value)
    if "chmod" in low and (staged := _STAGED_RUN.search(value)):
        return staged.start(), staged.end()
    return None


def trigger() -> bytes:
    """The prefilter pattern: what the cmdi trigger's separators miss (a loop, an alias, a wrapper, shell options or
    a history event opening the value, ``\\x00`` joining values in a batch scan)."""
    return (rb"(?:^|\x00)\s*@?for\s+(?:/[a-z]|%)|(?:^|\x00)\s*alias\s|!-\d"
            rb"|(?:^|\x00)\s*(?:time|nohup|setsid|nice|sudo|strace|watch)\s|(?:^|\x00)\s*(?:set|env)\s+[-+]")
