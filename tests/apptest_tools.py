"""Helpers for AppTest page tests: open a page, simulate a chart click, find tables."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "streamlit_app.py")


def open_page(monkeypatch, url: str, page: str, params: dict | None = None) -> AppTest:
    """A fresh session opening ``page`` with URL parameters (as a pasted link would)."""
    monkeypatch.setenv("SERVICE_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def select_point(at: AppTest, chart_key_prefix: str, custom_id: str) -> AppTest:
    """Send the selection event a click on the bar whose customdata is ``custom_id`` sends."""
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.rsplit("-", 1)[-1].startswith(chart_key_prefix))
    tree = at._tree
    original = tree.get_widget_states

    def with_selection():
        states = original()
        w = states.widgets.add()
        w.id = chart.proto.id
        w.string_value = json.dumps(
            {
                "selection": {
                    "points": [{"customdata": [custom_id], "point_index": 0}],
                    "point_indices": [0],
                    "box": [],
                    "lasso": [],
                }
            }
        )
        return states

    tree.get_widget_states = with_selection
    at.run()
    assert not at.exception
    return at


def frame(at: AppTest, *columns: str):
    """The shown table whose headers start with ``columns``."""
    for df in (d.value for d in at.dataframe):
        if list(df.columns[: len(columns)]) == list(columns):
            return df
    raise AssertionError(f"no table with columns {columns}")


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}
