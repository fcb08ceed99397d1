"""工作简报: the bureau's briefing written from the ledger, in the report's register and order.

The text is built from figure records (:class:`Figure`: key, name, 口径, value, how it reads,
judgement), each obtained through one adapter (:func:`figure`) from the values the pages'
own loaders return (``dashboard.data`` and the views' queries) — never a second
computation. A sentence is a template whose fields are its figures, so the same briefing
renders on the page (with its 口径 on hover), in Word and in PDF, and with the change on a
comparison date after each figure. A figure that is empty, zero in a breakdown, or hidden by
the small-cell rule takes its clause out of the sentence: the prose never shows a blank or
"<5" (a note says that small breakdowns are not listed).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from dashboard import data, labels, overview, status
from dashboard.context import PageContext
from data_access import branches, codes, contacts, rules
from data_access import money as money_q
from data_access import people as people_q
from data_access import services as services_q
from data_access import suggestions as suggestions_q
from data_access import talent as talent_q
from data_access.filters import Filters, Period
from data_access.money import period_time_progress
from data_access.privacy import is_hidden

T = labels.BRIEFING_TEXT

# ---------------------------------------------------------------------------- figure records


@dataclass(frozen=True)
class Figure:
    """One figure as the briefing uses it. ``value`` is what the loader returned (a number,
    the text of a hidden cell, or None); ``shown`` how it reads in the prose ("703人")."""

    key: str
    name: str
    definition: str
    value: object
    shown: str
    kind: str = "count"  # count / rate / age / amount / per_person
    judgement: str | None = None

    @property
    def usable(self) -> bool:
        """A figure the prose may print: present, not NaN, not hidden by the small-cell rule."""
        return _number(self.value) is not None

    @property
    def number(self) -> float | None:
        return _number(self.value)


def _number(value) -> float | None:
    if value is None or isinstance(value, str) or is_hidden(value):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def definition(key: str) -> tuple[str, str]:
    """(name, 口径) of a figure: the page's card where it has one, else the briefing's own
    record of a breakdown the report gives."""
    for source in (labels.KPI, labels.BRIEFING_FIGURES):
        if key in source:
            return source[key]
    if key in labels.SPECIAL_GROUP:
        return labels.SPECIAL_GROUP[key]
    raise KeyError(key)


def figure(key: str, value, kind: str = "count", unit: str = "people", *, record: str | None = None, judgement=None):
    """THE adapter: a figure record for ``key`` from a loader's value — its name and 口径 (of
    ``record`` when a breakdown shares its parent's), how it reads, and its judgement."""
    name, text = definition(record or key)
    return Figure(key, name, text, value, shown(value, kind, unit), kind, judgement)


def shown(value, kind: str = "count", unit: str = "people") -> str:
    """How a figure reads in the report's register: 703人, 32,197人, 1.1万人, 89.8岁, 99.4%,
    42万元, 2,456元 — number and unit without a space."""
    x = _number(value)
    if x is None:
        return ""
    u = labels.BRIEFING_UNITS.get(unit, unit)
    if kind == "rate":
        return f"{0.0 if round(x * 100, 1) == 0 else x * 100:.1f}%"
    if kind == "age":
        return f"{x:.1f}{u}"
    if kind == "amount":
        return labels.BRIEFING_YUAN_WAN.format(v=_trim(x / 10_000, 2))
    if kind == "per_person":
        return labels.BRIEFING_PER_PERSON.format(v=f"{round(x):,}")
    if kind == "wan" and x >= 10_000:  # the report's "1.1万人"
        return labels.BRIEFING_TEN_THOUSAND.format(v=_trim(x / 10_000, 1)) + u
    return f"{int(round(x)):,}{u}"


def _trim(x: float, digits: int) -> str:
    text = f"{x:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------------------- sentences


@dataclass(frozen=True)
class Sentence:
    """A clause or sentence of the briefing: a template whose ``{key}`` fields are its
    figures and whose other fields are ``words`` (the scope, the date, a judgement)."""

    key: str
    template: str
    figures: tuple[Figure, ...] = ()
    words: tuple[tuple[str, str], ...] = ()
    page: str | None = None  # the page that shows these figures

    def text(self, changes: Mapping[str, str] | None = None) -> str:
        fields = dict(self.words)
        for f in self.figures:
            change = (changes or {}).get(f.key)
            fields[f.key] = f"{f.shown}，{change}" if change else f.shown
        return self.template.format(**fields)

    @property
    def definition(self) -> str:
        """The 口径 of every figure in the sentence (shown on hover)."""
        seen, parts = set(), []
        for f in self.figures:
            if f.name not in seen:
                seen.add(f.name)
                parts.append(f"【{f.name}】{f.definition}")
        return "\n".join(parts)


