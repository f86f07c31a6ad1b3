"""Escapes from expression sandboxes: what an attacker types into a field an application evaluates with a "safe"
evaluator (Python's simpleeval, asteval, RestrictedPython; JavaScript's static-eval, safe-eval, vm, JSONPath filter
scripts) to reach the interpreter behind it (fresh52). The evaluators refuse these; a WAF in front sees them first.

Python (``python_escape``, ssti):

- an attribute walk to the interpreter's internals: ``__globals__``, ``__builtins__``, ``__subclasses__``, ``__mro__``,
  ``__bases__``/``__base__``, ``__code__``, ``__closure__``, ``__getattribute__``, Python 2's ``func_globals``, a
  generator's or traceback's frame (``gi_frame``, ``f_back``, ``f_globals``, ``f_builtins``, ``tb_frame``), read with
  a dot, ``getattr(x, "…")`` or a ``['…']`` subscript. Two such steps in a row (``().__class__.__bases__[0]``,
  ``gi_frame.f_back``, ``__init__.__globals__``) count anywhere; one counts when the value is code, not prose
  (``cls.__subclasses__()`` in a sentence about plugins is prose);
- a weaker dunder read (``__class__``, ``__dict__``, ``__traceback__``, ``__self__``, ``__func__``, ``__reduce__``) in
  a short value that is code, whose walk does not end in a harmless name (``__name__``, ``__qualname__``, ``__doc__``,
  ``__module__``) and does not start at ``self`` or ``cls`` (a sandbox has neither; a method body has both);
- a code value that imports a module that reaches the host (``import sys``, ``import builtins as glb``), or calls
  ``open``, ``exec``, ``eval`` or ``compile`` on a string literal as a plain function (not a method: ``re.compile``).

JavaScript (``js_escape``, ssti):

- the ``Function`` constructor reached through ``constructor`` twice (``@.constructor.constructor``,
  ``["constructor"]["constructor"]``) or through a built-in method's ``constructor`` (JSFuck's
  ``[]["filter"]["constructor"]``);
- a computed ``"constructor"`` key whose result is called with a code string and called again
  (``…)("constructor")("alert(1)")()``), and ``Function("…")()`` / ``new Function("…")()`` run at once;
- a JSONPath filter or script expression (``$[?(…)]``, ``$[(…)]``) whose body runs host code: ``require(``,
  ``eval(``, ``Function(``, ``process.``, ``import(``, a function or arrow expression, ``constructor``, ``__proto__``,
  or an indirect call ``(0, eval)(…)``; JSONPath filters compare ``@`` members and call RFC 9535's functions;
- a blocked name spelled by joining string literals (``"__pro"+"to__"``, ``'const' + 'ructor'``).

Commands (``popen_read``, cmdi): a ``popen`` of a string literal whose output is read (``x.mod.popen('id').read()``),
whatever the receiver is called: ``language_exec`` reads ``os.popen`` by name, an escape reaches ``os`` under another.

Every pattern is bounded; the code/prose test walks the value's tokens once: linear in the value.
"""

from __future__ import annotations

import re
from itertools import pairwise

Span = tuple[int, int] | None

