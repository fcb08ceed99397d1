"""The meeting screen's live panel (会议大屏): re-read on a schedule, keep the last good
figures when the ledger does not answer, leave the wall blank once the session ended."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import auth, data, labels
from dashboard import screen as scr
from dashboard.context import PageContext
from data_access.errors import DataAccessError

_LAST = "_screen_last_good"


def live(ctx: PageContext, params: scr.ScreenParams) -> None:
    """Draw the screen now and again every ``params.refresh`` seconds."""

    @st.fragment(run_every=dt.timedelta(seconds=params.refresh))
    def panel() -> None:
        """If the database is down, keep the last good figures with a warning and recover by
        itself on a later run."""
        offline = None
        if not auth.still_signed_in(ctx.user):  # the session ended: no figures stay on the wall
            st.session_state.pop(_LAST, None)
            st.rerun(scope="app")  # the entry script shows the sign-in page
        try:
            data.live_as_of()  # uncached heartbeat: is the ledger answering now?
            payload = scr.build_payload(ctx, params, dt.date.today(), ctx.notices)
            st.session_state[_LAST] = (payload, dt.datetime.now().strftime("%H:%M"))
        except DataAccessError:
            last = st.session_state.get(_LAST)
            if last is None:
                st.error(labels.ERRORS["database_unavailable"])
                return
            payload = last[0]
            offline = labels.SCREEN_OFFLINE.format(time=last[1])
        st.html(scr.render(payload, params.theme, offline), unsafe_allow_javascript=True)

    panel()
