"""The 需要关注 rules on small hand-made frames."""

from __future__ import annotations

import pandas as pd

from dashboard import attention

NAMES = {"city": "市直", "620122": "皋兰县", "620123": "榆中县"}


def test_lagging_areas_are_those_one_point_or_more_below_the_city():
    # rules.LAG = 1 point: 0.981 is exactly one point below 0.991 (lags), 0.985 is not.
    cov = pd.DataFrame({"area_code": ["city", "620122", "620123"], "coverage": [0.992, 0.981, 0.985]})
    items = attention.lagging_areas(cov, 0.991, NAMES)
    assert [i.params["drill_area"] for i in items] == [["620122"]]  # a drill link, not a filter (issue 26)
    assert "皋兰县" in items[0].text and "98.1%" in items[0].text and items[0].page == "contacts"
    assert attention.lagging_areas(cov.iloc[0:0], 0.991, NAMES) == []


def test_key_cohort_and_overdue():
    assert attention.key_cohort_short(0) == []
    assert "3 人" in attention.key_cohort_short(3)[0].text
    over = pd.DataFrame({"area_code": ["city", "620123"], "overdue": [10, 40]})
    item = attention.overdue(over, NAMES)[0]
    assert "50 人" in item.text and "榆中县最多（40 人）" in item.text
    assert attention.overdue(over.iloc[0:0], NAMES) == []


def test_budgets_behind_time_progress_is_one_item_by_the_status_rule():
    df = pd.DataFrame(
        {
            "area_code": ["620122", "620123", "city", "city", "620122"],
            "budget_category": ["precise_service", "precise_service", "precise_service", "training", "medical"],
            "budget": [100.0, 100.0, 0.0, 100.0, 100.0],
            "actual": [40.0, 85.0, 0.0, 86.0, 10.0],
            "execution_rate": [0.4, 0.85, float("nan"), 0.86, 0.1],
        }
    )
    # time progress 0.9: 0.85 is exactly five points behind (偏慢), 0.86 is not; medical is
    # not a paced category; no budget, no judgement.
    items = attention.budgets_behind(df, 0.9, NAMES, {"precise_service": "精准服务"})
    assert len(items) == 1 and items[0].params == {"drill_area": ["620122"]} and items[0].page == "money"
    assert items[0].text.startswith("2 项经费执行偏慢（慢于序时进度 5 个百分点及以上）")
    assert "皋兰县精准服务 40.0%" in items[0].text and "90.0%" in items[0].text
    assert attention.budgets_behind(df, 0.44, NAMES, {}) == []  # four points behind at worst


def test_branch_gaps_and_ordering():
    act = pd.DataFrame({"branch_id": [1, 2, 3, 4], "completion": [1.0, 0.5, float("nan"), 11 / 12]})
    gaps = attention.branch_gaps(act)  # any missed month is a gap (11 of 12 included)
    assert len(gaps) == 1 and gaps[0].text == "2 个党支部组织生活有缺项（完成率低于 100%），最低 50.0%"
    assert attention.branch_gaps(act.iloc[[0, 2]]) == []
    items = attention.collect(gaps, attention.key_cohort_short(2))
    assert items[0].severity == 2
