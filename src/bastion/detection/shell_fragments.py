"""Shell fragments that an in-app shell-injection detector's tests hand it as the user parameter (fresh59: libddwaf's
``shi_detector`` tests), which carry no command word the command scan keys on:

- bash's file-read substitution ``$(<file)`` where a command goes, opening the value or after a separator
  (``$(<file) -l``, ``; $(<file)``; ``file_read``): the shell runs the file's content as the command, no program
  named. In an assignment or an argument (``VERSION=$(<VERSION) make release``, a documented build line that
  ``test_detection_cmdi_leftovers`` keeps) it only reads a value;
- a whole value that is a redirection of standard error or of both streams to a file, ``2> file``, ``&> file``, or
  a file name redirected into an absolute path under a system folder, ``1.json > /tmp/out`` (``redirect``): the
  value ends the application's command and writes its output where the attacker says. A lone ``> quote`` is a
  Markdown reply and ``x > 5`` a comparison, so only the numbered or ``&`` forms count alone, and a bare ``>`` only
  before a system folder: after a file name, or as the whole value with only the path after it (``> /dev/null``,
  ``>> /etc/passwd``; fresh64, Aikido Zen's tests), which no Markdown reply is;
- after a separator, a parameter expansion with a default (``; ${a:-ls}``: the shell runs ``ls`` when ``a`` is
  unset) or an assignment whose variable the same value then expands (``; T=ls $T``, ``; T=ls ${a:-$T}``): a
  command spelled through a variable so that no command word follows the separator (``expansion_after_separator``);
- a whole value that is a command substitution inside subshell or group brackets, ``( $(echo ls) )``,
  ``{ ( $(id) ) }`` (``grouped_substitution``): the brackets are stripped in pairs and the substitution judged by
  the command analyser, which refuses it alone;
- a whole value that is the function definition Shellshock puts in an environment variable, ``() {`` perhaps with
  ``:;};`` (``shellshock_prefix``): ``() { :; }; cmd`` with a command is refused already; no text is only this.

Every pattern is anchored or bounded, with no nested quantifier over overlapping classes: linear in the value. The
prefilter reaches them through the cmdi trigger (``$(``, a separator, ``() {``, a numbered redirection opening the
value or after a blank, a ``>`` opening the value before a blank and a ``/``: ``REDIRECT_TRIGGER``); a bare ``>`` into
a system folder after a file name (``1.json > /tmp/out``) is only read when something else triggers the analyser (a
trigger for it cost 1 % of the waf's time on every request; one anchored at the value's start costs next to nothing).
"""

from __future__ import annotations

import re
from collections.abc import Callable

Span = tuple[int, int]

SYSTEM_FOLDERS = "tmp|dev|etc|var|root|home|usr|opt|srv|proc|bin|sbin|boot|lib"
REDIRECT_TRIGGER = rb"(^|\x00)\s*>>?\s+/"
"""A value that opens with ``>`` or ``>>``, blanks and a ``/`` (``> /dev/null``); glued (``>/x``), the cmdi trigger
had it already."""
_FILE_READ = re.compile(r"(?:^|[;|&\n])\s*+\$\(\s*+<\s*+[\w./~-]{1,128}+\s*+\)")
_FD_REDIRECT = re.compile(r"\s*+(?:[12]|&)>>?\s*+[\w./~-]{1,128}+\s*+")
_FILE_REDIRECT = re.compile(rf"\s*+[\w.-]{{1,128}}+\s++(?:[12]|&)?>>?\s*+/(?:{SYSTEM_FOLDERS})/[\w./~-]{{0,128}}+\s*+")
_BARE_REDIRECT = re.compile(rf"\s*+>>?\s*+/(?:{SYSTEM_FOLDERS})/[\w./~-]{{0,128}}+\s*+")
_DEFAULT_EXPANSION = re.compile(r"[;|&]\s*+\$\{[a-z_]\w{0,31}+:?[-=?+][^}\n]{0,64}+\}", re.I)
_ASSIGNMENT = re.compile(r"[;|&]\s*+([a-z_]\w{0,31}+)=[^\s;|&]{1,64}+\s", re.I)
_GROUP_OPEN = re.compile(r"\s*+[({][\s({]{0,16}+")
_SHELLSHOCK_PREFIX = re.compile(r"\s*+\(\)\s*+\{\s*+(?::\s*+;?\s*+\}?\s*+;?\s*+)?")


def file_read(value: str) -> Span | None:
    """The span of a ``$(<file)`` substitution in command position."""
    if "$(" not in value:
        return None
    m = _FILE_READ.search(value)
    return m.span() if m else None


def redirect(value: str) -> Span | None:
    """A whole value that is a ``2>``/``&>`` redirection, or a file name redirected into a system folder."""
    if ">" not in value or len(value) > 300:
        return None
    if _FD_REDIRECT.fullmatch(value) or _FILE_REDIRECT.fullmatch(value) or _BARE_REDIRECT.fullmatch(value):
        return 0, len(value)
    return None


def expansion_after_separator(value: str) -> Span | None:
    """A default-value expansion, or an assignment expanded again, after a command separator."""
    if "$" not in value:
        return None
    if "{" in value and (m := _DEFAULT_EXPANSION.search(value)):
        return m.span()
    if "=" in value:
        for m in _ASSIGNMENT.finditer(value):
            rest = value[m.end() : m.end() + 80]
            name = m.group(1)
            if re.search(r"\$\{?(?:[a-z_]\w{0,31}:?[-=?+]\$)?" + re.escape(name) + r"\b", rest, re.I):
                return m.start(), m.end() + len(rest)
    return None


def grouped_substitution(value: str, is_cmdi: Callable[[str], object]) -> Span | None:
    """A whole value that is a ``$(…)`` substitution inside paired ``( )``/``{ }`` brackets, judged unwrapped."""
    if "$(" not in value or len(value) > 500:
        return None
    m = _GROUP_OPEN.match(value)
    if m is None:
        return None
    opened = [c for c in m.group() if c in "({"]
    inner = value[m.end() :].rstrip()
    for c in opened:  # the last character closes the first bracket
        closer = ")" if c == "(" else "}"
        if not inner.endswith(closer):
            return None
        inner = inner[:-1].rstrip()
    if not inner.startswith("$(") or not inner.endswith(")"):
        return None
    return (0, len(value)) if is_cmdi(inner) else None


def shellshock_prefix(value: str) -> Span | None:
    """A whole value that is only Shellshock's ``() {`` function definition."""
    if "()" not in value or len(value) > 40:
        return None
    return (0, len(value)) if _SHELLSHOCK_PREFIX.fullmatch(value) else None
