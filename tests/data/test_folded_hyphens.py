"""No folded paragraph in a questionnaire package wraps at a hyphen: YAML joins the lines with a
space, so "early-" / "warning" reads "early- warning". The two published stage models that do
keep their text (an assessment pins its package's content hash); the report mends them
(app/reports/formatting.py `mend_folded_hyphens`)."""

from __future__ import annotations

import re

from tests.conftest import QUESTIONNAIRES

_ENDS_IN_A_HYPHEN = re.compile(r"[A-Za-z]-$")
_PUBLISHED = {
    "operational-maturity/1.0.0/stage_model.yaml:94",
    "operational-maturity/1.1.0/stage_model.yaml:94",
}


def test_no_folded_line_ends_in_a_hyphenated_word() -> None:
    found = {
        f"{path.relative_to(QUESTIONNAIRES).as_posix()}:{number}"
        for path in sorted(QUESTIONNAIRES.rglob("*.yaml"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _ENDS_IN_A_HYPHEN.search(line.rstrip()) and not line.lstrip().startswith("#")
    }
    assert found == _PUBLISHED
