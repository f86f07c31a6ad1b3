"""Script URLs where a markdown, reStructuredText or HTML renderer makes a link (fresh54: the XSS inputs markdown
renderers and HTML sanitizers on npm and PyPI test themselves against).

``xss._SCRIPT_URL`` wants code after a ``javascript:`` scheme (a call, an assignment, a string): in free text a scheme
followed by a bare word is a title (``JavaScript: the good parts``). A renderer's link destination is no free text:
whatever it holds becomes an ``href`` or a ``src``, and a click runs it. So in the places a renderer reads as a link
target a script scheme followed by any name is script (``script_link``):

- a markdown inline link or image (``[h](javascript:alert)``, ``![x](<vbscript:msgbox>)``), a reference definition
  (``[r]: javascript:alert``) or an autolink (``<x-javascript:alert(1)>``);
- a reStructuredText directive argument or ``:target:`` option (``.. image:: javascript:alert``);
- an HTML URL attribute (``<img src="javascript:evil"/>``).

The scheme is read as the renderer's URL check reads it: character references decoded (``&#x6a;avascript``,
``javascript&colon;``), a percent-encoded colon decoded (``javascript%3Aalert``), any case, an HTML comment glued
inside the word dropped (``java<!-- -->script:``: what XML data islands and comment-stripping filters join), and
script schemes behind a prefix (``x-javascript:``, ``feed:javascript:``) or of old browsers (``livescript:``,
``mocha:``). ``[JavaScript: the good parts](https://…)``, ``<JavaScript: a guide>`` (a blank after the colon) and
``[see](javascript.md)`` are links to pages.

And a whole value that is a CSS ``expression()`` reading the page (``expression(body.scrollTop + 50 + px)``;
``css_expression``): the value xss-filters' CSS tests feed into ``style="width: …"``, where old IE evaluates the
expression as script. ``xss._CSS_DECL`` wants the property before it; the whole value is the property's value.
Prose writes "the expression (x + 1)" with a blank, or no member access inside.

Both searches are bounded and have no nested quantifier over overlapping classes: linear in the value.
"""

from __future__ import annotations

import html
import re

_LINK_TARGET = re.compile(
    r"(?:\]\(\s*<?|\]:[ \t]*<?|<|\.\.[ \t]+[\w-]{1,30}::[ \t]+|:target:[ \t]+"
    r"|\b(?:href|src|action|formaction|xlink:href|poster|background|lowsrc|dynsrc)\s*=\s*[\"']?[ \t]*)"
    r"(?:[a-z][a-z0-9+.]{0,30}[-:])?(?:(?:java|vb|live)script|mocha):(?=[a-z_$])",
    re.I,
)
"""Where a renderer reads a link target, then a script scheme (after an optional scheme prefix) and a name glued to
the colon."""
_GLUED_COMMENT = re.compile(r"(?<=[a-z])<!--.{0,40}?-->(?=[a-z])", re.I | re.S)
_ENCODED_COLON = re.compile(r"%(?:25)?3a", re.I)
_CSS_EXPRESSION = re.compile(r"\s*expression\s*\(\s*[a-z_$][\w$]{0,40}\s*\.\s*[a-z_$]", re.I)


def _as_renderer_reads(value: str) -> str:
    text = value
    if "<!--" in text:
        text = _GLUED_COMMENT.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if "%" in text:
        text = _ENCODED_COLON.sub(":", text)
    return text


def script_link(value: str) -> tuple[int, int] | None:
    """The span of a script-scheme link target that names anything, as a renderer reads it, else ``None``."""
    low = value.lower()
    if "script" not in low and "mocha" not in low:
        return None  # a scheme spelled wholly in references is script_spellings' (fresh48)
    text = _as_renderer_reads(value)
    found = _LINK_TARGET.search(text)
    if found is None:
        return None
    return (found.start(), found.end()) if text is value else (0, len(value))


def css_expression(value: str) -> tuple[int, int] | None:
    """The whole value when it is a CSS ``expression(`` reading a member of the page, else ``None``."""
    if "xpression" not in value[:24] or not _CSS_EXPRESSION.match(value):
        return None
    return 0, len(value)
