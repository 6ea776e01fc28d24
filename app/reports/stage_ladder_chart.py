"""The stage ladder: each dimension's position along the ordered stages, one column a stage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from app.reports.chart_svg import GRID, MUTED, RULE, svg_chart, svg_text, wrap_label

__all__ = ["LadderRow", "stage_ladder"]


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
                svg_text(
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
        parts.append(svg_text(6, y + 3.8, label_text, size=10.5, weight=weight))
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
                    svg_text(x - inset - 1, y - 4, "capped", size=8, anchor="end", fill=MUTED)
                )
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" '
                f'fill="{marker_colour}" stroke="#ffffff" stroke-width="1.5"/>'
            )
        parts.append(
            svg_text(width - 4, y + 3.8, row.score_text, size=10.5, anchor="end", weight=weight)
        )
    return svg_chart(width, height, "".join(parts), title)
