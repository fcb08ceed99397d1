"""Reference lists: the areas (read once, small)."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from data_access import schema
from data_access.db import fetch_df


def fetch_areas(conn: sa.Connection, include_disabled: bool = False) -> pd.DataFrame:
    """Columns: code, name, kind, sort_order — 市直 first, then the districts/counties."""
    a = schema.areas
    stmt = sa.select(a.c.code, a.c.name, a.c.kind, a.c.sort_order).order_by(a.c.sort_order, a.c.code)
    if not include_disabled:
        stmt = stmt.where(a.c.enabled.is_(True))
    return fetch_df(conn, stmt)
