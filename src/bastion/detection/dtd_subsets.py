"""XML documents whose DTD declares nothing a parser fetches or multiplies (fresh57).

``signatures.xxe`` refuses every ``<!DOCTYPE name [`` and every ``<!ENTITY``: an internal subset is where the
external entity, the parameter entity and the billion-laughs chain are declared. Many ordinary documents carry an
internal subset all the same: element and attribute-list declarations (``<!ATTLIST e id ID #IMPLIED>``, so that
``id()`` and default attributes work, the canonicalisation test suites' inputs) and named text or characters
(``<!ENTITY nbsp "&#160;">``). ``inert_subset`` reads such a subset declaration
by declaration and gives its end when every declaration is one of

- a comment, an ``<!ELEMENT …>`` or an ``<!ATTLIST …>`` declaration (no quote-free ``<`` or ``>`` inside);
- a general entity whose value is character references only (``<!ENTITY nbsp "&#160;">``, a named character), none
  of them ``%``, ``&`` or ``<``. An entity with literal text (``<!ENTITY example "Doe">``) stays refused: it is the
  probe that asks whether the parser expands entities at all (older splits' ``xxe`` payloads), though documents
  use it too;
- an attribute-list declaration gives no handler, ``xmlns``, URL or style attribute by default (the default-attribute
  XSS of fresh7 and fresh20).

Anything else keeps the document refused: ``SYSTEM``/``PUBLIC`` (external entity, notation, external DTD), a
parameter entity, an entity with text (expansion probes, the laughs, the quadratic blow-up), a processing
instruction or conditional section in the subset, more than ``MAX_DECLARATIONS`` declarations. The
document after the subset is still searched (a second DOCTYPE, a stray ``<!ENTITY``), and the values themselves are
inspected by every other class (an entity holding ``<script>`` is still XSS).

``xinclude_declared_only``: the XInclude namespace declared on a document that has no ``include`` element (a
document whose inclusions were already processed, or that only uses ``xi:fallback``) includes nothing.
"""

from __future__ import annotations

import re

MAX_DECLARATIONS = 64
MAX_VALUE = 200
_SUBSET_OPEN = re.compile(r"<!DOCTYPE[ \t\r\n]+[\w.:-]{1,64}[ \t\r\n]*\[", re.I)
_SUBSET_CLOSE = re.compile(r"[ \t\r\n]*\][ \t\r\n]*>")
_CHARACTERS = re.compile(r"(?:[ \t\r\n]*&#(?:[0-9]{1,7}|x[0-9a-fA-F]{1,6});)+[ \t\r\n]*")
_SHIFTED_MARKUP = re.compile(r"&#(?:0*(?:37|38|60)|x0*(?:25|26|3c));", re.I)
"""A ``%``, ``&`` or ``<`` written as a reference: markup or a parameter entity hidden in a named character."""
_ACTIVE_ATTRIBUTE = re.compile(
    r"[ \t\r\n](?:on[a-z]{2,}|xmlns(?::[\w.-]+)?|src|href|xlink:href|style|action|formaction"
    r"|data)[ \t\r\n]",
    re.I,
)
"""An attribute-list declaration that gives elements a handler, a namespace (``xmlns`` making ``<img>`` XHTML) or a
URL by default: ``<!ATTLIST img xmlns CDATA "…xhtml" src CDATA "x" onerror CDATA "alert(1)">`` (fresh7, fresh20)."""
_INCLUDE_ELEMENT = re.compile(r"<(?:[\w.-]{1,64}:)?include\b", re.I)


def _declaration_pattern() -> re.Pattern[str]:
    return re.compile(
        r"[ \t\r\n]*(?:<!--(?:[^-]|-(?!-)){0,2000}-->"
        r"|<!(?:ELEMENT|ATTLIST)[ \t\r\n](?:[^<>\"']|\"[^\"<>]{0,200}\"|'[^'<>]{0,200}'){1,2000}>"
        rf"|<!ENTITY[ \t\r\n]+([\w.:-]{{1,64}})[ \t\r\n]+(?:\"([^\"%]{{0,{MAX_VALUE}}})\"|'([^'%]{{0,{MAX_VALUE}}})')"
        r"[ \t\r\n]*>)"
    )


_DECLARATION = _declaration_pattern()


def inert_subset(value: str, start: int) -> int | None:
    """The end of the DOCTYPE at ``start`` when its internal subset declares nothing fetched, expanded or scripted
    (see the module docstring), else ``None``."""
    opening = _SUBSET_OPEN.match(value, start)
    if opening is None:
        return None
    pos = opening.end()
    for _ in range(MAX_DECLARATIONS + 1):
        if (close := _SUBSET_CLOSE.match(value, pos)) is not None:
            return close.end()
        m = _DECLARATION.match(value, pos)
        if m is None or m.end() == pos:
            return None
        if m.group(1) is not None:
            text = m.group(2) if m.group(2) is not None else m.group(3)
            if not (_CHARACTERS.fullmatch(text) or _one_character(text)) or _SHIFTED_MARKUP.search(text):
                return None
        elif m.group().lstrip().startswith("<!ATTLIST") and _ACTIVE_ATTRIBUTE.search(m.group()):
            return None
        pos = m.end()
    return None


def _one_character(text: str) -> bool:
    """A named character already decoded (the engine also reads the value with references decoded): one or two
    characters, none an ASCII letter or digit, ``%``, ``&`` or ``<``."""
    stripped = text.strip(" \t\r\n")  # a no-break space may be read as a blank
    return (
        0 < len(text) and len(stripped) <= 2 and not any(c.isascii() and (c.isalnum() or c in "%&<") for c in stripped)
    )


def xinclude_declared_only(value: str) -> bool:
    """The value declares the XInclude namespace but holds no ``include`` element."""
    return _INCLUDE_ELEMENT.search(value) is None
