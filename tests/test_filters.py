"""Filters, periods and scope: validation and the SQL they compile to, with no database."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite

from data_access import branches, contacts, money, people
from data_access.errors import FilterError
from data_access.filters import Filters, Period, Scope, age_condition

DIALECTS = [sqlite.dialect(), postgresql.dialect(), mysql.dialect()]
Y2020 = Period.year(2020)


def test_year_period_is_half_open_and_cut_at_as_of():
    p = Period.year(2020)
    assert (p.start, p.end, p.last_day) == (dt.date(2020, 1, 1), dt.date(2021, 1, 1), dt.date(2020, 12, 31))
    cut = Period.year(2020, as_of=dt.date(2020, 6, 30))
    assert cut.end == dt.date(2020, 7, 1)
    assert Period.year(2019, as_of=dt.date(2020, 6, 30)).end == dt.date(2020, 1, 1)


def test_inverted_period_is_refused():
    with pytest.raises(FilterError) as err:
        Period.between(dt.date(2020, 5, 1), dt.date(2020, 4, 30))
    assert err.value.reason == "inverted_period"
    with pytest.raises(FilterError):
        Period(dt.date(2020, 1, 1), dt.date(2020, 1, 1))
    assert Period.between(dt.date(2020, 1, 1), dt.date(2020, 1, 1)).end == dt.date(2020, 1, 2)


@pytest.mark.parametrize("field", ["areas", "categories", "ranks", "age_bands", "tiers"])
def test_empty_selection_is_refused(field):
    with pytest.raises(FilterError) as err:
        Filters(Y2020, **{field: ()})
    assert err.value.reason == "empty_selection"
    assert err.value.field == field


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("categories", ("cadre",)),
        ("ranks", ("general",)),
        ("age_bands", ("teen",)),
        ("tiers", (5,)),
        ("level", "province"),
    ],
)
def test_unknown_code_is_refused(field, value):
    with pytest.raises(FilterError) as err:
        Filters(Y2020, **{field: value})
    assert err.value.reason == "unknown_value"


def test_unknown_area_is_named():
    f = Filters(Y2020, areas=("620102", "999999"))
    with pytest.raises(FilterError) as err:
        f.validate_areas(["city", "620102"])
    assert err.value.values == ("999999",)
    assert "999999" in str(err.value)


def test_scope_cuts_areas_and_refuses_outside():
    scope = Scope.only(["620102"])
    assert scope.effective_areas(Filters(Y2020)) == ("620102",)
    assert scope.effective_areas(Filters(Y2020, areas=("620102", "city"))) == ("620102",)
    with pytest.raises(FilterError) as err:
        scope.effective_areas(Filters(Y2020, areas=("city",)))
    assert err.value.reason == "out_of_scope"
    assert Scope.everything().effective_areas(Filters(Y2020, areas=("city",))) == ("city",)
    assert Scope.only(["b", "a"]).key() == ("a", "b")


def test_group_by_outside_whitelist_is_refused():
    with pytest.raises(FilterError):
        people.build_population_summary(Filters(Y2020), Scope.everything(), ["name"])


def _compile(stmt, dialect) -> str:
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": False}))


BUILDERS = [
    lambda f, s: people.build_population_summary(f, s, ["category", "area_code"]),
    lambda f, s: people.build_population_summary(f, s, ["unit_type"]),
    lambda f, s: contacts.build_coverage(f, s, ["area_code"], key_cohort_only=True),
    lambda f, s: branches.build_branch_summary(f, s, ["kind"]),
    lambda f, s: branches.build_branch_list(f, s),
    lambda f, s: money.build_aid_summary(f, s, ["category"]),
    lambda f, s: money.build_budget(f, s, ["budget_category"]),
]


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
@pytest.mark.parametrize("build", BUILDERS)
def test_queries_compile_with_bound_values_on_every_dialect(build, dialect):
    evil = "city'); DROP TABLE people; --"
    f = Filters(Y2020, areas=("620102", evil), categories=("veteran",), age_bands=("80_89",), tiers=(1, 2))
    sql = _compile(build(f, Scope.everything()), dialect)
    assert "DROP TABLE" not in sql  # values are parameters, never text
    assert "GROUP BY" in sql or "group by" in sql.lower() or "count(" in sql.lower()


def test_age_band_becomes_birth_date_bounds():
    on = dt.date(2020, 12, 31)
    cond = age_condition(("80_89",), on)
    params = cond.compile().params
    assert sorted(params.values()) == [dt.date(1930, 12, 31), dt.date(1940, 12, 31)]
    # Born 1940-12-31 is exactly 80 on 2020-12-31; born 1930-12-31 is 90 (excluded).
    leap = age_condition(("90_plus",), dt.date(2020, 2, 29)).compile().params
    assert list(leap.values()) == [dt.date(1930, 2, 28)]


def test_filters_are_hashable_cache_keys():
    a = Filters(Y2020, areas=["620102"], categories=["veteran"])
    b = Filters(Y2020, areas=("620102",), categories=("veteran",))
    assert a == b and hash(a) == hash(b)
    assert isinstance(sa.text("select 1"), sa.TextClause)
