"""A remote script handed to a PHP include: ``http://host/shell.txt?``, ``http://evil.txt?cmd?cmd`` (fresh43's misses).

Remote file inclusion is the bulk of the PHP advisories of 2005-2010 (Exploit-DB ``php/webapps``): a parameter that
the application passes to ``include($_GET['x'] . '.php')`` is given a URL, and PHP (``allow_url_include``) fetches and
runs what it names. The application appends its own suffix (``.php``, ``/config.inc.php``), so the URL is ended so as
to turn that suffix into something harmless: a query string (a bare ``?`` at the very end makes the suffix the query
the remote server ignores) or a NUL byte (PHP before 5.3.4 cut the path there). The script itself is a text file or
a ``.php`` the attacker's server does not run (``c99.txt``, ``shell.php``, ``cmd.php``).

The shape is the whole value: an ``http``/``https``/``ftp`` URL whose host or last path segment names such a file
(``.txt``, ``.php``, ``.phtml``, ``.inc``, ``.phar``) and then, right after that name, either ``?`` that ends the
value (or is followed by a NUL byte), or a query holding a second ``?`` and no ``name=value`` pair
(``?cmd?cmd``). A link to a page or a download never ends in a bare ``?`` after a file name nor repeats the ``?``:
``https://example.com/index.php?id=5``, ``https://cdn.example.com/notes.txt``, ``https://example.com/search?`` and
``https://example.com/a.php?page`` all pass. A NUL byte after a file name in general is ``signatures.traversal``'s.

The second shape (fresh81, Nikto's RFI checks): a URL to a text file (``.txt``, ``.inc``) whose query names the shell
the included script is to run: the web shell's command parameter (``?cmd``, ``?cmd=id``, ``?command=uname``)
or a bare command word (``?ls``, ``?id``). A static text file takes no query of its own, so a command in it is for the
code the text becomes once included. ``https://example.com/notes.txt?v=2``, ``readme.txt?download=1`` and
``https://example.com/admin.php?cmd=list`` (a page's own parameter) pass.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_SCRIPT_URL = re.compile(
    r"\s*(?:https?|ftps?)://[^\s?#\x00/]{1,255}(?:/[^\s?#\x00/]{0,255}){0,32}?"
    r"\.(?:txt|php[3-8s]?|phtml|inc|phar)"
    r"(?:\?++\s*(?:\x00.{0,64})?|\?[^\s=?\x00]{0,64}\?[^\s=\x00]{0,64})\s*",
    re.I | re.S,
)
"""The whole value (``fullmatch``): a URL to a script or text file ended by bare ``?`` (optionally then a NUL and a few
characters: ``?%00``, ``?\\x00.jpg``) or by a query with a second ``?`` and no ``=``. Each part is bounded and the
segments cannot overlap (``/`` is outside the segment class), so the match is linear in the value."""


_SHELL_QUERY = re.compile(
    r"\s*(?:https?|ftps?)://[^\s?#\x00/]{1,255}(?:/[^\s?#\x00/]{0,255}){0,32}?\.(?:txt|inc)"
    r"\?(?:(?:cmd|command|exec)(?:=[^\s&#\x00]{0,128})?|(?:id|ls|pwd|whoami|uname|dir|ps|hostname|ifconfig|ipconfig))"
    r"(?:&[^\s#\x00]{0,256})?\s*",
    re.I | re.S,
)
"""The whole value (``fullmatch``): a URL to a text file whose query is the included shell's command parameter (bare or
with a value) or a bare command word, then at most further ``&`` parameters. Bounded parts, ``/``-free segments:
linear like ``_SCRIPT_URL``."""


def remote_include(value: str) -> Span | None:
    """The span of a URL written to be included remotely (the module docstring's shapes), or ``None``."""
    if "?" not in value or len(value) > 2048 or "://" not in value[:16]:
        return None
    m = _SCRIPT_URL.fullmatch(value) or _SHELL_QUERY.fullmatch(value)
    return (m.start(), m.end()) if m is not None else None