_STRONG = (
    r"__(?:globals|builtins|subclasses|mro|bases|base|code|closure|getattribute|loader|spec|import)__"
    r"|func_globals|func_code|gi_frame|gi_code|f_globals|f_builtins|f_locals|f_back|tb_frame|cr_frame|ag_frame"
)
_WEAK = r"__(?:class|dict|traceback|self|func|reduce|reduce_ex|init)__"
_STEP = re.compile(
    r"(?:\.[ \t]*|getattr[ \t]*\([^,()\n]{0,60},[ \t]*['\"]|\[[ \t]*['\"]|(?<=['\"]))"
    r"(?P<name>" + _STRONG + "|" + _WEAK + r")(?![\w])"
)
"""One step of an attribute walk: ``.name``, ``getattr(x, 'name'``, ``['name'`` or a name that opens a string
(``attrgetter("__class__.__init__…")``)."""
_STRONG_NAME = re.compile(_STRONG)
_HARMLESS_END = re.compile(r"[ \t]*\.[ \t]*__(?:name|qualname|doc|module)__(?![\w])")
_SELF_RECEIVER = re.compile(r"(?<![\w.])(?:self|cls)[ \t]*$")
_CHAIN_GAP = re.compile(r"(?:\(\)|\[[^\[\]\n]{0,16}\]|['\"][ \t]*[,)]?)?[ \t]*")
"""What may stand between two steps of one walk: a call ``()``, a subscript ``[0]``, the end of a string."""
_MODULES = (
    r"os|sys|subprocess|socket|builtins|__builtin__|pty|shutil|ctypes|importlib|posix|nt|commands|pickle"
    r"|marshal|code|multiprocessing|signal|platform|inspect|gc"
)
_IMPORT = re.compile(
    r"[ \t]*(?:import[ \t]+(?:"
    + _MODULES
    + r")(?:[ \t]+as[ \t]+\w+)?|from[ \t]+(?:"
    + _MODULES
    + r")[ \t]+import[ \t]+[\w, \t]+)[ \t;]*"
)
"""A value that is one import of a module that reaches the host (``import sys``): a script imports and goes on
(``import os\nprint(os.environ…)`` is a code sample)."""
_BUILTINS_IMPORT = re.compile(r"(?:^|\n)[ \t]*import[ \t]+(?:builtins|__builtin__)\b")
"""Importing the builtins module itself, which only code that rebinds or reaches ``getattr``/``__import__`` does."""
_CALL = re.compile(r"(?<![\w.$])(?:exec|eval|execfile)[ \t]*\([ \t]*[rbuf]?(['\"])[^'\"\n]{0,200}\1[ \t]*[,)]")
"""``exec``/``eval`` of a string literal as a plain function (``model.eval()`` is a method)."""
_OPEN = re.compile(r"[ \t]*open[ \t]*\([ \t]*[rbuf]?(['\"])[^'\"\n]{1,200}\1[ \t]*,[ \t]*(['\"])[rwabx+t]{1,3}\2")
"""A value that starts with ``open("file", "mode")``: the probe for a file handle (``with open(…) as f:`` in a code
sample starts with ``with``)."""
_KEYWORDS = frozenset(
    {
        "and",
        "as",
        "assert",
        "async",
        "await",
        "break",
        "class",
        "continue",
        "def",
        "del",
        "elif",
        "else",
        "except",
        "finally",
        "for",
        "from",
        "global",
        "if",
        "import",
        "in",
        "is",
        "lambda",
        "nonlocal",
        "not",
        "or",
        "pass",
        "raise",
        "return",
        "try",
        "while",
        "with",
        "yield",
        "None",
        "True",
        "False",
        "new",
        "typeof",
        "instanceof",
        "var",
        "let",
        "const",
        "function",
        "void",
        "delete",
        "of",
        "case",
        "throw",
    }
)
_TOKEN = re.compile(
    r"[A-Za-z_]\w*|'(?:[^'\\\n]|\\.){0,400}'|\"(?:[^\"\\\n]|\\.){0,400}\"|#[^\n]*|//[^\n]*|[ \t]+|\n|\S"
)
_CODE_LIMIT = 4000


def _is_code(value: str, *, marked: bool = True) -> bool:
    """No two plain words side by side outside strings and comments (``Why does obj.__dict__ not show`` is prose;
    ``except Exception as e`` pairs each word with a keyword), and (when ``marked``) a code punctuation mark."""
    if len(value) > _CODE_LIMIT:
        return False
    prev_word = ""
    gap = False
    punct = False
    for m in _TOKEN.finditer(value):
        tok = m.group()
        c = tok[0]
        if c.isalpha() or c == "_":
            if prev_word and gap and prev_word not in _KEYWORDS and tok not in _KEYWORDS:
                return False
            prev_word, gap = tok, False
        elif c in " \t":
            gap = True
        else:
            if c == "\n":
                pass
            elif c in "'\"#" or tok.startswith("//"):
                punct = punct or c in "'\""
            else:
                punct = punct or c in "().[]{}=:,"
            prev_word, gap = "", False
    return punct or not marked


def _walks(value: str) -> tuple[list[re.Match[str]], bool]:
    """The walk's steps, and whether two of them follow each other with at least one strong (a chain)."""
    steps = list(_STEP.finditer(value))[:64]
    chained = False
    for a, b in pairwise(steps):
        if (_STRONG_NAME.fullmatch(a.group("name")) or _STRONG_NAME.fullmatch(b.group("name"))) and (
            _CHAIN_GAP.fullmatch(value, a.end(), b.start())
        ):
            chained = True
            break
    return steps, chained


def python_escape(value: str) -> Span:
    """The span of a Python sandbox escape (the module docstring's forms), or ``None``."""
    if (
        "__" not in value
        and "_globals" not in value
        and "_frame" not in value
        and "f_back" not in value
        and ("import" not in value and "(" not in value)
    ):
        return None
    if "__" in value or "_frame" in value or "f_back" in value or "_globals" in value or "f_builtins" in value:
        steps, chained = _walks(value)
        if chained:
            return steps[0].start(), steps[-1].end()
        code = None
        for step in steps:
            strong = _STRONG_NAME.fullmatch(step.group("name")) is not None
            if _SELF_RECEIVER.search(value, max(0, step.start() - 40), step.start()):
                continue
            if not strong and (len(value) > 400 or _HARMLESS_END.match(value, step.end())):
                continue
            if code is None:
                code = _is_code(value)
            if code:
                return step.start(), step.end()
    if ("import" in value or "(" in value) and len(value) <= _CODE_LIMIT:
        if (
            "import" in value
            and (imported := _IMPORT.fullmatch(value) or _BUILTINS_IMPORT.search(value))
            and (_is_code(value, marked=False))
        ):
            return imported.start(), imported.end()
        if "(" in value and (called := _OPEN.match(value) or _CALL.search(value)) and _is_code(value):
            return called.start(), called.end()
    return None


