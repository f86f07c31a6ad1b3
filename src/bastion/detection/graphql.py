"""The string literals of a GraphQL document, each as its own field, named by the argument that holds it.

A GraphQL request carries its arguments inside one text (``mutation { createPaste(content: "…") { id } }``), so a
value there is inspected with the whole document around it: the operation's names, braces and quotes next to an
injection blur what the analysers see (a SQL fragment reads differently after ``content: "`` than as a value of its
own). Here a small linear lexer (GraphQL spec, October 2021, §2.1: ignored tokens, punctuators, names, numbers,
strings and block strings) walks the document once and yields every string and block string value decoded as the
server's parser would (``\\"``, ``\\\\``, ``\\uXXXX`` and ``\\u{…}``; block strings with ``\\\"\"\"`` and common
indentation removed), with a pointer ``<root>/<operation>/<field>/<argument>`` (object fields inside an argument add
their keys; aliases are not named, the field is). Names, enum values, numbers and variables are not yielded: a name
is ``[_A-Za-z][_0-9A-Za-z]*``, which holds no quote, space, operator or markup an injection needs.

Nothing here refuses anything. The caller inspects the whole document as before; these fields come in addition. A
document the lexer cannot read (a character outside the grammar, an unterminated string, unbalanced brackets) yields
the literals read up to that point and nothing more: the whole text is still inspected (fail closed), and a server
would refuse the document anyway. Only executable documents are read (the first lexeme is ``{``, ``query``,
``mutation``, ``subscription`` or ``fragment``): a server executes nothing else, so a text that starts otherwise
cannot reach a resolver as GraphQL. Work is linear: one regex lexeme at a time, each at least one character, and at
most ``MAX_LITERALS`` literals; the rest of a larger document is yielded as one value.
"""

from __future__ import annotations

import re

from bastion.detection.rules import Context

MAX_LITERALS = 4096
"""Literals yielded per document; past this, the rest of the document is one value."""
MAX_DEPTH = 32
"""Nesting deeper than this shares its ancestor's pointer (still inspected)."""

_TOKEN = re.compile(
    r'(?P<skip>[\s,\ufeff]++|#[^\n\r]*+)'
    r'|(?P<block>"""(?:[^"\\]++|\\"""|\\|"(?!""))*+""")'
    r'|(?P<string>"(?:[^"\\\n\r]++|\\.)*+")'
    r'|(?P<name>[_A-Za-z][_0-9A-Za-z]*+)'
    r'|(?P<number>-?[0-9][0-9.eE+-]*+)'
    r'|(?P<punct>\.\.\.|[!$&()\[\]{}:=@|])'
    r'|(?P<bad>"""|.)',
    re.S,
)
_ESCAPE = re.compile(r'\\(?:u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|(.))', re.S)
_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_SURROGATE = re.compile("[\ud800-\udfff]")
_EXECUTABLE = frozenset({"query", "mutation", "subscription", "fragment"})
_OPENS = {"(": ")", "{": "}", "[": "]"}
_CLOSERS = frozenset(")}]")
_FIRST = re.compile(r'(?:[\s,\ufeff]++|#[^\n\r]*+)*+(\{|[_A-Za-z][_0-9A-Za-z]*+)')

Literal = tuple[str, str, Context]
"""(pointer, decoded value, context): the shape of ``bastion.detection.fields.Field``."""


def is_executable(text: str) -> bool:
    """Whether ``text`` starts like an executable GraphQL document (after ignored tokens)."""
    m = _FIRST.match(text)
    return m is not None and (m.group(1) == "{" or m.group(1) in _EXECUTABLE)


def _unescape(m: re.Match[str]) -> str:
    if m.group(3) is not None:
        return _SIMPLE.get(m.group(3), m.group(0))  # an invalid escape: the server refuses; keep it as sent
    code = int(m.group(1) or m.group(2), 16)
    return chr(code) if code <= 0x10FFFF else "\ufffd"


