"""One number format (issue #18): one unit for amounts, no "-0.0", whole 元 in tables and
CSV without float noise, numbers right-aligned even where a cell reads "<5", wide tables
pinned with a hint."""

from __future__ import annotations

import pandas as pd

from dashboard import components, export, formatting, status


def test_amounts_in_one_unit_and_no_negative_zero():
    assert formatting.yuan(450_000) == "45.00 万元"
    assert formatting.yuan(2_473.4) == "0.25 万元"  # never "2,473 元" beside a 万元 figure
    assert formatting.yuan(-0.4) == "0.00 万元"
    assert formatting.yuan_per_person(2_473.4) == "2,473 元/人"
    assert formatting.points(-0.00001) == "0.0 个百分点"
    assert formatting.points(0.0123) == "+1.2 个百分点"
    assert formatting.signed(-0.2) == "0" and formatting.signed(-1234) == "-1,234"
    assert formatting.percent(-0.00001) == "0.0%"


def test_csv_keeps_cents_and_has_no_float_noise():
    """A file is for further calculation: amounts to the fen (2.5 stays 2.5, never 3), whole
    amounts without ".0", no binary noise."""
    df = pd.DataFrame({"amount": [313_000.0, 2.5, None], "n": [1.0, 2.0, 3.0], "rate": [0.1 + 0.2, 1.0, 0.5]})
    text = export.csv_bytes(df, {"amount": "金额（元）", "n": "人数", "rate": "比值"}).decode("utf-8-sig")
    rows = text.splitlines()
    assert rows[1] == "313000,1,0.3" and rows[2] == "2.5,2,1.0" and rows[3] == ",3,0.5"


def test_numbers_right_aligned_even_with_small_cells_and_wide_tables_pinned():
    extra = {f"c{i}": [1, 2] for i in range(8)}
    shown = pd.DataFrame({"area": ["城关区", "皋兰县"], "n": ["1,234", "<5"], "rate": ["84.9%", "—"], **extra})
    headers = {c: c for c in shown.columns}
    config = components.column_config(shown, headers)
    assert config["n"]["alignment"] == "right" and config["rate"]["alignment"] == "right"
    assert config["c0"]["alignment"] == "right"
    assert config["area"]["pinned"] is True and config["area"].get("alignment") is None


def test_a_column_with_hidden_cells_shows_separators_and_exports_numbers(monkeypatch):
    """ "<5" turns a column into text: the screen still reads 59,500 and 2,204 (whole 元), the
    file keeps plain numbers, amounts to the fen."""
    captured = {}
    monkeypatch.setattr(components.st, "dataframe", lambda df, **kw: captured.setdefault("shown", df.to_pandas()))
    monkeypatch.setattr(components.st, "caption", lambda *a, **k: None)
    monkeypatch.setattr(components.export, "download_button", lambda df, *a: captured.setdefault("file", df))
    df = pd.DataFrame({"hardship_reason": ["高龄", "失独"], "recipients": [27, "<5"], "cash_amount": [59500, 2203.7]})
    df["cash_amount"] = df["cash_amount"].astype(object)
    df.loc[1, "cash_amount"] = "<5"
    df.loc[0, "cash_amount"] = 2203.7
    components.table(df, key="t", stem="s")
    shown, file = captured["shown"], captured["file"]
    assert shown["帮扶金额（元）"].tolist() == ["2,204", "<5"]
    assert file["cash_amount"].tolist() == [2203.7, "<5"] and file["recipients"].tolist() == [27, "<5"]


def test_a_points_column_shows_one_decimal_or_the_two_a_reading_needs(monkeypatch):
    """区县对比's 同比 table showed "+0.16300039274568245" in its 变化（百分点） column: the screen
    formats points with one decimal, or two for a column holding a gap written with two on
    purpose (4.96 points just short of 偏慢 never reads "5.0"); the file keeps the numbers."""
    captured = {}
    monkeypatch.setattr(components.st, "dataframe", lambda df, **kw: captured.update(shown=df.to_pandas(), kw=kw))
    monkeypatch.setattr(components.st, "caption", lambda *a, **k: None)
    monkeypatch.setattr(components.export, "download_button", lambda df, *a: captured.update(file=df))
    for values, fmt in (([0.16300039274568245, -1.0], "%+.1f"), ([-4.96, 0.5], "%+.2f")):
        components.table(pd.DataFrame({"area": ["城关区", "皋兰县"], "change_points": values}), key="t", stem="s")
        assert captured["kw"]["column_config"]["变化（百分点）"]["type_config"]["format"] == fmt
        assert captured["file"]["change_points"].tolist() == values
    assert status.pace_gap(0.9504, 1.0) == -4.96 and status.pace_gap(0.965, 1.0) == -3.5


def test_a_long_list_shows_its_first_rows_and_the_files_hold_every_row(monkeypatch):
    """联系覆盖's overdue list is 26,255 people at K=20: the screen lists the first rows (the
    most overdue) and says how many there are; the CSV and Excel hold every row."""
    captured = {"captions": []}
    monkeypatch.setattr(components.st, "dataframe", lambda df, **kw: captured.update(shown=df.to_pandas()))
    monkeypatch.setattr(components.st, "caption", lambda text, *a, **k: captured["captions"].append(text))
    monkeypatch.setattr(components.export, "download_button", lambda df, *a: captured.update(file=df))
    df = pd.DataFrame({"area": [f"区{i}" for i in range(1_500)], "days_overdue": range(1_500, 0, -1)})
    components.table(df, key="t", stem="s", screen_rows=1_000)
    assert len(captured["shown"]) == 1_000 and captured["shown"]["逾期天数"].iloc[0] == 1_500
    assert len(captured["file"]) == 1_500
    assert any("前 1,000 行" in c and "共 1,500 行" in c for c in captured["captions"])
    captured["captions"].clear()
    components.table(df.head(10), key="t", stem="s", screen_rows=1_000)
    assert len(captured["shown"]) == 10 and not captured["captions"]
