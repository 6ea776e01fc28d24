"""The quadrant plot: operations against execution, the team's marker among the respondents'."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from app.reports.chart_svg import MUTED, RULE, svg_chart, svg_text, wrap_label
from app.reports.palette import INK

__all__ = ["QuadrantLabels", "quadrant_plot"]


@dataclass(frozen=True, slots=True)
class QuadrantLabels:
    low_low: str
    high_low: str  # operations high, execution low
    low_high: str
    high_high: str


def quadrant_plot(
    labels: QuadrantLabels,
    *,
    midpoint: float,
    team: tuple[float, float],
    others: Sequence[tuple[float, float]],
    colour: str,
    tint: str,
    team_label: str,
    title: str,
) -> Markup:
    """Operations (x) against execution (y), both 0-100%, split at the midpoint. Quadrant
    names sit in the outer corners, where the team's marker (near the middle) rarely is."""
    size, left, top = 168.0, 16.0, 4.0
    width, height = left + size + 2, top + size + 16

    def to_xy(operations: float, execution: float) -> tuple[float, float]:
        x = left + size * max(0.0, min(100.0, operations)) / 100
        y = top + size * (1 - max(0.0, min(100.0, execution)) / 100)
        return x, y

    mx, my = to_xy(midpoint, midpoint)
    team_x, team_y = to_xy(*team)
    right, bottom = left + size, top + size
    parts = [f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="#ffffff"/>']
    cells = (
        (left, top, mx, my, labels.low_high, "start", True),
        (mx, top, right, my, labels.high_high, "end", True),
        (left, my, mx, bottom, labels.low_low, "start", False),
        (mx, my, right, bottom, labels.high_low, "end", False),
    )
    for x0, y0, x1, y1, name, anchor, upper in cells:
        current = x0 <= team_x <= x1 and y0 <= team_y <= y1
        if current:
            parts.append(
                f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" '
                f'fill="{tint}"/>'
            )
        lines = wrap_label(name, 14)[:2]
        x = x0 + 5 if anchor == "start" else x1 - 5
        first = y0 + 12 if upper else y1 - 5 - 10 * (len(lines) - 1)
        for i, line in enumerate(lines):
            parts.append(
                svg_text(
                    x,
                    first + i * 10,
                    line,
                    size=8.5,
                    anchor=anchor,
                    fill=INK if current else MUTED,
                    weight=700 if current else 500,
                )
            )
    parts.append(
        f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="none" stroke="{RULE}"/>'
        f'<line x1="{mx:.1f}" y1="{top}" x2="{mx:.1f}" y2="{bottom}" stroke="{RULE}"/>'
        f'<line x1="{left}" y1="{my:.1f}" x2="{right}" y2="{my:.1f}" stroke="{RULE}"/>'
    )
    for operations, execution in others:
        x, y = to_xy(min(98.5, max(1.5, operations)), min(98.5, max(1.5, execution)))
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{MUTED}" fill-opacity="0.5"/>'
        )
    parts.append(
        f'<circle cx="{team_x:.1f}" cy="{team_y:.1f}" r="5" fill="{colour}" '
        'stroke="#ffffff" stroke-width="1.5"/>'
    )
    anchor = "end" if team_x > left + size * 0.6 else "start"
    label_x = team_x - 8 if anchor == "end" else team_x + 8
    parts.append(svg_text(label_x, team_y + 3.2, team_label, size=9, anchor=anchor, weight=700))
    parts.append(
        svg_text(
            left + size / 2,
            height - 3,
            "Operations →",
            size=8.5,
            anchor="middle",
            fill=MUTED,
            weight=600,
        )
    )
    parts.append(
        f'<text x="0" y="0" font-size="8.5" text-anchor="middle" fill="{MUTED}" font-weight="600" '
        f'transform="translate(10 {top + size / 2:.1f}) rotate(-90)">Execution →</text>'
    )
    return svg_chart(width, height, "".join(parts), title)
