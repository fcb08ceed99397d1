"""Page furniture shared by every page: header, KPI cards, attention panel, tables."""

from __future__ import annotations

import hashlib
import html
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import data, drill, export, formatting, labels, metrics, navigation, url_state
from dashboard.attention import Attention
from dashboard.context import PageContext, get_context
from dashboard.single_flight import KeyLocks
from data_access.errors import DataAccessError
from data_access.privacy import HIDDEN, SMALL_CELL, is_person_level

# labels.COUNT_RATE ("{count} · {rate}") as the card shows it: Markdown, the count small on
# its own line above the rate (the separator would dangle at the line's end, so it goes).
COUNT_RATE_MARKDOWN = labels.COUNT_RATE.replace("{count} · ", ":small[{count}]  \n")


def page_header(title: str, ctx: PageContext, notices: Sequence[str] = ()) -> None:
    """Title, the active filters and 数据截至 — the same on every page — and a warning for
    each URL value dropped (``ctx.notices``) and each of the page's own ``notices`` (its
    drill level's). A page opened from the district comparison offers the way back (the
    comparison's filters, all areas)."""
    if st.query_params.get("from") == "districts":
        # An explicit empty ``area`` clears the area the comparison added (an absent
        # parameter would mean "keep this session's filters").
        back = {**{k: v for k, v in url_state.to_params(ctx.selection, ctx.as_of).items() if k != "area"}, "area": [""]}
        st.page_link(
            navigation.link_target("districts"),
            label=labels.BACK_TO_DISTRICTS,
            icon=":material/arrow_back:",
            query_params=back,
        )
    st.title(title)
    drill.reset_where()
    slot = st.empty()

    def caption(where: str | None = None) -> None:
        slot.caption(
            f"{labels.SUMMARY_PREFIX}：{url_state.summary(ctx.selection, ctx.area_names, where)}"
            f" · **{labels.AS_OF} {formatting.date(ctx.as_of)}**"
        )

    caption()
    drill.on_level_shown(caption)
    for notice in (*ctx.notices, *notices):  # they quote URL values: plain text, never Markdown
        st.warning(formatting.plain(notice), icon=":material/warning:")
    if arrived_without_params():
        oversized_link_notice()


# Streamlit drops a query string of more than 1,000 fields or 512 Ki characters before the
# script sees it (only its server log says so): the page would show the default view for a
# link that asked for something else, silently. The browser still has the address it
# navigated to (its navigation entry: the sidebar rewrites the address bar with the year
# once the page runs), so a few lines of script there show the notice. Both limits are
# Streamlit's own.
_OVERSIZED_JS = """
<div id="oversized-link-notice" hidden role="alert" style="background:#fffae6;color:#5c4400;
  border-radius:0.5rem;padding:0.75rem 1rem;margin:0.25rem 0;">{text}</div>
<script>(function () {{
  var nav = performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
  var href = (nav ? nav.name : window.location.href).split('#')[0];
  var q = href.indexOf('?') >= 0 ? href.slice(href.indexOf('?') + 1) : '';
  if (q && (q.split('&').length > 1000 || q.length > 512 * 1024)) {{
    document.getElementById('oversized-link-notice').hidden = false;
  }}
}})();</script>
"""


_ARRIVED_BARE = "_arrived_without_params"


def arrived_without_params() -> bool:
    """Whether this session's first run had no URL parameters at all — also what a link
    too long for Streamlit looks like (it drops the whole query string). Remembered before
    the sidebar writes the filters (and the year) back into the address."""
    return st.session_state.setdefault(_ARRIVED_BARE, not st.query_params)


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
    """A headline figure (``key`` in the metric catalogue) with its 口径 as help text.
    ``tone`` colours the delta only where a direction is good ("normal") or bad
    ("inverse"); head counts stay neutral. A rate passes its numerator as ``count``
    ("625 人") and reads "625 人 · 100.0%": the count in small type
    on a line of its own above the rate, so a narrow card cuts neither off."""
    m = metrics.get(key)
    title, definition = m.name, m.help
    export.note_figure(key, title, value, definition, None if count is None else counted(key, count), delta)
    column.metric(
        title,
        value if count is None else COUNT_RATE_MARKDOWN.format(count=counted(key, count), rate=value),
        delta=delta,
        delta_color=tone,
        delta_arrow="off" if tone == "off" else "auto",
        help=definition,
        border=True,
        chart_data=list(chart) if chart is not None else None,
        chart_type="line",
    )