def sentence(key: str, template: str, figures: Iterable[Figure] = (), page: str | None = None, **words) -> Sentence:
    return Sentence(key, template, tuple(figures), tuple(sorted(words.items())), page)


def items(keys: Sequence[str], figs: Mapping[str, Figure]) -> tuple[list[Sentence], bool]:
    """The clauses of a breakdown whose figure is printable and not zero; and whether one
    was left out because the small-cell rule hides it."""
    out, hidden = [], False
    for k in keys:
        f = figs[k]
        if not f.usable:
            hidden = hidden or is_hidden(f.value)
            continue
        if f.number == 0:
            continue
        out.append(sentence(k, T[k], [f]))
    return out, hidden


def joined(key: str, parts: Sequence[Sentence], sep: str = "，", page: str | None = None) -> Sentence | None:
    """Clauses as one sentence (their figures together), or None when there is none."""
    if not parts:
        return None
    figs = tuple(f for p in parts for f in p.figures)
    words = tuple(sorted({w for p in parts for w in p.words}))
    return Sentence(key, sep.join(p.template for p in parts), figs, words, page or parts[0].page)


def punctuate(parts: Sequence[Sentence | None], prefix: str = "", sep: str = "；", end: str = "。") -> list[Sentence]:
    """A run of clauses as the report writes them: "其中，A；B；C。"."""
    kept = [p for p in parts if p is not None]
    out = []
    for i, p in enumerate(kept):
        template = (prefix if i == 0 else "") + p.template + (end if i == len(kept) - 1 else sep)
        out.append(dataclasses.replace(p, template=template))
    return out


# ---------------------------------------------------------------------------- the briefing


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    names: tuple[str, ...]
    values: tuple[float, ...]
    kind: str = "rate"  # rate (0..1) or count
    reference: float | None = None  # a line: the city's value, time progress
    reference_label: str = ""
    series: tuple[tuple[str, tuple[float, ...]], ...] = ()  # a trend: several series over ``names``


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    paragraphs: tuple[tuple[Sentence, ...], ...]
    numbered: bool = False  # 四、需要关注: one numbered item per paragraph


@dataclass(frozen=True)
class Briefing:
    as_of: dt.date
    where: str
    sections: tuple[Section, ...] = ()
    charts: tuple[Chart, ...] = ()
    problem: str | None = None  # the sentence written in place of a briefing that cannot be

    @property
    def title(self) -> str:
        return labels.BRIEFING_DOC_TITLE.format(where=self.where)

    @property
    def date_text(self) -> str:
        return date_text(self.as_of)

    def sentences(self) -> list[Sentence]:
        return [s for sec in self.sections for p in sec.paragraphs for s in p]

    def figures(self) -> dict[str, Figure]:
        return {f.key: f for s in self.sentences() for f in s.figures}

    def paragraph_texts(self, changes: Mapping[str, str] | None = None) -> list[tuple[str, list[str]]]:
        """(section title, its paragraphs as text): what Word, PDF and the tests read."""
        out = []
        for sec in self.sections:
            paras = ["".join(s.text(changes) for s in p) for p in sec.paragraphs]
            if sec.numbered:
                paras = [
                    f"{i}. {t}" if len(sec.paragraphs) > 1 or sec.key == "attention" else t
                    for i, t in enumerate(paras, 1)
                ]
            out.append((sec.title, paras))
        return out

    def text(self, changes: Mapping[str, str] | None = None) -> str:
        lines = [self.title]
        for title, paras in self.paragraph_texts(changes):
            lines.append(title)
            lines.extend(paras)
        return "\n".join(lines)


def date_text(d: dt.date) -> str:
    return labels.BRIEFING_DATE.format(y=d.year, m=d.month, d=d.day)


def period_of(as_of: dt.date) -> Period:
    """The briefing's period: from 1 January of its year to its date (inclusive)."""
    return Period(dt.date(as_of.year, 1, 1), as_of + dt.timedelta(days=1))


def briefing_context(ctx: PageContext, as_of: dt.date) -> PageContext:
    """The page's context at the briefing date: the chosen areas only (the report describes
    the whole population of a scope, so the other filters do not apply), the caller's scope."""
    filters = Filters(period_of(as_of), areas=ctx.filters.areas)
    return dataclasses.replace(ctx, selection=dataclasses.replace(ctx.selection, filters=filters), as_of=as_of)


def where(ctx: PageContext) -> str:
    areas = ctx.filters.areas
    if not areas:
        return labels.BRIEFING_CITY
    return "、".join(ctx.area_names.get(a, a) for a in areas)


def year_ago(d: dt.date) -> dt.date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


# ---------------------------------------------------------------------------- 一、基本情况


def _by(df: pd.DataFrame, column: str, values: str = "people") -> dict:
    return dict(zip(df[column], df[values])) if len(df) else {}


