"""Every card on 总览 carries its 同比 where the ledger holds the same span a year earlier
(issue 26, item 11); none where it does not."""

from __future__ import annotations

import pytest

from dashboard import formatting, labels, metrics
from data_access.privacy import SMALL_CELL
from tests import apptest_tools as tools


def test_every_overview_card_has_its_year_over_year(monkeypatch, sqlite_demo_path):
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/overview.py", {"year": "2020"})
    cards = tools.metrics(at)
    assert len(cards) >= 15
    missing = [label for label, (_, delta) in cards.items() if f"（{labels.YOY}）" not in (delta or "")]
    assert missing == [], missing
    # the card's own reading stays first ("▼ 还差 3 人 · +0.1 个百分点（同比）")
    key = cards[next(label for label in cards if "重点对象" in label)][1]
    assert key.index(f"（{labels.YOY}）") > key.index(" · ")


def test_no_year_over_year_before_the_ledger_starts(monkeypatch, sqlite_demo_path):
    from dashboard import data

    url = f"sqlite:///{sqlite_demo_path}"
    first = data._first_year(url)
    at = tools.open_page(monkeypatch, url, "pages/overview.py", {"year": str(first)})
    cards = tools.metrics(at)
    assert cards and not [label for label, (_, delta) in cards.items() if labels.YOY in (delta or "")]


def test_a_period_shorter_than_a_year_also_shows_its_month_on_month(monkeypatch, sqlite_demo_path):
    url = f"sqlite:///{sqlite_demo_path}"
    at = tools.open_page(monkeypatch, url, "pages/overview.py", {"start": "2020-07-01", "end": "2020-09-30"})
    cards = tools.metrics(at)
    mom = f"（{labels.MOM}）"
    for label in ("重点对象联系覆盖率", "联系覆盖率", "预算执行率", "特困帮扶"):
        reading = cards[label][1] or ""
        assert mom in reading and f"（{labels.YOY}）" in reading, (label, reading)
    year = tools.metrics(tools.open_page(monkeypatch, url, "pages/overview.py", {"year": "2020"}))
    assert not [label for label, (_, delta) in year.items() if mom in (delta or "")]  # a whole year: 同比 only


def test_execution_cards_carry_a_monthly_line(monkeypatch, sqlite_demo_path):
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/overview.py", {"year": "2020"})
    lines = {m.label: list(m.proto.chart_data) for m in at.metric}
    for label in ("预算执行率", "精准服务经费执行率"):
        assert len(lines[label]) == 12, label  # one point per month of 2020
        assert lines[label] == sorted(lines[label])  # cumulative: never falls
    assert all(lines.values())  # (every card carries a line: see below)


def test_coverage_and_org_life_cards_carry_a_monthly_line(monkeypatch, sqlite_demo_path):
    """Issue 26 item 11: 联系覆盖率 (people contacted each month ÷ people in view) and
    组织生活完成率 (month by month) carry the series of their pages' monthly charts."""
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/overview.py", {"year": "2020"})
    lines = {m.label: list(m.proto.chart_data) for m in at.metric}
    assert len(lines["联系覆盖率"]) == 12 and all(0 <= v <= 1 for v in lines["联系覆盖率"])
    life = next(label for label in lines if "组织生活" in label)
    assert 1 <= len(lines[life]) <= 12 and all(0 <= v <= 1 for v in lines[life])


# The cards whose line is the card's own figure at each month end (cumulative within the period
# for flows, on the month's last day for stocks), and how the card writes that figure.
MONTH_END_LINES = {
    "key_coverage": formatting.percent,
    "overdue": lambda v: f"{int(v):,} 人",
    "average_age": formatting.age,
    "branches": lambda v: f"{formatting.count(v)} 个",
    "members": lambda v: f"{formatting.count(v)} 人",
    "secretary_share": formatting.percent,
    "aid": lambda v: f"{formatting.count(v)} 人",
    "goods": formatting.yuan,
}


@pytest.mark.parametrize("params", [{"year": "2020"}, {"year": "2019", "area": "city"}])
def test_every_overview_card_carries_a_line(monkeypatch, sqlite_demo_path, params):
    """Issue 26 item 11: all 15 cards carry a small line — the three head counts their trend
    year by year, the twelve others a point per month of the period (2020: twelve), and each
    month-end line ends on the figure its card shows."""
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/overview.py", params)
    lines = {m.label: list(m.proto.chart_data) for m in at.metric}
    cards = tools.metrics(at)
    assert len(lines) == 15, list(lines)
    assert [label for label, line in lines.items() if not line] == []
    yearly = {metrics.get(k).name for k in ("veterans", "retirees", "survivors")}
    life = next(label for label in lines if "组织生活" in label)
    for label, line in lines.items():
        if label not in yearly | {life}:  # (organisational life: the months already over)
            assert len(line) == 12, (label, len(line))
    for key, written in MONTH_END_LINES.items():
        name = metrics.get(key).name
        assert cards[name][0].endswith(written(lines[name][-1])), (name, cards[name][0], lines[name][-1])
    cumulative = [metrics.get(k).name for k in ("key_coverage", "aid", "goods")]
    for name in cumulative[1:]:
        assert lines[name] == sorted(lines[name]), name  # people paid so far: never falls


def test_a_hidden_month_draws_no_line(monkeypatch, tmp_path, sqlite_demo_path):
    """For a viewer whose small cells are hidden, 皋兰县's aid (a handful of people) is hidden on
    its card and draws no line; the other cards keep theirs."""
    at = tools.hiding_small_cells(
        monkeypatch, tmp_path, f"sqlite:///{sqlite_demo_path}", "pages/overview.py", {"year": "2020", "area": "620122"}
    )
    lines = {m.label: list(m.proto.chart_data) for m in at.metric}
    cards = tools.metrics(at)
    aid = metrics.get("aid").name
    assert cards[aid][0].startswith(SMALL_CELL) and lines[aid] == []
    assert lines[metrics.get("overdue").name] and lines[metrics.get("average_age").name]


def test_a_warm_run_derives_nothing_again(monkeypatch, sqlite_demo_path):
    """The fifteen cards' lines, the trend and the table by area are derived once per view:
    a second run computes no query and no figure."""
    tools.warm_run_computes_nothing(
        monkeypatch,
        f"sqlite:///{sqlite_demo_path}",
        "pages/overview.py",
        "dashboard.overview_view",
        {"card_lines", "_trend", "_area_parts"},
    )
