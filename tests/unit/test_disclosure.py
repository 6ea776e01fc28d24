"""Disclosure control of group figures: no set of fewer than k respondents can be worked out
from the team and the groups shown. The attacker's check is tests/unit/linear_disclosure.py,
written apart from scoring/disclosure.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.answers_file import read_answers_file
from app.catalog import load_package_dir
from scoring import (
    OTHER_GROUP,
    AssessmentResult,
    AttributeBreakdown,
    RespondentAnswers,
    computable_small_set,
    publishable_cells,
    score_assessment,
)
from tests.conftest import QUESTIONNAIRES
from tests.unit.example_package import EXAMPLE, FULL_ANSWERS
from tests.unit.linear_disclosure import small_set_given_away

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"


def span(*members: int) -> frozenset[int]:
    return frozenset(members)


# -- the attacker's check itself ---------------------------------------------------------------


def test_the_check_finds_what_adding_and_subtracting_gives_away() -> None:
    team = span(0, 1, 2, 3, 4)
    # team (5) minus a group of the other four is the fifth person
    assert small_set_given_away(5, [team, span(1, 2, 3, 4)], 3) == span(0)
    # team (6) minus a group of four is a pair, fewer than k = 3
    assert small_set_given_away(6, [range(6), span(0, 1, 2, 3)], 3) == span(4, 5)
    # North (4) minus Manager (3) is the executive
    rows = [range(7), span(0, 1, 2), span(0, 1, 2, 6)]
    assert small_set_given_away(7, rows, 3) == span(6)
    # two disjoint groups of three: nothing smaller than three can be had
    assert small_set_given_away(6, [range(6), span(0, 1, 2), span(3, 4, 5)], 3) is None
    # the team alone gives away nobody, unless it is smaller than k itself
    assert small_set_given_away(5, [range(5)], 5) is None
    assert small_set_given_away(2, [range(2)], 3) == span(0, 1)


def test_the_null_space_search_finds_sets_of_up_to_four() -> None:
    # 30 respondents: team minus a group of 26 gives four away (k = 5), not fewer
    rows = [range(30), range(26)]
    assert small_set_given_away(30, rows, 5, exhaustive_sets=0) == span(26, 27, 28, 29)
    assert small_set_given_away(30, rows, 4, exhaustive_sets=0) is None
    # three groups whose differences give one pair away: {0..9} - {0..7} = {8, 9}
    rows = [range(30), range(10), range(8)]
    assert small_set_given_away(30, rows, 3, exhaustive_sets=0) == span(8, 9)


subsets = st.lists(st.booleans(), min_size=9, max_size=9)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(3, 9),
    st.lists(subsets, max_size=6),
    st.integers(2, 5),
)
def test_the_null_space_search_agrees_with_checking_every_set_by_rank(
    width: int, flags: list[list[bool]], k: int
) -> None:
    rows = [range(width), *([i for i in range(width) if f[i]] for f in flags)]
    by_rank = small_set_given_away(width, rows, k, exhaustive_sets=10**9)
    by_null_space = small_set_given_away(width, rows, k, exhaustive_sets=0)
    assert (by_rank is None) == (by_null_space is None)
    for found in (by_rank, by_null_space):
        assert found is None or 1 <= len(found) < k


# -- publishable_cells and computable_small_set ------------------------------------------------


def test_the_two_reproductions_at_the_level_of_sets() -> None:
    # (a) the CEO (0) gave no function; the other four pool to "Other (pooled)" n = 4
    team = span(0, 1, 2, 3, 4)
    assert computable_small_set(team, [span(1, 2, 3, 4)], 3) == span(0)
    cells = [
        (("role", OTHER_GROUP), team),
        (("function", OTHER_GROUP), span(1, 2, 3, 4)),
        (("tenure", OTHER_GROUP), span(1, 2, 3, 4)),
    ]
    assert publishable_cells(team, cells, 3) == (("role", OTHER_GROUP),)
    # (b) managers 0-2 (north), contributors 3-5 (south), executive 6 (north)
    team = span(*range(7))
    manager, contributor = span(0, 1, 2), span(3, 4, 5)
    north, south = span(0, 1, 2, 6), span(3, 4, 5)
    assert computable_small_set(team, [north, manager], 3) == span(6)
    assert computable_small_set(team, [north, south], 3) is None
    cells = [
        (("role", "manager"), manager),
        (("role", "individual_contributor"), contributor),
        (("site", "north"), north),
        (("site", "south"), south),
    ]
    shown = publishable_cells(team, cells, 3)
    assert not {("role", "manager"), ("site", "north")} <= set(shown)
    members = dict(cells)
    assert small_set_given_away(7, [team, *(members[key] for key in shown)], 3) is None


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 10),
    st.lists(st.lists(st.booleans(), min_size=10, max_size=10), max_size=7),
    st.integers(2, 5),
)
def test_published_cells_never_give_a_small_set_away(
    size: int, flags: list[list[bool]], k: int
) -> None:
    team = frozenset(range(size))
    # cells may reach outside the team: only their members within it count
    cells = [(f"c{n}", frozenset(i for i in range(10) if f[i])) for n, f in enumerate(flags)]
    shown = publishable_cells(team, cells, k)
    assert list(shown) == [key for key, _ in cells if key in set(shown)]  # given order
    members = {key: m & team for key, m in cells}
    assert all(len(members[key]) >= k for key in shown)
    if shown:
        rows = [team, *(members[key] for key in shown)]
        assert small_set_given_away(size, rows, k, exhaustive_sets=10**9) is None
    found = computable_small_set(team, [members[key] for key in shown], k)
    assert found is None or len(team) < k  # only a team below k gives itself away


# -- the reproductions through score_assessment ------------------------------------------------


def shown_members(
    attributes: Sequence[Mapping[str, str]], breakdown: AttributeBreakdown, k: int
) -> list[frozenset[int]]:
    """The respondents behind each group shown, worked out from the attributes given."""
    held: dict[str, set[int]] = {}
    for i, attrs in enumerate(attributes):
        if breakdown.attribute_id in attrs:
            held.setdefault(attrs[breakdown.attribute_id], set()).add(i)
    small = {value for value, who in held.items() if len(who) < k}
    groups = []
    for group in breakdown.groups:
        values = small if group.value == OTHER_GROUP else {group.value}
        members = frozenset(i for value in values for i in held[value])
        assert len(members) == group.n
        groups.append(members)
    return groups


def assert_nobody_given_away(
    result: AssessmentResult, attributes: Sequence[Mapping[str, str]]
) -> None:
    k, size = result.anonymity_k, len(attributes)
    rows = [frozenset(range(size))]
    for breakdown in result.team.breakdowns:
        rows.extend(shown_members(attributes, breakdown, k))
    assert small_set_given_away(size, rows, k) is None


def test_a_ceo_who_left_the_optional_attributes_blank_is_not_given_away() -> None:
    package = load_package_dir(QUESTIONNAIRES / "operational-maturity" / "1.0.0")
    answers = [
        r.answers
        for name in ("divided_leadership", "disciplined_company")
        for r in read_answers_file(GOLDEN / f"{name}.yaml").respondent_answers
    ]
    attributes = [
        {"role": "executive"},  # the CEO: role only, function and tenure left blank
        {"role": "manager", "function": "operations", "tenure": "under_1_year"},
        {"role": "manager", "function": "sales", "tenure": "years_1_to_3"},
        {"role": "individual_contributor", "function": "marketing", "tenure": "years_3_to_5"},
        {"role": "individual_contributor", "function": "finance", "tenure": "over_5_years"},
    ]
    assert len(answers) == 5
    respondents = [
        RespondentAnswers(f"r{i}", a, attrs)
        for i, (a, attrs) in enumerate(zip(answers, attributes, strict=True))
    ]
    result = score_assessment(package, respondents, anonymity_k=3)
    breakdowns = {b.attribute_id: b for b in result.team.breakdowns}
    # every function and tenure is held by one person, so both pool to four: the team (5)
    # minus either pool would be the CEO, so neither pool is shown
    for attribute in ("function", "tenure"):
        breakdown = breakdowns[attribute]
        assert breakdown.unstated == 1
        assert [g.n for g in breakdown.groups] == []
        assert breakdown.withheld_values == (OTHER_GROUP,)
    # the roles (1, 2, 2) pool to the whole team, which gives nothing away
    assert [(g.value, g.n) for g in breakdowns["role"].groups] == [(OTHER_GROUP, 5)]
    assert_nobody_given_away(result, attributes)


def test_manager_and_north_are_not_both_shown_beside_a_lone_executive() -> None:
    attributes = (
        [{"role": "manager", "site": "north"}] * 3
        + [{"role": "individual_contributor", "site": "south"}] * 3
        + [{"role": "executive", "site": "north"}]
    )
    respondents = [RespondentAnswers(f"r{i}", FULL_ANSWERS, a) for i, a in enumerate(attributes)]
    result = score_assessment(EXAMPLE, respondents, anonymity_k=3)
    role, site = result.team.breakdowns
    shown = {(g.label, g.n) for g in role.groups} | {(g.label, g.n) for g in site.groups}
    # North (4) minus Manager (3) is the executive; so is the team (7) minus both roles
    assert not {("Manager", 3), ("North", 4)} <= shown
    assert not {("Manager", 3), ("Individual contributor", 3)} <= shown
    assert role.pooled_values == ("executive",)
    assert_nobody_given_away(result, attributes)
