"""The questionnaire format: dimensions, items, options, bands, conditions, attributes."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from scoring._base import (
    HASHED_WHEN_SET,
    DefinitionModel,
    Fraction01,
    Id,
    PositiveWeight,
    Version,
)

__all__ = [
    "RESERVED_ANSWERS",
    "Attribute",
    "AttributeValue",
    "Band",
    "Condition",
    "Dimension",
    "Item",
    "ItemKind",
    "Option",
    "Questionnaire",
    "iter_dimensions",
]

NOT_APPLICABLE = "na"
DONT_KNOW = "dont_know"
RESERVED_ANSWERS = frozenset({NOT_APPLICABLE, DONT_KNOW})


class ItemKind(StrEnum):
    SCALE = "scale"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    YES_NO = "yes_no"
    NUMBER = "number"
    PERCENTAGE = "percentage"
    TEXT = "text"


CHOICE_KINDS = frozenset({ItemKind.SCALE, ItemKind.SINGLE_CHOICE, ItemKind.MULTI_CHOICE})
BANDED_KINDS = frozenset({ItemKind.NUMBER, ItemKind.PERCENTAGE})


class Option(DefinitionModel):
    """One answer option. On a scale item the label describes observable behaviour at that level."""

    id: Id
    label: str = Field(min_length=1)
    short_label: str | None = None
    value: Fraction01 | None = Field(
        default=None,
        description="Normalised value 0..1. Scale options default to evenly spaced values.",
    )
    exclusive: bool = Field(
        default=False,
        description="Multi choice only: this option (e.g. 'None of these') cannot be combined with others.",
    )


class Band(DefinitionModel):
    """Maps a number to a normalised value: the first band whose `max` is >= the number applies."""

    max: float | None = Field(
        default=None,
        allow_inf_nan=False,
        description="Inclusive upper bound; omit on the last band.",
    )
    value: Fraction01
    label: str | None = None


class Condition(DefinitionModel):
    """A test on one earlier answer: by option ids, or by the item's normalised value."""

    item: Id
    answer_in: tuple[str, ...] | None = Field(default=None, min_length=1)
    value_at_least: Fraction01 | None = None
    value_at_most: Fraction01 | None = None

    @model_validator(mode="after")
    def _exactly_one_test(self) -> Condition:
        tests = [self.answer_in, self.value_at_least, self.value_at_most]
        if sum(test is not None for test in tests) != 1:
            raise ValueError("give exactly one of answer_in, value_at_least, value_at_most")
        return self


class Item(DefinitionModel):
    id: Id
    kind: ItemKind
    prompt: str = Field(min_length=1)
    help: str | None = None
    weight: PositiveWeight = 1.0
    reverse: bool = Field(
        default=False, description="Score as 1 - value: a higher raw answer is worse."
    )
    required: bool = True
    allow_na: bool = False
    allow_dont_know: bool = False
    options: tuple[Option, ...] = ()
    bands: tuple[Band, ...] = ()
    min: float | None = Field(default=None, allow_inf_nan=False)
    max: float | None = Field(default=None, allow_inf_nan=False)
    unit: str | None = None
    max_length: int = Field(default=2000, gt=0, le=20000)
    show_if: Condition | None = None
    negatively_worded: Annotated[bool, HASHED_WHEN_SET] = Field(
        default=False,
        description="The stem is reverse-keyed: worded so that agreement or a higher frequency "
        "means less maturity. Scoring ignores it (use `reverse` for that); the bias checks count it.",
    )

    @model_validator(mode="after")
    def _fits_its_kind(self) -> Item:
        problems = list(_kind_problems(self))
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def scored(self) -> bool:
        return self.kind is not ItemKind.TEXT

    def option_ids(self) -> tuple[str, ...]:
        if self.kind is ItemKind.YES_NO:
            return ("yes", "no")
        return tuple(option.id for option in self.options)


