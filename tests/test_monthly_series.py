"""The month-by-month series behind 总览's small lines (issue 26, item 11): each month's value is
the card's own figure for the period cut at that month's end — checked against the card's own
whole-period query run for each cut period (on every backend, the rollup path against the raw
one), and against values worked out by hand from the rows of a small ledger."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_access import branches, contacts, money, people
from data_access.filters import Filters, Period, Scope
from data_access.privacy import SMALL_CELL, is_hidden
from data_access.rollup_store import raw_only
from tests.ledger_kit import Ledger

D = dt.date
ALL = Scope.everything()
AS_OF = D(2020, 12, 31)
AGE_DIGITS = 1e-4  # MariaDB/MySQL's AVG() keeps four decimals (div_precision_increment); the card shows one

VIEWS = {
    "2020": Filters(Period.year(2020)),
    "part-months, one area": Filters(Period(D(2019, 7, 15), D(2019, 10, 1)), areas=("620102",)),
    "2019, retirees aged 80-89": Filters(Period.year(2019), categories=("retiree",), age_bands=("80_89",)),
    "2020, city level, tiers 1-2": Filters(Period.year(2020), level="city", tiers=(1, 2)),
}


def _months(f: Filters) -> list[tuple[int, int]]:
    return [((e - dt.timedelta(days=1)).year, (e - dt.timedelta(days=1)).month) for e in f.period.month_ends()]


def test_month_ends_cover_the_period():
    assert Period.year(2020).month_ends()[0] == D(2020, 2, 1)
    assert Period.year(2020).month_ends()[-1] == D(2021, 1, 1) and len(Period.year(2020).month_ends()) == 12
    assert Period(D(2020, 7, 15), D(2020, 10, 1)).month_ends() == (D(2020, 8, 1), D(2020, 9, 1), D(2020, 10, 1))
    assert Period(D(2020, 7, 15), D(2020, 7, 20)).month_ends() == (D(2020, 7, 20),)
    assert Period(D(2020, 11, 3), D(2021, 2, 10)).month_ends()[-2:] == (D(2021, 2, 1), D(2021, 2, 10))


@pytest.mark.parametrize("view", list(VIEWS))
def test_each_month_is_the_cards_own_query_cut_at_its_end(conn, view):
    """Every month of every series equals the card's query for ``[start, month end)`` (which
    runs on the raw ledger: a cut period is not stored), the last month the card's figure."""
    f = VIEWS[view]
    key = contacts.fetch_key_coverage_monthly(conn, f, ALL)
    overdue = contacts.fetch_overdue_monthly(conn, f, ALL, AS_OF)
    pop = people.fetch_population_monthly(conn, f, ALL)
    br = branches.fetch_branch_monthly(conn, f, ALL)
    aid = money.fetch_aid_monthly(conn, f, ALL)
    for frame in (key, overdue, pop, br, aid):
        assert list(zip(frame["year"], frame["month"])) == _months(f)
    for i, period in enumerate(f.period.up_to_month_ends()):
        cut = f.with_period(period)
        card = contacts.fetch_coverage(conn, cut, ALL, key_cohort_only=True).iloc[0]
        assert (key.loc[i, "population"], key.loc[i, "reached"]) == (card["population"], card["reached"]), (view, i)
        card = contacts.fetch_overdue_count(conn, cut, ALL, AS_OF)
        assert overdue.loc[i, "overdue"] == int(card["overdue"].sum()), (view, i)
        card = people.fetch_population_summary(conn, cut, ALL).iloc[0]
        assert pop.loc[i, "people"] == card["people"], (view, i)
        if card["people"]:
            assert pop.loc[i, "average_age"] == pytest.approx(card["average_age"], abs=AGE_DIGITS), (view, i)
        card = branches.fetch_branch_summary(conn, cut, ALL).iloc[0]
        for col in ("branches", "retiree_secretaries", "members"):
            assert br.loc[i, col] == card[col], (view, i, col)
        card = money.fetch_aid_summary(conn, cut, ALL).iloc[0]
        for col in ("recipients", "goods_recipients"):
            assert aid.loc[i, col] == card[col], (view, i, col)
        for col in ("cash_amount", "goods_amount"):
            assert aid.loc[i, col] == pytest.approx(card[col], abs=0.005), (view, i, col)


def test_the_last_month_is_the_cards_figure_from_the_rollup(conn):
    """Where the period is stored, the card reads the rollup and so does its line: the two
    agree (the figure the card shows is the line's last point)."""
    f = VIEWS["2020"]
    assert contacts.fetch_key_coverage_monthly(conn, f, ALL).iloc[-1]["coverage"] == pytest.approx(
        contacts.fetch_coverage(conn, f, ALL, key_cohort_only=True).iloc[0]["coverage"]
    )
    assert contacts.fetch_overdue_monthly(conn, f, ALL, AS_OF).iloc[-1]["overdue"] == int(
        contacts.fetch_overdue_count(conn, f, ALL, AS_OF)["overdue"].sum()
    )
    assert people.fetch_population_monthly(conn, f, ALL).iloc[-1]["average_age"] == pytest.approx(
        people.fetch_population_summary(conn, f, ALL).iloc[0]["average_age"], abs=AGE_DIGITS
    )
    last, card = (
        branches.fetch_branch_monthly(conn, f, ALL).iloc[-1],
        branches.fetch_branch_summary(conn, f, ALL).iloc[0],
    )
    assert (last["branches"], last["members"]) == (card["branches"], card["members"])
    assert last["retiree_secretary_share"] == pytest.approx(card["retiree_secretary_share"])


