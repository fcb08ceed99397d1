"""Drill-down state: in the URL (so a pasted link opens the same level), with breadcrumbs.

A page names its levels; ``drill_area`` and ``drill_unit`` hold the chosen area and unit
(or branch). Charts that drill carry a nonce in their key, so going back never replays an
old selection.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING

import streamlit as st

from dashboard import labels, theme, url_state
from dashboard.url_state import DRILL_PARAMS as PARAMS
from dashboard.url_state import Drill
from data_access.errors import DataAccessError

if TYPE_CHECKING:
    from dashboard.context import PageContext
    from data_access.filters import Filters

_NONCE = "_drill_nonce"
_CAPTION = "_header_caption"  # the page header's caption writer (set by every page header)
_WHERE = "_drill_where"  # the level shown, for file names (reset by every page header)


Resolved = tuple[Drill, "Filters", list[str]]  # the level shown, the filters narrowed to it, notices


def _area_notice(ctx: PageContext, area: str) -> list[str]:
    """A notice if the drilled area is outside the filters (or the account's areas)."""
    allowed = ctx.filters.areas or tuple(ctx.area_names)
    return [] if area in allowed else [labels.DRILL_NOTICE_AREA.format(value=area)]


def resolve_unit(ctx: PageContext, unit_notice: str) -> Resolved:
    """Area, then unit (a unit, or a branch id on the branch page): the level from the URL,
    checked against the filters; the filters narrowed to its area. A unit without an area
    goes back to the top with ``unit_notice``."""
    level = ctx.selection.drill
    f = ctx.filters
    if level.area:
        notices = _area_notice(ctx, level.area)
        return (Drill(), f, notices) if notices else (level, ctx.selection.narrowed(level.area), [])
    if level.unit:
        return Drill(), f, [unit_notice.format(value=level.unit)]
    return level, f, []


def resolve_category(
    ctx: PageContext,
    categories: Collection[str],
    category_notice: str,
    need_area_notice: str | None = None,
    unit_notice: str | None = None,
) -> Resolved:
    """Area, then a category of the page's whitelist (``drill_category``): the level from
    the URL, checked against the filters and ``categories``; the filters narrowed to the
    area. A category without an area, or one not in the list, is dropped with a notice
    (``need_area_notice``, else ``category_notice``); a unit is dropped, with ``unit_notice``
    if the page gives one."""
    level = ctx.selection.drill
    f = ctx.filters
    notices = [unit_notice.format(value=level.unit)] if unit_notice and level.unit else []
    if not level.area:
        if level.category:
            notices.append((need_area_notice or category_notice).format(value=level.category))
        return Drill(), f, notices
    if outside := _area_notice(ctx, level.area):
        return Drill(), f, [*notices, *outside]
    f = ctx.selection.narrowed(level.area)
    if level.category and level.category not in categories:
        return Drill(level.area), f, [*notices, category_notice.format(value=level.category)]
    return Drill(level.area, None, level.category), f, notices


def stem_for(title: str) -> Callable[[PageContext, str], str]:
    """A topic page's file names: ``stem(ctx, what)`` is "<title>_<what>" with the filters
    and the drilled level shown (``where``)."""

    def stem(ctx: PageContext, what: str) -> str:
        return url_state.file_stem(f"{title}_{what}", ctx.selection, ctx.area_names, ctx.as_of, where())

    return stem


def target_params(current: Mapping[str, list[str]], level: Drill) -> dict[str, list[str]]:
    """The address of ``level``: the current parameters (the global filters untouched) with
    the drill parameters replaced."""
    out = {k: list(v) for k, v in current.items() if k not in PARAMS}
    for key, value in zip(PARAMS, (level.area, level.unit, level.category)):
        if value is not None:
            out[key] = [str(value)]
    return out


def go(area: str | None = None, unit: str | None = None, category: str | None = None) -> None:
    """Move to a level: write the URL and rerun (fresh chart keys, so no stale selection).
    The address changes in one step (``from_dict``: one history entry), so the browser's
    Back returns to the previous level, never to a half-written one such as a unit without
    its area."""
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    st.query_params.from_dict(target_params(current, Drill(area, unit, category)))
    st.session_state[_NONCE] = st.session_state.get(_NONCE, 0) + 1
    st.rerun()


def root_label(ctx) -> str:
    """The top of the breadcrumbs: 全市, or the areas the global filter chose."""
    if ctx.selection.areas:
        return "、".join(ctx.area_names.get(a, a) for a in ctx.selection.areas)
    return labels.BREADCRUMB_CITY


def where_label(ctx, f) -> str:
    """What a figure over the filters ``f`` covers: 全市 only when no area restricts them (a
    district account, an area filter or a drill-down name their areas instead)."""
    try:
        areas = ctx.scope.effective_areas(f)
    except DataAccessError:  # areas outside the scope: the query refuses them too
        areas = f.areas
    if areas:
        return "、".join(ctx.area_names.get(a, a) for a in areas)
    return labels.CITY_WIDE


def title_where(ctx, f, area: str | None = None) -> str:
    """The scope a chart shows, for its title: the drilled area, else the areas of the
    filters and the account's scope (``where_label``) — 全市 only for the whole city."""
    if area:
        return ctx.area_names.get(area, area)
    return where_label(ctx, f)


def scoped_title(ctx, f, title: str, area: str | None = None) -> str:
    """A chart title naming the scope shown ("皋兰县：月度联系人次与联系覆盖") when the view
    is not the whole city (a district account, an area filter, a drilled area); the title
    as it is for the whole city."""
    where = title_where(ctx, f, area)
    return title if where == labels.CITY_WIDE else labels.SCOPED_TITLE.format(where=where, title=title)


def by_area_title(ctx, title: str, shown: Sequence[str]) -> str:
    """The title of a chart with one bar per area ("各区域联系覆盖率…"): with a single area
    shown (an area link, a district account) it names that area instead ("皋兰县联系覆盖率…")."""
    if len(shown) != 1:
        return title
    return title.replace(labels.EACH_AREA, ctx.area_names.get(shown[0], shown[0]), 1)


def chart_key(name: str) -> str:
    return f"{name}_{st.session_state.get(_NONCE, 0)}"


def clickable_chart(fig, name: str, hint: str) -> str | None:
    """Draw a chart whose bars drill down (with the hint above it); the clicked bar's id."""
    st.caption(hint)
    event = theme.plot(fig, key=chart_key(name), on_select="rerun", selection_mode=("points",))
    return selected_id(event)


def selected_id(event) -> str | None:
    """The stable id (customdata) of the first selected point of a plotly chart event."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    if not points:
        return None
    custom = points[0].get("customdata")
    if isinstance(custom, (list, tuple)):
        custom = custom[0] if custom else None
    return None if custom is None else str(custom)


def levels(names: Sequence[str]) -> list[str]:
    """The names of a trail as read in a row: a repeated level dropped, and a unit named after
    its area shortened ("皋兰县", "皋兰县中川镇" → "皋兰县", "中川镇")."""
    out: list[str] = []
    full: list[str] = []
    for name in names:
        if full and name == full[-1]:
            continue
        prev = full[-1] if full else ""
        out.append(name[len(prev) :] if prev and name.startswith(prev) and len(name) > len(prev) else name)
        full.append(name)
    return out


def where() -> str | None:
    """The drilled level for file names ("皋兰县-中川镇"), or None at the top (the filters say it)."""
    return st.session_state.get(_WHERE)


def reset_where() -> None:
    st.session_state[_WHERE] = None


def on_level_shown(caption: Callable[[str], None]) -> None:
    """The page header's way to rewrite its "当前视图" line for a drilled level; the header
    registers it, ``breadcrumbs`` calls it (so neither module imports the other's page code)."""
    st.session_state[_CAPTION] = caption


def topic_breadcrumbs(ctx: PageContext, level: Drill, last: str | None = None) -> None:
    """The breadcrumbs of a topic page: the top (``root_label``), the drilled area, and
    ``last`` (a unit, branch, category or department, named by the page) for ``level``;
    the level shown is not a link."""
    crumbs: list[tuple[str, Drill | None]] = [(root_label(ctx), Drill())]
    if level.area:
        crumbs.append((ctx.area_names.get(level.area, level.area), Drill(level.area)))
    if last is not None:
        crumbs.append((last, level))
    crumbs[-1] = (crumbs[-1][0], None)
    breadcrumbs(crumbs)


def once(trail: Sequence[tuple[str, Drill | None]]) -> list[tuple[str, Drill | None]]:
    """The trail with each level once: a level named like the one above it (the global
    filter's 皋兰县 and the drilled 皋兰县) is one level, which keeps the deeper target."""
    out: list[tuple[str, Drill | None]] = []
    for label, target in trail:
        if out and out[-1][0] == label:
            out[-1] = (label, target)
        else:
            out.append((label, target))
    return out


def breadcrumbs(trail: Sequence[tuple[str, Drill | None]]) -> None:
    """全市 › 皋兰县 › 中川镇: each level once, by name (a unit named after its area is
    shortened); every level but the current one is a button back to it. The page caption
    and the file names of the tables below then name the level shown."""
    trail = once(trail)
    shown = levels([label for label, _ in trail])
    if len(shown) > 1:
        below = shown[1:] if shown[0] == labels.BREADCRUMB_CITY else shown
        st.session_state[_WHERE] = "-".join(below)
        caption = st.session_state.get(_CAPTION)
        if caption is not None:  # rewrite the header's "当前视图" line ("全市 › 皋兰县 › 中川镇")
            caption(" › ".join(shown))
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key="breadcrumbs"):
        for i, ((_, target), label) in enumerate(zip(trail, shown)):
            if i:
                st.markdown("›")
            if target is None:
                st.markdown(f"**{label}**")
            elif st.button(label, key=f"crumb_{i}", type="tertiary"):
                go(target.area, target.unit, target.category)
