"""Unit: shapes first met in libinjection's collected SQLi/XSS inputs and its list of hard benign strings
(split fresh9): the benign values a rule must let through, and the attacks of the same shape it must still
block. Every case goes through the whole engine (decoders, prefilter, analysers), with other values than the
corpus uses."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
QUERY = Context("query", "q")



BENIGN: dict[str, tuple[str, Context]] = {
    # a quote, then arithmetic on words alone: search exclusions, sizes, markup after an attribute's closing quote
    "search_exclusions_after_an_inch_mark": ('TABLE RUNNER 72" -LINEN -BURLAP', QUERY),
    "quoted_phrase_then_exclusions": ('"BLUE DENIM" -JEANS -SKIRT', QUERY),
    "apostrophe_inside_a_hyphenated_word": ("WILL-O'-WISP!", QUERY),
    "size_times_size_with_feet_marks": ("6'+X+9'+RUG", QUERY),
    "phone_size_then_words": ('6.1" & Pixel 8 Pro 6.7', BODY),
    "attribute_close_then_link_text": ('shop_link">Grandmas Quilts</a>', BODY),
    "quoted_phrases_joined_by_plus": ('"OLD BARN" + "TIN STAR"', QUERY),
    # word operators and clauses followed by prose, which SQL never accepts there
    "apostrophe_then_is_not_prose": ("O' IS NOT A LETTER", BODY),
    "quoted_title_starting_with_into": ('"INTO THE BLUE"', QUERY),
    "exec_in_a_sentence": ("2; exec will review the plan 3", BODY),
    "fraction_after_and": ("2 AND 3/4 INCH ELASTIC", QUERY),
    # a hashtag or a search's exclusions after a quote, not a comment cutting the query off
    "hashtag_after_a_possessive": ("THE BEATLES'# ABBEY", QUERY),
    "double_dash_exclusions_after_a_quote": ("RED GREEN -WOOL -MAKERS' --TEEN -GIRL -GIRLS", QUERY),
    # checked only on values that read as SQL: a URL's next parameters, a quoted operator word, the other quote
    "inch_mark_then_the_urls_next_parameters": ("/browse?q=SHELF 24\"&sort=price&page=3", BODY),
    "quoted_like_then_a_word": ('"LIKE" BUTTON', QUERY),
    "quoted_mod_then_a_quoted_word": ('"MOD" "LAMP"', QUERY),
    "quoted_ampersand_in_a_name": ('TOM "&" JERRY', QUERY),
    "quoted_and_as_the_search_term": ("define 'and'", QUERY),
    "quoted_operator_inside_a_url_query": ('/find?ref=&q="LIKE"+BUTTON&view=list', BODY),
    "feet_mark_then_an_inch_string": ("'-\"12 INCH", QUERY),
    "shift_operator_in_prose_without_quote": ("use a << b to shift", BODY),
    "number_with_d_suffix_in_prose": ("3d printing union station", QUERY),
    "excited_reply_after_a_quote": ("it's -great !", BODY),
    "minutes_added_in_parentheses": ("5 + (3 minutes) and more", BODY),
    "select_user_from_the_list": ("select user from the list below", BODY),
    "declare_in_a_sentence_after_quote": ("the customs' declare form", BODY),
    "number_or_it_is_fine": ("2 or it is fine", BODY),
    "markdown_code_span_then_word": ("run `make`online docs", BODY),
    "xml_element_without_src": ("<xml><item>1</item></xml>", BODY),
}


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_benign_value_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None


ATTACKS: dict[str, tuple[str, Context, str]] = {
    # the same shapes when they do something: a splice the application's quote closes, a comparison, a comment cut
    "sqli_concatenation_probe_closed_by_the_application": ("ab'+'cd", QUERY, "sqli"),
    "sqli_column_spliced_into_a_string": ("x'+passwd+'", BODY, "sqli"),
    "sqli_empty_string_arithmetic_then_comment": ("'-0-- ", QUERY, "sqli"),
    "sqli_arithmetic_then_comparison": ("name' - 2 = -2 -- ", QUERY, "sqli"),
    "sqli_is_not_null_after_quote": ("z' is not null -- ", BODY, "sqli"),
    "sqli_into_outfile_after_quote": ("' into outfile '/var/www/s.php", BODY, "sqli"),
    "sqli_exec_system_procedure_after_semicolon": ("5; exec xp_cmdshell 'whoami'", BODY, "sqli"),
    "sqli_fraction_condition_compared": ("7 AND 4/2=2", QUERY, "sqli"),
    "sqli_login_cut_by_hash": ("root'#", QUERY, "sqli"),
    "sqli_login_cut_by_dashes": ("root'-- -", QUERY, "sqli"),
    "sqli_quoted_or_then_truthy_digit": ("q'or'7", QUERY, "sqli"),
    "sqli_quoted_or_then_one_word": ("q'or'b", QUERY, "sqli"),
    "sqli_quoted_like_match_anything": ("q'like'%", QUERY, "sqli"),
    "sqli_like_quoted_wildcard": ("z like '%'", QUERY, "sqli"),
    "sqli_or_empty_equals_empty": ("q'or''='", QUERY, "sqli"),
    "sqli_url_parameter_then_condition": ("/p?q=a'&id=5 or 1=1", BODY, "sqli"),
    # MySQL operator soup after a quote: unary signs, BINARY, \N, shifts, SOUNDS LIKE before or as the operand
    "sqli_or_negated_string": ("7\"OR!\"b", QUERY, "sqli"),
    "sqli_or_signed_number_equals_signed_string": ("x\"or-2=\"-2", QUERY, "sqli"),
    "sqli_or_binary_number": ("bb'or BINARY 2= '2", QUERY, "sqli"),
    "sqli_equals_signed_empty_string": ("' =- '", QUERY, "sqli"),
    "sqli_like_signed_string": ("zz'like-'zz", QUERY, "sqli"),
    "sqli_regexp_signed_call": ("zz' REGEXP- sha1(2) or '2", QUERY, "sqli"),
    "sqli_is_backslash_n_null": ("zz'is\\N|!'", QUERY, "sqli"),
    "sqli_shift_between_strings": ("C' >> 'D", QUERY, "sqli"),
    "sqli_sounds_like_between_strings": ("C' SOUNDS LIKE 'D", QUERY, "sqli"),
    "sqli_float_suffix_glued_to_union": ("2DUNION SELECT 3", QUERY, "sqli"),
    # sub-selects, catalogue reads, blind arithmetic, T-SQL and conditions without a quote
    "sqli_subselect_of_a_login_column": ("(select login*3 from accounts limit 2,1)", QUERY, "sqli"),
    "sqli_oracle_all_tab_view": ("SELECT owner FROM all_tab_privs", QUERY, "sqli"),
    "sqli_nul_bytes_as_spaces": ("SELECT\x00owner\x00FROM\x00all_tab_comments", BODY, "sqli"),
    "sqli_blind_arithmetic_on_a_character": ("77 + (2 / ASCII(substr(pwd,3,1))-9)", QUERY, "sqli"),
    "sqli_arithmetic_then_condition_cut_off": ("3+(pi()) or (2=pi())--", QUERY, "sqli"),
    "sqli_tsql_declare_after_quote": ("bob'declare @q nvarchar(99)", BODY, "sqli"),
    "sqli_closed_select_list_then_where": ("2) from accounts where role='admin')", BODY, "sqli"),
    "sqli_number_then_bare_union_probe": ("-7 UNION ALL SELECT", QUERY, "sqli"),
    "sqli_or_column_is_not_null": ("3 || owner_id is not null", QUERY, "sqli"),
    "sqli_signed_constant_comparison": ("~4-(1) OR 2 = ~2", QUERY, "sqli"),
    # script URLs, handlers and IE data islands
    "xss_script_url_with_a_doubled_colon": ('<a href="javascript::confirm(2)">go</a>', BODY, "xss"),
    "xss_handler_glued_to_a_backtick_quoted_value": ("<video src=`a:b`onerror=confirm(2)>", BODY, "xss"),
    "xss_ie_data_island_loading_a_component": ('<xml id="d" src="data.htc"></xml>', BODY, "xss"),
}


@pytest.mark.parametrize(("value", "ctx", "rule"), ATTACKS.values(), ids=ATTACKS.keys())
def test_fresh9_shape_is_blocked(engine: Engine, value: str, ctx: Context, rule: str) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None and found.rule.attack == rule
