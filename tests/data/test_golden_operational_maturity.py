"""Golden answer sets for operational-maturity 1.0.0, with every expected figure worked out by hand.

How to read the arithmetic: a scale option is worth its position over four (first 0, second
.25, third .5, fourth .75, fifth 1). Other kinds: ff_unplanned_share by band (<=10 -> 1,
<=20 -> .75, <=35 -> .5, <=50 -> .25, above -> 0); ff_ceo_rescue is reverse-keyed (yes 0,
no 1); other yes/no items yes 1, no 0; cad_one_to_ones rarely 0 / on_request .25 / monthly
.6 / weekly_or_fortnightly 1; pri_count none 0 / >10 .1 / 6-10 .4 / 4-5 .8 / 1-3 1;
tr_customer_escalations weekly 0 / few .35 / monthly .65 / rarely 1; proc_practices .2 per
practice chosen. Every item weighs 1 and every dimension weighs 1, so a dimension's score is
the plain mean of its counted items x 100, rounded half up to one decimal; N/A, "don't know",
skipped and hidden items do not count. The overall score is the mean of the eight dimension
raws. Stages: reactive < 20 <= emerging < 40 <= structured < 60 <= managed < 80 <= scalable,
then the gates: firefighting needs ff_unplanned_share >= .75 for scalable; overall needs
own_priority_owner and cad_leadership_meeting >= .75 for managed and proc_documented >= .75
for scalable; overall at most one stage above the weakest dimension. Quadrant axes:
operations = firefighting, cadence, process, visibility; execution = ownership, priorities,
alignment, trust; an axis is high from 50. A team's dimension score is the mean of its
respondents' dimension scores.

Recommendation priority = impact (low 1, medium 2, high 3) x (1 + stage gap) / effort (same
points); the gap is 1 with no target. Ties go to the weaker dimension (lower percent of its
possible score), then the shorter horizon, then the id in alphabetical order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from app.answers_file import read_answers_file
from app.catalog import load_catalog
from scoring import AssessmentResult, Package, RespondentAnswers, score_assessment
from tests.conftest import QUESTIONNAIRES

GOLDEN = Path(__file__).resolve().parent / "golden"

DIMENSIONS = (
    "firefighting",
    "ownership",
    "cadence",
    "priorities",
    "process",
    "visibility",
    "alignment",
    "trust",
)


@dataclass(frozen=True)
class Expected:
    dimensions: dict[str, tuple[str, str]]  # dimension id -> (score, stage id)
    overall: tuple[str, str]
    quadrant: str
    top_recommendations: tuple[str, ...]
    overall_decided_by: str = "threshold"
    notes: dict[str, str] = field(default_factory=dict)


EXPECTED: dict[str, Expected] = {
    # firefighting: (0 + 0 [60% > 50] + .25 + 0 + 0 + 0 [yes, reversed]) / 6 = .25/6 = .0417
    #   -> 4.2 reactive
    # ownership: (.25 + 0 + .25 + .25 + .25 + 0) / 6 = 1/6 = .1667 -> 16.7 reactive
    # cadence: no_meeting hides cad_meeting_outcome; (0 + .25 + .25 + .25 + .25 [on_request]) / 5
    #   = .2 -> 20.0, exactly on the threshold -> emerging
    # priorities: (.1 + 0 + 0 + 0 + 0 + 0) / 6 = .0167 -> 1.7 reactive
    # process: all first options, practices [none_of_these] = 0 -> 0.0 reactive
    # visibility: (0 + 0 + .25 + 0 + 0 + 0) / 6 = .0417 -> 4.2 reactive
    # alignment: (.25 + 0 + .25 + .25 + .25 + .25) / 6 = 1.25/6 = .2083 -> 20.8 emerging
    # trust: (.25 + .25 + .25 + 0 + .5 + 0) / 6 = .2083 -> 20.8 emerging (the text item is unscored)
    # overall: (.0417 + .1667 + .2 + .0167 + 0 + .0417 + .2083 + .2083) / 8 = .8833/8 = .1104
    #   -> 11.0 reactive
    # quadrant: operations (4.17 + 20 + 0 + 4.17) / 4 = 7.1; execution (16.67 + 1.67 + 20.83
    #   + 20.83) / 4 = 15.0; both below 50 -> low/low
    # recommendations (all gaps 1, so priority = impact x 2 / effort): the high-impact,
    #   low-effort 30-day actions score 6: ff-triage-rule, own-name-per-initiative,
    #   pri-write-top-three, vis-first-scorecard, tr-tell-customers-early (trust is at
    #   emerging), and the fired triggers trig-heroics-rewarded, trig-unplanned-majority,
    #   trig-too-many-priorities, trig-numbers-disputed, trig-disagreement-outside-room.
    #   Ties go to the weaker dimension: priorities (1.7) has two, then firefighting and
    #   visibility tie at 4.17 and ff-triage-rule wins by id.
    "firefighting_startup": Expected(
        dimensions={
            "firefighting": ("4.2", "reactive"),
            "ownership": ("16.7", "reactive"),
            "cadence": ("20.0", "emerging"),
            "priorities": ("1.7", "reactive"),
            "process": ("0.0", "reactive"),
            "visibility": ("4.2", "reactive"),
            "alignment": ("20.8", "emerging"),
            "trust": ("20.8", "emerging"),
        },
        overall=("11.0", "reactive"),
        quadrant="operations_low_execution_low",
        top_recommendations=("pri-write-top-three", "trig-too-many-priorities", "ff-triage-rule"),
    ),
    # firefighting: (.75 + .75 [15%] + .75 + .75 + .75 + 1 [no]) / 6 = 4.75/6 = .7917
    #   -> 79.2 managed
    # ownership: (.5 + .5 + .75 + 0 + .5 + 0) / 6 = 2.25/6 = .375 -> 37.5 emerging
    # cadence: (.75 + .75 + .75 + .75 + .5 + .6) / 6 = 4.1/6 = .6833 -> 68.3 managed
    # priorities: (.4 + .5 + .5 + .25 + .25 + 0) / 6 = 1.9/6 = .3167 -> 31.7 emerging
    # process: (.75 x 5 + .8 [four practices]) / 6 = 4.55/6 = .7583 -> 75.8 managed
    # visibility: (.75 x 5 + 1) / 6 = 4.75/6 -> 79.2 managed
    # alignment: (.25 + .25 + .5 + .5 + .5 + .25) / 6 = 2.25/6 -> 37.5 emerging
    # trust: (.5 + .25 + .5 + .5 + .5 + .65) / 6 = 2.9/6 = .4833 -> 48.3 structured
    # overall: (.7917 + .375 + .6833 + .3167 + .7583 + .7917 + .375 + .4833) / 8 = 4.575/8
    #   = .5719 -> 57.2 structured (weakest is emerging, cap structured: no change)
    # quadrant: operations (79.17 + 68.33 + 75.83 + 79.17) / 4 = 75.6 high; execution
    #   (37.5 + 31.67 + 37.5 + 48.33) / 4 = 38.75 low
    # recommendations, target managed everywhere: the four operations dimensions already
    #   meet it (gap 0, no actions). ownership, priorities, alignment: gap 2, so x 3;
    #   trust: gap 1. pri-one-in-one-out (high/low) = 3 x 3 / 1 = 9; triggers
    #   trig-cross-team-unowned (own_cross_team = nobody) and trig-disagreement-outside-room
    #   (quiet_own_way) also 3 x 3 / 1 = 9; all 30 days; next best is 6.
    "efficient_but_stalled": Expected(
        dimensions={
            "firefighting": ("79.2", "managed"),
            "ownership": ("37.5", "emerging"),
            "cadence": ("68.3", "managed"),
            "priorities": ("31.7", "emerging"),
            "process": ("75.8", "managed"),
            "visibility": ("79.2", "managed"),
            "alignment": ("37.5", "emerging"),
            "trust": ("48.3", "structured"),
        },
        overall=("57.2", "structured"),
        quadrant="operations_high_execution_low",
        top_recommendations=(
            "pri-one-in-one-out",
            "trig-cross-team-unowned",
            "trig-disagreement-outside-room",
        ),
    ),
    # firefighting: (.25 + .25 [45%] + .25 + .25 + .25 + 0 [yes]) / 6 = 1.25/6 -> 20.8 emerging
    # ownership: (.75 + .75 + .75 + .75 + .75 + 1) / 6 = 4.75/6 -> 79.2 managed
    # cadence: (.5 + .5 + .75 + .25 + .25 + .25) / 6 = 2.5/6 = .4167 -> 41.7 structured
    # priorities: (1 + .75 + .75 + .75 + .75 + 1) / 6 = 5/6 = .8333 -> 83.3 scalable
    # process: (0 + .25 + .25 + .25 + .25 + .2) / 6 = 1.2/6 = .2 -> 20.0 emerging (exactly
    #   on the threshold; the float sum is a hair below .2, which the engine must not let
    #   move the stage)
    # visibility: (.25 + .25 + .5 + .25 + .25 + 0) / 6 = 1.5/6 = .25 -> 25.0 emerging
    # alignment: .75 x 6 / 6 -> 75.0 managed
    # trust: (.5 + .75 + .5 + .5 + .75 + .35) / 6 = 3.35/6 = .5583 -> 55.8 structured
    # overall: (.2083 + .7917 + .4167 + .8333 + .2 + .25 + .75 + .5583) / 8 = 4.0083/8
    #   = .5010 -> 50.1 structured (weakest emerging, cap structured: no change)
    # quadrant: operations (20.83 + 41.67 + 20 + 25) / 4 = 26.9 low; execution (79.17 +
    #   83.33 + 75 + 55.83) / 4 = 73.3 high
    # recommendations (gap 1; priorities is at the top stage and gets none): 6 points for
    #   cad-issues-first-agenda (structured -> managed), proc-process-owners, tr-on-time-measure
    #   and vis-early-warning-numbers, all 30 days; the weaker dimension first: process 20.0,
    #   visibility 25.0, cadence 41.7 (trust 55.8 comes fourth).
    "driven_but_fragile": Expected(
        dimensions={
            "firefighting": ("20.8", "emerging"),
            "ownership": ("79.2", "managed"),
            "cadence": ("41.7", "structured"),
            "priorities": ("83.3", "scalable"),
            "process": ("20.0", "emerging"),
            "visibility": ("25.0", "emerging"),
            "alignment": ("75.0", "managed"),
            "trust": ("55.8", "structured"),
        },
        overall=("50.1", "structured"),
        quadrant="operations_low_execution_high",
        top_recommendations=(
            "proc-process-owners",
            "vis-early-warning-numbers",
            "cad-issues-first-agenda",
        ),
    ),
    # firefighting: (1 + .5 [25%] + 1 + 1 + 1 + 1) / 6 = 5.5/6 = .9167 -> 91.7, which would be
    #   scalable, but the gate needs ff_unplanned_share >= .75 and it is .5 -> managed
    # ownership: all top answers -> 100.0 scalable
    # cadence: (1 + 1 + 1 + 1 + .75 + 1) / 6 = 5.75/6 -> 95.8 scalable
    # priorities: (.8 + 1 + 1 + 1 + .75 + 1) / 6 = 5.55/6 = .925 -> 92.5 scalable
    # process: (1 + 1 + .75 + .75 + 1 + 1 [five practices, capped at 1]) / 6 = 5.5/6
    #   -> 91.7 scalable
    # visibility: (1 + 1 + 1 + 1 + .75 + 1) / 6 -> 95.8 scalable
    # alignment: (1 + 1 + .75 + 1 + 1 + 1) / 6 -> 95.8 scalable
    # trust: (1 + 1 + .75 + .75 + 1 + 1) / 6 -> 91.7 scalable
    # overall: (.9167 + 1 + .9583 + .925 + .9167 + .9583 + .9583 + .9167) / 8 = 7.55/8
    #   = .94375 -> 94.4 scalable; own_priority_owner 1, cad_leadership_meeting 1 and
    #   proc_documented 1 pass their gates; weakest is managed, cap scalable -> scalable
    # recommendations: only firefighting is below its next stage: managed -> scalable
    #   ff-unplanned-target 2 x 2 / 1 = 4, ff-prevention-budget 3 x 2 / 2 = 3,
    #   ff-duty-rotation 2 x 2 / 3 = 1.33; no trigger fires, so these are all.
    "disciplined_company": Expected(
        dimensions={
            "firefighting": ("91.7", "managed"),
            "ownership": ("100.0", "scalable"),
            "cadence": ("95.8", "scalable"),
            "priorities": ("92.5", "scalable"),
            "process": ("91.7", "scalable"),
            "visibility": ("95.8", "scalable"),
            "alignment": ("95.8", "scalable"),
            "trust": ("91.7", "scalable"),
        },
        overall=("94.4", "scalable"),
        quadrant="operations_high_execution_high",
        top_recommendations=("ff-unplanned-target", "ff-prevention-budget", "ff-duty-rotation"),
    ),
    # Shared by all four: firefighting (.75 + .75 + .75 + .5 + .75 + 1) / 6 = .75 -> 75.0;
    #   ownership (.5 + .75 + .75 + .75 + .75 + 1) / 6 = .75 -> 75.0; cadence (.75 x 5 + .6)
    #   / 6 = 4.35/6 = .725 -> 72.5; process (.75 + .75 + .75 + .5 + .75 + .6) / 6 = 4.1/6
    #   -> 68.3; visibility (.75 x 4 + .5 + 1) / 6 = .75 -> 75.0; trust (.75 x 5 + .65) / 6
    #   = 4.4/6 -> 73.3 - all managed.
    # priorities by respondent: ceo (1 + 1 + 1 + 1 + .75 + 1) = 5.75; coo (.8 + .75 + .75 +
    #   .75 + .75 + 1) = 4.8; cfo (.1 + .25 + .25 + .25 + .25 + 0) = 1.1; cro (.4 + 0 + 0 + 0
    #   + 0 + 0) = .4; team = (5.75 + 4.8 + 1.1 + .4) / 6 / 4 = .5021 -> 50.2 structured
    # alignment by respondent: ceo 5.75, coo 4.5, cfo (.25 + 0 + .5 + .25 + .5 + .25) = 1.75,
    #   cro (0 + .25 + .25 + .5 + .25 + 0) = 1.25; team = 13.25 / 6 / 4 = .5521 -> 55.2 structured
    # overall: (.75 + .75 + .725 + .5021 + .6833 + .75 + .5521 + .7333) / 8 = 5.4458/8 = .6807
    #   -> 68.1, which reaches managed, but own_priority_owner is .5 (< .75) for everyone, so
    #   the requires_items gate holds the company at structured.
    # quadrant: operations (75 + 72.5 + 68.33 + 75) / 4 = 72.7 high; execution (75 + 50.21 +
    #   55.21 + 73.33) / 4 = 63.4 high: the averages hide the split.
    # recommendations (gap 1): trig-disagreement-outside-room fires because 2 of 4 answers
    #   (cfo outside_room, cro quiet_own_way) match, exactly the .5 min_share: 3 x 2 / 1 = 6.
    #   Next are the medium/low actions at 4 points, the weaker dimension first: priorities
    #   (50.2) pri-not-doing-list, then alignment (55.2) aln-risk-round (30 days before 60).
    "divided_leadership": Expected(
        dimensions={
            "firefighting": ("75.0", "managed"),
            "ownership": ("75.0", "managed"),
            "cadence": ("72.5", "managed"),
            "priorities": ("50.2", "structured"),
            "process": ("68.3", "managed"),
            "visibility": ("75.0", "managed"),
            "alignment": ("55.2", "structured"),
            "trust": ("73.3", "managed"),
        },
        overall=("68.1", "structured"),
        overall_decided_by="requires_items",
        quadrant="operations_high_execution_high",
        top_recommendations=(
            "trig-disagreement-outside-room",
            "pri-not-doing-list",
            "aln-risk-round",
        ),
    ),
    # firefighting: ff_unplanned_share and ff_ceo_rescue are "don't know" and left out;
    #   (.75 + .75 + .75 + .5) / 4 = .6875 -> 68.75, half up -> 68.8 managed
    # ownership: own_cross_team N/A (excluded), two items skipped; (.75 + .75 + .75) / 3
    #   -> 75.0 managed
    # cadence: cad_team_rhythm N/A, two skipped; (.75 + .75 + .75) / 3 -> 75.0 managed
    # priorities: pri_known_below "don't know", one skipped; (.8 + .75 + .5 + 0) / 4 = .5125
    #   -> 51.25, half up -> 51.3 structured
    # process: proc_handoffs N/A, one skipped; (.5 + .5 + .5 + .4) / 4 = .475 -> 47.5 structured
    # visibility: one "don't know", two skipped; (.5 + .5 + 0) / 3 = .3333 -> 33.3 emerging
    # alignment: two skipped; (.75 x 4) / 4 -> 75.0 managed
    # trust: two N/A, one "don't know", one skipped; (.75 + .75) / 2 -> 75.0 managed
    # overall: (.6875 + .75 + .75 + .5125 + .475 + .3333 + .75 + .75) / 8 = 5.0083/8 = .6260
    #   -> 62.6, which reaches managed, and both managed gate items are .75; but visibility is
    #   at emerging and the weakest link caps the overall stage at structured.
    # completeness: 11 of the 48 required items skipped (N/A and "don't know" count as
    #   answers): 37/48 = .771 < .8 -> provisional.
    # quadrant: operations (68.75 + 75 + 47.5 + 33.33) / 4 = 56.1 high; execution (75 + 51.25
    #   + 75 + 75) / 4 = 69.1 high
    # recommendations (gap 1, no trigger fires: N/A, "don't know" and skipped answers never
    #   match): vis-early-warning-numbers (emerging -> structured, high/low) 6; then 4 points,
    #   the weaker dimension first: process (47.5) proc-quarterly-owner-review, then
    #   priorities (51.3) pri-not-doing-list.
    "partial_with_na": Expected(
        dimensions={
            "firefighting": ("68.8", "managed"),
            "ownership": ("75.0", "managed"),
            "cadence": ("75.0", "managed"),
            "priorities": ("51.3", "structured"),
            "process": ("47.5", "structured"),
            "visibility": ("33.3", "emerging"),
            "alignment": ("75.0", "managed"),
            "trust": ("75.0", "managed"),
        },
        overall=("62.6", "structured"),
        overall_decided_by="weakest_link",
        quadrant="operations_high_execution_high",
        top_recommendations=(
            "vis-early-warning-numbers",
            "proc-quarterly-owner-review",
            "pri-not-doing-list",
        ),
    ),
}


@pytest.fixture(scope="module")
def package() -> Package:
    return load_catalog(QUESTIONNAIRES).get("operational-maturity", "1.0.0")


def score_golden(package: Package, name: str) -> AssessmentResult:
    document = read_answers_file(GOLDEN / f"{name}.yaml")
    assert (document.questionnaire_id, document.version) == ("operational-maturity", "1.0.0")
    return score_assessment(
        package,
        document.respondent_answers,
        targets=document.target_stages,
        anonymity_k=document.anonymity_k,
    )


# Golden files exported from generated data rather than worked out by hand, each checked by
# its own module: demo_round by tests/data/test_demo_round_golden.py.
EXPORTED = ("demo_round",)


def test_every_golden_file_has_an_expectation() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.yaml")) == sorted([*EXPECTED, *EXPORTED])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_dimension_scores_and_stages(package: Package, name: str) -> None:
    expected = EXPECTED[name]
    result = score_golden(package, name)
    got = {
        d.dimension_id: (str(d.score), d.stage.stage_id if d.stage else None)
        for d in result.team.dimensions
    }
    assert tuple(got) == DIMENSIONS
    assert got == expected.dimensions


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_overall_stage_and_quadrant(package: Package, name: str) -> None:
    expected = EXPECTED[name]
    result = score_golden(package, name)
    overall = result.team.overall
    assert (str(overall.score), overall.stage.stage_id) == expected.overall
    assert overall.stage.decided_by == expected.overall_decided_by
    assert result.team.quadrant is not None
    assert result.team.quadrant.quadrant_id == expected.quadrant


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_top_three_recommendations(package: Package, name: str) -> None:
    result = score_golden(package, name)
    top = tuple(r.recommendation.id for r in result.recommendations[:3])
    assert top == EXPECTED[name].top_recommendations


def test_firefighting_gate_holds_back_an_otherwise_scalable_dimension(package: Package) -> None:
    result = score_golden(package, "disciplined_company")
    firefighting = result.team.dimensions[0]
    assert firefighting.stage is not None
    assert firefighting.stage.decided_by == "requires_items"
    # Only firefighting is below its next stage, and no trigger fires: exactly its three actions.
    assert [r.recommendation.id for r in result.recommendations] == [
        "ff-unplanned-target",
        "ff-prevention-budget",
        "ff-duty-rotation",
    ]


def test_efficient_but_stalled_targets(package: Package) -> None:
    result = score_golden(package, "efficient_but_stalled")
    gaps = {gap.subject: (gap.stage_gap, gap.met) for gap in result.targets}
    # Target managed: operations dimensions meet it; ownership/priorities/alignment are two
    # stages short, trust one, and the whole company (structured) one.
    assert gaps == {
        "firefighting": (0, True),
        "ownership": (2, False),
        "cadence": (0, True),
        "priorities": (2, False),
        "process": (0, True),
        "visibility": (0, True),
        "alignment": (2, False),
        "trust": (1, False),
        "overall": (1, False),
    }
    # The three top actions score impact 3 x (1 + 2) / effort 1 = 9.
    assert [r.priority for r in result.recommendations[:3]] == [9.0, 9.0, 9.0]
    assert result.recommendations[3].priority < 9.0


def test_divided_leadership_disputed_items(package: Package) -> None:
    result = score_golden(package, "divided_leadership")
    disputed = result.disputed_items
    # pri_direction_written splits 2-2 on yes/no: values 1, 1, 0, 0, mean .5, sample variance
    # 4 x .25 / 3 = .3333, sd .5774; rwg = 1 - .3333 / .25 (uniform variance of two values)
    # < 0, truncated to 0. The scale items answered 1, .75, .25, 0 have sample variance
    # .625 / 3 = .2083, sd .4564, rwg = 1 - .2083 / .125 < 0 -> 0; ties go by id.
    assert [s.item_id for s in disputed] == [
        "pri_direction_written",
        "aln_conflicting_instructions",
        "aln_disagreement",
        "aln_same_list",
        "pri_known_below",
    ]
    assert disputed[0].sd == pytest.approx((1 / 3) ** 0.5)
    assert disputed[1].sd == pytest.approx((0.625 / 3) ** 0.5)
    assert {s.rwg for s in disputed} == {0.0}
    # Items everyone answered alike are never disputed.
    assert result.team.item_stats["own_priority_owner"].sd == 0.0
    # aln_goal_conflict (.75, .75, .25, .5) agrees more: variance .171875 / 3 = .0573,
    # rwg = 1 - .0573 / .125 = .5417
    assert result.team.item_stats["aln_goal_conflict"].rwg == pytest.approx(
        1 - 0.171875 / 3 / 0.125
    )


def test_divided_leadership_averages_hide_the_split(package: Package) -> None:
    result = score_golden(package, "divided_leadership")
    by_respondent = {
        r.respondent_id: {d.dimension_id: d.score for d in r.dimensions} for r in result.respondents
    }
    # priorities: ceo 5.75/6 -> 95.8, cro .4/6 -> 6.7; alignment: ceo 95.8, cro 1.25/6 -> 20.8
    assert by_respondent["ceo"]["priorities"] == Decimal("95.8")
    assert by_respondent["cro"]["priorities"] == Decimal("6.7")
    assert by_respondent["ceo"]["alignment"] == Decimal("95.8")
    assert by_respondent["cro"]["alignment"] == Decimal("20.8")


def test_partial_response_is_provisional(package: Package) -> None:
    result = score_golden(package, "partial_with_na")
    assert result.team.completeness == pytest.approx(37 / 48)
    assert result.team.provisional
    respondent = result.respondents[0]
    statuses = {item_id: answer.status for item_id, answer in respondent.answers.items()}
    assert statuses["own_cross_team"] == "na"
    assert statuses["ff_unplanned_share"] == "dont_know"
    assert statuses["own_follow_through"] == "missing"
    assert statuses["tr_one_change"] == "missing"  # optional text, not counted as required


def test_hidden_item_is_not_scored(package: Package) -> None:
    result = score_golden(package, "firefighting_startup")
    answer = result.respondents[0].answers["cad_meeting_outcome"]
    assert (answer.status, answer.value) == ("hidden", None)
    assert result.team.completeness == pytest.approx(1.0)  # 47 shown required items, all answered


def test_quick_check_reads_the_startup_roughly_the_same_way() -> None:
    """The start-up's answers to the twelve quick-check items, scored on the short form.

    firefighting (0 + 0 [60%]) / 2 -> 0.0 reactive; ownership (.25 + .25) / 2 -> 25.0
    emerging; cadence: no_meeting hides the second item, 0 -> 0.0 reactive; priorities,
    process, visibility, alignment 0 -> reactive; trust .25 -> 25.0 emerging. Overall
    (.25 + .25) / 8 = .0625 -> 6.25, half up -> 6.3 reactive; quadrant low/low.
    Recommendations (gap 1): 6 points for the high/low 30-day actions - aln-disagreement-rules,
    cad-weekly-meeting, ff-triage-rule, pri-write-top-three, vis-first-scorecard,
    tr-tell-customers-early and the triggers on quick-check items that fire
    (trig-disagreement-outside-room, trig-unplanned-majority); the first three by id win.
    Triggers on items the short form does not ask (ff_heroics, pri_count, ...) never fire.
    """
    catalog = load_catalog(QUESTIONNAIRES)
    quick = catalog.get("quick-check", "1.0.0")
    document = read_answers_file(GOLDEN / "firefighting_startup.yaml")
    (startup,) = document.respondent_answers
    answers = {k: v for k, v in startup.answers.items() if k in quick.items}
    assert len(answers) == 11  # cad_meeting_outcome was hidden, so never answered
    result = score_assessment(
        quick, [RespondentAnswers("ceo", answers, dict(startup.attributes))], anonymity_k=1
    )
    got = {
        d.dimension_id: (str(d.score), d.stage.stage_id) for d in result.team.dimensions if d.stage
    }
    assert got == {
        "firefighting": ("0.0", "reactive"),
        "ownership": ("25.0", "emerging"),
        "cadence": ("0.0", "reactive"),
        "priorities": ("0.0", "reactive"),
        "process": ("0.0", "reactive"),
        "visibility": ("0.0", "reactive"),
        "alignment": ("0.0", "reactive"),
        "trust": ("25.0", "emerging"),
    }
    assert (str(result.team.overall.score), result.team.overall.stage.stage_id) == (
        "6.3",
        "reactive",
    )
    assert result.team.quadrant is not None
    assert result.team.quadrant.quadrant_id == "operations_low_execution_low"
    ids = [r.recommendation.id for r in result.recommendations]
    assert ids[:3] == ["aln-disagreement-rules", "cad-weekly-meeting", "ff-triage-rule"]
    assert "trig-heroics-rewarded" not in ids
