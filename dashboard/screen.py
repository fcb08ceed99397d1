"""会议大屏: the meeting-room display.

The server builds a payload of aggregate figures only (no person-level data ever reaches
this page) and renders one HTML block; a small script in the page rotates the panels,
counts down, pauses on the space bar and keeps its place when the figures refresh (the
script's state lives on ``window``, so a refresh swaps the numbers without a blank frame).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from dashboard import charts, data, labels, metrics, status, url_state
from dashboard import comparison as cmp
from dashboard.context import PageContext
from data_access import branches, contacts, money, people, rules
from data_access.errors import DataAccessError
from data_access.filters import Filters
from data_access.money import period_time_progress
from data_access.privacy import is_hidden

PANELS = tuple(labels.SCREEN_PANELS)
THEMES = {
    # WCAG AA: text on background and panel ≥ 4.5:1 ("bad", the ▼ notes and values: 9.5:1
    # dark, 5.4:1 light; the other text well above 7:1).
    "dark": {
        "bg": "#0b1220",
        "panel": "#131d2e",
        "text": "#f2f5fa",
        "muted": "#b8c4d6",
        "accent": "#6ea8fe",
        "good": "#56b4e9",
        "bad": "#ffb347",
        "line": "#3ddc97",
        "bar_bg": "#24324a",
    },
    "light": {
        "bg": "#ffffff",
        "panel": "#f3f5f9",
        "text": "#111827",
        "muted": "#374151",
        "accent": "#1f4e8c",
        "good": "#0072b2",
        "bad": "#a04e05",  # 5.4:1 on the panel (#b35806 read 4.46:1)
        "line": "#007a5e",
        "bar_bg": "#dde3ec",
    },
}


@dataclass(frozen=True)
class ScreenParams:
    panels: tuple[str, ...] = PANELS
    dwell: int = 20  # seconds per panel
    refresh: int = 300  # seconds between data refreshes
    theme: str = "dark"
    carousel: bool = False  # step through the areas, one per round
    stale_days: int = 3  # warn when the as-of date is older than this
    notices: tuple[str, ...] = field(default=(), compare=False)


def _int(raw: str | None, lo: int, hi: int) -> int | None:
    try:
        value = int(raw) if raw is not None else None
    except ValueError:
        return None
    return value if value is not None and lo <= value <= hi else None


def parse_params(query: Mapping[str, list[str]]) -> ScreenParams:
    """Screen parameters from the URL; a bad value falls back to its default with a notice."""
    p = ScreenParams()
    notices: list[str] = []

    def bad(param: str, value: str) -> None:
        notices.append(labels.SCREEN_BAD_PARAM.format(param=param, value=value))

    panels = [x for raw in query.get("panels", []) for x in raw.split(",") if x]
    if panels:
        chosen = tuple(x for x in panels if x in PANELS)
        for x in panels:
            if x not in PANELS:
                bad("panels", x)
        if chosen:
            p = replace(p, panels=chosen)
    for name, lo, hi in (("dwell", 3, 600), ("refresh", 2, 3600), ("stale_days", 0, 3650)):
        raw = (query.get(name) or [None])[0]
        if raw is None:
            continue
        value = _int(raw, lo, hi)
        if value is None:
            bad(name, raw)
        else:
            p = replace(p, **{name: value})
    theme = (query.get("theme") or [None])[0]
    if theme is not None:
        if theme in THEMES:
            p = replace(p, theme=theme)
        else:
            bad("theme", theme)
    carousel = (query.get("carousel") or [None])[0]
    if carousel is not None:
        if carousel in ("0", "1", "true", "false"):
            p = replace(p, carousel=carousel in ("1", "true"))
        else:
            bad("carousel", carousel)
    return replace(p, notices=tuple(notices))


# ---------------------------------------------------------------------------- payload (aggregates only)


def _pct(x: float) -> float | str | None:
    """A rate in percent for the screen; a hidden cell stays the text it is ("（已隐藏）")."""
    if is_hidden(x):
        return x
    return None if x is None or x != x else round(float(x) * 100, 1)


def _count(n) -> int | str:
    return n if is_hidden(n) else int(n)


def _wan(x) -> float | str:
    return x if is_hidden(x) else round(float(x) / 10_000, 2)


def _pct_text(x: float) -> str:
    v = _pct(x)
    return "—" if v is None else f"{v:.1f}%"


def _where(ctx: PageContext, f: Filters) -> str:
    """What the dashed line's value covers: 全市 only when no area restricts the round (an
    area's round, an area filter or a district account name their areas; issue 26)."""
    try:
        areas = ctx.scope.effective_areas(f)
    except DataAccessError:  # areas outside the scope: the query refuses them too
        areas = f.areas
    return "、".join(ctx.area_names.get(a, a) for a in areas) if areas else labels.CITY_WIDE


