"""The Excel workbook beside every CSV: read back with openpyxl and python-calamine.

Types and number formats, the title block and 口径, frozen header, small cells as text with
notes, masking, text that must stay text, header/footer and properties (nothing personal),
the cover sheet of a whole page, sheet-name rules.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from dashboard import formatting, labels, workbook
from dashboard.workbook import Figure, Stamp, Table
from data_access import privacy

STAMP = Stamp(
    page="联系覆盖",
    filters="2020 年 · 全市 · 离休干部",
    as_of=dt.date(2020, 12, 31),
    account="leader",
    taken_at=dt.datetime(2021, 1, 5, 9, 30),
    drill="皋兰县 › 中川镇",
)
HEADERS = {
    "area": "区域",
    "people": "服务对象（人）",
    "coverage": "联系覆盖率",
    "aid_amount": "帮扶金额（元）",
    "gap": "与序时进度之差",
    "code": "区划代码",
    "founded_on": "成立日期",
}
CLEAR_NAMES = ["张小明", "欧阳小明", "李明", "王建国"]
CLEAR_PHONES = ["13812341234", "13900001111", "18655556666", "13711112222"]
INJECTIONS = ['=HYPERLINK("http://x","点我")', "+1", "-2+3", "@SUM(A1)", "=1+1"]


def area_frame() -> pd.DataFrame:
    """A frame as ``components.table`` hands it to the download: counts with a "<5", rates as
    "84.9%" text, amounts (whole 元 or with cents) hidden with the count, points, codes."""
    return pd.DataFrame(
        {
            "area": ["城关区", "市直", "皋兰县", "=SUM(A1:A9)"],
            "people": pd.Series([7076, 13962, "<5", 12], dtype=object),
            "coverage": ["99.3%", "84.9%", "<5", "100.0%"],
            "aid_amount": pd.Series([313000.5, 2204, "<5", 0], dtype=object),
            "gap": ["+1.2 个百分点", "-5.0 个百分点", "0.0 个百分点", "—"],
            "code": ["620102", "0931", "620122", "620100"],
            "founded_on": ["2019-07-01", "2020-01-15", None, "2018-03-09"],
        }
    )


def people_frame() -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "name": CLEAR_NAMES,
            "phone": CLEAR_PHONES,
            "unit": ["市财政局", "市教育局", "皋兰县中川镇", "市直机关工委"],
            "days_overdue": [120, 45, 30, 7],
            "last_contact": pd.to_datetime(["2020-08-01", "2020-10-02", None, "2020-12-01"]),
        }
    )
    return privacy.mask_columns(df, names=("name",), phones=("phone",))


PEOPLE_HEADERS = {
    "name": "姓名",
    "phone": "电话",
    "unit": "单位",
    "days_overdue": "逾期天数",
    "last_contact": "最近联系",
}


def read(data: bytes) -> tuple[openpyxl.Workbook, CalamineWorkbook]:
    return openpyxl.load_workbook(io.BytesIO(data)), CalamineWorkbook.from_filelike(io.BytesIO(data))


def header_row(ws) -> int:
    """The (1-based) header row: the row above the frozen pane."""
    return int(re.sub(r"[A-Z]", "", ws.freeze_panes)) - 1


def column(ws, header: str) -> list:
    """The data cells under ``header`` (openpyxl cells), down to the last data row."""
    top = header_row(ws)
    heads = [c.value for c in ws[top]]
    j = heads.index(header) + 1
    cells = []
    for r in range(top + 1, ws.max_row + 1):
        if all(ws.cell(r, k).value is None for k in range(1, len(heads) + 1)):
            break
        cells.append(ws.cell(r, j))
    return cells


def calamine_column(cb: CalamineWorkbook, sheet: str, header: str, top: int) -> list:
    rows = cb.get_sheet_by_name(sheet).to_python()
    j = rows[top - 1].index(header)
    out = []
    for row in rows[top:]:
        if all(v == "" for v in row):
            break
        out.append(row[j])
    return out


def package_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def one_sheet(df=None, headers=None, **kw) -> bytes:
    return workbook.table_bytes(
        Table("联系覆盖 · 各区域", area_frame() if df is None else df, headers or HEADERS, **kw), STAMP
    )


# ---------------------------------------------------------------------------- kinds


def test_kinds_are_inferred_from_headers_and_values():
    kinds = workbook.column_kinds(Table("t", area_frame(), HEADERS))
    assert kinds == {
        "area": "text",
        "people": "count",
        "coverage": "rate",
        "aid_amount": "yuan",
        "gap": "points",
        "code": "text",  # digit strings are codes, never numbers
        "founded_on": "date",
    }
    people = workbook.column_kinds(Table("t", people_frame(), PEOPLE_HEADERS))
    assert people == {"name": "text", "phone": "text", "unit": "text", "days_overdue": "count", "last_contact": "date"}
    numeric = pd.DataFrame({"execution_rate": [0.5, 1.2], "per_recipient": [1500.0, 2000.0], "age": [78.5, 80.25]})
    heads = {"execution_rate": "预算执行率", "per_recipient": "人均（元）", "age": "平均年龄"}
    assert workbook.column_kinds(Table("t", numeric, heads)) == {
        "execution_rate": "rate",
        "per_recipient": "yuan",
        "age": "number",
    }


def test_explicit_kinds_win_and_unknown_kinds_are_refused():
    df = pd.DataFrame({"year": [2019, 2020], "code": [620102, 620103]})
    kinds = workbook.column_kinds(Table("t", df, kinds={"year": "text", "code": "text"}))
    assert kinds == {"year": "text", "code": "text"}
    with pytest.raises(ValueError, match="kind"):
        workbook.column_kinds(Table("t", df, kinds={"year": "percent"}))


# ---------------------------------------------------------------------------- cells


def test_numbers_are_numbers_with_their_display_formats():
    ob, cb = read(one_sheet())
    ws = ob.active
    top = header_row(ws)
    people = column(ws, "服务对象（人）")
    assert [c.value for c in people] == [7076, 13962, "<5", 12]
    assert [c.number_format for c in people if c.data_type == "n"] == ["#,##0"] * 3
    coverage = column(ws, "联系覆盖率")
    assert [c.value for c in coverage] == [0.993, 0.849, "<5", 1.0]
    assert {c.number_format for c in coverage if c.data_type == "n"} == {"0.0%"}
    amount = column(ws, "帮扶金额（元）")
    assert [c.value for c in amount] == [313000.5, 2204, privacy.HIDDEN, 0]  # the cents kept
    assert {c.number_format for c in amount if c.data_type == "n"} == {"#,##0.00"}
    gap = column(ws, "与序时进度之差")
    assert [c.value for c in gap] == [1.2, -5.0, 0, "—"]
    assert "个百分点" in gap[0].number_format
    founded = column(ws, "成立日期")
    assert founded[0].value == dt.datetime(2019, 7, 1) and founded[0].number_format == "yyyy-mm-dd"
    assert founded[2].value is None
    # python-calamine reads the same types
    assert calamine_column(cb, ws.title, "服务对象（人）", top) == [7076, 13962, "<5", 12]
    assert calamine_column(cb, ws.title, "联系覆盖率", top) == [0.993, 0.849, "<5", 1.0]
    assert calamine_column(cb, ws.title, "帮扶金额（元）", top)[:2] == [313000.5, 2204]
    assert calamine_column(cb, ws.title, "成立日期", top)[:2] == [dt.date(2019, 7, 1), dt.date(2020, 1, 15)]


def test_small_cells_are_text_with_a_note_and_hidden_amounts_say_so():
    ob, _ = read(one_sheet())
    ws = ob.active
    small = column(ws, "服务对象（人）")[2]
    assert small.data_type == "s" and small.value == privacy.SMALL_CELL
    assert small.comment is not None and small.comment.text == labels.SMALL_CELL_NOTE
    hidden = column(ws, "帮扶金额（元）")[2]
    assert hidden.value == "（已隐藏）" and hidden.comment.text == labels.WB_HIDDEN_NOTE
    assert column(ws, "联系覆盖率")[2].comment.text == labels.SMALL_CELL_NOTE
    block = [ws.cell(r, 1).value for r in range(1, header_row(ws))]
    assert labels.SMALL_CELL_NOTE in block  # the legend above the table says it for every cell
    assert any(str(v).startswith(privacy.HIDDEN) for v in block)
    assert all(c.comment is None for c in column(ws, "服务对象（人）") if c.value != "<5")


def test_text_stays_text_never_a_formula_nor_a_number():
    df = pd.DataFrame(
        {
            "note": INJECTIONS + ["http://example.org", "0931", "10123456789", "620102000000000001"],
        }
    )
    data = one_sheet(df, {"note": "备注"})
    ob, cb = read(data)
    ws = ob.active
    cells = column(ws, "备注")
    assert [c.value for c in cells] == list(df["note"])
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells if c.value.startswith(("=", "+", "-", "@")))
    assert calamine_column(cb, ws.title, "备注", header_row(ws)) == list(df["note"])
    sheet_xml = package_text(data)
    assert "<f>" not in sheet_xml and "<hyperlink" not in sheet_xml


def test_masked_rows_go_out_masked_and_nothing_personal_anywhere():
    df = people_frame()
    data = one_sheet(df, PEOPLE_HEADERS)
    ob, cb = read(data)
    ws = ob.active
    assert [c.value for c in column(ws, "姓名")] == ["张*明", "欧**明", "李*", "王*国"]
    assert [c.value for c in column(ws, "电话")] == ["138****1234", "139****1111", "186****6666", "137****2222"]
    text = package_text(data)
    for clear in CLEAR_NAMES + CLEAR_PHONES:
        assert clear not in text, clear  # in no cell, comment, property or hidden part
    for sheet in ob.worksheets:
        assert sheet.sheet_state == "visible"
        assert not any(d.hidden for d in sheet.row_dimensions.values())
        assert not any(d.hidden for d in sheet.column_dimensions.values())
    assert not ob.defined_names
    assert all(m.visible == SheetVisibleEnum.Visible for m in cb.sheets_metadata)


def test_odd_values_are_written_as_what_they_mean():
    df = pd.DataFrame(
        {
            "n": pd.array([3, None, 12], dtype="Int64"),
            "x": [float("inf"), float("nan"), 1.5],
            "ok": [True, False, True],
            "at": pd.to_datetime(["2020-01-02 08:30", None, "2020-03-04 00:00"]).tz_localize("Asia/Shanghai"),
            "hidden": ["<5", "<5", None],
        }
    )
    heads = {"n": "人数", "x": "比值", "ok": "书记由离退休党员担任", "at": "时间", "hidden": "金额（元）"}
    ob, _ = read(one_sheet(df, heads))
    ws = ob.active
    assert [c.value for c in column(ws, "人数")] == [3, None, 12]
    assert [c.value for c in column(ws, "比值")] == ["—", None, 1.5]
    assert [c.value for c in column(ws, "书记由离退休党员担任")] == [labels.YES, labels.NO, labels.YES]
    at = column(ws, "时间")
    assert at[0].value == dt.datetime(2020, 1, 2, 8, 30) and at[0].number_format == "yyyy-mm-dd hh:mm"
    assert [c.value for c in column(ws, "金额（元）")][:2] == [privacy.HIDDEN] * 2  # an amount column all hidden


# ---------------------------------------------------------------------------- the sheet


def test_title_block_definitions_and_frozen_header():
    notes = {"aid_amount": "统计期内发放的帮扶金额合计（元）。"}
    ob, _ = read(one_sheet(notes=notes))
    ws = ob.active
    top = header_row(ws)
    assert ws.freeze_panes == f"A{top + 1}"
    assert [c.value for c in ws[top]] == list(HEADERS.values())
    block = [ws.cell(r, 1).value for r in range(1, top)]
    assert block[0] == "联系覆盖 · 各区域"
    assert "页面：联系覆盖" in block[1] and "2020 年 · 全市 · 离休干部" in block[1] and "皋兰县 › 中川镇" in block[1]
    assert "数据截至 2020-12-31" in block[2] and "leader" in block[2] and "2021-01-05 09:30" in block[2]
    assert labels.INTERNAL in block[3]
    definitions = next(v for v in block if v and v.startswith(labels.WB_DEFINITIONS))
    assert labels.KPI["coverage"][1] in definitions  # inferred from the column's KPI
    assert notes["aid_amount"] in definitions  # given
    heads = {c.value: c for c in ws[top]}
    assert heads["联系覆盖率"].comment.text == labels.KPI["coverage"][1]
    assert heads["帮扶金额（元）"].comment.text == notes["aid_amount"]
    assert heads["区域"].comment is None
    assert ws.auto_filter.ref.startswith(f"A{top}:")
    assert ws.print_title_rows == f"${top}:${top}"  # the header row on every printed page
    assert ws.cell(top + 6, 1).value == labels.WB_ROWS.format(n=4)


def test_column_widths_fit_chinese_text():
    assert workbook.display_width("区域") == 4 and workbook.display_width("ab") == 2
    assert workbook.display_width("（元）") == 6  # full-width brackets count double
    long_unit = "皋兰县中川镇人民政府老干部服务站"
    df = pd.DataFrame({"unit": ["市直", long_unit], "people": [5, 123456789]})
    ob, _ = read(one_sheet(df, {"unit": "单位", "people": "服务对象（人）"}))
    ws = ob.active
    assert ws.column_dimensions["A"].width >= workbook.display_width(long_unit)
    assert ws.column_dimensions["B"].width >= max(len("123,456,789"), workbook.display_width("服务对象（人）"))
    wide = pd.DataFrame({"text": ["很长的建言内容" * 30]})
    ob, _ = read(one_sheet(wide, {"text": "内容"}))
    ws = ob.active
    assert ws.column_dimensions["A"].width <= workbook.MAX_WIDTH + 1  # (Excel adds a little padding)
    assert column(ws, "内容")[0].alignment.wrap_text


def test_header_footer_and_properties_say_who_took_it():
    ob, _ = read(one_sheet())
    ws = ob.active
    header = ws.oddHeader
    assert header.left.text == labels.INTERNAL
    assert "leader" in header.right.text and "2021-01-05 09:30" in header.right.text
    assert "联系覆盖 · 各区域" in header.center.text
    assert "2020-12-31" in ws.oddFooter.left.text and labels.INTERNAL in ws.oddFooter.right.text
    assert "&P" in ws.oddFooter.center.text
    props = ob.properties
    assert props.creator == "leader" and props.lastModifiedBy == "leader"
    assert props.keywords == labels.INTERNAL and props.category == labels.INTERNAL
    assert props.created == dt.datetime(2021, 1, 5, 9, 30)
    custom = {p.name: p.value for p in ob.custom_doc_props.props}
    assert custom == {
        "密级": labels.INTERNAL,
        "导出账号": "leader",
        "导出时间": "2021-01-05 09:30",
        "数据截至": "2020-12-31",
    }


def test_header_with_a_long_title_and_ampersands_is_kept_valid():
    title = "联系覆盖 & 走访" + "很长" * 200
    data = workbook.table_bytes(Table(title, area_frame(), HEADERS), STAMP)
    ob, _ = read(data)
    ws = ob.active
    assert ws.oddHeader.center.text.startswith("联系覆盖 && 走访")  # "&" escaped: Excel shows one
    assert "leader" in ws.oddHeader.right.text
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    raw = re.search(r"<oddHeader>(.*?)</oddHeader>", xml).group(1).replace("&amp;", "&")
    assert len(raw) <= 255  # Excel refuses a longer header


def test_demo_files_say_so():
    ob, _ = read(workbook.table_bytes(Table("t", area_frame(), HEADERS), Stamp(page="总览", demo=True)))
    ws = ob.active
    assert labels.WB_DEMO in [ws.cell(r, 1).value for r in range(1, header_row(ws))]


def test_an_empty_table_still_makes_a_workbook():
    empty = area_frame().iloc[0:0]
    ob, cb = read(one_sheet(empty))
    ws = ob.active
    assert [c.value for c in ws[header_row(ws)]] == list(HEADERS.values())
    assert column(ws, "区域") == []
    assert cb.sheet_names == [ws.title]


# ---------------------------------------------------------------------------- sheet names


def test_sheet_names_follow_excel_rules():
    titles = [
        "联系覆盖 · 逾期未联系名单",
        "a/b\\c?d*e[f]g:h",
        "'引号'",
        "",
        "History",
        "x" * 40,
        "x" * 40,
        "X" * 40,
        "封面",
    ]
    names = workbook.sheet_names(titles, taken=["封面"])
    assert len(names) == len(titles)
    assert all(0 < len(n) <= 31 for n in names)
    assert all(not set(n) & set("[]:*?/\\") for n in names)
    assert all(not n.startswith("'") and not n.endswith("'") for n in names)
    lowered = [n.lower() for n in names] + ["封面"]
    assert len(set(lowered)) == len(lowered)
    assert names[0] == "联系覆盖 · 逾期未联系名单"
    assert names[4].lower() != "history"
    # every name opens in both readers
    tables = [Table(t, area_frame().head(1), HEADERS) for t in titles]
    ob, cb = read(workbook.page_bytes(STAMP, [], tables))
    assert ob.sheetnames == cb.sheet_names == ["封面", *names]


# ---------------------------------------------------------------------------- a whole page


def cover_figures() -> list:
    return [
        workbook.figure("coverage", 0.993, "rate", "7,026 人", "✔ 达标（目标 100%）"),
        workbook.figure("overdue", 143, "count", judgement="▼ 逾期"),
        Figure("特困帮扶金额", 313000.5, "yuan", 12, None, "统计期内发放的特困帮扶金合计。"),
        {"label": "重点对象", "value": "<5", "kind": "count", "note": "少于 5 人不显示。"},
        Figure("节日走访完成率", "84.9%", "rate", 1234, "=cmd"),
    ]


def test_page_workbook_has_a_cover_and_one_sheet_per_table():
    tables = [Table("各区域", area_frame(), HEADERS), Table("逾期未联系名单", people_frame(), PEOPLE_HEADERS)]
    data = workbook.page_bytes(STAMP, cover_figures(), tables)
    ob, cb = read(data)
    assert ob.sheetnames == cb.sheet_names == ["封面", "各区域", "逾期未联系名单"]
    assert ob.active.title == "封面"
    cover = ob["封面"]
    top = header_row(cover)
    assert [c.value for c in cover[top]] == list(labels.WB_COVER_HEADERS)
    assert cover.cell(1, 1).value == "联系覆盖 · 本页导出"
    rows = [[c.value for c in cover[r]] for r in range(top + 1, top + 6)]
    assert rows[0] == ["联系覆盖率", 0.993, "7,026 人", "✔ 达标（目标 100%）", labels.KPI["coverage"][1]]
    assert rows[1] == [labels.KPI["overdue"][0], 143, None, "▼ 逾期", labels.KPI["overdue"][1]]
    assert rows[2] == ["特困帮扶金额", 313000.5, 12, None, "统计期内发放的特困帮扶金合计。"]
    assert rows[3][:2] == ["重点对象", "<5"] and cover.cell(top + 4, 2).comment.text == labels.SMALL_CELL_NOTE
    assert rows[4][:4] == ["节日走访完成率", 0.849, 1234, "=cmd"]
    assert cover.cell(top + 1, 2).number_format == "0.0%"
    assert cover.cell(top + 3, 2).number_format == "#,##0.00"
    assert cover.cell(top + 3, 3).number_format == "#,##0"
    assert cover.cell(top + 5, 4).data_type == "s"
    links = {c.hyperlink.location for row in cover.iter_rows() for c in row if c.hyperlink}
    assert links == {"'各区域'!A1", "'逾期未联系名单'!A1"}
    calamine_cover = cb.get_sheet_by_name("封面").to_python()
    assert calamine_cover[top][:3] == ["联系覆盖率", 0.993, "7,026 人"]
    assert [c.value for c in column(ob["逾期未联系名单"], "姓名")] == ["张*明", "欧**明", "李*", "王*国"]
    text = package_text(data)
    assert not any(clear in text for clear in CLEAR_NAMES + CLEAR_PHONES)
    assert "<f>" not in text


def test_too_many_rows_for_a_sheet_are_refused_with_a_chinese_message(monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 20)
    assert not workbook.fits(pd.DataFrame({"a": range(10)}))
    with pytest.raises(ValueError, match="Excel"):
        workbook.table_bytes(Table("t", pd.DataFrame({"a": range(10)})), STAMP)


# ---------------------------------------------------------------------------- in Streamlit: the download path


@pytest.fixture
def deferred(monkeypatch) -> dict:
    """The on-click builders of every download button drawn, by file name."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    captured = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, *, element_id=""):
        captured[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, element_id=element_id)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return captured


