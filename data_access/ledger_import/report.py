"""The error report of a check: 级别, 工作表, 行号, 列, 值, 问题 — as .xlsx or .csv (UTF-8 with BOM)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

from data_access.ledger_import.check import Problem

HEADER = ("级别", "工作表", "行号", "列", "值", "问题")


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def write_report(path: Path | str, problems: Sequence[Problem], summary: str, not_listed: int = 0) -> Path:
    path = Path(path)
    rows = [
        (p.level, p.sheet or "", p.row if p.row is not None else "", p.column or "", _shown(p.value), p.message)
        for p in problems
    ]
    if not_listed:
        rows.append(("错误", "", "", "", "", f"另有 {not_listed:,} 处问题未逐条列出（请先改正以上问题后重新检查）"))
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(HEADER)
            w.writerows(rows)
            w.writerow(())
            w.writerow(("", "", "", "", "", summary))
        return path
    wb = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    try:
        ws = wb.add_worksheet("检查结果")
        bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        red = wb.add_format({"font_color": "#C00000"})
        ws.write_string(0, 0, summary, wb.add_format({"bold": True}))
        for j, (h, width) in enumerate(zip(HEADER, (6, 18, 8, 20, 24, 80), strict=True)):
            ws.write_string(1, j, h, bold)
            ws.set_column(j, j, width)
        for i, row in enumerate(rows, start=2):
            for j, v in enumerate(row):
                if isinstance(v, int):
                    ws.write_number(i, j, v)
                else:
                    ws.write_string(i, j, v, red if j == 0 and v == "错误" else None)
    finally:
        wb.close()
    return path
