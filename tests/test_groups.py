"""Special groups (重点人群) through the data layer against hand-written SQL and pandas, on the
demo ledger on every backend."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import codes, groups
from data_access.errors import FilterError
from data_access.filters import Filters, Period, Scope

EVERYONE = Scope.everything()
Y2019, Y2020 = Filters(Period.year(2019)), Filters(Period.year(2020))
ALIVE = "entry_date < :e AND (death_date IS NULL OR death_date >= :e)"
FLAGS = {
    "lives_alone": "lives_alone = :t",
    "widowed": "widowed = :t",
    "empty_nest": "empty_nest = :t",
    "lost_only_child": "lost_only_child = :t",
    "impaired_any": "(impaired_mobility = :t OR impaired_vision = :t OR impaired_hearing = :t"
    " OR impaired_speech = :t OR impaired_memory = :t)",
    **{f"impaired_{k}": f"impaired_{k} = :t" for k in codes.IMPAIRMENTS},
    "seriously_ill": "health_status = 'serious'",
    "disabled": "disabled = :t",
    "living_away": "(relocated = :t OR lives_away = :t)",
}


def born_by(last_day: dt.date, years: int) -> dt.date:
    """Aged ``years`` or more on ``last_day`` = born on or before this day (no 29 Feb here)."""
    return last_day.replace(year=last_day.year - years)


def sql_counts(conn, year: int, extra: str = "", params: dict | None = None) -> dict[str, int]:
    last = dt.date(year, 12, 31)
    p = {"e": dt.date(year + 1, 1, 1), "t": True, **(params or {})}
    conds = {**FLAGS, **{f"aged_{n}_plus": f"birth_date <= :b{n}" for n in (80, 90, 100)}}
    for n in (80, 90, 100):
        p[f"b{n}"] = born_by(last, n)
    out = {"people": conn.execute(sa.text(f"SELECT COUNT(*) FROM people WHERE {ALIVE} {extra}"), p).scalar()}
    for g, cond in conds.items():
        out[g] = conn.execute(sa.text(f"SELECT COUNT(*) FROM people WHERE {ALIVE} {extra} AND {cond}"), p).scalar()
    return {k: int(v) for k, v in out.items()}


def test_group_catalogue_is_the_whitelist():
    assert tuple(groups.GROUPS) == codes.SPECIAL_GROUPS
    with pytest.raises(FilterError):
        groups.group_condition("aged_200_plus", dt.date(2020, 12, 31))
    with pytest.raises(FilterError):
        groups.build_group_counts(Y2020, EVERYONE, ("name",))


def test_city_counts_equal_sql(conn):
    df = groups.fetch_group_counts(conn, Y2020, EVERYONE)
    assert len(df) == 1
    got = {k: int(v) for k, v in df.iloc[0].items()}
    assert got == sql_counts(conn, 2020)
    assert got["people"] == 34_488 and got["aged_80_plus"] == 5_878  # the demo ledger at the end of 2020


def test_report_figures_at_the_end_of_2019(conn):
    """The report's snapshot (2019-12-31): 107 living away; 五不 over 90% of 离休, ~30% of 退休."""
    cat = groups.fetch_group_counts(conn, Y2019, EVERYONE, ("category",)).set_index("category")
    assert int(cat["living_away"].sum()) == 107
    assert cat.loc["veteran", "people"] == 703
    assert cat.loc["veteran", "impaired_any"] / cat.loc["veteran", "people"] > 0.9
    assert cat.loc["retiree", "impaired_any"] / cat.loc["retiree", "people"] == pytest.approx(0.30, abs=0.01)
    assert cat.loc["veteran", "aged_80_plus"] == 703  # every veteran is past 80


