"""XML documents whose DTD declares nothing a parser fetches or multiplies (fresh57).

``signatures.xxe`` refuses every ``<!DOCTYPE name [`` and every ``<!ENTITY``: an internal subset is where the
external entity, the parameter entity and the billion-laughs chain are declared. Many ordinary documents carry an
internal subset all the same: element and attribute-list declarations (``<!ATTLIST e id ID #IMPLIED>``, so that
``id()`` and default attributes work, the canonicalisation test suites' inputs) and named text or characters
(``<!ENTITY nbsp "&#160;">``, ``<!ENTITY product "Widget Pro">``). ``inert_subset`` reads such a subset declaration
by declaration and gives its end when every declaration is one of

- a comment, an ``<!ELEMENT …>`` or an ``<!ATTLIST …>`` declaration (no quote-free ``<`` or ``>`` inside);
- a general entity with a quoted literal value of at most ``MAX_VALUE`` characters that holds no ``%`` (no parameter
  entity, no ``&#37;``/``&#x25;`` spelling one) and refers to at most one other general entity, declared before it
  (predefined ``&lt;`` etc. aside): a chain of single references grows linearly and cannot loop; the laughs need two
  or more references per level, a loop needs a reference forward.

Anything else keeps the document refused: ``SYSTEM``/``PUBLIC`` (external entity, notation, external DTD), a
parameter entity, a processing instruction or conditional section in the subset, more than ``MAX_DECLARATIONS``
declarations, a large value (the quadratic blow-up repeats one long entity), an entity declared twice. The
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
_REFERENCE = re.compile(r"&([\w.:-]{1,64});")
_PREDEFINED = frozenset({"lt", "gt", "amp", "apos", "quot"})
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
    """The end of the DOCTYPE at ``start`` when its internal subset declares nothing fetched or multiplied (see
    the module docstring), else ``None``."""
    opening = _SUBSET_OPEN.match(value, start)
    if opening is None:
        return None
    pos = opening.end()
    declared: set[str] = set()
    for _ in range(MAX_DECLARATIONS + 1):
        if (close := _SUBSET_CLOSE.match(value, pos)) is not None:
            return close.end()
        m = _DECLARATION.match(value, pos)
        if m is None or m.end() == pos:
            return None
        name = m.group(1)
        if name is not None:
            text = m.group(2) if m.group(2) is not None else m.group(3)
            if name in declared or "&#37;" in text or "&#x25;" in text.lower():
                return None
            refs = [r for r in _REFERENCE.findall(text) if r not in _PREDEFINED]
            if len(refs) > 1 or (refs and refs[0] not in declared):
                return None
            declared.add(name)
        pos = m.end()
    return None


def xinclude_declared_only(value: str) -> bool:
    """The value declares the XInclude namespace but holds no ``include`` element."""
    return _INCLUDE_ELEMENT.search(value) is None
