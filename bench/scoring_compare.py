"""Scoring figures of the working tree (or a commit) against an earlier commit, in one session.

    .venv/bin/python -m bench.scoring_bench --against <git-ref> [--head <git-ref>] [--rounds 3]
        [--clock cpu|wall]

The base ref (and --head, when given) is checked out with `git worktree` in a temporary folder,
removed afterwards. Each run is a subprocess of bench/scoring_figures.py, always the working
tree's, importing `scoring` from the tree under test; runs alternate head, base, head, base...
so that other load on the machine weighs on both sides alike, and each figure is the median
of the runs of its side. A figure is "within 5 %" when either side takes at most 5 % more time
than the other; the table's spread, the wider of the two sides' (max - min) / median over
their runs, says how far to trust that.

Times are the runs' CPU time unless --clock wall: scoring is pure computation on one thread,
and CPU time leaves out the waits for a core that other processes on a busy machine cause,
which swing wall-time medians by tens of per cent. Figures go to stdout and
bench/results/scoring-compare.json, progress to stderr. This process never imports `scoring` itself.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["compare"]

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results" / "scoring-compare.json"
TOLERANCE = 0.05
RUN_TIMEOUT_S = 900
# What bench/scoring_figures.py imports from scoring: the base must export all of it.
NEEDED_NAMES = (
    "Package",
    "RespondentAnswers",
    "aggregate_respondents",
    "build_package",
    "rank_recommendations",
    "score_assessment",
    "score_respondent",
)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    higher_is_better: bool


FIGURES = (
    Figure("responses_scored_per_s", "responses scored per s", True),
    Figure("aggregate_1000_scored_ms", "aggregate 1 team of 1,000, ms", False),
    Figure("aggregate_200_teams_of_12_ms", "aggregate 200 teams of 12, ms", False),
    Figure("score_assessment_200_teams_of_12_ms", "score_assessment 200 teams of 12, ms", False),
)


@dataclass(frozen=True)
class Side:
    name: str  # "head" or "base"
    label: str
    tree: Path


def git(*arguments: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(REPO_ROOT), *arguments], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(arguments)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def check_exports(commit: str | None) -> None:
    """Fail before measuring if the tree's scoring lacks a name the measurements import."""
    exports = (
        git("show", f"{commit}:scoring/__init__.py")
        if commit
        else (REPO_ROOT / "scoring" / "__init__.py").read_text(encoding="utf-8")
    )
    missing = [name for name in NEEDED_NAMES if f'"{name}"' not in exports]
    if missing:
        raise SystemExit(f"scoring at {commit or 'the working tree'} does not export {missing}")


@contextmanager
def checkout(commit: str, path: Path) -> Iterator[Path]:
    git("worktree", "add", "--detach", "--quiet", str(path), commit)
    try:
        yield path
    finally:
        with suppress(SystemExit):
            git("worktree", "remove", "--force", str(path))
        git("worktree", "prune")


