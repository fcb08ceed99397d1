"""The filters value object and the access scope, and the SQL conditions they imply.

A ``Filters`` value crosses the boundary from the dashboard; it never carries SQL. Every
query turns it into bound conditions here, so one definition of "who is in scope for a
period" serves every page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import sqlalchemy as sa

from data_access import codes, schema
from data_access.errors import FilterError


@dataclass(frozen=True)
class Period:
    """A half-open date range ``start <= d < end``."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise FilterError(
                f"the period is empty or inverted: {self.start} .. {self.end}",
                "period",
                "inverted_period",
                (self.start.isoformat(), self.end.isoformat()),
            )

    @classmethod
    def year(cls, year: int, as_of: dt.date | None = None) -> Period:
        """The calendar year, cut at the day after ``as_of`` when the year is still running."""
        start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        if as_of is not None and start <= as_of < end:
            end = as_of + dt.timedelta(days=1)
        return cls(start, end)

    @classmethod
    def between(cls, first_day: dt.date, last_day: dt.date) -> Period:
        """From ``first_day`` to ``last_day`` inclusive (how people write ranges)."""
        if last_day < first_day:
            raise FilterError(
                f"the period ends before it starts: {first_day} .. {last_day}",
                "period",
                "inverted_period",
                (first_day.isoformat(), last_day.isoformat()),
            )
        return cls(first_day, last_day + dt.timedelta(days=1))

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def previous_year(self) -> Period:
        """The same span one year earlier (for year-on-year deltas)."""
        return Period(_minus_years(self.start, 1), _minus_years(self.end, 1))

    def month_ends(self) -> tuple[dt.date, ...]:
        """The (exclusive) end of each calendar month the period touches, cut at the period's
        end: ``[start, e)`` for each ``e`` is the period up to that month's end, the last being
        the whole period (a month's figures, cumulative or at its end, end there)."""
        out = []
        y, m = self.start.year, self.start.month
        while True:
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            out.append(min(nxt, self.end))
            if nxt >= self.end:
                return tuple(out)
            y, m = nxt.year, nxt.month

    def up_to_month_ends(self) -> tuple[Period, ...]:
        """``[start, e)`` for each of :meth:`month_ends`: the period as it stood at each month's end."""
        return tuple(Period(self.start, e) for e in self.month_ends())


def _minus_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _as_tuple(values: Iterable | None) -> tuple | None:
    return None if values is None else tuple(values)


@dataclass(frozen=True)
class Filters:
    """What the user asked for. ``None`` means "no restriction"; an empty tuple is an error."""

    period: Period
    areas: tuple[str, ...] | None = None
    level: str | None = None  # city / district
    categories: tuple[str, ...] | None = None
    ranks: tuple[str, ...] | None = None
    age_bands: tuple[str, ...] | None = None
    tiers: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        for name in ("areas", "categories", "ranks", "age_bands", "tiers"):
            object.__setattr__(self, name, _as_tuple(getattr(self, name)))
        self._check("categories", self.categories, codes.CATEGORIES)
        self._check("ranks", self.ranks, codes.RANKS)
        self._check("age_bands", self.age_bands, tuple(codes.AGE_BANDS))
        self._check("tiers", self.tiers, codes.TIERS)
        if self.level is not None and self.level not in codes.LEVELS:
            raise FilterError(f"unknown level: {self.level!r}", "level", "unknown_value", (self.level,))
        if self.areas is not None and not self.areas:
            raise FilterError("no area selected", "areas", "empty_selection")

    @staticmethod
    def _check(name: str, values: tuple | None, allowed: tuple) -> None:
        if values is None:
            return
        if not values:
            raise FilterError(f"nothing selected for {name}", name, "empty_selection")
        unknown = tuple(v for v in values if v not in allowed)
        if unknown:
            raise FilterError(f"unknown {name}: {', '.join(map(str, unknown))}", name, "unknown_value", unknown)

    def with_period(self, period: Period) -> Filters:
        return replace(self, period=period)

    def validate_areas(self, known: Iterable[str]) -> None:
        """Raise if an area code is not in the ``areas`` table (the caller passes its codes)."""
        if self.areas is None:
            return
        known_set = set(known)
        unknown = tuple(a for a in self.areas if a not in known_set)
        if unknown:
            raise FilterError(f"unknown area: {', '.join(unknown)}", "areas", "unknown_value", unknown)


@dataclass(frozen=True)
class Scope:
    """What a caller may see, applied to every query: the areas (``None`` means every area)
    and whether small cells are hidden from them (``hide_small_cells``: the meeting screen
    and accounts without access to lists of people — see :mod:`data_access.privacy`)."""

    areas: frozenset[str] | None = None
    name: str = field(default="all", compare=False)
    hide_small_cells: bool = False

    @classmethod
    def everything(cls) -> Scope:
        return cls(None, "all")

    @classmethod
    def only(cls, areas: Iterable[str], name: str = "restricted") -> Scope:
        return cls(frozenset(areas), name)

    def key(self) -> tuple[str, ...]:
        """A hashable, order-independent cache key."""
        areas = ("*",) if self.areas is None else tuple(sorted(self.areas))
        return (*areas, "<5") if self.hide_small_cells else areas

    def hiding_small_cells(self) -> Scope:
        """The same areas, with small cells hidden (the meeting screen's scope)."""
        return replace(self, hide_small_cells=True)

    def effective_areas(self, filters: Filters) -> tuple[str, ...] | None:
        """The areas a query may touch: the filter's areas cut to the scope."""
        if self.areas is None:
            return filters.areas
        if filters.areas is None:
            return tuple(sorted(self.areas))
        allowed = tuple(a for a in filters.areas if a in self.areas)
        if not allowed:
            raise FilterError(
                "the selected areas are outside the caller's scope",
                "areas",
                "out_of_scope",
                filters.areas,
            )
        return allowed


