"""银发人才库: how many skilled retirees are registered, in which fields and areas, and do
they take part (座谈, 调研, 授课培训, 咨询服务, 宣讲)?"""

from __future__ import annotations

import streamlit as st

from dashboard import drill, labels, metrics
from dashboard import talent_view as view
from dashboard.components import page_header
from dashboard.context import get_context

ctx = get_context()
level, f, drill_notices = view.resolve(ctx)
page_header(labels.TALENT_TITLE, ctx, drill_notices)

drill.topic_breadcrumbs(ctx, level, labels.TALENT_FIELD[level.category] if level.category else None)

if level.category:  # the list's own figures are in its caption; the KPIs would be the area's
    st.subheader(labels.TL_SECTION_MEMBERS)
    view.members(ctx, f, level.area, level.category)
    st.stop()

view.kpis(ctx, f)

st.subheader(labels.TL_SECTION_AREAS, help=metrics.get("tl_pool").help)
if level.area:
    view.field_chart(ctx, f, level.area)
else:
    view.area_chart(ctx, f)
st.subheader(labels.TL_SECTION_STRUCTURE, help=metrics.get("tl_pool").help)
view.structure(ctx, f)
st.subheader(labels.TL_SECTION_ACTIVITY, help=metrics.get("tl_activities").help)
view.activity(ctx, f)
st.subheader(labels.TL_SECTION_TREND, help=metrics.get("tl_participation").help)
view.trend(ctx, f)
