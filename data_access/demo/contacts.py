"""Tables ``contacts``, ``visit_events`` and ``pairings``: routine contact by tier, festival
visits, the visits events oblige (五必访), the key cohort's yearly contact, and pairings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from data_access import schema
from data_access.codes import CITY
from data_access.demo.catalogue import LAGGING_2020, festival_windows
from data_access.demo.draw import NONE_DAY, day, pick, synthetic_names, to_dates, uniform_days, year_of, ymd

if TYPE_CHECKING:
    from data_access.demo.replica import Replica

Columns = dict[str, np.ndarray]
ROUTINE_CHANNELS = (("phone", 0.5), ("wechat", 0.22), ("home_visit", 0.18), ("sms", 0.05), ("forum", 0.05))
ROUTINE_ROLES = (("bureau_staff", 0.45), ("community", 0.25), ("doctor", 0.1), ("volunteer", 0.15), ("leader", 0.05))
FESTIVAL_ROLES = {
    "home_visit": (("leader", 0.3), ("bureau_staff", 0.5), ("community", 0.2)),
    "call": (("bureau_staff", 0.8), ("community", 0.2)),
}
EVENT_OCCASIONS = {
    "hospitalisation": "hospital",
    "family_event": "family_event",
    "death": "condolence",
    "birthday": "birthday",
}


def pick_weighted(rng: np.random.Generator, choices, k: int) -> np.ndarray:
    """``k`` draws from ((value, weight), ...)."""
    return pick(rng, [x for x, _ in choices], k, [w for _, w in choices])


class ContactRows:
    """The contacts of one replica, gathered in chunks of column arrays."""

    KEYS = ("person", "date", "channel", "occasion", "role", "event")

    def __init__(self, c: Columns):
        self.person_ids = c["id"]
        self.chunks: dict[str, list] = {k: [] for k in self.KEYS}

    def add(self, person_idx, dates, channel, occasion, role, event=None) -> None:
        self.chunks["person"].append(self.person_ids[person_idx])
        self.chunks["date"].append(dates)
        self.chunks["channel"].append(channel)
        self.chunks["occasion"].append(occasion)
        self.chunks["role"].append(role)
        self.chunks["event"].append(np.full(len(person_idx), None, dtype=object) if event is None else event)

    def arrays(self) -> tuple[np.ndarray, ...]:
        return tuple(np.concatenate(self.chunks[k]) for k in self.KEYS)


def windows(r: Replica, cadence: str) -> list[tuple[int, int, int]]:
    """(start, end, year) of each cadence window inside the activity range."""
    out = []
    if cadence == "weekly":
        s = r.start  # 2018-01-01 is a Monday
        while s < r.end:
            out.append((s, min(s + 7, r.end), (np.datetime64(s, "D").astype(object)).year))
            s += 7
    elif cadence in ("monthly", "quarterly"):
        step = 1 if cadence == "monthly" else 3
        for y in (2018, 2019, 2020):
            for m in range(1, 13, step):
                e = ymd(y + 1) if m + step > 12 else ymd(y, m + step)
                out.append((ymd(y, m), e, y))
    return out


def make_contacts(r: Replica, c: Columns) -> None:
    rng = r.rng
    n = len(c["id"])
    death_or_end = np.where(c["death_date"] == NONE_DAY, r.end, c["death_date"])
    # Most people are reached every time; some now and then miss one; a few are hard
    # to reach. Lagging areas miss more in 2020.
    u = rng.random(n)
    reliability = np.select([u < 0.8, u < 0.96], [1.0, 0.95], default=0.45)
    lag = np.ones(n)
    for code, f in LAGGING_2020.items():
        lag[c["area_code"] == code] = f
    rows = ContactRows(c)
    _routine(r, c, rows, reliability, lag, death_or_end)
    _festival_visits(r, c, rows, reliability, lag, death_or_end)
    make_events(r, c, rows, death_or_end)
    person, dates, channel, occasion, role, event = adjust_key_cohort(r, c, *rows.arrays())
    order = np.lexsort((person, dates))
    r.w.insert(
        schema.contacts,
        {
            "id": r.ids.take("contacts", len(order)),
            "person_id": person[order],
            "contact_date": to_dates(dates[order]),
            "channel": channel[order],
            "occasion": occasion[order],
            "contact_role": role[order],
            "event_id": event[order],
        },
    )


def _routine(r: Replica, c: Columns, rows: ContactRows, reliability, lag, death_or_end) -> None:
    """Tiers 1-3 are contacted once a week, month or quarter (tier 4 at the festivals)."""
    rng = r.rng
    tier = c["service_tier"]
    for t, cadence in ((1, "weekly"), (2, "monthly"), (3, "quarterly")):
        who = np.flatnonzero(tier == t)
        for ws, we, year in windows(r, cadence):
            lo = np.maximum(c["entry_date"][who], ws)
            hi = np.minimum(death_or_end[who], we)
            ok = lo < hi
            chance = reliability[who] * (lag[who] if year == 2020 else 1.0)
            hit = ok & (rng.random(len(who)) < chance)
            idx, dates = who[hit], uniform_days(rng, lo[hit], hi[hit])
            k = len(idx)
            channel = pick_weighted(rng, ROUTINE_CHANNELS, k)
            rows.add(idx, dates, channel, np.full(k, "routine", dtype=object), pick_weighted(rng, ROUTINE_ROLES, k))


def _festival_visits(r: Replica, c: Columns, rows: ContactRows, reliability, lag, death_or_end) -> None:
    """The visit list (all veterans, survivors, hardship cases and prefecture-level
    retirees) is visited at each festival; tier-4 people get a festival call besides."""
    rng = r.rng
    fest_list = (
        (c["category"] != "retiree")
        | (c["hardship_reason"] != None)  # noqa: E711 (element-wise on an object array)
        | np.isin(c["rank"], ("prefecture_principal", "prefecture_deputy"))
    )
    tier4 = (c["service_tier"] == 4) & ~fest_list
    for fw in festival_windows():
        ws, we = max(day(fw["window_start"]), r.start), min(day(fw["window_end"]), r.end)
        if ws >= we:
            continue
        year = fw["festival_date"].year
        for mask, channels, chance in (
            (fest_list, (("home_visit", 0.86), ("forum", 0.14)), 0.97),
            (tier4, (("phone", 0.6), ("wechat", 0.3), ("sms", 0.1)), 0.97),
        ):
            who = np.flatnonzero(mask)
            lo = np.maximum(c["entry_date"][who], ws)
            hi = np.minimum(death_or_end[who], we)
            f = lag[who] if year == 2020 else 1.0
            hit = (lo < hi) & (rng.random(len(who)) < chance * reliability[who] * f)
            k = int(hit.sum())
            roles = FESTIVAL_ROLES["home_visit" if channels[0][0] == "home_visit" else "call"]
            dates = uniform_days(rng, lo[hit], hi[hit])
            channel = pick_weighted(rng, channels, k)
            occasion = np.full(k, fw["festival"], dtype=object)
            rows.add(who[hit], dates, channel, occasion, pick_weighted(rng, roles, k))


def key_cohort(c: Columns) -> np.ndarray:
    vet = (c["category"] == "veteran") & (c["area_code"] == CITY)
    ret = (
        (c["category"] == "retiree")
        & np.isin(c["rank"], ("prefecture_principal", "prefecture_deputy"))
        & c["actual_post"]
    )
    return vet | ret


def adjust_key_cohort(r: Replica, c: Columns, person, dates, channel, occasion, role, event):
    """Every key-cohort person reached in 2018 and 2019 (the report); in 2020 exactly
    three of them were missed all year (the dashboard must show "还差 3 人")."""
    rng = r.rng
    cohort = key_cohort(c)
    alive_2020 = np.flatnonzero(cohort & r.snap_alive & (c["death_date"] == NONE_DAY))
    missed_2020 = c["id"][rng.choice(alive_2020, size=3, replace=False)]
    keep = ~(np.isin(person, missed_2020) & (dates >= ymd(2020)))
    person, dates, channel, occasion, role, event = (a[keep] for a in (person, dates, channel, occasion, role, event))
    add_person, add_date = [], []
    for year in (2018, 2019, 2020):
        ys, ye = ymd(year), ymd(year + 1)
        at_end = cohort & (c["entry_date"] < ye) & ((c["death_date"] == NONE_DAY) | (c["death_date"] >= ye))
        ids = c["id"][at_end]
        ids = ids[~np.isin(ids, person[(dates >= ys) & (dates < ye)])]
        if year == 2020:
            ids = ids[~np.isin(ids, missed_2020)]
        add_person.append(ids)
        add_date.append(uniform_days(rng, ys + 60, ye - 30, len(ids)))
    person = np.concatenate([person, *add_person])
    dates = np.concatenate([dates, *add_date])
    k = len(person) - len(channel)
    channel = np.concatenate([channel, np.full(k, "phone", dtype=object)])
    occasion = np.concatenate([occasion, np.full(k, "routine", dtype=object)])
    role = np.concatenate([role, np.full(k, "bureau_staff", dtype=object)])
    event = np.concatenate([event, np.full(k, None, dtype=object)])
    return person, dates, channel, occasion, role, event


def make_events(r: Replica, c: Columns, rows: ContactRows, death_or_end: np.ndarray) -> None:
    """Occasions that oblige a visit, the events table, and the visits made for them:
    most on time, some late, a few never (lagging areas worse)."""
    rng = r.rng
    idx, etype, edate = _events(r, c, death_or_end)
    due = edate + 3  # 五必访: visit within three days of the event being reported
    eids = r.ids.take("visit_events", len(idx))
    r.w.insert(
        schema.visit_events,
        {
            "id": eids,
            "person_id": c["id"][idx],
            "event_type": etype,
            "event_date": to_dates(edate),
            "visit_due_on": to_dates(due),
        },
    )
    u = rng.random(len(idx))
    lagging = np.isin(c["area_code"][idx], list(LAGGING_2020))
    on_time = u < np.where(lagging, 0.74, 0.9)
    late = ~on_time & (u < 0.97)
    delay = np.where(on_time, rng.integers(0, 4, len(idx)), rng.integers(4, 12, len(idx)))
    delay = np.where(etype == "birthday", np.where(on_time, rng.integers(0, 2, len(idx)), delay), delay)
    visit_date = edate + delay
    keep = (on_time | late) & (visit_date < r.end)
    k = int(keep.sum())
    rows.add(
        idx[keep],
        visit_date[keep],
        pick(rng, ("home_visit",), k),
        np.array([EVENT_OCCASIONS[t] for t in etype[keep]], dtype=object),
        pick(rng, ("leader", "bureau_staff", "community", "doctor"), k, (0.25, 0.5, 0.15, 0.1)),
        eids[keep].astype(object),
    )


def _events(r: Replica, c: Columns, death_or_end: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(person index, event type, event day) of hospitalisations, family events, round
    birthdays from 80 and deaths, year by year."""
    rng = r.rng
    n = len(c["id"])
    cat = c["category"]
    yearly_rate = np.select([cat == "veteran", cat == "survivor"], [0.32, 0.2], default=0.03)
    by = year_of(c["birth_date"])
    day_of_year = c["birth_date"] - np.array([ymd(int(y)) for y in by])
    ev_person, ev_type, ev_date = [], [], []

    def add(mask: np.ndarray, kind: str, dates: np.ndarray) -> None:
        ev_person.append(np.flatnonzero(mask))
        ev_type.append(np.full(int(mask.sum()), kind, dtype=object))
        ev_date.append(dates)

    for year in (2018, 2019, 2020):
        ys, ye = ymd(year), ymd(year + 1)
        lo = np.maximum(c["entry_date"], ys)
        hi = np.minimum(death_or_end, ye)
        live = lo < hi
        hosp = live & (rng.random(n) < yearly_rate)
        add(hosp, "hospitalisation", uniform_days(rng, lo[hosp], hi[hosp]))
        fam = live & (rng.random(n) < 0.008)
        add(fam, "family_event", uniform_days(rng, lo[fam], hi[fam]))
        age = year - by
        bdates = ys + day_of_year
        bday = live & (age >= 80) & (age % 5 == 0) & (bdates >= lo) & (bdates < hi)
        add(bday, "birthday", bdates[bday])
        died = (c["death_date"] >= ys) & (c["death_date"] < ye)
        add(died, "death", c["death_date"][died])
    return np.concatenate(ev_person), np.concatenate(ev_type), np.concatenate(ev_date).astype("int64")


