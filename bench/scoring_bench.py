"""Scoring benchmark: responses scored per second (50 items) and aggregation of 1,000 respondents.

    .venv/bin/python -m bench.scoring_bench
    .venv/bin/python -m bench.scoring_bench --against <git-ref> [--head <git-ref>] [--clock wall]

Each figure is the best of several rounds, the one least disturbed by other processes on the
machine. The baseline, measured in the same run, is a bare loop that looks up every answer's option
value and averages per dimension: the least any scorer must do. Figures go to stdout and to
bench/results/scoring.json. Targets on 2 cores: >= 10,000 responses/s; <= 100 ms for 1,000.

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
        workload,
    )
    from scoring import score_assessment, score_respondent

    work = workload()
    package = work.package
    baseline = per_second(bare_loop(package), work.answer_sets)
    ours = per_second(lambda answers: score_respondent(package, answers), work.answer_sets)
    aggregate_1000_ms = aggregate_ms(package, [work.respondents])
    end_to_end_ms = best_ms(lambda: score_assessment(package, work.respondents), repeats=3)
    figures = {
        "items": len(package.items),
        "baseline_bare_loop_per_s": round(baseline),
        "responses_scored_per_s": round(ours),
        "scoring_vs_baseline": round(ours / baseline, 3),
        "aggregate_1000_scored_ms": round(aggregate_1000_ms, 1),
        "score_and_aggregate_1000_ms": round(end_to_end_ms, 1),
        "target_responses_per_s": 10_000,
        "target_aggregate_ms": 100,
        "python": platform.python_version(),
    }
    print(f"scoring a {figures['items']}-item questionnaire")
    print(f"  bare loop baseline      {baseline:>10,.0f} responses/s")
    print(
        f"  score_respondent        {ours:>10,.0f} responses/s  ({ours / baseline:.2f} x baseline; target >= 10,000)"
    )
    print(f"  aggregate 1,000 scored  {aggregate_1000_ms:>10.1f} ms          (target <= 100 ms)")
    print(f"  score + aggregate 1,000 {end_to_end_ms:>10.1f} ms")
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
