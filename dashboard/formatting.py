"""Number and date formats for Chinese leadership readers."""

from __future__ import annotations

import datetime as dt
import math
import re

# What starts Markdown inside a line (emphasis, code, links, images, autolinks, HTML,
# strikethrough, LaTeX, Streamlit's :colour[...] / :emoji: / :material/...: and tables).
# Line-start markers (#, -, +, 1.) cannot occur: a notice is one line that begins with text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>!~$:|])")
_AUTOLINK_TRIGGER = re.compile(r"([:.@])")


def count(n: float | int | None) -> str:
    """12,345 人-style counts, thousands separators, no decimals."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return "—"
    return f"{int(round(n)):,}"


def head_count(n) -> str:
    """A head count as shown: "1,234", or "<5" for a small cell (fewer than five people:
    nothing derived from it is shown either)."""
    from data_access.privacy import SMALL_CELL, too_few

    return SMALL_CELL if too_few(n) else f"{int(n or 0):,}"


def percent(x: float | None, digits: int = 1) -> str:
    """0.849 -> 84.9%; NaN or None -> —."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x * 100:.{digits}f}%"


def yuan(x: float | None) -> str:
    """Amounts in 元 below 10,000, else in 万元 with two decimals."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if abs(x) >= 10_000:
        return f"{x / 10_000:,.2f} 万元"
    return f"{x:,.0f} 元"


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
