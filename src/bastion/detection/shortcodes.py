"""A value that closes the shortcode it is written into and opens another: WordPress-style shortcode injection.

A plugin that builds a shortcode from request input (``[wpdm_package id='{input}']``) and renders it with
``do_shortcode`` runs whatever shortcodes the input adds. The break-out has one shape: the value opens with the quote
that ends the attribute and the ``]`` that ends the shortcode, then names a shortcode of its own
(``'][/wpdm_package][wpdm_all_packages][wpdm_package id='``, ``"][contact-form-7 id="1"]``). Text that starts with a
quote and a bracket (``"]`` in a JSON path, ``'][0]`` of an array index) names no shortcode after it.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_BREAKOUT = re.compile(
    r"""\s{0,8}['"]\s{0,8}\]\s{0,8}(?:\[/[a-z_][\w-]{0,40}\]\s{0,8}\[[a-z_][\w-]{0,40}(?:\s[^\[\]\n]{0,200})?\]"""
    r"""|\[[a-z_][\w-]{0,40}\s[^\[\]\n]{1,200}\])""",
    re.I,
)
"""Anchored at the start of the value (``match``): the quote, ``]``, then a closing tag and an opening tag, or an
opening tag with attributes (at most one line). A bare ``[name]`` after the quote is how markdown writes a reference
link (``"][ref]">`` when a query splits an HTML attribute of a markdown text at its ``=``, fresh37 on the merged
tree), and no shortcode worth injecting runs without attributes unless a closing tag comes first. Every repeat is
bounded, so the match costs a few hundred steps at most."""


def shortcode_breakout(value: str) -> Span | None:
    """The span of a shortcode break-out at the start of ``value``."""
    if "]" not in value[:24]:
        return None
    if m := _BREAKOUT.match(value):
        return m.start(), m.end()
    return None
