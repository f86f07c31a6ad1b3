"""Files a request writes for a later file inclusion to run (fresh38's LFI-to-RCE misses).

A local file inclusion becomes code execution once it includes a file whose content the attacker wrote. The
race and temp-file techniques include, as the whole value of the parameter:

- PHP's upload temp file: every multipart upload is written to ``/tmp/php`` plus six letters and digits
  (``/tmp/php3Fz9aB``, ``/var/tmp/phpA1b2C3``), which ``phpinfo()`` shows or a race guesses; on Windows
  ``C:\\Windows\\Temp\\php<hex>.tmp`` or the ``php<<`` wildcard that ``FindFirstFile`` expands;
- a PHP script in a world-writable directory (``/tmp/.p.php``, ``/dev/shm/x.phtml``): the stager an included temp
  file leaves behind, included next; applications keep their own scripts elsewhere;
- nginx's client-body buffers (``/var/lib/nginx/body/0000001368``, ``/var/cache/nginx/client_temp/…``): a large
  request body is written there before PHP sees it;
- a procfs path entered again through another process's ``cwd`` or ``root`` link
  (``/proc/12/cwd/proc/7/root/proc/7/fd/15``): the prefix that makes each inclusion of a deleted buffer a new path.

Only whole values count for the first three (a sentence naming ``/tmp`` is text); the procfs chain counts anywhere.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_WHOLE = re.compile(
    r"\s*(?:"
    r"/(?:var/)?tmp/php[A-Za-z0-9]{6}"
    r"|/(?:tmp|var/tmp|dev/shm)(?:/[\w.+@-]{1,100}){1,8}\.(?:php[3-8s]?|pht(?:ml)?|phar|inc)"
    r"|/(?:var/lib/nginx/(?:body|fastcgi|proxy|scgi|uwsgi)|var/cache/nginx/client_temp|usr/local/nginx/client_body_temp"
    r"|var/lib/nginx/tmp/client_body)(?:/[\w.-]{1,64}){1,6}"
    r"|[a-z]:\\+windows\\+temp\\+php(?:[0-9a-f]{1,4}\.tmp|[\w]{0,4}<<)"
    r")\s*",
    re.I,
)
_PROC_REENTERED = re.compile(r"[/\\]proc[/\\][^/\\\n]{1,32}[/\\](?:cwd|root)[/\\]+proc[/\\]", re.I)


def inclusion_target(value: str) -> Span | None:
    """The span of a file a request wrote for an inclusion to run (the module docstring's shapes), or ``None``."""
    if len(value) < 400 and (m := _WHOLE.fullmatch(value)) is not None:
        return m.start(), m.end()
    if "proc" in value and (m := _PROC_REENTERED.search(value)) is not None:
        return m.start(), m.end()
    return None


def trigger() -> bytes:
    """The prefilter pattern for the shapes above (``proc/`` is already the traversal trigger's)."""
    return rb"(?:^|\x00)\s*/(?:var/)?tmp/|(?:^|\x00)\s*/dev/shm/|nginx/|temp\\+php"
