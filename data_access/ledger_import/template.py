"""The ledger workbook: one sheet per table with Chinese headers, drop-down lists for the
codes, an explanation of every column (填表说明) and the code lists (代码表).

``write_workbook`` writes it from rows of database values (codes, area codes, dates): the
template (one example row per sheet, the standard reference rows) and the export of a
whole ledger (``export.py``) use the same writer, so what one writes the other reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from data_access.ledger_import.columns import HELP_SHEET, LISTS_SHEET, SHEETS, TABLE_COLUMNS, Column

EXCEL_ROWS = 1_048_576
KIND_TEXT = {
    "int": "整数",
    "text": "文字",
    "date": "日期（2019-12-31，也可写 2019.12.31 或 2019年12月31日）",
    "bool": "是 / 否（空白按「否」）",
    "money": "金额，单位元，最多两位小数",
    "code": "从下拉列表选择",
}
REF_TEXT = {
    "areas": "地区名称或地区代码（如 城关区 或 620102），从下拉列表选择",
    "units": "「原工作单位」表中的单位编号（或唯一的单位名称）",
    "party_branches": "「离退休干部党支部」表中的支部编号（或唯一的支部名称）",
    "people": "「服务对象」表中的人员编号",
    "visit_events": "「必访事项」表中的事项编号",
    "service_tiers": "服务等级",
}
NOTES = {
    "people.id": "本单位系统中的人员编号（整数）。严禁填写身份证号",
    "people.phone": "请把该列设为「文本」，开头的 0 和 +86 才不会丢失",
    "people.deceased_cadre_id": "仅遗属填写：所依托的已故离休干部的人员编号",
    "people.area_code": "管理该人员的地区（市直 或 区县），不是居住地",
    "festival_windows.window_end": "走访期最后一天的次日（不含）",
    "pairings.ended_on": "结对结束日期（不含），仍在结对留空",
    "budgets.year": "预算年度，必填（如 2020）",
    "budgets.amount": "年初预算金额，单位元",
    "disbursements.person_id": "受助或领取人的人员编号；整笔发放（如离休费）留空",
}

# Reference rows every ledger needs (data dictionary, "Reference rows to load once").
DEFAULT_AREAS = [
    ("city", "市直", "city", 0, True),
    ("620102", "城关区", "district", 1, True),
    ("620103", "七里河区", "district", 2, True),
    ("620104", "西固区", "district", 3, True),
    ("620105", "安宁区", "district", 4, True),
    ("620111", "红古区", "district", 5, True),
    ("620121", "永登县", "county", 6, True),
    ("620122", "皋兰县", "county", 7, True),
    ("620123", "榆中县", "county", 8, True),
    ("620171", "兰州新区", "new_area", 9, False),
]
D = dt.date
# One example row per sheet (database values). An unchanged example row is skipped on
# import (check.py), so a template filled below its example loads only the real rows.
EXAMPLES: dict[str, dict] = {
    "units": dict(id=1, name="示例单位", area_code="620102", unit_type="city_organ", bankrupt_restructured=False),
    "party_branches": dict(
        id=1,
        name="示例离退休干部党支部",
        kind="city_unit",
        area_code="city",
        unit_id=1,
        secretary_is_retiree=True,
        founded_on=D(2010, 7, 1),
        closed_on=None,
    ),
    "people": dict(
        id=1,
        category="retiree",
        name="张示例",
        gender="M",
        birth_date=D(1948, 5, 12),
        area_code="620102",
        unit_id=1,
        rank="county",
        actual_post=True,
        revolution_period=None,
        revolution_joined_on=None,
        retirement_date=D(2008, 6, 1),
        entry_date=D(2008, 6, 1),
        death_date=None,
        deceased_cadre_id=None,
        party_status="full",
        branch_id=1,
        relocated=False,
        lives_away=False,
        lives_alone=True,
        widowed=True,
        empty_nest=False,
        lost_only_child=False,
        impaired_mobility=False,
        impaired_vision=False,
        impaired_hearing=False,
        impaired_speech=False,
        impaired_memory=False,
        health_status="chronic",
        disabled=False,
        service_tier=2,
        hardship_reason=None,
        phone="10000000000",
    ),
    "visit_events": dict(
        id=1, person_id=1, event_type="hospitalisation", event_date=D(2020, 3, 2), visit_due_on=D(2020, 3, 5)
    ),
    "contacts": dict(
        id=1,
        person_id=1,
        contact_date=D(2020, 3, 4),
        channel="home_visit",
        occasion="hospital",
        contact_role="bureau_staff",
        event_id=1,
    ),
    "pairings": dict(
        id=1,
        person_id=1,
        helper_name="李示例",
        helper_role="community",
        mode="one_to_one",
        started_on=D(2020, 1, 1),
        ended_on=None,
    ),
    "branch_activities": dict(id=1, branch_id=1, activity_type="theme_day", held_on=D(2020, 3, 10)),
    "budgets": dict(id=1, year=2020, area_code="620102", category="precise_service", amount=120000.0),
    "disbursements": dict(
        id=1,
        paid_on=D(2020, 1, 15),
        area_code="620102",
        category="hardship_aid",
        amount=2000.0,
        form="cash",
        person_id=1,
        hardship_reason="serious_illness",
    ),
    "service_deliveries": dict(
        id=1,
        person_id=1,
        service="escort_medical",
        requested_on=D(2020, 4, 1),
        delivered_on=D(2020, 4, 3),
        provider_type="community",
    ),
    "suggestions": dict(
        id=1,
        person_id=1,
        submitted_on=D(2020, 5, 6),
        topic="老旧小区加装电梯",
        department="住房和城乡建设局",
        due_on=D(2020, 6, 5),
        answered_on=None,
    ),
    "talent_pool": dict(id=1, person_id=1, field="education", joined_on=D(2019, 9, 1), left_on=None),
    "talent_activities": dict(id=1, person_id=1, held_on=D(2020, 6, 18), kind="lecture", title="示例宣讲活动"),
}


def reference_rows() -> dict[str, list[dict]]:
    """The standard areas, the four tiers and the festival windows of the demo years."""
    from data_access.demo.catalogue import TIERS, festival_windows

    areas = [dict(zip(("code", "name", "kind", "sort_order", "enabled"), a, strict=True)) for a in DEFAULT_AREAS]
    tiers = [dict(zip(("tier", "name", "cadence", "cadence_days", "description"), t, strict=True)) for t in TIERS]
    return {"areas": areas, "service_tiers": tiers, "festival_windows": festival_windows()}


def help_rows() -> list[list[str]]:
    rows = []
    for table, sheet in SHEETS.items():
        for col in TABLE_COLUMNS[table]:
            if col.kind == "ref":
                what = REF_TEXT[col.ref]
            else:
                what = KIND_TEXT[col.kind]
                if col.length and col.kind == "text":
                    what += f"，最多 {col.length} 个字"
            allowed = "、".join(col.codes.values()) if col.codes else ""
            rows.append(
                [
                    sheet,
                    col.header,
                    "是" if col.required else "否",
                    "是（按此编号更新）" if col.key else "",
                    what,
                    allowed,
                    NOTES.get(f"{table}.{col.name}", ""),
                    f"{table}.{col.name}",
                ]
            )
    return rows


def cell_value(col: Column, value, area_names: Mapping[str, str]):
    """A database value as the workbook shows it: code → Chinese label, area code → name,
    boolean → 是/否; dates stay dates."""
    if value is None:
        return None
    if col.kind == "code":
        return col.codes.get(value, value)
    if col.kind == "bool":
        return "是" if value else "否"
    if col.kind == "ref" and col.ref == "areas":
        return area_names.get(value, value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def write_workbook(
    path: Path | str,
    rows: Mapping[str, Iterable[Iterable]],
    area_names: Mapping[str, str],
    *,
    as_values: bool = False,
) -> None:
    """Write the ledger workbook. ``rows`` maps table -> rows in ``TABLE_COLUMNS`` order of
    database values (or, with ``as_values``, of values already converted by ``cell_value``)."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    try:
        head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
        head_req = wb.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "font_color": "#C00000",
                "text_wrap": True,
                "valign": "top",
            }
        )
        date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        text_fmt = wb.add_format({"num_format": "@"})
        money_fmt = wb.add_format({"num_format": "0.00"})
        lists: dict[str, tuple[str, int]] = {}  # "table.column" -> (list column letter, length)
        list_columns: list[list[str]] = []
        for table in SHEETS:
            for col in TABLE_COLUMNS[table]:
                if col.codes:
                    labels = [str(v) for v in col.codes.values()]
                    lists[f"{table}.{col.name}"] = (xl_col_to_name(len(list_columns)), len(labels))
                    list_columns.append([f"{SHEETS[table]}·{col.header}", *labels])
        for table, sheet in SHEETS.items():
            ws = wb.add_worksheet(sheet)
            cols = TABLE_COLUMNS[table]
            ws.set_row(0, 32)
            for j, col in enumerate(cols):
                ws.write_string(0, j, col.header, head_req if col.required else head)
                fmt = {"date": date_fmt, "money": money_fmt}.get(col.kind)
                if col.table == "people" and col.name == "phone":
                    fmt = text_fmt
                ws.set_column(j, j, max(10, min(28, len(col.header) * 2 + 2)), fmt)
                letter = xl_col_to_name(j)
                target = f"{letter}2:{letter}{EXCEL_ROWS}"
                if col.codes:
                    lc, n = lists[f"{table}.{col.name}"]
                    ws.data_validation(
                        target,
                        {
                            "validate": "list",
                            "source": f"={LISTS_SHEET}!${lc}$2:${lc}${n + 1}",
                            "error_type": "warning",
                            "input_title": col.header,
                            "input_message": "从下拉列表选择"[:255],
                        },
                    )
                elif col.kind == "ref" and col.ref == "areas":
                    ws.data_validation(
                        target,
                        {"validate": "list", "source": f"={SHEETS['areas']}!$B$2:$B$200", "error_type": "warning"},
                    )
                elif col.kind == "bool":
                    ws.data_validation(target, {"validate": "list", "source": ["是", "否"], "error_type": "warning"})
            ws.freeze_panes(1, 0)
            r = 1
            for row in rows.get(table, ()):
                for j, (col, value) in enumerate(zip(cols, row, strict=True)):
                    v = value if as_values else cell_value(col, value, area_names)
                    if v is None:
                        continue
                    if isinstance(v, dt.date):
                        ws.write_datetime(r, j, dt.datetime(v.year, v.month, v.day), date_fmt)
                    elif isinstance(v, bool):
                        ws.write_string(r, j, "是" if v else "否")
                    elif isinstance(v, (int, float)):
                        ws.write_number(r, j, v)
                    else:
                        ws.write_string(r, j, str(v))
                r += 1
                if r >= EXCEL_ROWS:
                    raise ValueError(f"{sheet}: more rows than an Excel sheet holds")
        ws = wb.add_worksheet(HELP_SHEET)
        header = ["工作表", "列名", "必填", "唯一编号", "填写要求", "可选值", "说明", "数据库字段"]
        for j, h in enumerate(header):
            ws.write_string(0, j, h, head)
        for j, width in enumerate((16, 20, 6, 16, 40, 50, 40, 30)):
            ws.set_column(j, j, width)
        for i, row in enumerate(help_rows(), start=1):
            for j, v in enumerate(row):
                ws.write_string(i, j, v)
        note = len(help_rows()) + 2
        for k, line in enumerate(
            (
                "填写说明：每张表第 1 行为表头（红色为必填列），从第 2 行起每行一条记录；"
                "模板第 2 行是示例，未改动时导入会自动跳过。",
                "编号是本单位系统中的唯一编号：再次导入同一编号会更新该记录，同一文件重复导入不会产生重复数据。",
                "日期请用日期格式或写成 2019-12-31；电话、编号列请设为「文本」格式，"
                "避免 Excel 丢失开头的 0 或把长数字变成科学计数法。",
                "请勿使用公式（导入前「选择性粘贴 → 数值」）；不要删除或改名工作表与表头，没有数据的表只保留表头。",
            )
        ):
            ws.write_string(note + k, 0, line)
        ws = wb.add_worksheet(LISTS_SHEET)
        ws.set_column(0, len(list_columns) - 1, 18)
        for i in range(max(len(v) for v in list_columns)):  # constant_memory: row by row
            for j, values in enumerate(list_columns):
                if i < len(values):
                    ws.write_string(i, j, values[i], head if i == 0 else None)
    finally:
        wb.close()


def write_template(path: Path | str) -> None:
    """An empty ledger workbook: the standard reference rows and one example row per sheet."""
    ref = reference_rows()
    area_names = {a["code"]: a["name"] for a in ref["areas"]}
    rows: dict[str, list[list]] = {}
    for table in SHEETS:
        cols = TABLE_COLUMNS[table]
        records = ref.get(table) or [EXAMPLES[table]]
        rows[table] = [[rec.get(c.name) for c in cols] for rec in records]
    write_workbook(path, rows, area_names)
