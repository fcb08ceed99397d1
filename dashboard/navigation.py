"""The page registry: every page is registered here by hand (no automatic discovery)."""

from __future__ import annotations

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


def build(user=None) -> dict[str, st.Page]:
    return {
        spec.key: st.Page(
            spec.path,
            title=labels.PAGE_TITLES[spec.key],
            icon=spec.icon,
            url_path=spec.key,
            default=spec.key == "overview",
        )
        for spec in specs(user)
    }


def sections(pages: dict[str, st.Page], user=None) -> dict[str, list[st.Page]]:
    out: dict[str, list[st.Page]] = {}
    for spec in specs(user):
        out.setdefault(spec.section, []).append(pages[spec.key])
    return out


def link_target(key: str) -> str:
    """The script path to link to for ``key``; the overview when that page is not built."""
    paths = {spec.key: spec.path for spec in PAGES}
    return paths.get(key, paths["overview"])
