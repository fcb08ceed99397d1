"""The party-branch page's sections (党支部): structure, members, organisational life,
change over time; drill from the city to an area's branch list and one branch's detail."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, drill, formatting, labels, status, theme
from dashboard.components import kpi, org_life_kpi, secretary_share_kpi, table
from dashboard.context import PageContext
from data_access import branches as branches_q
from data_access.branches import MAX_MEMBERS, MIN_FULL_MEMBERS
from data_access.filters import Filters

KINDS = ("city_unit", "temporary", "district")
ACTIVITY_ORDER = list(labels.ACTIVITY_TYPE.values())  # the timeline's rows (never changed)


def resolve(ctx: PageContext) -> drill.Resolved:
    """The drill level from the URL (``drill_area``, ``drill_unit`` = a branch id)."""
    return drill.resolve_unit(ctx, labels.DRILL_NOTICE_BRANCH)


stem = drill.stem_for(labels.BRANCHES_TITLE)


@data.derived
def branch_table(ctx: PageContext, f: Filters) -> pd.DataFrame:
    """Active branches with members, flags and organisational-life completion (once per view:
    6,640 branches at K=20)."""
    branches = data.query(branches_q.fetch_branch_list, f, ctx.scope)
    life = data.org_life_by_branch(data.query(branches_q.fetch_org_life, f, ctx.scope, as_of=ctx.as_of))
    return branches.merge(life, on="branch_id", how="left")


def drilled_branch(branches: pd.DataFrame, level: drill.Drill) -> pd.Series | None:
    """The branch drilled into (``drill_unit``, only below an area: see ``resolve``), or
    None; a branch not in the list is a warning."""
    if not level.unit:
        return None
    match = branches[branches["branch_id"].astype(str) == level.unit]
    if match.empty:
        st.warning(labels.DRILL_NOTICE_BRANCH.format(value=level.unit), icon=":material/warning:")
        return None
    return match.iloc[0]


@data.derived
def _kpi_figures(ctx: PageContext, f: Filters) -> tuple:
    """The six cards' figures, read and combined once per view (a warm run only formats them):
    the summary row, 组织生活完成率, the branches by kind as text, the branches with gaps,
    the small and the large branches."""
    summary = data.query(branches_q.fetch_branch_summary, f, ctx.scope).iloc[0]
    life = data.org_life_overall(f, ctx.scope, ctx.as_of)
    kinds = data.query(branches_q.fetch_branch_summary, f, ctx.scope, by=("kind",)).set_index("kind")["branches"]
    kind_text = " / ".join(f"{int(kinds.get(k, 0)):,}" for k in KINDS)
    branches = branch_table(ctx, f)
    gaps = len(_gap_rows(ctx, f))
    return summary, life, kind_text, gaps, int(branches["below_min_full"].sum()), int(branches["above_max"].sum())


def kpis(ctx: PageContext, f: Filters) -> None:
    """The six cards (``_kpi_figures`` counts the branches of ``branch_table(ctx, f)``)."""
    summary, life, kind_text, gaps, small, large = _kpi_figures(ctx, f)
    cols = [c for _ in range(2) for c in st.columns(3)]
    kpi(cols[0], "branches", f"{int(summary['branches']):,} 个", f"市直 / 临时 / 区县：{kind_text}")
    kpi(
        cols[1],
        "members",
        f"{int(summary['members']):,} 人",
        f"平均每支部 {summary['members'] / max(summary['branches'], 1):.1f} 人",
    )
    secretary_share_kpi(cols[2], summary)
    org_life_kpi(cols[3], life, gaps)
    kpi(cols[4], "small_branches", f"{small:,} 个")
    kpi(cols[5], "large_branches", f"{large:,} 个")


@data.derived
def _structure(ctx: PageContext, f: Filters) -> tuple:
    """The chart's bars (area names, the stacks by kind, area codes) and the by-area and
    by-kind tables, once per view."""
    by = data.query(branches_q.fetch_branch_summary, f, ctx.scope, by=("area_code", "kind"))
    pivot = by.pivot_table(index="area_code", columns="kind", values="branches", aggfunc="sum", fill_value=0)
    order = [a for a in ctx.area_names if a in pivot.index]
    pivot = pivot.reindex(order)
    bars = (
        [ctx.area_names[a] for a in order],
        {labels.BRANCH_KIND[k]: pivot[k].tolist() for k in KINDS if k in pivot},
        order,
    )
    areas = (
        data.query(branches_q.fetch_branch_summary, f, ctx.scope, by=("area_code",))
        .set_index("area_code")
        .reindex(order)
    )
    shown = areas.assign(**{k: pivot[k] if k in pivot else 0 for k in KINDS}).reset_index()
    shown["area"] = shown["area_code"].map(ctx.area_names)
    shown = shown.rename(columns={"branches": "branches_count"})
    by_area = shown[
        [
            "area",
            "branches_count",
            *KINDS,
            "members",
            "retiree_secretaries",
            "retiree_secretary_share",
            "below_min_full",
            "above_max",
        ]
    ]
    kinds = data.query(branches_q.fetch_branch_summary, f, ctx.scope, by=("kind",))
    kinds = kinds.assign(kind=kinds["kind"].map(labels.BRANCH_KIND)).rename(columns={"branches": "branches_count"})
    by_kind = kinds[["kind", "branches_count", "members", "retiree_secretaries", "retiree_secretary_share"]]
    return bars, by_area, by_kind


def structure(ctx: PageContext, f: Filters) -> None:
    """Branches by area and kind (click an area to drill), and the kind/area tables."""
    (names, stacks, order), by_area, by_kind = _structure(ctx, f)
    fig = charts.stacked_bars(
        names,
        stacks,
        ids=order,
        title=drill.by_area_title(ctx, labels.CHART_BRANCHES_BY_AREA, order),
    )
    chosen = drill.clickable_chart(fig, "branch_area_chart", labels.BRANCH_DRILL_HINT)
    if chosen:
        drill.go(area=chosen)
    table(
        by_area,
        key="branches_by_area",
        stem=stem(ctx, "分区域"),
        percent=["retiree_secretary_share"],
    )
    table(
        by_kind,
        key="branches_by_kind",
        stem=stem(ctx, "分类型"),
        percent=["retiree_secretary_share"],
    )


def members(branches: pd.DataFrame) -> None:
    fig = charts.histogram_with_limits(
        branches["members"].tolist(),
        title=labels.CHART_MEMBERS_HIST,
        low=MIN_FULL_MEMBERS,
        high=MAX_MEMBERS,
        low_label=labels.FLAG_SMALL,
        high_label=labels.FLAG_LARGE,
    )
    theme.plot(fig, key="members_hist")


@data.derived
def _gap_rows(ctx: PageContext, f: Filters) -> pd.DataFrame:
    """The branches with gaps in organisational life as the table shows them, once per view."""
    gaps = status.branches_with_gaps(branch_table(ctx, f))
    shown = gaps.assign(
        area=gaps["area_code"].map(ctx.area_names), kind=gaps["kind"].map(labels.BRANCH_KIND), branch=gaps["name"]
    )
    return shown[["branch", "area", "kind", "members", "months_owed", "months_complete", "completion", "missed_months"]]


@data.derived
def _org_life_months(ctx: PageContext, f: Filters) -> tuple[list[str], list[int], list[float]]:
    """The monthly chart's months (YYYY-MM), branches owing each and completion, once per view."""
    by_month = data.org_life_by_month(data.query(branches_q.fetch_org_life, f, ctx.scope, as_of=ctx.as_of))
    return (
        [m.strftime("%Y-%m") for m in by_month["month"]],
        by_month["branches"].tolist(),
        by_month["completion"].tolist(),
    )


