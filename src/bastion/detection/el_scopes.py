"""JSP/JSF Expression Language reading the request's implicit objects (``${cookie["JSESSIONID"].value}``).

Where user input reaches an EL evaluator (Spring's ``eval`` of a message, a JSF ``ValueExpression`` built from a
parameter: the OpenMRS ``personType`` injection, fresh46), ``${…}`` and ``#{…}`` can read the implicit objects EL
defines: the session cookie (``cookie``), request headers and parameters, and the page, request, session and
application scopes, whose attributes hold credentials and server objects (``applicationScope`` lists every context
attribute). ``signatures.ssti`` flags calls and arithmetic; reading these objects calls nothing. Only EL's own names
count, written as EL reads them: the scope and context objects (``sessionScope``, ``applicationScope``,
``pageContext`` …) followed by ``.``, ``[`` or the closing brace, and ``cookie``/``header``/``param`` only when indexed
with a quoted name (``cookie["…"]``, ``header['host']``), since ``${header.title}`` is an ordinary template field.
"""

from __future__ import annotations

import re

_SCOPE = re.compile(
    r"[$#]\{\s*(?:(?:pageContext|sessionScope|applicationScope|requestScope|pageScope|initParam|headerValues"
    r"|paramValues)\s*[.\[}]|(?:cookie|header|param)\s*\[\s*['\"])")


def el_scope(value: str) -> tuple[int, int] | None:
    """The span of an EL expression opening on an implicit object, or ``None``."""
    if "{" not in value:
        return None
    m = _SCOPE.search(value)
    return (m.start(), m.end()) if m is not None else None
