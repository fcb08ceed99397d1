"""联系覆盖: has every person we are responsible for been reached, and who has not?"""

from __future__ import annotations

import streamlit as st

from dashboard import contacts_view as view
from dashboard import drill, labels, metrics
from dashboard.components import page_header
from dashboard.context import get_context

ctx = get_context()
level, f, drill_notices = view.resolve(ctx)
page_header(labels.CONTACTS_TITLE, ctx, drill_notices)

level, unit_name = view.unit_level(ctx, f, level)
drill.topic_breadcrumbs(ctx, level, unit_name)

if level.unit:
    st.subheader(labels.SECTION_PEOPLE)
    view.people(ctx, f, level.unit, unit_name)
    st.stop()

view.kpis(ctx, f)
st.subheader(labels.SECTION_COVERAGE)
if level.area:
    view.unit_chart(ctx, f, level.area)
else:
    view.area_chart(ctx, f)
view.coverage_by_category(ctx, f)

st.subheader(labels.SECTION_CADENCE, help=metrics.get("tier_compliance").help)
view.cadence(ctx, f)
st.subheader(labels.SECTION_VISITS, help=metrics.get("festival").help)
view.visits(ctx, f)
st.subheader(labels.SECTION_ACTIVITY)
view.activity(ctx, f)
st.subheader(labels.SECTION_PAIRING, help=metrics.get("pairing").help)
view.pairing(ctx, f)
st.subheader(labels.SECTION_OVERDUE, help=metrics.get("overdue").help)
view.overdue_list(ctx, f)
