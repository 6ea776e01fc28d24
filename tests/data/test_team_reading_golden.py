"""The team reading of golden answer sets: splits, the leaders-against-the-rest gap, intervals,
and a summary whose first sentence is the most important thing the figures say.

divided_leadership: four executives who answer everything alike except priorities and
alignment, where the CEO and COO see clear priorities and an aligned team and the CFO and CRO
see neither. demo_round: the demo workspace's latest round (twelve people, three per role).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from app.result_view import assessment_json
from app.wording import summary_sentences
from scoring import AssessmentResult, Package
from tests.data.test_golden_operational_maturity import package, score_golden

__all__ = ["package"]  # the module-scoped fixture, shared


@pytest.fixture(scope="module")
def divided(package: Package) -> AssessmentResult:
    return score_golden(package, "divided_leadership")


@pytest.fixture(scope="module")
def demo_round(package: Package) -> AssessmentResult:
    return score_golden(package, "demo_round")


def test_a_split_on_priorities_and_alignment_comes_first(
    package: Package, divided: AssessmentResult
) -> None:
    team = divided.team
    contested = {d for d, s in team.dimension_stats.items() if s.contested}
    assert contested == {"priorities", "alignment"}
    assert team.overall_stats.contested_dimensions == ("priorities", "alignment")
    # priorities: individual scores 6.7 .. 95.8 (reactive .. scalable): no agreement at all
    priorities = team.dimension_stats["priorities"]
    assert (priorities.minimum, priorities.maximum) == (Decimal("6.7"), Decimal("95.8"))
    assert priorities.stage_span == (0, 4)
    assert priorities.agreement_level == "none"
    # every other dimension is answered identically: full agreement, a zero-width interval
    firefighting = team.dimension_stats["firefighting"]
    assert (firefighting.agreement, firefighting.agreement_level) == (1.0, "very_strong")
    assert firefighting.interval is not None
    assert firefighting.interval.low == firefighting.interval.high == Decimal("75.0")
    assert firefighting.borderline is False
    first = summary_sentences(package, team)[0]
    assert first.startswith("The team is split on two dimensions")
    assert "Priorities and direction" in first and "Leadership alignment" in first
    assert not any("aligned" in s for s in summary_sentences(package, team))
    assert team.findings[0].code == "split"
    assert "agreement" not in [f.code for f in team.findings]


def test_the_overall_interval_of_four_people_crosses_a_stage_boundary(
    divided: AssessmentResult,
) -> None:
    overall = divided.team.overall_stats
    assert overall.interval is not None
    # overall 68.1; four overall scores with SD s: half-width t(0.975, 3) = 3.182 x s / 2
    assert overall.interval.n == 4
    assert overall.interval.low < Decimal("60") <= overall.interval.high  # Managed from 60
    assert overall.borderline is True


def test_the_demo_round_names_the_leaders_against_the_rest_on_ownership(
    package: Package, demo_round: AssessmentResult
) -> None:
    team = demo_round.team
    gap = next(f for f in team.findings if f.code == "group_gap")
    assert gap.figures["attribute_id"] == "role"
    assert gap.figures["group"] == package.questionnaire.attributes[0].values[0].label
    assert (gap.figures["group_n"], gap.figures["rest_n"]) == (3, 9)
    # executives score Ownership 69.4; the other nine 35.7 (individual contributors 27.8)
    scores = {d: (mine, theirs) for d, mine, theirs in gap.figures["scores"]}
    assert scores["ownership"] == (Decimal("69.4"), Decimal("35.7"))
    assert "ownership" in gap.dimension_ids
    sentences = summary_sentences(package, team)
    assert [f.code for f in team.findings][:2] == ["split", "group_gap"]
    assert "Ownership and accountability 69.4 against 35.7" in sentences[1]
    groups = {g.label: g.dimensions["ownership"] for b in team.breakdowns for g in b.groups}
    assert groups["Individual contributor"] == Decimal("27.8")


@pytest.mark.parametrize("name", ["divided_leadership", "demo_round"])
def test_client_facing_text_names_no_item_and_no_unit_value(package: Package, name: str) -> None:
    result = score_golden(package, name)
    texts = [
        *summary_sentences(package, result.team),
        *(
            step
            for d in assessment_json(package, result)["dimensions"]
            for step in d["stage"]["explanation"]
        ),
        *assessment_json(package, result)["overall"]["stage"]["explanation"],
        *(r["reason"] for r in assessment_json(package, result)["recommendations"]),
    ]
    ids = re.compile(r"\b(" + "|".join(map(re.escape, package.items)) + r")\b")
    for text in texts:
        assert not ids.search(text), text
        assert not re.search(r"\b0\.\d\d\b", text), text
        assert "stage(s)" not in text
