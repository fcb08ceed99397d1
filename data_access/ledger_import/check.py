"""Check a ledger workbook row by row; nothing is written to the database here.

Cells are first normalised (``normalise``: the pitfalls of office spreadsheets), then each
table's frame is validated with a pandera schema derived from ``data_access.schema`` (empty
where not allowed, codes, lengths, unique keys, dates in order), then across tables against
the workbook and the database: references that resolve, contacts before birth or after
death, likely duplicate people. Every finding names sheet, row, column, value and reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa
import sqlalchemy as sa

from data_access import schema
from data_access.ledger_import import normalise as nz
from data_access.ledger_import.columns import BY_NAME, SHEETS, TABLE_COLUMNS, Column, natural_key
from data_access.ledger_import.read import RawWorkbook
from data_access.ledger_import.template import EXAMPLES

ERROR, WARNING = "错误", "提示"
AMBIGUOUS = object()  # a name that two rows carry: such a reference must use the number
MAX_LISTED = 100_000  # findings listed one by one; beyond, the report says how many more


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    value: object
    message: str
    level: str = ERROR


@dataclass
class CheckResult:
    frames: dict[str, pd.DataFrame]  # normalised rows per table (object columns, None for empty)
    row_numbers: dict[str, list[int]]
    problems: list[Problem] = field(default_factory=list)
    not_listed: int = 0  # findings beyond MAX_LISTED

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.not_listed

    def rows(self, table: str) -> int:
        return len(self.frames.get(table, ()))


@dataclass
class Known:
    """What the database already holds that a workbook row may refer to."""

    ids: dict[str, set] = field(default_factory=dict)  # table -> natural keys
    names: dict[str, dict[str, object]] = field(default_factory=dict)  # table -> name -> key
    people: dict[int, tuple] = field(default_factory=dict)  # id -> (birth, death)


def known_from_database(conn: sa.Connection | None) -> Known:
    known = Known()
    if conn is None:
        return known
    present = set(sa.inspect(conn).get_table_names())
    for table in ("areas", "units", "party_branches", "people", "visit_events", "service_tiers"):
        if table not in present:
            continue
        t = schema.TABLES[table]
        key = t.c[natural_key(table)[0]]
        if table == "people":
            rows = conn.execute(sa.select(t.c.id, t.c.birth_date, t.c.death_date)).all()
            known.people = {r[0]: (_as_date(r[1]), _as_date(r[2])) for r in rows}
            known.ids[table] = set(known.people)
        elif table in BY_NAME:
            rows = conn.execute(sa.select(key, t.c.name)).all()
            known.ids[table] = {r[0] for r in rows}
            by_name: dict = {}
            for k, n in rows:
                by_name[n] = k if by_name.get(n, k) == k else AMBIGUOUS
            known.names[table] = by_name
        else:
            known.ids[table] = set(conn.execute(sa.select(key)).scalars())
    return known


def _as_date(value):
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    return dt.date.fromisoformat(str(value)[:10])


class _Collector:
    def __init__(self):
        self.problems: list[Problem] = []
        self.not_listed = 0

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_LISTED:
            self.problems.append(problem)
        else:
            self.not_listed += 1


def _code_reader(col: Column) -> Callable:
    """A code cell by its code (veteran, 1) or its Chinese label (离休干部, 一级, 一级（每周）)."""
    lookup: dict[str, object] = {}
    for code, label in col.codes.items():
        lookup[nz.fold(str(code)).lower()] = code
        lookup[nz.fold(label).lower()] = code
        lookup[nz.fold(label).lower().split("(")[0]] = code
    labels = list(col.codes.values())

    def read(value):
        if nz.blank(value):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        s = nz.fold(str(value)).lower()
        if s in lookup:
            return lookup[s]
        base = s.split("(")[0]
        if base in lookup:
            return lookup[base]
        raise nz.CellError(f"不是允许的取值{nz.suggest(str(value).strip(), labels)}；可填：{'、'.join(labels)}")

    return read


def _ref_reader(col: Column, names: dict[str, object], ids: set) -> Callable:
    """A reference by its key (area code, unit or branch number, person number) or, for
    areas, units and branches, by its name."""
    folded = {nz.fold(n): k for n, k in names.items()}
    name_list = list(names)

    def read(value):
        if nz.blank(value):
            return None
        if col.ref == "areas":
            s = nz.fold(str(int(value)) if isinstance(value, float) and value.is_integer() else str(value))
            if s in ids:
                return s
            if folded.get(s) is AMBIGUOUS:
                raise nz.CellError(f"有多个地区叫「{str(value).strip()}」，请填写地区代码")
            if s in folded:
                return folded[s]
            raise nz.CellError(f"未知的地区「{str(value).strip()}」{nz.suggest(s, name_list)}")
        if col.ref in BY_NAME and isinstance(value, str) and not nz.fold(value).lstrip("-").isdigit():
            s = nz.fold(value)
            what = "单位" if col.ref == "units" else "党支部"
            if folded.get(s) is AMBIGUOUS:
                raise nz.CellError(f"有多个{what}叫「{value.strip()}」，请填写{what}编号")
            if s in folded:
                return folded[s]
            raise nz.CellError(f"未知的{what}「{value.strip()}」（按名称和编号都找不到）{nz.suggest(s, name_list)}")
        return nz.integer(value)

    return read


def _reader(col: Column, names: dict, ids: set) -> Callable:
    if col.kind == "code":
        return _code_reader(col)
    if col.kind == "ref":
        return _ref_reader(col, names, ids)
    if col.table == "people" and col.name == "phone":
        return nz.phone
    if col.table == "areas" and col.name == "code":
        return lambda v: nz.text(nz.fold(str(int(v)) if isinstance(v, float) else str(v)), col.length)
    return {
        "int": nz.integer,
        "money": nz.money,
        "date": nz.date,
        "bool": nz.boolean,
        "text": lambda v: nz.text(v, col.length),
    }[col.kind]


def _normalise_column(values: list, read: Callable) -> tuple[list, dict[int, str], dict[int, str]]:
    """Values read once per distinct cell (ledgers repeat their codes and dates)."""
    cache: dict = {}
    out, errors, warnings = [], {}, {}
    for i, raw in enumerate(values):
        key = (type(raw), raw)
        hit = cache.get(key)
        if hit is None:
            try:
                hit = (read(raw), None, None)
            except nz.CellWarning as w:
                hit = (w.value, None, str(w))
            except nz.CellError as e:
                hit = (None, str(e), None)
            except (TypeError, ValueError, OverflowError):
                hit = (None, "无法识别的值", None)
            cache[key] = hit
        out.append(hit[0])
        if hit[1] is not None:
            errors[i] = hit[1]
        elif hit[2] is not None:
            warnings[i] = hit[2]
    return out, errors, warnings


def _dates(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, errors="coerce")


def _order(first: str, second: str, strict: bool = False) -> Callable:
    def check(df: pd.DataFrame) -> pd.Series:
        a, b = _dates(df[first]), _dates(df[second])
        bad = (b < a) if not strict else (b <= a)
        return ~(bad.fillna(False))

    return check


# Table -> (name, check, column named in the report, message); rows failing are errors.
ROW_CHECKS: dict[str, list[tuple[str, Callable, str, str]]] = {
    "people": [
        ("death_after_birth", _order("birth_date", "death_date"), "death_date", "去世日期早于出生日期"),
        ("entry_after_birth", _order("birth_date", "entry_date"), "entry_date", "纳入管理服务日期早于出生日期"),
        (
            "retired_after_birth",
            _order("birth_date", "retirement_date"),
            "retirement_date",
            "离休/退休日期早于出生日期",
        ),
    ],
    "party_branches": [
        ("closed_after_founded", _order("founded_on", "closed_on", True), "closed_on", "撤销日期不晚于成立日期")
    ],
    "festival_windows": [
        ("window_order", _order("window_start", "window_end", True), "window_end", "走访截止日期不晚于开始日期")
    ],
    "visit_events": [("due_after_event", _order("event_date", "visit_due_on"), "visit_due_on", "应访日期早于发生日期")],
    "pairings": [("ended_after_started", _order("started_on", "ended_on"), "ended_on", "结束日期早于开始日期")],
    "service_deliveries": [
        ("delivered_after_request", _order("requested_on", "delivered_on"), "delivered_on", "完成日期早于申请日期")
    ],
    "suggestions": [
        ("due_after_submitted", _order("submitted_on", "due_on"), "due_on", "答复期限早于提交日期"),
        ("answered_after_submitted", _order("submitted_on", "answered_on"), "answered_on", "答复日期早于提交日期"),
    ],
    "talent_pool": [("left_after_joined", _order("joined_on", "left_on"), "left_on", "出库日期早于入库日期")],
    "budgets": [
        (
            "year_range",
            lambda df: pd.to_numeric(df["year"], errors="coerce").between(1949, 2100) | df["year"].isna(),
            "year",
            "预算年度不合理（应为 1949–2100 之间的年份）",
        )
    ],
}
NOT_NULL_MESSAGES = {("budgets", "year"): "预算没有填写年度（预算年度必填）"}


def pandera_schema(table: str) -> pa.DataFrameSchema:
    """The table's rules, from data_access.schema: required, codes, lengths, unique key."""
    key = natural_key(table)
    cols = {}
    for col in TABLE_COLUMNS[table]:
        checks = []
        if col.kind == "code":
            checks.append(pa.Check.isin(list(col.codes), name="isin"))
        if col.kind == "text" and col.length:
            checks.append(pa.Check(lambda s, n=col.length: s.map(len) <= n, name=f"max_length:{col.length}"))
        cols[col.name] = pa.Column(
            None, checks=checks, nullable=not col.required, unique=(key == (col.name,)), required=True
        )
    frame_checks = [pa.Check(fn, name=name) for name, fn, _, _ in ROW_CHECKS.get(table, [])]
    return pa.DataFrameSchema(cols, checks=frame_checks, coerce=False, name=table)


