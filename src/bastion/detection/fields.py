"""Every string an upstream might interpret, from one request, each with its JSON pointer.

Pointers name the place in a uniform tree: ``/path`` and ``/path/2`` (the normalised path and
each segment), ``/query/<name>``, ``/headers/<name>``, ``/cookies/<name>`` and ``/body/...`` (JSON
members and array items, form fields, XML elements and attributes; ``/body`` for other text). A GraphQL
document's string literals are fields too, under the document's pointer (``/body/query/<operation>/<field>/<arg>``).
Keys are yielded too (``is_key``), because ``{"$ne": 1}`` and ``__proto__`` attack through keys.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import orjson

from bastion.detection.graphql import document_literals
from bastion.detection.rules import Context
from bastion.http.messages import RequestHead

Field = tuple[str, str, Context]
"""(pointer, value, context)"""

_XML_TOKEN = re.compile(
    r"<(/?)([\w:.-]+)((?:[^<>\"'/]++|/(?!>)|\"[^\"]*+\"|'[^']*+')*+)(/?)>|<!\[CDATA\[(.*?)\]\]>|<[!?][^>]*+>", re.S
)
_XML_ATTR = re.compile(r"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_XHTML_PREFIX = re.compile(r"xmlns:([\w.-]++)\s*+=\s*+[\"']http://www\.w3\.org/1999/xhtml[\"']")
"""A prefix bound to the XHTML namespace: its ``script`` elements (``<h:script xmlns:h=…>``) run wherever the document
is rendered, XHTML embedded in other XML (SVG, a data island, a feed) as script, so each such start tag is inspected as
markup (fresh71). A whole XHTML page declares the namespace as its default (``<html xmlns=…>``), and its ``<script>``
elements are the page's own; other XML keeps its ``script`` elements (a CI job's shell step) as data."""


def escape(segment: str) -> str:
    """RFC 6901 escaping of one pointer segment."""
    return segment.replace("~", "~0").replace("/", "~1")


_PATH = Context("path")
_new_context = tuple.__new__
"""``Context``'s own constructor is a Python function (NamedTuple's); ``tuple.__new__`` builds the same tuple in C,
for the one context made per header of every request."""


def request_fields(head: RequestHead, skip_headers: frozenset[str]) -> Iterator[Field]:
    yield "/path", head.path, _PATH
    for i, segment in enumerate(head.path.split("/")[1:]):
        if segment:
            yield f"/path/{i}", segment, _PATH
    if head.query_string:
        yield from _pairs(head.query_string, "/query/", "query")
    for name, value in head.headers:
        if name in skip_headers:
            continue
        if name == "cookie":
            yield from _cookies(value, skip_headers)
        else:
            yield "/headers/" + (escape(name) if "~" in name or "/" in name else name), value, \
                _new_context(Context, ("header", name, False))


QUERY_REPLACED_BYTES = "\ufffd"
"""The query (and form) parser decodes ``%XX`` as UTF-8 and turns bytes that are no UTF-8 into U+FFFD, which also
erases what an overlong sequence spells (``%c0%ae%c0%ae%c0%af`` is "../" to a decoder that only masks the payload bits,
as old IIS and some Java and PHP stacks do). Where a decoded name or value holds U+FFFD, its percent-encoded form as
sent is inspected too, and the engine's own decoder reads the overlong bytes. ``parse_qsl`` with blank values kept
makes one pair of every non-empty ``&``-separated part, so the i-th pair is the i-th part."""


def _pairs(encoded: str, prefix: str, kind: str) -> Iterator[Field]:
    """The names and values of a query string or form body, decoded; where the decoder replaced bytes, also as sent
    (see ``QUERY_REPLACED_BYTES``)."""
    raw: list[str] | None = None
    for i, (name, value) in enumerate(parse_qsl(encoded, keep_blank_values=True)):
        pointer = prefix + escape(name)
        yield pointer, name, Context(kind, name.lower(), is_key=True)
        if name == "query":  # a GraphQL GET or form POST: its literals too, first so a hit names the argument
            yield from document_literals(value, pointer, kind)
        yield pointer, value, Context(kind, name.lower())
        if value and ":" in name:  # "[a](javascript:x.onerror=alert;throw 1)" as the query: the parser split a
            # javascript: URL's assignment at its "=" into two halves each harmless alone; read them joined too
            yield pointer, name + "=" + value, Context(kind, name.lower(), is_key=True)
        if QUERY_REPLACED_BYTES in name or QUERY_REPLACED_BYTES in value:
            raw = raw if raw is not None else [part for part in encoded.split("&") if part]
            if i < len(raw):
                raw_name, _, raw_value = raw[i].replace("+", " ").partition("=")
                yield pointer, raw_name, Context(kind, name.lower(), is_key=True)
                yield pointer, raw_value, Context(kind, name.lower())


def _cookies(header: str, skip_headers: frozenset[str]) -> Iterator[Field]:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if not name or f"cookie:{name.lower()}" in skip_headers:
            continue
        pointer = "/cookies/" + escape(name)
        yield pointer, name, Context("cookie", name.lower(), is_key=True)
        yield pointer, value.strip('"'), Context("cookie", name.lower())


UNPARSED: Any = object()
"""``body_fields``'s ``document`` when no policy has parsed the body yet."""


