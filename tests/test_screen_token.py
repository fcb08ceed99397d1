"""The meeting screen all day (issue 26, item 12): a screen token opens the meeting screen
only, for one scope, does not expire with ``session_minutes`` (tested with the clock moved
forward), is revocable, and is in the audit log; the demo screen says it shows a fixed
snapshot instead of warning that the data is thousands of days old."""

from __future__ import annotations

import datetime as dt
import json
import time
import types

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, labels
from data_access import audit
from data_access.db import make_engine
from tests import apptest_tools as tools

TOKEN = "test-screen-token-0123456789abcdef"
DISTRICT_TOKEN = "test-district-token-fedcba9876543210"


def _config(tmp_path, revoked: bool = False) -> str:
    """The test accounts (session_minutes = 1) and two screen tokens."""
    path = tools.access_file(tmp_path, session_minutes="1")
    lines = [
        "[[access.screen_tokens]]",
        'name = "会议室大屏"',
        f'token_sha256 = "{auth.token_hash(TOKEN)}"',
        'scope = "city"',
        *(["revoked = true"] if revoked else []),
        "[[access.screen_tokens]]",
        'name = "皋兰县大屏"',
        f'token_sha256 = "{auth.token_hash(DISTRICT_TOKEN)}"',
        'area = "620122"',
    ]
    with open(path, "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


@pytest.fixture
def service(monkeypatch, tmp_path, sqlite_demo_path):
    """A configured (not demo) ledger with local accounts, screen tokens and an audit store."""
    import streamlit as st

    from tests.test_access import clear_caches

    clear_caches()
    st.cache_resource.clear()
    monkeypatch.delenv("SERVICE_DEMO_DB", raising=False)
    monkeypatch.setenv("SERVICE_DB_URL", f"sqlite:///{sqlite_demo_path}")
    monkeypatch.setenv("DASHBOARD_ACCESS_FILE", _config(tmp_path))
    audit_url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    monkeypatch.setenv("AUDIT_DB_URL", audit_url)
    return audit_url


class Clock:
    """time.time() for the auth module, moved forward by hand."""

    def __init__(self):
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def _sign_in(username: str, page: str) -> AppTest:
    """A local account's session (the configuration already in the environment)."""
    at = AppTest.from_file(tools.APP, default_timeout=120)
    at.run()
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(tools.PASSWORD)
    at.button[0].click()
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def _screen_html(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html")).replace("\\u003c", "<")


def _payload(at: AppTest) -> dict:
    body = _screen_html(at)
    start = body.index("window.__meetingScreenData = ") + len("window.__meetingScreenData = ")
    return json.JSONDecoder().raw_decode(body[start:])[0]


def _open(token: str, **params) -> AppTest:
    at = AppTest.from_file(tools.APP, default_timeout=120)
    at.query_params[auth.SCREEN_TOKEN_PARAM] = token
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    return at


def test_a_screen_token_runs_all_week_where_a_session_ends(service, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(auth, "time", types.SimpleNamespace(time=clock, monotonic=time.monotonic))
    at = _open(TOKEN, refresh="300")
    assert "#meeting-screen" in _screen_html(at)
    payload = _payload(at)
    assert payload["demo"] is None and payload["snapshot"] is None
    assert payload["stale"] and "天未更新" in payload["stale"]  # a real ledger that is old still says so
    # A signed-in account's session ends after session_minutes (1 minute here) ...
    leader = _sign_in("leader", "pages/screen.py")
    assert "#meeting-screen" in _screen_html(leader)
    # ... the clock moves a week forward: the account falls to the sign-in page, the token screen stays.
    clock.offset = 7 * 24 * 3600
    leader.run()
    assert labels.SIGNIN_EXPIRED in [w.value for w in leader.warning]
    at.run()
    assert not at.exception and "#meeting-screen" in _screen_html(at)
    for _ in range(3):  # its scheduled refreshes (full reruns here) keep it on
        clock.offset += 24 * 3600
        at.run()
        assert "#meeting-screen" in _screen_html(at)


def test_the_token_opens_the_screen_only_for_its_scope(service, monkeypatch):
    at = _open(DISTRICT_TOKEN, carousel="1")
    for page in ("pages/overview.py", "pages/contacts.py", "pages/audit.py"):
        with pytest.raises(ValueError):  # not registered for this session: unreachable by any URL
            at.switch_page(page)
    payload = _payload(at)
    names = {s["name"].split(" · ")[-1] for s in payload["scopes"]}
    assert names == {"皋兰县"}  # its own area, no city-wide scope nor another district
    assert "城关区" not in _screen_html(at)


def test_revoked_or_unknown_tokens_show_no_figures_and_are_audited(service, monkeypatch, tmp_path):
    at = _open(TOKEN)
    assert "#meeting-screen" in _screen_html(at)
    # Revoked in the configuration: the next refresh takes the screen off.
    (tmp_path / "revoked").mkdir()
    monkeypatch.setenv("DASHBOARD_ACCESS_FILE", _config(tmp_path / "revoked", revoked=True))
    assert auth.screen_user(auth.screen_tokens({}), TOKEN) is None
    at.run()
    assert "#meeting-screen" not in _screen_html(at)
    assert labels.SCREEN_TOKEN_INVALID in [e.value for e in at.error]
    wrong = _open("not-a-token")
    assert "#meeting-screen" not in _screen_html(wrong) and labels.SCREEN_TOKEN_INVALID in [
        e.value for e in wrong.error
    ]
    events = audit.fetch(make_engine(service), dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    actions = list(zip(events["user_id"], events["action"]))
    assert ("screen:会议室大屏", "screen_login") in actions and ("screen:会议室大屏", "view") in actions
    assert ("screen:?", "screen_token_failed") in actions
    assert not events["filters"].fillna("").str.contains(TOKEN).any()  # the credential is never logged


def test_still_signed_in_follows_the_configuration(service, monkeypatch, tmp_path):
    user = auth.screen_user(auth.screen_tokens({}), TOKEN)
    assert user is not None and user.user_id == "screen:会议室大屏" and user.role == "city" and not user.sees_people
    district = auth.screen_user(auth.screen_tokens({}), DISTRICT_TOKEN)
    assert district.role == "district" and district.area == "620122"
    assert auth.screen_user(auth.screen_tokens({}), "") is None
    assert auth.screen_user([{"name": "x", "token_sha256": auth.token_hash("t"), "scope": "district"}], "t") is None
    token, digest = auth.new_screen_token()
    assert len(token) >= 40 and auth.token_hash(token) == digest


def test_the_demo_screen_says_it_is_a_fixed_snapshot(monkeypatch, sqlite_demo_path):
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/screen.py")
    payload = _payload(at)
    assert payload["stale"] is None and "天未更新" not in _screen_html(at)
    assert payload["snapshot"] == labels.SCREEN_DEMO_SNAPSHOT
