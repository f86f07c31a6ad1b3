"""ColdFusion markup that starts a process: the ``<cfexecute>`` tag and its CFScript form ``cfexecute(…)``, and a Java
object of a class that runs programs or loads code made from CFML (``<cfobject type="java" class="java.lang.Runtime">``,
``createObject("java", "java.net.URLClassLoader")``; fresh75).

A value written into a ``.cfm`` file (an upload, an image-processing path that saves it, a template setting) runs
when the page is requested; ``<cfexecute name="…">`` runs a program with the given arguments on the server (the
Lucee/ColdFusion web shell: ``<cfexecute name="#form.cmd#" arguments="#form.opts#">``). No other markup language has
the tag, and an API field that is not itself a CFML page never holds it; prose names the tag without its ``name``
attribute (``use <cfexecute> with a timeout``).
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_CFEXECUTE = re.compile(
    r"<\s*cfexecute\b[^<>]{0,400}?\bname\s*=\s*[\"'#]?[^\s\"'<>]"
    r"|\bcfexecute\s*\(\s*name\s*=\s*[\"'#]"
    r"|\bcfexecute\s*\(\s*[\"'][^\"'\n]{1,200}[\"']\s*,",
    re.I,
)
"""The tag with a ``name`` attribute (a program, or a ``#variable#`` holding one) or the CFScript call with a
program as its first argument. ``[^<>]`` stops at the tag's end, so no search runs past one tag."""


def cf_execute(value: str) -> Span | None:
    """The span of a ColdFusion process start in ``value``."""
    if "xecute" not in value and "XECUTE" not in value:
        return None
    if m := _CFEXECUTE.search(value):
        return m.start(), m.end()
    return None


_JAVA_CLASS = r"[\"']\s*java\.(?:lang\.(?:Runtime|ProcessBuilder)|net\.URLClassLoader)\s*[\"']"
_JAVA_OBJECT = re.compile(
    r"\bcreateObject\s*\(\s*[\"']java[\"']\s*,\s*" + _JAVA_CLASS
    + r"|<\s*cfobject\b[^<>]{0,400}?\bclass\s*=\s*" + _JAVA_CLASS,
    re.I,
)
"""CFML's two ways to make a Java object (the ``createObject`` function with the ``java`` type, the ``<cfobject>`` tag's
``class`` attribute) naming ``java.lang.Runtime`` or ``java.lang.ProcessBuilder`` (a process) or
``java.net.URLClassLoader`` (classes from a URL): the Adobe ColdFusion log-poisoning payloads plant exactly these. An
API field that is not a CFML page never holds the call, and prose names the classes without the call around them.
``[^<>]`` stops at the tag's end."""


def cf_java_object(value: str) -> Span | None:
    """The span of a CFML Java object of a process-starting or class-loading class in ``value``."""
    if "java." not in value and "JAVA." not in value:
        return None
    if m := _JAVA_OBJECT.search(value):
        return m.start(), m.end()
    return None
