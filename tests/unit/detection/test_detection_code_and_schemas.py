"""Unit: code snippets and XML configuration files that looked like attacks. A review or issue-tracker comment holds
JavaScript or Go that waits (an arrow function calling ``sleep``, a loop or Go function whose block starts with
``sleep(n)``), and a project's XML configuration names its schema on a shared code host (a raw file of its
repository) rather than on its namespace's own site. The time-based SQL and ``$where`` probes and schemas fetched from
internal, local or out-of-band places stay refused."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
QUERY = Context("query", "q")
HEADER = Context("header", "x-note")
DOC = Context("document")

XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'

ATTACKS: dict[str, tuple[str, Context, str]] = {
    # time-based SQL injection
    "quote_and_sleep_commented": ("x' AND SLEEP(7)-- -", QUERY, "sqli"),
    "paren_or_sleep_hash": ("9) or sleep(3)#", BODY, "sqli"),
    "stacked_waitfor_delay": ("7;waitfor delay '0:0:4'--", QUERY, "sqli"),
    "pg_sleep_after_quote": ("abc' || pg_sleep(6) --", BODY, "sqli"),
    "bare_sleep_call": ("sleep(8)", QUERY, "sqli"),
    "arrow_after_a_literal": ("3 => sleep(4)", QUERY, "sqli"),
    "arrow_after_an_expression": ("g('0x7'+2) => sleep('q' + 2)", BODY, "sqli"),
    "arrow_after_a_call": ("load(id) => sleep(9)", BODY, "sqli"),
    # $where / mapReduce timing
    "where_function_sleep": ("$where: function(){ sleep(3000) }", BODY, "nosqli"),
    "named_function_sleep": ("function wait(doc) { sleep(4000); return true; }", QUERY, "nosqli"),
    "quote_statement_sleep": ("\";sleep(2500);\"", HEADER, "nosqli"),
    "paren_statement_sleep": ("x\"); sleep(6); print(\"", BODY, "nosqli"),
    # schemas fetched from where a parser should not go
    "schema_on_a_lookalike_code_host": (f'<c xmlns="http://cfg.example.org/ns" {XSI} xsi:schemaLocation='
                                        '"http://cfg.example.org/ns http://raw.githubusercontent.com.tunnel.example'
                                        '/c.xsd"/>', DOC, "xxe"),
    "code_host_namespace_schema_elsewhere": (f'<c xmlns="https://github.com/acme/ns" {XSI} xsi:schemaLocation='
                                             '"https://github.com/acme/ns http://z9y8x7w6v5u4.oob.example/c.xsd"/>',
                                             BODY, "xxe"),
    "code_host_schema_as_a_file": (f'<c {XSI} xsi:noNamespaceSchemaLocation="file:///srv/github.com/c.xsd"/>',
                                   QUERY, "xxe"),
    "schema_on_an_internal_address": (f'<c xmlns="http://cfg.example.org/ns" {XSI} xsi:schemaLocation='
                                      '"http://cfg.example.org/ns http://192.168.4.20/c.xsd"/>', DOC, "xxe"),
}


@pytest.mark.parametrize(("name", "value", "ctx", "attack"), [(k, *v) for k, v in ATTACKS.items()],
                         ids=ATTACKS.keys())
def test_attack_shape_is_blocked(engine: Engine, name: str, value: str, ctx: Context, attack: str) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None, value
    assert found.rule.attack == attack


BENIGN: dict[str, tuple[str, Context]] = {
    # JavaScript that waits
    "timer_with_arrow_sleep": ("setTimeout(() => sleep(250), 10)", BODY),
    "promise_chain_arrow": ("fetchAll().then(rows => sleep(50)).then(done)", BODY),
    "arrow_with_parameters": ("retry((attempt, err) => sleep(attempt * 100))", QUERY),
    "bare_arrow": ("const pause = () => sleep(20);", BODY),
    # blocks that start with sleep
    "go_function_block": ("func poll() { sleep(3) }", BODY),
    "while_loop_block": ("while (!ready) { sleep(1); }", BODY),
    "if_block": ("if (retry) { sleep(200); continue; }", QUERY),
    "c_loop_in_markdown": ("```c\nfor (;;) {\n  sleep(10);\n}\n```", BODY),
    # configuration files naming their schema on a shared code host
    "log4j2_config_head": ('<Configuration xmlns="http://logging.apache.org/log4j/2.0/config" ' + XSI
                           + ' xsi:schemaLocation="http://logging.apache.org/log4j/2.0/config '
                           'https://raw.githubusercontent.com/apache/logging-log4j2/main/log4j-core/src/main/'
                           'resources/Log4j-config.xsd" status="warn">', DOC),
    "schema_on_project_pages": ('<settings xmlns="http://tools.example.net/settings/1.0" ' + XSI
                                + ' xsi:schemaLocation="http://tools.example.net/settings/1.0 '
                                'https://acme.github.io/tools/settings-1.0.xsd">', BODY),
    "schema_from_a_cdn": ('<feed xmlns="http://widgets.example.com/feed" ' + XSI
                          + ' xsi:schemaLocation="http://widgets.example.com/feed '
                          'https://cdn.jsdelivr.net/npm/widget-feed@2/feed.xsd">', DOC),
    "schema_in_a_gitlab_repo": ('<plugin xmlns="http://example.io/plugin" ' + XSI
                                + ' xsi:schemaLocation="http://example.io/plugin '
                                'https://gitlab.com/example/plugin/-/raw/main/plugin.xsd"/>', QUERY),
}


@pytest.mark.parametrize(("name", "value", "ctx"), [(k, *v) for k, v in BENIGN.items()], ids=BENIGN.keys())
def test_same_shape_benign_passes(engine: Engine, name: str, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None, value
