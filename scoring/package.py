"""A questionnaire package: the three definitions, checked together and indexed for scoring."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from scoring._base import HASHED_WHEN_SET
from scoring._cross_references import cross_reference_problems
from scoring._locations import problems_from_validation_error
from scoring.errors import DefinitionError, DefinitionProblem
from scoring.questionnaire import (
    BANDED_KINDS,
    Dimension,
    Item,
    ItemKind,
    Questionnaire,
    iter_dimensions,
)
from scoring.reading_time import ReadingTime, reading_time
from scoring.recommendations import RecommendationLibrary
from scoring.rollup import DisplayScale, RollupPlan, rollup_plan
from scoring.stage_model import (
    MissingAnswerRule,
    MissingAnswers,
    RequiresItemsGate,
    StageModel,
    WeakestLinkGate,
)

if TYPE_CHECKING:
    from scoring._plan import ScoringPlan

__all__ = ["Package", "PackageFiles", "build_package"]

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class PackageFiles:
    """File names used in error messages."""

    questionnaire: str = "questionnaire.yaml"
    stage_model: str = "stage_model.yaml"
    recommendations: str = "recommendations.yaml"


@dataclass(frozen=True, slots=True)
class Package:
    """A validated package with the look-ups that scoring needs, built once."""

    questionnaire: Questionnaire
    stage_model: StageModel
    library: RecommendationLibrary
    content_hash: str
    items: Mapping[str, Item] = field(repr=False)
    item_dimension: Mapping[str, str] = field(repr=False)
    option_values: Mapping[str, Mapping[str, float]] = field(repr=False)
    # how many distinct values an item's answers can take (None: continuous), for rwg
    distinct_values: Mapping[str, int | None] = field(repr=False)
    stage_index: Mapping[str, int] = field(repr=False)
    dimension_thresholds: Mapping[str, tuple[Decimal, ...]] = field(repr=False)
    overall_thresholds: tuple[Decimal, ...] = field(repr=False)
    na_value: float | None = field(repr=False)
    # display scale offset and span (None for sum: raw points), decimals, round half to even
    display: DisplayScale = field(repr=False)
    stage_names: tuple[str, ...] = field(repr=False)
    item_gates: Mapping[str, tuple[RequiresItemsGate, ...]] = field(repr=False)
    weakest_link_gates: tuple[WeakestLinkGate, ...] = field(repr=False)
    dimensions_by_id: Mapping[str, Dimension] = field(repr=False)
    all_dimensions: tuple[Dimension, ...] = field(repr=False)
    reading_time: ReadingTime = field(repr=False)
    rollups: RollupPlan = field(repr=False)
    # the scoring rules compiled once for scoring responses fast (scoring/_plan.py)
    plan: ScoringPlan = field(repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.questionnaire.id

    @property
    def version(self) -> str:
        return self.questionnaire.version

    @property
    def places_stages(self) -> bool:
        """Whether the stage model places scores in stages (it has thresholds)."""
        return self.stage_model.places_stages

    def dimension(self, dimension_id: str) -> Dimension:
        return self.dimensions_by_id[dimension_id]


def build_package(
    questionnaire: object,
    stage_model: object,
    library: object,
    *,
    files: PackageFiles = PackageFiles(),
    parent: Questionnaire | None = None,
) -> Package:
    """Validate the three plain mappings of a package together and index them.

    Raises `DefinitionError` listing every problem found in all three files, each with
    the file, the id path and what is wrong. `parent` is the full questionnaire when
    this one is a short form of it. The checks across files run on the files that are
    valid on their own, so one run lists the problems of all three.
    """
    problems: list[DefinitionProblem] = []
    parsed_questionnaire = _parse(Questionnaire, questionnaire, files.questionnaire, problems)
    parsed_stage_model = _parse(StageModel, stage_model, files.stage_model, problems)
    parsed_library = _parse(RecommendationLibrary, library, files.recommendations, problems)
    if parsed_questionnaire is not None:  # every check across files needs the questionnaire
        problems.extend(
            cross_reference_problems(
                parsed_questionnaire, parsed_stage_model, parsed_library, files=files, parent=parent
            )
        )
    if (
        problems
        or parsed_questionnaire is None
        or parsed_stage_model is None
        or parsed_library is None
    ):
        raise DefinitionError(problems)
    return _index(parsed_questionnaire, parsed_stage_model, parsed_library)


def _parse(
    model: type[ModelT], raw: object, file: str, problems: list[DefinitionProblem]
) -> ModelT | None:
    if not isinstance(raw, Mapping):
        problems.append(DefinitionProblem(file, "", "expected a mapping at the top level"))
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        problems.extend(problems_from_validation_error(error, raw, file))
        return None


def _index(
    questionnaire: Questionnaire, stage_model: StageModel, library: RecommendationLibrary
) -> Package:
    items: dict[str, Item] = {}
    item_dimension: dict[str, str] = {}
    for top in questionnaire.dimensions:
        for dimension in iter_dimensions((top,)):
            for item in dimension.items:
                items[item.id] = item
                item_dimension[item.id] = top.id
    stage_index = {stage.id: index for index, stage in enumerate(stage_model.stages)}
    later_stages = [stage.id for stage in stage_model.stages[1:]]
    thresholds = stage_model.thresholds

    def ordered(by_stage: Mapping[str, Decimal]) -> tuple[Decimal, ...]:
        return tuple(by_stage[stage_id] for stage_id in later_stages)

    # A model without thresholds places no stages: every subject has none (scoring/stages.py).
    dimension_thresholds: dict[str, tuple[Decimal, ...]] = {}
    for top in questionnaire.dimensions:
        if thresholds is None:
            dimension_thresholds[top.id] = ()
            continue
        by_stage = thresholds.dimensions.get(top.id, thresholds.dimension_default)
        assert by_stage is not None  # cross-reference checks guarantee one applies
        dimension_thresholds[top.id] = ordered(by_stage)
    values = {item.id: option_values(item) for item in items.values()}
    na_policy = stage_model.na_policy
    item_gates: dict[str, tuple[RequiresItemsGate, ...]] = {}
    for gate in stage_model.gates:
        if isinstance(gate, RequiresItemsGate):
            item_gates[gate.applies_to] = (*item_gates.get(gate.applies_to, ()), gate)
    all_dimensions = tuple(iter_dimensions(questionnaire.dimensions))
    rollups = rollup_plan(questionnaire, stage_model)
    unanswered = _unanswered_values(questionnaire, stage_model.missing_answers)
    na_value = {"exclude": None, "zero": 0.0, "target": na_policy.target_value}[na_policy.mode]
    overall_thresholds = () if thresholds is None else ordered(thresholds.overall)
    # Imported here: the plan builds result types whose modules import this one.
    from scoring._plan import compile_plan

    plan = compile_plan(
        questionnaire=questionnaire,
        stage_model=stage_model,
        items=items,
        option_values=values,
        unanswered=unanswered,
        na_value=na_value,
        rollups=rollups,
        dimension_thresholds=dimension_thresholds,
        overall_thresholds=overall_thresholds,
    )
    return Package(
        questionnaire=questionnaire,
        stage_model=stage_model,
        library=library,
        content_hash=content_hash(questionnaire, stage_model, library),
        items=items,
        item_dimension=item_dimension,
        option_values=values,
        distinct_values={
            item_id: _distinct_values(item, values[item_id]) for item_id, item in items.items()
        },
        stage_index=stage_index,
        dimension_thresholds=dimension_thresholds,
        overall_thresholds=overall_thresholds,
        item_gates=item_gates,
        display=rollups.display,
        na_value=na_value,
        stage_names=tuple(stage.name for stage in stage_model.stages),
        weakest_link_gates=tuple(g for g in stage_model.gates if isinstance(g, WeakestLinkGate)),
        dimensions_by_id={dimension.id: dimension for dimension in all_dimensions},
        all_dimensions=all_dimensions,
        reading_time=reading_time(questionnaire, values),
        rollups=rollups,
        plan=plan,
    )


def _unanswered_values(
    questionnaire: Questionnaire, policy: MissingAnswers
) -> dict[str, float | None]:
    """What each item counts as when left unanswered: the nearest dimension's rule, else the
    model's."""
    counted: dict[str, float | None] = {}

    def walk(dimensions: tuple[Dimension, ...], rule: MissingAnswerRule) -> None:
        for dimension in dimensions:
            own = policy.dimensions.get(dimension.id, rule)
            value = {"exclude": None, "zero": 0.0, "value": own.value}[own.mode]
            for item in dimension.items:
                counted[item.id] = value
            walk(dimension.dimensions, own)

    walk(questionnaire.dimensions, policy)
    return counted


