"""How firm a team's results are, as display-ready text: the findings, each dimension's reading
(with the stages a contested dimension spans), its spread and agreement, its 95 % interval and
whether the interval crosses a stage boundary. The console's results page and
`opsmaturity score` both read it, so they say the same thing in the same words."""

from __future__ import annotations

from dataclasses import dataclass

from app.wording import agreement_label, interval_text, stage_reading, summary_sentences
from scoring import (
    AgreementLevel,
    AssessmentResult,
    DimensionScore,
    DimensionStats,
    Package,
    ScoreInterval,
)

__all__ = ["DimensionReading", "TeamReading", "team_reading"]

DASH = "–"


@dataclass(frozen=True, slots=True)
class DimensionReading:
    dimension_id: str
    title: str
    reading: str  # "Structured", or "Structured, contested: answers span Reactive to Managed"
    mean_text: str  # respondents' scores on the display scale
    range_text: str
    sd_text: str
    agreement_index_text: str  # r*wg(J), "0.42"
    agreement_level: AgreementLevel | None
    agreement_text: str  # "no real agreement"
    interval_text: str  # "52.1–84.0 (95 % interval, 4 respondents)"
    borderline: bool
    contested: bool


@dataclass(frozen=True, slots=True)
class TeamReading:
    findings: tuple[str, ...]  # most important first
    overall_interval_text: str
    overall_borderline: bool
    contested_titles: tuple[str, ...]  # in questionnaire order
    dimensions: tuple[DimensionReading, ...]


def _interval_text(n: int, interval: ScoreInterval | None) -> str:
    # With nobody scored there is no respondent to speak of, not even one.
    return DASH if n == 0 else interval_text(interval)


def _dimension_reading(
    package: Package, dimension: DimensionScore, stats: DimensionStats
) -> DimensionReading:
    return DimensionReading(
        dimension_id=dimension.dimension_id,
        title=dimension.title,
        reading=stage_reading(package, dimension.stage, stats),
        mean_text=DASH if stats.mean is None else str(stats.mean),
        range_text=DASH if stats.minimum is None else f"{stats.minimum}–{stats.maximum}",
        sd_text=DASH if stats.sd is None else f"{stats.sd:.1f}",
        agreement_index_text=DASH if stats.agreement is None else f"{stats.agreement:.2f}",
        agreement_level=stats.agreement_level,
        agreement_text=agreement_label(stats.agreement_level),
        interval_text=_interval_text(stats.n, stats.interval),
        borderline=bool(stats.borderline),
        contested=stats.contested,
    )


def team_reading(package: Package, result: AssessmentResult) -> TeamReading:
    """The team's findings and the firmness of each stage, in the questionnaire's order."""
    team = result.team
    overall = team.overall_stats
    dimensions = tuple(
        _dimension_reading(package, d, team.dimension_stats[d.dimension_id])
        for d in team.dimensions
    )
    contested = set(overall.contested_dimensions)
    return TeamReading(
        findings=summary_sentences(package, team),
        overall_interval_text=_interval_text(overall.n, overall.interval),
        overall_borderline=bool(overall.borderline),
        contested_titles=tuple(d.title for d in dimensions if d.dimension_id in contested),
        dimensions=dimensions,
    )
