"""工作简报: the bureau's briefing written from the ledger for a date and an area, with its
Word and PDF files (issue 25)."""

from __future__ import annotations

import streamlit as st

from dashboard import briefing_view as view
from dashboard import labels
from dashboard.components import page_header
from dashboard.context import get_context

ctx = get_context()
params = {k: st.query_params.get_all(k) for k in (view.AS_OF_PARAM, view.COMPARE_PARAM)}
req = view.parse(params, ctx, ctx.notices)
page_header(labels.BRIEFING_TITLE, view.header_context(ctx, req))
st.caption(labels.BRIEFING_SCOPE_NOTE)
if req.problem:
    st.error(req.problem, icon=":material/error:")
    st.stop()
req = view.controls(ctx, req)
for notice in req.notices:
    st.warning(notice, icon=":material/warning:")
view.show(ctx, req)