def _sum_counts(values: Iterable) -> object:
    """A breakdown's cells added (a sum the data layer's frame already implies, e.g. 县级及
    以下 = 县处级 + 科级及以下); hidden when any part is."""
    values = list(values)
    if any(is_hidden(v) for v in values):
        return next(v for v in values if is_hidden(v))
    return int(sum(int(v) for v in values if v is not None and v == v))


def basics(ctx: PageContext) -> tuple[tuple[Sentence, ...], ...]:
    f, s, w, day = ctx.filters, ctx.scope, where(ctx), date_text(ctx.as_of)
    pop = data.query(people_q.fetch_population_summary, f, s, by=("category",)).set_index("category")
    count = lambda cat: int(pop["people"].get(cat, 0))  # noqa: E731
    vf = dataclasses.replace(f, categories=("veteran",))
    rf = dataclasses.replace(f, categories=("retiree",))
    hidden = False
    paragraph: list[Sentence] = []

    # 离休干部: count, average age, and the report's three splits.
    if count("veteran"):
        v_total = data.query(people_q.fetch_population_summary, vf, s).iloc[0]
        figs = {
            "veterans": figure("veterans", count("veteran")),
            "veteran_age": figure("veteran_age", v_total["average_age"], "age", "years"),
        }
        paragraph.append(sentence("veterans", T["veterans"], figs.values(), "overview", where=w, date=day))
        by_area = _by(data.query(people_q.fetch_population_summary, vf, s, by=("area_code",)), "area_code")
        by_period = _by(
            data.query(people_q.fetch_population_summary, vf, s, by=("revolution_period",)), "revolution_period"
        )
        by_rank = _by(data.query(people_q.fetch_population_summary, vf, s, by=("rank",)), "rank")
        figs.update(
            veterans_city=figure("veterans_city", by_area.get(codes.CITY, 0)),
            veterans_district=figure(
                "veterans_district", _sum_counts(v for a, v in by_area.items() if a != codes.CITY)
            ),
            veterans_liberation=figure("veterans_liberation", by_period.get("liberation", 0)),
            veterans_anti_japanese=figure("veterans_anti_japanese", by_period.get("anti_japanese", 0)),
            veterans_prefecture_principal=figure(
                "veterans_prefecture_principal", by_rank.get("prefecture_principal", 0)
            ),
            veterans_prefecture_deputy=figure("veterans_prefecture_deputy", by_rank.get("prefecture_deputy", 0)),
            veterans_county_and_below=figure(
                "veterans_county_and_below", _sum_counts(by_rank.get(r, 0) for r in ("county", "section"))
            ),
        )
        clauses = []
        for group in (
            ("veterans_city", "veterans_district"),
            ("veterans_liberation", "veterans_anti_japanese"),
            ("veterans_prefecture_principal", "veterans_prefecture_deputy", "veterans_county_and_below"),
        ):
            parts, h = items(group, figs)
            hidden |= h
            # A split with one part only repeats the total: left out.
            if len(parts) > 1 or (h and parts):
                clauses.append(joined(group[0], parts, page="groups"))
        survivors = []
        total = pop["living_away"].sum() if "living_away" in pop else 0
        s_fig = figure("survivors", count("survivor"))
        survivors.append(
            sentence("survivors", T["survivors"], [s_fig], "overview")
            if count("survivor")
            else sentence("survivors", T["survivors_none"])
        )
        away = figure(
            "living_away",
            data.query(people_q.fetch_population_summary, f, s).iloc[0]["living_away"] if total is not None else None,
        )
        if away.usable and away.number:
            survivors.append(sentence("living_away", T["living_away"], [away], "groups"))
        clauses.append(joined("survivors", survivors, sep="，"))
        paragraph += punctuate(clauses, prefix=T["veterans_split_intro"])
    else:
        paragraph.append(sentence("veterans", T["veterans_none"], where=w, date=day))
        if count("survivor"):
            paragraph += punctuate([sentence("survivors", T["survivors"], [figure("survivors", count("survivor"))])])

    # 退休干部: count, by employer type, the 副地级实职以上 cohort.
    if count("retiree"):
        figs = {"retirees": figure("retirees", count("retiree"))}
        by_type = _by(data.query(people_q.fetch_population_summary, rf, s, by=("unit_type",)), "unit_type")
        for t in ("city_organ", "district_organ", "township", "institution", "enterprise"):
            figs[f"retirees_{t}"] = figure(f"retirees_{t}", by_type.get(t, 0))
        key_by_rank = _by(data.query(people_q.fetch_population_summary, rf, s, by=("rank",)), "rank", "key_cohort")
        principal, deputy = (int(key_by_rank.get(r, 0)) for r in codes.PREFECTURE_RANKS)
        figs["prefecture_retirees"] = figure("prefecture_retirees", principal + deputy, unit="named")
        figs["prefecture_retirees_principal"] = figure("prefecture_retirees_principal", principal)
        figs["prefecture_retirees_deputy"] = figure("prefecture_retirees_deputy", deputy)
        head = sentence("retirees", T["retirees"], [figs["retirees"]], "overview", where=w)
        types, h = items(
            [f"retirees_{t}" for t in ("city_organ", "district_organ", "township", "institution", "enterprise")], figs
        )
        hidden |= h
        first = joined(
            "retirees", [head, joined("retirees_by_type", types)] if len(types) > 1 else [head], sep="，其中，"
        )
        clauses = [first]
        if principal + deputy:
            ranks, _ = items(["prefecture_retirees_principal", "prefecture_retirees_deputy"], figs)
            cohort = sentence(
                "prefecture_retirees", T["prefecture_retirees"], [figs["prefecture_retirees"]], "contacts"
            )
            clauses.append(
                joined(
                    "prefecture_retirees", [cohort, joined("x", ranks)] if len(ranks) > 1 else [cohort], sep="，其中，"
                )
            )
        paragraph += punctuate(clauses)
    else:
        paragraph.append(sentence("retirees", T["retirees_none"], where=w))

    # 党支部: count by kind, members served (万 as the report writes it), retiree secretaries.
    br = data.query(branches.fetch_branch_summary, f, s).iloc[0]
    if int(br["branches"]):
        kinds = _by(data.query(branches.fetch_branch_summary, f, s, by=("kind",)), "kind", "branches")
        figs = {
            "branches": figure("branches", br["branches"], unit="branches"),
            "members": figure("members", br["members"], "wan"),
            "retiree_secretaries": figure("retiree_secretaries", br["retiree_secretaries"], unit="branches"),
            "secretary_share": figure("secretary_share", br["retiree_secretary_share"], "rate"),
        }
        for k in codes.BRANCH_KINDS:
            figs[f"branches_{k}"] = figure(f"branches_{k}", kinds.get(k, 0), unit="branches")
        parts, _ = items([f"branches_{k}" for k in codes.BRANCH_KINDS], figs)
        head = sentence("branches", T["branches"], [figs["branches"]], "branches", where=w)
        if len(parts) > 1:
            inner = joined("branches_by_kind", parts)
            head = Sentence(
                "branches",
                head.template + "（" + inner.template + "）",
                head.figures + inner.figures,
                head.words,
                "branches",
            )
        clauses = [head, sentence("members", T["members"], [figs["members"]], "branches")]
        clauses.append(
            sentence(
                "retiree_secretaries",
                T["retiree_secretaries"],
                [figs["retiree_secretaries"], figs["secretary_share"]],
                "branches",
            )
        )
        paragraph += punctuate(clauses, sep="，")
    else:
        paragraph.append(sentence("branches", T["branches_none"], where=w))
    if hidden:
        paragraph.append(sentence("hidden_note", T["hidden_note"]))
    # One paragraph per cohort, as the report reads: veterans, retirees, branches.
    return _split(paragraph, ("retirees", "branches"))


