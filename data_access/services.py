"""Precise services (精准服务): requests for the eight personalised services (八项个性服务),
their delivery and how long it took, by service, area and provider type (三位一体).

Definitions (the page shows them as 口径):
- requested: requests with ``requested_on`` in the period, of people in scope (the person
  filters apply; a person who died later in the period still counts for their request);
- delivered: of those, delivered on or before the period's last day (a year's figures do
  not change once it is over);
- open: requested - delivered (not delivered by the period's last day);
- days to deliver: ``delivered_on - requested_on`` in days, over delivered requests; the
  median and P90 are nearest-rank (the smallest day count reaching 50% / 90% of them).

Day counts are grouped in the database (a histogram per breakdown: a few hundred rows at
most) and the averages and percentiles are read off that histogram here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.sql.expression import ColumnElement

from data_access import codes, rollup_store, schema
from data_access.db import as_date, fetch_df
from data_access.errors import FilterError
from data_access.filters import Filters, Scope, person_conditions
from data_access.people import GRAIN_DIMENSIONS
from data_access.privacy import mask_columns
from data_access.query import as_ints, days_between, dimensions, nearest_rank, rate

SD, P, U = schema.service_deliveries, schema.people, schema.units


SERVICE_DIMENSIONS: dict[str, ColumnElement] = {
    "service": SD.c.service,
    "provider_type": SD.c.provider_type,
    **GRAIN_DIMENSIONS,  # area and category for the pages, the whole grain for the rollup
}
# Histograms the rollup stores: by service, by provider type, or neither (then days).
HISTOGRAM_ITEMS = (("days",), ("service", "days"), ("provider_type", "days"))


def requested_in(filters: Filters) -> list[ColumnElement[bool]]:
    return [SD.c.requested_on >= filters.period.start, SD.c.requested_on < filters.period.end]


def delivered_by(filters: Filters) -> ColumnElement[bool]:
    """Delivered on or before the period's last day."""
    return sa.and_(SD.c.delivered_on.is_not(None), SD.c.delivered_on < filters.period.end)


def _service_filter(services: Sequence[str] | None) -> list[ColumnElement[bool]]:
    if services is None:
        return []
    unknown = tuple(s for s in services if s not in codes.SERVICES)
    if unknown:
        raise FilterError(f"unknown service: {', '.join(unknown)}", "service", "unknown_value", unknown)
    return [SD.c.service.in_(tuple(services))]


def build_delivery_histogram(
    filters: Filters, scope: Scope, by: Sequence[str] = (), services: Sequence[str] | None = None
) -> sa.Select:
    """Requests in the period counted by the ``by`` dimensions and days to deliver (NULL for
    requests not delivered by the period's last day)."""
    dims = dimensions(by, SERVICE_DIMENSIONS)
    days = sa.case((delivered_by(filters), days_between(SD.c.requested_on, SD.c.delivered_on)), else_=None)
    provider = sa.case((delivered_by(filters), SD.c.provider_type), else_=None)
    dims = [provider.label("provider_type") if d.name == "provider_type" else d for d in dims]
    stmt = (
        sa.select(*dims, days.label("days"), sa.func.count().label("requests"))
        .select_from(SD.join(P, P.c.id == SD.c.person_id))
        .where(*requested_in(filters), *person_conditions(filters, scope), *_service_filter(services))
    )
    keys = [*dims, days]
    return stmt.group_by(*keys)


def _summarise(hist: pd.DataFrame) -> pd.Series:
    done = hist[hist["days"].notna()]
    requested, delivered = int(hist["requests"].sum()), int(done["requests"].sum())
    days, counts = done["days"].astype("int64"), done["requests"]
    return pd.Series(
        {
            "requested": requested,
            "delivered": delivered,
            "open": requested - delivered,
            "mean_days": float((days * counts).sum() / delivered) if delivered else float("nan"),
            "median_days": nearest_rank(days, counts, 0.5),
            "p90_days": nearest_rank(days, counts, 0.9),
        }
    )


