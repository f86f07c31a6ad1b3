"""A whole value that is one command line only a shell writes, with no separator inside it.

``commands.bare_command`` knows recon tools and common tools in their probing form; these shapes add what makes a
command line unmistakable even when its tool is a common one, each judged on the value as a whole:

- a separator opening the value and then a system tool alone or with options (``;dmesg``, ``;top``,
  ``&#59; ;set``), a package manager with a subcommand (``;dnf list``; alone, ``&aptitude`` is one of CRS's own
  no-match cases) or ``at`` with a time (``;at 2:00 "echo test"``): the value breaks out of the command line it
  was appended to. ``shell`` already reads the common tools there (``;id``, ``|ls``);
- the first word spelled with quotes that only a shell removes (``'c'url localhost``, ``"w"get x``, ``ti''me who``,
  ``'i'p a``) and joining to a known tool: no text writes a word that way, so the plain English
  words among the tools count too (a word quoted as a whole, ``'curl' is a tool``, is text);
- a wrapper that is no English word (``nohup``, ``strace``, ``setsid``, ``stdbuf``, ``chroot /x``) running a
  probe tool (``nohup who``, ``strace ls``); ``time who`` stays text (two English words);
- a reading tool or a shell given a system path as its first argument after options (``ls -al /etc/apache2``,
  ``bash /tmp/evil.sh``, ``base64 -w0 /var/www/html/index.php``); paths of logs and projects
  (``tail -f /var/log/syslog``, ``ls -la /var/log/nginx/``) stay runbook lines, and so does a listing of the web
  root or of ``/tmp`` (``ls -la /var/www/html``);
- a shell function that pipes itself into itself in the background (``bomb() { bomb | bomb & }; bomb``);
- ``find … -exec`` running a network or shell tool (``find . -exec curl x \\;``);
- PowerShell's WMI call creating a process (``iwmi -class Win32_process -name Create -ArgumentList cmd``).
"""

from __future__ import annotations

import re

from bastion.detection.cmd_spelled import spelled_command
from bastion.detection.commands import PROSE_WORDS, RECON

PACKAGE_MANAGERS = frozenset({"dnf", "yum", "apt", "apt-get", "aptitude", "apk", "rpm", "dpkg", "zypper", "pacman",
                              "snap", "emerge"})
OPENERS = RECON | {
    "top", "htop", "set", "env", "printenv", "dmesg", "lsof", "df", "free", "history", "arp", "route", "ip",
    "ifconfig", "mount", "users", "groups", "uptime", "hostname", "last", "lastlog", "locale", "ulimit", "declare"}
"""Tools a break-out opening the value runs for their output alone (``;dmesg``); ``shell`` reads the common ones,
package managers need a subcommand."""
_OPENING_BREAKOUT = re.compile(r"\s*(?:&#0*59;\s*|&#x0*3b;\s*)*(?:;|&&|\|\||\||&)\s*([a-z][\w.+-]{0,31})", re.I)
_OPTIONS_ONLY = re.compile(r"(?:\s+-{1,2}[a-z][\w-]{0,31})*\s*", re.I)
_SUBCOMMAND = re.compile(r"(?:\s+-{0,2}[a-z][\w-]{0,31}){1,3}\s*")
_AT_TIME = re.compile(r"\s+(?:\d{1,2}:\d{2}|now\b|midnight\b|noon\b)", re.I)
"""``at``'s time: ``;at 2:00 "echo test"`` queues a command."""

_QUOTE_SPLIT_WORD = re.compile(r"\s*((?:[a-z]|'[a-z]{0,16}'|\"[a-z]{0,16}\"){2,40})(?=\s|$)")
_WHOLLY_QUOTED = re.compile(r"(['\"])[a-z]*\1")
_ARGUMENTS = re.compile(r"""(?:\s+(?:[\w./:@=,+~*?%-]+|'[^'\n]{0,200}'|"[^"\n]{0,200}"))*\s*""")

WRAPPERS = r"(?:nohup|strace|setsid|stdbuf|chroot\s+/\S{0,64})"
PROBES = frozenset({"who", "w", "id", "whoami", "pwd", "ps", "hostname", "uptime", "uname", "env", "printenv", "ls",
                    "users", "groups", "last", "dmesg", "ifconfig", "netstat"})
_WRAPPED_PROBE = re.compile(WRAPPERS + r"(?:\s+-\S{1,32})*\s+([a-z]+)(?:\s+-[\w-]{1,32})*\s*")

READERS = r"(?:ls|dir|cat|tac|head|tail|more|less|base64|xxd|od|strings|nl|stat|file|wc|chmod|source|" \
          r"sh|bash|zsh|ksh|dash|perl|python3?|php|ruby)"
