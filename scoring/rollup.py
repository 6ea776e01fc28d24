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

`rollup_plan` compiles these rules once per package: every dimension gets a rule that reads
item values by position (questionnaire order) and its children's scores, and `RollupPlan.raws`
runs the rules children first, so one pass scores every dimension. The arithmetic is done in
the order written above (a weighted mean pools a sub-dimension's items into a subtotal before
adding it), so a score is the same float however it is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import starmap
from operator import mul
from typing import TYPE_CHECKING

from scoring.questionnaire import Dimension, Questionnaire, iter_dimensions
from scoring.stage_model import Rollup, StageModel

if TYPE_CHECKING:
    from scoring.package import Package

__all__ = [
    "DisplayScale",
    "RollupPlan",
    "display_range",
    "percent_of_possible",
    "raw_ceiling",
    "rollup_plan",
    "rollup_sentences",
    "score_floor",
    "to_display",
]


# Values by position (items in questionnaire order, or dimensions as `RollupPlan.dimension_ids`).
Values = Sequence[float | None]
# A dimension's compiled roll-up: (item values, the scores of dimensions done so far) -> its score
RawRule = Callable[[Values, Values], float | None]
# A weighted mean's items beneath one dimension: (item position, weight along the path) of its
# own items, then the same for each sub-dimension, pooled into a subtotal first.
PooledItems = tuple[tuple[tuple[int, float], ...], tuple["PooledItems", ...]]
# The display scale's offset and span (None for points), decimals, round half to even.
DisplayScale = tuple[float, float | None, int, bool]


@dataclass(frozen=True, slots=True)
class RollupPlan:
    """Each dimension's roll-up method and highest raw score, worked out once per package, and
    the roll-ups compiled to run by position."""

    overall: Rollup
    methods: Mapping[str, Rollup]  # every dimension id, at any level
    depths: Mapping[str, int]  # 0 for a top-level dimension
    in_points: bool  # some roll-up sums: scores are points, not places on the display scale
    ceilings: Mapping[str, float]  # the raw score of each dimension with every item at 1
    overall_ceiling: float
    item_ids: tuple[str, ...] = field(repr=False)  # the positions that `raws` reads
    dimension_ids: tuple[str, ...] = field(repr=False)  # every dimension, depth first
    dimension_at: Mapping[str, int] = field(repr=False)  # position in dimension_ids, by id
    # (position in dimension_ids, rule), children before their parents
    rules: tuple[tuple[int, RawRule], ...] = field(repr=False, compare=False)
    top: tuple[tuple[int, float], ...] = field(repr=False)  # top-level (position, weight)
    display: DisplayScale = field(repr=False)
    to_display: Callable[[float], Decimal] = field(repr=False, compare=False)  # see to_display

    def raws(self, values: Values) -> list[float | None]:
        """Every dimension's raw score (in `dimension_ids` order) from item values by position
        (in `item_ids` order)."""
        return _run(self.rules, len(self.dimension_ids), values)

    def overall_raw(self, raws: Values) -> float | None:
        """The overall raw score from every dimension's, as `raws` returns them."""
        return _combine(
            self.overall,
            [(weight, raw) for at, weight in self.top if (raw := raws[at]) is not None],
        )


def _run(rules: tuple[tuple[int, RawRule], ...], count: int, values: Values) -> list[float | None]:
    raws: list[float | None] = [None] * count
    for position, rule in rules:
        raws[position] = rule(values, raws)
    return raws


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
    dimensions = tuple(iter_dimensions(questionnaire.dimensions))
    items = [item for dimension in dimensions for item in dimension.items]
    item_at = {item.id: position for position, item in enumerate(items)}
    dimension_at = {dimension.id: position for position, dimension in enumerate(dimensions)}
    # Depth first puts a parent before its sub-dimensions; reversed, children come first.
    rules = tuple(
        (dimension_at[dimension.id], _rule(dimension, methods[dimension.id], item_at, dimension_at))
        for dimension in reversed(dimensions)
    )
    highest = _run(rules, len(dimensions), [1.0 if item.scored else None for item in items])
    ceilings = {d.id: highest[dimension_at[d.id]] or 0.0 for d in dimensions}
    top = [(d.weight, ceilings[d.id]) for d in questionnaire.dimensions]
    in_points = "sum" in (stage_model.rollup, *methods.values())
    scale = stage_model.scale
    display = (
        float(scale.min),
        None if in_points else float(scale.max - scale.min),
        stage_model.rounding.decimals,
        stage_model.rounding.mode == "half_even",
    )
    return RollupPlan(
        overall=stage_model.rollup,
        methods=methods,
        depths=depths,
        in_points=in_points,
        ceilings=ceilings,
        overall_ceiling=_combine(stage_model.rollup, top) or 0.0,
        item_ids=tuple(item.id for item in items),
        dimension_ids=tuple(dimension.id for dimension in dimensions),
        dimension_at=dimension_at,
        rules=rules,
        top=tuple((dimension_at[d.id], d.weight) for d in questionnaire.dimensions),
        display=display,
        to_display=_display_rounding(display),
    )


