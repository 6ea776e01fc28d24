"""API figures of the working tree against an earlier commit, measured in one session.

    .venv/bin/python -m bench.api_compare --against <git-ref> [--runs 3] [--seconds 6]
        [--clients 32] [--backends sqlite,postgresql]

The base ref is checked out with `git worktree` in a temporary folder (removed afterwards).
Each run is a fresh subprocess of that tree's own bench/api_bench.py (`--rounds 1`), so each
side serves with its own code; runs alternate head, base, head, base... so that other load on
the machine weighs on both sides alike, and each figure is the median of its side's runs.
Throughput is compared as the ratio to the bare endpoint measured in the same run (the
framework's ceiling on the machine at that moment) and as requests per second; latency as
p99. A figure is "within 5 %" when the head is at most 5 % worse than the base. Figures go to
stdout and bench/results/api-compare.json, progress to stderr; the tree's own
bench/results/api.json is left as it was.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.scoring_compare import Figure, checkout, git, spread

__all__ = ["main"]

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results" / "api-compare.json"
RUN_RESULTS = Path("bench") / "results" / "api.json"
TOLERANCE = 0.05
RUN_TIMEOUT_S = 900


FIGURES = (
    Figure("answers_ratio", "answer saves / bare", True),
    Figure("answers_per_s", "answer saves per s", True),
    Figure("answers_p99_ms", "answer saves p99 ms", False),
    Figure("results_ratio", "results reads / bare", True),
    Figure("results_per_s", "results reads per s", True),
    Figure("results_p99_ms", "results reads p99 ms", False),
    Figure("bare_per_s", "bare per s", True),
)


def figures_of(backend: dict[str, Any]) -> dict[str, float]:
    """The compared figures of one backend in a bench/api_bench.py report."""
    scenarios = backend["figures"]
    return {
        "answers_ratio": backend["answers_throughput_ratio"],
        "answers_per_s": scenarios["answers"]["requests_per_second"],
        "answers_p99_ms": scenarios["answers"]["p99_ms"],
        "results_ratio": backend["results_throughput_ratio"],
        "results_per_s": scenarios["results"]["requests_per_second"],
        "results_p99_ms": scenarios["results"]["p99_ms"],
        "bare_per_s": scenarios["bare"]["requests_per_second"],
    }


def measure(tree: Path, arguments: argparse.Namespace) -> dict[str, dict[str, float]]:
    """One run of the tree's API benchmark: figures by backend."""
    command = [
        sys.executable,
        "-m",
        "bench.api_bench",
        "--rounds",
        "1",
        "--seconds",
        str(arguments.seconds),
        "--clients",
        str(arguments.clients),
        "--backends",
        arguments.backends,
    ]
    environment = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        command,
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the run in {tree} failed:\n{done.stderr[-3000:]}")
    report = json.loads((tree / RUN_RESULTS).read_text(encoding="utf-8"))
    return {name: figures_of(backend) for name, backend in report["backends"].items()}


def worse_by(figure: Figure, base: float, head: float) -> float:
    """How much worse the head is than the base (negative: better)."""
    if base == 0 or head == 0:
        return 0.0
    return (base / head if figure.higher_is_better else head / base) - 1


def verdict(worse: float) -> str:
    if worse <= TOLERANCE:
        return "better" if worse < -TOLERANCE else "within 5 %"
    return f"worse by {worse * 100:.1f} %"


def summarise(
    runs: dict[str, list[dict[str, dict[str, float]]]], backends: list[str]
) -> dict[str, dict[str, dict[str, Any]]]:
    summary: dict[str, dict[str, dict[str, Any]]] = {}
    for backend in backends:
        rows: dict[str, dict[str, Any]] = {}
        for figure in FIGURES:
            base_runs = [run[backend][figure.key] for run in runs["base"]]
            head_runs = [run[backend][figure.key] for run in runs["head"]]
            base_median = statistics.median(base_runs)
            head_median = statistics.median(head_runs)
            worse = worse_by(figure, base_median, head_median)
            rows[figure.key] = {
                "base_runs": base_runs,
                "head_runs": head_runs,
                "base_median": base_median,
                "head_median": head_median,
                "head_worse_percent": round(worse * 100, 1),
                "run_spread_percent": round(100 * max(map(spread, (base_runs, head_runs))), 1),
                "verdict": verdict(worse),
            }
        summary[backend] = rows
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--against", required=True, metavar="REF", help="the base commit")
    parser.add_argument("--runs", type=int, default=3, help="runs per side")
    parser.add_argument("--seconds", type=float, default=6.0, help="measured seconds per scenario")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--backends", default="sqlite,postgresql")
    arguments = parser.parse_args()
    backends = arguments.backends.split(",")
    base_commit = git("rev-parse", "--verify", "--quiet", f"{arguments.against}^{{commit}}")
    head_commit = git("rev-parse", "HEAD")
    own_results = REPO_ROOT / RUN_RESULTS
    kept = own_results.read_bytes() if own_results.exists() else None
    runs: dict[str, list[dict[str, dict[str, float]]]] = {"head": [], "base": []}
    try:
        with (
            tempfile.TemporaryDirectory(prefix="opsmaturity-api-compare-") as scratch,
            checkout(base_commit, Path(scratch) / "base") as base_tree,
        ):
            for number in range(arguments.runs):
                for side, tree in (("head", REPO_ROOT), ("base", base_tree)):
                    started = time.perf_counter()
                    runs[side].append(measure(tree, arguments))
                    print(
                        f"run {number + 1}/{arguments.runs} {side}: "
                        f"{time.perf_counter() - started:.0f} s",
                        file=sys.stderr,
                    )
    finally:
        if kept is not None:
            own_results.write_bytes(kept)
    summary = summarise(runs, backends)
    print(
        f"API: working tree (HEAD {head_commit[:7]}) against {arguments.against} ({base_commit[:7]})"
    )
    print(f"median of {arguments.runs} runs each, alternating; {arguments.clients} clients")
    for backend in backends:
        print(f"\n{backend}")
        print(f"  {'figure':<22} {'base':>9} {'head':>9} {'spread':>7}  verdict")
        for figure in FIGURES:
            row = summary[backend][figure.key]
            print(
                f"  {figure.label:<22} {row['base_median']:>9.2f} {row['head_median']:>9.2f} "
                f"{row['run_spread_percent']:>5.0f} %  {row['verdict']}"
            )
    result = {
        "base": {"ref": arguments.against, "commit": base_commit},
        "head": {"commit": head_commit, "working_tree": True},
        "runs": arguments.runs,
        "seconds_per_scenario": arguments.seconds,
        "clients": arguments.clients,
        "tolerance_percent": TOLERANCE * 100,
        "backends": summary,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {RESULTS.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
