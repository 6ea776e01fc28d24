"""Invariants of the engine over generated answers (hypothesis)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import ItemKind, RespondentAnswers, score_assessment, score_respondent
from tests.unit.example_package import EXAMPLE


def answer_for(item_id: str) -> st.SearchStrategy[Any]:
    item = EXAMPLE.items[item_id]
    options = list(item.option_ids())
    extras = [
        value
        for value, allowed in (("na", item.allow_na), ("dont_know", item.allow_dont_know))
        if allowed
    ]
    if item.kind in (ItemKind.SCALE, ItemKind.SINGLE_CHOICE, ItemKind.YES_NO):
        choice: st.SearchStrategy[Any] = st.sampled_from(options)
    elif item.kind is ItemKind.MULTI_CHOICE:
        exclusive = {o.id for o in item.options if o.exclusive}
        choice = st.lists(st.sampled_from(options), unique=True).filter(
            lambda chosen: len(chosen) < 2 or not exclusive.intersection(chosen)
        )
    elif item.kind is ItemKind.PERCENTAGE:
        choice = st.floats(0, 100)
    elif item.kind is ItemKind.NUMBER:
        choice = st.integers(0, 168)
    else:
        choice = st.text(max_size=20)
    return st.one_of(choice, st.sampled_from(extras)) if extras else choice


def answers() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {}, optional={item_id: answer_for(item_id) for item_id in EXAMPLE.items}
    )


@settings(max_examples=200, deadline=None)
@given(answers())
def test_scores_stay_on_the_scale_and_stages_are_consistent(given_answers: dict[str, Any]) -> None:
    result = score_respondent(EXAMPLE, given_answers)
    for dimension in result.dimensions:
        if dimension.score is not None:
            assert Decimal(0) <= dimension.score <= Decimal(100)
            assert dimension.stage is not None and dimension.stage.stage_id is not None
    for answer in result.answers.values():
        assert answer.value is None or 0.0 <= answer.value <= 1.0
    assert 0.0 <= result.completeness <= 1.0
    overall = result.overall
    if overall.score is not None:
        assert overall.stage.stage_index is not None
        by_threshold = sum(1 for t in EXAMPLE.overall_thresholds if overall.score >= t)
        assert overall.stage.stage_index <= by_threshold  # gates only ever lower a stage


@settings(max_examples=60, deadline=None)
@given(st.lists(answers(), min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_the_order_of_respondents_never_matters(
    answer_sets: list[dict[str, Any]], random: Any
) -> None:
    members = [
        RespondentAnswers(f"r{i}", a, {"role": "manager"}) for i, a in enumerate(answer_sets)
    ]
    shuffled = list(members)
    random.shuffle(shuffled)
    first, second = score_assessment(EXAMPLE, members), score_assessment(EXAMPLE, shuffled)
    assert first.team.summary == second.team.summary
    assert first.team.item_stats == second.team.item_stats
    assert first.recommendations == second.recommendations


@settings(max_examples=60, deadline=None)
@given(answers(), st.integers(2, 8))
def test_identical_answers_give_full_agreement(given_answers: dict[str, Any], size: int) -> None:
    members = [RespondentAnswers(f"r{i}", given_answers, {"role": "manager"}) for i in range(size)]
    result = score_assessment(EXAMPLE, members)
    assert all(s.rwg in (None, 1.0) for s in result.team.item_stats.values())
    assert all(s.agreement in (None, 1.0) for s in result.team.dimension_stats.values())
    assert not any(s.contested for s in result.team.dimension_stats.values())
    assert result.disputed_items == ()
    single = score_respondent(EXAMPLE, given_answers)
    assert [d.score for d in result.team.dimensions] == [d.score for d in single.dimensions]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["few", "some", "many"]))
def test_reverse_keying_is_symmetric(choice: str) -> None:
    mirror = {"few": "many", "some": "some", "many": "few"}[choice]
    value = score_respondent(EXAMPLE, {"meeting_load": choice}).answers["meeting_load"].value
    mirrored = score_respondent(EXAMPLE, {"meeting_load": mirror}).answers["meeting_load"].value
    raw = EXAMPLE.option_values["meeting_load"][choice]
    assert value is not None and mirrored is not None
    assert value == 1.0 - raw
    assert value + mirrored == 1.0
