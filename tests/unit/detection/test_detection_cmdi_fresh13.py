"""Unit: shapes fresh13 missed in command injection, SQL and XSS, and the benign values of the same look each rule must
let through: a command given by a path written with wildcards, split by quotes or padded with unset variables
(``/???/n?``, ``/b'i'n/c''a't``, ``$a/???$b/??ad``); a function run at once around an endless empty loop; a value
opening with ``UNION SELECT`` of a column named like a keyword (``user``); CSS escapes that spell the parenthesis of
``expression(`` outside any tag. Every case goes through the whole engine (decoders, prefilter, analysers), with other
values than the corpus uses."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
QUERY = Context("query", "q")
HEADER = Context("header", "x-note")
PATH = Context("path", "")

ATTACKS: dict[str, tuple[str, Context, str]] = {
    # a command path spelled with wildcards the shell expands to a binary
    "glob_netcat_listener": ("/???/n? -lvp 9001", BODY, "cmdi"),
    "glob_netcat_to_decimal_address": ("/???/?c 3232235777 8443", QUERY, "cmdi"),
    "glob_tool_name_alone": ("/usr/bin/w?o?mi", QUERY, "cmdi"),
    "glob_recon_alone": ("/s?in/if?onfig", HEADER, "cmdi"),
    "glob_star_then_system_file": ("/*/h*d /etc/hostname", BODY, "cmdi"),
    "glob_class_then_argument": ("/???/[c]?t -n /var/log/auth.log", BODY, "cmdi"),
    "glob_then_separator": ("/b?n/un?me -a;", QUERY, "cmdi"),
    # the path split by quotes the shell joins
    "quote_split_path": ("/b'i'n/c''a't /etc/hostname", BODY, "cmdi"),
    "quote_split_unbalanced": ('/us"r"/b""in/i""d" -u', QUERY, "cmdi"),
    "quote_split_with_quoted_space": ("/s'b'i''n/if'c'o''nfig' -a'", BODY, "cmdi"),
    # unset variables glued to a wildcard path
    "unset_vars_around_glob": ("$q/???$r/??ad$s /???/h?sts", BODY, "cmdi"),
    "braced_unset_vars_around_glob": ("${z}/???${y}/?d -u", QUERY, "cmdi"),
    "unset_vars_after_separator": ("ok;$m/???$n/?s$o -la", QUERY, "cmdi"),
    # a function run at once whose body is an endless empty loop (a server-side JavaScript sandbox held forever)
    "iife_while_true_empty": ("(function spin() { while(true); })()", BODY, "cmdi"),
    "arrow_iife_for_ever": ("(() => { for(;;){} })()", QUERY, "cmdi"),
    "bang_function_while_one": ("!function(){while(1){}}()", BODY, "cmdi"),
    # a value opening with UNION SELECT of a column named like a keyword
    "union_select_user_column": ("union select user, pass from members", QUERY, "sqli"),
    "union_all_select_login_column": ("UNION ALL SELECT login FROM staff", BODY, "sqli"),
    # CSS escapes spelling the parenthesis of expression( outside a tag
    "css_escaped_paren_in_broken_tag": ("<// style=a:expression\\28prompt(9)\\29>", BODY, "xss"),
    "css_escaped_letter_and_paren": ("color:expr\\65ssion\\28 alert(7)\\29", QUERY, "xss"),
}

BENIGN: dict[str, tuple[str, Context]] = {
    # relative URLs, route patterns and globs in configuration
    "relative_url_with_query": ("/api/v2/items?page=3&sort=name", BODY),
    "search_path_with_spaces": ("/search?q=cat food", BODY),
    "route_pattern": ("/api/*/items", BODY),
    "log_glob_in_config": ("/var/log/nginx/*.log rotate daily", BODY),
    "home_glob": ("/home/*/uploads/*.jpg", BODY),
    "everything_glob": ("/*/*", QUERY),
    "bin_folder_glob": ("/usr/local/bin/*", BODY),
    "question_about_interpreter": ("/usr/bin/python? or /usr/local/bin/python3?", BODY),
    "question_about_tool": ("/bin/ls? no, I used dir", BODY),
    "doc_path_with_apostrophe": ("/docs/what's-new for the release", BODY),
    "quoted_shell_path": ('"/bin/bash" is the default shell', BODY),
    "odata_query": ("/Products?$filter=Price gt 20", QUERY),
    "sites_glob": ("/etc/nginx/sites-*/default", BODY),
    "variable_path_glob": ("$HOME/bin/*.sh", BODY),
    # JavaScript whose loop does something, or a loop mentioned in prose
    "iife_loop_with_body": ("(function(){ while(true) { poll(); } })()", BODY),
    "endless_loop_in_prose": ("Use (function(){ while(true); })() to hang a worker", BODY),
    "for_ever_with_body": ("(function () { for (;;) { tick(); } })()", BODY),
    "loop_mentioned": ("(see: while(true) loops)", BODY),
    # SQL words in prose
    "union_selected_prose": ("the union selected its user representatives from members", BODY),
    "credit_union_prose": ("Credit union: select user account from the list", BODY),
    # backslashes and colons that are no CSS
    "windows_path": ("C:\\Users\\ana\\28 notes.txt", BODY),
    "latex_fraction": ("ratio: \\frac{a}{b} as an expression", BODY),
    "css_escape_in_content": ("a::before { content: \"\\201C\" }", BODY),
}


@pytest.mark.parametrize(("value", "ctx", "attack"), ATTACKS.values(), ids=ATTACKS.keys())
def test_fresh13_shape_is_blocked(engine: Engine, value: str, ctx: Context, attack: str) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None, value
    assert found.rule.attack in {attack, "traversal"}, (value, found.rule.attack)


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_fresh13_benign_look_alike_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None, value
