"""Unit: XSS and CRLF shapes of the fresh18 first contact. A whole value that breaks out of a JavaScript string or
statement and calls a method through a member chain (then a quote, a comment or nothing) is a script-context probe;
the same breakout anywhere when the chain starts at the window and a quote or comment follows at once. Lowercase
``function(`` after a quote is a function expression, not the ``Function`` constructor. In URL and header locations a
header line may follow a lone ``?`` or ``#`` or a token with blanks after it; the look-alike pair U+560A U+560D
before a ``Name:`` line is a break in any location. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.signatures import crlf
from bastion.detection.xss import is_xss

BODY = Context("body", "comment")
QUERY = Context("query", "next")
HEADER = Context("header", "x-return-to")
COOKIE = Context("cookie", "pref")
ENGINE = Engine()

SCRIPT_CONTEXT_PROBES: dict[str, str] = {
    "quote_semicolon_chain_quote": "';parent.scanr_77.trace.hit()'",
    "number_quote_chain_comment": '9";self.qq.report_sink();"//',
    "bare_semicolon_chain": ";top.audit_x.mark()",
    "number_semicolon_newline_chain_comment": "17;\nwindow.opener.flag.set(3);//",
    "comment_close_chain_comment_open": "*/;\nframes.k9.note()/*",
    "quote_plus_chain_plus_quote": "'+probe.hits.add(1)+'",
    "id_then_breakout": "item-4';tracker.beacon.send()",
    "glued_after_text_window_chain": "my note';top.zz.mark_sink()'",
    "glued_after_text_parent_chain_comment": 'see also";parent.q1.hit();//',
}


@pytest.mark.parametrize("name", sorted(SCRIPT_CONTEXT_PROBES))
def test_script_context_breakout_then_member_call_is_refused(name: str) -> None:
    value = SCRIPT_CONTEXT_PROBES[name]
    assert is_xss(value) is not None, name
    assert ENGINE.inspect(value, QUERY) is not None, name


SCRIPT_CONTEXT_TEXT: list[str] = [
    "Call client.session.close() once you are done; it frees the socket.",
    "see foo.bar() for details",
    "const label = 'x';\nconsole.log(label); // prints x",
    "var u = 'y'; window.location.reload(); // reload the page",
    "cd build; make.test()",  # words first: a shell line in a comment
    "r.table('users').group('city').map(r.row('age'))",
    "Use window.top.postMessage() to talk to the parent frame.",
]


@pytest.mark.parametrize("value", SCRIPT_CONTEXT_TEXT)
def test_member_calls_in_text_and_code_pass(value: str) -> None:
    assert is_xss(value) is None, value
    assert ENGINE.inspect(value, BODY) is None, value


def test_lowercase_function_expression_after_quote_passes() -> None:
    snippet = "db.list('a',\n    function(err, rows) { return rows; })"
    assert is_xss(snippet) is None
    assert ENGINE.inspect(snippet, BODY) is None


def test_function_constructor_after_quote_is_refused() -> None:
    assert is_xss("';Function('return 7')()//") is not None
    assert is_xss('"-self.Function`x`-"') is not None


CRLF_SPLITTING: dict[str, tuple[str, Context]] = {
    "query_mark_then_lf_field": ("?\nX-Probe-One:k1", QUERY),
    "query_string_then_crlf_field": ("?page=2\r\nSet-Thing: z", HEADER),
    "lone_hash_then_cr_field": ("#\rVary-Me:q", COOKIE),
    "token_blank_then_crlf_field": ("de \r\nMy-Field: v2", QUERY),
    "token_tab_then_lf_field": ("v9\t\nOther-Name:7", HEADER),
    "lookalike_lf_cr_then_field_query": ("\u560a\u560dZed-Header:1", QUERY),
    "lookalike_lf_cr_then_field_body": ("ok\u560a\u560dZed-Header: on", BODY),
}


@pytest.mark.parametrize("name", sorted(CRLF_SPLITTING))
def test_header_line_after_query_fragment_blank_or_lookalike_is_refused(name: str) -> None:
    value, ctx = CRLF_SPLITTING[name]
    assert crlf(value, ctx) is not None, name
    assert ENGINE.inspect(value, ctx) is not None, name


CRLF_TEXT: list[tuple[str, Context]] = [
    ("#cloud-config\nusers: []", HEADER),  # a YAML marker word before keys
    ("Hello there \nName: Ann", QUERY),  # words on the first line
    ("? \nwhy: because", BODY),  # body text keeps to the standard fields
    ("\u560a\u560d\u4e2d\u6587", QUERY),  # the pair before Chinese text
    ("\u560a\u560d", BODY),
]


@pytest.mark.parametrize(("value", "ctx"), CRLF_TEXT)
def test_text_lines_and_lookalikes_in_text_pass(value: str, ctx: Context) -> None:
    assert crlf(value, ctx) is None, value


def test_new_scans_stay_linear() -> None:
    size = 128 * 1024
    long_values = [
        "';" + "a." * (size // 2) + "b()",
        "';" + "window.x()" * (size // 10),
        '";top' + ".a" * (size // 2),
        ";" * size,
        "'" + ")" * size,
        "a;" * (size // 2),
        "'" + ";" * (size // 2) + "x.y(",
        "?" + " " * size + "\n",
        "#" + "\t" * size,
        "\u560a\u560d" * (size // 2),
    ]
    for value in long_values:
        start = time.process_time()
        is_xss(value)
        crlf(value, QUERY)
        crlf(value, BODY)
        assert time.process_time() - start < 0.5, value[:20]
