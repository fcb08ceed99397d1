"""区县对比's 综合名次 and the screen's 区县综合排名 rank on rates, not on raw counts (issue
#26, point 1): 市直 with 308 overdue of 13,954 people ranked below 红古区 with 9 because the
composite ranked the count. Every metric behind the composite is shown with each area's rank."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import comparison as cmp
from dashboard import labels, metrics
from dashboard import screen as scr
from dashboard.context import PageContext
from dashboard.url_state import Selection
from data_access import contacts
from data_access.db import make_engine
from data_access.filters import Filters, Period, Scope
from data_access.reference import fetch_areas
from tests import apptest_tools as tools

AS_OF = dt.date(2020, 12, 31)


def _ctx(monkeypatch, path) -> tuple[PageContext, Filters]:
    url = f"sqlite:///{path}"
    monkeypatch.setenv("SERVICE_DB_URL", url)
    with make_engine(url).connect() as c:
        areas = fetch_areas(c)
    f = Filters(Period.year(2020))
    return PageContext(Selection(f, 2020), Scope.everything(), AS_OF, 2018, areas), f


def test_the_composite_ranks_rates_only(monkeypatch, sqlite_demo_path):
    ctx, f = _ctx(monkeypatch, sqlite_demo_path)
    table = cmp.comparison(ctx, f)
    ranks = cmp.ranks(table, cmp.progress(ctx, f))
    mean, used = cmp.composite(table, ranks)
    keys = [m.key for m in used]
    assert "overdue" not in keys and "branches" not in keys and "overdue_rate" in keys
    assert all(m.kind == metrics.RATE and m.better != metrics.NONE for m in used)
    # The overdue rate is the count per person in view (coverage's denominator).
    pop = cmp.data.query(contacts.fetch_coverage, Filters(Period.year(2020), areas=("city",)), ctx.scope).iloc[0][
        "population"
    ]
    assert table.loc["city", "overdue_rate"] == table.loc["city", "overdue"] / pop
    # The composite is the mean of the areas' ranks on those rates, and it moves with them only.
    assert mean.dropna().round(9).equals(ranks[keys].astype("float64").mean(axis=1).dropna().round(9))
    bigger = table.copy()
    bigger.loc["city", "overdue"] *= 10  # a count alone no longer moves the composite
    assert cmp.composite(bigger, cmp.ranks(bigger, cmp.progress(ctx, f)))[0].equals(mean)


def test_every_metric_behind_the_composite_is_shown_with_its_rank(monkeypatch, sqlite_demo_path):
    ctx, f = _ctx(monkeypatch, sqlite_demo_path)
    table = cmp.comparison(ctx, f)
    ranks = cmp.ranks(table, cmp.progress(ctx, f))
    why, used = cmp.composite_frame(table, ranks, ctx.area_names)
    assert list(why.columns[3:]) == [m.label for m in used]
    assert why[labels.SCREEN_RANK_PLACE].is_monotonic_increasing and why.iloc[0][labels.SCREEN_RANK_PLACE] == 1
    assert all(cell.endswith("）") for m in used for cell in why[m.label])
    payload = scr.ranking_payload(ctx, f)
    assert "逾期未联系率" in payload["headers"] and "逾期未联系（人）" not in payload["headers"]
    assert "不计入" in payload["how"]
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/districts.py", {"year": "2020"})
    shown = next(d.value for d in at.dataframe if labels.SCREEN_RANK_PLACE in getattr(d.value, "columns", []))
    assert isinstance(shown, pd.DataFrame) and list(shown.columns) == list(why.columns)
    assert metrics.get("overdue_rate").label in shown.columns
