"""CSV numbers Excel can add (issue 26, item 6): a figure column holds plain numbers, its unit
in the header (与序时进度之差（百分点）, 人均帮扶（元/人）); the formula guard (a leading
apostrophe) is for text cells only."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest

from dashboard import export, labels, workbook
from tests import apptest_tools as tools
from tests.test_workbook import deferred, read  # noqa: F401 (fixture)

UNIT_IN_CELL = re.compile(r"\d\s*(个百分点|元/人|万元|元)$")
GUARDED_NUMBER = re.compile(r"^'[+\-]?\d")
HIDDEN = ("<5", "（已隐藏）", "—", "")


def rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def column(data: bytes, header: str) -> list[str]:
    head, *body = rows(data)
    j = head.index(header)
    return [r[j] for r in body]


def test_points_and_money_per_person_are_plain_numbers_in_the_bytes():
    df = pd.DataFrame(
        {
            "area": ["城关区", "=HYPERLINK(1)", "-某单位", "@x"],
            "gap": pd.Series([0.5, -1.2, "（已隐藏）", 0.30000000000000004], dtype=object),
            "per_recipient": [2426.0, 1500.5, 0.0, 3000.25],
        }
    )
    headers = {"area": "区域", "gap": labels.COLUMNS["gap"], "per_recipient": labels.COLUMNS["per_recipient"]}
    assert headers["gap"] == "与序时进度之差（百分点）" and headers["per_recipient"] == "人均帮扶（元/人）"
    data = export.csv_bytes(df, headers)
    assert data.decode("utf-8-sig").splitlines()[1:3] == ["城关区,0.5,2426", "'=HYPERLINK(1),-1.2,1500.5"]
    assert column(data, "与序时进度之差（百分点）") == ["0.5", "-1.2", "（已隐藏）", "0.3"]
    assert column(data, "人均帮扶（元/人）") == ["2426", "1500.5", "0", "3000.25"]
    assert column(data, "区域") == ["城关区", "'=HYPERLINK(1)", "'-某单位", "'@x"]  # text only is guarded


def test_the_workbook_reads_the_same_columns_as_numbers():
    df = pd.DataFrame({"area": ["城关区", "市直"], "gap": [0.5, -1.25], "per_recipient": [2426.0, 1500.5]})
    headers = {"area": "区域", "gap": labels.COLUMNS["gap"], "per_recipient": labels.COLUMNS["per_recipient"]}
    kinds = workbook.column_kinds(workbook.Table("t", df, headers))
    assert kinds == {"area": "text", "gap": "number", "per_recipient": "yuan"}
    ob, _ = read(workbook.table_bytes(workbook.Table("t", df, headers), workbook.Stamp()))
    ws = ob.active
    found = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value in headers.values():
                found[c.value] = [ws.cell(c.row + k, c.column).value for k in (1, 2)]
    assert found["与序时进度之差（百分点）"] == [0.5, -1.25]
    assert found["人均帮扶（元/人）"] == [2426, 1500.5]


def _check_file(name: str, data: bytes) -> None:
    head, *body = rows(data)
    for r in body:
        for h, v in zip(head, r):
            assert not UNIT_IN_CELL.search(v), (name, h, v)  # the unit belongs in the header
            assert not GUARDED_NUMBER.match(v), (name, h, v)  # a number is never made text


@pytest.mark.parametrize("page", ["pages/money.py", "pages/districts.py"])
def test_page_csv_files_hold_plain_numbers(monkeypatch, tmp_path, sqlite_demo_path, deferred, page):  # noqa: F811
    monkeypatch.setenv("AUDIT_DB_URL", f"sqlite:///{tmp_path / 'audit.sqlite'}")
    tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", page)
    csvs = {name: build() for name, build in deferred.items() if name.endswith(".csv")}
    assert csvs
    for name, data in csvs.items():
        _check_file(name, data)
    heads = {h for data in csvs.values() for h in rows(data)[0]}
    if page == "pages/money.py":
        assert "与序时进度之差（百分点）" in heads and "人均帮扶（元/人）" in heads
        for name, data in csvs.items():
            for h in ("与序时进度之差（百分点）", "人均帮扶（元/人）"):
                if h in rows(data)[0]:
                    for v in column(data, h):
                        assert v in HIDDEN or float(v) == float(v), (name, h, v)
    else:
        assert "人均帮扶（元/人）" in heads
