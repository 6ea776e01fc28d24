"""The radar chart: dimension scores on spokes, one polygon per series (current, target,
previous round)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup

from app.reports.chart_svg import GRID, MUTED, RULE, svg_chart, svg_text, wrap_label
from app.reports.palette import INK

__all__ = ["RadarSeries", "SeriesStyle", "radar_chart"]

SeriesStyle = Literal["current", "target", "previous"]


@dataclass(frozen=True, slots=True)
class RadarSeries:
    name: str
    percents: tuple[float | None, ...]  # one per axis, 0..100; None draws at the centre
    style: SeriesStyle
    colour: str


def radar_chart(axes: Sequence[str], series: Sequence[RadarSeries], *, title: str) -> Markup:
    """Dimension scores on spokes (0-100% of the possible score), one polygon per series."""
    width, height, radius = 520.0, 400.0, 128.0
    cx, cy = width / 2, 190.0
    count = max(len(axes), 3)  # fewer than three spokes cannot enclose an area

    def point(index: int, percent: float | None) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = radius * max(0.0, min(100.0, percent or 0.0)) / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    parts: list[str] = []
    for ring in (20, 40, 60, 80, 100):
        ring_points = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(count))
        )
        parts.append(
            f'<polygon points="{ring_points}" fill="none" stroke="{GRID if ring < 100 else RULE}" '
            'stroke-width="1"/>'
        )
        parts.append(
            svg_text(cx + 3, cy - radius * ring / 100 + 3, str(ring), size=8.5, fill=MUTED)
        )
    for index, label in enumerate(axes):
        x, y = point(index, 100)
        parts.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(_axis_label(cx, cy, radius + 14, index, count, label))
    drawing_order = {"previous": 0, "target": 1, "current": 2}
    for one in sorted(series, key=lambda s: drawing_order[s.style]):
        parts.append(_radar_polygon(one, [point(i, p) for i, p in enumerate(one.percents)]))
    parts.append(_legend(series, y=height - 16, width=width))
    return svg_chart(width, height, "".join(parts), title)


def _axis_label(cx: float, cy: float, r: float, index: int, count: int, label: str) -> str:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    x, y = cx + r * math.cos(angle), cy + r * math.sin(angle)
    cos = math.cos(angle)
    anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
    lines = wrap_label(label, 18)
    line_height = 13.5
    top = y - (len(lines) - 1) * line_height / 2 + 3.5
    if math.sin(angle) < -0.9:
        top = y - (len(lines) - 1) * line_height - 2
    elif math.sin(angle) > 0.9:
        top = y + 8
    return "".join(
        svg_text(x, top + i * line_height, line, size=11.5, anchor=anchor, weight=500)
        for i, line in enumerate(lines)
    )


def _radar_polygon(series: RadarSeries, points: list[tuple[float, float]]) -> str:
    coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    if series.style == "current":
        dots = "".join(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{series.colour}"/>' for x, y in points
        )
        return (
            f'<polygon points="{coordinates}" fill="{series.colour}" fill-opacity="0.16" '
            f'stroke="{series.colour}" stroke-width="2.2" stroke-linejoin="round"/>{dots}'
        )
    dash = "6 4" if series.style == "target" else "2 3"
    return (
        f'<polygon points="{coordinates}" fill="none" stroke="{series.colour}" '
        f'stroke-width="1.6" stroke-dasharray="{dash}" stroke-linejoin="round"/>'
    )


def _legend(series: Sequence[RadarSeries], *, y: float, width: float) -> str:
    entry_width = 150.0
    x = (width - entry_width * len(series)) / 2
    parts = []
    for one in series:
        dash = {
            "current": "",
            "target": ' stroke-dasharray="6 4"',
            "previous": ' stroke-dasharray="2 3"',
        }
        parts.append(
            f'<line x1="{x:.1f}" y1="{y - 3:.1f}" x2="{x + 22:.1f}" y2="{y - 3:.1f}" '
            f'stroke="{one.colour}" stroke-width="{2.2 if one.style == "current" else 1.6}"'
            f"{dash[one.style]}/>"
        )
        parts.append(svg_text(x + 28, y, one.name, size=10.5, fill=INK))
        x += entry_width
    return "".join(parts)
