"""The one-page brief after the cover: the overall stage with its interval, the change since the
baseline round, the findings in order of importance, the first three actions with owner and
first step, and who answered. Built from what the rest of the report already shows, so the
brief never says anything the pages after it do not."""

from __future__ import annotations

from app.reports.dimension_view import change_text
from app.reports.formatting import percent_text, score_text
from app.reports.view_model import BriefAction, BriefView, ReportVariant, StageView
from app.wording import finding_sentence
from app.wording.report_text import overall_contested_text, score_interval_text
from scoring import AssessmentResult, Package, RankedRecommendation

__all__ = ["BRIEF_ACTIONS", "BRIEF_FINDINGS", "brief_view", "response_text", "responses_text"]

BRIEF_ACTIONS = 3
BRIEF_FINDINGS = 5  # the engine gives at most six; the least important can wait for page 3
# The brief states the team's interval beside the score, so it leaves out the finding that
# says it again; one person's brief keeps it (it says why there is no interval).
_SAID_BESIDE_THE_SCORE = ("interval", "borderline", "no_interval")

_NO_STAGE = "Too few answers to place the organisation in a stage"
_NO_STAGES_IN_MODEL = "Overall score {score}"
_STAGE_TEAM = "Stage {number} of {count}: {name}"
_STAGE_SELF = "Your view: stage {number} of {count}, {name}"
_RESPONDED = "{n} of {invited} responded"
_RESPONDED_NO_INVITES = "{n} responded"
_RESPONSES = "{n} of {invited} invited ({rate})"
_RESPONSES_NO_INVITES = "{n} respondents"
_RESPONSES_ONE = "1 respondent"


def response_text(respondents: int, invited: int | None) -> str:
    """The cover's response rate: "12 of 14 responded"."""
    if invited is None or invited < respondents:
        return _RESPONDED_NO_INVITES.format(n=respondents)
    return _RESPONDED.format(n=respondents, invited=invited)


def responses_text(respondents: int, invited: int | None) -> str:
    """The brief's, under "Responses": "12 of 14 invited (86%)"; without an invited count,
    "12 respondents"."""
    if invited is None or invited < respondents or invited == 0:
        return _RESPONSES_ONE if respondents == 1 else _RESPONSES_NO_INVITES.format(n=respondents)
    return _RESPONSES.format(
        n=respondents, invited=invited, rate=percent_text(respondents / invited)
    )


def _stage_heading(
    package: Package,
    result: AssessmentResult,
    stage: StageView | None,
    stage_count: int,
    variant: ReportVariant,
) -> str:
    if stage is None:
        if not package.places_stages:
            return _NO_STAGES_IN_MODEL.format(score=score_text(result.team.overall.score))
        return _NO_STAGE
    template = _STAGE_TEAM if variant == "team" else _STAGE_SELF
    return template.format(number=stage.number, count=stage_count, name=stage.name)


def _score_text(package: Package, result: AssessmentResult) -> str:
    score = score_text(result.team.overall.score)
    if package.rollups.in_points:
        return f"{score} points"
    return f"{score} out of {package.stage_model.scale.max}"


def _action(package: Package, rank: int, ranked: RankedRecommendation) -> BriefAction:
    recommendation = ranked.recommendation
    dimension = (
        "Whole organisation"
        if ranked.dimension_id is None
        else package.dimension(ranked.dimension_id).title
    )
    return BriefAction(
        rank=rank,
        title=recommendation.title,
        dimension_title=dimension,
        owner_role=recommendation.owner_role or "",
        first_step=recommendation.steps[0] if recommendation.steps else "",
        horizon_text=f"{ranked.period} days",
    )


def brief_view(
    package: Package,
    result: AssessmentResult,
    *,
    variant: ReportVariant,
    stage: StageView | None,
    stage_count: int,
    provisional_shown: bool,
    invited_count: int | None,
) -> BriefView:
    """The brief of a team report, or of a self-assessment (no interval, split or response
    rate: one person's answers have none). The findings come in the engine's order of
    importance (a split or a gap between groups before the weakest and strongest dimensions),
    less the provisional one when the brief carries the provisional note."""
    team = variant == "team"
    stats = result.team.overall_stats
    interval = ""
    if team and stats.n > 0:
        interval = score_interval_text(
            result.team.overall.score,
            stats.interval,
            borderline=bool(stats.borderline),
            overall=True,
        )
    skipped: tuple[str, ...] = ("provisional",) if provisional_shown else ()
    if team:
        skipped += _SAID_BESIDE_THE_SCORE
    findings = tuple(
        finding_sentence(package, finding)
        for finding in result.team.findings
        if finding.code not in skipped
    )
    contested = ""
    if team:
        contested = overall_contested_text(
            tuple(package.dimension(d).title for d in stats.contested_dimensions)
        )
    return BriefView(
        stage_heading=_stage_heading(package, result, stage, stage_count, variant),
        score_text=_score_text(package, result),
        interval_text=interval,
        contested_text=contested,
        change_text=change_text(package, result, "overall"),
        responses_text=responses_text(len(result.respondents), invited_count) if team else "",
        findings=findings[:BRIEF_FINDINGS],
        actions=tuple(
            _action(package, rank, ranked)
            for rank, ranked in enumerate(result.recommendations[:BRIEF_ACTIONS], start=1)
        ),
    )
