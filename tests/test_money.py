"""Aid and budget (帮扶与经费) through the data layer against hand-written SQL."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_access import money
from data_access.filters import Filters, Period, Scope

EVERYONE = Scope.everything()
Y2020 = Filters(Period.year(2020))
S, E = dt.date(2020, 1, 1), dt.date(2021, 1, 1)


def test_time_progress_on_known_dates():
    assert money.time_progress(dt.date(2020, 6, 30)) == pytest.approx(182 / 366)
    assert money.period_time_progress(S, E, dt.date(2020, 6, 30)) == pytest.approx(182 / 366)
    assert money.period_time_progress(S, dt.date(2020, 7, 1), dt.date(2020, 12, 31)) == pytest.approx(182 / 366)
    assert money.period_time_progress(dt.date(2019, 1, 1), dt.date(2020, 1, 1), dt.date(2020, 12, 31)) == 1.0
    assert money.period_time_progress(S, E, dt.date(2019, 12, 31)) == 0.0


def test_execution_by_area_and_category_equals_sql(conn):
    df = money.fetch_budget_execution(conn, Y2020, EVERYONE, ("area_code", "budget_category"))
    budgets = {
        (a, c): float(v)
        for a, c, v in conn.execute(
            sa.text(
                "SELECT area_code, category, SUM(amount) FROM budgets WHERE year = 2020 GROUP BY area_code, category"
            )
        ).all()
    }
    spent = {
        (a, c): float(v)
        for a, c, v in conn.execute(
            sa.text(
                """SELECT area_code, category, SUM(amount) FROM disbursements WHERE paid_on >= :s AND paid_on < :e
        GROUP BY area_code, category"""
            ),
            {"s": S, "e": E},
        ).all()
    }
    for r in df.itertuples():
        assert r.budget == pytest.approx(budgets.get((r.area_code, r.budget_category), 0.0), abs=0.01)
        assert r.actual == pytest.approx(spent.get((r.area_code, r.budget_category), 0.0), abs=0.01)
    precise = df[df["budget_category"] == "precise_service"].set_index("area_code")
    assert precise.loc["620122", "execution_rate"] < 0.6  # the under-spender the report complains about


def test_monthly_cumulative_equals_sql(conn):
    df = money.fetch_monthly_spending(conn, Y2020, EVERYONE, ["precise_service"])
    assert df["month"].tolist() == list(range(1, 13))
    q3 = conn.execute(
        sa.text("""SELECT SUM(amount) FROM disbursements WHERE category = 'precise_service'
        AND paid_on >= :s AND paid_on < :e"""),
        {"s": S, "e": dt.date(2020, 10, 1)},
    ).scalar()
    assert df.loc[df["month"] == 9, "cumulative"].iloc[0] == pytest.approx(float(q3), abs=0.01)
    # Spent last: the fourth quarter carries more than the first half.
    assert df.loc[df["month"] >= 10, "actual"].sum() > df.loc[df["month"] <= 6, "actual"].sum()


def test_aid_by_reason_and_goods_equal_sql(conn):
    df = money.fetch_aid_summary(conn, Y2020, EVERYONE, ["hardship_reason"]).set_index("hardship_reason")
    sql = {
        r: (int(n), float(a))
        for r, n, a in conn.execute(
            sa.text(
                """SELECT hardship_reason, COUNT(DISTINCT person_id), SUM(amount) FROM disbursements
        WHERE category = 'hardship_aid' AND form = 'cash' AND paid_on >= :s AND paid_on < :e GROUP BY hardship_reason"""
            ),
            {"s": S, "e": E},
        ).all()
    }
    assert {k: (int(v.recipients), float(v.cash_amount)) for k, v in df.iterrows()} == sql
    assert float(df["goods_amount"].sum()) == 35_000.0
    assert df.loc["bankrupt_enterprise", "goods_amount"] == 35_000.0


def test_hardship_coverage_and_unaided_list(conn):
    cov = money.fetch_hardship_coverage(conn, Y2020, EVERYONE).iloc[0]
    alive = "p.entry_date < :e AND (p.death_date IS NULL OR p.death_date >= :e)"
    flagged, aided = conn.execute(
        sa.text(f"""SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM disbursements d
        WHERE d.person_id = p.id AND d.category = 'hardship_aid' AND d.form = 'cash' AND d.paid_on >= :s
        AND d.paid_on < :e) THEN 1 ELSE 0 END) FROM people p WHERE {alive} AND p.hardship_reason IS NOT NULL"""),
        {"s": S, "e": E},
    ).one()
    assert (int(cov["flagged"]), int(cov["aided"])) == (flagged, int(aided))
    unaided = money.fetch_unaided_list(conn, Y2020, EVERYONE)
    assert len(unaided) == flagged - int(aided) > 0
    assert unaided["name"].str.contains(r"\*").all()


def test_payments_behind_a_figure(conn):
    f = Filters(Period.year(2020), areas=("city",))
    df = money.fetch_disbursements(conn, f, EVERYONE, "hardship_aid")
    total = money.fetch_budget_execution(conn, f, EVERYONE).set_index("budget_category").loc["hardship_aid", "actual"]
    assert df["amount"].sum() == pytest.approx(total, abs=0.01)
    assert df["recipient"].str.contains(r"\*").all()
    lumps = money.fetch_disbursements(conn, f, EVERYONE, "pension")
    assert lumps["recipient"].isna().all()  # payroll is paid in lumps, no person
