"""Round trip: the demo ledger exported to the import template and loaded into an empty
database holds the same rows and gives the same figures, on SQLite, PostgreSQL and MariaDB.

To keep the suite fast the ledger is a tenth of the demo: one person in ten (with the
deceased cadre of each survivor among them), their rows in every table, every unit, branch
and branch activity (about 110,000 rows). The whole demo ledger (860,000 rows) makes the
same round trip in ``python -m bench.ledger_import --demo-round-trip`` (docs/performance.md).
The workbook is written, read and checked once (the targets are empty, so the check is the
same for each); each backend then gets a fresh database and the load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import branches, contacts, groups, money, people, schema, services, suggestions, talent
from data_access.db import as_date, as_of_date, make_engine
from data_access.filters import Filters, Period, Scope
from data_access.ledger_import.check import check_workbook
from data_access.ledger_import.columns import SHEETS, TABLE_COLUMNS, natural_key
from data_access.ledger_import.export import demo_sample, export_ledger
from data_access.ledger_import.load import load
from data_access.ledger_import.read import read_workbook
from tests.conftest import server_database

ALL = Scope.everything()


@pytest.fixture(scope="module")
def demo_tenth(sqlite_demo_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("roundtrip") / "demo_tenth.sqlite"
    demo_sample(sqlite_demo_path, path, every=10)
    return path


@pytest.fixture(scope="module")
def demo_book(demo_tenth, tmp_path_factory):
    path = tmp_path_factory.mktemp("roundtrip") / "demo_台帐.xlsx"
    source = make_engine(f"sqlite:///{demo_tenth}")
    counts = export_ledger(source, path)
    source.dispose()
    result = check_workbook(read_workbook(path))
    assert result.ok, result.errors[:5]
    assert {t: result.rows(t) for t in SHEETS} == counts
    return path, result


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def empty_db(request, tmp_path) -> Iterator[sa.Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
        yield engine
        engine.dispose()
        return
    gen = server_database(request.param)
    yield next(gen)
    gen.close()


def _table(conn: sa.Connection, table: str) -> list[tuple]:
    t = schema.TABLES[table]
    cols = TABLE_COLUMNS[table]
    stmt = sa.select(*(t.c[c.name] for c in cols)).order_by(*(t.c[k] for k in natural_key(table)))
    out = []
    for row in conn.execute(stmt):
        out.append(
            tuple(
                as_date(v) if c.kind == "date" and v is not None else (round(v, 2) if c.kind == "money" else v)
                for v, c in zip(row, cols, strict=True)
            )
        )
    return out


def _figures(conn: sa.Connection) -> dict[str, pd.DataFrame]:
    as_of = as_of_date(conn)
    out = {}
    for year in (2019, 2020):
        f = Filters(Period.year(year, as_of))
        area = ("area_code",)
        out |= {
            f"{year} population": people.fetch_population_summary(conn, f, ALL, area),
            f"{year} coverage": contacts.fetch_coverage(conn, f, ALL, area),
            f"{year} key coverage": contacts.fetch_coverage(conn, f, ALL, area, key_cohort_only=True),
            f"{year} overdue": contacts.fetch_overdue_count(conn, f, ALL, as_of, area),
            f"{year} festivals": contacts.fetch_festival_completion(conn, f, ALL, as_of),
            f"{year} branches": branches.fetch_branch_summary(conn, f, ALL, area),
            f"{year} budget": money.fetch_budget_execution(conn, f, ALL, ("budget_category", "area_code")),
            f"{year} aid": money.fetch_aid_summary(conn, f, ALL),
            f"{year} groups": groups.fetch_group_counts(conn, f, ALL, area),
            f"{year} services": services.fetch_service_summary(conn, f, ALL),
            f"{year} suggestions": suggestions.fetch_summary(conn, f, ALL, as_of),
            f"{year} talent": talent.fetch_pool(conn, f, ALL),
        }
    return out


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True) if len(frame.columns) else frame


def test_demo_round_trip(demo_book, empty_db, demo_tenth):
    path, checked = demo_book
    report = load(empty_db, checked, file_name=path.name, sha256="0" * 64, account="roundtrip")
    assert report.totals().inserted == sum(checked.rows(t) for t in SHEETS)
    source = make_engine(f"sqlite:///{demo_tenth}")
    try:
        with source.connect() as a, empty_db.connect() as b:
            for table in SHEETS:
                assert _table(a, table) == _table(b, table), table
            assert as_of_date(a) == as_of_date(b) == dt.date(2020, 12, 31)
            want, got = _figures(a), _figures(b)
        for name, frame in want.items():
            pd.testing.assert_frame_equal(_sorted(frame), _sorted(got[name]), check_dtype=False, obj=name)
    finally:
        source.dispose()
