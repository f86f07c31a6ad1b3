"""Unit: CRLF shapes of the fresh13 first contact. A blank line then ordinary markup (a link, a paragraph) is rich
text, not response splitting; a blank line then a document or script element, an event handler, a status line or a
header block still is. Breaks spelled as escape text with ``\\t`` after them (``\\r\\n\\t``, ``\\r\\t``) read like
the ``\\r\\n`` escape rule. XML element text keeps leading whitespace that holds a break unless it is indentation.
Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.fields import xml_fields
from bastion.detection.signatures import crlf

BODY = Context("body", "description")
QUERY = Context("query", "next")
HEADER = Context("header", "x-return-to")
COOKIE = Context("cookie", "pref")
ENGINE = Engine()

SPLITTING: dict[str, tuple[str, Context]] = {
    "blank_line_then_script": ("ok\r\n\r\n<script src=//cdn.evil.example/p.js></script>", BODY),
    "blank_line_then_document": ("thanks\r\n\r\n<HTML><body>Maintenance</body></HTML>", QUERY),
    "lf_blank_line_then_doctype": ("x\n\n<!DOCTYPE html><p>moved</p>", BODY),
    "blank_line_then_event_handler": ("z\n\n<div class=a onmouseover=fetch('//e.example')>", BODY),
    "blank_line_then_meta_refresh": ("z\r\n\r\n<meta http-equiv=refresh content='0;url=//e.example'>", HEADER),
    "blank_line_then_iframe": ("\r\n\r\n<iframe src=//e.example/>", COOKIE),
    "blank_line_then_status_line": ("en\n\nHTTP/1.0 302 Found", QUERY),
    "header_line_then_body": ("id\r\nX-Frame-Options: DENY\r\n\r\n<p>replaced</p>", BODY),
    "value_starts_with_header_then_body": ("Content-Type: text/html\r\n\r\n<b>hello</b>", BODY),
    "escaped_crlf_tab_then_field": ("lang=de\\r\\n\\tX-Request-Tag: q1", BODY),
    "escaped_cr_tab_then_field": ("\\r\\tSet-Cookie: sid=0", QUERY),
    "escaped_cr_tab_in_header": ("/home\\r\\n\\tLocation: //e.example", HEADER),
    "escaped_tab_twice": ("p=1\\n\\t\\tRefresh: 0", COOKIE),
}


@pytest.mark.parametrize("name", sorted(SPLITTING))
def test_response_splitting_is_refused(name: str) -> None:
    value, ctx = SPLITTING[name]
    assert ENGINE.inspect(value, ctx) is not None, name


def test_blank_line_then_document_is_named_crlf() -> None:
    assert crlf("done\r\n\r\n<html><title>x</title></html>", BODY) is not None
    assert crlf("d\n\n<body onload=go()>", BODY) is not None


RICH_TEXT: dict[str, str] = {
    "markdown_paragraph_then_link": 'The Hound of the Baskervilles\n\n<a href="https://books.example/hound">books.example</a>',
    "crlf_textarea_then_link": "Opening hours below.\r\n\r\n<a href=\"https://shop.example/hours\">hours</a>",
    "blank_line_then_paragraph": "First para.\n\n<p>Second <em>para</em>.</p>",
    "blank_line_then_image": "Cover:\n\n<img src=\"https://img.example/c.jpg\" alt=\"cover\">",
    "blank_line_then_list": "Tracks\r\n\r\n<ul><li>Intro</li><li>Outro</li></ul>",
    "blank_line_then_blockquote_with_online_word": "Review\n\n<blockquote title=\"online=yes\">great</blockquote>",
    "note_line_then_link": "Note: see the sleeve\n\n<a href=\"https://x.example/\">scan</a>",
    "escaped_tab_in_text": "columns split by \\r\\n\\t and other escapes",
    "windows_path": "C:\\reports\\new\\table.csv",
}


@pytest.mark.parametrize("name", sorted(RICH_TEXT))
def test_rich_text_with_blank_lines_passes(name: str) -> None:
    assert ENGINE.inspect(RICH_TEXT[name], BODY) is None, name
    assert ENGINE.inspect(RICH_TEXT[name], QUERY) is None, name


def _xml_values(doc: str) -> dict[str, str]:
    return {pointer: value for pointer, value, ctx in xml_fields(doc) if ctx.kind == "body"}


@pytest.mark.parametrize("text", [
    "\n X-Debug-Id: 7", " \r\nX-Debug-Id: 7", "\r\tX-Debug-Id: 7", "\r X-Debug-Id: 7", " \nSet-Cookie: a=1",
    "\r\n\tLocation: //e.example",
])
def test_xml_text_keeps_a_leading_break_with_blanks(text: str) -> None:
    doc = f"<?xml version='1.0'?><order><memo>{text}</memo></order>"
    assert _xml_values(doc)["/body/order/memo"] == text
    hit = ENGINE.first(list(xml_fields(doc)))
    assert hit is not None and hit[1].rule.attack == "crlf"


def test_pretty_printed_xml_text_drops_its_indentation() -> None:
    doc = "<catalog>\n  <venue>\n    Location: Hall 2\n  </venue>\n  <id>\r\n\t\t17\r\n\t</id>\n</catalog>"
    values = _xml_values(doc)
    assert values["/body/catalog/venue"] == "Location: Hall 2"
    assert values["/body/catalog/id"] == "17"
    assert ENGINE.first(list(xml_fields(doc))) is None


@pytest.mark.parametrize("value", ["end \r\n\r\n<html>", "end\n \n\n<body>", "end\u00a0\n\n<frameset>", "\n\r<object>"])
def test_blank_line_with_blanks_around_it_then_document(value: str) -> None:
    assert crlf(value, BODY) is not None


def test_spaces_and_breaks_are_scanned_in_linear_time() -> None:
    """Starting the blank-line alternative after every space in a run of spaces and breaks was quadratic."""
    started = time.process_time()
    assert crlf("\r \n" * 43_000, BODY) is None
    assert time.process_time() - started < 5.0
