"""Fixtures shared by every layer of tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRES = REPO_ROOT / "questionnaires"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT
