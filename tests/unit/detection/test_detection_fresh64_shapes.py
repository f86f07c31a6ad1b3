"""Unit: the shapes of the fresh64 first contact (BunkerWeb's own test attacks and Aikido Zen's detector test inputs,
against the Netatmo API's recorded answers).

Fixed: destructive command lines as the whole value (``rm -rf /``, ``chmod 777``, ``chown root``;
``commands.destructive_command``), ``bin`` paths spelled to dodge a filter (``shell_lines``), a whole-value ``>``
into a system folder (``shell_fragments.redirect``), SQL empty statements,
tuple break-outs calling a reporting function, ``WAITFOR DELAY n``, a catalog after a break-out and a stacked
``COPY`` to a file (``sqli_stacks``), a web scheme with one slash (``url_spellings``), a JavaScript string break-out
ending in a line comment (``js_breakouts``) and ``/./`` steps into a system folder (``dot_segments``). Values are our
own; none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from shape_tables import shape_tests

from bastion.detection import Context
from bastion.detection.commands import destructive_command
from bastion.detection.dot_segments import dotted_system_path
from bastion.detection.js_breakouts import commented_breakout
from bastion.detection.shell import STRONG, WEAK
from bastion.detection.shell_fragments import redirect
from bastion.detection.shell_lines import binary_spelling
from bastion.detection.sqli import is_sqli
from bastion.detection.sqli_stacks import (
    catalog_breakout,
    delay_statement,
    empty_statements,
    stacked_copy,
    stacked_shape,
    tuple_breakout,
)
from bastion.detection.url_spellings import spelled_target

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]
COMMANDS = STRONG | WEAK

REJECTED = {
    "a destructive command line as the whole value": [
        "rm -fr /etc",
        "rm --recursive --force ~",
        "rm -r -f /*",
        "\n rm -rf /var\n",
        "/bin/rm --no-preserve-root -rf /",
        "chmod 4755 /bin/sh",
        "chmod -R 0777 /var",
        "chmod u+s /usr/bin/find",
        "chown 0:0 /etc/cron.d",
    ],
    "a bin path spelled to dodge a filter": ["/usr/sBin/reboot", "/BIN/ID", "////usr/bin/nc -e sh", "/././bin/bash -i"],
    "a whole-value redirection into a system folder": ["> /etc/cron.d/job", ">>/root/.bashrc", " >> /tmp/x.log "],
    "SQL empty statements before a comment": ["1');;;; --", "x'; ;DROP TABLE t; ;--"],
    "a tuple break-out calling a reporting function": ["'), ('a', version())", "x\"),(1, current_user())"],
    "WAITFOR with a number or a variable": ["waitfor delay 3", "1 WAITFOR TIME @t", "x;waitfor  delay '0:0:9'"],
    "a catalog object after a quote break-out": ["name', pg_catalog.pg_roles", "1' , sysobjects"],
    "a stacked COPY to a file or program": ["1;COPY t TO '/tmp/out'", "x'; copy t (a, b) from program 'id'"],
    "a web scheme with one slash to an internal host": ["http:/127.0.0.1/admin", "https:\\10.1.2.3", "ftp:/[::1]/x"],
    "a JavaScript string break-out ending in a line comment": [
        "x'; require('fs'); //",
        'q") || true) { run(); } //',
        "v', admin: 1 }; // rest",
        "n'); process.abort(); // swallow ')",
    ],
    "dot steps into a system folder": ["/./etc", "/.//./proc/self", "/././boot/grub"],
}

PASSED = {
    "project commands in runbooks": [
        "rm -rf node_modules",
        "rm -rf ./build",
        "rm -rf ~/project/tmp",
        "chmod 755 deploy.sh",
        "chmod +x run.sh",
        "chown www-data /var/www",
        "shutdown",
        "shutdown -r now",
        "Shutdown now please",
        "reboot the router tonight",
        "find -name *.pdf | xargs rm -rf",
        "find . -type d | xargs chmod 777",
    ],
    "text that opens with a line break": ["\nusers", "\nHello world", "\nls -la /var/log/httpd/", "\ncp a.php b.php"],
    "plain program paths": ["/bin/bash", "/usr/bin/python3", "/usr/bin/env node", "/usr/local/bin/Tool"],
    "redirections in sentences": ["> quote", "> /dev/null is where output goes", "a > b", "x >= 5"],
    "SQL words in text": ["I will waitfor you", "Hello;; world", "'), ('b', 2)", "the information_schema.tables view"],
    "one-slash URLs to public hosts": ["http:/example.com", "see http:/ later"],
    "code with paired quotes and comments": [
        "x = 'a'; // note",
        'print("hi"); // say hi',
        "it's done; // later",
        "Don't; // x",
        "see 'http://example.com'",
    ],
    "relative and app paths with dot steps": ["/./src/index.js", "./etc/config", "/./app/data"],
}


test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS, line_breaks_in_headers=True)


def test_helpers() -> None:
    assert destructive_command("rm -rf /") == (0, 8)
    assert destructive_command("\nrm -rf") == (0, 7)
    assert destructive_command("rm -rf src") is None
    assert destructive_command("chmod 777") == (0, 9)
    assert destructive_command("chmod 644 /etc/x") is None
    assert destructive_command("chown root /etc") is not None
    assert destructive_command("xargs rm -rf") is None
    assert binary_spelling("/bIn/ls", COMMANDS) == (0, 7)
    assert binary_spelling("/bin/ls", COMMANDS) is None
    assert binary_spelling("//bin/notacommand", COMMANDS) is None
    assert redirect("> /dev/null") == (0, 11)
    assert redirect("> /home") is None  # a folder with no path after it: a Markdown reply "> /home"
    assert empty_statements("a');;--", is_sqli) == (0, 7)
    assert empty_statements("a;;b", is_sqli) is None
    assert tuple_breakout("'), (version())") is not None
    assert delay_statement("WAITFOR DELAY @d") is not None
    assert delay_statement("waitfor delay") is None
    assert catalog_breakout("', information_schema.columns") is not None
    assert catalog_breakout("text ', information_schema.columns") is None  # prose before: no opening break-out
    assert stacked_copy(";copy t to stdout") is not None
    assert stacked_shape("Conan O'Brien", is_sqli) is None
    assert spelled_target("http:/localhost") is not None
    assert spelled_target("http:/example.com") is None
    assert commented_breakout("a'; //") == (0, 6)
    assert commented_breakout("'a'; //") is None
    assert dotted_system_path("/./root") == (0, 7)
    assert dotted_system_path("/root") is None


UNITS = [
    "rm -rf /etc/",
    "\n",
    " \n",
    "/bIn/",
    "//./",
    "> /tmp/",
    "';;;",
    "'),(",
    "'),('x',",
    "waitfor delay ",
    "', information_schema.",
    ";copy t to ",
    "http:/",
    "http:/10.",
    "a'; //",
    "x'; ",
    "/./",
    "/././etc",
]


@pytest.mark.parametrize("unit", UNITS)
def test_engine_linear(inspect_seconds: Callable[[str, Context], float], unit: str) -> None:
    half = unit * (64 * 1024 // len(unit))
    whole = half + half
    assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit


@pytest.mark.parametrize(
    "probe",
    [
        lambda v: destructive_command(v),
        lambda v: binary_spelling(v, COMMANDS),
        lambda v: redirect(v),
        lambda v: stacked_shape(v, is_sqli),
        lambda v: tuple_breakout(v),
        lambda v: catalog_breakout(v),
        lambda v: stacked_copy(v),
        lambda v: delay_statement(v),
        lambda v: spelled_target(v),
        lambda v: commented_breakout(v),
        lambda v: dotted_system_path(v),
    ],
)
@pytest.mark.parametrize("unit", ["'),(", "'),('x',", ";copy t (", ":/", "/./", "a'; ", ";;", "waitfor "])
def test_helpers_linear(probe: Callable[[str], object], unit: str) -> None:
    import time

    def seconds(value: str) -> float:
        best = float("inf")
        for _ in range(2):
            started = time.process_time()
            probe(value)
            best = min(best, time.process_time() - started)
        return best

    half = unit * (64 * 1024 // len(unit))
    assert seconds(half + half) < 3 * seconds(half) + 0.05, unit
