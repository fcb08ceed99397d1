"""Masking of personal data before it leaves the data layer (张*明, 138****1234)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd


def mask_name(name: str | None) -> str | None:
    """张明 -> 张*; 张小明 -> 张*明; 欧阳小明 -> 欧**明 (surname and last character kept)."""
    if name is None or (isinstance(name, float) and pd.isna(name)):
        return None
    name = str(name)
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str | None) -> str | None:
    """13812341234 -> 138****1234; short or odd values keep only their last two digits."""
    if phone is None or (isinstance(phone, float) and pd.isna(phone)):
        return None
    digits = str(phone)
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    return "*" * max(len(digits) - 2, 0) + digits[-2:]


# Columns that name or reach a person: a frame holding any of them is a list of people
# (person-level), whatever masking was applied to it.
PERSON_COLUMNS = ("name", "helper_name", "recipient", "phone", "person_id")


def is_person_level(df: pd.DataFrame) -> bool:
    return any(c in df.columns for c in PERSON_COLUMNS)


THRESHOLD = 5  # a figure from fewer people than this is a small cell


def mask_columns(df: pd.DataFrame, names: tuple[str, ...] = (), phones: tuple[str, ...] = ()) -> pd.DataFrame:
    for col in names:
        if col in df:
            df[col] = df[col].map(mask_name)
    for col in phones:
        if col in df:
            df[col] = df[col].map(mask_phone)
    return df


SMALL_CELL = f"<{THRESHOLD}"  # a count of 1 to THRESHOLD - 1 people: "<5"
HIDDEN = "（已隐藏）"  # any other figure not shown: derived from a small cell, or hidden beside one


def is_hidden(value) -> bool:
    """A cell the suppression step replaced (:data:`SMALL_CELL` or :data:`HIDDEN`)."""
    return isinstance(value, str) and value in (SMALL_CELL, HIDDEN)


def too_few(people, threshold: int = THRESHOLD) -> bool:
    """True for a figure computed from 1 to ``threshold - 1`` people: it is not shown (nor
    anything derived from it — an amount, an average, a rate), wherever it appears."""
    if is_hidden(people):
        return True
    n = int(people or 0)
    return 0 < n < threshold


def numbers(values) -> pd.Series:
    """A column with its hidden cells as NaN (for a chart's bar heights or a sort)."""
    return pd.to_numeric(pd.Series(list(values), dtype=object).map(lambda v: None if is_hidden(v) else v))


# ---------------------------------------------------------------------------- the suppression step
#
# Where small cells are hidden, and for whom, is decided once: a query's frame leaves the
# data layer suppressed when the caller's scope says so (``Scope.hide_small_cells``: the
# meeting screen, and accounts without access to lists of people), and shown as it is
# otherwise. Every surface — cards, charts and tooltips, tables, CSV files, the screen's
# payload — reads the same frame, so none can show what another hides.


def _lines(df: pd.DataFrame, keys: Sequence[str], sums: Sequence[str]) -> list[np.ndarray]:
    """Groups of rows whose sum is a figure shown elsewhere on the page. ``keys`` are the
    frame's key columns, ``sums`` those of them a total is taken over: for each, the rows that
    differ only in it form a line (by one key, the whole column, whose total is shown). A
    frame of one row, or with no ``sums``, has no lines."""
    if not sums or len(df) < 2:
        return []
    out = []
    for d in sums:
        others = [k for k in keys if k != d and k in df.columns]
        if not others:
            out.append(np.arange(len(df)))
            continue
        groups = df.groupby(others, sort=False, dropna=False).indices
        out += [np.asarray(rows) for rows in groups.values()]
    return out


def _complement(counts: np.ndarray, hide: np.ndarray, lines: list[np.ndarray]) -> np.ndarray:
    """Hide a second cell in every line that would hide exactly one, so the hidden one cannot
    be recovered by subtraction from the line's total: the smallest other non-zero cell (the
    first of equals). Repeated until no line hides exactly one."""
    hide = hide.copy()
    changed = True
    while changed:
        changed = False
        for line in lines:
            if int(hide[line].sum()) != 1:
                continue
            rest = line[~hide[line] & (counts[line] > 0)]
            if len(rest):
                hide[rest[counts[rest].argmin()]] = True
                changed = True
    return hide


def suppress(
    df: pd.DataFrame,
    counts: Mapping[str, Sequence[str]],
    by: Sequence[str] = (),
    threshold: int = THRESHOLD,
    sums: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The frame with its small cells hidden. ``counts`` maps each column that counts people
    to the columns derived from it (amounts, averages, rates, other counts it bounds). A
    count of 1 to ``threshold - 1`` becomes :data:`SMALL_CELL`; a count hidden beside one
    (so that no line's total gives it away) and every derived figure become :data:`HIDDEN`.
    Columns holding a hidden cell turn ``object``, their other cells staying numbers. ``by``
    are the frame's key columns; ``sums`` those whose totals are shown (default: all of them,
    each row and column of a cross-table having its margin on the page)."""
    if df.empty:
        return df
    out = df.copy()
    lines = _lines(df, list(by), list(by if sums is None else sums))
    cells: dict[str, list] = {}
    for col, derived in counts.items():
        if col not in df.columns:
            continue
        n = pd.to_numeric(df[col], errors="coerce").fillna(0).to_numpy()
        small = (n > 0) & (n < threshold)
        hide = _complement(n, small, lines)
        mark = cells.setdefault(col, [None] * len(df))
        for i in np.flatnonzero(hide):
            mark[i] = SMALL_CELL if small[i] else (mark[i] or HIDDEN)
        for dep in derived:
            if dep in df.columns:
                dmark = cells.setdefault(dep, [None] * len(df))
                for i in np.flatnonzero(hide):
                    dmark[i] = dmark[i] or HIDDEN
    for col, mark in cells.items():
        if any(m is not None for m in mark):
            out[col] = pd.Series(
                [m if m is not None else v for v, m in zip(out[col].tolist(), mark)], index=out.index, dtype=object
            )
    return out


def hide_rows(df: pd.DataFrame, rows: np.ndarray, columns: Sequence[str]) -> pd.DataFrame:
    """``columns`` of the rows marked in ``rows`` replaced by :data:`HIDDEN` (a figure
    derived from people counted in another query, e.g. a budget category's spending that is
    the aid of a handful of people)."""
    if not rows.any():
        return df
    out = df.copy()
    for col in columns:
        if col in out.columns:
            out[col] = pd.Series(
                [HIDDEN if r else v for v, r in zip(out[col].tolist(), rows)], index=out.index, dtype=object
            )
    return out


def small_cells(
    counts: Mapping[str, Sequence[str]] | Callable[[Sequence[str]], Mapping[str, Sequence[str]]],
    keys: Sequence[str] | Callable[[Sequence[str]], Sequence[str]] | None = None,
    sums: Sequence[str] | None = None,
) -> Callable:
    """Declare which columns of a query's frame count people and what derives from each
    (a mapping, or a function of the query's ``by`` giving one); the frame then leaves the
    data layer suppressed (:func:`suppress`) whenever the caller's scope hides small cells.
    The frame's key columns are the query's ``by`` (or ``keys``, for a frame whose rows are not
    grouped by a ``by`` argument, e.g. one per year); totals are shown over ``sums`` of them
    (default: every key). The query is unchanged for everyone else; the tests read the rule
    (``fn.small_cells``)."""

    def wrap(fn: Callable) -> Callable:
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def run(conn, filters, scope, *args, **kwargs):
            df = fn(conn, filters, scope, *args, **kwargs)
            if not getattr(scope, "hide_small_cells", False):
                return df
            by = tuple(signature.bind(conn, filters, scope, *args, **kwargs).arguments.get("by", ()) or ())
            rule = counts(by) if callable(counts) else counts
            frame_keys = by if keys is None else tuple(keys(by) if callable(keys) else keys)
            return suppress(df, rule, frame_keys, sums=sums)

        run.small_cells = counts
        return run

    return wrap