def string_value(lexeme: str) -> str:
    """The value of a ``"…"`` lexeme, as the server decodes it (a surrogate pair becomes one character)."""
    body = lexeme[1:-1]
    if "\\" not in body:
        return body
    value = _ESCAPE.sub(_unescape, body)
    if _SURROGATE.search(value):
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def block_value(lexeme: str) -> str:
    """The value of a ``\"\"\"…\"\"\"`` lexeme: ``\\\"\"\"`` unescaped, common indentation and blank edge lines removed
    (the spec's BlockStringValue)."""
    lines = lexeme[3:-3].replace('\\"""', '"""').replace("\r\n", "\n").replace("\r", "\n").split("\n")
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines[1:] if line.strip(" \t")]
    if indents:
        common = min(indents)
        lines[1:] = [line[common:] for line in lines[1:]]
    while lines and not lines[0].strip(" \t"):
        lines.pop(0)
    while lines and not lines[-1].strip(" \t"):
        lines.pop()
    return "\n".join(lines)


def document_literals(text: str, root: str, kind: str) -> list[Literal]:
    """Every string literal of the executable document ``text``, decoded, with its pointer under ``root`` and a
    context of ``kind`` named by its argument; ``[]`` for a text that is not an executable document. Pointer
    segments are GraphQL names, which never hold ``~`` or ``/``: no escaping is needed."""
    if not is_executable(text):
        return []
    out: list[Literal] = []
    frames: list[tuple[str, str, bool]] = []
    """Per open bracket: the closer it awaits, its owner (the field, directive, operation or argument it belongs
    to; "" for a list) and whether values (not selections) are read inside it."""
    last = key = field = definition = ""
    """The last name; the argument or object key a value belongs to; the last field of a selection set; the
    definition being read at depth 0 (its operation type, then its name)."""
    directive = False
    contexts: dict[str, Context] = {}
    for m in _TOKEN.finditer(text):
        group = m.lastgroup
        if group == "skip":
            continue
        lexeme = m.group()
        inside = bool(frames) and frames[-1][2]
        if group == "name":
            if directive:
                lexeme, directive = "@" + lexeme, False
            elif not inside:
                field = lexeme
            if not frames and ((lexeme in _EXECUTABLE and not definition)
                               or (definition in _EXECUTABLE and lexeme != "on" and lexeme[0] != "@")):
                definition = lexeme
            last = lexeme
        elif group == "string" or group == "block":
            if len(out) >= MAX_LITERALS:
                out.append((root, text[m.start():], Context(kind, "")))
                break
            value = string_value(lexeme) if group == "string" else block_value(lexeme)
            name = key if inside else ""
            ctx = contexts.get(name)
            if ctx is None:
                ctx = contexts[name] = Context(kind, name.lower())
            path = "/".join(owner for _, owner, _ in frames[:MAX_DEPTH] if owner)
            out.append((root + ("/" + path if path else "") + ("/" + name if name else ""), value, ctx))
        elif group == "punct":
            if lexeme in _OPENS:
                if lexeme == "[":
                    owner = ""
                elif not frames:
                    owner = definition or "query"
                elif lexeme == "(":
                    owner = last
                else:
                    owner = key if inside else field
                frames.append((_OPENS[lexeme], owner, lexeme == "(" or inside))
            elif lexeme in _CLOSERS:
                if not frames or frames[-1][0] != lexeme:
                    break  # unbalanced: the whole document is still inspected
                _, owner, _ = frames.pop()
                if frames and frames[-1][2] and lexeme == "}":
                    key = owner  # back in the argument that held this object
                if not frames and lexeme == "}":
                    definition = ""
            elif lexeme == ":":
                if inside:
                    key = last
            elif lexeme == "@":
                directive = True
        elif group == "bad":
            break  # outside the grammar: the whole document is still inspected
    return out
