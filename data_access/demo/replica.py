"""One replica of the city: the state its generators share, and the order they run in.

Each generator lives in the module of its tables (units, people, branches, contacts,
money, requests) and takes the replica. The order of ``generate`` is the order of the
random draws: changing it changes every table after it.
"""

from __future__ import annotations

import numpy as np

from data_access.demo import branches, contacts, money, people, requests, units
from data_access.demo.catalogue import (
    ACTIVITY_END,
    ACTIVITY_START,
    DISTRICT_WEIGHTS,
    DISTRICTS,
    SNAPSHOT,
)
from data_access.demo.draw import allocate, day, uniform_days, ymd
from data_access.demo.writer import Ids, Writer


class Replica:
    """One city: units, people, branches, activity and money, written as generated.

    Holds what the generators hand on to each other: the units (``unit_*``), the branches
    (``branch_*``), who is on the books at the snapshot (``snap_alive``) and the budgets
    the payments are drawn against (``budget_base``)."""

    def __init__(self, k: int, seed: int, writer: Writer, ids: Ids):
        self.k = k
        self.rng = np.random.default_rng([seed, k])
        self.w = writer
        self.ids = ids
        self.snapshot = day(SNAPSHOT)
        self.start = day(ACTIVITY_START)
        self.end = day(ACTIVITY_END)

    def units_of(self, area: str, unit_type: str) -> np.ndarray:
        return self.unit_id[(self.unit_area == area) & (self.unit_type == unit_type)]

    def draw_units(self, areas: np.ndarray, unit_type: str) -> np.ndarray:
        out = np.empty(len(areas), dtype="int64")
        for area in np.unique(areas):
            idx = np.flatnonzero(areas == area)
            pool = self.units_of(area, unit_type)
            out[idx] = self.rng.choice(pool, size=len(idx))
        return out

    def district_areas(self, n: int, weights: np.ndarray | None = None) -> np.ndarray:
        counts = allocate(n, DISTRICT_WEIGHTS if weights is None else weights)
        areas = np.repeat(np.array(DISTRICTS, dtype=object), counts)
        return self.rng.permutation(areas)

    def deaths_in(self, n: int, year: int, lo_month: int = 1) -> np.ndarray:
        return uniform_days(self.rng, np.full(n, ymd(year, lo_month)), np.full(n, ymd(year + 1)))

    def generate(self) -> dict[tuple[int, str, str], float]:
        units.make_units(self)
        c = people.make_people(self)  # column arrays of the people (integer days for dates)
        branches.make_branches(self, c)
        people.write_people(self, c)
        branches.make_branch_activities(self)
        contacts.make_contacts(self, c)
        contacts.make_pairings(self, c)
        money.make_money(self, c)
        requests.make_requests(self, c)
        return self.budget_base
