"""PHP code that writes a server-side script: ``file_put_contents('x.php', …)`` (fresh49).

An injected PHP expression that creates a file the web server will run is the step from code injection to a
persistent web shell (the ThinkPHP, ECShop and many CMS exploits: ``print_r(file_put_contents('s.php',
file_get_contents('http://…/shell.txt')))``, ``fputs(fopen('s.php','w'), …)``). What gives it away is the call
itself with a script file name as its target: ``file_put_contents`` or ``fopen`` of a ``.php``, ``.phtml``, ``.phar``,
``.jsp``, ``.asp`` or ``.aspx`` name. Documentation that mentions ``file_put_contents()`` passes no such literal.
"""

from __future__ import annotations

import re

_WRITE = re.compile(
    r"(?<![\w$>-])(?:file_put_contents|fopen)\s*\(\s*(['\"])[^'\"\n]{0,200}?\.(?:php\d?|phtml|phar|pht|jspx?|aspx?)\1",
    re.I,
)
TRIGGER = rb"(file_put_contents|fopen)\s*\("
"""The prefilter trigger (``prefilter.TRIGGERS["cmdi"]``)."""


def script_write(value: str) -> tuple[int, int] | None:
    """The span of a PHP write of a script file in ``value``, else ``None``."""
    if "(" not in value:
        return None
    m = _WRITE.search(value)
    return (m.start(), m.end()) if m else None
