"""Spread and inter-rater agreement (rwg) of a team's answers.

rwg = 1 - s² / σ²_EU, where s² is the sample variance of the normalised answers and σ²_EU the
variance of a uniform ("no agreement") answer over the item's A distinct values spaced evenly on
0..1: (A² - 1) / (12 (A - 1)²); 1/12 for continuous values. Below 0 it is truncated to 0.
A dimension uses rwg(J) over its J items (James, Demaree and Wolf, 1984):
J(1 - s̄²/σ²) / (J(1 - s̄²/σ²) + s̄²/σ²), with s̄² and σ² the mean over the items.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Spread", "expected_variance", "rwg", "rwg_j", "spread"]


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
    mean = math.fsum(values) / n
    variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else 0.0
    return Spread(n, mean, math.sqrt(variance), min(values), max(values))


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


def rwg_j(items: Sequence[tuple[Spread, int | None]]) -> float | None:
    """Agreement over J items of a dimension; None when no item has two answers."""
    rated = [(s.variance, expected_variance(a)) for s, a in items if s.n >= 2]
    if not rated:
        return None
    j = len(rated)
    ratio = min(1.0, math.fsum(v for v, _ in rated) / math.fsum(e for _, e in rated))
    agreement = j * (1 - ratio)
    return agreement / (agreement + ratio) if agreement + ratio else 1.0
