"""Scoring benchmark: responses scored per second (50 items, and 200 items in three levels) and
aggregation of 1,000 respondents.

    .venv/bin/python -m bench.scoring_bench
    .venv/bin/python -m bench.scoring_bench --against <git-ref> [--head <git-ref>] [--clock wall]

Each figure is the best of several rounds, the one least disturbed by other processes on the
machine. The baseline, measured in the same run, is a bare loop that looks up every answer's option
value and averages per dimension: the least any scorer must do. Figures go to stdout and to
bench/results/scoring.json. Targets on a quiet machine: >= 20,000 responses/s for 50 items (the
goal: 50,000); <= 25 ms to aggregate 1,000 (the goal: 20 ms). On a busy machine, read the ratios
to the baseline measured in the same run rather than the figures.

With --against, the working tree (or --head) is measured against a checkout of an earlier
commit instead, alternating subprocesses, median of 3 each, with 200 teams of 12 too; see
bench/scoring_compare.py. Figures go to bench/results/scoring-compare.json.
"""

from __future__ import annotations

import argparse
import json
import platform
from pathlib import Path

from bench.scoring_compare import compare

RESULTS = Path(__file__).resolve().parent / "results" / "scoring.json"


def report_working_tree() -> None:
    # Imported here, not at the top: with --against this process must not import the working
    # tree's scoring, which is measured in subprocesses (and may be mid-edit).
    from bench.scoring_figures import (
        aggregate_ms,
        bare_loop,
        best_ms,
        per_second,
        three_level_answer_sets,
        workload,
    )
    from scoring import score_assessment, score_respondent

    work = workload()
    package = work.package
    baseline = per_second(bare_loop(package), work.answer_sets)
    ours = per_second(lambda answers: score_respondent(package, answers), work.answer_sets)
    aggregate_1000_ms = aggregate_ms(package, [work.respondents])
    end_to_end_ms = best_ms(lambda: score_assessment(package, work.respondents), repeats=3)
    levels_package, levels_answers = three_level_answer_sets()
    levels_baseline = per_second(bare_loop(levels_package, blanks=True), levels_answers)
    levels = per_second(lambda answers: score_respondent(levels_package, answers), levels_answers)
    figures = {
        "items": len(package.items),
        "baseline_bare_loop_per_s": round(baseline),
        "responses_scored_per_s": round(ours),
        "scoring_vs_baseline": round(ours / baseline, 3),
        "aggregate_1000_scored_ms": round(aggregate_1000_ms, 1),
        "score_and_aggregate_1000_ms": round(end_to_end_ms, 1),
        "three_level_items": len(levels_package.items),
        "three_level_baseline_bare_loop_per_s": round(levels_baseline),
        "three_level_responses_scored_per_s": round(levels),
        "three_level_scoring_vs_baseline": round(levels / levels_baseline, 3),
        "target_responses_per_s": 20_000,
        "target_aggregate_ms": 25,
        "python": platform.python_version(),
    }
    print(f"scoring a {figures['items']}-item questionnaire")
    print(f"  bare loop baseline      {baseline:>10,.0f} responses/s")
    print(
        f"  score_respondent        {ours:>10,.0f} responses/s  ({ours / baseline:.2f} x baseline; target >= 20,000)"
    )
    print(f"  aggregate 1,000 scored  {aggregate_1000_ms:>10.1f} ms          (target <= 25 ms)")
    print(f"  score + aggregate 1,000 {end_to_end_ms:>10.1f} ms")
    print(
        f"scoring a {figures['three_level_items']}-item questionnaire in three levels "
        "(mean, mean, sum; unanswered items count as zero)"
    )
    print(f"  bare loop baseline      {levels_baseline:>10,.0f} responses/s")
    print(
        f"  score_respondent        {levels:>10,.0f} responses/s  ({levels / levels_baseline:.2f} x baseline)"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"  written to {RESULTS}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--against", metavar="REF", help="compare with a checkout of this commit (the base)"
    )
    parser.add_argument(
        "--head", metavar="REF", help="with --against: measure this commit, not the working tree"
    )
    parser.add_argument("--rounds", type=int, default=3, help="with --against: runs per side")
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="with --against: time the runs' CPU use (steadier on a busy machine) or wall time",
    )
    arguments = parser.parse_args()
    if arguments.against is None:
        if arguments.head is not None:
            parser.error("--head needs --against")
        report_working_tree()
        return
    compare(
        base_ref=arguments.against,
        head_ref=arguments.head,
        rounds=max(1, arguments.rounds),
        clock=arguments.clock,
    )


if __name__ == "__main__":
    main()
