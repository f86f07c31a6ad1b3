"""H2 connection strings whose ``INIT`` runs code.

H2 runs the SQL of a connection URL's ``INIT`` setting when the connection opens, so a JDBC URL that an application
takes from a request (a data-source form, a console login, a monitoring agent's ``target``) can define a Java or
JavaScript function and call it: ``jdbc:h2:mem:x;INIT=CREATE TRIGGER t BEFORE SELECT ON … AS $$//javascript …$$``,
``INIT=CREATE ALIAS EXEC AS 'String e(String c) …'``, ``INIT=RUNSCRIPT FROM 'http://…/x.sql'`` (CVE-2018-10054,
CVE-2021-42392, CVE-2022-23221). A connection string that only sets a schema (``INIT=SET SCHEMA app``) or names a
file passes.
"""

from __future__ import annotations

import re

_WINDOW = 1500
_MAX_URLS = 16
_INIT_CODE = re.compile(
    r";\s*init\s*=[^\x00]*?(?:runscript\s+from|create\s+(?:(?:or\s+replace\s+)?alias|trigger)\b|\$\$)", re.I)
"""Searched only inside a bounded window after each ``jdbc:h2:``, so the lazy scan stays linear in the value."""


def h2_init_code(value: str) -> tuple[int, int] | None:
    """The span from ``jdbc:h2:`` to the code its ``INIT`` defines or loads, or ``None``."""
    low = value.lower()
    start = low.find("jdbc:h2:")
    count = 0
    while start >= 0 and count < _MAX_URLS:
        m = _INIT_CODE.search(low[start : start + _WINDOW])
        if m:
            return start, start + m.end()
        start = low.find("jdbc:h2:", start + 8)
        count += 1
    return None
