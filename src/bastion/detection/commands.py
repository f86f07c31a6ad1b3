"""A whole value that is a shell command line: a system tool and its arguments, with no separator before it.

An application that hands a field to ``sh -c`` or ``cmd /c`` (a "ping this host" form, a diagnostics
endpoint, a build step) runs a bare ``uname -a`` as readily as ``; uname -a``, and scanners probe with
exactly that. The separator rules in ``shell`` cannot see it, so this module decides, for the trimmed
value as a whole, whether it reads as one command: its first word a system tool, then the end of the
value or arguments that only a shell reads (an option, a system path, an address, a number).

What makes it careful is the tool list. API data names tools all the time: a GitHub topic ``curl``, a
runbook field ``ping -c 4 example.com``, a ticket ``tail -f /var/log/syslog``, a User-Agent
``curl/8.4``. So only three kinds of first word count:

- *recon and attack tools* that no ordinary value starts with and that take arguments (``nslookup``,
  ``zstdcat``, ``certutil``, ``ansible-vault``, ``cscli`` …); a few of them also on their own
  (``uname``, ``ipconfig``, ``netstat``);
- *common tools in their probing form only*: ``sleep 5``, ``ping -n 10 127.0.0.1`` (an address, not
  a host name), ``perl -e '…'``, ``bash -c …``, ``cmd /c …``, ``base64 -d``, ``which wget``,
  ``curl https://…`` with nothing but the URL, a directory listing of a system root (``ls -l /etc``,
  ``dir C:\\``);
- *destructive tools in their destructive form only*, as the whole value and never inside a pipeline
  (``destructive_command``; fresh64, Aikido Zen's tests): ``rm`` recursive or forced with no target or a system root
  as the target (``rm -rf``, ``rm -rf /``), ``chmod`` to a world-writable or set-id mode and ``chown`` to root, with
  no target or a system folder as the target (``chmod 777``, ``chown root``). ``rm -rf node_modules``,
  ``chmod 755 deploy.sh`` and ``chown www-data /var/www`` name the project's own files, ``find … | xargs rm -rf``
  is a pipeline a cheat sheet shows, and the power commands (``shutdown -r now``) are cheat-sheet entries too
  (fresh56's look-alikes): all stay data;
- never an English word on its own (``id``, ``time``, ``date``, ``more``, ``sort``, ``find``,
  ``test``) and never a value with prose in it (a function word such as *the*, *and*, *is*) or with a
  separator (a pipe line is a snippet, judged by ``shell``'s snippet rules).

Documentation commands with headers, data and flags (``curl -H 'Accept: …' https://…``,
``ls -la /var/log/nginx/``, ``chmod 755 deploy.sh``) stay data: they read like what they are.
"""

from __future__ import annotations

import re

RECON = frozenset({
    # system and network reconnaissance
    "uname", "ifconfig", "ipconfig", "iwconfig", "netstat", "nslookup", "systeminfo", "tasklist", "taskkill",
    "getmac", "hostnamectl", "lsb_release", "nbtstat", "qwinsta", "quser", "getent", "traceroute", "tracert",
    "lscpu", "lsmod", "lspci", "lsusb", "lsblk", "dmesg", "printenv", "wmic", "whoami",
    # network clients and scanners
    "ncat", "netcat", "socat", "nmap", "masscan", "tcpdump", "tshark", "hping3", "fping", "smbclient",
    "tftp", "aria2c", "lwp-download", "lwp-request", "wget",
    # Windows living-off-the-land binaries
    "certutil", "bitsadmin", "mshta", "rundll32", "regsvr32", "cscript", "wscript", "icacls", "cacls",
    "schtasks", "vssadmin", "wevtutil", "reg.exe", "net.exe", "pwsh", "powershell",
    # archives read to stdout, encoders
    "zcat", "bzcat", "xzcat", "zstdcat", "lz4cat", "gunzip", "bunzip2", "unxz", "unzstd", "zstd", "uudecode",
    "uuencode", "base32", "basenc",
    # accounts, firewall, processes, tracing
    "useradd", "usermod", "userdel", "chpasswd", "visudo", "iptables", "pkill", "killall", "strace", "ltrace",
    # configuration management and security agents driven from a shell
    "ansible", "salt-call", "cscli",
    # Windows package manager and registry editor, PowerShell's evaluate cmdlet
    "winget", "regedit", "invoke-expression",
})
"""Tools no ordinary value starts with: any plain arguments after them make a command line."""
RECON_PREFIXES = ("ansible-", "chef-")
"""Tool families named by prefix (``ansible-vault``, ``ansible-playbook``, ``chef-client``)."""
SUBCOMMAND_CLIS = frozenset({"cscli", "salt-call", "getent"})
"""Recon tools taking a plain word first (``cscli decisions list``, ``getent shadow``); others need a shell argument."""
ALONE = frozenset({"uname", "ifconfig", "ipconfig", "netstat", "systeminfo", "tasklist", "getmac", "hostnamectl"})
"""Recon tools that are a complete probe on their own. ``whoami`` is left out: ``/whoami`` is a common API endpoint
and a path segment reaches the detector as a value of its own."""
INTERPRETERS = frozenset({"perl", "python", "python2", "python3", "ruby", "php", "node", "lua", "sh", "bash", "zsh",
                          "ksh", "dash", "csh", "tcsh", "ash", "busybox"})
