"""One load run against `opsmaturity serve --workers N`, optionally with faults, checked
against the database at the end. Used by bench/load_bench.py, bench/fault_bench.py and the
short CI tests in tests/load/.

The server starts on an empty database (it migrates), a workspace with one assessment and
its respondents is seeded, and the respondents save answers (bench/respondent_load.py).
Faults, at even intervals:

  kill              SIGKILL to the server's whole process group, then the same command
                    again on the same database; the outage lasts until it is ready
  postgres-restart  the (private) PostgreSQL server stops at once, as in a crash, and
                    starts again a moment later; our server is not touched

A request whose time overlaps an outage is counted apart. The checks: every acknowledged
answer's latest value is what the database holds, no 5xx outside an outage, never a 500
(a database outage answers 503 problem details), and saves are acknowledged after each one.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.private_postgres import PrivatePostgres
from bench.respondent_load import Attempt, SaveLoad, drive_respondents
from bench.serve_process import ServeProcess

__all__ = ["FAULTS", "Outage", "Scenario", "run_scenario"]

FAULTS = ("kill", "postgres-restart")
# The whole run's deadline beyond its planned length: outages, settling, start and stop.
DEADLINE_MARGIN_S = 600.0
SERVER_LOG_TAIL_LINES = 60


@dataclass(frozen=True)
class Scenario:
    name: str
    database_url: str
    questionnaires_dir: Path
    folder: Path  # server logs go here
    respondents: int = 200
    seconds: float = 60.0
    workers: int = 2
    think_s: float = 1.0
    faults: tuple[str, ...] = ()
    postgres: PrivatePostgres | None = None  # needed for "postgres-restart"
    postgres_down_s: float = 3.0


@dataclass
class Outage:
    fault: str
    began: float
    recovered: float
    acknowledged_after: int = 0  # saves acknowledged that started after recovery

    def overlaps(self, attempt: Attempt) -> bool:
        return (
            attempt.started < self.recovered and attempt.started + attempt.latency_s >= self.began
        )


@dataclass
class Checked:
    answers_acknowledged: int = 0
    answers_stored: int = 0  # acknowledged answers whose latest value the database holds
    lost: list[dict[str, Any]] = field(default_factory=list)
    unsettled_saves: int = 0


def run_scenario(scenario: Scenario) -> dict[str, Any]:
    """Run it and return the figures and checks (see `passed`)."""
    for fault in scenario.faults:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; known: {', '.join(FAULTS)}")
    if "postgres-restart" in scenario.faults and scenario.postgres is None:
        raise ValueError("postgres-restart needs a private PostgreSQL server")
    server = ServeProcess(
        database_url=scenario.database_url,
        questionnaires_dir=scenario.questionnaires_dir,
        workers=scenario.workers,
        log_path=scenario.folder / f"{scenario.name}-server.log",
        extra_environment={"OPSMATURITY_RATE_LIMITS": "false"},  # 200 respondents, one address
    )
    server.start()
    try:
        from bench.api_bench import seed

        data = seed(scenario.database_url, scenario.questionnaires_dir, scenario.respondents)
        load = SaveLoad(
            port=server.port,
            assessment_id=data.assessment_id,
            respondents=data.saving_respondents,
            think_s=scenario.think_s,
        )
        outages = asyncio.run(_drive(scenario, load, server))
    finally:
        server.stop()
    checked = _check_database(scenario.database_url, load)
    figures = _figures(scenario, load, outages, checked)
    if not figures["passed"]:  # the server's own account, before its folder goes away
        lines = server.log_path.read_text(errors="replace").splitlines()
        figures["server_log_tail"] = lines[-SERVER_LOG_TAIL_LINES:]
    return figures


async def _drive(scenario: Scenario, load: SaveLoad, server: ServeProcess) -> list[Outage]:
    stopping = asyncio.Event()
    driver = asyncio.create_task(drive_respondents(load, stopping))
    segment = scenario.seconds / (len(scenario.faults) + 1)
    outages: list[Outage] = []
    deadline = scenario.seconds + DEADLINE_MARGIN_S
    try:
        for fault in scenario.faults:
            await _sleep_unless_done(driver, segment)
            began = load.clock()
            await asyncio.to_thread(_inject, fault, scenario, server)
            outages.append(Outage(fault, began, load.clock()))
        await _sleep_unless_done(driver, segment)
        stopping.set()
        await asyncio.wait_for(asyncio.shield(driver), deadline)
    finally:
        stopping.set()
        if not driver.done():
            driver.cancel()
    driver.result()  # a respondent's own failure (e.g. a refused request) surfaces here
    return outages


async def _sleep_unless_done(driver: asyncio.Task[None], seconds: float) -> None:
    await asyncio.wait({driver}, timeout=seconds)
    if driver.done():
        driver.result()
        raise RuntimeError("the respondents stopped early")


def _inject(fault: str, scenario: Scenario, server: ServeProcess) -> None:
    if fault == "kill":
        server.kill()
        server.start()
        return
    assert scenario.postgres is not None
    scenario.postgres.stop_immediately()
    time.sleep(scenario.postgres_down_s)
    scenario.postgres.start()


def _check_database(database_url: str, load: SaveLoad) -> Checked:
    from sqlmodel import col, select

    from app.models import Answer
    from app.persistence.engine import make_engine
    from app.persistence.unit_of_work import unit_of_work

    engine = make_engine(database_url)
    try:
        with unit_of_work(engine) as session:
            rows = session.exec(
                select(Answer).where(
                    col(Answer.respondent_id).in_([r for r, _ in load.respondents])
                )
            ).all()
            stored = {(row.respondent_id, row.item_id): row.value for row in rows}
    finally:
        engine.dispose()
    checked = Checked()
    for log in load.logs:
        checked.unsettled_saves += log.unsettled is not None
        for item, value in log.acknowledged.items():
            checked.answers_acknowledged += 1
            found = stored.get((log.respondent_id, item))
            # A save still unacknowledged when time ran out may have been stored all the same.
            pending = None if log.unsettled is None else log.unsettled.get(item)
            if found == value or (pending is not None and found == pending):
                checked.answers_stored += 1
            else:
                checked.lost.append(
                    {
                        "respondent": log.respondent_id,
                        "item": item,
                        "acknowledged": value,
                        "stored": found,
                    }
                )
    return checked


def _percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return 0.0
    return round(
        sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * share))] * 1000, 1
    )


def _figures(
    scenario: Scenario, load: SaveLoad, outages: list[Outage], checked: Checked
) -> dict[str, Any]:
    during: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    latencies: list[float] = []
    for attempt in load.attempts:
        ok = attempt.outcome.startswith("2")
        if ok:
            latencies.append(attempt.latency_s)
        in_outage = [o for o in outages if o.overlaps(attempt)]
        if not ok:
            (during if in_outage else outside)[attempt.outcome] += 1
        for outage in outages:
            if ok and attempt.started >= outage.recovered:
                outage.acknowledged_after += 1
    latencies.sort()
    all_outcomes = load.outcome_counts()
    saves = sum(log.saves_acknowledged for log in load.logs)
    run_seconds = max((a.started + a.latency_s for a in load.attempts), default=0.0)
    five_xx_outside = sum(n for outcome, n in outside.items() if outcome.startswith("5"))
    figures = {
        "scenario": scenario.name,
        "respondents": scenario.respondents,
        "workers": scenario.workers,
        "seconds": round(run_seconds, 1),
        "think_s": scenario.think_s,
        "requests": len(load.attempts),
        "saves_acknowledged": saves,
        "saves_per_second": round(saves / run_seconds, 1) if run_seconds else 0.0,
        "p50_ms": _percentile(latencies, 0.50),
        "p99_ms": _percentile(latencies, 0.99),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0.0,
        "answers_acknowledged": checked.answers_acknowledged,
        "answers_stored": checked.answers_stored,
        "lost": len(checked.lost),
        "lost_examples": checked.lost[:5],
        "unsettled_saves": checked.unsettled_saves,
        "outcomes": dict(sorted(all_outcomes.items())),
        "errors_during_outages": dict(sorted(during.items())),
        "errors_outside_outages": dict(sorted(outside.items())),
        "five_xx_outside_outages": five_xx_outside,
        "error_media_types": dict(sorted(load.error_media_types.items())),
        "status_500": all_outcomes.get("500", 0),
        "outages": [
            {
                "fault": o.fault,
                "at_s": round(o.began, 1),
                "seconds": round(o.recovered - o.began, 1),
                "saves_acknowledged_after": o.acknowledged_after,
            }
            for o in outages
        ],
        "cpus": os.cpu_count(),
    }
    figures["passed"] = (
        saves > 0
        and checked.answers_acknowledged == checked.answers_stored
        and not checked.lost
        and checked.unsettled_saves == 0
        and five_xx_outside == 0
        and figures["status_500"] == 0
        and not outside
        and all(o.acknowledged_after > 0 for o in outages)
    )
    return figures
