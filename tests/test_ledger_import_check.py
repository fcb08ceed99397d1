"""Checking ledger workbooks: each pitfall of office spreadsheets is handled or named, and
every kind of bad input gets a Chinese message and leaves the database unchanged."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from data_access.db import make_engine
from data_access.ledger_import.check import ERROR, WARNING, check_workbook
from data_access.ledger_import.columns import SHEETS, TABLE_COLUMNS
from data_access.ledger_import.read import LedgerFileError, read_workbook
from data_access.ledger_import.template import write_template
from tests.ledger_import_kit import BASE_ID, base_rows, run, snapshot, write_book


def check(path: Path):
    return check_workbook(read_workbook(path))


def problems_at(result, sheet: str, column: str | None = None):
    return [p for p in result.problems if p.sheet == sheet and (column is None or p.column == column)]


def test_base_ledger_checks_clean(tmp_path):
    result = check(write_book(tmp_path / "base.xlsx", base_rows()))
    assert result.ok, result.errors
    assert not result.warnings
    assert {t: result.rows(t) for t in ("people", "contacts", "budgets")} == {"people": 1, "contacts": 1, "budgets": 1}
    assert result.frames["people"].at[0, "id"] == BASE_ID


def test_unchanged_template_has_only_reference_rows(tmp_path):
    write_template(tmp_path / "t.xlsx")
    result = check(tmp_path / "t.xlsx")
    assert result.ok
    assert result.rows("areas") == 10 and result.rows("service_tiers") == 4
    assert result.rows("people") == 0 and result.rows("contacts") == 0
    assert any("示例" in p.message for p in result.warnings)


def test_header_under_a_merged_title_row(tmp_path):
    path = write_book(tmp_path / "b.xlsx", base_rows(), raw={("people", 0, "birth_date"): "not a date"})
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEETS["people"]]
    ws.insert_rows(1)
    ws["A1"] = "2020年服务对象台帐（市委老干部局）"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=10)
    wb.save(path)
    result = check(path)
    [p] = problems_at(result, "服务对象", "出生日期")
    assert p.row == 3  # the header is found on row 2; the data row is reported as Excel shows it
    assert "无法识别的日期" in p.message


def test_full_width_digits_and_spaces(tmp_path):
    raw = {
        ("people", 0, "id"): "１０１",
        ("people", 0, "birth_date"): "１９４８－０５－１２",
        ("people", 0, "phone"): "138 1234\u30005678",
        ("people", 0, "gender"): " 男 ",
        ("budgets", 0, "amount"): "１２０，０００",
    }
    result = check(write_book(tmp_path / "b.xlsx", base_rows(), raw))
    assert result.ok, result.errors
    person = result.frames["people"].iloc[0]
    assert (person["id"], person["birth_date"], person["phone"], person["gender"]) == (
        BASE_ID,
        dt.date(1948, 5, 12),
        "13812345678",
        "M",
    )
    assert result.frames["budgets"].at[0, "amount"] == 120000.0


@pytest.mark.parametrize(
    "value, expected",
    [
        (17665, dt.date(1948, 5, 12)),  # an Excel serial in a number cell
        ("17665", dt.date(1948, 5, 12)),
        ("1948.5.12", dt.date(1948, 5, 12)),
        ("1948年5月12日", dt.date(1948, 5, 12)),
        ("1948/05/12", dt.date(1948, 5, 12)),
        ("19480512", dt.date(1948, 5, 12)),
        (dt.datetime(1948, 5, 12, 8, 30), dt.date(1948, 5, 12)),
    ],
)
def test_dates_as_serials_and_text(tmp_path, value, expected):
    result = check(write_book(tmp_path / "b.xlsx", base_rows(), {("people", 0, "birth_date"): value}))
    assert result.ok, result.errors
    assert result.frames["people"].at[0, "birth_date"] == expected


def test_bad_and_blank_dates_are_named(tmp_path):
    raw = {
        ("people", 0, "birth_date"): None,  # required
        ("people", 0, "death_date"): None,  # optional: fine
        ("people", 0, "entry_date"): "2019.02.30",
        ("contacts", 0, "contact_date"): "去年春节",
    }
    result = check(write_book(tmp_path / "b.xlsx", base_rows(), raw))
    msgs = {(p.column, p.message.split("（")[0]) for p in result.errors}
    assert ("出生日期", "必填，不能为空") in msgs
    assert ("纳入管理服务日期", "不存在的日期") in msgs
    assert ("联系日期", "无法识别的日期") in msgs
    assert not problems_at(result, "服务对象", "去世日期")


def test_id_numbers_turned_into_floats(tmp_path):
    ok = check(write_book(tmp_path / "a.xlsx", base_rows(), {("people", 0, "id"): float(BASE_ID)}))
    assert ok.ok and ok.frames["people"].at[0, "id"] == BASE_ID
    raw = {("units", 0, "id"): 1.2345678901234568e17, ("contacts", 0, "id"): "1.23457E+17"}
    result = check(write_book(tmp_path / "b.xlsx", base_rows(), raw))
    by_sheet = {p.sheet: p.message for p in result.errors if p.column in ("单位编号", "记录编号")}
    assert "丢失精度" in by_sheet["原工作单位"]
    assert "科学计数法" in by_sheet["联系走访记录"]


def test_phone_numbers(tmp_path):
    rows = base_rows()
    spaced = check(write_book(tmp_path / "a.xlsx", rows, {("people", 0, "phone"): "0931 888 8888"}))
    assert spaced.ok and spaced.frames["people"].at[0, "phone"] == "09318888888"
    number = check(write_book(tmp_path / "b.xlsx", rows, {("people", 0, "phone"): 9318888888}))
    assert number.ok  # taken, but named
    [w] = problems_at(number, "服务对象", "联系电话")
    assert w.level == WARNING and "开头的 0" in w.message
    bad = check(write_book(tmp_path / "c.xlsx", rows, {("people", 0, "phone"): "打电话给儿子"}))
    assert problems_at(bad, "服务对象", "联系电话")[0].level == ERROR


@pytest.mark.parametrize(
    "value, expected", [("是", True), ("否", False), ("Y", True), ("√", True), (None, False), (1, True)]
)
def test_yes_no_booleans(tmp_path, value, expected):
    result = check(write_book(tmp_path / "b.xlsx", base_rows(), {("people", 0, "lives_alone"): value}))
    assert result.ok, result.errors
    assert result.frames["people"].at[0, "lives_alone"] is expected


def test_bad_boolean_and_code(tmp_path):
    raw = {("people", 0, "lives_alone"): "也许", ("people", 0, "category"): "离休干布"}
    result = check(write_book(tmp_path / "b.xlsx", base_rows(), raw))
    [b] = problems_at(result, "服务对象", "独居")
    assert "是" in b.message and "否" in b.message
    [c] = problems_at(result, "服务对象", "人员类别")
    assert "离休干部" in c.message  # the nearest label is suggested


def test_codes_by_code_or_label(tmp_path):
    raw = {("people", 0, "category"): "veteran", ("people", 0, "service_tier"): "一级（每周）"}
    result = check(write_book(tmp_path / "b.xlsx", base_rows(), raw))
    assert result.ok, result.errors
    assert result.frames["people"].at[0, "category"] == "veteran"
    assert result.frames["people"].at[0, "service_tier"] == 1


def test_areas_and_units_by_name_or_code(tmp_path):
    rows = base_rows()
    raw = {("people", 0, "area_code"): "620122", ("people", 0, "unit_id"): "示例单位"}
    result = check(write_book(tmp_path / "a.xlsx", rows, raw))
    assert result.ok, result.errors
    assert result.frames["people"].at[0, "area_code"] == "620122"
    assert result.frames["people"].at[0, "unit_id"] == BASE_ID
    raw = {("people", 0, "area_code"): "城关", ("people", 0, "unit_id"): "示例单"}
    result = check(write_book(tmp_path / "b.xlsx", rows, raw))
    [area] = problems_at(result, "服务对象", "管理地区")
    assert "未知的地区" in area.message and "城关区" in area.message
    [unit] = problems_at(result, "服务对象", "原工作单位")
    assert "示例单位" in unit.message


def test_references_must_exist(tmp_path):
    result = check(write_book(tmp_path / "b.xlsx", base_rows(), {("contacts", 0, "person_id"): 999}))
    [p] = problems_at(result, "联系走访记录", "服务对象")
    assert "999" in p.message and "服务对象" in p.message


def test_duplicate_people(tmp_path):
    rows = base_rows()
    twin = dict(rows["people"][0], id=102)
    rows["people"].append(twin)
    result = check(write_book(tmp_path / "a.xlsx", rows))
    assert result.ok  # a likely duplicate is named, not refused
    [w] = problems_at(result, "服务对象", "姓名")
    assert w.level == WARNING and "疑似重复" in w.message and w.row == 3
    rows["people"][1]["id"] = BASE_ID  # the same number twice is refused
    result = check(write_book(tmp_path / "b.xlsx", rows))
    assert any("编号重复" in p.message for p in problems_at(result, "服务对象", "人员编号"))


def test_contacts_before_birth_or_after_death(tmp_path):
    rows = base_rows()
    rows["people"][0]["death_date"] = dt.date(2020, 3, 1)
    c = rows["contacts"][0]
    c.update(contact_date=dt.date(1940, 1, 1), event_id=None, occasion="routine")
    rows["contacts"].append(dict(c, id=102, contact_date=dt.date(2020, 3, 9)))
    rows["contacts"].append(dict(c, id=103, contact_date=dt.date(2020, 3, 9), occasion="condolence"))
    result = check(write_book(tmp_path / "b.xlsx", rows))
    found = {(p.row, p.level) for p in problems_at(result, "联系走访记录", "联系日期")}
    assert found == {(2, ERROR), (3, WARNING)}  # a condolence visit after death is fine


def test_budget_without_a_year(tmp_path):
    result = check(write_book(tmp_path / "b.xlsx", base_rows(), {("budgets", 0, "year"): None}))
    [p] = problems_at(result, "年初预算", "预算年度")
    assert "预算没有填写年度" in p.message


def test_dates_out_of_order(tmp_path):
    rows = base_rows()
    rows["people"][0]["death_date"] = dt.date(1940, 1, 1)
    result = check(write_book(tmp_path / "b.xlsx", rows))
    assert any("去世日期早于出生日期" in p.message for p in result.errors)


def test_error_report_xlsx_and_csv(tmp_path):
    path = write_book(tmp_path / "b.xlsx", base_rows(), {("people", 0, "area_code"): "城关"})
    for report in (tmp_path / "报告.xlsx", tmp_path / "报告.csv"):
        assert run("check", path, "--report", report, "--url", f"sqlite:///{tmp_path / 'none.sqlite'}") == 1
        if report.suffix == ".csv":
            text = report.read_text(encoding="utf-8-sig")
            assert "级别,工作表,行号,列,值,问题" in text and "城关" in text
        else:
            ws = openpyxl.load_workbook(report).active
            cells = [[c.value for c in row] for row in ws.iter_rows()]
            assert cells[1] == ["级别", "工作表", "行号", "列", "值", "问题"]
            assert cells[2][:5] == ["错误", "服务对象", 2, "管理地区", "城关"]
            assert "相近的有：城关区" in cells[2][5]
    assert not (tmp_path / "none.sqlite").exists()  # a check never creates a database


# ------------------------------------------------------------------ bad input: message, nothing written


@pytest.fixture
def loaded(tmp_path):
    """A small ledger already in a database, and its snapshot."""
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    assert (
        run("load", write_book(tmp_path / "base.xlsx", base_rows()), "--url", url, "--report", tmp_path / "r.xlsx") == 0
    )
    engine = make_engine(url)
    yield url, engine, snapshot(engine)
    engine.dispose()


def _replace_part(src: Path, dst: Path, part: str, data: bytes | None = None, writer=None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for item in zin.infolist():
            if item.filename == part:
                if writer is not None:
                    with zout.open(part, "w", force_zip64=True) as fh:
                        writer(fh)
                elif data is not None:
                    zout.writestr(part, data)
            else:
                zout.writestr(item, zin.read(item.filename))
    return dst


def _sheet_part(sheet: str) -> str:
    return f"xl/worksheets/sheet{list(SHEETS.values()).index(sheet) + 1}.xml"


def _million_rows(fh) -> None:
    cols = len(TABLE_COLUMNS["contacts"])
    head = "".join(
        f'<c r="{chr(65 + j)}1" t="inlineStr"><is><t>{c.header}</t></is></c>'
        for j, c in enumerate(TABLE_COLUMNS["contacts"])
    )
    fh.write(
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + f'<row r="1">{head}</row>'.encode()
    )
    del cols
    buf = io.BytesIO()
    for n in range(2, 1_000_002):
        buf.write(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n))
        if n % 100_000 == 0:
            fh.write(buf.getvalue())
            buf = io.BytesIO()
    fh.write(buf.getvalue() + b"</sheetData></worksheet>")


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = write_book(tmp_path / "good.xlsx", base_rows())
    out: dict[str, tuple[Path, str]] = {}
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    out["empty"] = (empty, "空文件")
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    out["corrupt"] = (corrupt, "损坏")
    csv = tmp_path / "ledger.xlsx"
    csv.write_text("人员编号,姓名\n101,张三\n", encoding="utf-8-sig")
    out["csv"] = (csv, "CSV")
    import msoffcrypto.format.ooxml

    locked = tmp_path / "locked.xlsx"
    with good.open("rb") as src, locked.open("wb") as dst:
        office = msoffcrypto.format.ooxml.OOXMLFile(src)
        office.encrypt("secret", dst)
    out["password"] = (locked, "密码")
    wb = openpyxl.load_workbook(good)
    del wb[SHEETS["budgets"]]
    wb.save(tmp_path / "missing.xlsx")
    out["missing sheet"] = (tmp_path / "missing.xlsx", "缺少工作表：年初预算")
    wb = openpyxl.load_workbook(good)
    wb[SHEETS["budgets"]]["E2"] = "=100000+20000"
    wb.save(tmp_path / "formula.xlsx")
    out["formulas"] = (tmp_path / "formula.xlsx", "公式")
    big = _replace_part(good, tmp_path / "million.xlsx", _sheet_part(SHEETS["contacts"]), writer=_million_rows)
    out["1,000,000 rows"] = (big, "1,000,000 行")
    return out


def test_bad_input_gets_a_message_and_changes_nothing(tmp_path, loaded, capsys):
    url, engine, before = loaded
    for case, (path, expected) in _bad_files(tmp_path).items():
        for command in ("check", "load"):
            capsys.readouterr()
            code = run(command, path, "--url", url, "--report", tmp_path / f"report-{case}.xlsx")
            out = capsys.readouterr().out
            assert code == 2, (case, out)
            assert "无法导入" in out and expected in out, (case, out)
            assert "Traceback" not in out
        assert snapshot(engine) == before, case


def test_rows_with_errors_write_nothing(tmp_path, loaded, capsys):
    url, engine, before = loaded
    rows = base_rows()
    rows["people"].append(dict(rows["people"][0], id=102, name="新来的"))
    path = write_book(tmp_path / "b.xlsx", rows, {("people", 1, "area_code"): "火星"})
    assert run("load", path, "--url", url, "--report", tmp_path / "r.xlsx") == 1
    assert "数据库未做任何改动" in capsys.readouterr().out
    assert snapshot(engine) == before


def test_read_errors_are_ledger_file_errors(tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"\x00\x01garbage")
    with pytest.raises(LedgerFileError, match="不是 Excel 工作簿"):
        read_workbook(tmp_path / "x.xlsx")


def test_ambiguous_unit_name_and_unknown_tier(tmp_path):
    rows = base_rows()
    rows["units"].append(dict(rows["units"][0], id=102))  # a second 示例单位
    raw = {("people", 0, "unit_id"): "示例单位", ("people", 0, "service_tier"): 5}
    result = check(write_book(tmp_path / "b.xlsx", rows, raw))
    [unit] = problems_at(result, "服务对象", "原工作单位")
    assert "有多个单位" in unit.message
    [tier] = problems_at(result, "服务对象", "服务等级")
    assert "一级" in tier.message


def test_unreachable_database(tmp_path, capsys):
    path = write_book(tmp_path / "b.xlsx", base_rows())
    url = "postgresql+psycopg://nobody@127.0.0.1:9/none"
    assert run("check", path, "--url", url) == 2
    out = capsys.readouterr().out
    assert "无法使用数据库" in out and "Traceback" not in out


def test_unwritable_template_or_report(tmp_path, capsys):
    assert run("template", tmp_path / "missing" / "t.xlsx") == 2
    path = write_book(tmp_path / "b.xlsx", base_rows(), {("people", 0, "area_code"): "城关"})
    assert run("check", path, "--report", tmp_path / "missing" / "r.xlsx") == 2
    out = capsys.readouterr().out
    assert "无法写入模板文件" in out and "Traceback" not in out
