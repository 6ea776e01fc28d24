"""Roll-up of item values into dimension and overall scores, and the display scale."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from scoring.package import Package
from scoring.questionnaire import Dimension

__all__ = ["dimension_raw", "max_points", "overall_raw", "to_display", "to_percent"]


def dimension_raw(
    package: Package, dimension: Dimension, values: Mapping[str, float | None]
) -> float | None:
    """A dimension's raw score: normalised 0..1 for the mean roll-ups, points for `sum`.

    weighted_mean pools every item under the dimension, an item's weight multiplied by the
    weights of the sub-dimensions it sits in; mean_of_means averages the dimension's own items
    and its sub-dimensions' scores as equal children (by weight); sum adds weighted values.
    None when no item under the dimension has a value.
    """
    method = package.stage_model.rollup
    if method == "weighted_mean":
        total, weights = _pooled(dimension, values, 1.0)
        return total / weights if weights else None
    parts: list[tuple[float, float]] = [
        (item.weight, value)
        for item in dimension.items
        if item.scored and (value := values[item.id]) is not None
    ]
    for sub in dimension.dimensions:
        sub_value = dimension_raw(package, sub, values)
        if sub_value is not None:
            parts.append((sub.weight, sub_value))
    if not parts:
        return None
    if method == "sum":
        return sum(weight * value for weight, value in parts)
    return sum(weight * value for weight, value in parts) / sum(weight for weight, _ in parts)


def _pooled(
    dimension: Dimension, values: Mapping[str, float | None], path_weight: float
) -> tuple[float, float]:
    total = weights = 0.0
    for item in dimension.items:
        value = values[item.id]
        if value is not None:
            weight = path_weight * item.weight
            total += weight * value
            weights += weight
    for sub in dimension.dimensions:
        sub_total, sub_weights = _pooled(sub, values, path_weight * sub.weight)
        total += sub_total
        weights += sub_weights
    return total, weights


def overall_raw(package: Package, dimension_values: Mapping[str, float | None]) -> float | None:
    """The weighted mean of the dimensions' raw scores by dimension weight (a weighted sum for `sum`)."""
    parts = [
        (d.weight, value)
        for d in package.questionnaire.dimensions
        if (value := dimension_values.get(d.id)) is not None
    ]
    if not parts:
        return None
    total = sum(weight * value for weight, value in parts)
    if package.stage_model.rollup == "sum":
        return total
    return total / sum(weight for weight, _ in parts)


def max_points(package: Package, dimension: Dimension) -> float:
    """The most a dimension can score under `sum`: every scored item at value 1."""
    return dimension_raw(package, dimension, {item_id: 1.0 for item_id in package.items}) or 0.0


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
    if package.stage_model.rollup != "sum":
        return raw * 100
    if dimension is None:
        possible = sum(d.weight * max_points(package, d) for d in package.questionnaire.dimensions)
    else:
        possible = max_points(package, dimension)
    return raw / possible * 100 if possible else 0.0
