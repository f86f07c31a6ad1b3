"""A self-contained HTML report: summary by severity and OWASP category, then every finding.

No scripts, fonts or images are loaded from anywhere; every value is escaped. ``page()`` is reused by
other self-contained reports (the threat model) for the same look.
"""

from __future__ import annotations

from html import escape

from bastion.findings.model import OWASP_API_2023, Finding, Report
from bastion.findings.render.summary import by_category, by_severity, ordered, where

STYLE = """
body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#1d2330;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccd}
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #dde;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f4f8}
code{font-size:.9em;background:#f3f4f8;padding:0 .2em}
.sev{font-weight:600;border-radius:3px;padding:0 .4em;color:#fff}.critical{background:#7a0019}
.high{background:#c0392b}.medium{background:#d68910}.low{background:#2874a6}.info{background:#717d7e}
.bar{display:inline-block;height:.8em;background:#5d6d7e;vertical-align:middle}
details{margin:.3rem 0}summary{cursor:pointer}.muted{color:#667}
"""


def page(title: str, body: str) -> str:
    """A complete HTML document with the shared style; ``body`` must already be escaped HTML."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def _bar_table(counts: dict[str, int], label: str, names: dict[str, str] | None = None) -> str:
    top = max(counts.values(), default=0) or 1
    rows = []
    for key, n in counts.items():
        note = f" <span class=muted>{escape(names[key])}</span>" if names and key in names else ""
        name = escape(key) + note
        rows.append(f"<tr><td>{name}</td><td>{n}</td>"
                    f"<td><span class=bar style=\"width:{int(200 * n / top)}px\"></span></td></tr>")
    return f"<table><tr><th>{escape(label)}</th><th>findings</th><th></th></tr>{''.join(rows)}</table>"


def _finding(finding: Finding, base_dir: str | None) -> str:
    sev = finding.severity.label
    cwe = f"CWE-{finding.cwe}" if finding.cwe else ""
    loc = finding.location
    parts = [
        f"<details><summary><span class=\"sev {sev}\">{sev}</span> <code>{escape(finding.rule_id)}</code> "
        f"{escape(finding.title)} <span class=muted>{escape(where(finding, base_dir))}</span></summary>",
        f"<p>{escape(finding.message)}</p>",
        f"<p class=muted>{escape(finding.owasp)} {escape(finding.owasp_name)} {escape(cwe)}"
        + (f" · pointer <code>{escape(loc.pointer)}</code>" if loc.pointer else "")
        + (f" · operation <code>{escape(loc.operation)}</code>" if loc.operation else "") + "</p>",
    ]
    if finding.risk:
        parts.append(f"<p><b>Risk.</b> {escape(finding.risk)}</p>")
    if finding.fix:
        parts.append(f"<p><b>Fix.</b> {escape(finding.fix)}</p>")
    if finding.evidence is not None and finding.evidence.request:
        parts.append(f"<pre>{escape(finding.evidence.request)}</pre>")
    parts.append("</details>")
    return "".join(parts)


def render_html(report: Report, base_dir: str | None = None) -> str:
    findings = ordered(report)
    body = [
        f"<h1>{escape(report.tool)} report</h1>",
        f"<p>Target <code>{escape(report.target)}</code> · {len(findings)} finding(s) · "
        f"{escape(report.tool)} {escape(report.version)}</p>",
        "<h2>By severity</h2>", _bar_table(by_severity(report), "severity"),
        "<h2>By OWASP API Security Top 10 (2023) category</h2>",
        _bar_table(by_category(report), "category", OWASP_API_2023),
        "<h2>Findings</h2>",
        "".join(_finding(f, base_dir) for f in findings) or "<p>No findings.</p>",
    ]
    inventory = report.stats.get("pii_inventory")
    if inventory:
        rows = "".join(f"<tr><td>{escape(str(r.get('operation', '')))}</td><td>{escape(', '.join(r.get('sends', [])))}"
                       f"</td><td>{escape(', '.join(r.get('returns', [])))}</td></tr>" for r in inventory)
        body += ["<h2>Personal data inventory</h2>",
                 f"<table><tr><th>operation</th><th>sends</th><th>returns</th></tr>{rows}</table>"]
    return page(f"{report.tool}: {report.target}", "\n".join(body))
