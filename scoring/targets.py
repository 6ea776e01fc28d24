"""Targets and progress: gap to target stages, percent-to-target, change since a baseline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from scoring.errors import AnswerProblem
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
    """Target stage ids: `overall`, and per dimension (a dimension without one uses `overall`)."""

    overall: str | None = None
    dimensions: Mapping[str, str] = field(default_factory=dict)

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
    subject: str
    baseline_score: Decimal | None
    current_score: Decimal | None
    score_change: Decimal | None
    baseline_stage: str | None
    current_stage: str | None
    stage_change: int | None


def check_targets(package: Package, targets: Targets) -> list[AnswerProblem]:
    """Problems with target stage ids and the dimensions they name."""
    problems = []
    if targets.overall is not None and targets.overall not in package.stage_index:
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
        elif stage_id not in package.stage_index:
            problems.append(
                AnswerProblem(
                    None,
                    f"targets.dimensions.{dimension_id}",
                    f"unknown stage; stages: {list(package.stage_index)}",
                )
            )
    return problems


def compare_to_targets(
    package: Package, summary: ScoreSummary, targets: Targets
) -> tuple[TargetGap, ...]:
    """The gap of each dimension (and the whole) that has a target."""
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


def progress_since(baseline: ScoreSummary, current: ScoreSummary) -> tuple[Progress, ...]:
    """Change per dimension present in both results, and overall."""
    before = {d.dimension_id: d for d in baseline.dimensions}
    rows = []
    for dimension in current.dimensions:
        earlier = before.get(dimension.dimension_id)
        if earlier is not None and earlier.stage is not None and dimension.stage is not None:
            rows.append(
                _progress(
                    dimension.dimension_id,
                    earlier.score,
                    dimension.score,
                    earlier.stage.stage_id,
                    dimension.stage.stage_id,
                    earlier.stage.stage_index,
                    dimension.stage.stage_index,
                )
            )
    b, c = baseline.overall, current.overall
    rows.append(
        _progress(
            "overall",
            b.score,
            c.score,
            b.stage.stage_id,
            c.stage.stage_id,
            b.stage.stage_index,
            c.stage.stage_index,
        )
    )
    return tuple(rows)


def _progress(
    subject: str,
    baseline_score: Decimal | None,
    current_score: Decimal | None,
    baseline_stage: str | None,
    current_stage: str | None,
    baseline_index: int | None,
    current_index: int | None,
) -> Progress:
    both_scored = baseline_score is not None and current_score is not None
    both_placed = baseline_index is not None and current_index is not None
    return Progress(
        subject=subject,
        baseline_score=baseline_score,
        current_score=current_score,
        score_change=current_score - baseline_score if both_scored else None,  # type: ignore[operator]
        baseline_stage=baseline_stage,
        current_stage=current_stage,
        stage_change=current_index - baseline_index if both_placed else None,  # type: ignore[operator]
    )
