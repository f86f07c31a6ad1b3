"""A command spelled so that only a shell reads it as one (restricted-shell and filter bypasses):

- a system binary named by a wildcard path (``/usr/bin/p?ng``, ``/usr/bin/n[c] -e sh x 4444``, ``/bin/c*t
  /etc/passwd``): the shell expands the pattern to the binary before it runs it. A name of wildcards only
  (``/usr/local/bin/*``) is every file of the folder, how a listing or a package manifest names them, and a ``?``
  that ends the name ends a question (``/usr/bin/python?``). ``shell`` already reads wildcard
  paths after a separator; here the value is that command line alone. Only the system binary folders count: a
  search pattern names other folders (``/var/log/*.log``, ``/home/*/notes``);
- a command name split by line continuations (``p\\⏎i\\⏎n\\⏎g``): a backslash before a line break inside a word joins
  its halves for a shell, and no text breaks a word that way;
- text written into a shell (``echo "ls\\x09-l" | bash``, ``printf 'id' | sh``, ``base64 -d <<< aWQ= | sh``): the
  echoed text is the script. An install line pipes a download into a shell (``curl -fsSL get.x.io | sh``), which the
  separator rules judge; echo and printf write no download.
"""

from __future__ import annotations

import re

_SYSTEM_BIN = r"/(?:usr/(?:local/)?)?s?bin/"
_WILDCARD_BINARY = re.compile(
    r"\s*" + _SYSTEM_BIN + r"(?=[\w.\[\]?*-]{0,64}(?:\?[\w.\[?*-]|\*|\[))(?=[.\[\]?*-]{0,64}[A-Za-z0-9])"
    r"[\w.\[\]?*-]{1,64}+"
    r"(?:\s+[^\s;|&<>`]{1,200}+){0,8}+\s*")
_CONTINUED_WORD = re.compile(r"(?<![\w\\])([a-z]{1,16}+(?:\\\r?\n[a-z]{1,16}+){1,12}+)(?![\w\\])", re.I)
"""Possessive and at most 13 pieces: a command name is short, and a run of ``a\\⏎`` × 40K is read once, not once
per piece count (0.1 s of 0.2 s at 64 KiB before)."""
_ECHOED_INTO_SHELL = re.compile(
    r"(?:^|[\s;|&(`])(?:echo|printf|print)\s[^|\n]{0,400}?(?:\|\s*(?:base64\s+(?:-d|--decode)|xxd\s+-r(?:\s+-p)?|rev"
    r"|tr\s[^|\n]{1,60})\s*)*\|\s*(?:(?:/usr)?/bin/)?(?:ba|z|k|da)?sh(?=\s*(?:$|[;&|)`\n]|-[a-z]))", re.I)


def spelled_command(value: str, tools: frozenset[str]) -> tuple[int, int] | None:
    """The span of a command spelled in one of the module's shapes; ``tools`` are the command names a split word may
    join to."""
    if "bin/" in value and (m := _WILDCARD_BINARY.fullmatch(value)):
        return 0, min(len(value), m.end())
    if "\\" in value and "\n" in value:
        for m in _CONTINUED_WORD.finditer(value):
            if re.sub(r"\\\r?\n", "", m.group(1)).lower() in tools:
                return m.start(1), m.end(1)
    if "sh" in value and "|" in value and (m := _ECHOED_INTO_SHELL.search(value)):
        return m.start(), m.end()
    return None


def trigger() -> bytes:
    """The prefilter pattern for a wildcard binary path, which no separator or tool name of the cmdi trigger marks
    (``/usr/bin/n[c]``)."""
    return rb"/s?bin/[\w.-]{0,64}[\[?*]"
