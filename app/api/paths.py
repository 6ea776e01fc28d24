"""Where the JSON API lives, and what its path and query parameters may hold.

The server refuses control and bidirectional-override characters in every path and query
parameter it reads (app/api/strict_json.py, after app/text_rules.py); these aliases put the
same rule, and that an id is never empty, into the OpenAPI description.
"""

from typing import Annotated

from fastapi import Path, Query

from app.text_rules import SINGLE_LINE_PATTERN

__all__ = ["API_PREFIX", "CursorQuery", "PathId", "QueryText"]

API_PREFIX = "/api/v1"

_TEXT_RULE = {"pattern": SINGLE_LINE_PATTERN}

PathId = Annotated[str, Path(min_length=1, json_schema_extra=_TEXT_RULE)]
QueryText = Annotated[str | None, Query(min_length=1, json_schema_extra=_TEXT_RULE)]
CursorQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        description="`next_cursor` of the previous page",
        json_schema_extra={"pattern": "^[A-Za-z0-9_-]+$"},
    ),
]
