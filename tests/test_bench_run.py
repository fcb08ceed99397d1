"""The page benchmark (bench/run.py): it times a page the way a browser opens it, and a
rewrite of docs/performance.md keeps the sections other runs and people wrote."""

from __future__ import annotations

import streamlit as st

from bench import run
from dashboard.data import clear_caches


def test_rewrite_keeps_the_analysis_and_the_concurrency_sections():
    old = (
        "# Performance\n\nold table\n\n<!-- analysis:start -->\nreading\n<!-- analysis:end -->\n\n"
        "<!-- concurrency:start -->\nsessions\n<!-- concurrency:end -->\n"
        "<!-- ledger-import:start -->\nimport\n<!-- ledger-import:end -->\n"
    )
    out = run._keep_sections(old, "# Performance\n\nnew table\n")
    assert "new table" in out and "old table" not in out
    assert out.index("reading") < out.index("sessions") < out.index("import")
    assert run._keep_sections("# Performance\n", "# Performance\n\nnew\n") == "# Performance\n\nnew\n"


def test_a_page_is_timed_cold_warm_and_against_its_own_sql(sqlite_demo_path, monkeypatch):
    monkeypatch.delenv("SERVICE_DB_URL", raising=False)
    monkeypatch.setenv("SERVICE_DEMO_DB", str(sqlite_demo_path))
    try:
        result = run._page_runs(f"sqlite:///{sqlite_demo_path}", "sqlite", "suggestions", warm_runs=1)
    finally:
        clear_caches()
        st.cache_resource.clear()
    assert result["statements"] > 0  # the cold run reached the database ...
    assert 0 < result["sql_in_page_s"] < result["cold_s"]  # ... inside the page's own time
    assert result["raw_sql_s"] > 0 and result["warm_s"] > 0
