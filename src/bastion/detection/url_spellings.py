"""URLs spelled so that one URL parser reads an internal host where a guard's parser reads none (fresh51).

``ssrf.is_ssrf`` reads ``scheme://authority`` up to the first space, ``\\``, ``/``, ``?`` or ``#``. Parsers disagree
about what comes before those, and SSRF guards test the disagreements (ssrfcheck, after Orange Tsai's "A New Era of
SSRF"):

- a web scheme without slashes, ``https:192.168.0.1``, or with one, ``http:/localhost`` (fresh64: Aikido Zen's SSRF
  tests): WHATWG URL parsers (browsers, Node's ``URL``) read the authority anyway for the special schemes;
- blanks after ``//``, ``https:// 127.0.0.1``, ``:// 127.0.0.1``: parsers that strip or skip them connect there;
- a ``\\`` or a blank inside the user information, ``http://a\\@localhost``, ``http://a @localhost``: a parser that
  takes them as user-name characters reads the host after the ``@``;
- only slashes before the host, ``///10.0.0.1``, ``//①②⑦.0.0.1``: a scheme-relative URL, and WHATWG parsers skip
  any number of slashes (and ``\\``) before a special scheme's host.

Each counts when the host it reads is internal (``ssrf.internal_address``: loopback, private, link-local, metadata,
in any notation), after NFKC folding of enclosed and full-width forms (``①②⑦`` is 127, as IDNA maps it). A public
host, prose (``see https: the spec``), a path (``/usr/lib``) or a mail address pass. Each regex is anchored or starts
at a ``:`` or the value's start, reads a bounded run without nested repeats: linear.
"""

from __future__ import annotations

import re
import unicodedata

from bastion.detection.ssrf import internal_address

Span = tuple[int, int]

_HOST = r"(\[[0-9a-f:.%]{2,60}\]|[^\s/\\?#@\[\]]{1,253})"
"""A bracketed IPv6 host or a run of host characters (a ``:port`` may follow inside the run)."""
_NO_SLASHES = re.compile(r"(?<![\w.+-])(?:https?|wss?|ftp):(?![/\\])" + _HOST, re.I)
"""A web scheme, no slash, then a host (``https:192.168.1.1:9000``); ``http:@0/`` is ``is_ssrf``'s."""
_ONE_SLASH = re.compile(r"(?<![\w.+-])(?:https?|wss?|ftp):[/\\](?![/\\])" + _HOST, re.I)
"""A web scheme, one slash (or ``\\``), then a host (``http:/localhost/path``)."""
_BLANK_AUTHORITY = re.compile(r"(?:(?<![\w.+-])[a-z][a-z0-9+.-]{0,20})?://[ \t]+" + _HOST, re.I)
"""``//`` then blanks before the host; the scheme may be missing (``:// 127.0.0.1``)."""
_ODD_USERINFO = re.compile(
    r"(?<![\w.+-])(?:https?|wss?|ftp)://[^\s/\\?#@]{0,253}(?:\\+[ \t]*|[ \t]+)@([^\s/\\?#@]{1,253})", re.I
)
"""User information that runs into a ``\\`` or a blank before the ``@``."""
_SLASHES_ONLY = re.compile(
    r"\s*[/\\]{2,8}(\[[0-9a-f:.%]{2,60}\]|[^\s/\\?#@:\[\]]{1,253})(?::\d{1,5})?(?:[/\\?#]\S{0,2000})?\s*", re.I
)
"""A whole value that is slashes, a host, an optional port and an optional path."""


def _host(text: str) -> str:
    if text.startswith("["):
        return text
    return text.rsplit(":", 1)[0] if text.count(":") == 1 else text


def _internal(text: str) -> bool:
    host = _host(text)
    return internal_address(host) and not (host.isdigit() and int(host) < 1 << 24)  # ``1234`` is a number


def _patterns(text: str) -> list[re.Pattern[str]]:
    """The patterns that can match ``text``, by substrings each needs: most URLs (``https://host/path``) need none."""
    out = []
    if text.count(":") > text.count(":/") + text.count(":\\"):
        out.append(_NO_SLASHES)  # a colon followed by no slash
    if text.count(":/") > text.count("://") or text.count(":\\") > text.count(":\\\\"):
        out.append(_ONE_SLASH)  # a colon and one slash (every ":/" of an ordinary URL is a "://")
    if "// " in text or "//\t" in text:
        out.append(_BLANK_AUTHORITY)
    if "@" in text and ("\\" in text or " @" in text or "\t@" in text):
        out.append(_ODD_USERINFO)
    return out


def spelled_target(value: str) -> Span | None:
    """The span of a URL spelled in one of the module's ways whose host is internal, or ``None``."""
    if len(value) > 4096 or (":" not in value and "/" not in value[:8] and "\\" not in value[:8]):
        return None
    folded = value if value.isascii() else unicodedata.normalize("NFKC", value)
    if ":" in folded:
        for pattern in _patterns(folded):
            for m in pattern.finditer(folded):
                if _internal(m.group(1)):
                    return (m.start(), m.end()) if folded is value else (0, len(value))
    if folded[:8].lstrip()[:2] in {"//", "\\\\", "/\\", "\\/"}:
        whole = _SLASHES_ONLY.fullmatch(folded)
        if whole is not None and _internal(whole.group(1)):
            return 0, len(value)
    return None
