"""The one place that knows roll-ups: how item values combine into dimension and overall scores,
whether scores are points or on the display scale, and the highest score each can reach.

Each dimension, at any level, rolls up its own scored items and its sub-dimensions' scores (its
children) by one method: the model's `rollup`, else its level's entry in `rollup_levels`, else
its own entry in `rollup_dimensions` (the most specific wins). The methods:

- weighted_mean: the weighted mean of every item beneath the dimension, an item's weight times
  the weights of the sub-dimensions it sits in (the sub-dimensions' own methods are not used);
- mean_of_means: the weighted mean of the children, a sub-dimension counting as one child with
  its weight;
- mean: the plain mean of the children;
- sum: the weighted sum of the children, in points;
- max, min: the highest or lowest child.

The overall score combines the top-level dimensions by the model's `rollup` (weighted_mean and
mean_of_means both weight them by dimension weight). Once `sum` is used anywhere, scores are
points rather than a place on the display scale. Unanswered children are left out, or count as
the stage model's `missing_answers` rule says (scoring/answers.py applies it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from scoring.questionnaire import Dimension, Questionnaire, iter_dimensions
from scoring.stage_model import Rollup, StageModel

if TYPE_CHECKING:
    from scoring.package import Package

__all__ = [
    "RollupPlan",
    "dimension_raw",
    "display_range",
    "overall_raw",
    "percent_of_possible",
    "raw_ceiling",
    "rollup_plan",
    "rollup_sentences",
    "score_floor",
    "to_display",
    "to_percent",
]


@dataclass(frozen=True, slots=True)
class RollupPlan:
    """Each dimension's roll-up method and highest raw score, worked out once per package."""

    overall: Rollup
    methods: Mapping[str, Rollup]  # every dimension id, at any level
    depths: Mapping[str, int]  # 0 for a top-level dimension
    in_points: bool  # some roll-up sums: scores are points, not places on the display scale
    ceilings: Mapping[str, float]  # the raw score of each dimension with every item at 1
    overall_ceiling: float


def rollup_plan(questionnaire: Questionnaire, stage_model: StageModel) -> RollupPlan:
    """The roll-up of every dimension of `questionnaire` under `stage_model`."""
    methods: dict[str, Rollup] = {}
    depths: dict[str, int] = {}

    def walk(dimensions: Iterable[Dimension], depth: int) -> None:
        for dimension in dimensions:
            level = _level_method(stage_model, depth)
            methods[dimension.id] = stage_model.rollup_dimensions.get(dimension.id, level)
            depths[dimension.id] = depth
            walk(dimension.dimensions, depth + 1)

    walk(questionnaire.dimensions, 0)
    ones = {
        item.id: 1.0
        for dimension in iter_dimensions(questionnaire.dimensions)
        for item in dimension.items
        if item.scored
    }
    method_of = methods.__getitem__
    ceilings = {
        dimension.id: _raw(method_of, dimension, ones) or 0.0
        for dimension in iter_dimensions(questionnaire.dimensions)
    }
    top = {d.id: ceilings[d.id] for d in questionnaire.dimensions}
    return RollupPlan(
        overall=stage_model.rollup,
        methods=methods,
        depths=depths,
        in_points="sum" in (stage_model.rollup, *methods.values()),
        ceilings=ceilings,
        overall_ceiling=_combine(stage_model.rollup, _weighted(questionnaire, top)) or 0.0,
    )


def dimension_raw(
    package: Package, dimension: Dimension, values: Mapping[str, float | None]
) -> float | None:
    """A dimension's raw score: 0..1 for the mean roll-ups, points once `sum` is used.
    None when no item under the dimension has a value."""
    return _raw(package.rollups.methods.__getitem__, dimension, values)


def _raw(
    method_of: Callable[[str], Rollup],
    dimension: Dimension,
    values: Mapping[str, float | None],
) -> float | None:
    method = method_of(dimension.id)
    if method == "weighted_mean":
        total, weights = _pooled(dimension, values, 1.0)
        return total / weights if weights else None
    parts: list[tuple[float, float]] = [
        (item.weight, value)
        for item in dimension.items
        if item.scored and (value := values.get(item.id)) is not None
    ]
    for sub in dimension.dimensions:
        sub_value = _raw(method_of, sub, values)
        if sub_value is not None:
            parts.append((sub.weight, sub_value))
    return _combine(method, parts)


def _combine(method: Rollup, parts: list[tuple[float, float]]) -> float | None:
    """(weight, value) children combined by a roll-up method; None without children."""
    if not parts:
        return None
    if method == "sum":
        return sum(weight * value for weight, value in parts)
    if method == "mean":
        return sum(value for _, value in parts) / len(parts)
    if method == "max":
        return max(value for _, value in parts)
    if method == "min":
        return min(value for _, value in parts)
    return sum(weight * value for weight, value in parts) / sum(weight for weight, _ in parts)


def _pooled(
    dimension: Dimension, values: Mapping[str, float | None], path_weight: float
) -> tuple[float, float]:
    total = weights = 0.0
    for item in dimension.items:
        value = values.get(item.id)
        if value is not None:
            weight = path_weight * item.weight
            total += weight * value
            weights += weight
    for sub in dimension.dimensions:
        sub_total, sub_weights = _pooled(sub, values, path_weight * sub.weight)
        total += sub_total
        weights += sub_weights
    return total, weights


