"""One judgement, one rule (issue #16, point 2): the thresholds and status functions of
data_access.rules at their boundaries, the 口径 texts quoting them, the screen's wording
built from the same judgement, and the figures judged (overall execution, organisational
life) equal to hand-written SQL on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import datetime as dt
import importlib

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard import labels, status
from data_access import branches, money, rules
from data_access.filters import Filters, Period, Scope

EVERYONE = Scope.everything()
AS_OF = dt.date(2020, 12, 31)
ACTIVE = "b.founded_on < :end AND (b.closed_on IS NULL OR b.closed_on >= :end)"


# ---------------------------------------------------------------------------- the rules at their boundaries


def test_budget_pace_boundaries():
    assert rules.PACE_BEHIND == 0.05 and rules.OVERSPENT == 1.0
    assert rules.budget_pace(0.45, 0.5) == rules.BEHIND  # exactly five points behind
    assert rules.budget_pace(0.4501, 0.5) == rules.ON_PACE
    assert rules.budget_pace(0.3, 0.5) == rules.BEHIND
    assert rules.budget_pace(0.7, 0.5) == rules.ON_PACE  # ahead, within the budget
    assert rules.budget_pace(1.0, 1.0) == rules.ON_PACE  # exactly the budget
    assert rules.budget_pace(1.0001, 1.0) == rules.OVER
    assert rules.budget_pace(1.2, 0.3) == rules.OVER  # overspent wins over "ahead"
    assert rules.budget_pace(float("nan"), 0.5) == rules.NO_BUDGET
    assert rules.budget_pace(None, 0.5) == rules.NO_BUDGET
    # Float noise does not move a figure across the line: 0.95 - 0.9 is 0.04999999999999993.
    assert rules.budget_pace(0.9, 0.95) == rules.BEHIND


def test_lag_boundaries():
    assert rules.LAG == 0.01
    assert rules.lags(0.98, 0.99)  # exactly one point below
    assert rules.lags(0.5, 0.99)
    assert not rules.lags(0.9801, 0.99)
    assert not rules.lags(1.0, 0.99)
    assert not rules.lags(float("nan"), 0.99) and not rules.lags(0.5, None) and not rules.lags(0.5, float("nan"))
    assert type(rules.lags(np.float64(0.5), np.float64(0.99))) is bool  # JSON-safe (the meeting screen)
    assert not rules.lags(pd.NA, 0.99) and rules.budget_pace(pd.NA, 0.5) == rules.NO_BUDGET


def test_branch_gap_boundaries():
    assert rules.has_gaps(11 / 12) and rules.has_gaps(0.0)
    assert not rules.has_gaps(1.0) and not rules.has_gaps(float("nan")) and not rules.has_gaps(None)


def test_points_as_quoted():
    assert rules.points(0.05) == "5" and rules.points(0.01) == "1" and rules.points(0.005) == "0.5"


# ---------------------------------------------------------------------------- one judgement, one wording


@pytest.mark.parametrize("progress", [0.0, 0.25, 0.4972677595628415, 0.9, 1.0])
def test_status_word_and_kpi_reading_never_contradict(progress):
    for i in range(0, 131):
        rate = i / 100
        word = status.pace_status(rate, progress)
        text = status.pace_text(rate, progress)
        assert text.startswith(word + "：")
        gap = rate - progress
        if "慢于序时" in text:
            assert word == labels.PACE_STATUS[rules.BEHIND] or -gap < rules.PACE_BEHIND
        if word == labels.PACE_STATUS[rules.ON_PACE]:
            assert "▼" not in text and "▲" not in text
        if word == labels.PACE_STATUS[rules.BEHIND]:
            assert "慢于序时" in text and float(text.split("慢于序时 ")[1].split(" ")[0]) >= 5.0
    assert status.pace_text(float("nan"), 0.5) is None and status.pace_status(float("nan"), 0.5) == "—"


def test_pace_readings():
    assert status.pace_text(0.47, 0.5) == "● 正常：慢于序时 3.0 个百分点"  # the case, now one verdict
    assert status.pace_text(0.42, 0.5) == "▼ 偏慢：慢于序时 8.0 个百分点"
    assert status.pace_text(0.5, 0.5) == "● 正常：与序时持平"
    assert status.pace_text(1.004, 1.0) == "▲ 超支：快于序时 0.4 个百分点"


def test_the_koujing_texts_quote_the_constants(monkeypatch):
    """The 口径 are formatted from data_access.rules: change a threshold and every text follows."""
    texts = (labels.KPI["execution"][1], labels.TIME_PROGRESS_KPI[1], labels.ATTENTION_RULES)
    assert all("5 个百分点及以上" in t for t in texts)
    assert "低于全市 1 个百分点及以上" in labels.KPI["coverage"][1] and "1 个百分点" in labels.ATTENTION_RULES
    assert "低于 100%" in labels.KPI["activity"][1] and "有缺项" in labels.ATTENTION_RULES
    assert "1 个百分点" in labels.SCREEN_COVERAGE_LEGEND and "5 个百分点" in labels.SCREEN_BUDGET_LEGEND
    monkeypatch.setattr(rules, "PACE_BEHIND", 0.07)
    monkeypatch.setattr(rules, "LAG", 0.02)
    try:
        again = importlib.reload(labels)
        assert "7 个百分点及以上" in again.KPI["execution"][1] and "7 个百分点" in again.ATTENTION_RULES
        assert "低于全市 2 个百分点及以上" in again.KPI["coverage"][1]
        assert "5 个百分点" not in again.KPI["precise_execution"][1]
    finally:
        monkeypatch.undo()
        importlib.reload(labels)


# ---------------------------------------------------------------------------- the figures judged, on three databases


def _raw_execution(conn, start: dt.date, end: dt.date, areas: tuple[str, ...] = ()) -> tuple[float, float]:
    """Budget of the period's years and spending in the period, written by hand."""
    years = ", ".join(str(y) for y in range(start.year, (end - dt.timedelta(days=1)).year + 1))
    in_areas = (" AND area_code IN (" + ", ".join(f"'{a}'" for a in areas) + ")") if areas else ""
    budget = conn.execute(sa.text(f"SELECT SUM(amount) FROM budgets WHERE year IN ({years}){in_areas}")).scalar()
    actual = conn.execute(
        sa.text(f"SELECT SUM(amount) FROM disbursements WHERE paid_on >= :start AND paid_on < :end{in_areas}"),
        {"start": start, "end": end},
    ).scalar()
    return float(budget or 0), float(actual or 0)


