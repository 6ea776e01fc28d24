"""Layers inside app/ run one way (docs/architecture.md): each rule names the modules it
governs and the modules they must never import, and a failure lists every offending import."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pytest

from tests.unit.module_imports import Import, imports_in_source, imports_under

ROUTERS = ("app.api", "app.web", "app.cli")


@dataclass(frozen=True)
class LayerRule:
    name: str
    governs: tuple[str, ...]  # modules (and everything below them) the rule applies to
    never_imports: tuple[str, ...]  # modules (and everything below them) they must not import


RULES = [
    LayerRule("the API imports no other router", ("app.api",), ("app.web", "app.cli")),
    LayerRule("the web pages import no other router", ("app.web",), ("app.api", "app.cli")),
    LayerRule("the CLI imports no other router", ("app.cli",), ("app.api", "app.web")),
    LayerRule("routers import no repository", ROUTERS, ("app.repositories",)),
    LayerRule("services import no web framework", ("app.services",), ("fastapi", "starlette")),
    LayerRule(
        "reports import no repository, sqlmodel or service",
        ("app.reports",),
        ("app.repositories", "sqlmodel", "app.services"),
    ),
    LayerRule("scoring imports nothing of the app", ("scoring",), ("app",)),
]


@cache
def every_import() -> tuple[Import, ...]:
    return (*imports_under("app"), *imports_under("scoring"))


def importer(found: Import) -> str:
    """The module that holds the import statement."""
    name = found.path.removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


@pytest.mark.parametrize("rule", RULES, ids=[rule.name for rule in RULES])
def test_layer_rule(rule: LayerRule) -> None:
    governed = [found for found in every_import() if within(importer(found), rule.governs)]
    assert governed, f"no module under {rule.governs} imports anything: is the rule stale?"
    offending = [found for found in governed if within(found.module, rule.never_imports)]
    if offending:
        pytest.fail(f"{rule.name}:\n" + "\n".join(map(str, offending)), pytrace=False)


def test_the_walker_resolves_relative_nested_and_submodule_imports() -> None:
    source = (
        "import json\n"
        "from . import results, helpers\n"
        "from .. import repositories\n"
        "from ..services.answers import save_answers\n"
        "from app import settings\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from app.web.console import sign_in\n"
        "def later():\n"
        "    import sqlmodel.sql\n"
        "    from .paths import PREFIX\n"
    )
    modules = {
        "app.api.results",
        "app.repositories",
        "app.settings",
        "app.web.console.sign_in",
        "app.api.paths",
    }
    found = imports_in_source(
        source, module="app.api.answers", is_module=modules.__contains__, path="app/api/answers.py"
    )
    assert [(each.line, each.module) for each in found] == [
        (1, "json"),
        (2, "app.api"),  # `helpers` is a name in app/api/__init__.py, not a module
        (2, "app.api.results"),
        (3, "app.repositories"),
        (4, "app.services.answers"),
        (5, "app.settings"),
        (6, "typing"),
        (8, "app.web.console.sign_in"),
        (10, "sqlmodel.sql"),
        (11, "app.api.paths"),
    ]
    assert str(found[3]) == "app/api/answers.py:3 imports app.repositories"
    assert within(importer(found[0]), ("app.api",))


def test_a_package_resolves_relative_imports_against_itself() -> None:
    found = imports_in_source(
        "from . import install\nfrom .console import dashboard\n",
        module="app.web",
        is_package=True,
        is_module={"app.web.install", "app.web.console.dashboard"}.__contains__,
        path="app/web/__init__.py",
    )
    assert [each.module for each in found] == ["app.web.install", "app.web.console.dashboard"]
    assert importer(found[0]) == "app.web"
