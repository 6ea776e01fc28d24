"""Builds the report's flat view model from a package, a scored assessment and the branding."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from app.reports.action_view import FURTHER_IN_EXECUTIVE, recommendation_views, roadmap_columns
from app.reports.alignment_view import (
    agreement_rows,
    breakdown_views,
    disputed_item_views,
    team_spread_chart,
)
from app.reports.branding import Branding
from app.reports.brief_view import brief_view, response_text
from app.reports.comments_view import comment_groups
from app.reports.dimension_view import (
    change_text,
    dimension_view,
    reasoning_steps,
    score_percent,
    stage_description,
    stage_view,
    stage_views,
)
from app.reports.formatting import DASH, date_text, percent_text, score_text, signed_text
from app.reports.heatmap_view import heatmap_view
from app.reports.item_target_view import item_target_cell, item_target_sentence
from app.reports.ladder_view import ladder_chart, ladder_notes
from app.reports.methodology_view import methodology_view
from app.reports.palette import Palette, palette_for
from app.reports.radar_chart import RadarSeries, radar_chart
from app.reports.summary_view import (
    contested_notes,
    highlights,
    key_figures,
    overall_texts,
    quadrant_view,
    summary_findings,
)
from app.reports.view_model import (
    BrandView,
    ReportDetail,
    ReportVariant,
    ReportView,
    ScorecardRow,
    ScoreRow,
    StageView,
)
from app.wording import stage_reading
from app.wording.report_text import alignment_heading
from scoring import AssessmentResult, DimensionScore, Package
from scoring.rollup import raw_ceiling, to_display

__all__ = ["ReportRequestError", "build_report_view"]

_MUTED_SERIES = "#8a929e"


class ReportRequestError(ValueError):
    """A report that cannot be built as asked (e.g. an individual report of a whole team)."""


def _brand_view(branding: Branding, palette: Palette) -> BrandView:
    return BrandView(
        firm_name=branding.firm_name,
        primary=palette.primary,
        deep=palette.deep,
        soft=palette.soft,
        faint=palette.faint,
        on_primary=palette.on_primary,
        target=palette.target,
        logo_data_uri=None if branding.logo is None else branding.logo.data_uri,
    )


def _radar(
    package: Package, result: AssessmentResult, palette: Palette, variant: ReportVariant
) -> tuple[Markup, str]:
    dimensions = result.team.dimensions
    current_name = "Team today" if variant == "team" else "You today"
    series = [
        RadarSeries(current_name, tuple(d.percent for d in dimensions), "current", palette.primary)
    ]
    targets = {g.subject: g for g in result.targets}
    notes = []
    if any(d.dimension_id in targets for d in dimensions):
        series.append(
            RadarSeries(
                "Target",
                tuple(
                    score_percent(package, d, targets[d.dimension_id].target_score)
                    if d.dimension_id in targets
                    else None
                    for d in dimensions
                ),
                "target",
                palette.target,
            )
        )
        notes.append("the target line marks the score at which each target stage begins")
    previous = {p.subject: p for p in result.progress}
    if any(d.dimension_id in previous for d in dimensions):
        series.append(
            RadarSeries(
                "Previous assessment",
                tuple(
                    score_percent(package, d, previous[d.dimension_id].baseline_score)
                    if d.dimension_id in previous
                    else None
                    for d in dimensions
                ),
                "previous",
                _MUTED_SERIES,
            )
        )
    chart = radar_chart(
        [d.title for d in dimensions],
        series,
        title="Dimension scores, percent of the possible score",
    )
    note = "Scores as a percentage of the possible score" + (f"; {notes[0]}" if notes else "") + "."
    return chart, note


def _score_rows(
    package: Package,
    result: AssessmentResult,
    stages: tuple[StageView, ...],
    variant: ReportVariant,
) -> tuple[ScoreRow, ...]:
    names = {stage.id: stage.name for stage in package.stage_model.stages}
    targets = {g.subject: g for g in result.targets}
    changes = {p.subject: p for p in result.progress}
    rows = []
    for dimension in result.team.dimensions:
        stage = stage_view(stages, dimension.stage)
        stats = result.team.dimension_stats[dimension.dimension_id]
        reading = stage_reading(package, dimension.stage, stats if variant == "team" else None)
        gap = targets.get(dimension.dimension_id)
        change = changes.get(dimension.dimension_id)
        target = ""
        if gap is not None:
            to_go = "met" if gap.met else f"{gap.stage_gap} to go"
            target = f"{names[gap.target_stage]} · {to_go}"
        rows.append(
            ScoreRow(
                title=dimension.title,
                score_text=score_text(dimension.score),
                stage_name=DASH if stage is None else f"{stage.number} · {reading}",
                stage_description=(
                    ""
                    if stage is None
                    else stage_description(package, dimension.dimension_id, stage.number - 1)
                ),
                target_text=target,
                change_text="" if change is None else signed_text(change.score_change),
                item_target_text=item_target_cell(result, dimension.dimension_id),
            )
        )
    return tuple(rows)


def _scorecard(package: Package, result: AssessmentResult) -> tuple[ScorecardRow, ...]:
    """Every dimension that has sub-dimensions, followed by its sub-dimensions at every level."""
    rows: list[ScorecardRow] = []

    def add(dimension: DimensionScore, depth: int) -> None:
        rows.append(
            ScorecardRow(
                title=dimension.title,
                depth=depth,
                score_text=_score_on_scale(package, dimension),
                percent_text=DASH if dimension.percent is None else f"{dimension.percent:.0f}%",
            )
        )
        for sub in dimension.subdimensions:
            add(sub, depth + 1)

    for dimension in result.team.dimensions:
        if dimension.subdimensions:
            add(dimension, 0)
    return tuple(rows)


def _score_on_scale(package: Package, dimension: DimensionScore) -> str:
    """A score as shown on the package's scale: in points, beside the most it can reach."""
    text = score_text(dimension.score)
    if dimension.score is None or not package.rollups.in_points:
        return text
    possible = to_display(package, raw_ceiling(package, package.dimension(dimension.dimension_id)))
    return f"{text} of {possible}"


