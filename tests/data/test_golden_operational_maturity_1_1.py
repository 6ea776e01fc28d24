"""Golden answer sets for operational-maturity 1.1.0, with every expected figure worked out by hand.

The answers are in tests/data/golden/v1_1/, written for this version (its reworded options, its
best-first lists and its new action library), not copied from 1.0.0.

How to read the arithmetic: a scale option is worth its position over four in the order the
item lists it (first 0, second .25, third .5, fourth .75, fifth 1), except on items marked
`reverse: true`, which list their options best first: there an option is worth 1 - position/4
(first 1, second .75, third .5, fourth .25, fifth 0). In 1.1.0 those are ff_urgent_issue,
own_decision_rights, own_cross_team, cad_planning_cycle, cad_team_rhythm, pri_set_how,
pri_new_request, proc_systems, proc_handoffs, vis_scorecard, vis_workload, aln_same_list,
aln_one_voice, tr_internal_promises and tr_forecasts_used; ff_ceo_rescue is a reverse yes/no
(yes 0, no 1). `negatively_worded: true` only says the stem asks the question the other way
round (ff_week_plan, cad_leadership_meeting, pri_resourced, vis_early_warning,
aln_open_problems, ...): those items still list their options worst first and score by position.
Other kinds: ff_unplanned_share by band (<=10 -> 1, <=20 -> .75, <=35 -> .5, <=50 -> .25, above
-> 0); other yes/no items yes 1, no 0; cad_one_to_ones rarely 0 / on_request .25 / monthly .6 /
weekly_or_fortnightly 1; pri_count none 0 / >10 .1 / 6-10 .4 / 4-5 .8 / 1-3 1;
tr_customer_escalations weekly 0 / few .35 / monthly .65 / rarely 1; proc_practices .2 per
practice chosen. Every item and every dimension weighs 1, so a dimension's score is the plain
mean of its counted items x 100, rounded half up to one decimal; N/A, "don't know", skipped and
hidden items do not count. The overall score is the mean of the eight dimension raws. A team's
dimension score is the mean of its respondents' dimension scores.

Stages: reactive < 20 <= emerging < 40 <= structured < 60 <= managed < 80 <= scalable, then the
gates: firefighting needs ff_unplanned_share >= .75 for scalable; overall needs
own_priority_owner and cad_leadership_meeting >= .75 for managed and proc_documented >= .75 for
scalable; overall at most one stage above the weakest dimension. Quadrant axes: operations =
firefighting, cadence, process, visibility; execution = ownership, priorities, alignment, trust;
an axis is high from 50.

Recommendation priority = impact (low 1, medium 2, high 3) x (1 + stage gap) / effort (same
points); no set has targets, so the gap is 1: a dimension below the top stage gets its next
transition's actions and a fired trigger scores impact x 2 / effort, whatever its dimension's
stage. That gives 6 (high impact, low effort), 4 (medium, low), 3 (high, medium), 2 (low/low,
medium/medium, high/high), 1.33 (medium impact, high effort) and 1 (low impact, medium effort).
The 1.1.0 library breaks ties by the weaker dimension (lower percent), then lower effort, then
the shorter horizon, then the id. The default plan (plan_actions: at most 8, at most 3 per
horizon) takes the best-ranked action of each horizon first, then the rest in rank order.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from app.answers_file import read_answers_file
from app.catalog import load_catalog
from scoring import AssessmentResult, Package, score_assessment
from tests.conftest import QUESTIONNAIRES

GOLDEN = Path(__file__).resolve().parent / "golden" / "v1_1"

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
    top_recommendations: tuple[str, ...]  # the five best, in rank order
    plan: dict[int, tuple[str, ...]]  # the default plan: horizon -> ids in rank order
    overall_decided_by: str = "threshold"


EXPECTED: dict[str, Expected] = {
    # A twelve-person agency, one team, the founder answering; own_cross_team, cad_team_rhythm,
    # proc_handoffs and tr_internal_promises are N/A and left out (those dimensions count 5).
    # firefighting: (0 [founder_fixes, last of a best-first list] + .25 [40%] + .5 + .25 + .25
    #   + 0 [yes, reversed]) / 6 = 1.25/6 = .2083 -> 20.8 emerging
    # ownership: (.25 + 0 [waits_for_ceo, last, reversed] + .25 + .25 + 0) / 5 = .75/5 = .15
    #   -> 15.0 reactive
    # cadence: dropped_when_busy (.5) shows cad_meeting_outcome; (.5 + 0 [status_updates]
    #   + .25 [ceo_alone, fourth, reversed] + .25 + .25 [on_request]) / 5 = 1.25/5 = .25
    #   -> 25.0 emerging
    # priorities: (.8 [four or five] + 0 [latest_request] + 0 [added_on_top] + 0 + .25 + 0) / 6
    #   = 1.05/6 = .175 -> 17.5 reactive
    # process: (0 + .25 + 0 + 0 [scattered, last, reversed] + .4 [two practices]) / 5 = .65/5
    #   = .13 -> 13.0 reactive
    # visibility: (.25 [late_financials, fourth, reversed] + .25 + .25 + .25 + 0 [ask_around]
    #   + 0) / 6 = 1/6 = .1667 -> 16.7 reactive
    # alignment: (.5 [order_differs, middle] + .25 + .25 [own_versions, fourth] + .25 + .25
    #   + 0 [weekly]) / 6 = 1.5/6 = .25 -> 25.0 emerging
    # trust: (.25 + .25 + .25 [check_every_line, fourth] + .25 + .35) / 5 = 1.35/5 = .27
    #   -> 27.0 emerging (the text item is unscored)
    # overall: the six-item sums (1.25 + 1.05 + 1 + 1.5) / 6 = 4.8/6 = .8 and the five-item
    #   sums (.75 + 1.25 + .65 + 1.35) / 5 = 4/5 = .8, so (.8 + .8) / 8 = .2 -> 20.0, exactly on
    #   the threshold -> emerging (the float sum may sit a hair below .2; it must not move the
    #   stage). Weakest is reactive, cap emerging: no change.
    # quadrant: operations (20.83 + 25 + 13 + 16.67) / 4 = 18.9; execution (15 + 17.5 + 25 + 27)
    #   / 4 = 21.1; both low.
    # recommendations: reactive dimensions get reactive -> emerging actions, emerging ones
    #   emerging -> structured. Triggers that fire: trig-ceo-rescues (yes), trig-status-meeting
    #   (status_updates), trig-disagreement-outside-room (quiet_own_way), all low/medium -> 4,
    #   and trig-know-how-in-heads (in_heads), medium/high -> 3; trig-cross-team-unowned cannot
    #   fire on an N/A. Percents: process 13.0 < ownership 15.0 < visibility 16.67 < priorities
    #   17.5 < firefighting 20.83 < cadence 25.0 = alignment 25.0 < trust 27.0.
    #   6: own-name-per-initiative (ownership 15.0), pri-write-top-three (17.5).
    #   4: pri-request-intake (17.5, 60 days), trig-ceo-rescues (20.83), then cadence and
    #     alignment TIE at exactly 25.0, all low effort and 30 days, so by id:
    #     aln-conflicts-on-agenda, aln-single-channel-instructions,
    #     trig-disagreement-outside-room, trig-status-meeting; then tr-tell-customers-early.
    #   3: proc-write-top-five and trig-know-how-in-heads (process, both medium, 30 days: id),
    #     own-ceo-decision-audit (60), vis-first-scorecard, pri-stop-list, ff-repeat-register
    #     (60), cad-team-meetings (60), tr-dates-from-doers (60).
    #   2: process first: proc-one-home (low), proc-checklists (medium, 90), proc-one-customer-
    #     system (high); ownership: own-action-log (low), own-one-leader-per-team (high, 90); ...
    # plan: best of each horizon first: own-name-per-initiative (30), pri-request-intake (60),
    #   proc-checklists (90: no 90-day action scores above 2, and process is the weakest). Then
    #   in rank order: pri-write-top-three, trig-ceo-rescues (30 now full), own-ceo-decision-
    #   audit, ff-repeat-register (60 now full), and the next 90-day action, own-one-leader-per-
    #   team: 3 + 3 + 2 = 8.
    "founder_led_boundary": Expected(
        dimensions={
            "firefighting": ("20.8", "emerging"),
            "ownership": ("15.0", "reactive"),
            "cadence": ("25.0", "emerging"),
            "priorities": ("17.5", "reactive"),
            "process": ("13.0", "reactive"),
            "visibility": ("16.7", "reactive"),
            "alignment": ("25.0", "emerging"),
            "trust": ("27.0", "emerging"),
        },
        overall=("20.0", "emerging"),
        quadrant="operations_low_execution_low",
        top_recommendations=(
            "own-name-per-initiative",
            "pri-write-top-three",
            "pri-request-intake",
            "trig-ceo-rescues",
            "aln-conflicts-on-agenda",
        ),
        plan={
            30: ("own-name-per-initiative", "pri-write-top-three", "trig-ceo-rescues"),
            60: ("pri-request-intake", "own-ceo-decision-audit", "ff-repeat-register"),
            90: ("proc-checklists", "own-one-leader-per-team"),
        },
    ),
    # A 120-person services firm, the COO answering.
    # firefighting: (.75 [triage_to_owner, second, reversed] + .5 [25%] + .75 + .75 + .75
    #   + 1 [no]) / 6 = 4.5/6 = .75 -> 75.0 managed
    # ownership: (.75 + .5 [loudest_decides, middle] + .5 + .5 [volunteer, middle] + .5 + 0)
    #   / 6 = 2.75/6 = .4583 -> 45.8 structured
    # cadence: (.5 [dropped_when_busy] + .75 + 1 [fixed_calendar, first, reversed] + .75
    #   + .75 [linked, second, reversed] + 1 [weekly_or_fortnightly]) / 6 = 4.75/6 = .7917
    #   -> 79.2 managed
    # priorities: (.4 + .75 [one_agreed_list] + .5 [each_team_decides] + .5 + .5 + 0) / 6
    #   = 2.65/6 = .4417 -> 44.2 structured
    # process: (.5 x 5 [manual_copying, details_chased: middles of reversed lists] + .6 [three
    #   practices]) / 6 = 3.1/6 = .5167 -> 51.7 structured
    # visibility: (1 [acted_on_weekly, first, reversed] + .75 + .75 + .5 + .5 [shared_unused]
    #   + 1) / 6 = 4.5/6 = .75 -> 75.0 managed
    # alignment: (.5 + .75 + .5 + .5 + .5 + .5) / 6 = 3.25/6 = .5417 -> 54.2 structured
    # trust: (.75 + .75 + .75 [warned_early, second, reversed] + .5 [second_guess, middle]
    #   + .75 + .65) / 6 = 4.15/6 = .6917 -> 69.2 managed
    # overall: (4.5 + 2.75 + 4.75 + 2.65 + 3.1 + 4.5 + 3.25 + 4.15) / 6 / 8 = 29.65/48 = .6177
    #   -> 61.8, which reaches managed; own_priority_owner is .75 (passes) but
    #   cad_leadership_meeting is .5 (< .75), so the gate holds the company at structured.
    # quadrant: operations (75 + 79.17 + 51.67 + 75) / 4 = 70.2 high; execution (45.83 + 44.17
    #   + 54.17 + 69.17) / 4 = 53.3 high.
    # recommendations: no trigger fires. Structured dimensions get structured -> managed, managed
    #   ones managed -> scalable. Percents: priorities 44.17 < ownership 45.83 < process 51.67
    #   < alignment 54.17 < trust 69.17 < firefighting 75.0 = visibility 75.0 < cadence 79.17.
    #   4 (low effort, medium impact, 30 days): pri-not-doing-list, own-reset-before-due,
    #     aln-risk-round.
    #   3 (medium/high, 60 days): pri-team-goals-linked, own-lead-authority, aln-joint-goals.
    #   2: pri-evidence-pack (60); proc-quarterly-owner-review (low, 90) before proc-measure-core
    #     (high, 60): lower effort comes before the shorter horizon; aln-health-check;
    #     tr-miss-cause-review (low), tr-bottom-up-board-numbers (medium, 90); firefighting and
    #     visibility TIE at exactly 75.0: ff-unplanned-target, vis-trigger-playbooks (low, 60:
    #     id), vis-forecast-accuracy, ff-prevention-budget, vis-team-scorecards; cadence last.
    # plan: best of each horizon: pri-not-doing-list (30), pri-team-goals-linked (60),
    #   proc-quarterly-owner-review (90). Then own-reset-before-due, aln-risk-round (30 full),
    #   own-lead-authority, aln-joint-goals (60 full), and the next 90-day action in rank
    #   order, tr-bottom-up-board-numbers: 3 + 3 + 2 = 8. No cadence action can address the
    #   gate that holds the company back: cadence is already managed, so it only gets
    #   managed -> scalable actions, and those rank last.
    "mid_stage_mixed": Expected(
        dimensions={
            "firefighting": ("75.0", "managed"),
            "ownership": ("45.8", "structured"),
            "cadence": ("79.2", "managed"),
            "priorities": ("44.2", "structured"),
            "process": ("51.7", "structured"),
            "visibility": ("75.0", "managed"),
            "alignment": ("54.2", "structured"),
            "trust": ("69.2", "managed"),
        },
        overall=("61.8", "structured"),
        overall_decided_by="requires_items",
        quadrant="operations_high_execution_high",
        top_recommendations=(
            "pri-not-doing-list",
            "own-reset-before-due",
            "aln-risk-round",
            "pri-team-goals-linked",
            "own-lead-authority",
        ),
        plan={
            30: ("pri-not-doing-list", "own-reset-before-due", "aln-risk-round"),
            60: ("pri-team-goals-linked", "own-lead-authority", "aln-joint-goals"),
            90: ("proc-quarterly-owner-review", "tr-bottom-up-board-numbers"),
        },
    ),
    # Three executives (ceo, cfo, coo) and three managers (sales, delivery, support).
    # Shared by all six: firefighting (.5 [path_skipped, middle] + .5 [30%] + .5 + .5 + .5 + 1)
    #   / 6 = 3.5/6 -> 58.3 structured; cadence (.75 + .5 + .75 [quarterly_together, second]
    #   + .5 + .5 [disconnected, middle] + .6) / 6 = 3.6/6 = .6 -> 60.0, exactly on the
    #   threshold -> managed; visibility (.5 + .5 + .5 + .25 + .25 [team_by_team, fourth] + 0)
    #   / 6 = 2/6 -> 33.3 emerging; alignment (.75 [same_list, second] + .5 + .5 + .75 + .75
    #   + .5) / 6 = 3.75/6 = .625 -> 62.5 managed.
    # process: shared .5 + .5 + .25 [duplicated, fourth] + .5 [details_chased] + .2 = 1.95;
    #   executives written_varies .5 -> 2.45/6 = .4083 (40.8 structured), managers
    #   stale_documents .25 -> 2.2/6 = .3667 (36.7 emerging); team (2.45 + 2.2) / 2 / 6
    #   = .3875 -> 38.75, half up -> 38.8 emerging
    # ownership by respondent: ceo (1 + 1 + .75 + 1 + 1 + 1) = 5.75/6 = .9583; cfo (.75 + .75
    #   + .75 + 1 + .75 + 1) = 5/6 = .8333; coo (.75 + .75 + 1 + .75 + .75 + 1) = 5/6 = .8333;
    #   mgr_sales (.5 + .25 + .25 + 0 + 0 + 0) = 1/6 = .1667; mgr_delivery (.25 + 0 + .5 + 0
    #   + .25 + 0) = 1/6 = .1667; mgr_support (.5 + .25 + .25 + .25 + .5, "don't know" left
    #   out) = 1.75/5 = .35; team 3.3083/6 = .5514 -> 55.1 structured
    # priorities: ceo (1 + 1 + 1 + 1 + .75 + 1) = 5.75/6 = .9583; cfo (.8 + .75 + .75 + .75
    #   + .75 + 1) = 4.8/6 = .8; coo (1 + .75 + .75 + .75 + .5 + 1) = 4.75/6 = .7917;
    #   mgr_sales (.1 + .5 + 0 + .25 + .25 + 1) = 2.1/6 = .35; mgr_delivery (.1 + .25 + .25 + 0
    #   + 0 + 1) = 1.6/6 = .2667; mgr_support (.1 + .5 + .25 + .25 + .25 + 1) = 2.35/6 = .3917;
    #   team 21.35/36 = .5931 -> 59.3 structured
    # trust: ceo (1 + 1 + .75 + 1 + 1 + 1) = 5.75/6 = .9583; cfo (.75 x 5 + .65) = 4.4/6
    #   = .7333; coo (.75 + .75 + 1 + .75 + .75 + .65) = 4.65/6 = .775; mgr_sales (.25 x 5
    #   + .35) = 1.6/6 = .2667; mgr_delivery (.5 + 0 + 0 + 0 + 0 + .35) = .85/6 = .1417;
    #   mgr_support (.25 + .25 + .25 + .5 + .5 + 0) = 1.75/6 = .2917; team 19/36 = .5278
    #   -> 52.8 structured
    # overall: (.5833 + .5514 + .6 + .5931 + .3875 + .3333 + .625 + .5278) / 8 = 4.2014/8
    #   = .5252 -> 52.5 structured (weakest emerging, cap structured: no change)
    # quadrant: operations (58.33 + 60 + 38.75 + 33.33) / 4 = 47.6 low; execution (55.14
    #   + 59.31 + 62.5 + 52.78) / 4 = 57.4 high: driven but fragile.
    # recommendations: trig-too-many-priorities fires because 3 of 6 said more_than_ten,
    #   exactly the .5 min_share (3 / 6); trig-cross-team-unowned does not (2 of 6 said nobody).
    #   Percents: visibility 33.33 < process 38.75 < trust 52.78 < ownership 55.14
    #   < firefighting 58.33 < priorities 59.31 < cadence 60.0 < alignment 62.5.
    #   4: proc-process-owners (emerging -> structured), own-reset-before-due,
    #     pri-not-doing-list.
    #   3: vis-early-warning-numbers, vis-metric-definitions (both medium, 30 days: id),
    #     proc-handoff-checklists (60), tr-commit-to-capacity (90), own-lead-authority (60),
    #     ff-incident-review (30), ff-ceo-out-of-escalations (60), trig-too-many-priorities
    #     (30), pri-team-goals-linked (60), aln-next-layer-in-planning (90).
    # plan: best of each horizon: proc-process-owners (30), proc-handoff-checklists (60),
    #   tr-commit-to-capacity (90). Then own-reset-before-due, pri-not-doing-list (30 full: the
    #   two visibility actions, for the weakest dimension, are left out), own-lead-authority,
    #   ff-ceo-out-of-escalations (60 full), aln-next-layer-in-planning: 3 + 3 + 2 = 8.
    "split_leadership_team": Expected(
        dimensions={
            "firefighting": ("58.3", "structured"),
            "ownership": ("55.1", "structured"),
            "cadence": ("60.0", "managed"),
            "priorities": ("59.3", "structured"),
            "process": ("38.8", "emerging"),
            "visibility": ("33.3", "emerging"),
            "alignment": ("62.5", "managed"),
            "trust": ("52.8", "structured"),
        },
        overall=("52.5", "structured"),
        quadrant="operations_low_execution_high",
        top_recommendations=(
            "proc-process-owners",
            "own-reset-before-due",
            "pri-not-doing-list",
            "vis-early-warning-numbers",
            "vis-metric-definitions",
        ),
        plan={
            30: ("proc-process-owners", "own-reset-before-due", "pri-not-doing-list"),
            60: ("proc-handoff-checklists", "own-lead-authority", "ff-ceo-out-of-escalations"),
            90: ("tr-commit-to-capacity", "aln-next-layer-in-planning"),
        },
    ),
    # A 400-person software company, the CEO answering.
    # firefighting: (1 [triage_and_root_cause, first, reversed] + .75 [20%: the 11-20 band, max
    #   inclusive] + 1 + 1 + 1 + 1) / 6 = 5.75/6 = .9583 -> 95.8 scalable; the gate needs
    #   ff_unplanned_share >= .75 and it is exactly .75: passes
    # ownership: (1 + 1 [written_rights, first, reversed] + .75 + .75 [named_no_authority,
    #   second] + .75 + 1) / 6 = 5.25/6 = .875 -> 87.5 scalable
    # cadence: (1 + 1 + 1 + .75 + 1 + .6 [monthly]) / 6 = 5.35/6 = .8917 -> 89.2 scalable
    # priorities: (.8 + .75 + .75 + .75 + .5 [under_resourced] + 1) / 6 = 4.55/6 = .7583
    #   -> 75.8 managed
    # process: (.5 [written_varies] + 1 + 1 + .75 [one_source, second] + 1 + .8 [four
    #   practices]) / 6 = 5.05/6 = .8417 -> 84.2 scalable
    # visibility: (.75 [weekly_scorecard, second] + .75 + 1 + .75 + .5 [shared_unused] + 1)
    #   / 6 = 4.75/6 = .7917 -> 79.2 managed
    # alignment: (1 + 1 + 1 + .75 + 1 + .75) / 6 = 5.5/6 = .9167 -> 91.7 scalable
    # trust: (1 + .75 + 1 + 1 + 1 + 1) / 6 = 5.75/6 -> 95.8 scalable
    # overall: (5.75 + 5.25 + 5.35 + 4.55 + 5.05 + 4.75 + 5.5 + 5.75) / 6 / 8 = 41.95/48
    #   = .8740 -> 87.4, which reaches scalable; the managed gate passes (own_priority_owner 1,
    #   cad_leadership_meeting 1), but proc_documented is .5 (< .75), so the scalable gate holds
    #   the company at managed. Weakest is managed, cap scalable: no further change.
    # quadrant: operations (95.83 + 89.17 + 84.17 + 79.17) / 4 = 87.1; execution (87.5 + 75.83
    #   + 91.67 + 95.83) / 4 = 87.7; both high.
    # recommendations: only priorities and visibility are below the top stage; no trigger fires.
    #   pri-three-year-page (medium/high) 3; then 2, priorities (75.83) before visibility
    #   (79.17): pri-mid-quarter-checkpoint (low/low), vis-trigger-playbooks (low/low),
    #   vis-forecast-accuracy (medium/medium), vis-team-scorecards (high/high); last
    #   pri-time-reality-check (medium effort, low impact) 1. Six in all.
    # plan: the 30-day column is EMPTY: every managed -> scalable action in the library has a
    #   60- or 90-day horizon, and the only other 30-day actions are triggers (all but one are
    #   30-day), none of which fires here; so no ranked action starts in 30 days. The 60- and
    #   90-day columns take three each, which is all six ranked actions: 0 + 3 + 3 = 6 < 8.
    #   Process, which holds the company back through the gate, is scalable and gets no action.
    "scaling_company": Expected(
        dimensions={
            "firefighting": ("95.8", "scalable"),
            "ownership": ("87.5", "scalable"),
            "cadence": ("89.2", "scalable"),
            "priorities": ("75.8", "managed"),
            "process": ("84.2", "scalable"),
            "visibility": ("79.2", "managed"),
            "alignment": ("91.7", "scalable"),
            "trust": ("95.8", "scalable"),
        },
        overall=("87.4", "managed"),
        overall_decided_by="requires_items",
        quadrant="operations_high_execution_high",
        top_recommendations=(
            "pri-three-year-page",
            "pri-mid-quarter-checkpoint",
            "vis-trigger-playbooks",
            "vis-forecast-accuracy",
            "vis-team-scorecards",
        ),
        plan={
            30: (),
            60: ("pri-mid-quarter-checkpoint", "vis-trigger-playbooks", "vis-forecast-accuracy"),
            90: ("pri-three-year-page", "vis-team-scorecards", "pri-time-reality-check"),
        },
    ),
}


@pytest.fixture(scope="module")
def package() -> Package:
    return load_catalog(QUESTIONNAIRES).get("operational-maturity", "1.1.0")


def score_golden(package: Package, name: str) -> AssessmentResult:
    document = read_answers_file(GOLDEN / f"{name}.yaml")
    assert (document.questionnaire_id, document.version) == ("operational-maturity", "1.1.0")
    return score_assessment(
        package,
        document.respondent_answers,
        targets=document.target_stages,
        anonymity_k=document.anonymity_k,
    )


def test_every_golden_file_has_an_expectation() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_dimension_scores_and_stages(package: Package, name: str) -> None:
    result = score_golden(package, name)
    got = {
        d.dimension_id: (str(d.score), d.stage.stage_id if d.stage else None)
        for d in result.team.dimensions
    }
    assert tuple(got) == DIMENSIONS
    assert got == EXPECTED[name].dimensions


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
def test_golden_top_five_recommendations(package: Package, name: str) -> None:
    result = score_golden(package, name)
    top = tuple(r.recommendation.id for r in result.recommendations[:5])
    assert top == EXPECTED[name].top_recommendations


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_default_plan(package: Package, name: str) -> None:
    result = score_golden(package, name)
    plan = {
        horizon: tuple(r.recommendation.id for r in actions)
        for horizon, actions in result.roadmap.items()
    }
    assert plan == EXPECTED[name].plan
    assert sum(len(ids) for ids in plan.values()) <= 8
    assert all(len(ids) <= 3 for ids in plan.values())


def test_founder_led_sits_exactly_on_the_boundary(package: Package) -> None:
    result = score_golden(package, "founder_led_boundary")
    overall = result.team.overall
    # (.8 + .8) / 8 = .2 exactly: 20.0 is emerging, however the float sum lands.
    assert overall.score == Decimal("20.0")
    assert overall.stage.threshold_index == 1
    (founder,) = result.respondents
    statuses = {item_id: answer.status for item_id, answer in founder.answers.items()}
    for item_id in ("own_cross_team", "cad_team_rhythm", "proc_handoffs", "tr_internal_promises"):
        assert statuses[item_id] == "na"
    assert statuses["cad_meeting_outcome"] == "answered"  # dropped_when_busy (.5) shows it
    assert result.team.completeness == pytest.approx(1.0)  # N/A counts as an answer
    # Reverse items answered with their last-listed option are worth 0, not 1.
    for item_id in ("ff_urgent_issue", "own_decision_rights", "pri_set_how", "proc_systems"):
        assert founder.answers[item_id].value == 0.0
    fired = {r.recommendation.id for r in result.recommendations if r.matching is not None}
    assert fired == {
        "trig-ceo-rescues",
        "trig-status-meeting",
        "trig-disagreement-outside-room",
        "trig-know-how-in-heads",
    }
    # cadence and alignment are both exactly 25.0: their 4-point actions go by id.
    ids = [r.recommendation.id for r in result.recommendations]
    assert ids[4:9] == [
        "aln-conflicts-on-agenda",
        "aln-single-channel-instructions",
        "trig-disagreement-outside-room",
        "trig-status-meeting",
        "tr-tell-customers-early",
    ]
    assert [r.priority for r in result.recommendations[:9]] == [6.0, 6.0] + [4.0] * 7


def test_mid_stage_is_held_back_by_the_leadership_meeting(package: Package) -> None:
    result = score_golden(package, "mid_stage_mixed")
    stage = result.team.overall.stage
    assert stage.threshold_index == 3  # 61.8 reaches managed on its own
    (step,) = [s for s in stage.gate_steps if s.code == "requires_item"]
    # own_priority_owner (.75) passes; cad_leadership_meeting (.5) does not.
    assert (step.item_id, step.value, step.required) == ("cad_leadership_meeting", 0.5, 0.75)
    assert step.capped_index == 2
    # No trigger fires, and no action is for cadence's own gap until the managed -> scalable
    # ones at the end.
    assert all(r.matching is None for r in result.recommendations)
    assert [r.recommendation.id for r in result.recommendations if r.dimension_id == "cadence"] == [
        "cad-rotating-chair",
        "cad-48-hour-cascade",
        "cad-annual-cycle",
    ]
    # firefighting and visibility tie at 75.0: the low-effort pair goes by id.
    ids = [r.recommendation.id for r in result.recommendations]
    assert ids.index("ff-unplanned-target") + 1 == ids.index("vis-trigger-playbooks")


def test_split_team_is_contested_on_ownership_priorities_and_trust(package: Package) -> None:
    result = score_golden(package, "split_leadership_team")
    team = result.team
    # ownership: respondents 16.7 .. 95.8, range .7917 > .6 of the scale -> agreement capped to
    # none; reactive .. scalable -> contested. priorities: 26.7 .. 95.8, range .6917 > .6 ->
    # none; emerging .. scalable. trust: 14.2 .. 95.8, range .8167 -> none; reactive .. scalable.
    assert team.overall_stats.contested_dimensions == ("ownership", "priorities", "trust")
    spans = {d: team.dimension_stats[d] for d in ("ownership", "priorities", "trust")}
    assert {d: s.agreement_level for d, s in spans.items()} == dict.fromkeys(spans, "none")
    assert {d: s.stage_span for d, s in spans.items()} == {
        "ownership": (0, 4),
        "priorities": (1, 4),
        "trust": (0, 4),
    }
    assert (spans["ownership"].minimum, spans["ownership"].maximum) == (
        Decimal("16.7"),
        Decimal("95.8"),
    )
    assert (spans["trust"].minimum, spans["trust"].maximum) == (Decimal("14.2"), Decimal("95.8"))
    # process straddles 40 (executives 40.8, managers 36.7), yet is not contested: only
    # proc_documented differs (.5 x 3, .25 x 3: variance 6 x .125^2 / 5 = .01875) against the
    # expected variances of five five-value items (.125 each) and the multi-choice item (1/12):
    # r*wg(J) = 1 - .01875 / .70833 = .9735 -> very strong; SD .0228 and range .0417 cap nothing.
    process = team.dimension_stats["process"]
    assert process.stage_span == (1, 2)
    assert process.agreement == pytest.approx(1 - 0.01875 / (5 * 0.125 + 1 / 12))
    assert process.agreement_level == "very_strong"
    assert process.contested is False
    # A dimension answered identically: full agreement, no spread.
    firefighting = team.dimension_stats["firefighting"]
    assert (firefighting.agreement, firefighting.agreement_level) == (1.0, "very_strong")
    assert firefighting.contested is False
    assert (str(team.overall.score), team.overall.stage.stage_id) == ("52.5", "structured")


def test_split_team_overall_interval_and_triggers(package: Package) -> None:
    result = score_golden(package, "split_leadership_team")
    overall = {r.respondent_id: str(r.overall.score) for r in result.respondents}
    # ceo 5.425/8, cfo 4.9167/8, coo 4.95/8, mgr_sales 3.2917/8, mgr_delivery 3.0833/8,
    # mgr_support 3.5417/8
    assert overall == {
        "ceo": "67.8",
        "cfo": "61.5",
        "coo": "61.9",
        "mgr_sales": "41.1",
        "mgr_delivery": "38.5",
        "mgr_support": "44.3",
    }
    # SD of the six overall raws .1260; half-width t(.975, 5) 2.571 x .1260 / sqrt(6) = .1323;
    # .5252 -/+ .1323 = .3929 .. .6574 -> 39.3 .. 65.7: from emerging into managed.
    interval = result.team.overall_stats.interval
    assert interval is not None
    assert (interval.n, interval.low, interval.high) == (6, Decimal("39.3"), Decimal("65.7"))
    assert result.team.overall_stats.borderline is True
    ranked = {r.recommendation.id: r for r in result.recommendations}
    # 3 of 6 said more_than_ten: exactly the .5 min_share, so it fires; 2 of 6 said nobody.
    too_many = ranked["trig-too-many-priorities"]
    assert (too_many.matching, too_many.answered, too_many.priority) == (3, 6, 3.0)
    assert "trig-cross-team-unowned" not in ranked
    # own_priority_owner's team mean (1 + .75 + .75 + .5 + .25 + .5) / 6 = .625
    assert result.team.item_values["own_priority_owner"] == pytest.approx(0.625)


def test_scaling_company_has_no_30_day_action(package: Package) -> None:
    result = score_golden(package, "scaling_company")
    # Empty because nothing ranked starts in 30 days: managed -> scalable actions are all 60 or
    # 90 days and no trigger fires.
    assert result.roadmap[30] == ()
    assert not any(r.recommendation.horizon == 30 for r in result.recommendations)
    assert [r.recommendation.id for r in result.recommendations] == [
        "pri-three-year-page",
        "pri-mid-quarter-checkpoint",
        "vis-trigger-playbooks",
        "vis-forecast-accuracy",
        "vis-team-scorecards",
        "pri-time-reality-check",
    ]
    assert [r.priority for r in result.recommendations] == [3.0, 2.0, 2.0, 2.0, 2.0, 1.0]
    transitions = [
        r
        for r in package.library.recommendations
        if r.from_stage == "managed" and r.to_stage == "scalable"
    ]
    assert transitions and all(r.horizon in (60, 90) for r in transitions)
    firefighting = result.team.dimensions[0]
    assert firefighting.stage is not None
    assert firefighting.stage.decided_by == "threshold"  # 20% is .75: the gate passes
    stage = result.team.overall.stage
    assert stage.threshold_index == 4
    (step,) = [s for s in stage.gate_steps if s.code == "requires_item"]
    assert (step.item_id, step.value, step.required) == ("proc_documented", 0.5, 0.75)
