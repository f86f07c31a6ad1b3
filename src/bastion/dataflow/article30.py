"""A GDPR Article 30-style record of processing, built from the data-flow counters.

Art. 30(1) asks for, among others, the categories of recipients (c/d), the categories of personal
data (c) and transfers (e). Per recipient, the record lists the categories of personal data it
received, through which operations, in how many messages, and when first and last. Rendered as a
table (rich), JSON or a self-contained HTML page (every value escaped).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bastion.dataflow.recorder import ALL
from bastion.dataflow.store import FlowRow
from bastion.redaction import Category


@dataclass
class CategoryFlow:
    category: str
    label: str
    messages: int = 0
    items: int = 0
    operations: set[str] = field(default_factory=set)


@dataclass
class RecipientRecord:
    recipient: str
    direction: str
    messages: int = 0
    operations: set[str] = field(default_factory=set)
    categories: dict[str, CategoryFlow] = field(default_factory=dict)
    first_seen: float = 0.0
    last_seen: float = 0.0

    @property
    def kind(self) -> str:
        return "API client" if self.direction == "response" else "third-party API (upstream)"


def _label(category: str) -> str:
    try:
        return Category(category).label
    except ValueError:
        return category


def build_record(rows: list[FlowRow]) -> list[RecipientRecord]:
    records: dict[tuple[str, str], RecipientRecord] = {}
    for row in rows:
        rec = records.get((row.recipient, row.direction))
        if rec is None:
            rec = records[(row.recipient, row.direction)] = RecipientRecord(
                row.recipient, row.direction, first_seen=row.first_seen, last_seen=row.last_seen)
        rec.first_seen = min(rec.first_seen, row.first_seen)
        rec.last_seen = max(rec.last_seen, row.last_seen)
        op = f"{row.operation} (route {row.route})"
        if row.category == ALL:
            rec.messages += row.messages
            rec.operations.add(op)
            continue
        flow = rec.categories.setdefault(row.category, CategoryFlow(row.category, _label(row.category)))
        flow.messages += row.messages
        flow.items += row.items
        flow.operations.add(op)
    return sorted(records.values(), key=lambda r: (r.direction, r.recipient))


def _ts(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_json(records: list[RecipientRecord]) -> dict[str, Any]:
    return {
        "record": "GDPR Art. 30 - personal data disclosed through the gateway",
        "recipients": [
            {
                "recipient": r.recipient,
                "kind": r.kind,
                "messages": r.messages,
                "operations": sorted(r.operations),
                "first_seen": _ts(r.first_seen),
                "last_seen": _ts(r.last_seen),
                "categories": [
                    {"category": c.category, "label": c.label, "messages": c.messages, "values": c.items,
                     "operations": sorted(c.operations)}
                    for c in sorted(r.categories.values(), key=lambda c: c.category)
                ],
            }
            for r in records
        ],
    }


def to_html(records: list[RecipientRecord]) -> str:
    e = html.escape
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>Record of processing (Art. 30)</title>",
             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
             "td,th{border:1px solid #999;padding:4px 8px;text-align:left}</style></head><body>",
             "<h1>Personal data disclosed through the gateway</h1>",
             "<p>GDPR Article 30-style record: recipients, categories of personal data, operations and counts. "
             "Counts only; no values are stored.</p>"]
    if not records:
        parts.append("<p>No data flows recorded.</p>")
    for r in records:
        parts.append(f"<h2>{e(r.recipient)} <small>({e(r.kind)})</small></h2>")
        parts.append(f"<p>{r.messages} messages, {e(_ts(r.first_seen))} to {e(_ts(r.last_seen))}</p>")
        parts.append("<table><tr><th>category of personal data</th><th>messages</th><th>values</th>"
                     "<th>operations</th></tr>")
        for c in sorted(r.categories.values(), key=lambda c: c.category):
            ops = "<br>".join(e(o) for o in sorted(c.operations))
            parts.append(f"<tr><td>{e(c.label)}</td><td>{c.messages}</td><td>{c.items}</td><td>{ops}</td></tr>")
        if not r.categories:
            parts.append("<tr><td colspan='4'>no personal data detected</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
