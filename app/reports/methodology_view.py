"""The methodology appendix: how every figure in the report was computed, from this package.

The formulas are those of scoring/rollup.py, scoring/stages.py and scoring/recommend.py, and
for a team those of app/reports/methodology_text.py; the wording follows the package's own settings (roll-up, scale,
rounding, N/A policy, thresholds, gates), so the appendix never describes a rule not applied.
"""

from __future__ import annotations

import datetime as dt

from app.reports.formatting import date_text, percent_text
from app.reports.methodology_text import team_reading_method
from app.reports.view_model import MethodologyView, ReportVariant, ThresholdRow
from app.wording import placement_steps
from scoring import AssessmentResult, Package
from scoring.recommend import DEFAULT_TIE_BREAK
from scoring.recommendations import RecommendationLibrary
from scoring.rollup import rollup_sentences
from scoring.stage_model import MissingAnswerRule, RequiresItemsGate

__all__ = ["methodology_view"]

_NA_POLICIES = {
    "exclude": "An answer of “not applicable” is left out of the score.",
    "zero": "An answer of “not applicable” counts as the lowest value (0).",
    "target": "An answer of “not applicable” counts as an item score of {target:.0f} out of 100.",
}


def _item_scale_words(package: Package) -> str:
    if package.rollups.in_points:
        return "an item score from 0 to 1, the points it adds at weight 1"
    return "an item score from 0 to 100"


def _missing_rule_words(rule: MissingAnswerRule) -> str:
    if rule.mode == "exclude":
        return "is left out of the score"
    if rule.mode == "zero":
        return "counts as the lowest value (0)"
    return f"counts as an item score of {rule.value * 100:g} out of 100"


def _missing_text(package: Package) -> str:
    """What a shown question left unanswered counts as; empty under the usual rule (left out)."""
    policy = package.stage_model.missing_answers
    if policy.mode == "exclude" and not policy.dimensions:
        return ""
    parts = [f"A question left unanswered {_missing_rule_words(policy)}."]
    for dimension_id, rule in policy.dimensions.items():
        title = package.dimension(dimension_id).title
        parts.append(f"In {title}, a question left unanswered {_missing_rule_words(rule)}.")
    if policy.rationale:
        parts.append(policy.rationale)
    return " ".join(parts)


def _scale_text(package: Package) -> str:
    model = package.stage_model
    mode = "half up" if model.rounding.mode == "half_up" else "half to even"
    places = model.rounding.decimals
    decimals = f"{places} decimal place{'s' if places != 1 else ''}"
    if package.rollups.in_points:
        shown = "Scores are shown in points"
    else:
        shown = f"Scores are shown on a scale from {model.scale.min} to {model.scale.max}"
    return (
        f"{shown} and rounded to {decimals} ({mode}). Thresholds are compared with the rounded "
        "score exactly, so rounding noise never moves a result across a stage boundary."
    )


def _gate_texts(package: Package) -> tuple[str, ...]:
    stages = {s.id: s.name for s in package.stage_model.stages}
    texts = []
    for gate in package.stage_model.gates:
        if isinstance(gate, RequiresItemsGate):
            subject = (
                "the organisation"
                if gate.applies_to == "overall"
                else package.dimension(gate.applies_to).title
            )
            needs = "; ".join(
                f"“{package.items[r.item].prompt}” at {r.min_value * 100:.0f} or more"
                if r.item in package.items
                else "a question this questionnaire does not ask (so that rule is skipped)"
                for r in gate.items
            )
            text = f"{stages[gate.stage]} for {subject} requires {needs}."
        else:
            n = gate.max_stages_above
            text = (
                f"Weakest link: the overall stage may be at most {n} stage{'s' if n != 1 else ''} "
                "above the stage of the weakest dimension."
            )
        texts.append(f"{text} {gate.rationale}".strip())
    return tuple(texts)


def _threshold_rows(package: Package) -> tuple[ThresholdRow, ...]:
    """Overall, then the dimensions; dimensions that share one set of thresholds share a row."""
    rows = [ThresholdRow("Overall", tuple(f"{t}" for t in package.overall_thresholds))]
    by_thresholds: dict[tuple[str, ...], list[str]] = {}
    for dimension in package.questionnaire.dimensions:
        shown = tuple(f"{t}" for t in package.dimension_thresholds[dimension.id])
        by_thresholds.setdefault(shown, []).append(dimension.title)
    if len(by_thresholds) == 1:
        (shown,) = by_thresholds
        return (*rows, ThresholdRow("Every dimension", shown))
    rows.extend(
        ThresholdRow(title, shown) for shown, titles in by_thresholds.items() for title in titles
    )
    return tuple(rows)


