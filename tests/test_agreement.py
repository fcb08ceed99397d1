"""Numbers that agree on every surface (issue 21): one attribution rule per figure, a
district's figures adding up to the city's, as-of boundaries, one median, small cells hidden
on every surface for the viewers they are hidden from, the area with nobody in it, and
amounts to the fen in files.

The demo ledger holds none of these cases, so a small ledger is written here by hand
(``tests.ledger_kit``): a party member of a 皋兰县 branch who is managed by 城关区, aid paid by
城关区 to a 皋兰县 retiree, a member who joins after the as-of date, four answers of 14, 22,
28 and 35 days, a handful of aid recipients, amounts with cents, and 兰州新区 enabled with
nobody in it.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from dashboard.data import clear_caches
from dashboard.export import csv_bytes
from data_access import branches, contacts, groups, money, people, suggestions, talent
from data_access.filters import Filters, Period, Scope
from data_access.privacy import HIDDEN, SMALL_CELL
from tests import apptest_tools as tools
from tests.ledger_kit import Ledger

D = dt.date
AS_OF = D(2020, 6, 30)
GAOLAN, CHENGGUAN, XIGU, ANNING, NEW_AREA = "620122", "620102", "620104", "620105", "620171"
EVERYONE = Scope.everything()
HIDING = Scope.everything().hiding_small_cells()


def audit_ledger() -> Ledger:
    led = Ledger(include_new_area=True)
    b_gaolan = led.branch(GAOLAN, "district")
    b_cg = led.branch(CHENGGUAN, "district")
    b_city = led.branch("city", "city_unit")
    # 皋兰县's branch: six members managed by 皋兰县 and one managed by 城关区 (7 members).
    for _ in range(6):
        led.person("retiree", area=GAOLAN, branch=b_gaolan)
    stray = led.person("retiree", area=CHENGGUAN, branch=b_gaolan)
    for _ in range(8):
        led.person("retiree", area=CHENGGUAN, branch=b_cg)
    for _ in range(10):
        led.person("veteran", area="city", branch=b_city, rank="prefecture_deputy")
    # A member joining after the as-of date (entered 2020-09-01; the as-of date is 2020-06-30).
    led.person("retiree", area="city", branch=b_city, entered=D(2020, 9, 1))
    # Survivors and retirees in 西固区 with hardship (aid recipients).
    survivors = [led.person("survivor", area=XIGU, hardship="low_income") for _ in range(3)]
    retirees = [led.person("retiree", area=XIGU, hardship="serious_illness") for _ in range(6)]
    # Aid: one 皋兰县 retiree paid by 城关区 (2,000 元), four 城关区 people paid by 城关区.
    led.pay(stray, 2_000, area=CHENGGUAN)
    gaolan_retiree = led.rows["people"][0]["id"]
    led.pay(gaolan_retiree, 2_000.5, area=CHENGGUAN)  # a 皋兰县 person paid by 城关区, with cents
    for p in [r["id"] for r in led.rows["people"][7:10]]:
        led.pay(p, 1_000, area=CHENGGUAN)
    # 西固区: three survivors (small) and six retirees; goods to one survivor only.
    for p in survivors:
        led.pay(p, 1_200.25, area=XIGU, reason="low_income")
    for p in retirees:
        led.pay(p, 1_500, area=XIGU, reason="serious_illness")
    led.pay(survivors[0], 1_000, area=XIGU, form="goods", reason="low_income")
    # 安宁区 paid two people (a handful: its aid spending is theirs).
    for _ in range(2):
        led.pay(led.person("survivor", area=ANNING, hardship="advanced_age"), 3_100, area=ANNING, reason="advanced_age")
    # Budgets with cents; spending of other categories.
    for area in ("city", CHENGGUAN, GAOLAN, XIGU, ANNING):
        led.budget(2020, area, "hardship_aid", 20_000)
        led.budget(2020, area, "precise_service", 100_000)
        led.budget(2020, area, "facilities", 55_000.5)
        led.pay(None, 30_000, area=area, category="precise_service", on=D(2020, 5, 1))
        led.pay(None, 890_300.5 if area == "city" else 1_234.5, area=area, category="facilities", on=D(2020, 5, 2))
    # Suggestions answered in 14, 22, 28 and 35 days (median by nearest rank: 22).
    vet = led.rows["people"][15]["id"]
    for days in (14, 22, 28, 35):
        led.suggestion(vet, D(2020, 2, 1), D(2020, 2, 1) + dt.timedelta(days=days))
    # Activity up to the as-of date (contacts make it the as-of date).
    for person in led.rows["people"][:5]:
        led.contact(person["id"], D(2020, 1, 15))
    led.contact(led.rows["people"][20]["id"], AS_OF, channel="home_visit")
    return led


@pytest.fixture(scope="module")
def audit_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("audit_ledger") / "audit.sqlite"
    engine = audit_ledger().write(path)
    yield engine
    engine.dispose()


@pytest.fixture
def conn(audit_db):
    with audit_db.connect() as c:
        yield c


def year(areas=None, **kw) -> Filters:
    return Filters(Period.year(2020, AS_OF), areas=areas, **kw)


AREAS = ("city", CHENGGUAN, XIGU, ANNING, GAOLAN, NEW_AREA)


# ---------------------------------------------------------------------------- attribution: areas add up


# Every query with an area breakdown, with its counted columns (that must add up over areas),
# and the columns that cannot (distinct people may be counted in two areas; rates).
SUMMABLE = {
    "people.fetch_population_summary": (people.fetch_population_summary, {}, ["people", "party_members"]),
    "contacts.fetch_coverage": (contacts.fetch_coverage, {}, ["population", "reached"]),
    "contacts.fetch_overdue_count": (contacts.fetch_overdue_count, {"as_of": AS_OF}, ["overdue"]),
    "branches.fetch_branch_summary": (branches.fetch_branch_summary, {}, ["branches", "members"]),
    "money.fetch_aid_summary": (money.fetch_aid_summary, {}, ["cash_amount", "goods_amount", "payments"]),
    "money.fetch_budget_execution": (money.fetch_budget_execution, {}, ["budget", "actual"]),
    "money.fetch_hardship_coverage": (money.fetch_hardship_coverage, {}, ["flagged", "aided"]),
    "groups.fetch_group_counts": (groups.fetch_group_counts, {}, ["people", "lives_alone"]),
    "talent.fetch_pool": (talent.fetch_pool, {}, ["pool"]),
}


@pytest.mark.parametrize("name", sorted(SUMMABLE))
def test_every_area_breakdown_adds_up_to_the_city(conn, name):
    """For every figure with an area breakdown, each area filtered alone equals its row in
    the city-wide breakdown, and the rows add up to the city. (Aid recipients are distinct
    people per paying area: a person paid by two areas counts once in each and once in the
    city, so that count is compared per area only.)"""
    fn, kwargs, columns = SUMMABLE[name]
    by = ("area_code",) if name != "money.fetch_budget_execution" else ("area_code",)
    breakdown = fn(conn, year(), EVERYONE, by=by, **kwargs).set_index("area_code")
    city = fn(conn, year(), EVERYONE, **kwargs) if name != "money.fetch_budget_execution" else None
    if city is None:
        city = fn(conn, year(), EVERYONE, by=(), **kwargs)
    for area in AREAS:
        alone = fn(conn, year((area,)), EVERYONE, **kwargs)
        if name == "money.fetch_budget_execution":
            alone = fn(conn, year((area,)), EVERYONE, by=(), **kwargs)
        for col in columns:
            expected = float(breakdown[col].get(area, 0)) if area in breakdown.index else 0.0
            assert float(alone[col].sum()) == pytest.approx(expected), (name, area, col)
    for col in columns:
        assert float(breakdown[col].sum()) == pytest.approx(float(city[col].sum())), (name, col)


def test_a_member_belongs_to_the_area_of_their_branch(conn):
    """服务党员: 皋兰县's branch has 7 members, one managed by 城关区 — 7 in 皋兰县 whether
    filtered or broken down, and the areas add up to the city's 25 (24 on the as-of date plus
    the one joining later is not counted)."""
    by_area = branches.fetch_branch_summary(conn, year(), EVERYONE, ("area_code",)).set_index("area_code")
    assert int(by_area.loc[GAOLAN, "members"]) == 7
    alone = branches.fetch_branch_summary(conn, year((GAOLAN,)), EVERYONE).iloc[0]
    assert (int(alone["members"]), int(alone["branches"])) == (7, 1)
    city = branches.fetch_branch_summary(conn, year(), EVERYONE).iloc[0]
    assert int(city["members"]) == int(by_area["members"].sum()) == 25
    members = branches.fetch_branch_members(conn, year((GAOLAN,)), EVERYONE, branch_id=1)
    assert int(members["members"].sum()) == 7
    # a district account of 皋兰县 sees its branch's seven members, and no other branch
    own = Scope.only([GAOLAN])
    assert int(branches.fetch_branch_summary(conn, year(), own).iloc[0]["members"]) == 7
    assert branches.fetch_branch_members(conn, year(), own, branch_id=2).empty


def test_aid_belongs_to_the_area_that_paid_it(conn):
    """帮扶: the area that paid. 城关区 paid five people (one of them managed by 皋兰县), so
    城关区 filtered alone shows 5 recipients and 7,000.50 元, as in the city-wide breakdown; the
    retiree category includes the 皋兰县 retiree."""
    by_area = money.fetch_aid_summary(conn, year(), EVERYONE, ("area_code",)).set_index("area_code")
    alone = money.fetch_aid_summary(conn, year((CHENGGUAN,)), EVERYONE).iloc[0]
    assert (int(alone["recipients"]), float(alone["cash_amount"])) == (5, 7_000.5)
    assert (int(by_area.loc[CHENGGUAN, "recipients"]), float(by_area.loc[CHENGGUAN, "cash_amount"])) == (5, 7_000.5)
    retirees = money.fetch_aid_summary(conn, year((CHENGGUAN,), categories=("retiree",)), EVERYONE).iloc[0]
    assert int(retirees["recipients"]) == 5
    assert money.fetch_aid_summary(conn, year((GAOLAN,)), EVERYONE).iloc[0]["recipients"] == 0
    # the spending of 特困帮扶 in budget execution is the same money, by the same area
    execution = money.fetch_budget_execution(conn, year((CHENGGUAN,)), EVERYONE).set_index("budget_category")
    assert float(execution.loc["hardship_aid", "actual"]) == 7_000.5


# ---------------------------------------------------------------------------- as-of boundaries


def test_yearly_tables_are_cut_at_the_as_of_date(conn):
    """党支部's 历年变化: the running year's row counts on the as-of date (24 members, none
    joined), as the card does; a member entering after it is not counted."""
    changes = branches.fetch_branch_changes(conn, year(), EVERYONE, (2019, 2020), AS_OF).set_index("year")
    card = branches.fetch_branch_summary(conn, year(), EVERYONE).iloc[0]
    assert int(changes.loc[2020, "members"]) == int(card["members"]) == 25
    assert int(changes.loc[2020, "joined"]) == 0
    trend = groups.fetch_group_trend(conn, year(), EVERYONE, (2020,), AS_OF)
    assert int(trend["people"].sum()) == int(people.fetch_population_summary(conn, year(), EVERYONE).iloc[0]["people"])
    # 总览's population trend reads each year as Period.year(y, as_of): the entrant is not in 2020
    everyone = people.fetch_population_summary(conn, year(), EVERYONE).iloc[0]
    uncut = people.fetch_population_summary(conn, Filters(Period.year(2020)), EVERYONE).iloc[0]
    assert int(uncut["people"]) == int(everyone["people"]) + 1
    pool = talent.fetch_trend(conn, year(), EVERYONE, (2020,), AS_OF)
    assert int(pool.iloc[0]["pool"]) == int(talent.fetch_pool(conn, year(), EVERYONE).iloc[0]["pool"])


# ---------------------------------------------------------------------------- one median


def test_one_median_for_every_figure(conn):
    """建言献计's median 办理天数 is nearest rank (22 for 14, 22, 28, 35), as its 口径 says and
    as 精准服务 computes its own."""
    days = suggestions.fetch_answer_days(conn, year(), EVERYONE, AS_OF).iloc[0]
    assert (days["median"], days["p90"], days["mean"]) == (22.0, 35.0, 24.75)


# ---------------------------------------------------------------------------- small cells in the data layer


def test_small_cells_leave_the_data_layer_hidden_for_hiding_scopes(conn):
    """西固区's aid by category: 3 survivors (small) beside 6 retirees — for a hiding scope the
    survivors' count reads "<5", their amount and average are hidden, and the retirees' row
    is hidden beside it (the total is shown elsewhere); goods of one survivor are hidden by
    the goods recipients' own count. Unchanged for everyone else."""
    f = year((XIGU,))
    shown = money.fetch_aid_summary(conn, f, EVERYONE, ("category",)).set_index("category")
    assert int(shown.loc["survivor", "recipients"]) == 3
    hidden = money.fetch_aid_summary(conn, f, HIDING, ("category",)).set_index("category")
    assert hidden.loc["survivor", "recipients"] == SMALL_CELL
    assert hidden.loc["survivor", "cash_amount"] == HIDDEN and hidden.loc["survivor", "per_recipient"] == HIDDEN
    assert hidden.loc["retiree", "recipients"] == HIDDEN  # the complementary cell: 6 is not "<5"
    assert hidden.loc["survivor", "goods_recipients"] == SMALL_CELL
    assert hidden.loc["survivor", "goods_amount"] == HIDDEN
    total = money.fetch_aid_summary(conn, f, HIDING).iloc[0]
    assert int(total["recipients"]) == 9 and total["goods_recipients"] == SMALL_CELL
    # The rule is declared once, on the query, and the tests read it there.
    assert money.fetch_aid_summary.small_cells["goods_recipients"] == ("goods_amount",)


