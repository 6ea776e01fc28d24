"""Fault benchmark: the load of bench/load_bench.py while the server or the database fails.

    .venv/bin/python -m bench.fault_bench                 # short: 40 respondents, 20 s
    .venv/bin/python -m bench.fault_bench --full --faults kill,postgres-restart

  kill              SIGKILL to the server's whole process group mid-run, then the same
                    `opsmaturity serve --workers N` again on the same database
  postgres-restart  PostgreSQL stops at once (pg_ctl stop -m immediate) and starts again
                    --down-seconds later; our server is left alone and must recover by itself

SQLite runs the kill fault. PostgreSQL runs on a private server made for the run with initdb
and pg_ctl on a free loopback port (never the machine's shared one), and takes both faults.
Connection errors while the server is down are expected, and while the database is down
requests get 503 problem details; both are reported apart. The checks: every acknowledged
answer's latest value is stored, no 5xx outside an outage and never a 500, and saves are
acknowledged again after each fault. The baseline is the same run without faults. Figures go
to bench/results/faults.json; the exit code is 1 when a check fails.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.load_bench import (
    FULL,
    REPO_ROOT,
    common_arguments,
    example_questionnaires,
    print_table,
    write_results,
)
from bench.load_scenario import FAULTS, Scenario, run_scenario
from bench.private_postgres import private_postgres

__all__ = ["main"]

RESULTS_FILE = REPO_ROOT / "bench" / "results" / "faults.json"
SHORT = {"respondents": 40, "seconds": 20.0}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    common_arguments(parser, seconds=SHORT["seconds"])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--faults", default=",".join(FAULTS), help="kill,postgres-restart")
    parser.add_argument("--down-seconds", type=float, default=3.0, help="PostgreSQL's outage")
    parser.add_argument("--no-baseline", action="store_true", help="skip the run without faults")
    arguments = parser.parse_args()
    size = FULL if arguments.full else SHORT
    faults = tuple(f for f in arguments.faults.split(",") if f)
    report: dict[str, Any] = {
        "respondents": arguments.respondents or int(size["respondents"]),
        "seconds": arguments.seconds or size["seconds"],
        "think_ms": arguments.think_ms,
        "faults": faults,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "backends": {},
    }
    passed = True
    with tempfile.TemporaryDirectory(prefix="opsmaturity-faults-") as scratch:
        folder = Path(scratch)
        questionnaires_dir = example_questionnaires(folder)
        for backend in arguments.backends.split(","):
            backend_faults = tuple(
                f for f in faults if backend == "postgresql" or f != "postgres-restart"
            )
            runs = [("baseline", ())] if not arguments.no_baseline else []
            runs.append(("+".join(backend_faults) or "no faults", backend_faults))
            rows = []
            for label, run_faults in runs:
                rows.append(
                    _run(backend, label, run_faults, folder, questionnaires_dir, arguments, report)
                )
            report["backends"][backend] = rows
            passed = passed and all(row["passed"] for row in rows)
            print_table(f"{backend}: {report['respondents']} respondents", rows)
    write_results(RESULTS_FILE, report)
    return 0 if passed else 1


def _run(
    backend: str,
    label: str,
    faults: tuple[str, ...],
    folder: Path,
    questionnaires_dir: Path,
    arguments: argparse.Namespace,
    report: dict[str, Any],
) -> dict[str, Any]:
    def scenario(database_url: str, postgres: Any = None) -> Scenario:
        return Scenario(
            name=f"{backend} {label}",
            database_url=database_url,
            questionnaires_dir=questionnaires_dir,
            folder=folder,
            respondents=report["respondents"],
            seconds=report["seconds"],
            workers=arguments.workers,
            think_s=arguments.think_ms / 1000,
            faults=faults,
            postgres=postgres,
            postgres_down_s=arguments.down_seconds,
        )

    if backend == "sqlite":
        database = folder / f"{label.replace('+', '-')}.db"
        return run_scenario(scenario(f"sqlite:///{database}"))
    with private_postgres() as postgres:
        postgres.create_database("opsmaturity")
        return run_scenario(scenario(postgres.url("opsmaturity"), postgres))


if __name__ == "__main__":
    sys.exit(main())
