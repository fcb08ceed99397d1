"""Filters that leave nobody in view give an empty page with a notice, never a traceback."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES
from tests.apptest_tools import APP, use_demo_ledger

NOBODY = {"category": "survivor", "rank": "prefecture_principal"}  # survivors hold no rank


@pytest.mark.parametrize("spec", PAGES, ids=[p.key for p in PAGES])
def test_every_page_survives_a_view_with_nobody_in_it(monkeypatch, sqlite_demo_path, spec):
    use_demo_ledger(monkeypatch, f"sqlite:///{sqlite_demo_path}")
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in NOBODY.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    if spec.key != "overview":
        at.switch_page(spec.path).run()
        assert not at.exception, [e.message for e in at.exception]
