"""会议大屏: a kiosk display that rotates, refreshes itself and shows no personal data.

Parameters (URL): ``panels`` (comma list of overview, coverage, branches, budget, aid,
ranking), ``dwell`` (seconds per panel, default 20), ``refresh`` (seconds between data
refreshes, default 300), ``theme`` (dark / light), ``carousel`` (1 = step through the
areas), ``stale_days`` (warn when the data is older); the global filter parameters too.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import auth, data, labels
from dashboard import screen as scr
from dashboard.context import get_context
from data_access.errors import DataAccessError

ctx = get_context()
params = scr.parse_params({k: st.query_params.get_all(k) for k in st.query_params})
st.html(scr.CHROME_CSS)

_LAST = "_screen_last_good"


@st.fragment(run_every=dt.timedelta(seconds=params.refresh))
def live() -> None:
    """Re-read on a schedule; if the database is down, keep the last good figures with a
    warning and recover by itself on a later run."""
    offline = None
    if not auth.still_signed_in(ctx.user):  # the session ended: no figures stay on the wall
        st.session_state.pop(_LAST, None)
        st.rerun(scope="app")  # the entry script shows the sign-in page
    try:
        data.live_as_of()  # uncached heartbeat: is the ledger answering now?
        payload = scr.build_payload(ctx, params, dt.date.today(), tuple(st.session_state.get("_url_notices", ())))
        st.session_state[_LAST] = (payload, dt.datetime.now().strftime("%H:%M"))
    except DataAccessError:
        last = st.session_state.get(_LAST)
        if last is None:
            st.error(labels.ERRORS["database_unavailable"])
            return
        payload = last[0]
        offline = labels.SCREEN_OFFLINE.format(time=last[1])
    st.html(scr.render(payload, params.theme, offline), unsafe_allow_javascript=True)


live()
