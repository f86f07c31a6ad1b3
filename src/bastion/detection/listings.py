"""Lines that look like a bare command after a line break but are a listing another language reads.

The separator rules of ``shell.is_cmdi`` take a line break as a command separator, so a line that is nothing but
``id`` is the identity probe. Two kinds of text put such a line in a value without any shell in sight:

- a **GraphQL selection set**: ``query {⏎  user {⏎    id⏎    name⏎  }⏎}``. ``id`` is the most common field name
  there is. The pass rests on structure, not on a prefix: the value holds an operation header
  (``query``/``mutation``/``subscription``/``fragment`` … ``{`` opening a line), the line is a bare field name,
  the line before it opens a selection (ends with ``{``) or is another field, and the line after it is another field
  or closes the selection. Trade-off, stated plainly: an attacker can wrap ``id`` in such braces too, and a shell
  handed the whole value would still run the ``id`` line. A GraphQL document, however, is read by a GraphQL
  server; it reaches a shell only when an application passes its request body to one, and what a probe needs to
  *do* there (``;id``, ``|id``, ``$(id)``, ``id -u``, a path, a redirection) is still refused by every other rule:
  only a bare identifier alone on its line passes, and only inside a selection.
- a **name-and-version list** (a security advisory's one-per-line list of affected packages: ``Perl 3.0.0``): a
  line of a capitalised word and a dotted version only. No Linux command is named ``Perl``, and on Windows a
  version number is no script a probe would run; an address (four numbers: ``Ping 127.0.0.1``) is not a version.
"""

from __future__ import annotations

import re

_OPERATION = re.compile(
    r"(?:^|\n)[ \t]*(?:query|mutation|subscription|fragment)\b[^\n;|&`<>]{0,1000}\{[ \t]*\r?$", re.M
)
"""A GraphQL operation header opening a selection at the end of its line."""
_FIELD_NAME = re.compile(r"[ \t]*[A-Za-z_]\w{0,63}[ \t]*\r?(?:\n|$)")
_FIELD_LINE = re.compile(
    r"[ \t]*(?:(?:[A-Za-z_]\w{0,63}[ \t]*:[ \t]*)?[A-Za-z_]\w{0,63}(?:[ \t]*\([^()\n;|&`<>]{0,400}\))?"
    r"(?:[ \t]*@\w{1,63})*[ \t]*\{?|\}|\.\.\.[ \t]*on[ \t]+\w{1,63}[ \t]*\{)[ \t]*\r?$"
)
"""A field of a selection set: ``name``, ``alias: name``, ``name(arg: $v) {``, ``... on Type {``, or ``}``."""
_LOOK = 512
_VERSION_LINE = re.compile(
    r"[A-Z][a-z][\w+#-]{0,30}[ \t]+v?\d{1,4}\.\d{1,4}(?:\.\d{1,4})?(?:-[\w.]{1,20})?[ \t]*\r?(?:\n|$)"
)


def graphql_operation(text: str) -> int:
    """Where the first GraphQL operation header of ``text`` ends, or -1: computed once per value."""
    if "{" not in text:
        return -1
    m = _OPERATION.search(text)
    return m.end() if m else -1


def graphql_field_line(text: str, at: int, operation_end: int) -> bool:
    """``at`` opens a line that is a bare field name inside a GraphQL selection set (see the module docstring);
    ``operation_end`` is ``graphql_operation(text)``. Reads at most ``_LOOK`` characters on either side."""
    if operation_end < 0 or at < operation_end or not _FIELD_NAME.match(text, at):
        return False
    start = text.rfind("\n", 0, at)  # the line break that opens this line; the line before ends there
    before = text[max(0, start - _LOOK) : start].rstrip("\r")
    if "\n" not in before and start > _LOOK:
        return False  # a line longer than the look-back: no selection line
    previous = before.rsplit("\n", 1)[-1]
    if not _FIELD_LINE.fullmatch(previous) or previous.rstrip()[-1:] == "}":
        return False  # the line before opens the selection or is a sibling field
    end = text.find("\n", at)
    if end < 0:
        return False  # a selection is closed after its fields
    after = text[end + 1 : end + 1 + _LOOK].split("\n", 1)[0]
    return _FIELD_LINE.fullmatch(after) is not None


def version_list_line(text: str, at: int) -> bool:
    """``at`` opens a line holding only a capitalised name and a dotted version (``Perl 3.0.0``)."""
    return _VERSION_LINE.match(text, at) is not None
