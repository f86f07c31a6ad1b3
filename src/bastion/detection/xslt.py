"""XSLT stylesheets that run code or read local files through the processor.

An XSLT processor calls into its host language through extension namespaces: libxslt in PHP exposes every PHP
function under ``http://php.net/xsl`` (``php:function('system', 'id')``), Xalan every Java class under
``http://xml.apache.org/xalan/java/…`` or ``xalan://…``, Saxon and XT under ``java:…``
(``Runtime:exec(Runtime:getRuntime(), …)``). A stylesheet that declares such a namespace and calls a function in it
is refused as command injection (``extension_call``), whatever the function: the namespace is the host, and the
prefix is the attacker's choice, so it is read from the declaration. ``document('/etc/passwd')`` or a ``file:`` URL
reads a local file into the output (``local_document``, refused as XXE); so does ``document()`` of a URL with a scheme
(``document('http://example.com:22')``, the processor fetches it: a port scan from the server), and an instruction
that writes a file (XSLT 2.0 ``<xsl:result-document href=…>``, Xalan's ``<redirect:write file=…>``) — a stylesheet sent
in a request has no business fetching or writing either.

Both want the XSLT namespace URI (``http://www.w3.org/1999/XSL/Transform``, which a processor matches exactly) in
the value; prose about XSLT has no such declaration.

A ``script`` element of MSXML/.NET's ``urn:schemas-microsoft-com:xslt`` or Xalan's extension namespace counts as
such a call (``extension_call``): its text is C#, VB or JavaScript the processor compiles and runs (the Umbraco
``xsltVisualize`` exploit starts ``calc.exe`` from ``msxsl:script``, fresh46).
"""

from __future__ import annotations

import re

XSLT_NS = "XSL/Transform"

_DECLARATION = re.compile(
    r"xmlns:([\w.-]{1,64})\s*=\s*['\"]\s*(?:https?://php\.net/xsl|xalan://|[^'\"]{0,200}/xalan/java\b|java:"
    r"|[^'\"]{0,200}jclark\.com/xt/java|[^'\"]{0,200}saxon\.sf\.net/java)", re.I)
_SCRIPT_DECLARATION = re.compile(
    r"xmlns:([\w.-]{1,64})\s*=\s*['\"]\s*(?:urn:schemas-microsoft-com:xslt|https?://xml\.apache\.org/xslt"
    r"|https?://xml\.apache\.org/xalan)\s*['\"]", re.I)
"""Namespaces whose ``script`` element holds code the processor compiles and runs: MSXML and .NET's
``msxsl:script`` (C#, VB, JScript: ``System.Diagnostics.Process``), Xalan-J's ``lxslt:component``/``xalan:script``."""
_LOCAL_DOCUMENT = re.compile(r"\bdocument\s*\(\s*['\"]\s*(?:[a-z][\w+.-]{0,20}:|/|\.\./|\\\\)", re.I)
_FILE_WRITE = re.compile(
    r"<\s*(?:xsl:result-document\s[^>]{0,400}?\bhref|redirect:(?:open|write)\s[^>]{0,400}?\bfile)\s*=", re.I)


def extension_call(value: str) -> tuple[int, int] | None:
    """The span of a call into a host-language extension namespace that the value declares, or ``None``."""
    if XSLT_NS not in value or "xmlns:" not in value:
        return None
    prefixes = {m.group(1) for m, _ in zip(_DECLARATION.finditer(value), range(8), strict=False)}
    if "php" in value:
        prefixes.add("php")  # php:function needs the namespace, but a processor may have it bound already
    for prefix in prefixes:
        if (call := re.search(r"(?<![\w.-])" + re.escape(prefix) + r":[\w.-]+\s*\(", value)) is not None:
            return call.start(), call.end()
    for m, _ in zip(_SCRIPT_DECLARATION.finditer(value), range(8), strict=False):  # fresh46: msxsl:script
        if (script := re.search(r"<\s*" + re.escape(m.group(1)) + r":script\b", value)) is not None:
            return script.start(), script.end()
    return None


def local_document(value: str) -> tuple[int, int] | None:
    """The span of ``document()`` of a local path or a URL, or of a file-writing instruction, in a stylesheet (a
    value that declares the XSLT namespace or uses an ``<xsl:`` element), or ``None``."""
    if XSLT_NS not in value and "<xsl:" not in value:
        return None
    m = _LOCAL_DOCUMENT.search(value) if XSLT_NS in value else None
    m = m or _FILE_WRITE.search(value)
    return (m.start(), m.end()) if m else None
