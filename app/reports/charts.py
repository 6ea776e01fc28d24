"""SVG charts for the reports: pure functions from figures to SVG markup.

Every piece of text is escaped here, so a chart can be placed in a template as it is. No chart
refers to anything outside itself (no scripts, links, images or fonts by URL).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup, escape

from app.reports.palette import INK, MISSING_GREY

__all__ = [
    "DistributionSegment",
    "LadderRow",
    "QuadrantLabels",
    "RadarSeries",
    "SpreadRow",
    "distribution_bar",
    "quadrant_plot",
    "radar_chart",
    "spread_chart",
    "stage_ladder",
    "wrap_label",
]

FONT = "Inter, 'DejaVu Sans', sans-serif"
MUTED = "#6b7482"
RULE = "#d5dae1"
GRID = "#e6e9ee"


def _svg(width: float, height: float, body: str, title: str, *, stretch: bool = False) -> Markup:
    # role/aria-label describe the chart when it is inlined; as an image its alt text does.
    aspect = ' preserveAspectRatio="none"' if stretch else ""
    return Markup(  # noqa: S704 - every text and attribute value is escaped by its caller
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}"{aspect} role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}"><title>{escape(title)}</title>{body}</svg>'
    )


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 10,
    anchor: str = "start",
    fill: str = INK,
    weight: int = 400,
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}">{escape(content)}</text>'
    )


def wrap_label(label: str, width: int) -> list[str]:
    """Split a label into lines of at most about `width` characters, at spaces."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


# --- Radar -------------------------------------------------------------------------------------

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
        parts.append(_text(cx + 3, cy - radius * ring / 100 + 3, str(ring), size=8.5, fill=MUTED))
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
    return _svg(width, height, "".join(parts), title)


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
        _text(x, top + i * line_height, line, size=11.5, anchor=anchor, weight=500)
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
        parts.append(_text(x + 28, y, one.name, size=10.5, fill=INK))
        x += entry_width
    return "".join(parts)


# --- Stage ladder ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LadderRow:
    label: str
    score_text: str
    position: float | None  # 0..stage count: the stage index plus the share of its band reached
    emphasised: bool = False
    capped: bool = False  # a gate holds the stage below the one the score alone reaches


def stage_ladder(
    stage_names: Sequence[str],
    stage_colours: Sequence[str],
    rows: Sequence[LadderRow],
    *,
    marker_colour: str,
    title: str,
) -> Markup:
    """Each row's position along the ordered stages; every stage gets an equal-width column.

    A marker is drawn wholly inside the column of its stage, so a score on a threshold or a
    capped stage never reads as the neighbouring one. A capped row gets a bar at its column's
    right edge and the word "capped": the score alone would pass the bar.
    """
    label_width, score_width, width = 186.0, 46.0, 660.0
    header, row_height = 38.0, 28.0
    columns = len(stage_names)
    track = width - label_width - score_width
    column_width = track / columns
    height = header + row_height * len(rows) + 4
    parts: list[str] = []
    for index, (name, colour) in enumerate(zip(stage_names, stage_colours, strict=True)):
        x = label_width + index * column_width
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{header - 8:.1f}" width="{column_width - 2:.1f}" '
            f'height="4" fill="{colour}"/>'
        )
        for line_index, line in enumerate(wrap_label(f"{index + 1} · {name}", 16)[:2]):
            parts.append(
                _text(
                    x + column_width / 2,
                    11 + line_index * 11.5,
                    line,
                    size=9.5,
                    anchor="middle",
                    fill=MUTED,
                    weight=600,
                )
            )
        if index:
            parts.append(
                f'<line x1="{x:.1f}" y1="{header - 2:.1f}" x2="{x:.1f}" y2="{height - 2:.1f}" '
                f'stroke="{GRID}" stroke-dasharray="2 3"/>'
            )
    for row_index, row in enumerate(rows):
        y = header + row_index * row_height + row_height / 2
        if row.emphasised:
            parts.append(
                f'<rect x="0" y="{y - row_height / 2 + 1:.1f}" width="{width:g}" '
                f'height="{row_height - 2:.1f}" fill="{stage_colours[-1]}" fill-opacity="0.07"/>'
            )
        weight = 700 if row.emphasised else 500
        label = wrap_label(row.label, 30)
        label_text = label[0] if len(label) == 1 else " ".join(label)[:44]
        parts.append(_text(6, y + 3.8, label_text, size=10.5, weight=weight))
        parts.append(
            f'<line x1="{label_width:.1f}" y1="{y:.1f}" x2="{label_width + track:.1f}" '
            f'y2="{y:.1f}" stroke="{RULE}" stroke-width="1"/>'
        )
        if row.position is not None:
            radius = 6.5 if row.emphasised else 5.2
            position = max(0.0, min(float(columns), row.position))
            column = min(columns - 1, int(position))
            left = label_width + column * column_width
            inset = radius + 2.5  # the white outline and a gap clear of the column's edges
            x = left + inset + (position - column) * (column_width - 2 * inset)
            if row.capped:
                edge = left + column_width - 2
                parts.append(
                    f'<line x1="{edge:.1f}" y1="{y - 8:.1f}" x2="{edge:.1f}" y2="{y + 8:.1f}" '
                    f'stroke="{marker_colour}" stroke-width="2.5"/>'
                )
                parts.append(
                    _text(x - inset - 1, y - 4, "capped", size=8, anchor="end", fill=MUTED)
                )
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" '
                f'fill="{marker_colour}" stroke="#ffffff" stroke-width="1.5"/>'
            )
        parts.append(
            _text(width - 4, y + 3.8, row.score_text, size=10.5, anchor="end", weight=weight)
        )
    return _svg(width, height, "".join(parts), title)