def _download_app():
    import datetime as dt

    import pandas as pd

    from dashboard import audit_log, auth, context, export, url_state
    from tests.test_workbook import HEADERS, PEOPLE_HEADERS, area_frame, people_frame

    as_of = dt.date(2020, 12, 31)
    state = url_state.default_selection(as_of)
    user = auth.User("leader", "市领导", "city")
    areas = pd.DataFrame({"code": ["620102"], "name": ["城关区"]})
    ctx = context.PageContext(state, user.scope, as_of, 2016, areas, user=user)
    context.set_context(ctx)
    audit_log.set_context("leader", "city", "contacts", {"year": ["2020"]})
    export.download_button(area_frame(), url_state.file_stem("联系覆盖_各区域", state, {}, as_of), "dl_areas", HEADERS)
    stem = url_state.file_stem("联系覆盖_逾期未联系名单", state, {}, as_of)
    export.download_button(people_frame(), stem, "dl_people", PEOPLE_HEADERS)


def _exports(audit_url: str) -> list[tuple[str, int]]:
    from data_access import audit

    events = audit.fetch(audit.make_audit_engine(audit_url), dt.date(2000, 1, 1), dt.date(2100, 1, 1), action="export")
    return sorted(zip(events["file_name"], events["rows"]))


def test_download_offers_both_formats_of_the_same_rows_and_audits_each(monkeypatch, tmp_path, deferred):
    from streamlit.testing.v1 import AppTest

    from dashboard import export

    audit_url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    monkeypatch.setenv("AUDIT_DB_URL", audit_url)
    at = AppTest.from_function(_download_app, default_timeout=30).run()
    assert not at.exception
    buttons = {b.proto.id.rsplit("-", 1)[-1]: b.proto for b in at.get("download_button")}
    assert {"dl_areas", "dl_areas_xlsx", "dl_people", "dl_people_xlsx"} <= set(buttons)
    assert buttons["dl_areas_xlsx"].label == labels.DOWNLOAD_XLSX and not buttons["dl_people_xlsx"].disabled
    stem = "联系覆盖_各区域_全市_2020年_截至2020-12-31"
    assert {f"{stem}.csv", f"{stem}.xlsx"} <= set(deferred)
    assert deferred[f"{stem}.csv"]() == export.csv_bytes(area_frame(), HEADERS)  # the CSV as before
    ob, _ = read(deferred[f"{stem}.xlsx"]())
    ws = ob.active
    assert ws.cell(1, 1).value == "联系覆盖 · 各区域"  # the topic, without the filters of the file name
    assert "页面：联系覆盖" in ws.cell(2, 1).value and "2020 年 · 全市" in ws.cell(2, 1).value
    assert ob.properties.creator == "leader"
    assert [c.value for c in column(ws, "区域")] == list(area_frame()["area"])
    people_stem = "联系覆盖_逾期未联系名单_全市_2020年_截至2020-12-31"
    ob, _ = read(deferred[f"{people_stem}.xlsx"]())
    assert [c.value for c in column(ob.active, "姓名")] == list(people_frame()["name"])
    deferred[f"{people_stem}.csv"]()
    assert _exports(audit_url) == sorted(
        [(f"{stem}.csv", 4), (f"{stem}.xlsx", 4), (f"{people_stem}.xlsx", 4), (f"{people_stem}.csv", 4)]
    )


