"""The pure scoring core of OpsMaturity: definitions, scoring, aggregation, stages, recommendations.

Standard library and pydantic only; no I/O, clock, environment or randomness, so the same
inputs always give the same result.
"""

from scoring.aggregate import (
    AttributeBreakdown,
    DimensionStats,
    GroupScores,
    ItemStats,
    TeamAggregate,
    aggregate_respondents,
)
from scoring.agreement import expected_variance, rwg, rwg_j, spread
from scoring.answers import ItemAnswer, check_attributes, condition_holds, normalise_answers
from scoring.assessment import AssessmentResult, RespondentAnswers, score_assessment
from scoring.errors import (
    AnswerError,
    AnswerProblem,
    DefinitionError,
    DefinitionProblem,
    ScoringError,
)
from scoring.package import Package, PackageFiles, build_package
from scoring.questionnaire import Dimension, Item, ItemKind, Questionnaire, iter_dimensions
from scoring.recommend import HORIZONS, RankedRecommendation, group_by_horizon, rank_recommendations
from scoring.recommendations import Recommendation, RecommendationLibrary
from scoring.respondent import RespondentResult, score_respondent
from scoring.results import DimensionScore, OverallScore, QuadrantPlacement, ScoreSummary
from scoring.schema import definition_schemas
from scoring.stage_model import StageModel
from scoring.stages import StagePlacement
from scoring.targets import (
    Progress,
    TargetGap,
    Targets,
    check_targets,
    compare_to_targets,
    progress_since,
)

__all__ = [
    "HORIZONS",
    "AnswerError",
    "AnswerProblem",
    "AssessmentResult",
    "AttributeBreakdown",
    "DefinitionError",
    "DefinitionProblem",
    "Dimension",
    "DimensionScore",
    "DimensionStats",
    "GroupScores",
    "Item",
    "ItemAnswer",
    "ItemKind",
    "ItemStats",
    "OverallScore",
    "Package",
    "PackageFiles",
    "Progress",
    "QuadrantPlacement",
    "Questionnaire",
    "RankedRecommendation",
    "Recommendation",
    "RecommendationLibrary",
    "RespondentAnswers",
    "RespondentResult",
    "ScoreSummary",
    "ScoringError",
    "StageModel",
    "StagePlacement",
    "TargetGap",
    "Targets",
    "TeamAggregate",
    "aggregate_respondents",
    "build_package",
    "check_attributes",
    "check_targets",
    "compare_to_targets",
    "condition_holds",
    "definition_schemas",
    "expected_variance",
    "group_by_horizon",
    "iter_dimensions",
    "normalise_answers",
    "progress_since",
    "rank_recommendations",
    "rwg",
    "rwg_j",
    "score_assessment",
    "score_respondent",
    "spread",
]
