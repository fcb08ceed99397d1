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

from dashboard import data, labels, metrics, overview, status
from dashboard.context import PageContext
from data_access import codes, contacts, rules
from data_access import money as money_q
from data_access import people as people_q
from data_access.filters import Filters, Period
from data_access.money import period_time_progress
from data_access.privacy import is_hidden

T = labels.BRIEFING_TEXT
P = labels.BRIEFING_PUNCT

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


# The catalogue's kinds as the briefing writes them.
_KINDS = {
    metrics.RATE: "rate",
    metrics.COUNT: "count",
    metrics.MONEY: "amount",
    metrics.PER_PERSON: "per_person",
    metrics.AGE: "age",
    metrics.DAYS: "count",
}


def definition(key: str) -> tuple[str, str]:
    """(name, 口径) of a figure: its record in the metric catalogue, else the briefing's own
    record of a breakdown the report gives (read through its parent record's query)."""
    if key in metrics.BY_KEY:
        m = metrics.get(key)
        return m.name, m.help
    return labels.BRIEFING_FIGURES[key]


def figure(
    key: str, value, kind: str | None = None, unit: str | None = None, *, record: str | None = None, judgement=None
):
    """THE adapter: a figure record for ``key`` — name and 口径 from the catalogue (of
    ``record`` when a breakdown shares its parent's 口径), the value a catalogue query gave,
    how it reads in the report's register (the record's kind and unit unless given), and
    its judgement."""
    m = metrics.BY_KEY.get(record or key)
    if kind is None:  # a count given with its unit is a count, even under a rate's 口径
        kind = "count" if unit is not None or m is None else _KINDS.get(m.kind, "count")
    unit = unit or (m.unit if m and m.kind in (metrics.COUNT, metrics.AGE) else "people")
    name, text = definition(record or key)
    return Figure(key, name, text, value, shown(value, kind, unit), kind, judgement)


# ---------------------------------------------------------------------------- catalogue reads


def total(ctx: PageContext, key: str, filters: Filters | None = None) -> tuple[object, object, object]:
    """(value, numerator, denominator) of a catalogue figure for the briefing's context:
    the record's own query (through the pages' cache) and its own total."""
    m = metrics.get(key)
    return m.total(m.load(filters or ctx.filters, ctx.scope, ctx.as_of))


def rows(ctx: PageContext, key: str, filters: Filters | None = None, by: tuple[str, ...] | None = None):
    """The frame of a catalogue record's query (grouped ``by``, else as the record groups)."""
    m = metrics.get(key)
    return m.load(filters or ctx.filters, ctx.scope, ctx.as_of, by=by)


def split(ctx: PageContext, key: str, dim: str, filters: Filters | None = None, column: str | None = None) -> dict:
    """A breakdown of a catalogue figure by ``dim``: its record's query grouped by that
    dimension, the record's value column (or ``column`` of the same frame) per group."""
    frame = rows(ctx, key, filters, (dim,))
    return dict(zip(frame[dim], frame[column or metrics.get(key).value])) if len(frame) else {}


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
    compares: bool = True  # False: the sentence states its own change (两增一减)
    link: tuple[tuple[str, tuple[str, ...]], ...] = ()  # the page's parameters that show it (需要关注)

    def text(self, changes: Mapping[str, str] | None = None) -> str:
        fields = dict(self.words)
        for f in self.figures:
            change = (changes or {}).get(f.key) if self.compares else None
            fields[f.key] = labels.BRIEFING_CHANGE_AFTER.format(shown=f.shown, change=change) if change else f.shown
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


def joined(key: str, parts: Sequence[Sentence], sep: str = P["comma"], page: str | None = None) -> Sentence | None:
    """Clauses as one sentence (their figures together), or None when there is none."""
    if not parts:
        return None
    figs = tuple(f for p in parts for f in p.figures)
    words = tuple(sorted({w for p in parts for w in p.words}))
    return Sentence(key, sep.join(p.template for p in parts), figs, words, page or parts[0].page)


