"""Unit: fresh18's code-injection echo and timing probes, loopback pings, LDAP error probes, and the GraphQL and
version-list lines that must not read as a bare command (``code_probes``, ``listings``).

Each attack uses values of its own, paired with the nearest benign look-alike that must keep passing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bastion.detection.engine import Engine
from bastion.detection.rules import Context

ENGINE = Engine()
FIELD = Context("body", "note")


def _attack(value: str) -> str | None:
    found = ENGINE.inspect(value, FIELD)
    return found.rule.attack if found is not None else None


@pytest.mark.parametrize(
    "value",
    [
        "print 90817263544+1122334455667",
        "7;print 55555123+77777456",
        "3';print 123456789*987654321#",
        '";echo 987654321-123456789;#',
        "Response.Write(31415926535+27182818284)",
        "9;Response.Write(11111+22222)",
    ],
)
def test_an_echo_of_arithmetic_on_long_numbers_as_the_whole_value_is_eval_injection(value: str) -> None:
    assert _attack(value) == "cmdi"


@pytest.mark.parametrize(
    "value",
    [
        "echo str_repeat('abcde',7);",
        "print 'zzq'x9",
        'print("zzq"*9)',
        "Response.Write(new String('k',8))",
    ],
)
def test_an_echo_of_string_repetition_is_eval_injection(value: str) -> None:
    assert _attack(value) == "cmdi"


@pytest.mark.parametrize(
    "value",
    [
        "Thread.sleep(7000);",
        " && Thread.Sleep(9000);",
        "; sleep(9000/1000);",
        "; import time;time.sleep(6)",
        "__import__('os').getcwd()",
        "x=1;do{t=new Date();}while(t-s<5000)",
    ],
)
def test_a_language_level_sleep_or_import_is_code_injection(value: str) -> None:
    assert _attack(value) == "cmdi"


@pytest.mark.parametrize(
    "value",
    [
        "ping -c 7 127.0.0.1",
        "5ping -n 12 localhost",
        "note\r\nping -c 2 127.0.0.1",
        "run ping -n 9 localhost",
        "' ping.exe -n 4 127.0.0.1",
        "/bin/ping -s localhost 8",
    ],
)
def test_a_counted_ping_of_the_loopback_host_as_a_line_of_its_own_is_a_timing_probe(value: str) -> None:
    assert _attack(value) == "cmdi"


@pytest.mark.parametrize(
    "value",
    [
        "ping me at 3",
        "please ping -c 3 example.com",
        "print 2+2 is four",
        "Use Thread.sleep(100) in the test helper",
        "echo the total: 12345 + 67890 items",
        "we print 'hello' 5 times",
        "run ping -c 4 on localhost to check it",
    ],
)
def test_prose_about_printing_sleeping_and_pinging_passes(value: str) -> None:
    assert _attack(value) is None


@pytest.mark.parametrize("value", ["7#^(a!b)(()))*****", "^(#x)(()))*******"])
def test_an_overclosed_filter_before_a_run_of_stars_is_an_ldap_error_probe(value: str) -> None:
    assert _attack(value) == "ldapi"


def test_a_row_of_stars_after_a_smiley_passes() -> None:
    assert _attack("great (()) ****") is None


def test_the_aix_password_file_is_a_sensitive_target() -> None:
    assert _attack(" /bin/cat /etc/security/passwd") is not None


GRAPHQL = "query Viewer($n: Int!) {\n  viewer {\n    id\n    login\n    repos(first: $n) {\n      id\n    }\n  }\n}"


def test_id_as_a_field_of_a_graphql_selection_set_passes() -> None:
    assert _attack(GRAPHQL) is None
    assert (
        _attack(
            "An example:\n```graphql\nsubscription {\n  item_changed {\n    data {\n      id\n"
            "      title\n    }\n  }\n}\n```\nPatched in 2.1."
        )
        is None
    )


@pytest.mark.parametrize(
    "value",
    [
        "x\nid\n",
        "note\nid",
        "query {\n  user {\n    id;\n    name\n  }\n}",
        "query {\n  user {\n    id -un\n  }\n}",
        "query {\n  user {\n    id\n  }\n}\n;id\n",
        "a {\nid\n}",
    ],
)
def test_id_outside_a_graphql_selection_or_with_shell_around_it_is_still_refused(value: str) -> None:
    assert _attack(value) == "cmdi"


def test_a_name_and_version_list_line_passes_while_a_command_after_it_is_refused() -> None:
    assert _attack("Affected:\nRuby 2.7.1  \nPerl 5.30.0  \nGo 1.2") is None
    assert _attack("Affected:\nPerl 5.30.0; id\n") == "cmdi"
    assert _attack("notes\nPing 127.0.0.1\n") == "cmdi"  # four numbers are an address, not a version



@pytest.mark.parametrize(
    "unit", ["  id\n", "\nping -c 1 x", "do{a=new Date()", "\nPerl 1.2", ")(()))", "\n  name(first: 1) {\n    id"]
)
def test_the_new_scans_are_linear_on_128_kib(inspect_seconds: Callable[[str, Context], float], unit: str) -> None:
    """Doubling the value from 64 to 128 KiB at most doubles the time (with slack for a busy machine). Whole units,
    exactly doubled: a value cut inside a unit can end in a shape (``{\n    ``) that runs a scan its twin never runs."""
    half = "query {\n" + unit * (64 * 1024 // len(unit))
    whole = half + unit * (64 * 1024 // len(unit))
    assert inspect_seconds(whole, FIELD) < 3 * inspect_seconds(half, FIELD) + 0.05
    assert inspect_seconds(whole, FIELD) < 5.0


HEADER = Context("header", "x-client-info")


def test_a_code_span_after_a_percent_encoded_line_break_is_a_line_of_the_text() -> None:
    assert ENGINE.inspect("To build:%0A%0A`make wheel-dist`%0A%0AThat is all.", HEADER) is None


@pytest.mark.parametrize("value", ["x%0A`id`", "x%0a`whoami`", "x%0D`cat /etc/shadow`", "x%0A`sleep 7`", "x%20`ls;id`"])
def test_a_probe_in_a_code_span_after_an_encoded_break_is_still_refused(value: str) -> None:
    found = ENGINE.inspect(value, HEADER)
    assert found is not None and found.rule.attack == "cmdi"


@pytest.mark.parametrize("value", ["--sp_password", "7' or 2>1 --sp_password", "5\"'`--", "9'\"#", "x`'-- -"])
def test_a_log_hiding_comment_or_a_quote_run_cut_by_a_comment_is_sqli(value: str) -> None:
    found = ENGINE.inspect(value, HEADER)
    assert found is not None and found.rule.attack == "sqli"


@pytest.mark.parametrize(
    "value", ['To see them, run: rg "#512"%0AThen fix each.', 'Closed by "#77"', "docs on the sp_password proc"]
)
def test_a_quoted_issue_number_in_a_sentence_and_the_word_sp_password_in_prose_pass(value: str) -> None:
    assert ENGINE.inspect(value, HEADER) is None


def test_a_quoted_issue_number_with_a_single_token_before_it_is_still_a_cut() -> None:
    found = ENGINE.inspect('admin"#12"', HEADER)
    assert found is not None and found.rule.attack == "sqli"
