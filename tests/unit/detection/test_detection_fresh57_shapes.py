"""Unit: the shapes of the fresh57 first contact (XML parsers' entity, DOCTYPE, XInclude and XSLT tests against
arXiv Atom answers).

Left missed: an XSLT ``document()`` of a relative file name (fresh31 keeps ``document('lookup.xml')`` as a benign
look-alike). False positives: an internal DTD
subset that declares only elements, attribute lists and named characters (``dtd_subsets.inert_subset``), the XInclude
namespace on a document without an ``include`` element (``dtd_subsets.xinclude_declared_only``), an XML Schema
``<xsd:import>`` read as IE's HTC import (``xss``), and TeX's ``$O(n)$`` read as an obfuscated PHP variable call
(``latex_math``). Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest
from shape_tables import shape_tests

from bastion.detection import Context, Engine
from bastion.detection.dtd_subsets import inert_subset, xinclude_declared_only
from bastion.detection.latex_math import big_o
from bastion.detection.xslt import local_document

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]
XSL = 'xmlns:xsl="http://www.w3.org/1999/XSL/Transform"'


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "internal subsets that still declare something fetched or multiplied": [
        '<!DOCTYPE r [<!ELEMENT r ANY><!ENTITY x SYSTEM "file:///etc/hostname">]><r>&x;</r>',
        '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://10.0.0.5/x.dtd"> %p;]><r/>',
        '<!DOCTYPE r [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;">]><r>&c;</r>',
        '<!DOCTYPE r [<!ENTITY a "x &b;"><!ENTITY b "&a;">]><r>&a;</r>',
        '<!DOCTYPE r [<!ENTITY big "' + "z" * 300 + '">]><r>&big;&big;&big;&big;&big;</r>',
        '<!DOCTYPE r [<!ENTITY p "&#x25;">]><r/>',
        '<!DOCTYPE r [<!ENTITY ok "fine">]><r>&ok;</r><!ENTITY leak SYSTEM "file:///etc/passwd">',
        '<!DOCTYPE r [<!NOTATION n SYSTEM "viewer.exe">]><r/>',
        '<!DOCTYPE r [<!ENTITY example "Doe">]><user><name>&example;</name></user>',
        '<!DOCTYPE r [<!ENTITY lt2 "&#60;script&#62;">]><r>&lt2;</r>',
        '<!DOCTYPE x [<!ATTLIST img xmlns CDATA "http://www.w3.org/1999/xhtml" src CDATA "x" onerror CDATA "go(1)">]>'
        "<img/>",
    ],
    "xinclude with an include element": [
        '<d xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text"/></d>',
        '<d xmlns:q="http://www.w3.org/2001/XInclude"><q:include parse="text" href="../../app/.env"/></d>',
    ],
    "php variable calls that look like math": ["$O($_GET['c'])", "$O0O0($x);", "$O($x)$", "$__($_POST[1])"],
}

PASSED = {
    "internal subsets of ordinary documents": [
        '<!DOCTYPE note [<!ELEMENT note (to,body)><!ELEMENT to (#PCDATA)><!ELEMENT body (#PCDATA)>]>'
        "<note><to>Ana</to><body>Lunch at noon?</body></note>",
        '<!DOCTYPE doc [<!ATTLIST item id ID #IMPLIED kind CDATA "plain">]><doc><item id="a1"/></doc>',
        '<!DOCTYPE page [\n  <!ENTITY nbsp "&#160;">\n  <!ENTITY copy "&#169;">\n]>\n'
        "<page>&copy; 2026&nbsp;Acme</page>",
        '<!-- export --><!DOCTYPE r [ <!-- names --> <!ENTITY mdash "&#8212;"> ]><r>a&mdash;b</r>',
    ],
    "xinclude namespace without an include": [
        '<doc xmlns:xi="http://www.w3.org/2001/XInclude"><p>No further includes</p></doc>',
        '<div xmlns:xi="http://www.w3.org/2001/XInclude"><xi:fallback>offline</xi:fallback></div>',
    ],
    "schema imports": [
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"><xsd:import namespace="urn:a" '
        'schemaLocation="a.xsd"/></xsd:schema>',
        '<wsdl:import namespace="urn:orders" location="orders.wsdl"/>',
    ],
    "big-o in prose": [
        "The algorithm runs in $O(n \\log n)$ time and $O(1)$ extra space.",
        "complexity of $O(MN)$ per round",
        "Price: $O(1)$ amortised; see section 3",
    ],
    "xslt documents that read nothing, or a file beside the stylesheet (fresh31's look-alike)": [
        f"<xsl:stylesheet {XSL}><xsl:copy-of select=\"document('')//data\"/></xsl:stylesheet>",
        "the XSLT function document('report.xml') loads a second input",
        f"<xsl:stylesheet {XSL}><xsl:copy-of select=\"document('extdoc.xml')//b\"/></xsl:stylesheet>",
    ],
}


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_still_refused_elsewhere(engine: Engine) -> None:
    """An inert subset does not hide script in an entity's text from the other classes."""
    value = '<!DOCTYPE r [<!ENTITY x "<script>alert(document.cookie)</script>">]><r>&x;</r>'
    assert engine.inspect(value, BODY) is not None


