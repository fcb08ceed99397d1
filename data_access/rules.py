"""Judgement rules: every threshold the dashboard judges a figure by, and the status
functions built on them, in one place (no UI). The pages, the meeting screen, the charts'
▼ marks, the 需要关注 items and the 口径 texts (``dashboard.labels``, formatted from these
constants) all call these functions, so one screen cannot judge one figure two ways.
"""

from __future__ import annotations

import math

# Budget execution against time progress (序时进度).
PACE_BEHIND = 0.05  # execution 5 percentage points or more below time progress is "偏慢"
OVERSPENT = 1.0  # execution above 100% of the budget is "超支"
# Categories whose lag the 需要关注 panel lists: those spent at the bureau's discretion
# (离休费, 医药费 and 特困帮扶 are paid as they fall due).
PACED_CATEGORIES = ("precise_service", "facilities", "training")

# A rate against a reference rate (an area's coverage against the city's, a service's
# delivery rate against the average).
LAG = 0.01  # 1 percentage point or more below the reference is "lagging" (▼)

# Organisational life: a branch with any owed branch-month not complete "has gaps" (有缺项).
BRANCH_COMPLETE = 1.0

BEHIND, ON_PACE, OVER, NO_BUDGET = "behind", "on_pace", "over", "none"

_EPS = 1e-9  # rates are ratios of integers and money: compare at a billionth, not at float noise


def _missing(x: float | None) -> bool:
    """None, NaN or pandas' NA: no figure, so no judgement."""
    try:
        return x is None or math.isnan(x)
    except TypeError:
        return True


def budget_pace(rate: float | None, time_progress: float) -> str:
    """执行状态 of an execution rate against time progress: ``over`` above 100%, ``behind``
    when ``PACE_BEHIND`` (5 points) or more below time progress, else ``on_pace``;
    ``none`` without a budget (no rate)."""
    if _missing(rate) or _missing(time_progress):
        return NO_BUDGET
    if rate > OVERSPENT + _EPS:
        return OVER
    if time_progress - rate >= PACE_BEHIND - _EPS:
        return BEHIND
    return ON_PACE


def lags(value: float | None, reference: float | None) -> bool:
    """True when ``value`` is ``LAG`` (1 point) or more below ``reference``."""
    if _missing(value) or _missing(reference):
        return False
    return bool(reference - value >= LAG - _EPS)


def has_gaps(completion: float | None) -> bool:
    """A branch has gaps (有缺项) when its organisational-life completion is below 100%."""
    if _missing(completion):
        return False
    return bool(completion < BRANCH_COMPLETE - _EPS)


def points(x: float) -> str:
    """A threshold in percentage points as the 口径 quotes it: 0.05 -> "5", 0.005 -> "0.5"."""
    return f"{x * 100:g}"