def test_audit_store_down_refuses_both_formats_of_a_list_of_people(monkeypatch, deferred):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("AUDIT_DB_URL", "sqlite:////proc/no-such-folder/audit.sqlite")
    at = AppTest.from_function(_download_app, default_timeout=30).run()
    assert not at.exception
    buttons = {b.proto.id.rsplit("-", 1)[-1]: b.proto for b in at.get("download_button")}
    assert buttons["dl_people"].disabled and buttons["dl_people_xlsx"].disabled
    assert not buttons["dl_areas"].disabled and not buttons["dl_areas_xlsx"].disabled
    assert not any("逾期未联系名单" in name for name in deferred)
    assert labels.EXPORT_NO_AUDIT in [c.value for c in at.caption]


def _page_app():
    import streamlit as st

    from dashboard import audit_log, export, formatting, workbook
    from tests.test_workbook import HEADERS, PEOPLE_HEADERS, area_frame, people_frame

    audit_log.set_context("leader", "city", "contacts", {})
    coverage, reached, overdue = 0.993, 7026, 143
    figures = [
        workbook.figure("coverage", coverage, "rate", f"{reached:,} 人", "✔ 达标"),
        workbook.figure("overdue", overdue, "count", judgement="▼ 需跟进"),
    ]
    left, right = st.columns(2)
    left.metric(figures[0].label, formatting.percent(coverage))
    right.metric(figures[1].label, formatting.count(overdue))
    tables = [
        workbook.Table("各区域", area_frame(), HEADERS),
        workbook.Table("逾期未联系名单", people_frame(), PEOPLE_HEADERS),
    ]
    export.page_workbook_button("联系覆盖", figures, tables, key="dl_page", stem="联系覆盖_本页")