def counted(key: str, count: str) -> str:
    """The count above a rate, saying what it counts ("已联系 625 人"; labels.COUNT_WHAT)."""
    what = labels.COUNT_WHAT.get(key)
    return count if what is None else labels.COUNTED.format(what=what, count=count)


def number_or_none(value) -> float | None:
    """A figure as a float, or None where it is hidden ("<5", "（已隐藏）") or missing."""
    if value is None or isinstance(value, str):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if x != x else x


def yoy_of(now, before, fmt: Callable[[float], str]) -> str | None:
    """``yoy`` for figures that may be hidden or missing in either year (then no 同比)."""
    a, b = number_or_none(now), number_or_none(before)
    return None if a is None or b is None else yoy(a, b, fmt)


def mom_of(now, before, fmt: Callable[[float], str]) -> str | None:
    """ "+0.3 个百分点（环比）": against the span of the same length just before."""
    a, b = number_or_none(now), number_or_none(before)
    return None if a is None or b is None else f"{fmt(a - b)}（{labels.MOM}）"


def joined(*parts: str | None) -> str | None:
    """A card's reading of several parts ("▼ 还差 3 人 · +0.2 个百分点（同比）")."""
    shown = [p for p in parts if p]
    return " · ".join(shown) if shown else None


def org_life_kpi(column, life, gaps: int, prev=None, chart: Sequence[float] | None = None) -> None:
    """组织生活完成率 with the branch-months complete and the branches with gaps (the same
    card on the overview and the 党支部 page); with ``prev`` (a year earlier), its 同比."""
    kpi(
        column,
        "activity",
        formatting.percent(life["completion"]),
        joined(
            labels.BRANCH_GAPS_DELTA.format(n=f"{gaps:,}"),
            yoy_of(life["completion"], prev["completion"], formatting.points) if prev is not None else None,
        ),
        count=labels.BRANCH_MONTHS.format(n=f"{int(life['months_complete']):,}"),
        chart=chart,
    )


def secretary_share_kpi(column, summary, prev=None, chart: Sequence[float] | None = None) -> None:
    """离退休干部担任书记比例 over the branches (``data_access.branches.fetch_branch_summary``'s
    row; the same card on the overview and the 党支部 page); with ``prev``, its 同比; ``chart``
    its small monthly line (the overview's)."""
    kpi(
        column,
        "secretary_share",
        formatting.percent(summary["retiree_secretary_share"]),
        joined(
            labels.OF_BRANCHES.format(n=f"{int(summary['branches']):,}"),
            yoy_of(summary["retiree_secretary_share"], prev["retiree_secretary_share"], formatting.points)
            if prev is not None
            else None,
        ),
        count=labels.UNIT_BRANCHES.format(n=formatting.count(summary["retiree_secretaries"])),
        chart=chart,
    )


def yoy(now: float, before: float | None, fmt: Callable[[float], str]) -> str | None:
    """ "同比 +12 人"-style delta, or None when there is no prior period in the data."""
    if before is None:
        return None
    return f"{fmt(now - before)}（{labels.YOY}）"


def attention_panel(items: Sequence[Attention], ctx: PageContext, pages: dict) -> None:
    """Each item with a link to the page and filters that show it (pages that exist)."""
    with st.container(border=True, key="attention"):
        st.subheader(f":material/notifications_active: {labels.ATTENTION}", help=labels.ATTENTION_RULES)
        if not items:
            st.success(labels.ATTENTION_NONE)
            return
        for item in items:
            left, right = st.columns([5, 1], vertical_alignment="center")
            marker = labels.SEVERITY_URGENT if item.severity >= 2 else labels.SEVERITY_WATCH
            left.markdown(f"{marker} {item.text}")
            page = pages.get(item.page) or pages.get("overview")
            params = {**url_state.to_params(ctx.selection, ctx.as_of), **item.params}
            right.page_link(page, label=labels.ATTENTION_LINK, icon=":material/arrow_forward:", query_params=params)


def lists_withheld(ctx: PageContext) -> bool:
    """True, after saying so on the page, where this viewer may not see lists of people (an
    account with ``person_lists = false``, the meeting screen): the list's section — its
    caption's counts too — is left out, since those counts may be small cells."""
    if ctx.sees_people:
        return False
    st.info(labels.PERSON_LISTS_OFF, icon=":material/lock:")
    return True


def small_cells_note(ctx: PageContext) -> None:
    """The note under a table or chart whose small cells the data layer hides for this viewer."""
    if ctx.scope.hide_small_cells:
        st.caption(labels.SMALL_CELL_NOTE)


def stop_on_error(exc: DataAccessError) -> None:
    st.error(data.error_message(exc), icon=":material/error:")
    st.stop()


