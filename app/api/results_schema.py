"""The results document of GET /api/v1/assessments/{id}/results, described field by field.

The document itself is built as plain JSON (app/services/results.py, app/result_view.py) and
served as cached bytes; these models only describe it, in OpenAPI. A test validates real
documents against them with unknown and missing fields refused, so the description cannot
drift from what the server sends.

Numbers are on the stage model's display scale (e.g. 0–100) unless a field says otherwise;
`null` means there is nothing to show (no answers, or one respondent where a spread is asked).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints

from app.api.item_targets_schema import ItemTargetsOut
from app.services.assessments import AssessmentStatus
from scoring import AgreementLevel

__all__ = ["FlatResults", "ResultsDocument", "ResultsResponse"]

DecidingRule = Literal["threshold", "requires_items", "weakest_link", "no_data", "no_stages"]
Level = Literal["low", "medium", "high"]
FlatFieldName = Annotated[str, StringConstraints(pattern=r"^opsmaturity_[0-9a-z_]+$")]


class _Described(BaseModel):
    """Exactly the fields the server sends: none missing, none unknown, no type coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class StageRef(_Described):
    id: str = Field(description="Stage id from the stage model")
    name: str


class StagePlacementOut(_Described):
    """A stage and the rule that decided it."""

    id: str | None = Field(
        description="null when there were no answers to place, or when the stage model has no "
        "thresholds and places no stages (decided_by no_stages; the score is the level)"
    )
    name: str | None
    index: int | None = Field(ge=1, description="1 for the first stage of the model")
    decided_by: DecidingRule = Field(
        description="The last rule that set the stage; no_stages: the stage model places none"
    )
    explanation: list[str] = Field(description="How the stage was reached, step by step")
    description: str | None = Field(
        description="What this stage looks like; for a dimension, in that dimension when the "
        "stage model describes it there"
    )


class ScoreInterval(_Described):
    """The 95 % confidence interval of a team score over its respondents."""

    low: float
    high: float
    n: int = Field(description="Respondents it rests on")


class StageSpan(_Described):
    low: StageRef = Field(description="The lowest stage a respondent's own score reaches")
    high: StageRef = Field(description="The highest stage a respondent's own score reaches")


class DimensionSpread(_Described):
    """How far the team agrees on a dimension, and how firm its stage is."""

    n: int = Field(description="Respondents with a score on the dimension")
    mean: float | None
    sd: float | None = Field(description="Standard deviation of respondents' scores")
    min: float | None
    max: float | None
    rwg: float | None = Field(deprecated=True, description="The old name of `agreement`")
    agreement: float | None = Field(description="r*wg(J) over the dimension's items, 0..1")
    agreement_level: AgreementLevel | None = Field(description="After the spread caps")
    interval: ScoreInterval | None = Field(description="null below two respondents")
    borderline: bool | None = Field(description="The interval crosses a stage threshold")
    contested: bool = Field(description="Respondents fall into camps in different stages")
    stage_span: StageSpan | None
    reading: str = Field(description="The stage in words, with its span when contested")


class SubdimensionResult(_Described):
    id: str
    title: str
    score: float | None
    percent: float | None = Field(description="Percent of the possible score")
    stage: None = Field(description="Sub-dimensions are not placed in a stage")
    subdimensions: list[SubdimensionResult]


class DimensionResult(_Described):
    """A top-level dimension: the team's score, stage and spread."""

    id: str
    title: str
    score: float | None
    percent: float | None = Field(description="Percent of the possible score")
    stage: StagePlacementOut
    subdimensions: list[SubdimensionResult]
    spread: DimensionSpread


class OverallResult(_Described):
    score: float | None
    percent: float | None = Field(description="Percent of the possible score")
    stage: StagePlacementOut
    interval: ScoreInterval | None = Field(description="null below two respondents")
    interval_note: str | None = Field(description="Why there is no interval, for one respondent")
    borderline: bool | None = Field(description="The interval crosses a stage threshold")
    contested_dimensions: list[str] = Field(description="Ids, in questionnaire order")


