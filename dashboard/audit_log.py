"""Audit of sign-ins, page views and exports, written to the app-owned audit store
(``access.audit_url`` or ``AUDIT_DB_URL``; default ``data/audit.sqlite``)."""

from __future__ import annotations

import json
import logging
import os
import time

import sqlalchemy as sa
import streamlit as st

from dashboard import labels
from data_access import audit
from data_access.config import PROJECT_ROOT

_LOG = logging.getLogger(__name__)
DEFAULT_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'audit.sqlite'}"
_URL = "_audit_url"
_CTX = "_audit_ctx"
_LAST_VIEW = "_audit_last_view"


def url() -> str:
    return st.session_state.get(_URL) or os.environ.get("AUDIT_DB_URL") or DEFAULT_URL


@st.cache_resource(show_spinner=False)
def _engine(audit_url: str):
    if audit_url.startswith("sqlite:///"):
        os.makedirs(os.path.dirname(audit_url.removeprefix("sqlite:///")) or ".", exist_ok=True)
    engine = audit.make_audit_engine(audit_url)
    audit.ensure(engine)
    return engine


def engine():
    return _engine(url())


# What a failing audit store raises: the driver's errors, and OSError for a SQLite store
# whose folder cannot be created.
FAILURES = (sa.exc.SQLAlchemyError, OSError)
_AVAILABLE = "_audit_available"
AVAILABLE_SECONDS = 10.0


def record(**event) -> bool:
    """Log an event; False (and an error in the server log) when the audit store failed.
    A sign-in or a view goes on, with a warning on the page; a person-level export does not
    (see :func:`available` and :func:`export_recorder`)."""
    try:
        audit.record(engine(), **event)
    except FAILURES as exc:
        _LOG.error("audit event not recorded (%s): %s", event.get("action"), exc)
        st.session_state[_AVAILABLE] = (time.monotonic(), False)
        return False
    return True


def available() -> bool:
    """Whether the audit store answers now (checked at most every few seconds per session):
    person-level exports are offered only while they can be recorded."""
    seen = st.session_state.get(_AVAILABLE)
    now = time.monotonic()
    if seen is not None and now - seen[0] < AVAILABLE_SECONDS:
        return seen[1]
    try:
        audit.check(engine())
        ok = True
    except FAILURES as exc:
        _LOG.error("audit store unavailable: %s", exc)
        ok = False
    st.session_state[_AVAILABLE] = (now, ok)
    return ok


def set_context(user_id: str, role: str, page: str, params: dict) -> None:
    """Remember who is on which page with which filters; log the view once per change."""
    filters = json.dumps(params, ensure_ascii=False, sort_keys=True)
    st.session_state[_CTX] = {"user_id": user_id, "role": role, "page": page, "filters": filters}
    if st.session_state.get(_LAST_VIEW) != (page, filters):
        if available() and record(user_id=user_id, role=role, action="view", page=page, filters=filters):
            st.session_state[_LAST_VIEW] = (page, filters)
        else:  # said on the page, and tried again on the next run
            st.warning(labels.AUDIT_UNAVAILABLE, icon=":material/warning:")


def current_page() -> str | None:
    """The key of the page this session is on (as :func:`set_context` recorded it)."""
    return (st.session_state.get(_CTX) or {}).get("page")


def export_recorder():
    """A function that logs an export (file name, rows) for the page drawing the button and
    returns whether it was recorded. It runs when the file is built, outside the script run,
    so it holds everything it needs."""
    ctx = dict(st.session_state.get(_CTX) or {"user_id": "-", "role": "-", "page": None, "filters": None})
    audit_url = url()

    def log(file_name: str, rows: int) -> bool:
        try:
            audit.record(_engine(audit_url), action="export", file_name=file_name, rows=rows, **ctx)
        except FAILURES as exc:
            _LOG.error("audit event not recorded (export %s): %s", file_name, exc)
            return False
        return True

    return log
