"""Entry script: page config, sign-in, data source check, global filters, navigation."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import audit_log, auth, data, export, labels, navigation, theme, url_state, warm, watermark
from dashboard.components import arrived_without_params, stop_on_error
from dashboard.context import PageContext, set_context
from dashboard.filters_ui import sidebar_filters
from data_access.errors import DataAccessError

# The icon is a file served by the dashboard itself: a ":material/…:" icon is fetched from
# an outside font host, which many offices cannot reach.
ICON = str(Path(__file__).parent / "dashboard" / "assets" / "icon.svg")
st.set_page_config(page_title=labels.APP_TITLE, page_icon=ICON, layout="wide")

arrived_without_params()  # (before anything writes the filters into the address)
cfg = data.config()
access = auth.access_config(auth.secrets(), cfg.is_embedded_demo)
st.session_state["_audit_url"] = access.audit_url
warm.start_once(st.get_option("server.port"))  # the first request of any kind starts the warmer
# The server's own warming session (dashboard.warm) reads as the city-wide account, or as a
# district's own account (warm_as).
warm_params = {k: st.query_params.get_all(k) for k in (warm.PARAM, warm.AS_PARAM)}
warming = warm.is_warming(warm_params)
if warm.PARAM in st.query_params and not warming:
    warm.preload()  # the kick make run / make serve send at start: what a first page would pay once
    st.stop()  # another process's token (the kick that starts the warmer): nothing drawn, no audit
# (auth.require_user stops at the sign-in page until signed in)
user = warm.user_for(warm_params) if warming else auth.require_user(access)

screen_alone = navigation.screen_only(user, st.query_params)
pages = navigation.build(user, screen_alone)
current = st.navigation(navigation.sections(pages, user))
st.logo("dashboard/assets/logo.svg", size="large")

try:
    as_of = data.as_of()
    areas = data.areas(user.scope)
    first_year = data.first_year()
except DataAccessError as exc:
    st.title(labels.APP_TITLE)
    stop_on_error(exc)

kiosk = screen_alone or current.url_path in navigation.KIOSK_PAGES
page_key = "screen" if screen_alone else navigation.page_key(current)
try:
    if kiosk:
        # A display nobody touches: the filters are read from the URL, no widgets drawn.
        raw = {k: st.query_params.get_all(k) for k in url_state.PARAMS if k in st.query_params}
        selection, notices = url_state.parse(raw, as_of, areas["code"].tolist(), first_year)
    else:
        selection, notices = sidebar_filters(as_of, areas, first_year)
        auth.sign_out_button(user)
    # The drill level of this run (a drill rewrites the URL and reruns), and the account's
    # scope applied once: "all areas" is a district account's own area.
    drill = url_state.parse_drill({k: st.query_params.get_all(k) for k in url_state.DRILL_PARAMS})
    selection = selection.with_drill(drill).within(user.scope)
except DataAccessError as exc:
    stop_on_error(exc)
if not kiosk:
    theme.follow_theme()
watermark.show(user, kiosk)  # the account and time, faint over the page (signed-in users)
if cfg.is_embedded_demo and not kiosk:
    st.info(labels.DEMO_BANNER, icon=":material/info:")
set_context(
    PageContext(
        selection=selection,
        # The meeting screen is seen by a room: small cells are hidden there for everyone.
        scope=user.scope.hiding_small_cells() if kiosk else user.scope,
        as_of=as_of,
        first_year=first_year,
        areas=areas,
        is_demo=cfg.is_embedded_demo,
        user=user,
        notices=tuple(notices),
    )
)
if not warming:  # (not a person's view: no audit row)
    audit_log.set_context(  # (a screen token is a credential: never written to the log)
        user.user_id,
        user.role,
        page_key,
        {k: st.query_params.get_all(k) for k in st.query_params if k != auth.SCREEN_TOKEN_PARAM},
    )
page_export = None if kiosk else st.sidebar.empty()  # "导出本页", filled once the page has run
export.start_page()
try:
    current.run()
    if page_export is not None:
        with page_export:
            export.page_export(current.title)
except DataAccessError as exc:  # the database lost mid-session: the Chinese message, not a traceback
    stop_on_error(exc)
