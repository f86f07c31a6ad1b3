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
TRIGGER = rb"(?:^|\x00)\s*[a-z]:[/\\]{1,2}(?:programdata|documents and settings)"
"""The prefilter trigger (``prefilter.TRIGGERS["traversal"]``): a value that starts with one of the two roots."""


def machine_config_file(value: str) -> tuple[int, int] | None:
    """The whole span when ``value`` is such a path (see above), else ``None``."""
    if len(value) > 1600 or ":" not in value[:8]:
        return None
    return (0, len(value)) if _MACHINE_CONFIG.fullmatch(value) else None
