"""Entry script: page config, data source check, global filters, navigation."""

from __future__ import annotations

import streamlit as st

from dashboard import auth, data, labels, navigation, url_state
from dashboard.components import stop_on_error
from dashboard.context import PageContext, set_context
from dashboard.filters_ui import sidebar_filters
from dashboard.url_state import to_filters
from data_access.errors import DataAccessError

st.set_page_config(page_title=labels.APP_TITLE, page_icon=":material/account_balance:", layout="wide")

pages = navigation.build()
current = st.navigation(navigation.sections(pages))
st.logo("dashboard/assets/logo.svg", size="large")

try:
    as_of = data.as_of()
    areas = data.areas()
    first_year = data.first_year()
except DataAccessError as exc:
    st.title(labels.APP_TITLE)
    stop_on_error(exc)

if current.url_path in navigation.KIOSK_PAGES:
    # A display nobody touches: the filters are read from the URL, no widgets drawn.
    state, notices = url_state.parse(
        {k: st.query_params.get_all(k) for k in url_state.PARAMS if k in st.query_params},
        as_of,
        areas["code"].tolist(),
        first_year,
    )
else:
    state, notices = sidebar_filters(as_of, areas, first_year)
try:
    filters = to_filters(state, as_of)
except DataAccessError as exc:
    stop_on_error(exc)
cfg = data.config()
if cfg.is_embedded_demo and current.url_path not in navigation.KIOSK_PAGES:
    st.info(labels.DEMO_BANNER, icon=":material/info:")
set_context(
    PageContext(
        filters=filters,
        state=state,
        scope=auth.current_scope(),
        as_of=as_of,
        first_year=first_year,
        areas=areas,
        is_demo=cfg.is_embedded_demo,
    )
)
st.session_state["_url_notices"] = notices
current.run()
