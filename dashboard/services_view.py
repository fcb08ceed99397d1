"""The precise-services page's sections (精准服务): people per service tier and whether their
contact cadence was met; the eight personalised services requested, delivered and how
fast, by service, area and provider (三位一体), the report's three gaps marked; drill from
the city to an area, a service and the masked list of its requests."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import data, drill, formatting, labels, service_charts, theme
from dashboard.components import kpi, lists_withheld, table
from dashboard.context import PageContext
from data_access import codes, contacts, people, services
from data_access.filters import Filters

SUMMARY_COLUMNS = ["requested", "delivered", "delivery_rate", "open_requests", "mean_days", "median_days", "p90_days"]


def resolve(ctx: PageContext) -> drill.Resolved:
    """The drill level from the URL, checked against the filters and the service whitelist."""
    return drill.resolve_category(ctx, codes.SERVICES, labels.SERVICES_DRILL_NOTICE, labels.SERVICES_NEED_AREA)


stem = drill.stem_for(labels.SERVICES_TITLE)


def summary(ctx: PageContext, f: Filters, by: tuple[str, ...] = (), only: tuple[str, ...] | None = None):
    return data.query(services.fetch_service_summary, f, ctx.scope, by=by, services=only)


def service_name(code: str) -> str:
    mark = f"{labels.GAP_MARK} " if code in codes.GAP_SERVICES else ""
    return mark + labels.SERVICE[code]


def cases(n) -> str:
    return labels.SERVICES_CASES.format(n=f"{int(n):,}")


def delivered(n) -> str:
    return labels.SERVICES_DELIVERED_DELTA.format(n=f"{int(n):,}")


def days(v: float) -> str:
    return "—" if v != v else labels.SERVICES_DAYS.format(d=f"{v:.1f}" if v % 1 else f"{v:.0f}")


def _request_kpis(cols, s: pd.Series) -> None:
    """The four request cards (requested, delivery rate, open, days) in ``cols[0:4]``."""
    kpi(cols[0], "services_requested", cases(s["requested"]), delivered(s["delivered"]))
    kpi(cols[1], "services_delivery_rate", formatting.percent(s["delivery_rate"]), count=cases(s["delivered"]))
    kpi(cols[2], "services_open", cases(s["open"]))
    kpi(
        cols[3],
        "services_days",
        days(s["mean_days"]),
        labels.SERVICES_DAYS_DELTA.format(median=days(s["median_days"]), p90=days(s["p90_days"])),
    )


def kpis(ctx: PageContext, f: Filters, service: str | None = None) -> None:
    """Six headline figures; at a service's request list, the four that concern that service."""
    s = summary(ctx, f, only=(service,) if service else None).iloc[0]
    if service:
        _request_kpis(st.columns(4), s)
        return
    gap = summary(ctx, f, only=codes.GAP_SERVICES).iloc[0]
    rest = summary(ctx, f, only=tuple(c for c in codes.SERVICES if c not in codes.GAP_SERVICES)).iloc[0]
    owing, compliant = _tier_totals(ctx, f)
    cols = [c for _ in range(2) for c in st.columns(3)]
    _request_kpis(cols, s)
    kpi(
        cols[4],
        "services_gap_rate",
        formatting.percent(gap["delivery_rate"]),
        labels.SERVICES_GAP_DELTA.format(p=formatting.percent(rest["delivery_rate"])),
        count=cases(gap["delivered"]),
    )
    kpi(
        cols[5],
        "services_tier_compliance",
        formatting.percent(compliant / owing if owing else float("nan")),
        labels.SERVICES_COMPLIANCE_DELTA.format(n=f"{owing - compliant:,}"),
        count=labels.UNIT_PEOPLE.format(n=formatting.count(compliant)),
    )


def shown_summary(df: pd.DataFrame) -> pd.DataFrame:
    out = df.rename(columns={"open": "open_requests"}).copy()
    for c in ("mean_days", "median_days", "p90_days"):
        out[c] = out[c].round(1)
    return out


@data.derived
def _tier_totals(ctx: PageContext, f: Filters) -> tuple[int, int]:
    """People owed a contact and people contacted as often as their tier asks, over all tiers."""
    df = data.query(contacts.fetch_tier_compliance, f, ctx.scope, as_of=ctx.as_of)
    return int(df["owing"].sum()), int(df["compliant"].sum())


@dataclass(frozen=True)
class TierParts:
    """What the tier section draws, derived once per view (read-only: shared by sessions)."""

    names: list[str]  # the chart's bars
    compliance: list
    ids: list[str]
    overall: float | None
    shown: pd.DataFrame  # the tier table
    areas: pd.DataFrame  # people by area and tier


