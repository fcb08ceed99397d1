"""The demo generator: deterministic, scalable, synthetic."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from data_access import branches, money, people
from data_access.db import make_engine
from data_access.demo import build_demo
from data_access.filters import Filters, Period, Scope


@pytest.fixture(scope="module")
def scale_two(tmp_path_factory):
    path = tmp_path_factory.mktemp("k2") / "k2.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    counts = build_demo(engine, scale=2)
    yield engine, counts
    engine.dispose()


def test_scale_multiplies_every_report_figure(scale_two):
    engine, _ = scale_two
    with engine.connect() as conn:
        pop = people.fetch_population_summary(conn, Filters(Period.year(2019)), Scope.everything(), ["category"])
        assert pop.set_index("category")["people"].to_dict() == {"veteran": 1406, "retiree": 64394, "survivor": 712}
        br = branches.fetch_branch_summary(conn, Filters(Period.year(2019)), Scope.everything()).iloc[0]
        assert (br["branches"], br["retiree_secretaries"]) == (636, 540)
        aid = money.fetch_aid_summary(conn, Filters(Period.year(2020)), Scope.everything()).iloc[0]
        assert (aid["recipients"], aid["cash_amount"], aid["goods_amount"]) == (364, 900_000.0, 70_000.0)


def test_first_replica_equals_the_city_ledger(scale_two, sqlite_demo_path):
    """Same seed, same city: replica 0 of a scaled build is the scale-1 ledger (deterministic)."""
    engine, _ = scale_two
    stmt = sa.text("SELECT id, name, birth_date, category, area_code FROM people WHERE id < 100000 ORDER BY id")
    with engine.connect() as a, make_engine(f"sqlite:///{sqlite_demo_path}").connect() as b:
        assert a.execute(stmt).all() == b.execute(stmt).all()


def test_synthetic_personal_data(conn):
    rows = conn.execute(sa.text("SELECT name, phone FROM people")).all()
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", n) for n, _ in rows)
    # Chinese mobile numbers begin 13-19; ours begin 10 and so can never be real.
    assert all(re.fullmatch(r"10\d{9}", p) for _, p in rows)
    columns = {c["name"] for c in sa.inspect(conn).get_columns("people")}
    assert not {"id_number", "id_card", "identity_number"} & columns
