"""A git configuration file whose settings run a command.

Git runs the value of some settings as a shell command: ``core.sshCommand`` (on every fetch or push over SSH),
``core.fsmonitor`` (on every ``status``), ``core.pager``, ``core.editor``, ``core.askPass``, ``core.gitProxy``,
``core.hooksPath`` (which points the hooks at an attacker's folder). A value that is a ``.git/config`` file with a
``[core]`` section setting one of them, uploaded into a repository's ``.git/`` folder or written through a settings
endpoint, runs that command on the server the next time it touches the repository (Gogs, CVE-2022-0415). A config
file without these keys (``repositoryformatversion``, ``bare``, remotes and branches) runs nothing; a sentence that
names ``sshCommand`` has no section header before it.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_CORE_SECTION = re.compile(r"^[ \t]*\[[ \t]*core[ \t]*\][ \t]*$", re.I | re.M)
_COMMAND_KEY = re.compile(
    r"^[ \t]*(?:sshCommand|fsmonitor|pager|editor|askPass|gitProxy|hooksPath)[ \t]*=[ \t]*[^\s#;]", re.I | re.M)
_NEXT_SECTION = re.compile(r"^[ \t]*\[", re.M)


def git_command_key(value: str) -> Span | None:
    """The span of a command-running setting inside the ``[core]`` section of a git config file."""
    if "[core" not in value and "[CORE" not in value and "[Core" not in value:
        return None
    for section in _CORE_SECTION.finditer(value):
        start = section.end()
        end = m.start() if (m := _NEXT_SECTION.search(value, start + 1)) else len(value)
        if key := _COMMAND_KEY.search(value, start, end):
            return key.start(), key.end()
    return None
