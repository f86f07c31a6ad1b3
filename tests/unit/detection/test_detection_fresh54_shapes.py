"""Unit: the shapes of the fresh54 first contact.

Script URLs in the places a markdown, reStructuredText or HTML renderer makes a link, naming anything after the
scheme (``script_links.script_link``), and a whole CSS ``expression()`` reading the page (``script_links``). Four
false positives of rendered and written markdown: ``</script?x>`` read as an end tag (``xss``), an HTML attribute
holding a URL read as a quote break-out (``sqli``), a relative link's ``../`` read as a traversal
(``relative_links``), and a capital letter alone or a capitalised word after a line break read as a command
(``shell``). Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest
from shape_tables import shape_tests

from bastion.detection import Context, Engine
from bastion.detection.relative_links import relative_link_mask
from bastion.detection.script_links import css_expression, script_link
from bastion.detection.shell import is_cmdi
from bastion.detection.sqli import is_sqli

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "markdown link to a script scheme naming a word": [
        "[click](javascript:steal)",
        "![i](<VBScript:run>)",
        'see [here](javascript:go "title")',
        "[p](javascript%3Ago)",
        "[z](&#106;avascript:q)",
        "[w](livescript:x)",
        "[m](mocha:run(2))",
    ],
    "reference definition or autolink to a script scheme": [
        "[ref]: javascript:go",
        "[a][b]\n\n[b]: x-javascript:run(7)",
        "<ms-javascript:zap(3)>",
        "<vbscript:box>",
    ],
    "reST target": [".. figure:: javascript:frob", ".. image:: a.png\n   :target: JavaScript:y"],
    "URL attribute naming a word": [
        '<img src="javascript:boom">',
        "<a href='vbscript:go'>x</a>",
        "<a href=javascript:k>",
    ],
    "scheme split by a comment": ['<a href="java<!-- x -->script:f(2)">y</a>', "[a](vb<!---->script:q)"],
    "whole CSS expression": ["expression(document.cookie)", " expression( window.name )", "expression(body.x + 2)"],
}

PASSED = {
    "links to pages": [
        "[JavaScript: the good parts](https://example.org/book)",
        "<JavaScript: a guide>",
        "[see](javascript.md)",
        "[js](https://developer.mozilla.org/en-US/docs/Web/JavaScript)",
        "See <javascript.info>",
        "[mocha](https://mochajs.org)",
        "Mocha: a test framework",
        '<a href="/js/javascript-intro">JS</a>',
    ],
    "prose and code words": [
        "learn javascript:basics today",
        ".. code-block:: javascript",
        ":target: js-guide.html",
        "the expression (x + 1)",
        "expression(s) used",
        "a regular expression(regex)",
    ],
    "a markdown link whose path starts with script": [
        "Here's an inline [link](</script?foo=1&bar=2>).",
        "</scripts/run.sh>",
        "x </script-tags>",
    ],
    "rendered links": [
        '<p><a href="/url(test)" title="title">Text</a>.</p>',
        '<p><mark><a href="/">hello</a></mark>',
        '<a href="/docs/v2?x=1&y=(2)" id="d">docs</a>',
    ],
    "relative links": [
        "[guide](../../guide.md)",
        "[r]: ../notes",
        '<a href="../up">up</a>',
        '<img src="../a.png">',
        "Read [this](../x) first.",
    ],
    "markdown tables and sentences": [
        "| W | X |\n|---|---|\n| 1 | 2 |",
        "|a|b|\n|W  |  W|",
        "Intro.\n\nMore details below.",
        "Done\n\nWho knows?",
        "<p>x</p>\n\nMore *text*.",
    ],
}


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_end_tags_and_breakouts_still_count(engine: Engine) -> None:
    for value in (
        "x</script >",
        "a</script/",
        '"></script><b>',
        "end</script",
        '<a href="1)or(1=1)--">',
        "<img src='1' or '1'='1'>",
        '<p title="x">a</p>"or 1=1--',
    ):
        assert engine.inspect(value, BODY) is not None, value


def test_deep_and_sensitive_relative_paths_still_count(engine: Engine) -> None:
    for value in (
        "[x](../../../etc/passwd)",
        "[y](../../../../app.ini)",
        'src="../../../x"',
        "[a](../x) and ../../y",
        'href="../../etc/passwd"',
    ):
        assert engine.inspect(value, BODY) is not None, value


def test_lowercase_commands_still_count() -> None:
    for value in ("x\nid", "a;w", "x|w", "\nwhoami", "x\nmore *.txt"):
        assert is_cmdi(value) is not None, value


@pytest.mark.parametrize(
    "probe,prefix",
    [
        (script_link, "](javascript:a"),
        (script_link, "<"),
        (script_link, "href=javascript"),
        (script_link, "a<!--"),
        (script_link, "&#106;ascript"),
        (css_expression, "expression("),
        (relative_link_mask, "](../"),
        (relative_link_mask, 'href="../'),
        (is_sqli, '<a href="/'),
        (is_sqli, '<a b="/(" c="'),
    ],
)
def test_linear(probe: object, prefix: str) -> None:
    value = prefix * (128 * 1024 // len(prefix))
    start = time.process_time()
    probe(value)  # type: ignore[operator]
    assert time.process_time() - start < 1.0, prefix


def test_engine_linear_on_triggers(engine: Engine) -> None:
    # "](../" is left to relative_link_mask's own test: the engine's other traversal scans take 1.4-1.7 s on 128 KiB of
    # it at the branch point already
    for prefix in ("](javascript:a", "<x-javascript:", "expression(a.", '<a href="/">', "\n\nMore ", "|W", "\nMore;"):
        value = prefix * (128 * 1024 // len(prefix))
        start = time.process_time()
        engine.inspect(value, BODY)
        assert time.process_time() - start < 2.0, prefix