SYSTEM_PATH = r"['\"]?/(?:etc|root|proc|boot|tmp|dev/shm|var/tmp|var/www)/[\w.-]"
_SYSTEM_PATH_ARGUMENT = re.compile(
    r"\s*(?:(?:/usr)?/s?bin/)?(" + READERS + r")(?:\s+-[\w-]{1,32}(?:\s+\d{1,10})?)*\s+(" + SYSTEM_PATH
    + r")[\w./-]{0,200}['\"]?((?:\s+[\w./:@=,+~-]{1,200}){0,4})\s*")

_LISTED_FOLDER = re.compile(r"['\"]?/(?:var|tmp)/")
"""A listing of the web root or of ``/tmp`` is a runbook line; reading a file there (``base64 /var/www/x.php``) is
not."""
_FORK_BOMB = re.compile(r"(?:^|[\s;|&({])(?:function\s+)?([\w:.-]{1,64})\s*\(\s*\)\s*\{\s*\1\s*\|\s*\1\s*&\s*;?\s*\}")
_FIND_EXEC = re.compile(
    r"(?:^|[\s;|&(])find\s+[^;|&\n]{0,200}?-exec(?:dir)?\s+['\"]?(?:(?:/usr)?/s?bin/)?([a-z][\w.-]*)", re.I)
_WMI_CREATE = re.compile(
    r"-class\s+['\"]?win32_process['\"]?\s+-(?:name|methodname)\s+['\"]?create\b"
    r"|-(?:name|methodname)\s+['\"]?create['\"]?\s+-class\s+['\"]?win32_process\b"
    r"|win32_process['\"]?\s*\]?\s*\)?\s*\.\s*create\s*\(", re.I)


def lone_command(value: str, text: str, tools: frozenset[str], strong: frozenset[str]) -> tuple[int, int] | None:
    """The span of a command line in one of the module's shapes; ``text`` is ``value`` with the shell's quotes and
    ``${IFS}`` undone (``shell.normalize``), ``tools`` every command name ``shell`` knows, ``strong`` the unambiguous
    ones."""
    if spelled := spelled_command(value, tools):
        return spelled
    if len(value) > 512:
        return _anywhere(value, strong)
    head = value.lstrip()[:1]
    if head in (";", "|", "&") and (opened := _opened(value)):
        return opened
    if ("'" in value or '"' in value) and (split := _quote_split(value, tools)):
        return split
    if (m := _WRAPPED_PROBE.fullmatch(text)) and m.group(1).lower() in PROBES:
        return 0, len(text)
    if "/" in text and (m := _SYSTEM_PATH_ARGUMENT.fullmatch(text)) and not any(
            t.lower() in PROSE_WORDS for t in m.group(3).split()) and not (
            m.group(1) in ("ls", "dir") and _LISTED_FOLDER.match(m.group(2))):
        return 0, len(text)
    return _anywhere(value, strong)


def _opened(value: str) -> tuple[int, int] | None:
    m = _OPENING_BREAKOUT.match(value)
    if m is None:
        return None
    word = m.group(1).lower()
    rest = value[m.end() :]
    if word == "at" and _AT_TIME.match(rest):
        return 0, len(value)
    if word in PACKAGE_MANAGERS:
        return (0, len(value)) if _SUBCOMMAND.fullmatch(rest) else None
    if word in OPENERS and _OPTIONS_ONLY.fullmatch(rest):
        return 0, len(value)
    return None


def _quote_split(value: str, tools: frozenset[str]) -> tuple[int, int] | None:
    m = _QUOTE_SPLIT_WORD.match(value)
    if m is None:
        return None
    raw = m.group(1)
    if not ("'" in raw or '"' in raw) or _WHOLLY_QUOTED.fullmatch(raw):
        return None
    word = raw.replace("'", "").replace('"', "")
    if word not in tools or _ARGUMENTS.fullmatch(value, m.end()) is None:
        return None
    return m.start(1), len(value)


def _anywhere(value: str, strong: frozenset[str]) -> tuple[int, int] | None:
    if "|" in value and "&" in value and "{" in value and (bomb := _FORK_BOMB.search(value)):
        return bomb.start(), bomb.end()
    if "-exec" in value and (find := _FIND_EXEC.search(value)) and find.group(1).lower() in strong:
        return find.start(), find.end()
    if ("in32_" in value or "IN32_" in value) and (wmi := _WMI_CREATE.search(value)):
        return wmi.start(), wmi.end()
    return None


def trigger() -> bytes:
    """The prefilter pattern: what the cmdi trigger's separators and tool names miss (a reading tool given a system
    path, the WMI class), ``\\x00`` joining values in a batch scan."""
    return (rb"(?:^|\x00)\s*(?:(?:/usr)?/s?bin/)?" + READERS.encode() + rb"(?:\s+-[\w-]{1,32}(?:\s+\d{1,10})?)*\s+"
            + SYSTEM_PATH.encode() + rb"|win32_process")
