"""The scoring plan: one package's scoring rules compiled, once, into tuples and closures.

Scoring a response used to walk the definitions again and again: each item's kind, options and
policies, each dimension's roll-up, each subject's thresholds and gates. None of that depends
on the answers, so `compile_plan` (run by `build_package`, once per package version) works it
out ahead:

- per item, in questionnaire order, an `_ItemStep`: the finished `ItemAnswer` for every answer
  that is a fixed string (an option id, yes or no, "na", "don't know") and for no answer at
  all, so that most answers are scored by one dictionary look-up; numbers, lists, text and
  refused answers go through the item's checks and value function (scoring/_item_values.py).
- the roll-ups, compiled by scoring/rollup.py (`RollupPlan.raws`): item values by position
  in, every dimension's raw score out, in one pass.
- per top-level dimension and for the overall score, the stage rules compiled by
  scoring/stages.py (`StageRules`), what its percent is taken of, and the quadrant's axes.

`normalise` is the only implementation of answer normalisation (scoring/answers.py calls it).
`summarise` is the only place that places dimensions and the organisation, for one respondent
and for a team's means alike. Both return the public result types (scoring/results.py). Their
records are NamedTuples, built here with `tuple.__new__` (`_record`): the same record, without
the Python-level `__new__` that a NamedTuple class adds, which cost a tenth of the time of
scoring a response.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter, mul
from typing import NamedTuple

from scoring._item_values import ValueFunction, item_value_function
from scoring.answers import ItemAnswer, condition_holds
from scoring.errors import AnswerError, AnswerProblem
from scoring.questionnaire import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Condition,
    Dimension,
    Item,
    Questionnaire,
)
from scoring.results import DimensionScore, OverallScore, QuadrantPlacement, ScoreSummary
from scoring.rollup import RollupPlan
from scoring.stage_model import QUADRANT_IDS, StageModel
from scoring.stages import StageRules, stage_rules

__all__ = ["ScoringPlan", "compile_plan"]

_record = tuple.__new__  # builds a NamedTuple record from a tuple of its fields
_value_of = itemgetter(ItemAnswer._fields.index("value"))  # by position: cheaper than by name


# The steps are plain tuples, not NamedTuples: a plain tuple is unpacked faster.

# What an answer that is not a fixed string is checked and valued with: allow_na,
# allow_dont_know, the item's value function.
_Checks = tuple[bool, bool, ValueFunction]

# What normalising one item's answer needs: item id, required, show_if, the answer to each fixed
# string that fits the item, the answer when unanswered ("missing", valued by the missing-answer
# rule), and the checks of other answers.
_ItemStep = tuple[str, bool, Condition | None, Mapping[str, ItemAnswer], ItemAnswer, _Checks]

# What placing one dimension (or sub-dimension) needs: its position in RollupPlan.dimension_ids,
# id, title, the raw score its percent is taken of (None: not in points, the raw score x 100),
# its stage rules (top-level dimensions only), and the same for its sub-dimensions.
_DimensionStep = tuple[int, str, str, float | None, StageRules | None, tuple["_DimensionStep", ...]]


class _Axis(NamedTuple):
    """A quadrant axis: its top-level dimensions (by index) and their weights."""

    positions: tuple[int, ...]
    weights: tuple[float, ...]
    total_weight: float  # sum(weights), for when each of the dimensions has a percent


class _Quadrants(NamedTuple):
    midpoint: float
    operations: _Axis
    execution: _Axis
    named: Mapping[str, tuple[str, str]]  # quadrant id -> name, description


@dataclass(frozen=True, slots=True)
class ScoringPlan:
    """A package's scoring rules, compiled by `compile_plan`."""

    items: tuple[_ItemStep, ...]  # in questionnaire order
    item_ids: tuple[str, ...]
    known_items: Mapping[str, int]  # item id -> position
    required_items: int
    na_value: float | None  # what "not applicable" counts as (None: left out)
    rollups: RollupPlan
    to_display: Callable[[float], Decimal]
    dimensions: tuple[_DimensionStep, ...]  # top-level, in questionnaire order
    dimension_rules: Mapping[str, StageRules]  # by top-level dimension id
    overall_rules: StageRules
    overall_possible: float | None
    quadrants: _Quadrants | None

    def normalise(
        self, answers: Mapping[str, object], respondent: str | None
    ) -> tuple[dict[str, ItemAnswer], float]:
        """`normalise_with_completeness` (scoring/answers.py): every item's answer, in
        questionnaire order, and the share of shown, required items answered."""
        problems: list[AnswerProblem] = []
        if not answers.keys() <= self.known_items.keys():
            problems = [
                AnswerProblem(respondent, f"answers.{key}", "no such item in this questionnaire")
                for key in answers
                if key not in self.known_items
            ]
        result: dict[str, ItemAnswer] = {}
        hidden = left = 0  # required items hidden, and shown but not answered
        for step, raw in zip(self.items, map(answers.get, self.item_ids)):  # noqa: B905
            item_id, required, show_if, fixed, unanswered, checks = step
            if show_if is not None and not condition_holds(show_if, result[show_if.item]):
                result[item_id] = ItemAnswer(item_id, "hidden", None, raw)
                hidden += required
                continue
            if raw is None:
                result[item_id] = unanswered
                left += required
                continue
            # An exact str only: any other answer keeps the caller's object as its raw.
            if type(raw) is str and (known := fixed.get(raw)) is not None:
                result[item_id] = known
                continue
            allow_na, allow_dont_know, value_function = checks
            if allow_na and raw == NOT_APPLICABLE:
                result[item_id] = ItemAnswer(item_id, "na", self.na_value, raw)
            elif allow_dont_know and raw == DONT_KNOW:
                result[item_id] = ItemAnswer(item_id, "dont_know", None, raw)
            else:
                value, message = value_function(raw)
                if message is None:
                    result[item_id] = _record(ItemAnswer, (item_id, "answered", value, raw, value))
                else:
                    problems.append(AnswerProblem(respondent, f"answers.{item_id}", message))
                    result[item_id] = ItemAnswer(item_id, "missing", None)
        if problems:
            raise AnswerError(problems)
        expected = self.required_items - hidden
        return result, (expected - left) / expected if expected else 1.0

    def item_values(self, normalised: Mapping[str, ItemAnswer]) -> list[float | None]:
        """The values of `normalise`'s answers, by item position."""
        return list(map(_value_of, normalised.values()))

    def summarise(
        self, item_values: Sequence[float | None], raws: Sequence[float | None]
    ) -> ScoreSummary:
        """Every dimension's and the organisation's score, stage and the quadrant, from item
        values by position and every dimension's raw score (as `RollupPlan.raws` orders them)."""
        dimensions = tuple(
            [self._dimension_score(top, item_values, raws) for top in self.dimensions]
        )
        raw = self.rollups.overall_raw(raws)
        if raw is None:
            score = percent = None
        else:
            score = self.to_display(raw)
            percent = _percent(raw, self.overall_possible)
        stages = [(d.dimension_id, d.stage) for d in dimensions if d.stage is not None]
        stage = self.overall_rules.place(score, item_values, stages)
        overall = _record(OverallScore, (raw, score, percent, stage))
        return ScoreSummary(dimensions, overall, self._quadrant(dimensions))

    def _dimension_score(
        self,
        step: _DimensionStep,
        item_values: Sequence[float | None],
        raws: Sequence[float | None],
    ) -> DimensionScore:
        position, dimension_id, title, possible, rules, subdimensions = step
        raw = raws[position]
        if raw is None:
            score = percent = None
        else:
            score = self.to_display(raw)
            # as _percent, written out: this runs for every dimension of every response
            percent = raw * 100 if possible is None else raw / possible * 100 if possible else 0.0
        stage = None if rules is None else rules.place(score, item_values)
        subscores = (
            tuple([self._dimension_score(sub, item_values, raws) for sub in subdimensions])
            if subdimensions
            else ()
        )
        return _record(DimensionScore, (dimension_id, title, raw, score, percent, stage, subscores))

    def _quadrant(self, dimensions: tuple[DimensionScore, ...]) -> QuadrantPlacement | None:
        quadrants = self.quadrants
        if quadrants is None:
            return None
        operations = _axis_percent(quadrants.operations, dimensions)
        execution = _axis_percent(quadrants.execution, dimensions)
        if operations is None or execution is None:
            return None
        midpoint = quadrants.midpoint
        ops_level = "high" if round(operations, 9) >= midpoint else "low"
        exec_level = "high" if round(execution, 9) >= midpoint else "low"
        quadrant_id = f"operations_{ops_level}_execution_{exec_level}"
        name, description = quadrants.named[quadrant_id]
        return QuadrantPlacement(quadrant_id, name, description, operations, execution, midpoint)


