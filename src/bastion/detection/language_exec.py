"""Commands started through a language's process API, with no shell metacharacter in the value.

The value is code (or a serialised object, or a form) that an evaluator, a deserialiser or a framework turns into a
process start; the command itself may be a plain word such as ``id``, so the separator scan in ``shell`` sees nothing:

- Groovy's ``String.execute()`` and ``List.execute()``: a string or list literal, or a name bound to one in the same
  value, followed by ``.execute()`` (``"touch /tmp/x".execute()``, ``def c='id';c.execute().text``). No other
  language has a method that runs a string; ``stmt.execute()`` on a statement object has no literal behind it.
- Lua's ``io.popen(…)`` and ``os.execute(…)``, Python's ``os.popen``/``os.system``/``subprocess.*``: called on a
  literal command a shell would run (``os.execute("id")``, ``subprocess.call(["id"])``), or on request input,
  directly or through a name the value binds to it (``local a = ngx.req.get_uri_args() … io.popen(a.cmd)``): the
  code of a web shell. A README that names ``os.system`` or calls it on a variable of its own does neither.
- .NET's ``System.Diagnostics.Process.Start("cmd.exe", "/c …")``: the file name and the arguments string read as one
  command line (code compiled from a workflow or a template, CVE-2020-0646's XOML); Python's ``os.system`` and
  friends given a literal that the code decodes first (``os.system('6563…'.decode('hex'))``,
  ``os.popen(base64.b64decode('…'))``): the command is hidden so that no filter reads it, which only an attacker needs.
- Groovy's Grape annotations ``@GrabResolver(…)`` / ``@GrabConfig(…)``, or ``@Grab(…)`` with an ``import``: the
  compiler downloads a library from the named repository and loads its classes while the script is only being
  checked (CVE-2019-1003000, CVE-2018-1000861 in Jenkins' script validation).
- XML-RPC's ``<methodName>`` naming a process function through a dotted path (``x.y.os.system``): the server
  resolves the path and calls it with the ``<param>`` strings; also that path as a whole value, as an XML parser
  hands the element's text over.
- A PHP serialised object (``O:N:"Class":…``) holding a callback string that names a process function with its
  length prefix right (``s:6:"system";``) and another string that is a command line: the gadget chain of an
  ``unserialize`` of user data, where a destructor calls the callback on the command.
- A Drupal render array in a form's keys (``x[#post_render][]=exec``, ``[#lazy_builder][0]=system``): the form API
  calls the named function on the element's ``#markup`` or arguments (CVE-2018-7600). No client sends ``#``
  properties; a form key holding one alone is the attack too.
- A whole value that is one command line of a known tool redirected into an absolute path under a system folder
  (``id >/tmp/x``, ``"uname -a >> /var/tmp/o"``, also between quotes): a query-server or hook setting that a
  shell runs. ``>`` in prose compares or points at a word, not at ``/tmp/…``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Span = tuple[int, int]

_EXECUTE_CALL = re.compile(r"[ \t]*\.[ \t]*execute[ \t]*\([ \t]*\)", re.I)
_RECEIVER_NAME = re.compile(r"(?<![\w.$])[a-z_]\w{0,63}$", re.I)
_COMMAND_START = re.compile(r"""[ \t]*(?:/[\w.-]{1,64}){0,8}[a-z]""", re.I)
_LIST_START = re.compile(r"""\[[ \t]*['"][ \t]*(?:/[\w.-]{1,64}){0,8}[a-z]""", re.I)
_BOUND_LITERAL = r"(?<![\w.$]){name}[ \t]*=[ \t]*(?:['\"][ \t]*(?:/[\w.-]{{1,64}}){{0,8}}[a-z]|\[[ \t]*['\"][a-z/])"
"""``name = 'cmd'`` or ``name = ['cmd', …]`` (Groovy's ``def name='id'``): the literal a later ``name.execute()``
runs."""
_LOOK_BACK = 400
_MAX_CALLS = 16
"""How many calls one value has judged: the names' bindings are searched once per call."""

_PROCESS_CALL = re.compile(
    r"(?<![\w$])(?:io[ \t]*\.[ \t]*popen|os[ \t]*\.[ \t]*(?:execute|popen|system|spawn[lv]p?e?|exec[lv]p?e?)"
    r"|subprocess[ \t]*\.[ \t]*(?:call|run|popen|check_output|check_call|getoutput|getstatusoutput)"
    r"|(?:system[ \t]*\.[ \t]*diagnostics[ \t]*\.[ \t]*)?process[ \t]*\.[ \t]*start)"
    r"[ \t]*\([ \t]*",
    re.I,
)
_DOTNET_ARGUMENTS = re.compile(r"""[ \t]*(['"])([^'"\n]{1,200})\1[ \t]*(?:,[ \t]*(['"])([^'"\n]{0,200})\3)?""")
"""``Process.Start("cmd.exe", "/c ping x")``: the file name and the arguments string."""
_DECODED_LITERAL = re.compile(
    r"""(?:(['"])[^'"\n]{1,2000}\1[ \t]*\.[ \t]*decode[ \t]*\([ \t]*['"](?:hex|base64|rot13|rot_13|zlib)['"]"""
    r"|(?:base64[ \t]*\.[ \t]*(?:b64|b32|b16|urlsafe_b64)decode|bytes[ \t]*\.[ \t]*fromhex|codecs[ \t]*\."
    r"[ \t]*decode|binascii[ \t]*\.[ \t]*(?:unhexlify|a2b_base64))[ \t]*\()",
    re.I,
)
"""A literal decoded at run time as a process call's argument: the command is hidden from whoever reads the code."""
_GRAPE = re.compile(
    r"@Grab(?:Resolver|Config)[ \t]*\(|@Grab[ \t]*\((?=[^\n]{0,300}\n(?:[^\n]{0,300}\n){0,8}?[ \t]*import[ \t]+[\w.]+)")
"""Grape annotations: a repository to fetch from, the checksum switch, or a library grabbed and then imported."""
_LITERAL_ARGUMENT = re.compile(r"""(\[?)[ \t]*(['"])[ \t]*((?:/[\w.-]+)*[a-z][\w.-]*)""", re.I)
_ARGV = re.compile(r"""\[([^\]\n]{1,300})\]""")
_ARGV_ITEM = re.compile(r"'([^'\n]*)'|\"([^\"\n]*)\"")
_SYSTEM_PATH = re.compile(r"(?:^|\s)/(?:etc|proc|root|sys|dev)/")
"""An argument vector (``subprocess.run(['ls'])``) runs no shell: code samples pass one all the time, so it counts
only as a probe (an unambiguous tool, a whole probing command line) or when it reads a system file."""
_REQUEST_INPUT = (
    r"(?:ngx[ \t]*\.[ \t]*(?:req[ \t]*\.|var[ \t]*\.[ \t]*arg_)|request[ \t]*\.[ \t]*(?:args|get|post|form|values"
    r"|json|data|params|query|cookies|headers)\b|req[ \t]*\.[ \t]*(?:query|body|params|cookies|headers)\b"
    r"|\$_(?:GET|POST|REQUEST|COOKIE)\b|getParameter[ \t]*\()"
)
_INPUT = re.compile(_REQUEST_INPUT, re.I)
_ARGUMENT_ROOT = re.compile(r"(?:tostring[ \t]*\([ \t]*)?([a-z_]\w{0,63})", re.I)
_BOUND_INPUT = r"(?<![\w.$]){name}[ \t]*=[^=\n;]{{0,120}}?" + _REQUEST_INPUT.replace("{", "{{").replace("}", "}}")

_PYTHON_PROCESS = (
    r"(?:os[ \t]*\.[ \t]*(?:system|popen|spawn[lv]p?e?|exec[lv]p?e?)"
    r"|subprocess[ \t]*\.[ \t]*(?:call|run|Popen|check_output|check_call|getoutput|getstatusoutput)"
    r"|commands[ \t]*\.[ \t]*getoutput|pty[ \t]*\.[ \t]*spawn)"
)
_XMLRPC_PROCESS = re.compile(
    r"<methodName>[ \t]*(?:[\w-]+[ \t]*\.[ \t]*)*" + _PYTHON_PROCESS + r"[ \t]*</methodName>", re.I)
_DOTTED_PROCESS = re.compile(r"\s*(?:[a-z_][\w-]{0,63}[ \t]*\.[ \t]*){1,32}" + _PYTHON_PROCESS + r"\s*", re.I)
"""The text of that ``<methodName>`` once an XML parser has taken the document apart: a dotted path that walks through
attributes to a process function (``app.x.linecache.os.system``). ``os.system`` on its own names the function."""

_PHP_PROCESS_FUNCTIONS = frozenset({"system", "exec", "passthru", "shell_exec", "popen", "proc_open", "pcntl_exec"})
_SERIALIZED_OBJECT = re.compile(r"\bO:\d{1,4}:\"[\w\\]{1,128}\":\d{1,4}:\{")
_SERIALIZED_STRING = re.compile(r"\bs:(\d{1,4}):\"")

_RENDER_CALLBACK = re.compile(
    r"\[#(?:post_render|pre_render|lazy_builder|access_callback|value_callback|element_validate|process"
    r"|after_build)\](?:\[\w{0,16}\]){0,4}(?:[ \t]*=[ \t]*(passthru|exec|system|shell_exec|popen|proc_open"
    r"|pcntl_exec|assert|eval|call_user_func(?:_array)?|create_function)\b|[ \t]*$)",
    re.I,
)

_REDIRECTED_LINE = re.compile(
    r"[ \t]*(['\"]?)[ \t]*(?:(?:/usr)?/s?bin/)?([a-z][\w.-]{0,31})((?:[ \t]+[^\s<>|;&'\"`$]{1,200}){0,8}?)[ \t]*"
    r"\d?>>?[ \t]*/(?:tmp|var|dev|etc|root|home|usr|opt|srv|run|mnt|proc)/(?:[\w.-]{1,128}/){0,16}[\w.-]{1,128}"
    r"[ \t]*\1[ \t\r\n]*",
    re.I,
)

_CALL_HINTS = ("popen", "POPEN", "Popen", "os.", "OS.", "os .", "subprocess", "SUBPROCESS", "Subprocess",
               "rocess.Start", "rocess.start", "ROCESS.START")


def language_exec(value: str, tools: frozenset[str], is_command: Callable[[str, bool], bool],
                  prose: frozenset[str]) -> Span | None:
    """The span of a process started through a language API (see the module docstring). ``tools`` are the command
    names that count, ``is_command(text, strict)`` says whether a text opens with a command line (with ``strict``, a
    probe: an unambiguous tool or a whole probing command line), ``prose`` are function words no
    command line holds."""
    if ("xecute" in value or "XECUTE" in value) and (found := _groovy_execute(value)):
        return found
    if "(" in value and any(h in value for h in _CALL_HINTS) and (found := _process_call(value, is_command)):
        return found
    if "@Grab" in value and (grape := _GRAPE.search(value)):
        return grape.start(), grape.end()
    if "ethodName>" in value and (rpc := _XMLRPC_PROCESS.search(value)):
        return rpc.start(), rpc.end()
    if len(value) < 600 and "." in value and process_path(value):
        return 0, len(value)
    if "O:" in value and "s:" in value and (found := _serialized_callback(value, is_command)):
        return found
    if "[#" in value and (render := _RENDER_CALLBACK.search(value)):
        return render.start(), render.end()
    if len(value) < 600 and ">" in value and (line := _REDIRECTED_LINE.fullmatch(value)) and (
            line.group(2).lower() in tools and not any(w.lower() in prose for w in line.group(3).split())):
        return 0, len(value)
    return None


def process_path(value: str) -> bool:
    """``value`` is a dotted path walking through attributes to a process function (``_DOTTED_PROCESS``): a single
    token that the engine's inert-token shortcut would otherwise leave unread."""
    low = value.lower()
    return (".os." in low or ".subprocess." in low or ".commands." in low or ".pty." in low) and (
        _DOTTED_PROCESS.fullmatch(value) is not None)


def _groovy_execute(value: str) -> Span | None:
    """``.execute()`` on a string or list literal that opens with a command, or on a name bound to one before."""
    for count, call in enumerate(_EXECUTE_CALL.finditer(value)):
        if count >= _MAX_CALLS:
            break
        start = call.start()
        head = value[max(0, start - _LOOK_BACK) : start]
        end = head[-1:]
        if end in ("'", '"'):
            opening = head.rfind(end, 0, len(head) - 1)
            if opening >= 0 and "\n" not in head[opening:] and _COMMAND_START.match(head, opening + 1):
                return start - len(head) + opening, call.end()
        elif end == "]":
            opening = head.rfind("[")
            if opening >= 0 and _LIST_START.match(head, opening):
                return start - len(head) + opening, call.end()
        elif (name := _RECEIVER_NAME.search(head)) and re.search(
                _BOUND_LITERAL.format(name=re.escape(name.group())), value[:start], re.I):
            return start - len(name.group()), call.end()
    return None


def _process_call(value: str, is_command: Callable[[str, bool], bool]) -> Span | None:
    has_input = None
    for count, call in enumerate(_PROCESS_CALL.finditer(value)):
        if count >= _MAX_CALLS:
            break
        if _DECODED_LITERAL.match(value, call.end()):
            return call.start(), call.end()
        if call.group().rstrip(" \t(")[-5:].lower() == "start":  # .NET: file name and arguments
            args = _DOTNET_ARGUMENTS.match(value, call.end())
            if args and is_command(f"{args.group(2)} {args.group(4) or ''} ", False):
                return call.start(), args.end()
            continue
        literal = _LITERAL_ARGUMENT.match(value, call.end())
        if literal is not None:
            if literal.group(1):
                argv = _ARGV.match(value, literal.start())
                line = " ".join(a or b for a, b in _ARGV_ITEM.findall(argv.group(1))) if argv else ""
                if line and (is_command(line + " ", True) or _SYSTEM_PATH.search(line)):
                    return call.start(), argv.end() if argv else literal.end()
                continue
            if is_command(value[literal.start(3) : literal.start(3) + 200].split(literal.group(2), 1)[0] + " ", False):
                return call.start(), literal.end()
            continue
        if has_input is None:
            has_input = _INPUT.search(value) is not None
        if not has_input:
            continue
        if _INPUT.match(value, call.end()):
            return call.start(), call.end()
        root = _ARGUMENT_ROOT.match(value, call.end())
        if root and re.search(_BOUND_INPUT.format(name=re.escape(root.group(1))), value, re.I):
            return call.start(), root.end()
    return None


def _serialized_callback(value: str, is_command: Callable[[str, bool], bool]) -> Span | None:
    """A serialised object with a process function as a string (length prefix right) and a command line as another."""
    if _SERIALIZED_OBJECT.search(value) is None:
        return None
    callback: Span | None = None
    command = False
    for m in _SERIALIZED_STRING.finditer(value):
        length = int(m.group(1))
        if length > _LOOK_BACK:
            continue
        text = value[m.end() : m.end() + length]
        if len(text) != length or value[m.end() + length : m.end() + length + 1] != '"':
            continue
        if text.lower() in _PHP_PROCESS_FUNCTIONS:
            callback = callback or (m.start(), m.end() + length + 1)
        elif not command and " " in text and is_command(text + " ", False):
            command = True
        if callback and command:
            return callback
    return None


def trigger() -> bytes:
    """The prefilter pattern for the shapes no separator trigger sees: a Python process call with no parenthesis
    glued to it (an XML-RPC method name), a render-array callback key, a value opening with a command whose output
    goes to a system folder (``\\x00`` joins values in a batch scan)."""
    return (
        rb"(?:^|[^\w$])(?:os|subprocess|commands|pty)\s*\.\s*(?:system|popen|spawn|exec|call|run|check_|getoutput"
        rb"|getstatusoutput)|process\s*\.\s*start\s*\(|@grab|\[#(?:post_render|pre_render|lazy_builder|access_callback|value_callback|element_validate"
        rb"|process|after_build)\]"
        rb"|(?:^|\x00)\s*['\"]?\s*[a-z/][\w./-]*[^\x00\n<>|;&]{0,200}>\s*/(?:tmp|var|dev|etc|root|home|usr|opt|srv|run"
        rb"|mnt|proc)/"
    )
