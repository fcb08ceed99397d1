"""The in-process result cache (dashboard.data.ResultCache, issue 22): hits hand out
copies a caller may change without touching the stored result, one computation per key
however many sessions ask at once, entries expire and the oldest go first."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time

import pandas as pd

from dashboard.data import ResultCache


def _cache(ttl_s: float = 60, size: int = 10) -> ResultCache:
    return ResultCache(size, dt.timedelta(seconds=ttl_s))


def test_a_caller_changing_its_copy_leaves_the_stored_result_alone():
    cache = _cache()
    stored = pd.DataFrame({"area": ["a", "b"], "n": [1, 2]})
    first = cache.get(("k",), lambda: stored)
    first["n"] = first["n"] * 100  # overwrite a column
    first["extra"] = 1  # add one
    first.loc[0, "area"] = "z"  # change a cell
    first.sort_values("n", ascending=False, inplace=True)
    second = cache.get(("k",), lambda: pytest_fail())
    pd.testing.assert_frame_equal(second, pd.DataFrame({"area": ["a", "b"], "n": [1, 2]}))
    series = cache.get(("s",), lambda: pd.Series([1.0, 2.0]))
    series.iloc[0] = 9.0
    assert cache.get(("s",), lambda: pytest_fail()).tolist() == [1.0, 2.0]


@dataclasses.dataclass(frozen=True)
class _Record:
    table: pd.DataFrame
    count: int


def test_frames_inside_records_and_tuples_are_copies_too():
    cache = _cache()
    made = (_Record(pd.DataFrame({"n": [1]}), 3), pd.DataFrame({"m": [2]}))
    rec, frame = cache.get(("t",), lambda: made)
    rec.table.loc[0, "n"] = 7
    frame["m"] = 0
    rec2, frame2 = cache.get(("t",), lambda: pytest_fail())
    assert rec2.table["n"].tolist() == [1] and frame2["m"].tolist() == [2] and rec2.count == 3


def test_sessions_asking_at_once_wait_for_one_computation():
    cache = _cache()
    calls = []
    start = threading.Barrier(8)

    def compute():
        calls.append(1)
        time.sleep(0.3)
        return pd.DataFrame({"n": [len(calls)]})

    got = []

    def session():
        start.wait()
        got.append(cache.get(("same",), compute)["n"].tolist())

    threads = [threading.Thread(target=session) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and got == [[1]] * 8
    # different keys do not wait for each other's computation
    other = cache.get(("other",), lambda: pd.DataFrame({"n": [5]}))
    assert other["n"].tolist() == [5]


def test_entries_expire_and_the_least_recently_used_go_first():
    cache = _cache(ttl_s=0.2, size=2)
    cache.get(("a",), lambda: 1)
    time.sleep(0.25)
    assert cache.get(("a",), lambda: 2) == 2  # expired: computed again

    cache = _cache(size=2)
    cache.get(("a",), lambda: 1)
    cache.get(("b",), lambda: 2)
    cache.get(("a",), lambda: pytest_fail())  # a used again: b is now the oldest
    cache.get(("c",), lambda: 3)
    assert len(cache) == 2
    assert cache.get(("b",), lambda: "again") == "again"
    cache.clear()
    assert len(cache) == 0


def test_a_failed_computation_is_not_stored():
    cache = _cache()

    def boom():
        raise RuntimeError("database away")

    try:
        cache.get(("x",), boom)
    except RuntimeError:
        pass
    assert cache.get(("x",), lambda: "fine") == "fine"


def pytest_fail():
    raise AssertionError("computed again although cached")


def test_hits_leave_no_growing_trail_of_references_on_the_stored_result():
    # Each copy handed out (and each column taken from it) leaves a weak reference in the
    # stored frame's blocks and labels, and pandas only sweeps dead ones once ~500 have
    # gathered in one block: ~1,200 cached results held hundreds of thousands of them (the
    # soak's RSS creep, issue 22). A hit sweeps the stored result, so the trail stays short.
    import gc
    import weakref

    cache = _cache()
    cache.get(("k",), lambda: pd.DataFrame({"area": ["a", "b"], "n": [1, 2], "x": [0.5, 1.5]}))
    cache.get(("r",), lambda: (_Record(pd.DataFrame({"n": [1]}, index=["p"]), 1), pd.Series([1.0, 2.0])))

    def weakrefs() -> int:
        gc.collect()
        return sum(isinstance(o, weakref.ReferenceType) for o in gc.get_objects())

    def hit() -> None:
        got = cache.get(("k",), pytest_fail)
        got["n"] = got["n"] + 1  # a caller changing its copy, as pages do
        rec, series = cache.get(("r",), pytest_fail)
        rec.table["n"].sum() + series.iloc[:1].sum()

    hit()  # (the first change sets up pandas' own bits)
    before = weakrefs()
    for _ in range(450):  # (pandas would let some 450 dead references pile up in each block)
        hit()
    assert weakrefs() - before < 50
    assert cache.get(("k",), pytest_fail)["n"].tolist() == [1, 2]
