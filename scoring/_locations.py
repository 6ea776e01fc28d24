"""Turns pydantic error locations into paths a definition author recognises (ids, not indexes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from scoring.errors import DefinitionProblem

__all__ = ["problems_from_validation_error"]


def problems_from_validation_error(
    error: ValidationError, raw: object, file: str
) -> list[DefinitionProblem]:
    problems = []
    for detail in error.errors():
        location = _readable_location(raw, detail["loc"])
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "extra_forbidden":
            message = "unknown key (check the spelling against the schema)"
        problems.append(DefinitionProblem(file, location, message))
    return problems


def _readable_location(raw: object, loc: Sequence[int | str]) -> str:
    parts: list[str] = []
    node: Any = raw
    for step in loc:
        if isinstance(step, int) and isinstance(node, Sequence) and not isinstance(node, str):
            element = node[step] if 0 <= step < len(node) else None
            element_id = element.get("id") if isinstance(element, Mapping) else None
            parts[-1:] = [f"{parts[-1] if parts else ''}[{element_id or step}]"]
            node = element
        elif isinstance(node, Mapping) and isinstance(step, str):
            parts.append(step)
            node = node.get(step)
        elif isinstance(step, str) and step in {"weakest_link", "requires_items"}:
            continue  # pydantic's discriminator tag, not a key in the file
        else:
            parts.append(str(step))
            node = None
    return ".".join(parts)
