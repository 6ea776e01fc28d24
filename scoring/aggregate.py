"""Aggregates many respondents: team scores, agreement, intervals, breakdowns and findings."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import eq, itemgetter, ne
from typing import cast

from scoring.agreement import (
    AgreementLevel,
    Observed,
    Spread,
    agreement_level,
    counted_spread,
    rwg,
    spread,
)
from scoring.answers import ItemAnswer
from scoring.breakdowns import AttributeBreakdown, attribute_breakdowns
from scoring.findings import Finding, team_findings
from scoring.package import Package
from scoring.questionnaire import BANDED_KINDS, Band, Item, ItemKind
from scoring.respondent import RespondentResult
from scoring.results import DimensionScore, OverallScore, QuadrantPlacement, ScoreSummary
from scoring.team_stats import DimensionStats, OverallStats, dimension_stats, overall_stats

__all__ = ["DISPUTED_ITEMS_SHOWN", "ItemStats", "TeamAggregate", "aggregate_respondents"]

# ItemAnswer's fields by position: a tuple index is cheaper than a named field's look-up.
_status_of = itemgetter(ItemAnswer._fields.index("status"))
_value_of = itemgetter(ItemAnswer._fields.index("value"))
_raw_of = itemgetter(ItemAnswer._fields.index("raw"))

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
        item_id: _item_stats(package, item, answers)
        for (item_id, item), answers in zip(
            package.items.items(), _answer_columns(package, respondents), strict=True
        )
    }
    item_values = {item_id: stats.mean for item_id, stats in item_stats.items()}
    raws = _dimension_raws(package, respondents)
    # The same rules as for one respondent, on the team's means (scoring/_plan.py).
    summary = package.plan.summarise(
        list(item_values.values()),
        [math.fsum(values) / len(values) if values else None for values in raws.values()],
    )
    completeness = math.fsum(r.completeness for r in respondents) / len(respondents)
    disputed = sorted(
        (s for s in item_stats.values() if s.n >= 2 and s.sd),
        key=lambda s: (s.rwg if s.rwg is not None else 1.0, -(s.sd or 0.0), s.item_id),
    )
    dimensions = dimension_stats(package, raws, _item_spreads(package, item_stats))
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


def _answer_columns(
    package: Package, respondents: Sequence[RespondentResult]
) -> Iterator[tuple[ItemAnswer, ...]]:
    """Each item's answers (in questionnaire order), one per respondent."""
    item_ids = tuple(package.items)
    return zip(*[tuple(map(r.answers.__getitem__, item_ids)) for r in respondents], strict=True)


def _dimension_raws(
    package: Package, respondents: Sequence[RespondentResult]
) -> dict[str, list[float]]:
    """Each dimension's raw scores (every dimension, depth first), of those who have one."""
    ids = package.rollups.dimension_ids
    rows = [tuple(map(r.dimension_raws.__getitem__, ids)) for r in respondents]
    return {
        dimension_id: _present(column)
        for dimension_id, column in zip(ids, zip(*rows, strict=True), strict=True)
    }


def _present(values: Iterable[float | None]) -> list[float]:
    """The values that are not None, in order."""
    return [value for value in values if value is not None]


def _item_stats(package: Package, item: Item, answers: Sequence[ItemAnswer]) -> ItemStats:
    statuses, observed, raws = _tallies(item, answers)
    distribution = _distribution(item, raws)
    for status in ("na", "dont_know"):
        if count := statuses.get(status):
            distribution[status] = distribution.get(status, 0) + count
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


# How often each status occurs; the spread of the values people gave (an unanswered item's
# value under the missing-answer rule is not a view); how often each raw answer was given by
# those who answered (a multiple choice's as a tuple).
_Tallies = tuple[Mapping[str, int], Spread | None, Counter[object]]

# Kinds whose answers are a few fixed ones, so that in a big team counting whole answers first
# pays (in a small one, counting costs more than it saves).
_FEW_ANSWERS = frozenset({ItemKind.SCALE, ItemKind.SINGLE_CHOICE, ItemKind.YES_NO})
_BIG_TEAM = 64


def _tallies(item: Item, answers: Sequence[ItemAnswer]) -> _Tallies:
    if item.kind in _FEW_ANSWERS and len(answers) >= _BIG_TEAM:
        try:
            return _tallies_of_few(Counter(answers))
        except TypeError:  # a hidden item's answer that cannot be a key: one by one
            pass
    statuses = list(map(_status_of, answers))
    said = _where(answers, statuses, ne, "missing") if "missing" in statuses else answers
    observed = spread([value for value in map(_value_of, said) if value is not None])
    answered = answers
    if statuses.count("answered") != len(answers):
        answered = _where(answers, statuses, eq, "answered")
    raws = map(_raw_of, answered)
    if item.kind is ItemKind.MULTI_CHOICE:
        raws = map(tuple, raws)
    counts = {status: statuses.count(status) for status in ("na", "dont_know")}
    return counts, observed, Counter(raws)


def _tallies_of_few(counted: Counter[ItemAnswer]) -> _Tallies:
    statuses: dict[str, int] = {}
    values: dict[float, int] = {}
    raws: Counter[object] = Counter()
    for answer, count in counted.items():
        status = answer.status
        statuses[status] = statuses.get(status, 0) + count
        if answer.value is not None and status != "missing":
            values[answer.value] = values.get(answer.value, 0) + count
        if status == "answered":
            raws[answer.raw] += count
    return statuses, counted_spread(values), raws


def _where(
    answers: Sequence[ItemAnswer],
    statuses: Sequence[str],
    compare: Callable[[str, str], bool],
    status: str,
) -> list[ItemAnswer]:
    """The answers whose status (in `statuses`) compares true with `status`."""
    return list(compress(answers, map(compare, statuses, repeat(status))))


def _distribution(item: Item, answered: Counter[object]) -> dict[str, int]:
    """How many chose each option (or band, for numbers), from how often each raw answer was
    given; free text is not counted."""
    kind = item.kind
    if kind is ItemKind.TEXT:
        return {}
    if kind is ItemKind.YES_NO:
        return _labelled(answered.items(), _yes_no_label)
    if kind is ItemKind.MULTI_CHOICE:
        chosen: Counter[object] = Counter()
        for options, count in answered.items():
            for option in cast("tuple[str, ...]", options):
                chosen[option] += count
        return _labelled(chosen.items(), str)
    if kind in BANDED_KINDS:
        # the first band whose max the number does not exceed; the last band is open
        uppers = [math.inf if band.max is None else band.max for band in item.bands]
        labels = [_band_label(band) for band in item.bands]
        return _labelled(
            answered.items(),
            lambda number: labels[bisect_left(uppers, cast("float", number))],
        )
    # an option's id: a str, as every answer that fits a choice item is
    return _labelled(answered.items(), str)


def _labelled(
    counted: Iterable[tuple[object, int]], label: Callable[[object], str]
) -> dict[str, int]:
    counts: dict[str, int] = {}
    for answer, count in counted:
        name = label(answer)
        counts[name] = counts.get(name, 0) + count
    return counts


def _yes_no_label(raw: object) -> str:
    return "yes" if raw is True or raw == "yes" else "no"


def _band_label(band: Band) -> str:
    return band.label or (f"up to {band.max:g}" if band.max is not None else "above")


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