class QuadrantResult(_Described):
    """Where the organisation sits on operations against execution."""

    id: Literal[
        "operations_low_execution_low",
        "operations_high_execution_low",
        "operations_low_execution_high",
        "operations_high_execution_high",
    ]
    name: str
    description: str
    operations_percent: float
    execution_percent: float
    explanation: str


class DimensionSpanFigure(_Described):
    dimension_id: str
    low: StageRef
    high: StageRef


class SplitFigures(_Described):
    spans: list[DimensionSpanFigure]


class GroupGapFigures(_Described):
    attribute_id: str
    group: str = Field(description="The group's label")
    group_n: int
    rest_n: int = Field(description="The rest of the team")
    scores: list[tuple[str, float, float]] = Field(
        description="[dimension id, the group's score, the rest's score], widest gap first"
    )


class CompletenessFigures(_Described):
    completeness: float = Field(description="Share of required answers given, 0..1")


class ExtremeFigures(_Described):
    score: float
    stage: StageRef | None = Field(description="null when the stage model places no stages")


class IntervalFigures(_Described):
    n: int
    low: float
    high: float
    score: float


class RespondentCountFigures(_Described):
    n: int


class AgreementFigures(_Described):
    level: AgreementLevel
    agreement: float


class _Finding(_Described):
    dimension_ids: list[str] = Field(description="The subjects, in the order the text names them")
    text: str = Field(description="The finding as a sentence")


class SplitFinding(_Finding):
    """The team is split on these dimensions: their stages are contested."""

    code: Literal["split"]
    figures: SplitFigures


class GroupGapFinding(_Finding):
    """A group shown in a breakdown reads these dimensions far from the rest of the team."""

    code: Literal["group_gap"]
    figures: GroupGapFigures


class ProvisionalFinding(_Finding):
    """Too few answers were given for a firm reading."""

    code: Literal["provisional"]
    figures: CompletenessFigures


class ExtremeFinding(_Finding):
    """The weakest or the strongest dimension."""

    code: Literal["weakest", "strongest"]
    figures: ExtremeFigures


class IntervalFinding(_Finding):
    """How precise the overall score is; `borderline` when its interval crosses a stage."""

    code: Literal["interval", "borderline"]
    figures: IntervalFigures


class NoIntervalFinding(_Finding):
    """One respondent: no interval around the score."""

    code: Literal["no_interval"]
    figures: RespondentCountFigures


class AgreementFinding(_Finding):
    """How far the team agrees, by its least agreed dimension (never beside a split)."""

    code: Literal["agreement"]
    figures: AgreementFigures


Finding = Annotated[
    SplitFinding
    | GroupGapFinding
    | ProvisionalFinding
    | ExtremeFinding
    | IntervalFinding
    | NoIntervalFinding
    | AgreementFinding,
    Field(discriminator="code"),
]


class DisputedItem(_Described):
    """An item the team disagrees on; figures on the item's 0..1 scale."""

    item_id: str
    prompt: str
    dimension_id: str
    n: int
    mean: float | None
    sd: float | None
    range: float | None
    rwg: float | None
    agreement_level: AgreementLevel | None
    distribution: dict[str, int] = Field(description="How many gave each answer")


class GroupScores(_Described):
    value: str = Field(
        description="The attribute value, or `_other` for the pool of small groups (no declared value starts with `_`)"
    )
    label: str
    n: int
    overall: float | None
    dimensions: dict[str, float | None] = Field(description="Score by dimension id")


class AttributeBreakdown(_Described):
    """Scores by a respondent attribute: a group smaller than `anonymity_k`, or one that could
    be worked out from the others, is not shown."""

    attribute_id: str
    label: str
    note: str = Field(description="Which groups are withheld and why; empty when none is")
    groups: list[GroupScores]


class TargetGap(_Described):
    subject: str = Field(description="A dimension id, or `overall`")
    current_stage: str | None
    target_stage: str
    stage_gap: int = Field(description="Stages still to climb; 0 when met")
    score: float | None
    target_score: float = Field(description="The target stage's threshold")
    percent_to_target: float
    met: bool


