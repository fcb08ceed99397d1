"""The URL interface of the global filters: parse, serialise, round trip, bad values."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import url_state
from data_access.errors import FilterError
from data_access.filters import Scope

AS_OF = dt.date(2020, 12, 31)
AREAS = ["city", "620102", "620103", "620122"]


def parse(params):
    return url_state.parse(params, AS_OF, AREAS, 2018)


def test_defaults_make_a_url_with_the_year_only():
    """A shared link keeps its year even when it is the default: next year the same link
    still opens 2020 (issue #18)."""
    state, notices = parse({})
    assert state == url_state.selection(AS_OF, year=2020) and notices == []
    assert url_state.to_params(state, AS_OF) == {"year": ["2020"]}


@pytest.mark.parametrize(
    "state",
    [
        url_state.selection(AS_OF, year=2019, areas=("620102", "city"), categories=("veteran",), level="district"),
        url_state.selection(AS_OF, year=None, start=dt.date(2020, 3, 1), end=dt.date(2020, 6, 30), ranks=("county",)),
        url_state.selection(AS_OF, year=2020, ages=("80_89", "90_plus"), tiers=(1, 4)),
    ],
)
def test_round_trip(state):
    params = url_state.to_params(state, AS_OF)
    back, notices = parse(params)
    assert back == state and notices == []


@pytest.mark.parametrize(
    ("params", "field", "expected"),
    [
        ({"area": ["999999"]}, "areas", None),  # None: all areas (one meaning, issue 23)
        ({"area": ["620102", "bad"]}, "areas", ("620102",)),
        ({"category": ["cadre"]}, "categories", None),
        ({"tier": ["x", "2"]}, "tiers", (2,)),
        ({"level": ["province"]}, "level", None),
        ({"year": ["abc"]}, "year", 2020),
        ({"year": ["1999"]}, "year", 2020),
        ({"start": ["2020-05-01"], "end": ["2020-04-01"]}, "year", 2020),
        ({"start": ["2020-13-01"], "end": ["2020-12-01"]}, "start", None),
        ({"start": ["2020-01-01"]}, "start", None),
    ],
)
def test_bad_values_are_dropped_with_a_notice(params, field, expected):
    state, notices = parse(params)
    assert getattr(state, field) == expected
    assert len(notices) == 1
    assert any(v in notices[0] for vs in params.values() for v in vs)


def test_duplicates_and_empty_values():
    state, notices = parse({"area": ["620102", "620102", ""], "category": [""]})
    assert state.areas == ("620102",) and state.categories is None and notices == []


def test_to_filters_cuts_running_year_and_maps_empty_to_all():
    f = url_state.selection(dt.date(2020, 6, 30), year=2020).filters
    assert (f.period.start, f.period.end) == (dt.date(2020, 1, 1), dt.date(2020, 7, 1))
    assert f.areas is None and f.categories is None
    r = url_state.selection(AS_OF, year=None, start=dt.date(2020, 1, 1), end=dt.date(2020, 1, 31)).filters
    assert r.period.end == dt.date(2020, 2, 1)
    with pytest.raises(FilterError):
        url_state.selection(AS_OF, year=None, start=dt.date(2020, 2, 1), end=dt.date(2020, 1, 1))


def test_summary_and_file_stem_name_every_filter():
    names = {"620102": "城关区", "city": "市直"}
    state = url_state.selection(AS_OF, year=2020, areas=("620102",), categories=("veteran",), level="district")
    assert url_state.summary(state, names) == "2020 年 · 城关区 · 区县属 · 离休干部"
    assert url_state.file_stem("联系覆盖", state, names, AS_OF) == "联系覆盖_城关区_离休_区县属_2020年_截至2020-12-31"
    assert url_state.summary(url_state.selection(AS_OF, year=2019), names) == "2019 年 · 全市"


@pytest.mark.parametrize(
    ("start", "end", "kept"),
    [
        ("2020-01-01", "2021-06-30", (dt.date(2020, 1, 1), AS_OF)),  # ends after the as-of date
        ("2010-01-01", "2018-06-30", (dt.date(2018, 1, 1), dt.date(2018, 6, 30))),  # starts before the data
        ("2020-01-01", "9999-12-31", (dt.date(2020, 1, 1), AS_OF)),  # the last day a date can be
    ],
)
def test_range_partly_outside_the_data_is_cut_with_a_notice(start, end, kept):
    state, notices = parse({"start": [start], "end": [end]})
    assert (state.start, state.end) == kept and state.year is None
    assert len(notices) == 1 and start in notices[0] and end in notices[0]
    assert state.filters.period.last_day == kept[1]  # a valid period


def test_range_wholly_outside_the_data_falls_back_to_the_year():
    for start, end in (("2021-01-01", "2021-06-30"), ("2000-01-01", "2000-12-31")):
        state, notices = parse({"start": [start], "end": [end]})
        assert state == url_state.selection(AS_OF, year=2020) and len(notices) == 1 and start in notices[0]


def test_one_selection_carries_the_drill_and_the_scope():
    """One object from the URL to the SQL (issue 23): the drill level is parsed with the
    filters, "all areas" is None everywhere, and a district account's scope is applied once
    (``within``) so the data layer and every caption read the same areas."""
    state, notices = parse({"year": ["2020"], "drill_area": ["620122"], "drill_category": ["aid"], "drill_unit": [""]})
    assert state.drill == url_state.Drill("620122", None, "aid") and notices == []
    assert state.areas is None and state.filters.areas is None
    assert url_state.to_params(state, AS_OF) == {"year": ["2020"]}  # the drill is the page's to write
    district = Scope.only(["620122"], name="district:620122")
    own = state.within(district)
    assert own.filters.areas == ("620122",) and own.drill == state.drill
    assert url_state.summary(own, {"620122": "皋兰县"}) == "2020 年 · 皋兰县"
    assert state.within(Scope.everything()) is state
    assert own.narrowed("620122") == own.filters
    assert parse({"area": ["620102", "620122"]})[0].within(district).areas == ("620122",)
