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

import dataclasses
import datetime as dt
import functools
import inspect
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from dashboard import labels
from dashboard.single_flight import KeyLocks
from data_access import branches, money, reference, rollup_store
from data_access.branches import org_life_by_branch, org_life_by_month  # noqa: F401 (pure, on the grid; re-exported)
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


class ResultCache:
    """Query results shared by every session of this process, handed out without a copy.

    ``st.cache_data`` pickles each result on store and unpickles a fresh copy on every hit;
    at some 40 reads a page that was a tenth of a warm page's CPU (py-spy, issue 22). Here a
    hit returns the stored object itself — a DataFrame or Series as a shallow copy, which
    pandas' copy-on-write keeps from ever changing the stored one, so a caller may still add
    or overwrite columns on what it got. Entries live ``ttl`` and at most ``max_entries``
    (least recently used first out); one lock per key makes sessions that ask for the same
    missing result at once wait for one computation instead of each running it.

    Every copy handed out, and every column a caller takes from it, leaves a weak reference in
    the stored frame's blocks and labels (how pandas' copy-on-write knows they are shared), and
    pandas sweeps the dead ones out only once some 500 have gathered in one block: with ~1,200
    results cached that was the server's memory climbing ~400 weak references a page run
    (5-10 MB per 100 runs) long after every cache was full (bench/soak.py, issue 22). So a hit
    first sweeps the stored result's dead references (:func:`_sweep`).
    """

    def __init__(self, max_entries: int, ttl: dt.timedelta):
        self.max_entries, self.ttl = max_entries, ttl.total_seconds()
        self._items: OrderedDict[tuple, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing = KeyLocks()

    def get(self, key: tuple, compute: Callable[[], object]):
        found = self._lookup(key)
        if found is not _MISSING:
            return found
        with self._computing.computing(key):
            found = self._lookup(key)  # another session may have computed it meanwhile
            if found is _MISSING:
                value = compute()  # (an exception stores nothing)
                with self._lock:
                    self._items[key] = (time.monotonic() + self.ttl, value)
                    while len(self._items) > self.max_entries:
                        self._items.popitem(last=False)
                    found = _shared(value)
        return found

    def _lookup(self, key: tuple):
        """The stored result's copy, or _MISSING. The sweep and the copy happen under the one
        lock: a sweep rebuilds pandas' list of references while a copy appends to it, and a
        reference lost that way would let a caller's copy write into the stored result."""
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return _MISSING
            if hit[0] < time.monotonic():
                del self._items[key]
                return _MISSING
            self._items.move_to_end(key)
            _sweep(hit[1])
            return _shared(hit[1])

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


_MISSING = object()


def _shared(value):
    """What a caller gets: a frame or series as a shallow (copy-on-write) copy, a frozen
    record with its frames copied so, a tuple of such; else as is (numbers, strings)."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_shared(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value,
            **{f.name: _shared(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init},
        )
    return value


def _sweep(value) -> None:
    """Drop the dead weak references pandas keeps on a stored frame's or series' blocks and
    labels (``has_reference()`` sweeps them first), inside records and tuples too. Reaches into
    pandas' internals, so a pandas without them is left as it is (tests/test_result_cache.py
    checks that the sweep works on the pinned pandas)."""
    if isinstance(value, pd.DataFrame | pd.Series):
        try:
            for block in value._mgr.blocks:
                block.refs.has_reference()
            for labels in value.axes:
                refs = getattr(labels, "_references", None)
                if refs is not None:
                    refs.has_reference()
        except AttributeError:
            pass
    elif isinstance(value, tuple) and not hasattr(value, "_fields"):
        for v in value:
            _sweep(v)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _sweep(getattr(value, f.name))


RESULTS = ResultCache(MAX_RESULTS, RESULT_TTL)


def clear_caches() -> None:
    """Forget every cached read (tests that change the ledger under one URL; the warmer)."""
    st.cache_data.clear()
    RESULTS.clear()


def ledger_version() -> str:
    """The served ledger's version (cached for ``VERSION_TTL``): what every cached result is
    keyed by, and what the warmer (dashboard.warm) watches."""
    url = config().url
    return _ledger_version(url)


def memo(name: str, key: tuple, compute):
    """A figure derived from several cached queries (a comparison table, a page's area
    table), cached as one result under the same URL and ledger version, so a warm page does
    not redo the joins. ``key`` holds everything ``compute`` depends on (its repr is the
    cache key)."""
    url = config().url
    return RESULTS.get((url, _ledger_version(url), "memo", name, repr(key)), compute)


def derived(fn):
    """Cache a view's figures computed from its context (``fn(ctx, *args)``): the pandas work
    that joins several cached queries into the frames a page draws. Keyed by the function,
    :meth:`PageContext.cache_key` and the arguments, under the URL and the ledger version,
    like every query — a warm page then draws without redoing it."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def cached(ctx, *args):
        return memo(name, (ctx.cache_key(), args), lambda: fn(ctx, *args))

    return cached


