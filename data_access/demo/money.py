"""Table ``disbursements`` (and the budgets ``build_demo`` writes from ``budget_base``):
monthly lump payments against each area's budgets, and the hardship-aid batches."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from data_access import schema
from data_access.codes import CITY
from data_access.demo.catalogue import AREAS, SPRING_FESTIVALS, UNDERSPEND
from data_access.demo.draw import NONE_DAY, day, to_dates, uniform_days, ymd

if TYPE_CHECKING:
    from data_access.demo.replica import Replica

Columns = dict[str, np.ndarray]
Budgets = dict[tuple[int, str, str], float]
PAYMENT_COLUMNS = ("paid_on", "area_code", "category", "amount", "form", "person_id", "hardship_reason")
# Share of the year's payments made in each month, by category.
RHYTHM = {
    "pension": np.full(12, 1 / 12),
    "medical": np.full(12, 1 / 12),
    "precise_service": np.array([0.02, 0.02, 0.03, 0.04, 0.05, 0.05, 0.06, 0.07, 0.1, 0.14, 0.18, 0.24]),
    "facilities": np.array([0.0, 0.02, 0.05, 0.08, 0.1, 0.1, 0.1, 0.1, 0.12, 0.1, 0.1, 0.13]),
    "training": np.array([0.0, 0.05, 0.1, 0.1, 0.15, 0.1, 0.05, 0.05, 0.15, 0.1, 0.1, 0.05]),
}
# Hardship-aid batch of each year: recipients (veterans, retirees, survivors), cash total, goods total.
HARDSHIP_BATCHES = {
    2018: ((48, 28, 85), 400_000, 30_000),
    2019: ((52, 31, 88), 420_000, 32_000),
    2020: ((56, 34, 92), 450_000, 35_000),
}


def make_money(r: Replica, c: Columns) -> None:
    """Monthly lump payments per area and category (person empty), spent against the
    budget with each category's own rhythm; precise services paid late in the year."""
    rng = r.rng
    amounts = budget_amounts(c)
    r.budget_base = amounts
    rows: dict[str, list] = {k: [] for k in PAYMENT_COLUMNS}
    for (year, area_code, category), budget in amounts.items():
        if category not in RHYTHM:
            continue
        # Payroll (离休费) is paid as budgeted; other categories wander a little.
        execution = 1.0 - abs(rng.normal(0, 0.004)) if category == "pension" else 1.0 + rng.normal(0, 0.015)
        if category in ("precise_service", "facilities"):
            execution *= UNDERSPEND.get(area_code, 0.93)
        if category == "medical":
            execution = 1.0 + abs(rng.normal(0.04, 0.03))  # medical costs run over
        shares = RHYTHM[category] * execution
        for m in range(12):
            if shares[m] <= 0:
                continue
            paid_on = ymd(year, m + 1, 25) if not (year == 2020 and m == 11) else ymd(2020, 12, 31)
            _pay(rows, paid_on, area_code, category, round(float(budget * shares[m]), 2))
    hardship_batches(r, c, rows)
    n = len(rows["paid_on"])
    rows["paid_on"] = to_dates(np.array(rows["paid_on"], dtype="int64"))
    r.w.insert(schema.disbursements, {"id": r.ids.take("disbursements", n), **rows})


def _pay(rows, paid_on, area_code, category, amount, form="cash", person_id=None, reason=None) -> None:
    for key, value in zip(PAYMENT_COLUMNS, (paid_on, area_code, category, amount, form, person_id, reason)):
        rows[key].append(value)