SHELLS = frozenset({"sh", "bash", "zsh", "ksh", "dash", "csh", "tcsh", "ash", "busybox"})
LOOKUP = frozenset({"which", "whereis"})
_FIRST = re.compile(r"\s*['\"]?(?:(?:/usr)?/s?bin/)?([a-z][a-z0-9_+-]*(?:\.exe)?)['\"]?(?=\s|$)", re.I)
_TOKEN = re.compile(r"""(?:[\w./:@=,+~*?%\\-]+|'[^'\n]{0,200}'|"[^"\n]{0,200}")""")
PROSE_WORDS = frozenset({"the", "a", "an", "is", "are", "was", "be", "and", "or", "but", "for", "to", "of", "in", "on",
                    "with", "that", "this", "it", "my", "your", "i", "we", "you", "not", "how", "why", "what",
                    "does", "do", "can", "when", "if", "please", "me"})
"""Function words: a command line has none, prose always does ("curl and divergence", "nmap is great")."""
_IP = r"(?:\d{1,3}\.){3}\d{1,3}|\[?[0-9a-f:]*:[0-9a-f:]+\]?"
_SHELL_ARG = re.compile(
    r"[-/~.$]|[a-z]:\\|[a-z]:[*?]|[a-z]+://|[\w-]+\.[\w.-]+|(?-i:HKEY_|HK(?:LM|CU|CR|CC|U)(?:[\\:A-Z]|$))", re.I)
"""A first argument only a shell reads: an option or a Windows switch, a path, a variable, a URL, an address, a
dotted host or file name or a registry hive (``HKLM\\Software``).
A plain word or a number after ``nmap`` reads as a search ("nmap tutorial", "wget 2")."""
_LOWER_WORD = re.compile(r"[a-z][a-z0-9_./-]*|--?[a-z][a-z0-9-]*")
"""A subcommand, a name or an option (``alerts``, ``list``, ``passwd``, ``-m``); a capitalised word reads as a title
("Ansible Tower")."""
_SLEEP = re.compile(r"\s+\d+(?:\.\d+)?[smhd]?\s*", re.I)
_PING = re.compile(rf"(?:\s+-[a-z]+(?:\s+\d+)?)*\s+(?:{_IP})\s*", re.I)
"""``ping`` at an address, with count/interval options: the classic time-delay probe. ``ping -c 4 example.com`` in a
runbook names a host."""
_INTERPRETER_CODE = re.compile(r"(?:\s+-[a-z]*[ecr]|\s+-i\b|\s+-s\b)", re.I)
"""An interpreter told to run the next argument as code (``perl -e``, ``python -c``, ``php -r``, ``bash -c``,
``bash -i``)."""
_WINDOWS_SHELL = re.compile(r"\s+/[ck]\s+\S", re.I)
_DECODE = re.compile(r"\s+(?:-d\b|--decode\b|-D\b|-r\b)", re.I)
_FETCH = re.compile(r"(?:\s+-[a-z]{1,3}(?:\s+/[\w./-]+)?)*\s+(?:https?://|ftp://)?[\w.-]+\.[a-z]{2,}(?::\d+)?(?:/\S*)?\s*"
                    rf"|(?:\s+-[a-z]{{1,3}})*\s+(?:https?://)?(?:{_IP})(?::\d+)?(?:/\S*)?\s*", re.I)
"""``curl``/``wget`` with a URL and at most short flags: a fetch that calls out. An API example sets headers,
data or a method and reads as documentation."""
_SYSTEM_LISTING = re.compile(r"(?:\s+-[a-z]+)*\s+(?:/(?:etc|root|home|proc|boot)?/?\*?|[a-z]:\\?(?:[\w ]*\\?\*?)?)\s*",
                             re.I)