def body_fields(body: bytes, content_type: str, document: Any = UNPARSED) -> Iterator[Field]:
    """Fields of a request body by media type. Binary media (images, archives, octet streams) and
    bodies that are not UTF-8 text are not inspected, unless they look like JSON or XML anyway.
    ``document``: ``body`` already parsed as JSON by orjson (``validate``'s strict parse, ``Exchange.request_json``),
    used instead of parsing it again where the media type says JSON; orjson only parses UTF-8, so such a body is
    text."""
    if not body:
        return
    ctype, _, params = content_type.partition(";")
    ctype = ctype.strip().lower()
    if ctype.startswith(BINARY_TYPES):
        if body.lstrip()[:1] not in (b"{", b"[", b"<"):
            return
        ctype = ""  # text that claims to be binary: inspect it as what it looks like (no bypass by label)
    if ctype == "multipart/form-data":
        yield from multipart_fields(body, params)
        return
    if document is not UNPARSED and ctype.endswith(("/json", "+json")):
        yield from graphql_fields(document)
        yield from json_fields(document)
        return
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return
    stripped = text.lstrip()
    if ctype.endswith(("/json", "+json")) or (not ctype and stripped[:1] in "{["):
        try:
            doc = orjson.loads(body)
        except orjson.JSONDecodeError:
            yield from document_literals(text, "/body", "body")
            yield "/body", text, Context("body")
            return
        yield from graphql_fields(doc)
        yield from json_fields(doc)
    elif ctype == "application/x-www-form-urlencoded":
        yield from _pairs(text, "/body/", "body")
    elif ctype.endswith(("/xml", "+xml")) or stripped.startswith("<?xml") or (not ctype and stripped[:1] == "<"):
        if not ctype and not stripped.startswith("<?xml"):
            yield "/body", text, Context("body")  # no media type: an HTML fragment as much as XML
        yield from xml_fields(text)
    else:
        yield from document_literals(text, "/body", "body")  # application/graphql, or a document under any label
        yield "/body", text, Context("body")


def graphql_fields(doc: Any, root: str = "/body") -> list[Field]:
    """The string literals of a JSON GraphQL request's document (a top-level ``query`` string, or one per operation
    of a batched array), each as its own field under ``<root>/query`` or ``<root>/<i>/query``; ``json_fields``
    yields the whole document as well. Variables are JSON members, inspected there. ``root`` is ``/body``, or the
    ``operations`` part of a multipart upload (the GraphQL multipart request spec)."""
    if type(doc) is dict:
        query = doc.get("query")
        return document_literals(query, root + "/query", "body") if type(query) is str else []
    out: list[Field] = []
    if type(doc) is list:
        for i, item in enumerate(doc):
            if type(item) is dict and type(query := item.get("query")) is str:
                out.extend(document_literals(query, f"{root}/{i}/query", "body"))
    return out


