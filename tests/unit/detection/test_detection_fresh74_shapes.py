"""Unit: the shapes of the fresh74 first contact (OWASP Security Shepherd's solution strings and the examples of the
WSTG Oracle, MySQL, SQL Server and MS Access pages, against Okta management API answers recorded by okta 3.4.6).

Fixed: a SQL Server batch that calls a system procedure with its argument and no ``EXEC`` (``procedure_batch``), a
T-SQL remote rowset opened with a connection string (``openrowset(``), a sub-select whose ``FROM`` reads another
sub-select (``derived_subselect``), a PL/SQL anonymous block (``plsql_declare``) and a call into an Oracle built-in
package stacked after a break-out (``oracle_package_call``). Left: WSTG's ``UNION ALL 1,1,'a' FROM users;--`` (no
``SELECT``: no database runs it), the bare ``);--`` probe (no value, condition or statement), and Okta's custom
sign-in page HTML with its ``<script>`` (only the application knows the field takes a page). Values are our own;
none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

from shape_tables import shape_tests

from bastion.detection import Context
from bastion.detection.sqli import tokenize
from bastion.detection.sqli_grammar import derived_subselect, oracle_package_call, plsql_declare, procedure_batch

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"), Context("path", "")]

REJECTED = {
    "a system procedure called with its argument, no EXEC": [
        "xp_regread 'HKEY_LOCAL_MACHINE','SOFTWARE\\x','v'",
        "sp_oacreate 'WScript.Shell', @o OUT",
        "master.dbo.xp_dirtree 'c:\\'",
        "sp_addsrvrolemember 'guest','sysadmin'",
        "master..sp_password 'a','b','sa'",
    ],
    "a remote rowset opened with a connection string": [
        "select a from openrowset('MSDASQL','DRIVER={SQL Server};SERVER=db2;','select 2')",
        "1 union all select * from opendatasource('SQLNCLI','Data Source=srv9').master.dbo.t",
        "x=(select top 1 c from openquery(linked, 'select c from t'))",
    ],
    "a sub-select reading another sub-select": [
        "iif((select left(max(pw),1) from (select top 3 pw from accts))='b',1,0)",
        "(select count(*) from (select id from orders where 1=1) t)",
        "abs((select mid(name,2,1) from (select name from staff order by 1) q)='x')",
    ],
    "a PL/SQL anonymous block": [
        "declare n number; begin n := 1; end;",
        "DECLARE v VARCHAR2(40); BEGIN SELECT user INTO v FROM dual; END;",
        "declare c clob; begin c := utl_http.request('http://x.example'); end;",
    ],
    "an Oracle built-in package call stacked after a break-out": [
        "');DBMS_LOCK.SLEEP(5);--",
        ");htp.p(:1);--",
        "1);utl_inaddr.get_host_name((select user from dual));--",
        "'); sys.dbms_java.runjava('x');--",
    ],
}

PASSED = {
    "the names in prose or docs, without a call": [
        "disable xp_cmdshell on every server",
        "sp_configure shows the advanced options",
        "Run sp_who2 to see the sessions; sp_help lists objects.",
        "openrowset and opendatasource are off by default",
        "the xp_ prefix marks extended procedures",
    ],
    "selects, declarations and calls in ordinary text or code": [
        "Pick one (select a plan from the list below)",
        "Choose a size (select one from the chart), then select two from (the extras list)",
        "I declare the meeting open; begin with the agenda",
        "declare x: number; begin by reading",
        "init(); console.log(done);",
        "app.run(args); logger.info(x);--",
        "window.htp = 1; owa(x);",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_helpers() -> None:
    assert procedure_batch(tokenize("sp_configure 'x',1")[0], 0)
    assert not procedure_batch(tokenize("sp_configure is on")[0], 0)
    assert not procedure_batch(tokenize("xp_ 'a'")[0], 0)
    assert oracle_package_call("owa_util.cellsprint") and oracle_package_call("sys.dbms_x.y")
    assert not oracle_package_call("console.log") and not oracle_package_call("dbms_lock")
    assert plsql_declare(tokenize("declare b boolean; begin null; end;")[0], 0)
    assert not plsql_declare(tokenize("declare b boolean, begin")[0], 0)
    assert derived_subselect(tokenize("((select 1 from (select 2 from t)))")[0])
    assert not derived_subselect(tokenize("(select 1 from t)")[0])


def test_linear(inspect_seconds: Callable[[str, Context], float]) -> None:
    units = (
        "(select 1 from ", "(select mid(a,1,1) from (select ", "select select from (",
        "sp_configure 'a',", "; htp.p(", "declare x number ", "openrowset('a',",
    )
    for unit in units:
        half = unit * (64 * 1024 // len(unit))
        whole = half + half
        assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