def _pandera_problems(table: str, df: pd.DataFrame, rows: list[int], raw: dict, skip: set, out: _Collector) -> None:
    try:
        pandera_schema(table).validate(df, lazy=True)
        return
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    sheet = SHEETS[table]
    headers = {c.name: c.header for c in TABLE_COLUMNS[table]}
    row_checks = {name: (column, message) for name, _, column, message in ROW_CHECKS.get(table, [])}
    for case in cases.itertuples(index=False):
        index = case.index
        if index is None or (isinstance(index, float) and index != index):
            continue
        index = int(index)
        check = str(case.check)
        if check in row_checks:
            column, message = row_checks[check]
        else:
            column = case.column
            if (index, column) in skip:
                continue
            if check == "not_nullable":
                message = NOT_NULL_MESSAGES.get((table, column), "必填，不能为空")
            elif check == "field_uniqueness":
                message = "编号重复：同一张表中出现了多次（按编号更新时无法区分）"
            elif check.startswith("max_length"):
                message = f"超过 {check.split(':')[1]} 个字"
            elif check == "isin":
                message = "不是允许的取值"
            else:
                message = f"不符合规则（{check}）"
        value = raw.get(column, [None] * len(rows))[index] if column in raw else None
        out.add(Problem(sheet, rows[index], headers.get(column, column), value, message))


