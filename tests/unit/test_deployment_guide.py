"""docs/deployment.md stays true: its production settings file is accepted as it stands, and
every setting it or the README names exists (and every setting is documented)."""

from __future__ import annotations

import re

import pytest

from app.settings import Settings
from tests.conftest import REPO_ROOT

GUIDE = (REPO_ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
WEBHOOKS_GUIDE = (REPO_ROOT / "docs" / "webhooks.md").read_text(encoding="utf-8")
MAIL_GUIDE = (REPO_ROOT / "docs" / "mail.md").read_text(encoding="utf-8")
# prometheus_client's own variable, and the curl walkthrough's shell variable.
NOT_OURS = {"PROMETHEUS_MULTIPROC_DIR", "OPSMATURITY_URL"}


def production_file() -> dict[str, str]:
    (block,) = re.findall(r"```ini\n(.*?)```", GUIDE, re.DOTALL)
    pairs = (line.split("=", 1) for line in block.splitlines() if line.strip())
    return {name: value for name, value in pairs}


def test_the_production_file_is_a_valid_production_configuration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in production_file().items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.environment == "production"
    assert settings.cookies_are_secure
    assert not settings.creates_demo_workspace
    assert settings.log_format_in_use == "json"
    assert settings.database_url.startswith("postgresql+psycopg://")


def test_every_setting_named_in_the_docs_exists() -> None:
    fields = {f"OPSMATURITY_{name.upper()}" for name in Settings.model_fields}
    named = set(re.findall(r"\b(?:OPSMATURITY|PROMETHEUS)_[A-Z_]+[A-Z]\b", GUIDE + README))
    assert named - fields - NOT_OURS == set()


def test_every_setting_is_documented() -> None:
    documented = README + WEBHOOKS_GUIDE + MAIL_GUIDE
    missing = [
        name
        for name in Settings.model_fields
        if f"OPSMATURITY_{name.upper()}" not in documented
        and not (name.startswith("webhooks_") and "OPSMATURITY_WEBHOOKS_" in README)
    ]
    assert missing == []
