"""区县对比: every area side by side, built from the same loaders the topic pages use
(one definition, one code path), with ranks and a colour-blind-safe scale."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import data, labels, metrics
from dashboard.context import PageContext
from data_access import branches, contacts, people
from data_access import money as money_q
from data_access.filters import Filters
from data_access.money import period_time_progress
from data_access.privacy import numbers

CITY_ROW = "__city__"
MISSING = -1.0  # stands for "no value" in the styled table (see ``style_parts``)


# The compared metrics are records of the metric catalogue (dashboard/metrics.py): name,
# 口径, direction (``better``: "high", "low", "pace" — closest to time progress — or "none",
# descriptive) and kind, in the matrix's column order.
Metric = metrics.Metric
METRICS: tuple[Metric, ...] = metrics.COMPARED
BY_KEY = {m.key: m for m in METRICS}
# The area profile (city = 100) compares like with like: rates and shares, not head counts
# (a small district always "scores" 20 on branches) nor amounts.
PROFILE_METRICS = tuple(m for m in METRICS if m.kind == "rate")
COUNTS = [m.key for m in METRICS if m.kind == "count"]


def ranked_areas(table: pd.DataFrame) -> pd.DataFrame:
    """The areas that are ranked: those with people in view (an area with nobody has no
    coverage, and a count of 0 overdue would rank it first)."""
    areas = table.drop(index=CITY_ROW, errors="ignore")
    return areas[areas["coverage"].notna()]


def default_metric(table: pd.DataFrame) -> Metric:
    """The first metric every area in view has a value for (key-cohort coverage exists for
    市直 only, so it would open the page on a near-empty chart)."""
    areas = table.drop(index=CITY_ROW, errors="ignore")
    for m in METRICS:
        if len(areas) and areas[m.key].notna().all():
            return m
    return max(METRICS, key=lambda m: int(areas[m.key].notna().sum()) if len(areas) else 0)


def profile_index(table: pd.DataFrame, area: str) -> list[float]:
    """The area's rates and shares as an index against the city-wide value (city = 100)."""
    city = table.loc[CITY_ROW]
    known = {m.key: bool(city[m.key]) and city[m.key] == city[m.key] for m in PROFILE_METRICS}
    nan = float("nan")
    return [float(table.loc[area, m.key] / city[m.key] * 100) if known[m.key] else nan for m in PROFILE_METRICS]


def judged_against_city(metric: Metric, value: float, city: float) -> str:
    """How an area's value of a rate where higher is better stands against the city's, by
    ``rules.lags`` (through the catalogue): "worse" where it lags (▼ in the metric chart,
    vermilion in the profile), "better" where the city lags it, "same" in between, "none"
    for other metrics or without a value. The one judgement of both 区县对比 charts."""
    if metric.better != "high" or metric.kind != "rate" or value != value or city != city:
        return "none"
    if metrics.judge(metrics.LAG, value, city).flagged:
        return "worse"
    if metrics.judge(metrics.LAG, city, value).flagged:
        return "better"
    return "same"


def lagging(table: pd.DataFrame, metric: Metric, areas: list[str]) -> list[bool] | None:
    """The ▼ of the metric chart: per area whether it lags the city (None: not judged)."""
    if metric.better != "high" or metric.kind != "rate":
        return None
    city = table.loc[CITY_ROW, metric.key]
    return [judged_against_city(metric, table.loc[a, metric.key], city) == "worse" for a in areas]


def profile_marks(table: pd.DataFrame, area: str) -> list[str]:
    """Per profile metric how the area stands against the city, by the metric's own rule
    (``Metric.judge`` against the city-wide value — the rule of the metric chart's ▼ and of
    the KPI readings): "worse" where it lags, "better" where the city lags it (ahead by the
    same threshold), "same" in between, "none" for descriptive metrics or no value."""
    city = table.loc[CITY_ROW]
    return [judged_against_city(m, table.loc[area, m.key], city[m.key]) for m in PROFILE_METRICS]


def _rate(num: pd.Series, den: pd.Series) -> pd.Series:
    return num / den.where(den > 0)


