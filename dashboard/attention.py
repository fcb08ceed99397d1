"""需要关注: the few things a leader should act on now, each with the view that shows it.

Pure functions over the loaders' DataFrames, so the rules are unit-tested without a UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard import formatting, labels

LAG_POINTS = 0.005  # an area lags when its coverage is half a point or more below the city's
BUDGET_BEHIND = 0.15  # execution fifteen points or more behind time progress
ACTIVITY_FLOOR = 0.8  # organisational-life completion below 80%
MAX_ITEMS = 6


@dataclass(frozen=True)
class Attention:
    text: str
    page: str  # a key of labels.PAGE_TITLES
    params: dict[str, list[str]] = field(default_factory=dict)
    severity: int = 1  # 2 = act now, 1 = watch


def lagging_areas(coverage_by_area: pd.DataFrame, city: float, names: Mapping[str, str]) -> list[Attention]:
    lag = coverage_by_area[coverage_by_area["coverage"] < city - LAG_POINTS].sort_values("coverage")
    return [
        Attention(
            labels.ATTENTION_ITEMS["lagging_area"].format(
                area=names.get(r.area_code, r.area_code),
                value=formatting.percent(r.coverage),
                city=formatting.percent(city),
            ),
            "contacts",
            {"area": [r.area_code]},
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
    return [Attention(text, "contacts", {"area": [worst["area_code"]]}, 1)]


def budgets_behind(
    execution: pd.DataFrame, progress: float, names: Mapping[str, str], categories: Mapping[str, str]
) -> list[Attention]:
    """Areas and categories whose execution trails time progress by fifteen points or more."""
    df = execution[(execution["budget"] > 0) & (execution["execution_rate"] < progress - BUDGET_BEHIND)]
    df = df.sort_values("execution_rate")
    return [
        Attention(
            labels.ATTENTION_ITEMS["budget_behind"].format(
                area=names.get(r.area_code, r.area_code),
                category=categories.get(r.budget_category, r.budget_category),
                value=formatting.percent(r.execution_rate),
                progress=formatting.percent(progress),
            ),
            "money",
            {"area": [r.area_code]},
            1,
        )
        for r in df.itertuples()
    ]


def branch_gaps(by_branch: pd.DataFrame) -> list[Attention]:
    """Branches whose organisational-life completion (branch-months) is below 80%."""
    low = by_branch[by_branch["completion"] < ACTIVITY_FLOOR]
    if low.empty:
        return []
    return [Attention(labels.ATTENTION_ITEMS["branch_gaps"].format(n=f"{len(low):,}"), "branches", {}, 1)]


def collect(*groups: list[Attention]) -> list[Attention]:
    """Most urgent first, at most six: a panel a leader reads in ten seconds."""
    items = [item for group in groups for item in group]
    return sorted(items, key=lambda a: -a.severity)[:MAX_ITEMS]