BINARY_TYPES = ("image/", "audio/", "video/", "font/", "application/octet-stream", "application/pdf",
                "application/zip", "application/gzip", "application/x-protobuf", "application/grpc")
_BOUNDARY = re.compile(r'boundary\s*=\s*"?([^";]{1,200})"?', re.I)
_DISPOSITION = re.compile(r'\bname\s*=\s*"([^"]*)"(?:.*?\bfilename\s*=\s*"([^"]*)")?', re.I | re.S)


def multipart_fields(body: bytes, params: str) -> Iterator[Field]:
    """multipart/form-data: each part's name, file name and (text) content as ``/body/<name>``."""
    m = _BOUNDARY.search(params)
    if not m:
        yield "/body", body.decode("utf-8", errors="replace"), Context("body")
        return
    for part in body.split(b"--" + m.group(1).encode("latin-1"))[1:]:
        head, sep, content = part.partition(b"\r\n\r\n")
        if not sep:
            head, sep, content = part.partition(b"\n\n")  # bare LF line ends: Go's and other parsers accept them
            if not sep:
                continue
            content = content.removesuffix(b"\n")
        headers = head.decode("latin-1")
        disp = _DISPOSITION.search(headers)
        name = disp.group(1) if disp else ""
        pointer = "/body/" + escape(name)
        yield pointer, name, Context("body", name.lower(), is_key=True)
        if disp and disp.group(2) is not None:
            yield pointer + "/@filename", disp.group(2), Context("body", "filename")
        part_type = re.search(r"content-type:\s*([^\r\n;]+)", headers, re.I)
        if part_type and part_type.group(1).strip().lower().startswith(BINARY_TYPES):
            continue
        try:
            value = content.removesuffix(b"\r\n").decode("utf-8")
        except UnicodeDecodeError:
            continue
        if name == "operations" and value.lstrip()[:1] in ("{", "["):  # a GraphQL multipart upload's operations
            yield from _operations(value, pointer)
        yield pointer, value, Context("body", name.lower())


def _operations(value: str, pointer: str) -> list[Field]:
    """The ``operations`` part of a GraphQL multipart upload, a JSON GraphQL request: its literals and members."""
    try:
        doc = orjson.loads(value)
    except orjson.JSONDecodeError:
        return []
    return graphql_fields(doc, pointer) + json_fields(doc, pointer)


def json_fields(doc: Any, root: str = "/body") -> list[Field]:
    """Every key and string value, depth-first with an explicit stack (no recursion limit to exhaust).
    Contexts are shared per parent key: a body has many fields but few distinct key names."""
    out: list[Field] = []
    append = out.append
    contexts: dict[tuple[str, bool], Context] = {}

    def context(name: str, is_key: bool) -> Context:
        ctx = contexts.get((name, is_key))
        if ctx is None:
            ctx = contexts[(name, is_key)] = Context("body", name, is_key)
        return ctx

    stack: list[tuple[str, str, Any]] = [(root, "", doc)]
    while stack:
        pointer, key, node = stack.pop()
        if type(node) is str:
            append((pointer, node, context(key, False)))
        elif type(node) is dict:
            key_ctx = context(key, True)
            for k, v in node.items():
                child = pointer + "/" + (escape(k) if "~" in k or "/" in k else k)
                append((child, k, key_ctx))
                if type(v) is str:
                    append((child, v, context(k.lower(), False)))
                elif type(v) is dict or type(v) is list:
                    stack.append((child, k.lower(), v))
        elif type(node) is list:
            for i, v in enumerate(node):
                if type(v) is str or type(v) is dict or type(v) is list:
                    stack.append((f"{pointer}/{i}", key, v))
    return out


def _element_text(raw: str) -> str:
    """Element text without pretty-printing whitespace. Leading whitespace with a line break in it is part of the
    value a parser hands on (``<a>\r\nSet-Cookie: x</a>``, ``<a> \r\nX-Name: y</a>``, ``<a>\r\tX-Name: y</a>``), so
    it stays, unless it is indentation: one break then spaces or tabs, with the text ending in a break too, on a
    line of its own (``<a>\n    42\n  </a>``). A formatter ends that line at the break: a blank between the text and
    the break (``<a>\n id \n</a>``) is typed, not indentation, and the break before the text stays, as a parser hands
    it on (``\n id`` runs ``id`` in a shell command line)."""
    text = raw.strip()
    if text and raw[0].isspace():
        lead = raw[: len(raw) - len(raw.lstrip())]
        if _BREAK.search(lead) and not (_INDENT.fullmatch(lead) and _BREAK.match(raw, len(raw.rstrip()))):
            return lead + text
    return text


