"""总览: the first page a leader sees."""

from __future__ import annotations

import streamlit as st

from dashboard import labels
from dashboard import overview_view as view
from dashboard.components import page_header, small_cells_note
from dashboard.context import get_context
from dashboard.overview import headline

ctx = get_context()
page_header(labels.OVERVIEW_TITLE, ctx)
h = headline(ctx)

branch_gaps = view.attention(ctx)  # attention first: what a leader should act on now
st.subheader(labels.GROUP_PEOPLE)
view.people_kpis(h, ctx)
st.subheader(labels.GROUP_CONTACT)
view.contact_kpis(h, ctx)
st.subheader(labels.GROUP_PARTY)
view.party_kpis(h, branch_gaps, ctx)
st.subheader(labels.GROUP_MONEY)
view.money_kpis(h, ctx)

left, right = st.columns(2)
with left:
    view.coverage_chart(ctx, h)
with right:
    view.trend_chart(ctx, h)
view.budget_chart(ctx, h)

st.subheader(labels.TABLE_AREAS)
view.areas(ctx)
small_cells_note(ctx)
