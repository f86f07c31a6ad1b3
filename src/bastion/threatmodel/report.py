"""The threat-model report, in Markdown or self-contained HTML (the SVG diagram inline)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bastion.findings.render.html_page import page
from bastion.threatmodel.model import SystemModel
from bastion.threatmodel.stride import STRIDE, Threat


def _flow_rows(model: SystemModel) -> list[tuple[str, str, str, str]]:
    names = {e.id: e.name for e in model.elements}
    rows = []
    for flow in model.flows:
        policies = ", ".join(f"{p} ({n})" for p, n in sorted(flow.policies.items())) or "none known"
        rows.append((f"{names.get(flow.source, flow.source)} → {names.get(flow.target, flow.target)}",
                     str(len(flow.operations)), ", ".join(sorted(flow.categories)) or "—", policies))
    return rows


def _threat_row(threat: Threat) -> tuple[str, ...]:
    t = threat.template
    evidence = "; ".join(sorted({f.rule_id for f in threat.findings})) or "—"
    return (STRIDE[t.stride], t.title, threat.element.removeprefix("flow:"), threat.severity.label,
            threat.mitigation, evidence, "residual" if threat.residual else "mitigated")


HEADERS = ("STRIDE", "threat", "element", "severity", "mitigation in config", "findings", "status")


def render_markdown(model: SystemModel, threats: list[Threat], diagram_file: str | None) -> str:
    out = [f"# Threat model: {model.title}", "",
           f"{model.operations} operations; {len(model.elements)} elements; "
           f"{sum(t.residual for t in threats)} residual risks.", ""]
    if diagram_file:
        out += [f"![Data-flow diagram]({diagram_file})", ""]
    out += ["## Trust boundaries", ""] + [f"- **{n}**: {a} ↔ {b}" for n, a, b in model.boundaries] + [""]
    out += ["## Data flows", "", "| flow | operations | data categories | gateway policies (operations) |",
            "|---|---|---|---|"]
    out += [f"| {' | '.join(row)} |" for row in _flow_rows(model)]
    out += ["", "## Residual risks (ranked)", ""]
    residual = [t for t in threats if t.residual]
    for rank, threat in enumerate(residual, 1):
        out.append(f"{rank}. **[{threat.severity.label}] {threat.template.title}** ({STRIDE[threat.template.stride]}, "
                   f"{threat.element.removeprefix('flow:')}): {threat.mitigation}; {len(threat.findings)} finding(s). "
                   f"{threat.template.advice}")
    out += ["", "## STRIDE threats per element", "", "| " + " | ".join(HEADERS) + " |",
            "|" + "---|" * len(HEADERS)]
    out += [f"| {' | '.join(_threat_row(t))} |" for t in threats]
    return "\n".join(out) + "\n"


def _table(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def render_html(model: SystemModel, threats: list[Threat], svg: str) -> str:
    residual = [t for t in threats if t.residual]
    ranked = "".join(
        f"<li><span class=\"sev {t.severity.label}\">{t.severity.label}</span> <b>{escape(t.template.title)}</b> "
        f"<span class=muted>({escape(STRIDE[t.template.stride])}, {escape(t.element.removeprefix('flow:'))})</span>"
        f"<br>{escape(t.mitigation)}; {len(t.findings)} finding(s). {escape(t.template.advice)}</li>"
        for t in residual)
    body = [
        f"<h1>Threat model: {escape(model.title)}</h1>",
        f"<p>{model.operations} operations · {len(model.elements)} elements · {len(residual)} residual risks</p>",
        "<h2>Data-flow diagram</h2>", svg,
        "<h2>Trust boundaries</h2><ul>" + "".join(f"<li><b>{escape(n)}</b>: {escape(a)} ↔ {escape(b)}</li>"
                                                   for n, a, b in model.boundaries) + "</ul>",
        "<h2>Data flows</h2>", _table(("flow", "operations", "data categories", "gateway policies"), _flow_rows(model)),
        "<h2>Residual risks (ranked)</h2>", f"<ol>{ranked}</ol>" if ranked else "<p>None.</p>",
        "<h2>STRIDE threats per element</h2>", _table(HEADERS, [_threat_row(t) for t in threats]),
    ]
    return page(f"Threat model: {model.title}", "\n".join(body))