def _kind_problems(item: Item) -> list[str]:
    problems: list[str] = []
    kind = item.kind
    if kind in CHOICE_KINDS:
        if len(item.options) < 2:
            problems.append(f"a {kind} item needs at least two options")
        ids = [option.id for option in item.options]
        for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(f"option id '{duplicate}' is used twice")
        for reserved in sorted(RESERVED_ANSWERS.intersection(ids)):
            problems.append(f"option id '{reserved}' is reserved for not applicable / don't know")
        labels = [option.label.strip().lower() for option in item.options]
        if len(set(labels)) != len(labels):
            problems.append("option labels must be distinct")
        if kind is not ItemKind.SCALE and any(o.value is None for o in item.options):
            problems.append(f"every option of a {kind} item needs a value")
        if kind is ItemKind.SCALE:
            given = [o.value for o in item.options]
            if any(v is not None for v in given) and any(v is None for v in given):
                problems.append("give a value on every scale option or on none")
            known = [v for v in given if v is not None]
            if known != sorted(known) or len(set(known)) != len(known):
                problems.append("scale option values must rise strictly from first to last")
        if kind is not ItemKind.MULTI_CHOICE and any(o.exclusive for o in item.options):
            problems.append("only multi_choice options can be exclusive")
    elif item.options:
        problems.append(f"a {kind} item takes no options")
    if kind in BANDED_KINDS:
        problems.extend(_band_problems(item))
    elif item.bands:
        problems.append(f"a {kind} item takes no bands")
    if kind not in BANDED_KINDS and (item.min is not None or item.max is not None):
        problems.append(f"min and max apply to number and percentage items, not {kind}")
    if kind is ItemKind.TEXT and (item.reverse or item.allow_na or item.allow_dont_know):
        problems.append(
            "a text item is unscored: reverse, allow_na and allow_dont_know do not apply"
        )
    return problems


def _band_problems(item: Item) -> list[str]:
    problems: list[str] = []
    if not item.bands:
        return [f"a {item.kind} item needs bands that map numbers to values"]
    maxima = [band.max for band in item.bands]
    if any(m is None for m in maxima[:-1]):
        problems.append("only the last band may leave out max")
    bounded = [m for m in maxima if m is not None]
    if bounded != sorted(bounded) or len(set(bounded)) != len(bounded):
        problems.append("band max values must rise strictly")
    low, high = item.min, item.max
    if item.kind is ItemKind.PERCENTAGE:
        low = 0.0 if low is None else low
        high = 100.0 if high is None else high
        if low < 0 or high > 100:
            problems.append("a percentage lies between 0 and 100")
    if low is not None and high is not None and low >= high:
        problems.append("min must be below max")
    if maxima[-1] is not None and (high is None or maxima[-1] < high):
        problems.append("the bands leave numbers uncovered: leave out max on the last band")
    return problems


class AttributeValue(DefinitionModel):
    id: Id
    label: str = Field(min_length=1)


class Attribute(DefinitionModel):
    """A respondent attribute (role, function, tenure) used for breakdowns."""

    id: Id
    label: str = Field(min_length=1)
    required: bool = False
    values: tuple[AttributeValue, ...] = Field(min_length=1)


Axis = Literal["operations", "execution"]


class Dimension(DefinitionModel):
    id: Id
    title: str = Field(min_length=1)
    description: str = ""
    axis: Axis | None = Field(default=None, description="Which quadrant axis the dimension feeds.")
    weight: PositiveWeight = 1.0
    items: tuple[Item, ...] = ()
    dimensions: tuple[Dimension, ...] = Field(default=(), description="Sub-dimensions.")

    @model_validator(mode="after")
    def _not_empty(self) -> Dimension:
        if not self.items and not self.dimensions:
            raise ValueError("a dimension needs items or sub-dimensions")
        return self


def iter_dimensions(dimensions: tuple[Dimension, ...]) -> Iterator[Dimension]:
    """Every dimension and sub-dimension, depth first, in questionnaire order."""
    for dimension in dimensions:
        yield dimension
        yield from iter_dimensions(dimension.dimensions)


class Questionnaire(DefinitionModel):
    id: Id
    version: Version
    title: str = Field(min_length=1)
    description: str = ""
    estimated_minutes: int | None = Field(default=None, gt=0, le=240)
    listed: bool = Field(default=True, description="Offered on the public self-assessment page.")
    precision_note: str | None = Field(
        default=None, description="Shown with results of short forms."
    )
    short_form_of: Id | None = Field(
        default=None,
        description="Id of the full questionnaire whose items this short form reuses unchanged.",
    )
    short_form_version: Annotated[Version | None, HASHED_WHEN_SET] = Field(
        default=None,
        description="Version of the full questionnaire this short form is built from; "
        "without it, the short form's own version.",
    )
    stage_model: str = Field(default="stage_model.yaml", description="Path relative to this file.")
    recommendations: str = Field(
        default="recommendations.yaml", description="Path relative to this file."
    )
    attributes: tuple[Attribute, ...] = ()
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