"""``ls``/``dir`` of a system root (``ls -l /etc/``, ``dir C:\\``); ``ls -la /var/log/nginx/`` is a runbook line."""
_WINDOWS_ROOT_LISTING = re.compile(r"\s+(?:/[a-z]\s+)*[a-z]:\\(?:[\w .()-]+\\)?\*?\s*", re.I)
"""``dir`` of a drive root or of one folder under it, whatever the folder's name (``dir C:\\Documents and Settings\\*``,
``dir /a C:\\Users\\``)."""
_PS_FETCH = re.compile(r"\s+['\"]?(?:https?|ftp)://\S+\s*", re.I)
"""``Invoke-WebRequest http://host/x.ps1``: a download with nothing but the address, the fetch a probe runs. A
documentation line names its parameters (``-Uri … -OutFile …``)."""
_NC = re.compile(rf"\s+(?:-[a-z]*[elvpnuz]|(?:{_IP})\b)", re.I)
_PERF = re.compile(r"\s+--?[a-z]", re.I)
TOOL_NAMES = RECON | INTERPRETERS | LOOKUP | {"sleep", "ping", "nc", "cmd", "base64", "xxd", "curl", "ls", "dir",
                                               "perf", "net", "expr", "set",
                                               "invoke-webrequest", "invoke-restmethod", "iwr", "irm"}
DESTRUCTIVE = frozenset({"rm", "chmod", "chown"})
"""Tools read only in their destructive form, as the whole value (``destructive_command``); not in ``TOOL_NAMES``,
which ``shell`` reads, and not in ``bare_command``, which ``shell`` also calls on the segments of a pipeline."""
_SYSTEM_TARGET = r"(?:/\*?|~/?|/(?:etc|root|home|usr|var|bin|sbin|boot|lib|lib64|opt|srv|sys|proc|dev)(?:/[\w.*-]*)*)"
_RM = re.compile(
    r"(?:\s+(?:-[a-z]*[rf][a-z]*|--(?:recursive|force|no-preserve-root)))+(?:\s+" + _SYSTEM_TARGET + r")*\s*", re.I)
_CHMOD = re.compile(
    r"(?:\s+-[rR])?\s+(?:0?[0-7]?[0-7][0-7][2367]|[2467][0-7]{3}|[ugoa]*\+[rwx]*s[rwx]*|[oa]\+[rx]*w[rx]*)"
    r"(?:\s+" + _SYSTEM_TARGET + r")*\s*")
_CHOWN = re.compile(r"(?:\s+-[rR])?\s+(?:root|0)(?::(?:root|0))?(?:\s+" + _SYSTEM_TARGET + r")*\s*", re.I)
_LOOKED_UP = RECON | INTERPRETERS | {"nc", "curl", "gcc", "cc", "base64", "xxd", "ping", "id", "cat"}
"""What a probe asks ``which``/``whereis`` for: a tool it wants to run next."""
_NET_VERB = re.compile(r"\s+(?:user|localgroup|group|view|share|use|accounts|config|session|start|stop)\b", re.I)
_ARITHMETIC = r"\s*\(*\s*-?\d+\s*\)*(?:\s*[-+*/%]\s*\(*\s*-?\d+\s*\)*)+\s*"
_EXPR = re.compile(r"\s+" + _ARITHMETIC)
"""``expr 987843129+808922376``: the shell's calculator on two large numbers, a blind probe that looks for the sum in
the response. A word after ``expr`` ("expr of interest") is not arithmetic."""
_SET_A = re.compile(r"\s+/a\s+" + _ARITHMETIC, re.I)
"""``set /A 987843129+808922377``: cmd.exe's arithmetic, the same probe on Windows."""


def _is_recon(word: str) -> bool:
    return word in RECON or word.startswith(RECON_PREFIXES)


