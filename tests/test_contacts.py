"""Contact coverage (联系覆盖) through the data layer, checked against independent
computations (hand-written SQL, or pandas over a bounded selection) on every backend."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import contacts
from data_access.filters import Filters, Period, Scope

EVERYONE = Scope.everything()
AS_OF = dt.date(2020, 12, 31)
Y2020 = Filters(Period.year(2020))
ALIVE = "p.entry_date < :end AND (p.death_date IS NULL OR p.death_date >= :end)"


def d(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def test_cadence_windows():
    weeks = contacts.cadence_windows("weekly", dt.date(2020, 1, 1), dt.date(2021, 1, 1))
    assert weeks[0] == (dt.date(2020, 1, 6), dt.date(2020, 1, 13)) and len(weeks) == 51
    assert weeks[-1][1] <= dt.date(2021, 1, 1)
    months = contacts.cadence_windows("monthly", dt.date(2020, 1, 15), dt.date(2020, 7, 1))
    assert months[0] == (dt.date(2020, 2, 1), dt.date(2020, 3, 1)) and len(months) == 5
    quarters = contacts.cadence_windows("quarterly", dt.date(2020, 1, 1), dt.date(2020, 12, 15))
    assert quarters == [(dt.date(2020, m, 1), dt.date(2020, m + 3, 1)) for m in (1, 4, 7)]
    fests = [(dt.date(2019, 12, 20), dt.date(2020, 1, 4)), (dt.date(2020, 9, 20), dt.date(2020, 10, 8))]
    assert contacts.cadence_windows("festival", dt.date(2020, 1, 1), dt.date(2021, 1, 1), fests) == fests[1:]


def test_monthly_tier_compliance_equals_pandas(conn):
    df = contacts.fetch_tier_compliance(conn, Y2020, EVERYONE, AS_OF).set_index("tier")
    end = dt.date(2021, 1, 1)
    people = pd.DataFrame(
        conn.execute(
            sa.text(f"SELECT p.id, p.entry_date FROM people p WHERE {ALIVE} AND p.service_tier = 2"), {"end": end}
        ).all(),
        columns=["id", "entry_date"],
    )
    cts = pd.DataFrame(
        conn.execute(
            sa.text(f"""SELECT c.person_id, c.contact_date FROM contacts c JOIN people p ON p.id = c.person_id
            WHERE {ALIVE} AND p.service_tier = 2 AND c.contact_date >= :start AND c.contact_date < :end"""),
            {"end": end, "start": dt.date(2020, 1, 1)},
        ).all(),
        columns=["person_id", "contact_date"],
    )
    held = cts.assign(month=cts["contact_date"].map(lambda x: d(x).month)).groupby("person_id")["month"].agg(set)
    compliant = owing = 0
    for pid, entry in zip(people["id"], people["entry_date"]):
        owed = {m for m in range(1, 13) if dt.date(2020, m, 1) >= d(entry)}
        if owed:
            owing += 1
            compliant += owed <= held.get(pid, set())
    assert int(df.loc[2, "people"]) == len(people)
    assert (int(df.loc[2, "owing"]), int(df.loc[2, "compliant"])) == (owing, compliant)
    assert df.loc[2, "missed"] == owing - compliant
    assert 0.5 < df.loc[2, "compliance"] < 1.0  # honest imperfection


def test_festival_completion_equals_sql(conn):
    df = contacts.fetch_festival_completion(conn, Y2020, EVERYONE, AS_OF)
    assert df["festival"].tolist() == ["new_year", "spring_festival", "national_day"]
    listed_sql = """(p.category IN ('veteran', 'survivor') OR p.hardship_reason IS NOT NULL
        OR (p.rank IN ('prefecture_principal', 'prefecture_deputy') AND p.actual_post = :t))"""
    for row in df.itertuples():
        ws, we = conn.execute(
            sa.text("SELECT window_start, window_end FROM festival_windows WHERE festival_date = :f"),
            {"f": d(row.festival_date)},
        ).one()
        listed, visited = conn.execute(
            sa.text(f"""SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM contacts c
            WHERE c.person_id = p.id AND c.contact_date >= :ws AND c.contact_date < :we
            AND c.channel IN ('home_visit', 'forum')) THEN 1 ELSE 0 END) FROM people p
            WHERE p.entry_date <= :ws AND (p.death_date IS NULL OR p.death_date >= :we) AND {listed_sql}"""),
            {"ws": d(ws), "we": d(we), "t": True},
        ).one()
        assert (row.listed, row.visited) == (listed, int(visited))
        assert 0.85 < row.completion < 1.0


def test_event_timeliness_equals_sql(conn):
    df = contacts.fetch_event_timeliness(conn, Y2020, EVERYONE).set_index("event_type")
    rows = conn.execute(
        sa.text("""SELECT e.event_type, COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM contacts c
        WHERE c.event_id = e.id AND c.channel IN ('home_visit', 'forum') AND c.contact_date <= e.visit_due_on)
        THEN 1 ELSE 0 END) FROM visit_events e WHERE e.event_date >= :s AND e.event_date < :e
        GROUP BY e.event_type"""),
        {"s": dt.date(2020, 1, 1), "e": dt.date(2021, 1, 1)},
    ).all()
    assert {r[0]: (int(r[1]), int(r[2])) for r in rows} == {
        t: (int(r.events), int(r.on_time)) for t, r in df.iterrows()
    }
    assert set(df.index) == {"hospitalisation", "family_event", "death", "birthday"}


def test_overdue_list_equals_pandas(conn):
    listed = contacts.fetch_overdue_list(conn, Y2020, EVERYONE, AS_OF)
    count = int(contacts.fetch_overdue_count(conn, Y2020, EVERYONE, AS_OF)["overdue"].iloc[0])
    assert len(listed) == count > 0
    end = dt.date(2021, 1, 1)
    people = pd.DataFrame(
        conn.execute(
            sa.text(f"""SELECT p.id, p.service_tier, p.entry_date, MAX(c.contact_date)
        FROM people p LEFT JOIN contacts c ON c.person_id = p.id AND c.contact_date <= :asof
        WHERE {ALIVE} GROUP BY p.id, p.service_tier, p.entry_date"""),
            {"end": end, "asof": AS_OF},
        ).all(),
        columns=["id", "tier", "entry", "last"],
    )
    history = d(conn.execute(sa.text("SELECT MIN(contact_date) FROM contacts")).scalar())
    cadence = dict(conn.execute(sa.text("SELECT tier, cadence_days FROM service_tiers")).all())
    since = [
        max(d(entry), history) if pd.isna(last) else d(last) for last, entry in zip(people["last"], people["entry"])
    ]
    people["days_overdue"] = [(AS_OF - s).days - cadence[t] for s, t in zip(since, people["tier"])]
    late = people[people["days_overdue"] > 0]
    assert set(late["id"]) == set(listed["person_id"])
    merged = listed.merge(late, left_on="person_id", right_on="id", suffixes=("", "_pd"))
    assert (merged["days_overdue"] == merged["days_overdue_pd"]).all()
    assert listed["days_overdue"].is_monotonic_decreasing
    assert listed["name"].str.contains(r"\*").all()  # masked


def test_pairing_and_counts_equal_sql(conn):
    p = contacts.fetch_pairing_coverage(conn, Y2020, EVERYONE).iloc[0]
    end = dt.date(2021, 1, 1)
    active = "r.started_on < :end AND (r.ended_on IS NULL OR r.ended_on >= :end)"
    paired = conn.execute(
        sa.text(f"""SELECT COUNT(*) FROM people p WHERE {ALIVE} AND EXISTS
        (SELECT 1 FROM pairings r WHERE r.person_id = p.id AND {active})"""),
        {"end": end},
    ).scalar()
    assert int(p["paired"]) == paired
    one = conn.execute(
        sa.text(f"""SELECT COUNT(*) FROM people p WHERE {ALIVE} AND EXISTS
        (SELECT 1 FROM pairings r WHERE r.person_id = p.id AND r.mode = 'one_to_one' AND {active})"""),
        {"end": end},
    ).scalar()
    assert int(p["one_to_one"]) == one
    mix = contacts.fetch_contact_counts(conn, Y2020, EVERYONE, ["channel"]).set_index("channel")["contacts"]
    sql = dict(
        conn.execute(
            sa.text("""SELECT channel, COUNT(*) FROM contacts WHERE contact_date >= :s
        AND contact_date < :e GROUP BY channel"""),
            {"s": dt.date(2020, 1, 1), "e": end},
        ).all()
    )
    assert mix.to_dict() == sql
    monthly = contacts.fetch_contact_counts(conn, Y2020, EVERYONE, ["year", "month"])
    assert len(monthly) == 12 and int(monthly["contacts"].sum()) == sum(sql.values())
    march = conn.execute(
        sa.text("SELECT COUNT(*) FROM contacts WHERE contact_date >= :s AND contact_date < :e"),
        {"s": dt.date(2020, 3, 1), "e": dt.date(2020, 4, 1)},
    ).scalar()
    assert int(monthly.set_index("month").loc[3, "contacts"]) == march
    # Festival peaks: January and December (元旦, 春节) above a quiet month.
    by_month = monthly.set_index("month")["contacts"]
    assert by_month[1] > by_month[6] and by_month[12] > by_month[6]


def test_lagging_district_in_2020(conn):
    by_area = contacts.fetch_coverage(conn, Y2020, EVERYONE, ["area_code"]).set_index("area_code")
    city = contacts.fetch_coverage(conn, Y2020, EVERYONE).iloc[0]
    assert by_area.loc["620122", "coverage"] < city["coverage"] - 0.005


def test_people_behind_a_unit(conn):
    unit = conn.execute(sa.text("SELECT id FROM units WHERE area_code = '620122' ORDER BY id")).scalars().first()
    df = contacts.fetch_people_contacts(conn, Y2020, EVERYONE, unit)
    cov = contacts.fetch_coverage(conn, Filters(Period.year(2020), areas=("620122",)), EVERYONE, ["unit_id"])
    row = cov.set_index("unit_id").loc[unit]
    assert len(df) == row["population"] and int(df["reached"].sum()) == row["reached"]
    assert df["name"].str.contains(r"\*").all()


@pytest.mark.parametrize("tiers", [(1,), (3, 4)])
def test_tier_filter_limits_compliance_rows(conn, tiers):
    f = Filters(Period.year(2020), tiers=tiers)
    assert contacts.fetch_tier_compliance(conn, f, EVERYONE, AS_OF)["tier"].tolist() == list(tiers)
