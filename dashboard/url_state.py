"""The global filters as URL parameters: a documented interface (see README).

``year`` | ``start`` + ``end`` (ISO dates, ``end`` inclusive) | ``area`` (repeatable;
GB/T 2260 codes, ``city`` for 市直) | ``level`` (city / district) | ``category`` (veteran /
retiree / survivor) | ``rank`` | ``age`` | ``tier``, and a topic page's drill level
(``drill_area`` | ``drill_unit`` | ``drill_category``): all read into one ``Selection``.
Pure functions, no streamlit: a bad value is dropped with a notice, never an exception.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from dashboard import labels
from data_access import codes
from data_access.filters import Filters, Period, Scope

PARAMS = ("year", "start", "end", "area", "level", "category", "rank", "age", "tier")
DRILL_PARAMS = ("drill_area", "drill_unit", "drill_category")


@dataclass(frozen=True)
class Drill:
    """The drilled level of a topic page (``drill_area``, ``drill_unit``, ``drill_category``)."""

    area: str | None = None
    unit: str | None = None  # a unit id, or a branch id on the branch page
    category: str | None = None  # a budget category, service, group, field or department


@dataclass(frozen=True)
class Selection:
    """What the viewer selected: the one filter object from the URL to the SQL.

    ``filters`` is what the data layer reads (``None`` means "all", for the areas as for
    every other field); ``year`` says the period was chosen as a calendar year (``None``:
    as a range), which the URL, the captions and the file names repeat; ``drill`` is the
    level a topic page drilled to. Built by :func:`selection` (from chosen values),
    :func:`parse` (from the URL), written back by :func:`to_params`; the account's scope is
    applied once, by :meth:`within`. The properties read ``filters``; nothing is held twice.
    """

    filters: Filters
    year: int | None = None
    drill: Drill = Drill()

    @property
    def is_range(self) -> bool:
        return self.year is None

    @property
    def start(self) -> dt.date | None:
        """The first day of a range (None for a year)."""
        return self.filters.period.start if self.is_range else None

    @property
    def end(self) -> dt.date | None:
        """The last day of a range, inclusive as people write it (None for a year)."""
        return self.filters.period.last_day if self.is_range else None

    @property
    def areas(self) -> tuple[str, ...] | None:
        return self.filters.areas

    @property
    def level(self) -> str | None:
        return self.filters.level

    @property
    def categories(self) -> tuple[str, ...] | None:
        return self.filters.categories

    @property
    def ranks(self) -> tuple[str, ...] | None:
        return self.filters.ranks

    @property
    def ages(self) -> tuple[str, ...] | None:
        return self.filters.age_bands

    @property
    def tiers(self) -> tuple[int, ...] | None:
        return self.filters.tiers

    def within(self, scope: Scope) -> Selection:
        """The selection an account may see: "all areas" becomes the scope's own areas (a
        district account's district), chosen areas are cut to them. Applied once, by the
        entry script; the data layer still refuses anything outside the scope."""
        if scope.areas is None:
            return self
        return replace(self, filters=replace(self.filters, areas=scope.effective_areas(self.filters)))

    def with_drill(self, drill: Drill) -> Selection:
        return replace(self, drill=drill)

    def narrowed(self, area: str) -> Filters:
        """The filters of a drilled area."""
        return replace(self.filters, areas=(area,))


def selection(
    as_of: dt.date,
    year: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    areas: Iterable[str] = (),
    level: str | None = None,
    categories: Iterable[str] = (),
    ranks: Iterable[str] = (),
    ages: Iterable[str] = (),
    tiers: Iterable[int] = (),
    drill: Drill = Drill(),
) -> Selection:
    """A selection from chosen values, as a sidebar or a URL gives them (nothing chosen is
    "all"): a range when both ends are given (``end`` inclusive), else the year, cut at the
    as-of date while it is still running. Raises FilterError for an inverted range."""
    ranged = start is not None and end is not None
    period = Period.between(start, end) if ranged else Period.year(year, as_of)
    filters = Filters(
        period=period,
        areas=tuple(areas) or None,
        level=level,
        categories=tuple(categories) or None,
        ranks=tuple(ranks) or None,
        age_bands=tuple(ages) or None,
        tiers=tuple(tiers) or None,
    )
    return Selection(filters, None if ranged else year, drill)


def default_selection(as_of: dt.date) -> Selection:
    return selection(as_of, year=as_of.year)


def parse_drill(params: Mapping[str, Sequence[str]]) -> Drill:
    """The drilled level from URL parameters (checked by the page that drills)."""
    return Drill(*((params.get(p) or [None])[0] or None for p in DRILL_PARAMS))


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
) -> tuple[Selection, list[str]]:
    """The selection from URL parameters (drill parameters included), and the notices for
    every value that was dropped."""
    notices: list[str] = []
    year, s, e = as_of.year, None, None
    get = lambda key: [v for v in params.get(key, []) if v != ""]  # noqa: E731
    start, end = get("start"), get("end")
    if start or end:
        s, e = _range(start, end, as_of, first_year, notices)
    if s is None and get("year"):
        year = _year(get("year")[0], as_of, first_year, notices)
    levels = _pick(get("level")[:1], codes.LEVELS, "level", notices)
    chosen = selection(
        as_of,
        year=year,
        start=s,
        end=e,
        areas=_pick(get("area"), known_areas, "area", notices),
        level=levels[0] if levels else None,
        categories=_pick(get("category"), codes.CATEGORIES, "category", notices),
        ranks=_pick(get("rank"), codes.RANKS, "rank", notices),
        ages=_pick(get("age"), codes.AGE_BANDS, "age", notices),
        tiers=_pick(get("tier"), codes.TIERS, "tier", notices, cast=int),
        drill=parse_drill(params),
    )
    return chosen, notices


def _range(
    start: Sequence[str], end: Sequence[str], as_of: dt.date, first_year: int, notices: list[str]
) -> tuple[dt.date | None, dt.date | None]:
    """The range of ``start`` and ``end`` cut to the data, or (None, None) with a notice."""
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
        return max(s, first_day), min(e, as_of)
    if s and e and s <= e:  # wholly outside the data
        notices.append(
            labels.URL_NOTICE_RANGE_OUTSIDE.format(
                start=s.isoformat(), end=e.isoformat(), first=first_day.isoformat(), last=as_of.isoformat()
            )
        )
    else:
        notices.append(labels.URL_NOTICE_RANGE.format(start=",".join(start) or "—", end=",".join(end) or "—"))
    return None, None


def _year(raw: str, as_of: dt.date, first_year: int, notices: list[str]) -> int:
    """The year of the URL, or the as-of year with a notice."""
    try:
        year = int(raw)
    except ValueError:
        notices.append(labels.URL_NOTICE.format(param="year", value=raw))
        return as_of.year
    if first_year <= year <= as_of.year:
        return year
    notices.append(labels.URL_NOTICE_YEAR.format(value=raw, first=first_year, last=as_of.year))
    return as_of.year


def to_params(state: Selection, as_of: dt.date) -> dict[str, list[str]]:
    """URL parameters for a selection (its drill parameters are the page's to write, see
    dashboard.drill); defaults are left out to keep links short — except the
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
    ):  # (None: all, left out)
        if values:
            out[key] = [str(v) for v in values]
    if state.level:
        out["level"] = [state.level]
    return out


def period_text(state: Selection) -> str:
    if state.is_range:
        return f"{state.start.isoformat()} 至 {state.end.isoformat()}"
    return f"{state.year} 年"


def summary(state: Selection, area_names: Mapping[str, str], where: str | None = None) -> str:
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
    topic: str, state: Selection, area_names: Mapping[str, str], as_of: dt.date, where: str | None = None
) -> str:
    """``联系覆盖_城关区_2020年_截至2020-12-31``: what, where, when, and as of when. ``where``
    is the drilled level shown (``皋兰县-中川镇``), else the areas of the filter."""
    if not where:
        where = "、".join(area_names.get(a, a) for a in state.areas) if state.areas else labels.CITY_WIDE
    when = f"{state.start.isoformat()}至{state.end.isoformat()}" if state.is_range else f"{state.year}年"
    extra = [labels.CATEGORY_SHORT[c] for c in state.categories or ()]
    if state.level:
        extra.append(labels.LEVEL[state.level])
    stem = "_".join([topic, where, *extra, when, f"截至{as_of.isoformat()}"])
    return "".join(ch for ch in stem if ch not in '\\/:*?"<>|')
