"""Unit: the shapes of the fresh50 first contact.

Scanner probes that ask whether a value is evaluated (``scanner_probes``): Struts OGNL arithmetic ``%{n+m}``, a
template expression glued inside a number, a whole-value ``javascript:name`` URL, a backslash-quote JavaScript string
break-out, a lone control tool beside a separator or line break, ThinkPHP's ``invokefunction`` route and a comment
close followed by a SELECT of constants; a class-loader walk written in OGNL brackets (``signatures.proto``). Two
false positives: a three-dot elision between path names (``signatures.traversal``) and ``"mod post"`` read as the MOD
operator (``sqli_grammar``). Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest
from shape_tables import shape_tests

from bastion.detection import Context, Engine
from bastion.detection.scanner_probes import (
    control_command,
    glued_template,
    js_probe,
    split_select,
    struts_arithmetic,
    thinkphp_call,
)

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "struts arithmetic": ["%{1021+3344}", "redirect:%{ 7 * 191 }", "x=%{-4+90}", "%{99/3}"],
    "template glued in a number": ["4,211{{q}},870", "12{{ foo }}34", "3{{x}}.5"],
    "javascript url naming one identifier": ["javascript:qWz81", " JavaScript:window.name", "javascript:a.b.c;"],
    "string break-out after a backslash": ["x\\';q(7)\\\\", 'b\\"; run(1)//', "\\';window.open(1)"],
    "control tool beside a separator": [";notepad;", "\nreboot", "\nhalt\n", "whoami|", "| shutdown -r", "&&id&&"],
    "thinkphp invokefunction": [
        "index/\\think\\Container/invokefunction",
        "function=call_user_func_array&vars[0]=system&vars[1][]=id",
        "/?s=admin/\\think\\app/invokefunction&function=assert&vars[0]=1",
    ],
    "comment close then constant columns": [
        "*/ select 1,2,3-- -", "x*/SELECT null,0x41,7,8 from dual", "*/select 1,2,3"],
    "class loader in brackets": [
        "class['classLoader']['resources'].context.parent.pipeline.first.prefix=x",
        'class["module"]["classLoader"].resources.context.parent.pipeline.first.suffix=.jsp',
    ],
}

PASSED = {
    "format placeholders and prices": ["Hello %{name}, you owe %{amount}", "%{count} items", "5%{x}", "50% {off}"],
    "mustache in text": ["Dear {{name}}, your total is {{total}}", "{{1}} of {{2}}", "page {{n}} of 12"],
    "javascript in prose and links": ["javascript: the good parts", "learn javascript:basics today please"],
    "escaped quotes in text and code": ["It\\'s fine; really", 'say \\"hi\\"; then (leave)', "printf(\\\"%d\\\");"],
    "tool words in prose": ["reboot the router; it helps", "id card", "Notepad++ is nice", "my id|name pair",
                            "halt and catch fire", "shutdown", "whoami", "\nThanks\n", "id|", "hostname;"],
    "php and thinkphp words": ["call_user_func_array is a PHP function", "think/app/config", "function=map&x=1"],
    "sql in comments and prose": ["/* note */ select the option 1, 2 or 3", "*/ select 1", "select 1,2,3 from t"],
    "java prose": ["class loader issues in Tomcat", "the class.getClassLoader() call", "class['name'] = 'x'"],
    "elided paths": ["File \"C:/Users/.../app.py\", line 3", "/home/.../project/main.go", "C:\\Users\\...\\x.txt"],
    "quoted mod phrases": ['remove "mod post" and send a message', 'a "div class" and', 'the "mod team" or admins'],
}


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_traversal_runs_stay() -> None:
    engine = Engine()
    for value in ("/.../.../.../etc/hosts", "a/.../.../b", "..../x", "x/../y/../../z"):
        assert engine.inspect(value, BODY) is not None, value


def test_mod_operator_still_counts() -> None:
    engine = Engine()
    for value in ("1' mod 2 and '1'='1", "x' div sleep(5)-- ", "a' div b and 1=1--"):
        assert engine.inspect(value, BODY) is not None, value


@pytest.mark.parametrize("probe,prefix", [
    (struts_arithmetic, "%{1"), (glued_template, "1{{a"), (js_probe, "\\'"), (js_probe, "javascript:a"),
    (control_command, ";"), (thinkphp_call, "\\think\\a"), (split_select, "*/ select 1,"),
])
def test_linear(probe: object, prefix: str) -> None:
    value = prefix * (128 * 1024 // len(prefix))
    start = time.process_time()
    probe(value)  # type: ignore[operator]
    assert time.process_time() - start < 1.0


def test_engine_linear_on_triggers(engine: Engine) -> None:
    for prefix in ("%{1", "*/ select 1,", ";id|", "\\';a(", "class['classLoader']['", "/.../a"):
        value = prefix * (128 * 1024 // len(prefix))
        start = time.process_time()
        engine.inspect(value, BODY)
        assert time.process_time() - start < 2.0, prefix
