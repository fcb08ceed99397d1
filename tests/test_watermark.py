"""The faint watermark over the dashboard: account and time, for signed-in users only."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest

from dashboard import auth, labels, watermark
from dashboard.data import clear_caches
from tests import apptest_tools as tools

AT = dt.datetime(2021, 1, 5, 9, 30)


def tile_of(css: str) -> str:
    data = re.search(r"base64,([A-Za-z0-9+/=]+)", css).group(1)
    return base64.b64decode(data).decode("utf-8")


def test_overlay_is_faint_click_through_above_everything_and_printed():
    css = watermark.css("leader@bureau.gov.cn", AT)
    assert css.startswith("<style>") and css.endswith("</style>")  # style only: takes no room on the page
    assert "pointer-events: none" in css and "position: fixed" in css and "inset: 0" in css
    assert "print-color-adjust: exact" in css  # kept on paper too
    svg = tile_of(css)
    assert "leader@bureau.gov.cn · 2021-01-05 09:30" in svg and labels.INTERNAL in svg
    assert "rgba(128, 128, 128, 0.13)" in svg


def test_account_names_cannot_break_out_of_the_picture():
    svg = tile_of(watermark.css("<script>alert(1)</script>\"'&", AT))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp;" in svg


@pytest.mark.parametrize(
    ("user", "kiosk", "params", "shown"),
    [
        (auth.User("leader", "市领导", "city"), False, {}, True),
        (auth.User("leader", "市领导", "city", source="oidc"), False, {}, True),
        (auth.User("demo", labels.DEMO_USER, "city", source="demo"), False, {}, False),
        (None, False, {}, False),
        (auth.User("leader", "市领导", "city"), True, {"watermark": "0"}, False),  # the meeting screen turns it off
        (auth.User("leader", "市领导", "city"), True, {}, True),
        (auth.User("leader", "市领导", "city"), False, {"watermark": "0"}, True),  # a page cannot
    ],
)
def test_who_sees_it(user, kiosk, params, shown):
    assert watermark.wanted(user, kiosk, params) is shown


def _styles(at) -> list[str]:
    return [h.proto.body for h in at.get("html") if "body::after" in h.proto.body]


def test_signed_in_pages_carry_it_demo_and_an_opted_out_screen_do_not(monkeypatch, tmp_path, sqlite_demo_path):
    import streamlit as st

    clear_caches()
    st.cache_resource.clear()
    monkeypatch.delenv("SERVICE_DEMO_DB", raising=False)
    monkeypatch.setenv("SERVICE_DB_URL", f"sqlite:///{sqlite_demo_path}")
    at = tools.signed_in(monkeypatch, tmp_path, "leader", "pages/contacts.py")
    assert not at.exception
    (style,) = _styles(at)
    assert "leader · " in tile_of(style)
    screen = tools.signed_in(monkeypatch, tmp_path, "leader", "pages/screen.py", {"watermark": "0"})
    assert not screen.exception and not _styles(screen)
    monkeypatch.delenv("DASHBOARD_ACCESS_FILE")  # no accounts: the embedded demo, nobody signs in
    clear_caches()
    demo = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/contacts.py")
    assert not _styles(demo)
