"""The house rules of issue 23 that a reader relies on: thin pages, one way to load data."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_a_page_is_a_thin_script_calling_its_view(page):
    """A page lays out its view's sections: at most 60 lines, no query, no data_access."""
    source = page.read_text(encoding="utf-8")
    assert source.count("\n") <= 60, page.name
    tree = ast.parse(source)
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(m and m.startswith("data_access") for m in modules), modules
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
    assert not [ast.unparse(c.func) for c in calls if ast.unparse(c.func.value) in ("data", "audit")]


def test_one_way_to_load_data():
    """dashboard.data offers ``query(fn, …)`` and no per-query wrappers; no page or view
    names a query function as a string (every call is a reference a tool can follow)."""
    from dashboard import data

    assert not hasattr(data, "population") and not hasattr(data, "coverage")
    for path in [*(ROOT / "dashboard").glob("*.py"), *PAGES]:
        text = path.read_text(encoding="utf-8")
        assert "importlib" not in text, path.name


def test_a_default_argument_shares_the_cached_result(monkeypatch, sqlite_demo_path):
    """``by=()`` written out or left to its default is one query, one cached result."""
    from dashboard import data
    from data_access import people
    from data_access.filters import Filters, Period, Scope

    monkeypatch.setenv("SERVICE_DB_URL", f"sqlite:///{sqlite_demo_path}")
    data.clear_caches()
    f, s = Filters(Period.year(2020)), Scope.everything()
    first = data.query(people.fetch_population_summary, f, s)
    size = len(data.RESULTS)
    second = data.query(people.fetch_population_summary, f, s, by=())
    assert len(data.RESULTS) == size and first.equals(second)
    with pytest.raises(TypeError):
        data.query(people.fetch_population_summary, f, s, no_such_argument=1)
