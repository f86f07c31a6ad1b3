"""Files a device's or appliance's file handler is asked for by absolute path (fresh45: Exploit-DB's router, camera
and VoIP exploits).

``signatures.traversal`` counts a whole absolute path into ``/etc``, ``/proc``, ``/root``, ``/var/log`` … and leaves
other directories alone (``/var/lib/app/uploads/x.pdf`` is an ordinary file field). Embedded firmware keeps its
secrets elsewhere: the web server's password file in ``/var/etc/httpasswd`` or ``/tmp/etc/passwd``, an
application's configuration with its database passwords in ``/var/lib/<app>/…/<App>.ini``, the PPP secrets in
``/etc/ppp/chap-secrets``; and a file written through an upload handler goes to the servlet container's deployed root
(``/usr/local/tomcat/webapps/ROOT/``). A whole value that is such a path is what a file-download, file-include or
upload-location parameter is made to point at:

- a password or secrets database by its name, in any directory (``passwd``, ``shadow``, ``htpasswd``/``httpasswd``,
  ``chap-secrets``, ``pap-secrets``);
- an application's ``.ini`` under ``/var``, ``/opt``, ``/usr``, ``/srv`` or ``/mnt`` — a document or an upload has
  another extension. ``.conf``, ``.cfg`` and ``.properties`` paths are not counted: infrastructure documents (a
  Kubernetes Deployment's probe reading ``/tmp/h.cfg``, a CI job's ``/opt/app/application.properties``) name them in
  ordinary fields, and the merge of this rule refused such a Deployment in an integration test;
- a path through a servlet container's ``webapps/ROOT``.

Infrastructure documents name such paths in fields that say so (``config_path``, ``ca_file`` …): the engine waives
this rule there as it waives ``machine_config_file`` (``signatures.CONFIG_PATH_FIELD``).
"""

from __future__ import annotations

import re

_PATH = r"\s*/(?:[\w.+@-]+/)*"
_DEVICE_FILE = re.compile(
    _PATH + r"(?:\.?ht{1,2}passwd|passwd|shadow|[cp]ap-secrets)\s*"
    r"|\s*/(?:var|opt|usr|srv|mnt)/(?:[\w.+@-]+/)*[\w+@-][\w.+@-]*\.ini\s*"
    r"|" + _PATH + r"webapps/ROOT(?:/[\w.+@-]*)*\s*",
    re.I,
)
TRIGGER = (rb"(?:^|\x00)\s*/[\w.+@/-]*(?:passwd|shadow|ap-secrets|\.ini"
           rb"|webapps/root)[\w.+@/-]*(?:\x00|$)")
"""The prefilter's ``traversal`` trigger for these paths: a whole value of path characters naming one of them."""


def device_file(value: str) -> tuple[int, int] | None:
    """The whole value when it is one of the paths above, or ``None``."""
    if value[:8].lstrip().startswith("/") and _DEVICE_FILE.fullmatch(value):
        return 0, len(value)
    return None