def _split(sentences: Sequence[Sentence], starts: Sequence[str]) -> tuple[tuple[Sentence, ...], ...]:
    """The sentences as paragraphs, a new one at each key in ``starts``."""
    out: list[list[Sentence]] = [[]]
    for s in sentences:
        if s.key in starts and out[-1]:
            out.append([])
        out[-1].append(s)
    return tuple(tuple(p) for p in out if p)


# ---------------------------------------------------------------------------- 二、队伍变化


def _change_words(now: int, before: int, unit: str = "人") -> str:
    d = now - before
    if d == 0:
        return labels.BRIEFING_CHANGE["same"].format(when=labels.BRIEFING_LAST_YEAR)
    word = "up" if d > 0 else "down"
    return labels.BRIEFING_CHANGE[word].format(when=labels.BRIEFING_LAST_YEAR, v=f"{abs(d):,}{unit}")


def changes(ctx: PageContext) -> tuple[tuple[Sentence, ...], ...]:
    f, s = ctx.filters, ctx.scope
    prev_day = year_ago(ctx.as_of)
    paragraphs = []
    cadres = dataclasses.replace(f, categories=("veteran", "retiree"))
    now = data.query(people_q.fetch_population_summary, f, s, by=("category",)).set_index("category")["people"]
    if prev_day < dt.date(ctx.first_year, 1, 1) - dt.timedelta(days=1):
        paragraphs.append((sentence("no_prior", T["no_prior"], date=date_text(prev_day)),))
    else:
        pf = f.with_period(period_of(prev_day))
        before = data.query(people_q.fetch_population_summary, pf, s, by=("category",)).set_index("category")["people"]
        total_now = int(data.query(people_q.fetch_population_summary, cadres, s).iloc[0]["people"])
        total_before = int(
            data.query(people_q.fetch_population_summary, cadres.with_period(pf.period), s).iloc[0]["people"]
        )
        v = (int(now.get("veteran", 0)), int(before.get("veteran", 0)))
        r = (int(now.get("retiree", 0)), int(before.get("retiree", 0)))
        figs = [
            figure("cadres_total", total_now),
            figure("retirees", r[0]),
            figure("veterans", v[0]),
        ]
        para = [
            sentence(
                "two_up_one_down",
                T["two_up_one_down"],
                figs,
                "groups",
                cadres_total_change=_change_words(*(total_now, total_before)),
                retirees_change=_change_words(*r),
                veterans_change=_change_words(*v),
            )
        ]
        yes = total_now > total_before and r[0] > r[1] and v[0] < v[1]
        para.append(sentence("two_up_one_down_judgement", T["two_up_one_down_yes" if yes else "two_up_one_down_no"]))
        paragraphs.append(tuple(para))

    total = data.query(people_q.fetch_population_summary, f, s).iloc[0]
    people = int(total["people"])
    by_cat = data.query(people_q.fetch_population_summary, f, s, by=("category",)).set_index("category")
    ageing = []
    a80, a90 = total["aged_80_plus"], total["aged_90_plus"]
    figs = [
        figure("aged_80_plus", a80),
        figure("aged_80_share", _share(a80, people), "rate", record="aged_80_plus"),
        figure("aged_90_plus", a90),
        figure("aged_90_share", _share(a90, people), "rate", record="aged_90_plus"),
    ]
    if all(x.usable for x in figs) and figs[0].number:
        ageing.append(sentence("ageing", T["ageing"], figs, "groups"))
    shares = []
    for cat in ("veteran", "retiree"):
        n = by_cat["impaired"].get(cat) if cat in by_cat.index else None
        shares.append(
            figure(
                f"{cat}_impaired_share",
                _share(n, int(by_cat["people"].get(cat, 0) or 0)),
                "rate",
                record="impaired_any",
            )
        )
    if all(x.usable for x in shares):
        ageing.append(sentence("impaired", T["impaired"], shares, "groups"))
    living = [figure(k, total[k], record=k) for k in ("lives_alone", "empty_nest", "living_away")]
    para = punctuate(ageing)
    if all(x.usable for x in living):
        para += punctuate([sentence("living", T["living"], living, "groups")])
    elif any(is_hidden(x.value) for x in living):
        para.append(sentence("hidden_note", T["hidden_note"]))
    if para:
        paragraphs.append(tuple(para))
    return tuple(paragraphs)


