"""Self-contained JSON Schemas of pydantic models, for hand-written OpenAPI entries.

A model's schema refers to its parts under `$defs`, which OpenAPI does not resolve when the
schema is embedded in an operation; inlining the references keeps the documentation valid.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

__all__ = ["inline_json_schema"]


def inline_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#/$defs/"):
                return resolve(definitions[reference.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(value) for value in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved
