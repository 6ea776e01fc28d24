"""Targets and progress: gap to target stages, percent-to-target, change since a baseline.

The targets also carry item targets (target answers per item); their gap, percent-to-target
and progress-to-date are worked out in scoring/item_targets.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from scoring.errors import AnswerProblem
from scoring.item_targets import TARGET_REFERENCES, TargetReference, item_target_values
from scoring.package import Package
from scoring.results import ScoreSummary
from scoring.rollup import score_floor

__all__ = [
    "Progress",
    "TargetGap",
    "Targets",
    "check_targets",
    "compare_to_targets",
    "progress_since",
]


@dataclass(frozen=True, slots=True)
class Targets:
    """What an assessment aims for.

    `overall` and `dimensions` are target stage ids (a dimension without one uses `overall`).
    `items` maps item ids to a target answer, in the raw forms answers take (an option id, a
    number, yes / no, a list of option ids) and checked the same way. `percent_to_target_from`
    declares the reference of the item targets' percent-to-target: "zero" (every item at 0)
    or "baseline" (the baseline round; zero when there is none).
    """

    overall: str | None = None
    dimensions: Mapping[str, str] = field(default_factory=dict)
    items: Mapping[str, object] = field(default_factory=dict)
    percent_to_target_from: TargetReference = "zero"

    def for_dimension(self, dimension_id: str) -> str | None:
        return self.dimensions.get(dimension_id, self.overall)


@dataclass(frozen=True, slots=True)
class TargetGap:
    """`stage_gap` counts stages still to climb (0 when met); percent_to_target is
    (score - scale min) / (target threshold - scale min), capped at 100."""

    subject: str  # a dimension id or "overall"
    current_stage: str | None
    target_stage: str
    stage_gap: int
    score: Decimal | None
    target_score: Decimal
    percent_to_target: float
    met: bool


@dataclass(frozen=True, slots=True)
class Progress:
    """Change since the baseline round. `score_change` is the difference of the unrounded
    scores, rounded as the stage model rounds scores (half away from zero for `half_up`), so it
    can differ in the last digit from the difference of the two rounded scores shown."""

    subject: str
    baseline_score: Decimal | None
    current_score: Decimal | None
    score_change: Decimal | None
    baseline_stage: str | None
    current_stage: str | None
    stage_change: int | None


_NO_STAGES = (
    "this stage model has no thresholds and places no stages, so there is no stage to aim at; "
    "set item targets instead"
)


def check_targets(package: Package, targets: Targets) -> list[AnswerProblem]:
    """Problems with target stage ids and the dimensions they name, with item target answers
    (checked as answers are) and with the declared percent-to-target reference. A model without
    thresholds places no stages, so it refuses every stage target (item targets still work)."""
    problems = []
    if targets.overall is not None and not package.places_stages:
        problems.append(AnswerProblem(None, "targets.overall", _NO_STAGES))
    elif targets.overall is not None and targets.overall not in package.stage_index:
        problems.append(
            AnswerProblem(
                None, "targets.overall", f"unknown stage; stages: {list(package.stage_index)}"
            )
        )
    top = {d.id for d in package.questionnaire.dimensions}
    for dimension_id, stage_id in targets.dimensions.items():
        if dimension_id not in top:
            problems.append(
                AnswerProblem(
                    None,
                    f"targets.dimensions.{dimension_id}",
                    f"unknown dimension; dimensions: {sorted(top)}",
                )
            )
        elif not package.places_stages:
            problems.append(AnswerProblem(None, f"targets.dimensions.{dimension_id}", _NO_STAGES))
        elif stage_id not in package.stage_index:
            problems.append(
                AnswerProblem(
                    None,
                    f"targets.dimensions.{dimension_id}",
                    f"unknown stage; stages: {list(package.stage_index)}",
                )
            )
    problems += item_target_values(package, targets.items)[1]
    if targets.percent_to_target_from not in TARGET_REFERENCES:
        problems.append(
            AnswerProblem(
                None,
                "targets.percent_to_target_from",
                f"{targets.percent_to_target_from!r} is not one of {list(TARGET_REFERENCES)}",
            )
        )
    return problems


def compare_to_targets(
    package: Package, summary: ScoreSummary, targets: Targets
) -> tuple[TargetGap, ...]:
    """The gap of each dimension (and the whole) that has a target; none under a model without
    stages (`check_targets` refuses stage targets there)."""
    if not package.places_stages:
        return ()
    gaps = []
    for dimension in summary.dimensions:
        target = targets.for_dimension(dimension.dimension_id)
        if target is not None and dimension.stage is not None:
            thresholds = package.dimension_thresholds[dimension.dimension_id]
            gaps.append(
                _gap(
                    package,
                    dimension.dimension_id,
                    dimension.stage.stage_index,
                    dimension.score,
                    target,
                    thresholds,
                )
            )
    if targets.overall is not None:
        overall = summary.overall
        gaps.append(
            _gap(
                package,
                "overall",
                overall.stage.stage_index,
                overall.score,
                targets.overall,
                package.overall_thresholds,
            )
        )
    return tuple(gaps)


def _gap(
    package: Package,
    subject: str,
    current_index: int | None,
    score: Decimal | None,
    target: str,
    thresholds: tuple[Decimal, ...],
) -> TargetGap:
    target_index = package.stage_index[target]
    floor = score_floor(package)
    target_score = thresholds[target_index - 1] if target_index > 0 else floor
    if score is None:
        percent = 0.0
    elif target_score <= floor:
        percent = 100.0
    else:
        percent = min(100.0, float((score - floor) / (target_score - floor) * 100))
    gap = target_index - (current_index if current_index is not None else 0)
    stages = package.stage_model.stages
    return TargetGap(
        subject=subject,
        current_stage=None if current_index is None else stages[current_index].id,
        target_stage=target,
        stage_gap=max(0, gap),
        score=score,
        target_score=target_score,
        percent_to_target=round(percent, 1),
        met=current_index is not None and gap <= 0,
    )


def progress_since(
    package: Package, baseline: ScoreSummary, current: ScoreSummary
) -> tuple[Progress, ...]:
    """Change per dimension present in both results, and overall.

    The change is worked out from the unrounded scores and rounded once, as `package` (the
    current round's) rounds scores: subtracting two rounded scores would be off by one in the
    last digit whenever both were rounded the other way (0.208334 for an exact 0.2083333).
    """
    before = {d.dimension_id: d for d in baseline.dimensions}
    rows = []
    for dimension in current.dimensions:
        earlier = before.get(dimension.dimension_id)
        if earlier is not None and earlier.stage is not None and dimension.stage is not None:
            rows.append(
                _progress(
                    package,
                    dimension.dimension_id,
                    (earlier.raw, earlier.score, earlier.stage.stage_id, earlier.stage.stage_index),
                    (
                        dimension.raw,
                        dimension.score,
                        dimension.stage.stage_id,
                        dimension.stage.stage_index,
                    ),
                )
            )
    b, c = baseline.overall, current.overall
    rows.append(
        _progress(
            package,
            "overall",
            (b.raw, b.score, b.stage.stage_id, b.stage.stage_index),
            (c.raw, c.score, c.stage.stage_id, c.stage.stage_index),
        )
    )
    return tuple(rows)


# (raw score, rounded score, stage id, stage index) of one round
_Reading = tuple[float | None, Decimal | None, str | None, int | None]


def _progress(package: Package, subject: str, before: _Reading, after: _Reading) -> Progress:
    baseline_raw, baseline_score, baseline_stage, baseline_index = before
    current_raw, current_score, current_stage, current_index = after
    both_placed = baseline_index is not None and current_index is not None
    change = None
    if baseline_raw is not None and current_raw is not None:
        change = _rounded_change(package, current_raw - baseline_raw)
    return Progress(
        subject=subject,
        baseline_score=baseline_score,
        current_score=current_score,
        score_change=change,
        baseline_stage=baseline_stage,
        current_stage=current_stage,
        stage_change=current_index - baseline_index if both_placed else None,  # type: ignore[operator]
    )


def _rounded_change(package: Package, raw_change: float) -> Decimal:
    """A change of raw score on the display scale, rounded as the stage model rounds scores.

    Float noise is cut at 9 decimals first, as `to_display` does. Half rounds away from zero
    under `half_up`, so a rise and a fall of the same size show the same size."""
    model = package.stage_model
    span = 1.0 if package.rollups.in_points else float(model.scale.max - model.scale.min)
    exact = Decimal(round(raw_change * span * 1e9)).scaleb(-9)
    mode = ROUND_HALF_EVEN if model.rounding.mode == "half_even" else ROUND_HALF_UP
    rounded = exact.quantize(Decimal(1).scaleb(-model.rounding.decimals), rounding=mode)
    return rounded.copy_abs() if rounded.is_zero() else rounded
