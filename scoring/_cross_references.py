"""Checks that span files: ids unique, references resolve, thresholds ordered, short forms faithful."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from itertools import pairwise

from scoring.errors import DefinitionProblem
from scoring.questionnaire import (
    CHOICE_KINDS,
    Condition,
    Item,
    ItemKind,
    Questionnaire,
    iter_dimensions,
)
from scoring.recommendations import RecommendationLibrary
from scoring.rollup import rollup_plan
from scoring.stage_model import RequiresItemsGate, StageModel

__all__ = ["cross_reference_problems"]


def cross_reference_problems(
    questionnaire: Questionnaire,
    stage_model: StageModel | None,
    library: RecommendationLibrary | None,
    *,
    files: object,
    parent: Questionnaire | None,
) -> list[DefinitionProblem]:
    """The problems across files; a file that is None (invalid on its own) skips the checks
    that need it: those of the stage model, and of the library, which also need the stages."""
    q_file: str = getattr(files, "questionnaire")  # noqa: B009 - PackageFiles, typed loosely to avoid a cycle
    s_file: str = getattr(files, "stage_model")  # noqa: B009
    r_file: str = getattr(files, "recommendations")  # noqa: B009
    problems: list[DefinitionProblem] = []
    items = _items_in_order(questionnaire)
    known_items = dict(items)
    if questionnaire.short_form_of is not None:
        problems.extend(_short_form_problems(questionnaire, items, parent, q_file))
        if parent is not None:
            known_items = {**dict(_items_in_order(parent)), **known_items}
    problems.extend(_questionnaire_problems(questionnaire, items, q_file))
    if stage_model is not None:
        problems.extend(_stage_model_problems(stage_model, questionnaire, known_items, s_file))
        if library is not None:
            problems.extend(
                _library_problems(library, stage_model, questionnaire, known_items, r_file)
            )
    return problems


def _items_in_order(questionnaire: Questionnaire) -> list[tuple[str, Item]]:
    return [
        (item.id, item)
        for dimension in iter_dimensions(questionnaire.dimensions)
        for item in dimension.items
    ]


def _duplicates(ids: Iterable[str]) -> list[str]:
    return sorted(i for i, count in Counter(ids).items() if count > 1)


def _questionnaire_problems(
    questionnaire: Questionnaire, items: list[tuple[str, Item]], file: str
) -> list[DefinitionProblem]:
    problems = []
    dimension_ids = [d.id for d in iter_dimensions(questionnaire.dimensions)]
    for duplicate in _duplicates(dimension_ids):
        problems.append(
            DefinitionProblem(file, f"dimensions[{duplicate}]", "dimension id used twice")
        )
    for duplicate in _duplicates(item_id for item_id, _ in items):
        problems.append(DefinitionProblem(file, f"items[{duplicate}]", "item id used twice"))
    for duplicate in _duplicates(a.id for a in questionnaire.attributes):
        problems.append(
            DefinitionProblem(file, f"attributes[{duplicate}]", "attribute id used twice")
        )
    for attribute in questionnaire.attributes:
        for duplicate in _duplicates(v.id for v in attribute.values):
            problems.append(
                DefinitionProblem(
                    file, f"attributes[{attribute.id}].values[{duplicate}]", "value id used twice"
                )
            )
    for dimension in questionnaire.dimensions:
        for sub in iter_dimensions(dimension.dimensions):
            if sub.axis is not None:
                location = f"dimensions[{sub.id}].axis"
                problems.append(
                    DefinitionProblem(file, location, "only top-level dimensions feed an axis")
                )
    seen: dict[str, Item] = {}
    for item_id, item in items:
        if item.show_if is not None:
            location = f"items[{item_id}].show_if"
            earlier = seen.get(item.show_if.item)
            if earlier is None:
                message = f"item '{item.show_if.item}' must exist and come before '{item_id}'"
                problems.append(DefinitionProblem(file, location, message))
            else:
                problems.extend(_condition_problems(item.show_if, earlier, file, location))
        seen[item_id] = item
    return problems


def _condition_problems(
    condition: Condition, target: Item, file: str, location: str
) -> list[DefinitionProblem]:
    if target.kind is ItemKind.TEXT:
        return [
            DefinitionProblem(
                file, location, f"item '{target.id}' is free text and cannot be tested"
            )
        ]
    if condition.answer_in is None:
        return []
    if target.kind not in CHOICE_KINDS and target.kind is not ItemKind.YES_NO:
        message = f"item '{target.id}' has no options: test its value instead of answer_in"
        return [DefinitionProblem(file, location, message)]
    unknown = [a for a in condition.answer_in if a not in target.option_ids()]
    if unknown:
        message = f"answer_in names {unknown} which are not options of '{target.id}' {list(target.option_ids())}"
        return [DefinitionProblem(file, location, message)]
    return []


def _short_form_problems(
    questionnaire: Questionnaire,
    items: list[tuple[str, Item]],
    parent: Questionnaire | None,
    file: str,
) -> list[DefinitionProblem]:
    if parent is None or parent.id != questionnaire.short_form_of:
        version = questionnaire.short_form_version or questionnaire.version
        message = (
            f"short_form_of names '{questionnaire.short_form_of}' {version}, "
            "which is not a known questionnaire"
        )
        return [DefinitionProblem(file, "short_form_of", message)]
    parent_items = dict(_items_in_order(parent))
    problems = []
    for item_id, item in items:
        original = parent_items.get(item_id)
        if original is None:
            problems.append(
                DefinitionProblem(file, f"items[{item_id}]", f"not an item of '{parent.id}'")
            )
        elif original != item:
            message = (
                f"differs from the same item in '{parent.id}': a short form reuses items unchanged"
            )
            problems.append(DefinitionProblem(file, f"items[{item_id}]", message))
    parent_dimensions = {d.id for d in parent.dimensions}
    for dimension in questionnaire.dimensions:
        if dimension.id not in parent_dimensions:
            message = f"not a dimension of '{parent.id}'"
            problems.append(DefinitionProblem(file, f"dimensions[{dimension.id}]", message))
    return problems


def _stage_model_problems(
    stage_model: StageModel,
    questionnaire: Questionnaire,
    known_items: Mapping[str, Item],
    file: str,
) -> list[DefinitionProblem]:
    problems = []
    stage_ids = [stage.id for stage in stage_model.stages]
    for duplicate in _duplicates(stage_ids):
        problems.append(DefinitionProblem(file, f"stages[{duplicate}]", "stage id used twice"))
    later = stage_ids[1:]
    bounded = not rollup_plan(questionnaire, stage_model).in_points
    scale = stage_model.scale

    def check(by_stage: Mapping[str, Decimal], location: str) -> None:
        if sorted(by_stage) != sorted(later):
            message = f"needs a threshold for exactly the stages after the first: {later}"
            problems.append(DefinitionProblem(file, location, message))
            return
        values = [by_stage[s] for s in later]
        if any(b <= a for a, b in pairwise(values)):
            problems.append(
                DefinitionProblem(
                    file, location, "thresholds must rise strictly from stage to stage"
                )
            )
        if bounded and any(not scale.min < v <= scale.max for v in values):
            message = f"thresholds must lie above {scale.min} and at most {scale.max}"
            problems.append(DefinitionProblem(file, location, message))

    thresholds = stage_model.thresholds
    top_ids = {d.id for d in questionnaire.dimensions}
    if thresholds is not None:
        check(thresholds.overall, "thresholds.overall")
        if thresholds.dimension_default is not None:
            check(thresholds.dimension_default, "thresholds.dimension_default")
        for dimension_id, by_stage in thresholds.dimensions.items():
            if dimension_id not in top_ids and questionnaire.short_form_of is None:
                message = "not a top-level dimension of the questionnaire"
                problems.append(
                    DefinitionProblem(file, f"thresholds.dimensions.{dimension_id}", message)
                )
            check(by_stage, f"thresholds.dimensions.{dimension_id}")
        if thresholds.dimension_default is None:
            for dimension_id in sorted(top_ids - set(thresholds.dimensions)):
                message = (
                    f"dimension '{dimension_id}' has no thresholds and there is no "
                    "dimension_default"
                )
                problems.append(DefinitionProblem(file, "thresholds", message))
    for index, gate in enumerate(stage_model.gates):
        if thresholds is None:
            # A gate caps a stage; a model without thresholds places none, so it would never act.
            message = (
                f"a {gate.kind} gate caps a stage, but this model has no thresholds and places "
                "no stages: add thresholds or remove the gate"
            )
            problems.append(DefinitionProblem(file, f"gates[{index}]", message))
        if isinstance(gate, RequiresItemsGate):
            location = f"gates[{index}]"
            if gate.stage not in later:
                problems.append(
                    DefinitionProblem(
                        file, location, f"stage '{gate.stage}' is not a stage after the first"
                    )
                )
            if gate.applies_to != "overall" and gate.applies_to not in top_ids:
                message = (
                    f"applies_to '{gate.applies_to}' is neither 'overall' nor a top-level dimension"
                )
                problems.append(DefinitionProblem(file, location, message))
            for required in gate.items:
                item = known_items.get(required.item)
                if item is None or not item.scored:
                    message = f"item '{required.item}' is not a scored item of the questionnaire"
                    problems.append(DefinitionProblem(file, location, message))
    if questionnaire.short_form_of is None:
        every_id = {d.id for d in iter_dimensions(questionnaire.dimensions)}
        for field, ids in (
            ("rollup_dimensions", stage_model.rollup_dimensions),
            ("missing_answers.dimensions", stage_model.missing_answers.dimensions),
        ):
            for dimension_id in sorted(set(ids) - every_id):
                message = "not a dimension of the questionnaire"
                problems.append(DefinitionProblem(file, f"{field}.{dimension_id}", message))
    for dimension_id, texts in stage_model.dimension_stages.items():
        location = f"dimension_stages.{dimension_id}"
        if dimension_id not in top_ids and questionnaire.short_form_of is None:
            message = "not a top-level dimension of the questionnaire"
            problems.append(DefinitionProblem(file, location, message))
        for stage_id in sorted(set(texts) - set(stage_ids)):
            message = f"'{stage_id}' is not a stage of this model {stage_ids}"
            problems.append(DefinitionProblem(file, location, message))
    if stage_model.quadrants is not None:
        axes = {d.axis for d in questionnaire.dimensions}
        for axis in ("operations", "execution"):
            if axis not in axes:
                message = f"quadrants need at least one dimension on the {axis} axis"
                problems.append(DefinitionProblem(file, "quadrants", message))
    return problems


def _library_problems(
    library: RecommendationLibrary,
    stage_model: StageModel,
    questionnaire: Questionnaire,
    known_items: Mapping[str, Item],
    file: str,
) -> list[DefinitionProblem]:
    problems = []
    for duplicate in _duplicates(r.id for r in library.recommendations):
        problems.append(
            DefinitionProblem(file, f"recommendations[{duplicate}]", "recommendation id used twice")
        )
    stage_ids = [stage.id for stage in stage_model.stages]
    top_ids = {d.id for d in questionnaire.dimensions}
    short_form = questionnaire.short_form_of is not None
    for recommendation in library.recommendations:
        location = f"recommendations[{recommendation.id}]"
        if (
            recommendation.dimension is not None
            and recommendation.dimension not in top_ids
            and not short_form
        ):
            message = f"dimension '{recommendation.dimension}' is not a top-level dimension"
            problems.append(DefinitionProblem(file, location, message))
        if recommendation.from_stage is not None and recommendation.to_stage is not None:
            start, end = recommendation.from_stage, recommendation.to_stage
            if start not in stage_ids or end not in stage_ids:
                problems.append(
                    DefinitionProblem(file, location, f"stages must be among {stage_ids}")
                )
            elif stage_ids.index(end) != stage_ids.index(start) + 1:
                message = f"to_stage '{end}' must be the stage right after '{start}'"
                problems.append(DefinitionProblem(file, location, message))
        if recommendation.trigger is not None:
            target = known_items.get(recommendation.trigger.item)
            if target is None:
                message = (
                    f"trigger item '{recommendation.trigger.item}' is not in the questionnaire"
                )
                problems.append(DefinitionProblem(file, location, message))
            else:
                problems.extend(
                    _condition_problems(recommendation.trigger, target, file, f"{location}.trigger")
                )
        success = recommendation.success
        if success is not None:
            for item_id in success.items:
                item = known_items.get(item_id)
                if item is None or not item.scored:
                    message = f"success item '{item_id}' is not a scored item of the questionnaire"
                    problems.append(DefinitionProblem(file, f"{location}.success", message))
            if (
                success.dimension is not None
                and success.dimension not in top_ids
                and not short_form
            ):
                message = f"success dimension '{success.dimension}' is not a top-level dimension"
                problems.append(DefinitionProblem(file, f"{location}.success", message))
    return problems
