"""Tables ``service_deliveries``, ``suggestions``, ``talent_pool`` and ``talent_activities``:
what the people ask for and offer (drawn last of all, so no earlier draw changes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from data_access import codes, schema
from data_access.demo.catalogue import (
    SUGGESTION_DEPARTMENTS,
    SUGGESTION_TOPICS,
    TALENT_ACTIVITY_TITLES,
    TALENT_FIELD_NAMES,
)
from data_access.demo.draw import NONE_DAY, pick, to_dates, uniform_days, year_of, ymd

if TYPE_CHECKING:
    from data_access.demo.replica import Replica

Columns = dict[str, np.ndarray]


def make_requests(r: Replica, c: Columns) -> None:
    death_or_end = np.where(c["death_date"] == NONE_DAY, r.end, c["death_date"])
    lo = np.maximum(c["entry_date"], r.start)
    live = lo < death_or_end
    make_service_deliveries(r, c, lo, live, death_or_end)
    make_suggestions(r, c, lo, live, death_or_end)
    make_talent_pool(r, c, live, death_or_end)


def make_service_deliveries(r: Replica, c: Columns, lo, live, death_or_end) -> None:
    """Older and frailer people ask more; three services lag (the report)."""
    rng = r.rng
    rate = np.select([c["service_tier"] == 1, c["service_tier"] == 2], [1.6, 0.6], default=0.04)
    k_per = rng.poisson(rate * 3) * live
    idx = np.repeat(np.arange(len(c["id"])), k_per)
    k = len(idx)
    svc = pick(rng, codes.SERVICES, k, (0.22, 0.2, 0.12, 0.06, 0.1, 0.14, 0.12, 0.04))
    req = uniform_days(rng, lo[idx], death_or_end[idx])
    gap = np.isin(svc, codes.GAP_SERVICES)
    delivered_ok = rng.random(k) < np.where(gap, 0.58, 0.93)
    delay = np.where(gap, rng.integers(3, 40, k), rng.integers(0, 8, k))
    delivered = np.where(delivered_ok & (req + delay < r.end), req + delay, NONE_DAY)
    provider = np.where(delivered != NONE_DAY, pick(rng, codes.PROVIDER_TYPES, k, (0.45, 0.35, 0.2)), None)
    r.w.insert(
        schema.service_deliveries,
        {
            "id": r.ids.take("service_deliveries", k),
            "person_id": c["id"][idx],
            "service": svc,
            "requested_on": to_dates(req),
            "delivered_on": to_dates(delivered),
            "provider_type": provider,
        },
    )


def make_suggestions(r: Replica, c: Columns, lo, live, death_or_end) -> None:
    """Suggestions from active retirees and veterans; most answered within the month."""
    rng = r.rng
    sugg = live & (rng.random(len(c["id"])) < np.where(c["category"] == "survivor", 0.0, 0.012))
    sidx = np.flatnonzero(sugg)
    k = len(sidx)
    sub = uniform_days(rng, lo[sidx], death_or_end[sidx])
    due = sub + 30
    u = rng.random(k)
    answered = np.where(
        u < 0.74, sub + rng.integers(3, 30, k), np.where(u < 0.9, sub + rng.integers(31, 80, k), NONE_DAY)
    )
    answered = np.where(answered >= r.end, NONE_DAY, answered)
    r.w.insert(
        schema.suggestions,
        {
            "id": r.ids.take("suggestions", k),
            "person_id": c["id"][sidx],
            "submitted_on": to_dates(sub),
            "topic": pick(rng, SUGGESTION_TOPICS, k),
            "department": pick(rng, SUGGESTION_DEPARTMENTS, k),
            "due_on": to_dates(due),
            "answered_on": to_dates(answered),
        },
    )


def make_talent_pool(r: Replica, c: Columns, live, death_or_end) -> None:
    """Silver talent pool: younger retirees with skills, then their activities."""
    rng = r.rng
    by = year_of(c["birth_date"])
    young = (c["category"] == "retiree") & (2019 - by < 75) & live
    tidx = np.flatnonzero(young & (rng.random(len(c["id"])) < 0.045))
    k = len(tidx)
    joined = np.maximum(c["entry_date"][tidx], uniform_days(rng, np.full(k, ymd(2016)), np.full(k, ymd(2020, 12))))
    left = np.where(rng.random(k) < 0.08, joined + rng.integers(90, 700, k), NONE_DAY)
    left = np.where(left >= r.end, NONE_DAY, left)
    fields = pick(rng, codes.TALENT_FIELDS, k, (0.2, 0.12, 0.25, 0.15, 0.08, 0.12, 0.08))
    r.w.insert(
        schema.talent_pool,
        {
            "id": r.ids.take("talent_pool", k),
            "person_id": c["id"][tidx],
            "field": fields,
            "joined_on": to_dates(joined),
            "left_on": to_dates(left),
        },
    )
    make_talent_activities(r, c["id"][tidx], fields, joined, left, death_or_end[tidx])


def make_talent_activities(
    r: Replica, person_ids: np.ndarray, fields: np.ndarray, joined: np.ndarray, left: np.ndarray, gone: np.ndarray
) -> None:
    """座谈, 调研, 授课培训, 咨询服务, 宣讲 while in the pool; about a quarter never take part."""
    rng = r.rng
    k = len(person_ids)
    lo = np.maximum(joined, r.start)
    hi = np.minimum(np.where(left == NONE_DAY, r.end, left), gone)
    span = np.maximum(hi - lo, 0)
    active = rng.random(k) < 0.74
    n_act = rng.poisson(np.where(active, 2.4, 0.0) * span / 365.25)
    aidx = np.repeat(np.arange(k), n_act)
    held = uniform_days(rng, lo[aidx], hi[aidx])
    kinds = pick(rng, TALENT_ACTIVITY_TITLES, len(aidx), (0.26, 0.2, 0.22, 0.19, 0.13))
    r.w.insert(
        schema.talent_activities,
        {
            "id": r.ids.take("talent_activities", len(aidx)),
            "person_id": person_ids[aidx],
            "held_on": to_dates(held),
            "kind": kinds,
            "title": [
                TALENT_ACTIVITY_TITLES[kd].format(field=TALENT_FIELD_NAMES[f]) for kd, f in zip(kinds, fields[aidx])
            ],
        },
    )
