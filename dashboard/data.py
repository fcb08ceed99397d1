"""Cached access to the service database for the pages (the only UI module that touches it).

The engine is one shared resource per URL; query results are cached, keyed by the URL, the
ledger's version, the filters and the caller's scope, so no two scopes ever share a cached
result. The version is the ledger's fingerprint (``rollup_store.fingerprint``: every table's
change counter, highest id and the as-of date), re-read at most every ``VERSION_TTL``; any
insert, update or delete changes it, so new figures appear within seconds of a change, while
unchanged ones stay cached for an hour. Each query judges the rollups against the very
version its result is cached under (``rollup_store.pinned``), so a cached result never holds
figures of an older ledger than its key says. A ledger without change tracking (the rollup
refresh never ran) cannot see updates in its fingerprint: its results are recomputed at least
every ``UNTRACKED_TTL``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from dashboard import labels
from data_access import branches, contacts, money, people, reference, rollup_store
from data_access.branches import org_life_by_branch, org_life_by_month  # noqa: F401 (pure pandas, re-exported)
from data_access.config import DatabaseConfig, resolve_url
from data_access.db import (
    as_of_date,
    check_schema,
    connect,
    describe_url,
    first_activity_date,
    make_engine,
    probe,
    require_existing_file,
)
from data_access.demo import ensure_demo_database
from data_access.errors import DataAccessError, DatabaseUnavailable
from data_access.filters import Filters, Scope

TTL = dt.timedelta(minutes=10)  # reference data: as-of date, areas, first year
RESULT_TTL = dt.timedelta(hours=1)  # query results (also keyed by the ledger's version)
VERSION_TTL = dt.timedelta(seconds=10)
UNTRACKED_TTL = dt.timedelta(minutes=10)
MAX_RESULTS = 5_000  # cached query results per process (each a small aggregate or one list)


def config() -> DatabaseConfig:
    return resolve_url()


@st.cache_resource(show_spinner=False)
def _engine(url: str):
    require_existing_file(url)  # a mistyped SQLite path is an error, not a new empty file
    engine = make_engine(url)
    check_schema(engine)
    return engine


_log = logging.getLogger(__name__)


@contextmanager
def _reading(url: str) -> Iterator[sa.Connection]:
    """A connection to the service database for one cached read. The database lost during a
    session (server gone, file replaced, table dropped) fails here as
    :class:`DatabaseUnavailable` — the Chinese message on the page, the cause in the log —
    never as a driver's exception on the generic error page."""
    try:
        with connect(_engine(url)) as conn:
            yield conn
    except sa.exc.DBAPIError as exc:
        _log.error("service database failed during a read: %s", exc)
        raise DatabaseUnavailable(f"the service database failed: {exc.orig}", describe_url(url)) from exc


def engine():
    cfg = config()
    if cfg.is_embedded_demo:
        with st.spinner("首次运行：正在生成演示台帐（约半分钟）……"):
            ensure_demo_database(cfg.demo_path)
    return _engine(cfg.url)


@st.cache_data(ttl=TTL, show_spinner=False)
def _as_of(url: str) -> dt.date:
    with _reading(url) as conn:
        return as_of_date(conn)


def as_of() -> dt.date:
    engine()
    return _as_of(config().url)


@st.cache_data(ttl=TTL, show_spinner=False)
def _first_year(url: str) -> int:
    with _reading(url) as conn:
        return first_activity_date(conn).year


def first_year() -> int:
    """The first year with activity records (the earliest selectable year)."""
    engine()
    return _first_year(config().url)


@st.cache_data(ttl=TTL, show_spinner=False)
def _areas(url: str) -> pd.DataFrame:
    with _reading(url) as conn:
        return reference.fetch_areas(conn)


def areas(scope: Scope | None = None) -> pd.DataFrame:
    """The areas a caller may choose: all enabled ones, cut to the caller's scope."""
    engine()
    df = _areas(config().url)
    if scope is not None and scope.areas is not None:
        df = df[df["code"].isin(scope.areas)].reset_index(drop=True)
    return df


@st.cache_data(ttl=VERSION_TTL, show_spinner=False)
def _ledger_version(url: str) -> str:
    with _reading(url) as conn:
        print_ = rollup_store.fingerprint(conn)
    if rollup_store.is_tracked(print_):
        return print_
    return f"{print_}@{int(time.time() // UNTRACKED_TTL.total_seconds())}"


