"""Page furniture shared by every page: header, KPI cards, attention panel, tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from dashboard import data, export, formatting, labels, url_state
from dashboard.attention import Attention
from dashboard.context import PageContext
from data_access.errors import DataAccessError

# labels.COUNT_RATE ("{count} · {rate}") as the card shows it: Markdown, the count small.
COUNT_RATE_MARKDOWN = labels.COUNT_RATE.replace("{count} · ", ":small[{count} ·]  \n")


def page_header(title: str, ctx: PageContext, notices: Sequence[str] = ()) -> None:
    """Title, the active filters and 数据截至 — the same on every page. A page opened from
    the district comparison offers the way back (the comparison's filters, all areas)."""
    if st.query_params.get("from") == "districts":
        from dashboard import navigation

        # An explicit empty ``area`` clears the area the comparison added (an absent
        # parameter would mean "keep this session's filters").
        back = {**{k: v for k, v in url_state.to_params(ctx.state, ctx.as_of).items() if k != "area"}, "area": [""]}
        st.page_link(
            navigation.link_target("districts"),
            label=labels.BACK_TO_DISTRICTS,
            icon=":material/arrow_back:",
            query_params=back,
        )
    st.title(title)
    st.caption(
        f"{labels.SUMMARY_PREFIX}：{url_state.summary(ctx.state, ctx.area_names)}"
        f" · **{labels.AS_OF} {formatting.date(ctx.as_of)}**"
    )
    for notice in notices:  # they quote URL values: plain text, never Markdown
        st.warning(formatting.plain(notice), icon=":material/warning:")
    if not st.query_params:
        oversized_link_notice()


# Streamlit drops a query string of more than 1,000 fields or 512 Ki characters before the
# script sees it (only its server log says so): the page would show the default view for a
# link that asked for something else, silently. The browser still has the address, so a
# few lines of script there show the notice. Both limits are Streamlit's own.
_OVERSIZED_JS = """
<div id="oversized-link-notice" hidden role="alert" style="background:#fffae6;color:#5c4400;
  border-radius:0.5rem;padding:0.75rem 1rem;margin:0.25rem 0;">{text}</div>
<script>(function () {{
  var q = window.location.search.replace(/^\\?/, '');
  if (q && (q.split('&').length > 1000 || q.length > 512 * 1024)) {{
    document.getElementById('oversized-link-notice').hidden = false;
  }}
}})();</script>
"""


def oversized_link_notice() -> None:
    import html

    st.html(_OVERSIZED_JS.format(text=html.escape(labels.URL_NOTICE_OVERSIZED)), unsafe_allow_javascript=True)


def kpi(
    column,
    key: str,
    value: str,
    delta: str | None = None,
    *,
    tone: str = "off",
    chart: Sequence[float] | None = None,
    count: str | None = None,
) -> None:
    """A headline figure with its 口径 as help text. ``tone`` colours the delta only where a
    direction is good ("normal") or bad ("inverse"); head counts stay neutral. A rate
    passes its numerator as ``count`` ("625 人") and reads "625 人 · 100.0%": the count in
    small type on a line of its own above the rate, so a narrow card cuts neither off."""
    title, definition = labels.KPI[key]
    column.metric(
        title,
        value if count is None else COUNT_RATE_MARKDOWN.format(count=count, rate=value),
        delta=delta,
        delta_color=tone,
        delta_arrow="off" if tone == "off" else "auto",
        help=definition,
        border=True,
        chart_data=list(chart) if chart is not None else None,
        chart_type="line",
    )


def yoy(now: float, before: float | None, fmt: Callable[[float], str]) -> str | None:
    """ "同比 +12 人"-style delta, or None when there is no prior period in the data."""
    if before is None:
        return None
    return f"{fmt(now - before)}（{labels.YOY}）"


def attention_panel(items: Sequence[Attention], ctx: PageContext, pages: dict) -> None:
    """Each item with a link to the page and filters that show it (pages that exist)."""
    with st.container(border=True):
        st.subheader(f":material/notifications_active: {labels.ATTENTION}", help=labels.ATTENTION_RULES)
        if not items:
            st.success(labels.ATTENTION_NONE)
            return
        for item in items:
            left, right = st.columns([5, 1], vertical_alignment="center")
            marker = labels.SEVERITY_URGENT if item.severity >= 2 else labels.SEVERITY_WATCH
            left.markdown(f"{marker} {item.text}")
            page = pages.get(item.page) or pages.get("overview")
            params = {**url_state.to_params(ctx.state, ctx.as_of), **item.params}
            right.page_link(page, label=labels.ATTENTION_LINK, icon=":material/arrow_forward:", query_params=params)


def stop_on_error(exc: DataAccessError) -> None:
    st.error(data.error_message(exc), icon=":material/error:")
    st.stop()


def table(
    df: pd.DataFrame,
    *,
    key: str,
    stem: str,
    percent: Sequence[str] = (),
    dates: Sequence[str] = (),
    height: int | str = "auto",
    on_select: bool = False,
):
    """A table with Chinese headers and its CSV download of exactly the same rows.

    Rates are shown (and exported) as "84.9%" text, dates as ISO text, counts and amounts as
    numbers with thousands separators on screen. Returns the selection event when
    ``on_select`` is set.
    """
    shown = df.copy()
    for col in percent:
        shown[col] = shown[col].map(formatting.percent)
    for col in dates:
        shown[col] = shown[col].map(lambda d: "" if d is None or d != d else str(d)[:10])
    headers = {c: labels.COLUMNS.get(c, c) for c in shown.columns}
    config = {
        headers[c]: st.column_config.NumberColumn(format="localized")
        for c in shown.columns
        if pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c])
    }
    event = st.dataframe(
        shown.rename(columns=headers),
        hide_index=True,
        width="stretch",
        height=height,
        column_config=config,
        key=key,
        on_select="rerun" if on_select else "ignore",
        selection_mode="single-row",
    )
    export.download_button(shown, stem, f"dl_{key}", headers)
    return event