def measure(side: Side, runner: Path, clock: str) -> dict[str, float]:
    """One run of bench/scoring_figures.py, with `scoring` from the side's tree."""
    environment = {
        **os.environ,
        # The runner folder is the subprocess's first path entry and holds only a link to the
        # working tree's bench/; the tree under test comes next, for `scoring`.
        "PYTHONPATH": str(side.tree),
        "PYTHONHASHSEED": "0",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.scoring_figures", "--clock", clock],
        cwd=runner,
        env=environment,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the {side.name} run ({side.label}) failed:\n{done.stderr[-3000:]}")
    output = json.loads(done.stdout.strip().splitlines()[-1])
    imported = Path(output["scoring_module"]).resolve()
    if not imported.is_relative_to(side.tree.resolve()):
        raise SystemExit(f"the {side.name} run imported {imported}, not from {side.tree}")
    figures: dict[str, float] = output["figures"]
    return figures


def extra_time(figure: Figure, base: float, head: float) -> float:
    """How much more time the head takes than the base (negative: less)."""
    return (base / head if figure.higher_is_better else head / base) - 1


def verdict(extra: float) -> str:
    if abs(extra) <= TOLERANCE:
        return f"within {TOLERANCE:.0%}".replace("%", " %")
    return f"{'slower' if extra > 0 else 'faster'} by {abs(extra) * 100:.1f} %"


def compare(*, base_ref: str, head_ref: str | None, rounds: int, clock: str = "cpu") -> None:
    """Measure both sides alternately, print the table and write the JSON file."""
    base_commit = git("rev-parse", "--verify", "--quiet", f"{base_ref}^{{commit}}")
    head_commit = git("rev-parse", "--verify", "--quiet", f"{head_ref or 'HEAD'}^{{commit}}")
    check_exports(base_commit)
    check_exports(head_commit if head_ref else None)
    scoring_modified = head_ref is None and bool(git("status", "--porcelain", "--", "scoring"))
    runs: dict[str, list[dict[str, float]]] = {"head": [], "base": []}
    with (
        tempfile.TemporaryDirectory(prefix="opsmaturity-scoring-compare-") as scratch,
        ExitStack() as checkouts,
    ):
        folder = Path(scratch)
        runner = folder / "runner"
        runner.mkdir()
        (runner / "bench").symlink_to(REPO_ROOT / "bench", target_is_directory=True)
        base = Side(
            "base",
            f"{base_ref} ({base_commit[:7]})",
            checkouts.enter_context(checkout(base_commit, folder / "base")),
        )
        if head_ref is None:
            modified = ", scoring/ modified" if scoring_modified else ""
            head = Side("head", f"working tree (HEAD {head_commit[:7]}{modified})", REPO_ROOT)
        else:
            tree = checkouts.enter_context(checkout(head_commit, folder / "head"))
            head = Side("head", f"{head_ref} ({head_commit[:7]})", tree)
        for _ in range(rounds):
            for side in (head, base):
                started = time.perf_counter()
                figures = measure(side, runner, clock)
                runs[side.name].append(figures)
                shown = ", ".join(f"{f.key} {figures[f.key]:,.1f}" for f in FIGURES)
                done = len(runs["head"]) + len(runs["base"])
                print(
                    f"run {done}/{2 * rounds} {side.name}: {shown} "
                    f"({time.perf_counter() - started:.1f} s)",
                    file=sys.stderr,
                )
    summary = summarise(runs)
    print(f"scoring: head {head.label} against base {base.label}")
    print(f"median of {rounds} runs each, alternating head and base; {clock} time")
    print(f"  {'figure':<38} {'base':>10} {'head':>10} {'head/base':>9} {'spread':>7}  verdict")
    for figure in FIGURES:
        row = summary[figure.key]
        print(
            f"  {figure.label:<38} {row['base_median']:>10,.1f} {row['head_median']:>10,.1f} "
            f"{row['head_over_base']:>9.3f} {row['run_spread_percent']:>5.0f} %  {row['verdict']}"
        )
    result = {
        "base": {"ref": base_ref, "commit": base_commit},
        "head": {
            "ref": head_ref,
            "commit": head_commit,
            "working_tree": head_ref is None,
            "scoring_modified": scoring_modified,
        },
        "rounds": rounds,
        "order": "head, base, alternating; each run a fresh subprocess",
        "clock": clock,
        "tolerance_percent": TOLERANCE * 100,
        "figures": summary,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"  written to {RESULTS}")


def spread(values: list[float]) -> float:
    """The runs' range relative to their median: a verdict finer than this is noise."""
    return (max(values) - min(values)) / statistics.median(values)


def summarise(runs: dict[str, list[dict[str, float]]]) -> dict[str, dict[str, Any]]:
    """Per figure: every run, the medians, their ratio and the verdict."""
    summary: dict[str, dict[str, Any]] = {}
    for figure in FIGURES:
        base_runs = [run[figure.key] for run in runs["base"]]
        head_runs = [run[figure.key] for run in runs["head"]]
        base_median = statistics.median(base_runs)
        head_median = statistics.median(head_runs)
        extra = extra_time(figure, base_median, head_median)
        summary[figure.key] = {
            "higher_is_better": figure.higher_is_better,
            "base_runs": [round(value, 2) for value in base_runs],
            "head_runs": [round(value, 2) for value in head_runs],
            "base_median": round(base_median, 2),
            "head_median": round(head_median, 2),
            "head_over_base": round(head_median / base_median, 4),
            "head_extra_time_percent": round(extra * 100, 2),
            "run_spread_percent": round(100 * max(map(spread, (base_runs, head_runs))), 1),
            "verdict": verdict(extra),
        }
    return summary
