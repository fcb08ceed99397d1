"""The metric catalogue: one record per figure the dashboard shows.

Search this file for a metric's key (``"key_coverage"``) or look it up by its Chinese name
(``metrics.by_name("重点对象联系覆盖率")``) and the record says everything about it: its
name and 口径 (the texts live in ``dashboard.labels.KPI[key]``, which only this module and
the tests read), the ``data_access`` query that computes it and the columns of that query's
frame holding the value, numerator and denominator, its kind and unit (how a value is
written), its direction (higher better, lower better, closest to time progress, or
descriptive) and the judgement rule of ``data_access.rules`` that marks it.

The KPI cards (``components.kpi``), the 区县对比 matrix (``comparison.METRICS`` are
records of this catalogue), the chart marks (▼ through ``Metric.judge`` / ``rules``), the
meeting screen, the workbook's column notes and the README's list of figures read it.

Public API (for a new page such as a 工作简报)::

    from dashboard import metrics

    m = metrics.get("coverage")           # KeyError for an unknown key
    m.name, m.help                         # "联系覆盖率", its 口径 (help text beside the figure)
    m.label                                # its column header (tables, CSV, 区县对比)
    m.kind, m.unit, m.better, m.rule       # "rate", "%", "high", "lag"
    frame = m.load(ctx.filters, ctx.scope, ctx.as_of)   # the query's frame (cached)
    value, num, den = m.total(frame)       # the figure over that frame (and its counts)
    m.format(value)                        # "99.4%" as the card writes it ("1,234 人" for counts)
    m.judge(value, reference)              # Judgement(state, mark, text, flagged)

    for m in metrics.ALL: ...              # every record, in page order

``judge`` gives the judgement every page shows for that figure: ``rule="lag"`` compares a
rate with a reference rate (the city's, the average) by ``rules.lags``; ``"pace"`` compares
an execution rate with time progress by ``rules.budget_pace`` (the reference is the time
progress); ``"target"`` compares with the 100% target; ``"gaps"`` is ``rules.has_gaps``
(no reference); ``"none"`` is descriptive. ``RULE_THRESHOLDS`` names the constant behind
each rule.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from dashboard import formatting, labels
from data_access import branches, codes, contacts, groups, money, people, rules, services, suggestions, talent
from data_access.privacy import is_hidden

RATE, COUNT, MONEY, PER_PERSON, AGE, DAYS = "rate", "count", "money", "per_person", "age", "days"
HIGH, LOW, PACE, NONE = "high", "low", "pace", "none"
LAG, PACE_RULE, TARGET, GAPS = "lag", "pace", "target", "gaps"

# The constant of data_access.rules each rule judges by (the boundary the tests walk).
RULE_THRESHOLDS = {LAG: "LAG", PACE_RULE: "PACE_BEHIND", TARGET: None, GAPS: "BRANCH_COMPLETE", NONE: None}
TARGET_RATE = 1.0  # the 100% target of key-cohort coverage, tier compliance and the like


class Judgement(NamedTuple):
    """How a figure is judged: ``state`` a code ("lag", "ok", rules.BEHIND / ON_PACE / OVER /
    NO_BUDGET, "short", "met", "gaps", "none"), ``mark`` (▼, ▲, ● or ""), ``text`` as the
    page words it, ``flagged`` True where the page marks the figure (▼/▲, vermilion)."""

    state: str
    mark: str
    text: str
    flagged: bool


@dataclass(frozen=True)
class Metric:
    """One figure. ``key`` is also its key in ``labels.KPI`` (name and 口径) and, for the
    figures compared across areas, its column in the 区县对比 table."""

    key: str
    kind: str  # RATE / COUNT / MONEY / PER_PERSON / AGE / DAYS: how a value is written
    unit: str  # "%", "人", "个", "件", "人次", "元", "元/人", "岁", "天"
    better: str = NONE  # HIGH / LOW / PACE (closest to time progress) / NONE (descriptive)
    rule: str = NONE  # LAG / PACE_RULE / TARGET / GAPS / NONE (see ``judge``)
    source: Callable | None = None  # the data_access query computing it (via data.query)
    args: tuple[tuple[str, object], ...] = ()  # its keyword arguments (besides as_of, by)
    by: tuple[str, ...] | None = None  # its grouping for the figure (None: the query's default)
    row: tuple[str, str] | None = None  # the row of the frame holding the figure (column, value)
    value: str | None = None  # the frame's column holding the figure
    numerator: str | None = None  # the count the rate is made of (column of the same frame)
    denominator: str | None = None
    derive: Callable[..., pd.Series] | None = None  # for figures summed over rows (or over a grid)
    compared: bool = False  # a column of the 区县对比 matrix
    columns: tuple[str, ...] = field(default=())  # table columns (labels.COLUMNS keys) showing it
    formula: str = ""  # how a figure without one query is computed (no ``source``)

    # ------------------------------------------------------------------ texts
    @property
    def name(self) -> str:
        return labels.KPI[self.key][0]

    @property
    def help(self) -> str:
        """The 口径: the help text beside the figure on every page."""
        return labels.KPI[self.key][1]

    @property
    def label(self) -> str:
        """Its column header in tables, CSV files and the 区县对比 matrix."""
        return labels.METRIC_COLUMN.get(self.key, self.name)

    @property
    def rank_help(self) -> str:
        """The 口径 plus how the 区县对比 ranks it."""
        return self.help + labels.RANK_NOTE.get(self.key, "")

    # ------------------------------------------------------------------ data
    def load(self, filters, scope, as_of=None, by: tuple[str, ...] | None = None) -> pd.DataFrame | branches.OrgLife:
        """The frame of ``source`` for these filters and scope (through the data cache); for
        组织生活, its grid (branches.OrgLife)."""
        from dashboard import data  # streamlit-bound; not needed to read the catalogue

        if self.source is None:
            raise ValueError(f"metric {self.key!r} has no query")
        kwargs = dict(self.args)
        params = inspect.signature(self.source).parameters
        if "as_of" in params:
            kwargs["as_of"] = as_of
        group = self.by if by is None else by
        if group is not None and "by" in params:
            kwargs["by"] = tuple(group)
        return data.query(self.source, filters, scope, **kwargs)

    def total(self, frame: pd.DataFrame) -> tuple[object, object, object]:
        """(value, numerator, denominator) of the figure over ``frame`` as ``load`` returns
        it: its ``row`` if named, the derived total, or the sum of the counts over rows."""
        if self.row is not None:
            col, val = self.row
            frame = frame[frame[col] == val]
        if self.derive is not None:
            s = self.derive(frame)
            return s[self.value], s.get(self.numerator), s.get(self.denominator)
        num = _sum(frame, self.numerator)
        den = _sum(frame, self.denominator)
        if len(frame) == 1:
            r = frame.iloc[0]
            return r[self.value], num, den
        if not len(frame):
            return float("nan"), num, den
        if self.kind == RATE and self.numerator and self.denominator:
            return (num / den if den else float("nan")), num, den
        return _sum(frame, self.value), num, den

    # ------------------------------------------------------------------ showing and judging
    def format(self, value, *, unit: bool = True) -> str:
        """The value as the KPI card writes it ("99.4%", "1,234 人", "3.50 万元", "2,426 元/人");
        ``unit=False`` drops a count's unit (a table whose header carries it). A hidden cell
        ("<5", "（已隐藏）") is shown as it comes, a missing one as "—"."""
        if is_hidden(value):
            return str(value)
        if value is None or value != value:
            return "—"
        if self.kind == RATE:
            return formatting.percent(value)
        if self.kind == MONEY:
            return formatting.yuan(value)
        if self.kind == PER_PERSON:
            return formatting.yuan_per_person(value)
        if self.kind == AGE:
            return formatting.age(value)
        if self.kind == DAYS:
            return labels.SERVICES_DAYS.format(d=f"{value:.1f}" if value % 1 else f"{value:.0f}")
        text = formatting.count(value)
        return f"{text} {self.unit}" if unit and self.unit else text

    def judge(self, value, reference=None) -> Judgement:
        """The judgement the pages show for ``value`` against ``reference`` (see module doc)."""
        return judge(self.rule, value, reference)


def judge(rule: str, value, reference=None) -> Judgement:
    """A value judged by a rule (``Metric.judge`` for a record; also for a figure not in the
    catalogue judged the same way, e.g. one service's delivery rate against the average)."""
    if rule == LAG:
        if rules.lags(value, reference):
            return Judgement("lag", "▼", labels.JUDGE_LAG, True)
        return Judgement("ok", "", "", False)
    if rule == PACE_RULE:
        state = rules.NO_BUDGET if is_hidden(value) else rules.budget_pace(value, reference)
        text = labels.PACE_STATUS[state]
        mark = {rules.BEHIND: "▼", rules.OVER: "▲", rules.ON_PACE: "●"}.get(state, "")
        return Judgement(state, mark, text, state in (rules.BEHIND, rules.OVER))
    if rule == TARGET:
        target = TARGET_RATE if reference is None else reference
        if value is None or is_hidden(value) or value != value:
            return Judgement("none", "", "", False)
        if value >= target - 1e-9:
            return Judgement("met", "✔", labels.JUDGE_TARGET_MET, False)
        return Judgement("short", "▼", labels.JUDGE_TARGET_SHORT, True)
    if rule == GAPS:
        if rules.has_gaps(value):
            return Judgement("gaps", "▼", labels.JUDGE_GAPS, True)
        return Judgement("ok", "", "", False)
    return Judgement("none", "", "", False)


def _sum(frame: pd.DataFrame, col: str | None):
    if col is None or col not in frame.columns:
        return None
    values = pd.to_numeric(frame[col], errors="coerce")
    return values.sum() if len(values) else 0


def _org_life(life: branches.OrgLife) -> pd.Series:
    return branches.org_life_total(life)


def _execution(frame: pd.DataFrame) -> pd.Series:
    return money.execution_total(frame)


def _precise_share(frame: pd.DataFrame) -> pd.Series:
    total = float(frame["actual"].sum()) if len(frame) else 0.0
    precise = frame.loc[frame["budget_category"] == "precise_service", "actual"]
    spent = float(precise.sum()) if len(precise) else float("nan")
    return pd.Series({"precise_actual": spent, "all_actual": total, "share": spent / total if total else float("nan")})


def _share(part: str) -> Callable[[pd.DataFrame], pd.Series]:
    def share(frame: pd.DataFrame) -> pd.Series:
        n = frame[part].sum() if len(frame) else 0
        d = frame["people"].sum() if len(frame) else 0
        return pd.Series({part: n, "people": d, "share": n / d if d else float("nan")})

    return share


_pop = people.fetch_population_summary
_cov = contacts.fetch_coverage
_budget = money.fetch_budget_execution
_branch = branches.fetch_branch_summary
_svc = services.fetch_service_summary
_sg = suggestions.fetch_summary
_OTHER_SERVICES = tuple(c for c in codes.SERVICES if c not in codes.GAP_SERVICES)

ALL: tuple[Metric, ...] = (
    # ---------------------------------------------------------------- 服务对象 (总览)
    Metric("veterans", COUNT, "人", source=_pop, by=("category",), row=("category", "veteran"), value="people"),
    Metric("retirees", COUNT, "人", source=_pop, by=("category",), row=("category", "retiree"), value="people"),
    Metric("survivors", COUNT, "人", source=_pop, by=("category",), row=("category", "survivor"), value="people"),
    Metric("average_age", AGE, "岁", source=_pop, value="average_age"),
    Metric("veteran_age", AGE, "岁", source=_pop, by=("category",), row=("category", "veteran"), value="average_age"),
    # ---------------------------------------------------------------- 联系覆盖
    Metric(
        "key_coverage",
        RATE,
        "%",
        HIGH,
        TARGET,
        _cov,
        args=(("key_cohort_only", True),),
        value="coverage",
        numerator="reached",
        denominator="population",
        compared=True,
    ),
    Metric(
        "coverage",
        RATE,
        "%",
        HIGH,
        LAG,
        _cov,
        value="coverage",
        numerator="reached",
        denominator="population",
        compared=True,
    ),
    Metric("overdue", COUNT, "人", LOW, source=contacts.fetch_overdue_count, value="overdue", compared=True),
    Metric(  # 区县对比: comparison._frame divides the overdue count by coverage's population
        "overdue_rate",
        RATE,
        "%",
        LOW,
        numerator="overdue",
        denominator="population",
        compared=True,
        formula="contacts.fetch_overdue_count → overdue ÷ contacts.fetch_coverage → population",
    ),
    Metric(
        "festival",
        RATE,
        "%",
        HIGH,
        source=contacts.fetch_festival_completion,
        value="completion",
        numerator="visited",
        denominator="listed",
        compared=True,
    ),
    Metric(
        "hospital",
        RATE,
        "%",
        HIGH,
        source=contacts.fetch_event_timeliness,
        row=("event_type", "hospitalisation"),
        value="timeliness",
        numerator="on_time",
        denominator="events",
    ),
    Metric(
        "pairing",
        RATE,
        "%",
        HIGH,
        source=contacts.fetch_pairing_coverage,
        value="coverage",
        numerator="paired",
        denominator="population",
    ),
    Metric(
        "tier_compliance",
        RATE,
        "%",
        HIGH,
        TARGET,
        contacts.fetch_tier_compliance,
        value="compliance",
        numerator="compliant",
        denominator="owing",
    ),
    # ---------------------------------------------------------------- 党支部
    Metric("branches", COUNT, "个", source=_branch, value="branches", compared=True),
    Metric("members", COUNT, "人", source=_branch, value="members"),
    Metric(
        "secretary_share",
        RATE,
        "%",
        HIGH,
        source=_branch,
        value="retiree_secretary_share",
        numerator="retiree_secretaries",
        denominator="branches",
        compared=True,
    ),
    Metric(
        "activity",
        RATE,
        "%",
        HIGH,
        GAPS,
        branches.fetch_org_life,
        value="completion",
        numerator="months_complete",
        denominator="months_owed",
        derive=_org_life,
    ),
    Metric("small_branches", COUNT, "个", LOW, source=_branch, value="below_min_full"),
    Metric("large_branches", COUNT, "个", LOW, source=_branch, value="above_max"),
    # ---------------------------------------------------------------- 帮扶与经费
    Metric(
        "execution",
        RATE,
        "%",
        PACE,
        PACE_RULE,
        _budget,
        by=(),
        value="execution_rate",
        numerator="actual",
        denominator="budget",
        derive=_execution,
        compared=True,
    ),
    Metric(
        "precise_execution",
        RATE,
        "%",
        PACE,
        PACE_RULE,
        _budget,
        by=("budget_category",),
        row=("budget_category", "precise_service"),
        value="execution_rate",
        numerator="actual",
        denominator="budget",
    ),
    Metric("time_progress", RATE, "%", formula="money.period_time_progress (dates only)"),
    Metric(
        "precise_share",
        RATE,
        "%",
        source=_budget,
        by=("budget_category",),
        value="share",
        numerator="precise_actual",
        denominator="all_actual",
        derive=_precise_share,
    ),
    Metric("aid", COUNT, "人", source=money.fetch_aid_summary, value="recipients", numerator="cash_amount"),
    Metric(
        "aid_per_recipient",
        PER_PERSON,
        "元/人",
        source=money.fetch_aid_summary,
        value="per_recipient",
        numerator="cash_amount",
        denominator="recipients",
        compared=True,
        columns=("per_recipient",),
    ),
    Metric("goods", MONEY, "元", source=money.fetch_aid_summary, value="goods_amount", numerator="goods_recipients"),
    Metric(
        "hardship_coverage",
        RATE,
        "%",
        HIGH,
        source=money.fetch_hardship_coverage,
        value="coverage",
        numerator="aided",
        denominator="flagged",
        compared=True,
    ),
    # ---------------------------------------------------------------- 区县对比's shares
    Metric(
        "lives_alone_share",
        RATE,
        "%",
        source=_pop,
        value="share",
        numerator="lives_alone",
        denominator="people",
        derive=_share("lives_alone"),
        compared=True,
    ),
    Metric(
        "impaired_share",
        RATE,
        "%",
        source=_pop,
        value="share",
        numerator="impaired",
        denominator="people",
        derive=_share("impaired"),
        compared=True,
    ),
    # ---------------------------------------------------------------- 重点人群
    Metric("groups_people", COUNT, "人", source=groups.fetch_group_counts, value="people"),
    *(
        Metric(f"group_{g}", COUNT, "人", source=groups.fetch_group_counts, value=g, denominator="people")
        for g in labels.SPECIAL_GROUP
    ),
    # ---------------------------------------------------------------- 精准服务
    Metric("services_requested", COUNT, "件", source=_svc, value="requested"),
    Metric(
        "services_delivery_rate",
        RATE,
        "%",
        HIGH,
        LAG,
        _svc,
        value="delivery_rate",
        numerator="delivered",
        denominator="requested",
    ),
    Metric("services_open", COUNT, "件", LOW, source=_svc, value="open"),
    Metric("services_days", DAYS, "天", LOW, source=_svc, value="mean_days"),
    Metric(
        "services_gap_rate",
        RATE,
        "%",
        HIGH,
        source=_svc,
        args=(("services", codes.GAP_SERVICES),),
        value="delivery_rate",
        numerator="delivered",
        denominator="requested",
    ),
    Metric(
        "services_tier_compliance",
        RATE,
        "%",
        HIGH,
        LAG,
        contacts.fetch_tier_compliance,
        value="compliance",
        numerator="compliant",
        denominator="owing",
    ),
    Metric("services_tier_people", COUNT, "人", source=contacts.fetch_tier_compliance, value="people"),
    # ---------------------------------------------------------------- 建言献计
    Metric("sg_received", COUNT, "件", source=_sg, value="received"),
    Metric(
        "sg_on_time",
        RATE,
        "%",
        HIGH,
        LAG,
        _sg,
        value="on_time_rate",
        numerator="on_time",
        denominator="due",
    ),
    Metric("sg_days", DAYS, "天", LOW, source=_sg, value="avg_days"),
    Metric("sg_open", COUNT, "件", source=_sg, value="open"),
    Metric("sg_overdue", COUNT, "件", LOW, source=_sg, value="overdue"),
    # ---------------------------------------------------------------- 银发人才库
    Metric("tl_pool", COUNT, "人", source=talent.fetch_pool, value="pool"),
    Metric("tl_joined", COUNT, "人", source=talent.fetch_pool, value="joined"),
    Metric("tl_left", COUNT, "人", source=talent.fetch_pool, value="left"),
    Metric("tl_activities", COUNT, "人次", source=talent.fetch_activities, value="activities", numerator="people"),
    Metric(
        "tl_participation",
        RATE,
        "%",
        HIGH,
        source=talent.fetch_pool,
        value="participation_rate",
        numerator="participants",
        denominator="pool",
    ),
)

BY_KEY: dict[str, Metric] = {m.key: m for m in ALL}
# The 区县对比 matrix's columns, in its order (comparison.METRICS).
COMPARED: tuple[Metric, ...] = tuple(
    BY_KEY[k]
    for k in (
        "key_coverage",
        "coverage",
        "overdue",
        "overdue_rate",
        "festival",
        "branches",
        "secretary_share",
        "execution",
        "aid_per_recipient",
        "hardship_coverage",
        "lives_alone_share",
        "impaired_share",
    )
)
_BY_COLUMN = {c: m for m in ALL for c in m.columns}


def get(key: str) -> Metric:
    """The record of ``key`` (KeyError, naming the key, for an unknown one)."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"no metric {key!r} in dashboard.metrics") from None


def by_name(name: str) -> Metric:
    """The record whose Chinese name (card title) or column header is ``name``."""
    for m in ALL:
        if name in (m.name, m.label):
            return m
    raise KeyError(f"no metric named {name!r} in dashboard.metrics")


def for_column(col: str) -> Metric | None:
    """The metric a table column (a ``labels.COLUMNS`` key) shows, if any: its 口径 is the
    column's note in workbooks."""
    return BY_KEY.get(col) or _BY_COLUMN.get(col)


# ---------------------------------------------------------------------------- the README's list of figures

_BETTER_WORDS = {HIGH: "higher", LOW: "lower", PACE: "closest to 序时进度", NONE: "—"}
_RULE_WORDS = {LAG: "lag ▼ (rules.lags)", PACE_RULE: "pace ▼/▲ (rules.budget_pace)", TARGET: "target 100%"}
_RULE_WORDS.update({GAPS: "gaps (rules.has_gaps)", NONE: "—"})
README_BEGIN = "<!-- metrics:begin (generated: python -m dashboard.metrics) -->"
README_END = "<!-- metrics:end -->"


def markdown_table() -> str:
    """The README's list of figures, generated from the catalogue (``python -m dashboard.metrics``
    prints it; a test checks the README holds exactly this)."""
    rows = [
        "| key | 指标 | unit | better | judgement | query → value (numerator / denominator) |",
        "|---|---|---|---|---|---|",
    ]
    for m in ALL:
        if m.source is None:
            query = m.formula
        else:
            call = ", ".join(f"{k}={v!r}" for k, v in m.args)
            query = f"{m.source.__module__.removeprefix('data_access.')}.{m.source.__name__}({call}) → {m.value}"
            if m.row:
                query += f" [{m.row[0]} = {m.row[1]}]"
            if m.numerator or m.denominator:
                query += f" ({m.numerator or '—'} / {m.denominator or '—'})"
        rows.append(
            f"| `{m.key}` | {m.name} | {m.unit} | {_BETTER_WORDS[m.better]} | {_RULE_WORDS[m.rule]} | {query} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(README_BEGIN)
    print(markdown_table())
    print(README_END)
