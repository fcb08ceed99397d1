"""The suggestions page's sections (建言献计 / 反馈督办): received, answered on time, days to
answer, the open backlog; by department (a bar drills into the department's list), by
area and topic, by month; the overdue list to chase."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import charts, data, drill, formatting, labels, theme
from dashboard.components import kpi, lists_withheld, table, yoy
from dashboard.context import PageContext
from data_access import suggestions as sg
from data_access.filters import Filters


def summary(ctx: PageContext, f: Filters, by: tuple[str, ...] = ()) -> pd.DataFrame:
    return data.query(sg.fetch_summary, f, ctx.scope, as_of=ctx.as_of, by=by)


def resolve(ctx: PageContext) -> tuple[str | None, list[str]]:
    """The department drilled into (``drill_category`` in the URL), checked against the
    departments that have suggestions in the current filters; notices for anything else."""
    level = ctx.selection.drill
    notices = [labels.SG_DRILL_NOTICE_LEVEL.format(value=v) for v in (level.area, level.unit) if v]
    department = level.category
    if department and department not in set(summary(ctx, ctx.filters, ("department",))["department"]):
        notices.append(labels.SG_DRILL_NOTICE.format(value=department))
        department = None
    return department, notices


stem = drill.stem_for(labels.SUGGESTIONS_TITLE)


def judgement_day(ctx: PageContext, f: Filters) -> str:
    return formatting.date(sg.judgement_day(f, ctx.as_of))


def _days(x: float) -> str:
    return "—" if x is None or x != x else f"{x:.0f}"


def _wrap(name: str, width: int = 6) -> str:
    """A long department name on two lines under its bar."""
    return name if len(name) <= width + 1 else name[:width] + "<br>" + name[width:]


def _pieces(n) -> str:
    return labels.SG_PIECES.format(n=f"{int(n):,}")


def _count_text(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{int(v):,}"


def _prior(ctx: PageContext, f: Filters) -> Filters | None:
    prior = f.period.previous_year()
    return f.with_period(prior) if prior.start.year >= ctx.first_year else None


def kpis(ctx: PageContext, f: Filters) -> None:
    s = summary(ctx, f).iloc[0]
    dist = data.query(sg.fetch_answer_days, f, ctx.scope, as_of=ctx.as_of).iloc[0]
    prior_f = _prior(ctx, f)
    before = int(summary(ctx, prior_f).iloc[0]["received"]) if prior_f else None
    cols = st.columns(5)
    kpi(
        cols[0],
        "sg_received",
        _pieces(s["received"]),
        yoy(int(s["received"]), before, lambda d: labels.SG_PIECES.format(n=formatting.signed(d)))
        or labels.SG_RECEIVED_DELTA.format(people=f"{int(s['suggesters']):,}"),
    )
    kpi(
        cols[1],
        "sg_on_time",
        formatting.percent(s["on_time_rate"]),
        labels.SG_ON_TIME_DELTA.format(on_time=int(s["on_time"]), due=int(s["due"])) if s["due"] else labels.SG_NO_DUE,
        count=_pieces(s["on_time"]),
    )
    kpi(
        cols[2],
        "sg_days",
        "—" if math.isnan(s["avg_days"]) else labels.SG_DAYS_VALUE.format(v=s["avg_days"]),
        labels.SG_DAYS_DELTA.format(median=_days(dist["median"]), p90=_days(dist["p90"])),
    )
    kpi(
        cols[3],
        "sg_open",
        _pieces(s["open"]),
        labels.SG_OPEN_DELTA.format(pending=f"{int(s['open']) - int(s['overdue']):,}"),
    )
    kpi(
        cols[4],
        "sg_overdue",
        _pieces(s["overdue"]),
        labels.SG_OVERDUE_DELTA.format(m=f"{int(s['overdue_received']):,}"),
    )
    st.caption(labels.SG_DEFINITIONS + labels.SG_JUDGEMENT_DAY.format(on=judgement_day(ctx, f)))


def _figures(df: pd.DataFrame) -> pd.DataFrame:
    """The summary's columns under this page's column keys."""
    return df.rename(
        columns={
            "department": "sg_department",
            "topic": "sg_topic",
            "received": "sg_received",
            "due": "sg_due",
            "on_time": "sg_on_time",
            "on_time_rate": "sg_on_time_rate",
            "late": "sg_late",
            "avg_days": "sg_avg_days",
            "open": "sg_open",
            "overdue": "sg_overdue",
        }
    ).assign(sg_avg_days=lambda d: d["sg_avg_days"].round(1))


FIGURES = ["sg_received", "sg_due", "sg_on_time", "sg_on_time_rate", "sg_late", "sg_avg_days", "sg_open", "sg_overdue"]


@dataclass(frozen=True)
class DepartmentParts:
    """On-time rate per department (the chart's bars, departments with anything due) and the
    table, once per view (read-only: shared by sessions)."""

    names: list[str]
    rates: list
    ids: list[str]
    city: object  # the view's on-time rate (as the summary gives it)
    shown: pd.DataFrame


@data.derived
def _department_parts(ctx: PageContext, f: Filters) -> DepartmentParts:
    df = summary(ctx, f, ("department",))
    chart = df[df["due"] > 0].sort_values(["on_time_rate", "department"])
    shown = _figures(df.sort_values(["overdue", "department"], ascending=[False, True]))
    return DepartmentParts(
        names=[_wrap(d) for d in chart["department"]],
        rates=chart["on_time_rate"].tolist(),
        ids=chart["department"].tolist(),
        city=summary(ctx, f).iloc[0]["on_time_rate"],
        shown=shown[["sg_department", *FIGURES]],
    )


def departments(ctx: PageContext, f: Filters) -> None:
    """On-time rate per department against 100% and the city-wide rate; a bar drills."""
    parts = _department_parts(ctx, f)
    if parts.ids:
        fig = charts.bar_with_target(
            parts.names,
            parts.rates,
            ids=parts.ids,
            title=drill.scoped_title(ctx, f, labels.SG_CHART_DEPARTMENTS),
            target=1.0,
            target_label=labels.SG_TARGET_LINE,
            reference=float(parts.city),
            reference_label=labels.REFERENCE_LINE.format(
                where=drill.where_label(ctx, f), p=formatting.percent(parts.city)
            ),
            height=400,
        )
        chosen = drill.clickable_chart(fig, "sg_department_chart", labels.SG_DRILL_HINT)
        if chosen:
            drill.go(category=chosen)
    table(parts.shown, key="sg_departments", stem=stem(ctx, "分部门办理情况"), percent=["sg_on_time_rate"])


@data.derived
def _area_topic_rows(ctx: PageContext, f: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The by-area and by-topic tables as shown, once per view."""
    df = summary(ctx, f, ("area_code",))
    df = ctx.in_area_order(df)
    areas = _figures(df).assign(area=df["area_code"].map(ctx.area_names))
    topics = _figures(summary(ctx, f, ("topic",)).sort_values(["received", "topic"], ascending=[False, True]))
    return (
        areas[["area", "sg_received", "sg_on_time_rate", "sg_avg_days", "sg_overdue"]],
        topics[["sg_topic", "sg_received", "sg_on_time_rate", "sg_avg_days", "sg_overdue"]],
    )


def areas_and_topics(ctx: PageContext, f: Filters) -> None:
    areas, topics = _area_topic_rows(ctx, f)
    left, right = st.columns(2)
    with left:
        table(areas, key="sg_areas", stem=stem(ctx, "分区域"), percent=["sg_on_time_rate"])
    with right:
        table(topics, key="sg_topics", stem=stem(ctx, "分主题"), percent=["sg_on_time_rate"])


@data.derived
def _monthly(ctx: PageContext, f: Filters) -> tuple[list[str], list, list] | None:
    """The months, suggestions received and on-time rate (None where nothing was due), or
    None when there were no suggestions; once per view (read-only)."""
    df = data.query(sg.fetch_monthly, f, ctx.scope, as_of=ctx.as_of)
    if df.empty:
        return None
    x = [f"{y}-{m:02d}" for y, m in zip(df["year"], df["month"])]
    return x, df["received"].tolist(), [None if r != r else r for r in df["on_time_rate"]]


def trend(ctx: PageContext, f: Filters) -> None:
    monthly = _monthly(ctx, f)
    if monthly is None:
        st.info(labels.SG_NONE)
        return
    x, received, rates = monthly
    theme.plot(
        charts.bars_and_rate(
            x,
            received,
            rates,
            title=drill.scoped_title(ctx, f, labels.SG_CHART_MONTHLY),
            bar_name=labels.SG_SERIES_RECEIVED,
            rate_name=labels.SG_SERIES_ON_TIME,
        ),
        key="sg_monthly_chart",
    )


def _list_frame(ctx: PageContext, df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(
        sg_name=df["name"],
        area=df["area_code"].map(ctx.area_names),
        unit=df["unit_name"].fillna("—"),
        sg_topic=df["topic"],
        sg_department=df["department"],
        sg_submitted_on=df["submitted_on"],
        sg_due_on=df["due_on"],
        sg_period=df["received"].map({True: labels.SG_RECEIVED_NOW, False: labels.SG_RECEIVED_BEFORE}),
    )


@data.derived
def _overdue_rows(ctx: PageContext, f: Filters, unmasked: bool) -> tuple[pd.DataFrame, int]:
    """The overdue list as the table shows it and how many of it were received in the period,
    once per view and masking (``unmasked``: ``ctx.can_unmask``, names in full)."""
    df = data.query(sg.fetch_overdue_list, f, ctx.scope, as_of=ctx.as_of, unmasked=unmasked)
    if df.empty:
        return df, 0
    shown = _list_frame(ctx, df).assign(sg_days_overdue=df["days_overdue"].astype("int64"))
    columns = ["sg_name", "area", "sg_topic", "sg_department", "sg_submitted_on", "sg_due_on", "sg_days_overdue"]
    return shown[[*columns, "sg_period"]], int(df["received"].sum())


def overdue_list(ctx: PageContext, f: Filters) -> None:
    if lists_withheld(ctx):
        return
    shown, m = _overdue_rows(ctx, f, ctx.can_unmask)
    on = judgement_day(ctx, f)
    if shown.empty:
        st.success(labels.SG_OVERDUE_NONE.format(on=on))
        return
    st.caption(labels.SG_OVERDUE_CAPTION.format(n=f"{len(shown):,}", m=f"{m:,}", k=f"{len(shown) - m:,}", on=on))
    table(
        shown,
        key="sg_overdue",
        stem=stem(ctx, "逾期未答复督办清单"),
        dates=["sg_submitted_on", "sg_due_on"],
        height=420,
    )


@data.derived
def _department_rows(ctx: PageContext, f: Filters, department: str, unmasked: bool) -> tuple[pd.DataFrame, int]:
    """A department's suggestions as the table shows them and how many were received in the
    period, once per view, department and masking (``unmasked``: ``ctx.can_unmask``)."""
    df = data.query(sg.fetch_department_list, f, ctx.scope, as_of=ctx.as_of, department=department, unmasked=unmasked)
    shown = _list_frame(ctx, df).assign(
        sg_status=df["status"].map(labels.SG_STATUS),
        sg_answered_on=df["answered_on"],
        sg_days_to_answer=df["days_to_answer"].map(_count_text),
        sg_late_days=df["days_overdue"].map(_count_text),
    )
    columns = [
        "sg_name",
        "area",
        "sg_topic",
        "sg_status",
        "sg_submitted_on",
        "sg_due_on",
        "sg_answered_on",
        "sg_days_to_answer",
        "sg_late_days",
        "sg_period",
    ]
    return shown[columns], int(df["received"].sum())


def department_list(ctx: PageContext, f: Filters, department: str) -> None:
    if lists_withheld(ctx):
        return
    shown, received = _department_rows(ctx, f, department, ctx.can_unmask)
    st.caption(
        labels.SG_LIST_CAPTION.format(
            department=department,
            received=f"{received:,}",
            carried=f"{len(shown) - received:,}",
            on=judgement_day(ctx, f),
        )
    )
    table(
        shown,
        key="sg_department_list",
        stem=stem(ctx, "建议清单"),
        dates=["sg_submitted_on", "sg_due_on", "sg_answered_on"],
        height=460,
    )


def department_kpis(ctx: PageContext, f: Filters, department: str) -> None:
    """The department's own row of figures above its list (same definitions as the page)."""
    row = summary(ctx, f, ("department",)).set_index("department").loc[department]
    cols = st.columns(5)
    kpi(
        cols[0],
        "sg_received",
        _pieces(row["received"]),
        labels.SG_RECEIVED_DELTA.format(people=int(row["suggesters"])),
    )
    kpi(
        cols[1],
        "sg_on_time",
        formatting.percent(row["on_time_rate"]),
        labels.SG_ON_TIME_DELTA.format(on_time=int(row["on_time"]), due=int(row["due"])),
        count=_pieces(row["on_time"]),
    )
    kpi(
        cols[2],
        "sg_days",
        "—" if math.isnan(row["avg_days"]) else labels.SG_DAYS_VALUE.format(v=row["avg_days"]),
        labels.SG_LATE_DELTA.format(late=int(row["late"])),
    )
    kpi(
        cols[3],
        "sg_open",
        _pieces(row["open"]),
        labels.SG_OPEN_DELTA.format(pending=int(row["open"] - row["overdue"])),
    )
    kpi(
        cols[4],
        "sg_overdue",
        _pieces(row["overdue"]),
        labels.SG_OVERDUE_DELTA.format(m=int(row["overdue_received"])),
    )
