"""A command an in-app shell-injection detector's tests hand it as the user parameter (fresh64: Aikido Zen's shell
tests) with nothing before it that the separator rules in ``shell`` key on:

- a whole value that is a program path under a ``bin`` folder spelled so that a filter comparing strings misses it
  (``binary_spelling``): the folder or the program name in mixed or upper case where the file system's names are
  lower case (``/usr/bIn/kill``, ``/bin/CAT``, ``/bIn/LS -la``), or the path opened with extra slashes or ``/./``
  steps (``//bin/ls``, ``/./bin/ls``). Only a known command counts, with at most shell words after it. A plain
  ``/bin/bash`` or ``/usr/bin/python3`` (an account's shell, an interpreter setting) is a path and passes.

Anchored at the value's start with bounded runs: linear. The prefilter reaches it through a trigger that opens the
value with slashes or ``/./`` steps and ``bin/`` (``TRIGGER``).

A value that opens with a line break and one command line (Zen's ``\necho 'malicious'``) is left: notes and runbook
fields open with a break before a command the author shows (``\nls -la /var/log/httpd/``, ``\ncp a.php b.php``;
``test_detection_leftovers9_newline``, ``test_detection_evasion2_shapes``). ``\nrm -rf`` is refused as the whole
value it trims to (``commands.destructive_command``).
"""

from __future__ import annotations

import re
from collections.abc import Collection

Span = tuple[int, int]

TRIGGER = rb"(^|\x00)\s*/+(\./)*(usr/)?s?bin/[a-z]"
"""A value that opens with a path into a ``bin`` folder (caseless, as every trigger)."""

_BINARY = re.compile(
    r"\s*+(/++(?:\./)*+)((?:usr/)?)(s?bin)/([a-z][a-z0-9_.-]{0,31}+)((?:[ \t]++[^\s;|&`$<>]{1,64}+){0,6}+)\s*+", re.I)


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
