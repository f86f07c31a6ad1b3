"""The data-flow diagram as a self-contained SVG: trust zones as columns, boundaries as dashed lines."""

from __future__ import annotations

from html import escape

from bastion.threatmodel.model import Flow, SystemModel

ZONES = [("internet", "Internet"), ("edge", "Gateway (DMZ)"), ("internal", "Internal network"),
         ("third-party", "Third parties")]
COL_W, BOX_W, BOX_H, ROW_H, TOP = 250, 180, 56, 120, 70


def _label(flow: Flow) -> str:
    cats = ", ".join(sorted(flow.categories)) or "no personal data"
    return f"{len(flow.operations)} ops · {cats}"


def render_svg(model: SystemModel) -> str:
    columns: dict[str, list[str]] = {zone: [] for zone, _ in ZONES}
    for element in model.elements:
        columns[element.zone].append(element.id)
    rows = max(len(ids) for ids in columns.values()) or 1
    height = TOP + rows * ROW_H + 40
    width = COL_W * len(ZONES)
    pos: dict[str, tuple[int, int]] = {}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12" role="img" '
             f'aria-label="Data-flow diagram">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#34495e"/></marker></defs>']
    for index, (zone, title) in enumerate(ZONES):
        x = index * COL_W
        parts.append(f'<text x="{x + COL_W // 2}" y="24" text-anchor="middle" font-weight="bold">'
                     f'{escape(title)}</text>')
        if index:
            parts.append(f'<line x1="{x}" y1="34" x2="{x}" y2="{height - 10}" stroke="#c0392b" '
                         'stroke-dasharray="6 4" stroke-width="1.5"/>')
        for row, element_id in enumerate(columns[zone]):
            element = model.element(element_id)
            bx, by = x + (COL_W - BOX_W) // 2, TOP + row * ROW_H
            pos[element_id] = (bx, by)
            radius = 28 if element.kind == "process" else 2
            fill = "#eaf2f8" if element.kind == "process" else "#fdfefe"
            parts.append(f'<rect x="{bx}" y="{by}" width="{BOX_W}" height="{BOX_H}" rx="{radius}" fill="{fill}" '
                         'stroke="#34495e" stroke-width="1.5"/>')
            parts.append(f'<text x="{bx + BOX_W // 2}" y="{by + BOX_H // 2 + 4}" text-anchor="middle">'
                         f'{escape(element.name[:28])}</text>')
    for flow in model.flows:
        if flow.source not in pos or flow.target not in pos:
            continue
        (sx, sy), (tx, ty) = pos[flow.source], pos[flow.target]
        forward = tx > sx
        offset = -12 if forward else 12
        x1 = sx + BOX_W if forward else sx
        x2 = tx if forward else tx + BOX_W
        y1, y2 = sy + BOX_H // 2 + offset, ty + BOX_H // 2 + offset
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#34495e" stroke-width="1.3" '
                     'marker-end="url(#arrow)"/>')
        ly = (y1 + y2) // 2 + (-6 if forward else 16)
        parts.append(f'<text x="{(x1 + x2) // 2}" y="{ly}" text-anchor="middle" font-size="10" fill="#34495e">'
                     f'{escape(_label(flow)[:60])}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
