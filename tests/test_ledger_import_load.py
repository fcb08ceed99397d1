"""Loading ledger workbooks: upserts by natural key (a second load changes nothing), dry
runs, all or nothing, the load record and the rollup refresh."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from data_access.db import make_engine
from data_access.ledger_import import load as load_module
from data_access.ledger_import.check import check_workbook
from data_access.ledger_import.load import ledger_loads
from data_access.ledger_import.read import read_workbook
from data_access.rollup_store import status
from tests.ledger_import_kit import base_rows, run, snapshot, write_book


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


def loads(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(ledger_loads).order_by(ledger_loads.c.id)).mappings()]


def test_load_twice_changes_nothing(tmp_path, db, capsys):
    url, engine = db
    path = write_book(tmp_path / "台帐.xlsx", base_rows())
    assert run("load", path, "--url", url, "--account", "zhang") == 0
    first = snapshot(engine, with_loads=False)
    out = capsys.readouterr().out
    assert "已新增 39 行" in out and "服务对象: 新增 1，更新 0，未变 0" in out
    assert run("load", path, "--url", url, "--account", "zhang") == 0
    out = capsys.readouterr().out
    assert "已新增 0 行，已更新 0 行，未变 39 行" in out
    assert snapshot(engine, with_loads=False) == first  # the ledger is untouched (the record counts two loads)
    records = loads(engine)
    assert len(records) == 2
    assert records[0]["file_name"] == "台帐.xlsx" and records[0]["account"] == "zhang"
    assert len(records[0]["sha256"]) == 64 and records[0]["sha256"] == records[1]["sha256"]
    assert (records[0]["rows_inserted"], records[1]["rows_unchanged"]) == (39, 39)
    assert json.loads(records[0]["counts"])["people"] == {"inserted": 1, "updated": 0, "unchanged": 0}
    assert isinstance(records[0]["loaded_at"], dt.datetime)


def test_changed_rows_are_updated(tmp_path, db, capsys):
    url, engine = db
    rows = base_rows()
    assert run("load", write_book(tmp_path / "a.xlsx", rows), "--url", url) == 0
    rows["people"][0]["phone"] = "13900000000"
    rows["contacts"].append(dict(rows["contacts"][0], id=102, event_id=None, occasion="routine"))
    capsys.readouterr()
    assert run("load", write_book(tmp_path / "b.xlsx", rows), "--url", url) == 0
    out = capsys.readouterr().out
    assert "服务对象: 新增 0，更新 1，未变 0" in out and "联系走访记录: 新增 1，更新 0，未变 1" in out
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT phone FROM people WHERE id = 101")).scalar() == "13900000000"
        assert conn.execute(sa.text("SELECT COUNT(*) FROM contacts")).scalar() == 2


def test_dry_run_shows_and_writes_nothing(tmp_path, db, capsys):
    url, engine = db
    rows = base_rows()
    assert run("load", write_book(tmp_path / "a.xlsx", rows), "--url", url) == 0
    before = snapshot(engine)
    rows["people"][0]["lives_alone"] = False
    capsys.readouterr()
    assert run("load", write_book(tmp_path / "b.xlsx", rows), "--url", url, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "试运行" in out and "将更新 1 行" in out
    assert snapshot(engine) == before and len(loads(engine)) == 1


def test_dry_run_on_an_empty_database_creates_nothing(tmp_path):
    target = tmp_path / "new.sqlite"
    assert run("load", write_book(tmp_path / "a.xlsx", base_rows()), "--url", f"sqlite:///{target}", "--dry-run") == 0
    assert not target.exists()


def test_all_or_nothing(tmp_path, db, monkeypatch, capsys):
    url, engine = db
    rows = base_rows()
    assert run("load", write_book(tmp_path / "a.xlsx", rows), "--url", url) == 0
    before = snapshot(engine)
    rows["people"][0]["name"] = "改了名字"
    rows["pairings"][0]["helper_name"] = "也改了"
    real = load_module._existing

    def failing(conn, table, keys):  # the database gives out after people were written
        if table == "pairings":
            raise sa.exc.OperationalError("UPDATE", {}, Exception("server closed the connection"))
        return real(conn, table, keys)

    monkeypatch.setattr(load_module, "_existing", failing)
    assert run("load", write_book(tmp_path / "b.xlsx", rows), "--url", url) == 2
    assert "已回滚" in capsys.readouterr().out
    assert snapshot(engine) == before and len(loads(engine)) == 1


def test_load_refreshes_rollups(tmp_path, db, capsys):
    url, engine = db
    rows = base_rows()
    path = write_book(tmp_path / "a.xlsx", rows)
    assert run("load", path, "--url", url, "--rollups", "yes") == 0
    with engine.connect() as conn:
        record = status(conn)
    assert record is not None and record["fresh"]
    capsys.readouterr()
    assert run("load", path, "--url", url) == 0  # nothing changed: the rollup stays fresh
    rows["contacts"][0]["channel"] = "phone"
    assert run("load", write_book(tmp_path / "b.xlsx", rows), "--url", url) == 0  # auto: rollups in use
    assert "预汇总：已刷新" in capsys.readouterr().out
    with engine.connect() as conn:
        after = status(conn)
    assert after["fresh"] and after["generation"] == record["generation"] + 1


def test_load_refuses_unchecked_rows(tmp_path, db):
    _, engine = db
    result = check_workbook(read_workbook(write_book(tmp_path / "a.xlsx", base_rows(), {("people", 0, "id"): "x"})))
    with pytest.raises(ValueError):
        load_module.load(engine, result, file_name="a.xlsx", sha256="0" * 64, account="t")
