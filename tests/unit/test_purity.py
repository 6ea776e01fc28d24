"""scoring/ is pure: it imports only named pure modules of the standard library, pydantic
and itself; it does no I/O and reads no clock and no environment."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.unit.module_imports import REPO, Import, imports_in, imports_in_source, imports_under

SCORING = REPO / "scoring"

# Every module scoring/ may import, by top-level name. Each is pure: the same inputs always
# give the same result. Add a module here only when scoring needs it and it is as pure.
ALLOWED = frozenset(
    {
        "__future__",
        "pydantic",
        # The standard library, by name: computation only.
        "abc",
        "bisect",
        "collections",
        "copy",
        "dataclasses",
        "decimal",
        "enum",
        "fractions",
        "functools",
        "hashlib",  # the content hash of a definition (scoring/package.py)
        "heapq",
        "itertools",
        "json",  # to and from strings only: scoring opens no file
        "math",
        "numbers",
        "operator",
        "re",
        "statistics",
        "string",
        "textwrap",
        "types",
        "typing",
        "unicodedata",
    }
)
# Never allowed, whatever the list above grows into: the application, I/O, clocks,
# randomness, the environment and the process.
NEVER = frozenset(
    {
        "app",
        "asyncio",
        "datetime",
        "http",
        "importlib",
        "io",
        "logging",
        "os",
        "pathlib",
        "random",
        "secrets",
        "shutil",
        "socket",
        "sqlite3",
        "subprocess",
        "sys",
        "tempfile",
        "threading",
        "time",
        "urllib",
        "uuid",
    }
)
# Builtins that read or write outside the arguments, or import by name.
IMPURE_BUILTINS = frozenset({"open", "input", "print", "breakpoint", "__import__", "eval", "exec"})
# Methods that read a clock, whatever object they are called on (a datetime handed in).
CLOCK_READS = frozenset({"now", "utcnow", "today", "monotonic", "perf_counter", "time_ns"})


def allowed(found: Import) -> bool:
    return found.reaches("scoring") or found.top_level in ALLOWED


def scoring_files() -> list[Path]:
    files = sorted(SCORING.rglob("*.py"))
    assert len(files) > 10
    return files


def test_scoring_imports_only_the_allowed_modules() -> None:
    offending = [found for found in imports_under("scoring") if not allowed(found)]
    if offending:
        listed = "\n".join(map(str, offending))
        pytest.fail(f"scoring/ imports modules outside its allow-list:\n{listed}", pytrace=False)


def test_scoring_never_imports_the_app() -> None:
    offending = [found for found in imports_under("scoring") if found.reaches("app")]
    if offending:
        pytest.fail("scoring/ imports the app:\n" + "\n".join(map(str, offending)), pytrace=False)


def test_the_allow_list_holds_nothing_impure_and_nothing_foreign() -> None:
    assert not ALLOWED & NEVER
    stdlib = ALLOWED - {"pydantic"}
    assert stdlib <= sys.stdlib_module_names


def test_scoring_calls_no_io_builtin_and_reads_no_clock() -> None:
    offending = []
    for path in scoring_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            called = node.func
            if (isinstance(called, ast.Name) and called.id in IMPURE_BUILTINS) or (
                isinstance(called, ast.Attribute) and called.attr in CLOCK_READS
            ):
                name = called.id if isinstance(called, ast.Name) else called.attr
                offending.append(f"{path.relative_to(REPO).as_posix()}:{node.lineno} calls {name}")
    if offending:
        pytest.fail("scoring/ does I/O or reads a clock:\n" + "\n".join(offending), pytrace=False)


def test_the_rule_would_catch_a_forbidden_import(tmp_path: Path) -> None:
    package = tmp_path / "scoring"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "stages.py").write_text("")
    module = package / "bad.py"
    module.write_text(
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "from . import stages\n"
        "from .stages import place\n"
        "if TYPE_CHECKING:\n"
        "    from sqlalchemy import select\n"
        "def later():\n"
        "    import os.path\n"
        "    from app.settings import Settings\n"
    )
    found = imports_in(module, tmp_path)
    refused = [str(each) for each in found if not allowed(each)]
    assert refused == [
        "scoring/bad.py:6 imports sqlalchemy",
        "scoring/bad.py:8 imports os.path",
        "scoring/bad.py:9 imports app.settings",
    ]


def test_a_relative_import_above_scoring_is_refused() -> None:
    found = imports_in_source("from .. import app\n", module="scoring.bad", path="scoring/bad.py")
    assert [str(each) for each in found if not allowed(each)] == ["scoring/bad.py:1 imports .."]
