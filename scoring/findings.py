"""What a team's results say, most important first, as facts: a code, its subjects, its figures.

The engine never words a finding: app/ holds one whole-sentence template per code. The order is
a declared rule: a split (contested dimensions) comes first, then the group shown in a
breakdown whose view differs most from the rest of the team (leaders against the rest, say),
then an incomplete reading, then the weakest and the strongest
dimension, then how precise the overall score is, then how far the team agrees. `split` and
`agreement` exclude each other, so a team is never called aligned while it is split.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from scoring.agreement import AGREEMENT_LEVELS
from scoring.breakdowns import OTHER_GROUP, AttributeBreakdown
from scoring.package import Package
from scoring.respondent import RespondentResult
from scoring.results import ScoreSummary
from scoring.rollup import raw_ceiling, to_display
from scoring.team_stats import DimensionStats, OverallStats

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
Figure = str | int | float | Decimal | bool | None | tuple[tuple[str | int | Decimal, ...], ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """`dimension_ids` are the subjects, in the order to name them; `figures` the numbers."""

    code: FindingCode
    dimension_ids: tuple[str, ...] = ()
    figures: Mapping[str, Figure] = field(default_factory=dict)


def team_findings(
    package: Package,
    respondents: Sequence[RespondentResult],
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
    gap = _biggest_group_gap(package, respondents, breakdowns)
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
    package: Package,
    respondents: Sequence[RespondentResult],
    breakdowns: Sequence[AttributeBreakdown],
) -> Finding | None:
    """The shown group whose view differs most from the rest of the team, with every
    dimension where the difference reaches `GROUP_GAP_SHARE` of the scale, widest first.

    The rest of the team is the team minus the group: both are published, so this adds no
    figure that could not be worked out already."""
    dimensions = [(d.id, raw_ceiling(package, d)) for d in package.questionnaire.dimensions]
    team = {dimension_id: _total(respondents, dimension_id) for dimension_id, _ in dimensions}
    best: tuple[float, Finding] | None = None
    for breakdown in breakdowns:
        for group in breakdown.groups:
            members = [r for r in respondents if _in_group(r, breakdown, group.value)]
            gaps = []
            for dimension_id, ceiling in dimensions:
                mine, theirs = _group_and_rest_means(team[dimension_id], members, dimension_id)
                if mine is not None and theirs is not None:
                    share = abs(mine - theirs) / ceiling
                    if round(share, 9) >= GROUP_GAP_SHARE:
                        gaps.append((share, dimension_id, mine, theirs))
            if not gaps:
                continue
            gaps.sort(key=lambda gap: (-gap[0], gap[1]))
            if best is not None and gaps[0][0] <= best[0]:
                continue
            scores = tuple(
                (d, to_display(package, mine), to_display(package, theirs))
                for _, d, mine, theirs in gaps
            )
            figures: dict[str, Figure] = {
                "attribute_id": breakdown.attribute_id,
                "group": group.label,
                "group_n": len(members),
                "rest_n": len(respondents) - len(members),
                "scores": scores,
            }
            best = (gaps[0][0], Finding("group_gap", tuple(d for _, d, _, _ in gaps), figures))
    return None if best is None else best[1]


def _total(respondents: Sequence[RespondentResult], dimension_id: str) -> tuple[float, int]:
    """The sum of a dimension's scores over those who have one, and how many they are."""
    present = [v for r in respondents if (v := r.dimension_raws[dimension_id]) is not None]
    return math.fsum(present), len(present)


def _group_and_rest_means(
    team: tuple[float, int], members: Sequence[RespondentResult], dimension_id: str
) -> tuple[float | None, float | None]:
    """The group's mean and the rest of the team's, the rest's from the team's sum minus the
    group's (a difference of exact sums, so it differs from summing the rest by rounding only)."""
    total, count = _total(members, dimension_id)
    rest = team[1] - count
    return (
        total / count if count else None,
        (team[0] - total) / rest if rest else None,
    )


def _in_group(respondent: RespondentResult, breakdown: AttributeBreakdown, value: str) -> bool:
    stated = respondent.attributes.get(breakdown.attribute_id)
    if value == OTHER_GROUP:
        return stated in breakdown.pooled_values
    return stated == value


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
