"""The one download used everywhere: what the viewer sees, as CSV and as an Excel workbook.

CSV bytes are encoded here as UTF-8 with BOM; headers are Chinese; cells that Excel would
run as formulas get a leading apostrophe; long digit strings stay text; the file name
carries the topic, the filters and the as-of date. The .xlsx beside it holds the same rows
(same masking, same small cells, same audit, same file name) as a finished table
(:mod:`dashboard.workbook`); ``page_workbook_button`` puts a whole page in one workbook.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import formatting, labels, url_state, workbook
from data_access.privacy import is_person_level

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
LONG_DIGITS = re.compile(r"^\d{6,}$|^0\d+$")


def _safe_cell(value):
    if isinstance(value, str):
        if value.startswith(DANGEROUS_START):
            return "'" + value
        if LONG_DIGITS.match(value):
            # Excel would turn it into a number (and lose leading zeros or digits): keep text.
            return f'="{value}"'
    return value


def _plain_number(value):
    """A number in a column that also holds text ("<5", "（已隐藏）"): written as a plain
    number without binary noise (2 not 2.0, 0.3 not 0.30000000000000004)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return value
    if value != value:
        return value
    if float(value).is_integer():
        return int(value)
    return round(float(value), 6)


def csv_bytes(df: pd.DataFrame, headers: Mapping[str, str] | None = None) -> bytes:
    """The rows of ``df`` (already formatted for display) as UTF-8-with-BOM CSV bytes.

    A figure column holds plain numbers (its unit is in the header: "（元）", "（元/人）",
    "（百分点）"), so Excel can add and sort it; only text cells that Excel would run as a
    formula get the leading apostrophe."""
    out = df.copy()
    if headers:
        out = out.rename(columns=dict(headers))
    amounts = [c for c in out.columns if formatting.is_amount_header(c) and not pd.api.types.is_bool_dtype(out[c])]
    for col in out.columns:
        values = out[col]
        if col in amounts:
            out[col] = values.map(formatting.exact_yuan)  # 313000 or 55000.5: cents kept, no 313000.0
            continue
        if values.dtype == object:
            out[col] = pd.Series([_plain_number(v) for v in values], index=values.index, dtype=object)
            continue
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_float_dtype(values):
            continue
        if values.dropna().eq(values.dropna().round(0)).all():
            out[col] = values.round(0).astype("Int64")  # counts held as floats
        else:
            out[col] = values.round(6)  # no binary noise such as 0.30000000000000004
    for col in out.columns:
        if col not in amounts and (out[col].dtype == object or pd.api.types.is_string_dtype(out[col])):
            # (amounts are numbers written by exact_yuan; object kept: 0 stays 0, not 0.0)
            out[col] = pd.Series([_safe_cell(v) for v in out[col]], index=out.index, dtype=object)
    out.columns = [_safe_cell(str(c)) for c in out.columns]
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


class ExportRefused(RuntimeError):
    """A person-level file that could not be recorded in the audit log is not handed out."""


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def audited(
    file_name: str, rows: int, person_level: bool, log: Callable[[str, int], bool], render: Callable[[], bytes]
) -> Callable[[], bytes]:
    """The bytes of a file, built on click. The export is recorded first (its file name says
    the format): a person-level file whose record failed is refused (the audit fails
    closed); an aggregate one is still given, its failure in the server log."""

    def build() -> bytes:
        if not log(file_name, rows) and person_level:
            raise ExportRefused(labels.EXPORT_NO_AUDIT)
        return render()

    return build


def builder(
    df: pd.DataFrame,
    file_name: str,
    headers: Mapping[str, str] | None,
    person_level: bool,
    log: Callable[[str, int], bool],
    render: Callable[[], bytes] | None = None,
) -> Callable[[], bytes]:
    """The audited file of these rows: the CSV unless ``render`` builds another format."""
    return audited(file_name, len(df), person_level, log, render or (lambda: csv_bytes(df, headers)))


