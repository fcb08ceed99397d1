"""Table ``units``: the city's organs, institutions and enterprises, and each district's."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from data_access import schema
from data_access.codes import CITY
from data_access.demo.catalogue import AREAS, DEPARTMENTS, ENTERPRISES, INSTITUTIONS, TOWN_STEMS, UNIT_ID_STRIDE

if TYPE_CHECKING:
    from data_access.demo.replica import Replica


def unit_rows(r: Replica) -> list[tuple[str, str, str, bool]]:
    """(name, area, type, bankrupt-restructured) of every unit, city first."""
    rng = r.rng
    rows: list[tuple[str, str, str, bool]] = []
    for dep in DEPARTMENTS:
        rows.append(("兰州市" + dep, CITY, "city_organ", False))
    for inst in INSTITUTIONS:
        rows.append(("兰州市" + inst, CITY, "institution", False))
    for i, ent in enumerate(ENTERPRISES):
        rows.append(("兰州市第一" + ent if i % 2 else "兰州" + ent, CITY, "enterprise", i % 5 in (0, 2)))
    for code, name, kind, _ in AREAS[1:]:
        for dep in DEPARTMENTS[:24]:
            rows.append((name + dep, code, "district_organ", False))
        n_towns = 10 if kind == "county" else 4
        for stem_i in rng.choice(len(TOWN_STEMS) // 2, size=n_towns, replace=False):
            stem = "".join(TOWN_STEMS[2 * stem_i : 2 * stem_i + 2])
            rows.append((name + stem + ("镇" if kind == "county" else "街道"), code, "township", False))
        for inst in INSTITUTIONS[:14]:
            rows.append((name + inst, code, "institution", False))
        for i, ent in enumerate(ENTERPRISES[:5]):
            rows.append((name + ent, code, "enterprise", i in (1, 3)))
    return rows


def make_units(r: Replica) -> None:
    rows = unit_rows(r)
    base = r.k * UNIT_ID_STRIDE
    r.unit_id = np.arange(base + 1, base + 1 + len(rows))
    r.unit_area = np.array([row[1] for row in rows], dtype=object)
    r.unit_type = np.array([row[2] for row in rows], dtype=object)
    r.unit_bankrupt = np.array([row[3] for row in rows], dtype=bool)
    r.unit_name = np.array([row[0] for row in rows], dtype=object)
    r.w.insert(
        schema.units,
        {
            "id": r.unit_id,
            "name": r.unit_name,
            "area_code": r.unit_area,
            "unit_type": r.unit_type,
            "bankrupt_restructured": r.unit_bankrupt,
        },
    )
