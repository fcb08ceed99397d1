"""components.table prepares a cached frame once: the memo is keyed by where the frame's data
lies (its fingerprint), so a shallow copy of a cached result hits and any other frame misses."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import components


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": ["城关区", "皋兰县", "永登县"],
            "days_overdue": [30, 12, 5],
            "cash_amount": [59500.0, 2203.7, None],
            "recipients": pd.array([27, None, 3], dtype="Int64"),
        }
    )


def test_a_shallow_copy_has_the_same_fingerprint_and_any_change_a_new_one():
    df = _frame()
    mark = components.fingerprint(df)
    assert mark is not None and components.fingerprint(df.copy(deep=False)) == mark
    assert components.fingerprint(df.copy()) != mark  # equal values, other memory
    assert components.fingerprint(_frame()) != mark
    changed = df.copy(deep=False)
    changed.loc[0, "days_overdue"] = 31  # copy-on-write: the copy gets its own memory
    assert components.fingerprint(changed) != mark and components.fingerprint(df) == mark
    assert df.loc[0, "days_overdue"] == 30
    assert components.fingerprint(df.head(2)) != mark
    assert components.fingerprint(df[["area", "days_overdue"]]) != mark
    assert components.fingerprint(df.rename(columns={"area": "x"})) != mark


@pytest.fixture
def drawn(monkeypatch):
    calls: list[dict] = []
    monkeypatch.setattr(components.st, "dataframe", lambda data, **kw: calls.append({"data": data, **kw}))
    monkeypatch.setattr(components.st, "caption", lambda *a, **k: None)
    monkeypatch.setattr(components.export, "download_button", lambda df, *a: calls[-1].update(file=df))
    components.PREPARED.clear()
    return calls


def test_a_warm_table_is_prepared_once_and_draws_the_same(drawn, monkeypatch):
    stored = _frame()
    prepared = []
    real = components._prepare
    monkeypatch.setattr(components, "_prepare", lambda *a: prepared.append(1) or real(*a))
    for _ in range(3):  # what the result cache hands each run
        components.table(stored.copy(deep=False), key="t", stem="s")
    assert len(prepared) == 1
    first, last = drawn[0], drawn[-1]
    assert first["data"].equals(last["data"]) and first["column_config"] == last["column_config"]
    assert first["file"].equals(stored)
    # A frame built again in the run with the same values (what most views do) is known by its
    # content, and draws the same.
    components.table(_frame(), key="t", stem="s")
    assert len(prepared) == 1 and drawn[-1]["data"].equals(first["data"])
    # Different arguments are a different table.
    components.table(stored.copy(deep=False), key="t", stem="s", screen_rows=2)
    assert len(prepared) == 2 and drawn[-1]["data"].num_rows == 2


def test_values_that_compare_equal_but_read_differently_are_different_tables(drawn):
    cells = [1, 1.0, True, "1", 1.5, None]
    for v in cells:
        components.table(pd.DataFrame({"area": ["城关区"], "n": pd.Series([v], dtype=object)}), key="t", stem="s")
    shown = [d["data"].column(1).to_pylist()[0] for d in drawn]
    assert len({components.content_mark(pd.DataFrame({"n": pd.Series([v], dtype=object)})) for v in cells}) == 6
    assert shown[0] == 1 and shown[2] is True and shown[3] == "1" and shown[4] == 1.5


def test_a_long_frame_is_known_by_its_memory_not_its_values(drawn, monkeypatch):
    n = components.CONTENT_CELLS  # two columns: twice the cells known by content
    stored = pd.DataFrame({"area": ["城关区"] * n, "days_overdue": range(n)})
    prepared = []
    real = components._prepare
    monkeypatch.setattr(components, "_prepare", lambda *a: prepared.append(1) or real(*a))
    components.table(stored.copy(deep=False), key="t", stem="s")
    components.table(stored.copy(deep=False), key="t", stem="s")
    assert len(prepared) == 1
    components.table(stored.copy(), key="t", stem="s")  # the same values elsewhere: prepared again
    assert len(prepared) == 2


def test_what_a_run_is_handed_cannot_change_the_stored_table(drawn):
    stored = _frame()
    components.table(stored.copy(deep=False), key="t", stem="s")
    drawn[-1]["column_config"]["天数"] = "changed"
    drawn[-1]["file"]["area"] = "x"
    components.table(stored.copy(deep=False), key="t", stem="s")
    assert "天数" not in drawn[-1]["column_config"]
    assert drawn[-1]["file"]["area"].tolist() == ["城关区", "皋兰县", "永登县"]


def test_a_frame_of_unknown_arrays_is_not_known_by_its_memory():
    df = pd.DataFrame({"kind": pd.Categorical(["a", "b"])})
    assert components.fingerprint(df) is None
    renamed = df.copy(deep=False)
    renamed["kind"] = renamed["kind"].cat.rename_categories(["x", "y"])  # the same codes' memory
    assert components.content_mark(renamed) != components.content_mark(df)
