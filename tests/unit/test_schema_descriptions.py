"""Every key of the definition formats carries hover help: consultants write packages in an editor
whose YAML language server shows the JSON Schema's descriptions, so a field without one is a
field they have to look up in docs/authoring.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from scoring import definition_schemas

SCHEMAS = definition_schemas()


def described(schema: dict[str, Any]) -> bool:
    description = schema.get("description")
    return isinstance(description, str) and bool(description.strip())


def objects(node: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, schema) of every object schema with properties, at any depth."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            yield path, node
        for key, value in node.items():
            yield from objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from objects(value, f"{path}/{index}")


@pytest.mark.parametrize("stem", sorted(SCHEMAS))
def test_every_property_has_a_description(stem: str) -> None:
    schema = SCHEMAS[stem]
    found = list(objects(schema, stem))
    assert any(path == stem for path, _ in found), "the top level is an object with properties"
    undescribed = [
        f"{path}/properties/{name}"
        for path, node in found
        for name, property_schema in node["properties"].items()
        if not described(property_schema)
    ]
    assert not undescribed, f"give these fields a Field(description=...): {undescribed}"


@pytest.mark.parametrize("stem", sorted(SCHEMAS))
def test_every_definition_has_a_description(stem: str) -> None:
    schema = SCHEMAS[stem]
    assert described(schema), f"{stem}: give the top-level model a docstring"
    definitions = schema.get("$defs", {})
    assert definitions, f"{stem} has no $defs"
    undescribed = sorted(name for name, node in definitions.items() if not described(node))
    assert not undescribed, f"{stem}: give these models (or enums) a docstring: {undescribed}"
