"""Column types and defaults shared by every table: UTC timestamps and prefixed random ids."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator

__all__ = ["UtcDateTime", "new_id", "utc_now"]


class UtcDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC on every database, read back as an aware UTC datetime.

    SQLite has no time zones, so storing naive UTC everywhere keeps both databases alike.
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    """A random id with a type prefix (`cli_…`, `asm_…`), so ids say what they name and
    reveal nothing about how many rows exist."""
    return f"{prefix}_{uuid.uuid4().hex}"