@data.derived
def _tier_parts(ctx: PageContext, f: Filters) -> TierParts:
    df = data.query(contacts.fetch_tier_compliance, f, ctx.scope, as_of=ctx.as_of)
    owing, compliant = _tier_totals(ctx, f)
    shown = df.assign(tier=df["tier"].map(labels.TIER), cadence=df["cadence"].map(labels.CADENCE))
    shown = shown.rename(columns={"people": "tier_people"})
    # People by area and tier (a tier follows from health: the data layer hides small cells
    # where this viewer's are hidden, within each area and each tier).
    by_area = data.query(people.fetch_population_summary, f, ctx.scope, by=("area_code", "service_tier"))
    totals = data.query(people.fetch_population_summary, f, ctx.scope, by=("area_code",)).set_index("area_code")
    wide = by_area.pivot(index="area_code", columns="service_tier", values="people")
    wide = wide.reindex(index=[a for a in ctx.area_names if a in wide.index], columns=list(codes.TIERS))
    areas = pd.DataFrame(
        {
            "area": [ctx.area_names[a] for a in wide.index],
            "people_total": [int(totals.loc[a, "people"]) for a in wide.index],
        }
    )
    for t in codes.TIERS:
        areas[f"tier_{t}"] = pd.Series(wide[t].fillna(0).tolist(), dtype=object)
    return TierParts(
        names=[labels.TIER[t].replace("（", "<br>（") for t in df["tier"]],
        compliance=df["compliance"].tolist(),
        ids=[str(t) for t in df["tier"]],
        overall=compliant / owing if owing else None,
        shown=shown[["tier", "cadence", "tier_people", "owing", "compliant", "missed", "compliance"]],
        areas=areas.reset_index(drop=True),
    )


def tiers(ctx: PageContext, f: Filters) -> None:
    """People per tier and the cadence compliance of each (contacts.fetch_tier_compliance)."""
    parts = _tier_parts(ctx, f)
    left, right = st.columns([2, 3])
    with left:
        fig = service_charts.rate_bars(
            parts.names,
            parts.compliance,
            ids=parts.ids,
            title=drill.scoped_title(ctx, f, labels.SERVICES_CHART_TIERS),
            reference=parts.overall,
            reference_label=labels.SERVICES_AVERAGE_LINE.format(p=formatting.percent(parts.overall)),
            target_label=labels.SERVICES_TARGET_LINE,
            height=360,
        )
        theme.plot(fig, key="services_tier_chart")
    with right:
        table(parts.shown, key="services_tiers", stem=stem(ctx, labels.SERVICES_FILE["tiers"]), percent=["compliance"])
    st.markdown(f"**{labels.SERVICES_SECTION_TIER_AREAS}**")
    table(parts.areas, key="services_tier_areas", stem=stem(ctx, labels.SERVICES_FILE["tier_areas"]))


@dataclass(frozen=True)
class RateParts:
    """A delivery-rate chart's bars and its table, derived once per view (read-only)."""

    names: list[str]
    rates: list
    ids: list[str]
    overall: float  # the view's delivery rate, the chart's reference line
    shown: pd.DataFrame


@data.derived
def _service_parts(ctx: PageContext, f: Filters) -> RateParts:
    df = summary(ctx, f, ("service",)).set_index("service").reindex(list(codes.SERVICES)).reset_index()
    df[["requested", "delivered", "open"]] = df[["requested", "delivered", "open"]].fillna(0).astype("int64")
    shown = shown_summary(df).assign(
        gap_service=[labels.GAP_MARK if c in codes.GAP_SERVICES else "" for c in df["service"]],
        service=[labels.SERVICE[c] for c in df["service"]],
    )
    return RateParts(
        names=[service_name(c) for c in df["service"]],
        rates=df["delivery_rate"].tolist(),
        ids=df["service"].tolist(),
        overall=float(summary(ctx, f).iloc[0]["delivery_rate"]),
        shown=shown[["service", "gap_service", *SUMMARY_COLUMNS]],
    )


def by_service(ctx: PageContext, f: Filters, area: str | None) -> None:
    """Delivery rate per service against the average; at an area a click opens the requests."""
    parts = _service_parts(ctx, f)
    where = drill.title_where(ctx, f, area)
    fig = service_charts.rate_bars(
        parts.names,
        parts.rates,
        ids=parts.ids,
        title=labels.SERVICES_CHART_SERVICES.format(area=where),
        reference=parts.overall,
        reference_label=labels.SERVICES_AVERAGE_LINE.format(p=formatting.percent(parts.overall)),
        target_label=labels.SERVICES_TARGET_LINE,
    )
    if area:
        chosen = drill.clickable_chart(fig, "services_service_chart", labels.SERVICES_AREA_HINT)
        if chosen:
            drill.go(area=area, category=chosen)
    else:
        theme.plot(fig, key="services_service_chart_city")
    st.caption(labels.GAP_NOTE)
    table(
        parts.shown,
        key="services_by_service",
        stem=stem(ctx, labels.SERVICES_FILE["services"]),
        percent=["delivery_rate"],
    )


