"""Who is looking, and which areas they may see.

Until sign-in and roles land, every session sees every area; the scope still flows into
every query and every cache key, so restricting it later changes one function.
"""

from __future__ import annotations

from data_access.filters import Scope


def current_scope() -> Scope:
    return Scope.everything()
