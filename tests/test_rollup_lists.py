"""The rollups behind the K=20 cold pages (issue 22, part 7): hardship coverage and the
unaided list from the stored list of flagged people, the branch list's members from the
stored members per branch. Each equals the raw query on every backend, and each figure is
computed once more another way (pandas over the ledger's rows)."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from data_access import branches, contacts, money, rollup_store, schema
from data_access.db import as_of_date, fetch_df
from data_access.filters import Filters, Period, Scope
from tests.test_rollups import cases

EVERYONE = Scope.everything()
P, D, B = schema.people, schema.disbursements, schema.party_branches


BYS = ((), ("area_code",), ("hardship_reason",), ("category", "area_code"), ("hardship_reason", "area_code"))


def _raw(conn: sa.Connection, fn):
    with rollup_store.raw_only(conn):
        return fn()


def test_hardship_coverage_and_unaided_list_equal_the_raw_query(conn):
    as_of = as_of_date(conn)
    for f, s in cases(as_of):
        assert rollup_store.hardship_source(conn, f) is not None, f
        for by in (
            (),
            ("area_code",),
            ("hardship_reason",),
            ("category", "area_code"),
            ("hardship_reason", "area_code"),
        ):
            got = money.fetch_hardship_coverage(conn, f, s, by)
            want = _raw(conn, lambda f=f, s=s, by=by: money.fetch_hardship_coverage(conn, f, s, by))
            pd.testing.assert_frame_equal(got, want, check_dtype=False, obj=f"{f} {by}")
        got = money.fetch_unaided_list(conn, f, s, unmasked=True)
        want = _raw(conn, lambda f=f, s=s: money.fetch_unaided_list(conn, f, s, unmasked=True))
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
    year = Filters(Period.year(as_of.year, as_of), age_bands=("80_89",))  # (not on the grain: still the list)
    pd.testing.assert_frame_equal(
        money.fetch_hardship_coverage(conn, year, EVERYONE),
        _raw(conn, lambda: money.fetch_hardship_coverage(conn, year, EVERYONE)),
        check_dtype=False,
    )


def test_hardship_coverage_computed_another_way(conn):
    """Flagged: alive in the ledger at the period's end with a hardship reason; aided: of
    them, paid hardship aid in cash in the period — counted in pandas from the rows."""
    as_of = as_of_date(conn)
    f = Filters(Period.year(as_of.year, as_of))
    start, end = f.period.start, f.period.end
    people = fetch_df(conn, sa.select(P.c.id, P.c.entry_date, P.c.death_date, P.c.hardship_reason))
    for col in ("entry_date", "death_date"):
        people[col] = pd.to_datetime(people[col]).dt.date
    alive = (people["entry_date"] < end) & (people["death_date"].isna() | (people["death_date"] >= end))
    flagged = people[alive & people["hardship_reason"].notna()]
    paid = fetch_df(
        conn,
        sa.select(D.c.person_id, D.c.paid_on).where(D.c.category == "hardship_aid", D.c.form == "cash"),
    )
    paid["paid_on"] = pd.to_datetime(paid["paid_on"]).dt.date
    paid = set(paid[(paid["paid_on"] >= start) & (paid["paid_on"] < end)]["person_id"].dropna().astype(int))
    got = money.fetch_hardship_coverage(conn, f, EVERYONE).iloc[0]
    assert rollup_store.hardship_source(conn, f) is not None
    assert int(got["flagged"]) == len(flagged) > 0
    assert int(got["aided"]) == int(flagged["id"].isin(paid).sum())
    unaided = money.fetch_unaided_list(conn, f, EVERYONE, unmasked=True)
    assert set(unaided["person_id"]) == set(flagged[~flagged["id"].isin(paid)]["id"])


def test_branch_list_equals_the_raw_query(conn):
    as_of = as_of_date(conn)
    for f, s in cases(as_of):
        assert rollup_store.branch_members_source(conn, f) is not None, f
        got = branches.fetch_branch_list(conn, f, s)
        want = _raw(conn, lambda f=f, s=s: branches.fetch_branch_list(conn, f, s))
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
    aged = Filters(Period.year(as_of.year, as_of), age_bands=("80_89",))
    assert rollup_store.branch_members_source(conn, aged) is None  # age is not on the grain


def test_branch_members_computed_another_way(conn):
    """Members of each branch: living party members at the period's end (full: status
    'full'), counted in pandas from the people's rows, for a filter on category and tier."""
    as_of = as_of_date(conn)
    f = Filters(Period.year(as_of.year, as_of), categories=("retiree",), tiers=(1, 2, 3))
    end = f.period.end
    people = fetch_df(
        conn,
        sa.select(P.c.branch_id, P.c.party_status, P.c.entry_date, P.c.death_date, P.c.category, P.c.service_tier),
    )
    for col in ("entry_date", "death_date"):
        people[col] = pd.to_datetime(people[col]).dt.date
    alive = (people["entry_date"] < end) & (people["death_date"].isna() | (people["death_date"] >= end))
    members = people[
        alive
        & people["party_status"].notna()
        & people["branch_id"].notna()
        & (people["category"] == "retiree")
        & people["service_tier"].isin([1, 2, 3])
    ]
    counted = members.groupby(members["branch_id"].astype(int)).agg(
        members=("party_status", "size"), full_members=("party_status", lambda s: int((s == "full").sum()))
    )
    assert rollup_store.branch_members_source(conn, f) is not None
    listed = branches.fetch_branch_list(conn, f, EVERYONE).set_index("branch_id")
    assert len(listed) > 0 and int(listed["members"].sum()) > 0
    expected = counted.reindex(listed.index, fill_value=0)
    assert listed["members"].tolist() == expected["members"].astype(int).tolist()
    assert listed["full_members"].tolist() == expected["full_members"].astype(int).tolist()


