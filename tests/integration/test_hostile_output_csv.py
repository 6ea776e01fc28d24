"""CSV exports: cells a spreadsheet would run as a formula are neutralised the OWASP way (a
leading single quote), numbers stay numbers (negative ones too), and text with commas, quotes
and line breaks round-trips through Python's csv module. The file's name never carries text."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.catalog import load_package_dir
from app.services.results_csv import COLUMNS, render_results_csv, spreadsheet_safe
from scoring import Package, RespondentAnswers, score_assessment
from tests.conftest import QUESTIONNAIRES
from tests.integration.flow import FULL_ANSWERS
from tests.integration.hostile_world import HostileWorld, build_hostile_world
from tests.integration.live_server import LiveServer

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Text a questionnaire's author wrote: every cell of it starts like a formula, or needs quoting.
TITLES = {
    "Delivery": '=HYPERLINK("http://127.0.0.1:9/x","Delivery")',
    "Planning": "-Planning",
    "Tooling": '+Tooling, "owned"\nand shared',
    "Rhythm": "@SUM(A1:A9)",
}
STAGES = {"Ad hoc": "-Ad hoc", "Steady": "\tSteady", "Strong": '\rStrong, "calm"\nreally'}


@pytest.fixture(scope="module")
def world(server: LiveServer) -> Iterator[HostileWorld]:
    built = build_hostile_world(server)
    yield built
    built.close()


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_results_csv_parses_and_its_file_name_carries_no_text(world: HostileWorld) -> None:
    export = world.api.get(f"/api/v1/assessments/{world.assessment_id}/results.csv")
    assert export.status_code == 200, export.text[:300]
    assert export.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = export.headers["content-disposition"]
    assert re.fullmatch(r'attachment; filename="asm_[0-9a-f]+-results\.csv"', disposition)
    rows = _rows(export.text)
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["subject"] == "overall" and float(rows[0]["score"]) >= 0
    assert world.texts["client"] not in export.text and world.texts["name"] not in export.text


def test_downloads_are_named_by_ascii_slugs_of_client_and_round(world: HostileWorld) -> None:
    """The hostile client name becomes letters, digits and hyphens: nothing a header or a file
    system could read as markup, quoting or a path."""
    aid = world.assessment_id
    downloads = [
        (world.api, f"/api/v1/assessments/{aid}/report.pdf", "inline", "report.pdf"),
        (world.browser, f"/console/assessments/{aid}/report.pdf", "attachment", "report.pdf"),
        (world.browser, f"{world.self_link}/report.pdf", "attachment", "report.pdf"),
    ]
    for client, path, disposition, suffix in downloads:
        response = client.get(path)
        assert response.status_code == 200, path
        header = response.headers["content-disposition"]
        pattern = rf'{disposition}; filename="[a-z0-9]+(-[a-z0-9]+)*-{re.escape(suffix)}"'
        assert re.fullmatch(pattern, header), (path, header)
        for name, value in response.headers.items():
            assert "\r" not in value and "\n" not in value and "<" not in value, (path, name)


def _hostile_package(tmp_path: Path) -> Package:
    folder = tmp_path / "example"
    shutil.copytree(QUESTIONNAIRES / "example" / "1.0.0", folder)
    questionnaire = folder / "questionnaire.yaml"
    text = questionnaire.read_text()
    for plain, hostile in TITLES.items():
        text = text.replace(f"title: {plain}\n", f"title: {_yaml_string(hostile)}\n")
    questionnaire.write_text(text)
    stage_model = folder / "stage_model.yaml"
    stages = stage_model.read_text().replace(
        "scale: {min: 0, max: 100}", "scale: {min: -100, max: 100}"
    )
    for plain, hostile in STAGES.items():
        stages = stages.replace(f"name: {plain}\n", f"name: {_yaml_string(hostile)}\n")
    stage_model.write_text(stages)
    return load_package_dir(folder)


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text)


def test_formula_cells_are_neutralised_and_numbers_stay_numbers(tmp_path: Path) -> None:
    package = _hostile_package(tmp_path)
    assert {d.title for d in package.questionnaire.dimensions} >= {TITLES["Delivery"]}
    weak = {**FULL_ANSWERS, "plan_horizon": "none", "weekly_review": "rarely", "late_share": 90}
    team = [
        RespondentAnswers(f"p{n}", answers, {"role": "manager"})
        for n, answers in enumerate([weak, weak, FULL_ANSWERS, weak])
    ]
    alone = score_assessment(package, team[:1], anonymity_k=1)
    own = _rows(render_results_csv(package, alone, self_assessment=True))
    assert {row["respondent"] for row in own if row["section"] == "respondent"} == {"R1"}
    rows = _rows(render_results_csv(package, score_assessment(package, team))) + own
    cells = [value for row in rows for value in row.values() if value]
    titles = {row["title"] for row in rows}
    for hostile in [*TITLES.values(), *STAGES.values()]:
        assert not hostile.startswith(FORMULA_STARTS) or hostile not in cells, repr(hostile)
    for cell in cells:
        assert not cell.startswith(FORMULA_STARTS) or _is_number(cell), repr(cell)
    assert "'" + TITLES["Delivery"] in titles
    assert "'" + TITLES["Tooling"] in titles  # the comma, quotes and line break round-trip
    assert "'" + TITLES["Rhythm"] in titles
    stage_names = {row["stage_name"] for row in rows if row["stage_name"]}
    assert stage_names and stage_names <= {"'" + name for name in STAGES.values()}
    scores = [float(row["score"]) for row in rows if row["score"]]
    assert min(scores) < 0, "the scale runs from -100: weak teams score below zero"
    negative = [row["score"] for row in rows if row["score"].startswith("-")]
    assert negative and all(_is_number(cell) for cell in negative)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=1", "a=1"),
        (-12.5, -12.5),
        (0, 0),
        (None, None),
    ],
)
def test_spreadsheet_safe(value: object, shown: object) -> None:
    assert spreadsheet_safe(value) == shown
