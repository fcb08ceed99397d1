"""审计日志 (administrators only): who viewed and exported what, and when."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import audit_log, labels
from dashboard.components import table
from dashboard.context import get_context
from data_access import audit

ctx = get_context()
st.title(labels.AUDIT_TITLE)
today = dt.date.today()
left, mid, right = st.columns([2, 1, 1])
picked = left.date_input(labels.AUDIT_RANGE, (today - dt.timedelta(days=30), today), key="audit_range")
start, end = (picked[0], picked[1]) if isinstance(picked, tuple) and len(picked) == 2 else (today, today)
who = mid.text_input(labels.AUDIT_USER, key="audit_user").strip() or None
action = right.selectbox(
    labels.AUDIT_ACTION,
    [None, *labels.AUDIT_ACTIONS],
    key="audit_action",
    format_func=lambda a: labels.ALL if a is None else labels.AUDIT_ACTIONS[a],
)
events = audit.fetch(audit_log.engine(), start, end + dt.timedelta(days=1), who, action)
shown = events.assign(
    at=events["at"].astype(str).str[:19],
    action=events["action"].map(lambda a: labels.AUDIT_ACTIONS.get(a, a)),
    role=events["role"].map(lambda r: labels.ROLE.get(r, r)),
    page=events["page"].map(lambda p: labels.PAGE_TITLES.get(p, p or "")),
)
table(shown, key="audit_events", stem=f"{labels.AUDIT_TITLE}_{start.isoformat()}至{end.isoformat()}", height=560)
