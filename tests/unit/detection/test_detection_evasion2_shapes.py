"""Unit: evasion transforms of caught attacks, round 2 (bench/waf/evasion.py) — blanks spelled as a Latin-1 no-break
space or as comments, constants spelled with ``BETWEEN`` or ``CHAR()``, a command after a leading line break that
targets the web root or poisons a log into a script, ``$IFS`` glued to any word, and entity names in odd case.

Each attack shape is sent through the engine and must be rejected; each benign look-alike must pass."""

from __future__ import annotations

import pytest

from bastion.detection import Engine
from bastion.detection.decode import variants
from bastion.detection.rules import Context
from bastion.detection.shell import is_cmdi
from bastion.detection.sqli import is_sqli

QUERY = Context(kind="query", name="filter")
BODY = Context(kind="json", name="note")
HEADER = Context(kind="header", name="user-agent")

SQL_BLANK_ATTACKS = {
    "latin1_nbsp_order_by": ("%A0ORDER%A0BY%A019--%A0", QUERY),
    "latin1_nbsp_values_tuple": ("VALUES%A0('10.1.2.3',%A0'probe')", BODY),
    "latin1_nbsp_condition": ("%A0AND%A07=7%A0AND%A0('kq'%A0LIKE%A0'kq", HEADER),
    "latin1_nbsp_as_replaced_char": ("VALUES\ufffd('10.1.2.3',\ufffd'probe')", QUERY),
    "hash_comment_blanks_order_by": ("#qwer\nORDER#zxcv\nBY#asdf\n19--#tyui\n", QUERY),
    "hash_comment_blanks_values": ("VALUES#qwer\n('10.1.2.3',#zxcv\n'probe')", BODY),
    "dash_comment_blanks_condition": ("--qwer\nAND--zxcv\n7=7--asdf\nAND--tyui\n('kq'--ghjk\nLIKE--bnml\n'kq", BODY),
    "dash_comment_blanks_order_by": ("--qwer\nORDER--zxcv\nBY--asdf\n19----tyui\n", HEADER),
    "empty_block_comment_values": ("VALUES/**/('10.1.2.3',/**/'probe')", QUERY),
}

SQL_BLANK_BENIGN = {
    "prose_with_nonbreaking_spaces": ("Delivery\u00a0in 3\u00a0days, order by Friday", BODY),
    "latin1_nbsp_in_text": ("Caf%E9%A0au%A0lait, 2%A0cups", QUERY),
    "markdown_headings": ("# Order notes\nPlease order by size.\n## Values\nsmall, medium", BODY),
    "hashtags_on_lines": ("loved the #sunset\n#beach walk and order by 5\n", BODY),
    "dashes_in_prose": ("ship it -- or not -- by Monday\nthanks", BODY),
    "cli_flags_per_line": ("--verbose\n--output report.txt\n", BODY),
    "sql_tutorial_text": ("To sort, write ORDER BY name;\n-- a comment\nSELECT is covered next.", BODY),
}

SQL_CONSTANT_ATTACKS = {
    "between_string_constants": ("'guest', '4' BETWEEN '4' AND '4'", QUERY),
    "between_in_case_condition": (
        " RLIKE (SELECT (CASE WHEN (58 BETWEEN 58 AND 58) THEN 0x7a ELSE 0x28 END)) AND 'Qp'='", BODY),
    "not_between_numbers": ("1 AND 9 NOT BETWEEN 0 AND 3", QUERY),
    "char_codes_compared": ("CHAR(103,117), CHAR(52)=CHAR(52)", QUERY),
    "char_codes_in_insert": (
        "' insert into app.accounts (login, host, secret) values (CHAR(97,98), CHAR(99), password(CHAR(101,102))) --",
        BODY),
}

SQL_CONSTANT_BENIGN = {
    "between_in_prose": ("ages 4 between 6 and 9 welcome", BODY),
    "between_tutorial": ("WHERE price BETWEEN 10 AND 20 returns the mid range", BODY),
    "char_function_doc": ("Use CHAR(65) to get the letter A in a spreadsheet.", BODY),
    "range_filter": ("between 2024-01-01 and 2024-02-01", QUERY),
}