def punctuate(
    parts: Sequence[Sentence | None], prefix: str = "", sep: str = P["semicolon"], end: str = P["stop"]
) -> list[Sentence]:
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
                paras = [f"{i}. {t}" for i, t in enumerate(paras, 1)]
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


def _sum_counts(values: Iterable) -> object:
    """A breakdown's cells added (a sum the query's frame already implies, e.g. 县级及以下 =
    县处级 + 科级及以下); hidden when any part is."""
    values = list(values)
    if any(is_hidden(v) for v in values):
        return next(v for v in values if is_hidden(v))
    return int(sum(int(v) for v in values if v is not None and v == v))


def _only(f: Filters, *categories: str) -> Filters:
    return dataclasses.replace(f, categories=categories)


def basics(ctx: PageContext) -> tuple[tuple[Sentence, ...], ...]:
    f, w, day = ctx.filters, where(ctx), date_text(ctx.as_of)
    count = {k: total(ctx, k)[0] for k in ("veterans", "retirees", "survivors")}
    n = {k: int(_number(v) or 0) for k, v in count.items()}
    vf, rf = _only(f, "veteran"), _only(f, "retiree")
    hidden = False
    paragraph: list[Sentence] = []

    # 离休干部: count, average age, and the report's three splits.
    if n["veterans"]:
        figs = {
            "veterans": figure("veterans", count["veterans"]),
            "veteran_age": figure("veteran_age", total(ctx, "veteran_age")[0]),
        }
        paragraph.append(sentence("veterans", T["veterans"], figs.values(), "overview", where=w, date=day))
        by_area = split(ctx, "veterans", "area_code", vf)
        by_period = split(ctx, "veterans", "revolution_period", vf)
        by_rank = split(ctx, "veterans", "rank", vf)
        breakdown = {
            "veterans_city": by_area.get(codes.CITY, 0),
            "veterans_district": _sum_counts(v for a, v in by_area.items() if a != codes.CITY),
            "veterans_liberation": by_period.get("liberation", 0),
            "veterans_anti_japanese": by_period.get("anti_japanese", 0),
            "veterans_prefecture_principal": by_rank.get("prefecture_principal", 0),
            "veterans_prefecture_deputy": by_rank.get("prefecture_deputy", 0),
            "veterans_county_and_below": _sum_counts(by_rank.get(r, 0) for r in ("county", "section")),
        }
        figs.update({k: figure(k, v, unit="people") for k, v in breakdown.items()})
        clauses = []
        for group in (
            ("veterans_city", "veterans_district"),
            ("veterans_liberation", "veterans_anti_japanese"),
            ("veterans_prefecture_principal", "veterans_prefecture_deputy", "veterans_county_and_below"),
        ):
            parts, h = items(group, figs)
            hidden |= h
            if len(parts) > 1 or (h and parts):  # a split with one part only repeats the total
                clauses.append(joined(group[0], parts, page="groups"))
        survivors, h = _survivors(ctx)
        hidden |= h
        paragraph += punctuate([*clauses, survivors], prefix=T["veterans_split_intro"])
    else:
        paragraph.append(sentence("veterans", T["veterans_none"], where=w, date=day))
        survivors, h = _survivors(ctx)
        hidden |= h
        paragraph += punctuate([survivors])

    # 退休干部: count, by employer type, the 副地级实职以上 cohort (the key cohort's retirees).
    if n["retirees"]:
        figs = {"retirees": figure("retirees", count["retirees"])}
        types = ("city_organ", "district_organ", "township", "institution", "enterprise")
        by_type = split(ctx, "retirees", "unit_type", rf)
        for t in types:
            figs[f"retirees_{t}"] = figure(f"retirees_{t}", by_type.get(t, 0), unit="people")
        key_by_rank = split(ctx, "retirees", "rank", rf, column="key_cohort")
        principal, deputy = (int(_number(key_by_rank.get(r, 0)) or 0) for r in codes.PREFECTURE_RANKS)
        figs["prefecture_retirees"] = figure("prefecture_retirees", principal + deputy, unit="named")
        figs["prefecture_retirees_principal"] = figure("prefecture_retirees_principal", principal, unit="people")
        figs["prefecture_retirees_deputy"] = figure("prefecture_retirees_deputy", deputy, unit="people")
        head = sentence("retirees", T["retirees"], [figs["retirees"]], "overview", where=w)
        parts, h = items([f"retirees_{t}" for t in types], figs)
        hidden |= h
        clauses = [
            joined("retirees", [head, joined("retirees_by_type", parts)] if len(parts) > 1 else [head], P["among"])
        ]
        if principal + deputy:
            ranks, _ = items(["prefecture_retirees_principal", "prefecture_retirees_deputy"], figs)
            cohort = sentence(
                "prefecture_retirees", T["prefecture_retirees"], [figs["prefecture_retirees"]], "contacts"
            )
            inner = [cohort, joined("prefecture_ranks", ranks)] if len(ranks) > 1 else [cohort]
            clauses.append(joined("prefecture_retirees", inner, P["among"]))
        paragraph += punctuate(clauses)
    else:
        paragraph.append(sentence("retirees", T["retirees_none"], where=w))

    # 党支部: count by kind, members served (万 as the report writes it), retiree secretaries.
    branches, _, _ = total(ctx, "branches")
    if _number(branches):
        share, secretaries, _ = total(ctx, "secretary_share")
        kinds = split(ctx, "branches", "kind")
        figs = {
            "branches": figure("branches", branches),
            "members": figure("members", total(ctx, "members")[0], "wan"),
            "retiree_secretaries": figure(
                "retiree_secretaries", secretaries, unit="branches", record="retiree_secretaries"
            ),
            "secretary_share": figure("secretary_share", share),
        }
        for k in codes.BRANCH_KINDS:
            figs[f"branches_{k}"] = figure(f"branches_{k}", kinds.get(k, 0), unit="branches")
        parts, _ = items([f"branches_{k}" for k in codes.BRANCH_KINDS], figs)
        head = sentence("branches", T["branches"], [figs["branches"]], "branches", where=w)
        if len(parts) > 1:
            inner = joined("branches_by_kind", parts)
            head = dataclasses.replace(
                head,
                template=head.template + P["open"] + inner.template + P["close"],
                figures=head.figures + inner.figures,
            )
        clauses = [
            head,
            sentence("members", T["members"], [figs["members"]], "branches"),
            sentence(
                "retiree_secretaries",
                T["retiree_secretaries"],
                [figs["retiree_secretaries"], figs["secretary_share"]],
                "branches",
            ),
        ]
        paragraph += punctuate(clauses, sep=P["comma"])
    else:
        paragraph.append(sentence("branches", T["branches_none"], where=w))
    paragraph += _note(hidden)
    # One paragraph per cohort, as the report reads: veterans, retirees, branches.
    return _split(paragraph, ("retirees", "branches"))