def org_life(ctx: PageContext, f: Filters) -> None:
    months, owing, completion = _org_life_months(ctx, f)
    if months:
        fig = charts.bars_and_rate(
            months,
            owing,
            completion,
            title=drill.scoped_title(ctx, f, labels.CHART_ORG_LIFE_MONTHLY),
            bar_name="应开展支部（个）",
            rate_name="完成率",
        )
        theme.plot(fig, key="org_life_monthly")
    shown = _gap_rows(ctx, f)
    st.markdown(f"**{labels.BRANCH_GAPS}**")
    st.caption(labels.BRANCH_GAPS_CAPTION.format(n=f"{len(shown):,}"))
    table(
        shown,
        key="branch_gaps",
        stem=stem(ctx, "组织生活缺项支部"),
        percent=["completion"],
        height=360,
    )


@data.derived
def _changes(ctx: PageContext, f: Filters) -> pd.DataFrame:
    """The table of change by year, once per view."""
    years = tuple(range(ctx.first_year, ctx.as_of.year + 1))
    df = data.query(branches_q.fetch_branch_changes, f, ctx.scope, years=years, as_of=ctx.as_of).rename(
        columns={"branches": "branches_count"}
    )
    df["year"] = df["year"].map(lambda y: labels.YEAR.format(y=y))
    return df[["year", "branches_count", "founded", "closed", "members", "joined", "left"]]


