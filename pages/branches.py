"""党支部: branches, members, retiree secretaries and organisational life."""

from __future__ import annotations

import streamlit as st

from dashboard import branches_view as view
from dashboard import drill, labels, metrics
from dashboard.components import page_header
from dashboard.context import get_context

ctx = get_context()
level, f, drill_notices = view.resolve(ctx)
page_header(labels.BRANCHES_TITLE, ctx, drill_notices)
branches = view.branch_table(ctx, f)

branch = view.drilled_branch(branches, level)
drill.topic_breadcrumbs(ctx, level, None if branch is None else str(branch["name"]))

if branch is not None:
    st.subheader(labels.SECTION_BRANCH_DETAIL)
    view.branch_detail(ctx, f, branch)
    st.stop()

view.kpis(ctx, f)
if level.area:
    st.subheader(labels.SECTION_BRANCH_LIST)
    view.branch_list(ctx, f, branches, level.area)
else:
    st.subheader(labels.SECTION_BRANCH_STRUCTURE, help=metrics.get("secretary_share").help)
    view.structure(ctx, f)
st.subheader(labels.SECTION_MEMBERS, help=metrics.get("members").help)
view.members(branches)
st.subheader(labels.SECTION_ORG_LIFE, help=metrics.get("activity").help)
view.org_life(ctx, f)
st.subheader(labels.SECTION_CHANGES)
view.changes(ctx, f)
