"""The CSV helper: BOM, Chinese headers, formula-injection guard, digit strings as text."""

from __future__ import annotations

import csv
import io

import pandas as pd

from dashboard.export import csv_bytes


def decode(data: bytes) -> list[list[str]]:
    assert data[:3] == b"\xef\xbb\xbf"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))


def test_bom_headers_and_rows():
    df = pd.DataFrame({"area": ["城关区", "市直"], "people": [7076, 13962], "coverage": ["99.3%", "99.2%"]})
    rows = decode(csv_bytes(df, {"area": "区域", "people": "服务对象（人）", "coverage": "联系覆盖率"}))
    assert rows == [["区域", "服务对象（人）", "联系覆盖率"], ["城关区", "7076", "99.3%"], ["市直", "13962", "99.2%"]]
    assert b"\r\n" in csv_bytes(df)
    assert not csv_bytes(df).startswith(b"\xef\xbb\xbfsep=")


def test_formula_injection_is_neutralised():
    df = pd.DataFrame({"name": ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rx", "正常"]})
    values = [r[0] for r in decode(csv_bytes(df))[1:]]
    assert values == ['\'=HYPERLINK("http://x")', "'+1", "'-2+3", "'@SUM(A1)", "'\tcmd", "'\rx", "正常"]
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) or v.startswith('="') for v in values)


def test_long_digit_strings_stay_text():
    df = pd.DataFrame({"code": ["620102", "0931", "12"], "phone": ["138****1234", "10123456789", "x"]})
    rows = decode(csv_bytes(df))
    assert rows[1] == ['="620102"', "138****1234"]
    assert rows[2] == ['="0931"', '="10123456789"']
    assert rows[3] == ["12", "x"]