def _frame(ctx: PageContext, f: Filters, by: tuple[str, ...]) -> pd.DataFrame:
    """One row per ``by`` group (or one city-wide row when ``by`` is empty)."""
    s = ctx.scope

    def get(df: pd.DataFrame) -> pd.DataFrame:
        return df.set_index("area_code") if by else df.assign(area_code=CITY_ROW).set_index("area_code")

    key = get(data.query(contacts.fetch_coverage, f, s, by=by, key_cohort_only=True))
    cov = get(data.query(contacts.fetch_coverage, f, s, by=by))
    over = get(data.query(contacts.fetch_overdue_count, f, s, as_of=ctx.as_of, by=by))
    fest = get(data.query(contacts.fetch_festival_completion, f, s, as_of=ctx.as_of, by=by))
    br = get(data.query(branches.fetch_branch_summary, f, s, by=by))
    money = get(data.query(money_q.fetch_budget_execution, f, s, by=by or ()))
    aid = get(data.query(money_q.fetch_aid_summary, f, s, by=by))
    hard = get(data.query(money_q.fetch_hardship_coverage, f, s, by=by))
    pop = get(data.query(people.fetch_population_summary, f, s, by=by))
    out = pd.DataFrame(index=cov.index)
    out["key_coverage"] = key["coverage"]
    out["coverage"] = cov["coverage"]
    out["overdue"] = over["overdue"].reindex(out.index).fillna(0)
    # Per head of the people in view (coverage's denominator): comparable across sizes.
    out["overdue_rate"] = _rate(out["overdue"], cov["population"])
    out["festival"] = fest["completion"]
    out["branches"] = br["branches"].reindex(out.index).fillna(0)
    out["secretary_share"] = br["retiree_secretary_share"]
    out["execution"] = money["execution_rate"]  # actual ÷ budget, as money.execution_total
    # A figure the data layer hid for this viewer (a small cell) is not shown, nor ranked ("—").
    out["aid_per_recipient"] = numbers(aid["per_recipient"]).set_axis(aid.index)
    out["hardship_coverage"] = numbers(hard["coverage"]).set_axis(hard.index)
    out["lives_alone_share"] = _rate(numbers(pop["lives_alone"]).set_axis(pop.index), pop["people"])
    out["impaired_share"] = _rate(numbers(pop["impaired"]).set_axis(pop.index), pop["people"])
    return out


def comparison(ctx: PageContext, f: Filters) -> pd.DataFrame:
    """Areas in view (in the areas table's order) plus the city-wide row ``__city__``."""
    key = (f, ctx.scope.key(), ctx.as_of, tuple(ctx.area_names))
    return data.memo("comparison", key, lambda: _comparison(ctx, f))


def _comparison(ctx: PageContext, f: Filters) -> pd.DataFrame:
    """Every area in view has its row, one with nobody in it too (its rates "—", its counts
    0; it is not ranked)."""
    areas = _frame(ctx, f, ("area_code",))
    order = [a for a in ctx.area_names if f.areas is None or a in f.areas]
    table = areas.reindex(order)
    table[COUNTS] = table[COUNTS].fillna(0)
    return pd.concat([table, _frame(ctx, f, ())]).astype("float64")


def ranks(table: pd.DataFrame, time_progress: float) -> pd.DataFrame:
    """Competition ranks among the areas (1 = best; ties share the better rank: 1, 2, 2, 4).
    Descriptive metrics rank the largest first; execution ranks closeness to time progress.
    Areas without a value get no rank, and an area with nobody in view none at all."""
    areas = ranked_areas(table)
    out = pd.DataFrame(index=table.drop(index=CITY_ROW, errors="ignore").index)
    for m in METRICS:
        col = areas[m.key].round(6)  # equal figures on screen tie
        if m.better == "low":
            r = col.rank(method="min", ascending=True)
        elif m.better == "pace":
            r = (col - time_progress).abs().round(6).rank(method="min", ascending=True)
        else:
            r = col.rank(method="min", ascending=False)
        out[m.key] = r.astype("Int64")
    return out


def composite(table: pd.DataFrame, rank_table: pd.DataFrame) -> tuple[pd.Series, list[Metric]]:
    """The comparison's composite: per area the mean of its ranks over the directional
    rates every area has (descriptive metrics, those only some areas have, and counts —
    which grow with an area's size: 市直's 308 overdue of 13,954 people against 红古区's 9 —
    are left out; the overdue count enters as 逾期未联系率); smaller is better. Returns the
    mean ranks and the metrics used."""
    areas = ranked_areas(table)
    used = [
        m
        for m in METRICS
        if m.better != "none" and m.kind == metrics.RATE and len(areas) and areas[m.key].notna().all()
    ]
    if not used:
        return pd.Series(np.nan, index=rank_table.index), used
    mean = rank_table[[m.key for m in used]].astype("float64").mean(axis=1)
    return mean, used


