"""A whole value that is a Windows machine-wide configuration file: ``C:\\ProgramData\\Vendor\\App\\db.properties``.

``%ProgramData%`` (``C:\\ProgramData``; ``C:\\Documents and Settings\\All Users\\Application Data`` before Vista) is
where Windows services keep their machine-wide configuration: database connection properties, licence and key files,
service settings (VMware vCenter's ``vcdb.properties``, fresh41). Sent where an identifier or a file name is expected
(``/eam/vib?id=C:\\ProgramData\\…``), the whole value is a file read of that configuration, as ``/etc/passwd`` is on
Unix (``signatures.traversal`` reads those). Only the whole value counts, only under these two roots, only a file with
a configuration, data, key or log extension; a path written inside a sentence ("the log is in
C:\\ProgramData\\App\\app.log, see …") is not the whole value and stays text. A body field named for a path
(``config_path``, ``log_file``: ``signatures.CONFIG_PATH_FIELD``) legitimately holds one and is left alone, as the Unix
paths are.

A user's profile keeps that user's secrets (fresh82: Exploit-DB's Virtual Reception traversal reading
``/c:/users/<name>/AppData/Local/Google/Chrome/User Data/Local State``): the registry hive of the account
(``C:\\Users\\<name>\\NTUSER.DAT``, ``UsrClass.dat``) and, under ``AppData``, the browser stores that hold saved
passwords, cookies and the key that decrypts them (Chromium's ``Login Data``, ``Cookies``, ``Web Data``,
``Local State``; Firefox's ``logins.json``, ``key4.db``, ``cookies.sqlite``). A whole value that is such a path, also
written URL-style with one leading slash (``/c:/users/…``, as a file handler receives it from a URL), is a file read
of them. Only the whole value counts and only those file names: a crash report's module path under
``AppData\\Local\\Programs``, a download folder, or the same path inside a support ticket's sentence stay text.
"""

from __future__ import annotations

import re

_MACHINE_CONFIG = re.compile(
    r"\s*[a-z]:[/\\]{1,2}(?:programdata|documents and settings[/\\]{1,2}all users[/\\]{1,2}application data)"
    r"(?:[/\\]{1,2}[^/\\:*?\"<>|\r\n]{1,120}){1,12}?"
    r"\.(?:properties|config|conf|cfg|ini|xml|json|ya?ml|db|sqlite|mdb|key|pem|pfx|p12|jks|keystore|lic|log)\s*",
    re.I,
)
"""Each segment is a bounded run of file-name characters and there are at most twelve, so the match is linear."""
_PROFILE_SECRET = re.compile(
    r"\s*/?[a-z]:[/\\]{1,2}(?:users|documents and settings)[/\\]{1,2}[^/\\:*?\"<>|\r\n]{1,120}"
    r"(?:[/\\]{1,2}(?:ntuser\.dat|usrclass\.dat)"
    r"|[/\\]{1,2}(?:appdata|application data|local settings)(?:[/\\]{1,2}[^/\\:*?\"<>|\r\n]{1,120}){0,12}?"
    r"[/\\]{1,2}(?:login data|cookies|web data|local state|logins\.json|key4\.db|cookies\.sqlite))\s*",
    re.I,
)
"""The same bounded segments: a user's registry hive, or a browser's password, cookie or key store under the
profile's application data."""
TRIGGER = rb"(?:^|\x00)\s*/?[a-z]:[/\\]{1,2}(?:programdata|documents and settings|users[/\\])"
"""The prefilter trigger (``prefilter.TRIGGERS["traversal"]``): a value that starts with one of the roots."""


def machine_config_file(value: str) -> tuple[int, int] | None:
    """The whole span when ``value`` is one of these paths (see above), else ``None``."""
    if len(value) > 1600 or ":" not in value[:8]:
        return None
    if _MACHINE_CONFIG.fullmatch(value) or _PROFILE_SECRET.fullmatch(value):
        return (0, len(value))
    return None