def _share(n, people: int):
    """A group's share of the people in view, as the 重点人群 page divides it."""
    from dashboard.groups_view import share

    if n is None:
        return None
    return share(n, people)


# ---------------------------------------------------------------------------- 三、工作进展


def progress(ctx: PageContext) -> tuple[tuple[Sentence, ...], ...]:
    f, s, day = ctx.filters, ctx.scope, ctx.as_of
    period = labels.BRIEFING_PERIOD.format(year=day.year)
    paragraphs = []

    # Contact coverage, the key cohort, overdue; tier cadence and festival visits.
    key = data.query(contacts.fetch_coverage, f, s, key_cohort_only=True).iloc[0]
    cov = data.query(contacts.fetch_coverage, f, s).iloc[0]
    overdue = int(data.query(contacts.fetch_overdue_count, f, s, as_of=day)["overdue"].sum())
    contact = []
    if int(key["population"]):
        short = int(key["unreached"])
        judgement = T["key_met"] if short == 0 else T["key_short"].format(n=f"{short:,}")
        contact.append(
            sentence(
                "key_coverage",
                T["key_coverage"],
                [
                    figure("key_coverage", key["coverage"], "rate", judgement=judgement),
                    figure("key_reached", key["reached"], record="key_coverage"),
                ],
                "contacts",
                period=period,
                key_judgement=judgement,
            )
        )
    else:
        contact.append(sentence("key_coverage", T["key_coverage_none"], where=where(ctx)))
    contact.append(
        sentence(
            "coverage",
            T["coverage"],
            [figure("coverage", cov["coverage"], "rate"), figure("reached", cov["reached"], record="coverage")],
            "contacts",
        )
    )
    contact.append(
        sentence("overdue", T["overdue"], [figure("overdue", overdue)], "contacts")
        if overdue
        else sentence("overdue", T["overdue_none"])
    )
    para = punctuate(contact)
    tiers = data.query(contacts.fetch_tier_compliance, f, s, as_of=day)
    tier_parts = [
        sentence(
            f"tier_{int(r.tier)}",
            T["tier_item"].format(
                tier=labels.TIER[int(r.tier)].split("（")[0],
                cadence=labels.CADENCE[r.cadence],
                rate=f"{{tier_compliance_{int(r.tier)}}}",
            ),
            [figure(f"tier_compliance_{int(r.tier)}", r.compliance, "rate", record="tier_compliance")],
            "services",
        )
        for r in tiers.itertuples()
        if _number(r.compliance) is not None
    ]
    fest = data.query(contacts.fetch_festival_completion, f, s, as_of=day)
    listed, visited = int(fest["listed"].sum()), int(fest["visited"].sum())
    closing = []
    if tier_parts:
        inner = joined("tiers", tier_parts)
        closing.append(dataclasses.replace(inner, template=T["tiers"].replace("{tiers}", inner.template)))
    if listed:
        closing.append(
            sentence(
                "festival",
                T["festival"],
                [
                    figure("festival", visited / listed, "rate"),
                    figure("visited", visited, unit="person_times", record="festival"),
                ],
                "contacts",
            )
        )
    para += punctuate(closing)
    paragraphs.append(tuple(para))

    # Organisational life.
    life = data.org_life_overall(f, s, day)
    by_branch = data.org_life_by_branch(data.query(branches.fetch_org_life, f, s, as_of=day))
    gaps = len(status.branches_with_gaps(by_branch))
    org = []
    if int(life["months_owed"]):
        org.append(
            sentence(
                "org_life",
                T["org_life"],
                [
                    figure("activity", life["completion"], "rate"),
                    figure("months_complete", life["months_complete"], unit="branch_months", record="activity"),
                ],
                "branches",
            )
        )
        org.append(
            sentence("branch_gaps", T["org_life_gaps"], [figure("branch_gaps", gaps, unit="branches")], "branches")
            if gaps
            else sentence("branch_gaps", T["org_life_full"])
        )
    para = punctuate([joined("org_life", org)]) if org else []

    # Budget against time progress (序时进度), the precise-service budget.
    ex = data.execution_overall(f, s)
    tp = period_time_progress(f.period.start, f.period.end, day)
    budget = data.query(money_q.fetch_budget_execution, f, s, by=("budget_category",)).set_index("budget_category")
    money = []
    if _number(ex["execution_rate"]) is not None:
        money.append(
            sentence(
                "execution",
                T["execution"],
                [
                    figure("execution", ex["execution_rate"], "rate", judgement=_pace(ex["execution_rate"], tp)),
                    figure("actual", ex["actual"], "amount", record="execution"),
                    figure("time_progress", tp, "rate"),
                ],
                "money",
                pace=_pace(ex["execution_rate"], tp),
            )
        )
        if "precise_service" in budget.index and _number(budget.loc["precise_service", "execution_rate"]) is not None:
            rate = budget.loc["precise_service", "execution_rate"]
            money.append(
                sentence(
                    "precise_execution",
                    T["precise_execution"],
                    [figure("precise_execution", rate, "rate", judgement=_pace(rate, tp))],
                    "money",
                    precise_pace=_pace(rate, tp),
                )
            )
    para += punctuate(money)

    # Hardship aid and goods.
    aid = data.query(money_q.fetch_aid_summary, f, s).iloc[0]
    aid_figs = [
        figure("aid_recipients", aid["recipients"], record="aid"),
        figure("aid_amount", aid["cash_amount"], "amount"),
        figure("per_recipient", aid["per_recipient"], "per_person", record="aid_per_recipient"),
    ]
    helped = []
    if all(x.usable for x in aid_figs) and aid_figs[0].number:
        helped.append(sentence("aid", T["aid"], aid_figs, "money"))
    elif any(is_hidden(x.value) for x in aid_figs):
        helped.append(sentence("hidden_note", T["hidden_note"]))
    else:
        helped.append(sentence("aid", T["aid_none"]))
    goods = figure("goods", aid["goods_amount"], "amount")
    if goods.usable and goods.number:
        helped.append(sentence("goods", T["goods"], [goods], "money"))
    para += punctuate(helped)
    paragraphs.append(tuple(para))

    # Precise services, the talent pool, suggestions.
    svc = data.query(services_q.fetch_service_summary, f, s, by=(), services=None).iloc[0]
    pool = data.query(talent_q.fetch_pool, f, s, by=()).iloc[0]
    sg = data.query(suggestions_q.fetch_summary, f, s, as_of=day, by=()).iloc[0]
    care = []
    if int(svc["requested"] or 0):
        care.append(
            sentence(
                "services",
                T["services"],
                [
                    figure("services_requested", svc["requested"], unit="pieces"),
                    figure("services_delivered", svc["delivered"], unit="pieces"),
                    figure("services_delivery_rate", svc["delivery_rate"], "rate"),
                ],
                "services",
            )
        )
    talent = [
        figure("tl_pool", pool["pool"]),
        figure("tl_participants", pool["participants"]),
        figure("tl_participation", pool["participation_rate"], "rate"),
    ]
    if all(x.usable for x in talent) and talent[0].number:
        care.append(sentence("talent", T["talent"], talent, "talent"))
    elif any(is_hidden(x.value) for x in talent):
        care.append(sentence("hidden_note", T["hidden_note"]))
    if int(sg["received"] or 0):
        sgs = [
            figure("sg_received", sg["received"], unit="pieces"),
            figure("sg_answered_on_time", sg["on_time"], unit="pieces"),
            figure("sg_on_time", sg["on_time_rate"], "rate"),
        ]
        if all(x.usable for x in sgs):
            care.append(sentence("suggestions", T["suggestions"], sgs, "suggestions"))
        if int(sg["overdue"] or 0):
            care.append(
                sentence(
                    "sg_overdue", T["sg_overdue"], [figure("sg_overdue", sg["overdue"], unit="pieces")], "suggestions"
                )
            )
    else:
        care.append(sentence("suggestions", T["suggestions_none"]))
    paragraphs.append(tuple(punctuate(care)))
    return tuple(p for p in paragraphs if p)


