"""Injection-confirmation probes: a harmless command whose only purpose is to show that a shell read the value.

A scanner that wants proof rather than damage makes the shell compute something it can find in the response:
``MARK$((1234+5678))$(echo MARK)MARK`` prints ``MARK6912MARK…`` only where arithmetic expansion and command
substitution ran; ``` 42`true` ``` and ``` 42`echo ab``echo cd` ``` change the value only under a shell. The commands
themselves (``echo``, ``printf``, ``true``, ``false``, ``expr``) are harmless and appear in prose, so the separator
rules do not count them; what gives these away is the *substitution glued to the value*:

- ``$((N op N))`` on literal numbers, or ``$(echo …)`` / ``$(true)`` and the like, touching a word on either side,
  following a separator or a word and quote (``x"$(echo y)"``), chained to another substitution, or forming the whole
  value. Not glued, in a sentence (run `echo $((1+2))` to see 3), it is documentation. jQuery's ``$(this)``,
  ``$('#id')`` and Makefile's ``$(shell …)`` name no such command.
- a backtick substitution of such a command glued to a word (``` 42`true` ```, ``` 42"`false`" ``` with the quote
  closed again), or two backtick substitutions of commands back to back, one with an argument
  (``` `echo a``printf b` ```, also with more chained after them; two bare names such as ``` `echo``printf` ``` may
  be a code span of prose).
  A lone markdown code span (``` `true` ```, ``` use `npm install` ```) has a space or punctuation before it; a CJK
  sentence glues its code spans to non-ASCII letters, which do not count.
- bash's function import with any shell after the body (``() { _; } >_[$($())] { … }``), the Shellshock family:
  a value that *starts* with ``() {`` and goes on with a redirection or a separator is an exported function, not
  prose or a JavaScript sample (those say ``function`` or ``=>``).
"""

from __future__ import annotations

import re

_NUMBER = r"\(?\s*-?\d{1,24}\s*\)?"
_ARITHMETIC = rf"\$\(\(\s*{_NUMBER}(?:\s*(?:[-+*/%^&|]|\*\*|<<|>>)\s*{_NUMBER}){{1,8}}\s*\)\)?"
"""``$((282037+31337))`` on literal numbers; the closing parenthesis may be one short (a probe that lost it still
runs in a lenient shell and is still meant)."""
_HARMLESS = r"(?:echo|printf|expr|true|false)"
_HARMLESS_SUBST = rf"\$\(\s*{_HARMLESS}(?:\s[^()`\n]{{0,120}})?\)"
_SUBST = re.compile(rf"{_ARITHMETIC}|{_HARMLESS_SUBST}")
_WORD_CHAR = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SEPARATORS = frozenset(";|&\n\r")
_QUOTES = frozenset("'\"")

_BACKTICK_INNER = rf"\s*(?:true|false|{_HARMLESS}\s[^`\n]{{0,120}})\s*"
_GLUED_BACKTICK = re.compile(rf"(?<=[A-Za-z0-9_])(['\"]?)`(?:{_BACKTICK_INNER})`(?!`)")
_COMMAND_HEAD = r"\s*(?:(?:/usr)?/s?bin/)?[a-z][\w.-]*(?=[\s`]|\$\{|$)"
_ADJACENT_BACKTICKS = re.compile(
    rf"(?<!`)`({_COMMAND_HEAD}[^`\n]{{0,120}})``({_COMMAND_HEAD}[^`\n]{{0,120}})`(?:`[^`\n]{{1,120}}`)*(?!`)", re.I
)
"""Two substitutions back to back, and any more chained after them (`` `echo a``id``echo b` ``): the first two
decide."""

_FUNCTION_IMPORT = re.compile(r"\s*['\"]?\(\s*\)\s*\{[^}\n]{0,40}\}\s*(?:[;&|<>]|\$\(|`)")
"""A value opening with an exported bash function and going on with shell after its body: ``() { :; };``,
``() { _; } >_[$($())] { … }``, ``() { x; } | …``."""


def confirmation_probe(text: str, tools: frozenset[str]) -> tuple[int, int] | None:
    """The span of an injection-confirmation probe in ``text`` (already shell-normalised), if any; ``tools`` are the
    command names that count in a pair of back-to-back backtick substitutions."""
    if "$(" in text and (found := _glued_substitution(text)):
        return found
    if "`" in text:
        m = _GLUED_BACKTICK.search(text)
        if m is not None and (not m.group(1) or text.startswith(m.group(1), m.end())):
            return m.start(), m.end()
        if "``" in text:
            for pair in _ADJACENT_BACKTICKS.finditer(text):
                inner = pair.group(1).strip(), pair.group(2).strip()
                if all(_head(i) in tools for i in inner) and any(" " in i for i in inner):
                    return pair.start(), pair.end()
    if "{" in text and (imported := _FUNCTION_IMPORT.match(text)):
        return imported.start(), imported.end()
    return None


def _head(inner: str) -> str:
    word = inner.strip().split(None, 1)[0] if inner.strip() else ""
    return word.rsplit("/", 1)[-1].lower()


def _glued_substitution(text: str) -> tuple[int, int] | None:
    """A ``$((N+N))`` or ``$(echo …)`` substitution glued to the value around it (see the module docstring)."""
    for m in _SUBST.finditer(text):
        start, end = m.start(), m.end()
        if start == len(text) - len(text.lstrip()) and end == len(text.rstrip()):
            return start, end  # the whole value
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if before in _WORD_CHAR or before in _SEPARATORS or after in _WORD_CHAR or after == "$":
            return start, end
        if before in _QUOTES and start > 1 and text[start - 2] in _WORD_CHAR and after == before:
            return start - 1, end + 1
        if before.isspace() and text[max(0, start - 64) : start].rstrip()[-1:] in _SEPARATORS:
            return start, end  # after a separator and a space: "x; $(echo y)"
    return None
