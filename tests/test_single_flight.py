"""Sessions that ask for the same figure or table at once: one builds it, the others wait and
share it (dashboard.single_flight; issue 22: twenty leaders opening a cold page)."""

from __future__ import annotations

import math
import threading
import time

import pandas as pd

from dashboard import charts, components
from dashboard.single_flight import KeyLocks


def _at_once(n: int, fn) -> list:
    start, out = threading.Barrier(n), [None] * n

    def run(i):
        start.wait()
        out[i] = fn()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return out


def test_key_locks_let_one_thread_compute_a_key_and_forget_it_after():
    locks, inside, most = KeyLocks(), [0], [0]

    def work():
        with locks.computing("k"):
            inside[0] += 1
            most[0] = max(most[0], inside[0])
            time.sleep(0.01)
            inside[0] -= 1

    _at_once(8, work)
    assert most[0] == 1 and len(locks) == 0


def test_a_figure_asked_for_by_many_sessions_at_once_is_built_once(monkeypatch):
    calls = []

    def build(values):
        calls.append(1)
        time.sleep(0.05)
        return {"values": list(values)}

    cached = charts.built_once(build)
    monkeypatch.setattr(charts, "theme_type", lambda: "light")
    figs = _at_once(8, lambda: cached([1.0, 2.0, 3.5]))
    assert len(calls) == 1 and all(f is figs[0] for f in figs)


def test_a_figure_is_built_again_for_any_change_of_its_values(monkeypatch):
    """The figure cache's key holds a builder's values exactly: equal values are a hit, and a
    change in the last bit of a float, or of a value's type, builds anew (charts._key_of)."""
    calls = []

    def build(*values, **options):
        calls.append(values)
        return {"values": values}

    cached = charts.built_once(build)
    monkeypatch.setattr(charts, "theme_type", lambda: "light")
    names = [f"第{i}支部" for i in range(3_000)]
    rates = [i / 3_000 for i in range(3_000)]
    first = cached(names, rates, title="a")
    assert cached(list(names), list(rates), title="a") is first and len(calls) == 1
    nudged = [*rates[:-1], math.nextafter(rates[-1], 1.0)]
    variants = [
        ((names, nudged), {"title": "a"}),
        ((names, rates), {"title": "b"}),
        ((names, [*rates[:-1], float("nan")]), {"title": "a"}),
        (([1, 2],), {}),
        (([1.0, 2.0],), {}),
        ((["1", "2"],), {}),
        (([True, 2],), {}),
        ((pd.Series([1.0, 2.0]),), {}),
        ((pd.DataFrame({"a": [1.0, 2.0]}),), {}),
    ]
    for args, kwargs in variants:
        cached(*args, **kwargs)
    assert len(calls) == 1 + len(variants)  # each built once, none mistaken for another
    for args, kwargs in variants:
        cached(*args, **kwargs)
    assert len(calls) == 1 + len(variants)  # and found again


def test_a_table_asked_for_by_many_sessions_at_once_is_prepared_once():
    tables, calls = components._PreparedTables(16), []
    df = pd.DataFrame({"area": ["城关区", "七里河区"], "coverage": [0.99, 0.98]})

    def prepare():
        calls.append(1)
        time.sleep(0.05)
        return object()

    got = _at_once(8, lambda: tables.get(df, ((), (), None), prepare))
    assert len(calls) == 1 and all(g is got[0] for g in got)