def test_aid_spending_of_a_handful_is_hidden_in_budget_execution(conn):
    """安宁区 paid hardship aid to two people: for a hiding scope its 特困帮扶 spending and
    execution rate are hidden, and one more category beside it (the smallest other, not
    精准服务), so the total spending shown on the page does not give it away; the total itself
    is not hidden. 城关区 paid five: nothing is hidden there."""
    shown = money.fetch_budget_execution(conn, year((ANNING,)), EVERYONE).set_index("budget_category")
    assert float(shown.loc["hardship_aid", "actual"]) == 6_200
    hidden = money.fetch_budget_execution(conn, year((ANNING,)), HIDING).set_index("budget_category")
    assert hidden.loc["hardship_aid", "actual"] == HIDDEN and hidden.loc["hardship_aid", "execution_rate"] == HIDDEN
    assert hidden.loc["facilities", "actual"] == HIDDEN and float(hidden.loc["precise_service", "actual"]) == 30_000
    total = money.fetch_budget_execution(conn, year((ANNING,)), HIDING, ()).iloc[0]
    assert float(total["actual"]) == 6_200 + 30_000 + 1_234.5
    by_area = money.fetch_budget_execution(conn, year(), HIDING, ("area_code", "budget_category"))
    anning = by_area[by_area["area_code"] == ANNING].set_index("budget_category")["actual"]
    assert anning["hardship_aid"] == HIDDEN and anning["facilities"] == HIDDEN
    cg = money.fetch_budget_execution(conn, year((CHENGGUAN,)), HIDING)
    assert not cg["actual"].map(lambda v: isinstance(v, str)).any()
    monthly = money.fetch_monthly_spending(conn, year((ANNING,)), HIDING, ("hardship_aid",))
    assert set(monthly["cumulative"]) == {HIDDEN}


