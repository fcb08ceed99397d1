"""One computation at a time per key, across the sessions of a process.

When twenty leaders open a cold page at once, every session asks for the same query result,
figure or table in the same second; without this each computed it (the query, plotly's
validation, the table's Arrow conversion) and all but one result was thrown away. A session
that finds another computing the same key waits for it and then finds the result in the
cache. Used by the result cache (``data.RESULTS``), ``charts.built_once`` and
``components.PREPARED``.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterator
from contextlib import contextmanager


class KeyLocks:
    """A lock per key, held while one thread computes that key's result."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[Hashable, threading.Lock] = {}

    @contextmanager
    def computing(self, key: Hashable) -> Iterator[None]:
        """Within the block no other thread computes ``key``; look in the cache again inside it."""
        with self._lock:
            lock = self._held.setdefault(key, threading.Lock())
        try:
            with lock:
                yield
        finally:
            with self._lock:
                self._held.pop(key, None)

    def __len__(self) -> int:
        return len(self._held)