# "12,345", "84.9%", "<5", "（已隐藏）", "—", "+1.2 个百分点"
NUMERIC_TEXT = rf"^(—|{re.escape(SMALL_CELL)}|{re.escape(HIDDEN)}|[-+]?[\d,]+(\.\d+)?(%| .*)?)$"
WIDE_TABLE = 8  # columns; beyond this the first column is pinned and a hint says the table scrolls


def _points_format(col: pd.Series) -> str:
    """Percentage points with one decimal, or two for the whole column where a value was
    written with two on purpose (status.pace_gap: 4.96 points just short of 偏慢 must not
    read "5.0" beside "● 正常")."""
    values = col.dropna()
    two = ((values - values.round(2)).abs() < 1e-9) & ((values - values.round(1)).abs() > 1e-9)
    return "%+.2f" if two.any() else "%+.1f"


def column_config(shown: pd.DataFrame, headers: dict[str, str]) -> dict:
    """Counts with thousands separators, amounts in whole 元, and every numeric-looking column
    (percentages, "<5", "—") right-aligned so digits line up; the first column pinned when
    the table is wide."""
    config: dict = {}
    for c in shown.columns:
        col = shown[c]
        if pd.api.types.is_bool_dtype(col):
            continue
        if pd.api.types.is_numeric_dtype(col):
            fmt = _points_format(col) if formatting.is_points_header(headers[c]) else "localized"
            config[headers[c]] = st.column_config.NumberColumn(format=fmt, alignment="right")
        elif _all_numeric_text(col):
            config[headers[c]] = st.column_config.TextColumn(alignment="right")
    if len(shown.columns) > WIDE_TABLE:
        first = headers[shown.columns[0]]
        config.setdefault(first, st.column_config.Column())["pinned"] = True
    return config


_NUMERIC_TEXT = re.compile(NUMERIC_TEXT)


def _all_numeric_text(col: pd.Series) -> bool:
    """Whether every filled cell reads as a figure; stops at the first that does not (a
    column of names is decided by its first cell, not by matching thousands of them)."""
    values = col.dropna()
    return len(values) > 0 and all(_NUMERIC_TEXT.match(str(v)) for v in values)


def area_cards(key: str, cards: Sequence[tuple[str, str, str, bool]]) -> None:
    """The phone's form of a per-area table: one card per area — its name, its key rate and
    a note ("▼ ..." when it falls short; ``bad`` colours it). Drawn always; the theme's CSS
    shows the cards below 640 px and hides them on the desk (see ``phone_table``)."""
    rows = "".join(
        '<div class="area-card"><div class="area-card-name">{n}</div><div class="area-card-rate">{r}</div>'
        '<div class="area-card-note{b}">{t}</div></div>'.format(
            n=html.escape(name), r=html.escape(rate), t=html.escape(note), b=" bad" if bad else ""
        )
        for name, rate, note, bad in cards
    )
    with st.container(key=f"phone_cards_{key}"):
        st.markdown(f'<div class="area-cards">{rows}</div>', unsafe_allow_html=True)


def phone_table(key: str):
    """A container whose table is hidden below 640 px (where ``area_cards`` stand in for it);
    its caption and download button stay."""
    return st.container(key=f"phone_table_{key}")


TABLE_HINT_CLASS = "table-scroll-hint"  # theme.py shows it only over a table that overflows


def wide_table_hint(columns: int) -> None:
    """The hint "共 N 列：表格可左右滑动…" over a table of more than ``WIDE_TABLE`` columns, marked so
    that the page shows it only while the table is wider than its frame (theme.py: a 9-column
    table that fits 1600 px has none) and, below 640 px inside a ``phone_table`` (whose table
    the area cards replace), it goes with its table. Call it just before the table."""
    if columns > WIDE_TABLE:
        text = html.escape(labels.TABLE_SCROLL_HINT.format(n=columns))
        st.caption(f'<span class="{TABLE_HINT_CLASS}">{text}</span>', unsafe_allow_html=True)