def test_area_breakdown_equals_pandas_over_a_small_frame(conn):
    """One area's rows fetched with plain SQL, every group recomputed in pandas."""
    e = dt.date(2021, 1, 1)
    raw = pd.DataFrame(
        conn.execute(sa.text(f"SELECT * FROM people WHERE area_code = '620122' AND {ALIVE}"), {"e": e}).mappings().all()
    )
    birth = pd.to_datetime(raw["birth_date"].astype(str))
    age = 2020 - birth.dt.year - ((birth.dt.month > 12) | ((birth.dt.month == 12) & (birth.dt.day > 31)))
    flag = {
        c: raw[c].astype(bool)
        for c in raw.columns
        if c in FLAGS or c.startswith("impaired_") or c in ("relocated", "lives_away")
    }
    expected = {
        "people": len(raw),
        "aged_80_plus": int((age >= 80).sum()),
        "aged_90_plus": int((age >= 90).sum()),
        "aged_100_plus": int((age >= 100).sum()),
        "impaired_any": int(pd.concat([flag[f"impaired_{k}"] for k in codes.IMPAIRMENTS], axis=1).any(axis=1).sum()),
        "seriously_ill": int((raw["health_status"] == "serious").sum()),
        "living_away": int((flag["relocated"] | flag["lives_away"]).sum()),
        **{c: int(flag[c].sum()) for c in ("lives_alone", "widowed", "empty_nest", "lost_only_child", "disabled")},
        **{f"impaired_{k}": int(flag[f"impaired_{k}"].sum()) for k in codes.IMPAIRMENTS},
    }
    by_area = groups.fetch_group_counts(conn, Y2020, EVERYONE, ("area_code",)).set_index("area_code")
    assert {k: int(by_area.loc["620122", k]) for k in expected} == expected
    # The areas partition the city; the categories too.
    city = groups.fetch_group_counts(conn, Y2020, EVERYONE).iloc[0]
    by_cat = groups.fetch_group_counts(conn, Y2020, EVERYONE, ("category",))
    for g in ("people", *codes.SPECIAL_GROUPS):
        assert int(by_area[g].sum()) == int(city[g]) == int(by_cat[g].sum())


def test_filters_and_scope_apply_to_every_count(conn):
    f = Filters(Period.year(2020), areas=("620122", "620111"), categories=("retiree",))
    df = groups.fetch_group_counts(conn, f, EVERYONE).iloc[0]
    expected = sql_counts(conn, 2020, "AND area_code IN ('620122', '620111') AND category = 'retiree'")
    assert {k: int(v) for k, v in df.items()} == expected
    scoped = groups.fetch_group_counts(conn, Y2020, Scope.only(["620122"])).iloc[0]
    assert {k: int(v) for k, v in scoped.items()} == sql_counts(conn, 2020, "AND area_code = '620122'")
    with pytest.raises(FilterError):
        groups.fetch_group_counts(conn, Filters(Period.year(2020), areas=("city",)), Scope.only(["620122"]))


def test_trend_two_up_one_down_and_ageing(conn):
    df = groups.fetch_group_trend(conn, Y2020, EVERYONE, (2018, 2019, 2020), dt.date(2020, 12, 31))
    people = df.pivot_table(index="year", columns="category", values="people")
    assert people["veteran"].is_monotonic_decreasing and people["retiree"].is_monotonic_increasing
    total = df.groupby("year")[["people", "aged_80_plus", "aged_90_plus"]].sum()
    assert (total["people"].diff().dropna() > 0).all()
    share80 = total["aged_80_plus"] / total["people"]
    assert share80.is_monotonic_increasing and (total["aged_90_plus"].diff().dropna() > 0).all()
    for year in (2018, 2019, 2020):
        assert {k: int(total.loc[year, k]) for k in total.columns} == {
            k: v for k, v in sql_counts(conn, year).items() if k in total.columns
        }


def test_people_behind_a_count(conn):
    f = Filters(Period.year(2020), areas=("620122",))
    df = groups.fetch_group_people(conn, f, EVERYONE, "aged_90_plus")
    count = groups.fetch_group_counts(conn, f, EVERYONE).iloc[0]["aged_90_plus"]
    assert len(df) == int(count) > 0
    assert (df["age"] >= 90).all() and df["age"].is_monotonic_decreasing
    assert df["name"].str.contains(r"\*").all()
    assert df["phone"].str.match(r"^\d{3}\*{4}\d{4}$").all()
    assert set(df["area_code"]) == {"620122"}
    first = df.iloc[0]
    last = conn.execute(
        sa.text("SELECT MAX(contact_date) FROM contacts WHERE person_id = :p AND contact_date < :e"),
        {"p": int(first["person_id"]), "e": dt.date(2021, 1, 1)},
    ).scalar()
    assert str(first["last_contact"]) == str(last)[:10]
    alone = groups.fetch_group_people(conn, f, EVERYONE, "lives_alone", unmasked=True)
    names = {
        n
        for (n,) in conn.execute(
            sa.text(f"SELECT name FROM people WHERE area_code = '620122' AND lives_alone = :t AND {ALIVE}"),
            {"t": True, "e": dt.date(2021, 1, 1)},
        ).all()
    }
    assert set(alone["name"]) == names
    with pytest.raises(FilterError):
        groups.fetch_group_people(conn, f, EVERYONE, "bogus")