# ---------------------------------------------------------------------------- pages


@pytest.fixture
def served(monkeypatch, tmp_path, audit_db):
    """Open pages on the audit ledger as a configured database (sign-in required)."""
    import streamlit as st

    from dashboard import auth

    clear_caches()
    st.cache_resource.clear()
    auth.LIMITER._failures.clear()
    auth.LIMITER._locked_until.clear()
    monkeypatch.delenv("SERVICE_DEMO_DB", raising=False)
    monkeypatch.setenv("SERVICE_DB_URL", str(audit_db.url))

    def open_as(user: str, page: str, params: dict | None = None):
        at = tools.signed_in(monkeypatch, tmp_path, user, page, params)
        assert not at.exception, [e.message for e in at.exception]
        return at

    return open_as


def test_the_comparison_of_an_area_with_nobody(served):
    """区县对比 for 兰州新区 (enabled, nobody in it) opens without an exception, its row is
    there (counts 0, rates —) and not ranked, and the CSV has one row per area."""
    at = served("leader", "pages/districts.py", {"year": "2020", "area": NEW_AREA})
    table = at.dataframe[0].value
    assert "兰州新区" in table.index
    city = served("leader", "pages/districts.py", {"year": "2020"})
    assert "兰州新区" in city.dataframe[0].value.index


