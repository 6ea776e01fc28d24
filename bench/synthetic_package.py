"""Generated packages with three respondent attributes, and random answers, for benchmarks: a
50-item one with 8 dimensions, and a 200-item one in three levels with a roll-up per level.

The package is built with `build_package` from plain mappings, so the same definition loads
on any commit whose scoring accepts these fields (bench/scoring_compare.py relies on that).
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from scoring import Package, build_package

DIMENSIONS = 8
ITEMS = 50
# The three-level package: functions, each with practices, each with streams of items.
FUNCTIONS = 5
PRACTICES = 4
STREAMS = 2
STREAM_ITEMS = 5
THREE_LEVEL_ITEMS = FUNCTIONS * PRACTICES * STREAMS * STREAM_ITEMS  # 200
STAGES = ["s1", "s2", "s3", "s4", "s5"]
ATTRIBUTES = {
    "role": ("exec", "manager", "ic"),
    "function": ("operations", "finance", "sales", "product", "people"),
    "tenure": ("under_1y", "one_to_3y", "over_3y"),
}


def _item(index: int) -> dict[str, Any]:
    item_id = f"i{index:02d}"
    if index % 10 == 3:
        return {
            "id": item_id,
            "kind": "percentage",
            "prompt": f"Share {index}?",
            "reverse": True,
            "bands": [{"max": 10, "value": 0}, {"max": 30, "value": 0.5}, {"value": 1}],
        }
    if index % 10 == 7:
        return {
            "id": item_id,
            "kind": "multi_choice",
            "prompt": f"Which {index}?",
            "options": [{"id": f"o{k}", "label": f"Practice {k}", "value": 0.25} for k in range(4)],
        }
    return {
        "id": item_id,
        "kind": "scale",
        "prompt": f"How {index}?",
        "allow_na": index % 5 == 0,
        "options": [{"id": f"l{k}", "label": f"Level {k}"} for k in range(5)],
    }


def synthetic_package() -> Package:
    dimensions = [
        {
            "id": f"d{d}",
            "title": f"Dimension {d}",
            "axis": "operations" if d % 2 else "execution",
            "items": [_item(i) for i in range(ITEMS) if i % DIMENSIONS == d],
        }
        for d in range(DIMENSIONS)
    ]
    thresholds = {s: 20 * (i + 1) for i, s in enumerate(STAGES[1:])}
    return build_package(
        _questionnaire("bench", "Bench", dimensions),
        _stage_model("bench-stages", "Bench stages", thresholds),
        _library([f"d{d}" for d in range(DIMENSIONS)]),
    )


def three_level_package() -> Package:
    """A generated 200-item package in three levels, as SAMM-like models are built: FUNCTIONS
    top-level dimensions (their axes alternate), each with PRACTICES practices, each with STREAMS
    streams of STREAM_ITEMS items. Functions average their practices, practices their streams,
    streams sum their items (so scores are points, 0 to 5), and an unanswered item counts as
    zero."""
    numbers = itertools.count()

    def stream(f: int, p: int, s: int) -> dict[str, Any]:
        items = [_item(next(numbers)) for _ in range(STREAM_ITEMS)]
        return {"id": f"f{f}-p{p}-s{s}", "title": f"Stream {f}.{p}.{s}", "items": items}

    functions = [
        {
            "id": f"f{f}",
            "title": f"Function {f}",
            "axis": "operations" if f % 2 else "execution",
            "dimensions": [
                {
                    "id": f"f{f}-p{p}",
                    "title": f"Practice {f}.{p}",
                    "dimensions": [stream(f, p, s) for s in range(STREAMS)],
                }
                for p in range(PRACTICES)
            ],
        }
        for f in range(FUNCTIONS)
    ]
    thresholds = {s: i + 1 for i, s in enumerate(STAGES[1:])}  # points: a stream's 0 to 5
    stage_model = _stage_model("bench-3-levels-stages", "Bench stages in points", thresholds)
    stage_model.update(
        rollup="mean",
        rollup_levels=["mean", "mean", "sum"],
        missing_answers={"mode": "zero"},
        rounding={"decimals": 2},
    )
    return build_package(
        _questionnaire("bench-3-levels", "Bench in three levels", functions),
        stage_model,
        _library([f"f{f}" for f in range(FUNCTIONS)]),
    )


def _questionnaire(
    questionnaire_id: str, title: str, dimensions: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "id": questionnaire_id,
        "version": "1.0.0",
        "title": title,
        "dimensions": dimensions,
        "attributes": [
            {
                "id": attribute_id,
                "label": attribute_id.title(),
                "values": [{"id": v, "label": v} for v in values],
            }
            for attribute_id, values in ATTRIBUTES.items()
        ],
    }


def _stage_model(model_id: str, title: str, thresholds: dict[str, int]) -> dict[str, Any]:
    return {
        "id": model_id,
        "version": "1.0.0",
        "title": title,
        "stages": [{"id": s, "name": s.upper(), "summary": s} for s in STAGES],
        "thresholds": {"overall": thresholds, "dimension_default": thresholds},
        "gates": [
            {"kind": "weakest_link"},
            {"kind": "requires_items", "stage": "s4", "items": [{"item": "i00", "min_value": 0.5}]},
        ],
        "quadrants": {
            "midpoint": 50,
            **{
                q: {"name": q}
                for q in (
                    "operations_low_execution_low",
                    "operations_high_execution_low",
                    "operations_low_execution_high",
                    "operations_high_execution_high",
                )
            },
        },
    }


def _library(dimension_ids: list[str]) -> dict[str, Any]:
    recommendations: list[dict[str, object]] = [
        {
            "id": f"r-{dimension_id}-{a}-{k}",
            "title": "Act",
            "dimension": dimension_id,
            "from_stage": a,
            "to_stage": b,
            "rationale": "Because.",
            "owner_role": "COO",
            "horizon": (30, 60, 90)[k],
            "effort": "medium",
            "impact": "high",
        }
        for dimension_id in dimension_ids
        for a, b in itertools.pairwise(STAGES)
        for k in range(3)
    ]
    recommendations.append(
        {
            "id": "trigger",
            "title": "Act now",
            "trigger": {"item": "i01", "value_at_most": 0.25},
            "rationale": "Because.",
            "owner_role": "CEO",
            "horizon": 30,
            "effort": "low",
            "impact": "high",
        }
    )
    return {"id": "bench-library", "version": "1.0.0", "recommendations": recommendations}


def random_answers(
    package: Package, rng: random.Random, blank_share: float = 0.0
) -> dict[str, object]:
    """An answer to every item, but each left blank with probability `blank_share`."""
    answers: dict[str, object] = {}
    for item_id, item in package.items.items():
        if blank_share and rng.random() < blank_share:
            continue
        options = item.option_ids()
        if item.kind == "percentage":
            answers[item_id] = rng.uniform(0, 100)
        elif item.kind == "multi_choice":
            answers[item_id] = rng.sample(options, rng.randint(0, len(options)))
        elif item.allow_na and rng.random() < 0.1:
            answers[item_id] = "na"
        else:
            answers[item_id] = rng.choice(options)
    return answers


def random_attributes(rng: random.Random, blank_share: float = 0.2) -> dict[str, str]:
    """Every declared attribute, each left blank with probability `blank_share`, as people do."""
    return {
        attribute_id: rng.choice(values)
        for attribute_id, values in ATTRIBUTES.items()
        if rng.random() >= blank_share
    }
