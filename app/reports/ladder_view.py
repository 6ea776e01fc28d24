"""The stage ladder: each dimension's and the overall marker among the stages, and a note for
every stage that a gate holds below the one its score alone would reach."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from markupsafe import Markup

from app.reports.dimension_view import ladder_position
from app.reports.formatting import score_text
from app.reports.palette import Palette
from app.reports.stage_ladder_chart import LadderRow, stage_ladder
from app.reports.view_model import ReportVariant, StageView
from scoring import AssessmentResult, Package, StagePlacement

__all__ = ["ladder_chart", "ladder_notes"]


class _LadderSubject(NamedTuple):
    label: str
    score: Decimal | None
    percent: float | None
    thresholds: tuple[Decimal, ...]
    placement: StagePlacement | None
    emphasised: bool = False


def ladder_chart(
    package: Package,
    result: AssessmentResult,
    stages: tuple[StageView, ...],
    palette: Palette,
    variant: ReportVariant,
) -> Markup:
    """The ladder chart; empty for a model without thresholds, which places no stages."""
    if not package.places_stages:
        return Markup("")
    rows = [
        LadderRow(
            subject.label,
            score_text(subject.score),
            ladder_position(
                package, subject.thresholds, subject.score, subject.percent, subject.placement
            ),
            emphasised=subject.emphasised,
            capped=_reached_index(subject.placement) is not None,
        )
        for subject in _ladder_subjects(package, result, variant)
    ]
    return stage_ladder(
        [s.name for s in stages],
        [s.colour for s in stages],
        rows,
        marker_colour=palette.deep,
        title="Stage of each dimension",
    )


def ladder_notes(
    package: Package, result: AssessmentResult, variant: ReportVariant
) -> tuple[str, ...]:
    """One sentence per capped row of the ladder: the stage its score alone would reach, the
    rule that holds it back, and the stage given, in whose column its marker sits."""
    names = [stage.name for stage in package.stage_model.stages]
    notes = []
    for subject in _ladder_subjects(package, result, variant):
        placement = subject.placement
        reached = _reached_index(placement)
        if placement is None or placement.stage_index is None or reached is None:
            continue
        given = names[placement.stage_index]
        if placement.decided_by == "weakest_link":
            rule = (
                "the weakest-link rule, which keeps the overall stage close to the weakest "
                f"dimension, holds it at {given}"
            )
        else:
            rule = (
                f"a required item is not yet at the level needed, so the rule holds it at {given}"
            )
        notes.append(
            f"{subject.label}: the score {score_text(subject.score)} alone would reach "
            f"{names[reached]}, but {rule}."
        )
    return tuple(notes)


def _ladder_subjects(
    package: Package, result: AssessmentResult, variant: ReportVariant
) -> Iterator[_LadderSubject]:
    """The ladder's rows, top down: the whole, then each dimension (with or without a stage)."""
    team = result.team
    overall = team.overall
    yield _LadderSubject(
        "Overall" if variant == "team" else "Overall (you)",
        overall.score,
        overall.percent,
        package.overall_thresholds,
        overall.stage,
        emphasised=True,
    )
    for dimension in team.dimensions:
        yield _LadderSubject(
            dimension.title,
            dimension.score,
            dimension.percent,
            package.dimension_thresholds[dimension.dimension_id],
            dimension.stage,
        )


def _reached_index(placement: StagePlacement | None) -> int | None:
    """The stage the score alone reaches by thresholds, when a gate gave a lower one; else None."""
    if placement is None or placement.stage_index is None:
        return None
    reached = placement.threshold_index
    return reached if reached is not None and reached > placement.stage_index else None
