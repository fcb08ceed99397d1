"""Reading a ledger workbook: python-calamine for the cells, the file's own bytes for what a
reader should refuse before it reads (encrypted, not a workbook, formulas, too many rows).

Every refusal is a :class:`LedgerFileError` with a Chinese message; nothing here writes.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import python_calamine

from data_access.ledger_import.columns import HELP_SHEET, LISTS_SHEET, SHEETS, TABLE_BY_SHEET, TABLE_COLUMNS

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Most data rows a sheet may hold in one load; more is refused before the cells are read
# (split the file, e.g. by year, or raise it with --max-rows).
MAX_ROWS = 800_000
HEADER_SCAN_ROWS = 10
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")
_FORMULA = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<(?:\w+:)?f[\s>/]')
_CHUNK = 4 << 20


class LedgerFileError(Exception):
    """The file cannot be taken at all; ``str(exc)`` is the Chinese message."""


@dataclass
class RawSheet:
    table: str
    sheet: str
    header_row: int  # 1-based Excel row of the header
    columns: dict[str, int]  # column name -> 0-based position in the sheet
    rows: list[list]  # data rows (blank rows dropped), cells as calamine gives them
    row_numbers: list[int]  # the Excel row number of each data row


@dataclass
class RawWorkbook:
    path: Path
    sheets: dict[str, RawSheet]
    problems: list = field(default_factory=list)  # (sheet, row, column, value, message, level)


def _header_text(value) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = re.sub(r"\s+", "", text).replace("*", "").replace("＊", "")
    return text.replace("(", "（").replace(")", "）")


HEADER_KEYS = {t: {_header_text(c.header): c.name for c in cols} for t, cols in TABLE_COLUMNS.items()}


def sniff(path: Path) -> None:
    """Refuse what is not a readable .xlsx/.xls before any parser sees it."""
    if not path.is_file():
        raise LedgerFileError(f"找不到文件：{path}")
    size = path.stat().st_size
    if size == 0:
        raise LedgerFileError(f"文件「{path.name}」是空文件（0 字节），没有可导入的内容。")
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith(OLE_MAGIC):
        with path.open("rb") as fh:
            data = fh.read()
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            raise LedgerFileError(
                f"工作簿「{path.name}」设置了打开密码（已加密），无法读取。请在 Excel 中取消密码"
                "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存为 .xlsx 再导入。"
            )
        return  # an old .xls workbook: calamine reads it
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                bad = zf.testzip()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise LedgerFileError(
                f"工作簿「{path.name}」已损坏，无法打开（{exc}）。请在 Excel 中打开并另存为 .xlsx 后再导入。"
            ) from None
        if bad is not None:
            raise LedgerFileError(
                f"工作簿「{path.name}」已损坏（其中的 {bad} 无法读取）。请在 Excel 中打开并另存为 .xlsx 后再导入。"
            )
        if "xl/workbook.xml" not in names:
            raise LedgerFileError(f"文件「{path.name}」是压缩包，但不是 Excel 工作簿（缺少 xl/workbook.xml）。")
        return
    sample = head[:4096]
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = sample.decode("gb18030")
        except UnicodeDecodeError:
            text = ""
    if text and ("," in text or "\t" in text or "\n" in text) and "\x00" not in text:
        raise LedgerFileError(
            f"文件「{path.name}」是文本（CSV）文件，只是扩展名改成了 .xlsx，并不是 Excel 工作簿。"
            "请用 Excel 打开后「另存为 → Excel 工作簿 (*.xlsx)」，或按模板重新填写。"
        )
    raise LedgerFileError(f"文件「{path.name}」不是 Excel 工作簿（无法识别的文件格式）。请使用 .xlsx 模板。")


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part inside an .xlsx."""
    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    }
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        targets[rel.get("Id")] = path
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    out = {}
    for sheet in book.iterfind("m:sheets/m:sheet", ns):
        rid = sheet.get(f"{{{ns['r']}}}id")
        if rid in targets:
            out[sheet.get("name")] = targets[rid]
    return out