def composite_frame(
    table: pd.DataFrame, rank_table: pd.DataFrame, names: dict[str, str]
) -> tuple[pd.DataFrame, list[Metric]]:
    """Why each area has its 综合名次: per area (best first) its place, its mean rank and,
    for every metric behind the composite, its value and its rank on it ("99.4%（3）")."""
    mean, used = composite(table, rank_table)
    order = mean.dropna().sort_values(kind="stable")
    place = order.round(6).rank(method="min")
    rows = []
    for a in order.index:
        row = {labels.SCREEN_RANK_PLACE: int(place[a]), labels.COLUMNS["area"]: names.get(a, a)}
        row[labels.SCREEN_RANK_SCORE] = f"{order[a]:.1f}"
        for m in used:
            r = rank_table.loc[a, m.key]
            row[m.label] = format_value(m, table.loc[a, m.key]) + ("" if r is pd.NA else f"（{int(r)}）")
        rows.append(row)
    columns = [labels.SCREEN_RANK_PLACE, labels.COLUMNS["area"], labels.SCREEN_RANK_SCORE, *(m.label for m in used)]
    return pd.DataFrame(rows, columns=columns), used


def progress(ctx: PageContext, f: Filters) -> float:
    return period_time_progress(f.period.start, f.period.end, ctx.as_of)


def change_word(metric: Metric, before: float, now: float) -> str:
    """改善 / 退步 / 持平 for directional metrics; 上升 / 下降 for descriptive ones."""
    if before != before or now != now:
        return "—"
    diff = now - before
    # Unchanged as shown: a rate within 0.05 point (reads "0.0 个百分点"), a count within 0.5.
    if abs(diff) < (0.0005 if metric.kind == "rate" else 0.5):
        return labels.CHANGE_SAME
    if metric.better in ("none", "pace"):
        return labels.CHANGE_UP if diff > 0 else labels.CHANGE_DOWN
    good = diff > 0 if metric.better == "high" else diff < 0
    return labels.CHANGE_BETTER if good else labels.CHANGE_WORSE


def format_value(metric: Metric, value: float) -> str:
    """A cell as the matrix writes it: the catalogue's format, counts without their unit
    (the column header carries it)."""
    return metric.format(value, unit=False)


# Blues (ColorBrewer, colour-blind safe): rank 1 darkest. Orange marks the worst of a
# directional metric, so the extremes also differ in hue.
# (#2171b5, not #3182bd, for rank 2: white text on it 5.1:1 instead of 4.2:1.)
SHADES = ("#08519c", "#2171b5", "#6baed6", "#bdd7e7", "#eff3ff")
WORST = "#fdae6b"


def cell_colour(metric: Metric, rank: float, count: int) -> str:
    if rank is None or rank is pd.NA or rank != rank or count <= 1:
        return ""
    pos = (int(rank) - 1) / (count - 1)
    if metric.better not in ("none",) and int(rank) == count:
        return f"background-color: {WORST}; color: #1b2430"
    shade = SHADES[min(int(pos * len(SHADES)), len(SHADES) - 1)]
    text = "#ffffff" if shade in SHADES[:2] else "#1b2430"
    return f"background-color: {shade}; color: {text}"


@dataclass(frozen=True)
class Styled:
    """What the comparison's Styler is built from (``style_parts``): the shown frame, a
    formatter per column and the cells' colours. Derived once per view and shared read-only
    between sessions; the Styler itself is not shared, since Streamlit's drawing of it
    recomputes it in place (``Styler._compute``), so each run builds its own (``styler``)."""

    shown: pd.DataFrame
    formatters: dict  # column label -> formatter (pure functions of the cell's value)
    colours: np.ndarray  # one CSS declaration a cell ("" for none), read-only

    def styler(self):
        colours = self.colours
        # One format and one apply for the whole table: Streamlit recomputes the Styler on
        # every run, and a call per column cost it a dozen passes.
        return self.shown.style.format(dict(self.formatters), na_rep="—").apply(lambda _df: colours, axis=None)