def _percent(raw: float, possible: float | None) -> float:
    """Percent of the possible: of 1 on the display scale, else of the points possible."""
    if possible is None:
        return raw * 100
    return raw / possible * 100 if possible else 0.0


def _axis_percent(axis: _Axis, dimensions: tuple[DimensionScore, ...]) -> float | None:
    """The weighted mean percent of the axis' dimensions that have one (None: none has)."""
    percents = [dimensions[at].percent for at in axis.positions]
    weights, total = axis.weights, axis.total_weight
    if None in percents:  # the same sums, over the dimensions that have a percent
        weights = tuple(w for w, p in zip(weights, percents, strict=True) if p is not None)
        percents = [p for p in percents if p is not None]
        total = sum(weights)
    if not percents:
        return None
    weighted: float = sum(map(mul, weights, percents))
    return weighted / total


def compile_plan(
    *,
    questionnaire: Questionnaire,
    stage_model: StageModel,
    items: Mapping[str, Item],
    option_values: Mapping[str, Mapping[str, float]],
    unanswered: Mapping[str, float | None],
    na_value: float | None,
    rollups: RollupPlan,
    dimension_thresholds: Mapping[str, tuple[Decimal, ...]],
    overall_thresholds: tuple[Decimal, ...],
) -> ScoringPlan:
    """The plan of a package whose definitions have passed every check: `items` in
    questionnaire order with their `option_values`, what each counts as when `unanswered` and
    what "not applicable" counts as (None: left out), and the package's roll-ups and
    thresholds."""
    positions = {item_id: position for position, item_id in enumerate(items)}
    assert tuple(positions) == rollups.item_ids  # the roll-ups read the same positions
    dimension_rules = {
        top.id: stage_rules(stage_model, top.id, dimension_thresholds[top.id], positions)
        for top in questionnaire.dimensions
    }
    return ScoringPlan(
        items=tuple(
            _item_step(item, option_values[item_id], unanswered[item_id], na_value)
            for item_id, item in items.items()
        ),
        item_ids=tuple(items),
        known_items=positions,
        required_items=sum(item.required for item in items.values()),
        na_value=na_value,
        rollups=rollups,
        to_display=rollups.to_display,
        dimensions=tuple(
            _dimension_step(top, rollups, dimension_rules[top.id])
            for top in questionnaire.dimensions
        ),
        dimension_rules=dimension_rules,
        overall_rules=stage_rules(stage_model, "overall", overall_thresholds, positions),
        overall_possible=rollups.overall_ceiling if rollups.in_points else None,
        quadrants=_quadrants(questionnaire, stage_model),
    )


