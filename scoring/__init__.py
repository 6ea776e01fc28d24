"""The pure scoring core of OpsMaturity: definitions, scoring, aggregation, stages, recommendations.

Standard library and pydantic only; no I/O, clock, environment or randomness, so the same
inputs always give the same result.
"""

from scoring.aggregate import ItemStats, TeamAggregate, aggregate_respondents
from scoring.agreement import (
    AGREEMENT_BANDS,
    SPREAD_CAPS,
    AgreementLevel,
    SpreadCap,
    agreement_level,
    expected_variance,
    rwg,
    rwg_star_j,
    spread,
)
from scoring.answers import ItemAnswer, check_attributes, condition_holds, normalise_answers
from scoring.assessment import AssessmentResult, RespondentAnswers, score_assessment
from scoring.breakdowns import OTHER_GROUP, AttributeBreakdown, GroupScores
from scoring.disclosure import computable_small_set, publishable_cells
from scoring.errors import (
    AnswerError,
    AnswerProblem,
    DefinitionError,
    DefinitionProblem,
    ScoringError,
)
from scoring.findings import GROUP_GAP_SHARE, Finding, FindingCode
from scoring.intervals import ScoreInterval, t_quantile_975
from scoring.item_targets import (
    TARGET_REFERENCES,
    ItemTarget,
    ItemTargetProgress,
    ItemTargets,
    TargetReference,
    compare_to_item_targets,
)
from scoring.package import Package, PackageFiles, build_package
from scoring.progress import AnswerProgress, answer_progress, progress_of_normalised
from scoring.questionnaire import Dimension, Item, ItemKind, Questionnaire, iter_dimensions
from scoring.recommend import (
    HORIZONS,
    LEVEL_POINTS,
    RankedRecommendation,
    plan_actions,
    rank_recommendations,
)
from scoring.recommendations import Recommendation, RecommendationLibrary
from scoring.respondent import RespondentResult, score_respondent
from scoring.results import DimensionScore, OverallScore, QuadrantPlacement, ScoreSummary
from scoring.schema import definition_schemas
from scoring.stage_model import StageModel
from scoring.stages import GateStep, StagePlacement, threshold_index
from scoring.targets import (
    Progress,
    TargetGap,
    Targets,
    check_targets,
    compare_to_targets,
    progress_since,
)
from scoring.team_stats import CONTESTED_LEVELS, DimensionStats, OverallStats

__all__ = [
    "AGREEMENT_BANDS",
    "CONTESTED_LEVELS",
    "GROUP_GAP_SHARE",
    "HORIZONS",
    "LEVEL_POINTS",
    "OTHER_GROUP",
    "SPREAD_CAPS",
    "TARGET_REFERENCES",
    "AgreementLevel",
    "AnswerError",
    "AnswerProblem",
    "AnswerProgress",
    "AssessmentResult",
    "AttributeBreakdown",
    "DefinitionError",
    "DefinitionProblem",
    "Dimension",
    "DimensionScore",
    "DimensionStats",
    "Finding",
    "FindingCode",
    "GateStep",
    "GroupScores",
    "Item",
    "ItemAnswer",
    "ItemKind",
    "ItemStats",
    "ItemTarget",
    "ItemTargetProgress",
    "ItemTargets",
    "OverallScore",
    "OverallStats",
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
    "ScoreInterval",
    "ScoreSummary",
    "ScoringError",
    "SpreadCap",
    "StageModel",
    "StagePlacement",
    "TargetGap",
    "TargetReference",
    "Targets",
    "TeamAggregate",
    "aggregate_respondents",
    "agreement_level",
    "answer_progress",
    "build_package",
    "check_attributes",
    "check_targets",
    "compare_to_item_targets",
    "compare_to_targets",
    "computable_small_set",
    "condition_holds",
    "definition_schemas",
    "expected_variance",
    "iter_dimensions",
    "normalise_answers",
    "plan_actions",
    "progress_of_normalised",
    "progress_since",
    "publishable_cells",
    "rank_recommendations",
    "rwg",
    "rwg_star_j",
    "score_assessment",
    "score_respondent",
    "spread",
    "t_quantile_975",
    "threshold_index",
]
