"""Unit: the shapes of the fresh47 first contact (Nmap's NSE scripts).

A PHP string break-out around one function call (``php_concat``); ``@host`` or ``:@host:port`` naming an internal
host, which a reverse proxy appends to its backend URL as user information (``proxy_target``); ``ping host`` alone
and a probe tool cut off by a NUL (``lone_probes``); a quote, ``OR`` and one bare word (``sqli_breakouts``); a Java
class literal calling ``forName`` with a quoted name (``signatures``' EL reflection). Values are our own; none comes
from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.lone_probes import lone_probe
from bastion.detection.php_concat import concat_call
from bastion.detection.proxy_target import userinfo_target
from bastion.detection.sqli_breakouts import breakout

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q"),
            Context("body", "comment", True)]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "php string break-out around a call": [
        '".base64_decode("aGVsbG8gd29ybGQ=")."',
        "'.phpinfo().'",
        '".md5(42)."',
        "'.str_rot13('uryyb').';//",
        '". @file_put_contents("x.php", "y") ."',
    ],
    "userinfo-only target naming an internal host": [
        "@localhost",
        ":@localhost:8080",
        "@10.1.2.3",
        ":@172.16.0.5:80/admin",
        "@169.254.169.254/latest/meta-data/",
        "@[::1]:80",
    ],
    "lone network or NUL probes": [
        "ping example.org",
        "ping 203.0.113.7",
        "ping.exe internal.example.net",
        "whoami\x00",
        ";uname\x00\x00",
        "ifconfig\x00",
        "hostname%00",
    ],
    "quote, OR and one word": [
        "7' OR probe",
        "' or sqlprobe",
        '42" OR marker',
        "' || x",
    ],
    "class literal calling forName": [
        'java.lang.Math.class.forName("java.lang.System").getProperty("user.dir")',
        'Integer.class.forName("java.io.File")',
    ],
}

PASSED = {
    "php and javascript in prose": [
        '"Hello " . strtoupper($name) . "!"',
        '". See (note)."',
        "'.' is the current directory",
        "echo '.'.PHP_EOL.'';",
    ],
    "mentions and addresses": [
        "@alice",
        "@example.com",
        "bob@10.0.0.1",
        "@localhost is where I live",
        "@team please review",
        ":@",
    ],
    "ping and commands in text": [
        "ping google.com fails every morning",
        "Ping me",
        "ping",
        "can't ping 10.0.0.1",
        "hostname",
        "whoami is a command",
        "hostname%00 and more",
    ],
    "apostrophes and or": [
        "girls' or boys",
        "Rock 'n' roll or jazz",
        "O'Brien or Smith",
        "It's either 3 or 4",
        "'quoted' or not",
    ],
    "java in prose": [
        'Class.forName("com.mysql.cj.jdbc.Driver")',
        'java.lang.Class.forName("org.h2.Driver")',
        "String.class is a class literal",
    ],
}


@pytest.mark.parametrize("value", [v for vs in REJECTED.values() for v in vs])
@pytest.mark.parametrize("ctx", CONTEXTS, ids=lambda c: f"{c.kind}{'-key' if c.is_key else ''}")
def test_fresh47_shapes_are_rejected(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is not None, value


@pytest.mark.parametrize("value", [v for vs in PASSED.values() for v in vs])
@pytest.mark.parametrize("ctx", CONTEXTS, ids=lambda c: f"{c.kind}{'-key' if c.is_key else ''}")
def test_fresh47_lookalikes_pass(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None, value


def test_each_module_names_its_own_shape() -> None:
    assert concat_call('".f(1)."') is not None and concat_call('".f (1)."') is None
    assert userinfo_target("@127.0.0.1") is not None and userinfo_target("@example.org") is None
    assert lone_probe("ping a.example") is not None and lone_probe("ping a.example now") is None
    assert lone_probe("id\x00") is not None and lone_probe("notes.txt\x00") is None
    assert breakout("1' OR x") is not None and breakout("ab' OR x") is None


LINEAR = [
    ('".f(' * 32768, concat_call),
    ('"' + "." * 131072, concat_call),
    ("@" * 131072, userinfo_target),
    (":@" + "1" * 131072, userinfo_target),
    ("ping " + "a." * 65536, lone_probe),
    ("ping " * 26214, lone_probe),
    ("id\x00" * 43690, lone_probe),
    ("1' or " * 21845, breakout),
    ("'" + " " * 131072 + "or x", breakout),
]


@pytest.mark.parametrize(("text", "check"), LINEAR, ids=lambda x: getattr(x, "__name__", "text"))
def test_fresh47_checks_are_linear(text: str, check: object) -> None:
    start = time.process_time()
    check(text)  # type: ignore[operator]
    assert time.process_time() - start < 1.0


@pytest.mark.parametrize("text", [
    '".f(' * 32768, "@1" * 65536, "ping a." * 18724, "1' or " * 21845, ".class.forName('" * 8192, "id\x00" * 43690,
], ids=["concat", "userinfo", "ping", "or-word", "forname", "nul"])
def test_fresh47_engine_is_linear_on_trigger_prefixes(engine: Engine, text: str) -> None:
    start = time.process_time()
    engine.inspect(text, BODY)
    assert time.process_time() - start < 1.0
