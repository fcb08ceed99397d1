"""The global filters as URL parameters: a documented interface (see README).

``year`` | ``start`` + ``end`` (ISO dates, ``end`` inclusive) | ``area`` (repeatable;
GB/T 2260 codes, ``city`` for 市直) | ``level`` (city / district) | ``category`` (veteran /
retiree / survivor) | ``rank`` | ``age`` | ``tier``. Pure functions, no streamlit: a bad
value is dropped with a notice, never an exception.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from dashboard import labels
from data_access import codes
from data_access.filters import Filters, Period

PARAMS = ("year", "start", "end", "area", "level", "category", "rank", "age", "tier")


@dataclass(frozen=True)
class FilterState:
    """What the sidebar shows; empty tuples mean "all"."""

    year: int | None
    start: dt.date | None = None
    end: dt.date | None = None  # inclusive, as people write it
    areas: tuple[str, ...] = ()
    level: str | None = None
    categories: tuple[str, ...] = ()
    ranks: tuple[str, ...] = ()
    ages: tuple[str, ...] = ()
    tiers: tuple[int, ...] = ()

    @property
    def is_range(self) -> bool:
        return self.start is not None and self.end is not None


def default_state(as_of: dt.date) -> FilterState:
    return FilterState(year=as_of.year)


def _pick(values: Sequence[str], allowed: Iterable, param: str, notices: list[str], cast=str) -> tuple:
    allowed_set = set(allowed)
    out: list = []
    for raw in values:
        try:
            value = cast(raw)
        except ValueError:
            value = None
        if value is None or value not in allowed_set:
            notices.append(labels.URL_NOTICE.format(param=param, value=raw))
        elif value not in out:
            out.append(value)
    return tuple(out)


def _iso(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def parse(
    params: Mapping[str, Sequence[str]], as_of: dt.date, known_areas: Iterable[str], first_year: int
) -> tuple[FilterState, list[str]]:
    """Filter state from URL parameters, and the notices for every value that was dropped."""
    notices: list[str] = []
    state = default_state(as_of)
    get = lambda key: [v for v in params.get(key, []) if v != ""]  # noqa: E731
    start, end = get("start"), get("end")
    if start or end:
        s = _iso(start[0]) if len(start) == 1 else None
        e = _iso(end[0]) if len(end) == 1 else None
        first_day = dt.date(first_year, 1, 1)
        if s and e and s <= e and s <= as_of and e >= first_day:
            if s < first_day or e > as_of:  # partly outside the data: cut to it, and say so
                notices.append(
                    labels.URL_NOTICE_RANGE_CLAMPED.format(
                        start=s.isoformat(), end=e.isoformat(), first=first_day.isoformat(), last=as_of.isoformat()
                    )
                )
                s, e = max(s, first_day), min(e, as_of)
            state = replace(state, year=None, start=s, end=e)
        elif s and e and s <= e:  # wholly outside the data
            notices.append(
                labels.URL_NOTICE_RANGE_OUTSIDE.format(
                    start=s.isoformat(), end=e.isoformat(), first=first_day.isoformat(), last=as_of.isoformat()
                )
            )
        else:
            notices.append(labels.URL_NOTICE_RANGE.format(start=",".join(start) or "—", end=",".join(end) or "—"))
    if not state.is_range and get("year"):
        raw = get("year")[0]
        try:
            year = int(raw)
        except ValueError:
            notices.append(labels.URL_NOTICE.format(param="year", value=raw))
        else:
            if first_year <= year <= as_of.year:
                state = replace(state, year=year)
            else:
                notices.append(labels.URL_NOTICE_YEAR.format(value=raw, first=first_year, last=as_of.year))
    levels = _pick(get("level")[:1], codes.LEVELS, "level", notices)
    return (
        replace(
            state,
            areas=_pick(get("area"), known_areas, "area", notices),
            level=levels[0] if levels else None,
            categories=_pick(get("category"), codes.CATEGORIES, "category", notices),
            ranks=_pick(get("rank"), codes.RANKS, "rank", notices),
            ages=_pick(get("age"), codes.AGE_BANDS, "age", notices),
            tiers=_pick(get("tier"), codes.TIERS, "tier", notices, cast=int),
        ),
        notices,
    )


def to_params(state: FilterState, as_of: dt.date) -> dict[str, list[str]]:
    """URL parameters for a state; defaults are left out to keep links short — except the
    period: "this year" changes meaning when next year's data arrives, so a shared link
    always carries its year (or its range)."""
    out: dict[str, list[str]] = {}
    if state.is_range:
        out["start"] = [state.start.isoformat()]
        out["end"] = [state.end.isoformat()]
    elif state.year is not None:
        out["year"] = [str(state.year)]
    for key, values in (
        ("area", state.areas),
        ("category", state.categories),
        ("rank", state.ranks),
        ("age", state.ages),
        ("tier", state.tiers),
    ):
        if values:
            out[key] = [str(v) for v in values]
    if state.level:
        out["level"] = [state.level]
    return out


def to_filters(state: FilterState, as_of: dt.date) -> Filters:
    """The data layer's filters: a year is cut at the as-of date while it is still running."""
    period = Period.between(state.start, state.end) if state.is_range else Period.year(state.year, as_of)
    return Filters(
        period=period,
        areas=state.areas or None,
        level=state.level,
        categories=state.categories or None,
        ranks=state.ranks or None,
        age_bands=state.ages or None,
        tiers=state.tiers or None,
    )


def period_text(state: FilterState) -> str:
    if state.is_range:
        return f"{state.start.isoformat()} 至 {state.end.isoformat()}"
    return f"{state.year} 年"


def summary(state: FilterState, area_names: Mapping[str, str], where: str | None = None) -> str:
    """One line naming every active filter, for the top of each page and for exports;
    ``where`` is the drilled level shown ("全市 › 皋兰县 › 中川镇") in place of the areas."""
    parts = [period_text(state)]
    if where:
        parts.append(where)
    else:
        parts.append("、".join(area_names.get(a, a) for a in state.areas) if state.areas else labels.CITY_WIDE)
    if state.level:
        parts.append(labels.LEVEL[state.level])
    for values, names in (
        (state.categories, labels.CATEGORY),
        (state.ranks, labels.RANK),
        (state.ages, labels.AGE_BAND),
        (state.tiers, labels.TIER),
    ):
        if values:
            parts.append("、".join(names[v] for v in values))
    return " · ".join(parts)


def file_stem(
    topic: str, state: FilterState, area_names: Mapping[str, str], as_of: dt.date, where: str | None = None
) -> str:
    """``联系覆盖_城关区_2020年_截至2020-12-31``: what, where, when, and as of when. ``where``
    is the drilled level shown (``皋兰县-中川镇``), else the areas of the filter."""
    if not where:
        where = "、".join(area_names.get(a, a) for a in state.areas) if state.areas else labels.CITY_WIDE
    when = f"{state.start.isoformat()}至{state.end.isoformat()}" if state.is_range else f"{state.year}年"
    extra = [labels.CATEGORY_SHORT[c] for c in state.categories]
    if state.level:
        extra.append(labels.LEVEL[state.level])
    stem = "_".join([topic, where, *extra, when, f"截至{as_of.isoformat()}"])
    return "".join(ch for ch in stem if ch not in '\\/:*?"<>|')
