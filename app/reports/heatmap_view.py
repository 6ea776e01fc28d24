"""Scores by group as a heatmap: one table per respondent attribute, dimensions down the side,
the whole team and each group across, every cell coloured by its share of the possible score
and its value printed in it.

It shows exactly the group figures the scoring engine publishes (scoring/breakdowns.py): a group
that disclosure control suppresses is a hatched cell with no value, and its column says why
(fewer than k people, or withheld because its figures could be worked out from the others by
adding and subtracting). The leaders against the rest of the team is the first declared value
of the first attribute (the most senior role) beside the team minus it: shown only when that
group is itself published, so the rest adds no figure that the team and the group do not give.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from app.reports.formatting import DASH, score_text, signed_text
from app.reports.palette import INK, WHITE, contrast_ratio
from app.wording import breakdown_note
from app.wording.report_text import breakdown_not_shown
from scoring import AssessmentResult, Package
from scoring.breakdowns import OTHER_GROUP, AttributeBreakdown, GroupScores
from scoring.rollup import percent_of_possible, to_display

__all__ = [
    "HEATMAP_COLOURS",
    "SUPPRESSED_BACKGROUND",
    "HeatmapCell",
    "HeatmapColumn",
    "HeatmapRow",
    "HeatmapTable",
    "HeatmapView",
    "LeadersView",
    "LegendSwatch",
    "cell_colours",
    "heatmap_view",
]

HEATMAP_COLOURS = ("#eff3ff", "#c6dbef", "#6baed6", "#2f6fae", "#08306b")
"""One hue (blue), light to dark, one class per fifth of the possible score. A single-hue ramp
reads in greyscale and to every kind of colour blindness; the printed value carries the number."""

SUPPRESSED_BACKGROUND = "#e4e7eb"  # the darker stripe of the hatch, for the contrast check
OTHER_POOLED = "Other (pooled)"
Suppression = Literal["", "small", "withheld"]


@dataclass(frozen=True, slots=True)
class HeatmapCell:
    text: str  # the score as printed, or "–"
    background: str  # "" when there is no score to colour
    ink: str
    suppressed: bool = False
    emphasis: bool = False  # a leaders-vs-rest difference the findings name as a group gap


@dataclass(frozen=True, slots=True)
class HeatmapColumn:
    label: str  # the value's label without its explanation in brackets
    full_label: str
    n: int | None  # None for a suppressed group: no figure of it is published
    note: str  # "n = 4", "n < 3" or "withheld"
    suppression: Suppression = ""


@dataclass(frozen=True, slots=True)
class HeatmapRow:
    title: str
    cells: tuple[HeatmapCell, ...]
    total: bool = False  # the overall row


@dataclass(frozen=True, slots=True)
class HeatmapTable:
    attribute_id: str
    label: str
    columns: tuple[HeatmapColumn, ...]  # the whole team first
    rows: tuple[HeatmapRow, ...]
    note: str  # which groups are pooled or withheld; or, with no group shown, why


@dataclass(frozen=True, slots=True)
class LeadersView:
    heading: str
    note: str  # who the leaders are, or why they are not shown beside the rest
    columns: tuple[HeatmapColumn, ...]  # leaders, the rest; empty when not shown
    rows: tuple[HeatmapRow, ...]  # cells: leaders, the rest, the difference


@dataclass(frozen=True, slots=True)
class LegendSwatch:
    label: str
    background: str
    ink: str


@dataclass(frozen=True, slots=True)
class HeatmapView:
    leaders: LeadersView | None
    tables: tuple[HeatmapTable, ...]
    legend: tuple[LegendSwatch, ...]
    legend_caption: str
    suppressed_notes: tuple[str, ...]  # what "n < k" and "withheld" mean


def cell_colours(percent: float | None) -> tuple[str, str]:
    """Background and text colour for a score's percent of the possible score: the class of
    its fifth, and whichever of ink and white contrasts more with it."""
    if percent is None:
        return "", INK
    index = min(len(HEATMAP_COLOURS) - 1, max(0, math.floor(percent / 20)))
    background = HEATMAP_COLOURS[index]
    ink = max((INK, WHITE), key=lambda colour: contrast_ratio(colour, background))
    return background, ink


def short_label(label: str) -> str:
    """ "Executive (CEO, founder or leadership-team member)" reads "Executive" in a column."""
    if label == OTHER_POOLED:
        return label
    return re.sub(r"\s*\([^()]*\)$", "", label) or label


class _Scales:
    """Each row's team score and percent, to place a group's score on the same scale."""

    def __init__(self, package: Package, result: AssessmentResult) -> None:
        self.package = package
        team = result.team
        self.by_row: dict[str, tuple[Decimal | None, float | None]] = {
            d.dimension_id: (d.score, d.percent) for d in team.dimensions
        }
        self.by_row["overall"] = (team.overall.score, team.overall.percent)

    def cell(self, row: str, value: Decimal | None, *, emphasis: bool = False) -> HeatmapCell:
        if value is None:
            return HeatmapCell(DASH, "", INK, emphasis=emphasis)
        score, percent = self.by_row[row]
        background, ink = cell_colours(percent_of_possible(self.package, value, score, percent))
        return HeatmapCell(score_text(value), background, ink, emphasis=emphasis)


def _suppressed_cell() -> HeatmapCell:
    return HeatmapCell(DASH, SUPPRESSED_BACKGROUND, INK, suppressed=True)


def _row_ids(result: AssessmentResult) -> list[tuple[str, str]]:
    return [(d.dimension_id, d.title) for d in result.team.dimensions] + [("overall", "Overall")]


def _group_value(group: GroupScores, row: str) -> Decimal | None:
    return group.overall if row == "overall" else group.dimensions.get(row)


def _is_pool(group: GroupScores) -> bool:
    return group.value == OTHER_GROUP


def _columns(
    package: Package, breakdown: AttributeBreakdown, k: int
) -> list[tuple[HeatmapColumn, GroupScores | None]]:
    """Shown and withheld groups in declared order, then the pool of small groups."""
    attribute = next(a for a in package.questionnaire.attributes if a.id == breakdown.attribute_id)
    shown = {g.value: g for g in breakdown.groups if not _is_pool(g)}
    pool = next((g for g in breakdown.groups if _is_pool(g)), None)
    withheld = set(breakdown.withheld_values)
    columns: list[tuple[HeatmapColumn, GroupScores | None]] = []
    for value in attribute.values:
        if value.id in breakdown.pooled_values:
            continue
        if value.id in shown:
            group = shown[value.id]
            note = f"n = {group.n}"
            columns.append(
                (HeatmapColumn(short_label(value.label), value.label, group.n, note), group)
            )
        elif value.id in withheld:
            column = HeatmapColumn(
                short_label(value.label), value.label, None, "withheld", "withheld"
            )
            columns.append((column, None))
    if pool is not None:
        column = HeatmapColumn(OTHER_POOLED, OTHER_POOLED, pool.n, f"n = {pool.n}")
        columns.append((column, pool))
    elif OTHER_GROUP in withheld and breakdown.pooled_values:
        columns.append(
            (HeatmapColumn(OTHER_POOLED, OTHER_POOLED, None, "withheld", "withheld"), None)
        )
    elif breakdown.pooled_values:
        columns.append((HeatmapColumn(OTHER_POOLED, OTHER_POOLED, None, f"n < {k}", "small"), None))
    return columns


def _table(
    package: Package, result: AssessmentResult, breakdown: AttributeBreakdown, scales: _Scales
) -> HeatmapTable:
    k = result.anonymity_k
    team_n = len(result.respondents)
    team_column = HeatmapColumn("Whole team", "Whole team", team_n, f"n = {team_n}")
    columns = _columns(package, breakdown, k)
    rows = []
    for row_id, title in _row_ids(result):
        team_value = scales.by_row[row_id][0]
        cells = [scales.cell(row_id, team_value)]
        for _, group in columns:
            cells.append(
                _suppressed_cell()
                if group is None
                else scales.cell(row_id, _group_value(group, row_id))
            )
        rows.append(HeatmapRow(title, tuple(cells), total=row_id == "overall"))
    return HeatmapTable(
        attribute_id=breakdown.attribute_id,
        label=breakdown.label,
        columns=(team_column, *(column for column, _ in columns)),
        rows=tuple(rows),
        note=breakdown_not_shown(breakdown, k) or breakdown_note(breakdown, k),
    )


def _mean(package: Package, values: Sequence[float]) -> Decimal | None:
    return to_display(package, math.fsum(values) / len(values)) if values else None


def _leaders(package: Package, result: AssessmentResult, scales: _Scales) -> LeadersView | None:
    attributes = package.questionnaire.attributes
    if not attributes or not attributes[0].values:
        return None
    attribute, value = attributes[0], attributes[0].values[0]
    label = short_label(value.label)
    heading = f"Leaders ({label}) against the rest of the team"
    k = result.anonymity_k
    breakdown = next(b for b in result.team.breakdowns if b.attribute_id == attribute.id)
    group = next(
        (
            g
            for g in breakdown.groups
            if g.value == value.id and value.id not in breakdown.pooled_values
        ),
        None,
    )
    members = [r for r in result.respondents if r.attributes.get(attribute.id) == value.id]
    rest = [r for r in result.respondents if r.attributes.get(attribute.id) != value.id]
    if group is None:
        if not members:
            why = f"no respondent gave {attribute.label.lower()}: {value.label}."
        elif value.id in breakdown.withheld_values:
            why = (
                f"beside the other figures shown, its scores would let a group of fewer than {k} "
                "people be worked out."
            )
        else:
            why = f"fewer than {k} respondents gave {attribute.label.lower()}: {value.label}."
        return LeadersView(heading, f"Not shown: {why}", (), ())
    if len(rest) < max(k, 1):
        why = f"fewer than {k} respondents are not in this group."
        return LeadersView(heading, f"Not shown: {why}", (), ())
    gap_rows: set[str] = set()
    for finding in result.team.findings:
        if (
            finding.code == "group_gap"
            and finding.figures.get("attribute_id") == attribute.id
            and finding.figures.get("group") == group.label
        ):
            gap_rows.update(finding.dimension_ids)
    rows = []
    for row_id, title in _row_ids(result):
        mine = _group_value(group, row_id)
        if row_id == "overall":
            theirs = _mean(package, [v for r in rest if (v := r.overall.raw) is not None])
        else:
            theirs = _mean(
                package, [v for r in rest if (v := r.dimension_raws[row_id]) is not None]
            )
        emphasis = row_id in gap_rows
        difference = None if mine is None or theirs is None else mine - theirs
        rows.append(
            HeatmapRow(
                title,
                (
                    scales.cell(row_id, mine),
                    scales.cell(row_id, theirs),
                    HeatmapCell(signed_text(difference), "", INK, emphasis=emphasis),
                ),
                total=row_id == "overall",
            )
        )
    columns = (
        HeatmapColumn(label, value.label, group.n, f"n = {group.n}"),
        HeatmapColumn("Rest of the team", "Rest of the team", len(rest), f"n = {len(rest)}"),
    )
    note = (
        f"Leaders: the respondents who answered “{attribute.label}” with “{value.label}”. The "
        "rest of the team is everyone else, so its scores follow from the team's and the "
        "leaders'."
        + (
            " A difference in bold reaches the share of the scale that the findings call a gap."
            if gap_rows
            else ""
        )
    )
    return LeadersView(heading, note, columns, tuple(rows))


def _legend(package: Package) -> tuple[tuple[LegendSwatch, ...], str]:
    model = package.stage_model
    swatches = []
    for index, background in enumerate(HEATMAP_COLOURS):
        low, high = index * 20, (index + 1) * 20
        if package.rollups.in_points:
            label = f"{low}–{high} %"
        else:
            width = model.scale.max - model.scale.min
            low_text = model.scale.min + width * low / 100
            high_text = model.scale.min + width * high / 100
            label = f"{low_text:g}–{high_text:g}"
        _, ink = cell_colours(low)
        swatches.append(LegendSwatch(label, background, ink))
    caption = (
        "Colour: the score's share of the possible score, in fifths."
        if package.rollups.in_points
        else f"Colour: the score, in fifths of the scale from {model.scale.min} to {model.scale.max}."
    )
    return tuple(swatches), caption


def heatmap_view(package: Package, result: AssessmentResult) -> HeatmapView | None:
    """The heatmap of a team's scores by group; None when the questionnaire declares no
    respondent attribute."""
    if not result.team.breakdowns:
        return None
    scales = _Scales(package, result)
    k = result.anonymity_k
    legend, caption = _legend(package)
    return HeatmapView(
        leaders=_leaders(package, result, scales),
        tables=tuple(_table(package, result, b, scales) for b in result.team.breakdowns),
        legend=legend,
        legend_caption=caption,
        suppressed_notes=(
            f"n < {k}: fewer than {k} people, never shown on their own.",
            "withheld: at least "
            f"{k} people, but its scores could be worked out from the other figures shown, by "
            f"adding and subtracting, for a group of fewer than {k} people.",
        ),
    )
