"""What a module imports, read with `ast`: for the import rules (test_layers.py, test_purity.py).

Every `import a.b` and `from a.b import c` counts, wherever it sits (inside a function, an
`if TYPE_CHECKING:` block, a `try`), as the absolute name of the module it reaches: relative
imports are resolved against the importing module's package, and `from a import b` names
`a.b` when `b` is a module of its own (a file `a/b.py` or a package `a/b/`), since that is
the module it loads.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["REPO", "Import", "imports_in", "imports_in_source", "imports_under", "module_name"]

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, order=True)
class Import:
    """One imported module: where the statement is and the absolute module name it reaches."""

    path: str  # relative to the repository, with forward slashes
    line: int
    module: str

    @property
    def top_level(self) -> str:
        return self.module.split(".")[0]

    def reaches(self, prefix: str) -> bool:
        """The module is `prefix` or inside it (`app.api` reaches `app.api.results`)."""
        return self.module == prefix or self.module.startswith(prefix + ".")

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.module}"


def module_name(path: Path, root: Path = REPO) -> str:
    """`app/api/results.py` -> `app.api.results`; `app/api/__init__.py` -> `app.api`."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module_in(root: Path) -> Callable[[str], bool]:
    """Whether a dotted name is a module file or a package folder under `root`."""

    def is_module(name: str) -> bool:
        base = root.joinpath(*name.split("."))
        return base.with_suffix(".py").is_file() or base.is_dir()

    return is_module


def imports_in_source(
    source: str,
    *,
    module: str,
    is_package: bool = False,
    is_module: Callable[[str], bool] = lambda _name: False,
    path: str = "<source>",
) -> list[Import]:
    """The imports of `source`, the text of module `module` (`is_package`: an `__init__.py`).
    `is_module` says whether a dotted name is a module, for `from a import b`."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            found.extend(Import(path, node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module, node.level, package)
            for alias in node.names:
                submodule = f"{base}.{alias.name}" if base else alias.name
                named_module = alias.name != "*" and not base.startswith(".")
                reached = submodule if named_module and is_module(submodule) else base
                found.append(Import(path, node.lineno, reached))
    return sorted(set(found))


def _absolute(module: str | None, level: int, package: str) -> str:
    """The absolute name of `from <level dots><module> import ...` inside `package`. An
    import that climbs above the top-level package keeps its dots, so no rule allows it."""
    if level == 0:
        return module or ""
    parts = package.split(".") if package else []
    if level - 1 >= len(parts):
        return "." * level + (module or "")
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, module] if module else base)


def imports_in(path: Path, root: Path = REPO) -> list[Import]:
    """The imports of the module file `path`, which lies under `root`."""
    return imports_in_source(
        path.read_text(encoding="utf-8"),
        module=module_name(path, root),
        is_package=path.name == "__init__.py",
        is_module=is_module_in(root),
        path=path.relative_to(root).as_posix(),
    )


def imports_under(folder: str, root: Path = REPO) -> Iterator[Import]:
    """The imports of every module under `folder` (a path relative to `root`)."""
    for path in sorted((root / folder).rglob("*.py")):
        yield from imports_in(path, root)
