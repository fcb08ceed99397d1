"""The 需要关注 rules on small hand-made frames."""

from __future__ import annotations

import pandas as pd

from dashboard import attention

NAMES = {"city": "市直", "620122": "皋兰县", "620123": "榆中县"}


def test_lagging_areas_are_those_half_a_point_below_the_city():
    cov = pd.DataFrame({"area_code": ["city", "620122", "620123"], "coverage": [0.992, 0.96, 0.985]})
    items = attention.lagging_areas(cov, 0.991, NAMES)
    assert [i.params["area"] for i in items] == [["620122"], ["620123"]]
    assert "皋兰县" in items[0].text and "96.0%" in items[0].text and items[0].page == "contacts"


def test_key_cohort_and_overdue():
    assert attention.key_cohort_short(0) == []
    assert "3 人" in attention.key_cohort_short(3)[0].text
    over = pd.DataFrame({"area_code": ["city", "620123"], "overdue": [10, 40]})
    item = attention.overdue(over, NAMES)[0]
    assert "50 人" in item.text and "榆中县最多（40 人）" in item.text
    assert attention.overdue(over.iloc[0:0], NAMES) == []


def test_budgets_behind_time_progress():
    df = pd.DataFrame(
        {
            "area_code": ["620122", "620123", "city"],
            "budget_category": ["precise_service"] * 3,
            "budget": [100.0, 100.0, 0.0],
            "actual": [40.0, 80.0, 0.0],
            "execution_rate": [0.4, 0.8, float("nan")],
        }
    )
    items = attention.budgets_behind(df, 0.9, NAMES, {"precise_service": "精准服务"})
    assert len(items) == 1 and "皋兰县精准服务" in items[0].text and "40.0%" in items[0].text


def test_branch_gaps_and_ordering():
    act = pd.DataFrame({"branch_id": [1, 2, 3], "completion": [1.0, 0.5, float("nan")]})
    gaps = attention.branch_gaps(act)
    assert len(gaps) == 1 and "1 个党支部" in gaps[0].text
    items = attention.collect(gaps, attention.key_cohort_short(2))
    assert items[0].severity == 2