def cache_key(filters: Filters, scope: Scope, args: tuple) -> str:
    """The part of a cache key that depends on the call: the filters, the scope and the
    query's arguments as text. Filters and scopes are frozen dataclasses of dates, strings
    and tuples, whose ``repr`` is exact and cheap; Streamlit's own hashing of the same
    objects cost about a millisecond per call, forty times a page."""
    return repr((filters, scope.key(), args))


def query(fn, filters: Filters, scope: Scope, **kwargs):
    """``fn(conn, filters, scope, **kwargs)`` — a ``data_access`` query, named by the caller
    (``data.query(contacts.fetch_coverage, f, scope, by=("area_code",))``) — through
    :data:`RESULTS`: the one way the pages read the ledger. Keyed by the URL, the ledger's
    version, the query, the filters, the scope and every argument (defaults filled in, so
    ``by=()`` and no ``by`` share a result); the query runs inside ``rollup_store.pinned``
    against that very version. New pages need no registration here."""
    if not fn.__module__.startswith("data_access."):
        raise ValueError(f"not a data_access query: {fn.__module__}.{fn.__qualname__}")
    url = config().url
    version = _ledger_version(url)
    bound = _signature(fn).bind(None, filters, scope, **kwargs)  # (a wrong argument fails here)
    bound.apply_defaults()
    args = tuple((k, v) for k, v in bound.arguments.items() if k not in ("conn", "filters", "scope"))
    key = (url, version, fn.__module__, fn.__qualname__, cache_key(filters, scope, args))

    def run():
        with _reading(url) as conn, rollup_store.pinned(conn, version):
            return fn(conn, filters, scope, **kwargs)

    return RESULTS.get(key, run)


@functools.cache
def _signature(fn) -> inspect.Signature:
    return inspect.signature(fn)


def execution_overall(filters: Filters, scope: Scope) -> pd.Series:
    """预算执行率 of the whole view (money.execution_total): budget, actual, execution_rate.
    Read without a breakdown: a category's spending may be hidden from this viewer (a
    handful's aid), the whole view's never is."""
    return money.execution_total(query(money.fetch_budget_execution, filters, scope, by=()))


def org_life_overall(filters: Filters, scope: Scope, as_of: dt.date) -> pd.Series:
    """组织生活完成率 of the whole view (branches.org_life_total): months_owed,
    months_complete, completion."""
    return branches.org_life_total(query(branches.fetch_org_life, filters, scope, as_of=as_of))


def live_as_of() -> dt.date:
    """The as-of date read now, bypassing every cache: the meeting screen's heartbeat."""
    return probe(engine())


def error_message(exc: DataAccessError) -> str:
    """The Chinese message for a data-layer error (never a traceback)."""
    template = labels.ERRORS.get(exc.code, labels.ERRORS["data_access_error"])
    return template.format(detail=exc.detail or "")
