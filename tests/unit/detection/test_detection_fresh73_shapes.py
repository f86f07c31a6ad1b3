"""Unit: the shapes of the fresh73 first contact (the injected values of Metasploit's Unix web-application exploits and
HTTP scanners, against Home Assistant's recorded device and service answers).

Fixed (``php_breakouts``): a PHP string or array key closed and a chain of calls concatenated into it
(``"].f().g().$a["``), PHP's backtick operator on a variable glued to a concatenation, a callback dispatcher's
function and arguments parameters written into one value, a process function as a REST path segment followed by a
command line, and a backquoted command made a statement after a closed string and block. Values are our own; none
comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

from shape_tables import shape_tests

from bastion.detection import Context
from bastion.detection.php_breakouts import php_breakout
from bastion.detection.shell import STRONG, WEAK

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]

REJECTED = {
    "a string or array key closed, a chain of calls concatenated, then reopened": [
        "'].phpversion().die().$x['",
        "\"].getcwd().exit().$cfg[\"",
        "'.phpinfo().sleep(4).'",
        "\".shell_exec(\"uname\").(\"\").\"",
        "'] . var_dump(1) . exit() . $row['",
        "\".print_r(scandir(\"/\")).(\"\").\"",
    ],
    "the backtick operator on a variable glued to a concatenation": [
        "77.`$q`",
        "abc . `$_GET[c]`",
        "x'.`$cmd`.'",
        "1).`$payload`",
    ],
    "a callback function and its arguments as parameters in one value": [
        "fn=passthru&args=uname -a",
        "page=x&callback=shell_exec&arg=whoami",
        "a=1&cb=popen&args[]=ls&args[]=r",
        "method=call_user_func&args[0]=phpinfo",
        "op=create_function&arg=1",
        "h=assert&args=phpinfo()",
    ],
    "a process function as a path segment, then a command line": [
        "node//passthru/cat /etc/hosts",
        "api/shell_exec/uname -a",
        "/x/popen/ls -la",
        "entity/1/proc_open/id -u",
    ],
    "a backquoted command as a statement after a closed string and block": [
        "x'}; `uname -a`; {",
        "\"); `whoami`;",
        "abc\\']}; `cat /etc/passwd` }",
        "k') ; `sleep 5`;",
    ],
}

PASSED = {
    "quoted prose, JavaScript and markdown that look alike": [
        "\". See (note). Also (b).\"",
        "'. (a). (b).'",
        "use `$HOME` here.",
        "Set the `$PATH` variable. `$GOPATH` too",
        "log('x'); `hello`;",
        "const s = '}'; `${a}`;",
        "print('done'); `not a command`;",
    ],
    "settings and query strings with common function-like words": [
        "audio=passthru&video=copy",
        "theme=system&lang=en",
        "cmd=system&args=--verbose",
        "mode=exec&args=1",
        "output=passthru",
        "hdmi passthru enabled",
    ],
    "paths and breadcrumbs": [
        "Settings/System/Display settings",
        "/api/system/status check",
        "Audio/Passthru/Dolby",
        "docs/popen/overview",
        "man/popen/3",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_helper() -> None:
    cmds = STRONG | WEAK
    assert php_breakout("'].a().b().$c['", cmds) == (0, 15)
    assert php_breakout("'. (a). (b).'", cmds) is None  # no call glued to a name
    assert php_breakout("f=passthru&x=1", cmds) is None  # no arguments parameter
    assert php_breakout("x'); `notacmd`;", cmds) is None  # not a command the shell analyser knows


def test_linear(inspect_seconds: Callable[[str, Context], float]) -> None:
    for unit in ("'].a().", ".(x)", "a.`$b` ", "'); `id ", "f=passthru&", "args=", "/passthru/a", "'}; `",
                 "\".f(\"(\").", "&a=assert"):
        half = unit * (64 * 1024 // len(unit))
        whole = half + half
        assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
