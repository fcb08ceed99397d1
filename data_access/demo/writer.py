"""Batched inserts and the id counters of the replica-independent tables."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import sqlalchemy as sa

BATCH_ROWS = 20_000


class Writer:
    """Inserts rows in batches and counts them."""

    def __init__(self, conn: sa.Connection):
        self.conn = conn
        self.counts: dict[str, int] = {}

    def insert(self, table: sa.Table, columns: dict[str, Iterable]) -> None:
        names = list(columns)
        values = [v.tolist() if isinstance(v, np.ndarray) else list(v) for v in columns.values()]
        n = len(values[0]) if values else 0
        for start in range(0, n, BATCH_ROWS):
            rows = [dict(zip(names, row)) for row in zip(*(v[start : start + BATCH_ROWS] for v in values))]
            self.conn.execute(table.insert(), rows)
        self.counts[table.name] = self.counts.get(table.name, 0) + n


class Ids:
    """Global id counters for tables whose rows are many and replica-independent."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def take(self, name: str, n: int) -> np.ndarray:
        start = self._next.get(name, 1)
        self._next[name] = start + n
        return np.arange(start, start + n, dtype="int64")