def _score_caption(package: Package) -> str:
    if package.rollups.in_points:
        return "Scores in points."
    model = package.stage_model
    return f"Scores from {model.scale.min} to {model.scale.max}."


def build_report_view(
    package: Package,
    result: AssessmentResult,
    *,
    branding: Branding,
    client_name: str,
    report_date: dt.date,
    variant: ReportVariant,
    respondent_name: str | None = None,
    round_name: str = "",
    invited_count: int | None = None,
    detail: ReportDetail = "executive",
) -> ReportView:
    """Everything a report shows, as display-ready text, numbers and SVG charts.

    The individual variant needs a result with exactly one respondent; raises ReportRequestError
    otherwise. `respondent_name` is the name an individual report is about; without one (an
    offline answers file gives ids only) the report names nobody, never an id. `round_name` is
    the assessment's name (e.g. "Q4 2026") and `invited_count` how many people were asked,
    when known: the cover and the brief show the response rate from it.
    """
    if variant == "individual" and len(result.respondents) != 1:
        raise ReportRequestError(
            f"an individual report needs one respondent; this assessment has {len(result.respondents)}"
        )
    palette = palette_for(branding.primary_colour)
    short_form = package.questionnaire.short_form_of is not None
    stages = stage_views(package, palette.primary)
    team = result.team
    overall_stage = stage_view(stages, team.overall.stage)
    strengths, risks = highlights(package, result, variant)
    detailed, further = recommendation_views(package, result, short_form=short_form)
    further_in_full = 0
    if detail == "executive" and len(further) > FURTHER_IN_EXECUTIVE:
        further_in_full = len(further) - FURTHER_IN_EXECUTIVE
        further = further[:FURTHER_IN_EXECUTIVE]
    radar, radar_note = _radar(package, result, palette, variant)
    is_team = variant == "team"
    respondent = "" if is_team else " ".join((respondent_name or "").split())
    report_title = "Leadership team assessment" if is_team else "Individual self-assessment"
    client = " ".join(client_name.split())
    subject = client or respondent
    provisional = (
        f"Provisional: only {percent_text(team.completeness)} of the questions were answered "
        f"(at least {percent_text(package.stage_model.min_completeness)} is needed for a firm result)."
        if team.provisional
        else ""
    )
    overall_change = change_text(package, result, "overall")
    overall_interval, overall_contested = overall_texts(package, result, variant)
    any_contested = is_team and bool(team.overall_stats.contested_dimensions)
    comments, comments_note = comment_groups(package, result) if is_team else ((), "")
    return ReportView(
        variant=variant,
        document_title=f"{package.questionnaire.title}: {report_title.lower()}"
        + (f" — {subject}" if subject else ""),
        report_title=report_title,
        client_name=client,
        respondent_name=respondent,
        report_date_text=date_text(report_date),
        questionnaire_title=package.questionnaire.title,
        questionnaire_version=package.version,
        respondent_count=len(result.respondents),
        brand=_brand_view(branding, palette),
        provisional_note=provisional,
        precision_note=package.questionnaire.precision_note or "",
        compact=short_form,
        findings=summary_findings(package, result, provisional_shown=bool(provisional)),
        overall_interval_text=overall_interval,
        overall_contested_text=overall_contested,
        overall_score_text=score_text(team.overall.score),
        overall_stage=overall_stage,
        overall_stage_count=len(stages),
        overall_reason=reasoning_steps(package, team.overall.stage)
        + ((overall_change,) if overall_change else ()),
        key_figures=key_figures(package, result, overall_stage, len(stages), variant),
        strengths=strengths,
        risks=risks,
        quadrant=quadrant_view(package, result, palette, variant),
        stage_ladder_chart=ladder_chart(package, result, stages, palette, variant),
        ladder_notes=ladder_notes(package, result, variant),
        contested_notes=contested_notes(package, result) if is_team else (),
        radar_chart=radar,
        radar_note=radar_note,
        score_rows=_score_rows(package, result, stages, variant),
        score_caption=_score_caption(package),
        scorecard=_scorecard(package, result),
        stages=stages,
        dimensions=tuple(
            dimension_view(
                package,
                result,
                d,
                number=n,
                stages=stages,
                variant=variant,
                primary=palette.primary,
            )
            for n, d in enumerate(team.dimensions, start=1)
        ),
        alignment_heading=alignment_heading(any_contested),
        any_contested=any_contested,
        spread_chart=team_spread_chart(result, palette) if is_team else Markup(""),
        agreement_rows=agreement_rows(result) if is_team else (),
        disputed_items=disputed_item_views(package, result, palette) if is_team else (),
        breakdowns=breakdown_views(result) if is_team else (),
        recommendations=detailed,
        further_in_full=further_in_full,
        further_recommendations=further,
        roadmap=roadmap_columns(package, result),
        methodology=methodology_view(package, result, variant=variant, report_date=report_date),
        item_targets_text=item_target_sentence(result, "overall"),
        cover_subject=client or respondent or ("Leadership team" if is_team else "Self-assessment"),
        round_name=" ".join(round_name.split()),
        response_text=response_text(len(result.respondents), invited_count) if is_team else "",
        footer_text=(
            "Confidential. Prepared for the organisation named on the cover."
            if client
            else "Confidential."
        ),
        brief=brief_view(
            package,
            result,
            variant=variant,
            stage=overall_stage,
            stage_count=len(stages),
            provisional_shown=bool(provisional),
            invited_count=invited_count,
        ),
        comment_groups=comments,
        comments_note=comments_note,
        detail=detail,
        heatmap=heatmap_view(package, result) if is_team else None,
    )