def table(
    df: pd.DataFrame,
    *,
    key: str,
    stem: str,
    percent: Sequence[str] = (),
    dates: Sequence[str] = (),
    height: int | str = "auto",
    on_select: bool = False,
    screen_rows: int | None = None,
):
    """A table with Chinese headers and its CSV download of exactly the same rows.

    Rates are shown (and exported) as "84.9%" text, dates as ISO text, counts with thousands
    separators, amounts (a "（元）" header) as whole 元 on screen and to the fen in the file,
    numbers right-aligned; hidden cells read "<5" (a count) or "（已隐藏）". Returns the
    selection event when ``on_select`` is set. A list of people is not shown to a viewer
    without access to lists (an account with ``person_lists = false``). ``screen_rows``: a
    list that grows with the ledger (26,255 people overdue at K=20) shows its first rows on
    screen and says so; the files hold every row.
    """
    if is_person_level(df) and not get_context().sees_people:
        st.info(labels.PERSON_LISTS_OFF, icon=":material/lock:")
        return None
    prepared = _prepared(df, tuple(percent), tuple(dates), screen_rows)
    if prepared.first_rows:
        st.caption(prepared.first_rows)
    wide_table_hint(prepared.columns)
    event = st.dataframe(
        prepared.shown,
        hide_index=True,
        width="stretch",
        height=height,
        column_config={name: dict(setting) for name, setting in prepared.config},  # Streamlit's to change
        key=key,
        on_select="rerun" if on_select else "ignore",
        selection_mode="single-row",
    )
    export.download_button(prepared.exported.copy(deep=False), stem, f"dl_{key}", dict(prepared.headers))
    return event


@dataclass(frozen=True)
class Prepared:
    """A table as :func:`table` draws it: the screen's rows (as Arrow, Chinese headers), their
    column settings, the file's rows, and the caption saying the screen shows the first rows."""

    shown: object  # pyarrow.Table
    config: tuple[tuple[str, object], ...]
    exported: pd.DataFrame
    headers: tuple[tuple[str, str], ...]
    columns: int
    first_rows: str | None


def _prepare(df: pd.DataFrame, percent: Sequence[str], dates: Sequence[str], screen_rows: int | None) -> Prepared:
    from streamlit import dataframe_util

    shown = df.copy()
    for col in percent:
        shown[col] = shown[col].map(formatting.percent)  # a hidden cell stays as it is
    for col in dates:
        shown[col] = shown[col].map(lambda d: "" if d is None or d != d else str(d)[:10])
    headers = {c: labels.COLUMNS.get(c, c) for c in shown.columns}
    for c in shown.columns:  # an object column of numbers only (no cell hidden) is numeric
        if _may_hold_numbers(shown[c]) and len(shown) and shown[c].map(_is_number).all():
            shown[c] = pd.to_numeric(shown[c])
    # The file keeps exact amounts (to the fen); the screen shows whole 元.
    exported = shown.copy()
    first_rows = None
    if screen_rows is not None and len(shown) > screen_rows:
        first_rows = labels.TABLE_FIRST_ROWS.format(n=f"{screen_rows:,}", total=f"{len(shown):,}")
        shown = shown.head(screen_rows)
    for c in shown.columns:
        if formatting.is_amount_header(headers[c]) and pd.api.types.is_numeric_dtype(shown[c]):
            shown[c] = formatting.whole_yuan(shown[c])
    # A column of numbers with some cells hidden ("<5", "（已隐藏）") is text on screen, the
    # numbers with thousands separators; the file keeps the numbers as numbers.
    for c in shown.columns:
        if _may_hold_numbers(shown[c]) and shown[c].map(_is_number).any():
            amount = formatting.is_amount_header(headers[c])
            pts = formatting.is_points_header(headers[c])
            shown[c] = shown[c].map(lambda v, a=amount, p=pts: _number_text(v, a, p))
    config = column_config(shown, headers)
    arrow = dataframe_util.convert_pandas_df_to_arrow_table(shown.rename(columns=headers).reset_index(drop=True))
    return Prepared(arrow, tuple(config.items()), exported, tuple(headers.items()), len(shown.columns), first_rows)


