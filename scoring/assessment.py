"""One call from respondents' answers to everything a report needs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from scoring.aggregate import ItemStats, TeamAggregate, aggregate_respondents
from scoring.answers import check_attributes
from scoring.errors import AnswerError, AnswerProblem
from scoring.item_targets import ItemTargets, compare_to_item_targets
from scoring.package import Package
from scoring.recommend import RankedRecommendation, plan_actions, rank_recommendations
from scoring.respondent import RespondentResult, score_respondent
from scoring.targets import (
    Progress,
    TargetGap,
    Targets,
    check_targets,
    compare_to_targets,
    progress_since,
)

__all__ = ["AssessmentResult", "RespondentAnswers", "score_assessment"]


@dataclass(frozen=True, slots=True)
class RespondentAnswers:
    """`attributes_erased`: the person's attributes were erased on their request; their
    answers count in the team's figures and in no group."""

    respondent_id: str
    answers: Mapping[str, object]
    attributes: Mapping[str, str] = field(default_factory=dict)
    attributes_erased: bool = False


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    questionnaire_id: str
    questionnaire_version: str
    content_hash: str
    respondents: tuple[RespondentResult, ...]
    team: TeamAggregate
    targets: tuple[TargetGap, ...]
    progress: tuple[Progress, ...]
    recommendations: tuple[RankedRecommendation, ...]
    roadmap: Mapping[int, tuple[RankedRecommendation, ...]]
    anonymity_k: int
    item_targets: ItemTargets | None = None  # None without item targets

    @property
    def disputed_items(self) -> tuple[ItemStats, ...]:
        return self.team.disputed_items


def score_assessment(
    package: Package,
    respondents: Sequence[RespondentAnswers],
    *,
    targets: Targets | None = None,
    baseline: AssessmentResult | None = None,
    anonymity_k: int = 3,
) -> AssessmentResult:
    """Score every respondent, aggregate, compare with targets (stages and item answers) and a
    baseline, and recommend.

    Raises `AnswerError` listing every problem of every respondent (bad answers, attributes,
    duplicate ids, unknown target stages) before anything is scored.
    """
    problems: list[AnswerProblem] = []
    if not respondents:
        problems.append(AnswerProblem(None, "respondents", "at least one respondent is needed"))
    counts = Counter(r.respondent_id for r in respondents)
    problems.extend(
        AnswerProblem(rid, "id", "respondent id used twice") for rid, n in counts.items() if n > 1
    )
    if targets is not None:
        problems.extend(check_targets(package, targets))
    scored: list[RespondentResult] = []
    for respondent in respondents:
        if not respondent.attributes_erased:
            problems.extend(
                check_attributes(
                    package, respondent.attributes, respondent=respondent.respondent_id
                )
            )
        try:
            scored.append(
                score_respondent(
                    package,
                    respondent.answers,
                    respondent_id=respondent.respondent_id,
                    attributes=respondent.attributes,
                )
            )
        except AnswerError as error:
            problems.extend(error.problems)
    if problems:
        raise AnswerError(problems)
    team = aggregate_respondents(package, scored, anonymity_k=anonymity_k)
    ranked = rank_recommendations(package, team.summary, scored, targets)
    return AssessmentResult(
        questionnaire_id=package.id,
        questionnaire_version=package.version,
        content_hash=package.content_hash,
        respondents=tuple(scored),
        team=team,
        targets=compare_to_targets(package, team.summary, targets) if targets else (),
        progress=progress_since(package, baseline.team.summary, team.summary) if baseline else (),
        recommendations=ranked,
        roadmap=plan_actions(ranked, package.library.plan),
        anonymity_k=anonymity_k,
        item_targets=None
        if targets is None
        else compare_to_item_targets(
            package,
            team.item_values,
            targets,
            None if baseline is None else baseline.team.item_values,
        ),
    )