def scope_payload(ctx: PageContext, f: Filters, panels: tuple[str, ...]) -> dict:
    """The figures of every chosen panel for one scope (the city or one area)."""
    s = ctx.scope
    out: dict = {}
    if "overview" in panels:
        pop = data.query(people.fetch_population_summary, f, s, by=("category",)).set_index("category")["people"]
        key = data.query(contacts.fetch_coverage, f, s, key_cohort_only=True).iloc[0]
        cov = data.query(contacts.fetch_coverage, f, s).iloc[0]
        out["overview"] = {
            "veterans": int(pop.get("veteran", 0)),
            "retirees": int(pop.get("retiree", 0)),
            "survivors": int(pop.get("survivor", 0)),
            "key_coverage": _pct(key["coverage"]),
            "key_reached": int(key["reached"]),
            "key_short": int(key["unreached"]),
            "key_population": int(key["population"]),
            "coverage": _pct(cov["coverage"]),
            "reached": int(cov["reached"]),
            "overdue": int(data.query(contacts.fetch_overdue_count, f, s, as_of=ctx.as_of)["overdue"].sum()),
        }
    if "coverage" in panels:
        by = data.query(contacts.fetch_coverage, f, s, by=("area_code",))
        city = data.query(contacts.fetch_coverage, f, s).iloc[0]
        city_rate = float(city["coverage"])
        coverage = metrics.get("coverage")  # judged as the 联系覆盖 page and the 区县对比 charts judge it
        order = [a for a in ctx.area_names if a in set(by["area_code"])]
        by = by.set_index("area_code").reindex(order)
        out["coverage"] = {
            "rows": [
                {
                    "name": ctx.area_names[a],
                    "value": _pct(r.coverage),
                    "short": coverage.judge(r.coverage, city_rate).flagged,
                }
                for a, r in by.iterrows()
            ],
            "city": _pct(city["coverage"]),
            "legend": labels.SCREEN_COVERAGE_LEGEND,
            "city_legend": labels.SCREEN_CITY_LINE.format(where=_where(ctx, f), city=_pct_text(city["coverage"])),
        }
    if "branches" in panels:
        b = data.query(branches.fetch_branch_summary, f, s).iloc[0]
        life = data.org_life_overall(f, s, ctx.as_of)
        gaps = len(
            status.branches_with_gaps(
                data.org_life_by_branch(data.query(branches.fetch_org_life, f, s, as_of=ctx.as_of))
            )
        )
        out["branches"] = {
            "branches": int(b["branches"]),
            "members": int(b["members"]),
            "secretary_share": _pct(b["retiree_secretary_share"]),
            "secretaries": int(b["retiree_secretaries"]),
            "org_life": _pct(life["completion"]),
            "org_life_done": int(life["months_complete"]),
            "gaps": gaps,
        }
    if "budget" in panels:
        ex = data.query(money.fetch_budget_execution, f, s, by=("budget_category",))
        ex = ex[ex["budget"] > 0]
        progress = period_time_progress(f.period.start, f.period.end, ctx.as_of)
        overall = data.execution_overall(f, s)
        execution = metrics.get("execution")  # the 执行状态 of the 帮扶与经费 page: ▼ 偏慢, ▲ 超支
        states = [execution.judge(r, progress).state for r in ex["execution_rate"]]
        out["budget"] = {
            "rows": [
                {
                    "name": labels.BUDGET_CATEGORY.get(c, c),
                    "value": _pct(r),
                    "short": state == rules.BEHIND,
                    "over": state == rules.OVER,
                }
                for c, r, state in zip(ex["budget_category"], ex["execution_rate"], states)
            ],
            "progress": _pct(progress),
            "legend": labels.SCREEN_BUDGET_LEGEND.format(
                progress=_pct_text(progress),
                execution=_pct_text(overall["execution_rate"]),
                actual=f"{overall['actual'] / 10_000:,.2f}",
                status=status.pace_status(overall["execution_rate"], progress),
            ),
        }
    if "aid" in panels:
        total = data.query(money.fetch_aid_summary, f, s).iloc[0]
        by = data.query(money.fetch_aid_summary, f, s, by=("category",)).set_index("category")
        out["aid"] = {
            "recipients": _count(total["recipients"]),
            "amount_wan": _wan(total["cash_amount"]),
            "goods_wan": _wan(total["goods_amount"]),
            "by_category": [
                {"name": labels.CATEGORY[c], "value": _count(by["recipients"].get(c, 0))}
                for c in ("veteran", "retiree", "survivor")
            ],
        }
    return out


