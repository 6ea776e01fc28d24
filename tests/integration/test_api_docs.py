"""The README's curl walkthrough runs, command by command, against a live server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.integration.live_server import LiveServer

README = REPO_ROOT / "README.md"


def walkthrough_blocks(markdown: str) -> list[str]:
    """The bash blocks of the README's "Walkthrough with curl" section."""
    section = markdown.split("### Walkthrough with curl", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)


def test_the_curl_walkthrough_runs(server: LiveServer, tmp_path: Path) -> None:
    missing = [tool for tool in ("bash", "curl", "jq") if shutil.which(tool) is None]
    if missing:
        message = f"the walkthrough needs {', '.join(missing)}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    blocks = walkthrough_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 2
    script = tmp_path / "walkthrough.sh"
    # Every command must succeed; the blocks share variables like a reader's terminal does.
    script.write_text("set -euo pipefail\n" + "\n".join(blocks), encoding="utf-8")
    environment = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(tmp_path),
        "DATABASE_URL": server.settings.database_url,
        "OPSMATURITY_URL": server.url,
        "OPSMATURITY_QUESTIONNAIRES_DIR": str(server.settings.questionnaires_dir),
    }
    completed = subprocess.run(
        ["bash", str(script)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, f"{completed.stdout}\n{completed.stderr}"
    output = completed.stdout
    assert '"invite_url":"https://opsmaturity.test/r/om_inv_' in output
    assert '{"status":"submitted","answered_items":10}' in output
    assert '"field":"answers.plan_horizon"' in output
    assert (
        '{"items":{"plan_horizon":"quarter","weekly_review":"weekly","manual_hours":1}}' in output
    )
    # plan_horizon quarter, month, week: 2/3 of 1; weekly_review at its target; manual_hours
    # 4 (.5 reverse-keyed) of 1: a gap of 5/6 of 3, 100 x (1 - 5/18) = 72.2222 percent.
    assert '"to_item_targets":72.2222' in output
    assert '"opsmaturity_respondents_submitted": 3' in output
    assert "section,respondent,attributes,subject" in output
    assert '{"status":"closed"' in output
    assert '"respondent_count":1' in output