def test_the_contacts_page_of_an_area_with_nobody(served):
    """联系覆盖 for 兰州新区: the festivals held in the year are counted ("2 个节日" up to the
    as-of date 2020-06-30: 元旦 and 春节), and every card reads 0 where it counts nothing."""
    at = served("leader", "pages/contacts.py", {"year": "2020", "area": NEW_AREA})
    cards = tools.metrics(at)
    assert cards["节日走访完成率"][1].startswith("2 个节日"), cards["节日走访完成率"]
    hospital = cards["住院探望及时率"]
    assert "—" not in hospital[0].split(" · ")[0] and hospital[1].startswith("0 件"), hospital


def test_csv_amounts_keep_their_cents():
    """A file is for further calculation: 890,300.50 stays 890300.5 (never 890301)."""
    df = pd.DataFrame({"area": ["市直", "城关区"], "actual": [890_300.5, 55_000.5], "budget": [313_000.0, 1.25]})
    text = csv_bytes(df, {"area": "区域", "actual": "支出（元）", "budget": "预算（元）"}).decode("utf-8-sig")
    assert text.splitlines()[1:] == ["市直,890300.5,313000", "城关区,55000.5,1.25"]
    back = pd.read_csv(io.StringIO(text))
    assert back["支出（元）"].sum() == 945_301.0


