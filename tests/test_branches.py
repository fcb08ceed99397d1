"""Party branches (党支部) through the data layer against independent computations."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import branches
from data_access.filters import Filters, Period, Scope

EVERYONE = Scope.everything()
AS_OF = dt.date(2020, 12, 31)
ACTIVE = "b.founded_on < :end AND (b.closed_on IS NULL OR b.closed_on >= :end)"
ALIVE = "p.entry_date < :end AND (p.death_date IS NULL OR p.death_date >= :end)"


def d(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def test_owed_months():
    assert len(branches.owed_months(dt.date(2020, 1, 1), dt.date(2021, 1, 1), dt.date(2000, 1, 1))) == 12
    assert branches.owed_months(dt.date(2020, 1, 1), dt.date(2020, 6, 15), dt.date(2020, 3, 10)) == [
        dt.date(2020, 4, 1),
        dt.date(2020, 5, 1),
    ]
    assert branches.owed_months(dt.date(2020, 1, 1), dt.date(2020, 1, 31), dt.date(2000, 1, 1)) == []


def test_branch_list_matches_sql(conn):
    f = Filters(Period.year(2019))
    df = branches.fetch_branch_list(conn, f, EVERYONE)
    end = dt.date(2020, 1, 1)
    sql = dict(
        conn.execute(
            sa.text(f"""SELECT b.id, COUNT(p.id) FROM party_branches b LEFT JOIN people p
        ON p.branch_id = b.id AND p.party_status IS NOT NULL AND {ALIVE} WHERE {ACTIVE} GROUP BY b.id"""),
            {"end": end},
        ).all()
    )
    assert dict(zip(df["branch_id"], df["members"])) == sql
    assert len(df) == 318 and int(df["members"].sum()) == 11_000
    by_area = branches.fetch_branch_summary(conn, f, EVERYONE, ["area_code"]).set_index("area_code")["branches"]
    sql_area = dict(
        conn.execute(
            sa.text(f"SELECT b.area_code, COUNT(*) FROM party_branches b WHERE {ACTIVE} GROUP BY b.area_code"),
            {"end": end},
        ).all()
    )
    assert by_area.to_dict() == sql_area
    assert int(df["below_min_full"].sum()) >= 1 and int(df["above_max"].sum()) >= 1  # flagged honestly


def test_org_life_equals_pandas_over_raw_activities(conn):
    f = Filters(Period.year(2020))
    life = branches.fetch_org_life(conn, f, EVERYONE, AS_OF)
    detail = life.detail()
    end = dt.date(2021, 1, 1)
    acts = pd.DataFrame(
        conn.execute(
            sa.text(f"""SELECT a.branch_id, a.activity_type, a.held_on FROM branch_activities a
        JOIN party_branches b ON b.id = a.branch_id WHERE {ACTIVE} AND a.held_on >= :start AND a.held_on < :end"""),
            {"end": end, "start": dt.date(2020, 1, 1)},
        ).all(),
        columns=["branch_id", "activity_type", "held_on"],
    )
    acts["held_on"] = acts["held_on"].map(d)
    founded = dict(
        conn.execute(sa.text(f"SELECT b.id, b.founded_on FROM party_branches b WHERE {ACTIVE}"), {"end": end}).all()
    )
    expected_complete = expected_owed = 0
    for bid, fd in founded.items():
        mine = acts[acts["branch_id"] == bid]
        for m in range(1, 13):
            first = dt.date(2020, m, 1)
            if first < d(fd):
                continue
            expected_owed += 1
            in_month = mine[
                (mine["held_on"] >= first) & (mine["held_on"] < (dt.date(2020, m + 1, 1) if m < 12 else end))
            ]
            ok = (in_month["activity_type"] == "theme_day").any()
            if m % 3 == 0:
                q = mine[
                    (mine["held_on"] >= dt.date(2020, m - 2, 1))
                    & (mine["held_on"] < (dt.date(2020, m + 1, 1) if m < 12 else end))
                ]
                ok = (
                    ok
                    and (q["activity_type"] == "general_meeting").any()
                    and (q["activity_type"] == "party_lecture").any()
                )
            expected_complete += ok
    assert len(detail) == expected_owed
    assert int(detail["complete"].sum()) == expected_complete
    total = branches.org_life_total(life)
    assert (int(total["months_owed"]), int(total["months_complete"])) == (expected_owed, expected_complete)
    by_branch = branches.org_life_by_branch(life)
    assert by_branch["months_complete"].sum() == expected_complete
    assert (by_branch["completion"] < 1).any()  # some branches skip activities


def test_changes_match_sql(conn):
    df = branches.fetch_branch_changes(
        conn, Filters(Period.year(2020)), EVERYONE, (2018, 2019, 2020), dt.date(2020, 12, 31)
    ).set_index("year")
    for y in (2018, 2019, 2020):
        start, end = dt.date(y, 1, 1), dt.date(y + 1, 1, 1)
        active = conn.execute(sa.text(f"SELECT COUNT(*) FROM party_branches b WHERE {ACTIVE}"), {"end": end}).scalar()
        founded = conn.execute(
            sa.text("SELECT COUNT(*) FROM party_branches WHERE founded_on >= :s AND founded_on < :e"),
            {"s": start, "e": end},
        ).scalar()
        left = conn.execute(
            sa.text("""SELECT COUNT(*) FROM people WHERE party_status IS NOT NULL
            AND branch_id IS NOT NULL AND death_date >= :s AND death_date < :e"""),
            {"s": start, "e": end},
        ).scalar()
        assert (df.loc[y, "branches"], df.loc[y, "founded"], df.loc[y, "left"]) == (active, founded, left)
    assert df.loc[2019, "branches"] == 318 and df.loc[2019, "members"] == 11_000
    assert df.loc[2020, "founded"] > 0 and df.loc[2020, "closed"] > 0


def test_branch_detail_is_scoped(conn):
    first = conn.execute(sa.text("SELECT id FROM party_branches WHERE area_code = '620122' ORDER BY id")).scalar()
    f = Filters(Period.year(2020))
    assert len(branches.fetch_branch_activities(conn, f, EVERYONE, first)) > 0
    assert len(branches.fetch_branch_activities(conn, f, Scope.only(["620102"]), first)) == 0


def _groupby_figures(detail: pd.DataFrame) -> tuple[tuple[int, int], pd.DataFrame, pd.DataFrame]:
    """The org-life figures as a pandas groupby over the branch-month rows: the other way of
    computing what the grid's numpy reductions give."""
    owed, done = len(detail), int(detail["complete"].sum())
    g = detail.groupby("branch_id")
    by_branch = pd.DataFrame({"months_owed": g.size(), "months_complete": g["complete"].sum()}).reset_index()
    missed = detail[~detail["complete"]].groupby("branch_id")["month"]
    joined = missed.apply(lambda ms: "、".join(m.strftime("%Y-%m") for m in sorted(ms))).to_dict()
    by_branch["missed_months"] = [joined.get(b, "") for b in by_branch["branch_id"]]
    m = detail.groupby("month")
    by_month = pd.DataFrame({"branches": m.size(), "complete": m["complete"].sum()}).reset_index()
    return (owed, done), by_branch, by_month