def _pace(rate, progress: float) -> str:
    """执行状态 in the briefing's words, from rules.budget_pace (the pages' one judgement)."""
    state = rules.budget_pace(rate, progress)
    if state == rules.BEHIND:
        return labels.BRIEFING_PACE["behind"].format(pts=f"{(progress - rate) * 100:.1f}")
    if state == rules.ON_PACE:
        gap = rate - progress
        pts = f"{abs(gap) * 100:.1f}"
        key = "level" if pts == "0.0" else ("ahead" if gap > 0 else "behind")
        return labels.BRIEFING_PACE["on_pace"].format(gap=labels.BRIEFING_PACE_GAP[key].format(pts=pts))
    return labels.BRIEFING_PACE[state]


# ---------------------------------------------------------------------------- 四、需要关注


def attention(ctx: PageContext) -> tuple[tuple[Sentence, ...], ...]:
    """The overview's attention items (overview.attention_items, the same rules), one
    numbered sentence each, naming the page that lists them."""
    found, _ = overview.attention_items(ctx)
    if not found:
        return ((sentence("attention_none", T["attention_none"]),),)
    return tuple(
        (
            Sentence(
                f"attention_{i}",
                T["attention_item"].format(
                    text=_braces(register(item.text)), page=labels.PAGE_TITLES.get(item.page, "")
                ),
                page=item.page,
            ),
        )
        for i, item in enumerate(found, 1)
    )