def _query(fn, filters: Filters, scope: Scope, **kwargs) -> pd.DataFrame:
    url = config().url
    args = tuple(sorted(kwargs.items()))
    key = cache_key(filters, scope, args)
    return _cached_query(url, _ledger_version(url), fn.__module__, fn.__name__, key, filters, scope, args)


@st.cache_data(ttl=RESULT_TTL, max_entries=MAX_RESULTS, show_spinner=False)
def _memo(url, version, name, key, _compute) -> pd.DataFrame:
    return _compute()


def memo(name: str, key: tuple, compute):
    """A figure derived from several cached queries (a comparison table, say), cached as one
    result under the same URL and ledger version, so a warm page does not redo the joins.
    ``key`` holds everything ``compute`` depends on (its repr is the cache key)."""
    url = config().url
    return _memo(url, _ledger_version(url), name, repr(key), compute)


def cache_key(filters: Filters, scope: Scope, args: tuple) -> str:
    """The part of a cache key that depends on the call: the filters, the scope and the
    query's arguments as text. Filters and scopes are frozen dataclasses of dates, strings
    and tuples, whose ``repr`` is exact and cheap; Streamlit's own hashing of the same
    objects cost about a millisecond per call, forty times a page."""
    return repr((filters, scope.key(), args))


def query(fn, filters: Filters, scope: Scope, **kwargs) -> pd.DataFrame:
    """Run ``fn(conn, filters, scope, **kwargs)`` (a ``data_access`` query) through the cache.

    The cache key is the URL, the query's name, the filters, the scope and the arguments,
    so new pages need no registration here: any function of a ``data_access`` module works.
    """
    return _query(fn, filters, scope, **kwargs)


def _resolve(module: str, name: str):
    fn = _QUERIES.get((module, name))
    if fn is None:
        if not module.startswith("data_access."):
            raise ValueError(f"not a data_access query: {module}.{name}")
        fn = getattr(importlib.import_module(module), name)
    return fn


@st.cache_data(ttl=RESULT_TTL, max_entries=MAX_RESULTS, show_spinner=False)
def _cached_query(url, version, module, name, key, _filters, _scope, _kwargs) -> pd.DataFrame:
    """``key`` (:func:`cache_key`) stands for the underscored arguments, which Streamlit
    does not hash."""
    fn = _resolve(module, name)
    with _reading(url) as conn, rollup_store.pinned(conn, version):
        return fn(conn, _filters, _scope, **dict(_kwargs))


_QUERIES = {
    (f.__module__, f.__name__): f
    for f in (
        people.fetch_population_summary,
        contacts.fetch_coverage,
        branches.fetch_branch_summary,
        branches.fetch_branch_list,
        money.fetch_aid_summary,
        money.fetch_budget_execution,
        contacts.fetch_overdue_count,
        contacts.fetch_overdue_list,
        contacts.fetch_tier_compliance,
        contacts.fetch_festival_completion,
        contacts.fetch_event_timeliness,
        contacts.fetch_contact_counts,
        contacts.fetch_pairing_coverage,
        contacts.fetch_people_contacts,
        money.fetch_monthly_spending,
        money.fetch_hardship_coverage,
        money.fetch_unaided_list,
        money.fetch_disbursements,
        branches.fetch_org_life,
        branches.fetch_branch_list,
        branches.fetch_branch_changes,
        branches.fetch_branch_members,
        branches.fetch_branch_activities,
    )
}


def population(filters: Filters, scope: Scope, by: tuple[str, ...] = ()) -> pd.DataFrame:
    return _query(people.fetch_population_summary, filters, scope, by=by)


def coverage(filters: Filters, scope: Scope, by: tuple[str, ...] = (), key_cohort_only: bool = False) -> pd.DataFrame:
    return _query(contacts.fetch_coverage, filters, scope, by=by, key_cohort_only=key_cohort_only)


def branch_summary(filters: Filters, scope: Scope, by: tuple[str, ...] = ()) -> pd.DataFrame:
    return _query(branches.fetch_branch_summary, filters, scope, by=by)


def aid_summary(filters: Filters, scope: Scope, by: tuple[str, ...] = ()) -> pd.DataFrame:
    return _query(money.fetch_aid_summary, filters, scope, by=by)


def overdue(filters: Filters, scope: Scope, as_of: dt.date, by: tuple[str, ...] = ()) -> pd.DataFrame:
    return _query(contacts.fetch_overdue_count, filters, scope, as_of=as_of, by=by)