PAGES = ("overview", "contacts", "branches", "money", "districts", "groups", "services", "talent", "suggestions")


@pytest.mark.parametrize("user", ["leader", "observer"])
def test_every_page_opens_for_both_kinds_of_viewer(served, user):
    for page in PAGES:
        served(user, f"pages/{page}.py", {"year": "2020"})


def test_every_page_opens_with_small_cells_hidden_on_the_demo_ledger(monkeypatch, tmp_path, sqlite_demo_path):
    """皋兰县 on the demo ledger has small cells on every topic page: each opens for a viewer
    whose small cells are hidden."""
    for page in PAGES:
        tools.hiding_small_cells(
            monkeypatch, tmp_path, f"sqlite:///{sqlite_demo_path}", f"pages/{page}.py", {"year": "2020", "area": GAOLAN}
        )


# ---------------------------------------------------------------------------- every surface


def screen_context(audit_db, monkeypatch, areas=None):

    from dashboard import url_state
    from dashboard.context import PageContext
    from data_access.reference import fetch_areas

    clear_caches()
    monkeypatch.setenv("SERVICE_DB_URL", str(audit_db.url))
    with audit_db.connect() as c:
        known = fetch_areas(c)
    return PageContext(
        selection=url_state.Selection(year(areas), year=2020),
        scope=HIDING,  # as the entry script sets it for the meeting screen, for every account
        as_of=AS_OF,
        first_year=2020,
        areas=known,
    )


