"""Judgements as the dashboard words them: the status word and the KPI reading of budget
execution against time progress, both from ``data_access.rules.budget_pace`` (one
judgement, so "▼ 慢于序时" never stands beside "● 正常"), and the branches with gaps."""

from __future__ import annotations

import pandas as pd

from dashboard import labels
from data_access import rules
from data_access.privacy import is_hidden


def pace_status(rate: float | None, time_progress: float) -> str:
    """执行状态: ▼ 偏慢 / ▲ 超支 / ● 正常 (— without a budget, or where the rate is hidden)."""
    if is_hidden(rate):
        return labels.PACE_STATUS[rules.NO_BUDGET]
    return labels.PACE_STATUS[rules.budget_pace(rate, time_progress)]


def gap_points(rate: float, time_progress: float) -> str:
    """|执行率 − 序时进度| in percentage points as the readings write it: one decimal, or two
    where one would round onto the other side of the "偏慢" threshold (4.96 points is
    "正常" and must not read "5.0"; 5.0 points is "偏慢" and reads "5.0")."""
    gap = abs(rate - time_progress) * 100
    text = f"{gap:.1f}"
    behind = rules.budget_pace(rate, time_progress) == rules.BEHIND
    if rate < time_progress and not behind and float(text) >= rules.PACE_BEHIND * 100:
        text = f"{min(gap, rules.PACE_BEHIND * 100 - 0.01):.2f}"  # 4.96 -> "4.96", 4.996 -> "4.99"
    return text


def pace_gap(rate: float | None, time_progress: float) -> float | str:
    """执行率 − 序时进度 in percentage points, as a plain number (1.2 for 1.2 points ahead,
    -5.0 behind) for a column headed "（百分点）", with the digits of :func:`gap_points` (a
    gap just short of the threshold keeps two); a hidden rate stays hidden."""
    if is_hidden(rate):
        return rate
    if rate is None or rate != rate:
        return float("nan")
    # The digits the reading quotes (gap_points): -4.96 under "正常" never shows as -5.0.
    points = float(gap_points(rate, time_progress))
    return -points if rate < time_progress and points else points  # (0.0, never -0.0)


def pace_text(rate: float | None, time_progress: float) -> str | None:
    """The KPI's reading: the same status word, then the gap to time progress, e.g.
    "▼ 偏慢：慢于序时 8.1 个百分点"; None without a budget."""
    if is_hidden(rate):
        return None
    state = rules.budget_pace(rate, time_progress)
    if state == rules.NO_BUDGET:
        return None
    gap = rate - time_progress
    pts = gap_points(rate, time_progress)
    if float(pts) == 0:
        words = labels.PACE_GAP_LEVEL
    else:
        words = (labels.PACE_GAP_AHEAD if gap > 0 else labels.PACE_GAP_BEHIND).format(pts=pts)
    return labels.PACE_TEXT.format(status=labels.PACE_STATUS[state], gap=words)


def branches_with_gaps(by_branch: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``org_life_by_branch`` whose branch has gaps (rules.has_gaps), lowest
    completion first: the 党支部 page's action list, its KPI count and the 需要关注 item."""
    keep = pd.Series([rules.has_gaps(c) for c in by_branch["completion"]], index=by_branch.index, dtype=bool)
    return by_branch[keep].sort_values(["completion", "branch_id"])