def budget_amounts(c: Columns) -> Budgets:
    """Annual initial budgets of one replica (元), by year, area and category."""
    out = {}
    for year in (2018, 2019, 2020):
        ref = ymd(year)
        alive = (c["entry_date"] <= ref) & ((c["death_date"] == NONE_DAY) | (c["death_date"] > ref))
        for code, *_ in AREAS:
            here = alive & (c["area_code"] == code)
            vets = int((here & (c["category"] == "veteran")).sum())
            survivors = int((here & (c["category"] == "survivor")).sum())
            everyone = int(here.sum())
            growth = 1.0 + 0.04 * (year - 2018)
            out[(year, code, "pension")] = round(vets * 98_000 * growth + survivors * 9_600, -3)
            out[(year, code, "medical")] = round(vets * 36_000 * growth + everyone * 150, -3)
            out[(year, code, "precise_service")] = round(everyone * (40 if code == CITY else 22) * growth, -3)
            out[(year, code, "hardship_aid")] = 0.0  # filled from the batches below
            out[(year, code, "facilities")] = round(everyone * 30 * growth + 50_000, -3)
            out[(year, code, "training")] = round(everyone * 12 * growth + 20_000, -3)
    return out


def hardship_batches(r: Replica, c: Columns, rows: dict[str, list]) -> None:
    """One batch before each Spring Festival; 2020 is the report's. Cash to every
    recipient, goods besides to the bankrupt-enterprise veterans among them."""
    for year, (counts, total, goods_total) in HARDSHIP_BATCHES.items():
        sf, window_start = SPRING_FESTIVALS[year]
        pay_lo = max(day(window_start) - 10, ymd(year, 1, 2))
        paid = uniform_days(r.rng, np.full(sum(counts), pay_lo), np.full(sum(counts), day(window_start) + 3))
        alive = (c["entry_date"] < pay_lo) & ((c["death_date"] == NONE_DAY) | (c["death_date"] > day(sf)))
        idx = _recipients(r, c, alive & (c["hardship_reason"] != None), counts)  # noqa: E711
        amount = _cash_amounts(c, idx, total)
        for i, a, d in zip(idx, amount, paid):
            area, reason = c["area_code"][i], c["hardship_reason"][i]
            _pay(rows, int(d), area, "hardship_aid", float(a), "cash", int(c["id"][i]), reason)
            r.budget_base[(year, area, "hardship_aid")] += float(a)
        goods_idx = idx[c["hardship_reason"][idx] == "bankrupt_enterprise"]
        per = goods_total / len(goods_idx)
        goods_amounts = np.full(len(goods_idx), round(per, 2))
        goods_amounts[-1] = round(goods_total - goods_amounts[:-1].sum(), 2)
        reason = "bankrupt_enterprise"
        for i, a in zip(goods_idx, goods_amounts):
            area = c["area_code"][i]
            _pay(rows, day(window_start) + 5, area, "hardship_aid", float(a), "goods", int(c["id"][i]), reason)
            r.budget_base[(year, area, "hardship_aid")] += float(a)


def _recipients(r: Replica, c: Columns, flagged: np.ndarray, counts: tuple[int, int, int]) -> np.ndarray:
    """Indexes of the batch's recipients, by category; bankrupt-enterprise veterans first
    (they also get goods)."""
    chosen = []
    for cat, k in zip(("veteran", "retiree", "survivor"), counts):
        pool = np.flatnonzero(flagged & (c["category"] == cat))
        if cat == "veteran":
            pri = pool[c["hardship_reason"][pool] == "bankrupt_enterprise"]
            rest = np.setdiff1d(pool, pri)
            chosen.append(np.concatenate([pri, r.rng.choice(rest, size=k - len(pri), replace=False)]))
        else:
            chosen.append(r.rng.choice(pool, size=k, replace=False))
    return np.concatenate(chosen)


def _cash_amounts(c: Columns, idx: np.ndarray, total: float) -> np.ndarray:
    """Amounts of 2,000 / 2,500 / 3,000 元 summing exactly to the batch total (the severe
    cases get the 3,000s)."""
    n = len(idx)
    amount = np.full(n, 2500.0)
    surplus = int(round((total - 2500 * n) / 500))  # >0: more 3,000s; <0: more 2,000s
    severe = np.isin(c["hardship_reason"][idx], ("serious_illness", "disability"))
    order = np.argsort(~severe, kind="stable")
    n3 = 40 + max(surplus, 0)
    n2 = n3 - surplus
    amount[order[:n3]] = 3000.0
    amount[order[::-1][:n2]] = 2000.0
    assert amount.sum() == total, amount.sum()
    return amount