def ranking_payload(ctx: PageContext, f: Filters) -> dict:
    """Areas ordered by the comparison's composite (the mean of their ranks over the
    directional rates every area has; ties by name), with four of those rates shown."""
    table = cmp.comparison(ctx, f)
    ranks = cmp.ranks(table, cmp.progress(ctx, f))
    mean, used = cmp.composite(table, ranks)
    place = mean.round(6).rank(method="min")
    # Rates, as the composite ranks them (the overdue count grows with an area's size).
    keys = ("coverage", "overdue_rate", "festival", "execution")
    rows = []
    for a in [x for x in table.index if x != cmp.CITY_ROW]:
        rows.append(
            {
                "name": ctx.area_names.get(a, a),
                "place": None if pd.isna(place.get(a)) else int(place[a]),
                "score": None if pd.isna(mean.get(a)) else f"{mean[a]:.1f}",
                "cells": [cmp.format_value(cmp.BY_KEY[k], table.loc[a, k]) for k in keys],
                "ranks": [None if pd.isna(ranks.loc[a, k]) else int(ranks.loc[a, k]) for k in keys],
            }
        )
    rows.sort(key=lambda r: (r["place"] or 99, r["name"]))
    return {
        "headers": [labels.SCREEN_RANK_PLACE, labels.SCREEN_RANK_SCORE, *[cmp.BY_KEY[k].label for k in keys]],
        "rows": rows,
        "how": labels.SCREEN_RANK_HOW.format(n=len(used), metrics="、".join(m.label for m in used)),
    }


def build_payload(ctx: PageContext, params: ScreenParams, today: dt.date, notices: tuple[str, ...] = ()) -> dict:
    """Everything the screen shows: aggregates, captions, warnings. No names, no rows of people.
    ``notices`` (URL values dropped or cut) are shown with the warnings, as plain text."""
    f = ctx.filters
    scopes = [
        {
            "key": "all",
            "name": url_state.summary(ctx.selection, ctx.area_names),
            "panels": scope_payload(ctx, f, params.panels),
        }
    ]
    if params.carousel:
        for code, name in ctx.area_names.items():
            if ctx.filters.areas and code not in ctx.filters.areas:
                continue
            fa = replace(f, areas=(code,))
            scopes.append(
                {
                    "key": code,
                    "name": f"{url_state.period_text(ctx.selection)} · {name}",
                    "panels": scope_payload(ctx, fa, tuple(p for p in params.panels if p != "coverage")),
                }
            )
    stale_days = (today - ctx.as_of).days
    return {
        "panels": [p for p in params.panels],
        "titles": labels.SCREEN_PANELS,
        "scopes": scopes,
        "ranking": ranking_payload(ctx, f) if "ranking" in params.panels else None,
        "as_of": ctx.as_of.isoformat(),
        # The demo ledger is a fixed snapshot: said once, plainly, not as a warning that the
        # data is thousands of days old.
        "stale": labels.SCREEN_STALE.format(days=stale_days, as_of=ctx.as_of.isoformat())
        if stale_days > params.stale_days and not ctx.is_demo
        else None,
        "demo": labels.SCREEN_DEMO if ctx.is_demo else None,
        "snapshot": labels.SCREEN_DEMO_SNAPSHOT if ctx.is_demo else None,
        "notices": [*notices, *params.notices],
        "dwell": params.dwell,
        "refresh": params.refresh,
        "carousel": params.carousel,
        "text": {
            "next": labels.SCREEN_NEXT,
            "paused": labels.SCREEN_PAUSED,
            "as_of": labels.AS_OF,
            "org": labels.ORG_NAME,
            "title": labels.SCREEN_TITLE,
            **labels.SCREEN_TEXT,
        },
    }


