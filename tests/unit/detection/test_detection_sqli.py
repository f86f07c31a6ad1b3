"""Unit: the tokenizer-based SQL injection analyser — attacks by technique, and prose that must pass."""

from __future__ import annotations

import pytest

from bastion.detection.sqli import is_sqli, tokenize

ATTACKS = {
    "tautology_single_quote": "' or '1'='1",
    "comment_truncation": "admin'--",
    "hash_comment_truncation": "admin' #",
    "numeric_tautology": "1 or 1=1",
    "numeric_false_condition": "1 AND 1=2",
    "time_blind_after_quote": "1' and sleep(5)#",
    "union_select": "-1 union select 1,2,3",
    "union_all_nulls_after_quote": "' UNION ALL SELECT NULL,NULL--",
    "union_with_inline_comments": "1/**/union/**/select/**/password/**/from/**/users",
    "mysql_versioned_comment": "1'/*!50000union*/ select 1,2--",
    "stacked_drop": "1; drop table users",
    "stacked_exec_xp_cmdshell": "'; exec xp_cmdshell 'dir'--",
    "order_by_probe": "' order by 3--",
    "parenthesis_breakout": "') or ('a'='a",
    "numeric_parenthesis_breakout": "1) or (1=1",
    "error_based_extractvalue": "1 and extractvalue(1,concat(0x7e,version()))",
    "postgres_concat_sleep": "' || pg_sleep(5)--",
    "mssql_waitfor": "1' waitfor delay '0:0:5'--",
    "double_quote_context": '" or ""="',
    "subquery_concat": "'+(select 1)+'",
    "bare_sleep_call": "sleep(5)",
    "nested_subquery_sleep": "(select 1 from (select sleep(5))a)",
    "rlike_sleep": "1 rlike sleep(5)",
    "comment_whitespace_tautology": "'/**/or/**/1=1--",
    "boolean_true_literal": "' or true--",
    "balanced_quotes_tautology": "'1' or '1'='1'",
    "count_subquery_stacked": "x' AND 1=(SELECT COUNT(*) FROM tabname); --",
    "mssql_if_then_waitfor_stacked": "1; IF (1=1) WAITFOR DELAY '00:00:05'--",
    "postgres_copy_to_program": "'; COPY (SELECT '') TO PROGRAM 'id'--",
    "sqlite_like_function_in_condition": "1' AND like('ABC',UPPER(hex(randomblob(100000000))))--",
    "or_truthy_string": "' or '1",
    "single_token_then_dash_comment": "admin' -- x",
    "or_one_word_probe": "' or 'a",
    "is_not_null_after_quote": "' IS NOT NULL--",
    "union_written_as_a_call": "Union(Select 1,2,3)-- -",
    # fresh3 (2026-11-29): shapes first seen on that split
    "mysql_versioned_comment_hiding_a_quote": "1/*!1111'*/",
    "postgres_settings_read": "select current_setting('data_directory');",
    "catalog_table_read": "select * from pg_shadow;",
    "catalog_table_write_after_quote": "' insert into mysql.user (user, host) values ('x', 'localhost') --",
    "tsql_statement_after_quote_without_semicolon": "' exec sp_addsrvrolemember 'name', 'sysadmin' --",
    "create_user_after_quote": "'create user name identified by 'pass123' --",
    "grant_after_quote": "' grant connect to name; grant resource to name; --",
    "order_by_sleep_appended": "ORDER BY SLEEP(5)#",
    "order_by_column_probe_appended": " ORDER BY 31337-- ",
    "leading_or_constant_comparison": " OR 3409=3409 AND ('pytW' LIKE 'pytW",
    "leading_and_unclosed_paren": " AND 1083=1083 AND (1427=1427",
    "alias_then_where_tautology": " AS INJECTX WHERE 1=1 AND 1=0#",
    "rlike_case_when_constant": " RLIKE (SELECT (CASE WHEN (4346=4346) THEN 0x61 ELSE 0x28 END)) AND 'T'='",
    "tsql_if_then_statement": "IF(7423=7424) SELECT 7423 ELSE DROP FUNCTION xcjl--",
    "leading_and_subquery": " and (select substring(@@version,2,1))='i'",
    "timing_call_right_after_string": 'a@example.org" sleep(10.to_i) "',
    "postgres_large_object_read": "encode(lo_get(16400),'base64')::int",
    "string_list_then_tautology": "'admin', '1'='1'",
    # shapes from SecLists' Generic-SQLi and sqlmap boolean-blind lists (a check after the fresh3 fixes)
    "tsql_declare_batch": "declare @s varchar(200) select @s = 0x73656c65637420 exec(@s)",
    "tsql_exec_variable": "exec(@s)",
    "tsql_print_server_variable": "PRINT @@version",
    "system_procedure_after_quote_without_comment": "t'exec master..xp_cmdshell 'nslookup example.org",
    "subquery_spliced_after_quote": "' (select top 1",
    "leading_or_isnull_error": "or isNULL(1/0) /*",
    "make_set_constant_comparison": "MAKE_SET(4729=4729,1234)",
    "iif_constant_comparison": ",IIF(4729=4729,1,1/0)",
}

