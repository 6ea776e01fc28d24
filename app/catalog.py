"""Loads questionnaire packages from questionnaires/ (YAML) into validated scoring packages.

A package lives in a folder per version, `questionnaires/<id>/<version>/`, so that a published
version stays byte for byte what its assessments were scored by while a newer one is written
beside it. A folder holding `questionnaire.yaml` directly (`questionnaires/<id>/`) is read too,
for a package that has only ever had one version.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.yaml_files import YamlSyntaxError, parse_yaml
from scoring import (
    DefinitionError,
    DefinitionProblem,
    Package,
    PackageFiles,
    Questionnaire,
    build_package,
)

__all__ = [
    "Catalog",
    "CatalogError",
    "UnknownQuestionnaireError",
    "load_catalog",
    "load_package_dir",
]

QUESTIONNAIRE_FILE = "questionnaire.yaml"
_PACKAGE_PATTERNS = (f"*/{QUESTIONNAIRE_FILE}", f"*/*/{QUESTIONNAIRE_FILE}")
_VERSION_FOLDER = re.compile(r"^\d+\.\d+\.\d+$")


class CatalogError(Exception):
    """One or more packages are invalid; `problems` lists every problem with its file."""

    def __init__(self, problems: list[DefinitionProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownQuestionnaireError(LookupError):
    def __init__(self, questionnaire_id: str, version: str | None) -> None:
        self.questionnaire_id = questionnaire_id
        self.version = version
        if version is None:
            shown = questionnaire_id
        elif version.strip():
            shown = f"{questionnaire_id} {version}"
        else:
            shown = f"{questionnaire_id} with an empty version"
        super().__init__(f"no questionnaire {shown} in the catalog")


@dataclass(frozen=True)
class Catalog:
    """Every valid package, by id and version."""

    packages: dict[tuple[str, str], Package]

    def get(self, questionnaire_id: str, version: str | None = None) -> Package:
        """The package with this id and version; without a version, the newest."""
        if version is not None:
            package = self.packages.get((questionnaire_id, version))
            if package is None:
                raise UnknownQuestionnaireError(questionnaire_id, version)
            return package
        versions = [p for (qid, _), p in self.packages.items() if qid == questionnaire_id]
        if not versions:
            raise UnknownQuestionnaireError(questionnaire_id, None)
        return max(versions, key=lambda p: _version_key(p.version))

    def __iter__(self) -> Iterator[Package]:
        return iter(sorted(self.packages.values(), key=lambda p: (p.id, p.version)))

    def __len__(self) -> int:
        return len(self.packages)


def load_catalog(root: Path) -> Catalog:
    """Load every package under `root`; raise CatalogError listing all problems of all packages."""
    raw, problems = _read_questionnaire_files(root)
    if not raw and not problems:
        message = f"no package (no <id>/<version>/{QUESTIONNAIRE_FILE}) found"
        raise CatalogError([DefinitionProblem(str(root), "", message)])
    full_forms = _by_id(raw)
    packages: dict[tuple[str, str], Package] = {}
    for directory, questionnaire in raw.items():
        try:
            package = load_package_dir(
                directory, questionnaire=questionnaire, full_forms=full_forms
            )
        except DefinitionError as error:
            problems.extend(error.problems)
        except CatalogError as error:
            problems.extend(error.problems)
        else:
            key = (package.id, package.version)
            if key in packages:
                message = f"questionnaire {package.id} {package.version} is defined twice"
                problems.append(
                    DefinitionProblem(str(directory / QUESTIONNAIRE_FILE), "id", message)
                )
            packages[key] = package
    if problems:
        raise CatalogError(problems)
    return Catalog(packages)


def find_package(root: Path, questionnaire_id: str, version: str | None = None) -> Package:
    """Load only the package with this id (and version; else the newest) from under `root`,
    so that another package's problems do not stand in the way."""
    raw, _ = _read_questionnaire_files(root)  # an unreadable package is not the one asked for
    matches = [
        (_version_key(str(data.get("version", ""))), directory)
        for directory, data in raw.items()
        if isinstance(data, dict)
        and data.get("id") == questionnaire_id
        and (version is None or str(data.get("version")) == version)
    ]
    if not matches:
        raise UnknownQuestionnaireError(questionnaire_id, version)
    directory = max(matches)[1]
    return load_package_dir(directory, questionnaire=raw[directory], full_forms=_by_id(raw))


