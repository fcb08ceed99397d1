"""审计日志 (administrators only): who viewed and exported what, and when."""

from __future__ import annotations

import streamlit as st

from dashboard import audit_view as view
from dashboard import labels
from dashboard.context import get_context

get_context()  # (the entry script runs first: see get_context)
st.title(labels.AUDIT_TITLE)
start, end, who, action = view.pick()
view.event_table(start, end, who, action)
