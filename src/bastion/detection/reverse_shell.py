"""Reverse and bind shells written as code: a socket opened in one language and a shell handed to it.

The one-liners of every reverse-shell cheat sheet (Python, Perl, PHP, Ruby, Lua, PowerShell, awk) share one shape
whatever the language: a network endpoint (``socket.socket``, ``TCPSocket``, ``fsockopen``, ``TCPClient``,
``/inet/tcp/``) and, close to it, a shell put on that endpoint (``os.dup2``, ``pty.spawn``, ``"/bin/sh"`` as a
quoted program, ``sh -i``, ``iex``, awk's ``cmd | getline``, ``io.popen``, ``os.execute``,
``open(STDIN,">&S")``). Either half alone is ordinary code or prose ("the socket closed", "run it in /bin/sh");
together, within a few hundred characters, they are a payload that only makes sense on a shell or an
interpreter the value reaches.
"""

from __future__ import annotations

import re

_NET = re.compile(r"socket|fsockopen|tcpclient|/inet/tcp/|\btcp\(\)|net\.connect\s*\(|new\s+net\.socket", re.I)
"""Where a connection is made: every language's socket call, awk's ``/inet/tcp/`` special file."""
_SHELL_ON_IT = re.compile(
    r"""\bdup2\s*\(|\bpty\.spawn\s*\(|\bio\.popen\s*\(|\bos\.execute\s*\(|\biex\b|invoke-expression"""
    r"""|open\s*\(\s*std(?:in|out|err)\s*,\s*["']\s*>&"""
    r"""|\bsh\s+-i\b|\|&?\s*getline\b"""
    r"""|["'(\[]\s*(?:/(?:usr/)?bin/)?(?:ba|z|k|da)?sh\s*["')\],]"""
    r"""|["'(\[]\s*cmd(?:\.exe)?\s*["')\],]|["'(\[]\s*powershell(?:\.exe)?\s*["')\],]""",
    re.I,
)
"""A shell put on the connection: file descriptors duplicated onto it, a pty spawned, a command read from it and
run, or a shell program named as a quoted argument (``"/bin/sh"``, ``('bash'``, ``["cmd.exe"``)."""
_NEAR = 400
"""Characters between the two halves: the longest cheat-sheet one-liners keep them well within this."""


def reverse_shell(value: str) -> tuple[int, int] | None:
    """The span from the connection to the shell put on it, or ``None``. Linear: each half is searched once, and
    every shell is passed over once as the connections move along the value."""
    shells = [m.span() for m in _SHELL_ON_IT.finditer(value)]
    if not shells:
        return None
    i = 0
    for net in _NET.finditer(value):
        start, end = net.span()
        while i < len(shells) and shells[i][1] < start - _NEAR:
            i += 1  # connections come in order: a shell too far behind this one is too far behind every later one
        if i == len(shells):
            return None
        s_start, s_end = shells[i]
        if s_start - end <= _NEAR:
            return min(start, s_start), max(end, s_end)
    return None