def check_workbook(book: RawWorkbook, conn: sa.Connection | None = None) -> CheckResult:
    """Normalise and validate every sheet (in load order, so references resolve against
    the sheets before and the database)."""
    known = known_from_database(conn)
    out = _Collector()
    for sheet, row, column, value, message, level in book.problems:
        out.add(Problem(sheet, row, column, value, message, level))
    frames: dict[str, pd.DataFrame] = {}
    numbers: dict[str, list[int]] = {}
    ids: dict[str, set] = {t: set(v) for t, v in known.ids.items()}
    names: dict[str, dict] = {t: dict(v) for t, v in known.names.items()}
    for table in SHEETS:
        raw_sheet = book.sheets[table]
        sheet = raw_sheet.sheet
        data, rows = raw_sheet.rows, raw_sheet.row_numbers
        if data and _is_example(table, raw_sheet, data[0], ids, names):
            out.add(Problem(sheet, rows[0], None, None, "这一行是模板自带的示例，未改动，不导入", WARNING))
            data, rows = data[1:], rows[1:]
        raw: dict[str, list] = {}
        values: dict[str, list] = {}
        skip: set = set()
        for col in TABLE_COLUMNS[table]:
            j = raw_sheet.columns[col.name]
            cells = [r[j] if j < len(r) else None for r in data]
            raw[col.name] = cells
            ref_ids = ids.get(col.ref, set()) if col.ref else set()
            read = _reader(col, names.get(col.ref, {}), ref_ids)
            values[col.name], errors, warnings = _normalise_column(cells, read)
            for i, message in errors.items():
                skip.add((i, col.name))
                out.add(Problem(sheet, rows[i], col.header, cells[i], message))
            for i, message in warnings.items():
                out.add(Problem(sheet, rows[i], col.header, cells[i], message, WARNING))
        df = pd.DataFrame({name: pd.Series(v, dtype=object) for name, v in values.items()})
        _pandera_problems(table, df, rows, raw, skip, out)
        frames[table] = df
        numbers[table] = rows
        key = natural_key(table)[0]
        ids.setdefault(table, set()).update(v for v in df[key] if v is not None)
        if table in BY_NAME:
            known_names = names.setdefault(table, {})
            for k, n in zip(df[key], df["name"], strict=True):
                if k is not None and n is not None:
                    known_names[n] = k if known_names.get(n, k) == k else AMBIGUOUS
        if table == "areas":  # an area may be named by its code as well
            names["areas"] = {**names.get("areas", {}), **{str(k): k for k in ids["areas"]}}
    _references(frames, numbers, ids, out)
    _people_rules(frames, numbers, known, out)
    return CheckResult(frames, numbers, out.problems, out.not_listed)


