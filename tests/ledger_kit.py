"""Small ledgers written by hand, row by row, for the cases the demo ledger does not hold.

``Ledger`` collects rows with sensible defaults for every column a test does not care about;
``write`` creates the schema and inserts them (areas, tiers and festival windows come from
the demo's catalogues). A test names only what its case is about:

    led = Ledger()
    p = led.person("retiree", area="620122", branch=b)
    led.pay(p, 1_000, area="620102")
    engine = led.write(tmp_path / "case.sqlite")
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from data_access import schema
from data_access.db import make_engine
from data_access.demo import Writer, write_catalogues

D = dt.date


@dataclass
class Ledger:
    rows: dict[str, list[dict]] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    include_new_area: bool = False

    def _add(self, table: str, row: dict) -> int:
        row.setdefault("id", next(self._ids))
        self.rows.setdefault(table, []).append(row)
        return row["id"]

    def unit(self, area: str = "city", unit_type: str = "city_organ", name: str | None = None) -> int:
        uid = next(self._ids)
        return self._add(
            "units",
            dict(id=uid, name=name or f"单位{uid}", area_code=area, unit_type=unit_type, bankrupt_restructured=False),
        )

    def branch(
        self,
        area: str = "city",
        kind: str = "city_unit",
        *,
        founded: dt.date = D(2010, 1, 1),
        closed: dt.date | None = None,
        retiree_secretary: bool = True,
        unit: int | None = None,
    ) -> int:
        bid = next(self._ids)
        return self._add(
            "party_branches",
            dict(
                id=bid,
                name=f"支部{bid}",
                kind=kind,
                area_code=area,
                unit_id=unit,
                secretary_is_retiree=retiree_secretary,
                founded_on=founded,
                closed_on=closed,
            ),
        )

    def person(
        self,
        category: str = "retiree",
        *,
        area: str = "city",
        born: dt.date = D(1950, 6, 1),
        entered: dt.date = D(2010, 1, 1),
        died: dt.date | None = None,
        rank: str | None = "county",
        tier: int = 3,
        branch: int | None = None,
        party: str | None = None,
        hardship: str | None = None,
        unit: int | None = None,
        **traits,
    ) -> int:
        pid = next(self._ids)
        row = dict(
            id=pid,
            category=category,
            name=f"测试人员{pid}",
            gender="M",
            birth_date=born,
            area_code=area,
            unit_id=unit,
            rank=None if category == "survivor" else rank,
            actual_post=False,
            revolution_period="liberation" if category == "veteran" else None,
            revolution_joined_on=D(1947, 1, 1) if category == "veteran" else None,
            retirement_date=None if category == "survivor" else D(2009, 1, 1),
            entry_date=entered,
            death_date=died,
            deceased_cadre_id=None,
            party_status=party or ("full" if branch is not None else None),
            branch_id=branch,
            health_status="good",
            service_tier=tier,
            hardship_reason=hardship,
            phone="10000000000",
        )
        row.update(traits)
        return self._add("people", row)

    def contact(self, person: int, on: dt.date, channel: str = "phone", occasion: str = "routine") -> int:
        return self._add(
            "contacts",
            dict(person_id=person, contact_date=on, channel=channel, occasion=occasion, contact_role="bureau_staff"),
        )

    def pay(
        self,
        person: int | None,
        amount: float,
        *,
        area: str,
        on: dt.date = D(2020, 3, 1),
        category: str = "hardship_aid",
        form: str = "cash",
        reason: str | None = "low_income",
    ) -> int:
        return self._add(
            "disbursements",
            dict(
                paid_on=on,
                area_code=area,
                category=category,
                amount=amount,
                form=form,
                person_id=person,
                hardship_reason=reason if category == "hardship_aid" else None,
            ),
        )

    def budget(self, year: int, area: str, category: str, amount: float) -> int:
        return self._add("budgets", dict(year=year, area_code=area, category=category, amount=amount))

    def activity(self, branch: int, on: dt.date, kind: str = "theme_day") -> int:
        return self._add("branch_activities", dict(branch_id=branch, activity_type=kind, held_on=on))

    def suggestion(self, person: int, submitted: dt.date, answered: dt.date | None, due_days: int = 30) -> int:
        return self._add(
            "suggestions",
            dict(
                person_id=person,
                submitted_on=submitted,
                topic="养老服务",
                department="市民政局",
                due_on=submitted + dt.timedelta(days=due_days),
                answered_on=answered,
            ),
        )

    def write(self, path: Path | str) -> sa.Engine:
        """Create the schema in a new SQLite file at ``path`` and write the rows."""
        engine = make_engine(f"sqlite:///{path}")
        self.write_to(engine)
        return engine

    def write_to(self, engine: sa.Engine) -> sa.Engine:
        schema.Base.metadata.create_all(engine)
        with engine.begin() as conn:
            write_catalogues(Writer(conn), self.include_new_area)
            for name in schema.TABLES:  # metadata order: parents before children
                rows = self.rows.get(name)
                if rows:
                    conn.execute(schema.TABLES[name].insert(), rows)
        return engine