def make_pairings(r: Replica, c: Columns) -> None:
    rng = r.rng
    n = len(c["id"])
    cat = c["category"]
    chance = np.select([cat == "veteran", cat == "survivor"], [0.97, 0.8], default=0.22)
    paired = (rng.random(n) < chance) & (c["death_date"] == NONE_DAY) | (
        (rng.random(n) < chance * 0.5) & (c["death_date"] != NONE_DAY)
    )
    idx = np.flatnonzero(paired)
    k = len(idx)
    mode = np.where(
        cat[idx] == "veteran",
        pick(rng, ("one_to_one", "many_to_one"), k, (0.7, 0.3)),
        pick(rng, ("one_to_many", "one_to_one"), k, (0.8, 0.2)),
    )
    role = np.where(
        mode == "one_to_one",
        pick(rng, ("leader", "bureau_staff"), k, (0.4, 0.6)),
        pick(rng, ("community", "doctor", "volunteer", "bureau_staff"), k, (0.35, 0.2, 0.3, 0.15)),
    )
    started = np.maximum(c["entry_date"][idx], uniform_days(rng, np.full(k, ymd(2016)), np.full(k, ymd(2020, 12))))
    ended = np.where(
        c["death_date"][idx] != NONE_DAY,
        c["death_date"][idx],
        np.where(rng.random(k) < 0.06, uniform_days(rng, np.full(k, ymd(2019)), np.full(k, ymd(2020, 12))), NONE_DAY),
    )
    ended = np.where((ended != NONE_DAY) & (ended <= started), started + 30, ended)
    helpers = synthetic_names(rng, rng.random(k) < 0.5)
    r.w.insert(
        schema.pairings,
        {
            "id": r.ids.take("pairings", k),
            "person_id": c["id"][idx],
            "helper_name": helpers,
            "helper_role": role,
            "mode": mode,
            "started_on": to_dates(started),
            "ended_on": to_dates(ended),
        },
    )
