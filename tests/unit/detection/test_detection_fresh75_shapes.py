"""Unit: the shapes of the fresh75 first contact (Metasploit's exploits/multi/http injected values against Home
Assistant fixtures of v/w integrations).

Fixed: CFML that makes a Java object of a process-starting or class-loading class (``createObject("java",
"java.lang.Runtime")``, ``<cfobject type="java" class="java.net.URLClassLoader">``), the ColdFusion log-poisoning
payloads (``cfml.cf_java_object``). Left: a webhook URL on an ``.local`` (mDNS link-local) host, refused by the SSRF
guard as a link-local name by design. Values are our own; none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

from shape_tables import shape_tests

from bastion.detection import Context
from bastion.detection.cfml import cf_java_object

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"), Context("path", "")]

REJECTED = {
    "a CFML Java object of Runtime, ProcessBuilder or URLClassLoader": [
        "<cfset r = createObject(\"java\", \"java.lang.Runtime\")/>",
        "<cfscript>p = CreateObject( 'java' , 'java.lang.ProcessBuilder' ).init(a);</cfscript>",
        "{<cfset l=createObject('java','java.net.URLClassLoader').init(u)/>",
        "<cfobject type=\"java\" action=\"create\" class=\"java.lang.Runtime\" name=\"rt\">",
        "<CFOBJECT name='pb' class='java.lang.ProcessBuilder' type='java'/>",
    ],
}

PASSED = {
    "prose and other CFML objects": [
        "java.lang.Runtime is the class that createObject would need here",
        "<cfset s = createObject(\"java\", \"java.lang.StringBuilder\")/>",
        "<cfobject type=\"component\" name=\"svc\" component=\"app.Runtime\">",
        "createObject('component', 'java.lang.Runtime')",
        "the cfobject tag takes a class attribute, e.g. java.net.URL",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_helper() -> None:
    assert cf_java_object("createObject('java','java.lang.Runtime')") == (0, 39)
    assert cf_java_object("createObject('java','java.util.Date')") is None
    assert cf_java_object("<cfobject name='x'> class='java.lang.Runtime'") is None  # the tag ended before it


def test_linear(inspect_seconds: Callable[[str, Context], float]) -> None:
    for unit in ("createObject('java',", "<cfobject class=", "<cfobject " + "a" * 390, "java.net.", "createObject ( "):
        half = unit * (64 * 1024 // len(unit))
        whole = half + half
        assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
