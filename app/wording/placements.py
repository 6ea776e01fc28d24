"""Why a stage was given, why the quadrant, why an action: the engine's facts in sentences."""

from __future__ import annotations

from app.wording.lists import joined
from scoring import (
    GateStep,
    Item,
    ItemKind,
    Package,
    QuadrantPlacement,
    RankedRecommendation,
    StagePlacement,
)
from scoring.recommend import UNSTATED_LEVEL, level_points
from scoring.recommendations import Level

__all__ = ["placement_steps", "quadrant_explanation", "recommendation_reason"]

_NO_DATA = "{subject}: no scored answers, so no stage."
_NO_STAGES = "This model places no stages; the score is the maturity level."
_NO_STAGES_NO_DATA = "{subject}: no scored answers, so no score."
_BELOW_FIRST = (
    "{subject} score {score} is below the {threshold} needed for {next_stage}, so {stage}."
)
_REACHES = "{subject} score {score} reaches the {threshold} needed for {stage}."
_REACHES_WITH_NEXT = (
    "{subject} score {score} reaches the {threshold} needed for {stage}; "
    "{next_stage} needs {next_threshold}."
)
_REQUIRES_ITEM_OPTION = (
    "{stage} needs “{prompt}” answered “{option}” or better; {actual}, so the stage is capped "
    "at {capped}."
)
_REQUIRES_ITEM_BEST = (
    "{stage} needs “{prompt}” answered “{option}”; {actual}, so the stage is capped at {capped}."
)
_REQUIRES_ITEM_SCORE = (
    "{stage} needs an item score of at least {required} out of 100 on “{prompt}”; {actual}, "
    "so the stage is capped at {capped}."
)
_ITEM_UNANSWERED = "it is unanswered"
_ITEM_SCORE = "its item score is {value} out of 100"
_ITEM_NOT_ASKED = (
    "{stage} needs an answer this questionnaire does not ask for, so that rule is skipped."
)
_WEAKEST_LINK = (
    "Weakest link: {dimension} is at {weakest}, and the overall stage may be at most "
    "{max_above} above it, so it is capped at {capped}."
)
_WEAKEST_LINK_ONE = (
    "Weakest link: {dimension} is at {weakest}, and the overall stage may be at most one "
    "stage above it, so it is capped at {capped}."
)
_FINAL = "{subject} stage: {stage}."
_QUADRANT = (
    "Operations {operations:.0f}% and execution {execution:.0f}% of the possible score; "
    "each axis counts as high from {midpoint:g}%."
)
_FOR_STAGE_GAP = "{dimension} is at {stage}, one stage below its target"
_FOR_STAGE_GAPS = "{dimension} is at {stage}, {gap} stages below its target"
_FOR_ANSWERS = "{matching} of {answered} answers to “{prompt}” call for it"
_PRIORITY = (
    "{why}: impact {impact} × (1 + {gap}) × weight {weight:.2f} ÷ effort {effort} = {priority:.2f}."
)
_LEVEL = "{level} ({points})"
_LEVEL_UNSTATED = "{level} ({points}, not stated)"
_BY_FORMULA = "{why}: priority by the model's formula {formula}, with {figures}, is {priority:.2f}."
_FIGURE = "{name} {value:.3g}"
_COMES_AFTER = " It comes after {titles}, which it builds on."
_COMES_BEFORE_ONE = " It comes before {titles}, which builds on it."
_COMES_BEFORE_MANY = " It comes before {titles}, which build on it."
_TITLE = "“{title}”"


def _subject(package: Package, subject: str) -> str:
    return "Overall" if subject == "overall" else package.dimension(subject).title


def _hundred(value: float) -> str:
    return f"{value * 100:.0f}"


def _option_at_least(package: Package, item: Item, required: float) -> tuple[str, bool] | None:
    """The label of the lowest-scoring answer that meets `required`, for items with options,
    and whether it is the only one that does."""
    values = package.option_values[item.id]
    if item.kind is ItemKind.YES_NO:
        labels = {"yes": "Yes", "no": "No"}
    elif item.kind in (ItemKind.SCALE, ItemKind.SINGLE_CHOICE):
        labels = {o.id: o.label for o in item.options}
    else:
        return None
    meeting = [
        (scored, label)
        for key, label in labels.items()
        if (scored := 1 - values[key] if item.reverse else values[key]) >= required - 1e-9
    ]
    return (min(meeting)[1], len(meeting) == 1) if meeting else None