def _version_key(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return ()


def load_package_dir(
    directory: Path, *, questionnaire: object = None, full_forms: dict[Any, Any] | None = None
) -> Package:
    """Load one package (its questionnaire.yaml already parsed, or read here); a short form
    finds its full form among `full_forms` or in the questionnaires folder it sits in."""
    questionnaire_path = directory / QUESTIONNAIRE_FILE
    if questionnaire is None:
        questionnaire = _read_yaml(questionnaire_path)
    if not isinstance(questionnaire, dict):
        raise CatalogError(
            [DefinitionProblem(str(questionnaire_path), "", "expected a mapping at the top level")]
        )
    stage_model_path = _referenced_file(directory, questionnaire, "stage_model", "stage_model.yaml")
    library_path = _referenced_file(
        directory, questionnaire, "recommendations", "recommendations.yaml"
    )
    parent = _parent(directory, questionnaire, full_forms)
    # an unreadable file is checked as missing, so that the other files' problems come too
    unreadable: list[DefinitionProblem] = []
    stage_model = _read_yaml_or_note(stage_model_path, unreadable)
    library = _read_yaml_or_note(library_path, unreadable)
    try:
        package = build_package(
            questionnaire,
            stage_model,
            library,
            files=PackageFiles(str(questionnaire_path), str(stage_model_path), str(library_path)),
            parent=parent,
        )
    except DefinitionError as error:
        if not unreadable:
            raise
        unread = {problem.file for problem in unreadable}
        others = [problem for problem in error.problems if problem.file not in unread]
        raise CatalogError([*unreadable, *others]) from error
    if unreadable:
        raise CatalogError(unreadable)
    return package


def _referenced_file(
    directory: Path, questionnaire: dict[str, Any], key: str, default: str
) -> Path:
    name = questionnaire.get(key, default)
    path = directory / str(name)
    if not path.resolve().is_relative_to(questionnaires_root(directory).resolve()):
        message = f"'{name}' points outside the questionnaires folder"
        raise CatalogError([DefinitionProblem(str(directory / QUESTIONNAIRE_FILE), key, message)])
    return path


def questionnaires_root(directory: Path) -> Path:
    """The questionnaires folder a package folder sits in: two levels up from a version folder."""
    return directory.parent.parent if _VERSION_FOLDER.match(directory.name) else directory.parent


def _parent(
    directory: Path, questionnaire: dict[str, Any], full_forms: dict[Any, Any] | None
) -> Questionnaire | None:
    """The full form a short form names: `short_form_of` at `short_form_version`, or at the
    short form's own version when it names none."""
    parent_id = questionnaire.get("short_form_of")
    if parent_id is None:
        return None
    key = (parent_id, str(questionnaire.get("short_form_version", questionnaire.get("version"))))
    data = (full_forms or {}).get(key)
    if data is None:
        data = _by_id(_read_questionnaire_files(questionnaires_root(directory))[0]).get(key)
    if data is None:
        return None
    try:
        return Questionnaire.model_validate(data)
    except ValueError:
        return None  # the full form reports its own problems


def _read_questionnaire_files(root: Path) -> tuple[dict[Path, Any], list[DefinitionProblem]]:
    """Each package folder's parsed questionnaire.yaml, read once; unreadable ones become
    problems rather than stopping the others."""
    read: dict[Path, Any] = {}
    problems: list[DefinitionProblem] = []
    paths = {path for pattern in _PACKAGE_PATTERNS for path in root.glob(pattern)}
    for path in sorted(paths):
        try:
            read[path.parent] = _read_yaml(path)
        except CatalogError as error:
            problems.extend(error.problems)
    return read, problems


def _by_id(raw: dict[Path, Any]) -> dict[tuple[Any, str], Any]:
    """Each parsed questionnaire by (id, version)."""
    return {
        (data.get("id"), str(data.get("version"))): data
        for data in raw.values()
        if isinstance(data, dict)
    }


def _read_yaml_or_note(path: Path, problems: list[DefinitionProblem]) -> Any:
    """The parsed file, or None with its problem added to `problems`."""
    try:
        return _read_yaml(path)
    except CatalogError as error:
        problems.extend(error.problems)
        return None


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogError(
            [DefinitionProblem(str(path), "", f"cannot read: {error.strerror}")]
        ) from error
    try:
        return parse_yaml(text, keep_written_text=True)
    except YamlSyntaxError as error:
        raise CatalogError([DefinitionProblem(str(path), error.location, error.problem)]) from error
