"""Excel workbooks beside the CSV files: the same rows, read as a finished table.

A sheet opens with a title block (the table, the page, the filters and drill path, 数据截至,
who took it and when, 内部资料, the 口径 of each figure column), then a frozen header and
the rows: numbers stored as numbers with their display formats, "<5" small cells as text
with a note, every other text written as text (never a formula, never a number that loses
its leading zeros). Header, footer and document properties carry the account, the time and
内部资料. Nothing is written that the frame does not hold: no hidden sheets, rows or cells.

Column kinds come from explicit metadata (``Table.kinds``) or are inferred from the header
and the values (:func:`infer_kind`), so every table of the dashboard gets a good workbook.
No SQL here, no streamlit: bytes in, bytes out.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xlsxwriter

from dashboard import labels, metrics
from data_access.privacy import HIDDEN, SMALL_CELL

KINDS = ("count", "rate", "yuan", "points", "number", "date", "text")
MAX_ROWS = 1_048_576  # Excel's rows per sheet
SHEET_NAME_MAX = 31
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
RESERVED_SHEETS = ("history",)  # Excel keeps "History" for itself
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
COMMENT_CAP = 300  # small-cell notes per sheet; the legend above the table says it for all
WIDTH_SAMPLE = 2000  # rows read to size the columns
MIN_WIDTH, MAX_WIDTH = 6, 50

NUMBER_FORMATS = {
    "count": "#,##0",
    "rate": "0.0%",
    "yuan": "#,##0.00",
    "points": '+0.0" 个百分点";-0.0" 个百分点";0.0" 个百分点"',
    "number": "#,##0.0##",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}

_NUM = r"[+-]?\d{1,3}(?:,\d{3})*(?:\.\d+)?|[+-]?\d+(?:\.\d+)?"
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})*(?:\.\d+)?$")  # "12", "1,234", "2,204.50" (not "620102")
_PERCENT = re.compile(rf"^({_NUM})%$")
_POINTS = re.compile(rf"^({_NUM}) 个百分点$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")
_RATE_WORDS = ("率", "比例", "占比", "进度")
_AMOUNT_UNITS = ("（元）", "（元/人）")
_POINTS_UNIT = "（百分点）"
_BLANKS = ("", "—")


@dataclass(frozen=True)
class Stamp:
    """What a file shows and who took it when: the title block, header/footer and properties."""

    page: str = ""
    filters: str = ""
    as_of: dt.date | None = None
    account: str = "-"
    taken_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    drill: str | None = None
    demo: bool = False


@dataclass(frozen=True)
class Table:
    """One table as exported: the frame the CSV gets (already masked and suppressed), its
    Chinese headers, and per column its kind (:data:`KINDS`) and 口径 — both optional."""

    title: str
    df: pd.DataFrame
    headers: Mapping[str, str] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    """A headline figure for the cover sheet: its value (a number, or the text shown), the
    count behind it ("625 人" or 625), the judgement shown with it, and its 口径."""

    label: str
    value: object
    kind: str = "count"
    count: object = None
    judgement: str | None = None
    note: str | None = None


def figure(key: str, value, kind: str = "count", count=None, judgement: str | None = None) -> Figure:
    """A cover figure named and defined as its KPI card is (``metrics.get(key)``)."""
    m = metrics.get(key)
    return Figure(m.name, value, kind, count, judgement, m.help)


# ---------------------------------------------------------------------------- kinds and cells


def _special(v) -> bool:
    """Empty, "—" or a small cell: says nothing about the column's kind."""
    return _missing(v) or (isinstance(v, str) and (v.strip() in _BLANKS or v in (SMALL_CELL, HIDDEN)))


def _missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, (float, np.floating)) and math.isnan(v)


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def _is_date(v) -> bool:
    return isinstance(v, (dt.date, pd.Timestamp)) or (isinstance(v, str) and bool(_ISO_DATE.match(v)))


def _all(values: Sequence, test: Callable[[object], bool]) -> bool:
    return bool(values) and all(test(v) for v in values)