def test_org_life_figures_equal_a_groupby_over_branch_months(conn):
    """Total, per branch and per month from the grid equal a pandas groupby over its
    branch-month rows, for whole years, one area, a year still running (as of mid-June), a
    span across two years and a span before any branch (nothing owed)."""
    views = [
        (Filters(Period.year(2020)), AS_OF),
        (Filters(Period.year(2019), areas=("620123",)), AS_OF),
        (Filters(Period.year(2020)), dt.date(2020, 6, 15)),
        (Filters(Period(dt.date(2019, 7, 1), dt.date(2020, 7, 1))), AS_OF),
        (Filters(Period(dt.date(1990, 1, 1), dt.date(1990, 3, 1))), AS_OF),
    ]
    for f, as_of in views:
        life = branches.fetch_org_life(conn, f, EVERYONE, as_of)
        detail = life.detail()
        (owed, done), by_branch, by_month = _groupby_figures(detail)
        total = branches.org_life_total(life)
        assert (int(total["months_owed"]), int(total["months_complete"])) == (owed, done), f
        mine = branches.org_life_by_branch(life)
        assert list(mine.columns) == ["branch_id", "months_owed", "months_complete", "completion", "missed_months"]
        if owed == 0:
            assert mine.empty and branches.org_life_by_month(life).empty
            continue
        assert list(mine["branch_id"]) == sorted(mine["branch_id"])
        pd.testing.assert_frame_equal(
            mine.drop(columns="completion"), by_branch, check_dtype=False, obj=f"by branch {f}"
        )
        assert (mine["completion"] == mine["months_complete"] / mine["months_owed"]).all()
        months = branches.org_life_by_month(life)
        pd.testing.assert_frame_equal(
            months.drop(columns="completion"), by_month, check_dtype=False, obj=f"by month {f}"
        )
        if as_of.month == 6:
            assert [m.month for m in months["month"]] == [1, 2, 3, 4, 5]  # June still running


def test_org_life_grid_is_read_only(conn):
    """The grid is shared by every page through the result cache: nobody may write into it."""
    life = branches.fetch_org_life(conn, Filters(Period.year(2020)), EVERYONE, AS_OF)
    for name in ("branch_ids", "owed", "theme_day", "general_meeting", "party_lecture"):
        with pytest.raises(ValueError):
            getattr(life, name)[0] = 0
