"""Marks that match the table (issue #26, point 5): a bar over its budget carries the ▲ the
执行状态 column gives it ("▲ 超支"), on 总览's chart and on 帮扶与经费's."""

from __future__ import annotations

import json

from dashboard import charts
from data_access import rules
from tests import apptest_tools as tools


def test_execution_bars_mark_over_and_behind():
    fig = charts.execution_bars(["医药费", "精准服务", "离休费"], [1.03, 0.4, 0.97], 1.0, title="t", progress_label="p")
    bar = next(t for t in fig.data if t.type == "bar")
    assert list(bar.text) == ["103.0% ▲", "40.0% ▼", "97.0%"]
    assert bar.marker.color[0] == charts.STATUS["over"] != bar.marker.color[2]


def test_the_overviews_budget_chart_marks_what_the_table_says(monkeypatch, sqlite_demo_path):
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/overview.py", {"year": "2020"})
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.rsplit("-", 1)[-1].startswith("budget"))
    fig = json.loads(chart.proto.spec)
    bar = next(t for t in fig["data"] if t["type"] == "bar")
    progress = next(s["y0"] for s in fig["layout"]["shapes"] if s.get("y0") == s.get("y1"))
    states = [rules.budget_pace(v, progress) for v in bar["y"]]
    assert rules.OVER in states  # the demo's 2020 has categories over budget (医药费 103.0%)
    for text, state in zip(bar["text"], states):
        assert text.endswith("▲") is (state == rules.OVER) and text.endswith("▼") is (state == rules.BEHIND)
