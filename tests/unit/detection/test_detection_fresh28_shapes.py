"""Unit: the shapes of the fresh28 first contact.

SQL: a sort value that is, as a whole, ``CASE WHEN … THEN a ELSE b END`` on a subquery or a boolean constant (ORDER
BY injection); ``AND|OR sleep N`` without parentheses after a break-out; keywords doubled for a strip-once filter
(``SESELECTLECT``); ``&amp;`` right after a closing quote (escaped markup, not a bitwise AND). Command injection:
a Node.js statement handed to ``eval()`` as the whole value (process control, a busy loop, ``require('fs')``).
XSS: a ``javascript:`` URL whose code starts with a bare expression statement (``javascript&#58document;alert…``).
Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.code_probes import node_statement
from bastion.detection.sqli_values import undoubled, values_or_case_error, word_sleep

BODY = Context("body", "note")
QUERY = Context("query", "sort")
HEADER = Context("header", "referer")
PATH = Context("path")


def _attack(engine: Engine, value: str, ctx: Context = BODY) -> str | None:
    hit = engine.inspect(value, ctx)
    return hit.rule.attack if hit is not None else None


ORDER_BY = [
    "CASE WHEN (SELECT substr(token,1,1) FROM sessions LIMIT 1)='f' THEN price ELSE name END",
    "case when (select host from nodes where role='db') like '10.%' then created_at else title end",
    "case when (select id from staff where login='root' and length(pw) > 8) is not null then sku else qty end",
    "(CASE WHEN (true) THEN price ELSE sku END)",
    "case when false then a.created else a.id end desc",
    "qty, (CASE WHEN (SELECT count(*) FROM admins)>2 THEN qty ELSE price END) ASC -- x",
]


@pytest.mark.parametrize("value", ORDER_BY)
@pytest.mark.parametrize("ctx", [BODY, QUERY, HEADER, PATH])
def test_order_by_case_expression(engine: Engine, value: str, ctx: Context) -> None:
    assert _attack(engine, value, ctx) == "sqli"


SLEEP_WORDS = ["7' AND sleep 4", "3' or sleep 9#", "12 AND sleep 6", "abc\" || sleep 2 -- x", "5') and pg_sleep 3"]
DOUBLED = [
    "Jones';SELSELECTECT/**/*/**/FRFROMOM/**/accounts;--",
    "pat' UNunionION SEselectLECT login,pw FRfromOM staff#",
    "x';DRDROPOP TABLE orders_2024;--",
]
SCRIPT_LINKS = [
    "[home](javascript&#58window;alert&#40;7&#41;)",
    "[x](javascript&#58x;location&#61;'//collector.test')",
    "javascript:top;confirm(2)",
]


@pytest.mark.parametrize(("value", "attack"), [(v, "sqli") for v in SLEEP_WORDS + DOUBLED]
                         + [(v, "xss") for v in SCRIPT_LINKS])
def test_sleep_words_doubled_keywords_and_script_statements(engine: Engine, value: str, attack: str) -> None:
    """``AND sleep N`` after a break-out, keywords doubled for a strip-once filter, ``javascript:x;call()``."""
    assert _attack(engine, value) == attack


NODE_EVAL = [
    "process.exit(0)",
    "process.kill(process.pid);",
    "';global.process.abort() //",
    "res.send(require('fs').readFileSync('/srv/app/.env').toString())",
    "require(\"fs\").readdirSync('/')",
    "require('node:child_process')",
    "while(true){}",
    "for(;;);",
]


@pytest.mark.parametrize("value", NODE_EVAL)
@pytest.mark.parametrize("ctx", [BODY, QUERY, HEADER])
def test_node_statement_for_eval(engine: Engine, value: str, ctx: Context) -> None:
    assert _attack(engine, value, ctx) is not None
    assert node_statement(value) is not None  # the command analyser's reading, whatever class the engine names


def test_entity_after_quote_keeps_detecting_attacks(engine: Engine) -> None:
    assert _attack(engine, "x'&amp;select password from users--") == "sqli"
    assert _attack(engine, "x'&amp;drop table users;--") == "sqli"
    assert _attack(engine, "x'&lt;1 or 1=1") == "sqli"  # the decoded form is an operator probe


BENIGN = [
    # prose with case/when/then, a CASE in a fenced snippet or a sentence
    "in case when the order is late then call the courier",
    "Just in case: when it rains, then bring a coat, else stay home. The end",
    "```sql\nSELECT CASE WHEN (SELECT 1) = 1 THEN a ELSE b END FROM t;\n```",
    "Use CASE WHEN (SELECT max(x) FROM t) > 5 THEN 'big' ELSE 'small' END in the report query",
    "case when true then yes else no",
    # sleep in prose
    "I will be home at 1 and sleep 8 hours",
    "Go to bed' and sleep 8 hours",
    "work hard and sleep 8",
    # words that look doubled
    "The Selectselect store sells fromfrom and orator pieces",
    "Andand is a name; oror too",
    # Node named in prose, in a fence, in a code sample
    "call process.exit() when done",
    "Run process.exit(0) at the end of the script",
    "```js\nprocess.exit(1)\n```",
    "const fs = require('fs');",
    "while (true) I keep going",
    "for (;;) is an infinite loop",
    # javascript: in prose
    "Learn javascript: variables; functions and loops",
    "[guide](https://example.com/javascript-guide)",
    # escaped markup in a feed title
    '<a title="&amp;">&amp;</a>',
    '<abbr title="&quot;">&quot;Q&quot;</abbr>',
    '<a title="&amp;">Tom &amp; Jerry</a>',
]


@pytest.mark.parametrize("value", BENIGN)
@pytest.mark.parametrize("ctx", [BODY, QUERY])
def test_benign_look_alikes_pass(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None


def test_long_inputs_are_linear() -> None:
    started = time.process_time()
    for value in ("SESELECTLECT " * 10_000, "selselectect" * 11_000, "x" * 131_072, "fromfrom/**/" * 11_000):
        undoubled(value, value.lower())
    word_sleep("1' and sleep " * 10_000)
    values_or_case_error("case when (select " * 7_000, "case when (select " * 7_000)
    node_statement("process.exit(" * 10_000)
    node_statement("res.end(require('fs')" * 6_000)
    assert time.process_time() - started < 1.0