_Q = "['\"`]"
_FUNCTION_REACH = re.compile(
    r"constructor[ \t]*+(?:" + _Q + r"[ \t]*+)?(?:\][ \t]*+)?(?:\.[ \t]*+|\[[ \t]*+" + _Q + r")constructor\b"
    r"|\[[ \t]*" + _Q + r"(?:filter|map|sort|at|concat|fill|find|flat|some|every|reduce|join|slice|push|pop|toString"
    r"|valueOf|bind|call|apply|sub|big|anchor|italics|fontcolor|trim)"
    + _Q
    + r"[ \t]*\][ \t]*\[[ \t]*"
    + _Q
    + r"constructor"
    + _Q
    + r"|(?:\[[ \t]*\]|''|\"\"|\{[ \t]*\})[ \t]*\.[ \t]*[a-z]\w{0,20}[ \t]*\.[ \t]*constructor\b",
    re.I,
)
_CODE_STRING_CALL = re.compile(r"\)[ \t]*\([ \t]*(['\"`])[^'\"`\n]{0,200}\1[ \t]*\)[ \t]*\([ \t]*\)")
_FUNCTION_RUN = re.compile(r"(?<![\w$.])(?:new[ \t]+)?Function[ \t]*\([ \t]*(['\"`])[^'\"`\n]{0,200}\1[ \t]*\)[ \t]*\(")
_FILTER_OPEN = re.compile(r"\[[ \t]*\??[ \t]*\(")
_FILTER_CODE = re.compile(
    r"(?<![\w$.@])(?:require|eval|Function|import|setTimeout|setInterval|fetch)[ \t]*\("
    r"|(?<![\w$.@])process[ \t]*\.|(?<![\w$])function[ \t]*\w{0,40}[ \t]*\(|=>|\bconstructor\b|__proto__|\bglobalThis\b"
    r"|\([ \t]*\d+[ \t]*,[ \t]*[\w$.]+[ \t]*\)[ \t]*\("
)
_JOINED = re.compile(r"(['\"`])(\w{0,20})\1(?:[ \t]*\+[ \t]*(['\"`])\w{0,20}\3){1,8}")
_JOIN_PART = re.compile(r"['\"`](\w{0,20})['\"`]")
_BLOCKED_NAMES = (
    "__proto__",
    "constructor",
    "prototype",
    "__globals__",
    "__builtins__",
    "__class__",
    "__subclasses__",
    "__import__",
    "child_process",
)


def js_escape(value: str) -> Span:
    """The span of a JavaScript sandbox escape (the module docstring's forms), or ``None``."""
    if "onstructor" in value and (reach := _FUNCTION_REACH.search(value)):
        return reach.start(), reach.end()
    if "constructor" in value and (called := _CODE_STRING_CALL.search(value)):
        return called.start(), called.end()
    if "Function" in value and (run := _FUNCTION_RUN.search(value)):
        return run.start(), run.end()
    if "$" in value and "(" in value:
        for n, m in enumerate(_FILTER_OPEN.finditer(value)):
            if n == 16:
                break
            if value[max(0, m.start() - 200) : m.start()].rfind("$") < 0:
                continue
            end = value.find(")]", m.end(), m.end() + 400)
            if end > 0 and _FILTER_CODE.search(value, m.end(), end):
                return m.start(), end + 2
    if "+" in value:
        for n, m in enumerate(_JOINED.finditer(value)):
            if n == 16:
                break
            joined = "".join(_JOIN_PART.findall(m.group()))
            if any(name in joined for name in _BLOCKED_NAMES):
                return m.start(), m.end()
    return None


_POPEN_READ = re.compile(r"\.[ \t]*popen[ \t]*\([ \t]*(['\"])[^'\"\n]{1,200}\1[ \t]*\)[ \t]*\.[ \t]*read[ \t]*\(", re.I)


def popen_read(value: str) -> Span:
    """A ``popen`` of a string literal whose output is read, on any receiver (``c.mod.popen('id').read()``)."""
    if "popen" not in value and "POPEN" not in value and "Popen" not in value:
        return None
    found = _POPEN_READ.search(value)
    return None if found is None else (found.start(), found.end())


SSTI_TRIGGER = (
    rb"__(?:globals|builtins|subclasses|mro|bases|base|code|closure|getattribute|loader|spec|import|class"
    rb"|dict|traceback|self|func|reduce|reduce_ex)__|func_globals|gi_frame|f_back|f_globals|f_builtins"
    rb"|tb_frame|(?:^|\x00|\n)[ \t]*(?:import|from)[ \t]|(?:open|exec|eval|execfile)[ \t]*\("
    rb"|constructor|function[ \t]*\(|\[[ \t]*\??[ \t]*\(|['\"`][ \t]*\+[ \t]*['\"`]"
)
"""What the ssti analyser's sandbox forms need (the prefilter's ssti trigger has ``__globals__`` and a few more)."""