# ---------------------------------------------------------------------------- rendering

CHROME_CSS = """
<style>
[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stMainMenu"], [data-testid="stSidebarNav"], header, footer { display: none !important; }
html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {
  overflow: hidden !important; }
[data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
</style>
"""


# A flagged bar in the desk charts' colours (charts.STATUS, as charts.lag_bars draws them):
# over-spent (▲ 超支) orange — it was the screen's blue of a bar on pace —, lagging or behind
# time progress (▼) vermilion — it was the screen's own orange ("bad"), which beside the
# desk's over-spent orange read as the same state. The ▼ figures keep "bad" (text contrast).
FILLS = {"short": charts.STATUS["short"], "over": charts.STATUS["over"]}


def render(payload: dict, theme: str, offline: str | None = None) -> str:
    """The screen as one HTML block: styles, the data, and the rotation script."""
    c = THEMES[theme]
    # "beat" changes on every run, so every scheduled refresh reaches the page (and the
    # script knows its server is alive; see screen.js).
    beat = int(time.time() * 1000)
    body = json.dumps({**payload, "offline": offline, "beat": beat}, ensure_ascii=False)
    # The payload is a JSON literal inside a <script>: no "<" may appear as such (it could
    # close the tag, and Streamlit drops scripts holding one); \u003c reads the same.
    body = body.replace("<", "\\u003c")
    return f"""
<style>
#meeting-screen {{ position: fixed; inset: 0; z-index: 999990; background: {c["bg"]}; color: {c["text"]};
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
  display: flex; flex-direction: column; padding: 2.4vh 3vw; box-sizing: border-box; overflow: hidden; }}
#meeting-screen .top {{ display: flex; justify-content: space-between; align-items: baseline;
  font-size: max(28px, 2.6vh); color: {c["muted"]}; }}
#meeting-screen .clock {{ color: {c["text"]}; font-weight: 700; font-variant-numeric: tabular-nums; }}
#meeting-screen .title {{ font-size: max(44px, 4.6vh); font-weight: 700; color: {c["text"]}; margin: 1.2vh 0 2vh; }}
#meeting-screen .stage {{ flex: 1; display: flex; flex-direction: column; justify-content: safe center; min-height: 0;
  overflow: hidden; }}
#meeting-screen .kpis {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(20vw, 1fr)); gap: 2.4vh 2vw; }}
#meeting-screen .kpi {{ background: {c["panel"]}; border-radius: 1.2vh; padding: 2.4vh 2vw; }}
#meeting-screen .kpi-label {{ font-size: max(30px, 2.8vh); color: {c["muted"]}; }}
#meeting-screen .kpi-value {{ font-size: max(96px, 8.9vh); font-weight: 700; line-height: 1.15; color: {c["text"]}; }}
#meeting-screen .kpi-note {{ font-size: max(28px, 2.6vh); color: {c["muted"]}; }}
#meeting-screen .bad {{ color: {c["bad"]}; }}
#meeting-screen .rows {{ display: flex; flex-direction: column; gap: 1.3vh; }}
#meeting-screen .row {{ display: grid; grid-template-columns: 14vw 1fr 12vw; align-items: center; gap: 1.5vw;
  font-size: max(30px, 3vh); }}
#meeting-screen .bar {{ position: relative; height: 3.6vh; background: {c["bar_bg"]}; border-radius: 0.6vh; }}
#meeting-screen .fill {{ position: absolute; inset: 0 auto 0 0; background: {c["good"]}; border-radius: 0.6vh; }}
#meeting-screen .fill.short {{ background: {FILLS["short"]}; }}
#meeting-screen .fill.over {{ background: {FILLS["over"]}; }}
#meeting-screen .mark {{ position: absolute; top: -0.8vh; bottom: -0.8vh; width: 0.35vw; background: {c["line"]}; }}
#meeting-screen .mark.city {{ width: 0; background: none; border-left: 0.3vw dashed {c["text"]}; }}
#meeting-screen .swatch {{ color: {c["line"]}; }}
#meeting-screen .swatch.city {{ color: {c["text"]}; font-weight: 700; }}
#meeting-screen .value {{ text-align: right; font-weight: 700; }}
/* A bar axis that does not start at zero says so on every bar: a break mark near its start. */
#meeting-screen .cut {{ position: absolute; left: 1.2vw; top: 50%; transform: translateY(-50%); line-height: 1;
  font-size: 3.6vh; font-weight: 700; color: {c["bg"]}; }}
#meeting-screen table {{ width: 100%; border-collapse: collapse; font-size: max(30px, 3vh); }}
#meeting-screen th {{ color: {c["muted"]}; font-weight: 400; text-align: right; padding: 0.8vh 1vw; }}
#meeting-screen th:first-child, #meeting-screen td:first-child {{ text-align: left; }}
#meeting-screen td {{ text-align: right; padding: 0.9vh 1vw; border-top: 1px solid {c["bar_bg"]}; }}
#meeting-screen .legend {{ font-size: max(28px, 2.6vh); color: {c["muted"]}; margin-top: 1.5vh; }}
/* Ten areas and the composite's explanation below them fit 1080 px: tighter rows. */
#meeting-screen table.ranking td, #meeting-screen table.ranking th {{ padding: 0.3vh 1vw; }}
#meeting-screen .bottom {{ display: flex; justify-content: space-between; align-items: center; gap: 2vw;
  font-size: max(28px, 2.6vh); color: {c["muted"]}; margin-top: 1.5vh; }}
#meeting-screen .warn {{ color: {c["bad"]}; font-weight: 700; }}
#meeting-screen .banner {{ font-size: max(30px, 2.8vh); margin-top: 1vh; }}
#meeting-screen .bottom span {{ white-space: nowrap; }}
#meeting-screen .progress {{ height: 0.8vh; background: {c["bar_bg"]}; border-radius: 0.4vh; margin-top: 1vh; }}
#meeting-screen .progress > div {{ height: 100%; background: {c["accent"]}; border-radius: 0.4vh; }}
#meeting-screen .notice {{ font-size: max(24px, 2.2vh); color: {c["bad"]}; }}
/* Below 1080p the 1080p minimum sizes no longer fit: scale everything with the height
   (the same sizes at 1080 px, smaller on a 768 px projector), nothing overlaps. */
@media (max-height: 1079px) {{
  #meeting-screen .top, #meeting-screen .kpi-note, #meeting-screen .legend,
  #meeting-screen .bottom {{ font-size: 2.6vh; }}
  #meeting-screen .title {{ font-size: 4.1vh; margin: 0.8vh 0 1.4vh; }}
  #meeting-screen .kpi-label, #meeting-screen .banner {{ font-size: 2.8vh; }}
  #meeting-screen .kpi-value {{ font-size: 8.9vh; }}
  #meeting-screen .kpi {{ padding: 1.8vh 1.6vw; }}
  #meeting-screen .row, #meeting-screen table {{ font-size: 2.8vh; }}
  #meeting-screen .notice {{ font-size: 2.2vh; }}
  #meeting-screen td, #meeting-screen th {{ padding: 0.5vh 1vw; }}
  #meeting-screen table {{ font-size: 2.6vh; }}
  #meeting-screen .legend {{ margin-top: 1vh; }}
  #meeting-screen .rows {{ gap: 1vh; }}
}}
</style>
<div id="meeting-screen" data-theme="{html.escape(theme)}"></div>
<script>window.__meetingScreenData = {body};
{SCREEN_JS}</script>
"""


# Streamlit drops an inline script whose text holds "<" before a letter or "/" (even inside
# a string), so those are written \u003c: the same character inside a JavaScript string.
# (The script's comparisons are written with a space after "<".)
SCREEN_JS = re.sub(
    r"<(?=[A-Za-z/!])", r"\\u003c", (Path(__file__).parent / "assets" / "screen.js").read_text(encoding="utf-8")
)
