"""Entry script: the first screen — as-of date and headline counts from the service database.

The full app shell (navigation, global filters, topic pages) builds on this.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data, formatting, labels
from data_access.errors import DataAccessError
from data_access.filters import Filters, Period, Scope

st.set_page_config(page_title=labels.APP_TITLE, page_icon="🏛", layout="wide")


def kpi(column, key: str, value: str, delta: str | None = None, tone: str = "off") -> None:
    """A headline figure with its 口径 as help; ``tone`` colours the delta only where a
    direction is good or bad (never for head counts)."""
    title, definition = labels.KPI[key]
    arrow = "auto" if tone != "off" else "off"
    column.metric(title, value, delta=delta, delta_color=tone, delta_arrow=arrow, help=definition, border=True)


def main() -> None:
    st.title(labels.APP_TITLE)
    cfg = data.config()
    try:
        as_of = data.as_of()
    except DataAccessError as exc:
        st.error(data.error_message(exc))
        st.stop()
    if cfg.is_embedded_demo:
        st.info(labels.DEMO_BANNER, icon="ℹ️")
    scope = Scope.everything()
    this_year = Filters(Period.year(as_of.year, as_of))
    last_year = this_year.with_period(Period.year(as_of.year - 1))
    as_of_text = formatting.date(as_of)
    st.caption(f"{labels.ORG_NAME} · 统计年度 {as_of.year} 年（截至 {as_of_text}） · {labels.AS_OF} {as_of_text}")
    try:
        pop = data.population(this_year, scope, by=("category",)).set_index("category")
        pop_prev = data.population(last_year, scope, by=("category",)).set_index("category")
        key_cov = data.coverage(this_year, scope, key_cohort_only=True).iloc[0]
        cov = data.coverage(this_year, scope).iloc[0]
        br = data.branch_summary(this_year, scope).iloc[0]
        aid = data.aid_summary(this_year, scope).iloc[0]
    except DataAccessError as exc:
        st.error(data.error_message(exc))
        st.stop()

    def people_of(df, category: str) -> int:
        return int(df["people"].get(category, 0))

    row = st.columns(4)
    for col, (key, category) in zip(row, (("veterans", "veteran"), ("retirees", "retiree"), ("survivors", "survivor"))):
        now, before = people_of(pop, category), people_of(pop_prev, category)
        kpi(col, key, f"{formatting.count(now)} 人", f"同比 {now - before:+,} 人")
    vet_age = float(pop["average_age"].get("veteran", float("nan")))
    kpi(row[3], "veteran_age", formatting.age(vet_age))

    row = st.columns(4)
    short = int(key_cov["unreached"])
    kpi(
        row[0],
        "key_coverage",
        formatting.percent(key_cov["coverage"]),
        "✔ 达标（目标 100%）" if short == 0 else f"▼ 未达标：还差 {short} 人",
        "off",
    )
    kpi(row[1], "coverage", formatting.percent(cov["coverage"]), f"未联系 {int(cov['unreached']):,} 人")
    kpi(row[2], "branches", f"{formatting.count(br['branches'])} 个", f"党员 {formatting.count(br['members'])} 人")
    kpi(row[3], "secretary_share", formatting.percent(br["retiree_secretary_share"]))
    row = st.columns(4)
    kpi(row[0], "aid", f"{formatting.count(aid['recipients'])} 人", formatting.yuan(aid["cash_amount"]))
    row[1].metric(
        "慰问品（实物）",
        formatting.yuan(aid["goods_amount"]),
        border=True,
        help="统计期内发放的米面油等慰问品价值，单独统计，不计入帮扶金。",
    )


main()
