"""The report's view model: flat, frozen records of display-ready text, numbers and charts.

Templates read nothing else: no ORM rows and no scoring objects, so what a report shows is
exactly what is here, and equal views render equal reports (the cache key is their hash).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup

from app.reports.heatmap_view import HeatmapView

__all__ = [
    "REPORT_DETAILS",
    "AgreementRow",
    "BrandView",
    "BreakdownView",
    "BriefAction",
    "BriefView",
    "CommentGroupView",
    "CommentView",
    "DimensionView",
    "DisputedItemView",
    "HighlightView",
    "ItemView",
    "MethodologyView",
    "QuadrantView",
    "ReadingMethodView",
    "RecommendationView",
    "ReportDetail",
    "ReportVariant",
    "ReportView",
    "RoadmapAction",
    "RoadmapColumn",
    "ScoreRow",
    "StageView",
    "ThresholdRow",
    "view_fingerprint",
]

ReportVariant = Literal["team", "individual"]
# The report's length: "executive" (the default, no item-level detail) or "full", which adds
# the item-level results as an appendix.
ReportDetail = Literal["executive", "full"]
REPORT_DETAILS: tuple[ReportDetail, ...] = ("executive", "full")


@dataclass(frozen=True, slots=True)
class BrandView:
    firm_name: str
    primary: str
    deep: str
    soft: str
    faint: str
    on_primary: str
    target: str
    logo_data_uri: str | None


@dataclass(frozen=True, slots=True)
class StageView:
    number: int  # 1-based
    name: str
    summary: str
    headline: str  # the summary's first sentence
    hallmarks: tuple[str, ...]
    feels_like: str
    risk_of_staying: str
    colour: str


@dataclass(frozen=True, slots=True)
class ItemView:
    prompt: str
    note: str  # e.g. "reverse-keyed", "shown only when …"
    score_text: str  # 0-100 on the item's normalised scale, or "–"
    score_percent: float  # bar length; 0 when unscored
    answer_text: str  # individual report: the answer given
    agreement_text: str  # team report: "rwg 0.62 · moderate"
    spread_text: str
    answered_text: str  # "11 of 12 answered"
    legend_text: str  # "2 Never · 5 Sometimes · …", in the order of the bar's segments
    distribution_chart: Markup


@dataclass(frozen=True, slots=True)
class DimensionView:
    number: int
    has_page: bool  # a dimension of one or two questions is read from the scores table instead
    title: str
    description: str
    score_text: str
    percent_text: str
    stage: StageView | None
    stage_text: str  # "Structured", or "Structured, contested: answers span Reactive to Managed"
    contested: bool
    stage_reason: tuple[str, ...]
    next_stage: StageView | None
    stage_description: str  # what the current stage looks like in this dimension
    next_stage_description: str  # what the next stage would look like in it
    target_text: str
    change_text: str
    agreement_text: str
    spread_text: str
    interval_text: str  # team report: the score's 95 % interval, and whether it is borderline
    items: tuple[ItemView, ...]
    item_target_text: str = ""  # percent to the targets by question; "" without any


@dataclass(frozen=True, slots=True)
class ScoreRow:
    title: str
    score_text: str
    stage_name: str
    stage_description: str  # what the stage looks like in this dimension
    target_text: str
    change_text: str
    item_target_text: str = ""  # "58% of 3 questions"; "" when no question has a target


@dataclass(frozen=True, slots=True)
class ScorecardRow:
    """A row of the sub-dimension scorecard: a dimension (depth 0) or one beneath it."""

    title: str
    depth: int
    score_text: str  # on the package's own scale: "62.5", or "1.25 of 3" in points
    percent_text: str  # of the possible score


@dataclass(frozen=True, slots=True)
class HighlightView:
    dimension_title: str
    stage_name: str  # the stage's reading: a contested one names the stages its answers span
    contested: bool
    score_text: str
    headline: str
    evidence: str


@dataclass(frozen=True, slots=True)
class QuadrantView:
    name: str
    description: str  # the stage model's, or, while dimensions are contested, why it is not given
    explanation: str
    chart: Markup


@dataclass(frozen=True, slots=True)
class AgreementRow:
    dimension_title: str
    mean_text: str
    range_text: str
    sd_text: str
    rwg_text: str  # r*wg(J)
    label: str
    interval_text: str  # "41.2–58.8", the 95 % interval of the mean
    marks: tuple[str, ...]  # "contested", "borderline"


@dataclass(frozen=True, slots=True)
class DisputedItemView:
    prompt: str
    dimension_title: str
    mean_text: str
    sd_text: str
    rwg_text: str
    label: str
    legend_text: str
    distribution_chart: Markup


@dataclass(frozen=True, slots=True)
class BreakdownView:
    label: str
    note: str  # which groups are pooled or withheld; or, with no group shown, why
    group_headings: tuple[str, ...]  # "Executive (n = 4)"
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (dimension title, one score per group)
    overall: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RecommendationView:
    rank: int
    title: str
    dimension_title: str
    rationale: str
    steps: tuple[str, ...]
    owner_role: str
    horizon_text: str
    effort: str
    impact: str
    priority_text: str
    reason: str


@dataclass(frozen=True, slots=True)
class RoadmapAction:
    rank: int
    title: str
    owner_role: str
    dimension_title: str
    first_step: str  # the action's first step, shown in a compact report instead of its card


@dataclass(frozen=True, slots=True)
class RoadmapColumn:
    heading: str
    subheading: str
    actions: tuple[RoadmapAction, ...]
    empty_text: str  # why the period has no action, when it has none


@dataclass(frozen=True, slots=True)
class ThresholdRow:
    subject: str
    thresholds: tuple[str, ...]  # one per stage after the first


@dataclass(frozen=True, slots=True)
class ReadingMethodView:
    """How the team reading is worked out; the same paragraphs as docs/methodology.md."""

    item_agreement: str
    dimension_agreement: str
    bands: str
    caps_intro: str
    caps: tuple[str, ...]
    contested: str
    disputed: str
    interval: str
    few_respondents: str
    borderline: str
    disclosure: str
    suppression: str
    group_gap: str
    findings_order: str


@dataclass(frozen=True, slots=True)
class MethodologyView:
    rollup_text: str
    scale_text: str
    na_text: str
    dont_know_text: str
    missing_text: str  # what an unanswered question counts as, when not left out
    threshold_stage_names: tuple[str, ...]
    threshold_rows: tuple[ThresholdRow, ...]
    thresholds_rationale: str
    gates: tuple[str, ...]
    overall_reasoning: tuple[str, ...]
    reading: ReadingMethodView
    anonymity_text: str  # this assessment's k
    completeness_text: str
    respondents_text: str
    plan_text: str  # tie-break order and the default plan's size
    priority_formula: str  # the library's own priority formula; empty for the usual one
    priority_rationale: str
    uses_prerequisites: bool  # some action names the actions it builds on
    provenance: tuple[tuple[str, str], ...]  # (label, value) pairs
    places_stages: bool = True  # False: the model has no thresholds (no stage table, no ladder)


@dataclass(frozen=True, slots=True)
class BriefAction:
    rank: int
    title: str
    dimension_title: str
    owner_role: str  # "" when the library names no owner
    first_step: str  # "" when the action lists no steps
    horizon_text: str


@dataclass(frozen=True, slots=True)
class BriefView:
    """The one-page brief after the cover: where the organisation stands, how sure that is,
    what changed, what the answers say and the first three actions."""

    stage_heading: str  # "Stage 3 of 5: Structured", or why there is no stage
    score_text: str  # "48.0 out of 100"
    interval_text: str  # team: the overall score's 95 % interval; "" for one person
    contested_text: str  # team: the contested dimensions the stage rests on; ""
    change_text: str  # since the baseline round; "" without one
    responses_text: str  # team: "12 of 14 invited (86%)"; "" for one person
    findings: tuple[str, ...]  # most important first
    actions: tuple[BriefAction, ...]


@dataclass(frozen=True, slots=True)
class CommentView:
    text: str
    count: int  # how many people wrote it


@dataclass(frozen=True, slots=True)
class CommentGroupView:
    prompt: str
    dimension_title: str
    comments: tuple[CommentView, ...]


@dataclass(frozen=True, slots=True)
class ReportView:
    variant: ReportVariant
    document_title: str
    report_title: str
    client_name: str
    respondent_name: str
    report_date_text: str
    questionnaire_title: str
    questionnaire_version: str
    respondent_count: int
    brand: BrandView
    provisional_note: str
    precision_note: str  # a short form's: how roughly to read its stages
    compact: bool  # a short form's report: no quadrant, radar or stage appendix
    # executive summary
    findings: tuple[str, ...]  # most important first
    overall_interval_text: str  # the overall score's 95 % interval, or why there is none
    overall_contested_text: str  # the contested dimensions the overall stage rests on, or ""
    overall_score_text: str
    overall_stage: StageView | None
    overall_stage_count: int
    overall_reason: tuple[str, ...]
    key_figures: tuple[tuple[str, str], ...]  # (figure, label)
    strengths: tuple[HighlightView, ...]
    risks: tuple[HighlightView, ...]
    quadrant: QuadrantView | None
    # where each dimension sits
    stage_ladder_chart: Markup
    ladder_notes: tuple[str, ...]  # one per stage a gate holds below its score's
    contested_notes: tuple[str, ...]  # one per contested dimension, beside the ladder
    radar_chart: Markup
    radar_note: str
    score_rows: tuple[ScoreRow, ...]
    score_caption: str  # the scale the scores are on
    scorecard: tuple[ScorecardRow, ...]  # dimensions with sub-dimensions, and theirs
    stages: tuple[StageView, ...]
    dimensions: tuple[DimensionView, ...]
    # alignment (team report)
    alignment_heading: str
    any_contested: bool
    spread_chart: Markup
    agreement_rows: tuple[AgreementRow, ...]
    disputed_items: tuple[DisputedItemView, ...]
    breakdowns: tuple[BreakdownView, ...]
    # actions
    recommendations: tuple[RecommendationView, ...]
    further_recommendations: tuple[RecommendationView, ...]
    roadmap: tuple[RoadmapColumn, ...]
    methodology: MethodologyView
    item_targets_text: str = ""  # percent to the targets by question, overall; "" without any
    # cover, running header and footer: never an id
    cover_subject: str = ""  # client, else the person's name, else what the report is of
    round_name: str = ""  # the assessment's name, e.g. "Q4 2026"; "" when unknown
    response_text: str = ""  # "12 of 14 responded", or "12 responded" without an invited count
    footer_text: str = ""  # who the report is confidential to
    brief: BriefView | None = None
    # free-text answers in their own section (team report, at least k people)
    comment_groups: tuple[CommentGroupView, ...] = ()
    comments_note: str = ""  # how the comments are shown, or why none are
    detail: ReportDetail = "executive"  # "full" adds the appendix of item-level results
    further_in_full: int = 0  # further actions that only the full report lists
    heatmap: HeatmapView | None = None  # team report: scores by group, under disclosure control

    @property
    def places_stages(self) -> bool:
        """False for a model without thresholds: the report shows scores and no stage ladder."""
        return self.methodology.places_stages


def view_fingerprint(view: ReportView) -> str:
    """SHA-256 of the view's canonical JSON: equal views, equal fingerprints."""
    encoded = json.dumps(dataclasses.asdict(view), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
