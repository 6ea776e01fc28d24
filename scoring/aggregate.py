"""Aggregates many respondents: team scores, agreement, intervals, breakdowns and findings."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scoring.agreement import AgreementLevel, Observed, agreement_level, rwg, spread
from scoring.breakdowns import AttributeBreakdown, attribute_breakdowns
from scoring.findings import Finding, team_findings
from scoring.package import Package
from scoring.questionnaire import BANDED_KINDS, Item, ItemKind
from scoring.respondent import RespondentResult
from scoring.results import (
    DimensionScore,
    OverallScore,
    QuadrantPlacement,
    ScoreSummary,
    summarise_scores,
)
from scoring.team_stats import DimensionStats, OverallStats, dimension_stats, overall_stats

__all__ = ["DISPUTED_ITEMS_SHOWN", "ItemStats", "TeamAggregate", "aggregate_respondents"]

DISPUTED_ITEMS_SHOWN = 5


@dataclass(frozen=True, slots=True)
class ItemStats:
    """Team figures for one item on the normalised 0..1 scale; `distribution` counts raw answers."""

    item_id: str
    dimension_id: str
    n: int
    mean: float | None
    sd: float | None
    minimum: float | None
    maximum: float | None
    rwg: float | None
    distribution: Mapping[str, int]

    @property
    def agreement_level(self) -> AgreementLevel | None:
        """rwg's level, capped by the answers' SD (on 0..1, the scale's width is 1)."""
        return agreement_level(self.rwg, sd_share=self.sd or 0.0)

    @property
    def range(self) -> float | None:
        return None if self.minimum is None or self.maximum is None else self.maximum - self.minimum

    @property
    def variance(self) -> float:
        """The answers' sample variance (0 below two answers)."""
        return (self.sd or 0.0) ** 2


@dataclass(frozen=True, slots=True)
class TeamAggregate:
    summary: ScoreSummary
    item_values: Mapping[str, float | None]
    item_stats: Mapping[str, ItemStats]
    dimension_stats: Mapping[str, DimensionStats]
    overall_stats: OverallStats
    disputed_items: tuple[ItemStats, ...]
    breakdowns: tuple[AttributeBreakdown, ...]
    findings: tuple[Finding, ...]
    completeness: float
    provisional: bool

    @property
    def dimensions(self) -> tuple[DimensionScore, ...]:
        return self.summary.dimensions

    @property
    def overall(self) -> OverallScore:
        return self.summary.overall

    @property
    def quadrant(self) -> QuadrantPlacement | None:
        return self.summary.quadrant


def aggregate_respondents(
    package: Package, respondents: Sequence[RespondentResult], *, anonymity_k: int = 3
) -> TeamAggregate:
    """Combine scored respondents into team results (needs at least one respondent).

    A team dimension score is the mean of respondents' dimension scores; its stage and the
    overall stage follow the same rules as for one person, over those means. The order of
    respondents never changes a figure. Groups smaller than `anonymity_k` are never shown alone.
    """
    if not respondents:
        raise ValueError("aggregate_respondents needs at least one respondent")
    item_stats = {
        item_id: _item_stats(package, item, respondents) for item_id, item in package.items.items()
    }
    item_values = {item_id: stats.mean for item_id, stats in item_stats.items()}
    summary = summarise_scores(package, item_values, _mean_dimension_raws(package, respondents))
    completeness = math.fsum(r.completeness for r in respondents) / len(respondents)
    disputed = sorted(
        (s for s in item_stats.values() if s.n >= 2 and s.sd),
        key=lambda s: (s.rwg if s.rwg is not None else 1.0, -(s.sd or 0.0), s.item_id),
    )
    dimensions = dimension_stats(package, respondents, _item_spreads(package, item_stats))
    overall = overall_stats(package, respondents, summary, dimensions)
    breakdowns = attribute_breakdowns(package, respondents, anonymity_k)
    provisional = completeness < package.stage_model.min_completeness
    return TeamAggregate(
        summary=summary,
        item_values=item_values,
        item_stats=item_stats,
        dimension_stats=dimensions,
        overall_stats=overall,
        disputed_items=tuple(disputed[:DISPUTED_ITEMS_SHOWN]),
        breakdowns=breakdowns,
        findings=team_findings(
            package,
            respondents,
            summary,
            dimensions,
            overall,
            breakdowns,
            completeness=completeness,
            provisional=provisional,
        ),
        completeness=completeness,
        provisional=provisional,
    )


def _mean_dimension_raws(
    package: Package, respondents: Sequence[RespondentResult]
) -> dict[str, float | None]:
    means: dict[str, float | None] = {}
    for dimension in package.all_dimensions:
        values = [v for r in respondents if (v := r.dimension_raws[dimension.id]) is not None]
        means[dimension.id] = math.fsum(values) / len(values) if values else None
    return means


def _item_stats(package: Package, item: Item, respondents: Sequence[RespondentResult]) -> ItemStats:
    answers = [respondent.answers[item.id] for respondent in respondents]
    # What people said: an unanswered item's counted value (missing-answer rule) is not a view.
    observed = spread(
        [value for a in answers if a.status != "missing" and (value := a.value) is not None]
    )
    distribution = _distribution(item, [a.raw for a in answers if a.status == "answered"])
    for answer in answers:
        if answer.status == "na" or answer.status == "dont_know":
            distribution[answer.status] = distribution.get(answer.status, 0) + 1
    return ItemStats(
        item_id=item.id,
        dimension_id=package.item_dimension[item.id],
        n=0 if observed is None else observed.n,
        mean=None if observed is None else observed.mean,
        sd=None if observed is None else observed.sd,
        minimum=None if observed is None else observed.minimum,
        maximum=None if observed is None else observed.maximum,
        rwg=None if observed is None else rwg(observed, package.distinct_values[item.id]),
        distribution=dict(sorted(distribution.items())),
    )


def _distribution(item: Item, answered: list[object]) -> dict[str, int]:
    """How many chose each option (or band, for numbers); free text is not counted."""
    kind = item.kind
    if kind is ItemKind.TEXT:
        return {}
    if kind is ItemKind.YES_NO:
        labels: Iterable[str] = ("yes" if raw is True or raw == "yes" else "no" for raw in answered)
    elif kind is ItemKind.MULTI_CHOICE:
        labels = (str(choice) for raw in answered for choice in raw)  # type: ignore[attr-defined]
    elif kind in BANDED_KINDS:
        labels = (_band_label(item, raw) for raw in answered)  # type: ignore[arg-type]
    else:
        labels = (raw if isinstance(raw, str) else str(raw) for raw in answered)
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return counts


def _band_label(item: Item, number: float) -> str:
    for band in item.bands:
        if band.max is None or number <= band.max:
            return band.label or (f"up to {band.max:g}" if band.max is not None else "above")
    return "above"  # pragma: no cover - the last band is open


def _item_spreads(
    package: Package, item_stats: Mapping[str, ItemStats]
) -> dict[str, list[tuple[Observed, int | None]]]:
    """Each top-level dimension's answered items, with their count of distinct values."""
    spreads: dict[str, list[tuple[Observed, int | None]]] = {}
    for item_id, stats in item_stats.items():
        if stats.n > 0:
            spreads.setdefault(stats.dimension_id, []).append(
                (stats, package.distinct_values[item_id])
            )
    return spreads
