"""Unit: the shapes of the fresh72 first contact (the injected values of Metasploit Framework's linux/http exploit
modules, against Home Assistant integration fixtures).

Fixed: the SQL of a PHP ``serialize()`` payload's strings (the engine opens the payload as it opens a JSON document
carried in a string); a telnet daemon told to listen on a port, as the value or after a separator or opener
(``appliance_cmds``); the echo probe of a blind injection as the whole value (``appliance_cmds``); a ``#`` comment
before the reopening quote of a quote-rebalanced command (``cmd_rebalanced``). Left by design: a backquoted bare
path (`` ` /tmp/x` ``), which is a markdown code span as often. Values are our own; none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

from shape_tables import shape_tests

from bastion.detection import Context
from bastion.detection.appliance_cmds import appliance_command
from bastion.detection.cmd_rebalanced import rebalanced_command
from bastion.detection.engine import _embedded_serialized

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"), Context("path", "")]

REJECTED = {
    "SQL in a string of a PHP serialize() payload": [
        'a:1:{s:5:"order";s:52:"2 AND updatexml(1,concat(0x7e,(SELECT @@version)),1)";}',
        'a:2:{s:2:"id";i:7;s:4:"sort";s:40:"name\' AND extractvalue(1,concat(0x5c,1))#";}',
        's:38:"1 UNION SELECT login,pass FROM members";',
        'O:4:"Item":1:{s:3:"tag";s:31:"x\' OR \'1\'=\'1\' -- wrong length";}',
    ],
    "a telnet daemon told to listen on a port": [
        "utelnetd -p 31337",
        "telnetd -l /bin/ash -p 2222",
        "busybox telnetd -p 9999 -l/bin/sh",
        "1.2.3.4;telnetd -p 5555",
        "$(telnetd -p 23023)",
        "`/usr/sbin/telnetd -p 4000`",
    ],
    "the echo probe of a blind injection": [
        ";echo qZx81;",
        "| echo marker_7",
        "10.0.0.9 || echo Hk2p&",
        "host.example.org; echo 'zz9';",
        "' ; echo probe42 |",
    ],
    "a quote-rebalanced command commented out": [
        "public'; uname -a#'",
        'x"; cat /etc/hosts #"',
        "n';id#'",
    ],
}

PASSED = {
    "PHP serialize() payloads of plain data": [
        'a:2:{s:4:"name";s:6:"O\'Hara";s:4:"note";s:24:"Ship it; call me at noon";}',
        's:19:"Tea & echo, please.";',
        'a:1:{s:3:"sql";s:28:"select your seat from the map";}',
    ],
    "telnet and echo named in prose": [
        "start telnetd -p 2323 only on the bench network",
        "the telnetd daemon listens on port 23",
        "Salt & echo chamber",
        "echo",
        "Echo; Bravo; Charlie",
        "She wrote back; echo of the past.",
        "see `echo hello` in the docs",
    ],
    "quotes, semicolons and hashes in prose": [
        "'A'; id #5 is 'B'",
        "tag 'x'; ls is '#1'",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_helpers() -> None:
    assert _embedded_serialized('a:1:{s:1:"k";s:3:"v;x";}') == ["k", "v;x"]
    assert _embedded_serialized('a:1:{s:9:"k";s:2:"va";}') == ["k", "va"]  # a wrong length: up to the next ";
    assert _embedded_serialized("plain text;") == []
    assert _embedded_serialized('{"a": "b"}') == []
    assert appliance_command("telnetd -p 23") == (0, 13)
    assert appliance_command("telnetd -p") is None
    assert appliance_command(";echo ok") == (0, 8)
    assert appliance_command("a & echo b") is None
    assert rebalanced_command("x';id#'") == (1, 7)


def test_linear(inspect_seconds: Callable[[str, Context], float]) -> None:
    for unit in ('s:9:"', 's:1:"a";', 'a:1:{s:2:"', ";telnetd -p ", "telnetd -l x ", "|telnetd ", "'; id#",
                 "';ls ", "; echo ", "echo a;"):
        half = unit * (64 * 1024 // len(unit))
        whole = half + half
        assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
