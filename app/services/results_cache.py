"""An in-process cache of computed results, keyed by the assessment's results version.

Every change that can move the results (or the participation counts beside them) bumps the
version in the same transaction, and every read checks the version in the database first, so
a stale entry is never found again, whichever worker made the change; each worker computes an
assessment's results once per version. Bounded, and safe to share between threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

__all__ = ["CachedResults", "ResultsCache"]


@dataclass(frozen=True, slots=True)
class CachedResults:
    """The nested view, and both of its JSON forms as the API sends them."""

    view: dict[str, Any]
    json_body: bytes
    flat_json_body: bytes


class ResultsCache:
    def __init__(self, max_entries: int = 512) -> None:
        self._entries: OrderedDict[Hashable, CachedResults] = OrderedDict()
        self._max_entries = max_entries
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> CachedResults | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: Hashable, entry: CachedResults) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
