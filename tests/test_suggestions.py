"""建言献计 through the data layer against pandas over the raw rows, fetched with plain SQL.

The raw rows (every suggestion with its person's area) are a few hundred at scale 1; each
figure is recomputed from them by its written definition, on every backend.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import suggestions as sg
from data_access.db import as_date
from data_access.filters import Filters, Period, Scope

EVERYONE = Scope.everything()
AS_OF = dt.date(2020, 12, 31)


def raw(conn) -> pd.DataFrame:
    rows = conn.execute(
        sa.text("""SELECT s.id, s.person_id, s.submitted_on, s.due_on, s.answered_on, s.topic, s.department,
        p.area_code, p.category FROM suggestions s JOIN people p ON p.id = s.person_id""")
    ).all()
    df = pd.DataFrame(
        rows,
        columns=[
            "id",
            "person_id",
            "submitted_on",
            "due_on",
            "answered_on",
            "topic",
            "department",
            "area_code",
            "category",
        ],
    )
    for col in ("submitted_on", "due_on", "answered_on"):
        df[col] = pd.Series([None if v is None or v != v else as_date(v) for v in df[col]], dtype=object)
    return df


def expected(df: pd.DataFrame, start: dt.date, r: dt.date) -> dict:
    """Every figure by the definitions in the module docstring, in plain pandas."""
    answered = df["answered_on"].map(lambda a: a is not None and a <= r).astype(bool)
    received = df["submitted_on"].map(lambda d: start <= d <= r).astype(bool)
    due = df["due_on"].map(lambda d: d < r).astype(bool)
    on_time = answered & pd.Series(
        [a is not None and a <= d for a, d in zip(df["answered_on"], df["due_on"])], index=df.index, dtype=bool
    )
    opened = df["submitted_on"].map(lambda d: d <= r).astype(bool) & ~answered
    days = [(a - s).days for a, s, ok in zip(df["answered_on"], df["submitted_on"], received & answered) if ok]
    return {
        "received": int(received.sum()),
        "suggesters": int(df.loc[received, "person_id"].nunique()),
        "due": int((received & due).sum()),
        "on_time": int((received & due & on_time).sum()),
        "answered": int((received & answered).sum()),
        "late": int((received & answered & ~on_time).sum()),
        "open": int(opened.sum()),
        "overdue": int((opened & due).sum()),
        "overdue_received": int((opened & due & received).sum()),
        "days": days,
    }


@pytest.mark.parametrize("year", [2019, 2020])
def test_city_figures_equal_pandas(conn, year):
    f = Filters(Period.year(year, AS_OF))
    r = sg.judgement_day(f, AS_OF)
    exp = expected(raw(conn), f.period.start, r)
    got = sg.fetch_summary(conn, f, EVERYONE, AS_OF).iloc[0]
    for key in ("received", "suggesters", "due", "on_time", "answered", "late", "open", "overdue", "overdue_received"):
        assert int(got[key]) == exp[key], key
    assert got["on_time_rate"] == pytest.approx(exp["on_time"] / exp["due"])
    assert got["avg_days"] == pytest.approx(np.mean(exp["days"]))
    dist = sg.fetch_answer_days(conn, f, EVERYONE, AS_OF).iloc[0]
    assert int(dist["answered"]) == len(exp["days"])
    assert dist["mean"] == pytest.approx(np.mean(exp["days"]))
    assert dist["median"] == pd.Series(exp["days"]).median()
    ordered = sorted(exp["days"])
    assert dist["p90"] == ordered[int(np.ceil(0.9 * len(ordered))) - 1]  # nearest rank
    # The definitions hold together: every due suggestion is on time, late or overdue.
    assert got["due"] == got["on_time"] + got["late"] + got["overdue_received"]


def test_by_department_area_topic_equal_pandas(conn):
    f = Filters(Period.year(2020))
    df = raw(conn)
    for by, col in (("department", "department"), ("area_code", "area_code"), ("topic", "topic")):
        got = sg.fetch_summary(conn, f, EVERYONE, AS_OF, (by,)).set_index(by)
        for key, part in df.groupby(col):
            exp = expected(part, f.period.start, AS_OF)
            if exp["received"] == 0 and exp["open"] == 0:
                assert key not in got.index
                continue
            row = got.loc[key]
            assert (int(row["received"]), int(row["due"]), int(row["on_time"]), int(row["overdue"])) == (
                exp["received"],
                exp["due"],
                exp["on_time"],
                exp["overdue"],
            ), (by, key)


def test_filters_and_scope_apply_to_both_sides(conn):
    f = Filters(Period.year(2020), categories=("veteran",))
    scope = Scope.only(["620102", "city"])
    df = raw(conn)
    part = df[df["category"].eq("veteran") & df["area_code"].isin(["620102", "city"])]
    exp = expected(part, f.period.start, AS_OF)
    got = sg.fetch_summary(conn, f, scope, AS_OF).iloc[0]
    assert (int(got["received"]), int(got["due"]), int(got["on_time"]), int(got["overdue"])) == (
        exp["received"],
        exp["due"],
        exp["on_time"],
        exp["overdue"],
    )
    listed = sg.fetch_overdue_list(conn, Filters(Period.year(2020)), scope, AS_OF)
    assert set(listed["area_code"]) <= {"620102", "city"}


def test_monthly_trend_equals_pandas(conn):
    f = Filters(Period.year(2020))
    df = raw(conn)
    got = sg.fetch_monthly(conn, f, EVERYONE, AS_OF)
    assert got["month"].tolist() == list(range(1, 13))
    for m in (1, 6, 12):
        part = df[df["submitted_on"].map(lambda d, m=m: d.year == 2020 and d.month == m)]
        exp = expected(part, f.period.start, AS_OF)
        row = got[got["month"] == m].iloc[0]
        assert (int(row["received"]), int(row["due"]), int(row["on_time"])) == (
            exp["received"],
            exp["due"],
            exp["on_time"],
        )
    assert int(got["received"].sum()) == int(sg.fetch_summary(conn, f, EVERYONE, AS_OF).iloc[0]["received"])


def test_overdue_list_is_the_backlog_most_overdue_first(conn):
    f = Filters(Period.year(2020))
    df = raw(conn)
    listed = sg.fetch_overdue_list(conn, f, EVERYONE, AS_OF)
    exp = df[(df["submitted_on"] <= AS_OF) & df["answered_on"].map(lambda a: a is None or a > AS_OF)]
    exp = exp[exp["due_on"] < AS_OF]
    assert sorted(listed["suggestion_id"]) == sorted(exp["id"])
    by_id = exp.set_index("id")
    for row in listed.itertuples():
        assert row.days_overdue == (AS_OF - by_id.loc[row.suggestion_id, "due_on"]).days
    assert listed["days_overdue"].is_monotonic_decreasing
    assert listed["name"].str.contains(r"\*").all()
    assert int(listed["received"].sum()) == int(sg.fetch_summary(conn, f, EVERYONE, AS_OF).iloc[0]["overdue_received"])


def test_department_list_carries_its_figures(conn):
    f = Filters(Period.year(2020))
    summary = sg.fetch_summary(conn, f, EVERYONE, AS_OF, ("department",)).set_index("department")
    dept = summary.index[0]
    listed = sg.fetch_department_list(conn, f, EVERYONE, AS_OF, dept)
    assert set(listed["department"]) == {dept}
    assert int(listed["received"].sum()) == int(summary.loc[dept, "received"])
    status = listed["status"].value_counts()
    assert int(status.get("overdue", 0)) == int(summary.loc[dept, "overdue"])
    on_time = listed[listed["received"] & listed["status"].eq("on_time") & listed["due_on"].lt(AS_OF)]
    assert len(on_time) == int(summary.loc[dept, "on_time"])
    assert listed["name"].str.contains(r"\*").all()
    assert listed["status"].iloc[0] == "overdue" or "overdue" not in set(listed["status"])


def test_days_between_on_each_backend(conn):
    row = conn.execute(
        sa.select(sg.days_between(sa.literal(dt.date(2020, 2, 1)), sa.literal(dt.date(2020, 3, 1))))
    ).scalar()
    assert int(row) == 29
