"""Unit: SQL injection shapes of the fresh12 round (a tautology cut short after a break-out quote, postfix null tests,
ILIKE and COLLATE after a quote, PostgreSQL JSON operators, query fragments starting with IN/FROM/EXCEPT, code that
waits evaluated in the application's string) and the false-positive risks fixed with them (a quoted operator before
a sentence, a character-code chain quoted in documentation, an ampersand quoted between two words). Every case goes
through the whole engine (decoders, prefilter, analysers), with other values than any corpus uses."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
QUERY = Context("query", "q")
HEADER = Context("header", "x-title")


ATTACKS: dict[str, tuple[str, Context]] = {
    # a break-out quote, or/xor, one operand and a comparison sign or stray punctuation: a tautology cut short
    "truncated_or_number_equals": ("jdoe' or 4=", QUERY),
    "truncated_xor_number_greater": ("q9'xor 31>", BODY),
    "truncated_or_quoted_less": ("guest' OR 'k' <", HEADER),
    "truncated_or_word_bang_at_start": ("'   or qwerty!", QUERY),
    "truncated_double_quote_xor": ('"XOR 88<', BODY),
    "truncated_or_number_list": ("' or 5,6,7@!", QUERY),
    "truncated_email_or_word_compared": ("kim@example.org' or name<", BODY),
    # postfix null tests, ILIKE and COLLATE after a break-out quote
    "postfix_notnull": ("pat'or username notnull--", QUERY),
    "postfix_isnull_then_logic": ("pat' and token isnull or 'a'='b", BODY),
    "ilike_column_to_itself": ("x@example.net' or handle ilike handle--", BODY),
    "collate_then_comment": ("root'collate binary#", QUERY),
    "collate_quoted_name_then_comment": ("root' collate `rtrim` --", HEADER),
    # PostgreSQL JSON operators and a cast written across comments; MySQL's UNION DISTINCTROW
    "jsonb_contains_across_comments": ("5 or '{\"q\":2}'/**/::/**/jsonb/**/@>'{\"q\":2}'::jsonb", QUERY),
    "jsonb_contained_by": ("5 OR '[3]'::jsonb <@ '[3,4]'", BODY),
    "json_path_compared": ("5 or '{\"k\":{\"m\":4}}' -> 'k' ->> 'm'='4'", QUERY),
    "union_distinctrow_variable": ("@q := (select pass from staff limit 1) union distinctrow select @q", BODY),
    # a fragment that continues the query inside a clause or with another set operator
    "in_subselect_fragment": ("in (select token from sessions where uid is not null)", QUERY),
    "from_derived_table_fragment": ("from (select count(*),version() from dual)x", BODY),
    "except_select_fragment": ("EXCEPT SELECT 9,8 --", QUERY),
    "intersect_values_fragment": ("intersect values (3,'z')", HEADER),
    # code that waits, evaluated inside the application's string
    "javascript_busy_wait_after_quote": ("kim' (function(){var s=Date.now();while(Date.now()-s<7000){}}()) '", BODY),
    "python_eval_sleep_after_quote": ('q" + eval("__import__(\'time\').sleep(6)") + "', QUERY),
    "php_concatenated_sleep": ("page.html'.usleep(6000000).'", QUERY),
    "whole_value_eval_sleep": ("eval('import time\\ntime.sleep(8)')", BODY),
    "php_complex_syntax_sleep": ("name{${sleep(6)}}", HEADER),
    # comments standing in for blanks in a bare boolean pair; a PHP string spelt from character codes
    "optimizer_hint_in_condition": ("31 and /*+ no_index */ false", QUERY),
    "comments_around_logic": ("8/**/or/**/8 --", BODY),
    "php_chr_concatenation": ("<?php echo chr(105).chr(100); ?>", BODY),
    # the blind-extraction oracle: a character code of a cut of a sub-select, also hidden by MySQL's 1.e( floats
    "character_code_of_subselect": ("ORD(SUBSTR((SELECT pin FROM cards LIMIT 1),3,1))>52", QUERY),
    "stacked_print_of_empty_string": ('k9"; print "', HEADER),
    "empty_exponent_floats_around_oracle": ("2.e(hex 2.e(mid(2.e(select tk from keys 2.e) 2.e,1 2.e,1)2.e))=41", BODY),
}


@pytest.mark.parametrize(("name", "value", "ctx"), [(k, *v) for k, v in ATTACKS.items()], ids=ATTACKS.keys())
def test_fresh12_sqli_shape_is_blocked(engine: Engine, name: str, value: str, ctx: Context) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None, value
    assert found.rule.attack == "sqli", (name, found.rule.attack)


BENIGN: dict[str, tuple[str, Context]] = {
    # known false-positive risks
    "quoted_dash_means_none": ('"-" means none', BODY),
    "quoted_plus_in_a_sentence": ("'+' joins two strings here", BODY),
    "quoted_search_terms_joined": ('"garden hose" + "spray NOZZLE', QUERY),
    "chr_chain_in_documentation": ("Use chr(10)||chr(13) for CRLF", BODY),
    "char_chain_in_a_howto": ("Append CHAR(13)+CHAR(10) to each line", BODY),
    "ampersand_quoted_between_letters": ("x'&'y", QUERY),
    "stylised_band_name": ('R"&"B', BODY),
    "odata_filter_quoted_ampersand": ("title eq '&'", QUERY),
    "odata_filter_ampersand_and_more": ("title eq '&' and year gt 2000", QUERY),
    # the truncated-condition shape in prose and names
    "plural_possessive_or_exclamation": ("students' or teachers!", BODY),
    "quoted_or_keyword": ("'or' is a keyword!", BODY),
    "apostrophe_then_orange": ("'orange!", BODY),
    "heights": ("5' or 6'", BODY),
    "possessives_or": ("Tom's or Jerry's!", BODY),
    "irish_name_or_sign": ("O'Neill or =", BODY),
    "hawaiian_place_or": ("Hawai'i or Maui?", BODY),
    "french_or_word": ("l'or noir!", BODY),
    # the operator words in prose
    "isnull_in_prose": ("O'Brien or isnull", BODY),
    "collate_in_prose": ("Tom's collate nocase", BODY),
    "collate_quoted_option": ("the 'collate' option--", BODY),
    "notnull_in_code": ("assert x notnull", BODY),
    # arrows and containment signs in prose and chat
    "quoted_mapping_with_arrow": ("'draft' -> 'published' or 'archived'", BODY),
    "number_arrow_quote": ("1 or 2 -> '3'", QUERY),
    "chat_mention": ("ping <@U42> about 'this' or 'that'", BODY),
    "email_then_quote": ("mail me@>'x'", BODY),
    # fragments that start with the same words in prose
    "in_parenthesised_hint": ("in (select all that apply)", BODY),
    "from_parenthesised_hint": ("from (select markets)", BODY),
    "except_selected_items": ("Except selected items, all sales are final", BODY),
    "except_select_word": ("except select items", QUERY),
    "intersect_in_geometry": ("intersect the two lines (at 2,3)", BODY),
    # code that waits, not spliced into a string
    "python_sleep_snippet": ("import time; time.sleep(0.5)  # 'wait'", BODY),
    "iife_in_a_snippet": ("const d = new Date(); // 'today' (function(){ x() }())", BODY),
    "await_sleep_comment": ("await sleep(5) // 'wait'", BODY),
    "eval_in_prose": ("Use eval('x') or time.sleep(3) in 'tests'", BODY),
    # comments and character codes in ordinary code and text
    "commented_choice_then_words": ("42 or /* maybe */ 43 items", BODY),
    "c_comment_in_arithmetic": ("x = 3 /* px */ + 4", BODY),
    "python_chr_method": ("chr(65).lower()", BODY),
    "ascii_of_a_column": ("SELECT ascii(name) FROM users", BODY),
    "python2_print_snippet": ("x = 'a'; print 'b'", BODY),
    "print_in_prose": ("Done; print '", BODY),
    "hex_of_a_substring": ("select hex(substring(col, 1, 2)) from t", BODY),
    "float_then_parenthesis_in_math": ("f(1.e) = 2.e(x)", BODY),
}


@pytest.mark.parametrize(("name", "value", "ctx"), [(k, *v) for k, v in BENIGN.items()], ids=BENIGN.keys())
def test_fresh12_sqli_lookalike_passes(engine: Engine, name: str, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None, (name, value)