# --- Quadrant ----------------------------------------------------------------------------------


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
                _text(
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
    parts.append(_text(label_x, team_y + 3.2, team_label, size=9, anchor=anchor, weight=700))
    parts.append(
        _text(
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
    return _svg(width, height, "".join(parts), title)


# --- Distribution and spread --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DistributionSegment:
    label: str
    count: int
    colour: str


def distribution_bar(segments: Sequence[DistributionSegment], *, title: str) -> Markup:
    """One stacked bar of answer counts; widths are shares of all answers shown."""
    total = sum(segment.count for segment in segments)
    width, height = 240.0, 12.0
    if not total:
        body = f'<rect x="0" y="0" width="{width:g}" height="{height:g}" fill="{MISSING_GREY}"/>'
        return _svg(width, height, body, title, stretch=True)
    parts, x = [], 0.0
    for segment in segments:
        if not segment.count:
            continue
        w = width * segment.count / total
        parts.append(
            f'<rect x="{x:.2f}" y="0" width="{max(0.0, w - 1.2):.2f}" height="{height:g}" '
            f'fill="{segment.colour}"/>'
        )
        x += w
    return _svg(width, height, "".join(parts), title, stretch=True)


@dataclass(frozen=True, slots=True)
class SpreadRow:
    label: str
    points: tuple[float, ...]  # respondents' scores, 0..100 percent
    mean: float | None


def spread_chart(rows: Sequence[SpreadRow], *, colour: str, title: str) -> Markup:
    """Each row's individual scores as dots along 0-100, with the range and the mean."""
    label_width, width, row_height, top = 176.0, 660.0, 24.0, 22.0
    track = width - label_width - 16
    height = top + row_height * len(rows) + 6

    def to_x(percent: float) -> float:
        return label_width + track * max(0.0, min(100.0, percent)) / 100

    parts: list[str] = []
    for tick in range(0, 101, 20):
        x = to_x(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6:.1f}" x2="{x:.1f}" y2="{height - 4:.1f}" stroke="{GRID}"/>'
        )
        parts.append(_text(x, top - 10, str(tick), size=9, anchor="middle", fill=MUTED))
    for index, row in enumerate(rows):
        y = top + index * row_height + row_height / 2
        parts.append(
            _text(6, y + 3.8, " ".join(wrap_label(row.label, 30))[:44], size=10.5, weight=500)
        )
        if row.points:
            low, high = min(row.points), max(row.points)
            parts.append(
                f'<line x1="{to_x(low):.1f}" y1="{y:.1f}" x2="{to_x(high):.1f}" y2="{y:.1f}" '
                f'stroke="{colour}" stroke-opacity="0.35" stroke-width="6" stroke-linecap="round"/>'
            )
        for point in row.points:
            parts.append(
                f'<circle cx="{to_x(point):.1f}" cy="{y:.1f}" r="2.6" fill="{colour}" fill-opacity="0.7"/>'
            )
        if row.mean is not None:
            x = to_x(row.mean)
            parts.append(
                f'<line x1="{x:.1f}" y1="{y - 8:.1f}" x2="{x:.1f}" y2="{y + 8:.1f}" stroke="{INK}" stroke-width="2"/>'
            )
    return _svg(width, height, "".join(parts), title)
