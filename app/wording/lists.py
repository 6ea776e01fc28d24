"""Lists inside a sentence: "A", "A and B", "A, B and C"."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["joined"]


def joined(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