def origin() -> workbook.Stamp:
    """What this run's files show — page, filters, drill path, 数据截至 — and the account
    taking them; the time is set when a file is built."""
    from dashboard import audit_log, context, drill

    page = labels.PAGE_TITLES.get(audit_log.current_page() or "", "")
    ctx = context.current()
    if ctx is None:
        return workbook.Stamp(page=page)
    where = drill.where()
    return workbook.Stamp(
        page=page,
        filters=url_state.summary(ctx.selection, ctx.area_names),
        as_of=ctx.as_of,
        account=str(getattr(ctx.user, "user_id", None) or "-"),
        drill=where.replace("-", " › ") if where else None,
        demo=ctx.is_demo,
    )


def taken_now(stamp: workbook.Stamp) -> workbook.Stamp:
    return replace(stamp, taken_at=dt.datetime.now().replace(microsecond=0))


_AS_OF_TAIL = re.compile(r"_截至\d{4}-\d{2}-\d{2}$")


def stem_title(stem: str) -> str:
    """A table's title from its file stem: "联系覆盖_逾期未联系名单_城关区_2020年_截至…" ->
    "联系覆盖 · 逾期未联系名单" (the filters and dates that ``url_state.file_stem`` added are
    in the title block)."""
    from dashboard import context, drill

    ctx = context.current()
    tails = []
    if ctx is not None:
        tails = [url_state.file_stem("", ctx.selection, ctx.area_names, ctx.as_of, w) for w in (drill.where(), None)]
    for tail in tails:
        if stem.endswith(tail) and len(stem) > len(tail):
            return stem[: -len(tail)].replace("_", " · ")
    return _AS_OF_TAIL.sub("", stem).replace("_", " · ")


def _refused(file_names: Sequence[tuple[str, str, str, str]]) -> None:
    """The buttons of a person-level table while the audit store does not answer: disabled,
    with the reason."""
    for label, file_name, mime, key in file_names:
        st.download_button(
            label,
            data=b"",
            file_name=file_name,
            mime=mime,
            key=key,
            disabled=True,
            help=labels.EXPORT_NO_AUDIT,
            icon=":material/block:",
        )
    st.caption(labels.EXPORT_NO_AUDIT)


def download_button(
    df: pd.DataFrame,
    stem: str,
    key: str,
    headers: Mapping[str, str] | None = None,
    *,
    title: str | None = None,
    kinds: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
) -> None:
    """CSV and Excel buttons for exactly these rows; the bytes are built only when clicked,
    and each export writes one audit row (who, page, filters, file name — so the format —
    rows). Rows of people (:func:`data_access.privacy.is_person_level`) are offered only
    while the audit store answers; otherwise the buttons are disabled and say why. The
    workbook's column kinds and 口径 (``kinds``, ``notes``: column -> kind / text) are
    inferred where not given (:mod:`dashboard.workbook`)."""
    from dashboard import audit_log

    csv_name, xlsx_name = f"{stem}.csv", f"{stem}.xlsx"
    person_level = is_person_level(df)
    with st.container(horizontal=True, gap="small"):
        if person_level and not audit_log.available():
            _refused(
                [
                    (labels.DOWNLOAD_CSV, csv_name, "text/csv", key),
                    (labels.DOWNLOAD_XLSX, xlsx_name, XLSX_MIME, f"{key}_xlsx"),
                ]
            )
            return
        log = audit_log.export_recorder()
        st.download_button(
            labels.DOWNLOAD_CSV,
            data=builder(df, csv_name, headers, person_level, log),
            file_name=csv_name,
            mime="text/csv",
            key=key,
            on_click="ignore",
            icon=":material/download:",
        )
        table = workbook.Table(title or stem_title(stem), df, dict(headers or {}), dict(kinds or {}), dict(notes or {}))
        note_table(key, table)
        stamp = origin()
        fits = workbook.fits(df)
        st.download_button(
            labels.DOWNLOAD_XLSX,
            data=builder(
                df, xlsx_name, headers, person_level, log, lambda: workbook.table_bytes(table, taken_now(stamp))
            )
            if fits
            else b"",
            file_name=xlsx_name,
            mime=XLSX_MIME,
            key=f"{key}_xlsx",
            on_click="ignore",
            disabled=not fits,
            help=labels.DOWNLOAD_XLSX_HELP if fits else labels.XLSX_TOO_LARGE,
            icon=":material/table_view:",
        )