def scan_xlsx(path: Path, wanted: set[str]) -> dict[str, tuple[int, int, list[str]]]:
    """For each wanted sheet of an .xlsx: (rows, formula cells, first formula cells), read
    from the sheet's XML in a stream (no cell is parsed)."""
    out = {}
    try:
        with zipfile.ZipFile(path) as zf:
            parts = _sheet_parts(zf)
            for name, part in parts.items():
                if name not in wanted or part not in zf.namelist():
                    continue
                rows = formulas = 0
                first: list[str] = []
                tail = b""
                with zf.open(part) as fh:
                    while chunk := fh.read(_CHUNK):
                        data = tail + chunk
                        cut = max(0, len(data) - 200)
                        cut = data.rfind(b"<", 0, cut) if cut else 0
                        cut = max(cut, 0)
                        scan, tail = (data[:cut], data[cut:]) if cut else (b"", data)
                        rows += len(_ROW_TAG.findall(scan))
                        for m in _FORMULA.finditer(scan):
                            formulas += 1
                            if len(first) < 5:
                                first.append(m.group(1).decode())
                    rows += len(_ROW_TAG.findall(tail))
                    for m in _FORMULA.finditer(tail):
                        formulas += 1
                        if len(first) < 5:
                            first.append(m.group(1).decode())
                out[name] = (rows, formulas, first)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as exc:
        raise LedgerFileError(
            f"工作簿「{path.name}」结构已损坏，无法读取（{exc}）。请在 Excel 中打开并另存为 .xlsx 后再导入。"
        ) from None
    return out


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _find_header(table: str, rows: list[list]) -> tuple[int, dict[str, int]] | None:
    """The header row among the first rows (a merged title may sit above it, or a group
    header above that): the row naming most of the table's columns. A blank header cell
    under a cell merged down from the row above takes that cell's text."""
    keys = HEADER_KEYS[table]
    best: tuple[int, dict[str, int]] | None = None
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        for j, cell in enumerate(row):
            text = _header_text(cell)
            if not text and i > 0 and j < len(rows[i - 1]):
                text = _header_text(rows[i - 1][j])
            name = keys.get(text)
            if name and name not in found:
                found[name] = j
        if found and (best is None or len(found) > len(best[1])):
            best = (i, found)
    if best is None or len(best[1]) < max(1, len(keys) // 2):
        return None
    return best


class _Calamine:
    def __init__(self, path: Path):
        self.book = python_calamine.CalamineWorkbook.from_path(str(path))
        self.sheet_names = list(self.book.sheet_names)

    def rows(self, name: str) -> list[list]:
        return self.book.get_sheet_by_name(name).to_python(skip_empty_area=False)

    def close(self) -> None:
        self.book.close()


class _Openpyxl:
    """The fallback for an .xlsx that calamine cannot parse (openpyxl is slower, more lenient
    with some writers' XML)."""

    def __init__(self, path: Path):
        import openpyxl

        self.book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        self.sheet_names = list(self.book.sheetnames)

    def rows(self, name: str) -> list[list]:
        out = []
        for row in self.book[name].iter_rows(values_only=True):
            out.append(["" if v is None else v for v in row])
        return out

    def close(self) -> None:
        self.book.close()


def _open(path: Path, is_zip: bool):
    try:
        return _Calamine(path)
    except python_calamine.PasswordError:
        raise LedgerFileError(
            f"工作簿「{path.name}」设置了打开密码，无法读取。请取消密码后另存为 .xlsx 再导入。"
        ) from None
    except Exception as exc:  # calamine raises several types for broken files
        first = exc
    if is_zip:
        try:
            return _Openpyxl(path)
        except Exception:  # noqa: BLE001 - any failure of the fallback is reported as the first one
            pass
    raise LedgerFileError(
        f"工作簿「{path.name}」无法读取（{type(first).__name__}: {first}）。请在 Excel 中打开并另存为 .xlsx 后再导入。"
    )


def read_workbook(path: Path | str, max_rows: int = MAX_ROWS) -> RawWorkbook:
    """Every ledger sheet of the workbook, or :class:`LedgerFileError`."""
    path = Path(path)
    sniff(path)
    problems: list = []
    with path.open("rb") as fh:
        is_zip = fh.read(4) == ZIP_MAGIC
    if is_zip:
        scans = scan_xlsx(path, set(SHEETS.values()))
        for name, (rows, formulas, first) in scans.items():
            if rows - 1 > max_rows:
                raise LedgerFileError(
                    f"工作表「{name}」有 {rows - 1:,} 行数据，超过单次导入上限 {max_rows:,} 行。"
                    "请按年度或区域拆分成几个文件分批导入（同一文件重复导入不会产生重复数据）。"
                )
            if formulas:
                raise LedgerFileError(
                    f"工作表「{name}」有 {formulas:,} 个单元格是公式（如 {'、'.join(first)}），不是数值。"
                    "请选中整张表 → 复制 → 选择性粘贴 → 数值，保存后再导入。"
                )
    book = _open(path, is_zip)
    try:
        names = list(book.sheet_names)
        ledger_names = [n for n in names if _header_text(n) in {_header_text(s) for s in SHEETS.values()}]
        if not ledger_names:
            raise LedgerFileError(
                f"工作簿「{path.name}」中没有台帐工作表（应有：{'、'.join(SHEETS.values())}）。请使用导入模板"
                "（python -m data_access.ledger_import template 模板.xlsx）。"
            )
        by_norm = {_header_text(n): n for n in ledger_names}
        missing = [s for s in SHEETS.values() if _header_text(s) not in by_norm]
        if missing:
            raise LedgerFileError(
                f"工作簿「{path.name}」缺少工作表：{'、'.join(missing)}。请使用导入模板的全部工作表；"
                "没有数据的表保留表头、不填数据即可。"
            )
        for n in names:
            if n not in ledger_names and n not in (HELP_SHEET, LISTS_SHEET):
                problems.append((n, None, None, None, f"工作表「{n}」不是台帐表，已忽略。", "提示"))
        sheets: dict[str, RawSheet] = {}
        total = 0
        for sheet_name in SHEETS.values():
            actual = by_norm[_header_text(sheet_name)]
            table = TABLE_BY_SHEET[sheet_name]
            try:
                rows = book.rows(actual)
            except Exception as exc:
                raise LedgerFileError(f"工作表「{actual}」无法读取（{type(exc).__name__}: {exc}）。") from None
            if len(rows) - 1 > max_rows:
                raise LedgerFileError(
                    f"工作表「{actual}」有 {len(rows) - 1:,} 行数据，超过单次导入上限 {max_rows:,} 行。"
                    "请拆分后分批导入。"
                )
            if not rows or all(all(_is_blank(c) for c in r) for r in rows[:HEADER_SCAN_ROWS]):
                raise LedgerFileError(
                    f"工作表「{actual}」是空的，连表头也没有。请保留模板的表头行（没有数据时只留表头）。"
                )
            found = _find_header(table, rows)
            if found is None:
                raise LedgerFileError(
                    f"工作表「{actual}」前 {HEADER_SCAN_ROWS} 行中找不到表头"
                    f"（应有：{'、'.join(c.header for c in TABLE_COLUMNS[table])}）。"
                )
            header_index, columns = found
            absent = [c.header for c in TABLE_COLUMNS[table] if c.name not in columns]
            if absent:
                raise LedgerFileError(
                    f"工作表「{actual}」缺少列：{'、'.join(absent)}。请按模板保留全部列（没有内容的列留空）。"
                )
            width = max(columns.values()) + 1
            data, numbers = [], []
            for i in range(header_index + 1, len(rows)):
                row = rows[i][:width]
                if all(_is_blank(c) for c in row):
                    continue
                data.append(row)
                numbers.append(i + 1)
            total += len(data)
            sheets[table] = RawSheet(table, actual, header_index + 1, columns, data, numbers)
        if total == 0:
            raise LedgerFileError(f"工作簿「{path.name}」的各台帐表都只有表头，没有任何数据行。")
    finally:
        book.close()
    return RawWorkbook(path, sheets, problems)
