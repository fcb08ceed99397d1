"""需要关注: the few things a leader should act on now, each with the view that shows it.

An item's link opens the drill view of its area (``drill_area``: breadcrumbs and a way back
to the top) and never touches the global filters a leader set (issue 26).

Pure functions over the loaders' DataFrames, so the rules are unit-tested without a UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard import formatting, labels, status
from data_access import rules

MAX_ITEMS = 6


@dataclass(frozen=True)
class Attention:
    text: str
    page: str  # a key of labels.PAGE_TITLES
    params: dict[str, list[str]] = field(default_factory=dict)
    severity: int = 1  # 2 = act now, 1 = watch


def _rows(df: pd.DataFrame, keep: list[bool]) -> pd.DataFrame:
    return df[pd.Series(keep, index=df.index, dtype=bool)]


def lagging_areas(coverage_by_area: pd.DataFrame, city: float, names: Mapping[str, str]) -> list[Attention]:
    """Areas whose coverage lags the city's (rules.lags: 1 point or more below)."""
    lag = _rows(coverage_by_area, [rules.lags(v, city) for v in coverage_by_area["coverage"]])
    lag = lag.sort_values("coverage")
    return [
        Attention(
            labels.ATTENTION_ITEMS["lagging_area"].format(
                area=names.get(r.area_code, r.area_code),
                value=formatting.percent(r.coverage),
                city=formatting.percent(city),
            ),
            "contacts",
            {"drill_area": [r.area_code]},
            2,
        )
        for r in lag.itertuples()
    ]


def key_cohort_short(unreached: int) -> list[Attention]:
    if unreached <= 0:
        return []
    return [Attention(labels.ATTENTION_ITEMS["key_short"].format(n=f"{unreached:,}"), "contacts", {}, 2)]


def overdue(overdue_by_area: pd.DataFrame, names: Mapping[str, str]) -> list[Attention]:
    total = int(overdue_by_area["overdue"].sum()) if len(overdue_by_area) else 0
    if total == 0:
        return []
    worst = overdue_by_area.sort_values("overdue", ascending=False).iloc[0]
    text = labels.ATTENTION_ITEMS["overdue"].format(
        n=f"{total:,}", area=names.get(worst["area_code"], worst["area_code"]), m=f"{int(worst['overdue']):,}"
    )
    return [Attention(text, "contacts", {"drill_area": [worst["area_code"]]}, 1)]


def budgets_behind(
    execution: pd.DataFrame, progress: float, names: Mapping[str, str], categories: Mapping[str, str]
) -> list[Attention]:
    """One item for the budgets of ``rules.PACED_CATEGORIES`` whose status is 偏慢
    (rules.budget_pace — the judgement of the 执行状态 column and the KPI reading), naming
    the slowest; it links to that area."""
    df = execution[execution["budget_category"].isin(rules.PACED_CATEGORIES)]
    behind = _rows(df, [rules.budget_pace(r, progress) == rules.BEHIND for r in df["execution_rate"]])
    if behind.empty:
        return []
    worst = behind.sort_values(["execution_rate", "area_code", "budget_category"]).iloc[0]
    text = labels.ATTENTION_ITEMS["budget_behind"].format(
        n=f"{len(behind):,}",
        pts=rules.points(rules.PACE_BEHIND),
        area=names.get(worst["area_code"], worst["area_code"]),
        category=categories.get(worst["budget_category"], worst["budget_category"]),
        value=formatting.percent(worst["execution_rate"]),
        progress=formatting.percent(progress),
    )
    return [Attention(text, "money", {"drill_area": [worst["area_code"]]}, 1)]


def branch_gaps(by_branch: pd.DataFrame) -> list[Attention]:
    """Branches with gaps in their organisational life (rules.has_gaps: completion below
    100%) — the same branches as the 党支部 page's list of branches that missed."""
    low = status.branches_with_gaps(by_branch)
    if low.empty:
        return []
    text = labels.ATTENTION_ITEMS["branch_gaps"].format(
        n=f"{len(low):,}",
        complete=f"{rules.BRANCH_COMPLETE * 100:g}%",
        lowest=formatting.percent(low["completion"].min()),
    )
    return [Attention(text, "branches", {}, 1)]


def collect(*groups: list[Attention]) -> list[Attention]:
    """Most urgent first, at most six: a panel a leader reads in ten seconds."""
    items = [item for group in groups for item in group]
    return sorted(items, key=lambda a: -a.severity)[:MAX_ITEMS]
