"""Command shapes of router, camera and appliance exploits (fresh45: Exploit-DB's hardware/cgi/linux webapps).

Embedded web interfaces pass a form field to ``system()``: the exploit closes the original command with a separator
or opens a substitution, then writes what busybox offers. Four shapes the general command analyser (``shell``) does
not read, each tied to a context that prose and documentation do not have:

- a shell served on a connection by a daemon's option: ``telnetd -l /bin/sh``, ``utelnetd -l /bin/sh``,
  ``nc -e /bin/ash`` — an option ``-l``/``-e`` whose argument is a shell program; no other use of ``-l /bin/sh``
  exists (a login program of ``/bin/sh`` is a root shell for whoever connects);
- a shell loop right after a separator or a substitution opener at the start of the value
  (``;while [ $i -le 25 ]; do iptables …; done``, `` `count=0;while …; done;` ``): a value that opens by ending a
  command and then loops is a script, not a field (a loop quoted in documentation follows prose);
- a command whose output is redirected into a system directory, right after a separator at the start of the value
  (``|date>/tmp/xort||a #``, ``;uname>/var/www/x``): words such as ``date`` are not commands to the analyser on their
  own, but nothing but a shell writes ``>/tmp/…`` after a leading ``|``;
- an XML document carried in a string (a SOAP envelope in a JSON field) whose element text is a ``$(…)`` command
  substitution (``<NewDownloadURL>$(echo HUAWEIUPNP)</NewDownloadURL>``): the element text is judged as the value
  the device's handler receives;
- a telnet daemon told to listen on a port (``telnetd -p 4444``, `` `utelnetd -l /bin/ash -p 2323` ``), as the value
  or right after a separator or substitution opener (fresh72): the backdoor a router exploit opens before it
  connects; prose names the daemon in a sentence, not as a command opening a field;
- the echo probe of a blind injection as the whole value (``|echo xyz12;``, ``127.0.0.1; echo Kq7x&``, fresh72): a
  ``;`` or ``|`` ends the command the field was put into (after the address or word the field expected, if any),
  then ``echo`` prints one marker token, closed by a separator or the end; a lone ``&`` before it does not count
  (``Salt & echo chamber`` is a name).

Every pattern is anchored (to the value start, or to a bounded window after one marker), so the cost is linear.
"""

from __future__ import annotations

import re

from bastion.detection.shell import is_cmdi

_SHELL_PROGRAM = r"/(?:usr/)?bin/(?:ba|da|z|k|a)?sh(?![\w./-])"
_SHELL_OPTION = re.compile(r"(?<![\w.-])-[el]\s*" + _SHELL_PROGRAM, re.I)
"""An ``-l``/``-e`` option naming a shell program."""
_COMMAND_WORD = re.compile(r"[a-z][\w.-]{0,31}\s", re.I)
"""A command word earlier in the same command: looked for in at most 160 characters before the option, after the
last separator there, so a long value is not searched from every word."""
_OPENER = r"\s*+['\"]?\s*+(?:[;|&]++|`|\$\()\s*+"
"""A value that starts by ending the command it was put into, or by opening a substitution."""
_LOOP = re.compile(
    _OPENER + r"(?:\w{1,32}=[^\s;`]{0,64};\s*+){0,4}"
    r"(?:(?:while|until)\s+[^\n;]{1,120}|for\s+\w{1,32}\s+in\s+[^\n;]{1,120});\s*do\s[^\n]{0,600}?\bdone\b")
"""A ``while``/``until``/``for … in`` loop with ``; do … done`` after the opener (up to four assignments before)."""
_REDIRECT = re.compile(
    _OPENER + r"[a-z][\w.-]{0,31}(?:\s++[^\s;|&<>`]{1,64}){0,4}\s*+>{1,2}\s*+"
    r"/(?:tmp|var|dev|etc|usr|home|root|opt|srv|mnt)/", re.I)
"""A command and up to four arguments, its output redirected to a path in a system directory."""
_ELEMENT_SUBSTITUTION = re.compile(r">\s*+(\$\([^()<>\n]{0,200}\))\s*</")
"""An element whose whole text is a ``$(…)`` substitution (backquotes there are as often a markdown code span in
HTML, ``<li>`npm test`</li>``)."""
_LISTENER = re.compile(
    r"(?:^|[;&|`\n(]|\$\()[ \t]*+(?:(?:/usr)?/s?bin/)?(?:busybox[ \t]++)?u?telnetd[ \t]++"
    r"(?:-[a-z][ \t]*+[^\s;|&`-][^\s;|&`]{0,63}[ \t]++){0,4}-p[ \t]*+\d{2,5}(?![\w.])")
"""``telnetd`` (or ``utelnetd``, ``busybox telnetd``) with up to four options and a ``-p`` port, at the value start or
after a separator or opener."""
_ECHO_PROBE = re.compile(
    r"[ \t]*+(?:[\w.:-]{1,64}[ \t]*+)?['\"]?[ \t]*+(?:;|\|\|?|&&)[ \t]*+echo[ \t]++['\"]?[\w.-]{1,64}['\"]?"
    r"[ \t]*+(?:(?:;|\|\|?|&&?)[ \t]*+)?")
"""The whole value: an optional address or word, a ``;``/``|``/``||``/``&&`` separator, ``echo`` and one token, and an
optional closing separator (``fullmatch``)."""


def appliance_command(value: str) -> tuple[int, int] | None:
    """The span of one of the six shapes above, or ``None``."""
    if "/" in value and ("-l" in value or "-e" in value):
        for m in _SHELL_OPTION.finditer(value):
            start = max(0, m.start() - 160)
            window = value[start:m.start()]
            cut = max(window.rfind(c) for c in "\n;|&") + 1
            if _COMMAND_WORD.search(window, cut):
                return start + cut, m.end()
    if (line := _LOOP.match(value) or _REDIRECT.match(value)) is not None:
        return line.span()
    if "</" in value and "$(" in value:
        for element in _ELEMENT_SUBSTITUTION.finditer(value):
            if is_cmdi(element.group(1)) is not None:
                return element.span(1)
    if "telnetd" in value and (listener := _LISTENER.search(value)) is not None:
        return listener.span()
    if "echo" in value and len(value) <= 200 and (probe := _ECHO_PROBE.fullmatch(value)) is not None:
        return probe.span()
    return None