def bare_command(value: str) -> bool:
    """``value``, trimmed, is one shell command line that starts with a system tool (see the module docstring)."""
    text = value.strip()
    if not text or len(text) > 300 or any(c in text for c in ";|&`\n\r"):
        return False
    m = _FIRST.match(text)
    if m is None:
        return False
    word = m.group(1).lower()
    word = word[:-4] if word.endswith(".exe") and word[:-4] in TOOL_NAMES else word
    rest = text[m.end() :]
    if not rest.strip():
        return word in ALONE
    if word == "dir" and _WINDOWS_ROOT_LISTING.fullmatch(rest):
        return True  # before the prose check: "dir C:\\Documents and Settings\\*"
    tokens = rest.split()
    if any(t.lower() in PROSE_WORDS for t in tokens):
        return False
    if _is_recon(word):
        if not _only_tokens(rest) or len(tokens) > 12:
            return False
        if _SHELL_ARG.match(tokens[0]) is not None:
            return True
        return _drives_subcommands(word, tokens) and len(tokens) <= 4 and all(map(_LOWER_WORD.fullmatch, tokens))
    return _probe_form(word, rest)


def _drives_subcommands(word: str, tokens: list[str]) -> bool:
    """A CLI whose first argument is a subcommand (``cscli alerts list``, ``ansible-vault view x``); ``ansible``
    itself takes a host pattern, so it needs an option too (``ansible all -m ping``)."""
    if word == "ansible":
        return any(t.startswith("-") for t in tokens)
    return word in SUBCOMMAND_CLIS or word.startswith(RECON_PREFIXES)


def _only_tokens(rest: str) -> bool:
    """Every argument is a shell word: bare, quoted, a path, an option; no sentence punctuation."""
    pos, end = 0, len(rest)
    while pos < end:
        while pos < end and rest[pos].isspace():
            pos += 1
        if pos == end:
            return True
        m = _TOKEN.match(rest, pos)
        if m is None:
            return False
        pos = m.end()
        if pos < end and not rest[pos].isspace():
            return False
    return True


def _probe_form(word: str, rest: str) -> bool:
    """A common tool in the form a probe uses it (``sleep 5``, ``ping 10.0.0.1``, ``perl -e …``, ``cmd /c …``)."""
    if word == "sleep":
        return _SLEEP.fullmatch(rest) is not None
    if word == "ping":
        return _PING.fullmatch(rest) is not None
    if word in INTERPRETERS:
        return _INTERPRETER_CODE.match(rest) is not None
    if word == "cmd":
        return _WINDOWS_SHELL.match(rest) is not None
    if word in {"base64", "xxd"}:
        return _DECODE.match(rest) is not None and "$" not in rest  # documentation decodes a variable:
        # base64 -d <<< "$TOKEN"
    if word == "curl":
        return _FETCH.fullmatch(rest) is not None
    if word in {"invoke-webrequest", "invoke-restmethod", "iwr", "irm"}:
        return _PS_FETCH.fullmatch(rest) is not None
    if word in {"ls", "dir"}:
        return _SYSTEM_LISTING.fullmatch(rest) is not None
    if word == "nc":
        return _NC.match(rest) is not None
    if word == "perf":
        return _PERF.match(rest) is not None
    if word == "net":
        return _NET_VERB.match(rest) is not None
    if word == "expr":
        return _EXPR.fullmatch(rest) is not None
    if word == "set":
        return _SET_A.fullmatch(rest) is not None
    if word in LOOKUP:
        args = rest.split()
        return len(args) == 1 and args[0].lower() in _LOOKED_UP
    return False


def destructive_command(value: str) -> tuple[int, int] | None:
    """The whole value when, trimmed, it is ``rm -rf`` on nothing or a system root, ``chmod 777`` or ``chown root``
    on nothing or a system folder (see the module docstring), else ``None``."""
    text = value.strip()
    if len(text) > 200 or any(c in text for c in ";|&`\n\r"):
        return None
    m = _FIRST.match(text)
    if m is None or (word := m.group(1).lower()) not in DESTRUCTIVE:
        return None
    rest = text[m.end() :]
    form = _RM if word == "rm" else _CHMOD if word == "chmod" else _CHOWN
    return (0, len(value)) if form.fullmatch(rest) else None


def trigger() -> bytes:
    """The prefilter pattern: a value that starts with one of the tool names, then a space or its end (``\\x00``
    joins values in a batch scan). Anchored, so it costs one look at each value's first bytes."""
    names = sorted(TOOL_NAMES | DESTRUCTIVE, key=lambda n: (-len(n), n))  # longest first; then by name, so the
    # pattern (and the cached prefilter database named by its hash) is the same in every process
    alternatives = "|".join([re.escape(n) for n in names] + [re.escape(p) + "[a-z]+" for p in RECON_PREFIXES])
    head = r"""(?:^|\x00)\s*['"]?(?:(?:/usr)?/s?bin/)?(?:"""
    return (head + alternatives + r""")(?:\.exe)?['"]?(?:\s|\x00|$)""").encode()
