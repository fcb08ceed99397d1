"""建言献计: are the retirees' suggestions answered, on time, and which are overdue (反馈督办)?"""

from __future__ import annotations

import streamlit as st

from dashboard import drill, labels, metrics
from dashboard import suggestions_view as view
from dashboard.components import page_header
from dashboard.context import get_context

ctx = get_context()
f = ctx.filters
department, drill_notices = view.resolve(ctx)
page_header(labels.SUGGESTIONS_TITLE, ctx, drill_notices)

drill.topic_breadcrumbs(ctx, drill.Drill(), department)

if department:
    view.department_kpis(ctx, f, department)
    st.subheader(labels.SG_SECTION_LIST)
    view.department_list(ctx, f, department)
    st.stop()

view.kpis(ctx, f)
st.subheader(labels.SG_SECTION_DEPARTMENTS, help=metrics.get("sg_on_time").help)
view.departments(ctx, f)
st.subheader(labels.SG_SECTION_OVERDUE, help=metrics.get("sg_overdue").help)
view.overdue_list(ctx, f)
st.subheader(labels.SG_SECTION_AREA_TOPIC)
view.areas_and_topics(ctx, f)
st.subheader(labels.SG_SECTION_TREND, help=metrics.get("sg_on_time").help)
view.trend(ctx, f)
