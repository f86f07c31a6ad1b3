"""Shell constructs that shell-escaping libraries test themselves against and that carry no separator the command scan
keys on (fresh56: shescape's ``injectionStrings``, shell-quote's operator tests):

- a whole value that is one environment-variable reference in PowerShell's or cmd.exe's syntax (``$Env:PATH``,
  ``${env:ComSpec}``, ``%PATH%``; ``env_reference``, cmdi): passed unescaped to a shell it expands to the host's
  environment. PowerShell's ``$Env:`` drive names nothing else, so any name counts; ``%NAME%`` is also a mail-merge
  placeholder (``%FIRSTNAME%``), so only the variables naming the search path or the shell count there
  (a folder variable is a path setting: fresh3's look-alike ``%USERPROFILE%``). POSIX ``$PATH`` stays out: a
  cashtag (``$PATH`` is a ticker) reads the same;
- a process substitution after a word or a blank, ``<(cmd)`` or ``>(cmd)`` (``process_substitution``, cmdi): bash and
  zsh run the command and hand its output (or input) as a file name; the parentheses hold a command word and its
  arguments and are followed by a blank, an operator or the end. After a blank the parentheses hold one word, or a
  word and an option, path or variable (``>(wc -l)``, ``<(ls /)``): prose in parentheses after a sign (``score >(type
  of test) average``, fresh21) holds words. Markup ``<b>(note)`` has a tag name right before ``>(``, code ``a<(b))`` a
  closing parenthesis after it.

Both patterns are anchored or bounded, with no nested quantifier over overlapping classes: linear in the value.
"""

from __future__ import annotations

import re

WINDOWS_VARIABLES = "path|pathext|comspec|cmdcmdline|psmodulepath"
"""The variables Windows sets that name the command search path, the shell and its command line. The ones naming a
folder (``%USERPROFILE%``, ``%APPDATA%``, ``%TEMP%``) are what a person types in a path setting: fresh3 keeps
``%USERPROFILE%`` as a benign value."""
_ENV_REFERENCE = re.compile(
    rf"\s*+(['\"]?)(?:\$env:[a-z_][\w()]{{0,63}}|\$\{{env:[^{{}}\n]{{1,64}}\}}|%(?:{WINDOWS_VARIABLES})%)\1\s*+", re.I
)
_PROCESS_SUBSTITUTION = re.compile(
    r"(?:(?<=\w)<\(\s*+[a-z][\w.-]{0,63}+(?:\s++[^()<>\n]{0,200}+)?"
    r"|(?<![^\s])[<>]\(\s*+[a-z][\w.-]{0,63}+(?:\s++[-/$~.][^()<>\n]{0,200}+)?)\s*+\)(?=[\s;|&<>]|$)",
    re.I,
)


def env_reference(value: str) -> tuple[int, int] | None:
    """The span of a whole value that is one PowerShell ``$Env:`` or cmd.exe ``%NAME%`` reference to the environment."""
    if len(value) > 80 or ("%" not in value and "$" not in value):
        return None
    return (0, len(value)) if _ENV_REFERENCE.fullmatch(value) else None


def process_substitution(value: str) -> tuple[int, int] | None:
    """The span of a bash/zsh process substitution ``<(cmd …)`` or ``>(cmd …)``."""
    if "<(" not in value and ">(" not in value:
        return None
    m = _PROCESS_SUBSTITUTION.search(value)
    return (m.start(), m.end()) if m else None


def trigger() -> bytes:
    """The prefilter's cheap test for the two shapes (lower-cased bytes, values joined by NUL)."""
    return rb"\$env:|\$\{env:|%[\w()]+%|[<>]\(\s*[a-z]"
