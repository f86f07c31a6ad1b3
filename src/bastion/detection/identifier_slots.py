"""JavaScript written for a template compiler's identifier slot, and render options set from request data (fresh55:
the option-injection tests of ejs, lodash/underscore and doT).

A JavaScript template engine compiles a template into the source of a function and splices some options into that
source unquoted, as names: ejs's ``outputFunctionName``, ``localsName`` and ``destructuredLocals``, lodash's and
underscore's ``variable``, doT's ``varname``. When such an option comes from the request (Express hands
``req.query``/``req.body`` to ``res.render`` as data *and* options, CVE-2022-29078; a polluted ``Object.prototype``
the engine reads its settings from, CVE-2021-23358), the "name" is code the server runs. A name is one identifier;
these values are code written to fit where one stands:

- ``slot_code`` (the whole value is such code): an identifier, a statement and an identifier again
  (``x;console.log(1);x``: the generated ``var x;…;x = …`` stays valid); a statement then a line comment that
  swallows the rest of the generated line (``console.log(1); //``); a function expression called at once
  (``function(){…}()``, ``a = (function() {…}())``, ``(() => {…})()``); a parenthesis closing the generated
  parameter list, a block and the rest (``){delete x.y}; with(obj``); a comma expression that runs a call or writes a
  member and then yields a value (``it=(console.log("x"),{})``, ``(x = a.b = "evil"), obj``,
  ``a = (a.b = "evil")``); a ``document.write`` call assigned or alone.
- ``render_option`` (a request that sets the options): Express's ``settings[view options]`` key path (query/form
  brackets or the JSON object), or one of ejs's spliced option names as a key whose value is not one identifier
  (``[outputFunctionName]=x;…``, ``"localsName":"function(){…}()"``).

A sentence, a price or a snippet with prose around it is not one of these: ``slot_code`` reads the whole value (after
blanks) and each shape is JavaScript from its first character to its last. Every pattern is bounded (no unbounded run
before a backtracking point), so a 128 KiB value costs a constant number of bounded attempts.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_ID = r"[A-Za-z_$][\w$]{0,60}"
_MEMBER = rf"{_ID}(?:\s*\.\s*{_ID}){{1,6}}"
_CALL = rf"{_ID}(?:\s*(?:\.\s*{_ID}|\([^()\n]{{0,200}}\))){{0,8}}\s*\([^()\n]{{0,200}}\)"
"""A call, perhaps on a member or on what another call returns (``require('fs').rmSync('/x')``)."""
_LIT = r"(?:\"[^\"\n]{0,200}\"|'[^'\n]{0,200}'|-?\d{1,20}|true|false|null|\{\s*\}|\[\s*\])"
_EFFECT = rf"(?:{_CALL}|delete\s+{_MEMBER}|{_MEMBER}\s*=\s*{_LIT})"
"""A statement with an effect: a call, a ``delete`` of a member, a member written with a literal."""
_ASSIGNED = rf"(?:{_ID}\s*=\s*)?"

_SLOT = re.compile(
    rf"{_ID}\s*;\s*{_EFFECT}\s*;\s*{_ID}"  # x;console.log(1);x
    rf"|{_EFFECT}\s*;\s*//"  # console.log(1); //
    rf"|{_ASSIGNED}\(?\s*function\s*(?:{_ID})?\s*\(\s*(?:{_ID}\s*(?:,\s*{_ID}\s*){{0,8}})?\)\s*\{{[^\n]{{0,400}}\}}"
    r"\s*\)?\s*\(\s*\)\s*\)?\s*;?"  # function(){…}(), a = (function() {…}())
    rf"|{_ASSIGNED}\(\s*(?:async\s*)?\(\s*\)\s*=>\s*\{{[^\n]{{0,400}}\}}\s*\)\s*\(\s*\)\s*;?"  # (() => {…})()
    r"|\)\s*\{[^{}\n]{0,300}\}\s*;[^\n]{0,300}"  # ){delete x.y}; with(obj
    rf"|{_ASSIGNED}\(\s*{_CALL}\s*,\s*(?:{_LIT}|{_ID})\s*\)\s*;?"  # it=(console.log(1),{})
    rf"|{_ASSIGNED}\(\s*{_ASSIGNED}{_MEMBER}\s*=\s*{_LIT}\s*\)\s*(?:,\s*{_ID}\s*)?;?"  # (x = a.b = "e"), obj
    rf"|{_ASSIGNED}document\s*\.\s*write(?:ln)?\s*\([^\n]{{0,300}}\)\s*;?"  # a = document.write("…")
)

_LOOP_BODY = re.compile(rf"{_ASSIGNED}\(?\s*function\s*(?:{_ID})?\s*\([^)]{{0,200}}\)\s*\{{\s*(?:while|for|do)\b")
"""A function expression whose body opens with a loop: a polling snippet (fresh13's look-alikes), not a slot's code."""

_VIEW_OPTIONS = re.compile(
    r"settings\s*\]?\s*\[\s*view options\s*\]|\"settings\"\s*:\s*\{\s*\"view options\"\s*:", re.I
)
_SPLICED_OPTION = re.compile(
    r"[\[\"](?:outputFunctionName|localsName|destructuredLocals|escapeFunction)[\]\"](?:\s*\[\s*\d{0,4}\s*\])?"
    r"\s*[=:]\s*\[?\s*\"?([^\"&\n]{1,200})"
)
_BARE_NAME = re.compile(_ID)

TRIGGER = (
    rb"(^|\x00)\s*[a-z_$][\w$]*\s*;|;\s*//\s*(\x00|$)|(^|\x00)\s*\)\s*\{|=\s*\(|(^|\x00)\s*\(\s*([a-z_$]|\()"
    rb"|document\s*\.\s*write|view options|outputfunctionname|localsname|destructuredlocals|escapefunction"
)
"""What ``slot_code`` and ``render_option`` need (``function(`` is already in the ssti trigger)."""


def slot_code(value: str) -> Span | None:
    """The span of a whole value that is JavaScript written for an identifier slot (the module docstring's forms)."""
    text = value.strip()
    if not 3 <= len(text) <= 1200 or (m := _SLOT.fullmatch(text)) is None or _LOOP_BODY.match(text):
        return None
    start = value.find(text)
    return start, start + m.end()


def render_option(value: str) -> Span | None:
    """The span of Express's ``settings[view options]`` key path, or of a spliced ejs option given more than a name."""
    if (m := _VIEW_OPTIONS.search(value)) is not None:
        return m.start(), m.end()
    for n, m in enumerate(_SPLICED_OPTION.finditer(value)):
        if n == 8:
            break
        if _BARE_NAME.fullmatch(m.group(1).strip()) is None:
            return m.start(), m.end()
    return None


def identifier_slot(value: str) -> Span | None:
    """``slot_code`` or ``render_option``."""
    return slot_code(value) or render_option(value)
