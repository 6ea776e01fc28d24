"""95 % intervals of team scores: tabulated t quantiles, hand-computed intervals, and what more
respondents do to them."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import AssessmentResult, Package, score_assessment, spread, t_quantile_975
from scoring.intervals import score_interval
from tests.unit.team_builders import members, option_answers, same_answer, scale_package

ONE_ITEM = scale_package({"focus": 1})
TWO_ITEMS = scale_package({"focus": 2})


def scored(package: Package, positions: list[list[int]]) -> AssessmentResult:
    """One respondent per entry, answering option `o{p}` to each item in turn."""
    return score_assessment(package, members([option_answers(package, p) for p in positions]))


@pytest.mark.parametrize(
    ("df", "quantile"),
    [(1, 12.706), (2, 4.303), (3, 3.182), (10, 2.228), (20, 2.086), (30, 2.042), (120, 1.980)],
)
def test_tabulated_quantiles_are_students_t(df: int, quantile: float) -> None:
    # upper 0.975 quantiles of Student's t (NIST/SEMATECH e-Handbook, table 1.3.6.7.2)
    assert t_quantile_975(df) == quantile


def test_quantiles_between_and_beyond_the_table() -> None:
    # between tabulated rows the next lower df is used: t(35) is read as t(30), a little wider
    # than the exact 2.030
    assert t_quantile_975(35) == t_quantile_975(30) == 2.042
    assert t_quantile_975(35) >= 2.030
    assert t_quantile_975(10**6) == pytest.approx(1.960, abs=0.003)  # the normal quantile
    with pytest.raises(ValueError, match="degree of freedom"):
        t_quantile_975(0)


def test_quantiles_never_rise_with_more_degrees_of_freedom() -> None:
    quantiles = [t_quantile_975(df) for df in range(1, 3000)]
    assert all(a >= b for a, b in itertools.pairwise(quantiles))
    assert all(q >= 1.96 for q in quantiles)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 10**7), st.integers(0, 10**7))
def test_quantiles_never_rise_anywhere(df: int, more: int) -> None:
    assert t_quantile_975(df + more) <= t_quantile_975(df)


def test_the_interval_of_three_respondents_by_hand() -> None:
    result = scored(ONE_ITEM, [[2], [2], [3]])  # .5, .5, .75
    stats = result.team.dimension_stats["focus"]
    # mean 7/12 = .58333; deviations -1/12, -1/12, 2/12: s² = (6/144) / 2 = .020833,
    # s = .144338; s / √3 = 1/12 = .083333; × t(0.975, 2) = 4.303 -> half-width .358583
    # low .58333 - .35858 = .22475 -> 22.5; high .58333 + .35858 = .94192 -> 94.2
    assert stats.mean == Decimal("58.3")
    assert stats.sd == pytest.approx(14.4338, abs=1e-4)
    assert stats.interval is not None
    assert stats.interval.half_width == pytest.approx(4.303 / 12)
    assert (stats.interval.n, stats.interval.low, stats.interval.high) == (
        3,
        Decimal("22.5"),
        Decimal("94.2"),
    )
    # 22.5 is below steady (40), 94.2 at or above strong (75): the reading is borderline
    assert stats.borderline is True
    overall = result.team.overall_stats
    assert overall.interval == stats.interval and overall.borderline is True
    low, high, half = score_interval([0.5, 0.5, 0.75], 7 / 12, lowest=0.0, highest=1.0)  # type: ignore[misc]
    assert (low, high, half) == pytest.approx((2.697 / 12, 11.303 / 12, 4.303 / 12))


def test_an_interval_is_cut_to_the_ends_of_the_scale() -> None:
    # .25 and .75: s = .353553, s / √2 = .25, × t(0.975, 1) = 12.706 -> half-width 3.1765
    bounds = score_interval([0.25, 0.75], 0.5, lowest=0.0, highest=1.0)
    assert bounds == pytest.approx((0.0, 1.0, 12.706 * 0.25))


def test_one_respondent_has_no_interval() -> None:
    result = score_assessment(ONE_ITEM, members([same_answer(ONE_ITEM, 3)]))
    stats = result.team.dimension_stats["focus"]
    assert (stats.interval, stats.borderline) == (None, None)
    overall = result.team.overall_stats
    assert (overall.n, overall.interval, overall.borderline) == (1, None, None)
    assert [f.figures for f in result.team.findings if f.code == "no_interval"] == [{"n": 1}]
    assert score_interval([0.75], 0.75, lowest=0.0, highest=1.0) is None


def test_two_respondents_have_a_wide_interval() -> None:
    result = scored(ONE_ITEM, [[1], [3]])  # .25 and .75
    stats = result.team.dimension_stats["focus"]
    assert stats.interval is not None
    # t(0.975, 1) = 12.706: half-width 12.706 × .25 = 3.18, far beyond the scale, cut to it
    assert stats.interval.half_width == pytest.approx(12.706 * 0.25)
    assert (stats.interval.low, stats.interval.high) == (Decimal("0.0"), Decimal("100.0"))
    assert stats.borderline is True
    agreeing = scored(ONE_ITEM, [[2], [2]])
    interval = agreeing.team.dimension_stats["focus"].interval
    assert interval is not None
    assert (interval.low, interval.high, interval.half_width) == (
        Decimal("50.0"),
        Decimal("50.0"),
        0.0,
    )
    assert agreeing.team.dimension_stats["focus"].borderline is False


team_positions = st.lists(
    st.lists(st.integers(0, 4), min_size=2, max_size=2), min_size=2, max_size=8
)


@settings(max_examples=100, deadline=None)
@given(team_positions, st.integers(2, 4))
def test_copying_every_respondent_narrows_the_interval(
    positions: list[list[int]], copies: int
) -> None:
    once, copied = scored(TWO_ITEMS, positions), scored(TWO_ITEMS, positions * copies)
    pairs = [
        (
            once.team.dimension_stats["focus"].interval,
            copied.team.dimension_stats["focus"].interval,
        ),
        (once.team.overall_stats.interval, copied.team.overall_stats.interval),
    ]
    sd = once.team.dimension_stats["focus"].sd
    assert sd is not None
    for before, after in pairs:
        assert before is not None and after is not None
        assert after.n == copies * before.n
        if sd > 0:
            # s barely moves (s² × m(n - 1) / (mn - 1)), √n grows and t falls
            assert after.half_width < before.half_width
            assert before.low <= after.low and after.high <= before.high
        else:
            assert after.half_width == before.half_width == 0.0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 100), min_size=2, max_size=12), st.integers(2, 4))
def test_copied_values_give_a_narrower_interval(hundredths: list[int], copies: int) -> None:
    values = [h / 100 for h in hundredths]
    observed = spread(values)
    assert observed is not None
    once = score_interval(values, observed.mean, lowest=0.0, highest=1.0)
    copied = score_interval(values * copies, observed.mean, lowest=0.0, highest=1.0)
    assert once is not None and copied is not None
    expected = t_quantile_975(len(values) - 1) * observed.sd / math.sqrt(len(values))
    assert once[2] == pytest.approx(expected)
    if observed.sd > 0:
        assert copied[2] < once[2]
    else:
        assert copied[2] == once[2] == 0.0