def _note(hidden: bool) -> list[Sentence]:
    """The note that stands for the clauses the small-cell rule took out (never inside one)."""
    return [sentence("hidden_note", T["hidden_note"])] if hidden else []


def _survivors(ctx: PageContext) -> tuple[Sentence | None, bool]:
    """遗属, and those living away among all three categories (the report's mixed group)."""
    value = total(ctx, "survivors")[0]
    parts = [
        sentence("survivors", T["survivors"], [figure("survivors", value)], "overview")
        if _number(value)
        else sentence("survivors", T["survivors_none"])
    ]
    away = figure("living_away", total(ctx, "group_living_away")[0], record="living_away")
    if away.usable and away.number:
        parts.append(sentence("living_away", T["living_away"], [away], "groups"))
    return joined("survivors", parts), is_hidden(away.value)


def _split(sentences: Sequence[Sentence], starts: Sequence[str]) -> tuple[tuple[Sentence, ...], ...]:
    """The sentences as paragraphs, a new one at each key in ``starts``."""
    out: list[list[Sentence]] = [[]]
    for s in sentences:
        if s.key in starts and out[-1]:
            out.append([])
        out[-1].append(s)
    return tuple(tuple(p) for p in out if p)


# ---------------------------------------------------------------------------- 二、队伍变化