_INDENT = re.compile(r"\r?\n[ \t]+")
_BREAK = re.compile("[\r\n\x85\u2028\u2029]")


MAX_POINTER_DEPTH = 32
"""XML elements deeper than this share their ancestor's pointer (in logs and exclusions); still inspected."""


def xml_fields(text: str) -> Iterator[Field]:
    """The whole document (kind ``document``: checked for XXE only), then element text and attribute
    values by element path. A tokenizer, not a parser: entities are never expanded and nothing is fetched."""
    yield "/body", text, Context("document")
    path: list[str] = []
    pointers = ["/body/"]
    """``pointers[i]``: the pointer of an element ``i`` levels deep, kept as the path grows (building it
    from the whole path at every token made deep nesting quadratic). Below ``MAX_POINTER_DEPTH`` levels
    the pointer stops growing; every value is still inspected."""
    pos = 0
    xhtml: set[str] = set(_XHTML_PREFIX.findall(text)) if "xmlns:" in text else set()  # once, not per element
    for m in _XML_TOKEN.finditer(text):
        between = _element_text(text[pos : m.start()])
        pos = m.end()
        here = pointers[len(path)] if len(path) < len(pointers) else pointers[-1]
        if between:
            yield here, html.unescape(between), Context("body", path[-1].lower() if path else "")
        if m.group(5) is not None:
            yield here, m.group(5), Context("body", path[-1].lower() if path else "")
            continue
        closing, name, attrs, selfclose = m.group(1), m.group(2), m.group(3), m.group(4)
        if name is None:
            yield from _instruction_fields(m.group(0), here)
            continue
        if xhtml and not closing and name.rpartition(":")[2].lower() == "script" and name.rpartition(":")[0] in xhtml:
            yield here, m.group(), Context("body", "script")  # an XHTML script element under a prefix: markup
        if closing:
            if path:
                path.pop()
                del pointers[len(path) + 1:]
            continue
        element = here.rstrip("/") + "/" + escape(name) if len(path) < MAX_POINTER_DEPTH else here
        for a in _XML_ATTR.finditer(attrs or ""):
            yield f"{element}/@{escape(a.group(1))}", \
                html.unescape(a.group(2) if a.group(2) is not None else a.group(3)), Context("body", a.group(1).lower())
        if not selfclose:
            path.append(name)
            if len(path) < MAX_POINTER_DEPTH and len(pointers) == len(path):
                pointers.append(element)


_INSTRUCTION = re.compile(r"<\?([\w:.-]+)")
_FETCHING_INSTRUCTIONS = frozenset({"xml-stylesheet", "xml-model"})


def _instruction_fields(token: str, here: str) -> Iterator[Field]:
    """The pseudo-attributes of the W3C processing instructions that point at a resource
    (``<?xml-stylesheet type="text/xsl" href="…"?>``, ``<?xml-model href="…"?>``): a parser that applies the stylesheet
    or a validator that loads the schema fetches the ``href``, and a browser shown the document runs a ``javascript:``
    one, so they are values like an element's attributes. Other instructions are private to their application; their
    data is no attribute list (a test document's ``<?mypi quotes="' '"?>`` is not a value)."""
    m = _INSTRUCTION.match(token)
    if m is None or m.group(1).lower() not in _FETCHING_INSTRUCTIONS:
        return
    target = here.rstrip("/") + "/?" + escape(m.group(1))
    for a in _XML_ATTR.finditer(token, m.end()):
        yield f"{target}/@{escape(a.group(1))}", \
            html.unescape(a.group(2) if a.group(2) is not None else a.group(3)), Context("body", a.group(1).lower())