def fetch_service_summary(
    conn: sa.Connection,
    filters: Filters,
    scope: Scope,
    by: Sequence[str] = (),
    services: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Service requests of the period. Columns: the ``by`` dimensions (service, area_code,
    provider_type — empty for requests not yet delivered —, category), requested, delivered,
    open, delivery_rate (delivered ÷ requested), mean_days, median_days, p90_days (days from
    request to delivery over delivered requests; NaN where none). ``services`` limits the
    services counted (codes.SERVICES)."""
    by = list(by)
    hist = _stored_histogram(conn, filters, scope, by, services)
    if hist is None:
        hist = fetch_df(conn, build_delivery_histogram(filters, scope, by, services))
    hist = as_ints(hist, ["requests"])
    hist["days"] = pd.to_numeric(hist["days"])
    cols = [*by, "requested", "delivered", "open", "mean_days", "median_days", "p90_days"]
    if hist.empty:
        out = pd.DataFrame([_summarise(hist)]) if not by else pd.DataFrame(columns=cols)
    elif by:
        keyed = hist.assign(**{d: hist[d].astype(object).where(hist[d].notna(), None) for d in by})
        out = keyed.groupby(by, dropna=False, sort=True).apply(_summarise, include_groups=False).reset_index()
    else:
        out = pd.DataFrame([_summarise(hist)])
    out = as_ints(out[cols].copy(), ["requested", "delivered", "open"])
    for c in ("mean_days", "median_days", "p90_days"):
        out[c] = pd.to_numeric(out[c]).astype("float64")
    out["delivery_rate"] = rate(out["delivered"], out["requested"])
    return out.reset_index(drop=True)


def _stored_histogram(
    conn: sa.Connection, filters: Filters, scope: Scope, by: list[str], services: Sequence[str] | None
) -> pd.DataFrame | None:
    """The delivery histogram from the rollup, or None. A ``services`` limit is applied to
    the histogram stored by service (then summed over the services kept)."""
    if services is None:
        stored = rollup_store.lookup_by(conn, "service_hist", filters, scope, by, HISTOGRAM_ITEMS, always=("days",))
        return None if stored is None else stored.reindex(columns=[*by, "days", "requests"], fill_value=0)
    if "service" in by or "provider_type" in by:
        return None
    _service_filter(services)  # unknown codes are refused as on the raw path
    stored = rollup_store.lookup_by(
        conn, "service_hist", filters, scope, [*by, "service"], HISTOGRAM_ITEMS, always=("days",)
    )
    if stored is None:
        return None
    stored = stored.reindex(columns=[*by, "service", "days", "requests"], fill_value=0)  # none in view: no columns
    kept = stored[stored["service"].isin(tuple(services))]
    keys = [*by, "days"]
    return kept.groupby(keys, dropna=False, sort=False)["requests"].sum().reset_index()


def build_service_requests(filters: Filters, scope: Scope, services: Sequence[str] | None = None) -> sa.Select:
    done = delivered_by(filters)
    return (
        sa.select(
            SD.c.id.label("request_id"),
            P.c.name,
            P.c.phone,
            P.c.category,
            P.c.area_code,
            U.c.name.label("unit_name"),
            P.c.service_tier,
            SD.c.service,
            SD.c.requested_on,
            sa.case((done, SD.c.delivered_on), else_=None).label("delivered_on"),
            sa.case((done, days_between(SD.c.requested_on, SD.c.delivered_on)), else_=None).label("days"),
            sa.case((done, SD.c.provider_type), else_=None).label("provider_type"),
        )
        .select_from(SD.join(P, P.c.id == SD.c.person_id).outerjoin(U, U.c.id == P.c.unit_id))
        .where(*requested_in(filters), *person_conditions(filters, scope), *_service_filter(services))
        .order_by(SD.c.requested_on, SD.c.id)
    )


def fetch_service_requests(
    conn: sa.Connection,
    filters: Filters,
    scope: Scope,
    services: Sequence[str] | None = None,
    unmasked: bool = False,
) -> pd.DataFrame:
    """The requests behind a figure, open ones first, then oldest first. Columns: request_id,
    name (masked), phone (masked), category, area_code, unit_name, service_tier, service,
    requested_on, delivered_on (empty if not delivered by the period's last day), days,
    provider_type, is_open."""
    df = fetch_df(conn, build_service_requests(filters, scope, services))
    for col in ("requested_on", "delivered_on"):
        df[col] = [None if pd.isna(d) else as_date(d) for d in df[col]]
    df["days"] = pd.to_numeric(df["days"]).astype("Int64")
    df["is_open"] = df["delivered_on"].isna()
    df = df.sort_values(["is_open", "requested_on", "request_id"], ascending=[False, True, True], ignore_index=True)
    return df if unmasked else mask_columns(df, names=("name",), phones=("phone",))
