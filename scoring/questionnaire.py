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
    """How an item is answered; every kind but text is scored."""

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

    id: Id = Field(
        description="Stable id of the option, stored with each answer: unique within the item, "
        "never renamed or reused once published; 'na' and 'dont_know' are reserved."
    )
    label: str = Field(
        min_length=1,
        description="The option as the respondent reads it, distinct within the item; on a scale "
        "item, behaviour someone could have seen happen.",
    )
    short_label: str | None = Field(
        default=None,
        description="One to four words that charts and tables show instead of the label; "
        "default none (the label is shown).",
    )
    value: Fraction01 | None = Field(
        default=None,
        description="Normalised value 0..1, rising from first option to last. Single and multi "
        "choice options need one; scale options take one on every option or on none, and by "
        "default score by position, evenly spaced (0, .25, .5, .75, 1 for five).",
    )
    exclusive: bool = Field(
        default=False,
        description="Multi choice only: this option (e.g. 'None of these') cannot be combined "
        "with others. Default false.",
    )


class Band(DefinitionModel):
    """Maps a number to a normalised value: the first band whose `max` is >= the number applies."""

    max: float | None = Field(
        default=None,
        allow_inf_nan=False,
        description="Inclusive upper bound: the band applies to numbers up to and including "
        "it. Default none, which only the last band may use: it then covers every larger number.",
    )
    value: Fraction01 = Field(
        description="Normalised value 0..1 that a number in this band scores (before `reverse`)."
    )
    label: str | None = Field(
        default=None,
        description="The band in words, shown in breakdowns; default none (shown as "
        "'up to <max>').",
    )


class Condition(DefinitionModel):
    """A test on one earlier answer: by option ids, or by the item's normalised value."""

    item: Id = Field(
        description="Id of the item whose answer is tested (not a free-text item); in `show_if`, "
        "an item that comes earlier in the questionnaire."
    )
    answer_in: tuple[str, ...] | None = Field(
        default=None,
        min_length=1,
        description='Matches when the answer is one of these option ids ("yes"/"no", '
        "quoted, on a yes/no item). Give exactly one of answer_in, value_at_least, value_at_most.",
    )
    value_at_least: Fraction01 | None = Field(
        default=None,
        description="Matches when the item's 0..1 value after reverse keying is at least this. "
        "Give exactly one of answer_in, value_at_least, value_at_most.",
    )
    value_at_most: Fraction01 | None = Field(
        default=None,
        description="Matches when the item's 0..1 value after reverse keying is at most this. "
        "Give exactly one of answer_in, value_at_least, value_at_most.",
    )

    @model_validator(mode="after")
    def _exactly_one_test(self) -> Condition:
        tests = [self.answer_in, self.value_at_least, self.value_at_most]
        if sum(test is not None for test in tests) != 1:
            raise ValueError("give exactly one of answer_in, value_at_least, value_at_most")
        return self