def _item_step(
    item: Item, option_values: Mapping[str, float], unanswered: float | None, na_value: float | None
) -> _ItemStep:
    value_function = item_value_function(item, option_values)
    fixed: dict[str, ItemAnswer] = {}
    for text in item.option_ids():  # the value function says which fit (not a multi choice's)
        value, message = value_function(text)
        if message is None:
            fixed[text] = ItemAnswer(item.id, "answered", value, text, value)
    # Written last, as they are checked first: "na", then "don't know", then the options.
    if item.allow_dont_know:
        fixed[DONT_KNOW] = ItemAnswer(item.id, "dont_know", None, DONT_KNOW)
    if item.allow_na:
        fixed[NOT_APPLICABLE] = ItemAnswer(item.id, "na", na_value, NOT_APPLICABLE)
    return (
        item.id,
        item.required,
        item.show_if,
        fixed,
        ItemAnswer(item.id, "missing", unanswered if item.scored else None),
        (item.allow_na, item.allow_dont_know, value_function),
    )


def _dimension_step(
    dimension: Dimension, rollups: RollupPlan, rules: StageRules | None
) -> _DimensionStep:
    return (
        rollups.dimension_at[dimension.id],
        dimension.id,
        dimension.title,
        rollups.ceilings[dimension.id] if rollups.in_points else None,
        rules,
        tuple(_dimension_step(sub, rollups, None) for sub in dimension.dimensions),
    )


def _quadrants(questionnaire: Questionnaire, stage_model: StageModel) -> _Quadrants | None:
    quadrants = stage_model.quadrants
    if quadrants is None:
        return None

    def axis(name: str) -> _Axis:
        tops = enumerate(questionnaire.dimensions)
        on_axis = [(index, top.weight) for index, top in tops if top.axis == name]
        weights = tuple(weight for _, weight in on_axis)
        return _Axis(tuple(index for index, _ in on_axis), weights, sum(weights))

    named = {}
    for quadrant_id in QUADRANT_IDS:
        quadrant = getattr(quadrants, quadrant_id)
        named[quadrant_id] = (quadrant.name, quadrant.description)
    return _Quadrants(float(quadrants.midpoint), axis("operations"), axis("execution"), named)