def budget_execution(filters: Filters, scope: Scope, by: tuple[str, ...] = ("budget_category",)) -> pd.DataFrame:
    return _query(money.fetch_budget_execution, filters, scope, by=by)


def org_life(filters: Filters, scope: Scope, as_of: dt.date) -> pd.DataFrame:
    """Branch-months owed in the period and whether each was complete (组织生活)."""
    return _query(branches.fetch_org_life, filters, scope, as_of=as_of)


def execution_overall(filters: Filters, scope: Scope) -> pd.Series:
    """预算执行率 of the whole view (money.execution_total): budget, actual, execution_rate.
    Read without a breakdown: a category's spending may be hidden from this viewer (a
    handful's aid), the whole view's never is."""
    return money.execution_total(budget_execution(filters, scope, ()))


def org_life_overall(filters: Filters, scope: Scope, as_of: dt.date) -> pd.Series:
    """组织生活完成率 of the whole view (branches.org_life_total): months_owed,
    months_complete, completion."""
    return branches.org_life_total(org_life(filters, scope, as_of))


def branch_list(filters: Filters, scope: Scope) -> pd.DataFrame:
    return _query(branches.fetch_branch_list, filters, scope)


def branch_changes(filters: Filters, scope: Scope, years: tuple[int, ...], as_of: dt.date) -> pd.DataFrame:
    return _query(branches.fetch_branch_changes, filters, scope, years=years, as_of=as_of)


def branch_members(filters: Filters, scope: Scope, branch_id: int) -> pd.DataFrame:
    return _query(branches.fetch_branch_members, filters, scope, branch_id=branch_id)


def branch_activities(filters: Filters, scope: Scope, branch_id: int) -> pd.DataFrame:
    return _query(branches.fetch_branch_activities, filters, scope, branch_id=branch_id)


def overdue_list(filters: Filters, scope: Scope, as_of: dt.date, unmasked: bool = False) -> pd.DataFrame:
    return _query(contacts.fetch_overdue_list, filters, scope, as_of=as_of, unmasked=unmasked)


def tier_compliance(filters: Filters, scope: Scope, as_of: dt.date) -> pd.DataFrame:
    return _query(contacts.fetch_tier_compliance, filters, scope, as_of=as_of)


def festival_completion(
    filters: Filters, scope: Scope, as_of: dt.date, by: tuple[str, ...] = ("festival",)
) -> pd.DataFrame:
    return _query(contacts.fetch_festival_completion, filters, scope, as_of=as_of, by=by)


def event_timeliness(filters: Filters, scope: Scope) -> pd.DataFrame:
    return _query(contacts.fetch_event_timeliness, filters, scope)


def contact_counts(filters: Filters, scope: Scope, by: tuple[str, ...]) -> pd.DataFrame:
    return _query(contacts.fetch_contact_counts, filters, scope, by=by)


def pairing_coverage(filters: Filters, scope: Scope) -> pd.DataFrame:
    return _query(contacts.fetch_pairing_coverage, filters, scope)


def people_contacts(filters: Filters, scope: Scope, unit_id: int, unmasked: bool = False) -> pd.DataFrame:
    return _query(contacts.fetch_people_contacts, filters, scope, unit_id=unit_id, unmasked=unmasked)


def monthly_spending(filters: Filters, scope: Scope, categories: tuple[str, ...] | None = None) -> pd.DataFrame:
    return _query(money.fetch_monthly_spending, filters, scope, categories=categories)


def hardship_coverage(filters: Filters, scope: Scope, by: tuple[str, ...] = ()) -> pd.DataFrame:
    return _query(money.fetch_hardship_coverage, filters, scope, by=by)


def unaided_list(filters: Filters, scope: Scope, unmasked: bool = False) -> pd.DataFrame:
    return _query(money.fetch_unaided_list, filters, scope, unmasked=unmasked)


def disbursements(filters: Filters, scope: Scope, category: str, unmasked: bool = False) -> pd.DataFrame:
    return _query(money.fetch_disbursements, filters, scope, category=category, unmasked=unmasked)


def live_as_of() -> dt.date:
    """The as-of date read now, bypassing every cache: the meeting screen's heartbeat."""
    return probe(engine())


def error_message(exc: DataAccessError) -> str:
    """The Chinese message for a data-layer error (never a traceback)."""
    template = labels.ERRORS.get(exc.code, labels.ERRORS["data_access_error"])
    return template.format(detail=exc.detail or "")
