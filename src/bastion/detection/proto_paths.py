"""Prototype pollution that ``signatures.proto`` does not spell out (fresh53: express-mongo-sanitize's, object-path's
and dset's regression tests):

- a key that a sanitizer turns into a prototype key (``sanitizer_standin``): express-mongo-sanitize (and similar
  middleware) replaces a leading ``$`` with ``replaceWith``; with ``replaceWith: "_"`` the key ``$_proto__`` becomes
  ``__proto__``, with ``"c"`` ``$onstructor`` becomes ``constructor``, with ``"p"`` ``$rototype`` becomes
  ``prototype``. A ``$`` followed by one of those names less its first letter (or ``proto__`` less two) is no word
  of any language or code: the stand-in is built for the replacement.
- an array key path that walks from the root through ``constructor`` to ``prototype`` (``array_path``): lodash's
  ``set``, object-path and dset take a path as an array of keys, and a nested array is coerced to its string
  (``[["constructor"], "prototype", "polluted"]``). The dotted and bracket forms are ``signatures._PROTO``'s. The
  array must start with ``constructor`` (a list of tags that merely holds both words, ``["js", "constructor",
  "prototype"]``, does not walk from the root).

Both patterns are anchored on a fixed token and bounded: linear in the value.
"""

from __future__ import annotations

import re

_STANDIN = re.compile(r"(?:^|[\"'{,&?\[.])\$(?:_?proto__|onstructor|rototype)(?=$|[\s\"'\]\[.=:&])")
_ARRAY_PATH = re.compile(r"\[\s*+\[?\s*+([\"'])constructor\1\s*+\]?\s*+,\s*+\[?\s*+([\"'])prototype\2")


def sanitizer_standin(value: str) -> tuple[int, int] | None:
    """The span of ``$_proto__``, ``$onstructor`` or ``$rototype`` as a key, or ``None``."""
    if "$" not in value:
        return None
    m = _STANDIN.search(value)
    return m.span() if m else None


def array_path(value: str) -> tuple[int, int] | None:
    """The span of ``["constructor", "prototype"`` (nested brackets allowed) at an array's start, or ``None``."""
    if "constructor" not in value:
        return None
    m = _ARRAY_PATH.search(value)
    return m.span() if m else None
