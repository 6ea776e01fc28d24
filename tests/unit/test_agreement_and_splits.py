"""How far a team agrees (r*wg(J) and its level) and when it is split (contested)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import (
    AGREEMENT_BANDS,
    CONTESTED_LEVELS,
    SPREAD_CAPS,
    RespondentAnswers,
    SpreadCap,
    agreement_level,
    expected_variance,
    rwg,
    rwg_star_j,
    score_assessment,
    spread,
)
from scoring.agreement import Spread
from tests.unit.example_package import BEST_ANSWERS, EXAMPLE, WORST_ANSWERS
from tests.unit.team_builders import members, option_answers, same_answer, scale_package
from tests.unit.test_properties import answers

BY_ITEMS = {j: scale_package({"focus": j}) for j in (3, 6, 12)}
TWO_DIMENSIONS = scale_package({"alpha": 2, "beta": 2})


def spearman_brown(ratio: float, items: int) -> float:
    """The older rwg(J) of James, Demaree and Wolf (1984), from the mean ratio s² / σ²_EU."""
    return items * (1 - ratio) / (items * (1 - ratio) + ratio)


def item_spread(*values: float) -> Spread:
    observed = spread(values)
    assert observed is not None
    return observed


# -- r*wg(J) -----------------------------------------------------------------------------------


def test_r_star_wg_j_of_two_and_three_items_by_hand() -> None:
    wide = item_spread(0.25, 0.5, 0.75)  # mean .5, s² = (.0625 + 0 + .0625) / 2 = .0625
    same = item_spread(0.5, 0.5, 0.5)  # s² = 0
    three = item_spread(0.0, 0.5, 0.5)  # three options: mean 1/3, s² = (1/9 + 2/36) / 2 = 1/12
    assert expected_variance(5) == pytest.approx(0.125)  # (25 - 1) / (12 × 16)
    assert expected_variance(3) == pytest.approx(1 / 6)  # (9 - 1) / (12 × 4)
    # two items: 1 - mean s² / mean σ² = 1 - (.0625 / 2) / .125 = .75
    assert rwg_star_j([(wide, 5), (same, 5)]) == pytest.approx(0.75)
    # three items: mean s² = (.0625 + 0 + .083333) / 3 = 7/144, mean σ² = (.125 + .125
    # + .166667) / 3 = 20/144: 1 - 7/20 = .65 (the mean of the item rwg, .6667, is not it)
    assert rwg_star_j([(wide, 5), (same, 5), (three, 3)]) == pytest.approx(0.65)
    assert rwg(wide, 5) == pytest.approx(0.5) and rwg(three, 3) == pytest.approx(0.5)
    # more spread than random answers: truncated at 0
    assert rwg_star_j([(item_spread(0.0, 1.0), 5)]) == 0.0  # 1 - .5 / .125 < 0
    # an item with one answer says nothing about agreement and is left out
    assert rwg_star_j([(item_spread(0.3), 5), (wide, 5)]) == pytest.approx(0.5)
    assert rwg_star_j([(item_spread(0.3), 5)]) is None


def test_r_star_wg_j_of_a_team_by_hand() -> None:
    # three respondents answer (o1, o2), (o2, o2), (o3, o2): the items above, wide and same
    package = scale_package({"focus": 2})
    team = members([option_answers(package, p) for p in ([1, 2], [2, 2], [3, 2])])
    stats = score_assessment(package, team).team.dimension_stats["focus"]
    assert stats.agreement == pytest.approx(0.75)


MODERATE_TEAM = (1, 2, 2, 3)  # everyone gives the same option to every item: .25 .5 .5 .75


def test_more_items_of_the_same_disagreement_do_not_raise_agreement() -> None:
    # each item: mean .5, s² = 2 × .0625 / 3 = .041667, σ²_EU = .125: ratio 1/3, rwg .6667.
    # r*wg(J) = 1 - mean s² / mean σ² = .6667 for any J. The Spearman-Brown rwg(J)
    # = J (2/3) / (J (2/3) + 1/3) would rise: J = 3: 2/2.333 = .857; 6: 4/4.333 = .923;
    # 12: 8/8.333 = .960.
    agreements, older = [], []
    for items, package in BY_ITEMS.items():
        team = members([same_answer(package, p) for p in MODERATE_TEAM])
        result = score_assessment(package, team)
        stats = result.team.dimension_stats["focus"]
        assert {round(s.rwg or 0, 12) for s in result.team.item_stats.values()} == {
            round(2 / 3, 12)
        }
        agreements.append(stats.agreement)
        older.append(spearman_brown(1 / 3, items))
        # the index is moderate (from .51), but the scores' SD (.204 of the scale, above .15)
        # and range (.5, above .4) allow at most weak
        assert stats.agreement_level == "weak"
        assert stats.sd == pytest.approx(100 * (0.125 / 3) ** 0.5)
    assert agreements == pytest.approx([2 / 3] * 3)
    assert older == pytest.approx([0.857, 0.923, 0.960], abs=0.001)


quarter_values = st.lists(st.integers(0, 4).map(lambda p: p / 4), min_size=2, max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.lists(quarter_values, min_size=1, max_size=5), st.integers(2, 4))
def test_duplicating_items_leaves_r_star_wg_j_unchanged(
    values: list[list[float]], copies: int
) -> None:
    items: list[tuple[Spread, int | None]] = [(item_spread(*v), 5) for v in values]
    once = rwg_star_j(items)
    assert once is not None and 0.0 <= once <= 1.0
    assert rwg_star_j(items * copies) == pytest.approx(once, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(quarter_values)
def test_items_that_disagree_alike_keep_their_own_agreement(values: list[float]) -> None:
    observed = item_spread(*values)
    own = rwg(observed, 5)
    assert own is not None
    ratio = observed.variance / expected_variance(5)
    older = [spearman_brown(ratio, j) for j in (3, 6, 12)]
    for j in (3, 6, 12):
        assert rwg_star_j([(observed, 5)] * j) == pytest.approx(own, abs=1e-12)
    if 0 < ratio < 1:
        assert older[0] < older[1] < older[2]  # the older form rises with J alone


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=2, max_size=8))
def test_a_team_reads_the_same_agreement_over_3_6_or_12_items(positions: list[int]) -> None:
    found = []
    for package in BY_ITEMS.values():
        result = score_assessment(package, members([same_answer(package, p) for p in positions]))
        (item_rwg,) = {round(s.rwg or 0.0, 12) for s in result.team.item_stats.values()}
        stats = result.team.dimension_stats["focus"]
        assert stats.agreement == pytest.approx(item_rwg, abs=1e-12)
        found.append(stats.agreement)
    assert found == pytest.approx([found[0]] * 3, abs=1e-12)


# -- levels and caps ---------------------------------------------------------------------------


def test_the_bands_and_caps_are_the_documented_ones() -> None:
    assert AGREEMENT_BANDS == (
        (0.91, "very_strong"),
        (0.71, "strong"),
        (0.51, "moderate"),
        (0.31, "weak"),
    )
    caps = SPREAD_CAPS
    assert caps == (
        SpreadCap("sd", 0.10, "moderate"),
        SpreadCap("sd", 0.15, "weak"),
        SpreadCap("sd", 0.25, "none"),
        SpreadCap("range", 0.40, "weak"),
        SpreadCap("range", 0.60, "none"),
    )


@pytest.mark.parametrize(
    ("index", "level"),
    [
        (1.0, "very_strong"),
        (0.91, "very_strong"),  # exactly at a floor is in the band
        (0.91 - 1e-12, "very_strong"),  # float noise below a floor still is
        (0.9099, "strong"),
        (1 - 0.29, "strong"),
        (0.71, "strong"),
        (0.7099, "moderate"),
        (0.51, "moderate"),
        (0.5099, "weak"),
        (0.31, "weak"),
        (0.3099, "none"),
        (0.0, "none"),
    ],
)
def test_agreement_bands(index: float, level: str) -> None:
    assert agreement_level(index, sd_share=0.0, range_share=0.0) == level


def test_no_index_no_level() -> None:
    assert agreement_level(None, sd_share=0.5, range_share=0.9) is None


@pytest.mark.parametrize("cap", SPREAD_CAPS, ids=lambda c: f"{c.measure}>{c.above}")
def test_a_cap_applies_strictly_above_its_share(cap: SpreadCap) -> None:
    def level(share: float) -> str | None:
        if cap.measure == "sd":
            return agreement_level(1.0, sd_share=share, range_share=0.0)
        return agreement_level(1.0, sd_share=0.0, range_share=share)

    # what the lower caps of the same measure already allow at this share
    lower = [c.at_most for c in SPREAD_CAPS if c.measure == cap.measure and c.above < cap.above]
    at_share = lower[-1] if lower else "very_strong"
    assert level(cap.above) == at_share
    assert level(cap.above + 1e-12) == at_share  # float noise is not above
    assert level(cap.above + 1e-6) == cap.at_most


def test_caps_by_example() -> None:
    # SD 10.000000000000003 % of the scale is 10 %: not above the first cap
    assert agreement_level(1.0, sd_share=0.1 * 3 - 0.2) == "very_strong"
    assert agreement_level(1.0, sd_share=0.12) == "moderate"
    assert agreement_level(1.0, sd_share=0.16) == "weak"
    assert agreement_level(1.0, sd_share=0.26) == "none"
    # the range caps need a range: items give none, so a wide item is capped by its SD only
    assert agreement_level(1.0, sd_share=0.0, range_share=None) == "very_strong"
    assert agreement_level(1.0, sd_share=0.0, range_share=0.41) == "weak"
    assert agreement_level(1.0, sd_share=0.0, range_share=0.2 + 0.4) == "weak"
    assert agreement_level(1.0, sd_share=0.0, range_share=0.61) == "none"
    # the lowest cap that applies wins; a cap never raises a level
    assert agreement_level(1.0, sd_share=0.12, range_share=0.45) == "weak"
    assert agreement_level(0.4, sd_share=0.12, range_share=0.0) == "weak"
    assert agreement_level(0.2, sd_share=0.0, range_share=0.0) == "none"


# -- splits ------------------------------------------------------------------------------------


@pytest.mark.parametrize("per_side", [1, 2, 3])
def test_a_team_split_between_the_extremes_is_contested_everywhere(per_side: int) -> None:
    answer_sets = [WORST_ANSWERS] * per_side + [BEST_ANSWERS] * per_side
    team = [RespondentAnswers(f"r{i}", a, {"role": "manager"}) for i, a in enumerate(answer_sets)]
    result = score_assessment(EXAMPLE, team)
    dimensions = [d.id for d in EXAMPLE.questionnaire.dimensions]
    n = 2 * per_side
    for dimension in dimensions:
        stats = result.team.dimension_stats[dimension]
        # half score 0, half 100: mean 50, s = √(n × 50² / (n - 1)), e.g. 57.7 for n = 4
        assert (stats.minimum, stats.maximum) == (Decimal(0), Decimal(100))
        assert stats.sd == pytest.approx(50 * (n / (n - 1)) ** 0.5)
        assert stats.agreement == 0.0 and stats.agreement_level == "none"
        assert stats.stage_span == (0, 2)  # ad hoc to strong
        assert stats.contested
    assert result.team.overall_stats.contested_dimensions == tuple(dimensions)
    codes = [f.code for f in result.team.findings]
    assert codes[0] == "split" and "agreement" not in codes
    assert set(result.team.findings[0].dimension_ids) == set(dimensions)


@settings(max_examples=60, deadline=None)
@given(answers(), st.integers(1, 8))
def test_a_unanimous_team_is_never_contested(given_answers: dict[str, Any], size: int) -> None:
    team = [RespondentAnswers(f"r{i}", given_answers, {"role": "manager"}) for i in range(size)]
    result = score_assessment(EXAMPLE, team)
    for stats in result.team.dimension_stats.values():
        assert not stats.contested
        assert stats.stage_span is None or stats.stage_span[0] == stats.stage_span[1]
    assert result.team.overall_stats.contested_dimensions == ()
    assert "split" not in {f.code for f in result.team.findings}


def test_disagreeing_on_every_item_within_one_stage_is_not_a_split() -> None:
    # (o0, o3) against (o3, o0): each item reads 0 and .75 (s² .28125 > σ² .125, r*wg 0, no
    # agreement), yet both dimension scores are .375, below steady: one stage, not a split
    team = members([option_answers(TWO_DIMENSIONS, p) for p in ([0, 3, 0, 3], [3, 0, 3, 0])])
    result = score_assessment(TWO_DIMENSIONS, team)
    for stats in result.team.dimension_stats.values():
        assert (stats.agreement, stats.agreement_level) == (0.0, "none")
        assert stats.stage_span == (0, 0)
        assert not stats.contested
    assert "split" not in {f.code for f in result.team.findings}


def band_positions(band: str) -> st.SearchStrategy[list[int]]:
    """Two dimensions of two items; a dimension scores (p1 + p2) / 8: below .40 (ad hoc) for a
    sum up to 3, from .75 (strong) for a sum from 6."""
    pair = st.tuples(st.integers(0, 4), st.integers(0, 4))
    if band == "ad_hoc":
        pair = pair.filter(lambda p: sum(p) <= 3)
    elif band == "strong":
        pair = pair.filter(lambda p: sum(p) >= 6)
    return st.tuples(pair, pair).map(lambda two: [*two[0], *two[1]])


@st.composite
def teams_in_bands(draw: st.DrawFn) -> tuple[str, list[list[int]]]:
    band = draw(st.sampled_from(["ad_hoc", "strong", "any"]))
    return band, draw(st.lists(band_positions(band), min_size=2, max_size=8))


@settings(max_examples=100, deadline=None)
@given(teams_in_bands())
def test_a_team_within_one_stage_band_is_never_contested(
    generated: tuple[str, list[list[int]]],
) -> None:
    band, positions = generated
    result = score_assessment(
        TWO_DIMENSIONS, members([option_answers(TWO_DIMENSIONS, p) for p in positions])
    )
    for stats in result.team.dimension_stats.values():
        assert stats.stage_span is not None
        low, high = stats.stage_span
        if band != "any":
            assert low == high
        if low == high:
            assert not stats.contested
        assert stats.contested == (stats.agreement_level in CONTESTED_LEVELS and low != high)