def test_page_workbook_button_in_streamlit(monkeypatch, tmp_path, deferred):
    """ "导出本页" as a view will call it: one file, audited once, its cover equal to the cards."""
    from streamlit.testing.v1 import AppTest

    audit_url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    monkeypatch.setenv("AUDIT_DB_URL", audit_url)
    at = AppTest.from_function(_page_app, default_timeout=30).run()
    assert not at.exception
    button = next(b.proto for b in at.get("download_button"))
    assert button.label == labels.EXPORT_PAGE
    ob, cb = read(deferred["联系覆盖_本页.xlsx"]())
    assert ob.sheetnames == ["封面", "各区域", "逾期未联系名单"]
    cover = ob["封面"]
    top = header_row(cover)
    shown = {m.label: m.value for m in at.metric}
    for r in range(top + 1, top + 3):
        label, value = cover.cell(r, 1).value, cover.cell(r, 2)
        text = f"{value.value * 100:.1f}%" if value.number_format == "0.0%" else f"{value.value:,}"
        assert shown[label] == text, label  # the cover says what the card says
    assert cover.cell(1, 1).value == "联系覆盖 · 本页导出"
    assert _exports(audit_url) == [("联系覆盖_本页.xlsx", 8)]


def _as_csv_text(c) -> str:
    """An Excel cell as the CSV writes the same value."""
    v = c.value
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if c.data_type == "n":
        if c.number_format == "0.0%":
            return f"{v * 100:.1f}%"
        if "个百分点" in c.number_format:
            return f"{v:+.1f} 个百分点" if round(v, 1) else "0.0 个百分点"
        if c.number_format == "#,##0.00":
            return formatting.exact_yuan(v)  # the CSV keeps the cents too
        if c.number_format == workbook.NUMBER_FORMATS["number"]:
            return repr(float(v))  # a column with decimals keeps them on whole values too ("0.0")
        return str(int(v)) if float(v).is_integer() else repr(float(v))
    return str(v)


