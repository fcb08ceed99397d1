"""Precise services (精准服务) through the data layer against hand-written SQL and pandas, on
the demo ledger on every backend."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite

from data_access import codes, services
from data_access.errors import FilterError
from data_access.filters import Filters, Period, Scope

EVERYONE = Scope.everything()
Y2019, Y2020 = Filters(Period.year(2019)), Filters(Period.year(2020))
S, E = dt.date(2020, 1, 1), dt.date(2021, 1, 1)


def raw_requests(conn, start: dt.date, end: dt.date, where: str = "", params: dict | None = None) -> pd.DataFrame:
    """Requests of the period with plain SQL; days and status computed here in pandas."""
    rows = conn.execute(
        sa.text(f"""SELECT sd.service, sd.requested_on, sd.delivered_on, sd.provider_type, p.area_code
        FROM service_deliveries sd JOIN people p ON p.id = sd.person_id
        WHERE sd.requested_on >= :s AND sd.requested_on < :e {where}"""),
        {"s": start, "e": end, **(params or {})},
    ).all()
    df = pd.DataFrame(rows, columns=["service", "requested_on", "delivered_on", "provider_type", "area_code"])
    req = pd.to_datetime(df["requested_on"].astype(str))
    dlv = pd.to_datetime(df["delivered_on"].where(df["delivered_on"].notna()).astype(str), errors="coerce")
    done = dlv.notna() & (dlv < pd.Timestamp(end))
    df["done"] = done
    df["days"] = (dlv - req).dt.days.where(done)
    return df


def stats(df: pd.DataFrame) -> dict:
    days = df.loc[df["done"], "days"].to_numpy()
    return {
        "requested": len(df),
        "delivered": int(df["done"].sum()),
        "open": int((~df["done"]).sum()),
        "mean_days": float(days.mean()),
        "median_days": float(np.percentile(days, 50, method="inverted_cdf")),
        "p90_days": float(np.percentile(days, 90, method="inverted_cdf")),
    }


def as_dict(row: pd.Series) -> dict:
    ints, floats = ("requested", "delivered", "open"), ("mean_days", "median_days", "p90_days")
    return {**{k: int(row[k]) for k in ints}, **{k: float(row[k]) for k in floats}}


def close(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(a[k] == pytest.approx(b[k], abs=1e-9) for k in a)


def test_days_between_compiles_for_each_backend():
    expr = services.days_between(sa.column("a"), sa.column("b"))
    assert "julianday(b) - julianday(a)" in str(expr.compile(dialect=sqlite.dialect()))
    assert "DATEDIFF(b, a)" in str(expr.compile(dialect=mysql.dialect()))
    assert "(b - a)" in str(expr.compile(dialect=postgresql.dialect()))
    with pytest.raises(FilterError):
        services.build_delivery_histogram(Y2020, EVERYONE, ("person_id",))
    with pytest.raises(FilterError):
        services.build_service_requests(Y2020, EVERYONE, ("fireworks",))


def test_city_summary_equals_pandas(conn):
    df = services.fetch_service_summary(conn, Y2020, EVERYONE)
    assert len(df) == 1
    expected = stats(raw_requests(conn, S, E))
    assert close(as_dict(df.iloc[0]), expected)
    assert df.iloc[0]["delivery_rate"] == pytest.approx(expected["delivered"] / expected["requested"])


def test_by_service_equals_sql_and_the_gaps_lag(conn):
    df = services.fetch_service_summary(conn, Y2020, EVERYONE, ("service",)).set_index("service")
    assert list(df.index) == sorted(codes.SERVICES)
    sql = {
        s: (int(n), int(d))
        for s, n, d in conn.execute(
            sa.text("""SELECT service, COUNT(*), SUM(CASE WHEN delivered_on IS NOT NULL AND delivered_on < :e
            THEN 1 ELSE 0 END) FROM service_deliveries WHERE requested_on >= :s AND requested_on < :e
            GROUP BY service"""),
            {"s": S, "e": E},
        ).all()
    }
    assert {s: (int(r.requested), int(r.delivered)) for s, r in df.iterrows()} == sql
    raw = raw_requests(conn, S, E)
    for s in ("nursing", "housekeeping"):
        assert close(as_dict(df.loc[s]), stats(raw[raw["service"] == s]))
    gaps = df.loc[list(codes.GAP_SERVICES), "delivery_rate"]
    others = df.drop(index=list(codes.GAP_SERVICES))["delivery_rate"]
    assert gaps.max() < 0.7 < 0.85 < others.min()  # the report's three lacking services


def test_by_area_and_provider_equal_pandas(conn):
    raw = raw_requests(conn, S, E)
    area = services.fetch_service_summary(conn, Y2020, EVERYONE, ("area_code",)).set_index("area_code")
    for a in ("620122", "city"):
        assert close(as_dict(area.loc[a]), stats(raw[raw["area_code"] == a]))
    assert int(area["requested"].sum()) == len(raw)
    prov = services.fetch_service_summary(conn, Y2020, EVERYONE, ("provider_type",))
    done = prov[prov["provider_type"].notna()].set_index("provider_type")
    assert set(done.index) == set(codes.PROVIDER_TYPES)
    for p in codes.PROVIDER_TYPES:
        sub = raw[raw["done"] & (raw["provider_type"] == p)]
        assert int(done.loc[p, "delivered"]) == len(sub)
        assert float(done.loc[p, "mean_days"]) == pytest.approx(sub["days"].mean())
    pending = prov[prov["provider_type"].isna()].iloc[0]
    assert int(pending["requested"]) == int((~raw["done"]).sum()) and int(pending["delivered"]) == 0


def test_a_past_year_counts_what_was_delivered_by_its_end(conn):
    """A December 2019 request delivered in January 2020 is open at the end of 2019."""
    df = services.fetch_service_summary(conn, Y2019, EVERYONE).iloc[0]
    expected = stats(raw_requests(conn, dt.date(2019, 1, 1), dt.date(2020, 1, 1)))
    assert close(as_dict(df), expected)
    late = conn.execute(
        sa.text("""SELECT COUNT(*) FROM service_deliveries WHERE requested_on >= :s AND requested_on < :e
        AND delivered_on >= :e"""),
        {"s": dt.date(2019, 1, 1), "e": dt.date(2020, 1, 1)},
    ).scalar()
    assert late > 0
    never = conn.execute(
        sa.text("""SELECT COUNT(*) FROM service_deliveries WHERE requested_on >= :s AND requested_on < :e
        AND delivered_on IS NULL"""),
        {"s": dt.date(2019, 1, 1), "e": dt.date(2020, 1, 1)},
    ).scalar()
    assert int(df["open"]) == late + never


def test_filters_and_scope_apply(conn):
    f = Filters(Period.year(2020), areas=("620122",), categories=("retiree",), tiers=(1, 2))
    got = services.fetch_service_summary(conn, f, EVERYONE).iloc[0]
    raw = raw_requests(conn, S, E, "AND p.area_code = '620122' AND p.category = 'retiree' AND p.service_tier IN (1, 2)")
    assert close(as_dict(got), stats(raw))
    scoped = services.fetch_service_summary(conn, Y2020, Scope.only(["620122"])).iloc[0]
    assert close(as_dict(scoped), stats(raw_requests(conn, S, E, "AND p.area_code = '620122'")))
    with pytest.raises(FilterError):
        services.fetch_service_summary(conn, Filters(Period.year(2020), areas=("city",)), Scope.only(["620122"]))


def test_requests_behind_a_figure(conn):
    f = Filters(Period.year(2020), areas=("620122",))
    df = services.fetch_service_requests(conn, f, EVERYONE, ("nursing",))
    summary = services.fetch_service_summary(conn, f, EVERYONE, ("service",)).set_index("service").loc["nursing"]
    assert len(df) == int(summary["requested"]) and int(df["is_open"].sum()) == int(summary["open"])
    assert df["is_open"].iloc[: int(summary["open"])].all()  # open requests first
    assert df["name"].str.contains(r"\*").all() and df["phone"].str.contains(r"\*{4}").all()
    done = df[~df["is_open"]]
    assert all((d - r).days == n for r, d, n in zip(done["requested_on"], done["delivered_on"], done["days"]))
    assert float(done["days"].mean()) == pytest.approx(float(summary["mean_days"]))
    assert (
        set(done["provider_type"]) <= set(codes.PROVIDER_TYPES) and df.loc[df["is_open"], "provider_type"].isna().all()
    )
