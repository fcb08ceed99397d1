"""会议大屏: a kiosk display that rotates, refreshes itself and shows no personal data.

Parameters (URL): ``panels`` (comma list of overview, coverage, branches, budget, aid,
ranking), ``dwell`` (seconds per panel, default 20), ``refresh`` (seconds between data
refreshes, default 300), ``theme`` (dark / light), ``carousel`` (1 = step through the
areas), ``stale_days`` (warn when the data is older); the global filter parameters too.
"""

from __future__ import annotations

import streamlit as st

from dashboard import screen as scr
from dashboard import screen_view as view
from dashboard.context import get_context

ctx = get_context()
params = scr.parse_params({k: st.query_params.get_all(k) for k in st.query_params})
st.html(scr.CHROME_CSS)
view.live(ctx, params)
