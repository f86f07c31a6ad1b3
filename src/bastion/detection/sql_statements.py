"""Whole SQL statements that reach files, shares or the network with no break-out (decision 0012, fresh31 addendum).

Like ``sqli._DANGEROUS_STATEMENT``, these are read only when the value as a whole is SQL: it starts (after blanks,
``(`` or ``;``) with a statement keyword, is at most ``_LONGEST`` characters long and holds no markdown fence. Inside,
one of these makes the batch dangerous:

- MSSQL ``BULK INSERT <table> FROM '<file>'`` (the server reads a file, a UNC path makes it authenticate to the
  caller's host), and ``sys.dm_os_*``, ``xp_dirtree``, ``xp_fileexist``, ``xp_subdirs`` given a UNC path;
- an Oracle PL/SQL block (``DECLARE``/``BEGIN`` … ``END``) calling ``UTL_TCP``, ``UTL_HTTP``, ``UTL_SMTP``,
  ``UTL_INADDR``, ``UTL_FILE`` or ``DBMS_LDAP``: the database opens connections or files for the caller;
- PostgreSQL ``query_to_xml``/``database_to_xml``/``schema_to_xml``/``table_to_xml`` (a whole database as one XML
  value), ``pg_read_file``/``pg_read_binary_file``/``pg_ls_dir``/``pg_stat_file``, ``lo_import``/``lo_export``, and
  ``convert_from`` of a hex literal (a statement hidden from the filter as bytes);
- PostgreSQL's ways out of the database (fresh34): ``dblink``/``dblink_connect``/``dblink_exec`` (the server opens a
  connection for the caller, a port scanner and a password oracle), the large-object calls that stage a file
  (``lo_creat``, ``lo_create``, ``lo_put``, ``lo_unlink``, ``lo_from_bytea``) and the ``pg_largeobject`` table
  itself, ``pg_language`` (which languages run untrusted code; ``lanpltrusted`` flipped), ``CREATE EXTENSION`` of
  ``dblink``, an untrusted language (``plpython3u``, ``plperlu``…), ``adminpack`` or a foreign-data wrapper, a
  function in ``LANGUAGE C`` (a shared library loaded into the server) or in an untrusted language, and ``COPY``
  from or to a program or a UNC share. An application's own SQL never carries these in a field, and prose about
  them is not a statement.
"""

from __future__ import annotations

import re

_LONGEST = 4096
_STARTS_SQL = re.compile(
    r"[\s(;]*(?:select|declare|begin|create|bulk|exec|execute|insert|with|set|drop|if|values|update|copy)\b", re.I)
_FIRST = frozenset("sSdDbBcCeEiIwWvVuU \t\r\n\x0b\x0c(;")
"""What a value ``_STARTS_SQL`` accepts can start with: most values the SQL trigger sends here stop at this test."""
_DANGEROUS = re.compile(
    r"\bbulk\s+insert\s+[\w#@.\[\]\"`]+\s+from\s+N?'"
    r"|\b(?:dm_os_\w+|xp_dirtree|xp_fileexist|xp_subdirs)\s*\(?\s*N?'\s*(?:\\\\|//)[\w.$-]"
    r"|\b(?:utl_tcp|utl_http|utl_smtp|utl_inaddr|utl_file|dbms_ldap)\s*\.\s*\w+"
    r"|\b(?:query_to_xml|database_to_xml|schema_to_xml|table_to_xml|query_to_xml_and_xmlschema"
    r"|database_to_xml_and_xmlschema|pg_read_file|pg_read_binary_file|pg_ls_dir|pg_stat_file|lo_import|lo_export)"
    r"\s*\(|\bconvert_from\s*\(\s*(?:decode\s*\(\s*)?E?'[^'\s]{0,4}[0-9a-f]{16}"
    r"|\b(?:dblink|dblink_connect|dblink_connect_u|dblink_exec|dblink_send_query|lo_creat|lo_create|lo_put|lo_unlink"
    r"|lo_from_bytea)\s*\(|\bpg_(?:largeobject|largeobject_metadata|language)\b"
    r"|\bcreate\s+extension\s+(?:if\s+not\s+exists\s+)?[\"']?(?:dblink|adminpack|file_fdw|postgres_fdw|pl\w*u)\b"
    r"|\blanguage\s+[\"']?(?:c|pl\w*u)[\"']?\s*(?:strict|;|$|\b(?:immutable|stable|volatile|security)\b)"
    r"|\bcopy\s+[\w.]+\s*(?:\([\w\s,]*\)\s*)?(?:from|to)\s+(?:program\b|E?'\s*(?:(?:\\\\){1,2}|//)[\w.$-])",
    re.I | re.M)
_PLSQL_PACKAGE = re.compile(r"utl_|dbms_", re.I)
_BEGIN = re.compile(r"\bbegin\b", re.I)
_END = re.compile(r"\bend\s*;", re.I)


def dangerous_statement(value: str) -> tuple[int, int] | None:
    """The whole value's span when it is SQL holding one of the module's constructs, or ``None``."""
    if value[:1] not in _FIRST or len(value) > _LONGEST or "```" in value or not _STARTS_SQL.match(value):
        return None
    m = _DANGEROUS.search(value)
    if m is None:
        return None
    if _PLSQL_PACKAGE.match(m.group()) and ((begin := _BEGIN.search(value)) is None
                                             or _END.search(value, begin.end()) is None):
        return None  # a package named outside a PL/SQL block (a SELECT of UTL_HTTP is sqli's own business)
    return 0, len(value)
