"""What the entry script knows when a page runs: filters, scope, as-of date, areas."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from dashboard.url_state import Selection
from data_access.filters import Filters, Scope

_KEY = "_page_context"


@dataclass(frozen=True)
class PageContext:
    selection: Selection  # the filters (scope applied) and the drill level, from the URL or the sidebar
    scope: Scope
    as_of: dt.date
    first_year: int
    areas: pd.DataFrame = field(repr=False)
    is_demo: bool = False
    user: object = None  # dashboard.auth.User
    notices: tuple[str, ...] = ()  # the URL values dropped, each with why (url_state.parse)

    @property
    def filters(self) -> Filters:
        """What the data layer reads (the selection's filters, before any drill)."""
        return self.selection.filters

    @property
    def can_unmask(self) -> bool:
        return bool(getattr(self.user, "can_unmask", False))

    @property
    def sees_people(self) -> bool:
        """Whether lists of people (masked) may be shown: not to an account without them, nor
        on the meeting screen — the same callers whose small cells are hidden."""
        return not self.scope.hide_small_cells

    @property
    def sees_city_wide(self) -> bool:
        return getattr(self.user, "sees_city_wide", True)

    def cache_key(self) -> tuple:
        """Everything a figure derived from this context depends on: the filters, the
        caller's scope, the as-of date, the first year and the areas in the list."""
        return (self.filters, self.scope.key(), self.as_of, self.first_year, self._area_codes)

    @functools.cached_property
    def _area_codes(self) -> tuple[str, ...]:
        """The areas in the list (read once per run: every derived figure's key holds them)."""
        return tuple(self.areas["code"])

    @functools.cached_property
    def area_names(self) -> dict[str, str]:
        """Area code -> name (built once per run: tables, titles and file names ask often)."""
        return dict(zip(self.areas["code"], self.areas["name"]))

    def in_area_order(self, df: pd.DataFrame) -> pd.DataFrame:
        """A frame with one row per ``area_code``, its rows in the area list's order (市直, then
        the districts and counties as the reference table orders them)."""
        present = set(df["area_code"])
        order = [a for a in self.area_names if a in present]
        return df.set_index("area_code").reindex(order).reset_index()


def set_context(ctx: PageContext) -> None:
    st.session_state[_KEY] = ctx


def current() -> PageContext | None:
    """The context of this run, or None outside the app's pages (no rerun, unlike get_context)."""
    return st.session_state.get(_KEY)


def get_context() -> PageContext:
    """The context the entry script set in this run.

    Streamlit starts a process in its legacy "pages folder" mode when a ``pages/`` folder
    exists, until the first ``st.navigation`` call; a process whose very first request is a
    page's own URL would run that page without the entry script. Leave that mode for good
    and rerun, so the entry script (filters, checks) always runs first.
    """
    if _KEY not in st.session_state:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state[_KEY]
