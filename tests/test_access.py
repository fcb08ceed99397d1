"""Access control and privacy: sign-in modes, roles scoped by area in the data layer,
masking, small-cell suppression and the audit log."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard import auth, labels
from dashboard.data import clear_caches
from dashboard.export import csv_bytes
from dashboard.passwords import RateLimiter, hash_password, verify_password
from data_access import audit, contacts, people
from data_access.db import make_engine
from data_access.errors import FilterError
from data_access.filters import Filters, Period, Scope
from data_access.privacy import mask_name, mask_phone, suppress
from tests import apptest_tools as tools


@pytest.fixture(autouse=True)
def _fresh(monkeypatch, sqlite_demo_path):
    import streamlit as st

    clear_caches()
    st.cache_resource.clear()
    auth.LIMITER._failures.clear()
    auth.LIMITER._locked_until.clear()
    monkeypatch.delenv("SERVICE_DEMO_DB", raising=False)
    monkeypatch.setenv("SERVICE_DB_URL", f"sqlite:///{sqlite_demo_path}")  # a real, configured database


# ---------------------------------------------------------------------------- units


def test_password_hashes_and_rate_limit():
    stored = hash_password("秘密 password")
    assert stored.startswith("scrypt$") and verify_password("秘密 password", stored)
    assert not verify_password("wrong", stored) and not verify_password("x", "md5$abc")
    limiter = RateLimiter(max_failures=3, window_s=60, lock_s=300)
    for t in (0, 1, 2):
        assert limiter.locked_for("u", now=t) == 0
        limiter.failure("u", now=t)
    assert limiter.locked_for("u", now=3) == pytest.approx(299)
    assert limiter.locked_for("other", now=3) == 0
    assert limiter.locked_for("u", now=400) == 0


def test_modes():
    accounts = {"access": {"accounts": [{"username": "a", "password_hash": "x", "role": "city"}]}}
    assert auth.access_config({}, is_embedded_demo=True).mode == "demo"
    assert auth.access_config({}, is_embedded_demo=False).mode == "none"  # no data without sign-in
    assert auth.access_config({"access": {"mode": "demo"}}, is_embedded_demo=False).mode == "none"
    assert auth.access_config(accounts, is_embedded_demo=False).mode == "local"
    assert auth.access_config({"auth": {"client_id": "x"}}, is_embedded_demo=False).mode == "oidc"


def test_masking_and_small_cells():
    assert (mask_name("张明"), mask_name("张小明"), mask_name("欧阳小明")) == ("张*", "张*明", "欧**明")
    assert mask_phone("13812341234") == "138****1234"
    df = pd.DataFrame({"reason": list("abcd"), "n": [30, 3, 12, 40], "amount": [1.0, 2.0, 3.0, 4.0]})
    out = suppress(df, {"n": ("amount",)}, ("reason",))
    # One small cell alone could be recovered from the total: the next smallest hides too
    # (it is not fewer than five: it reads "（已隐藏）", as does every amount derived).
    assert out["n"].tolist() == [30, "<5", "（已隐藏）", 40]
    assert out["amount"].tolist() == [1.0, "（已隐藏）", "（已隐藏）", 4.0]
    two = suppress(pd.DataFrame({"reason": ["a", "b", "c"], "n": [1, 2, 50]}), {"n": ()}, ("reason",))
    assert two["n"].tolist() == ["<5", "<5", 50]


def test_scope_is_enforced_in_the_data_layer(conn):
    district = Scope.only(["620122"])
    f = Filters(Period.year(2020))
    df = people.fetch_population_summary(conn, f, district, ["area_code"])
    assert df["area_code"].tolist() == ["620122"]
    overdue = contacts.fetch_overdue_list(conn, f, district, dt.date(2020, 12, 31))
    assert set(overdue["area_code"]) == {"620122"}
    with pytest.raises(FilterError):
        people.fetch_population_summary(conn, Filters(Period.year(2020), areas=("city",)), district)


# ---------------------------------------------------------------------------- the app


def test_unconfigured_sign_in_shows_no_data(monkeypatch):
    at = tools.AppTest.from_file(tools.APP, default_timeout=120)
    at.run()
    assert not at.exception and not at.metric and not at.dataframe
    assert "尚未配置登录" in at.warning[0].value


def test_wrong_passwords_are_rate_limited(monkeypatch, tmp_path):
    at = tools.signed_in(monkeypatch, tmp_path, "leader", password="wrong")
    assert "用户名或密码不正确" in at.error[0].value and not at.metric
    for _ in range(4):
        at.text_input(key="signin_password").input("wrong")
        at.button[0].click()
        at.run()
    at.text_input(key="signin_password").input(tools.PASSWORD)  # even the right one, now
    at.button[0].click()
    at.run()
    assert "已暂时锁定" in at.error[0].value and not at.metric
    rows = audit.fetch(make_engine(f"sqlite:///{tmp_path / 'audit.sqlite'}"), dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    assert (rows["action"] == "login_failed").sum() == 5 and (rows["action"] == "login_blocked").sum() == 1


def test_district_account_sees_only_its_area(monkeypatch, tmp_path, sqlite_demo_path):
    # Warm the cache as a city leader first: the district account must not get those results.
    tools.signed_in(monkeypatch, tmp_path, "leader", "pages/overview.py")
    at = tools.signed_in(monkeypatch, tmp_path, "gaolan", None, {"area": ["city", "620102"]})  # lands on 总览
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert "area=city" in notices and "area=620102" in notices  # dropped: outside the account's scope
    with make_engine(f"sqlite:///{sqlite_demo_path}").connect() as c:
        expected = people.fetch_population_summary(c, Filters(Period.year(2020)), Scope.only(["620122"]), ["category"])
    shown = tools.metrics(at)
    assert shown["退休干部"][0] == f"{int(expected.set_index('category').loc['retiree', 'people']):,} 人"
    table = tools.frame(at, "区域")
    assert table["区域"].tolist() == ["皋兰县"]
    # Drill links and pages: another area's drill is refused; the comparison shows one row, no city.
    drill = tools.signed_in(monkeypatch, tmp_path, "gaolan", "pages/contacts.py", {"drill_area": "city"})
    assert any("city" in w.value for w in drill.warning)
    cmp_page = tools.signed_in(monkeypatch, tmp_path, "gaolan", "pages/districts.py")
    assert cmp_page.dataframe[0].value.index.tolist() == ["皋兰县"]
    screen = tools.signed_in(monkeypatch, tmp_path, "gaolan", "pages/screen.py", {"carousel": "1"})
    body = "".join(h.proto.body for h in screen.get("html")).encode().decode("unicode_escape", errors="ignore")
    assert "城关区" not in body and "市直" not in body
    with pytest.raises(ValueError):  # no audit page for a district account
        cmp_page.switch_page("pages/audit.py")


def test_masking_holds_in_every_table_and_csv(monkeypatch, tmp_path, sqlite_demo_path):
    with make_engine(f"sqlite:///{sqlite_demo_path}").connect() as c:
        names = {n for (n,) in c.execute(sa.text("SELECT name FROM people")).all()}
        names |= {n for (n,) in c.execute(sa.text("SELECT helper_name FROM pairings")).all()}
    pages = [
        ("pages/contacts.py", {"area": "620122"}),
        ("pages/contacts.py", {"drill_area": "620122", "drill_unit": "369"}),
        ("pages/money.py", {"drill_area": "city", "drill_category": "hardship_aid"}),
        ("pages/money.py", {}),
    ]
    for page, params in pages:
        at = tools.signed_in(monkeypatch, tmp_path, "leader", page, params)
        for d in at.dataframe:
            df = d.value
            cells = {str(v) for col in df.columns for v in df[col].tolist()}
            assert not cells & names, page
            data = csv_bytes(df).decode("utf-8-sig")
            assert not [n for n in names if len(n) == 3 and re.search(rf"(^|,){n}(,|$)", data, re.M)], page
    # An account allowed to see full names does see them.
    unmasked = tools.signed_in(monkeypatch, tmp_path, "auditor", "pages/contacts.py", {"area": "620122"})
    overdue = tools.frame(unmasked, "姓名", "区域", "单位")
    assert set(overdue["姓名"]) <= names and not overdue["姓名"].str.contains(r"\*").any()


def test_small_cells_on_the_aid_page(monkeypatch, tmp_path):
    """皋兰县 has one aid recipient (3,000 元) and one person registered in hardship: for an
    account without lists of people no figure on the page — KPI, table, chart — may show that
    count or anything derived from it (amount, average, rate, a category's spending), nor let
    it be recovered by subtraction. An account with lists sees the real figures."""
    at = tools.signed_in(monkeypatch, tmp_path, "observer", "pages/money.py", {"area": "620122"})
    assert not at.exception
    reasons = tools.frame(at, "困难情形", "帮扶人数")
    counts = reasons["帮扶人数"].tolist()
    assert all(c in ("<5", "（已隐藏）") or int(c) >= 5 for c in counts)
    shown = tools.metrics(at)
    assert shown["特困帮扶"] == ("<5 人", "（已隐藏）")  # no amount beside it
    assert shown["人均帮扶"][0] == "（已隐藏）" and shown["困难对象覆盖率"] == (
        "已帮扶 <5 人 · （已隐藏）",
        "登记困难 <5 人",
    )
    assert not [
        m for m in shown.values() if re.search(r"(^|[^\d,])[1-4] 人|3,000 元|0\.30 万元", " ".join(filter(None, m)))
    ]
    heads = ("帮扶人数", "慰问品人数", "登记困难人数", "已帮扶人数")
    for df in (d.value for d in at.dataframe):
        for col in (c for c in df.columns if c in heads):
            assert all(str(v) in ("<5", "（已隐藏）", "0") or int(str(v).replace(",", "")) >= 5 for v in df[col]), col
        for col in ("帮扶金额（元）", "人均帮扶（元/人）", "慰问品（元）"):
            if col in df.columns:  # an amount shown beside a hidden count is hidden too
                hidden = df[[c for c in heads if c in df.columns][0]].isin(["<5", "（已隐藏）"])
                assert (df.loc[hidden, col].isin(["（已隐藏）"]) | df.loc[hidden, col].astype(str).isin(["0"])).all()
    spending = tools.frame(at, "经费类别", "预算（元）").set_index("经费类别")["支出（元）"]
    assert (
        spending["特困帮扶"] == "（已隐藏）" and (spending == "（已隐藏）").sum() == 2
    )  # and one more, against the total
    assert any(labels.PERSON_LISTS_OFF in i.value for i in at.info)  # no list of the unaided either
    leader = tools.signed_in(monkeypatch, tmp_path, "leader", "pages/money.py", {"area": "620122"})
    assert tools.metrics(leader)["特困帮扶"] == ("1 人", "0.30 万元")


def test_admin_reads_the_audit_log(monkeypatch, tmp_path):
    tools.signed_in(monkeypatch, tmp_path, "leader", "pages/contacts.py")
    at = tools.signed_in(monkeypatch, tmp_path, "admin", "pages/audit.py")
    assert not at.exception
    log = tools.frame(at, "时间", "用户")
    assert {"leader", "admin"} <= set(log["用户"]) and "浏览" in set(log["操作"])


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unaudited_person_level_exports_are_refused():
    from dashboard import export

    people_rows = pd.DataFrame({"name": ["张*明"], "area": ["城关区"]})
    counts = pd.DataFrame({"area": ["城关区"], "people": [7076]})
    failed = lambda file_name, rows: False  # noqa: E731 - the audit store did not take the record
    with pytest.raises(export.ExportRefused, match="审计"):
        export.builder(people_rows, "名单.csv", None, True, failed)()
    assert export.builder(counts, "汇总.csv", None, False, failed)().startswith(b"\xef\xbb\xbf")  # aggregates go on
    recorded = []
    build = export.builder(people_rows, "名单.csv", None, True, lambda f, n: recorded.append((f, n)) or True)
    assert build().startswith(b"\xef\xbb\xbf") and recorded == [("名单.csv", 1)]


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_audit_store_down_disables_person_level_downloads(monkeypatch, tmp_path, store):
    """With the audit store unreachable the pages still open, say that nothing is being
    recorded, and offer no person-level file (the button is disabled and says why)."""
    audit_url = {
        "sqlite": "sqlite:////proc/no-such-folder/audit.sqlite",  # a folder that cannot be created
        "postgresql": f"postgresql+psycopg://audit:secret@127.0.0.1:{_closed_port()}/audit",
    }[store]
    at = tools.signed_in(monkeypatch, tmp_path, "leader", "pages/contacts.py", audit_url=audit_url)
    assert not at.exception and at.metric
    assert labels.AUDIT_UNAVAILABLE in [w.value for w in at.warning]
    buttons = {b.proto.id.rsplit("-", 1)[-1]: b.proto for b in at.get("download_button")}
    person = [k for k in buttons if k.startswith("dl_overdue")]
    assert person and all(buttons[k].disabled for k in person)
    assert labels.EXPORT_NO_AUDIT in [c.value for c in at.caption]
    assert any(not b.disabled for b in buttons.values())  # aggregate tables: still offered


def test_unknown_user_names_cost_a_password_check(monkeypatch, tmp_path):
    """A wrong user name runs the same scrypt check as a wrong password: the answer's timing
    does not tell which names exist."""
    checked = []
    real = auth.verify_password

    def counting(password, stored):
        checked.append(stored.split("$")[0])
        return real(password, stored)

    monkeypatch.setattr(auth, "verify_password", counting)
    for name in ("leader", "nobody-by-this-name"):
        checked.clear()
        at = tools.signed_in(monkeypatch, tmp_path, name, password="wrong")
        assert at.error and not at.metric
        assert checked == ["scrypt"], name


def _reference_labels(at) -> list[str]:
    import json

    out = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        out += [t.get("name") or "" for t in spec.get("data", [])]  # reference lines are legend entries
    return out


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/contacts.py", "pages/services.py"])
def test_a_districts_own_value_is_not_labelled_city_wide(monkeypatch, tmp_path, page):
    """The reference line drawn at the view's own value names what it covers: for a district
    account (or an area filter) its area, never 全市."""
    at = tools.signed_in(monkeypatch, tmp_path, "gaolan", page)
    assert not at.exception
    texts = _reference_labels(at)
    assert any(t.startswith("皋兰县 ") for t in texts), texts
    assert not [t for t in texts if t.startswith("全市")], texts
    city = tools.signed_in(monkeypatch, tmp_path, "leader", page)
    assert any(t.startswith("全市 ") for t in _reference_labels(city))


def test_small_cells_on_the_overview_and_the_comparison(monkeypatch, tmp_path):
    """The same rule on the other pages that show aid: for an account without lists,
    皋兰县's single recipient is "<5" on its overview (no amount, no average), and its average
    aid and hardship coverage are not shown (nor ranked) in the district comparison."""
    at = tools.signed_in(monkeypatch, tmp_path, "gaolan_summary", "pages/overview.py")
    aid = tools.metrics(at)["特困帮扶"]
    assert aid == ("<5 人", "（已隐藏） · 人均 （已隐藏）")
    cmp_page = tools.signed_in(monkeypatch, tmp_path, "observer", "pages/districts.py")
    # the comparison is two tables (contact metrics, then the others): 皋兰县's row in both
    table = pd.concat([d.value for d in cmp_page.dataframe[:2]], axis=1)
    row = table.loc["皋兰县"].astype(str)
    assert not [v for v in row if "3,000" in v or v in ("3000", "3000.0", "100.0%")], row.to_dict()
