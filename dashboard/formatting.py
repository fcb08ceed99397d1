"""Number and date formats for Chinese leadership readers."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# What starts Markdown inside a line (emphasis, code, links, images, autolinks, HTML,
# strikethrough, LaTeX, Streamlit's :colour[...] / :emoji: / :material/...: and tables).
# Line-start markers (#, -, +, 1.) cannot occur: a notice is one line that begins with text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>!~$:|])")
_AUTOLINK_TRIGGER = re.compile(r"([:.@])")


def _text_passes(fmt):
    """A figure the data layer hid arrives as its text ("<5", "（已隐藏）") and is shown as is."""

    @functools.wraps(fmt)
    def run(x, *args, **kwargs):
        return x if isinstance(x, str) else fmt(x, *args, **kwargs)

    return run


@_text_passes
def count(n: float | int | None) -> str:
    """12,345 人-style counts, thousands separators, no decimals."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return "—"
    return f"{int(round(n)):,}"


@_text_passes
def percent(x: float | None, digits: int = 1) -> str:
    """0.849 -> 84.9%; NaN or None -> —."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{_unsigned_zero(x * 100, digits):.{digits}f}%"


@_text_passes
def yuan(x: float | None) -> str:
    """Every amount outside a table in one unit: 万元 with two decimals (3.50 万元, 0.25 万元).
    Tables and CSV files carry whole 元 under a "（元）" header (see ``whole_yuan``)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{_unsigned_zero(x / 10_000, 2):,.2f} 万元"


@_text_passes
def yuan_per_person(x: float | None) -> str:
    """A per-recipient figure is money per person, not an amount: whole 元 per person."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{round(x):,} 元/人"


def _unsigned_zero(x: float, digits: int) -> float:
    """``x`` with a value that rounds to zero made a plain 0 (no "-0.0")."""
    return 0.0 if round(x, digits) == 0 else x


@_text_passes
def signed(x: float | None, digits: int = 0) -> str:
    """+12 / -3 / 0 with thousands separators; a change that rounds to zero has no sign."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if round(x, digits) == 0:
        return f"{0:.{digits}f}"
    return f"{x:+,.{digits}f}"


@_text_passes
def points(x: float | None, unit: str = " 个百分点") -> str:
    """A difference of two rates in percentage points: +1.2 个百分点, 0.0 个百分点 (never -0.0)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return signed(x * 100, 1) + unit


AMOUNT_UNITS = ("（元）", "（元/人）")
POINTS_UNIT = "（百分点）"


def is_amount_header(header: str) -> bool:
    """A table column of money: its Chinese header ends with the unit "（元）" (or "（元/人）",
    money per person)."""
    return str(header).endswith(AMOUNT_UNITS)


def is_points_header(header: str) -> bool:
    """A table column of percentage points: its header ends with "（百分点）"; its cells are
    plain numbers (0.5, -1.2) so a spreadsheet can add and sort them."""
    return str(header).endswith(POINTS_UNIT)


def exact_yuan(value):
    """An amount as a file holds it: to the fen, without float noise or a trailing ".0"
    (313000, 55000.5, 890300.25); Excel reads it as a number. Text (a hidden cell) and
    missing values pass through."""
    import pandas as pd

    if isinstance(value, str) or pd.isna(value):
        return value
    text = f"{round(float(value), 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def whole_yuan(values):
    """A column of amounts as whole 元 (no cents, no float noise such as 313000.0) — nullable."""
    import numpy as np
    import pandas as pd

    v = pd.to_numeric(values, errors="coerce")
    return (np.sign(v) * np.floor(v.abs() + 0.5)).astype("Int64")  # half away from zero, as in accounting


@_text_passes
def age(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x:.1f} 岁"


def date(d: dt.date) -> str:
    return d.isoformat()


def plain(text: str) -> str:
    """Text for an element that renders Markdown (st.warning, st.caption, ...), shown as
    written: every mark that starts Markdown within a line is backslash-escaped, so a value from a URL never
    becomes bold text, a link, an image the browser fetches, an icon or a coloured span.
    Bare addresses ("http://…", "www.…", "a@b.c") are linked by the renderer even when
    escaped, so an invisible word joiner (U+2060) follows every ":", "." and "@". Line
    breaks become spaces."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return _AUTOLINK_TRIGGER.sub("\\1\u2060", escaped)


def in_category_order(df: pd.DataFrame, col: str = "category") -> pd.DataFrame:
    """Rows by person category in the one order every page, chart, file and the screen use:
    离休, 退休, 遗属 (``codes.CATEGORIES``; the queries return them by code, 退休/遗属/离休)."""
    from data_access.codes import CATEGORIES

    rank = {c: i for i, c in enumerate(CATEGORIES)}
    order = df[col].map(lambda c: rank.get(c, len(rank)))
    return df.iloc[order.argsort(kind="stable")].reset_index(drop=True)
