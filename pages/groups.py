"""重点人群: how many of the people in our care are very old, alone, impaired or ill, where
they live, how that changes year by year, and who they are."""

from __future__ import annotations

import streamlit as st

from dashboard import drill, labels
from dashboard import groups_view as view
from dashboard.components import page_header
from dashboard.context import get_context

ctx = get_context()
level, f, drill_notices = view.resolve(ctx)
page_header(labels.GROUPS_TITLE, ctx, drill_notices)

drill.topic_breadcrumbs(ctx, level, view.name(level.category) if level.category else None)

if level.category:  # the list staff act on comes first; its count and definition are in its caption
    st.subheader(labels.GROUPS_SECTION_PEOPLE)
    view.people(ctx, f, level.area, level.category)
    st.stop()

view.kpis(ctx, f)
view.definitions()

if level.area:
    st.subheader(labels.GROUPS_SECTION_AREA_GROUPS.format(area=ctx.area_names.get(level.area, level.area)))
    view.area_groups(ctx, f, level.area)
else:
    st.subheader(labels.GROUPS_SECTION_AREAS)
    view.area_section(ctx, f)
st.subheader(labels.GROUPS_SECTION_TABLE)
view.by_category(ctx, f, "groups_by_category", labels.GROUPS_FILE["category"])
st.subheader(labels.GROUPS_SECTION_TREND)
view.trend(ctx, f)