BENIGN = {
    "select_a_plan": "select a plan",
    "irish_surname": "O'Brien",
    "rock_n_roll": "Rock 'n' roll",
    "bedroom_count": "2 or 3 bedrooms",
    "bare_arithmetic": "5 + 3",
    "rating_with_dash": "5 - great product",
    "company_and": "Smith and Jones",
    "height_with_quotes": "I'm 5'10\" tall",
    "semicolon_prose_with_select": "It's 5 o'clock; select the best",
    "sql_snippet_without_injection": "SELECT name FROM users WHERE age > 21",
    "cartoon_semicolon": "Tom & Jerry; cat lovers",
    "price": "19.99",
    "either_number": "2 or 3",
    "dont_drop": "don't drop the table",
    "quoted_speech_dashes": "He said 'hi' -- and left",
    "inches_and_dashes": '12" monitor -- great',
    "js_sleep": "await sleep(1000)",
    "qualified_sleep": "time.sleep(5)",
    "union_committee": "Union select committee",
    "apostrophe_company_update": "O'Reilly & Sons; update your address",
    "help_request_dashes": "Can't login -- please help!",
    "parenthesised_or": "I'd like 2 (or 3) items",
    "price_range": "price >= 10 and <= 20",
    "js_fetch_path": "await fetch('/api/items')",
    "like_pattern_in_code": "SELECT * FROM items WHERE name LIKE '%lamp%'",
    "percent_encoded_name_in_header": "Jos%C3%A9 D'%C3%81vila",
    "printf_format_string": 'printf("%d items\\n", n);',
    "jql_filter_in_list": 'project = OPS AND status in (Open, "In Review") ORDER BY rank ASC',
    "quoted_boolean_words": '"and" vs "or" in a query',
    "apostrophe_then_dash_in_sentence": "The form rejects this character: ' -- why?",
    "is_in_prose_after_quote": "The 'Save' is great, like new",
    "closed_quoted_words_with_or": '"Yes" or "No"',
    "css_selector_in_js": "document.querySelector('#save').addEventListener('click', onSave);",
    "typed_equation_in_prose": "I typed 1=1 in the calculator and it said true, lol.",
    "arithmetic_comparison_with_and": "5 < 6 && 7 > 3",
    "or_else_title": "or else (movie 2023)",
    "python_keyword_arguments": "dict(name=name, age=age)",
    "minified_licence_banner": "/*! jQuery v3.6.0 | (c) OpenJS Foundation */",
    "sort_prose_order_by_word": "order by phone",
    "as_evidence_prose": "blablabla. As evidence from the following blablabla",
    "print_at_home": "print @ home",
    "select_all_in_parentheses_after_quote": "Click 'Save' (select all first)",
    "declare_in_prose": "declare your income",
    "double_at_in_prose": "Email me @@ home",
}


@pytest.mark.parametrize("payload", ATTACKS.values(), ids=ATTACKS.keys())
def test_detects_sql_injection(payload: str) -> None:
    assert is_sqli(payload) is not None


@pytest.mark.parametrize("text", BENIGN.values(), ids=BENIGN.keys())
def test_passes_benign_text(text: str) -> None:
    assert is_sqli(text) is None


def test_tokenizer_folds_comments_and_two_word_clauses() -> None:
    tokens, trailing = tokenize("1 /* x */ ORDER BY 2 -- tail")
    assert [t.kind for t in tokens] == ["n", "k", "n"]
    assert tokens[1].text == "order by"
    assert trailing


def test_tokenizer_marks_unterminated_and_escaped_strings() -> None:
    tokens, _ = tokenize("'abc\\'")
    assert tokens[0].kind == "S"
    tokens, _ = tokenize("'it''s'")
    assert tokens[0].kind == "s"


def test_function_call_is_a_function_token() -> None:
    tokens, _ = tokenize("concat(1)")
    assert tokens[0].kind == "f"


def test_nested_if_statements_are_walked_without_recursion() -> None:
    """T-SQL ``IF (…) IF (…) … WAITFOR``: thousands of nested IFs neither exhaust the stack nor hide the statement."""
    assert is_sqli("1; " + "IF (1=1) " * 3000 + "WAITFOR DELAY '0:0:5'--") is not None


@pytest.mark.parametrize("unit", ["xsi:schemaLocation=\"*)(sleep", "'sleep(", "'eval(", "1.e(+"],
                         ids=["quotes_before_sleep_calls", "quote_sleep", "quote_eval", "empty_exponent_floats"])
def test_a_body_of_repeated_code_delay_fragments_is_read_in_linear_time(unit: str) -> None:
    """128 KiB of one repeated unit: the code-delay rule's look-ahead read the rest of the value once per quote (the
    first unit took ~9 s); pytest's timeout fails this test if that comes back."""
    value = (unit * (131072 // len(unit) + 1))[:131072]
    span = is_sqli(value)
    assert span is None or 0 <= span[0] < span[1] <= len(value)


def test_code_delay_still_needs_the_closing_quote_of_its_own_kind() -> None:
    assert is_sqli("a'.sleep(9).'") is not None
    assert is_sqli("x\" + eval(\"sleep(5)\") + \"") is not None
    assert is_sqli("a'.sleep(9).\"") is None  # opened with one quote, closed with the other
    assert is_sqli("note: call time.sleep(2) then retry") is None
