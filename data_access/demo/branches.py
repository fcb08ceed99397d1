"""Tables ``party_branches`` and ``branch_activities``: the retirees' party branches,
their members (``people.branch_id``) and the organisational life they hold."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from data_access import schema
from data_access.codes import CITY
from data_access.demo.catalogue import AREAS, UNIT_ID_STRIDE
from data_access.demo.draw import NONE_DAY, choose_exact, to_dates, uniform_days, ymd

if TYPE_CHECKING:
    from data_access.demo.replica import Replica

# Branches closed before the snapshot (8) and founded in 2020 (6): (kind, area).
CLOSED_BEFORE_SNAPSHOT = (
    ("city_unit", CITY),
    ("temporary", CITY),
    ("district", "620102"),
    ("district", "620121"),
    ("temporary", "620103"),
    ("city_unit", CITY),
    ("district", "620123"),
    ("temporary", "620104"),
)
FOUNDED_2020 = (
    ("temporary", CITY),
    ("city_unit", CITY),
    ("district", "620102"),
    ("district", "620105"),
    ("temporary", "620121"),
    ("district", "620103"),
)


def _layout(r: Replica) -> tuple[list[str], list[str], list[int | None], int]:
    """Kind, area and unit of every branch; active at the snapshot: 171 city-unit, 61
    temporary, 86 district branches (the first ``active``), then the closed and the new."""
    city_units = r.unit_id[(r.unit_area == CITY) & np.isin(r.unit_type, ("city_organ", "institution"))]
    kinds: list[str] = []
    areas: list[str] = []
    units: list[int | None] = []
    for i in range(171):
        kinds.append("city_unit")
        areas.append(CITY)
        units.append(int(city_units[i % len(city_units)]))
    temp_areas = [CITY] * 25 + list(r.district_areas(36))
    dist_areas = list(r.district_areas(86))
    for a in temp_areas:
        kinds.append("temporary")
        areas.append(a)
        units.append(None)
    for a in dist_areas:
        kinds.append("district")
        areas.append(a)
        units.append(None)
    active = len(kinds)  # 318
    for kind, a in CLOSED_BEFORE_SNAPSHOT + FOUNDED_2020:
        kinds.append(kind)
        areas.append(a)
        units.append(int(r.rng.choice(city_units)) if kind == "city_unit" else None)
    return kinds, areas, units, active


def _dates(r: Replica, nb: int, active: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Founded, closed (NONE_DAY while open) and whether the secretary is a retiree."""
    rng = r.rng
    n_closed, n_new = len(CLOSED_BEFORE_SNAPSHOT), len(FOUNDED_2020)
    founded = uniform_days(rng, np.full(nb, ymd(1990)), np.full(nb, ymd(2017)))
    founded[active + n_closed :] = uniform_days(rng, np.full(n_new, ymd(2020, 3)), np.full(n_new, ymd(2020, 9)))
    closed = np.full(nb, NONE_DAY, dtype="int64")
    closed[active : active + n_closed] = uniform_days(
        rng, np.full(n_closed, ymd(2018, 3)), np.full(n_closed, ymd(2019, 10))
    )
    secretary = np.zeros(nb, dtype=bool)
    secretary[:active] = choose_exact(rng, active, 270)
    secretary[active:] = rng.random(nb - active) < 0.8
    return founded, closed, secretary