@pytest.mark.parametrize(
    ("start", "end", "areas"),
    [
        (dt.date(2020, 1, 1), dt.date(2021, 1, 1), ()),
        (dt.date(2019, 1, 1), dt.date(2020, 1, 1), ("620122", "city")),
        (dt.date(2020, 1, 1), dt.date(2020, 7, 1), ()),
    ],
    ids=["2020", "2019-two-areas", "2020-h1"],
)
def test_overall_execution_equals_hand_written_sql(conn, start, end, areas):
    f = Filters(Period(start, end), areas=areas or None)
    budget, actual = _raw_execution(conn, start, end, areas)
    # Every breakdown of the view gives the same overall figure: one definition.
    for by in (("budget_category",), ("area_code",), ("area_code", "budget_category"), ()):
        got = money.execution_total(money.fetch_budget_execution(conn, f, EVERYONE, by))
        assert got["budget"] == pytest.approx(budget) and got["actual"] == pytest.approx(actual)
        assert got["execution_rate"] == pytest.approx(actual / budget)
    progress = money.period_time_progress(start, end, AS_OF)
    verdict = rules.budget_pace(actual / budget, progress)
    assert verdict == rules.budget_pace(got["execution_rate"], progress)


def test_execution_total_of_an_empty_view():
    empty = pd.DataFrame({"budget": pd.Series(dtype=float), "actual": pd.Series(dtype=float)})
    got = money.execution_total(empty)
    assert got["budget"] == 0 and got["actual"] == 0 and got["execution_rate"] != got["execution_rate"]


def _raw_org_life(conn, year: int, areas: tuple[str, ...] = ()) -> tuple[int, int, set[int]]:
    """Owed and complete branch-months of a finished year, and the branches with a missed
    month, from the raw rows (hand-written SQL, the month rules in plain Python)."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    area_sql = " AND b.area_code IN :areas" if areas else ""
    binds = [sa.bindparam("areas", expanding=True)] if areas else []
    params = {"start": start, "end": end, **({"areas": areas} if areas else {})}
    founded = {
        int(i): (d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)[:10]))
        for i, d in conn.execute(
            sa.text(f"SELECT b.id, b.founded_on FROM party_branches b WHERE {ACTIVE}{area_sql}").bindparams(*binds),
            params,
        ).all()
    }
    held: dict[tuple[int, str], set[int]] = {}
    for bid, kind, on in conn.execute(
        sa.text(
            "SELECT a.branch_id, a.activity_type, a.held_on FROM branch_activities a "
            "WHERE a.held_on >= :start AND a.held_on < :end"
        ),
        params,
    ).all():
        on = on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on)[:10])
        held.setdefault((int(bid), kind), set()).add(on.month)
    owed = done = 0
    gaps: set[int] = set()
    for bid, fd in founded.items():
        for m in range(1, 13):
            if dt.date(year, m, 1) < fd:
                continue
            owed += 1
            ok = m in held.get((bid, "theme_day"), set())
            if m % 3 == 0:
                quarter = {m - 2, m - 1, m}
                ok = ok and bool(quarter & held.get((bid, "general_meeting"), set()))
                ok = ok and bool(quarter & held.get((bid, "party_lecture"), set()))
            done += ok
            if not ok:
                gaps.add(bid)
    return owed, done, gaps


@pytest.mark.parametrize(("year", "areas"), [(2020, ()), (2019, ("620123",))], ids=["2020", "2019-one-area"])
def test_org_life_completion_and_gaps_equal_hand_written_sql(conn, year, areas):
    f = Filters(Period.year(year), areas=areas or None)
    owed, done, gaps = _raw_org_life(conn, year, areas)
    life = branches.fetch_org_life(conn, f, EVERYONE, AS_OF)
    total = branches.org_life_total(life)
    assert (int(total["months_owed"]), int(total["months_complete"])) == (owed, done)
    assert total["completion"] == pytest.approx(done / owed)
    with_gaps = status.branches_with_gaps(branches.org_life_by_branch(life))
    assert set(with_gaps["branch_id"].astype(int)) == gaps and len(gaps) > 0
    assert list(with_gaps["completion"]) == sorted(with_gaps["completion"])