class Item(DefinitionModel):
    """One question: how it is answered, how it scores and when it is asked."""

    id: Id = Field(
        description="Stable id of the item, unique in the questionnaire; answers are stored by "
        "it, so never rename or reuse it once published. Prefix it with its dimension's, e.g. ff_."
    )
    kind: ItemKind = Field(
        description="How the item is answered: scale, single_choice, multi_choice, yes_no, "
        "number, percentage, or text (free text, unscored)."
    )
    prompt: str = Field(
        min_length=1,
        description="The question as read to the respondent: one question, about what happens.",
    )
    help: str | None = Field(
        default=None,
        description="A sentence that explains a term or says when to answer N/A; default none.",
    )
    weight: PositiveWeight = Field(
        default=1.0,
        description="Weight of the item within its dimension, above 0 and at most 1000; default 1.",
    )
    reverse: bool = Field(
        default=False,
        description="Score as 1 - value: a higher raw answer is worse; on a scale item, the "
        "options are listed best first. Default false.",
    )
    required: bool = Field(
        default=True,
        description="Counts towards completeness when shown; default true. Set false on an "
        "optional item such as free text.",
    )
    allow_na: bool = Field(
        default=False,
        description='Offer "not applicable" (answer `na`), counted as the stage model\'s '
        "na_policy says; default false.",
    )
    allow_dont_know: bool = Field(
        default=False,
        description='Offer "don\'t know" (answer `dont_know`): never scored, but it counts as '
        "an answer for completeness. Default false.",
    )
    options: tuple[Option, ...] = Field(
        default=(),
        description="The answer options in display order: at least two on scale, single_choice "
        "and multi_choice items, none on other kinds (a yes_no item's are always yes and no).",
    )
    bands: tuple[Band, ...] = Field(
        default=(),
        description="Number and percentage items only (and required there): bands, read top to "
        "bottom, that map the typed number to a value; the last band leaves out max.",
    )
    min: float | None = Field(
        default=None,
        allow_inf_nan=False,
        description="Number and percentage items: the lowest number accepted. Default none "
        "(no lower limit; 0 for a percentage).",
    )
    max: float | None = Field(
        default=None,
        allow_inf_nan=False,
        description="Number and percentage items: the highest number accepted. Default none "
        "(no upper limit; 100 for a percentage).",
    )
    unit: str | None = Field(
        default=None,
        description="Number items: the unit shown beside the answer, e.g. escalations (a "
        "percentage item always shows %). Default none.",
    )
    max_length: int = Field(
        default=2000,
        gt=0,
        le=20000,
        description="Text items: the longest answer accepted, in characters (1 to 20000); "
        "default 2000.",
    )
    show_if: Condition | None = Field(
        default=None,
        description="Ask the item only when an earlier answer matches; a hidden item is not "
        "scored and does not count towards completeness. Default none: always asked.",
    )
    negatively_worded: Annotated[bool, HASHED_WHEN_SET] = Field(
        default=False,
        description="The stem is reverse-keyed: worded so that agreement or a higher frequency "
        "means less maturity. Scoring ignores it (use `reverse` for that); the bias checks count "
        "it. Default false.",
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
    """One value a respondent can give for an attribute, e.g. one role."""

    id: Id = Field(
        description="Stable id of the value, unique within the attribute; like every id it "
        "starts with a letter (years_1_to_3, not 1_3_years)."
    )
    label: str = Field(min_length=1, description="The value as the respondent reads it.")


class Attribute(DefinitionModel):
    """A respondent attribute (role, function, tenure) used for breakdowns."""

    id: Id = Field(
        description="Stable id of the attribute, unique in the questionnaire, e.g. role."
    )
    label: str = Field(
        min_length=1,
        description="What the respondent is asked, e.g. 'How long you have worked here'.",
    )
    required: bool = Field(
        default=False, description="Every respondent must give it; default false (optional)."
    )
    values: tuple[AttributeValue, ...] = Field(
        min_length=1,
        description="The values to choose from, at least one. Keep them few and coarse: a group "
        "smaller than the anonymity threshold is never shown on its own.",
    )


Axis = Literal["operations", "execution"]


class Dimension(DefinitionModel):
    """What is measured: items and sub-dimensions with a score; top-level ones get a stage."""

    id: Id = Field(
        description="Stable id of the dimension, unique across every level of the questionnaire."
    )
    title: str = Field(min_length=1, description="The dimension's name, as reports show it.")
    description: str = Field(
        default="",
        description="What the dimension measures and why it sits on its axis; default empty.",
    )
    axis: Axis | None = Field(
        default=None,
        description="Which quadrant axis the dimension feeds: operations or execution. "
        "Top-level dimensions only; default none (it feeds no axis).",
    )
    weight: PositiveWeight = Field(
        default=1.0,
        description="Relative weight in the overall score (a sub-dimension's, within its "
        "parent), above 0 and at most 1000; default 1.",
    )
    items: tuple[Item, ...] = Field(
        default=(),
        description="The items, in the order they are asked; default none, and then the "
        "dimension needs sub-dimensions.",
    )
    dimensions: tuple[Dimension, ...] = Field(
        default=(),
        description="Sub-dimensions, to any depth; default none. A dimension needs items, "
        "sub-dimensions or both.",
    )

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
    """questionnaire.yaml: the questions of a package, grouped in dimensions, and who answers."""

    id: Id = Field(
        description="The package's id, the same in every version, e.g. operational-maturity."
    )
    version: Version = Field(
        description="Semantic version (1.1.0), the same as the package folder's name; a "
        "published version is never edited, a change is a new version."
    )
    title: str = Field(min_length=1, description="The questionnaire's name, as pages show it.")
    description: str = Field(default="", description="Shown on the start page; default empty.")
    estimated_minutes: int | None = Field(
        default=None,
        gt=0,
        le=240,
        description="Optional, 1 to 240 minutes. The time shown is always computed from what a "
        "respondent reads and answers, never taken from here; keep a stated one within 20 % of it.",
    )
    listed: bool = Field(
        default=True,
        description="Offered on the public self-assessment page; default true.",
    )
    precision_note: str | None = Field(
        default=None,
        description="Short forms: how roughly to read the stages, shown with the results; "
        "default none.",
    )
    short_form_of: Id | None = Field(
        default=None,
        description="Id of the full questionnaire whose items this short form reuses unchanged; "
        "default none (not a short form).",
    )
    short_form_version: Annotated[Version | None, HASHED_WHEN_SET] = Field(
        default=None,
        description="Version of the full questionnaire this short form is built from; "
        "without it, the short form's own version.",
    )
    stage_model: str = Field(
        default="stage_model.yaml",
        description="Path of the stage model, relative to this file; default stage_model.yaml "
        "beside it.",
    )
    recommendations: str = Field(
        default="recommendations.yaml",
        description="Path of the recommendation library, relative to this file; default "
        "recommendations.yaml beside it.",
    )
    attributes: tuple[Attribute, ...] = Field(
        default=(),
        description="Respondent attributes (role, function, tenure) used for breakdowns; "
        "default none.",
    )
    dimensions: tuple[Dimension, ...] = Field(
        min_length=1, description="The top-level dimensions, at least one."
    )