def changes(ctx: PageContext, f: Filters) -> None:
    table(_changes(ctx, f), key="branch_changes", stem=stem(ctx, "历年变化"))


def branch_list(ctx: PageContext, f: Filters, branches: pd.DataFrame, area: str) -> None:
    """The area's branches (``branch_table(ctx, f)``); selecting a row opens that branch."""
    event = table(
        _branch_rows(ctx, f),
        key="branch_list",
        stem=stem(ctx, "支部名单"),
        percent=["completion"],
        on_select=True,
        height=420,
    )
    rows = event["selection"]["rows"] if event else []
    if rows:
        drill.go(area=area, unit=str(branches.iloc[rows[0]]["branch_id"]))


@data.derived
def _branch_rows(ctx: PageContext, f: Filters) -> pd.DataFrame:
    """The branch list as the table shows it, prepared once per view (the same cached frame
    each run, so the table's own preparation is reused too)."""
    branches = branch_table(ctx, f)
    shown = branches.assign(
        branch=branches["name"],
        kind=branches["kind"].map(labels.BRANCH_KIND),
        unit=branches["unit_name"].fillna("—"),
        secretary=branches["secretary_is_retiree"].map({True: labels.YES, False: labels.NO}),
        flags=[
            "、".join(x for x, on in ((labels.FLAG_SMALL, s), (labels.FLAG_LARGE, b)) if on)
            for s, b in zip(branches["below_min_full"], branches["above_max"])
        ],
    )
    return shown[["branch", "kind", "unit", "members", "full_members", "secretary", "completion", "flags"]]


def branch_detail(ctx: PageContext, f: Filters, row: pd.Series) -> None:
    st.markdown(
        labels.BRANCH_FACTS.format(
            kind=labels.BRANCH_KIND[row["kind"]],
            area=ctx.area_names.get(row["area_code"], row["area_code"]),
            unit=f" · {row['unit_name']}" if isinstance(row["unit_name"], str) else "",
            founded=str(row["founded_on"])[:10],
            secretary="" if row["secretary_is_retiree"] else "未",
            members=f"{int(row['members']):,}",
            full=f"{int(row['full_members']):,}",
        )
    )
    composition, (dates, kinds), activities = _branch_detail(ctx, f, int(row["branch_id"]))
    left, right = st.columns([1, 2])
    with left:
        table(composition, key="branch_members", stem=stem(ctx, "党员构成"))
    with right:
        theme.plot(
            charts.timeline(dates, kinds, title=labels.CHART_TIMELINE, order=ACTIVITY_ORDER),
            key="branch_timeline",
        )
    missed = row.get("missed_months") or ""
    if missed:
        st.warning(f"{labels.COLUMNS['missed_months']}：{missed}", icon=":material/event_busy:")
    table(
        activities,
        key="branch_activities",
        stem=stem(ctx, "组织生活记录"),
        dates=["held_on"],
        height=300,
    )


@data.derived
def _branch_detail(ctx: PageContext, f: Filters, branch_id: int) -> tuple:
    """One branch's member composition table, its activities as the timeline's dates and
    types, and the activity table, once per view and branch."""
    m = formatting.in_category_order(data.query(branches_q.fetch_branch_members, f, ctx.scope, branch_id=branch_id))
    m = m.assign(category=m["category"].map(labels.CATEGORY))
    acts = data.query(branches_q.fetch_branch_activities, f, ctx.scope, branch_id=branch_id)
    kinds = acts["activity_type"].map(labels.ACTIVITY_TYPE)
    shown = acts.assign(activity_type=kinds)
    return (
        m[["category", "members", "full_members"]],
        (acts["held_on"].tolist(), kinds.tolist()),
        shown[["held_on", "activity_type"]],
    )