@data.derived
def _area_parts(ctx: PageContext, f: Filters) -> RateParts:
    df = summary(ctx, f, ("area_code",))
    df = ctx.in_area_order(df)
    shown = shown_summary(df).assign(area=df["area_code"].map(ctx.area_names))
    return RateParts(
        names=[ctx.area_names[a] for a in df["area_code"]],
        rates=df["delivery_rate"].tolist(),
        ids=df["area_code"].tolist(),
        overall=float(summary(ctx, f).iloc[0]["delivery_rate"]),
        shown=shown[["area", *SUMMARY_COLUMNS]],
    )


def by_area(ctx: PageContext, f: Filters) -> None:
    """Delivery rate per area against the city; a click drills into the area."""
    parts = _area_parts(ctx, f)
    fig = service_charts.rate_bars(
        parts.names,
        parts.rates,
        ids=parts.ids,
        title=drill.by_area_title(ctx, labels.SERVICES_CHART_AREAS, parts.ids),
        reference=parts.overall,
        reference_label=labels.REFERENCE_LINE.format(
            where=drill.where_label(ctx, f), p=formatting.percent(parts.overall)
        ),
        target_label=labels.SERVICES_TARGET_LINE,
    )
    chosen = drill.clickable_chart(fig, "services_area_chart", labels.SERVICES_DRILL_HINT)
    if chosen:
        drill.go(area=chosen)
    table(
        parts.shown,
        key="services_by_area",
        stem=stem(ctx, labels.SERVICES_FILE["areas"]),
        percent=["delivery_rate"],
    )


@dataclass(frozen=True)
class ProviderParts:
    """三位一体's chart and table, derived once per view (read-only)."""

    names: list[str]
    delivered: list
    texts: list[str]
    shown: pd.DataFrame


@data.derived
def _provider_parts(ctx: PageContext, f: Filters) -> ProviderParts:
    df = summary(ctx, f, ("provider_type",))
    done = df[df["provider_type"].notna()].copy()
    done = done.set_index("provider_type").reindex(list(codes.PROVIDER_TYPES)).dropna(how="all").reset_index()
    total = int(done["delivered"].sum())
    shown = shown_summary(done).assign(
        provider_type=done["provider_type"].map(labels.PROVIDER_TYPE),
        provider_share=done["delivered"] / total if total else float("nan"),
    )
    return ProviderParts(
        names=[labels.PROVIDER_TYPE[p] for p in done["provider_type"]],
        delivered=done["delivered"].tolist(),
        texts=[
            labels.SERVICES_CASES_SHARE.format(n=f"{int(n):,}", p=formatting.percent(n / total if total else None))
            for n in done["delivered"]
        ],
        shown=shown[["provider_type", "delivered", "provider_share", "mean_days", "median_days", "p90_days"]],
    )


def by_provider(ctx: PageContext, f: Filters) -> None:
    """三位一体: who delivered, how many and how fast (delivered requests only)."""
    parts = _provider_parts(ctx, f)
    left, right = st.columns([2, 3])
    with left:
        theme.plot(
            service_charts.provider_mix(
                parts.names,
                parts.delivered,
                parts.texts,
                title=drill.scoped_title(ctx, f, labels.SERVICES_CHART_PROVIDERS),
            ),
            key="services_provider_chart",
        )
    with right:
        table(
            parts.shown,
            key="services_by_provider",
            stem=stem(ctx, labels.SERVICES_FILE["providers"]),
            percent=["provider_share"],
        )


def requests(ctx: PageContext, f: Filters, area: str, service: str) -> None:
    if lists_withheld(ctx):
        return
    df = data.query(services.fetch_service_requests, f, ctx.scope, services=(service,), unmasked=ctx.can_unmask)
    st.caption(
        labels.SERVICES_REQUESTS_CAPTION.format(
            area=ctx.area_names.get(area, area),
            service=labels.SERVICE[service],
            n=f"{len(df):,}",
            m=f"{int(df['is_open'].sum()):,}",
        )
    )
    shown = df.assign(
        service=df["service"].map(labels.SERVICE),
        category=df["category"].map(labels.CATEGORY),
        area=df["area_code"].map(ctx.area_names),
        unit=df["unit_name"].fillna("—"),
        tier=df["service_tier"].map(labels.TIER),
        provider_type=df["provider_type"].map(labels.PROVIDER_TYPE).fillna(labels.PROVIDER_NONE),
        request_status=[labels.SERVICES_STATUS_OPEN if o else labels.SERVICES_STATUS_DONE for o in df["is_open"]],
        # Text, so an open request reads "—" rather than an empty number cell.
        days=["—" if pd.isna(d) else str(int(d)) for d in df["days"]],
    )
    table(
        shown[
            [
                "name",
                "phone",
                "request_status",
                "requested_on",
                "delivered_on",
                "days",
                "provider_type",
                "category",
                "tier",
                "unit",
                "area",
                "service",
            ]
        ],
        key="services_requests",
        stem=stem(
            ctx,
            labels.SERVICES_FILE["requests"].format(
                area=ctx.area_names.get(area, area), service=labels.SERVICE[service]
            ),
        ),
        dates=["requested_on", "delivered_on"],
        height=460,
    )
