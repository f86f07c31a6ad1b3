"""Unit: the shapes of the fresh23 first contact.

SQL: a ``UNION SELECT`` of a probe's row behind whatever precedes it (a quote, a ``#``, an operator run that breaks a
fingerprint, junk operators before the row), and a closed string followed by an ``INSERT INTO … VALUES (`` or a
``CREATE|ALTER USER … IDENTIFIED BY``. Traversal: a path cut by a NUL byte, raw or written (``%00``, ``%2500``,
``\\x00``, ``\\u0000``, separators written ``%2F``), whatever the file. SSTI: OGNL syntax without runtime access
(``%{#context['…']}``, ``#request['…']``, ``(#a=…).(#b=…)`` chains). Command injection: PHP code that closes a string,
a call and its blocks, then runs a backtick command as a statement of its own. Values are our own; none comes from a
corpus."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from bastion.detection import Context, Engine
from bastion.detection.rules import Detection
from bastion.detection.shell import is_cmdi
from bastion.detection.signatures import ssti, traversal
from bastion.detection.sqli import is_sqli

BODY = Context("body", "note")
QUERY = Context("query", "comment")
COOKIE = Context("cookie", "prefs")

ATTACKS: dict[str, tuple[str, str]] = {
    # UNION SELECT of a row, whatever precedes it
    "union_after_quote_and_tilde_run": ("7' or ~<% union select 1,@@hostname -- x", "sqli"),
    "union_after_number_and_hash": ("5.<3# union all select null,user() #", "sqli"),
    "union_junk_before_row": ("9 union select -!<2,database()--", "sqli"),
    "union_after_double_quote_and": ('abc" &&2 union select 3,banner from v$version', "sqli"),
    "union_distinct_variable_first": ("2' ^1 union distinct select @@datadir,4 -- -", "sqli"),
    "union_after_at_parens": ("k' xor @(3)=3 union select 8,current_user() -- z", "sqli"),
    # a closed string, then a statement written out to its mandatory middle
    "insert_with_columns": ("'insert into audit_log(msg, lvl) values('x', 9)", "sqli"),
    "insert_after_parenthesis": ("') insert into t values (", "sqli"),
    "create_user_double_quote": ('"create user backdoor identified by s3cret', "sqli"),
    "alter_user": ("z' alter user app identified by hunter2", "sqli"),
    # a path cut by a NUL
    "nul_after_yaml": ("/srv/app/config/settings.yaml\x00", "traversal"),
    "nul_after_directory": ("/opt/tomcat/conf/\x00", "traversal"),
    "nul_after_extensionless": ("/var/spool/app/queue\x00.png", "traversal"),
    "nul_windows_path": ("C:\\inetpub\\temp\\upload\x00", "traversal"),
    "percent_nul_after_directory": ("/opt/tomcat/conf/%00", "traversal"),
    "double_percent_nul": ("/srv/data/keys%2500", "traversal"),
    "written_js_nul": ("/srv/data/keys\\u0000", "traversal"),
    "encoded_separators_and_nul": ("%2Fsrv%2Fdata%2Fbackups%2F%00", "traversal"),
    # OGNL without runtime access
    "ognl_request_map": ("%{#request['javax.servlet.forward.request_uri']}", "ssti"),
    "ognl_session_member": ("%{#session.user.password}", "ssti"),
    "ognl_assignment_opener": ("%{(#t='a').(#u=#t+'b')}", "ssti"),
    "ognl_chain_in_dollar": ("${(#k='x').(#w=#context[#k].getWriter()).(#w.print(#k))}", "ssti"),
    "ognl_parameters_lookup": ("q=#parameters['cmd'][0]", "ssti"),
    # PHP break-out with a backtick command
    "php_close_block_echo": ("');}echo(`id`);//x", "cmdi"),
    "php_close_two_blocks_system": ('"]);}}system(`uname -a`);#zz', "cmdi"),
    "php_number_close_print": ("0);print(`whoami`);\\tail", "cmdi"),
    "php_concat_still_caught": ("x'.print(`id`);.'", "cmdi"),
}

BENIGN: dict[str, str] = {
    # union / select in text
    "search_url_quoted_phrase": "https://example.org/search?q=%22union+select%22+meaning",
    "union_station": "Meet at Union Station; select seats 3, 4",
    "headline_words": "Workers' union select leaders each year",
    "colon_between": "The teachers' union: select two delegates",
    "heading_then_words": "# Union select\nChoose 3 options",
    "selected_past_tense": "O'Hara's union selected 3, 4 people",
    "german": "Die Union wählt 3, 4 Kandidaten aus",
    "quoted_committee": "She said 'union select committee' was late",
    # statements in text
    "create_user_button": "Please 'create user' accounts identified by email",
    "insert_into_menu": "Click 'Insert into table' then choose values (1 or 2)",
    "insert_into_box": "Don't insert into the box, values (see list) vary",
    "insert_into_quoted_menu": "The 'Insert into' menu: values (a, b)",
    # paths and NUL look-alikes
    "plain_path": "/srv/app/config/settings.yaml",
    "encoded_path": "%2Fsrv%2Fdata%2Fbackups%2F",
    "fraction": "50/50 split, 1/2 price",
    "api_path": "/api/v1/orders/42",
    "url": "https://example.com/a/b/c.html?x=1",
    "percent_text": "Rates rose 100% in 2000/2001",
    "nul_without_path": "abc\x00def",
    "bare_slash_then_nul": "/\x00",
    # OGNL look-alikes
    "css_attribute_selector": '#context[data-state="open"] { color: red }',
    "markdown_anchor": "See section #context for details",
    "ranking_in_parentheses": "(#1 = best, #2 = runner-up)",
    "i18n_placeholder": "Hello %{name}, you have %{count} messages",
    "ruby_interpolation": "%{Total: #{n}}",
    # backticks in code and prose
    "kotlin_template": "println(`hello`)",
    "js_template_close": "});print(`Total: ${n}`);",
    "markdown_commands": "Run `echo hi` then `ls` to check.",
    "c_string_end": '"); } is how the block ends',
}


def _found(engine: Engine, value: str, ctx: Context) -> Detection | None:
    return engine.inspect(value, ctx)


@pytest.mark.parametrize(("value", "attack"), ATTACKS.values(), ids=ATTACKS.keys())
def test_fresh23_shape_is_caught(engine: Engine, value: str, attack: str) -> None:
    for ctx in (BODY, QUERY, COOKIE):
        found = _found(engine, value, ctx)
        assert found is not None and found.rule.attack == attack, (value, ctx, found)


@pytest.mark.parametrize("value", BENIGN.values(), ids=BENIGN.keys())
def test_fresh23_look_alike_passes(engine: Engine, value: str) -> None:
    for ctx in (BODY, QUERY):
        assert _found(engine, value, ctx) is None, (value, ctx)


def test_union_row_needs_a_row_after_select() -> None:
    assert is_sqli("x' or 1 union select 1,2") is not None
    assert is_sqli("x' or 1 union select leaders") is None


ADVERSARIAL: list[tuple[Callable[[str], object], str]] = [
    (is_sqli, "1' " + "union " * 22_000),
    (is_sqli, "1' or " + "union select " * 10_000),
    (is_sqli, "'insert into t(" + "a, " * 40_000),
    (lambda v: traversal(v, BODY), "/a" * 65_000 + "%0"),
    (lambda v: traversal(v, BODY), "%2Fa" * 32_000 + "x00"),
    (lambda v: traversal(v, BODY), ("/a" * 100 + "\x00b ") * 600),
    (lambda v: traversal(v, BODY), "a/" * 65_000 + "\\u000"),
    (lambda v: ssti(v, BODY), "(#a=" * 32_000),
    (lambda v: ssti(v, BODY), "%{#" * 43_000),
    (lambda v: ssti(v, BODY), "(#a=1)." * 18_000 + "x"),
    (is_cmdi, "');}print(`" + "a" * 130_000),
]


@pytest.mark.parametrize(("check", "value"), ADVERSARIAL)
def test_fresh23_adversarial_values_are_linear(check: Callable[[str], object], value: str) -> None:
    value = value[: 128 * 1024]
    start = time.process_time()
    check(value)
    assert time.process_time() - start < 1.0


def test_fresh23_adversarial_nul_values_through_the_engine(engine: Engine) -> None:
    value = (("/a" * 200 + "\x00") * 400)[: 128 * 1024]
    start = time.process_time()
    assert engine.inspect(value, BODY) is not None
    assert time.process_time() - start < 1.0
