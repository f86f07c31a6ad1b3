"""Script that an Edge Side Includes processor assembles from pieces (``<scr<!--esi-->ipt>``).

A surrogate (Varnish, Squid, Akamai, Fastly) that processes ESI removes ``<!--esi`` and its ``-->`` and keeps what
is between, drops ``<esi:comment …/>`` and ``<esi:remove>…</esi:remove>``, and replaces ``<esi:vars name="$(x)"/>``
(or ``$(x)`` inside ``<esi:vars>…</esi:vars>``) by what ``<esi:assign name="x" value="'…'"/>`` set. The browser then
gets ``<script>``. ``esi_xss`` renders the value that way (``render``) and asks ``xss.is_xss`` about the result;
an attacker can add ESI markup anywhere, so it is removed wherever it stands. The rendering is one left-to-right
pass per construct (linear).
"""

from __future__ import annotations

import re

from bastion.detection.xss import is_xss

_ASSIGN = re.compile(r"<esi:assign\s+name\s*=\s*['\"]([\w.-]{1,64})['\"]\s+value\s*=\s*(['\"])'?([^'\"<>]{0,200}?)'?\2"
                     r"\s*/?>", re.I)
_VARS_TAG = re.compile(r"<esi:vars\s+name\s*=\s*['\"]\$\(([\w.-]{1,64})\)['\"]\s*/?>", re.I)
_VAR_REF = re.compile(r"\$\(([\w.-]{1,64})\)")
_MARKUP = re.compile(r"<esi:comment\b[^<>]{0,500}/?>|</?esi:(?:vars|remove)\s*>", re.I)


def _uncomment(value: str) -> str:
    """``<!--esi …-->`` replaced by its content, scanning forward only."""
    out: list[str] = []
    pos = 0
    low = value.lower()
    while (start := low.find("<!--esi", pos)) != -1:
        end = value.find("-->", start + 7)
        if end == -1:
            break
        out.append(value[pos:start])
        out.append(value[start + 7:end])
        pos = end + 3
    out.append(value[pos:])
    return "".join(out)


def render(value: str) -> str:
    """What an ESI processor sends on for ``value``."""
    variables = {m.group(1): m.group(3) for m in _ASSIGN.finditer(value)}
    text = _ASSIGN.sub("", _uncomment(value))
    if variables:
        text = _VARS_TAG.sub(lambda m: variables.get(m.group(1), ""), text)
        text = _VAR_REF.sub(lambda m: variables.get(m.group(1), m.group(0)), text)
    return _MARKUP.sub("", text)


def esi_xss(value: str) -> tuple[int, int] | None:
    """The whole value's span when its ESI rendering is script, or ``None``."""
    if "esi" not in value.lower():
        return None
    rendered = render(value)
    return (0, len(value)) if rendered != value and is_xss(rendered) is not None else None
