"""scoring/ is pure: it imports only the standard library, pydantic and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

SCORING = Path(__file__).resolve().parents[2] / "scoring"
FORBIDDEN = {
    "app",
    "fastapi",
    "starlette",
    "sqlalchemy",
    "sqlmodel",
    "jinja2",
    "weasyprint",
    "yaml",
    "httpx",
}
IMPURE_STDLIB = {
    "os",
    "io",
    "time",
    "datetime",
    "random",
    "secrets",
    "socket",
    "subprocess",
    "pathlib",
    "shutil",
    "tempfile",
    "urllib",
    "http",
    "logging",
    "threading",
    "asyncio",
    "sqlite3",
    "uuid",
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_scoring_imports_only_the_standard_library_and_pydantic() -> None:
    files = sorted(SCORING.rglob("*.py"))
    assert len(files) > 10
    for path in files:
        roots = imported_roots(path)
        assert not roots & FORBIDDEN, f"{path.name} imports {roots & FORBIDDEN}"
        assert not roots & IMPURE_STDLIB, (
            f"{path.name} does I/O, clock or randomness: {roots & IMPURE_STDLIB}"
        )
        foreign = {
            r
            for r in roots
            if r not in sys.stdlib_module_names and r not in {"pydantic", "scoring", "__future__"}
        }
        assert not foreign, f"{path.name} imports {foreign}"


def test_the_rule_would_catch_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        "import os\nfrom sqlalchemy import select\nfrom app.settings import Settings\n"
    )
    assert imported_roots(module) == {"os", "sqlalchemy", "app"}
