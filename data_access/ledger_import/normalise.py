"""Cell normalisers for the pitfalls of real Chinese office spreadsheets.

Each takes one raw cell (as python-calamine gives it: str, int, float, bool, date,
datetime, or '' for blank) and returns the clean value, or raises :class:`CellError` with
the Chinese reason. Full-width digits, letters and spaces (ＡＢＣ１２３, U+3000) are folded
by NFKC before codes, numbers and dates are read; free text keeps its own punctuation.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (after Excel's 1900 leap bug)
MAX_EXACT = 2**53  # above this a float no longer holds every integer
FIRST_YEAR, LAST_YEAR = 1880, 2100
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_DATE_PARTS = re.compile(
    r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")
_PHONE = re.compile(r"^\+?[0-9][0-9\-()]{2,19}$")
TRUE_WORDS = {"是", "y", "yes", "true", "t", "1", "√", "✓", "✔", "有", "对"}
FALSE_WORDS = {"否", "n", "no", "false", "f", "0", "×", "✗", "无", "不是", "没有"}


class CellError(ValueError):
    """``str(exc)`` is the Chinese reason; ``level`` is 错误 (blocks) or 提示 (reported)."""


class CellWarning(Exception):
    """The value was taken (``value``) but the cell deserves a look (``str(exc)``)."""

    def __init__(self, message: str, value):
        super().__init__(message)
        self.value = value


def blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not _SPACES.sub("", value))


def fold(text: str) -> str:
    """Full-width to half-width, spaces (any kind) removed."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def text(value, length: int | None = None) -> str | None:
    if blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()[:10]
    out = str(value).replace("\u3000", " ").strip()
    if length is not None and len(out) > length:
        raise CellError(f"超过 {length} 个字（现有 {len(out)} 个）")
    return out


def integer(value) -> int | None:
    if blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("应填写整数，不是 是/否")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError("不是有效数字")
        if abs(value) >= MAX_EXACT:
            raise CellError("数字超过 15 位，Excel 已把它存成浮点数而丢失精度；请把该列设为「文本」后重新录入原始编号")
        if not value.is_integer():
            raise CellError("应填写整数（不能有小数）")
        return int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        raise CellError("应填写整数，不是日期（该列可能被设成了日期格式）")
    s = fold(str(value)).replace(",", "")
    if _SCIENTIFIC.match(s):
        raise CellError("编号以科学计数法显示（如 1.23E+17），已丢失精度；请把该列设为「文本」后重新录入原始编号")
    try:
        f = float(s)
    except ValueError:
        raise CellError("应填写整数") from None
    if not f.is_integer():
        raise CellError("应填写整数（不能有小数）")
    if abs(f) >= MAX_EXACT and "." not in s:
        return int(s)
    return int(f)


def money(value) -> float | None:
    if blank(value):
        return None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        raise CellError("应填写金额（元）")
    if isinstance(value, (int, float)):
        f = float(value)
    else:
        s = fold(str(value)).replace(",", "").replace("￥", "").replace("¥", "").removesuffix("元")
        if s.endswith("万"):
            raise CellError("金额应以「元」为单位填写数字，不要写「万」")
        try:
            f = float(s)
        except ValueError:
            raise CellError("应填写金额（元），只写数字") from None
    if not math.isfinite(f):
        raise CellError("不是有效金额")
    if abs(f) >= 1e12:
        raise CellError("金额过大（应以元为单位，最多 12 位整数）")
    rounded = round(f, 2)
    if abs(rounded - f) > 1e-7:
        raise CellWarning("金额超过两位小数，已四舍五入到分", rounded)
    return rounded


def _checked(year: int, month: int, day: int) -> dt.date:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(f"年份 {year} 不合理（应在 {FIRST_YEAR}–{LAST_YEAR} 之间）")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"不存在的日期（{year}年{month}月{day}日）") from None


def date(value) -> dt.date | None:
    """A date from a date cell, an Excel serial number, or text: 2019-12-31, 2019/12/31,
    2019.12.31, 2019年12月31日, 20191231 (full-width digits too)."""
    if blank(value):
        return None
    if isinstance(value, dt.datetime):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise CellError("应填写日期")
    if isinstance(value, (int, float)):
        return _serial(float(value))
    if isinstance(value, dt.time):
        raise CellError("只有时间没有日期")
    s = fold(str(value))
    m = _DATE_PARTS.match(s) or _DATE_COMPACT.match(s)
    if m:
        return _checked(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if re.fullmatch(r"\d{5}(?:\.\d+)?", s):  # a serial number stored as text
        return _serial(float(s))
    raise CellError("无法识别的日期（请写成 2019-12-31、2019.12.31 或 2019年12月31日）")


def _serial(f: float) -> dt.date:
    if not math.isfinite(f) or f < 1 or f >= 2958466:
        raise CellError("应填写日期（这个数字不是 Excel 日期）")
    d = EXCEL_EPOCH + dt.timedelta(days=int(f))
    return _checked(d.year, d.month, d.day)


def boolean(value) -> bool:
    """是/否 (and Y/N, TRUE/FALSE, 1/0, √/×); blank is 否 (the data dictionary's rule)."""
    if blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    s = fold(str(value)).lower()
    if s in TRUE_WORDS:
        return True
    if s in FALSE_WORDS:
        return False
    raise CellError("应填写「是」或「否」")


def phone(value) -> str | None:
    """Text; spaces and full-width digits removed. A number cell loses leading zeros."""
    if blank(value):
        return None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        raise CellError("不是电话号码")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("电话号码被存成了小数；请把该列设为「文本」")
        value = int(value)
    if isinstance(value, int):
        s = str(value)
        if not (len(s) == 11 and s.startswith("1")):
            raise CellWarning("电话号码以数字存储，开头的 0 可能已丢失；请把该列设为「文本」后核对", s)
        return s
    s = fold(str(value))
    if _SCIENTIFIC.match(s):
        raise CellError("电话号码以科学计数法显示，已丢失精度；请把该列设为「文本」后重新录入")
    s = s.replace("－", "-").replace("—", "-")
    if not _PHONE.match(s):
        raise CellError("电话号码只能包含数字、+、- 和括号，最多 20 位")
    return s


def suggest(value: str, names: list[str], n: int = 3) -> str:
    """The nearest names, for a message: '（相近：城关区、七里河区）' or ''."""
    close = difflib.get_close_matches(value, names, n=n, cutoff=0.4)
    if not close:  # a shared character is still a hint for short Chinese names
        close = [x for x in names if set(x) & set(value)][:n]
    return f"（相近的有：{'、'.join(close)}）" if close else ""
