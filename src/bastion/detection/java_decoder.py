"""Java object documents that build a process: ``java.beans.XMLDecoder`` and XStream input, Spring bean definitions.

``XMLDecoder`` turns ``<object class="…">`` and ``<void method="…">`` into constructor and method calls, so a
document that names ``java.lang.ProcessBuilder`` (or ``java.lang.Runtime``) and calls ``start`` (or ``exec``) runs a
command when a server decodes it (CVE-2017-10271, WebLogic's ``wls-wsat``; any endpoint handing a body to
``XMLDecoder.readObject``). A Spring XML context does the same with ``<bean class="java.lang.ProcessBuilder"
init-method="start">`` (CVE-2023-46604, ActiveMQ's ``ClassPathXmlApplicationContext``). Both halves must be markup: an
element whose ``class`` attribute is the process class, and a ``method``/``init-method`` attribute that starts it. A
document that merely mentions ``java.beans`` or the class in text is not one.
"""

from __future__ import annotations

import re

_PROCESS_CLASS = re.compile(
    r"<[\w:.-]+\s[^<>]*?\bclass\s*=\s*[\"']\s*java\.lang\.(?:ProcessBuilder|Runtime)\s*[\"']")
_STARTS = re.compile(
    r"<[\w:.-]+\s[^<>]*?\b(?:init-)?method\s*=\s*[\"']\s*(?:start|exec)\s*[\"']|<action>\s*(?:start|exec)\s*</action>",
    re.I)
"""``[^<>]`` keeps each attempt inside one tag, so a long run of unclosed tags is still read in linear time. The second
form is XStream's: a ``<dynamic-proxy>`` whose ``java.beans.EventHandler`` handler names its ``<target
class="java.lang.ProcessBuilder">`` and the ``<action>start</action>`` to call on it when any method of the proxy runs
(CVE-2021-39144, VMware NSX Manager; any endpoint that hands a body to ``XStream.fromXML``)."""


_STATIC_CALL = re.compile(
    r"<(?:void|object)\b(?=[^<>]*?\bmethod\s*=\s*[\"']\s*[a-z_$][\w$]*\s*[\"'])[^<>]*?\bclass\s*=\s*[\"']\s*"
    r"java\.lang\.(?:Thread|Runtime|ProcessBuilder|System|Class|ClassLoader|reflect\.[\w$]+)\s*[\"'][^<>]*>")
"""An ``XMLDecoder`` element that calls a static method of a JDK class a program reaches the process, the class
loader or the running request through (``<void class="java.lang.Thread" method="currentThread">``, then
``getCurrentWork``/``getResponse``/``getWriter``: the second CVE-2017-10271 probe, which writes into the response;
``java.lang.Runtime`` ``getRuntime``, ``java.lang.Class`` ``forName``, ``java.lang.System`` ``setProperty``).
``XMLEncoder`` output of ordinary beans calls ``add``/``put`` on the bean's own classes and sets properties; it has no
reason to call static methods of these classes. ``[^<>]`` keeps each attempt inside one tag."""


def process_document(value: str) -> tuple[int, int] | None:
    """The span of the process-class element (or of a static call on a JDK process, thread, class-loading or
    reflection class) when ``value`` is such a document, else ``None``."""
    if "java.lang." not in value:  # Java class names are case-sensitive
        return None
    if (built := _PROCESS_CLASS.search(value)) is not None and _STARTS.search(value) is not None:
        return built.start(), built.end()
    if "method" in value and (call := _STATIC_CALL.search(value)) is not None:
        return call.start(), call.end()
    return None
