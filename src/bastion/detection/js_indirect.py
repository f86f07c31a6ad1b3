"""Script that reaches a dialog or ``eval`` without writing the call plainly (fresh32's JavaScript-context misses).

A value reflected into a script, an event handler or a JSONP callback runs as JavaScript with no tag around it. A
filter that looks for ``alert(`` is passed by spelling the call another way; each form below is one of those ways,
and each names the sink (``alert``, ``confirm``, ``prompt``, ``eval``) or a script loader, so code and prose that
mention neither never reach the searches:

- the sink's name split across string literals joined with ``+`` (``window['a'+'l'+'e'+'r'+'t']``,
  ``x='ev'+'al'``, ``Set.constructor('ale'+'rt(13)')()``, ``this[`al`+/ert/.source]``): the joined literals are the
  bare name, or the name and one argument list, and no single literal holds it (``split_sink``);
- the sink handed on as a value: made an object's ``valueOf``/``toString`` (``valueOf=alert;window+''``), made the
  error handler with the ``throw`` on the next line (``onerror=alert⏎throw 1``), passed to an array method as its
  callback (``[1].findIndex(alert)``), the last operand of a comma sequence that is called
  (``(1,2,alert)(1)``), interpolated into a tagged template (``"a,".replace`a${alert}```);
- the sink reached without its plain name before a parenthesis: ``[alert][0].call(this,1)``, a string-keyed member
  (``content['alert'](6)``), ``with(document)alert(cookie)``, ``new Function`…```;
- a JavaScript string closed and a statement that starts with a unary operator before the sink (``';-alert(1)//``),
  or closed by ``replace``'s ``$'``/``$`` ``/``$&`` patterns when the value is a replacement string
  (``$'$`alert(1)//``);
- an event handler whose value loads or builds script (``onfocus="…;$.getScript(url)"``,
  ``onclick="x=String.fromCharCode(…)"``);
- a tag name that becomes ``script`` once a filter deletes ``script`` from it (``<SCRscriptIPT>``), the nested form
  of ``<scr<script>ipt>``;
- a string-evaluating sink handed the page's address, referrer, cookie or window name
  (``eval(URL.slice(-8))>#alert(1)``, fresh67): the code rides in the URL fragment (``_DOM_SOURCE_EVAL``).

Every search is bounded (no unbounded run before a backtracking point), so a 128 KiB value costs one linear pass per
search.
"""

from __future__ import annotations

import re

_SINK = r"(?:alert|confirm|prompt|eval)"

_LITERAL = r"(?:'[^'\n\\]{0,24}'|\"[^\"\n\\]{0,24}\"|\x60[^\x60\n\\$]{0,24}\x60|/[\w]{1,24}/\s{0,4}\.\s{0,4}source)"
_LITERAL_CHAIN = re.compile(_LITERAL + r"(?:[ \t]{0,8}\+[ \t]{0,8}" + _LITERAL + r"){1,12}")
_LITERAL_BODY = re.compile(r"^(?:'|\"|\x60)(.*)(?:'|\"|\x60)$|^/(\w+)/\s*\.\s*source$", re.S)
_JOINED_SINK = re.compile(r"\s*" + _SINK + r"\s*(?:\([^()\n]{0,40}\)\s*)?")
_SINK_WORD = re.compile(_SINK)

_PASSED = re.compile(
    r"(?<![\w$.])(?:valueOf|toString)\s*=\s*" + _SINK + r"\b"
    r"|(?<![\w$.])onerror\s*=\s*" + _SINK + r"\s*[;,}]?\s*throw\b"
    r"|\.\s*(?:findIndex|findLast|findLastIndex|flatMap|reduceRight|some|every|filter)\s*\(\s*" + _SINK + r"\s*[,)]"
    r"|,\s*" + _SINK + r"\s*\)\s*[(\x60]"
    r"|[\w$)\]\"']\s*\x60[^\x60\n]{0,80}?\$\{\s*" + _SINK + r"\s*\}",
)
"""A sink handed on as a value (see the module docstring): each form needs the sink as a whole name next to the
operator that hands it on, which prose and ordinary code do not write (an ``alerts.push(alert)`` passes a variable
to ``push``, no array iteration method)."""

_REACHED = re.compile(
    r"\[\s*" + _SINK + r"\s*\]\s*\[\s*0\s*\]\s*\.\s*(?:call|apply|bind)\s*[(\x60]"
    r"|[\w$)\]]\s*\[\s*(['\"\x60])" + _SINK + r"\1\s*\]\s*(?:[(\x60]|\.\s*(?:call|apply|bind)\s*[(\x60])"
    r"|(?<![\w$.])with\s*\(\s*(?:document|window|self|top|parent|this)\s*\)\s*" + _SINK + r"\s*[(\x60]"
    r"|(?<![\w$.])new\s+Function\s*\x60"
    r"|['\"\x60]\s*[)\]}]{0,4}\s*[;,]\s*[-+~!]{1,3}\s*" + _SINK + r"\s*[(\x60]"
    r"|(?<![\w$])(?:\$['\x60&]){2,4}\s*" + _SINK + r"\s*[(\x60]",
)
"""The sink reached without its plain name before a parenthesis, called after a string break-out and a unary
operator, or after ``String.prototype.replace``'s special patterns (``$'$`alert(1)//``: a value used as a
replacement string is rewritten to the text after and before the match, which closes the string it lands in)."""

