"""Table ``people``: veterans (离休), survivors (遗属) and retirees (退休) of one replica.

The counts at the snapshot are the report's; each group is drawn in steps (origins,
posts, lives, household and health, hardship) whose order is the order of the draws.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

from data_access import schema
from data_access.codes import CITY
from data_access.demo.catalogue import AREAS, DISTRICT_WEIGHTS, PEOPLE_ID_STRIDE
from data_access.demo.draw import (
    NONE_DAY,
    choose_exact,
    day,
    pick,
    synthetic_names,
    synthetic_phones,
    to_dates,
    uniform_days,
    year_of,
    ymd,
)

if TYPE_CHECKING:
    from data_access.demo.replica import Replica

Columns = dict[str, np.ndarray]


def base_people(n: int, category: str) -> Columns:
    """Columns every person has, with neutral defaults to be overwritten."""
    z = np.zeros(n, dtype=bool)
    return {
        "category": np.full(n, category, dtype=object),
        "rank": np.full(n, None, dtype=object),
        "actual_post": z.copy(),
        "revolution_period": np.full(n, None, dtype=object),
        "revolution_joined_on": np.full(n, NONE_DAY, dtype="int64"),
        "retirement_date": np.full(n, NONE_DAY, dtype="int64"),
        "death_date": np.full(n, NONE_DAY, dtype="int64"),
        "deceased_cadre_id": np.full(n, None, dtype=object),
        "party_status": np.full(n, None, dtype=object),
        "branch_id": np.full(n, None, dtype=object),
        "relocated": z.copy(),
        "lives_away": z.copy(),
        "hardship_reason": np.full(n, None, dtype=object),
    }


# Household, health and impairment of each group (``person_traits``; the impaired count is
# exact among those on the books at the snapshot, the rest are chances).
TRAIT_NAMES = ("impaired_count", "impaired_rate", "lives_alone", "widowed", "empty_nest", "health", "disabled")
TRAITS = {
    "veteran": (648, 0.92, 0.22, 0.38, 0.32, (0.25, 0.60, 0.15), 0.12),
    "survivor": (214, 0.6, 0.45, 1.0, 0.4, (0.3, 0.55, 0.15), 0.08),
    "retiree": (9_659, 0.3, 0.08, 0.1, 0.22, (0.66, 0.32, 0.02), 0.012),
}


# ---------------------------------------------------------------------------- veterans


def make_veterans(r: Replica) -> Columns:
    alive, died18, died19, old = 703, 48, 44, 346
    n = alive + died18 + died19 + old
    c = base_people(n, "veteran")
    snap = np.arange(n) < alive
    _veteran_origins(r, c, alive)
    _veteran_posts(r, c, alive)
    _veteran_lives(r, c, alive, died18, died19, old)
    person_traits(r, c, snap, **dict(zip(TRAIT_NAMES, TRAITS["veteran"])))
    _veteran_hardship(r, c, snap)
    return c


def _veteran_origins(r: Replica, c: Columns, alive: int) -> None:
    """Managing area, revolution period, the date of joining and the birth date."""
    rng = r.rng
    n = len(c["category"])
    # Managing area: 535 city / 168 districts among the living; the dead alike.
    area = np.empty(n, dtype=object)
    area[:alive] = np.array([CITY] * 535 + list(r.district_areas(168)), dtype=object)
    area[alive:] = np.where(rng.random(n - alive) < 0.76, CITY, r.district_areas(n - alive))
    c["area_code"] = area
    # Revolution period: 65 anti-Japanese among the living.
    period = np.full(n, "liberation", dtype=object)
    period[:alive][choose_exact(rng, alive, 65)] = "anti_japanese"
    period[alive:][rng.random(n - alive) < 0.2] = "anti_japanese"
    c["revolution_period"] = period
    anti = period == "anti_japanese"
    joined = np.where(
        anti,
        uniform_days(rng, ymd(1942, 1, 1), day(dt.date(1945, 9, 3)), n),
        uniform_days(rng, ymd(1947, 3, 1), day(dt.date(1949, 10, 1)), n),
    )
    c["revolution_joined_on"] = joined
    join_age = np.where(anti, rng.integers(14, 19, n), rng.integers(14, 21, n))
    birth_year = year_of(joined) - join_age
    # Exact average age 89.8 among the living at 2019-12-31: completed age is
    # 2019 - birth year, so shift liberation-period birth years one at a time.
    target = round(89.8 * alive)
    diff = target - int((2019 - birth_year[:alive]).sum())
    movable = np.flatnonzero(~anti[:alive])
    rng.shuffle(movable)
    shift = np.full(len(movable), abs(diff) // len(movable))
    shift[: abs(diff) % len(movable)] += 1
    birth_year[movable] -= np.sign(diff) * shift  # earlier birth = older
    doy = rng.integers(0, 365, n)
    c["birth_date"] = np.array([ymd(int(y)) for y in birth_year]) + doy


def _veteran_posts(r: Replica, c: Columns, alive: int) -> None:
    """Rank (5 / 44 / 654 among the living, prefecture ranks city-managed), actual post, unit."""
    rng = r.rng
    area = c["area_code"]
    n = len(area)
    rank = np.full(n, "section", dtype=object)
    city_alive = np.flatnonzero(area[:alive] == CITY)
    pref = rng.choice(city_alive, size=49, replace=False)
    rank[pref[:5]] = "prefecture_principal"
    rank[pref[5:]] = "prefecture_deputy"
    rest = np.setdiff1d(np.arange(alive), pref)
    rank[rng.choice(rest, size=260, replace=False)] = "county"
    rank[alive:] = pick(rng, ("prefecture_deputy", "county", "section"), n - alive, (0.05, 0.4, 0.55))
    c["rank"] = rank
    c["actual_post"] = (rank != "section") & ((rank != "county") | (rng.random(n) < 0.7))
    unit = np.empty(n, dtype="int64")
    for area_code in np.unique(area):
        idx = np.flatnonzero(area == area_code)
        types = (
            ("city_organ", "institution", "enterprise")
            if area_code == CITY
            else ("district_organ", "township", "institution", "enterprise")
        )
        probs = (0.37, 0.47, 0.16) if area_code == CITY else (0.42, 0.12, 0.36, 0.10)
        chosen = pick(rng, types, len(idx), probs)
        for t in types:
            sub = idx[chosen == t]
            unit[sub] = rng.choice(r.units_of(area_code, t), size=len(sub))
    c["unit_id"] = unit


def _veteran_lives(r: Replica, c: Columns, alive: int, died18: int, died19: int, old: int) -> None:
    """Retirement, death, gender, party membership and living away."""
    rng = r.rng
    n = len(c["category"])
    retire = uniform_days(rng, ymd(1982), ymd(1995), n)
    c["retirement_date"] = retire
    c["entry_date"] = retire
    death = np.full(n, NONE_DAY, dtype="int64")
    death[:alive][choose_exact(rng, alive, 46)] = r.deaths_in(46, 2020, 2)
    death[alive : alive + died18] = r.deaths_in(died18, 2018)
    death[alive + died18 : alive + died18 + died19] = r.deaths_in(died19, 2019)
    death[alive + died18 + died19 :] = uniform_days(rng, ymd(1995), ymd(2018), old)
    c["death_date"] = death
    c["gender"] = np.where(rng.random(n) < 0.88, "M", "F")
    party = np.full(n, None, dtype=object)
    party[:alive][choose_exact(rng, alive, 668)] = "full"
    party[alive:][rng.random(n - alive) < 0.95] = "full"
    c["party_status"] = party
    away = np.zeros(n, dtype=bool)
    away[:alive] = choose_exact(rng, alive, 14)
    relocated = away & (rng.random(n) < 0.45)
    c["relocated"], c["lives_away"] = relocated, away & ~relocated


def _veteran_hardship(r: Replica, c: Columns, snap: np.ndarray) -> None:
    rng = r.rng
    n = len(snap)
    hardship = np.full(n, None, dtype=object)
    in_bankrupt_unit = np.flatnonzero(r.unit_bankrupt[np.searchsorted(r.unit_id, c["unit_id"])] & snap)
    # Those of them in hardship (at most 30: every one also receives cash aid, and the
    # smallest veterans' batch is 48 people).
    bankrupt = np.zeros(n, dtype=bool)
    bankrupt[rng.choice(in_bankrupt_unit, size=min(30, len(in_bankrupt_unit)), replace=False)] = True
    hardship[bankrupt] = "bankrupt_enterprise"
    reasons = ("serious_illness", "advanced_age", "disability", "lost_only_child", "empty_nest", "low_income")
    weights = (0.35, 0.25, 0.2, 0.05, 0.1, 0.05)
    draw_hardship(r, c, np.flatnonzero(snap & ~bankrupt), 70 - int(bankrupt.sum()), reasons, weights, hardship)


# ---------------------------------------------------------------------------- everyone


def person_traits(
    r: Replica, c, snap, *, impaired_count, impaired_rate, lives_alone, widowed, empty_nest, health, disabled
) -> None:
    """Household, health and impairment flags; exact impairment count among ``snap``."""
    rng = r.rng
    n = len(snap)
    alive = int(snap.sum())
    any_imp = np.zeros(n, dtype=bool)
    age = 2019 - year_of(c["birth_date"])
    weight = np.clip(age[snap] - 50, 1, None).astype(float) ** 2
    any_imp[snap] = choose_exact(rng, alive, impaired_count, weight)
    any_imp[~snap] = rng.random(n - alive) < impaired_rate
    probs = {"mobility": 0.55, "vision": 0.35, "hearing": 0.5, "speech": 0.12, "memory": 0.3}
    flags = {k: (rng.random(n) < p) & any_imp for k, p in probs.items()}
    none_set = any_imp & ~np.logical_or.reduce(list(flags.values()))
    flags["mobility"] |= none_set
    for k, v in flags.items():
        c[f"impaired_{k}"] = v
    c["lives_alone"] = rng.random(n) < lives_alone
    c["widowed"] = c.get("widowed_fixed", rng.random(n) < widowed)  # draws even when fixed
    c.pop("widowed_fixed", None)
    c["empty_nest"] = ~c["lives_alone"] & (rng.random(n) < empty_nest)
    c["lost_only_child"] = rng.random(n) < 0.012
    c["health_status"] = pick(rng, ("good", "chronic", "serious"), n, health)
    c["disabled"] = rng.random(n) < disabled


def draw_hardship(r: Replica, c: Columns, pool, k: int, reasons, weights, hardship=None) -> None:
    """``k`` people of ``pool`` (indexes) in hardship, each with a reason drawn by ``weights``;
    onto ``hardship`` if given (reasons already set stay)."""
    if hardship is None:
        hardship = np.full(len(c["category"]), None, dtype=object)
    chosen = r.rng.choice(pool, size=k, replace=False)
    hardship[chosen] = pick(r.rng, reasons, len(chosen), weights)
    c["hardship_reason"] = hardship


def tiers(c: Columns) -> np.ndarray:
    age = 2019 - year_of(c["birth_date"])
    away = c["relocated"] | c["lives_away"]
    t1 = c["disabled"] | (c["health_status"] == "serious") | (c["lives_alone"] & (age >= 90))
    t2 = (age >= 80) | ((c["health_status"] == "chronic") & (c["lives_alone"] | c["empty_nest"]))
    t3 = ((c["health_status"] == "chronic") | (age >= 70)) & ~away
    return np.select([t1, t2, t3], [1, 2, 3], default=4)


# ---------------------------------------------------------------------------- survivors


def make_survivors(r: Replica, vet: Columns, vet_ids: np.ndarray) -> Columns:
    rng = r.rng
    alive, died, new2020 = 356, 30, 18
    vdeath = vet["death_date"]
    recent = np.flatnonzero((vdeath >= ymd(2018)) & (vdeath < ymd(2019, 11)))
    old = np.flatnonzero((vdeath > NONE_DAY) & (vdeath < ymd(2018)))
    in2020 = np.flatnonzero((vdeath >= ymd(2020)) & (vdeath < ymd(2020, 11)))
    cadre = np.concatenate(
        [
            rng.choice(recent, size=40, replace=False),
            rng.choice(old, size=alive - 40 + died, replace=False),
            rng.choice(in2020, size=new2020, replace=False),
        ]
    )
    n = len(cadre)
    c = base_people(n, "survivor")
    snap = np.arange(n) < alive
    c["deceased_cadre_id"] = vet_ids[cadre].astype(object)
    c["area_code"] = vet["area_code"][cadre]
    c["unit_id"] = vet["unit_id"][cadre]
    c["entry_date"] = vdeath[cadre] + rng.integers(10, 45, n)
    c["birth_date"] = vet["birth_date"][cadre] + rng.integers(0, 12 * 365, n)
    c["gender"] = np.where(vet["gender"][cadre] == "M", "F", "M")
    _survivor_lives(r, c, alive, died)
    person_traits(r, c, snap, **dict(zip(TRAIT_NAMES, TRAITS["survivor"])))
    reasons = ("serious_illness", "advanced_age", "disability", "lost_only_child", "empty_nest", "low_income")
    draw_hardship(r, c, np.flatnonzero(snap), 120, reasons, (0.2, 0.25, 0.1, 0.05, 0.15, 0.25))
    return c


def _survivor_lives(r: Replica, c: Columns, alive: int, died: int) -> None:
    """Death, party membership, living away; every survivor is widowed."""
    rng = r.rng
    n = len(c["category"])
    death = np.full(n, NONE_DAY, dtype="int64")
    death[:alive][choose_exact(rng, alive, 20)] = r.deaths_in(20, 2020, 2)
    lo = np.maximum(c["entry_date"][alive : alive + died] + 30, ymd(2018))
    death[alive : alive + died] = uniform_days(rng, lo, np.full(died, ymd(2020)))
    c["death_date"] = death
    party = np.full(n, None, dtype=object)
    party[:alive][choose_exact(rng, alive, 12)] = "full"
    c["party_status"] = party
    away = np.zeros(n, dtype=bool)
    away[:alive] = choose_exact(rng, alive, 13)
    c["lives_away"] = away
    c["widowed_fixed"] = np.ones(n, dtype=bool)


# ---------------------------------------------------------------------------- retirees

RETIREES_BY_UNIT_TYPE = {"city_organ": 3566, "district_organ": 5386, "township": 1141, "institution": 22104}


def make_retirees(r: Replica) -> Columns:
    alive = sum(RETIREES_BY_UNIT_TYPE.values())
    died18, died19, new2020 = 280, 300, 1600
    n = alive + died18 + died19 + new2020
    c = base_people(n, "retiree")
    snap = np.arange(n) < alive
    utype = _retiree_units(r, c, alive)
    ry = _retiree_dates(r, c, alive, died18, died19)
    _retiree_ranks(r, c, utype, snap, alive)
    _retiree_party(r, c, utype, ry, alive)
    person_traits(r, c, snap, **dict(zip(TRAIT_NAMES, TRAITS["retiree"])))
    reasons = ("serious_illness", "disability", "lost_only_child", "empty_nest", "low_income")
    draw_hardship(r, c, np.flatnonzero(snap & (ry < 2019)), 45, reasons, (0.4, 0.2, 0.1, 0.1, 0.2))
    return c


def _retiree_units(r: Replica, c: Columns, alive: int) -> np.ndarray:
    """Unit type, managing area and unit; returns the unit types."""
    rng = r.rng
    by_type = RETIREES_BY_UNIT_TYPE
    n = len(c["category"])
    utype = np.concatenate([np.full(v, k, dtype=object) for k, v in by_type.items()])
    utype = np.concatenate([utype, pick(rng, list(by_type), n - alive, np.array(list(by_type.values())))])
    area = np.empty(n, dtype=object)
    town_w = DISTRICT_WEIGHTS * np.array([0.3 if a[2] == "district" else 1.0 for a in AREAS[1:]])
    for t in by_type:
        idx = np.flatnonzero(utype == t)
        if t == "city_organ":
            area[idx] = CITY
        elif t == "institution":
            area[idx] = np.where(rng.random(len(idx)) < 0.41, CITY, r.district_areas(len(idx)))
        else:
            area[idx] = r.district_areas(len(idx), town_w if t == "township" else None)
    c["area_code"] = area
    unit = np.empty(n, dtype="int64")
    for t in by_type:
        idx = np.flatnonzero(utype == t)
        unit[idx] = r.draw_units(area[idx], t)
    c["unit_id"] = unit
    return utype


def _retiree_dates(r: Replica, c: Columns, alive: int, died18: int, died19: int) -> np.ndarray:
    """Gender, retirement, birth and death; returns the retirement years."""
    rng = r.rng
    n = len(c["category"])
    female = rng.random(n) < 0.38
    c["gender"] = np.where(female, "F", "M")
    # Retirement dates: more recent years more numerous (the 扩张期).
    years = np.arange(1985, 2018)
    wy = np.exp((years - 2017) / 11.0)
    ry = np.empty(n, dtype="int64")
    ry[:alive] = rng.choice(years, size=alive, p=wy / wy.sum())
    recent = rng.choice(alive, size=2950, replace=False)
    ry[recent[:1500]] = 2019
    ry[recent[1500:]] = 2018
    ry[alive : alive + died18 + died19] = rng.choice(years, size=died18 + died19, p=wy / wy.sum())
    ry[alive + died18 + died19 :] = 2020
    retire = np.array([ymd(int(y)) for y in ry]) + rng.integers(0, 365, n)
    retire[ry == 2020] = np.minimum(retire[ry == 2020], ymd(2020, 12, 31) - 1)
    c["retirement_date"] = retire
    c["entry_date"] = retire
    retire_age = np.where(female, 55, 60) + rng.integers(0, 3, n)
    c["birth_date"] = retire - retire_age * 365 - rng.integers(0, 300, n)
    death = np.full(n, NONE_DAY, dtype="int64")
    death[:alive][choose_exact(rng, alive, 320)] = r.deaths_in(320, 2020, 2)
    lo18 = np.maximum(retire[alive : alive + died18] + 30, ymd(2018))
    death[alive : alive + died18] = uniform_days(rng, lo18, np.full(died18, ymd(2019)))
    lo19 = np.maximum(retire[alive + died18 : alive + died18 + died19] + 30, ymd(2019))
    death[alive + died18 : alive + died18 + died19] = uniform_days(rng, lo19, np.full(died19, ymd(2020)))
    c["death_date"] = death
    return ry


def _retiree_ranks(r: Replica, c: Columns, utype: np.ndarray, snap: np.ndarray, alive: int) -> None:
    """Ranks: 10 + 80 actual-post prefecture (city organs 70, city institutions 20), 15
    deputy-prefecture without an actual post; the 2020 dead spare them."""
    rng = r.rng
    area = c["area_code"]
    n = len(area)
    rank = np.full(n, "section", dtype=object)
    dying = c["death_date"][:alive] > NONE_DAY
    organ = np.flatnonzero(snap & (utype == "city_organ") & ~np.pad(dying, (0, n - alive)))
    inst = np.flatnonzero(snap & (utype == "institution") & (area == CITY) & ~np.pad(dying, (0, n - alive)))
    pref_organ = rng.choice(organ, size=85, replace=False)
    pref_inst = rng.choice(inst, size=20, replace=False)
    rank[pref_organ[:8]] = "prefecture_principal"
    rank[pref_inst[:2]] = "prefecture_principal"
    rank[pref_organ[8:85]] = "prefecture_deputy"
    rank[pref_inst[2:]] = "prefecture_deputy"
    actual = np.zeros(n, dtype=bool)
    actual[pref_organ[:70]] = True
    actual[pref_inst] = True
    is_organ = np.isin(utype, ("city_organ", "district_organ"))
    county = (rank == "section") & (rng.random(n) < np.where(is_organ, 0.12, 0.05))
    rank[county] = "county"
    actual |= county & (rng.random(n) < 0.6)
    c["rank"], c["actual_post"] = rank, actual


def _retiree_party(r: Replica, c: Columns, utype: np.ndarray, ry: np.ndarray, alive: int) -> None:
    """Party members lean to organs, to ranks and to the city (district branches stay
    small); a few recent retirees are probationary. Then who lives away."""
    rng = r.rng
    area, rank = c["area_code"], c["rank"]
    n = len(area)
    is_organ = np.isin(utype, ("city_organ", "district_organ"))
    party = np.full(n, None, dtype=object)
    pw = (
        np.where(is_organ[:alive], 3.0, 1.0)
        * np.where(rank[:alive] == "section", 1.0, 4.0)
        * np.where(area[:alive] == CITY, 3.5, 1.0)
    )
    party[:alive][choose_exact(rng, alive, 10_320, pw)] = "full"
    party[alive:][rng.random(n - alive) < 0.32] = "full"
    probation = (party == "full") & (ry >= 2019) & (rng.random(n) < 0.03)
    party[probation] = "probationary"
    c["party_status"] = party
    away = np.zeros(n, dtype=bool)
    away[:alive] = choose_exact(rng, alive, 80)
    relocated = away & (rng.random(n) < 0.3)
    c["relocated"], c["lives_away"] = relocated, away & ~relocated


# ---------------------------------------------------------------------------- the table


def make_people(r: Replica) -> Columns:
    """Everyone of the replica, veterans first (survivors refer to them), with ids, names,
    phones and service tiers."""
    rng = r.rng
    vet = make_veterans(r)
    base = r.k * PEOPLE_ID_STRIDE
    vet_ids = base + 1 + np.arange(len(vet["category"]))
    sur = make_survivors(r, vet, vet_ids)
    ret = make_retirees(r)
    groups = [vet, sur, ret]
    cols: Columns = {}
    for key in vet:
        cols[key] = np.concatenate([g[key] for g in groups])
    n = len(cols["category"])
    cols["id"] = base + 1 + np.arange(n)
    # Snapshot membership marker, used only while generating.
    r.snap_alive = (cols["entry_date"] <= r.snapshot) & (
        (cols["death_date"] == NONE_DAY) | (cols["death_date"] > r.snapshot)
    )
    female = cols["gender"] == "F"
    cols["name"] = synthetic_names(rng, female)
    cols["phone"] = synthetic_phones(rng, n)
    cols["service_tier"] = tiers(cols)
    return cols


DATE_COLUMNS = ("birth_date", "revolution_joined_on", "retirement_date", "entry_date", "death_date")


def write_people(r: Replica, c: Columns) -> None:
    """Every column of the table (dates as dates). Deceased cadres come first in the arrays,
    so the self reference is always met."""
    names = [col.name for col in schema.people.columns]
    r.w.insert(schema.people, {k: to_dates(c[k]) if k in DATE_COLUMNS else c[k] for k in names})