def style_parts(table: pd.DataFrame, rank_table: pd.DataFrame, names: dict[str, str]) -> Styled:
    """The comparison as a Styler's parts: numbers stay numeric (so columns sort by value),
    each cell reads "value（rank）", and a colour scale per column that also turns orange at
    the worst end of a directional metric. A rank follows from the value within its column,
    so the formatter maps value → rank; the city-wide row shows no rank."""
    # st.dataframe shows a missing number as "None" whatever the Styler says; every metric
    # is non-negative, so a missing value travels as -1 and is formatted as "—" (it also
    # sorts below every real value).
    shown = table.fillna(MISSING)
    shown.index = [labels.CITY_WIDE if a == CITY_ROW else names.get(a, a) for a in table.index]
    shown.columns = [BY_KEY[c].label for c in table.columns]
    areas = [a for a in table.index if a != CITY_ROW]
    formatters, colours = {}, np.full(shown.shape, "", dtype=object)
    for j, key in enumerate(table.columns):
        m = BY_KEY[key]
        values, ranked = table[m.key].to_dict(), rank_table[m.key].to_dict()
        rank_of = {a: ranked.get(a) for a in areas}
        by_value = {
            round(float(values[a]), 6): r for a, r in rank_of.items() if r is not pd.NA and values[a] == values[a]
        }
        count = int(rank_table[m.key].notna().sum())
        city_value = values.get(CITY_ROW) if CITY_ROW in table.index else None

        def fmt(v, _m=m, _by=by_value, _city=city_value, _n=count):
            if v == MISSING:
                return "—"
            text = format_value(_m, v)
            if v != v or _n <= 1 or (_city is not None and v == _city):
                return text
            r = _by.get(round(float(v), 6))
            return text if r is None else f"{text}（{int(r)}）"

        formatters[m.label] = fmt
        colours[:, j] = [cell_colour(m, rank_of.get(a), count) for a in table.index]
    colours.setflags(write=False)
    return Styled(shown, formatters, colours)


# The unit a figure column's header carries in a file (its cells are plain numbers).
_UNIT_HEADERS = {"per_person": labels.UNIT_YUAN_PER_PERSON, "money": "（元）"}


def export_frame(table: pd.DataFrame, rank_table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The comparison for CSV: per metric a value column and a rank column. Figures are
    plain numbers a spreadsheet can add and sort — a rate as shown ("99.4%", which Excel
    reads as a number), a count as a whole number, money per person under a "（元/人）"
    header — and a rank is a whole number (blank where there is none)."""
    out = pd.DataFrame({"area": [labels.CITY_WIDE if a == CITY_ROW else names.get(a, a) for a in table.index]})
    for m in METRICS:
        if m.kind == "rate":
            values = [format_value(m, v) for v in table[m.key]]
            header = m.label
        else:
            values = [
                None if v is None or v != v else (int(round(v)) if m.kind == "count" else float(v))
                for v in table[m.key]
            ]
            header = m.label + _UNIT_HEADERS.get(m.kind, "")
        out[header] = pd.Series(values, dtype=object)
        ranks_col = rank_table[m.key].reindex(table.index)
        out[f"{m.label}{labels.RANK_SUFFIX}"] = pd.Series(
            [None if r is pd.NA or r != r else int(r) for r in ranks_col], dtype="Int64"
        )
    return out


def year_over_year(now: pd.DataFrame, before: pd.DataFrame, metric: Metric, names: dict[str, str]) -> pd.DataFrame:
    """Per area the metric a year before and now; areas with the metric in neither year are
    left out (the caption says how many) rather than shown as a row of "—". Figures are plain
    numbers with the unit in the column's key (see ``YOY_COLUMNS``): a rate as a fraction
    (shown as "99.4%"), its change in percentage points; money per person in 元/人."""
    keys = YOY_COLUMNS.get(metric.kind, YOY_COLUMNS["count"])
    rows = []
    for a in now.index:
        b = before[metric.key].get(a, np.nan) if a in before.index else np.nan
        n = now.loc[a, metric.key]
        if b != b and n != n:
            continue
        change = np.nan if b != b or n != n else (n - b) * (100 if metric.kind == "rate" else 1)
        rows.append(
            {
                "area": labels.CITY_WIDE if a == CITY_ROW else names.get(a, a),
                keys[0]: b,
                keys[1]: n,
                keys[2]: change,
                "direction": change_word(metric, b, n),
            }
        )
    return pd.DataFrame(rows, columns=["area", *keys, "direction"])


# The year-over-year table's value columns per metric kind: (before, now, change); their
# headers (labels.COLUMNS) carry the unit so the cells are plain numbers.
YOY_COLUMNS = {
    "rate": ("before", "now", "change_points"),
    "count": ("before", "now", "change"),
    "per_person": ("before_per_person", "now_per_person", "change_per_person"),
}
