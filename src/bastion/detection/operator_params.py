"""A MongoDB query operator as a parameter name in a form-encoded value (fresh53: express-mongo-sanitize's tests).

``q=search&$where=malicious`` reaches a Node.js application as a query string or a form body; body parsers such as
``qs`` (``extended: true``) turn ``$where=…`` into a top-level ``$where`` member of the object the application hands
to ``find()``. The bracket form (``username[$gt]=``) and the JSON form (``{"$where": …}``) are read by
``signatures.nosqli``; here the operator is a plain parameter name, at the start of the value or after ``&``.

The whole value must be a query string: ``name=value`` pairs joined by ``&`` (a pair may lack its ``=``, ``&flag``),
with no blank, ``;`` or ``"`` anywhere. PHP and PowerShell code assigns variables the same way (``$where = "id = 5";``,
``$in=1;``) but ends a statement with ``;`` and quotes with ``"``. OData's system options (``$orderby=``,
``$search=``) and MongoDB's ``$comment`` annotation are not operators here, as in ``signatures.nosqli``. Names exclude
``=`` and every quantifier is possessive, so each pair is split one way only: linear in the value.
"""

from __future__ import annotations

import re

from bastion.detection.signatures import ANNOTATION_KEYS, NOSQL_OPERATORS, ODATA_OPTIONS

_QUERY_STRING = re.compile(r'[^\s&=;"]{1,200}+=[^\s&;"]{0,4000}+(?:&[^\s&=;"]{1,200}+(?:=[^\s&;"]{0,4000}+)?+){0,100}+')
_OPERATOR_NAME = re.compile(r"(?:^|&)(\$[A-Za-z]{2,14})(?:\[[^\]\s&=]{0,64}\]){0,8}=")
_NOT_OPERATORS = ODATA_OPTIONS | ANNOTATION_KEYS


def operator_param(value: str) -> tuple[int, int] | None:
    """The span of ``$operator=`` when ``value`` is a query string with an operator-named parameter, or ``None``."""
    if "$" not in value or "=" not in value:
        return None
    for m in _OPERATOR_NAME.finditer(value):
        name = m.group(1).lower()
        if name in NOSQL_OPERATORS and name not in _NOT_OPERATORS:
            return m.span(1) if _QUERY_STRING.fullmatch(value) else None
    return None
