"""How answers and scores spread: a stacked bar of answer counts, and respondents' scores as
dots along 0-100 with their range and mean."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from app.reports.chart_svg import GRID, MUTED, svg_chart, svg_text, wrap_label
from app.reports.palette import INK, MISSING_GREY

__all__ = ["DistributionSegment", "SpreadRow", "distribution_bar", "spread_chart"]


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
        return svg_chart(width, height, body, title, stretch=True)
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
    return svg_chart(width, height, "".join(parts), title, stretch=True)


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
        parts.append(svg_text(x, top - 10, str(tick), size=9, anchor="middle", fill=MUTED))
    for index, row in enumerate(rows):
        y = top + index * row_height + row_height / 2
        parts.append(
            svg_text(6, y + 3.8, " ".join(wrap_label(row.label, 30))[:44], size=10.5, weight=500)
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
    return svg_chart(width, height, "".join(parts), title)