def _gate_step(package: Package, step: GateStep) -> str:
    names = package.stage_names
    capped = "" if step.capped_index is None else names[step.capped_index]
    if step.code == "item_not_asked":
        return _ITEM_NOT_ASKED.format(stage=names[step.stage_index])
    if step.code == "weakest_link":
        template = _WEAKEST_LINK_ONE if step.max_above == 1 else _WEAKEST_LINK
        return template.format(
            dimension=package.dimension(step.dimension_id or "").title,
            weakest=names[step.stage_index],
            max_above=step.max_above,
            capped=capped,
        )
    item = package.items[step.item_id or ""]
    required = step.required or 0.0
    actual = (
        _ITEM_UNANSWERED if step.value is None else _ITEM_SCORE.format(value=_hundred(step.value))
    )
    option = _option_at_least(package, item, required)
    if option is not None:
        label, only = option
        return (_REQUIRES_ITEM_BEST if only else _REQUIRES_ITEM_OPTION).format(
            stage=names[step.stage_index],
            prompt=item.prompt,
            option=label,
            actual=actual,
            capped=capped,
        )
    return _REQUIRES_ITEM_SCORE.format(
        stage=names[step.stage_index],
        required=_hundred(required),
        prompt=item.prompt,
        actual=actual,
        capped=capped,
    )


def _threshold_step(package: Package, placement: StagePlacement) -> str:
    names, thresholds = package.stage_names, placement.thresholds
    subject = _subject(package, placement.subject)
    index = placement.threshold_index or 0
    if index == 0:
        return _BELOW_FIRST.format(
            subject=subject,
            score=placement.score,
            threshold=thresholds[0],
            next_stage=names[1],
            stage=names[0],
        )
    if index < len(thresholds):
        return _REACHES_WITH_NEXT.format(
            subject=subject,
            score=placement.score,
            threshold=thresholds[index - 1],
            stage=names[index],
            next_stage=names[index + 1],
            next_threshold=thresholds[index],
        )
    return _REACHES.format(
        subject=subject, score=placement.score, threshold=thresholds[index - 1], stage=names[index]
    )


def placement_steps(package: Package, placement: StagePlacement) -> tuple[str, ...]:
    """Every step that decided a stage: the threshold reached, each gate, the stage given."""
    subject = _subject(package, placement.subject)
    if placement.decided_by == "no_stages":
        if placement.score is None:
            return (_NO_STAGES_NO_DATA.format(subject=subject),)
        return (_NO_STAGES,)
    if placement.score is None or placement.stage_index is None:
        return (_NO_DATA.format(subject=subject),)
    return (
        _threshold_step(package, placement),
        *(_gate_step(package, step) for step in placement.gate_steps),
        _FINAL.format(subject=subject, stage=package.stage_names[placement.stage_index]),
    )


def quadrant_explanation(placement: QuadrantPlacement) -> str:
    return _QUADRANT.format(
        operations=placement.operations_percent,
        execution=placement.execution_percent,
        midpoint=placement.midpoint,
    )


def recommendation_reason(package: Package, ranked: RankedRecommendation) -> str:
    """Why an action was chosen, how its priority was worked out, and what it comes after or
    before because of `depends_on`."""
    recommendation = ranked.recommendation
    if recommendation.trigger is not None:
        why = _FOR_ANSWERS.format(
            matching=ranked.matching,
            answered=ranked.answered,
            prompt=package.items[recommendation.trigger.item].prompt,
        )
    else:
        template = _FOR_STAGE_GAP if ranked.stage_gap == 1 else _FOR_STAGE_GAPS
        why = template.format(
            dimension=package.dimension(ranked.dimension_id or "").title,
            stage=package.stage_names[ranked.stage_index or 0],
            gap=ranked.stage_gap,
        )
    declared = package.library.priority
    if declared is None:
        reason = _PRIORITY.format(
            why=why,
            impact=_level_text(recommendation.impact),
            gap=ranked.stage_gap,
            weight=ranked.weight,
            effort=_level_text(recommendation.effort),
            priority=ranked.priority,
        )
    else:
        figures = [_FIGURE.format(name=name, value=value) for name, value in ranked.figures]
        reason = _BY_FORMULA.format(
            why=why,
            formula=declared.formula,
            figures=joined(figures) if figures else "no figures",
            priority=ranked.priority,
        )
    titles = {r.id: _TITLE.format(title=r.title) for r in package.library.recommendations}
    if ranked.prerequisites:
        reason += _COMES_AFTER.format(titles=joined([titles[i] for i in ranked.prerequisites]))
    if ranked.unlocks:
        template = _COMES_BEFORE_ONE if len(ranked.unlocks) == 1 else _COMES_BEFORE_MANY
        reason += template.format(titles=joined([titles[i] for i in ranked.unlocks]))
    return reason


def _level_text(level: Level | None) -> str:
    """An effort or impact level with its points; one not stated counts as medium."""
    template = _LEVEL if level is not None else _LEVEL_UNSTATED
    return template.format(level=level or UNSTATED_LEVEL, points=level_points(level))