class _PreparedTables:
    """Prepared tables by the content of the frame they came from: a warm page draws the same
    frames run after run, and preparing them (number texts, column settings, Arrow: about 6 ms
    for a 15-row table, more than the page's other work on several pages) was redone each run.
    A frame of up to :data:`CONTENT_CELLS` cells is known by a digest of its cells (values,
    types and column dtypes: :func:`content_mark`); a longer one, such as a list of people, by
    where its data lies (:func:`fingerprint`) — each entry keeps its source frame alive, so
    that memory cannot hold other data while the entry exists. A bounded LRU."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, tuple[pd.DataFrame, Prepared]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing = KeyLocks()
        self.hits = 0

    def get(self, df: pd.DataFrame, args: tuple, compute: Callable[[], Prepared]) -> Prepared:
        mark = content_mark(df) if df.size <= CONTENT_CELLS else fingerprint(df)
        if mark is None:
            return compute()
        key = (mark, args)
        found = self._found(key)
        if found is not None:
            return found
        with self._computing.computing(key):  # sessions asking for it at once: one prepares it
            found = self._found(key)
            if found is not None:
                return found
            prepared = compute()
            with self._lock:
                self._entries[key] = (df, prepared)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return prepared

    def _found(self, key: tuple) -> Prepared | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


PREPARED = _PreparedTables(256)
CONTENT_CELLS = 2_000  # up to this many cells a frame is known by its content (≈ 0.1 ms per 200 cells)


def content_mark(df: pd.DataFrame) -> tuple:
    """A digest of what the frame holds: its labels, each column's dtype and every cell as its
    type and exact ``repr`` (so 1, 1.0, True and "1" are different cells, and floats are told
    to the last digit). Equal only for frames that read the same, whatever memory they use."""
    digest = hashlib.blake2b(digest_size=32)
    digest.update(repr((list(df.columns), df.shape)).encode())
    for _, col in df.items():
        digest.update(repr((str(col.dtype), [(type(v).__name__, v) for v in col.tolist()])).encode())
    return ("content", digest.digest())


def _prepared(df: pd.DataFrame, percent: tuple, dates: tuple, screen_rows: int | None) -> Prepared:
    return PREPARED.get(df, (percent, dates, screen_rows), lambda: _prepare(df, percent, dates, screen_rows))


def fingerprint(df: pd.DataFrame) -> tuple | None:
    """What a frame's rows are, told by where its data lies rather than by reading it: the
    columns, the shape, and for each block its columns and its arrays' memory (address,
    shape, strides, type). A shallow (copy-on-write) copy of a cached frame — what the
    result cache hands out — shares that memory, so it has the same fingerprint; any frame
    built or changed in the run has new memory. Pandas' copy-on-write never writes into
    shared memory, so while the memory is held (the entry keeps its frame) the same address
    holds the same values. None (no memo) for a frame whose arrays this does not know."""
    try:
        parts: list = [tuple(df.columns), df.shape]
        for block in df._mgr.blocks:
            parts.append(tuple(block.mgr_locs.as_array.tolist()))
            parts.append(_array_mark(block.values))
        return tuple(parts)
    except (AttributeError, TypeError):
        return None


# (not Categorical: its codes' memory says nothing of its categories)
_PLAIN_ARRAYS = frozenset({"NumpyExtensionArray", "StringArray", "DatetimeArray", "TimedeltaArray"})


def _array_mark(a) -> tuple:
    if isinstance(a, np.ndarray):
        return ("np", a.__array_interface__["data"][0], a.shape, a.strides, a.dtype.str)
    chunked = getattr(a, "_pa_array", None)  # Arrow-backed (pandas' default str dtype)
    if chunked is not None:
        chunks = tuple(
            (c.offset, len(c), tuple(0 if b is None else b.address for b in c.buffers())) for c in chunked.chunks
        )
        return ("pa", str(a.dtype), str(chunked.type), len(chunked), chunks)
    ndarray = getattr(a, "_ndarray", None)  # numpy-backed extension arrays whose values are that memory
    if isinstance(ndarray, np.ndarray) and type(a).__name__ in _PLAIN_ARRAYS:
        return ("nd", type(a).__name__, str(a.dtype), _array_mark(ndarray))
    data, mask = getattr(a, "_data", None), getattr(a, "_mask", None)  # nullable numbers
    if isinstance(data, np.ndarray) and isinstance(mask, np.ndarray):
        return ("masked", str(a.dtype), _array_mark(data), _array_mark(mask))
    raise TypeError(f"unknown array {type(a).__name__}")


def _may_hold_numbers(col: pd.Series) -> bool:
    """An object column that may hold numbers: not one of text only (names, dates as text),
    told at C speed before a cell-by-cell look (a long list of people has eight such columns)."""
    return col.dtype == object and pd.api.types.infer_dtype(col, skipna=True) not in ("string", "empty")


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)) and v == v


def _whole(v: float) -> int:
    return int(formatting.whole_yuan(pd.Series([v])).iloc[0])


def _number_text(v, amount: bool, points: bool = False):
    """A number in a text column as the screen shows numbers: 59,500 / 2,204 (元) / 12.5 /
    +1.2 (percentage points)."""
    if not _is_number(v):
        return v
    if points:
        two = abs(v - round(v, 2)) < 1e-9 and abs(v - round(v, 1)) > 1e-9  # (see _points_format)
        return f"{0.0 if round(v, 2 if two else 1) == 0 else v:+.{2 if two else 1}f}".replace("+0.0", "0.0")
    if amount or float(v).is_integer():
        return f"{_whole(v) if amount else int(v):,}"
    return f"{v:,.2f}"
