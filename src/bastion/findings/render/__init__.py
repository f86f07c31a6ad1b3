"""Renderers for a ``bastion.findings.Report``: text, json, sarif (2.1.0), junit, html.

    from bastion.findings.render import render, FORMATS
    text = render(report, "sarif", base_dir="/repo")   # str; the caller writes it

Every renderer is a pure function ``(report, base_dir) -> str``. ``base_dir`` makes file paths in
locations relative (SARIF needs repository-relative URIs for GitHub code scanning).
"""

from __future__ import annotations

from collections.abc import Callable

from bastion.findings.model import Report
from bastion.findings.render.html_page import render_html
from bastion.findings.render.json_doc import render_json
from bastion.findings.render.junit import render_junit
from bastion.findings.render.sarif import render_sarif
from bastion.findings.render.text import render_text

Renderer = Callable[[Report, str | None], str]

RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "html": render_html,
}
FORMATS = tuple(RENDERERS)


def render(report: Report, fmt: str, base_dir: str | None = None) -> str:
    """``report`` in format ``fmt`` (one of :data:`FORMATS`)."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}") from None
    return renderer(report, base_dir)


__all__ = ["FORMATS", "RENDERERS", "render"]