def test_the_meeting_screen_hides_small_cells(audit_db, monkeypatch):
    """The screen's payload (what reaches the wall): 西固区's 3 surviving aid recipients read
    "<5" with the retirees' count hidden beside them, goods of one survivor hidden; for
    安宁区 the aid panel and the 特困帮扶 and 活动设施 budget bars are hidden."""
    from dashboard import screen

    params = screen.parse_params({"panels": ["aid,budget"]})
    xigu = screen.build_payload(screen_context(audit_db, monkeypatch, (XIGU,)), params, AS_OF)["scopes"][0]["panels"]
    cats = {c["name"]: c["value"] for c in xigu["aid"]["by_category"]}
    assert (cats["遗属"], cats["退休干部"], xigu["aid"]["recipients"]) == (SMALL_CELL, HIDDEN, 9)
    assert xigu["aid"]["goods_wan"] == HIDDEN
    anning = screen.build_payload(screen_context(audit_db, monkeypatch, (ANNING,)), params, AS_OF)
    panels = anning["scopes"][0]["panels"]
    assert (panels["aid"]["recipients"], panels["aid"]["amount_wan"]) == (SMALL_CELL, HIDDEN)
    bars = {r["name"]: r["value"] for r in panels["budget"]["rows"]}
    assert bars["特困帮扶"] == HIDDEN and bars["活动设施"] == HIDDEN and bars["精准服务"] == 30.0
    html = screen.render(anning, "dark")
    assert "6200" not in html and "0.62" not in html and "3,100" not in html


def test_every_surface_of_the_pages_hides_them_for_an_account_without_lists(served, monkeypatch):
    """For an account without lists of people: 总览's 分区域概况 (table and CSV) shows 安宁区's
    2 recipients as "<5" and their amount as "（已隐藏）", with one more area hidden beside it;
    the budget chart's tooltips hold no hidden spending; 帮扶分情形 hides goods by the goods
    recipients' own count; the unaided list is not offered. An account with lists sees them."""
    from dashboard import export
    from dashboard.export import csv_bytes as to_csv

    files: dict[str, bytes] = {}
    original = export.download_button

    def capture(df, stem, key, headers=None):
        files[key] = to_csv(df, headers)
        return original(df, stem, key, headers)

    monkeypatch.setattr(export, "download_button", capture)
    at = served("observer", "pages/overview.py", {"year": "2020"})
    areas = tools.frame(at, "区域", "离休干部（人）").set_index("区域")
    assert areas.loc["安宁区", "帮扶人数"] == SMALL_CELL and areas.loc["安宁区", "帮扶金额（元）"] == HIDDEN
    assert (areas["帮扶人数"] == HIDDEN).sum() == 1  # the complement: the total is on the page
    text = files["dl_overview_areas"].decode("utf-8-sig")
    anning = next(line for line in text.splitlines() if line.startswith("安宁区"))
    assert anning.endswith(",<5,（已隐藏）"), anning
    assert all("6200" not in str(c.proto) and "0.62 万元" not in str(c.proto) for c in at.get("plotly_chart"))
    money_page = served("observer", "pages/money.py", {"year": "2020", "area": XIGU})
    reasons = tools.frame(money_page, "困难情形", "帮扶人数").set_index("困难情形")
    assert reasons.loc["家庭收入低", "慰问品人数"] == SMALL_CELL and reasons.loc["家庭收入低", "慰问品（元）"] == HIDDEN
    assert tools.metrics(money_page)["慰问品（实物）"][0] == HIDDEN
    assert any("只能查看汇总数据" in i.value for i in money_page.info)
    leader = served("leader", "pages/overview.py", {"year": "2020"})
    shown = tools.frame(leader, "区域", "离休干部（人）").set_index("区域")
    assert int(shown.loc["安宁区", "帮扶人数"]) == 2 and int(shown.loc["安宁区", "帮扶金额（元）"]) == 6_200


def test_the_comparison_csv_has_one_row_per_area(served, monkeypatch):
    from dashboard import export

    rows: dict[str, pd.DataFrame] = {}
    monkeypatch.setattr(export, "download_button", lambda df, stem, key, headers=None: rows.setdefault(key, df))
    served("leader", "pages/districts.py", {"year": "2020"})
    assert "兰州新区" in set(rows["dl_comparison"]["area"])