def _is_example(table: str, raw_sheet, first: list, ids: dict, names: dict) -> bool:
    example = EXAMPLES.get(table)
    if example is None:
        return False
    for col in TABLE_COLUMNS[table]:
        j = raw_sheet.columns[col.name]
        cell = first[j] if j < len(first) else None
        try:
            value = _reader(col, names.get(col.ref, {}), ids.get(col.ref, set()))(cell)
        except (nz.CellError, nz.CellWarning, TypeError, ValueError):
            return False
        if value != example[col.name]:
            return False
    return True


def _references(frames: dict, numbers: dict, ids: dict, out: _Collector) -> None:
    """Every reference given by number must exist in the workbook or the database."""
    for table, df in frames.items():
        for col in TABLE_COLUMNS[table]:
            fks = list(schema.TABLES[table].c[col.name].foreign_keys)
            ref = fks[0].column.table.name if fks else None
            if ref is None or ref == "areas" or df.empty:
                continue
            col = Column(col.table, col.name, col.header, col.kind, col.required, ref=ref)
            series = df[col.name]
            present = series.notna()
            found = series.isin(list(ids.get(col.ref, ())))
            for i in series.index[present & ~found]:
                out.add(
                    Problem(
                        SHEETS[table],
                        numbers[table][i],
                        col.header,
                        series[i],
                        f"编号 {series[i]} 在「{SHEETS[col.ref]}」表和数据库中都不存在",
                    )
                )


def _people_rules(frames: dict, numbers: dict, known: Known, out: _Collector) -> None:
    people = frames["people"]
    life = dict(known.people)
    for pid, born, died in zip(people["id"], people["birth_date"], people["death_date"], strict=True):
        if pid is not None:
            life[pid] = (born, died)
    # Likely duplicates: same name, gender and birth date under different numbers.
    if not people.empty:
        keyed = people[people["name"].notna() & people["birth_date"].notna()]
        groups = keyed.groupby(["name", "gender", "birth_date"], dropna=False).groups
        for _, index in groups.items():
            if len(index) < 2:
                continue
            first = index[0]
            for i in index[1:]:
                out.add(
                    Problem(
                        SHEETS["people"],
                        numbers["people"][i],
                        "姓名",
                        people.at[i, "name"],
                        f"疑似重复人员：与第 {numbers['people'][first]} 行（编号 {people.at[first, 'id']}）"
                        "姓名、性别、出生日期都相同，请核实是否同一人",
                        WARNING,
                    )
                )
    contacts = frames["contacts"]
    if contacts.empty or not life:
        return
    born = contacts["person_id"].map(lambda p: life.get(p, (None, None))[0])
    died = contacts["person_id"].map(lambda p: life.get(p, (None, None))[1])
    when = _dates(contacts["contact_date"])
    before = (when < _dates(born)).fillna(False)
    after = ((when > _dates(died)) & (contacts["occasion"] != "condolence")).fillna(False)
    for i in contacts.index[before]:
        out.add(
            Problem(
                SHEETS["contacts"],
                numbers["contacts"][i],
                "联系日期",
                contacts.at[i, "contact_date"],
                f"联系日期早于该人员（编号 {contacts.at[i, 'person_id']}）的出生日期 {born[i]}",
            )
        )
    for i in contacts.index[after]:
        out.add(
            Problem(
                SHEETS["contacts"],
                numbers["contacts"][i],
                "联系日期",
                contacts.at[i, "contact_date"],
                f"联系日期晚于该人员（编号 {contacts.at[i, 'person_id']}）的去世日期 {died[i]}（吊唁除外），请核实",
                WARNING,
            )
        )
