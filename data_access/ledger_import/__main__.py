"""Load the bureau's Excel ledgers (台帐) into the service database — a separate, writing
command; the dashboard itself only reads.

    python -m data_access.ledger_import template 台帐模板.xlsx
    python -m data_access.ledger_import check 台帐.xlsx --url URL [--report 检查报告.xlsx]
    python -m data_access.ledger_import load 台帐.xlsx --url URL [--dry-run] [--account NAME]
    python -m data_access.ledger_import export 台帐导出.xlsx --url URL

Exit codes: 0 done; 1 the workbook has errors (nothing written; see the report); 2 the file
or the database cannot be used (nothing written).
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from data_access.errors import DataAccessError
from data_access.ledger_import.columns import SHEETS
from data_access.ledger_import.read import MAX_ROWS, LedgerFileError, read_workbook

OK, BAD_ROWS, UNUSABLE = 0, 1, 2


def _say(text: str) -> None:
    print(text, flush=True)


def _engine(url: str | None):
    from data_access.config import resolve_url
    from data_access.db import make_engine

    return make_engine(url or resolve_url().url)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _default_report(path: Path) -> Path:
    return Path.cwd() / f"{path.stem}_检查报告.xlsx"


def run_check(path: Path, engine: sa.Engine | None, report_path: Path | None, max_rows: int):
    """Read and check; writes the report when anything was found. Returns the result or
    None (file refused, message printed)."""
    from data_access.ledger_import.check import Problem, check_workbook
    from data_access.ledger_import.report import write_report

    t0 = time.perf_counter()
    try:
        book = read_workbook(path, max_rows=max_rows)
    except LedgerFileError as exc:
        _say(f"✗ 无法导入：{exc}")
        if report_path is not None:
            write_report(report_path, [Problem(path.name, None, None, None, str(exc))], f"✗ 无法导入：{exc}")
            _say(f"  检查报告：{report_path}")
        return None
    read_s = time.perf_counter() - t0
    from data_access.ledger_import.load import sqlite_file_missing

    if engine is None or sqlite_file_missing(engine):
        result = check_workbook(book, None)
    else:
        from data_access.db import connect

        with connect(engine) as conn:
            result = check_workbook(book, conn)
    rows = sum(result.rows(t) for t in SHEETS)
    errors, warnings = len(result.errors) + result.not_listed, len(result.warnings)
    summary = (
        f"{'✓ 检查通过' if result.ok else '✗ 检查未通过'}：{path.name}，{rows:,} 行，"
        f"错误 {errors:,} 处，提示 {warnings:,} 处（读取 {read_s:.1f} 秒，共 {time.perf_counter() - t0:.1f} 秒）"
    )
    _say(summary)
    for table in SHEETS:
        if result.rows(table):
            _say(f"  {SHEETS[table]}：{result.rows(table):,} 行")
    for p in (result.errors or result.warnings)[:10]:
        where = f"{p.sheet} 第 {p.row} 行" if p.row else p.sheet
        cell = f" {p.column}「{'' if p.value is None else p.value}」" if p.column else ""
        _say(f"  [{p.level}] {where}{cell}：{p.message}")
    if result.problems or result.not_listed:
        target = report_path or _default_report(path)
        write_report(target, result.problems, summary, result.not_listed)
        _say(f"  检查报告（逐条列出工作表、行号、列、值和原因）：{target}")
    return result


def _refresh_rollups(engine: sa.Engine, mode: str) -> None:
    from data_access.db import connect
    from data_access.rollup_store import ChangeTrackingUnavailable, status
    from data_access.rollups import refresh

    with connect(engine) as conn:
        record = status(conn)
    if mode == "auto" and record is None:
        _say("  预汇总：该数据库未启用预汇总，跳过（大型台帐可用 --rollups yes 首次建立）。")
        return
    if record is not None and record["fresh"]:
        _say("  预汇总：已是最新，无需刷新。")
        return
    _say("  预汇总：正在刷新……")
    try:
        done = refresh(engine)
    except ChangeTrackingUnavailable as exc:
        _say(f"  预汇总：无法刷新（{exc}），页面将直接查询明细表（结果正确，只是较慢）。")
        return
    _say(f"  预汇总：已刷新（第 {done['generation']} 代，{done['seconds']} 秒）。")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m data_access.ledger_import", description="把 Excel 台帐导入服务数据库")
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("template", help="生成导入模板")
    t.add_argument("out", type=Path)
    for name, text in (("check", "检查台帐（不写数据库）"), ("load", "检查并导入台帐")):
        p = sub.add_parser(name, help=text)
        p.add_argument("file", type=Path)
        p.add_argument("--url", help="服务数据库地址（默认：已配置的服务数据库）")
        p.add_argument(
            "--report", type=Path, help="检查报告路径（.xlsx 或 .csv；默认当前目录下 <文件名>_检查报告.xlsx）"
        )
        p.add_argument("--max-rows", type=int, default=MAX_ROWS, help=f"每张表最多行数（默认 {MAX_ROWS:,}）")
    load = sub.choices["load"]
    load.add_argument("--dry-run", action="store_true", help="只显示将新增、更新多少行，不写入")
    load.add_argument("--account", default=None, help="记入导入记录的操作账号（默认：当前系统用户）")
    load.add_argument(
        "--rollups", choices=("auto", "yes", "no"), default="auto", help="导入后刷新预汇总（auto：已启用时刷新）"
    )
    e = sub.add_parser("export", help="把数据库中的台帐导出为模板格式的工作簿")
    e.add_argument("out", type=Path)
    e.add_argument("--url", help="服务数据库地址")
    args = ap.parse_args(argv)
    try:
        return _run(args)
    except Exception as exc:  # never a traceback: the transaction, if any, was rolled back
        _say(f"✗ 导入程序出错（{type(exc).__name__}: {exc}），数据库未改变。请把这条信息告诉系统管理员。")
        return UNUSABLE


def _run(args) -> int:
    if args.command == "template":
        from xlsxwriter.exceptions import FileCreateError

        from data_access.ledger_import.template import write_template

        try:
            write_template(args.out)
        except (OSError, FileCreateError) as exc:
            _say(f"✗ 无法写入模板文件：{exc}")
            return UNUSABLE
        _say(f"✓ 已生成导入模板：{args.out}（{len(SHEETS)} 张台帐表，另含「填表说明」和「代码表」）")
        return OK

    engine = _engine(args.url)
    try:
        if args.command == "export":
            from data_access.ledger_import.export import export_ledger

            counts = export_ledger(engine, args.out)
            _say(f"✓ 已导出：{args.out}，共 {sum(counts.values()):,} 行")
            return OK
        result = run_check(args.file, engine, args.report, args.max_rows)
        if result is None:
            return UNUSABLE
        if not result.ok:
            _say("✗ 有错误，数据库未做任何改动。请按检查报告改正后重新检查。")
            return BAD_ROWS
        if args.command == "check":
            return OK
        from data_access.ledger_import.load import load

        account = args.account or getpass.getuser()
        report = load(
            engine,
            result,
            file_name=args.file.name,
            sha256=sha256_of(args.file),
            account=account,
            dry_run=args.dry_run,
            log=lambda s: _say(f"  {s}"),
        )
        totals = report.totals()
        verb = "将" if args.dry_run else "已"
        _say(
            f"{'（试运行，未写入）' if args.dry_run else '✓ 导入完成'}：{verb}新增 {totals.inserted:,} 行，"
            f"{verb}更新 {totals.updated:,} 行，未变 {totals.unchanged:,} 行（{report.seconds} 秒）"
        )
        if not args.dry_run:
            _say(f"  导入记录：ledger_loads 第 {report.load_id} 条（账号 {account}）")
            if args.rollups != "no" and report.changed or args.rollups == "yes":
                _refresh_rollups(engine, args.rollups)
        return OK
    except DataAccessError as exc:
        _say(f"✗ 无法使用数据库（{exc}），数据库未改变。请检查 --url 地址、账号和网络。")
        return UNUSABLE
    except sa.exc.SQLAlchemyError as exc:
        _say(f"✗ 数据库操作失败，所有改动已回滚，数据库未改变：{type(exc).__name__}: {getattr(exc, 'orig', exc)}")
        return UNUSABLE
    except OSError as exc:
        _say(f"✗ 文件读写失败：{exc}")
        return UNUSABLE
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