def test_helpers() -> None:
    assert inert_subset('<!DOCTYPE a [<!ELEMENT a EMPTY>]><a/>', 0) == len("<!DOCTYPE a [<!ELEMENT a EMPTY>]>")
    assert inert_subset('<!DOCTYPE a [<!ENTITY x SYSTEM "y">]><a/>', 0) is None
    assert inert_subset('<!DOCTYPE a SYSTEM "a.dtd"><a/>', 0) is None
    assert inert_subset('<!DOCTYPE a [<!ENTITY x "text">]><a/>', 0) is None
    assert inert_subset('<!DOCTYPE a [<!ENTITY x "&#160;">]><a/>', 0) is not None
    assert xinclude_declared_only('<a xmlns:xi="http://www.w3.org/2001/XInclude"/>')
    assert not xinclude_declared_only('<a xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="b"/></a>')
    assert big_o("x $O(n)$", 2)
    assert not big_o("$O($x)$", 0)
    assert local_document(f"<xsl:stylesheet {XSL}><xsl:copy-of select=\"document('/a.xml')\"/>") is not None


@pytest.mark.parametrize("probe,prefix", [
    (lambda v: inert_subset(v, 0), "<!DOCTYPE a ["),
    (lambda v: inert_subset("<!DOCTYPE a [" + v, 0), "<!ELEMENT a EMPTY>"),
    (lambda v: inert_subset("<!DOCTYPE a [" + v, 0), "<!ATTLIST a b CDATA \"c\""),
    (lambda v: inert_subset("<!DOCTYPE a [" + v, 0), "<!--"),
    (xinclude_declared_only, "<x:inc"),
    (lambda v: big_o(v, 0), "$O("),
])
def test_linear(probe: object, prefix: str) -> None:
    value = prefix * (128 * 1024 // len(prefix))
    start = time.process_time()
    probe(value)  # type: ignore[operator]
    assert time.process_time() - start < 1.0


def test_engine_linear_on_triggers(engine: Engine) -> None:
    # "$O(n)$ " repeated walks php_code._constructed_call's candidates: test_detection_fresh30_code_shapes times it.
    for prefix in ("<!DOCTYPE a [<!ELEMENT a EMPTY>", '<!ENTITY x "y">', "$O(",
                   'xmlns:xi="http://www.w3.org/2001/XInclude" ', "<xsd:import "):
        value = prefix * (128 * 1024 // len(prefix))
        start = time.process_time()
        engine.inspect(value, BODY)
        assert time.process_time() - start < 2.0, prefix
