"""The global filters in the sidebar: defined once, kept across pages, mirrored in the URL."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import labels, url_state
from dashboard.url_state import Selection
from data_access import codes

KEYS = {
    "mode": "f_mode",
    "year": "f_year",
    "range": "f_range",
    "areas": "f_areas",
    "level": "f_level",
    "categories": "f_categories",
    "ranks": "f_ranks",
    "ages": "f_ages",
    "tiers": "f_tiers",
}
ALL_LEVELS = "all"  # a real option value: a selectbox shows None as "no choice"
_LAST_URL = "_filters_url"
_NOTICES = "_filters_notices"


def _url_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in url_state.PARAMS if k in st.query_params}


def _load_into_widgets(state: Selection, as_of: dt.date) -> None:
    ss = st.session_state
    ss[KEYS["mode"]] = "range" if state.is_range else "year"
    ss[KEYS["year"]] = state.year or as_of.year
    ss[KEYS["range"]] = (state.start, state.end) if state.is_range else (dt.date(as_of.year, 1, 1), as_of)
    ss[KEYS["areas"]] = list(state.areas or ())
    ss[KEYS["level"]] = state.level or ALL_LEVELS
    ss[KEYS["categories"]] = list(state.categories or ())
    ss[KEYS["ranks"]] = list(state.ranks or ())
    ss[KEYS["ages"]] = list(state.ages or ())
    ss[KEYS["tiers"]] = list(state.tiers or ())


def _reset(as_of: dt.date) -> None:
    _load_into_widgets(url_state.default_selection(as_of), as_of)


def _period(sb, as_of: dt.date, first_year: int) -> tuple[int | None, dt.date | None, dt.date | None]:
    """The period widgets: a year, or a range (the as-of year until both ends are picked)."""
    mode = sb.segmented_control(
        labels.PERIOD_MODE_LABEL, ["year", "range"], format_func=labels.PERIOD_MODE.get, key=KEYS["mode"]
    )
    if mode == "range":
        picked = sb.date_input(
            labels.RANGE_LABEL, key=KEYS["range"], min_value=dt.date(first_year, 1, 1), max_value=as_of
        )
        start, end = (picked[0], picked[1]) if isinstance(picked, tuple) and len(picked) == 2 else (None, None)
        year = None if start else as_of.year
    else:
        years = list(range(as_of.year, first_year - 1, -1))
        year = sb.selectbox(labels.YEAR_LABEL, years, key=KEYS["year"], format_func=lambda y: labels.YEAR.format(y=y))
        start = end = None
    return year, start, end


def sidebar_filters(as_of: dt.date, areas: pd.DataFrame, first_year: int) -> tuple[Selection, list[str]]:
    """Render the filters; returns the selection (without its drill level) and the notices
    about dropped URL values.

    The URL is read at a session's first run and whenever it carries filter parameters that
    differ from what this session last wrote (a pasted or followed link); a page switch that
    drops the parameters keeps the session's filters and writes them back.
    """
    ss = st.session_state
    raw = _url_params()
    known = areas["code"].tolist()
    notices: list[str] = []
    if KEYS["mode"] not in ss or (raw and raw != ss.get(_LAST_URL)):
        state, notices = url_state.parse(raw, as_of, known, first_year)
        _load_into_widgets(state, as_of)
    names = dict(zip(areas["code"], areas["name"]))
    sb = st.sidebar
    sb.header(labels.FILTERS_HEADER, help=labels.FILTER_HELP)
    year, start, end = _period(sb, as_of, first_year)
    sel_areas = sb.multiselect(
        labels.AREA_LABEL, known, key=KEYS["areas"], format_func=names.get, placeholder=labels.AREA_ALL
    )
    level = sb.selectbox(
        labels.LEVEL_LABEL,
        [ALL_LEVELS, *codes.LEVELS],
        key=KEYS["level"],
        format_func=lambda v: labels.LEVEL_ALL if v == ALL_LEVELS else labels.LEVEL[v],
    )
    cats = sb.multiselect(
        labels.CATEGORY_LABEL,
        codes.CATEGORIES,
        key=KEYS["categories"],
        format_func=labels.CATEGORY.get,
        placeholder=labels.ALL,
    )
    ranks = sb.multiselect(
        labels.RANK_LABEL, codes.RANKS, key=KEYS["ranks"], format_func=labels.RANK.get, placeholder=labels.ALL
    )
    ages = sb.multiselect(
        labels.AGE_LABEL,
        list(codes.AGE_BANDS),
        key=KEYS["ages"],
        format_func=labels.AGE_BAND.get,
        placeholder=labels.ALL,
    )
    tiers = sb.multiselect(
        labels.TIER_LABEL, codes.TIERS, key=KEYS["tiers"], format_func=labels.TIER.get, placeholder=labels.ALL
    )
    sb.button(labels.RESET, on_click=_reset, args=(as_of,), width="stretch")
    state = url_state.selection(
        as_of,
        year=year,
        start=start,
        end=end,
        areas=sel_areas,
        level=None if level == ALL_LEVELS else level,
        categories=cats,
        ranks=ranks,
        ages=ages,
        tiers=tiers,
    )
    write_url(state, as_of)
    return state, notices


def write_url(state: Selection, as_of: dt.date) -> None:
    """Mirror the filters in the URL, leaving any drill-state parameters alone."""
    params = url_state.to_params(state, as_of)
    for key in url_state.PARAMS:
        if key in params:
            if st.query_params.get_all(key) != params[key]:
                st.query_params[key] = params[key]
        elif key in st.query_params:
            del st.query_params[key]
    st.session_state[_LAST_URL] = params
