"""Masking of personal data before it leaves the data layer (张*明, 138****1234)."""

from __future__ import annotations

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


SMALL_CELL = "<5"


def too_few(people, threshold: int = THRESHOLD) -> bool:
    """True for a figure computed from 1 to ``threshold - 1`` people: it is not shown (nor
    anything derived from it — an amount, an average, a rate), wherever it appears."""
    n = int(people or 0)
    return 0 < n < threshold


def suppress_small_counts(
    df: pd.DataFrame,
    count_col: str,
    dependent: tuple[str, ...] = (),
    threshold: int = THRESHOLD,
    total_shown: bool = True,
) -> pd.DataFrame:
    """Counts from 1 to ``threshold - 1`` become "<5" (with the figures derived from them).

    When exactly one cell would be hidden and the total is shown elsewhere in the view,
    the next smallest cell is hidden too, so the hidden one cannot be recovered by
    subtraction."""
    counts = pd.to_numeric(df[count_col]).to_numpy()
    hide = (counts > 0) & (counts < threshold)
    if total_shown and int(hide.sum()) == 1:
        rest = np.flatnonzero(~hide & (counts > 0))
        if len(rest):
            hide[rest[counts[rest].argmin()]] = True  # the first of the smallest, as idxmin
    out = df.copy()
    for col in (count_col, *dependent):
        if col in out:
            out[col] = pd.Series(
                [SMALL_CELL if h else v for v, h in zip(out[col].tolist(), hide)], index=out.index, dtype=object
            )
    return out
