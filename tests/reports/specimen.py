"""A standard-sized specimen assessment for report tests and the report benchmark.

The flagship package may be unfinished while it is written, so the "standard report" is built
from a generated package of the same shape: 8 dimensions of 6 items, 5 stages, recommendations
for every transition, and 12 respondents in three roles with deterministic answers.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from scoring import (
    AssessmentResult,
    Package,
    RespondentAnswers,
    Targets,
    build_package,
    score_assessment,
)

__all__ = ["specimen_answers", "specimen_assessment", "specimen_package"]

DIMENSIONS = (
    ("firefighting", "Firefighting and control", "operations"),
    ("ownership", "Ownership and accountability", "execution"),
    ("cadence", "Operating cadence", "operations"),
    ("priorities", "Priorities and direction", "execution"),
    ("process", "Process and systems", "operations"),
    ("visibility", "Visibility and metrics", "operations"),
    ("alignment", "Leadership alignment", "execution"),
    ("reliability", "Trust and reliability", "execution"),
)
STAGES = (
    ("reactive", "Reactive"),
    ("emerging", "Emerging"),
    ("structured", "Structured"),
    ("managed", "Managed"),
    ("scalable", "Scalable"),
)
LEVELS = (
    ("never", "Never, or only after a crisis", "Never"),
    ("sometimes", "Sometimes, when someone pushes for it", "Sometimes"),
    ("often", "Often, but it depends on who is involved", "Often"),
    ("usually", "Usually, as a written routine with an owner", "Usually"),
    ("always", "Always, measured and improved on a schedule", "Always"),
)
PRACTICES = (
    "Does the leadership team review {topic} at a fixed time each week?",
    "When something goes wrong in {topic}, is the cause written down and fixed?",
    "Does every piece of work in {topic} have one named owner?",
    "Are the numbers for {topic} available without anyone chasing them?",
    "Would {topic} run as usual if the CEO were away for two weeks?",
    "Are commitments made in {topic} kept on the date promised?",
)


def specimen_package(*, items_per_dimension: int = 6, text_items: bool = True) -> Package:
    questionnaire: dict[str, Any] = {
        "id": "specimen",
        "version": "1.0.0",
        "title": "Operational maturity diagnostic",
        "description": "A generated package of the flagship's shape, for report tests.",
        "attributes": [
            {
                "id": "role",
                "label": "Role",
                "values": [
                    {"id": "executive", "label": "Executive"},
                    {"id": "manager", "label": "Manager"},
                    {"id": "specialist", "label": "Specialist"},
                    {"id": "founder", "label": "Founder"},
                ],
            }
        ],
        "dimensions": [],
    }
    for dimension_id, title, axis in DIMENSIONS:
        items: list[dict[str, Any]] = [
            {
                "id": f"{dimension_id}_{n}",
                "kind": "scale",
                "prompt": PRACTICES[n % len(PRACTICES)].format(topic=title.lower()),
                "allow_dont_know": n == 4,
                "options": [
                    {"id": i, "label": label, "short_label": short} for i, label, short in LEVELS
                ],
            }
            for n in range(items_per_dimension)
        ]
        if text_items:
            items.append(
                {
                    "id": f"{dimension_id}_comment",
                    "kind": "text",
                    "prompt": f"What one change would help {title.lower()} most?",
                    "required": False,
                }
            )
        questionnaire["dimensions"].append(
            {
                "id": dimension_id,
                "title": title,
                "description": f"How the company handles {title.lower()} week to week.",
                "axis": axis,
                "items": items,
            }
        )
    thresholds = {"emerging": 25, "structured": 45, "managed": 65, "scalable": 82}
    stage_model = {
        "id": "specimen-stages",
        "version": "1.0.0",
        "title": "Specimen stages",
        "stages": [
            {
                "id": stage_id,
                "name": name,
                "summary": f"At the {name} stage the company's routines are {name.lower()}: "
                "this sentence stands in for the paragraph the flagship package gives each stage.",
                "hallmarks": [
                    f"A first hallmark of {name.lower()} work.",
                    f"A second hallmark of {name.lower()} work.",
                    f"A third hallmark of {name.lower()} work.",
                ],
                "feels_like": f"Being {name.lower()} feels like this, in a sentence or two.",
                "risk_of_staying": f"Staying {name.lower()} risks this, in a sentence or two.",
            }
            for stage_id, name in STAGES
        ],
        "thresholds": {
            "overall": thresholds,
            "dimension_default": thresholds,
            "rationale": "Each stage needs a little more than the one before.",
        },
        "gates": [{"kind": "weakest_link", "max_stages_above": 1, "rationale": "Weakest link."}],
        "quadrants": {
            "midpoint": 50,
            "operations_low_execution_low": {
                "name": "Firefighting",
                "description": "Neither holds.",
            },
            "operations_high_execution_low": {
                "name": "Well equipped",
                "description": "Systems, not delivery.",
            },
            "operations_low_execution_high": {
                "name": "Heroic",
                "description": "Delivery by effort.",
            },
            "operations_high_execution_high": {"name": "In command", "description": "Both hold."},
        },
    }
    recommendations = [
        {
            "id": f"{dimension_id}-{low}-{high}",
            "title": f"Move {title.lower()} from {low_name} to {high_name}",
            "dimension": dimension_id,
            "from_stage": low,
            "to_stage": high,
            "rationale": f"The next step for {title.lower()} is a habit that holds without pushing.",
            "steps": ["Name one owner", "Agree the weekly routine", "Review it after a month"],
            "owner_role": ("COO", "CEO", "Head of operations")[index % 3],
            "horizon": (30, 60, 90)[(index + step) % 3],
            "effort": ("low", "medium", "high")[step % 3],
            "impact": ("high", "medium", "high")[index % 3],
        }
        for index, (dimension_id, title, _) in enumerate(DIMENSIONS)
        for step, ((low, low_name), (high, high_name)) in enumerate(itertools.pairwise(STAGES))
    ]
    library = {"id": "specimen-actions", "version": "1.0.0", "recommendations": recommendations}
    return build_package(questionnaire, stage_model, library)


def specimen_answers(
    package: Package, *, respondents: int = 12, seed: int = 7
) -> list[RespondentAnswers]:
    """Deterministic answers: each dimension has a level, each person a bias, some items split."""
    rng = random.Random(seed)
    roles = ("executive", "manager", "specialist")
    levels = {d.id: rng.uniform(0.8, 3.2) for d in package.questionnaire.dimensions}
    people = []
    for person in range(respondents):
        bias = rng.uniform(-0.8, 0.8)
        answers: dict[str, object] = {}
        for dimension in package.questionnaire.dimensions:
            for n, item in enumerate(dimension.items):
                if item.kind.value == "text":
                    if person % 3 == 0:
                        answers[item.id] = (
                            f"Respondent {person + 1}'s idea for {dimension.title.lower()}."
                        )
                    continue
                if item.allow_dont_know and person % 5 == 0:
                    answers[item.id] = "dont_know"
                    continue
                split = 1.6 if n == 1 and person % 2 else 0.0  # a disputed item per dimension
                level = levels[dimension.id] + bias + split + rng.gauss(0, 0.6)
                answers[item.id] = LEVELS[max(0, min(4, round(level)))][0]
        people.append(RespondentAnswers(f"r{person + 1:02d}", answers, {"role": roles[person % 3]}))
    return people


def specimen_assessment(
    *, respondents: int = 12, with_targets: bool = True
) -> tuple[Package, AssessmentResult]:
    package = specimen_package()
    targets = Targets(overall="managed") if with_targets else None
    result = score_assessment(
        package, specimen_answers(package, respondents=respondents), targets=targets
    )
    return package, result


def generated_team(
    package: Package, *, respondents: int = 12, seed: int = 7
) -> list[RespondentAnswers]:
    """Deterministic answers to any package: a level per dimension, a bias per person, one
    split question per dimension, a few "don't know"s, and an idea typed by every third person."""
    rng = random.Random(seed)
    levels = {d.id: rng.uniform(0.15, 0.75) for d in package.questionnaire.dimensions}
    dimension_of = package.item_dimension
    people = []
    for person in range(respondents):
        bias = rng.uniform(-0.18, 0.18)
        answers: dict[str, object] = {}
        seen: dict[str, int] = {}
        for item_id, item in package.items.items():
            dimension_id = dimension_of[item_id]
            position = seen.get(dimension_id, 0)
            seen[dimension_id] = position + 1
            split = 0.35 if position == 1 and person % 2 else 0.0
            level = max(0.0, min(1.0, levels[dimension_id] + bias + split + rng.gauss(0, 0.12)))
            answers[item_id] = _answer(item, level, person, rng)
        attributes = {
            attribute.id: attribute.values[(person * (index + 1)) % len(attribute.values)].id
            for index, attribute in enumerate(package.questionnaire.attributes)
        }
        people.append(RespondentAnswers(f"respondent-{person + 1:02d}", answers, attributes))
    return people


def _answer(item: Any, level: float, person: int, rng: random.Random) -> object:
    kind = item.kind.value
    if item.allow_dont_know and person % 7 == 3:
        return "dont_know"
    if kind == "text":
        return f"Respondent {person + 1}'s suggestion." if person % 3 == 0 else None
    if kind == "yes_no":
        return level >= 0.5
    if kind in ("number", "percentage"):
        bounded = [band.max for band in item.bands if band.max is not None]
        top = (item.max or (bounded[-1] * 1.5 if bounded else 100.0)) if kind == "number" else 100.0
        value = level * top if not item.reverse else (1 - level) * top
        return round(min(top, max(item.min or 0.0, value)))
    options = list(item.options)
    if kind == "multi_choice":
        chosen = [o.id for o in options if not o.exclusive and rng.random() < level]
        return chosen or [o.id for o in options if o.exclusive][:1]
    ordered = sorted(
        options, key=lambda o: o.value if o.value is not None else options.index(o) / 9
    )
    if item.reverse:
        ordered.reverse()
    return ordered[min(len(ordered) - 1, round(level * (len(ordered) - 1)))].id


def flagship_assessment(respondents: int = 12) -> tuple[Package, AssessmentResult] | None:
    """The flagship package with a generated team, or None while it does not validate."""
    from app.catalog import CatalogError, load_catalog
    from app.settings import DEFAULT_QUESTIONNAIRES_DIR

    try:
        package = load_catalog(DEFAULT_QUESTIONNAIRES_DIR).get("operational-maturity")
    except (CatalogError, LookupError):
        return None
    team = generated_team(package, respondents=respondents)
    return package, score_assessment(
        package, team, targets=Targets(overall=package.stage_model.stages[3].id)
    )
