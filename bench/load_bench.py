"""Load benchmark: simulated respondents saving answers against `opsmaturity serve --workers N`.

    .venv/bin/python -m bench.load_bench                  # short: 40 respondents, 10 s
    .venv/bin/python -m bench.load_bench --full           # 200 respondents for 60 s
    .venv/bin/python -m bench.load_bench --respondents 200 --seconds 60 --workers 2 \\
        --think-ms 1000 --backends sqlite,postgresql

For each database it starts the server on an empty database (loopback, a free port), seeds
one assessment, and lets every respondent save answers with its own invite token, pausing
about --think-ms between saves (bench/respondent_load.py). Then it reads the database and
compares: every acknowledged answer's latest value must be stored, no 5xx. The baseline,
measured in the same run, is the same load against one worker. Figures go to
bench/results/load.json; the exit code is 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.api_bench import fresh_database
from bench.load_scenario import Scenario, run_scenario

__all__ = ["main", "print_table"]

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_FILE = REPO_ROOT / "bench" / "results" / "load.json"
SHORT = {"respondents": 40, "seconds": 10.0}
FULL = {"respondents": 200, "seconds": 60.0}


def common_arguments(parser: argparse.ArgumentParser, *, seconds: float) -> None:
    parser.add_argument("--full", action="store_true", help="200 respondents for 60 s")
    parser.add_argument("--respondents", type=int, help=f"default {SHORT['respondents']}")
    parser.add_argument("--seconds", type=float, help=f"default {seconds:g}")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--think-ms", type=float, default=1000.0, help="mean pause between saves")


def example_questionnaires(folder: Path) -> Path:
    target = folder / "questionnaires"
    shutil.copytree(REPO_ROOT / "questionnaires" / "example" / "1.0.0", target / "example")
    return target


def print_table(title: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(
        f"  {'scenario':<34} {'workers':>7} {'saves':>7} {'saves/s':>8} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'acked':>6} {'stored':>6} {'lost':>5} {'5xx':>4} {'outage errors':<22} ok"
    )
    for row in rows:
        outage_errors = ", ".join(f"{k}: {v}" for k, v in row["errors_during_outages"].items())
        print(
            f"  {row['scenario']:<34} {row['workers']:>7} {row['saves_acknowledged']:>7} "
            f"{row['saves_per_second']:>8.1f} {row['p50_ms']:>7.1f} {row['p99_ms']:>7.1f} "
            f"{row['answers_acknowledged']:>6} {row['answers_stored']:>6} {row['lost']:>5} "
            f"{row['five_xx_outside_outages']:>4} {outage_errors or '-':<22} "
            f"{'yes' if row['passed'] else 'NO'}"
        )
        for outage in row["outages"]:
            print(
                f"    {outage['fault']} at {outage['at_s']} s: {outage['seconds']} s until "
                f"recovered, {outage['saves_acknowledged_after']} saves acknowledged after"
            )
        if row["errors_outside_outages"]:
            print(f"    errors outside outages: {row['errors_outside_outages']}")
        if row["lost_examples"]:
            print(f"    lost, e.g.: {row['lost_examples'][0]}")
        if "server_log_tail" in row:
            print("    the server's log ended with:")
            print("\n".join(f"      {line}" for line in row["server_log_tail"]))


def write_results(path: Path, report: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {path.relative_to(REPO_ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    common_arguments(parser, seconds=SHORT["seconds"])
    parser.add_argument("--backends", default="sqlite,postgresql")
    arguments = parser.parse_args()
    size = FULL if arguments.full else SHORT
    respondents = arguments.respondents or int(size["respondents"])
    seconds = arguments.seconds or size["seconds"]
    report: dict[str, Any] = {
        "respondents": respondents,
        "seconds": seconds,
        "think_ms": arguments.think_ms,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "backends": {},
    }
    passed = True
    with tempfile.TemporaryDirectory(prefix="opsmaturity-load-") as scratch:
        folder = Path(scratch)
        questionnaires_dir = example_questionnaires(folder)
        for backend in arguments.backends.split(","):
            rows = []
            # The baseline is one worker; then the workers asked for.
            for workers in dict.fromkeys((1, arguments.workers)):
                with fresh_database(backend, folder / f"{backend}-{workers}") as database_url:
                    if database_url is None:
                        break
                    rows.append(
                        run_scenario(
                            Scenario(
                                name=f"{backend} load",
                                database_url=database_url,
                                questionnaires_dir=questionnaires_dir,
                                folder=folder,
                                respondents=respondents,
                                seconds=seconds,
                                workers=workers,
                                think_s=arguments.think_ms / 1000,
                            )
                        )
                    )
            if not rows:
                continue
            report["backends"][backend] = rows
            passed = passed and all(row["passed"] for row in rows)
            print_table(f"{backend}: {respondents} respondents, {seconds:g} s", rows)
    write_results(RESULTS_FILE, report)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