_SPACE_AFTER_NUMBER = re.compile(r"(?<=[\d%])\s+(?=[\u4e00-\u9fff（])")
_SPACE_BEFORE_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff）])\s+(?=[\d])")


def register(text: str) -> str:
    """A page's text in the report's register: no space between a number and Chinese
    ("974 人逾期" -> "974人逾期")."""
    return _SPACE_BEFORE_NUMBER.sub("", _SPACE_AFTER_NUMBER.sub("", text))


def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


# ---------------------------------------------------------------------------- charts


def charts(ctx: PageContext) -> tuple[Chart, ...]:
    """The charts of the pages the briefing cites, as data (drawn by dashboard.briefing_docs)."""
    f, s = ctx.filters, ctx.scope
    out = []
    by_area = data.query(contacts.fetch_coverage, f, s, by=("area_code",))
    by_area = by_area[by_area["population"] > 0].sort_values("coverage")
    if len(by_area) > 1:
        city = data.query(contacts.fetch_coverage, f, s).iloc[0]["coverage"]
        out.append(
            Chart(
                "coverage_by_area",
                labels.BRIEFING_CHART_COVERAGE.format(year=ctx.as_of.year),
                tuple(ctx.area_names.get(a, a) for a in by_area["area_code"]),
                tuple(float(v) for v in by_area["coverage"]),
                "rate",
                float(city),
                where(ctx),
            )
        )
    years = overview.yearly_filters(ctx)
    series: dict[str, list[float]] = {c: [] for c in ("veteran", "retiree", "survivor")}
    for _, yf in years:
        df = data.query(people_q.fetch_population_summary, yf, s, by=("category",)).set_index("category")["people"]
        for c in series:
            series[c].append(float(df.get(c, 0)))
    if len(years) > 1:
        out.append(
            Chart(
                "trend",
                labels.BRIEFING_CHART_TREND,
                tuple(f"{y}年" for y, _ in years),
                (),
                "count",
                series=tuple((labels.CATEGORY[c], tuple(v)) for c, v in series.items()),
            )
        )
    bud = data.query(money_q.fetch_budget_execution, f, s, by=("budget_category",))
    bud = bud[bud["budget"] > 0]
    bud = bud[[_number(v) is not None for v in bud["execution_rate"]]]
    if len(bud):
        tp = period_time_progress(f.period.start, f.period.end, ctx.as_of)
        out.append(
            Chart(
                "budget",
                labels.BRIEFING_CHART_BUDGET,
                tuple(labels.BUDGET_CATEGORY.get(c, c) for c in bud["budget_category"]),
                tuple(float(v) for v in bud["execution_rate"]),
                "rate",
                tp,
                labels.BRIEFING_FIGURES["time_progress"][0],
            )
        )
    return tuple(out)


