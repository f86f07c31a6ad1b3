"""Absolute paths into a container runtime's state or an IIS server's roots, as a whole value (fresh58: Akto's
file-inclusion templates ask for ``/var/lib/docker/containers/*/config.v2.json``, ``/var/run/docker.sock``,
``/inetpub/wwwroot/global.asa``):

- the state folders of Docker, containerd and the kubelet (``/var/lib/docker/…``, ``/var/lib/kubelet/pods/…``):
  every container's configuration with its environment (secrets passed as variables) and the service-account tokens
  the kubelet mounts into pods. The folder itself (``/var/lib/docker``) is Docker's ``DockerRootDir`` setting and
  passes; a name below it is asked for;
- the control sockets of Docker, containerd, Podman and CRI-O (``/var/run/docker.sock``, ``/run/containerd/
  containerd.sock``): a file read or fetch through one is the host's root;
- IIS's roots without a drive letter (``/inetpub/wwwroot/web.config``, ``/inetpub/logs/logfiles``; with a drive
  ``signatures`` already reads them) and the volume-information folder Windows keeps restore points in.

A whole value only: a path inside prose or a command line (``docker run -v /var/run/docker.sock:…``) is documentation.
Body fields named for a mounted path (``signatures.CONFIG_PATH_FIELD``: a pod's ``hostPath``, ``mountPath``) skip
it, as they skip ``signatures``' system-file rule. Possessive repeats over the segments: linear in the value.
"""

from __future__ import annotations

import re

_SEGMENT = r"(?:/[\w.+@~*-]++)"
_RUNTIME_PATH = re.compile(
    rf"\s*+/(?:var/lib/(?:docker|kubelet|containerd){_SEGMENT}++"
    r"|(?:var/)?run/(?:docker|containerd/containerd|podman/podman|crio/crio)\.sock"
    rf"|inetpub/(?:wwwroot|logs|ftproot|mailroot|custerr|history|temp){_SEGMENT}*+"
    r"|system volume information(?:/[\w.+@~*-][\w .+@~*-]{0,254}+)*+)/?\s*+",
    re.I,
)


def trigger() -> bytes:
    """The prefilter's cheap test (lower-cased bytes, values joined by NUL)."""
    return (
        rb"(?:^|\x00)\s*/(?:var/lib/(?:docker|kubelet|containerd)/|(?:var/)?run/(?:docker|containerd|podman|crio)"
        rb"|system volume information)"
    )


def runtime_path(value: str) -> tuple[int, int] | None:
    """The span of a whole value that is a path into a container runtime's state, its socket or an IIS root."""
    if len(value) > 512 or "/" not in value[:8]:
        return None
    return (0, len(value)) if _RUNTIME_PATH.fullmatch(value) else None