def _distinct_values(item: Item, values: Mapping[str, float]) -> int | None:
    if item.kind is ItemKind.MULTI_CHOICE:
        return None
    if item.kind in BANDED_KINDS:
        return len({band.value for band in item.bands})
    return len(set(values.values()))


def option_values(item: Item) -> dict[str, float]:
    """Normalised value of each option before reverse keying; scale options default to even steps."""
    if item.kind is ItemKind.YES_NO:
        return {"yes": 1.0, "no": 0.0}
    count = len(item.options)
    return {
        option.id: option.value if option.value is not None else index / (count - 1)
        for index, option in enumerate(item.options)
    }


def content_hash(*models: BaseModel) -> str:
    """SHA-256 of the canonical JSON of the definitions: equal content, equal hash.

    Fields marked HASHED_WHEN_SET are left out while they hold their default, so adding such a
    field to a format leaves the hash of every package that does not use it unchanged.
    """
    canonical: list[Any] = [_hashed_dump(model, model.model_dump(mode="json")) for model in models]
    encoded = json.dumps(canonical, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def _hashed_dump(value: object, dumped: Any) -> Any:
    """`dumped` (the JSON dump of `value`) without the unused fields marked HASHED_WHEN_SET."""
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            field_value = getattr(value, name)
            if HASHED_WHEN_SET in info.metadata and field_value == info.get_default(
                call_default_factory=True
            ):
                del dumped[name]
            else:
                _hashed_dump(field_value, dumped[name])
    elif isinstance(value, (list, tuple)):
        for element, dumped_element in zip(value, dumped, strict=True):
            _hashed_dump(element, dumped_element)
    elif isinstance(value, dict):
        for key, element in value.items():
            _hashed_dump(element, dumped[key])
    return dumped
