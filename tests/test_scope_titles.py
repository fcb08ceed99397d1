"""Titles follow the scope shown (issue #23, point 3): a chart of one district's figures is
titled with that district, for a district account and for ``?area=`` alike; no chart title
or caption on a topic page says 全市 when the view is one district (皋兰县)."""

from __future__ import annotations

import json

import pytest

from dashboard import labels
from dashboard.data import clear_caches
from tests import apptest_tools as tools

PAGES = [
    "pages/overview.py",
    "pages/contacts.py",
    "pages/branches.py",
    "pages/money.py",
    "pages/groups.py",
    "pages/services.py",
    "pages/talent.py",
    "pages/suggestions.py",
]


# Charts whose title needs no area: one bar per branch.
UNSCOPED = {labels.CHART_MEMBERS_HIST}


def chart_titles(at) -> list[str]:
    out = []
    for chart in at.get("plotly_chart"):
        title = json.loads(chart.proto.spec).get("layout", {}).get("title", {})
        out.append(title.get("text", "") if isinstance(title, dict) else str(title))
    return out


def texts(at) -> list[str]:
    """Every chart title, caption and subheader the page shows."""
    return [*chart_titles(at), *(c.value for c in at.caption), *(s.value for s in at.subheader)]


def city_wide(at) -> list[str]:
    return [t for t in texts(at) if labels.CITY_WIDE in t and labels.CITY_WIDE not in labels.SMALL_CELL_NOTE]


@pytest.fixture(autouse=True)
def _fresh():
    import streamlit as st

    clear_caches()
    st.cache_resource.clear()


@pytest.mark.parametrize("page", PAGES)
def test_an_area_link_titles_every_chart_with_the_area(monkeypatch, sqlite_demo_path, page):
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", page, {"area": "620122", "year": "2020"})
    assert chart_titles(at), page
    assert not city_wide(at), city_wide(at)
    # (a chart of one bar per area with the one area shown names it too: "各区域…" read wrong)
    unnamed = [t for t in chart_titles(at) if "皋兰县" not in t and t not in UNSCOPED]
    assert not unnamed, unnamed


@pytest.mark.parametrize("page", PAGES)
def test_a_district_account_sees_its_district_in_every_title(monkeypatch, tmp_path, sqlite_demo_path, page):
    monkeypatch.delenv("SERVICE_DEMO_DB", raising=False)
    monkeypatch.setenv("SERVICE_DB_URL", f"sqlite:///{sqlite_demo_path}")
    at = tools.signed_in(monkeypatch, tmp_path, "gaolan", page, {"year": "2020"})
    assert not at.exception
    assert chart_titles(at), page
    assert not city_wide(at), city_wide(at)


@pytest.mark.parametrize(
    ("page", "title"),
    [("pages/money.py", "皋兰县各类经费预算执行率"), ("pages/services.py", "皋兰县各项服务办结率")],
)
def test_the_issues_titles(monkeypatch, sqlite_demo_path, page, title):
    """/money?year=2020&area=620122 read "全市各类经费预算执行率" over 皋兰县's own 47.7%."""
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", page, {"area": "620122", "year": "2020"})
    assert title in chart_titles(at)


def test_the_city_view_keeps_its_titles(monkeypatch, sqlite_demo_path):
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/money.py", {"year": "2020"})
    assert "全市各类经费预算执行率" in chart_titles(at)