def page_workbook_button(
    title: str,
    figures: Sequence[workbook.Figure | Mapping],
    tables: Sequence[workbook.Table],
    key: str = "dl_page",
    stem: str | None = None,
) -> None:
    """ "导出本页": one workbook with a cover sheet (the page's figures: value, count,
    judgement, 口径) and one sheet per table, built on click and audited as one export
    (rows = all tables' rows); refused like a table's file when a table lists people and the
    audit store does not answer. ``stem`` defaults to ``url_state.file_stem(title + "_整页", …)``."""
    from dashboard import audit_log, context, drill

    ctx = context.current()
    if stem is None:
        whole = f"{title}_{labels.EXPORT_PAGE_STEM}"  # never the name of one of the page's tables
        stem = url_state.file_stem(whole, ctx.selection, ctx.area_names, ctx.as_of, drill.where()) if ctx else whole
    file_name = f"{stem}.xlsx"
    person_level = any(is_person_level(t.df) for t in tables)
    if person_level and not audit_log.available():
        _refused([(labels.EXPORT_PAGE, file_name, XLSX_MIME, key)])
        return
    stamp = replace(origin(), page=title)
    figures, tables = list(figures), list(tables)
    fits = all(workbook.fits(t.df) for t in tables)
    build = audited(
        file_name,
        sum(len(t.df) for t in tables),
        person_level,
        audit_log.export_recorder(),
        lambda: workbook.page_bytes(taken_now(stamp), figures, tables),
    )
    st.download_button(
        labels.EXPORT_PAGE,
        data=build if fits else b"",
        file_name=file_name,
        mime=XLSX_MIME,
        key=key,
        on_click="ignore",
        disabled=not fits,
        help=labels.EXPORT_PAGE_HELP if fits else labels.XLSX_TOO_LARGE,
        icon=":material/description:",
    )


# ---------------------------------------------------------------------------- 导出本页
# Each run of a page collects what it shows: every KPI card (components.kpi) and every table
# offered for download (download_button). After the page has run, the entry script puts one
# "导出本页" button in the sidebar for exactly those figures and tables; the workbook is built
# only when clicked. Keyed by widget key, so a fragment's rerun replaces rather than adds.

_PAGE = "_export_page"
_SHOWN_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?$|^-?\d+(\.\d+)?$")


@dataclass
class _Collected:
    figures: dict[str, workbook.Figure] = field(default_factory=dict)
    tables: dict[str, workbook.Table] = field(default_factory=dict)


def start_page() -> None:
    """Begin collecting this run's figures and tables (the entry script, before the page)."""
    st.session_state[_PAGE] = _Collected()


def _collected() -> _Collected | None:
    try:
        return st.session_state.get(_PAGE)
    except Exception:  # outside a Streamlit run (a unit test of a component)
        return None


def shown_value(text) -> tuple[object, str]:
    """A card's shown text as the cover cell: "99.4%" -> (0.994, rate), "1,234" -> (1234,
    count), "89.8" -> (89.8, number); anything else ("12.3 万元", "<5", "—") stays as shown."""
    if not isinstance(text, str):
        return text, "number"
    t = text.strip()
    if t.endswith("%") and _SHOWN_NUMBER.match(t[:-1].strip()):
        return round(float(t[:-1].replace(",", "")) / 100, 6), "rate"
    if _SHOWN_NUMBER.match(t):
        number = float(t.replace(",", ""))
        return (int(number), "count") if number.is_integer() and "." not in t else (number, "number")
    return t, "text"


def note_figure(key: str, label: str, shown, definition: str, count=None, judgement=None) -> None:
    """Record a headline figure as the card shows it, for the page's workbook cover."""
    page = _collected()
    if page is None:
        return
    value, kind = shown_value(shown)
    page.figures[key] = workbook.Figure(label, value, kind, count, judgement, definition)


def note_table(key: str, table: workbook.Table) -> None:
    page = _collected()
    if page is not None:
        page.tables[key] = table


def page_export(title: str) -> None:
    """The "导出本页" button for what this run showed; nothing when the page showed nothing."""
    page = _collected()
    if page is None or not (page.figures or page.tables):
        return
    page_workbook_button(title, list(page.figures.values()), list(page.tables.values()), key="dl_page")