def _assign_members(r: Replica, c: dict[str, np.ndarray], active: int) -> None:
    """Living party members at the snapshot go to active branches of their area, city-managed
    mostly to unit branches; weights give a spread with a few tiny and a few oversized
    branches. 2020 entrants may go to the new branches. Two tiny branches merge away in 2020."""
    rng = r.rng
    ids, areas_a, kinds_a, closed = r.branch_id, r.branch_area, r.branch_kind, r.branch_closed
    nb = len(ids)
    weights = rng.gamma(16.0, 1.0, nb)
    tiny = rng.choice(active, size=5, replace=False)
    weights[tiny] = 0.004
    big = rng.choice(np.setdiff1d(np.arange(171), tiny), size=6, replace=False)
    weights[big] *= 1.8
    merge = tiny[:2]
    closed[merge] = uniform_days(rng, np.full(2, ymd(2020, 4)), np.full(2, ymd(2020, 10)))
    member = c["party_status"] != None  # noqa: E711 (object array)
    branch = np.full(len(c["id"]), None, dtype=object)
    entrants = c["entry_date"] > r.snapshot
    at_snapshot = np.zeros(nb, dtype=bool)
    at_snapshot[:active] = True
    at_snapshot[merge] = False
    open_2020 = closed == NONE_DAY
    for area_code in np.unique(c["area_code"]):
        for group, allowed in ((member & ~entrants, at_snapshot), (member & entrants, open_2020)):
            idx = np.flatnonzero(group & (c["area_code"] == area_code))
            if not len(idx):
                continue
            pool = np.flatnonzero((areas_a == area_code) & allowed)
            wts = weights[pool] * np.where(kinds_a[pool] == "temporary", 0.35 if area_code == CITY else 0.8, 1.0)
            branch[idx] = ids[rng.choice(pool, size=len(idx), p=wts / wts.sum())]
    c["branch_id"] = branch


def make_branches(r: Replica, c: dict[str, np.ndarray]) -> None:
    kinds, areas, units, active = _layout(r)
    nb = len(kinds)
    founded, closed, secretary = _dates(r, nb, active)
    r.branch_id = r.k * UNIT_ID_STRIDE + 1 + np.arange(nb)
    r.branch_area, r.branch_kind = np.array(areas, dtype=object), np.array(kinds, dtype=object)
    r.branch_founded, r.branch_closed = founded, closed
    _assign_members(r, c, active)
    r.w.insert(
        schema.party_branches,
        {
            "id": r.branch_id,
            "name": [branch_name(i, kinds[i], areas[i]) for i in range(nb)],
            "kind": r.branch_kind,
            "area_code": r.branch_area,
            "unit_id": units,
            "secretary_is_retiree": secretary,
            "founded_on": to_dates(founded),
            "closed_on": to_dates(closed),
        },
    )


def branch_name(i: int, kind: str, area: str) -> str:
    area_name = dict((a[0], a[1]) for a in AREAS)[area]
    if kind == "city_unit":
        return f"市直离退休干部第{i + 1}党支部"
    if kind == "temporary":
        return f"{area_name}离退休干部临时党支部（{i + 1}）"
    return f"{area_name}离退休干部第{i + 1}党支部"


def make_branch_activities(r: Replica) -> None:
    rng = r.rng
    nb = len(r.branch_id)
    # A branch's diligence: most hold nearly everything, a few skip often.
    u = rng.random(nb)
    diligence = np.select(
        [u < 0.7, u < 0.88], [np.ones(nb), rng.uniform(0.88, 0.97, nb)], default=rng.uniform(0.45, 0.75, nb)
    )
    bid, typ, held = [], [], []
    months = [(y, m) for y in (2018, 2019, 2020) for m in range(1, 13)]
    for y, m in months:
        ms, me = ymd(y, m), ymd(y + (m == 12), m % 12 + 1)
        live = (r.branch_founded < ms) & ((r.branch_closed == NONE_DAY) | (r.branch_closed >= me))
        specs = [("theme_day", 1.0), ("committee", 0.8)]
        if m % 3 == 0:
            specs += [("general_meeting", 1.0), ("party_lecture", 1.0)]
        if m == 12:
            specs.append(("life_meeting", 1.0))
        for activity, base in specs:
            held_mask = live & (rng.random(nb) < diligence * base)
            k = int(held_mask.sum())
            bid.append(r.branch_id[held_mask])
            typ.append(np.full(k, activity, dtype=object))
            held.append(uniform_days(rng, np.full(k, ms), np.full(k, me)))
    bid_a, held_a = np.concatenate(bid), np.concatenate(held)
    r.w.insert(
        schema.branch_activities,
        {
            "id": r.ids.take("branch_activities", len(bid_a)),
            "branch_id": bid_a,
            "activity_type": np.concatenate(typ),
            "held_on": to_dates(held_a),
        },
    )
