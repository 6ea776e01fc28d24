"""What a team's results say, most important first, as facts: a code, its subjects, its figures.

The engine never words a finding: app/ holds one whole-sentence template per code. The order is
a declared rule: a split (contested dimensions) comes first, then the biggest gap between two
groups shown for one attribute, then an incomplete reading, then the weakest and the strongest
dimension, then how precise the overall score is, then how far the team agrees. `split` and
`agreement` exclude each other, so a team is never called aligned while it is split.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from scoring.agreement import AGREEMENT_LEVELS
from scoring.breakdowns import AttributeBreakdown
from scoring.package import Package
from scoring.results import ScoreSummary
from scoring.rollup import to_display
from scoring.team_stats import DimensionStats, OverallStats, raw_ceiling

__all__ = ["GROUP_GAP_SHARE", "Finding", "FindingCode", "team_findings"]

GROUP_GAP_SHARE = 0.15
"""A gap between two groups is a finding from 15 % of the scale's width."""

FindingCode = Literal[
    "split",
    "group_gap",
    "provisional",
    "weakest",
    "strongest",
    "borderline",
    "interval",
    "no_interval",
    "agreement",
]
Figure = str | int | float | Decimal | bool | None | tuple[tuple[str, int, int], ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """`dimension_ids` are the subjects, in the order to name them; `figures` the numbers."""

    code: FindingCode
    dimension_ids: tuple[str, ...] = ()
    figures: Mapping[str, Figure] = field(default_factory=dict)


def team_findings(
    package: Package,
    summary: ScoreSummary,
    stats: Mapping[str, DimensionStats],
    overall: OverallStats,
    breakdowns: Sequence[AttributeBreakdown],
    *,
    completeness: float,
    provisional: bool,
) -> tuple[Finding, ...]:
    """The findings of a team (or of one person: no split, gap or interval then)."""
    findings: list[Finding] = []
    contested = sorted(
        (s for s in stats.values() if s.contested),
        key=lambda s: (s.agreement or 0.0, -(s.sd or 0.0), s.dimension_id),
    )
    if contested:
        spans = tuple((s.dimension_id, *s.stage_span) for s in contested if s.stage_span)
        findings.append(
            Finding("split", tuple(s.dimension_id for s in contested), {"spans": spans})
        )
    gap = _biggest_group_gap(package, breakdowns)
    if gap is not None:
        findings.append(gap)
    if provisional:
        findings.append(Finding("provisional", (), {"completeness": completeness}))
    findings.extend(_extremes(summary))
    findings.append(_precision(summary, overall))
    if not contested and overall.n >= 2:
        rated = [s for s in stats.values() if s.agreement_level is not None]
        if rated:
            lowest = min(
                rated,
                key=lambda s: (AGREEMENT_LEVELS.index(s.agreement_level or "none"), s.agreement),
            )
            findings.append(
                Finding(
                    "agreement",
                    (lowest.dimension_id,),
                    {"level": lowest.agreement_level, "agreement": lowest.agreement},
                )
            )
    return tuple(findings)


def _biggest_group_gap(
    package: Package, breakdowns: Sequence[AttributeBreakdown]
) -> Finding | None:
    best = 0.0
    chosen: Finding | None = None
    for breakdown in breakdowns:
        for dimension in package.questionnaire.dimensions:
            ceiling = raw_ceiling(package, dimension)
            width = to_display(package, ceiling) - to_display(package, 0.0)
            scored = [g for g in breakdown.groups if g.dimensions.get(dimension.id) is not None]
            if len(scored) < 2:
                continue
            high = max(scored, key=lambda g: (g.dimensions[dimension.id], g.value))
            low = min(scored, key=lambda g: (g.dimensions[dimension.id], g.value))
            high_score, low_score = high.dimensions[dimension.id], low.dimensions[dimension.id]
            assert high_score is not None and low_score is not None
            share = float(high_score - low_score) / float(width)
            if round(share, 9) >= GROUP_GAP_SHARE and share > best:
                best = share
                chosen = Finding(
                    "group_gap",
                    (dimension.id,),
                    {
                        "attribute_id": breakdown.attribute_id,
                        "high_group": high.label,
                        "high_n": high.n,
                        "high_score": high_score,
                        "low_group": low.label,
                        "low_n": low.n,
                        "low_score": low_score,
                        "gap": high_score - low_score,
                    },
                )
    return chosen


def _extremes(summary: ScoreSummary) -> list[Finding]:
    scored = [d for d in summary.dimensions if d.percent is not None and d.stage is not None]
    if not scored:
        return []
    weakest = min(scored, key=lambda d: (round(d.percent or 0.0, 9), d.dimension_id))
    strongest = max(scored, key=lambda d: (round(d.percent or 0.0, 9), d.dimension_id))
    found = [
        Finding(
            "weakest",
            (weakest.dimension_id,),
            {
                "score": weakest.score,
                "stage_index": weakest.stage.stage_index if weakest.stage else None,
            },
        )
    ]
    if strongest.dimension_id != weakest.dimension_id:
        found.append(
            Finding(
                "strongest",
                (strongest.dimension_id,),
                {
                    "score": strongest.score,
                    "stage_index": strongest.stage.stage_index if strongest.stage else None,
                },
            )
        )
    return found


def _precision(summary: ScoreSummary, overall: OverallStats) -> Finding:
    interval = overall.interval
    if interval is None:
        return Finding("no_interval", (), {"n": overall.n})
    figures: dict[str, Figure] = {
        "n": interval.n,
        "low": interval.low,
        "high": interval.high,
        "score": summary.overall.score,
    }
    return Finding("borderline" if overall.borderline else "interval", (), figures)
