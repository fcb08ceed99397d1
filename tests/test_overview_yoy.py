"""Every card on 总览 carries its 同比 where the ledger holds the same span a year earlier
(issue 26, item 11); none where it does not."""

from __future__ import annotations

from dashboard import labels
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
    assert sum(1 for v in lines.values() if v) >= 5  # (three head counts had one before)


def test_coverage_and_org_life_cards_carry_a_monthly_line(monkeypatch, sqlite_demo_path):
    """Issue 26 item 11: the cards whose figure has a monthly series in the data layer carry it
    (联系覆盖率: people contacted each month ÷ people in view; 组织生活完成率: month by month)."""
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/overview.py", {"year": "2020"})
    lines = {m.label: list(m.proto.chart_data) for m in at.metric}
    assert len(lines["联系覆盖率"]) == 12 and all(0 <= v <= 1 for v in lines["联系覆盖率"])
    life = next(label for label in lines if "组织生活" in label)
    assert 1 <= len(lines[life]) <= 12 and all(0 <= v <= 1 for v in lines[life])
    assert sum(1 for v in lines.values() if v) >= 7
