"""Unit: the SQL and code-expression shapes of the fresh29 and fresh27 first contacts.

SQL: a whole-value ``SELECT`` of server information with no ``FROM`` (decision 0012, addendum); a blind one-character
comparison over a server information call; ``' or 1 limit 1 --`` and ``x'or?--`` break-outs; fresh27's fragments
with a clear signal (a writing statement cut with ``;--``, a value opening with ``;`` and a statement, ``PROCEDURE
ANALYSE(``, ``select pg_sleep``, a password column cast with ``::int``); SQL in an attribute of an XML document sent
as a value. Code: a Python ``str.format`` walk to ``__globals__`` in single braces, and Java/MVEL holding
``Runtime.getRuntime()`` in a variable and calling its ``exec``. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.signatures import ssti
from bastion.detection.sqli import is_sqli

BODY = Context("body", "note")
LOCATIONS = [BODY, Context("query", "q"), Context("header", "x-filter"), Context("cookie", "pref"),
             Context("body", "", is_key=True)]


@pytest.mark.parametrize("value", [
    "select schema()", "SELECT session_user()", "select user(), @@hostname", "select current_user;",
    "select connection_id() --", "SELECT pg_sleep(7)", "select sleep(2)#", "select load_file('/etc/hosts')",
    "SELECT md5(version())", "SELECT lower(user())", "select substring(schema(),2,1)='x'",
    "SELECT ord(mid(database(),3,1))=101", "SELECT LOCATE('abc', 'xxabc')=3",
    "SELECT AES_DECRYPT(AES_ENCRYPT('plain', 'k1'), 'k1')", "select concat(@@datadir, 'x')",
])
@pytest.mark.parametrize("ctx", LOCATIONS)
def test_whole_select_of_server_information(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is not None


@pytest.mark.parametrize("value", [
    "left(version(),1)='8'", "ascii(mid(user(),2,1))>100", "ord(substring(@@version,1,1))=53",
    "hex(substr(database(),1,1))='61'", "length((select schema()))>3", "(ascii(substr(user(),1,1)))<90",
])
def test_blind_comparison_over_server_information(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is not None


@pytest.mark.parametrize("value", [
    "' or 2 limit 1 -- x", "x' or 1 limit 0,1#", "\" or true limit 1 --", "abc') or 7 order by 2 --",
    "bob'or?--", "root'and name like?#", "q\" or ?--",
])
def test_cut_breakouts(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is not None


@pytest.mark.parametrize("value", [
    "delete from accounts;--", "DELETE FROM orders WHERE 1=1;#", "update members set role='admin';--",
    "; update accounts", ";delete from sessions", "; shutdown --", "1 procedure analyse(1,1)",
    "procedure analyse (", "SELECT pg_sleep", "substr(passwd, 1, 1)::int",
    "overlay(password\tplacing 'x' from 2 for 0)::integer",
])
def test_fresh27_statement_fragments(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is not None


@pytest.mark.parametrize("value", [
    '<?xml version="1.0"?><query><f where="7 OR 2=2"/></query>',
    "<?xml version='1.0' encoding='UTF-8'?><r><item sort='procedure analyse()'></item></r>",
    '<?xml version="1.0"?><r><u name="x&apos; or &apos;a&apos;=&apos;a"/></r>',
])
@pytest.mark.parametrize("ctx", LOCATIONS)
def test_sql_in_an_attribute_of_an_embedded_xml_document(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is not None


@pytest.mark.parametrize("value", [
    "{order.__init__.__globals__[settings][DB_PASSWORD]}", "{0.__class__.__mro__[1]}",
    "Hi {user.__init__.__globals__[app].config}!", "{x.__class__.__base__.__subclasses__}",
    "cond::Runtime rt = Runtime.getRuntime(); rt.exec('id');",
    "java.lang.Runtime run = java.lang.Runtime.getRuntime();run.exec(cmd)",
])
def test_code_expressions(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is not None


@pytest.mark.parametrize("value", [
    # a SELECT that is text, a label or reads rows from a table (decision 0012 keeps those)
    "Select plan(s)", "Select user(s) to notify", "select version", "select Size (XL)", "Select your plan (monthly)",
    "select id from users", "SELECT name, version() FROM packages", "select the user() helper from the menu",
    "Please run select version(); on the replica", "```sql\nselect version();\n```",
    "select (optional)", "Select language(en)", "Select count(3)", "select colour(s) = red",
    # comparisons and code that are not a blind probe
    "substr(name,1,1)='A'", "left(title, 10) = 'Chapter 1'", "ascii('a')=97", "len(version()) check",
    # plain quotes, limits, fragments and SQL in prose
    "it's or 1 limit 1 - no", "don't worry or 1 limit", "What's or?", "isn't it? -- no",
    "Delete from cart; then checkout", "update profile settings; -- later", "procedure analyses",
    "The procedure analyse the sample", "select sleep tracking", "pg_sleep is PostgreSQL's delay",
    "password::text", "cast(price as int)", "overlay(name placing 'x' from 1)",
    "v2; update notes", "; see below",
    # XML documents with plain attributes
    '<?xml version="1.0"?><order id="42" note="Tom &amp; Jerry&apos;s"><x y="1 or 2"/></order>',
    # Python format strings and Java that read nothing secret
    "{self.__class__.__name__}", "{user.name}", "{0.__doc__}", "Runtime rt = Runtime.getRuntime(); rt.gc();",
    "long m = Runtime.getRuntime().maxMemory();",
])
def test_look_alikes_pass(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is None


def test_whole_value_rules_are_linear() -> None:
    started = time.process_time()
    for value in ("select " + "f(" * 20_000 + ")" * 20_000, "select " + "user()," * 18_000,
                  "substr(" * 18_000 + "version()", "; update t set " + "a" * 130_000, "a'or " + "x " * 60_000 + "?--",
                  "<?xml ?>" + "<a b='1 or 2'/>" * 9_000, "{x" + ".a" * 60_000 + ".__globals__}",
                  "r = Runtime.getRuntime();" * 5_000, "overlay(password" + " " * 130_000 + ")::int"):
        is_sqli(value)
        ssti(value, BODY)
    assert time.process_time() - started < 3.0
