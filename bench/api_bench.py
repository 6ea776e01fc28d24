"""API benchmark: requests/s and p50/p99 latency of the real server, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.api_bench [--seconds 6] [--clients 32] [--rounds 3]
        [--backends sqlite,postgresql]

For each database it seeds a workspace, starts uvicorn (one worker) in a subprocess on
loopback and drives it from this process with keep-alive connections, one per client:

  bare     GET /bench/bare, a bare `def` endpoint: the framework's own ceiling (baseline)
  answers  POST .../respondents/{id}/answers: answer saves by respondents with their invite
           tokens (each client its own respondent, part-way through the questionnaire)
  results  GET .../results: the nested results of an assessment with 30 submitted respondents

The scenarios take turns (`--rounds`), so that other load on the machine weighs on each alike.
Targets: answer saves >= 0.25 x baseline throughput, results reads >= 0.5 x, and p99 under
100 ms with 32 clients. Figures go to bench/results/api.json. Every phase has a deadline and
the server is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.http_load import Figures, RequestMaker, drive, http_request

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_FILE = REPO_ROOT / "bench" / "results" / "api.json"
POSTGRES_ADMIN_DSN = os.environ.get(
    "OPSMATURITY_BENCH_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test"
)
SUBMITTED_RESPONDENTS = 30
TARGETS = {"answers": 0.25, "results": 0.5}
P99_LIMIT_MS = 100.0
NEXT_ROUND_WARMUP = 0.3
ANSWERS = {
    "plan_horizon": "month",
    "plan_slack": "some",
    "late_share": 20,
    "missed_reviewed": "yes",
    "review_depth": "cause",
    "tools_in_use": ["tracker", "runbook"],
    "manual_hours": 3,
    "tool_owner": "volunteer",
    "weekly_review": "weekly",
    "meeting_load": "some",
}
HORIZONS = ("none", "week", "month", "quarter")


def bench_app() -> Any:
    """The uvicorn factory: the real app from the environment's settings, plus a bare route."""
    from app.main import create_app
    from app.settings import Settings

    app = create_app(Settings(), serves_the_process=True)

    @app.get("/bench/bare", include_in_schema=False)
    def bare() -> dict[str, bool]:
        return {"ok": True}

    # First in the route table: the framework matches a path against the routes in order
    # (about 5 microseconds a route here), and the baseline should not pay for scanning the
    # app's hundred routes that come before it, or it would flatter every ratio.
    app.router.routes.insert(0, app.router.routes.pop())
    return app


@dataclass
class Seed:
    api_key: str
    assessment_id: str
    saving_respondents: list[tuple[str, str]]  # (respondent id, invite token)