@pytest.mark.parametrize(
    "f",
    [
        Filters(Period.year(2020)),
        Filters(Period.year(2019), areas=("620102", "620122"), categories=("veteran", "retiree")),
        Filters(Period.year(2020), level="district", tiers=(3,), ranks=("county",)),
    ],
)
def test_stored_series_equal_the_raw_ones(conn, f):
    """The rollup holds the series that scan the big tables (coverage, overdue, population,
    members) for the stored periods; read from it they equal the raw statements."""
    from data_access import rollup_store

    assert rollup_store.current_generation(conn) is not None  # (the fixture's rollup is current)
    stored = [
        contacts.fetch_key_coverage_monthly(conn, f, ALL),
        contacts.fetch_overdue_monthly(conn, f, ALL, AS_OF),
        people.fetch_population_monthly(conn, f, ALL),
        branches.fetch_members_monthly(conn, f, ALL),
    ]
    with raw_only(conn):
        raw = [
            contacts.fetch_key_coverage_monthly(conn, f, ALL),
            contacts.fetch_overdue_monthly(conn, f, ALL, AS_OF),
            people.fetch_population_monthly(conn, f, ALL),
            branches.fetch_members_monthly(conn, f, ALL),
        ]
    for a, b in zip(stored, raw):
        pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_the_rollup_answers_without_reading_the_ledger(conn):
    """On a stored period the big-table series are one read of the rollup each (the page's
    reads are pinned to the ledger's fingerprint, as ``data.query`` does): no statement
    reads a ledger table."""
    import sqlalchemy as sa

    from data_access import rollup_store

    seen: list[str] = []

    def record(c, cursor, statement, *args):
        seen.append(statement.lower())

    f = Filters(Period.year(2020))
    with rollup_store.pinned(conn, rollup_store.fingerprint(conn)):
        sa.event.listen(conn, "before_cursor_execute", record)
        try:
            contacts.fetch_key_coverage_monthly(conn, f, ALL)
            contacts.fetch_overdue_monthly(conn, f, ALL, AS_OF)
            people.fetch_population_monthly(conn, f, ALL)
            branches.fetch_members_monthly(conn, f, ALL)
        finally:
            sa.event.remove(conn, "before_cursor_execute", record)
    assert seen and all("rollup_" in s for s in seen), [s for s in seen if "rollup_" not in s][:1]