def test_overdue_list_from_the_stored_attributes_equals_the_raw_query(conn):
    """The overdue list read from the rollup's rows alone (the person's attributes stored
    with them), for every filter the stored rows carry, an age band included."""
    as_of = as_of_date(conn)
    now = Period.year(as_of.year, as_of)
    for f, s in [
        *cases(as_of),
        (Filters(now, age_bands=("80_89", "90_plus")), EVERYONE),
        (Filters(now, level="city", categories=("retiree",)), EVERYONE),
    ]:
        got = contacts.fetch_overdue_list(conn, f, s, as_of, unmasked=True)
        want = _raw(conn, lambda f=f, s=s: contacts.fetch_overdue_list(conn, f, s, as_of, unmasked=True))
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert rollup_store.overdue_source(conn, as_of) is not None


def test_branch_changes_equal_the_raw_query(conn):
    """The members, joined and left of 党支部's year-by-year table come from the rollup
    (one stored period per year) and equal the raw query for every filter the grain holds."""
    as_of = as_of_date(conn)
    years = tuple(range(as_of.year - 2, as_of.year + 1))
    for f, s in cases(as_of):
        assert branches._stored_member_flows(conn, f, s, years, as_of) is not None, f
        got = branches.fetch_branch_changes(conn, f, s, years, as_of)
        want = _raw(conn, lambda f=f, s=s: branches.fetch_branch_changes(conn, f, s, years, as_of))
        pd.testing.assert_frame_equal(got, want, check_dtype=False, obj=str(f))
    aged = Filters(Period.year(as_of.year, as_of), age_bands=("80_89",))
    assert branches._stored_member_flows(conn, aged, EVERYONE, years, as_of) is None  # age: not on the grain
    later = (*years, as_of.year + 1)  # a year after the as-of date is never stored
    assert branches._stored_member_flows(conn, Filters(Period.year(as_of.year, as_of)), EVERYONE, later, as_of) is None


def test_branch_changes_computed_another_way(conn):
    """Per year, for the veterans and retirees of two areas' branches: members (party
    members alive at the year's end, in a branch active then), joined (came under care in
    the year) and left (died in the year), counted in pandas from the rows."""
    as_of = as_of_date(conn)
    years = tuple(range(as_of.year - 2, as_of.year + 1))
    areas = ("620102", "620122")
    f = Filters(Period.year(as_of.year, as_of), areas=areas, categories=("veteran", "retiree"))
    people = fetch_df(
        conn,
        sa.select(P.c.branch_id, P.c.party_status, P.c.entry_date, P.c.death_date, P.c.category),
    )
    branch = fetch_df(conn, sa.select(B.c.id, B.c.area_code, B.c.founded_on, B.c.closed_on))
    for frame, cols in ((people, ("entry_date", "death_date")), (branch, ("founded_on", "closed_on"))):
        for col in cols:
            frame[col] = pd.to_datetime(frame[col]).dt.date
    rows = people[people["party_status"].notna() & people["branch_id"].notna()]
    rows = rows[rows["category"].isin(["veteran", "retiree"])]
    rows = rows.merge(branch, left_on=rows["branch_id"].astype(int), right_on="id")
    rows = rows[rows["area_code"].isin(areas)]
    got = branches.fetch_branch_changes(conn, f, EVERYONE, years, as_of).set_index("year")
    assert branches._stored_member_flows(conn, f, EVERYONE, years, as_of) is not None
    for y in years:
        start, end = Period.year(y, as_of).start, Period.year(y, as_of).end
        alive = (rows["entry_date"] < end) & (rows["death_date"].isna() | (rows["death_date"] >= end))
        active = (rows["founded_on"] < end) & (rows["closed_on"].isna() | (rows["closed_on"] >= end))
        joined = (rows["entry_date"] >= start) & (rows["entry_date"] < end)
        left = rows["death_date"].notna() & (rows["death_date"] >= start) & (rows["death_date"] < end)
        want = (int((alive & active).sum()), int(joined.sum()), int(left.sum()))
        assert tuple(int(got.loc[y, k]) for k in ("members", "joined", "left")) == want, y
    assert int(got["members"].sum()) > 0 and int(got["left"].sum()) > 0
