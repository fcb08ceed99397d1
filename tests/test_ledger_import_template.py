"""The import template: one sheet per table of the data dictionary with its Chinese headers,
drop-down lists for the codes, an explanation of every column, readable by openpyxl and by
python-calamine; and the Chinese words agree with the data dictionary and the dashboard."""

from __future__ import annotations

import re

import openpyxl
import python_calamine

from dashboard import labels
from data_access import schema
from data_access.ledger_import.columns import (
    CODE_COLUMNS,
    CODE_SOURCES,
    HELP_SHEET,
    LISTS_SHEET,
    SHEETS,
    TABLE_COLUMNS,
)
from data_access.ledger_import.template import write_template
from tests.conftest import ROOT
from tests.ledger_import_kit import run


def test_template_sheets_headers_and_example(tmp_path):
    path = tmp_path / "模板.xlsx"
    assert run("template", path) == 0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [*SHEETS.values(), HELP_SHEET, LISTS_SHEET]
    for table, sheet in SHEETS.items():
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        assert header == [c.header for c in TABLE_COLUMNS[table]], table
        assert ws.max_row >= 2, f"{sheet}: no example row"
    assert wb[SHEETS["people"]]["C2"].value == "张示例"
    assert wb[SHEETS["areas"]].max_row == 11  # the ten standard areas


def test_template_drop_down_lists(tmp_path):
    write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    lists = wb[LISTS_SHEET]
    for table, sheet in SHEETS.items():
        ws = wb[sheet]
        validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
        for j, col in enumerate(TABLE_COLUMNS[table]):
            letter = openpyxl.utils.get_column_letter(j + 1)
            if col.codes or col.kind == "bool" or col.ref == "areas":
                dv = validations.get(f"{letter}2")
                assert dv is not None and dv.type == "list", (table, col.name)
            if col.codes:
                ref = re.match(rf"{LISTS_SHEET}!\$([A-Z]+)\$2:\$\1\$(\d+)", dv.formula1)
                assert ref, dv.formula1
                values = [lists[f"{ref.group(1)}{r}"].value for r in range(2, int(ref.group(2)) + 1)]
                assert values == [str(v) for v in col.codes.values()], (table, col.name)


def test_template_explains_every_column(tmp_path):
    write_template(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")[HELP_SHEET]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2) if r[7].value]
    explained = {r[7] for r in rows}
    assert explained == {f"{t}.{c.name}" for t in SHEETS for c in TABLE_COLUMNS[t]}
    people_id = next(r for r in rows if r[7] == "people.id")
    assert people_id[2] == "是" and "身份证" in people_id[6]
    category = next(r for r in rows if r[7] == "people.category")
    assert "离休干部" in category[5]


def test_template_reads_back_with_calamine(tmp_path):
    write_template(tmp_path / "t.xlsx")
    book = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "t.xlsx"))
    rows = book.get_sheet_by_name(SHEETS["people"]).to_python()
    assert rows[0] == [c.header for c in TABLE_COLUMNS["people"]]
    assert rows[1][1] == "退休干部" and str(rows[1][4]).startswith("1948-05-12")


def test_headers_are_the_data_dictionary_names():
    text = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    table = None
    documented: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        m = re.match(r"### (\w+): ", line)
        if m:
            table = m.group(1)
            continue
        if line.startswith("## "):
            table = None
        m = re.match(r"\| `(\w+)` \| [^|]+ \| ([^|]+) \|", line)
        if m and table in schema.TABLES:
            documented.setdefault(table, {})[m.group(1)] = m.group(2).strip()
    for t in SHEETS:
        assert {c.name: c.header for c in TABLE_COLUMNS[t]} == documented[t], t


def test_code_labels_agree_with_codes_and_dashboard():
    for key, codes in CODE_SOURCES.items():
        assert tuple(CODE_COLUMNS[key]) == tuple(codes), key
    same = {
        "people.category": labels.CATEGORY,
        "people.rank": labels.RANK,
        "party_branches.kind": labels.BRANCH_KIND,
        "budgets.category": labels.BUDGET_CATEGORY,
        "contacts.channel": labels.CHANNEL,
        "contacts.contact_role": labels.CONTACT_ROLE,
        "pairings.mode": labels.PAIRING_MODE,
        "festival_windows.festival": labels.FESTIVAL,
        "visit_events.event_type": labels.EVENT_TYPE,
        "branch_activities.activity_type": labels.ACTIVITY_TYPE,
        "disbursements.hardship_reason": labels.HARDSHIP_REASON,
        "disbursements.form": labels.FORM,
        "service_deliveries.service": labels.SERVICE,
        "service_deliveries.provider_type": labels.PROVIDER_TYPE,
        "talent_pool.field": labels.TALENT_FIELD,
        "talent_activities.kind": labels.TALENT_ACTIVITY_KIND,
        "service_tiers.cadence": labels.CADENCE,
    }
    for key, words in same.items():  # (unit types and revolution periods: the dashboard shows neither)
        assert CODE_COLUMNS[key] == words, key


def test_data_access_does_not_import_the_dashboard():
    for path in (ROOT / "data_access" / "ledger_import").glob("*.py"):
        assert not re.search(r"^\s*(from|import) dashboard", path.read_text(encoding="utf-8"), re.M), path
