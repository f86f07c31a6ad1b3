"""Command lines an in-app shell-injection detector's tests hand it as the user parameter (fresh64: Aikido Zen's shell
tests) with nothing before them that the separator rules in ``shell`` key on:

- a value that opens with a line break and holds one command line after it, ``\\nrm -rf``, ``\\necho 'x'``
  (``leading_break_command``): the break ends the application's command line and the shell runs the next one. The
  line is judged as if a ``;`` stood for the break (``shell.is_cmdi`` on ``; <line>``), so a word that is no command,
  or a command with prose after it, passes as it does after a ``;``. A break is weaker evidence than a ``;``: a lone
  word after it is a list item or a name (``\nusers``, a table name in Zen's own negatives), so the line needs an
  argument unless its word is an unambiguous tool (``\nwhoami``). Only one line may follow: a multi-line text (a
  Markdown body opening with a blank line) is prose, judged by ``shell`` as it is;
- a whole value that is a program path under a ``bin`` folder spelled so that a filter comparing strings misses it
  (``binary_spelling``): the folder or the program name in mixed or upper case where the file system's names are
  lower case (``/usr/bIn/kill``, ``/bin/CAT``, ``/bIn/LS -la``), or the path opened with extra slashes or ``/./``
  steps (``//bin/ls``, ``/./bin/ls``). Only a known command counts, with at most shell words after it. A plain
  ``/bin/bash`` or ``/usr/bin/python3`` (an account's shell, an interpreter setting) is a path and passes.

Both are anchored at the value's start with bounded runs: linear. The prefilter reaches the first through the cmdi
trigger's line break; the second through a trigger that opens the value with slashes or ``/./`` steps and ``bin/``
(``TRIGGER``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

Span = tuple[int, int]

TRIGGER = rb"(^|\x00)\s*/+(\./)*(usr/)?s?bin/[a-z]"
"""A value that opens with a path into a ``bin`` folder (caseless, as every trigger)."""

_LEADING_BREAK = re.compile(r"[ \t]*+(?:\r?\n|\r)[\r\n \t]*+")
_BINARY = re.compile(
    r"\s*+(/++(?:\./)*+)((?:usr/)?)(s?bin)/([a-z][a-z0-9_.-]{0,31}+)((?:[ \t]++[^\s;|&`$<>]{1,64}+){0,6}+)\s*+", re.I)


def leading_break_command(value: str, is_cmdi: Callable[[str], object], alone: Collection[str]) -> Span | None:
    """The whole value when it is a line break and one command line that runs after a ``;`` (a lone word only when it
    is in ``alone``)."""
    if len(value) > 300 or value[:1] not in " \t\r\n":
        return None
    m = _LEADING_BREAK.match(value)
    if m is None:
        return None
    line = value[m.end() :].rstrip()
    if not line or "\n" in line or "\r" in line:
        return None
    words = line.split(None, 1)
    if len(words) == 1 and words[0].lower() not in alone:
        return None
    return (0, len(value)) if is_cmdi("; " + line) else None


def binary_spelling(value: str, commands: Collection[str]) -> Span | None:
    """The whole value when it is a path to a known command under a ``bin`` folder spelled to dodge a filter."""
    if len(value) > 400 or "bin/" not in value.lower():
        return None
    m = _BINARY.fullmatch(value)
    if m is None:
        return None
    lead, usr, folder, name, _ = m.groups()
    if name.lower() not in commands:
        return None
    redundant = lead != "/"
    spelled = any(part != part.lower() for part in (usr, folder, name))
    return (0, len(value)) if redundant or spelled else None