@pytest.mark.parametrize(("value", "ctx"), SQL_BLANK_ATTACKS.values(), ids=SQL_BLANK_ATTACKS.keys())
def test_sql_with_blanks_disguised_is_rejected(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is not None


@pytest.mark.parametrize(("value", "ctx"), SQL_BLANK_BENIGN.values(), ids=SQL_BLANK_BENIGN.keys())
def test_text_with_odd_blanks_or_comment_marks_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None


@pytest.mark.parametrize(("value", "ctx"), SQL_CONSTANT_ATTACKS.values(), ids=SQL_CONSTANT_ATTACKS.keys())
def test_sql_constants_in_disguise_are_rejected(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is not None


@pytest.mark.parametrize(("value", "ctx"), SQL_CONSTANT_BENIGN.values(), ids=SQL_CONSTANT_BENIGN.keys())
def test_between_and_char_in_text_pass(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None


def test_lone_latin1_nbsp_decodes_to_a_space_and_other_bad_bytes_stay_replaced() -> None:
    assert variants("a%A0b")[-1] == "a b"
    assert variants("a%C2%A0b")[-1] == "a b"  # the UTF-8 no-break space, as before
    assert variants("a%BFb")[-1] == "a\ufffdb"


def test_folding_does_not_recurse_and_plain_fragments_still_match() -> None:
    assert is_sqli("ORDER BY 19--") is not None
    assert is_sqli("#qwer\nORDER#zxcv\nBY#asdf\n19--#tyui\n", fold=False) is None
    assert is_sqli("#qwer\nORDER#zxcv\nBY#asdf\n19--#tyui\n") is not None


NEWLINE_COMMAND_ATTACKS = {
    "recursive_listing_of_web_root": ("\nls -laR /var/www", QUERY),
    "listing_of_web_root_encoded": ("%0als%20-la%20/srv/www/", BODY),
    "log_copied_to_script": ("\ncp /var/log/httpd/access_log shell.php", HEADER),
    "system_file_copied_to_script": ("\ncp /proc/self/environ x.phtml", BODY),
}

NEWLINE_COMMAND_BENIGN = {
    "note_starting_with_newline": ("\nls is the command we talked about, see the runbook", BODY),
    "runbook_listing_app_folder": ("\nls -lh /srv/app/current/", BODY),
    "runbook_listing_logs": ("\nls -la /var/log/httpd/", BODY),
    "install_step_copy_config": ("\ncp settings.sample.php settings.php", BODY),
    "multiline_note_words": ("\nThanks for the update.\nWill check the www folder tomorrow.", BODY),
}


@pytest.mark.parametrize(("value", "ctx"), NEWLINE_COMMAND_ATTACKS.values(), ids=NEWLINE_COMMAND_ATTACKS.keys())
def test_command_after_leading_line_break_at_web_root_is_rejected(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is not None


@pytest.mark.parametrize(("value", "ctx"), NEWLINE_COMMAND_BENIGN.values(), ids=NEWLINE_COMMAND_BENIGN.keys())
def test_notes_opening_with_a_line_break_pass(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None


IFS_ATTACKS = {
    "unknown_word_ifs_argument_in_backticks": "`tr$IFSqwe`",
    "two_substitutions_glued": "`tr$IFSqwe``od$IFS-c`",
    "ifs_dollar_nine": ";fold$IFS$9-w1",
    "braced_ifs_after_pipe": "|rev${IFS}/tmp/x",
}

IFS_BENIGN = {
    "ifs_named_in_prose": "the $IFS variable splits words",
    "ifs_in_code_span": "set `$IFS` before the loop",
    "ifs_assignment": "IFS=$'\\n' read -r line",
    "ifs_at_word_end": "print value$IFS",
}


@pytest.mark.parametrize("value", IFS_ATTACKS.values(), ids=IFS_ATTACKS.keys())
def test_ifs_glued_to_any_word_is_rejected(engine: Engine, value: str) -> None:
    assert is_cmdi(value) is not None
    assert engine.inspect(value, QUERY) is not None


@pytest.mark.parametrize("value", IFS_BENIGN.values(), ids=IFS_BENIGN.keys())
def test_ifs_named_in_text_passes(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is None


ENTITY_BENIGN = {
    "toggled_case_copyright": "&CoPY; 2026 Northwind &ReG;",
    "upper_case_entities": "&COPY; 2026 &AMP; friends",
    "mixed_case_trade": "Acme&TRadE; tools; since 1990",
}

ENTITY_ATTACKS = {
    "lower_case_non_entity_command": "x&del; y",
    "separator_after_entity": "&CoPY; 2026; cat /etc/shadow",
}


@pytest.mark.parametrize("value", ENTITY_BENIGN.values(), ids=ENTITY_BENIGN.keys())
def test_entity_names_in_any_case_pass(engine: Engine, value: str) -> None:
    assert engine.inspect(value, QUERY) is None


@pytest.mark.parametrize("value", ENTITY_ATTACKS.values(), ids=ENTITY_ATTACKS.keys())
def test_commands_next_to_entities_are_rejected(engine: Engine, value: str) -> None:
    assert is_cmdi(value) is not None
