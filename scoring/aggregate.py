"""Aggregates many respondents: team scores, spread and agreement, disputed items, breakdowns."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring.agreement import Spread, rwg, rwg_j, spread
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
from scoring.rollup import to_display

__all__ = [
    "AttributeBreakdown",
    "DimensionStats",
    "GroupScores",
    "ItemStats",
    "TeamAggregate",
    "aggregate_respondents",
]

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
    def range(self) -> float | None:
        return None if self.minimum is None or self.maximum is None else self.maximum - self.minimum


@dataclass(frozen=True, slots=True)
class DimensionStats:
    """Spread of respondents' dimension scores (display scale) and the dimension's rwg(J)."""

    dimension_id: str
    n: int
    mean: Decimal | None
    sd: float | None
    minimum: Decimal | None
    maximum: Decimal | None
    rwg: float | None


@dataclass(frozen=True, slots=True)
class GroupScores:
    """Mean scores of one attribute group; `value` is "other" for pooled small groups."""

    value: str
    label: str
    n: int
    dimensions: Mapping[str, Decimal | None]
    overall: Decimal | None


@dataclass(frozen=True, slots=True)
class AttributeBreakdown:
    attribute_id: str
    label: str
    groups: tuple[GroupScores, ...]
    pooled_values: tuple[str, ...]  # values too small to show alone, pooled into "other" or hidden
    note: str


@dataclass(frozen=True, slots=True)
class TeamAggregate:
    summary: ScoreSummary
    item_values: Mapping[str, float | None]
    item_stats: Mapping[str, ItemStats]
    dimension_stats: Mapping[str, DimensionStats]
    disputed_items: tuple[ItemStats, ...]
    breakdowns: tuple[AttributeBreakdown, ...]
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
    return TeamAggregate(
        summary=summary,
        item_values=item_values,
        item_stats=item_stats,
        dimension_stats=_dimension_stats(package, respondents, item_stats),
        disputed_items=tuple(disputed[:DISPUTED_ITEMS_SHOWN]),
        breakdowns=tuple(
            _breakdown(package, attribute.id, attribute.label, respondents, anonymity_k)
            for attribute in package.questionnaire.attributes
        ),
        completeness=completeness,
        provisional=completeness < package.stage_model.min_completeness,
    )


def _mean_dimension_raws(
    package: Package, respondents: Sequence[RespondentResult]
) -> dict[str, float | None]:
    means: dict[str, float | None] = {}
    for dimension in package.all_dimensions:
        values = [v for r in respondents if (v := r.dimension_raws[dimension.id]) is not None]
        means[dimension.id] = math.fsum(values) / len(values) if values else None
    return means


def _distinct_values(package: Package, item: Item) -> int | None:
    if item.kind is ItemKind.MULTI_CHOICE:
        return None
    if item.kind in BANDED_KINDS:
        return len({band.value for band in item.bands})
    return len(set(package.option_values[item.id].values()))


def _item_stats(package: Package, item: Item, respondents: Sequence[RespondentResult]) -> ItemStats:
    answers = [respondent.answers[item.id] for respondent in respondents]
    observed = spread([a.value for a in answers if a.value is not None])
    answered = [a.raw for a in answers if a.status == "answered"]
    distribution = _distribution(item, answered)
    distribution.update(a.status for a in answers if a.status in ("na", "dont_know"))
    return ItemStats(
        item_id=item.id,
        dimension_id=package.item_dimension[item.id],
        n=0 if observed is None else observed.n,
        mean=None if observed is None else observed.mean,
        sd=None if observed is None else observed.sd,
        minimum=None if observed is None else observed.minimum,
        maximum=None if observed is None else observed.maximum,
        rwg=None if observed is None else rwg(observed, _distinct_values(package, item)),
        distribution=dict(sorted(distribution.items())),
    )


def _distribution(item: Item, answered: list[object]) -> Counter[str]:
    """How many chose each option (or band, for numbers); free text is not counted."""
    kind = item.kind
    if kind is ItemKind.TEXT:
        return Counter()
    if kind is ItemKind.YES_NO:
        return Counter("yes" if raw is True or raw == "yes" else "no" for raw in answered)
    if kind is ItemKind.MULTI_CHOICE:
        return Counter(str(choice) for raw in answered for choice in raw)  # type: ignore[attr-defined]
    if kind in BANDED_KINDS:
        return Counter(_band_label(item, raw) for raw in answered)  # type: ignore[arg-type]
    return Counter(str(raw) for raw in answered)


def _band_label(item: Item, number: float) -> str:
    for band in item.bands:
        if band.max is None or number <= band.max:
            return band.label or (f"up to {band.max:g}" if band.max is not None else "above")
    return "above"  # pragma: no cover - the last band is open


def _dimension_stats(
    package: Package, respondents: Sequence[RespondentResult], item_stats: Mapping[str, ItemStats]
) -> dict[str, DimensionStats]:
    result = {}
    for dimension in package.questionnaire.dimensions:
        raws = [v for r in respondents if (v := r.dimension_raws[dimension.id]) is not None]
        observed = spread(raws)
        items = [
            (_as_spread(s), _distinct_values(package, package.items[item_id]))
            for item_id, s in item_stats.items()
            if s.dimension_id == dimension.id and s.n > 0
        ]
        display_sd = None
        if observed is not None:
            unit = to_display(package, 1.0) - to_display(package, 0.0)
            display_sd = observed.sd * float(unit)
        result[dimension.id] = DimensionStats(
            dimension_id=dimension.id,
            n=len(raws),
            mean=None if observed is None else to_display(package, observed.mean),
            sd=display_sd,
            minimum=None if observed is None else to_display(package, observed.minimum),
            maximum=None if observed is None else to_display(package, observed.maximum),
            rwg=rwg_j(items),
        )
    return result


def _as_spread(stats: ItemStats) -> Spread:
    return Spread(
        stats.n, stats.mean or 0.0, stats.sd or 0.0, stats.minimum or 0.0, stats.maximum or 0.0
    )


def _breakdown(
    package: Package,
    attribute_id: str,
    label: str,
    respondents: Sequence[RespondentResult],
    anonymity_k: int,
) -> AttributeBreakdown:
    groups: dict[str, list[RespondentResult]] = {}
    for respondent in respondents:
        value = respondent.attributes.get(attribute_id)
        if value is not None:
            groups.setdefault(value, []).append(respondent)
    small = sorted(value for value, members in groups.items() if len(members) < anonymity_k)
    shown = {value: members for value, members in groups.items() if value not in small}
    pooled = [r for value in small for r in groups[value]]
    # A lone small group could be worked out from the total minus the shown groups, so
    # pooling continues with the smallest shown group until the pool itself reaches k.
    while pooled and len(pooled) < anonymity_k and shown:
        smallest = min(shown, key=lambda v: (len(shown[v]), v))
        pooled.extend(shown.pop(smallest))
        small.append(smallest)
    labels = {
        v.id: v.label
        for attribute in package.questionnaire.attributes
        if attribute.id == attribute_id
        for v in attribute.values
    }
    result = [
        _group(package, value, labels.get(value, value), members)
        for value, members in sorted(shown.items())
    ]
    if len(pooled) >= anonymity_k:
        result.append(_group(package, "other", "Other (pooled)", pooled))
    note = (
        f"Groups of fewer than {anonymity_k} respondents are not shown on their own."
        if small
        else ""
    )
    return AttributeBreakdown(attribute_id, label, tuple(result), tuple(sorted(small)), note)


def _group(
    package: Package, value: str, label: str, members: Sequence[RespondentResult]
) -> GroupScores:
    raws = _mean_dimension_raws(package, members)
    dimensions = {
        d.id: None if (raw := raws[d.id]) is None else to_display(package, raw)
        for d in package.questionnaire.dimensions
    }
    overall_values = [r.overall.raw for r in members if r.overall.raw is not None]
    overall = (
        to_display(package, math.fsum(overall_values) / len(overall_values))
        if overall_values
        else None
    )
    return GroupScores(value, label, len(members), dimensions, overall)