def _change_words(now: int, before: int, unit: str = labels.BRIEFING_UNITS["people"]) -> str:
    d = now - before
    if d == 0:
        return labels.BRIEFING_CHANGE["same"].format(when=labels.BRIEFING_LAST_YEAR)
    word = "up" if d > 0 else "down"
    return labels.BRIEFING_CHANGE[word].format(when=labels.BRIEFING_LAST_YEAR, v=f"{abs(d):,}{unit}")


def changes(ctx: PageContext) -> tuple[tuple[Sentence, ...], ...]:
    f = ctx.filters
    prev_day = year_ago(ctx.as_of)
    paragraphs = []
    if prev_day < dt.date(ctx.first_year, 1, 1) - dt.timedelta(days=1):
        paragraphs.append((sentence("no_prior", T["no_prior"], date=date_text(prev_day)),))
    else:
        prev = dataclasses.replace(
            ctx,
            selection=dataclasses.replace(ctx.selection, filters=f.with_period(period_of(prev_day))),
            as_of=prev_day,
        )
        now_then = {}
        for key in ("cadres_total", "retirees", "veterans"):
            if key == "cadres_total":
                pair = [total(x, "groups_people", _only(x.filters, "veteran", "retiree"))[0] for x in (ctx, prev)]
            else:
                pair = [total(x, key)[0] for x in (ctx, prev)]
            now_then[key] = tuple(int(_number(v) or 0) for v in pair)
        figs = [figure(k, now_then[k][0], unit="people") for k in ("cadres_total", "retirees", "veterans")]
        stated = sentence(
            "two_up_one_down",
            T["two_up_one_down"],
            figs,
            "groups",
            cadres_total_change=_change_words(*now_then["cadres_total"]),
            retirees_change=_change_words(*now_then["retirees"]),
            veterans_change=_change_words(*now_then["veterans"]),
        )
        para = [dataclasses.replace(stated, compares=False)]
        (t1, t0), (r1, r0), (v1, v0) = (now_then[k] for k in ("cadres_total", "retirees", "veterans"))
        yes = t1 > t0 and r1 > r0 and v1 < v0
        para.append(sentence("two_up_one_down_judgement", T["two_up_one_down_yes" if yes else "two_up_one_down_no"]))
        paragraphs.append(tuple(para))

    ageing = []
    old = {}
    for g in ("aged_80_plus", "aged_90_plus"):
        value, _, people = total(ctx, f"group_{g}")
        old[g] = (value, people)
    figs = [
        figure("aged_80_plus", old["aged_80_plus"][0], record="group_aged_80_plus"),
        figure("aged_80_share", _share(*old["aged_80_plus"]), "rate", record="group_aged_80_plus"),
        figure("aged_90_plus", old["aged_90_plus"][0], record="group_aged_90_plus"),
        figure("aged_90_share", _share(*old["aged_90_plus"]), "rate", record="group_aged_90_plus"),
    ]
    if all(x.usable for x in figs) and figs[0].number:
        ageing.append(sentence("ageing", T["ageing"], figs, "groups"))
    shares = [
        figure(f"{cat}_impaired_share", total(ctx, "impaired_share", _only(f, cat))[0], record="impaired_share")
        for cat in ("veteran", "retiree")
    ]
    if all(x.usable for x in shares):
        ageing.append(sentence("impaired", T["impaired"], shares, "groups"))
    living = [
        figure(g, total(ctx, f"group_{g}")[0], record=f"group_{g}")
        for g in ("lives_alone", "empty_nest", "living_away")
    ]
    para = punctuate(ageing)
    if all(x.usable for x in living):
        para += punctuate([sentence("living", T["living"], living, "groups")])
    hidden = any(is_hidden(x.value) for x in [*figs, *shares, *living])
    para += _note(hidden)
    if para:
        paragraphs.append(tuple(para))
    return tuple(paragraphs)


def _share(n, people):
    """A group's share of the people in view, as the 重点人群 page divides it."""
    from dashboard.groups_view import share

    if n is None or _number(people) is None:
        return None
    return share(n, int(people))


