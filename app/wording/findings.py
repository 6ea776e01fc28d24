"""The summary's findings in sentences: one whole template per finding code."""

from __future__ import annotations

from decimal import Decimal

from app.wording.agreement import AGREEMENT_LABELS
from app.wording.lists import joined
from scoring import Finding, Package, TeamAggregate

__all__ = ["finding_sentence", "summary_sentences"]

_TEMPLATES = {
    "split_one": (
        "The team is split on {dimension}: individual answers span {low} to {high}, so its "
        "stage is contested and the average hides two readings."
    ),
    "split_many": (
        "The team is split on {count} dimensions, so their stages are contested and their "
        "averages hide different readings: individual answers span {spans}."
    ),
    "group_gap": (
        "{group} (n = {group_n}) and the rest of the team (n = {rest_n}) read {dimensions} "
        "far apart: {scores}."
    ),
    "provisional": (
        "Only {completeness} of the questions were answered, so this reading is provisional."
    ),
    "weakest": "{dimension} is the weakest dimension, at {score} ({stage}).",
    "strongest": "{dimension} is the strongest dimension, at {score} ({stage}).",
    "weakest_no_stages": "{dimension} is the weakest dimension, at {score}.",
    "strongest_no_stages": "{dimension} is the strongest dimension, at {score}.",
    "borderline": (
        "The overall score of {score} could lie anywhere from {low} to {high} (95 % interval "
        "over {n} respondents), which crosses a stage boundary: the overall stage is borderline."
    ),
    "interval": (
        "The overall score of {score} has a 95 % interval of {low}–{high} over {n} respondents, "
        "within one stage."
    ),
    "interval_no_stages": (
        "The overall score of {score} has a 95 % interval of {low}–{high} over {n} respondents."
    ),
    "no_interval": (
        "With one respondent there is no interval around the score: it is one person's reading."
    ),
    "agreement_broad": (
        "The team reads every dimension alike: agreement is {level} or better on each, lowest "
        "on {dimension}."
    ),
    "agreement_narrow": (
        "On {dimension} the answers show {label}, although every respondent's score falls within "
        "one stage."
    ),
    "agreement_narrow_no_stages": "On {dimension} the answers show {label}.",
}
_SPAN = "{low} to {high} on {dimension}"
_COUNTS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}
_GROUP_SCORES = "{dimension} {mine} against {theirs}"


def _title(package: Package, dimension_id: str) -> str:
    return package.dimension(dimension_id).title


def _points(value: object) -> str:
    return str(value) if isinstance(value, Decimal) else f"{value}"


def finding_sentence(package: Package, finding: Finding) -> str:
    """One finding in one sentence."""
    names = package.stage_names
    figures = finding.figures
    code = finding.code
    if code == "split":
        figure = figures["spans"]
        assert isinstance(figure, tuple)
        spans = [(_title(package, str(d)), names[int(lo)], names[int(hi)]) for d, lo, hi in figure]
        if len(spans) == 1:
            title, low, high = spans[0]
            return _TEMPLATES["split_one"].format(dimension=title, low=low, high=high)
        return _TEMPLATES["split_many"].format(
            count=_COUNTS.get(len(spans), str(len(spans))),
            spans=joined(
                [_SPAN.format(low=low, high=high, dimension=title) for title, low, high in spans]
            ),
        )
    if code == "group_gap":
        scores = figures["scores"]
        assert isinstance(scores, tuple)
        titles = [_title(package, d) for d in finding.dimension_ids]
        return _TEMPLATES["group_gap"].format(
            group=figures["group"],
            group_n=figures["group_n"],
            rest_n=figures["rest_n"],
            dimensions=joined(titles),
            scores=joined(
                [
                    _GROUP_SCORES.format(
                        dimension=_title(package, str(d)), mine=mine, theirs=theirs
                    )
                    for d, mine, theirs in scores
                ]
            ),
        )
    if code == "provisional":
        share = figures["completeness"]
        assert isinstance(share, float)
        return _TEMPLATES["provisional"].format(completeness=f"{share * 100:.0f}%")
    # A model without thresholds places no stages: its sentences say nothing of stages.
    no_stages = "_no_stages" if not package.places_stages else ""
    if code in ("weakest", "strongest"):
        stage = figures["stage_index"]
        return _TEMPLATES[code + no_stages].format(
            dimension=_title(package, finding.dimension_ids[0]),
            score=_points(figures["score"]),
            stage="no stage" if not isinstance(stage, int) else names[stage],
        )
    if code == "agreement":
        level = figures["level"]
        assert isinstance(level, str)
        template = (
            "agreement_broad" if level not in ("weak", "none") else "agreement_narrow" + no_stages
        )
        label = AGREEMENT_LABELS[level]  # type: ignore[index]
        return _TEMPLATES[template].format(
            level=label.removesuffix(" agreement"),
            label=label,
            dimension=_title(package, finding.dimension_ids[0]),
        )
    template = code + no_stages if code == "interval" else code
    return _TEMPLATES[template].format(**{key: _points(value) for key, value in figures.items()})


def summary_sentences(package: Package, team: TeamAggregate) -> tuple[str, ...]:
    """The summary's findings, most important first (the order is the engine's)."""
    return tuple(finding_sentence(package, finding) for finding in team.findings)