def _weighted(
    questionnaire: Questionnaire, dimension_values: Mapping[str, float | None]
) -> list[tuple[float, float]]:
    return [
        (d.weight, value)
        for d in questionnaire.dimensions
        if (value := dimension_values.get(d.id)) is not None
    ]


def overall_raw(package: Package, dimension_values: Mapping[str, float | None]) -> float | None:
    """The top-level dimensions' raw scores combined by the model's roll-up."""
    return _combine(package.rollups.overall, _weighted(package.questionnaire, dimension_values))


def raw_ceiling(package: Package, dimension: Dimension | None) -> float:
    """The highest raw score of a dimension (None: the overall score): 1 for the mean roll-ups."""
    plan = package.rollups
    if not plan.in_points:
        return 1.0
    return plan.overall_ceiling if dimension is None else plan.ceilings[dimension.id]


def score_floor(package: Package) -> Decimal:
    """The lowest score shown: the display scale's minimum, or 0 points."""
    return Decimal(0) if package.rollups.in_points else package.stage_model.scale.min


def to_display(package: Package, raw: float) -> Decimal:
    """The score on the display scale, rounded as the stage model says.

    Float noise is cut at 9 decimals before rounding, so a value that is exactly on a threshold
    in decimal arithmetic is never placed below it; stages are compared on this rounded Decimal.
    The rounding is done on integers: exact, and cheaper than Decimal arithmetic.
    """
    offset, span, decimals, half_even = package.display
    exact = raw if span is None else offset + raw * span
    nanos = round(exact * 1e9)  # the noise cut: whole billionths
    divisor = 10 ** (9 - decimals)
    units, remainder = divmod(nanos, divisor)  # floor division, also below zero
    twice = remainder * 2
    if twice > divisor or (twice == divisor and not (half_even and units % 2 == 0)):
        units += 1
    return Decimal(units).scaleb(-decimals)


def to_percent(package: Package, dimension: Dimension | None, raw: float) -> float:
    """Percent of the possible score, 0..100, whatever the roll-up (used by quadrants and charts)."""
    if not package.rollups.in_points:
        return raw * 100
    possible = raw_ceiling(package, dimension)
    return raw / possible * 100 if possible else 0.0


def display_range(
    package: Package, score: Decimal, percent: float | None
) -> tuple[Decimal, Decimal | None]:
    """The bottom and top of the scale `score` is shown on: the display scale, or 0 to the
    points possible (worked out from the score and its percent of the possible; None when the
    percent is 0 or unknown)."""
    if not package.rollups.in_points:
        return package.stage_model.scale.min, package.stage_model.scale.max
    top = score * 100 / Decimal(percent) if percent else None
    return Decimal(0), top


def percent_of_possible(
    package: Package, value: Decimal, score: Decimal | None, percent: float | None
) -> float | None:
    """`value` (a score on the same scale as `score`, whose percent of the possible is
    `percent`) as a percent of the possible score."""
    model = package.stage_model
    if not package.rollups.in_points:
        return float((value - model.scale.min) / (model.scale.max - model.scale.min) * 100)
    if score and percent:
        return float(value / score) * percent
    return None


METHOD_SENTENCES: Mapping[Rollup, str] = {
    "weighted_mean": "the weighted mean of the values of all its items, each item weighted by "
    "its own weight times the weights of any sub-dimensions it sits in",
    "mean_of_means": "the weighted mean of its own items and of its sub-dimensions' scores, "
    "each sub-dimension counting as one child with its weight",
    "mean": "the plain mean of its own items and of its sub-dimensions' scores",
    "sum": "the weighted sum of its items' values and of its sub-dimensions' scores, in points",
    "max": "the highest of its items' values and its sub-dimensions' scores",
    "min": "the lowest of its items' values and its sub-dimensions' scores",
}
_OVERALL_SENTENCES: Mapping[Rollup, str] = {
    "weighted_mean": "the weighted mean of the dimension scores by dimension weight",
    "mean_of_means": "the weighted mean of the dimension scores by dimension weight",
    "mean": "the plain mean of the dimension scores",
    "sum": "the weighted sum of the dimension scores",
    "max": "the highest dimension score",
    "min": "the lowest dimension score",
}
_LEVELS = ("A dimension's", "A sub-dimension's", "A sub-dimension's own sub-dimension's")


def rollup_sentences(package: Package) -> tuple[str, ...]:
    """How the scores roll up, in sentences for the methodology: by level, then the dimensions
    that differ from their level, then the overall score."""
    plan = package.rollups
    by_level: dict[int, set[Rollup]] = {}
    for dimension_id, method in plan.methods.items():
        by_level.setdefault(plan.depths[dimension_id], set()).add(method)
    sentences = []
    for depth in sorted(by_level):
        level = _LEVELS[min(depth, len(_LEVELS) - 1)]
        usual = _level_method(package.stage_model, depth)
        sentences.append(f"{level} score is {METHOD_SENTENCES[usual]}.")
    for dimension in package.all_dimensions:
        method = plan.methods[dimension.id]
        if method != _level_method(package.stage_model, plan.depths[dimension.id]):
            sentences.append(f"{dimension.title}'s score is {METHOD_SENTENCES[method]}.")
    sentences.append(f"The overall score is {_OVERALL_SENTENCES[plan.overall]}.")
    return tuple(sentences)


def _level_method(stage_model: StageModel, depth: int) -> Rollup:
    levels = stage_model.rollup_levels
    return levels[depth] if depth < len(levels) else stage_model.rollup
