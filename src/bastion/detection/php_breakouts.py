"""PHP (and Perl) code that leaves the string or block a value lands in and runs something, in the shapes exploit
modules send to ``eval``-style sinks and callback dispatchers (fresh73, Metasploit's Unix web-application modules):

- a string (or an array key) closed and a chain of calls concatenated into it, then reopened: ``"].f().g().$a["``,
  ``'.f("").g(5).("").'``. ``php_concat`` reads one call between a quote and the same quote; here the key's ``]``
  may follow the quote, the calls may chain (a bare ``(…)`` among them) and the reopening may be a new array key
  (``$a["``). At least one call is a name glued to ``(``: a quoted sentence has a blank there (``". See (a)."``);
- PHP's backtick operator on a variable concatenated to an operand (``512.`$c```, ``x . `$c```): the variable's
  text runs in a shell. The dot is glued to both sides or spaced on both, as code writes it; prose ends a sentence
  with the dot glued to the word and a blank after it (``the variable. `$X` too``);
- a callback dispatcher's parameters written into one value: a parameter set to a process or code function
  (``passthru``, ``shell_exec``, ``proc_open``, ``popen``, ``pcntl_exec``, ``assert``, ``call_user_func``,
  ``create_function``) next to an arguments parameter (``args=``, ``rsargs[]=``): ``f=passthru&args=id``. A bare
  ``passthru`` (an audio or network mode) or ``system`` (a theme) without arguments is a setting;
- a process function as a path segment followed by a command line (``/passthru/printf 'x'``): a REST router that
  maps segments onto a callback and its argument. ``system`` and ``exec`` are common segment names and are left out;
- a string and the blocks around it closed and a backquoted command made a statement of its own
  (``\\'}; `id`; {``, Perl's ``Locale::Maketext`` bracket notation evaluated by Foswiki): the command must be one the
  shell analyser knows. A JavaScript template literal as a statement is not written after ``');``.

Each check is a bounded match (fullmatch on a value of at most 800 characters for the chain, bounded searches
otherwise): linear. ``trigger`` fires on each shape's fixed part.
"""

from __future__ import annotations

import re
from collections.abc import Collection

_ARGS = r"\((?:[^()\n]|\([^()\n]{0,80}\)){0,300}\)"
_CHAIN = re.compile(
    r"""\s*(["'])\s{0,2}\]?\s{0,2}(?:\.\s{0,2}(?:@?[A-Za-z_]\w{0,63})?""" + _ARGS + r"""\s{0,2}){1,6}"""
    r"""\.\s{0,2}(?:\1|\$[A-Za-z_]\w{0,63}\s{0,2}\[\s{0,2}\1)\s*(?:;\s*(?://|#)?\s*)?"""
)
_NAMED_CALL = re.compile(r"\.\s{0,2}@?[A-Za-z_]\w{0,63}\(")
_BACKTICK_VAR = re.compile(r"[\w'\")\]](?:\.|[ \t]{1,2}\.[ \t]{1,2})`\s{0,2}\$[A-Za-z_]\w{0,63}\s{0,2}`")
_CALLBACKS = r"passthru|shell_exec|proc_open|popen|pcntl_exec|assert|call_user_func(?:_array)?|create_function"
_CALLBACK_PARAM = re.compile(rf"(?:^|[&?;])[^=&\s]{{1,64}}=(?:{_CALLBACKS})(?=&|$)", re.I)
_ARGS_PARAM = re.compile(r"(?:^|[&?;])[^=&\s]{0,60}?args?(?:\[\w{0,8}\])?=", re.I)
_PATH_CALLBACK = re.compile(r"(?:^|/)(?:passthru|shell_exec|proc_open|popen|pcntl_exec)/([A-Za-z][\w.-]{0,31})[ \t]+\S",
                            re.I)
_STATEMENT_BACKTICK = re.compile(
    r"""['"]\s{0,2}[)}\]]{1,4}\s{0,2};\s{0,2}`\s{0,2}([A-Za-z][\w.-]{0,31})[^`\n]{0,200}`\s{0,2}[;}]""")


def trigger() -> bytes:
    """The prefilter pattern: each shape's fixed part (a quote, ``]`` and a dot and a name glued to ``(``; a dot and
    a backquoted variable; a callback function as a parameter value or a path segment; ``;`` and a backtick after a
    closed string and block)."""
    return (
        rb"(^|\x00)\s*[\"']\s*\]?\s*\.\s*@?[a-z_]\w*\("
        rb"|\.\s*`\s*\$[a-z_]"
        rb"|=(" + _CALLBACKS.encode() + rb")(&|\x00|$)"
        rb"|(passthru|shell_exec|proc_open|popen|pcntl_exec)/[a-z]"
        rb"|['\"]\s*[)}\]]+\s*;\s*`"
    )


def php_breakout(value: str, commands: Collection[str]) -> tuple[int, int] | None:
    """The span of a break-out in one of the module's shapes, or ``None``; ``commands`` are the command names the
    shell analyser knows (for the backquoted statement)."""
    head = value.lstrip()[:1]
    if head in ("'", '"') and len(value) <= 800 and "(" in value and (m := _CHAIN.fullmatch(value)) is not None:
        if _NAMED_CALL.search(value):
            return 0, len(value)
    if "`" in value:
        if (m := _BACKTICK_VAR.search(value)) is not None:
            return m.start(), m.end()
        for m in _STATEMENT_BACKTICK.finditer(value):
            if m.group(1).lower() in commands:
                return m.start(), m.end()
    if "=" in value and "&" in value and (m := _CALLBACK_PARAM.search(value)) is not None and _ARGS_PARAM.search(value):
        return m.start(), m.end()
    if "/" in value and (m := _PATH_CALLBACK.search(value)) is not None:
        return m.start(), m.end()
    return None
