"""Unit: the shapes of the fresh44 first contact (Exploit-DB's PHP web-application exploits).

A table name in parentheses glued to ``from`` (``…)from(information_schema.tables)group by 2``: ``sqli``'s
tokenizer read ``from(`` as a call); a backtick break-out whose closing comment swallows the backtick it adds for
symmetry (``users`where 1=(updatexml(…))#```); a ``where`` condition in parentheses after a quote break-out
(``' where (1=1)--``); an echo of a short quoted string cut off by ``;`` and an empty comment
(``echo('x');//``, ``code_probes``); a PHP opening tag whose letters are escaped one by one (``<?\\p\\h\\p``, a
``date()`` format, ``php_code``). And one false positive: a list of nearly every ASCII punctuation mark is not an
LDAP metacharacter probe. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "parenthesised table glued to from": [
        "7 or (1,1)=(select count(0),concat((select version()),floor(rand(0)*2))from(information_schema.tables)"
        "group by 2)",
        "5 or (2,2)=(select count(*),concat((select database()),floor(rand(0)*2)) from (mysql.user) group by 2)",
        "select count(0) from(information_schema.tables)",
    ],
    "backtick breakout with a commented closing backtick": [
        "orders`where 1=(updatexml(1,concat(0x7e,(select database())),1))#`",
        "items`where 2=(extractvalue(1,concat(0x3a,(select @@version))))-- `",
        "cols` where 1=(updatexml(1,concat(0x3a,(select user())),1))#`",
    ],
    "where condition in parentheses": [
        "1' where (1=1)--",
        "x' where(5=5)-- -",
        "7' WHERE ((2>1))#",
    ],
    "echo probe cut off by a comment": [
        "echo('QmTxRvZ');//",
        "print('abc123');#",
        "';echo('zzTop');//",
        "echo 'k9F2';//",
    ],
    "php tag with escaped letters": [
        "<?\\p\\h\\p \\e\\c\\h\\o \\s\\h\\e\\l\\l_\\ex\\e\\c(\\$_\\G\\E\\T[\\c]);?>",
        "Y-m-d <?\\p\\h\\p system($_GET[1]); ?>",
        "<? \\e\\v\\a\\l($_POST[x]);",
    ],
}

PASSED = {
    "tables, sub-selects and parentheses in prose": [
        "Choose from (a) red or (b) blue.",
        "Pick one from (the list below) and join (optional) the mailing list.",
        "Quote from (Smith, 2019) where (as noted) the results differ.",
        "SELECT name FROM users WHERE id = 4",
    ],
    "where before parenthesised prose": [
        "x' where (it is warm)",
        "see 'where (a) and (b)' below",
        "the key question is 'where (and when)' to go",
    ],
    "markdown code spans and comments": [
        "use `where` and `#` in the filter",
        "the column `order`#`name` looks odd",
        "rename `users` to `people` # later",
    ],
    "code samples that print": [
        "print('done');  // log it",
        "echo('Hello, world!');",
        "print('ready')",
        "echo 'installed'; // then restart the service",
    ],
    "escaped text that is no php tag": [
        "Use \\d\\d\\d for three digits",
        "<?xml version=\"1.0\"?><a>\\n\\t\\r</a>",
        "a <? b \\c d",
    ],
    "punctuation lists": [
        "./\\()\"',.;<>~!@#$%^&*|+=[]{}`~?-",
        "Special characters allowed: !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    ],
}


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in REJECTED.items() for v in vs])
def test_fresh44_shape_is_rejected(engine: Engine, shape: str, value: str) -> None:
    for ctx in CONTEXTS:
        assert engine.inspect(value, ctx) is not None, (shape, value, ctx)


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in PASSED.items() for v in vs])
def test_fresh44_lookalike_passes(engine: Engine, shape: str, value: str) -> None:
    assert engine.inspect(value, BODY) is None, (shape, value)


def test_fresh44_ldap_probe_still_rejected(engine: Engine) -> None:
    assert engine.inspect('|!<>=~=>=<=*(),+-"\'\\/', BODY) is not None


@pytest.mark.parametrize("unit", [
    "x)from(t)group by 1 ", "a`where 1=1#` ", "echo('a');// ", "<?\\p\\h\\p \\e ", "from (a) join (b) ",
])
def test_fresh44_new_searches_are_linear(engine: Engine, unit: str) -> None:
    value = (unit * (128 * 1024 // len(unit) + 1))[: 128 * 1024]
    start = time.process_time()
    engine.inspect(value, BODY)
    assert time.process_time() - start < 1.0, unit
