"""Unit: the code-injection, mail-command and odd-scheme shapes of the fresh30 first contact.

PHP for an eval sink with the function's name hidden (constructed callees, comments before ``(``, variable
functions, odd opening tags, serialised gadgets), Perl ``@{[ … ]}`` interpolation as a whole value, JavaScript busy
loops on a constant, SMTP/POP3/IMAP commands after a line break, and URLs of any scheme to an internal host (NFKC
folded). Values are our own; none comes from a corpus. Each shape has benign look-alikes that must pass."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bastion.detection import Context, Engine
from bastion.detection.eval_sinks import eval_sink
from bastion.detection.mail_commands import mail_command
from bastion.detection.odd_schemes import odd_scheme_target
from bastion.detection.php_code import php_code

BODY = Context("body", "comment")
HEADER = Context("header", "x-note")
URL_FIELD = Context("body", "webhook_url")


@pytest.mark.parametrize("value", [
    "(passthru)(date);", "('shell_exec')('uname -r')", '["popen"][0]("ps", "r");', "(string)'pass'.'thru'('ps');",
    '"\\x70\\x61ssthru"(id);', '"\\163ystem"(pwd);', "(pa.(sst).hru)(@date)", "return'exec'(hostname).x",
    "{[shell_exec][0]}('w');", "$q = 'pass'.'thru';($q)('df');", "define('Q', 'sh'.'ell_exec');(Q)/*x*/('w');",
    "$g='ex'.'ec';$g('uptime');", "(  [ assert ] [ 0 ] )  ( 'phpinfo()' );",
])
def test_a_php_call_through_a_constructed_name_is_cmdi(engine: Engine, value: str) -> None:
    found = engine.inspect(value, BODY)
    assert found is not None and found.rule.attack == "cmdi"


@pytest.mark.parametrize("value", [
    "passthru /* x */ ('date')", "shell_exec#x\n('w')", "assert // y\r\n ($_POST[1])", "popen\t/**/(1,2)",
    "system(hostname)", "@passthru('uptime')", "eval  ($code)", "assert\n(1)", "posix_getuid()", "posix_kill(1, 9)",
    "get_defined_constants()[1]", "CURL_EXEC($h)", "system (hostname);",
])
def test_a_php_function_with_a_comment_before_the_parenthesis_or_as_the_whole_value_is_cmdi(
        engine: Engine, value: str) -> None:
    found = engine.inspect(value, BODY)
    assert found is not None and found.rule.attack == "cmdi"


@pytest.mark.parametrize("value", [
    "$___['x'](9)", "@$_[0](1)", "${'b'}(3)", "${$k}[2](4)", "$GLOBALS['ab12'](5)", "$O0O0{1}(6)",
    "$cb[1]['z'] /*q*/ (8)", "$fn /*a*/ [1] /*b*/ (2)", "$r=@$fn(7)", "$handler\n(9)", "$a(1).$a(2)", "@$x(3)",
])
def test_a_php_variable_function_call_is_cmdi(engine: Engine, value: str) -> None:
    found = engine.inspect(value, BODY)
    assert found is not None and found.rule.attack == "cmdi"


@pytest.mark.parametrize("value", [
    "<? php print 1;", "<?\tphp system('id');", "<?\r\nphp echo 2", "<?  print 3", "<?passthru('w');",
    "<?xml:print 4;", "<?xml ;echo 5;", "print 6;{/php}",
    'O:4:"Evil":2:{s:1:"a";O:3:"Foo":0:{}s:1:"b";i:1;}', 'x|O:3:"Bar":1:{s:1:"p";R:2;}',
    'O:5:"Thing":1:{S:3:"\\61bc";i:1;}',
])
def test_php_odd_tags_and_serialised_gadgets_are_cmdi(engine: Engine, value: str) -> None:
    found = engine.inspect(value, BODY)
    assert found is not None and found.rule.attack == "cmdi"


PHP_BENIGN = [
    "System (beta)", "Exec (2019)", "Operating System(s)", "exec(s)", "the system (see above) works",
    "Note: the \"system\" (default) option.", "Set [system] (optional) to true", "call exec() with care",
    "Use eval() sparingly in templates", "where $f(x) = x^2$ on the interval", "$f(x)", "price: $5 (USD)",
    "$HOME (your home folder)", "In PHP: $handlers[$name]($event); dispatches", "see $config['x'] (line 4)",
    '<?xml version="1.0" encoding="UTF-8"?><a>1</a>', '<?xml-stylesheet type="text/xsl" href="s.xsl"?>',
    'O:8:"stdClass":2:{s:1:"a";i:1;s:1:"b";s:2:"ok";}', "[php]echo 'hi';[/php]",
    "```php\n$x = ['a', 'b'];\nprint_r($x);\n```", "Fix (issue #12) and (issue #13)", "sys.tem (module) docs",
]


@pytest.mark.parametrize("value", PHP_BENIGN)
def test_php_look_alikes_pass(engine: Engine, value: str) -> None:
    assert php_code(value) is None
    assert engine.inspect(value, BODY) is None


@pytest.mark.parametrize("value", [
    "@{[ localtime ]}", "@{[scalar(localtime)]}", "@{[ join ',', %INC ]}", "@@{[ $0 ]}", "'@{[ lc 'X' ]}'",
    "@{[qx(id)]}", "  @{[ map { $_ * 2 } 1..3 ]}  ",
])
def test_a_perl_interpolation_as_the_whole_value_is_cmdi(engine: Engine, value: str) -> None:
    found = engine.inspect(value, BODY)
    assert found is not None and found.rule.attack == "cmdi"


@pytest.mark.parametrize("value", [
    "while(!'x'.length);".replace("'x'.length", "0"), "while( !undefined );", "while( ! '' )", "while(~0);",
    "while(new Error);", "while(Math)", "while(-2.5);", "while(!!globalThis){}", "1;while(+'');".replace("+''", "1"),
])
def test_a_javascript_busy_loop_on_a_constant_is_cmdi(engine: Engine, value: str) -> None:
    found = engine.inspect(value, BODY)
    assert found is not None and found.rule.attack == "cmdi"


@pytest.mark.parametrize("value", [
    "while(x);", "while (running)", "while(!true);", "while(-0);", "while(!!'')", "while(false)",
    "Use a while(true) loop to poll", "```js\nwhile(!done);\n```",
    "@{[ time ]} in a Perl string interpolates", "Email me @{[name]} later please", "while(i < 3)",
])
def test_perl_and_javascript_look_alikes_pass(engine: Engine, value: str) -> None:
    assert eval_sink(value) is None
    assert engine.inspect(value, BODY) is None


@pytest.mark.parametrize("value", [
    "x@y.test\r\nVRFY admin", "\r\nEXPN staff", "\nHELP", "\r\nUSER mallory", "\r\nPASS s3cret",
    "\r\nAPOP mallory 0123456789abcdef0123456789abcdef", "\r\nDELE 4", "\r\ndele 4", "\r\nUIDL 2\r\n",
    "\r\nTOP 3 10", "\r\nb7 login mallory hunter2", "INBOX\r\nx12 select \"Sent\"", "\r\nq9 CAPABILITY",
    "\r\nt1 fetch 1:* (FLAGS)", "\r\nc3 uid search ALL", "\r\nz store 1:4 -FLAGS (\\Seen)", "\r\nm5 lsub \"\" \"*\"",
])
def test_a_mail_command_after_a_line_break_is_crlf(engine: Engine, value: str) -> None:
    assert mail_command(value) is not None
    found = engine.inspect(value, Context("query", "to"))
    assert found is not None and found.rule.attack == "crlf"


@pytest.mark.parametrize("value", [
    "Hello\r\nHelp wanted at the front desk", "Items:\nlist of groceries", "Notes:\n1 check the oil",
    "Top 10\nbest films", "a list of things\nand more", "Line one\r\nUser settings moved", "Dear team,\r\nList 3 names",
    "See you\r\nA1 paper is big", "Step\n2 select a file to upload", "Stats:\r\nstat line here",
])
def test_mail_command_look_alikes_pass(engine: Engine, value: str) -> None:
    assert mail_command(value) is None
    assert engine.inspect(value, BODY) is None


@pytest.mark.parametrize("value", [
    "redis://127.0.0.1:6379/0", "ldap2://localhost", "svn://10.1.2.3/repo", "mysql://user@[::1]/db",
    "sftp2://0x7f.0.0.1", "nntp://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/x", "telnet://①⑨②.①⑥⑧.⓪.①", "ssh2.scp://u:p@files.example.com/home/a.txt",
    "memcache://169.254.169.254:11211", "smtp://２１３０７０６４３３",
])
def test_any_scheme_to_an_internal_host_is_ssrf(engine: Engine, value: str) -> None:
    assert odd_scheme_target(value) is not None
    found = engine.inspect(value, URL_FIELD)
    assert found is not None and found.rule.attack == "ssrf"


@pytest.mark.parametrize("value", [
    "ssh://git@github.com/org/repo.git", "s3://bucket/key.tif", "rsync://mirror.example.org/pub",
    "irc://irc.libera.chat/#python", "ⓢⓔⓔ ⓜⓔ", "git://example.com/x", '<a href="http://10.0.0.1/">intranet</a>',
])
def test_odd_scheme_look_alikes_pass(value: str) -> None:
    assert odd_scheme_target(value) is None



@pytest.mark.parametrize("unit", [
    '")(', "$_ ", "$_[", "(x)", "'a'.", "exec ", "\r\nA1 list ", "@{[", "while(", "x://127.0.0.1 ", "/*",
    "$a[1]\n", 'O:1:"a":1:{', "$f(n)$ ", "$O(n)$ ",
])
def test_the_new_scans_are_linear_on_128_kib(inspect_seconds: Callable[[str, Context], float], unit: str) -> None:
    """Doubling the value from 64 to 128 KiB at most doubles the time (with slack for a busy machine)."""
    half = unit * (64 * 1024 // len(unit))  # whole units: a cut unit ends the value differently (session 18:
    # '&#59;' cut at 128 KiB ended in '#', at 64 KiB in '&', and only the '#' ending runs cmd_breakouts' scan)
    whole = half + half
    assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05
    assert inspect_seconds(whole, BODY) < 5.0
