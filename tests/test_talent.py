"""银发人才库 through the data layer against pandas over the raw rows, fetched with plain SQL:
pool entries with their people (about a thousand rows at scale 1) and the activities."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import talent as tp
from data_access.db import as_date
from data_access.errors import FilterError
from data_access.filters import Filters, Period, Scope

EVERYONE = Scope.everything()
AS_OF = dt.date(2020, 12, 31)


def _dates(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    for col in cols:
        df[col] = pd.Series([None if v is None or v != v else as_date(v) for v in df[col]], dtype=object)
    return df


def entries(conn) -> pd.DataFrame:
    rows = conn.execute(
        sa.text("""SELECT t.person_id, t.field, t.joined_on, t.left_on, p.area_code, p.category, p.birth_date,
        p.entry_date, p.death_date FROM talent_pool t JOIN people p ON p.id = t.person_id""")
    ).all()
    cols = ["person_id", "field", "joined_on", "left_on", "area_code", "category", "birth_date", "entry_date"]
    df = pd.DataFrame(rows, columns=[*cols, "death_date"])
    return _dates(df, "joined_on", "left_on", "birth_date", "entry_date", "death_date")


def activities(conn) -> pd.DataFrame:
    rows = conn.execute(sa.text("SELECT id, person_id, held_on, kind FROM talent_activities")).all()
    return _dates(pd.DataFrame(rows, columns=["id", "person_id", "held_on", "kind"]), "held_on")


def age(b: dt.date, on: dt.date) -> int:
    return on.year - b.year - ((b.month, b.day) > (on.month, on.day))


def in_pool(df: pd.DataFrame, end: dt.date) -> pd.Series:
    return pd.Series(
        [
            j < end and (lv is None or lv >= end) and e < end and (d is None or d >= end)
            for j, lv, e, d in zip(df["joined_on"], df["left_on"], df["entry_date"], df["death_date"])
        ],
        index=df.index,
        dtype=bool,
    )


def member_activities(ent: pd.DataFrame, act: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Activities in [start, end) with the entry (field) their person held that day."""
    m = act[act["held_on"].map(lambda d: start <= d < end)].merge(ent, on="person_id")
    keep = [j <= h and (lv is None or h < lv) for j, lv, h in zip(m["joined_on"], m["left_on"], m["held_on"])]
    return m[pd.Series(keep, index=m.index, dtype=bool)]


@pytest.mark.parametrize("year", [2019, 2020])
def test_pool_joined_left_participation_equal_pandas(conn, year):
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    ent, act = entries(conn), activities(conn)
    f = Filters(Period.year(year))
    got = tp.fetch_pool(conn, f, EVERYONE).iloc[0]
    pool = ent[in_pool(ent, end)]
    took = set(member_activities(ent, act, start, end)["person_id"])
    assert int(got["pool"]) == pool["person_id"].nunique()
    assert int(got["participants"]) == len(set(pool["person_id"]) & took)
    assert int(got["joined"]) == ent[ent["joined_on"].map(lambda d: start <= d < end)]["person_id"].nunique()
    left = ent["left_on"].map(lambda d: d is not None and start <= d < end)
    assert int(got["left"]) == ent[left]["person_id"].nunique()
    assert got["participation_rate"] == pytest.approx(got["participants"] / got["pool"])
    acts = tp.fetch_activities(conn, f, EVERYONE).iloc[0]
    members = member_activities(ent, act, start, end)
    assert int(acts["activities"]) == members["id"].nunique()
    assert int(acts["people"]) == members["person_id"].nunique()


def test_breakdowns_equal_pandas(conn):
    end, last = dt.date(2021, 1, 1), dt.date(2020, 12, 31)
    ent, act = entries(conn), activities(conn)
    f = Filters(Period.year(2020))
    pool = ent[in_pool(ent, end)]
    for by in ("field", "area_code"):
        got = tp.fetch_pool(conn, f, EVERYONE, (by,)).set_index(by)["pool"].to_dict()
        assert got == pool.groupby(by)["person_id"].nunique().to_dict(), by
    ages = pool.assign(a=pool["birth_date"].map(lambda b: age(b, last)))
    bands = pd.cut(
        ages["a"], [0, 60, 70, 80, 90, 200], right=False, labels=["under_60", "60_69", "70_79", "80_89", "90_plus"]
    )
    expected = ages.assign(b=bands.astype(str)).groupby("b")["person_id"].nunique().to_dict()
    got = tp.fetch_pool(conn, f, EVERYONE, ("age_band",)).set_index("age_band")["pool"].to_dict()
    assert got == {k: v for k, v in expected.items() if v}
    cross = tp.fetch_pool(conn, f, EVERYONE, ("area_code", "field"))
    cross = cross[cross["pool"] > 0].set_index(["area_code", "field"])["pool"].to_dict()
    assert cross == pool.groupby(["area_code", "field"])["person_id"].nunique().to_dict()
    members = member_activities(ent, act, dt.date(2020, 1, 1), end)
    kinds = tp.fetch_activities(conn, f, EVERYONE, ("kind",)).set_index("kind")["activities"].to_dict()
    assert kinds == members.groupby("kind")["id"].nunique().to_dict()
    fields = tp.fetch_activities(conn, f, EVERYONE, ("field",)).set_index("field")
    assert fields["activities"].to_dict() == members.groupby("field")["id"].nunique().to_dict()
    assert fields["people"].to_dict() == members.groupby("field")["person_id"].nunique().to_dict()


def test_filters_and_scope_apply(conn):
    end = dt.date(2021, 1, 1)
    ent = entries(conn)
    f = Filters(Period.year(2020), areas=("620102", "620122"))
    scope = Scope.only(["620122"])
    got = tp.fetch_pool(conn, f, scope).iloc[0]
    assert int(got["pool"]) == ent[in_pool(ent, end) & ent["area_code"].eq("620122")]["person_id"].nunique()
    with pytest.raises(FilterError):
        tp.fetch_members(conn, f, scope, field="astrology")


def test_trend_equals_each_year(conn):
    f = Filters(Period.year(2020))
    trend = tp.fetch_trend(conn, f, EVERYONE, (2018, 2019, 2020), AS_OF).set_index("year")
    for year in (2018, 2019, 2020):
        one = tp.fetch_pool(conn, Filters(Period.year(year)), EVERYONE).iloc[0]
        assert int(trend.loc[year, "pool"]) == int(one["pool"])
        assert int(trend.loc[year, "joined"]) == int(one["joined"])
    assert trend["pool"].is_monotonic_increasing  # the demo pool grows


def test_member_list_is_masked_and_counts_activities(conn):
    end, last = dt.date(2021, 1, 1), dt.date(2020, 12, 31)
    ent, act = entries(conn), activities(conn)
    f = Filters(Period.year(2020), areas=("620102",))
    listed = tp.fetch_members(conn, f, EVERYONE, field="education")
    pool = ent[in_pool(ent, end) & ent["area_code"].eq("620102") & ent["field"].eq("education")]
    assert sorted(listed["person_id"]) == sorted(pool["person_id"])
    members = member_activities(ent, act, dt.date(2020, 1, 1), end)
    counts = members[members["field"] == "education"].groupby("person_id")["id"].nunique()
    for row in listed.itertuples():
        assert row.activities == int(counts.get(row.person_id, 0))
        b = pool.set_index("person_id").loc[row.person_id, "birth_date"]
        assert row.age == age(b, last)
    assert listed["name"].str.contains(r"\*").all()
    assert listed["activities"].is_monotonic_decreasing
