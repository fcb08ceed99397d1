"""帮扶与经费: where the money goes, against budget and time progress, and whether aid
reaches the people in hardship."""

from __future__ import annotations

import streamlit as st

from dashboard import drill, labels, metrics
from dashboard import money_view as view
from dashboard.components import page_header
from dashboard.context import get_context

ctx = get_context()
level, f, drill_notices = view.resolve(ctx)
page_header(labels.MONEY_TITLE, ctx, drill_notices)

drill.topic_breadcrumbs(ctx, level, labels.BUDGET_CATEGORY[level.category] if level.category else None)

view.kpis(ctx, f)
if level.category:
    st.subheader(labels.SECTION_PAYMENTS)
    view.payments(ctx, f, level.area, level.category)
    st.stop()

st.subheader(labels.SECTION_EXECUTION, help=metrics.get("execution").help)
if not level.area:
    view.execution_by_area(ctx, f)
view.execution_by_category(ctx, f, level.area)
st.subheader(labels.SECTION_CUMULATIVE)
view.cumulative(ctx, f)
st.subheader(labels.SECTION_SHARE, help=metrics.get("precise_share").help)
view.precise_share(ctx, f)
st.subheader(labels.SECTION_AID, help=metrics.get("aid").help)
view.aid(ctx, f)
st.subheader(labels.SECTION_UNAIDED, help=metrics.get("hardship_coverage").help)
view.unaided(ctx, f)
