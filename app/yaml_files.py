"""Reads YAML text safely and turns syntax errors into one line with the position."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["YamlSyntaxError", "parse_yaml"]


class YamlSyntaxError(ValueError):
    def __init__(self, location: str, problem: str) -> None:
        self.location = location
        self.problem = problem
        super().__init__(f"{location}: {problem}" if location else problem)


def parse_yaml(text: str) -> Any:
    """safe_load (no arbitrary objects); raises YamlSyntaxError("line L, column C", problem)."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        location = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "unreadable"
        raise YamlSyntaxError(location, f"not valid YAML: {problem}") from error
