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
