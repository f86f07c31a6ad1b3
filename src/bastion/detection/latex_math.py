"""Inline TeX math in prose, which PHP's variable-call shapes would otherwise read as code (fresh57).

Abstracts, papers' comments and forum posts write complexity in TeX: ``$O(n \\log n)$``, ``$O(MN)$``, ``$O(1)$``.
PHP obfuscators name variables ``$O``, ``$O0O0`` or ``$__`` and call them (``$O($_GET[1])``), which
``php_code._OBFUSCATED_VAR_CALL`` refuses. A single capital ``O`` whose parenthesis closes on the same short line and
is followed at once by the ``$`` that ends the math span is the big-O of inline math: no PHP statement ends a call
with ``)$``, and an argument that is itself a variable (``$O($x)$``) keeps the value refused.
"""

from __future__ import annotations

import re

_BIG_O = re.compile(r"\$O\([^$;\r\n]{0,80}\)\$")


def big_o(code: str, start: int) -> bool:
    """The variable call found at ``start`` is TeX's ``$O(…)$``."""
    return _BIG_O.match(code, start) is not None
