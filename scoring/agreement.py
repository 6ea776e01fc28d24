"""Spread and inter-rater agreement of a team's answers, and the level a label may claim.

Per item, rwg = 1 - s² / σ²_EU (James, Demaree and Wolf, 1984), where s² is the sample variance
of the normalised answers and σ²_EU the variance of a uniform ("no agreement") answer over the
item's A distinct values spaced evenly on 0..1: (A² - 1) / (12 (A - 1)²); 1/12 for continuous
values. Below 0 it is truncated to 0.

Per dimension, r*wg(J) = 1 - s̄² / σ̄²_EU (Lindell, Brandt and Whitney, 1999): the mean observed
variance over the dimension's J items against the mean expected one, truncated to 0..1. Unlike
the Spearman-Brown form rwg(J), it does not rise merely because a dimension has more items.

Levels follow LeBreton and Senter (2008): from 0.91 very strong, from 0.71 strong, from 0.51
moderate, from 0.31 weak, below that none. A level may never claim more than the spread of the
scores beside it allows (`SPREAD_CAPS`): the index measures agreement relative to random answers,
while a reader judges the spread on the scale itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Literal, Protocol

__all__ = [
    "AGREEMENT_BANDS",
    "AGREEMENT_LEVELS",
    "SPREAD_CAPS",
    "AgreementLevel",
    "Observed",
    "Spread",
    "SpreadCap",
    "agreement_level",
    "counted_spread",
    "expected_variance",
    "rwg",
    "rwg_star_j",
    "spread",
]

AgreementLevel = Literal["very_strong", "strong", "moderate", "weak", "none"]

AGREEMENT_LEVELS: tuple[AgreementLevel, ...] = ("none", "weak", "moderate", "strong", "very_strong")
"""Levels from lowest to highest."""

AGREEMENT_BANDS: tuple[tuple[float, AgreementLevel], ...] = (
    (0.91, "very_strong"),
    (0.71, "strong"),
    (0.51, "moderate"),
    (0.31, "weak"),
)
"""LeBreton and Senter (2008), table 3: the lowest index of each level."""


@dataclass(frozen=True, slots=True)
class SpreadCap:
    """Beyond `above` (a share of the scale) of `measure`, the level is at most `at_most`."""

    measure: Literal["sd", "range"]
    above: float
    at_most: AgreementLevel


SPREAD_CAPS: tuple[SpreadCap, ...] = (
    SpreadCap("sd", 0.10, "moderate"),
    SpreadCap("sd", 0.15, "weak"),
    SpreadCap("sd", 0.25, "none"),
    # Range caps apply to dimensions only: answers to one item are a few steps apart, so one
    # dissenter sets its range; a dimension score averages many answers, so its range says how
    # far apart the people are.
    SpreadCap("range", 0.40, "weak"),
    SpreadCap("range", 0.60, "none"),
)


class Observed(Protocol):
    """What r*wg(J) needs of an item's answers: how many, and their sample variance."""

    @property
    def n(self) -> int: ...

    @property
    def variance(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Spread:
    n: int
    mean: float
    sd: float  # sample standard deviation; 0 for one value
    minimum: float
    maximum: float

    @property
    def range(self) -> float:
        return self.maximum - self.minimum

    @property
    def variance(self) -> float:
        return self.sd * self.sd


def spread(values: Sequence[float]) -> Spread | None:
    """Mean, sample standard deviation and range; exact sums, so order never matters."""
    n = len(values)
    if n == 0:
        return None
    low, high = min(values), max(values)
    if low == high:  # equal values: no spread, and no rounding noise in the mean to say otherwise
        return Spread(n, low, 0.0, low, high)
    mean = math.fsum(values) / n
    variance = math.fsum([(value - mean) * (value - mean) for value in values]) / (n - 1)
    return Spread(n, mean, math.sqrt(variance), low, high)


def counted_spread(counts: Mapping[float, int]) -> Spread | None:
    """`spread` of values given as how often each occurs: a big team's answers to an item take
    a few values, so the sums run over those few (with each value's count), in exact
    arithmetic, and give the very same figures as `spread` over every answer."""
    n = sum(counts.values())
    if n == 0:
        return None
    low, high = min(counts), max(counts)
    if low == high:  # equal values: no spread, and no rounding noise in the mean to say otherwise
        return Spread(n, low, 0.0, low, high)
    mean = math.fsum(chain.from_iterable(map(repeat, counts.keys(), counts.values()))) / n
    squares = [(value - mean) * (value - mean) for value in counts]
    variance = math.fsum(chain.from_iterable(map(repeat, squares, counts.values()))) / (n - 1)
    return Spread(n, mean, math.sqrt(variance), low, high)


def expected_variance(distinct_values: int | None) -> float:
    """σ²_EU on 0..1 for A evenly spaced values, or for continuous answers when A is None."""
    if distinct_values is None or distinct_values < 2:
        return 1 / 12
    a = distinct_values
    return (a * a - 1) / (12 * (a - 1) ** 2)


def rwg(observed: Spread, distinct_values: int | None) -> float | None:
    """Agreement of one item, 0 (none) .. 1 (all the same); None below two answers."""
    if observed.n < 2:
        return None
    ratio = observed.variance / expected_variance(distinct_values)
    return max(0.0, 1.0 - ratio)


def rwg_star_j(items: Sequence[tuple[Observed, int | None]]) -> float | None:
    """r*wg(J) of a dimension's items (Lindell, Brandt and Whitney, 1999); None when no item
    has two answers. Duplicating every item leaves it unchanged."""
    rated = [(s.variance, expected_variance(a)) for s, a in items if s.n >= 2]
    if not rated:
        return None
    ratio = math.fsum(v for v, _ in rated) / math.fsum(e for _, e in rated)
    return max(0.0, 1.0 - ratio)


def agreement_level(
    index: float | None,
    *,
    sd_share: float,
    range_share: float | None = None,
) -> AgreementLevel | None:
    """The level an index reaches (LeBreton and Senter, 2008), lowered to what the spread of
    the scores allows (`SPREAD_CAPS`). Shares are of the scale's width; `range_share` is given
    for dimensions only. None when there is no index (fewer than two answers)."""
    if index is None:
        return None
    rank = 0
    for floor, level in AGREEMENT_BANDS:
        if round(index, 9) >= floor:
            rank = AGREEMENT_LEVELS.index(level)
            break
    for cap in SPREAD_CAPS:
        share = sd_share if cap.measure == "sd" else range_share
        if share is not None and round(share, 9) > cap.above:
            rank = min(rank, AGREEMENT_LEVELS.index(cap.at_most))
    return AGREEMENT_LEVELS[rank]
