"""Unit: SQL injection shapes left after the fresh11 round (quote–operator–quote probes, adjacent literals, a dropped
guessed table, DBMS fingerprints, an upsert spliced into a VALUES row, encoded separators): the attacks each rule
must block and the benign values of the same look it must let through. Every case goes through the whole engine
(decoders, prefilter, analysers), with other values than any corpus uses."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
QUERY = Context("query", "q")
HEADER = Context("header", "x-title")


ATTACKS: dict[str, tuple[str, Context]] = {
    # a whole value that is a quote, operators (or blanks) and the same quote: the empty string joined to the next
    "quote_ampersand_quote": ('"&"', QUERY),
    "quote_logic_number_quote": ("'+&&1'", BODY),
    "quote_blank_quote": ("'   '", HEADER),
    "adjacent_literal_after_blank": ('" "probe', QUERY),
    "adjacent_literal_encoded_blank": ("'%09'xyz", QUERY),
    "backtick_concatenated": ("`||probe", BODY),
    # a second statement dropping or emptying one guessed table, cut off by a comment or a semicolon
    "stacked_drop_guessed_table": ("7;drop accounts#", QUERY),
    "stacked_truncate_after_quote": ("abc'; TRUNCATE audit_log; -- ", BODY),
    # DBMS fingerprints: a pseudo-column equal to itself, a dialect's function compared with a number
    "pseudo_column_equal_to_itself": ("rowid = rowid", QUERY),
    "pseudo_column_after_logic": ("3 or sysdate=sysdate --", QUERY),
    "sqlite_function_compared": ("total_changes()>=0", BODY),
    "access_conversion_compared": ("cint(cdbl(4))=4", QUERY),
    "access_iif_between": ("iif(atn(1)>0,2,1) between 5 and 3", BODY),
    # MySQL upsert after closing the application's VALUES row
    "upsert_after_closed_row": ("pat@example.org'), ('root@example.org', 'x') ON DUPLICATE KEY UPDATE role='admin' #",
                                BODY),
    # error-based marker around a sub-select, PostgreSQL cast, + for spaces
    "char_code_around_subselect": (",CAST(CHR(35)||(SELECT+passwd+FROM+logins+LIMIT+1)||CHR(35)+AS+INT)", QUERY),
    # a blind pair with signs inside parentheses
    "signed_constants_in_parentheses": ("shoes OR (-4)=(-9)", QUERY),
    # a Latin-1 no-break space (undecodable as UTF-8) between the words of a condition
    "latin1_nbsp_between_words": ("9%A0or%A07=7%A0#", QUERY),
    # USER is a value (the current user, or a column): a condition on it after a breakout
    "condition_on_user": ("zz' and user like 'adm%", BODY),
    # look-alike quotes a best-fit code-page conversion turns into ASCII ones
    "prime_as_quote": ("q′ or ′x′=′x", QUERY),
    "modifier_apostrophe_as_quote": ("nameʼ OR 2=2 --", BODY),
    "prime_inside_a_condition": ("') or ('k′='k", QUERY),
    # a closed parenthesis around a number, then a condition
    "closed_paren_then_condition": (") OR 'zq'='zq", BODY),
    # a sort or field list with a sub-select as one item
    "sort_list_with_subselect": ("created_at desc,(SELECT 7 FROM members)", QUERY),
    "field_list_with_variable_subselect": ("id,name,(select @@hostname)", QUERY),
    # error-based reads: a sub-select turned into a number
    "cast_subselect_to_number": (",CAST((SELECT+email+FROM+staff+LIMIT+1)+AS+NUMERIC)", QUERY),
    "convert_subselect_to_int": ("convert(bigint,(select top 1 login from accounts))", BODY),
    # dialect literals and operators: prefixed strings, PostgreSQL casts and regex matches, UNION VALUES
    "unicode_literals_compared": ("zz' OR N'q'=N'q' --", QUERY),
    "hex_literals_compared": ("' or x'4142'=x'4142'#", BODY),
    "cast_string_compared": ("k' and 'v'::varchar='v", QUERY),
    "postgres_regex_match": ("k' or 'abc' ~* 'B", QUERY),
    "union_values_row": ("0 UNION VALUES (7, 'x', null)--", QUERY),
}


@pytest.mark.parametrize(("name", "value", "ctx"), [(k, *v) for k, v in ATTACKS.items()], ids=ATTACKS.keys())
def test_leftover_sqli_shape_is_blocked(engine: Engine, name: str, value: str, ctx: Context) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None, value
    assert found.rule.attack == "sqli", (name, found.rule.attack)


BENIGN: dict[str, tuple[str, Context]] = {
    # names, quotes and quoted symbols in text
    "irish_name": ("O'Brien", BODY),
    "song_title": ("Rock 'n' Roll", BODY),
    "quoted_ampersand_in_a_name": ('Simon "&" Garfunkel', QUERY),
    "quoted_wildcard_search": ('"*"', QUERY),
    "single_quoted_wildcard": ("'*'", BODY),
    "quoted_signed_number": ('"-1"', QUERY),
    "quoted_phone_prefix": ("'+353'", BODY),
    "quoted_word": ("'and'", QUERY),
    "quoted_phrase_then_word": ("'hello' world", BODY),
    "unclosed_code_span_flag": ("`--force", BODY),
    "unclosed_code_span_args": ("`*args", BODY),
    # prose and plans that mention dropping things
    "plan_with_drop": ("Step 2; drop members from the list", BODY),
    "sprint_note_with_issue_number": ("Sprint 3; drop tasks #12", BODY),
    "schedule_with_semicolons": ("Mon: review; Tue: drop tasks; Wed: ship", BODY),
    "dash_in_prose": ("wait; drop it--now", BODY),
    "changelog_with_semicolons": ("v2: add search; drop legacy;", BODY),
    # self-comparisons and calls that are data
    "bare_word_equal_to_itself": ("x=x", QUERY),
    "pseudo_column_compared_to_number": ("rownum=5", QUERY),
    "row_word": ("Row=Row", QUERY),
    "equation": ("E=mc2", BODY),
    "math_composition": ("f(g(2))=4", BODY),
    "trig_identity": ("sin(0)=0", BODY),
    "filter_dsl_length": ("len(tags)>1", QUERY),
    "constants_compared_in_prose": ("Rock and (-8)=(-3) is a wrong sum", BODY),
    "ssrs_expression": ("=IIF(Fields!Qty.Value > 0, 1, 0)", BODY),
    "vb_snippet": ("Dim n = CInt(txt.Text)", BODY),
    "vb_comparison_on_a_variable": ("CInt(qty) = 1", BODY),
    # code snippets and documentation about SQL
    "upsert_snippet": ("INSERT INTO t (a, b) VALUES (1, 'x') ON DUPLICATE KEY UPDATE b = 'y'", BODY),
    "upsert_in_prose": ("Use INSERT ... ON DUPLICATE KEY UPDATE for upserts", BODY),
    "cast_of_a_column": ("SELECT CAST(amount AS numeric) FROM orders", BODY),
    "cast_in_prose": ("cast the version as int before comparing", BODY),
    "cpp_scope": ("std::string s = \"x\" or 'y'", BODY),
    "ipv6_loopback": ("::1", QUERY),
    "letter_before_apostrophe": ("Malcolm X's speech or 1", BODY),
    "plan_b": ("Plan B's budget or not", BODY),
    "union_values_in_prose": ("the union values (and protects) its members", BODY),
    "documentation_equality": ("Set a = b before calling run()", BODY),
    "chr_in_code": ("print(chr(65) + 'b')", BODY),
    "prose_sql_words": ("Please select a plan and update your billing from the dashboard", BODY),
    "filter_dsl": ("status:open AND (priority:high OR label:bug)", QUERY),
    # non-ASCII text that decodes with replacement characters
    "latin1_text": ("Caf%E9 au lait and 2%A0croissants", QUERY),
    "german": ("Größe: 42 – Farbe: blau", BODY),
    "french_elision": ("l'été = la saison des vacances, or l'hiver", BODY),
    "japanese_quotes": ("「こんにちは」と言った or ' '", BODY),
    "hawaiian_okina": ("Hawaiʼi ʻŌlelo or Kauaʼi = 2", BODY),
    # primes and typographic apostrophes in measurements, coordinates and prose
    "coordinates_with_primes": ("51°30′26″N 0°7′39″W", BODY),
    "height_with_primes": ("She is 5′7″ and O′Neil or Smith", BODY),
    "typographic_apostrophes": ("don’t stop ′til it’s done, or else", BODY),
    "user_in_prose": ("O'Brien or user like new", BODY),
    "closing_paren_then_prose": (") or maybe not, see above", BODY),
    "closing_paren_then_words": (") and more 'quoted' text", BODY),
    "list_then_ui_hint": ("size,(select 2 items)", QUERY),
    "choices_then_hint": ("red, green,(select all that apply)", BODY),
}


@pytest.mark.parametrize(("name", "value", "ctx"), [(k, *v) for k, v in BENIGN.items()], ids=BENIGN.keys())
def test_leftover_sqli_lookalike_passes(engine: Engine, name: str, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None, (name, value)