# ---------------------------------------------------------------------------- 三、工作进展


def progress(ctx: PageContext) -> tuple[tuple[Sentence, ...], ...]:
    day = ctx.as_of
    period = labels.BRIEFING_PERIOD.format(year=day.year)
    paragraphs = []

    # Contact coverage, the key cohort, overdue; tier cadence and festival visits.
    key, key_reached, key_population = total(ctx, "key_coverage")
    contact = []
    if _number(key_population):
        verdict = metrics.get("key_coverage").judge(key)
        short = int(key_population) - int(key_reached)
        words = T["key_met"] if verdict.state == "met" else T["key_short"].format(n=f"{short:,}")
        contact.append(
            sentence(
                "key_coverage",
                T["key_coverage"],
                [
                    figure("key_coverage", key, judgement=verdict.text),
                    figure("key_reached", key_reached, unit="people", record="key_coverage"),
                ],
                "contacts",
                period=period,
                key_judgement=words,
            )
        )
    else:
        contact.append(sentence("key_coverage", T["key_coverage_none"], where=where(ctx)))
    cov, reached, _ = total(ctx, "coverage")
    contact.append(
        sentence(
            "coverage",
            T["coverage"],
            [figure("coverage", cov), figure("reached", reached, unit="people", record="coverage")],
            "contacts",
        )
    )
    overdue = total(ctx, "overdue")[0]
    contact.append(
        sentence("overdue", T["overdue"], [figure("overdue", overdue)], "contacts")
        if _number(overdue)
        else sentence("overdue", T["overdue_none"])
    )
    para = punctuate(contact)
    tier_parts = [
        sentence(
            f"tier_{int(r.tier)}",
            T["tier_item"].format(
                tier=labels.BRIEFING_TIER[int(r.tier)],
                cadence=labels.CADENCE[r.cadence],
                rate=f"{{tier_compliance_{int(r.tier)}}}",
            ),
            [figure(f"tier_compliance_{int(r.tier)}", r.compliance, record="tier_compliance")],
            "services",
        )
        for r in rows(ctx, "tier_compliance").itertuples()
        if _number(r.compliance) is not None
    ]
    closing = []
    if tier_parts:
        inner = joined("tiers", tier_parts)
        closing.append(dataclasses.replace(inner, template=T["tiers"].replace("{tiers}", inner.template)))
    festival, visited, listed = total(ctx, "festival")
    if _number(listed):
        closing.append(
            sentence(
                "festival",
                T["festival"],
                [figure("festival", festival), figure("visited", visited, unit="person_times", record="festival")],
                "contacts",
            )
        )
    para += punctuate(closing)
    paragraphs.append(tuple(para))

    # Organisational life (the branches with gaps by the same rule as the 党支部 page).
    life = rows(ctx, "activity")
    completion, complete, owed = total(ctx, "activity")
    org = []
    if _number(owed):
        gaps = len(status.branches_with_gaps(data.org_life_by_branch(life)))
        org.append(
            sentence(
                "org_life",
                T["org_life"],
                [
                    figure("activity", completion),
                    figure("months_complete", complete, unit="branch_months", record="activity"),
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
    f = ctx.filters
    tp = period_time_progress(f.period.start, f.period.end, day)
    rate, actual, _ = total(ctx, "execution")
    money = []
    if _number(rate) is not None:
        pace = _pace(metrics.get("execution").judge(rate, tp).state, rate, tp)
        money.append(
            sentence(
                "execution",
                T["execution"],
                [
                    figure("execution", rate, judgement=pace),
                    figure("actual", actual, "amount", record="execution"),
                    figure("time_progress", tp),
                ],
                "money",
                pace=pace,
            )
        )
        precise = total(ctx, "precise_execution")[0]
        if _number(precise) is not None:
            pace = _pace(metrics.get("precise_execution").judge(precise, tp).state, precise, tp)
            money.append(
                sentence(
                    "precise_execution",
                    T["precise_execution"],
                    [figure("precise_execution", precise, judgement=pace)],
                    "money",
                    precise_pace=pace,
                )
            )
    para += punctuate(money)

    # Hardship aid and goods.
    recipients, cash, _ = total(ctx, "aid")
    aid_figs = [
        figure("aid_recipients", recipients, record="aid"),
        figure("aid_amount", cash, "amount"),
        figure("per_recipient", total(ctx, "aid_per_recipient")[0], record="aid_per_recipient"),
    ]
    helped, hidden = [], False
    if all(x.usable for x in aid_figs) and aid_figs[0].number:
        helped.append(sentence("aid", T["aid"], aid_figs, "money"))
    elif any(is_hidden(x.value) for x in aid_figs):
        hidden = True
    else:
        helped.append(sentence("aid", T["aid_none"]))
    goods = figure("goods", total(ctx, "goods")[0])
    if goods.usable and goods.number:
        helped.append(sentence("goods", T["goods"], [goods], "money"))
    hidden |= is_hidden(goods.value)
    para += punctuate(helped) + _note(hidden)
    paragraphs.append(tuple(para))

    # Precise services, the talent pool, suggestions.
    care, hidden = [], False
    requested = total(ctx, "services_requested")[0]
    if _number(requested):
        rate, delivered, _ = total(ctx, "services_delivery_rate")
        care.append(
            sentence(
                "services",
                T["services"],
                [
                    figure("services_requested", requested),
                    figure("services_delivered", delivered, unit="pieces"),
                    figure("services_delivery_rate", rate),
                ],
                "services",
            )
        )
    participation, participants, _ = total(ctx, "tl_participation")
    talent = [
        figure("tl_pool", total(ctx, "tl_pool")[0]),
        figure("tl_participants", participants, unit="people"),
        figure("tl_participation", participation),
    ]
    if all(x.usable for x in talent) and talent[0].number:
        care.append(sentence("talent", T["talent"], talent, "talent"))
    else:
        hidden = any(is_hidden(x.value) for x in talent)
    received = total(ctx, "sg_received")[0]
    if _number(received):
        on_time_rate, on_time, _ = total(ctx, "sg_on_time")
        sgs = [
            figure("sg_received", received),
            figure("sg_answered_on_time", on_time, unit="pieces"),
            figure("sg_on_time", on_time_rate),
        ]
        if all(x.usable for x in sgs):
            care.append(sentence("suggestions", T["suggestions"], sgs, "suggestions"))
        overdue = total(ctx, "sg_overdue")[0]
        if _number(overdue):
            care.append(sentence("sg_overdue", T["sg_overdue"], [figure("sg_overdue", overdue)], "suggestions"))
    else:
        care.append(sentence("suggestions", T["suggestions_none"]))
    paragraphs.append(tuple(punctuate(care) + _note(hidden)))
    return tuple(p for p in paragraphs if p)


def _pace(state: str, rate, progress: float) -> str:
    """执行状态 in the briefing's words, from the catalogue's judgement (rules.budget_pace)."""
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
                link=tuple((k, tuple(v)) for k, v in sorted(item.params.items())),
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
                tuple(labels.BRIEFING_YEAR.format(y=y) for y, _ in years),
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
                metrics.get("time_progress").name,
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
    items_ = attention(ctx)
    sections = (
        Section("basics", labels.BRIEFING_SECTIONS["basics"], basics(ctx)),
        Section("changes", labels.BRIEFING_SECTIONS["changes"], changes(ctx)),
        Section("progress", labels.BRIEFING_SECTIONS["progress"], progress(ctx)),
        Section(
            "attention", labels.BRIEFING_SECTIONS["attention"], items_, numbered=items_[0][0].key != "attention_none"
        ),
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
        unit = labels.BRIEFING_UNITS["wan_yuan"]
    elif f.kind == "per_person":
        v, unit = f"{round(abs(d)):,}", labels.BRIEFING_UNITS["yuan"]
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
    people = labels.BRIEFING_UNITS["people"]
    return people if tail == labels.BRIEFING_TEN_THOUSAND.format(v="") + people else tail


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
