"""Unit: the shapes of the fresh79 first contact (nuclei-templates' product and vendor templates under
http/vulnerabilities/, against PokeAPI's static answers).

Fixed: ``getRuntime().exec(`` called on a variable, index or member (a Rhino/Nashorn script that returns
``java.lang.Runtime`` from a function and calls ``r.getRuntime().exec(…)`` on the variable), and a PHP probe function
called through a quoted string literal (``"var_dump"("x")``, ``'md5'(1)``: PHP calls a string that names a function;
a template condition that PHP evaluates was the carrier). Left: a bare quote after a number (``1'``), the error probe
of a scanner, with no SQL after it. Values are our own; none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

from shape_tables import shape_tests

from bastion.detection import Context

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"), Context("path", "")]

REJECTED = {
    "getRuntime().exec( on a variable, index or member": [
        "var k = java.lang.Runtime; k.getRuntime().exec('uname -a')",
        "function rt(){return java.lang.Runtime};var o=rt();o.getRuntime().exec(\"whoami\")",
        "x=Packages.java.lang.Runtime;x.getRuntime().exec(['sh','-c','ls'])",
        "obj[\"cls\"].getRuntime().exec(cmd)",
    ],
    "a PHP probe function called through a quoted name": [
        "<tpl:if test='\"print_r\"(\"marker\")'></tpl:if>",
        "'md5'(31337)",
        "x=\"phpinfo\"()",
        "{${'var_export'($a)}}",
        "a='getenv'('PATH')",
    ],
}

PASSED = {
    "prose and data that name runtimes, exec and PHP functions apart": [
        "Runtime.getRuntime().availableProcessors() returns the core count",
        "The runtime (getRuntime) and exec() are separate topics in chapter 4.",
        "rt.getRuntimeInfo().executor(\"pool\")",
        "the \"print_r\" (debug) output lists every key",
        "use \"md5\" hashing, not \"sha1\"",
        "{\"var_dump\": \"(x)\", \"md5\": \"(1)\"}",
        "call \"md5\"(\"abc\") to get the digest",
        "Le \"die\"(article) est féminin en allemand.",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_linear(inspect_seconds: Callable[[str, Context], float]) -> None:
    for unit in ("a.getRuntime().", "x .getRuntime( ) .exec ", "\"md5\"(", "'var_dump'('", "'\"x\"(1) "):
        half = unit * (64 * 1024 // len(unit))
        whole = half + half
        assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