def _unguarded(text: str) -> str:
    """A CSV cell without the guards Excel needs (="0931", '=x)."""
    if text.startswith('="') and text.endswith('"'):
        return text[2:-1]
    return text[1:] if text.startswith("'") else text


@pytest.mark.parametrize("page", ["pages/contacts.py", "pages/money.py"])
def test_every_csv_on_a_page_has_a_workbook_of_the_same_rows(monkeypatch, tmp_path, sqlite_demo_path, deferred, page):
    from tests import apptest_tools as tools

    monkeypatch.setenv("AUDIT_DB_URL", f"sqlite:///{tmp_path / 'audit.sqlite'}")
    tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", page)
    csvs = [name for name in deferred if name.endswith(".csv")]
    assert csvs
    for name in csvs:
        rows = list(csv.reader(io.StringIO(deferred[name]().decode("utf-8-sig"))))
        ob, _ = read(deferred[name.removesuffix(".csv") + ".xlsx"]())
        ws = ob.active
        top = header_row(ws)
        assert [c.value for c in ws[top]] == rows[0], name
        got = [[_as_csv_text(c) for c in ws[r]] for r in range(top + 1, top + len(rows))]
        assert got == [[_unguarded(v) for v in row] for row in rows[1:]], name
        assert ws.cell(top + len(rows) + 1, 1).value == labels.WB_ROWS.format(n=f"{len(rows) - 1:,}")