class ProgressSinceBaseline(_Described):
    subject: str = Field(description="A dimension id, or `overall`")
    baseline_score: float | None
    current_score: float | None
    score_change: float | None = Field(
        description="Worked out from the unrounded scores and rounded once, so it can differ in "
        "the last digit from current_score - baseline_score"
    )
    baseline_stage: str | None
    current_stage: str | None
    stage_change: int | None = Field(description="Stages moved: negative when lower")


class RecommendationOut(_Described):
    id: str
    title: str
    dimension_id: str | None
    priority: float = Field(description="Higher first: how far it moves toward the targets")
    reason: str = Field(description="Why it is recommended, with its priority worked out")
    rationale: str
    steps: list[str]
    owner_role: str | None = Field(description="null when the model names no owner")
    horizon_days: Literal[30, 60, 90] | None = Field(
        description="null when the model gives no horizon (planned in the first period)"
    )
    effort: Level | None = Field(description="null when not stated (ranked as medium)")
    impact: Level | None = Field(description="null when not stated (ranked as medium)")
    depends_on: list[str] = Field(description="Ids of the actions it builds on")
    trigger: bool = Field(description="Chosen because of an answer, not a stage gap")


class Roadmap(_Described):
    """Recommendation ids by horizon, highest priority first."""

    model_config = ConfigDict(populate_by_name=False)

    first_30_days: list[str] = Field(alias="30")
    first_60_days: list[str] = Field(alias="60")
    first_90_days: list[str] = Field(alias="90")


class QuestionnaireRef(_Described):
    id: str
    version: str
    content_hash: str = Field(description="SHA-256 of the definitions the answers were scored by")


class AssessmentResults(_Described):
    """Scores of the respondents who submitted, aggregated."""

    questionnaire: QuestionnaireRef
    respondent_count: int = Field(description="Respondents counted: those who submitted")
    completeness: float = Field(description="Share of required answers given, 0..1")
    provisional: bool = Field(description="Too few answers for a firm reading")
    overall: OverallResult
    quadrant: QuadrantResult | None
    dimensions: list[DimensionResult] = Field(description="In questionnaire order")
    findings: list[Finding] = Field(description="Most important first")
    disputed_items: list[DisputedItem] = Field(description="Most disputed first")
    breakdowns: list[AttributeBreakdown]
    targets: list[TargetGap]
    progress: list[ProgressSinceBaseline] = Field(description="Empty without a baseline")
    item_targets: ItemTargetsOut | None = Field(
        description="Gap and percent-to-target over the items given a target answer; null "
        "when no item has one"
    )
    recommendations: list[RecommendationOut] = Field(description="Highest priority first")
    roadmap: Roadmap
    anonymity_k: int = Field(description="The smallest group shown on its own")


class ResultsAssessment(_Described):
    id: str
    title: str
    status: AssessmentStatus
    client_id: str
    client_external_ref: str | None = Field(description="The client's CRM reference")
    baseline_assessment_id: str | None
    results_version: int = Field(description="Moves with every change to the results")
    updated_at: datetime


class Participation(_Described):
    total: int
    invited: int = Field(description="Not started")
    in_progress: int
    submitted: int
    counted: Literal["submitted respondents only"]


class ResultsDocument(_Described):
    """The nested results (the default `format=nested`)."""

    assessment: ResultsAssessment
    participation: Participation
    results: AssessmentResults


class FlatResults(RootModel[dict[FlatFieldName, str | int | float | None]]):
    """`format=flat`: one object of scalar `opsmaturity_*` fields for CRM properties, e.g.
    `opsmaturity_overall_score`, `opsmaturity_<dimension>_stage`; flags are 1, 0 or null."""

    model_config = ConfigDict(
        strict=True, frozen=True, json_schema_extra={"additionalProperties": False}
    )


class ResultsResponse(RootModel[ResultsDocument | FlatResults]):
    """The nested results, or the flat fields with `format=flat`."""

    model_config = ConfigDict(strict=True, frozen=True)