def _respondents_text(result: AssessmentResult, variant: ReportVariant) -> str:
    count = len(result.respondents)
    if variant == "individual":
        return "One respondent: this report shows one person's view."
    parts = [f"{count} respondent{'s' if count != 1 else ''} took part."]
    for breakdown in result.team.breakdowns:
        if breakdown.groups:
            groups = ", ".join(f"{g.label} {g.n}" for g in breakdown.groups)
            parts.append(f"By {breakdown.label.lower()}: {groups}.")
    return " ".join(parts)


_TIE_BREAK_WORDS = {
    "weaker_dimension": "the weaker dimension (the lower percent of its possible score)",
    "shorter_horizon": "the shorter horizon",
    "lower_effort": "the lower effort",
    "higher_impact": "the higher impact",
    "id": "the action's id in alphabetical order",
}


def _plan_text(library: RecommendationLibrary) -> str:
    """How ties are broken and what the default plan holds, from the library's plan rule."""
    rule = library.plan
    tie_break = DEFAULT_TIE_BREAK if rule is None else rule.tie_break
    ties = "Equal priorities go to " + ", then ".join(_TIE_BREAK_WORDS[k] for k in tie_break) + "."
    if rule is None:
        return f"{ties} The roadmap takes the five highest-priority actions of each horizon."
    per_horizon = (
        f", at most {rule.max_per_horizon} in any one period" if rule.max_per_horizon else ""
    )
    plan = (
        f" The plan holds at most {rule.max_actions} actions{per_horizon}: first the "
        "highest-priority action of each period, so that every period with an applicable action "
        "has one, then the rest in priority order."
    )
    return ties + plan + (f" {rule.rationale}" if rule.rationale else "")


def methodology_view(
    package: Package,
    result: AssessmentResult,
    *,
    variant: ReportVariant,
    report_date: dt.date,
) -> MethodologyView:
    model = package.stage_model
    places_stages = package.places_stages
    team_rule = (
        " For a team, each dimension score is the mean of the respondents' dimension scores"
        + (
            ", and the team is placed in a stage from those means by the same thresholds and "
            "gates as one person."
            if places_stages
            else "."
        )
        if variant == "team"
        else ""
    )
    completeness = (
        f"Completeness is the share of the questions shown that were answered (“not "
        f"applicable” and “don't know” count as answers): {percent_text(result.team.completeness)} "
        f"here. Below {percent_text(model.min_completeness)} a result is marked provisional."
    )
    library = package.library
    return MethodologyView(
        rollup_text=(
            "Each answer is turned into a value from 0 (least mature) to 1 (most mature), shown "
            f"in this report as {_item_scale_words(package)}; for questions where a higher "
            "answer is worse the value is turned around. "
            f"{' '.join(rollup_sentences(package))}{team_rule}"
        ),
        scale_text=_scale_text(package),
        na_text=(
            _NA_POLICIES[model.na_policy.mode].format(target=model.na_policy.target_value * 100)
            + (f" {model.na_policy.rationale}" if model.na_policy.rationale else "")
        ),
        dont_know_text="An answer of “don't know” is always left out of the score.",
        missing_text=_missing_text(package),
        # A model without thresholds has no stage bands: no threshold table (the appendix says so).
        threshold_stage_names=tuple(s.name for s in model.stages[1:]) if places_stages else (),
        threshold_rows=_threshold_rows(package) if places_stages else (),
        thresholds_rationale="" if model.thresholds is None else model.thresholds.rationale,
        gates=_gate_texts(package),
        overall_reasoning=placement_steps(package, result.team.overall.stage),
        reading=team_reading_method(),
        anonymity_text=(
            f"In this assessment k is {result.anonymity_k}. No individual's answers are shown, "
            f"and written answers appear only when at least {result.anonymity_k} people took "
            "part, unattributed and in alphabetical order."
        ),
        completeness_text=completeness,
        respondents_text=_respondents_text(result, variant),
        plan_text=_plan_text(library),
        priority_formula="" if library.priority is None else library.priority.formula,
        priority_rationale="" if library.priority is None else library.priority.rationale,
        uses_prerequisites=any(r.depends_on for r in library.recommendations),
        provenance=(
            (
                "Questionnaire",
                f"{package.questionnaire.title} ({package.id}), version {package.version}",
            ),
            ("Stage model", f"{model.title}, version {model.version}"),
            ("Recommendation library", f"{library.title or library.id}, version {library.version}"),
            ("Content hash (SHA-256)", result.content_hash),
            ("Report date", date_text(report_date)),
        ),
        places_stages=places_stages,
    )
