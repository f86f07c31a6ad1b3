"""Unit: injection-confirmation probes fresh15 missed, and the benign values of the same look each rule must let
through: arithmetic expansion on literal numbers and ``$(echo …)`` substitution glued to a value (a marker the
scanner then looks for in the answer); a backtick substitution of a harmless command glued to a value, or two of them
back to back; bash's function import followed by a redirection instead of ``;``. Every case goes through the whole
engine (decoders, prefilter, analysers), with other values than the corpus uses."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
QUERY = Context("query", "q")
HEADER = Context("header", "user-agent")
COOKIE = Context("cookie", "session")

ATTACKS: dict[str, tuple[str, Context]] = {
    # $((N+N)) and $(echo …) glued to a marker word, after a separator, a space or glued to the value
    "marker_arithmetic_after_semicolon": ("7;echo QZX$((40213+977))$(echo QZX)QZX", BODY),
    "marker_arithmetic_glued_to_value": ("19echo WVU$((11*13))$(echo WVU)WVU", QUERY),
    "marker_arithmetic_after_space": ("ab printf KLM$((700-12))KLM", BODY),
    "marker_arithmetic_after_pipe": ("x|echo RTY$((5+5))RTY", COOKIE),
    "marker_arithmetic_after_newline": ("9\nprintf HJK$((8+8))HJK", BODY),
    "marker_arithmetic_paren_short": ("3&&echo NBV$((12345+678)$(echo NBV)NBV", QUERY),
    "value_opening_with_probe": ("echo FDS$((2+3))$(echo FDS)FDS", HEADER),
    "echo_substitution_glued": ("order7$(echo ping)", BODY),
    "printf_substitution_after_semicolon": ("abc; $(printf hello)", QUERY),
    "true_substitution_glued": ("55$(true)", QUERY),
    "arithmetic_alone": ("$((31337*3))", QUERY),
    "quoted_substitution_glued": ('id9"$(echo yes)"', BODY),
    # backtick substitution of a harmless command glued to the value, quoted, or two back to back
    "backtick_true_glued": ("77`true`", QUERY),
    "backtick_false_glued_to_word": ("abc`false`", BODY),
    "backtick_in_double_quotes": ('5"`true`"', HEADER),
    "backtick_in_single_quotes": ("5'`false`'", QUERY),
    "backtick_echo_glued": ("v1`echo ok`", BODY),
    "adjacent_backtick_echoes": ("9`echo left1``echo right2`", QUERY),
    "adjacent_backticks_ifs": ("9`printf${IFS}ab``printf${IFS}cd`", BODY),
    "adjacent_backticks_alone": ("`echo one``printf two`", COOKIE),
    # bash function import with a redirection or substitution after the body
    "function_import_redirect_subscript": ("() { x; } >y[$($())] { /usr/bin/id; }", HEADER),
    "function_import_pipe": ("() { :; } | /bin/true", HEADER),
    "function_import_redirect_quoted": ("'() { _; } >z { echo hi; }'", COOKIE),
}

BENIGN: dict[str, tuple[str, Context]] = {
    # shell documentation: substitutions inside a sentence or assigned to a variable
    "tutorial_arithmetic_in_code_span": ("run `echo $((2+5))` and you get 7", BODY),
    "tutorial_arithmetic_spaced": ("Bash computes echo $((4 * 4)) as 16 in the manual", BODY),
    "assignment_in_quotes": ('GREETING="$(echo hello)"', BODY),
    "makefile_shell_function": ("VERSION := $(shell git describe) $(CC)", BODY),
    # JavaScript and maths
    "jquery_this": ("$(this).toggleClass('open')", BODY),
    "jquery_selector": ("$('#cart-total').text(price)", BODY),
    "jquery_ready": ("$(document).ready(init)", BODY),
    "jquery_function": ("$(function () { setup(); })", BODY),
    "template_literal": ("const msg = `Total: ${sum}`;", BODY),
    "tex_formula": ("area is $((r+1)^2)$ for the ring", BODY),
    "price_in_parens": ("refund of $(25.00) pending", BODY),
    "arrow_function": ("() => { load(); }", BODY),
    "method_shorthand": ("toString() { return this.name; }", BODY),
    "function_compared": ("function g() { return 2; } > 1", BODY),
    # markdown code spans
    "markdown_true": ("`true`", QUERY),
    "markdown_setting_sentence": ("set `enabled` to `true` or `false`", BODY),
    "markdown_install": ("use `npm install` first", BODY),
    "markdown_double_backticks": ("write ``echo x`` with two backticks", BODY),
    "markdown_two_bare_names": ("the `echo``printf` builtins", BODY),
    "cjk_code_span": ("将选项设为`true`即可", BODY),
    "japanese_code_span": ("値を`false`にします", BODY),
    "markdown_fence": ("```sh\necho done\n```", BODY),
    "code_span_after_paren": ("(`true` by default)", BODY),
}


@pytest.mark.parametrize(("value", "ctx"), ATTACKS.values(), ids=ATTACKS.keys())
def test_fresh15_probe_is_blocked(engine: Engine, value: str, ctx: Context) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None, value
    assert found.rule.attack == "cmdi", (value, found.rule.attack)


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_fresh15_benign_look_alike_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None, value