def infer_kind(column: str, header: str, values: pd.Series) -> str:
    """The kind of a column from its header and values: an amount header ("（元）") is 元; a
    column of "84.9%" text (or of fractions under a 率/比例/占比/进度 header) is a rate;
    "+1.2 个百分点" (or numbers under a "（百分点）" header) is points; whole numbers are
    counts; ISO dates are dates; else text."""
    if pd.api.types.is_bool_dtype(values):
        return "text"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    sample = [v for v in values.iloc[:WIDTH_SAMPLE].tolist() if not _special(v)]
    amount = str(header).endswith(_AMOUNT_UNITS)
    if amount and not sample:
        return "yuan"  # every amount hidden ("<5"): still said as hidden amounts
    if _all(sample, _is_number):
        if amount:
            return "yuan"
        if str(header).endswith(_POINTS_UNIT):
            return "number"  # percentage points as plain numbers, the unit in the header (as in the CSV)
        if any(w in str(header) for w in _RATE_WORDS) and all(abs(float(v)) <= 1.5 for v in sample):
            return "rate"
        return "count" if all(float(v).is_integer() for v in sample) else "number"
    if _all(sample, lambda v: isinstance(v, str) and bool(_PERCENT.match(v))):
        return "rate"
    if _all(sample, lambda v: isinstance(v, str) and bool(_POINTS.match(v))):
        return "points"
    if amount and _all(sample, lambda v: _is_number(v) or (isinstance(v, str) and bool(_GROUPED.match(v)))):
        return "yuan"
    if _all(sample, _is_date):
        return "date"
    return "text"


def _to_float(text: str) -> float:
    return float(text.replace(",", ""))


def _number(v, kind: str):
    """A figure cell as a number, or None when it is text that is not one."""
    if _is_number(v):
        return int(v) if kind == "count" and float(v).is_integer() else float(v)
    if not isinstance(v, str):
        return None
    if kind == "rate" and (m := _PERCENT.match(v)):
        return round(_to_float(m.group(1)) / 100, 12)
    if kind == "points" and (m := _POINTS.match(v)):
        return _to_float(m.group(1))
    if kind in ("count", "yuan", "number") and _GROUPED.match(v):
        x = _to_float(v)
        return int(x) if kind == "count" and x.is_integer() else x
    return None


def _date(v):
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, str) and _ISO_DATE.match(v):
        v = dt.datetime.fromisoformat(v) if len(v) > 10 else dt.date.fromisoformat(v)
    if isinstance(v, dt.datetime):
        return v, ("datetime" if v.time() != dt.time() else "date")
    if isinstance(v, dt.date):
        return v, "date"
    return None, None


def cell(value, kind: str) -> tuple[str | None, object, str, str | None]:
    """How one value is written: (``"number"`` / ``"date"`` / ``"text"`` / None for blank,
    the value, its style, the note it carries: ``"small"`` or ``"hidden"`` or None)."""
    if _missing(value) or (isinstance(value, str) and value == ""):
        return None, None, kind, None
    if isinstance(value, str) and value in (SMALL_CELL, HIDDEN):  # hidden by the data layer
        if value == HIDDEN or kind == "yuan":  # (an amount is never "<5": it is not a count)
            return "text", HIDDEN, "small", "hidden"
        return "text", SMALL_CELL, "small", "small"
    if _is_number(value) and not math.isfinite(value):
        return "text", "—", "right", None  # Excel has no infinity
    if kind == "date":
        when, style = _date(value)
        if when is not None:
            return "date", when, style, None
    elif kind != "text":
        x = _number(value, kind)
        if x is not None:
            return "number", x, kind, None
    if isinstance(value, (bool, np.bool_)):
        return "text", labels.YES if value else labels.NO, "text", None
    text = str(value)
    if text.startswith(DANGEROUS_START):
        return "text", text, "quoted", None
    return "text", text, ("text" if kind in ("text", "date") else "right"), None  # "—" lines up with the figures


def column_kinds(table: Table) -> dict[str, str]:
    """Each column's kind: given in ``table.kinds``, else inferred."""
    out = {}
    for j, col in enumerate(table.df.columns):
        kind = table.kinds.get(col) or infer_kind(col, _header(table, col), table.df.iloc[:, j])
        if kind not in KINDS:
            raise ValueError(f"unknown column kind {kind!r} for {col!r}")
        out[col] = kind
    return out


