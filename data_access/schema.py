"""The service database: SQLAlchemy models of the precise-service ledger (精准服务信息台帐).

This module is the contract an IT department maps its existing system onto; every table
and column is documented with its Chinese name in ``docs/data-dictionary.md``. Views with
these names and columns are enough for the dashboard, which only ever reads.

Codes stored in the database are English (see ``data_access.codes``); Chinese names of
areas, units and catalogue entries are data.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Money is stored with two decimals and read back as float: the dashboard formats it.
Money = sa.Numeric(14, 2, asdecimal=False)


class Base(DeclarativeBase):
    pass


def _code(length: int = 24) -> sa.String:
    return sa.String(length)


class Area(Base):
    """市直 plus the districts/counties (GB/T 2260 codes); 'city' is 市直/市属."""

    __tablename__ = "areas"
    code: Mapped[str] = mapped_column(_code(12), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[str] = mapped_column(_code(12))  # city / district / county / new_area
    sort_order: Mapped[int] = mapped_column(sa.Integer)
    enabled: Mapped[bool] = mapped_column(sa.Boolean, default=True)


class Unit(Base):
    """Original employer (原工作单位)."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(sa.String(80))
    area_code: Mapped[str] = mapped_column(sa.ForeignKey("areas.code"), index=True)
    unit_type: Mapped[str] = mapped_column(_code())
    bankrupt_restructured: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class ServiceTier(Base):
    """The four service tiers (四级服务分类) and their contact cadence."""

    __tablename__ = "service_tiers"
    tier: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(sa.String(40))
    cadence: Mapped[str] = mapped_column(_code(12))  # weekly / monthly / quarterly / festival
    cadence_days: Mapped[int] = mapped_column(sa.Integer)
    description: Mapped[str] = mapped_column(sa.String(200))


