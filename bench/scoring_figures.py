"""The scoring benchmark's measurements, over the synthetic package and a fixed seed.

    python -m bench.scoring_figures [--clock cpu|wall]   # compared figures, as JSON

bench/scoring_bench.py prints them for the working tree; bench/scoring_compare.py runs this
module in subprocesses, each importing `scoring` from the tree under test. So it uses only
names that older trees export too: keep it that way when adding a figure.

The clock is wall time unless told otherwise. Scoring is pure single-threaded computation, so
the process's CPU time counts the same work while leaving out the time spent waiting for a
core that other processes hold: on a busy machine it is the steadier of the two.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import scoring
from bench.synthetic_package import (
    random_answers,
    random_attributes,
    synthetic_package,
    three_level_package,
)
from scoring import (
    Package,
    RespondentAnswers,
    aggregate_respondents,
    rank_recommendations,
    score_assessment,
    score_respondent,
)

RESPONDENTS = 1000
# The three-level package's answers leave some items blank: they count as zero there.
THREE_LEVEL_BLANK_SHARE = 0.05
# Real leadership teams are 3 to 40 people: many small aggregations, not one big one.
TEAMS = 200
TEAM_SIZE = 12
CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}


def per_second(
    function: Callable[[dict[str, object]], object],
    answer_sets: list[dict[str, object]],
    rounds: int = 7,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Best of several rounds over the same answers: the least disturbed by other processes."""
    best = 0.0
    for _ in range(rounds):
        start = clock()
        for answers in answer_sets:
            function(answers)
        best = max(best, len(answer_sets) / (clock() - start))
    return best


def bare_loop(package: Package, blanks: bool = False) -> Callable[[dict[str, object]], object]:
    """The baseline; with `blanks`, answers may leave items out (a blank counts 0.5 too)."""
    values = package.option_values
    by_dimension: dict[str, list[str]] = {}
    for item_id, dimension_id in package.item_dimension.items():
        by_dimension.setdefault(dimension_id, []).append(item_id)

    def score(answers: dict[str, object]) -> object:
        means = {}
        for dimension_id, item_ids in by_dimension.items():
            found = [
                values[i].get(a, 0.5) if isinstance(a := answers[i], str) else 0.5 for i in item_ids
            ]
            means[dimension_id] = sum(found) / len(found)
        return means

    def score_with_blanks(answers: dict[str, object]) -> object:
        means = {}
        for dimension_id, item_ids in by_dimension.items():
            found = [
                values[i].get(a, 0.5) if isinstance(a := answers.get(i), str) else 0.5
                for i in item_ids
            ]
            means[dimension_id] = sum(found) / len(found)
        return means

    return score_with_blanks if blanks else score


def best_ms(
    function: Callable[[], object],
    repeats: int = 7,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    timings = []
    for _ in range(repeats):
        start = clock()
        function()
        timings.append((clock() - start) * 1000)
    return min(timings)


@dataclass(frozen=True)
class Workload:
    package: Package
    answer_sets: list[dict[str, object]]
    respondents: list[RespondentAnswers]  # one team of RESPONDENTS, with a role each


def workload() -> Workload:
    package = synthetic_package()
    rng = random.Random(7)
    answer_sets = [random_answers(package, rng) for _ in range(RESPONDENTS)]
    respondents = [
        RespondentAnswers(
            f"r{i}", random_answers(package, rng), {"role": rng.choice(["exec", "manager", "ic"])}
        )
        for i in range(RESPONDENTS)
    ]
    return Workload(package, answer_sets, respondents)


def three_level_answer_sets() -> tuple[Package, list[dict[str, object]]]:
    """The 200-item, three-level package and RESPONDENTS sets of answers to it."""
    package = three_level_package()
    rng = random.Random(13)
    answers = [random_answers(package, rng, THREE_LEVEL_BLANK_SHARE) for _ in range(RESPONDENTS)]
    return package, answers


def small_teams(package: Package) -> list[list[RespondentAnswers]]:
    """TEAMS teams of TEAM_SIZE, each respondent with the three attributes, some left blank."""
    rng = random.Random(11)
    return [
        [
            RespondentAnswers(f"t{t}-r{i}", random_answers(package, rng), random_attributes(rng))
            for i in range(TEAM_SIZE)
        ]
        for t in range(TEAMS)
    ]


def aggregate_ms(
    package: Package,
    teams: Sequence[Sequence[RespondentAnswers]],
    clock: Callable[[], float] = time.perf_counter,
    repeats: int = 7,
) -> float:
    """Aggregation and ranking alone, as for a report, over respondents scored beforehand."""
    scored = [score_assessment(package, team).respondents for team in teams]
    return best_ms(
        lambda: [
            rank_recommendations(package, aggregate_respondents(package, s).summary, s)
            for s in scored
        ],
        repeats,
        clock,
    )


def compared_figures(clock: Callable[[], float]) -> dict[str, float]:
    """The figures bench/scoring_compare.py compares between trees (names are its keys)."""
    work = workload()
    package = work.package
    teams = small_teams(package)
    return {
        "responses_scored_per_s": per_second(
            lambda answers: score_respondent(package, answers), work.answer_sets, clock=clock
        ),
        "aggregate_1000_scored_ms": aggregate_ms(package, [work.respondents], clock),
        # Each repeat spans 200 teams, a second or so: five keep a run short enough to alternate.
        "aggregate_200_teams_of_12_ms": aggregate_ms(package, teams, clock, repeats=5),
        "score_assessment_200_teams_of_12_ms": best_ms(
            lambda: [score_assessment(package, team) for team in teams], repeats=5, clock=clock
        ),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall")
    clock = CLOCKS[parser.parse_args().clock]
    print(json.dumps({"scoring_module": scoring.__file__, "figures": compared_figures(clock)}))