def _rule(
    dimension: Dimension,
    method: Rollup,
    item_at: Mapping[str, int],
    dimension_at: Mapping[str, int],
) -> RawRule:
    if method == "weighted_mean":
        pooled = _pooled_items(dimension, item_at, 1.0)
        own, subs_pooled = pooled

        def weighted_mean(values: Values, raws: Values) -> float | None:
            if subs_pooled:
                total, weights = _pooled(pooled, values)
            else:  # the same sums as _pooled, without its call
                total = weights = 0.0
                for at, weight in own:
                    value = values[at]
                    if value is not None:
                        total += weight * value
                        weights += weight
            return total / weights if weights else None

        return weighted_mean
    items = tuple((item_at[item.id], item.weight) for item in dimension.items if item.scored)
    subs = tuple((dimension_at[sub.id], sub.weight) for sub in dimension.dimensions)
    combine = _COMBINE[method]

    # (weight, value) children: its own scored items, then its sub-dimensions; most
    # dimensions have only the one kind or the other.
    def of_items(values: Values, raws: Values) -> float | None:
        parts = [(weight, value) for at, weight in items if (value := values[at]) is not None]
        return combine(parts) if parts else None

    def of_subdimensions(values: Values, raws: Values) -> float | None:
        parts = [(weight, raw) for at, weight in subs if (raw := raws[at]) is not None]
        return combine(parts) if parts else None

    def of_both(values: Values, raws: Values) -> float | None:
        parts = [(weight, value) for at, weight in items if (value := values[at]) is not None]
        parts += [(weight, raw) for at, weight in subs if (raw := raws[at]) is not None]
        return combine(parts) if parts else None

    if items and subs:
        return of_both
    return of_items if items else of_subdimensions


def _combine(method: Rollup, parts: list[tuple[float, float]]) -> float | None:
    """(weight, value) children combined by a roll-up method; None without children."""
    return _COMBINE[method](parts) if parts else None


def _weighted_sum(parts: list[tuple[float, float]]) -> float:
    total: float = sum(starmap(mul, parts))
    return total


def _mean(parts: list[tuple[float, float]]) -> float:
    return sum([value for _, value in parts]) / len(parts)


def _highest(parts: list[tuple[float, float]]) -> float:
    return max([value for _, value in parts])


def _lowest(parts: list[tuple[float, float]]) -> float:
    return min([value for _, value in parts])


def _weighted_mean(parts: list[tuple[float, float]]) -> float:
    total: float = sum(starmap(mul, parts))
    return total / sum([weight for weight, _ in parts])


# How each method combines (weight, value) children, at least one.
_COMBINE: Mapping[Rollup, Callable[[list[tuple[float, float]]], float]] = {
    "weighted_mean": _weighted_mean,  # for the overall score; a dimension's pools its items
    "mean_of_means": _weighted_mean,
    "mean": _mean,
    "sum": _weighted_sum,
    "max": _highest,
    "min": _lowest,
}


def _pooled_items(
    dimension: Dimension, item_at: Mapping[str, int], path_weight: float
) -> PooledItems:
    return (
        tuple((item_at[item.id], path_weight * item.weight) for item in dimension.items),
        tuple(
            _pooled_items(sub, item_at, path_weight * sub.weight) for sub in dimension.dimensions
        ),
    )


def _pooled(pooled: PooledItems, values: Values) -> tuple[float, float]:
    items, subs = pooled
    total = weights = 0.0
    for at, weight in items:
        value = values[at]
        if value is not None:
            total += weight * value
            weights += weight
    for sub in subs:
        sub_total, sub_weights = _pooled(sub, values)
        total += sub_total
        weights += sub_weights
    return total, weights


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
    return package.rollups.to_display(raw)


def _display_rounding(display: DisplayScale) -> Callable[[float], Decimal]:
    """`to_display` on the display scale `display`, its constants worked out once."""
    offset, span, decimals, half_even = display
    divisor = 10 ** (9 - decimals)
    exponent = -decimals

    def rounded(raw: float) -> Decimal:
        exact = raw if span is None else offset + raw * span
        nanos = round(exact * 1e9)  # the noise cut: whole billionths
        units, remainder = divmod(nanos, divisor)  # floor division, also below zero
        twice = remainder * 2
        if twice > divisor or (twice == divisor and not (half_even and units % 2 == 0)):
            units += 1
        return Decimal(units).scaleb(exponent)

    return rounded


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
