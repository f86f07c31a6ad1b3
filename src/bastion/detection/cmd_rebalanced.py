"""Command injections shaped to leave the application's own quoting or argument list whole (fresh49).

Router and appliance exploits build their values so that the command line the device assembles still parses:

- a quote closed, a separator, a command, and the same quote opened again (``multilingual show';id'``,
  ``x"; cat /etc/passwd "``): the application's closing quote then closes the one the value reopened, so the line
  stays balanced and the shell runs the command between them. The quote before the separator must be the value's
  first of its kind (it closes the application's quote, not one the value opened: "she said 'yes'; who 'knows'"
  is prose), the command a shell tool (``id``, ``cat``, ``uname`` …, not a prose word such as ``who`` or ``type``)
  and the reopening quote the value's end or followed by no word; a ``#`` right before the reopening quote
  (``'; id#'``, fresh72) comments out whatever the application appends;
- an option and a command substitution as the whole value (``-h `id```, ``--host=$(uname -a)``): the application
  passes the field as arguments and a shell expands the substitution first. A lone markdown code span has no
  option before it;
- a backtick substitution opening the value, a separator and the same command line again (`` `echo x9`;echo x9 ``):
  one copy runs wherever the value is substituted, the other wherever it follows a separator. Prose does not
  repeat a code span as a clause.
"""

from __future__ import annotations

import re

_TOOLS = frozenset({
    "id", "whoami", "uname", "cat", "ls", "pwd", "hostname", "ifconfig", "ipconfig", "wget", "curl", "nc", "ncat",
    "netcat", "bash", "sh", "zsh", "echo", "printf", "sleep", "ping", "ps", "env", "printenv", "nslookup", "netstat",
    "busybox", "telnet", "tftp", "rm", "chmod", "touch", "perl", "python", "python3", "php", "ruby", "base64",
    "powershell", "cmd", "systeminfo", "tasklist", "net", "reboot", "killall", "iptables", "nvram",
})
_SEP = r"(?:;|&&|\|\||\||&)"
_REBALANCED = re.compile(
    rf"(['\"])[ \t]*{_SEP}[ \t]*(?:(?:/usr)?/s?bin/)?([a-z][\w.-]{{0,31}})((?:[ \t]+[^'\"\n;|&`#]{{0,100}})?)"
    rf"[ \t]*(?:#[^'\"\n]{{0,100}})?\1"
    r"(?=[^\w]|$)",
    re.I,
)
_OPTION_SUBST = re.compile(
    r"^[ \t]*-{1,2}[a-z][\w-]{0,30}(?:[ \t]+|=)(?:`[ \t]*([^`\n]{1,120})`|\$\([ \t]*([^()\n]{1,120})\))[ \t]*$", re.I)
_TWICE = re.compile(rf"^[ \t]*`[ \t]*([^`\n]{{1,120}}?)[ \t]*`[ \t]*{_SEP}[ \t]*([^\n]{{1,120}}?)[ \t]*;?[ \t]*$")


def _tool(line: str) -> bool:
    word = line.strip().split(maxsplit=1)[0].rsplit("/", 1)[-1].lower() if line.strip() else ""
    return word in _TOOLS


def rebalanced_command(value: str) -> tuple[int, int] | None:
    """The span of a quote-rebalanced command, an option with a substitution, or a command run twice (see above)."""
    if "'" in value or '"' in value:
        for found in _REBALANCED.finditer(value):
            quote = found.group(1)
            if value.count(quote, 0, found.start()) == 0 and found.group(2).lower() in _TOOLS:
                return found.start(), found.end()
    if "`" in value or "$(" in value:
        if (option := _OPTION_SUBST.match(value)) and _tool(option.group(1) or option.group(2)):
            return option.start(), option.end()
        twice = _TWICE.match(value)
        if twice and twice.group(1).strip() == twice.group(2).strip() and _tool(twice.group(1)):
            return twice.start(), twice.end()
    return None
