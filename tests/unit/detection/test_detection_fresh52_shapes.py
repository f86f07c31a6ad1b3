"""Unit: the shapes of the fresh52 first contact.

Escapes from expression sandboxes (``sandbox_escapes``): Python attribute walks to the interpreter's internals
(``().__class__.__bases__[0].__subclasses__()``, ``x.__globals__``, a generator's frame), weaker dunder reads in a
code value, one import of a host module, ``exec``/``eval`` of a literal and an ``open("f", "mode")`` probe; JavaScript's
``Function`` constructor reached through ``constructor`` twice or a built-in method, a computed ``"constructor"``
called with code, ``Function("…")()``, host code inside a JSONPath filter, a blocked name joined from literals; a
``popen`` whose output is read on any receiver. One false-positive shape: a pure math formula after a number or as the
whole value (``1 / tan(2)``, ``exp(x)``: ``sqli_grammar.pure_math_call``). Values are our own; none comes from a
corpus."""

from __future__ import annotations

import time

import pytest
from shape_tables import shape_tests

from bastion.detection import Context, Engine
from bastion.detection.sandbox_escapes import js_escape, popen_read, python_escape

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "python walk to the internals": [
        "''.__class__.__mro__[1].__subclasses__()",
        "(1).__class__.__base__.__subclasses__()[99]",
        "fn.__init__.__globals__['os']",
        "q.__globals__",
        "a.b.func_globals",
        "it.gi_frame.f_back.f_globals",
        'getattr(getattr(z, "gi_frame"), "f_back")',
        'w("__class__.__init__.__builtins__")',
    ],
    "python dunder read in code": [
        "num.__class__",
        "mod.__dict__",
        '"{v.__class__}".format(v=1)',
        'f"{q.__dict__}"',
        "[k.__class__ for k in xs]",
        "getattr((), '__class__')",
        "try:\n    f()\nexcept Exception as err:\n    t = err.__traceback__",
    ],
    "python host import or call": [
        "import subprocess",
        "from os import system",
        "import builtins as b\nx = b.getattr",
        "exec('y = 2')",
        "def f():\n    eval('3 * 3')",
        'open("notes.txt", "w")',
    ],
    "js function constructor": [
        "$[?(@.x.constructor.constructor)]",
        "o['constructor']['constructor']('return this')()",
        '[]["map"]["constructor"]("return 2")()',
        "''.big.constructor",
        '(function(k){return {}[k]})("constructor")("return 1")()',
        'new Function("return globalThis")()',
    ],
    "js code in a jsonpath filter": [
        '$..items[?(require("os"))]',
        "$[?(process.env)]",
        "$.a[?((function(){return 2})())]",
        "$[?((()=>0)())]",
        '$[?((0, eval)("2"))]',
        "$[?(@.__proto__)]",
    ],
    "js name joined from literals": ['obj["__pr"+"oto__"]', "x['constr' + 'uctor']"],
    "popen read on any receiver": ["a.b.popen('uname -a').read()", 'h().popen("whoami").read()'],
}

PASSED = {
    "python in prose": [
        "Why does obj.__dict__ not show class attributes?",
        "use cls.__subclasses__() to find every plugin class",
        "the __globals__ of a function hold its module",
        "import statements go at the top of the file",
    ],
    "python idioms in code": [
        'f"{self.__class__.__name__}"',
        "type(x).__name__",
        "super().__init__()",
        "self.__dict__.update(kw)",
        "import os\nprint(os.environ.get('HOME'))",
        "with open('data.csv') as f:\n    rows = list(f)",
        "model.eval()",
        "re.compile('[a-z]+')",
    ],
    "js and jsonpath look-alikes": [
        "$..book[?(@.price<10)]",
        "$..book[(@.length-1)]",
        "$[?(@.isbn)]",
        "the constructor of the class sets the fields",
        "Request.prototype.end",
        "[1, 2, 3].map(function(n) { return n * 2 })",
        '"app" + "le"',
        "obj.constructor.name",
    ],
    "formulas": [
        "1 / tan(2)",
        "exp(2)",
        "exp(x)",
        "log(exp(1.3))",
        "2 * sin(pi / 4)",
        "sqrt(3^2 + 4^2)",
        'compile("a * b")',
    ],
}


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_error_based_exp_still_counts(engine: Engine) -> None:
    for value in ("exp(710)", "1-exp(1000)", "exp(~(select 1))", "1 * abs(sleep(5))", "1 + floor(rand(0)*2)"):
        assert engine.inspect(value, BODY) is not None, value


@pytest.mark.parametrize(
    "probe,prefix",
    [
        (python_escape, ".__class__"),
        (python_escape, "a b "),
        (python_escape, "'x"),
        (python_escape, "getattr(x, '"),
        (python_escape, "import os\n"),
        (js_escape, "$[?("),
        (js_escape, "'a'+"),
        (js_escape, "constructor["),
        (js_escape, ")('x')("),
        (popen_read, ".popen('"),
    ],
)
def test_linear(probe: object, prefix: str) -> None:
    value = prefix * (128 * 1024 // len(prefix))
    start = time.process_time()
    probe(value)  # type: ignore[operator]
    assert time.process_time() - start < 1.0


def test_engine_linear_on_triggers(engine: Engine) -> None:
    for prefix in (".__class__", "$[?(", "'a'+", "constructor[", ".popen('", "1 / tan(", "exp("):
        value = prefix * (128 * 1024 // len(prefix))
        start = time.process_time()
        engine.inspect(value, BODY)
        assert time.process_time() - start < 2.0, prefix