class PartyBranch(Base):
    """Retiree party branch (离退休干部党支部)."""

    __tablename__ = "party_branches"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(sa.String(80))
    kind: Mapped[str] = mapped_column(_code(16), index=True)  # city_unit / temporary / district
    area_code: Mapped[str] = mapped_column(sa.ForeignKey("areas.code"), index=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    secretary_is_retiree: Mapped[bool] = mapped_column(sa.Boolean)
    founded_on: Mapped[dt.date] = mapped_column(sa.Date)
    closed_on: Mapped[dt.date | None] = mapped_column(sa.Date)


class Person(Base):
    """A veteran cadre (离休), retired cadre (退休) or survivor (遗属) under the bureau's care."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    category: Mapped[str] = mapped_column(_code(12))  # veteran / retiree / survivor
    name: Mapped[str] = mapped_column(sa.String(40))
    gender: Mapped[str] = mapped_column(_code(1))  # M / F
    birth_date: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    area_code: Mapped[str] = mapped_column(sa.ForeignKey("areas.code"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    rank: Mapped[str | None] = mapped_column(_code(24))  # empty for survivors
    actual_post: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    revolution_period: Mapped[str | None] = mapped_column(_code(16))
    revolution_joined_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    retirement_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    entry_date: Mapped[dt.date] = mapped_column(sa.Date)
    death_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    deceased_cadre_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    party_status: Mapped[str | None] = mapped_column(_code(16))  # full / probationary
    branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("party_branches.id"), index=True)
    relocated: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    lives_away: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    lives_alone: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    widowed: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    empty_nest: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    lost_only_child: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    impaired_mobility: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    impaired_vision: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    impaired_hearing: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    impaired_speech: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    impaired_memory: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    health_status: Mapped[str] = mapped_column(_code(12))  # good / chronic / serious
    disabled: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    service_tier: Mapped[int] = mapped_column(sa.ForeignKey("service_tiers.tier"))
    hardship_reason: Mapped[str | None] = mapped_column(_code(24))
    phone: Mapped[str | None] = mapped_column(sa.String(20))

    __table_args__ = (
        sa.Index("ix_people_scope", "area_code", "category", "entry_date", "death_date"),
        sa.Index("ix_people_category_rank", "category", "rank"),
        sa.Index("ix_people_tier", "service_tier"),
    )


class FestivalWindow(Base):
    """The visit window of each festival (元旦 / 春节 / 国庆); window_end is exclusive."""

    __tablename__ = "festival_windows"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    festival: Mapped[str] = mapped_column(_code(16))
    festival_date: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    window_start: Mapped[dt.date] = mapped_column(sa.Date)
    window_end: Mapped[dt.date] = mapped_column(sa.Date)


class VisitEvent(Base):
    """An occasion that obliges a visit (五必访): hospitalisation, family event, death, birthday."""

    __tablename__ = "visit_events"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    event_type: Mapped[str] = mapped_column(_code(16))
    event_date: Mapped[dt.date] = mapped_column(sa.Date)
    visit_due_on: Mapped[dt.date] = mapped_column(sa.Date)

    __table_args__ = (sa.Index("ix_visit_events_date", "event_date", "event_type"),)


class Contact(Base):
    """One contact or visit (联系/走访) of a person."""

    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    contact_date: Mapped[dt.date] = mapped_column(sa.Date)
    channel: Mapped[str] = mapped_column(_code(12))  # home_visit / phone / wechat / sms / forum
    occasion: Mapped[str] = mapped_column(_code(16))
    contact_role: Mapped[str] = mapped_column(_code(16))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("visit_events.id"))

    __table_args__ = (
        sa.Index("ix_contacts_date_person", "contact_date", "person_id"),
        sa.Index("ix_contacts_person_date", "person_id", "contact_date"),
        sa.Index("ix_contacts_event", "event_id"),
    )


class Pairing(Base):
    """A helper paired with a person (结对联系); ended_on is exclusive and may be empty."""

    __tablename__ = "pairings"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    helper_name: Mapped[str] = mapped_column(sa.String(40))
    helper_role: Mapped[str] = mapped_column(_code(16))
    mode: Mapped[str] = mapped_column(_code(16))  # one_to_one / one_to_many / many_to_one
    started_on: Mapped[dt.date] = mapped_column(sa.Date)
    ended_on: Mapped[dt.date | None] = mapped_column(sa.Date)


class BranchActivity(Base):
    """An organisational-life activity held by a branch (主题党日, 党员大会, 支委会, 党课, 组织生活会)."""

    __tablename__ = "branch_activities"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("party_branches.id"))
    activity_type: Mapped[str] = mapped_column(_code(16))
    held_on: Mapped[dt.date] = mapped_column(sa.Date)

    __table_args__ = (
        sa.Index("ix_branch_activities_branch_date", "branch_id", "held_on"),
        sa.Index("ix_branch_activities_date", "held_on"),
    )


class Budget(Base):
    """Annual initial budget (年初预算) by year, area and category."""

    __tablename__ = "budgets"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    year: Mapped[int] = mapped_column(sa.Integer)
    area_code: Mapped[str] = mapped_column(sa.ForeignKey("areas.code"))
    category: Mapped[str] = mapped_column(_code(20))
    amount: Mapped[float] = mapped_column(Money)

    __table_args__ = (sa.Index("ix_budgets_year_area", "year", "area_code", "category"),)


class Disbursement(Base):
    """Money paid out (执行数): cash or goods, to a person where there is one."""

    __tablename__ = "disbursements"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    paid_on: Mapped[dt.date] = mapped_column(sa.Date)
    area_code: Mapped[str] = mapped_column(sa.ForeignKey("areas.code"))
    category: Mapped[str] = mapped_column(_code(20))
    amount: Mapped[float] = mapped_column(Money)
    form: Mapped[str] = mapped_column(_code(8))  # cash / goods
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    hardship_reason: Mapped[str | None] = mapped_column(_code(24))

    __table_args__ = (sa.Index("ix_disbursements_date_area", "paid_on", "area_code", "category"),)


class ServiceDelivery(Base):
    """A request for one of the eight personalised services (八项个性服务) and its delivery."""

    __tablename__ = "service_deliveries"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    service: Mapped[str] = mapped_column(_code(20))
    requested_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    delivered_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    provider_type: Mapped[str | None] = mapped_column(_code(16))  # unit / community / family_medical


class Suggestion(Base):
    """A suggestion (建言献计) routed to a department that must answer by a due date."""

    __tablename__ = "suggestions"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    submitted_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    topic: Mapped[str] = mapped_column(sa.String(80))
    department: Mapped[str] = mapped_column(sa.String(40))
    due_on: Mapped[dt.date] = mapped_column(sa.Date)
    answered_on: Mapped[dt.date | None] = mapped_column(sa.Date)


class TalentEntry(Base):
    """An entry in the silver talent pool (银发人才库)."""

    __tablename__ = "talent_pool"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    field: Mapped[str] = mapped_column(_code(16))
    joined_on: Mapped[dt.date] = mapped_column(sa.Date)
    left_on: Mapped[dt.date | None] = mapped_column(sa.Date)


class TalentActivity(Base):
    """An activity a member of the silver talent pool took part in (座谈, 调研, 授课培训, 咨询服务, 宣讲)."""

    __tablename__ = "talent_activities"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(sa.Date)
    kind: Mapped[str] = mapped_column(_code(16))  # forum / research / training / advisory / lecture
    title: Mapped[str] = mapped_column(sa.String(80))

    __table_args__ = (sa.Index("ix_talent_activities_date", "held_on", "kind"),)


TABLES: dict[str, sa.Table] = {name: table for name, table in Base.metadata.tables.items()}

areas = Area.__table__
units = Unit.__table__
service_tiers = ServiceTier.__table__
party_branches = PartyBranch.__table__
people = Person.__table__
festival_windows = FestivalWindow.__table__
visit_events = VisitEvent.__table__
contacts = Contact.__table__
pairings = Pairing.__table__
branch_activities = BranchActivity.__table__
budgets = Budget.__table__
disbursements = Disbursement.__table__
service_deliveries = ServiceDelivery.__table__
suggestions = Suggestion.__table__
talent_pool = TalentEntry.__table__
talent_activities = TalentActivity.__table__
