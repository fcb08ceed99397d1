"""Every figure of the report, through the data-access layer and again through raw SQL.

The raw SQL here is written by hand, independently of the query builders, and runs
unchanged on SQLite, PostgreSQL and MariaDB.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard import formatting, labels
from data_access import branches, contacts, money, people
from data_access.db import as_of_date
from data_access.filters import Filters, Period, Scope

EVERYONE = Scope.everything()
Y2019 = Filters(Period.year(2019))
Y2020 = Filters(Period.year(2020))
SNAP_END = dt.date(2020, 1, 1)  # the period 2019 ends (exclusive) at 2020-01-01

ALIVE = "p.entry_date < :end AND (p.death_date IS NULL OR p.death_date >= :end)"


def raw(conn, sql: str, **params):
    return conn.execute(sa.text(sql), {"end": SNAP_END, **params}).all()


def raw_scalar(conn, sql: str, **params):
    return conn.execute(sa.text(sql), {"end": SNAP_END, **params}).scalar()


def by_key(rows) -> dict:
    return {r[0]: int(r[1]) for r in rows}


def test_as_of_date_is_the_latest_activity(conn):
    assert as_of_date(conn) == dt.date(2020, 12, 31)


def test_headcounts_by_category(conn):
    dal = people.fetch_population_summary(conn, Y2019, EVERYONE, ["category"]).set_index("category")["people"]
    sql = by_key(raw(conn, f"SELECT p.category, COUNT(*) FROM people p WHERE {ALIVE} GROUP BY p.category"))
    expected = {"veteran": 703, "retiree": 32197, "survivor": 356}
    assert dal.to_dict() == expected
    assert sql == expected


def test_veteran_average_age_is_89_8(conn):
    dal = people.fetch_population_summary(conn, Filters(Period.year(2019), categories=("veteran",)), EVERYONE)
    births = pd.DataFrame(
        raw(conn, f"SELECT p.birth_date FROM people p WHERE p.category = 'veteran' AND {ALIVE}"),
        columns=["birth_date"],
    )
    on = dt.date(2019, 12, 31)
    ages = births["birth_date"].map(
        lambda b: (
            on.year - b.year - ((b.month, b.day) > (on.month, on.day))
            if isinstance(b, dt.date)
            else on.year - int(str(b)[:4]) - ((int(str(b)[5:7]), int(str(b)[8:10])) > (on.month, on.day))
        )
    )
    assert len(ages) == 703
    assert round(ages.mean(), 1) == 89.8
    assert round(float(dal["average_age"].iloc[0]), 1) == 89.8
    assert float(dal["average_age"].iloc[0]) == pytest.approx(ages.mean())


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        ("area_code", {"city": 535, "districts": 168}),
        ("revolution_period", {"liberation": 638, "anti_japanese": 65}),
        ("rank", {"prefecture_principal": 5, "prefecture_deputy": 44, "county_and_below": 654}),
    ],
)
def test_veteran_breakdowns(conn, dimension, expected):
    f = Filters(Period.year(2019), categories=("veteran",))
    df = people.fetch_population_summary(conn, f, EVERYONE, [dimension])
    counts = dict(zip(df[dimension], df["people"]))
    sql = by_key(
        raw(
            conn,
            f"SELECT p.{dimension}, COUNT(*) FROM people p "
            f"WHERE p.category = 'veteran' AND {ALIVE} GROUP BY p.{dimension}",
        )
    )
    assert counts == sql
    if dimension == "area_code":
        counts = {"city": counts.pop("city"), "districts": sum(counts.values())}
    if dimension == "rank":
        counts["county_and_below"] = counts.pop("county") + counts.pop("section")
    assert counts == expected


def test_survivors_and_living_away(conn):
    df = people.fetch_population_summary(conn, Y2019, EVERYONE)
    assert int(df["living_away"].iloc[0]) == 107
    sql = raw_scalar(
        conn, f"SELECT COUNT(*) FROM people p WHERE {ALIVE} AND (p.relocated = :t OR p.lives_away = :t)", t=True
    )
    assert sql == 107
    linked = raw_scalar(
        conn,
        f"""SELECT COUNT(*) FROM people p JOIN people c ON c.id = p.deceased_cadre_id
        WHERE p.category = 'survivor' AND {ALIVE} AND c.category = 'veteran' AND c.death_date < p.entry_date""",
    )
    assert linked == 356  # every survivor belongs to a deceased veteran


def test_retirees_by_employer_type(conn):
    f = Filters(Period.year(2019), categories=("retiree",))
    df = people.fetch_population_summary(conn, f, EVERYONE, ["unit_type"])
    sql = by_key(
        raw(
            conn,
            f"""SELECT u.unit_type, COUNT(*) FROM people p JOIN units u ON u.id = p.unit_id
        WHERE p.category = 'retiree' AND {ALIVE} GROUP BY u.unit_type""",
        )
    )
    expected = {"city_organ": 3566, "district_organ": 5386, "township": 1141, "institution": 22104}
    assert dict(zip(df["unit_type"], df["people"])) == expected == sql
    assert sum(expected.values()) == 32197


def test_prefecture_level_retirees(conn):
    f = Filters(Period.year(2019), categories=("retiree",))
    df = people.fetch_population_summary(conn, f, EVERYONE, ["rank"]).set_index("rank")
    sql = by_key(
        raw(
            conn,
            f"""SELECT p.rank, COUNT(*) FROM people p WHERE p.category = 'retiree' AND {ALIVE}
        AND p.actual_post = :t AND p.rank IN ('prefecture_principal', 'prefecture_deputy') GROUP BY p.rank""",
            t=True,
        )
    )
    assert sql == {"prefecture_principal": 10, "prefecture_deputy": 80}
    # The layer's key-cohort count among retirees is exactly these 90 (实职 only).
    assert int(df["key_cohort"].sum()) == 90


def test_branches(conn):
    df = branches.fetch_branch_summary(conn, Y2019, EVERYONE, ["kind"]).set_index("kind")
    active = "b.founded_on < :end AND (b.closed_on IS NULL OR b.closed_on >= :end)"
    sql = by_key(raw(conn, f"SELECT b.kind, COUNT(*) FROM party_branches b WHERE {active} GROUP BY b.kind"))
    expected = {"city_unit": 171, "temporary": 61, "district": 86}
    assert df["branches"].to_dict() == expected == sql
    assert int(df["branches"].sum()) == 318
    secretaries = raw_scalar(
        conn, f"SELECT COUNT(*) FROM party_branches b WHERE {active} AND b.secretary_is_retiree = :t", t=True
    )
    assert int(df["retiree_secretaries"].sum()) == secretaries == 270
    total = branches.fetch_branch_summary(conn, Y2019, EVERYONE).iloc[0]
    assert f"{total['retiree_secretary_share'] * 100:.1f}%" == "84.9%"


def test_party_members_about_eleven_thousand(conn):
    total = int(branches.fetch_branch_summary(conn, Y2019, EVERYONE)["members"].iloc[0])
    active = "b.founded_on < :end AND (b.closed_on IS NULL OR b.closed_on >= :end)"
    sql = raw_scalar(
        conn,
        f"""SELECT COUNT(*) FROM people p JOIN party_branches b ON b.id = p.branch_id
        WHERE p.party_status IS NOT NULL AND {ALIVE} AND {active}""",
    )
    assert total == sql
    assert round(total / 10_000, 1) == 1.1  # "1.1万"


def test_impairments(conn):
    df = people.fetch_population_summary(conn, Y2019, EVERYONE, ["category"]).set_index("category")
    share = df["impaired"] / df["people"]
    assert share["veteran"] > 0.90
    assert 0.28 <= share["retiree"] <= 0.32
    any_imp = " OR ".join(f"p.impaired_{k} = :t" for k in ("mobility", "vision", "hearing", "speech", "memory"))
    sql = by_key(
        raw(
            conn, f"SELECT p.category, COUNT(*) FROM people p WHERE {ALIVE} AND ({any_imp}) GROUP BY p.category", t=True
        )
    )
    assert df["impaired"].to_dict() == sql


def test_key_cohort_full_coverage_2019(conn):
    df = contacts.fetch_coverage(conn, Y2019, EVERYONE, key_cohort_only=True).iloc[0]
    assert int(df["population"]) == 625
    assert int(df["reached"]) == 625
    assert df["coverage"] == 1.0
    cohort = """(p.category = 'veteran' AND p.area_code = 'city') OR (p.category = 'retiree' AND p.actual_post = :t
        AND p.rank IN ('prefecture_principal', 'prefecture_deputy'))"""
    sql = raw(
        conn,
        f"""SELECT COUNT(DISTINCT p.id), COUNT(DISTINCT c.person_id) FROM people p
        LEFT JOIN contacts c ON c.person_id = p.id AND c.contact_date >= :start AND c.contact_date < :end
        WHERE {ALIVE} AND ({cohort})""",
        t=True,
        start=dt.date(2019, 1, 1),
    )[0]
    assert tuple(sql) == (625, 625)
    # Issue #16, point 4: the rate reads with its count, as every KPI card shows it.
    reading = labels.COUNT_RATE.format(count=f"{int(df['reached']):,} 人", rate=formatting.percent(df["coverage"]))
    assert reading == "625 人 · 100.0%"


def test_key_cohort_short_in_2020(conn):
    """Honest imperfection: in 2020 three key-cohort people were never reached."""
    df = contacts.fetch_coverage(conn, Y2020, EVERYONE, key_cohort_only=True).iloc[0]
    assert int(df["unreached"]) == 3


def test_hardship_aid_2020(conn):
    df = money.fetch_aid_summary(conn, Y2020, EVERYONE, ["category"]).set_index("category")
    assert df["recipients"].to_dict() == {"veteran": 56, "retiree": 34, "survivor": 92}
    assert float(df["cash_amount"].sum()) == 450_000.0
    assert float(df["goods_amount"].sum()) == 35_000.0
    sql = raw(
        conn,
        """SELECT p.category, COUNT(DISTINCT d.person_id), SUM(d.amount) FROM disbursements d
        JOIN people p ON p.id = d.person_id WHERE d.category = 'hardship_aid' AND d.form = 'cash'
        AND d.paid_on >= :start AND d.paid_on < :end GROUP BY p.category""",
        start=dt.date(2020, 1, 1),
        end=dt.date(2021, 1, 1),
    )
    assert {r[0]: int(r[1]) for r in sql} == df["recipients"].to_dict()
    assert sum(float(r[2]) for r in sql) == 450_000.0
    total = money.fetch_aid_summary(conn, Y2020, EVERYONE).iloc[0]
    assert int(total["recipients"]) == 182
    assert round(total["per_recipient"]) == 2473  # about 2,473 元 a person
    # Paid in one batch before the Spring Festival (2020-01-25).
    last = raw_scalar(
        conn,
        """SELECT MAX(d.paid_on) FROM disbursements d WHERE d.category = 'hardship_aid'
        AND d.paid_on >= :start AND d.paid_on < :end""",
        start=dt.date(2020, 1, 1),
        end=dt.date(2021, 1, 1),
    )
    assert str(last)[:10] < "2020-01-25"


def test_two_up_one_down(conn):
    """两增一减: retirees and the total rise year on year, veterans fall."""
    counts = {}
    for year in (2018, 2019, 2020):
        df = people.fetch_population_summary(conn, Filters(Period.year(year)), EVERYONE, ["category"])
        counts[year] = df.set_index("category")["people"].to_dict()
    for a, b in ((2018, 2019), (2019, 2020)):
        assert counts[b]["retiree"] > counts[a]["retiree"]
        assert counts[b]["veteran"] < counts[a]["veteran"]
        assert sum(counts[b].values()) > sum(counts[a].values())


def test_time_progress_and_execution(conn):
    assert money.time_progress(dt.date(2020, 12, 31)) == 1.0
    assert money.time_progress(dt.date(2019, 7, 2)) == pytest.approx(183 / 365)
    assert money.time_progress(dt.date(2020, 3, 1)) == pytest.approx(61 / 366)
    df = money.fetch_budget_execution(conn, Y2020, EVERYONE).set_index("budget_category")
    budget = raw_scalar(conn, "SELECT SUM(amount) FROM budgets WHERE year = 2020 AND category = 'precise_service'")
    actual = raw_scalar(
        conn,
        """SELECT SUM(amount) FROM disbursements WHERE category = 'precise_service'
        AND paid_on >= :start AND paid_on < :end""",
        start=dt.date(2020, 1, 1),
        end=dt.date(2021, 1, 1),
    )
    assert df.loc["precise_service", "budget"] == pytest.approx(float(budget))
    assert df.loc["precise_service", "actual"] == pytest.approx(float(actual))
    assert df.loc["precise_service", "execution_rate"] < 0.95  # spent short and late