# ---------------------------------------------------------------------------- a ledger by hand


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Six people, two branches, a few contacts and aid payments in 2020, with the value of
    every series in each month of 2020 worked out by hand below."""
    led = Ledger()
    b1 = led.branch(founded=D(2010, 1, 1), retiree_secretary=True)
    b2 = led.branch(founded=D(2020, 4, 10), retiree_secretary=False)  # counts from April's end
    led.branch(founded=D(2010, 1, 1), closed=D(2020, 7, 1), retiree_secretary=True)  # gone from July's end
    # key cohort: a city veteran, a prefecture retiree with an actual post
    v = led.person("veteran", born=D(1930, 5, 20), entered=D(2000, 1, 1), branch=b1, tier=3)
    r = led.person(
        "retiree", rank="prefecture_deputy", actual_post=True, born=D(1955, 3, 1), entered=D(2020, 5, 15), branch=b2
    )
    dead = led.person("veteran", born=D(1925, 1, 1), entered=D(2000, 1, 1), died=D(2020, 9, 10), tier=1)
    other = led.person("retiree", area="620102", born=D(1950, 12, 31), tier=2, branch=b1)  # not key cohort
    led.person("survivor", area="620102", born=D(1940, 6, 15), entered=D(2021, 3, 1), tier=4)  # never in 2020
    led.contact(v, D(2020, 3, 10))
    led.contact(v, D(2020, 6, 1))
    led.contact(r, D(2020, 8, 20))
    led.contact(dead, D(2020, 2, 2))
    led.contact(other, D(2019, 12, 20))  # (the ledger's history starts here)
    led.contact(other, D(2020, 10, 30))
    led.pay(v, 1_000, area="city", on=D(2020, 2, 14))
    led.pay(v, 500, area="city", on=D(2020, 5, 1))  # the same person again: still one recipient
    led.pay(other, 800, area="620102", on=D(2020, 5, 20))
    led.pay(r, 300, area="city", on=D(2020, 11, 5), form="goods")
    engine = led.write(tmp_path_factory.mktemp("monthly") / "small.sqlite")
    yield engine
    engine.dispose()


def _by_month(values: dict[int, object], default) -> list:
    """A value per month 1..12 from {first month it holds: value} steps."""
    out, current = [], default
    for m in range(1, 13):
        current = values.get(m, current)
        out.append(current)
    return out


def test_by_hand_on_a_small_ledger(small):
    f = Filters(Period.year(2020))
    with small.connect() as conn:
        key = contacts.fetch_key_coverage_monthly(conn, f, ALL)
        overdue = contacts.fetch_overdue_monthly(conn, f, ALL, AS_OF)
        pop = people.fetch_population_monthly(conn, f, ALL)
        br = branches.fetch_branch_monthly(conn, f, ALL)
        aid = money.fetch_aid_monthly(conn, f, ALL)
    # Key cohort: v and dead from January, r from May's end, dead gone from September's end.
    assert key["population"].tolist() == _by_month({1: 2, 5: 3, 9: 2}, 0)
    # Reached: dead in February, v in March, r in August; dead's contact leaves with him.
    assert key["reached"].tolist() == _by_month({2: 1, 3: 2, 8: 3, 9: 2}, 0)
    assert key["coverage"].iloc[-1] == 1.0
    # Overdue on each month's last day, from the rows: the last contact up to that day (never
    # contacted: entry into the ledger, or the start of its history, 2019-12-20, if later)
    # older than the tier's cadence (tier 1: 7 days, 2: 31, 3: 92), among those alive then.
    rows = {  # person: (tier, entered, died, contact days)
        "v": (3, D(2000, 1, 1), None, [D(2020, 3, 10), D(2020, 6, 1)]),
        "r": (3, D(2020, 5, 15), None, [D(2020, 8, 20)]),
        "dead": (1, D(2000, 1, 1), D(2020, 9, 10), [D(2020, 2, 2)]),
        "other": (2, D(2010, 1, 1), None, [D(2019, 12, 20), D(2020, 10, 30)]),
        "survivor": (4, D(2021, 3, 1), None, []),
    }
    cadence = {1: 7, 2: 31, 3: 92, 4: 245}

    def late_on(on):
        n = 0
        for tier, entered, died, days in rows.values():
            if entered > on or (died is not None and died <= on):
                continue
            before = [d for d in days if d <= on]
            since = max(before) if before else max(entered, D(2019, 12, 20))
            n += since < on - dt.timedelta(days=cadence[tier])
        return n

    by_hand = [late_on(e - dt.timedelta(days=1)) for e in f.period.month_ends()]
    assert overdue["overdue"].tolist() == by_hand
    assert by_hand[0] == 2 and by_hand[-1] == 3  # (dead and other in January; v, r and other in December)
    # Population and average age (completed years on each month's last day).
    assert pop["people"].tolist() == _by_month({1: 3, 5: 4, 9: 3}, 0)

    def age(born, on):
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    expected = []
    for end in f.period.month_ends():
        on = end - dt.timedelta(days=1)
        ages = [age(D(1930, 5, 20), on), age(D(1950, 12, 31), on)]
        ages += [age(D(1955, 3, 1), on)] if end > D(2020, 5, 15) else []
        ages += [age(D(1925, 1, 1), on)] if end <= D(2020, 9, 10) else []
        expected.append(sum(ages) / len(ages))
    assert pop["average_age"].tolist() == pytest.approx(expected)
    # Branches: b1 and the closing one all year, b2 from April's end, the closing one gone in July.
    assert br["branches"].tolist() == _by_month({1: 2, 4: 3, 7: 2}, 0)
    assert br["retiree_secretaries"].tolist() == _by_month({1: 2, 7: 1}, 0)
    # Members: v and other (b1) all year, r (b2) from May's end.
    assert br["members"].tolist() == _by_month({1: 2, 5: 3}, 0)
    # Aid: cumulative distinct cash recipients and amounts; goods apart.
    assert aid["recipients"].tolist() == _by_month({2: 1, 5: 2}, 0)
    assert aid["cash_amount"].tolist() == _by_month({2: 1_000.0, 5: 2_300.0}, 0.0)
    assert aid["goods_recipients"].tolist() == _by_month({11: 1}, 0)
    assert aid["goods_amount"].tolist() == _by_month({11: 300.0}, 0.0)


def test_hidden_months_stay_hidden(small):
    """Where the viewer's scope hides small cells, a month whose aid is from fewer than five
    people is hidden like the card (the page then draws no line)."""
    with small.connect() as conn:
        aid = money.fetch_aid_monthly(conn, Filters(Period.year(2020)), ALL.hiding_small_cells())
    assert aid.loc[aid["month"] >= 2, "recipients"].tolist() == [SMALL_CELL] * 11
    assert aid["cash_amount"].map(is_hidden).sum() == 11 and aid.loc[0, "recipients"] == 0
