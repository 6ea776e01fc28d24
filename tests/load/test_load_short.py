"""The load benchmark, short: 20 respondents save answers for about 8 s against
`opsmaturity serve --workers 2` started on an empty database; every acknowledged answer is
stored, and no request gets a 5xx. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load_bench import example_questionnaires
from bench.load_scenario import Scenario, run_scenario
from tests.integration.databases import fresh_database
from tests.load.checks import assert_nothing_lost


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_every_acknowledged_answer_is_stored_under_load(backend: str, tmp_path: Path) -> None:
    questionnaires_dir = example_questionnaires(tmp_path)
    with fresh_database(backend, tmp_path) as database_url:
        figures = run_scenario(
            Scenario(
                name=f"{backend} load",
                database_url=database_url,
                questionnaires_dir=questionnaires_dir,
                folder=tmp_path,
                respondents=20,
                seconds=8,
                workers=2,
                think_s=0.5,
            )
        )
    assert_nothing_lost(figures)
    assert figures["outages"] == []
    assert set(figures["outcomes"]) == {"200"}