def column_notes(table: Table, kinds: Mapping[str, str]) -> dict[str, str]:
    """The 口径 of each figure column: given in ``table.notes``, else the catalogue's metric
    that column shows (``metrics.for_column``)."""
    out = {}
    for col in table.df.columns:
        note = table.notes.get(col)
        m = metrics.for_column(col) if note is None and kinds[col] not in ("text", "date") else None
        if m is not None:
            note = m.help
        if note:
            out[col] = note
    return out


def _header(table: Table, col) -> str:
    return str(table.headers.get(col, col))


# ---------------------------------------------------------------------------- widths and names


def display_width(text: str) -> int:
    """Columns a text takes in Excel: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _shown(value, style: str) -> str:
    """The text Excel shows for a written cell, to size its column."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if style == "rate":
            return f"{value * 100:.1f}%"
        if style == "points":
            return f"{value:+.1f} 个百分点"
        return f"{value:,.2f}" if style in ("yuan", "number") else f"{value:,}"
    if isinstance(value, dt.date):
        return "0000-00-00 00:00" if style == "datetime" else "0000-00-00"
    return str(value)


def sheet_names(titles: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Excel sheet names for ``titles``: forbidden characters replaced, at most 31 characters,
    not blank, no leading or trailing apostrophe, unique regardless of case (and of ``taken``)."""
    used = {t.lower() for t in taken} | set(RESERVED_SHEETS)
    out = []
    for title in titles:
        base = SHEET_FORBIDDEN.sub("-", " ".join(str(title).split())).strip("'").strip()
        base = base[:SHEET_NAME_MAX] or labels.WB_SHEET_FALLBACK
        name, n = base, 1
        while name.lower() in used:
            n += 1
            suffix = f"（{n}）"
            name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        used.add(name.lower())
        out.append(name)
    return out


def fits(df: pd.DataFrame) -> bool:
    """Whether the rows fit one sheet (with the title block and the row count below)."""
    return len(df) + 12 <= MAX_ROWS


# ---------------------------------------------------------------------------- the workbook


class _Styles:
    """The formats of one workbook, by name (a kind, a number style, or a part of the sheet)."""

    def __init__(self, wb: xlsxwriter.Workbook):
        base = {"valign": "top"}
        add = lambda **f: wb.add_format({**base, **f})  # noqa: E731
        self.by_name = {name: add(num_format=fmt, align="right") for name, fmt in NUMBER_FORMATS.items()}
        self.by_name |= {
            "date": add(num_format=NUMBER_FORMATS["date"], align="left"),
            "datetime": add(num_format=NUMBER_FORMATS["datetime"], align="left"),
            "text": add(),
            "wrap": add(text_wrap=True),
            "quoted": add(quote_prefix=True),
            "right": add(align="right"),
            "small": add(align="right", font_color="#595959"),
            "title": add(bold=True, font_size=14, valign="vcenter"),
            "meta": add(text_wrap=True, font_color="#404040"),
            "notice": add(text_wrap=True, bold=True, font_color="#9c0006"),
            "header": add(bold=True, text_wrap=True, bg_color="#dde6f2", border=1, valign="vcenter", align="center"),
            "foot": add(italic=True, font_color="#595959"),
            "link": add(font_color="#1f4e8c", underline=1),
        }

    def __getitem__(self, name: str):
        return self.by_name.get(name) or self.by_name["text"]


def _new_workbook(buf: io.BytesIO, stamp: Stamp, title: str) -> tuple[xlsxwriter.Workbook, _Styles]:
    """A workbook whose strings are never turned into formulas, links or numbers, with the
    properties saying what it is and who took it (the account only: no person of the ledger)."""
    wb = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,
        },
    )
    taken = stamp.taken_at.strftime("%Y-%m-%d %H:%M")
    as_of = stamp.as_of.isoformat() if stamp.as_of else ""
    wb.set_properties(
        {
            "title": title,
            "subject": " · ".join(p for p in (stamp.page, stamp.filters) if p),
            "author": stamp.account,
            "company": labels.ORG_NAME,
            "category": labels.INTERNAL,
            "keywords": labels.INTERNAL,
            "comments": f"{labels.WB_INTERNAL_NOTICE} · {labels.WB_TAKEN.format(account=stamp.account, at=taken)}",
            "status": labels.INTERNAL,
            "created": stamp.taken_at,
        }
    )
    props = labels.WB_PROPERTIES
    custom = {props["class"]: labels.INTERNAL, props["account"]: stamp.account, props["taken_at"]: taken}
    if as_of:
        custom[props["as_of"]] = as_of
    for name, value in custom.items():
        wb.set_custom_property(name, value)
    return wb, _Styles(wb)


def _escape_hf(text: str) -> str:
    return str(text).replace("&", "&&")


def _page_setup(ws, stamp: Stamp, title: str, ncols: int, repeat_row: int | None) -> None:
    """Print: A4, landscape when wide, fit to the page width, the header row on every page;
    the header and footer carry 内部资料, the account and the time (the watermark)."""
    taken = stamp.taken_at.strftime("%Y-%m-%d %H:%M")
    who = _escape_hf(labels.WB_TAKEN.format(account=stamp.account, at=taken))
    room = 250 - len(who) - len(labels.INTERNAL) - 20  # Excel refuses a header of more than 255 characters
    ws.set_header(f"&L{labels.INTERNAL}&C{_escape_hf(title[: max(room, 0)])}&R{who}"[:255])
    as_of = stamp.as_of.isoformat() if stamp.as_of else ""
    ws.set_footer(f"&L{labels.AS_OF} {as_of}&C{labels.WB_FOOTER_PAGE}&R{labels.WB_INTERNAL_NOTICE}")
    ws.set_paper(9)
    if ncols > 6:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)


def _block_lines(stamp: Stamp) -> list[tuple[str, str]]:
    """The lines under the title: page and filters, drill path, as-of and who, demo."""
    taken = stamp.taken_at.strftime("%Y-%m-%d %H:%M")
    where = [labels.WB_PAGE.format(page=stamp.page)] if stamp.page else []
    where.append(labels.WB_FILTERS.format(filters=stamp.filters or "—"))
    if stamp.drill:
        where.append(labels.WB_DRILL.format(drill=stamp.drill))
    as_of = f"{labels.AS_OF} {stamp.as_of.isoformat()}" if stamp.as_of else None
    who = [p for p in (as_of, labels.WB_TAKEN.format(account=stamp.account, at=taken)) if p]
    lines = [("meta", " · ".join(where)), ("meta", " · ".join(who)), ("notice", labels.WB_INTERNAL_NOTICE)]
    if stamp.demo:
        lines.append(("notice", labels.WB_DEMO))
    return lines


def _wide_row(ws, styles: _Styles, row: int, text: str, style: str, widths: Sequence[float]) -> None:
    """One line of text across the table's columns, wrapped, its height fit to the text."""
    lines = _lines(text, sum(widths) / 1.1)
    height = 20 if style == "title" else LINE_HEIGHT
    if len(widths) > 1:
        ws.merge_range(row, 0, row, len(widths) - 1, text, styles[style])
    else:
        ws.write_string(row, 0, text, styles[style])
    ws.set_row(row, height * lines + 2)


def _title_block(ws, styles: _Styles, stamp: Stamp, title: str, extra: Sequence[str], widths) -> int:
    """Title, page, filters, drill path, as-of, who, 内部资料, then ``extra`` lines (口径,
    small cells); returns the row after a blank one."""
    rows = [("title", title), *_block_lines(stamp), *(("meta", line) for line in extra)]
    for r, (style, text) in enumerate(rows):
        _wide_row(ws, styles, r, text, style, widths)
    return len(rows) + 1


def _converted(table: Table, kinds: Mapping[str, str]) -> list[list[tuple]]:
    """Every cell of the frame as :func:`cell` writes it, row by row."""
    df = table.df
    by_col = [[cell(v, kinds[c]) for v in df.iloc[:, j].tolist()] for j, c in enumerate(df.columns)]
    return [list(row) for row in zip(*by_col)] if by_col else []


def _widths(table: Table, cells: list[list[tuple]]) -> list[float]:
    """Column widths that fit the header and the longest value shown (CJK counts double)."""
    out = []
    for j, col in enumerate(table.df.columns):
        shown = [display_width(_shown(c[j][1], c[j][2])) for c in cells[:WIDTH_SAMPLE] if c[j][0]]
        head = display_width(_header(table, col))
        out.append(float(min(max(max(shown, default=0), min(head, 24), MIN_WIDTH) + 2, MAX_WIDTH)))
    return out


def _legend(table: Table, kinds: Mapping[str, str], notes: Mapping[str, str], cells) -> list[str]:
    """The lines above the header: each figure column's 口径, and why cells are "<5"."""
    lines = (
        [
            labels.WB_DEFINITIONS
            + "；".join(labels.WB_DEFINITION_ITEM.format(column=_header(table, c), text=t) for c, t in notes.items())
        ]
        if notes
        else []
    )
    found = {c[3] for row in cells for c in row if c[3]}
    if "small" in found:
        lines.append(labels.SMALL_CELL_NOTE)
    if "hidden" in found:
        lines.append(f"{HIDDEN}：{labels.WB_HIDDEN_NOTE}")
    return lines


_NOTE_TEXT = {"small": labels.SMALL_CELL_NOTE, "hidden": labels.WB_HIDDEN_NOTE}
_WRITE = {"number": "write_number", "date": "write_datetime", "text": "write_string"}


LINE_HEIGHT = 15  # points per line of 11-point text


def _lines(text: str, width: float) -> int:
    return max(1, math.ceil(display_width(text) / max(width - 1, 1)))


def _write_rows(ws, styles: _Styles, first: int, cells, widths: Sequence[float]) -> None:
    """The data rows from row ``first``; text wider than its column wraps (the row made tall
    enough: not every reader fits it); small cells get their note (up to
    :data:`COMMENT_CAP` per sheet: the legend says it for all)."""
    notes = 0
    for i, row in enumerate(cells):
        lines = 1
        for j, (how, value, style, note) in enumerate(row):
            if how is None:
                continue
            if how == "text" and style == "text" and 2 * len(value) > widths[j] and display_width(value) > widths[j]:
                style = "wrap"
                lines = max(lines, _lines(value, widths[j]))
            getattr(ws, _WRITE[how])(first + i, j, value, styles[style])
            if note and notes < COMMENT_CAP:
                ws.write_comment(first + i, j, _NOTE_TEXT[note], {"x_scale": 2, "y_scale": 1.5})
                notes += 1
        if lines > 1:
            ws.set_row(first + i, LINE_HEIGHT * min(lines, 20) + 2)


def _add_sheet(wb, name: str):
    ws = wb.add_worksheet(name)
    ws.set_comments_author(labels.APP_TITLE)  # notes are the dashboard's, not a person's
    return ws


def _table_sheet(wb, styles: _Styles, name: str, table: Table, stamp: Stamp) -> int:
    """One table on sheet ``name``: title block, frozen header with the 口径 as header notes,
    the rows, and the row count below. Returns the number of rows written."""
    ws = _add_sheet(wb, name)
    kinds = column_kinds(table)
    notes = column_notes(table, kinds)
    cells = _converted(table, kinds)
    widths = _widths(table, cells) or [float(MIN_WIDTH)]
    head = _title_block(ws, styles, stamp, table.title, _legend(table, kinds, notes, cells), widths)
    for j, col in enumerate(table.df.columns):
        ws.set_column(j, j, widths[j])
        ws.write_string(head, j, _header(table, col), styles["header"])
        if col in notes:
            ws.write_comment(head, j, notes[col], {"x_scale": 3, "y_scale": 2})
    _write_rows(ws, styles, head + 1, cells, widths)
    last = head + len(cells)
    ws.write_string(last + 2, 0, labels.WB_ROWS.format(n=f"{len(cells):,}"), styles["foot"])
    ws.freeze_panes(head + 1, 1 if len(widths) > 8 else 0)
    if len(table.df.columns):
        ws.autofilter(head, 0, max(last, head), len(widths) - 1)
    _page_setup(ws, stamp, table.title, len(widths), head)
    return len(cells)


def table_bytes(table: Table, stamp: Stamp) -> bytes:
    """One table as an .xlsx file (one sheet named after the table)."""
    if not fits(table.df):
        raise ValueError(labels.XLSX_TOO_LARGE)
    buf = io.BytesIO()
    wb, styles = _new_workbook(buf, stamp, table.title)
    _table_sheet(wb, styles, sheet_names([table.title])[0], table, stamp)
    wb.close()
    return buf.getvalue()


def _cover_row(ws, styles: _Styles, r: int, fig: Figure, widths: list[float]) -> None:
    ws.write_string(r, 0, fig.label, styles["text"])
    for j, (value, kind) in enumerate(((fig.value, fig.kind), (fig.count, "count")), start=1):
        how, v, style, note = cell(value, kind)
        if how is not None:
            getattr(ws, _WRITE[how])(r, j, v, styles[style])
            widths[j] = max(widths[j], display_width(_shown(v, style)) + 2)
        if note:
            ws.write_comment(r, j, _NOTE_TEXT[note], {"x_scale": 2, "y_scale": 1.5})
    for j, text in ((3, fig.judgement), (4, fig.note)):
        if text:
            ws.write_string(r, j, str(text), styles["quoted" if str(text).startswith(DANGEROUS_START) else "wrap"])
    widths[0] = max(widths[0], display_width(fig.label) + 2)
    widths[3] = max(widths[3], min(display_width(fig.judgement or ""), 40) + 2)
    lines = max(_lines(fig.note or "", widths[4]), _lines(fig.judgement or "", widths[3]))
    if lines > 1:
        ws.set_row(r, LINE_HEIGHT * lines + 2)


def _cover(ws, styles: _Styles, stamp: Stamp, title: str, figures: Sequence[Figure], sheets) -> None:
    """The page's headline figures (value, count, judgement, 口径) and a link to every sheet."""
    widths = [12.0, 12.0, 12.0, 12.0, 60.0]
    head = _title_block(ws, styles, stamp, title, [], widths)
    for j, text in enumerate(labels.WB_COVER_HEADERS):
        ws.write_string(head, j, text, styles["header"])
    for i, fig in enumerate(figures):
        _cover_row(ws, styles, head + 1 + i, fig, widths)
    r = head + len(figures) + 2
    ws.write_string(r, 0, labels.WB_SHEETS, styles["meta"])
    for i, (name, rows) in enumerate(sheets, start=1):
        target = name.replace("'", "''")
        text = labels.WB_SHEET_ROWS.format(sheet=name, n=f"{rows:,}")
        ws.write_url(r + i, 0, f"internal:'{target}'!A1", styles["link"], string=text)
    for j, w in enumerate(widths):
        ws.set_column(j, j, min(w, MAX_WIDTH if j < 4 else 60))
    ws.freeze_panes(head + 1, 0)
    _page_setup(ws, stamp, title, len(widths), head)


def page_bytes(stamp: Stamp, figures: Sequence[Figure], tables: Sequence[Table], title: str | None = None) -> bytes:
    """A whole page in one .xlsx file: a cover sheet with the page's figures, then one sheet
    per table (names made valid and unique by :func:`sheet_names`)."""
    if not all(fits(t.df) for t in tables):
        raise ValueError(labels.XLSX_TOO_LARGE)
    title = title or labels.WB_COVER_TITLE.format(page=stamp.page)
    buf = io.BytesIO()
    wb, styles = _new_workbook(buf, stamp, title)
    cover_name = labels.WB_COVER
    cover = _add_sheet(wb, cover_name)
    names = sheet_names([t.title for t in tables], taken=[cover_name])
    rows = [_table_sheet(wb, styles, name, table, stamp) for name, table in zip(names, tables)]
    _cover(
        cover, styles, stamp, title, [f if isinstance(f, Figure) else Figure(**f) for f in figures], zip(names, rows)
    )
    cover.activate()
    wb.close()
    return buf.getvalue()