_HANDLER_LOADER = re.compile(
    r"(?:^|[\s\"'/;])on[a-z]{3,24}\s*=\s*[\"']?[^\"'\n<>]{0,200}?"
    r"(?:\$\s*\.\s*getScript|\bjQuery\s*\.\s*getScript|\bglobalEval|\bString\s*\.\s*fromCharCode)\s*\(",
    re.I,
)
"""An event handler whose value loads a script (jQuery's ``getScript``/``globalEval``) or builds one from character
codes: markup and prose never put either in an ``on…=`` attribute."""

_NESTED_SCRIPT_TAG = re.compile(r"<\s*/?\s*([a-z]{12})(?=[\s/>])", re.I)

_DOM_SOURCE_EVAL = re.compile(
    r"(?<![\w$.])(?:eval|setTimeout|setInterval|execScript|Function)\s{0,8}\(\s{0,8}"
    r"(?:(?:decodeURI(?:Component)?|unescape|atob)\s{0,8}\(\s{0,8}){0,2}"
    r"(?:(?:(?:window|self|top|parent|document)\s{0,8}\.\s{0,8})?location(?:\s{0,8}\.\s{0,8}"
    r"(?:hash|search|href|pathname))?|(?:document\s{0,8}\.\s{0,8})?(?:URL|documentURI|baseURI)"
    r"|document\s{0,8}\.\s{0,8}(?:referrer|cookie)|(?:window|self|top|parent)\s{0,8}\.\s{0,8}name)"
    r"(?![\w$])\s{0,8}[.)\[]"
)
"""A string-evaluating sink (``eval``, ``setTimeout``, ``Function`` …) handed a part of the page's own address, its
referrer, cookie or window name (``eval(location.hash.slice(1))``, ``setTimeout(decodeURI(location.hash))``,
``eval(URL.slice(-8))``): the DOM-based injection whose code rides in the URL fragment, where the server never sees
it. Case as JavaScript writes it; a variable named ``location_id`` or ``url`` is no source."""


def _literal_text(literal: str) -> str:
    m = _LITERAL_BODY.match(literal.strip())
    return "" if m is None else (m.group(1) if m.group(1) is not None else m.group(2) or "")


def split_sink(value: str) -> tuple[int, int] | None:
    """The span of a ``+`` chain of string literals (or regular-expression ``.source`` parts) whose joined text is a
    sink's bare name, perhaps with one argument list, when no single literal holds the name: the name was cut to
    pass a filter. Joined text that only contains the name (``'conf' + 'irm your e-mail'``) is a sentence."""
    for m in _LITERAL_CHAIN.finditer(value):
        parts = [_literal_text(p) for p in re.split(r"[ \t]*\+[ \t]*", m.group())]
        joined = "".join(parts)
        if _JOINED_SINK.fullmatch(joined) and not any(_SINK_WORD.search(p) for p in parts):
            return m.start(), m.end()
    return None


def _nested_script_tag(value: str) -> tuple[int, int] | None:
    for m in _NESTED_SCRIPT_TAG.finditer(value):
        name = m.group(1).lower()
        at = name.find("script", 1)
        if 0 < at < 6 and name[:at] + name[at + 6 :] == "script":
            return m.start(), m.end()
    return None


def indirect_sink(value: str) -> tuple[int, int] | None:
    """The span of script that reaches a sink indirectly (the module docstring's forms), or ``None``."""
    low = value.lower()
    if "+" in value and ("'" in value or '"' in value or "\x60" in value) and (split := split_sink(value)) is not None:
        return split
    if "alert" in low or "confirm" in low or "prompt" in low or "eval" in low:
        for pattern in (_PASSED, _REACHED):
            if (found := pattern.search(value)) is not None:
                return found.start(), found.end()
    elif "new" in low and "function" in low and (found := _REACHED.search(value)) is not None:
        return found.start(), found.end()
    if "on" in low and "=" in value and ("getscript" in low or "globaleval" in low or "fromcharcode" in low) and (
            found := _HANDLER_LOADER.search(value)) is not None:
        return found.start(), found.end()
    if "<" in value and "script" in low and (nested := _nested_script_tag(value)) is not None:
        return nested
    if "(" in value and ("location" in value or "URL" in value or "document" in value or "name" in value) and (
            found := _DOM_SOURCE_EVAL.search(value)) is not None:
        return found.start(), found.end()
    return None