# ---------------------------------------------------------------------------- the whole


def check(ctx: PageContext) -> str | None:
    """The sentence written in place of a briefing for a scope with nobody in it."""
    if int(data.query(people_q.fetch_population_summary, ctx.filters, ctx.scope).iloc[0]["people"]) == 0:
        return labels.BRIEFING_BAD["nobody"].format(where=where(ctx), date=date_text(ctx.as_of))
    return None


@data.derived
def build(ctx: PageContext) -> Briefing:
    """The briefing for a context made by :func:`briefing_context` (cached like every
    page's figures: a warm page draws it without a query)."""
    problem = check(ctx)
    if problem:
        return Briefing(ctx.as_of, where(ctx), problem=problem)
    sections = (
        Section("basics", labels.BRIEFING_SECTIONS["basics"], basics(ctx)),
        Section("changes", labels.BRIEFING_SECTIONS["changes"], changes(ctx)),
        Section("progress", labels.BRIEFING_SECTIONS["progress"], progress(ctx)),
        Section("attention", labels.BRIEFING_SECTIONS["attention"], attention(ctx), numbered=True),
    )
    return Briefing(ctx.as_of, where(ctx), sections, charts(ctx))


# ---------------------------------------------------------------------------- comparison


def compared_with(current: Briefing, earlier: Briefing, when: str) -> dict[str, str]:
    """Figure key -> "较上年同期增加12人" for every figure both briefings print."""
    before = earlier.figures()
    out = {}
    for key, f in current.figures().items():
        b = before.get(key)
        if b is None or f.number is None or b.number is None or f.kind != b.kind:
            continue
        out[key] = change_text(f, f.number - b.number, when)
    return out


def change_text(f: Figure, d: float, when: str) -> str:
    c = labels.BRIEFING_CHANGE
    if f.kind == "rate":
        pts = f"{abs(d) * 100:.1f}"
        if pts == "0.0":
            return c["rate_same"].format(when=when)
        return c["rate_up" if d > 0 else "rate_down"].format(when=when, v=pts)
    if f.kind in ("age",):
        v = f"{abs(d):.1f}"
        unit = labels.BRIEFING_UNITS["years"]
    elif f.kind == "amount":
        v = _trim(abs(d) / 10_000, 2)
        unit = "万元"
    elif f.kind == "per_person":
        v, unit = f"{round(abs(d)):,}", "元"
    else:
        v = f"{int(round(abs(d))):,}"
        unit = _unit_of(f)
    if float(v.replace(",", "")) == 0:
        return c["same"].format(when=when)
    return c["up" if d > 0 else "down"].format(when=when, v=f"{v}{unit}")


def _unit_of(f: Figure) -> str:
    """The unit a count is written with (the tail of its shown text)."""
    text = f.shown
    i = len(text)
    while i and not (text[i - 1].isdigit()):
        i -= 1
    tail = text[i:]
    return "人" if tail in ("万人",) else tail


def when_text(as_of: dt.date, other: dt.date) -> str:
    """ "上年同期" for the same day a year earlier, else the date."""
    if other == year_ago(as_of):
        return labels.BRIEFING_LAST_YEAR
    return labels.BRIEFING_WHEN.format(date=date_text(other))


@dataclass(frozen=True)
class Diff:
    section: str
    before: str
    after: str
    spans_before: tuple[tuple[int, int], ...] = field(default=())
    spans_after: tuple[tuple[int, int], ...] = field(default=())


def diff(current: Briefing, earlier: Briefing) -> list[Diff]:
    """The two briefings paragraph by paragraph, with the changed character spans."""
    import difflib

    out = []
    old = dict((t, p) for t, p in earlier.paragraph_texts())
    for title, paras in current.paragraph_texts():
        before_paras = old.get(title, [])
        for i in range(max(len(paras), len(before_paras))):
            a = before_paras[i] if i < len(before_paras) else ""
            b = paras[i] if i < len(paras) else ""
            m = difflib.SequenceMatcher(None, a, b, autojunk=False)
            sa, sb = [], []
            for op, i1, i2, j1, j2 in m.get_opcodes():
                if op != "equal":
                    if i2 > i1:
                        sa.append((i1, i2))
                    if j2 > j1:
                        sb.append((j1, j2))
            out.append(Diff(title, a, b, tuple(sa), tuple(sb)))
    return out