# ---------------------------------------------------------------------------- conditions

P = schema.people


def in_population(at_end: dt.date, people: sa.Table = P) -> sa.ColumnElement[bool]:
    """In the ledger and alive at the end of a half-open period (``at_end`` exclusive)."""
    return sa.and_(
        people.c.entry_date < at_end,
        sa.or_(people.c.death_date.is_(None), people.c.death_date >= at_end),
    )


def area_condition(column: sa.ColumnElement, filters: Filters, scope: Scope) -> list[sa.ColumnElement[bool]]:
    """Conditions on an area-code column: chosen areas, managing level, and the scope."""
    out: list[sa.ColumnElement[bool]] = []
    areas = scope.effective_areas(filters)
    if areas is not None:
        out.append(column.in_(areas))
    if filters.level == "city":
        out.append(column == codes.CITY)
    elif filters.level == "district":
        out.append(column != codes.CITY)
    return out


def age_condition(bands: tuple[str, ...], on: dt.date, people: sa.Table = P) -> sa.ColumnElement[bool]:
    """Age in any of ``bands`` on day ``on``, as bound birth-date bounds (index friendly)."""
    parts = []
    for band in bands:
        lo, hi = codes.AGE_BANDS[band]
        conds = [people.c.birth_date <= _minus_years(on, lo)]
        if hi is not None:
            conds.append(people.c.birth_date > _minus_years(on, hi))
        parts.append(sa.and_(*conds))
    return sa.or_(*parts)


def person_conditions(filters: Filters, scope: Scope, people: sa.Table = P) -> list[sa.ColumnElement[bool]]:
    """Every filter that selects people, except the period (see :func:`in_population`): the
    person's own (managing) area and their traits."""
    return [*area_condition(people.c.area_code, filters, scope), *trait_conditions(filters, people)]


def trait_conditions(filters: Filters, people: sa.Table = P) -> list[sa.ColumnElement[bool]]:
    """The filters on a person's traits (category, rank, tier, age band), without any area:
    for figures attributed to another area than the person's own — a branch's members
    belong to the branch's area, a payment to the area that paid it (docs/data-dictionary.md,
    "Which area a figure belongs to")."""
    out: list[sa.ColumnElement[bool]] = []
    if filters.categories is not None:
        out.append(people.c.category.in_(filters.categories))
    if filters.ranks is not None:
        out.append(people.c.rank.in_(filters.ranks))
    if filters.tiers is not None:
        out.append(people.c.service_tier.in_(filters.tiers))
    if filters.age_bands is not None:
        out.append(age_condition(filters.age_bands, filters.period.last_day, people))
    return out


def population(filters: Filters, scope: Scope, people: sa.Table = P) -> list[sa.ColumnElement[bool]]:
    """People in scope and alive in the ledger at the period's end."""
    return [in_population(filters.period.end, people), *person_conditions(filters, scope, people)]


def without_age(filters: Filters) -> Filters:
    """The filters without their age bands: for month-by-month figures, which test the age
    on each month's last day (:func:`population_at`) instead of the period's."""
    return replace(filters, age_bands=None)


def population_at(filters: Filters, end: dt.date, people: sa.Table = P) -> sa.ColumnElement[bool]:
    """In the population of the period cut at ``end`` (exclusive): alive and in the ledger
    then and, with age bands, of that age on ``end``'s previous day — what :func:`population`
    adds to the filters that do not move with the period (``without_age``)."""
    conds = [in_population(end, people)]
    if filters.age_bands is not None:
        conds.append(age_condition(filters.age_bands, end - dt.timedelta(days=1), people))
    return sa.and_(*conds)


def key_cohort(people: sa.Table = P) -> sa.ColumnElement[bool]:
    """重点对象: city-managed veterans and retirees who held a deputy-prefecture post or higher."""
    return sa.or_(
        sa.and_(people.c.category == "veteran", people.c.area_code == codes.CITY),
        sa.and_(
            people.c.category == "retiree",
            people.c.rank.in_(codes.PREFECTURE_RANKS),
            people.c.actual_post.is_(True),
        ),
    )


def completed_age(on: dt.date, people: sa.Table = P) -> sa.ColumnElement[int]:
    """Age in completed years on day ``on``, portable (EXTRACT only, values bound)."""
    birth_year = sa.extract("year", people.c.birth_date)
    birth_month = sa.extract("month", people.c.birth_date)
    birth_day = sa.extract("day", people.c.birth_date)
    not_yet = sa.case(
        (birth_month > on.month, 1),
        (sa.and_(birth_month == on.month, birth_day > on.day), 1),
        else_=0,
    )
    return sa.literal(on.year) - birth_year - not_yet
