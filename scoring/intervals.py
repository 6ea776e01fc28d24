"""95 % confidence intervals of team scores over respondents, and the borderline flag.

A team score is the mean of its respondents' scores, so its interval is Student's t-interval:
mean ± t(0.975, n - 1) · s / √n (Student, 1908; e.g. NIST/SEMATECH e-Handbook of Statistical
Methods, 7.2.2.1). The quantiles are tabulated here, not computed, so scoring stays free of
numerical libraries; between tabulated degrees of freedom the next lower one is used, which
errs towards a wider interval. The interval is cut to the ends of the scale.

With one respondent there is no interval. With two, t has one degree of freedom (12.71), so the
interval is wide and usually spans several stages: two people cannot pin a team's stage down.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring.agreement import spread

__all__ = ["ScoreInterval", "score_interval", "t_quantile_975"]

# Two-sided 95 % (upper 0.975) quantiles of Student's t by degrees of freedom.
_T_975: tuple[tuple[int, float], ...] = (
    (1, 12.706),
    (2, 4.303),
    (3, 3.182),
    (4, 2.776),
    (5, 2.571),
    (6, 2.447),
    (7, 2.365),
    (8, 2.306),
    (9, 2.262),
    (10, 2.228),
    (11, 2.201),
    (12, 2.179),
    (13, 2.160),
    (14, 2.145),
    (15, 2.131),
    (16, 2.120),
    (17, 2.110),
    (18, 2.101),
    (19, 2.093),
    (20, 2.086),
    (21, 2.080),
    (22, 2.074),
    (23, 2.069),
    (24, 2.064),
    (25, 2.060),
    (26, 2.056),
    (27, 2.052),
    (28, 2.048),
    (29, 2.045),
    (30, 2.042),
    (40, 2.021),
    (50, 2.009),
    (60, 2.000),
    (80, 1.990),
    (100, 1.984),
    (120, 1.980),
    (1000, 1.962),
)
_T_975_INFINITE = 1.960


def t_quantile_975(degrees_of_freedom: int) -> float:
    """t(0.975, df) from the table; the next lower tabulated df in between (wider, never
    narrower than the exact interval)."""
    if degrees_of_freedom < 1:
        raise ValueError("a t quantile needs at least one degree of freedom")
    quantile = _T_975_INFINITE
    for df, value in reversed(_T_975):
        if degrees_of_freedom >= df:
            return value
        quantile = value
    return quantile  # pragma: no cover - df 1 is tabulated


@dataclass(frozen=True, slots=True)
class ScoreInterval:
    """A 95 % interval on the display scale; `half_width` before rounding and cutting."""

    n: int
    low: Decimal
    high: Decimal
    half_width: float  # in raw units, uncut


def score_interval(
    values: Sequence[float], centre: float, *, lowest: float, highest: float
) -> tuple[float, float, float] | None:
    """(low, high, half-width) in raw units around `centre` (the team's raw score), cut to
    [lowest, highest]; None for fewer than two values."""
    observed = spread(values)
    if observed is None or observed.n < 2:
        return None
    half = t_quantile_975(observed.n - 1) * observed.sd / math.sqrt(observed.n)
    return max(lowest, centre - half), min(highest, centre + half), half
