"""Report rendering benchmark: the standard team report rendered naively and as we render it.

In one run, on the standard team report (8 dimensions, 12 respondents: the flagship package when
it validates, else a generated package of the same shape):

- naive: a fresh Python process renders the same HTML with WeasyPrint's default settings
  (default URL fetcher, stylesheets and fonts parsed from scratch), as a first version would;
- ours, fresh content: a warm worker renders a report it has not seen (a new client name each
  time, so no cache can help): view model, HTML and PDF with cached stylesheets and fonts;
- ours, first render in a new process (what a worker pays once at start-up);
- a long report (8 dimensions of 12 questions, 40 respondents, every recommendation);
- a cached download through the API (the report cache is a database table);
- the API's p99 latency (GET .../results, 8 clients) while 4 reports render in the worker pool.

Medians over several rounds (wall clock; CPU time alongside, since other processes share the
machine). Figures go to stdout and bench/results/reports.json. Target on 2 cores: a fresh
standard report <= 1.0 s median.

`--sections` adds what each chapter of the standard report costs (CPU time of the report
without that chapter, against the whole), and `--profile FILE` writes a cProfile of one warm
render: both are deterministic enough to compare on a shared machine. `--help` lists the rest.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from app.reports import Branding, ReportView, build_report_view, render_html, render_pdf
from app.reports.render import TEMPLATES_DIR, html_to_pdf, pdf_source_html
from app.reports.view_model import ReportDetail
from scoring import AssessmentResult, Package, Targets, score_assessment
from tests.reports.specimen import flagship_assessment, generated_team, specimen_package

RESULTS = Path(__file__).resolve().parent / "results" / "reports.json"
ROUNDS = int(os.environ.get("REPORT_BENCH_ROUNDS", "5"))
_CHAPTER = re.compile(
    r'<section class="chapter (?P<kind>[a-z]+)[^"]*" id="(?P<id>[^"]+)">.*?</section>', re.S
)
BRANDING = Branding.checked(firm_name="Northwind Advisory", primary_colour="#1f4e79")

NAIVE_SCRIPT = """
import sys, time
start = time.perf_counter()
from weasyprint import HTML
HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf(sys.argv[3])
print(time.perf_counter() - start)
"""


def standard_assessment() -> tuple[str, Package, AssessmentResult]:
    flagship = flagship_assessment(respondents=12)
    if flagship is not None:
        return "flagship operational-maturity, 12 respondents", *flagship
    package = specimen_package()
    result = score_assessment(package, generated_team(package), targets=Targets(overall="managed"))
    return "generated 8x6 package, 12 respondents", package, result


def long_assessment() -> tuple[Package, AssessmentResult]:
    package = specimen_package(items_per_dimension=12)
    team = generated_team(package, respondents=40)
    return package, score_assessment(package, team, targets=Targets(overall="scalable"))


def view_for(
    package: Package, result: AssessmentResult, client: str, detail: ReportDetail = "executive"
) -> ReportView:
    return build_report_view(
        package,
        result,
        branding=BRANDING,
        client_name=client,
        report_date=dt.date(2025, 11, 21),
        variant="team",
        detail=detail,
    )


def timed(function: Callable[[int], object], rounds: int | None = None) -> dict[str, float]:
    walls, cpus = [], []
    for round_number in range(ROUNDS if rounds is None else rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        function(round_number)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {
        "median_s": round(statistics.median(walls), 3),
        "best_s": round(min(walls), 3),
        "median_cpu_s": round(statistics.median(cpus), 3),
    }


def naive_render(view: ReportView, folder: Path) -> dict[str, float]:
    """The same report as a first version would render it: inline styles, default settings,
    a new process for each render."""
    stylesheets = "".join(
        (TEMPLATES_DIR / name).read_text(encoding="utf-8") for name in ("fonts.css", "report.css")
    )
    html = render_html(view).replace("</head>", f"<style>{stylesheets}</style></head>", 1)
    source = folder / "naive.html"
    source.write_text(html, encoding="utf-8")
    walls = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                NAIVE_SCRIPT,
                str(source),
                TEMPLATES_DIR.as_uri() + "/",
                str(folder / "naive.pdf"),
            ],
            check=True,
            capture_output=True,
        )
        walls.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(walls), 3), "best_s": round(min(walls), 3)}


def first_render_in_new_process() -> float:
    script = (
        "import time; start = time.perf_counter();"
        "from bench.report_bench import standard_assessment, view_for;"
        "from app.reports import render_pdf;"
        "_, p, r = standard_assessment(); render_pdf(view_for(p, r, 'First'));"
        "print(time.perf_counter() - start)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return round(float(completed.stdout.strip().splitlines()[-1]), 3)


def chapter_costs(view: ReportView, rounds: int) -> dict[str, dict[str, float]]:
    """CPU seconds of the whole report and, per chapter, how much less it costs without that
    chapter (the eight dimension chapters together): where the render time goes."""
    html = pdf_source_html(view)
    kinds = sorted({m["kind"] for m in _CHAPTER.finditer(html)})
    variants = {"whole report": html}
    for kind in kinds:
        variants[f"without {kind}"] = _CHAPTER.sub(
            lambda m, kind=kind: "" if m["kind"] == kind else m[0], html
        )
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):  # interleaved, so a busy moment hits every variant alike
        for name, source in variants.items():
            start = time.process_time()
            html_to_pdf(source)
            cpu[name].append(time.process_time() - start)
    whole = min(cpu["whole report"])
    return {
        name: {"min_cpu_s": round(min(times), 3), "share": round(1 - min(times) / whole, 3)}
        for name, times in cpu.items()
    }


def profile_one_render(view: ReportView, path: Path) -> None:
    render_pdf(view)  # warm
    profiler = cProfile.Profile()
    profiler.enable()
    render_pdf(view)
    profiler.disable()
    profiler.dump_stats(path)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.report_bench",
        description="Report rendering: naive against ours, first render, long report, "
        "cached download and API latency while reports render.",
    )
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds per figure")
    parser.add_argument(
        "--skip-api", action="store_true", help="leave out the cached download and API latency"
    )
    parser.add_argument(
        "--sections", action="store_true", help="also measure what each chapter costs"
    )
    parser.add_argument(
        "--profile", type=Path, metavar="FILE", help="only write a cProfile of one warm render"
    )
    return parser.parse_args()


def main() -> None:
    global ROUNDS
    options = arguments()
    ROUNDS = options.rounds
    label, package, result = standard_assessment()
    standard_view = view_for(package, result, "Contoso")
    if options.profile:
        profile_one_render(standard_view, options.profile)
        return
    pages = len(PdfReader(io.BytesIO(render_pdf(standard_view))).pages)
    figures: dict[str, Any] = {"standard_report": label, "pages": pages, "rounds": ROUNDS}
    with tempfile.TemporaryDirectory() as folder:
        figures["naive_fresh_process"] = naive_render(standard_view, Path(folder))
    figures["ours_first_render_new_process_s"] = first_render_in_new_process()
    figures["ours_fresh_content"] = timed(
        lambda n: render_pdf(view_for(package, result, f"Client {n}"))
    )
    # Per page, on the full report (with its item-level appendix), against naive WeasyPrint
    # on the same HTML.
    full_view = view_for(package, result, "Contoso", "full")
    figures["full_report_pages"] = len(PdfReader(io.BytesIO(render_pdf(full_view))).pages)
    with tempfile.TemporaryDirectory() as folder:
        figures["naive_full_report"] = naive_render(full_view, Path(folder))
    figures["ours_full_report"] = timed(
        lambda n: render_pdf(view_for(package, result, f"Client {n}", "full"))
    )
    long_package, long_result = long_assessment()
    long_pdf = render_pdf(view_for(long_package, long_result, "Client"))
    figures["long_report_pages"] = len(PdfReader(io.BytesIO(long_pdf)).pages)
    figures["ours_long_report"] = timed(
        lambda n: render_pdf(view_for(long_package, long_result, f"Client {n}")), rounds=3
    )
    figures["view_model_and_html_only"] = timed(
        lambda n: render_html(view_for(package, result, f"Client {n}")), rounds=10
    )
    if options.sections:
        figures["chapters"] = chapter_costs(standard_view, max(3, ROUNDS))
    if not options.skip_api:
        figures["api"] = api_figures()
    figures["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load": os.getloadavg(),
    }
    naive = figures["naive_fresh_process"]["median_s"]
    ours = figures["ours_fresh_content"]["median_s"]
    print(f"standard report: {label}; {pages} pages")
    print(f"naive (fresh process, default settings): median {naive:.3f} s")
    print(
        f"ours, fresh content in a warm worker:   median {ours:.3f} s ({naive / ours:.1f}x faster; target <= 1.0 s)"
    )
    print(
        f"  CPU time of that render:              median {figures['ours_fresh_content']['median_cpu_s']:.3f} s "
        f"({1000 * figures['ours_fresh_content']['median_cpu_s'] / pages:.0f} ms a page)"
    )
    full_pages = figures["full_report_pages"]
    naive_page = 1000 * figures["naive_full_report"]["median_s"] / full_pages
    ours_page = 1000 * figures["ours_full_report"]["median_s"] / full_pages
    print(
        f"full report ({full_pages} pages), per page: naive {naive_page:.0f} ms, ours {ours_page:.0f} ms "
        f"({naive_page / ours_page:.2f}x; target >= 1.5x, goal 2x)"
    )
    print(
        f"ours, first render in a new process:    {figures['ours_first_render_new_process_s']:.3f} s"
    )
    print(
        f"ours, long report ({figures['long_report_pages']} pages):           median {figures['ours_long_report']['median_s']:.3f} s"
    )
    print(
        f"view model + HTML only:                 median {figures['view_model_and_html_only']['median_s']:.3f} s"
    )
    for name, cost in figures.get("chapters", {}).items():
        print(
            f"  {name:<36} {cost['min_cpu_s']:.3f} s CPU ({100 * cost['share']:.0f}% of the whole)"
        )
    if "api" in figures:
        api = figures["api"]
        print(
            f"cached download through the API:       median {api['cached_download_ms']['median']:.2f} ms (target <= 20 ms)"
        )
        print(
            f"API p99 (GET results, 8 clients):       idle {api['results_p99_ms_idle']:.1f} ms; "
            f"while {CONCURRENT_RENDERS} reports render {api['results_p99_ms_while_4_reports_render']:.1f} ms (target < 100 ms)"
        )
        print(f"four concurrent renders finished in    {api['four_renders_done_s']:.2f} s")
    print(f"load average during the run: {figures['machine']['load']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


# --- Through the API: a cached download, and API latency while reports render ----------------

CONCURRENT_RENDERS = 4


def seed_reports(database_url: str, assessments: int) -> tuple[str, list[str]]:
    """A workspace and `assessments` assessments of the flagship (else the example package),
    each with 12 submitted respondents: (API key, assessment ids)."""
    from app.catalog import load_catalog
    from app.migrations.runner import upgrade_schema
    from app.models import utc_now
    from app.persistence.engine import make_engine
    from app.persistence.unit_of_work import unit_of_work
    from app.services import answers, respondents
    from app.services import assessments as assessment_service
    from app.services import clients as client_service
    from app.settings import DEFAULT_QUESTIONNAIRES_DIR
    from bench.seed import create_bench_workspace

    engine = make_engine(database_url)
    catalog = load_catalog(DEFAULT_QUESTIONNAIRES_DIR)
    _, package, _ = standard_assessment()
    upgrade_schema(engine)
    now = utc_now()
    ids = []
    try:
        with unit_of_work(engine, writes=True) as session:
            workspace_id, key = create_bench_workspace(
                session=session, name="Northwind Advisory", now=now
            )
            for number in range(assessments):
                client = client_service.create_client(
                    session=session,
                    workspace_id=workspace_id,
                    actor="bench",
                    name=f"Client {number}",
                    industry=None,
                    size_band=None,
                    external_ref=f"crm-{number}",
                    now=now,
                )
                assessment = assessment_service.create_assessment(
                    session=session,
                    catalog=catalog,
                    workspace_id=workspace_id,
                    actor="bench",
                    client_id=client.id,
                    title=f"Review {number}",
                    questionnaire_id=package.id,
                    questionnaire_version=package.version,
                    target_overall=None,
                    target_dimensions={},
                    baseline_assessment_id=None,
                    anonymity_k=None,
                    status="open",
                    now=now,
                )
                team = generated_team(package, respondents=12, seed=number)
                invited = respondents.add_respondents(
                    session=session,
                    catalog=catalog,
                    workspace_id=workspace_id,
                    actor="bench",
                    assessment_id=assessment.id,
                    respondents=[
                        respondents.NewRespondent(None, None, dict(p.attributes)) for p in team
                    ],
                    base_url="http://127.0.0.1",
                    now=now,
                )
                for person, given in zip(invited, team, strict=True):
                    answers.save_answers(
                        session=session,
                        catalog=catalog,
                        workspace_id=workspace_id,
                        actor="bench",
                        by_consultant=True,
                        assessment_id=assessment.id,
                        respondent_id=person.respondent.id,
                        changes={k: v for k, v in given.answers.items() if v is not None},
                        submit=True,
                        now=now,
                    )
                ids.append(assessment.id)
    finally:
        engine.dispose()
    return key, ids


def api_figures() -> dict[str, Any]:
    """Cached download time, and p99 of GET .../results while four reports render."""
    import asyncio
    import threading
    import urllib.request

    from app.settings import DEFAULT_QUESTIONNAIRES_DIR
    from bench.api_bench import running_server
    from bench.http_load import drive, http_request

    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite:///{Path(folder) / 'reports.db'}"
        key, ids = seed_reports(database_url, 2 + CONCURRENT_RENDERS)
        with running_server(database_url, DEFAULT_QUESTIONNAIRES_DIR) as port:

            def download(assessment_id: str) -> float:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/v1/assessments/{assessment_id}/report.pdf",
                    headers={"Authorization": f"Bearer {key}"},
                )
                start = time.perf_counter()
                with urllib.request.urlopen(request, timeout=120) as response:
                    response.read()
                return time.perf_counter() - start

            # Start both render workers (spawn + warm-up) with two reports, then measure.
            warm = [threading.Thread(target=download, args=(aid,)) for aid in ids[:2]]
            for thread in warm:
                thread.start()
            for thread in warm:
                thread.join()
            cached = sorted(download(ids[0]) for _ in range(50))
            results = http_request(
                "GET",
                f"/api/v1/assessments/{ids[0]}/results",
                port,
                {"Authorization": f"Bearer {key}"},
            )
            idle = asyncio.run(drive(port, "results, idle", lambda _c, _n: results, 8, 3.0, 0.5))
            render_times: list[float] = []
            renders = [
                threading.Thread(target=lambda aid=aid: render_times.append(download(aid)))
                for aid in ids[2:]
            ]
            started = time.perf_counter()
            for thread in renders:
                thread.start()
            busy = asyncio.run(
                drive(port, "results, 4 reports rendering", lambda _c, _n: results, 8, 3.0, 0.0)
            )
            for thread in renders:
                thread.join()
            all_done = time.perf_counter() - started
    return {
        "cached_download_ms": {
            "median": round(statistics.median(cached) * 1000, 2),
            "p99": round(cached[int(len(cached) * 0.99) - 1] * 1000, 2),
        },
        "results_p99_ms_idle": idle.p99_ms,
        "results_p99_ms_while_4_reports_render": busy.p99_ms,
        "results_p50_ms_while_4_reports_render": busy.p50_ms,
        "results_requests_while_rendering": busy.requests,
        "results_errors_while_rendering": busy.errors,
        "four_renders_done_s": round(all_done, 2),
        "render_download_s": sorted(round(t, 2) for t in render_times),
    }


if __name__ == "__main__":
    main()