def seed(database_url: str, questionnaires_dir: Path, clients: int) -> Seed:
    """A workspace, a key, a client and an assessment with submitted and part-way respondents."""
    from app.catalog import load_catalog
    from app.migrations.runner import upgrade_schema
    from app.models import utc_now
    from app.persistence.engine import make_engine
    from app.persistence.unit_of_work import unit_of_work
    from app.services import answers, assessments, respondents
    from app.services import clients as client_service
    from bench.seed import create_bench_workspace

    engine = make_engine(database_url)
    catalog = load_catalog(questionnaires_dir)
    try:
        upgrade_schema(engine)
        now = utc_now()
        with unit_of_work(engine, writes=True) as session:
            workspace_id, key = create_bench_workspace(session=session, name="Bench", now=now)
            client = client_service.create_client(
                session=session,
                workspace_id=workspace_id,
                actor="bench",
                name="Acme",
                industry=None,
                size_band=None,
                external_ref="crm-1",
                now=now,
            )
            assessment = assessments.create_assessment(
                session=session,
                catalog=catalog,
                workspace_id=workspace_id,
                actor="bench",
                client_id=client.id,
                title="Bench",
                questionnaire_id="example",
                questionnaire_version=None,
                target_overall="strong",
                target_dimensions={},
                baseline_assessment_id=None,
                anonymity_k=None,
                status="open",
                now=now,
            )
            invited = respondents.add_respondents(
                session=session,
                catalog=catalog,
                workspace_id=workspace_id,
                actor="bench",
                assessment_id=assessment.id,
                respondents=[
                    respondents.NewRespondent(None, None, {"role": "manager"})
                    for _ in range(SUBMITTED_RESPONDENTS + clients)
                ],
                base_url="http://127.0.0.1",
                now=now,
            )
            for number, person in enumerate(invited):
                submitted = number < SUBMITTED_RESPONDENTS
                changes = (
                    {**ANSWERS, "plan_horizon": HORIZONS[number % 4]}
                    if submitted
                    else {"plan_slack": "some"}
                )
                answers.save_answers(
                    session=session,
                    catalog=catalog,
                    workspace_id=workspace_id,
                    actor="bench",
                    by_consultant=True,
                    assessment_id=assessment.id,
                    respondent_id=person.respondent.id,
                    changes=changes,
                    submit=submitted,
                    now=now,
                )
        saving = [(p.respondent.id, p.invite_token) for p in invited[SUBMITTED_RESPONDENTS:]]
        return Seed(key, assessment.id, saving)
    finally:
        engine.dispose()


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str | None]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    import psycopg

    name = f"opsmaturity_bench_{os.getpid()}_{int(time.time())}"
    try:
        with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        print(f"postgresql: skipped, {POSTGRES_ADMIN_DSN} unreachable ({error})".strip())
        yield None
        return
    try:
        yield f"postgresql+psycopg://{POSTGRES_ADMIN_DSN.removeprefix('postgresql://').rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(database_url: str, questionnaires_dir: Path) -> Iterator[int]:
    port = free_port()
    environment = {
        **os.environ,
        "OPSMATURITY_DATABASE_URL": database_url,
        "OPSMATURITY_QUESTIONNAIRES_DIR": str(questionnaires_dir),
        "OPSMATURITY_ENVIRONMENT": "test",
        # One API key driven flat out: the limits would measure themselves.
        "OPSMATURITY_RATE_LIMITS": "off",
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.api_bench:bench_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    server = subprocess.Popen(command, cwd=REPO_ROOT, env=environment)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def scenarios(port: int, data: Seed) -> dict[str, RequestMaker]:
    auth = {"Authorization": f"Bearer {data.api_key}"}
    bare = http_request("GET", "/bench/bare", port, {})
    results = http_request("GET", f"/api/v1/assessments/{data.assessment_id}/results", port, auth)
    saves = [
        [
            http_request(
                "POST",
                f"/api/v1/assessments/{data.assessment_id}/respondents/{respondent}/answers",
                port,
                {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                json.dumps({"answers": {"plan_horizon": horizon, "late_share": 5 + n}}).encode(),
            )
            for n, horizon in enumerate(HORIZONS)
        ]
        for respondent, token in data.saving_respondents
    ]
    return {
        "bare": lambda _client, _n: bare,
        "answers": lambda client, n: saves[client][n % len(HORIZONS)],
        "results": lambda _client, _n: results,
    }


def combined(scenario: str, parts: list[Figures]) -> Figures:
    """The rounds of one scenario as one: throughput over all of them, the median round's
    p50 and the worst round's p99 (on the safe side)."""
    requests = sum(f.requests for f in parts)
    seconds = sum(f.seconds for f in parts)
    return Figures(
        scenario=scenario,
        requests=requests,
        errors=sum(f.errors for f in parts),
        seconds=seconds,
        requests_per_second=round(requests / seconds, 1) if seconds else 0.0,
        p50_ms=statistics.median(f.p50_ms for f in parts),
        p99_ms=max(f.p99_ms for f in parts),
    )


def run_backend(
    backend: str,
    clients: int,
    seconds: float,
    warmup: float,
    folder: Path,
    questionnaires_dir: Path,
    rounds: int = 1,
) -> dict[str, Any] | None:
    with fresh_database(backend, folder) as database_url:
        if database_url is None:
            return None
        data = seed(database_url, questionnaires_dir, clients)
        with running_server(database_url, questionnaires_dir) as port:
            makers = scenarios(port, data)
            runs: dict[str, list[Figures]] = {name: [] for name in makers}
            # Scenarios take turns, `rounds` times, so that a change in the machine's other
            # load weighs on each of them alike and the ratios to the baseline stay fair.
            for round_number in range(rounds):
                for name, maker in makers.items():
                    warm = warmup if round_number == 0 else min(warmup, NEXT_ROUND_WARMUP)
                    runs[name].append(
                        asyncio.run(drive(port, name, maker, clients, seconds / rounds, warm))
                    )
            figures = {name: combined(name, parts) for name, parts in runs.items()}
    baseline = figures["bare"].requests_per_second or 1.0
    checks = {
        f"{name}_throughput_ratio": round(figures[name].requests_per_second / baseline, 3)
        for name in TARGETS
    }
    passed = all(
        checks[f"{name}_throughput_ratio"] >= target for name, target in TARGETS.items()
    ) and all(f.p99_ms < P99_LIMIT_MS and f.errors == 0 for f in figures.values())
    return {
        "figures": {name: asdict(f) for name, f in figures.items()},
        **checks,
        "targets_met": passed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=6.0, help="measured seconds per scenario")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument(
        "--rounds", type=int, default=3, help="turns each scenario takes, splitting its seconds"
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    arguments = parser.parse_args()
    report: dict[str, Any] = {
        "clients": arguments.clients,
        "seconds_per_scenario": arguments.seconds,
        "rounds": arguments.rounds,
        "targets": {
            "answers_ratio": TARGETS["answers"],
            "results_ratio": TARGETS["results"],
            "p99_ms": P99_LIMIT_MS,
        },
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "backends": {},
    }
    with tempfile.TemporaryDirectory(prefix="opsmaturity-bench-") as scratch:
        folder = Path(scratch)
        questionnaires_dir = folder / "questionnaires"
        shutil.copytree(
            REPO_ROOT / "questionnaires" / "example" / "1.0.0", questionnaires_dir / "example"
        )
        for backend in arguments.backends.split(","):
            outcome = run_backend(
                backend,
                arguments.clients,
                arguments.seconds,
                arguments.warmup,
                folder,
                questionnaires_dir,
                max(1, arguments.rounds),
            )
            if outcome is None:
                continue
            report["backends"][backend] = outcome
            print(f"\n{backend}: {arguments.clients} clients, {arguments.seconds:g} s per scenario")
            print(f"  {'scenario':<9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
            for figures in outcome["figures"].values():
                print(
                    f"  {figures['scenario']:<9} {figures['requests_per_second']:>9.1f} "
                    f"{figures['p50_ms']:>8.2f} {figures['p99_ms']:>8.2f} {figures['errors']:>7}"
                )
            print(
                f"  answers/bare {outcome['answers_throughput_ratio']:.2f} (target {TARGETS['answers']}), "
                f"results/bare {outcome['results_throughput_ratio']:.2f} (target {TARGETS['results']}), "
                f"targets {'met' if outcome['targets_met'] else 'NOT met'}"
            )
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS_FILE.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
