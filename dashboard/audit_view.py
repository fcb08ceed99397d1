"""The audit page's sections (审计日志, administrators only): the filters and the events."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import audit_log, labels
from dashboard.components import table
from data_access import audit


def pick() -> tuple[dt.date, dt.date, str | None, str | None]:
    """The date range (last 30 days by default), user and action the administrator picks."""
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
    return start, end, who, action


def events(start: dt.date, end: dt.date, who: str | None, action: str | None) -> pd.DataFrame:
    """The events of the range (``end`` included), in Chinese."""
    rows = audit.fetch(audit_log.engine(), start, end + dt.timedelta(days=1), who, action)
    return rows.assign(
        at=rows["at"].astype(str).str[:19],
        action=rows["action"].map(lambda a: labels.AUDIT_ACTIONS.get(a, a)),
        role=rows["role"].map(lambda r: labels.ROLE.get(r, r)),
        page=rows["page"].map(lambda p: labels.PAGE_TITLES.get(p, p or "")),
    )


def event_table(start: dt.date, end: dt.date, who: str | None, action: str | None) -> None:
    shown = events(start, end, who, action)
    table(shown, key="audit_events", stem=f"{labels.AUDIT_TITLE}_{start.isoformat()}至{end.isoformat()}", height=560)
