"""Property: the detection engine never raises on arbitrary input, and stays linear on adversarial input
(no regular expression backtracks quadratically on the request path)."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.detection import Context, Engine
from bastion.detection.fields import body_fields, xml_fields

ENGINE = Engine()
KINDS = st.sampled_from(["path", "query", "header", "cookie", "body"])


@settings(max_examples=300, deadline=None)
@given(value=st.text(max_size=300), kind=KINDS, name=st.sampled_from(["", "url", "q", "callback_url"]),
       is_key=st.booleans())
def test_inspect_never_raises(value: str, kind: str, name: str, is_key: bool) -> None:
    found = ENGINE.inspect(value, Context(kind, name, is_key))
    assert found is None or found.rule.id.startswith("waf.")


@settings(max_examples=100, deadline=None)
@given(doc=st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
))
def test_json_walk_yields_every_key_and_string(doc: object) -> None:
    fields = list(body_fields(json.dumps(doc).encode(), "application/json"))
    assert all(pointer.startswith("/body") for pointer, _, _ in fields)
    assert sorted(v for _, v, _ in fields) == sorted(_strings(json.loads(json.dumps(doc))))


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (k, *_strings(v))]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet="<>/=\"' abc&;![]-?", max_size=200))
def test_xml_tokenizer_never_raises(text: str) -> None:
    for pointer, _, _ in xml_fields(text):
        assert pointer.startswith("/body")


ADVERSARIAL = {
    "quotes": "'" + "a'" * 50_000,
    "double_quotes": '"x ' * 50_000,
    "newlines": "\n" * 100_000 + "x",
    "crlf_runs": "\r\n" * 50_000,
    "semicolons": ";" * 100_000,
    "unclosed_comments": ";/*" * 30_000,
    "pipes": "|a" * 50_000,
    "open_tags": "<a" * 50_000,
    "open_tags_quoted": '<a "' * 30_000,
    "dot_run": "/" + "." * 100_000,
    "dot_slashes": "../" * 30_000,
    "template_openers": "{{" * 50_000,
    "dollar_braces": "${" * 50_000,
    "ldap_parens": ")(" * 50_000,
    "spaced_scheme": "j" + " " * 100_000,
    "backticks": "`" * 100_000,
    "handler_lookalikes": "' onx" * 20_000,
    "sentences_and_separators": "a; b. " * 20_000,
    "nested_if_statements": "1; " + "if(1)" * 20_000,
    "constructor_then_spaces": "constructor" + " " * 100_000 + "x",
    "wildcard_path_segments": ";/" + "?/" * 50_000,
    "style_elements": "<style>" * 15_000,
    "percent_words": "'%a" * 30_000,
    "html_entities": "&copy;" * 20_000,
    "escaped_breaks": "\\n" * 50_000,
    "quote_dash_words": "' -- a" * 20_000,
    "code_fences": "```x\n" * 20_000,
    "comma_then_spaces": "," + " " * 100_000 + "x",
    "open_parens_after_and": "1 and " + "(" * 100_000,  # was a RecursionError before 2026-11-29
    "glob_segments": "/a?" * 30_000,
    "base64_run": "QUJD" * 25_000,
    "base64_with_spaces": "QUJD " * 20_000,
    "plus_run": "+a" * 50_000,
    "handler_sinks": " onerror=" * 10_000,
    "bare_tags": "<x>" * 30_000,
    "string_concat": "'+'" * 30_000,
    "mongo_calls": "db.x.insert(" * 8_000,
    "vbscript_concat": '"&"' * 30_000,
    "glued_select": "select-" * 15_000,
    "quote_brackets": '"])}' * 25_000,
    "chained_conditions": "1" + " and 1" * 30_000,
    "logic_words_with_equals": "and 1=" * 20_000,
    "wrapper_words": ";time " * 20_000,
    "exec_calls_unclosed": "exec('" * 20_000,
    "bang_escapes": " !" * 50_000,
    "shell_dash_c_runs": "sh -c " * 20_000,
    "dev_tcp_unterminated": "/dev/tcp/" + "a" * 100_000,
    "versioned_comment_runs": "/*!" * 30_000,
    "quote_semicolon_js": "';x=" * 30_000,
    "stray_percent_dots": "%.." * 30_000,
}


@pytest.mark.parametrize("value", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_input_is_linear(value: str) -> None:
    start = time.process_time()
    ENGINE.inspect(value, Context("query", "q"))
    # ~100 KB: linear analysers take well under a second even on a loaded machine; a quadratic one takes minutes
    assert time.process_time() - start < 5.0


_CALLEE_PIECES = st.sampled_from([
    "'", '"', ".", "(", ")", "[", "]", "{", "}", "@", "\x01", " ", "\t", "\n", "\x1c", "\x85", "\xa0", "$", "_", "s",
    "Y", "t", "E", "m", "0", "x", "7", "3", "\\", "(string)", "(STR)", "[0]", "{ 0 }", "\\x73", "\\163", "é", "ß",
])


@given(st.lists(_CALLEE_PIECES, max_size=24).map("".join))
@settings(max_examples=400, deadline=None)
def test_spelled_callee_fast_path_reads_what_the_regexes_read(callee: str) -> None:
    """php_code._spelled drops the junk characters with str.translate when no escape, cast or index can be in the
    callee; it must spell exactly what the regex path (casts, indexes, escapes, then junk) spells."""
    from bastion.detection import php_code as p

    text = p._INDEX.sub("", p._CAST.sub("", callee))
    if "\\" in text:
        text = p._ESCAPE.sub(lambda m: chr(int(m.group(1), 16) if m.group(1) else int(m.group(2), 8) & 0xFF), text)
    assert p._spelled(callee) == p._SPELL_JUNK.sub("", text).lower()
