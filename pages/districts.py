"""区县对比: every area side by side, ranks, and a drill into any area."""

from __future__ import annotations

import streamlit as st

from dashboard import districts_view as view
from dashboard import labels
from dashboard.components import page_header
from dashboard.context import get_context

ctx = get_context()
page_header(labels.DISTRICTS_TITLE, ctx)
c = view.comparison(ctx)

st.subheader(labels.COMPARISON_TABLE, help=labels.COMPARISON_HELP)
view.comparison_table(ctx, c)
st.subheader(labels.SECTION_DRILL)
chosen = view.drill_links(ctx, c)
st.subheader(labels.SECTION_METRIC_BARS)
metric = view.metric_bars(ctx, c)

left, right = st.columns(2)
with left:
    st.subheader(labels.SECTION_PROFILE)
    view.profile(ctx, c, chosen)
with right:
    st.subheader(labels.SECTION_SCATTER)
    view.scatter(ctx, c)

st.subheader(labels.SECTION_YOY, help=metric.rank_help)
view.year_over_year(ctx, c, metric)
