"""Template expressions that reach secrets, engine objects or the runtime without naming a dangerous call.

``signatures.ssti`` looks for what an expression calls (``popen``, ``exec``, ``Runtime``) or computes (``7*7``).
These shapes call nothing of the kind and still hand the caller the server:

- Django and Jinja-style walks to secrets and debug output: ``{{ messages.storages.0.signer.key }}``,
  ``{{ settings.SECRET_KEY }}``, ``{{ e.user.password }}``, ``{% get_admin_log … %}``; tags that pull in other
  templates or libraries or dump the context (``{% include %}``, ``{% load %}``, ``{% debug %}``, ``{% extends %}``);
- Twig's own objects: ``_self.env`` (``registerUndefinedFilterCallback``, ``setCache``) and ``_context``/``_charset``
  piped into filters that slice them into a function name (``passthru`` rebuilt from the context's keys);
- Lodash/doT interpolation of the library object (``<%= _.VERSION %>``, ``{{= _.templateSettings }}``), Latte's
  ``{var $x = …}``, Java EL/SpEL reflection on a string literal (``{"".getClass()}``, ``*{T(…)}``), and .NET's
  (``{"a".GetType().Assembly.GetType("System.Reflection.Assembly")…}``: a string's type handing over its assembly,
  from which any class and method is loaded and invoked);
- command strings built from character codes: FreeMarker ``?lower_abc``/``?upper_abc``, Smarty
  ``chr(105)|cat:chr(100)``, Groovy ``(char)105`` casts; FreeMarker ``"class"?new()`` in any syntax (``[=…]``);
- Groovy file and URL objects (``new File(…)``, ``new URL(…)``, ``"…".toURL()``) and Ruby's ``Open3.popen3`` or a
  ``require`` inside ERB tags.
- an expression that is nothing but the engine's own context or self object, which prints every variable the
  template can reach or the engine's identity (fresh84): Twig's ``{{_self}}``, ``{{_context|keys|first}}`` and
  ``{{constant('Twig_Environment::VERSION')}}`` (a class constant), Python's ``{{locals()}}``, Pug's ``#{locals}`` and
  ``#{global}``, Thymeleaf's ``${#execInfo.templateStack}`` and ``${#ctx}``, ERB's ``<%= ERB.version() %>``. Only the
  bare object (with a member or filter chain for the underscored and ``#`` ones): ``{{ locals.title }}``,
  ``{{ global_nav }}``, ``{{ this }}`` and ``${#array[@]}`` are templates and shell a value carries.

Each keyword is rare in text; the template opener it needs must stand at most ``_REACH`` characters before it (a
keyword in prose, without an opener, passes). The search is one regex pass plus a bounded look-back per match, so
the cost is linear in the value.
"""

from __future__ import annotations

import re

_REACH = 400
"""How far before a keyword its template opener may stand: longer than any expression body seen in a payload."""

_KEYWORDS = re.compile(
    # needs "{{" or "{%": Django/Jinja/Twig walks and tags
    r"(?P<dj>\bsigner\s*\.\s*key\b|\bsecret_key\b|\bsettings\s*\.\s*[a-z_]\w*|\.\s*password\b|\bget_admin_log\b"
    r"|\b_self\s*\.\s*env\b|\b_(?:context|charset)\s*\|\s*(?:join|first|last|slice|split|map|reduce|filter|sort)\b)"
    # carry their own opener
    r"|(?P<own>\{%-?\s*(?:debug|include|extends|load|ssi|import|from\s+['\"][^'\"]{1,100}['\"]\s+import)\b"
    r"|(?:\{\{|\$\{|<%|\{)=\s*_\s*\.\s*[a-z_]|\b_\s*\.\s*templatesettings\b"
    r"|\{var\s+\$\w+\s*=|\*\{\s*t\s*\("
    r"|\[=[^\]\n]{0,200}?\?\s*new\s*\(|['\"][\w.$]{3,200}['\"]\s*\?\s*new\s*\("
    r"|\b(?:chr|char)\s*\(\s*\d+\s*\)\s*\|\s*cat\s*:"
    r"|(?:\{\{|[$#]\{|<%=)-?\s*(?:_(?:self|context|charset)\b[^{}%\n]{0,200}?|(?:locals|globals|vars)\s*\(\s*\)"
    r"|locals|global|#?execinfo\b[^{}\n]{0,200}?|#(?:ctx|vars)\b[^{}\n]{0,200}?|erb\s*\.\s*\w+(?:\s*\(\s*\))?"
    r"|constant\s*\(\s*['\"][\w\\]+::\w+['\"]\s*\))\s*-?(?:\}\}?|%>))"
    # needs "{"
    r"|(?P<br>(?:\"\"|'')\s*\.\s*getclass\s*\(|['\"][^'\"\n]{0,40}['\"]\s*\.\s*gettype\s*\(\s*\)\s*\.\s*assembly\b)"
    # needs "${", "#{", "<%" or "[=": Groovy, FreeMarker, ERB
    r"|(?P<gv>\?\s*(?:lower|upper)_abc\b|\(\s*char\s*\)\s*[\w(]"
    r"|\bnew\s+(?:java\s*\.\s*(?:io|net)\s*\.\s*)?(?:file|url)\s*\(|['\"]\s*\.\s*tourl\s*\(\s*\)"
    r"|\bopen[34]\s*\.\s*popen[234]?\b|\brequire\s*\(?\s*['\"](?:open3|open4|pty|socket|net/http)['\"])",
    re.I)
_OPENERS = {"dj": (("{{", "}}"), ("{%", "%}")), "br": (("{", "}"),),
            "gv": (("${", "}"), ("#{", "}"), ("<%", "%>"), ("[=", "]"))}
"""Per group, the openers one of which must stand before the keyword with its closer not in between."""


def template_expression(value: str) -> tuple[int, int] | None:
    """The span of a template expression in one of the module's shapes, or ``None``."""
    if "{" not in value and "<%" not in value and "[=" not in value:
        return None
    for m in _KEYWORDS.finditer(value):
        group = m.lastgroup
        if group == "own":
            return m.start(), m.end()
        start = m.start()
        low = max(0, start - _REACH)
        for opener, closer in _OPENERS[group or "br"]:
            at = value.rfind(opener, low, start)
            if at != -1 and value.find(closer, at + len(opener), start) == -1:
                return at, m.end()
    return None
