"""`opsmaturity validate` and `opsmaturity schema`: check and describe questionnaire packages."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.catalog import QUESTIONNAIRE_FILE, CatalogError, load_catalog, load_package_dir
from app.settings import DEFAULT_QUESTIONNAIRES_DIR
from scoring import DefinitionError, definition_schemas

__all__ = ["register"]


def register(commands: Any) -> None:
    validate = commands.add_parser(
        "validate", help="check questionnaire packages and list every problem"
    )
    validate.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=DEFAULT_QUESTIONNAIRES_DIR,
        help="a package folder or a folder of packages (default: questionnaires/)",
    )
    validate.set_defaults(handler=run_validate)
    schema = commands.add_parser(
        "schema", help="print or write the JSON Schemas of the definition formats"
    )
    schema.add_argument(
        "--write", type=Path, metavar="DIR", help="write <name>.schema.json files into DIR"
    )
    schema.set_defaults(handler=run_schema)


def run_validate(arguments: argparse.Namespace) -> int:
    path: Path = arguments.path
    if path.is_file():
        path = path.parent
    if not path.is_dir():
        print(f"opsmaturity validate: {path}: no such folder", file=sys.stderr)
        return 2
    try:
        if (path / QUESTIONNAIRE_FILE).is_file():
            packages = [load_package_dir(path)]
        else:
            packages = list(load_catalog(path))
    except (CatalogError, DefinitionError) as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found", file=sys.stderr)
        return 1
    for package in packages:
        print(
            f"ok  {package.id} {package.version}  {len(package.items)} items  sha256:{package.content_hash[:12]}"
        )
    return 0


def schema_files() -> dict[str, str]:
    """File name -> JSON text of every definition schema, as committed in questionnaires/schema/."""
    return {
        f"{stem}.schema.json": json.dumps(schema, indent=2, sort_keys=True) + "\n"
        for stem, schema in definition_schemas().items()
    }


def run_schema(arguments: argparse.Namespace) -> int:
    files = schema_files()
    if arguments.write is None:
        print(json.dumps({name: json.loads(text) for name, text in files.items()}, indent=2))
        return 0
    arguments.write.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (arguments.write / name).write_text(text, encoding="utf-8")
        print(f"wrote {arguments.write / name}")
    return 0
