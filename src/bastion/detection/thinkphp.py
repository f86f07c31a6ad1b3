"""A ThinkPHP route that names a framework class and method: ``s=index/\\think\\app/invokefunction`` (fresh49).

ThinkPHP 5 takes the controller from the ``s`` parameter (or the path) as ``module/controller/action``; before 5.0.23
and 5.1.31 a controller written as a namespaced class (``\\think\\app``, ``\\think\\Container``,
``\\think\\template\\driver\\file``, ``\\think\\Request``) was loaded as such, and its ``invokefunction``, ``write`` or
``input`` method then called any PHP function with the request's arguments (CVE-2018-20062, CVE-2019-9082; the
pocsuite3 and nuclei ThinkPHP checks). A backslash-separated ``\\think\\`` class followed by ``/`` and a method name is
that route and nothing else: a Windows path has no ``/method`` after a ``\\think\\`` folder.
"""

from __future__ import annotations

import re

_ROUTE = re.compile(r"\\think\\[a-z_][\w\\]{0,80}/[a-z_]\w{0,40}", re.I)
TRIGGER = rb"\\think\\"
"""The prefilter trigger (``prefilter.TRIGGERS["cmdi"]``): only a value naming ``\\think\\`` pays for the search."""


def thinkphp_route(value: str) -> tuple[int, int] | None:
    """The span of a ThinkPHP class route in ``value``, else ``None``."""
    if "\\" not in value:
        return None
    m = _ROUTE.search(value)
    return (m.start(), m.end()) if m else None
