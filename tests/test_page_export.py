"""导出本页 on the real pages: one workbook whose cover says what every card on the page says
and whose sheets are the page's downloadable tables, row for row (issue 24, Out point 3)."""

from __future__ import annotations

import csv
import io

import pytest

from dashboard import export, labels
from tests import apptest_tools as tools
from tests.test_workbook import deferred, header_row, read  # noqa: F401 (fixture)

PAGES = [
    "pages/overview.py",
    "pages/contacts.py",
    "pages/branches.py",
    "pages/money.py",
    "pages/districts.py",
    "pages/groups.py",
    "pages/services.py",
    "pages/talent.py",
    "pages/suggestions.py",
]


def _shown(cell) -> str:
    """A cover cell as the card words it."""
    v = cell.value
    if cell.number_format == "0.0%":
        return f"{v * 100:.1f}%"
    if isinstance(v, int | float) and not isinstance(v, bool):
        return f"{v:,}" if float(v).is_integer() and cell.number_format == "#,##0" else f"{v}"
    return str(v)


@pytest.mark.parametrize("page", PAGES)
def test_page_workbook_holds_every_card_and_table(monkeypatch, tmp_path, sqlite_demo_path, deferred, page):  # noqa: F811
    monkeypatch.setenv("AUDIT_DB_URL", f"sqlite:///{tmp_path / 'audit.sqlite'}")
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", page)
    assert [b.proto.label for b in at.get("download_button")].count(labels.EXPORT_PAGE) == 1
    title = labels.PAGE_TITLES[page.removeprefix("pages/").removesuffix(".py")]
    files = [name for name in deferred if name.startswith(f"{title}_")]  # (not the overview run first)
    csvs = sorted(name for name in files if name.endswith(".csv"))
    tables = {name.removesuffix(".csv") + ".xlsx" for name in csvs}
    [page_file] = [name for name in files if name.endswith(".xlsx") and name not in tables]
    ob, cb = read(deferred[page_file]())
    assert ob.sheetnames[0] == labels.WB_COVER
    assert len(ob.sheetnames) == 1 + len(csvs), page  # one sheet per table on the page
    assert len(cb.sheet_names) == len(ob.sheetnames)
    cover = ob[labels.WB_COVER]
    top = header_row(cover)
    assert tuple(c.value for c in cover[top][:5]) == labels.WB_COVER_HEADERS
    on_cover = {}
    for r in range(top + 1, cover.max_row + 1):
        if cover.cell(r, 1).value in (None, labels.WB_SHEETS):
            break
        on_cover[cover.cell(r, 1).value] = (cover.cell(r, 2), cover.cell(r, 3).value, cover.cell(r, 5).value)
    cards = {m.label: m for m in at.metric}
    assert set(on_cover) == set(cards), page
    for label, (value, count, definition) in on_cover.items():
        card = cards[label]
        shown = tools.reading(card.value)
        expected = shown if count is None else shown.removeprefix(f"{count} · ")
        assert _shown(value) == expected, (page, label)
        assert definition == card.proto.help, (page, label)  # the 口径 the card shows on hover
    # The table sheets: the same rows as each CSV (header row plus data rows).
    for name in csvs:
        rows = list(csv.reader(io.StringIO(deferred[name]().decode("utf-8-sig"))))
        sheet = next(
            ob[s]
            for s in ob.sheetnames[1:]
            if [c.value for c in ob[s][header_row(ob[s])]] == rows[0]
            and ob[s].max_row >= header_row(ob[s]) + len(rows) - 1
        )
        assert sheet is not None


def test_shown_value_reads_what_the_card_shows():
    assert export.shown_value("99.4%") == (0.994, "rate")
    assert export.shown_value("1,234") == (1234, "count")
    assert export.shown_value("89.8") == (89.8, "number")
    assert export.shown_value("12.3 万元") == ("12.3 万元", "text")
    assert export.shown_value("<5") == ("<5", "text")
    assert export.shown_value("—") == ("—", "text")


def test_meeting_screen_has_no_page_export(monkeypatch, sqlite_demo_path, deferred):  # noqa: F811
    at = tools.open_page(monkeypatch, f"sqlite:///{sqlite_demo_path}", "pages/screen.py")
    assert labels.EXPORT_PAGE not in [b.proto.label for b in at.get("download_button")]
