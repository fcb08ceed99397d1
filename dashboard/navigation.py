"""The page registry: every page is registered here by hand (no automatic discovery)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard import labels


@dataclass(frozen=True)
class PageSpec:
    key: str
    path: str
    section: str
    icon: str


# In menu order. A topic page joins the menu when its script lands in pages/.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "pages/overview.py", labels.SECTION_OVERVIEW, ":material/dashboard:"),
    PageSpec("briefing", "pages/briefing.py", labels.SECTION_OVERVIEW, ":material/article:"),
    PageSpec("contacts", "pages/contacts.py", labels.SECTION_TOPICS, ":material/support_agent:"),
    PageSpec("branches", "pages/branches.py", labels.SECTION_TOPICS, ":material/flag:"),
    PageSpec("money", "pages/money.py", labels.SECTION_TOPICS, ":material/payments:"),
    PageSpec("districts", "pages/districts.py", labels.SECTION_TOPICS, ":material/compare_arrows:"),
    PageSpec("groups", "pages/groups.py", labels.SECTION_SERVICES, ":material/elderly:"),
    PageSpec("services", "pages/services.py", labels.SECTION_SERVICES, ":material/volunteer_activism:"),
    PageSpec("talent", "pages/talent.py", labels.SECTION_SERVICES, ":material/school:"),
    PageSpec("suggestions", "pages/suggestions.py", labels.SECTION_SERVICES, ":material/forum:"),
    PageSpec("screen", "pages/screen.py", labels.SECTION_SCREEN, ":material/tv:"),
)
KIOSK_PAGES = ("screen",)  # no sidebar, no widgets: filters come from the URL only


ADMIN_PAGES = (PageSpec("audit", "pages/audit.py", labels.SECTION_ADMIN, ":material/policy:"),)


_ROOT = Path(__file__).resolve().parent.parent


def specs(user=None) -> tuple[PageSpec, ...]:
    """The pages this user may open; a page left out cannot be reached even by its URL.

    A page whose script is not in the checkout is left out rather than breaking the menu."""
    candidates = PAGES + (ADMIN_PAGES if getattr(user, "is_admin", False) else ())
    return tuple(spec for spec in candidates if (_ROOT / spec.path).is_file())


DEFAULT = "overview"
# Streamlit serves the default page at the root ("/") only, yet reserves its url_path; the
# documented links name the overview "/overview", so it is reserved under this name and a
# hidden twin of the same script answers "/overview".
DEFAULT_RESERVED_PATH = "home"
ALIAS = "overview_alias"  # the twin's key in build()'s dict


def page_set(target, key: str, **kwargs) -> list[tuple[str, st.Page]]:
    """(key, page) for one page key: the default page comes twice, at "/" (in the menu)
    and at "/overview" (hidden), so a link to either opens it. ``target`` is the script or
    callable to run."""
    if key != DEFAULT:
        return [(key, st.Page(target, url_path=key, **kwargs))]
    return [
        (key, st.Page(target, url_path=DEFAULT_RESERVED_PATH, default=True, **kwargs)),
        (ALIAS, st.Page(target, url_path=DEFAULT, visibility="hidden", **kwargs)),
    ]


SCREEN_AT_ROOT = "screen"  # "/?screen=1": the meeting screen served at the root address


def screen_only(user=None, query: Mapping | None = None) -> bool:
    """Whether this session shows the meeting screen alone, at the root address: a screen
    token's session always; anyone opening "/?screen=1". (At the root the browser makes no
    probe of a sub-path: "/screen" costs two 404s, ``/screen/_stcore/health`` and
    ``/screen/_stcore/host-config``, before Streamlit finds its server.)"""
    return getattr(user, "source", None) == "screen" or SCREEN_AT_ROOT in (query or {})


def build(user=None, screen_alone: bool = False) -> dict[str, st.Page]:
    if screen_alone:
        spec = next(s for s in PAGES if s.key == "screen")
        return {spec.key: st.Page(spec.path, url_path=spec.key, default=True, title=labels.PAGE_TITLES[spec.key])}
    return {
        key: page
        for spec in specs(user)
        for key, page in page_set(spec.path, spec.key, title=labels.PAGE_TITLES[spec.key], icon=spec.icon)
    }


def sections(pages: dict[str, st.Page], user=None) -> dict[str, list[st.Page]]:
    if list(pages) == ["screen"]:
        return {labels.SECTION_SCREEN: [pages["screen"]]}
    out: dict[str, list[st.Page]] = {}
    for spec in specs(user):
        out.setdefault(spec.section, []).append(pages[spec.key])
        if spec.key == DEFAULT and ALIAS in pages:
            out[spec.section].append(pages[ALIAS])
    return out


def page_key(page: st.Page) -> str:
    """The page key of a running page ("overview" at "/" and at "/overview")."""
    return page.url_path or DEFAULT


def link_target(key: str) -> str:
    """The script path to link to for ``key``; the overview when that page is not built."""
    paths = {spec.key: spec.path for spec in PAGES}
    return paths.get(key, paths["overview"])
