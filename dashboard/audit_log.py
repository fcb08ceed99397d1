"""Audit of sign-ins, page views and exports, written to the app-owned audit store
(``access.audit_url`` or ``AUDIT_DB_URL``; default ``data/audit.sqlite``)."""

from __future__ import annotations

import json
import logging
import os

import sqlalchemy as sa
import streamlit as st

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


def record(**event) -> None:
    """Log an event; a failing audit store is reported in the server log, and the user's
    page (a sign-in, a view) is not turned into an error page because of it."""
    try:
        audit.record(engine(), **event)
    except sa.exc.SQLAlchemyError as exc:
        _LOG.error("audit event not recorded (%s): %s", event.get("action"), exc)


def set_context(user_id: str, role: str, page: str, params: dict) -> None:
    """Remember who is on which page with which filters; log the view once per change."""
    filters = json.dumps(params, ensure_ascii=False, sort_keys=True)
    st.session_state[_CTX] = {"user_id": user_id, "role": role, "page": page, "filters": filters}
    if st.session_state.get(_LAST_VIEW) != (page, filters):
        st.session_state[_LAST_VIEW] = (page, filters)
        record(user_id=user_id, role=role, action="view", page=page, filters=filters)


def export_recorder():
    """A function that logs an export (file name, rows) for the page drawing the button."""
    ctx = dict(st.session_state.get(_CTX) or {"user_id": "-", "role": "-", "page": None, "filters": None})
    audit_url = url()

    def log(file_name: str, rows: int) -> None:
        try:
            audit.record(_engine(audit_url), action="export", file_name=file_name, rows=rows, **ctx)
        except sa.exc.SQLAlchemyError as exc:
            _LOG.error("audit event not recorded (export %s): %s", file_name, exc)

    return log
