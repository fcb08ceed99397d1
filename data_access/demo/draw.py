"""Random draws and integer-day dates the generators share (dates are integer days since
1970-01-01, as numpy datetime64[D] stores them; ``NONE_DAY`` marks an empty date)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from data_access.demo.catalogue import GIVEN_FEMALE, GIVEN_MALE, SURNAMES

EPOCH = dt.date(1970, 1, 1)


def day(d: dt.date) -> int:
    """Days since 1970-01-01 (numpy datetime64[D] integers)."""
    return (d - EPOCH).days


def ymd(y: int, m: int = 1, d: int = 1) -> int:
    return day(dt.date(y, m, d))


def year_of(days: np.ndarray) -> np.ndarray:
    """The calendar year of each integer day."""
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970


def to_dates(days: np.ndarray) -> list:
    """Integer days (NaT-like values < -10**9 mean empty) to a list of dates or None."""
    arr = np.asarray(days, dtype="int64")
    out = arr.astype("datetime64[D]").tolist()
    if (arr < -(10**9)).any():
        out = [None if v < -(10**9) else d for v, d in zip(arr.tolist(), out)]
    return out


NONE_DAY = -(2**62)  # marks an empty date in integer-day arrays


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(int)
    rest = total - base.sum()
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return base


def choose_exact(rng: np.random.Generator, n: int, k: int, p: np.ndarray | None = None) -> np.ndarray:
    """A boolean mask of length n with exactly k True, optionally weighted."""
    mask = np.zeros(n, dtype=bool)
    if k:
        if p is not None:
            p = np.asarray(p, dtype=float)
            p = p / p.sum()
        mask[rng.choice(n, size=k, replace=False, p=p)] = True
    return mask


def uniform_days(rng: np.random.Generator, lo, hi, size: int | None = None) -> np.ndarray:
    """Random integer days in [lo, hi) (broadcast arrays, or ``size`` draws of scalars)."""
    lo = np.asarray(lo, dtype="int64")
    hi = np.asarray(hi, dtype="int64")
    span = np.maximum(hi - lo, 1)
    shape = np.broadcast(lo, hi).shape if size is None else (size,)
    return lo + np.floor(rng.random(shape) * span).astype("int64")


def pick(rng: np.random.Generator, values: Sequence, n: int, p: Sequence[float] | None = None):
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    if p is not None:
        p = np.asarray(p, dtype=float) / np.sum(p)
    return arr[rng.choice(len(values), size=n, p=p)]


def synthetic_names(rng: np.random.Generator, female: np.ndarray) -> np.ndarray:
    n = len(female)
    sur = pick(rng, SURNAMES, n)
    g1m, g2m = pick(rng, GIVEN_MALE, n), pick(rng, GIVEN_MALE, n)
    g1f, g2f = pick(rng, GIVEN_FEMALE, n), pick(rng, GIVEN_FEMALE, n)
    two = rng.random(n) < 0.75
    g1 = np.where(female, g1f, g1m)
    g2 = np.where(female, g2f, g2m)
    return np.array([s + a + (b if t else "") for s, a, b, t in zip(sur, g1, g2, two)], dtype=object)


def synthetic_phones(rng: np.random.Generator, n: int) -> np.ndarray:
    # Chinese mobile numbers start 13-19: the prefix 10 can never be a real one.
    digits = rng.integers(0, 10**9, size=n)
    return np.array([f"10{d:09d}" for d in digits.tolist()], dtype=object)
