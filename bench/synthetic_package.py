"""A generated 50-item, 8-dimension package with three respondent attributes, and random
answers, for benchmarks.

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
    questionnaire = {
        "id": "bench",
        "version": "1.0.0",
        "title": "Bench",
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
    thresholds = {s: 20 * (i + 1) for i, s in enumerate(STAGES[1:])}
    stage_model = {
        "id": "bench-stages",
        "version": "1.0.0",
        "title": "Bench stages",
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
    recommendations: list[dict[str, object]] = [
        {
            "id": f"r-d{d}-{a}-{k}",
            "title": "Act",
            "dimension": f"d{d}",
            "from_stage": a,
            "to_stage": b,
            "rationale": "Because.",
            "owner_role": "COO",
            "horizon": (30, 60, 90)[k],
            "effort": "medium",
            "impact": "high",
        }
        for d in range(DIMENSIONS)
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
    library = {"id": "bench-library", "version": "1.0.0", "recommendations": recommendations}
    return build_package(questionnaire, stage_model, library)


def random_answers(package: Package, rng: random.Random) -> dict[str, object]:
    answers: dict[str, object] = {}
    for item_id, item in package.items.items():
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
