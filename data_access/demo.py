"""Deterministic demo ledger that reproduces the municipal report's figures.

    python -m data_access.demo --url sqlite:///data/demo.sqlite [--scale K] [--seed N]

At the snapshot date 2019-12-31 a ledger of scale 1 reproduces exactly every figure of
the report (see ``../shared/domain.md``); activity runs from 2018-01-01 to 2020-12-31
with festival peaks and honest imperfections (lagging districts, under-spent budgets,
branches that skip activities, overdue contacts). ``--scale K`` writes K independent
replicas of the city (K=20 is about a province): every count of the report times K.
Memory stays bounded: one replica is generated and written at a time, in batches.

Everything is synthetic: invented names, phone numbers that no Chinese mobile number can
have (prefix 10), no ID numbers at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import sqlalchemy as sa

from data_access import schema
from data_access.codes import CITY

SNAPSHOT = dt.date(2019, 12, 31)
ACTIVITY_START = dt.date(2018, 1, 1)
ACTIVITY_END = dt.date(2021, 1, 1)  # exclusive
DEFAULT_SEED = 20191231
BATCH_ROWS = 20_000
PEOPLE_ID_STRIDE = 100_000  # ids of replica k start at k * stride
UNIT_ID_STRIDE = 1_000

# (code, name, kind, census population 2010 as demo weight)
AREAS: tuple[tuple[str, str, str, int], ...] = (
    (CITY, "市直", "city", 0),
    ("620102", "城关区", "district", 1_278_745),
    ("620103", "七里河区", "district", 561_020),
    ("620104", "西固区", "district", 364_050),
    ("620105", "安宁区", "district", 288_510),
    ("620111", "红古区", "district", 136_101),
    ("620121", "永登县", "county", 418_789),
    ("620122", "皋兰县", "county", 131_785),
    ("620123", "榆中县", "county", 437_163),
)
NEW_AREA = ("620171", "兰州新区", "new_area", 0)  # optional, disabled by default
DISTRICTS = tuple(a[0] for a in AREAS[1:])
DISTRICT_WEIGHTS = np.array([a[3] for a in AREAS[1:]], dtype=float)
# Areas whose contact work lags in 2020 (factor on the chance of each due contact).
LAGGING_2020 = {"620122": 0.62, "620123": 0.74}
# Execution factor of each area's precise-service and facility budgets (under-spending).
UNDERSPEND = {"620121": 0.55, "620122": 0.48, "620123": 0.66, "620111": 0.8}

TIERS = (
    (1, "一级", "weekly", 7, "失能、重病或90岁以上独居：每周联系"),
    (2, "二级", "monthly", 31, "80岁以上、慢性病伴独居或空巢：每月联系"),
    (3, "三级", "quarterly", 92, "生活自理但患慢性病或70岁以上：每季度联系"),
    (4, "四级", "festival", 245, "身体健康或异地居住：节日走访并电话联系"),
)
# Spring Festival dates 2018-2021 and the first day of each window (腊月十五).
SPRING_FESTIVALS = {
    2018: (dt.date(2018, 2, 16), dt.date(2018, 1, 31)),
    2019: (dt.date(2019, 2, 5), dt.date(2019, 1, 20)),
    2020: (dt.date(2020, 1, 25), dt.date(2020, 1, 9)),
    2021: (dt.date(2021, 2, 12), dt.date(2021, 1, 27)),
}

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
)
GIVEN_MALE = list("国华建明志强文军平德福海林生荣振东兴学忠庆友成祥春光伟永长胜世宏继俊元")
GIVEN_FEMALE = list("秀英桂兰玉珍淑芳凤琴丽华梅霞娟敏静翠萍云红莲玲慧月素兰菊香")
DEPARTMENTS = (
    "发展和改革委员会 教育局 科学技术局 工业和信息化局 公安局 民政局 司法局 财政局 "
    "人力资源和社会保障局 自然资源局 生态环境局 住房和城乡建设局 交通运输局 水务局 农业农村局 "
    "商务局 文化和旅游局 卫生健康委员会 退役军人事务局 应急管理局 审计局 市场监督管理局 统计局 "
    "医疗保障局 林业局 城市管理局 信访局 机关事务管理局 人民法院 人民检察院 总工会 妇女联合会 "
    "科学技术协会 文学艺术界联合会 档案馆 党校 人大常委会办公室 政协办公室 组织部 宣传部"
).split()
INSTITUTIONS = (
    "第一人民医院 第二人民医院 中医医院 妇幼保健院 疾病预防控制中心 第一中学 第二中学 第三中学 "
    "实验小学 职业技术学校 广播电视台 图书馆 文化馆 博物馆 规划设计研究院 农业技术推广中心 "
    "水利工作站 气象站 园林管理处 供水中心 社会福利院 体育中心 广播电视大学 科技情报所"
).split()
ENTERPRISES = (
    "机械厂 毛纺厂 化工厂 钢铁厂 电机厂 针织厂 糖厂 面粉厂 商业储运公司 建筑公司 运输公司 "
    "百货公司 粮油公司 印刷厂 水泥厂 皮革厂"
).split()
TOWN_STEMS = list("和平新城红星青石黄河金城柳泉兴隆三角河口中川秦川树屏苦水龙泉东岗西岔花庄")
SUGGESTION_DEPARTMENTS = (
    "市民政局",
    "市卫生健康委员会",
    "市人力资源和社会保障局",
    "市财政局",
    "市住房和城乡建设局",
    "市交通运输局",
    "市文化和旅游局",
    "市医疗保障局",
)
TALENT_FIELD_NAMES = {
    "technology": "科技",
    "agriculture": "农业",
    "education": "教育",
    "medicine": "医疗卫生",
    "law": "法律",
    "culture": "文化",
    "economy": "经济",
}
TALENT_ACTIVITY_TITLES = {  # kind code -> title template (stored as data, in Chinese)
    "forum": "{field}工作座谈会",
    "research": "{field}专题调研",
    "training": "{field}知识授课培训",
    "advisory": "{field}咨询服务",
    "lecture": "{field}政策宣讲",
}
SUGGESTION_TOPICS = ("养老服务", "医疗保障", "城市建设", "文化生活", "交通出行", "生态环境", "社区治理", "教育发展")


# ---------------------------------------------------------------------------- helpers

EPOCH = dt.date(1970, 1, 1)


def day(d: dt.date) -> int:
    """Days since 1970-01-01 (numpy datetime64[D] integers)."""
    return (d - EPOCH).days


def ymd(y: int, m: int = 1, d: int = 1) -> int:
    return day(dt.date(y, m, d))


def to_dates(days: np.ndarray) -> list:
    """Integer days (NaT-like values < -10**9 mean empty) to a list of dates or None."""
    arr = np.asarray(days, dtype="int64")
    out = arr.astype("datetime64[D]").tolist()
    if (arr < -(10**9)).any():
        out = [None if v < -(10**9) else d for v, d in zip(arr.tolist(), out)]
    return out


NONE_DAY = -(2**62)  # marks an empty date in integer-day arrays


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(int)
    rest = total - base.sum()
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return base


def choose_exact(rng: np.random.Generator, n: int, k: int, p: np.ndarray | None = None) -> np.ndarray:
    """A boolean mask of length n with exactly k True, optionally weighted."""
    mask = np.zeros(n, dtype=bool)
    if k:
        if p is not None:
            p = np.asarray(p, dtype=float)
            p = p / p.sum()
        mask[rng.choice(n, size=k, replace=False, p=p)] = True
    return mask


def uniform_days(rng: np.random.Generator, lo, hi, size: int | None = None) -> np.ndarray:
    """Random integer days in [lo, hi) (broadcast arrays, or ``size`` draws of scalars)."""
    lo = np.asarray(lo, dtype="int64")
    hi = np.asarray(hi, dtype="int64")
    span = np.maximum(hi - lo, 1)
    shape = np.broadcast(lo, hi).shape if size is None else (size,)
    return lo + np.floor(rng.random(shape) * span).astype("int64")


def pick(rng: np.random.Generator, values: Sequence, n: int, p: Sequence[float] | None = None):
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    if p is not None:
        p = np.asarray(p, dtype=float) / np.sum(p)
    return arr[rng.choice(len(values), size=n, p=p)]


def synthetic_names(rng: np.random.Generator, female: np.ndarray) -> np.ndarray:
    n = len(female)
    sur = pick(rng, SURNAMES, n)
    g1m, g2m = pick(rng, GIVEN_MALE, n), pick(rng, GIVEN_MALE, n)
    g1f, g2f = pick(rng, GIVEN_FEMALE, n), pick(rng, GIVEN_FEMALE, n)
    two = rng.random(n) < 0.75
    g1 = np.where(female, g1f, g1m)
    g2 = np.where(female, g2f, g2m)
    return np.array([s + a + (b if t else "") for s, a, b, t in zip(sur, g1, g2, two)], dtype=object)


def synthetic_phones(rng: np.random.Generator, n: int) -> np.ndarray:
    # Chinese mobile numbers start 13-19: the prefix 10 can never be a real one.
    digits = rng.integers(0, 10**9, size=n)
    return np.array([f"10{d:09d}" for d in digits.tolist()], dtype=object)


# ---------------------------------------------------------------------------- writer


class Writer:
    """Inserts rows in batches and counts them."""

    def __init__(self, conn: sa.Connection):
        self.conn = conn
        self.counts: dict[str, int] = {}

    def insert(self, table: sa.Table, columns: dict[str, Iterable]) -> None:
        names = list(columns)
        values = [v.tolist() if isinstance(v, np.ndarray) else list(v) for v in columns.values()]
        n = len(values[0]) if values else 0
        for start in range(0, n, BATCH_ROWS):
            rows = [dict(zip(names, row)) for row in zip(*(v[start : start + BATCH_ROWS] for v in values))]
            self.conn.execute(table.insert(), rows)
        self.counts[table.name] = self.counts.get(table.name, 0) + n


class Ids:
    """Global id counters for tables whose rows are many and replica-independent."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def take(self, name: str, n: int) -> np.ndarray:
        start = self._next.get(name, 1)
        self._next[name] = start + n
        return np.arange(start, start + n, dtype="int64")


# ---------------------------------------------------------------------------- catalogues


def festival_windows() -> list[dict]:
    rows = []
    for year in range(2018, 2022):
        ny = dt.date(year, 1, 1)
        rows.append(("new_year", ny, dt.date(year - 1, 12, 20), dt.date(year, 1, 4)))
        sf, start = SPRING_FESTIVALS[year]
        rows.append(("spring_festival", sf, start, sf + dt.timedelta(days=15)))
        nd = dt.date(year, 10, 1)
        rows.append(("national_day", nd, dt.date(year, 9, 20), dt.date(year, 10, 8)))
    return [
        dict(id=i + 1, festival=f, festival_date=d, window_start=s, window_end=e) for i, (f, d, s, e) in enumerate(rows)
    ]


def write_catalogues(w: Writer, include_new_area: bool) -> None:
    areas = list(AREAS) + [NEW_AREA]
    w.insert(
        schema.areas,
        {
            "code": [a[0] for a in areas],
            "name": [a[1] for a in areas],
            "kind": [a[2] for a in areas],
            "sort_order": list(range(len(areas))),
            "enabled": [True] * len(AREAS) + [include_new_area],
        },
    )
    w.insert(
        schema.service_tiers,
        {
            "tier": [t[0] for t in TIERS],
            "name": [t[1] for t in TIERS],
            "cadence": [t[2] for t in TIERS],
            "cadence_days": [t[3] for t in TIERS],
            "description": [t[4] for t in TIERS],
        },
    )
    fw = festival_windows()
    w.insert(schema.festival_windows, {k: [r[k] for r in fw] for k in fw[0]})


# ---------------------------------------------------------------------------- one replica


@dataclass
class People:
    """Column arrays of the people of one replica (integer days for dates)."""

    cols: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.cols["id"])


class Replica:
    """One city: units, people, branches, activity and money, written as generated."""

    def __init__(self, k: int, seed: int, writer: Writer, ids: Ids):
        self.k = k
        self.rng = np.random.default_rng([seed, k])
        self.w = writer
        self.ids = ids
        self.snapshot = day(SNAPSHOT)
        self.start = day(ACTIVITY_START)
        self.end = day(ACTIVITY_END)

    # ------------------------------------------------------------------ units
    def make_units(self) -> None:
        rng = self.rng
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
        base = self.k * UNIT_ID_STRIDE
        self.unit_id = np.arange(base + 1, base + 1 + len(rows))
        self.unit_area = np.array([r[1] for r in rows], dtype=object)
        self.unit_type = np.array([r[2] for r in rows], dtype=object)
        self.unit_bankrupt = np.array([r[3] for r in rows], dtype=bool)
        self.unit_name = np.array([r[0] for r in rows], dtype=object)
        self.w.insert(
            schema.units,
            {
                "id": self.unit_id,
                "name": self.unit_name,
                "area_code": self.unit_area,
                "unit_type": self.unit_type,
                "bankrupt_restructured": self.unit_bankrupt,
            },
        )

    def units_of(self, area: str, unit_type: str) -> np.ndarray:
        return self.unit_id[(self.unit_area == area) & (self.unit_type == unit_type)]

    def draw_units(self, areas: np.ndarray, unit_type: str) -> np.ndarray:
        out = np.empty(len(areas), dtype="int64")
        for area in np.unique(areas):
            idx = np.flatnonzero(areas == area)
            pool = self.units_of(area, unit_type)
            out[idx] = self.rng.choice(pool, size=len(idx))
        return out

    # ------------------------------------------------------------------ people
    def district_areas(self, n: int, weights: np.ndarray | None = None) -> np.ndarray:
        counts = allocate(n, DISTRICT_WEIGHTS if weights is None else weights)
        areas = np.repeat(np.array(DISTRICTS, dtype=object), counts)
        return self.rng.permutation(areas)

    def base_people(self, n: int, category: str) -> dict[str, np.ndarray]:
        """Columns every person has, with neutral defaults to be overwritten."""
        z = np.zeros(n, dtype=bool)
        return {
            "category": np.full(n, category, dtype=object),
            "rank": np.full(n, None, dtype=object),
            "actual_post": z.copy(),
            "revolution_period": np.full(n, None, dtype=object),
            "revolution_joined_on": np.full(n, NONE_DAY, dtype="int64"),
            "retirement_date": np.full(n, NONE_DAY, dtype="int64"),
            "death_date": np.full(n, NONE_DAY, dtype="int64"),
            "deceased_cadre_id": np.full(n, None, dtype=object),
            "party_status": np.full(n, None, dtype=object),
            "branch_id": np.full(n, None, dtype=object),
            "relocated": z.copy(),
            "lives_away": z.copy(),
            "hardship_reason": np.full(n, None, dtype=object),
        }

    def deaths_in(self, n: int, year: int, lo_month: int = 1) -> np.ndarray:
        return uniform_days(self.rng, np.full(n, ymd(year, lo_month)), np.full(n, ymd(year + 1)))

    def make_veterans(self) -> dict[str, np.ndarray]:
        rng = self.rng
        alive, died18, died19, old = 703, 48, 44, 346
        n = alive + died18 + died19 + old
        c = self.base_people(n, "veteran")
        snap = np.arange(n) < alive
        # Managing area: 535 city / 168 districts among the living; the dead alike.
        area = np.empty(n, dtype=object)
        area[:alive] = np.array([CITY] * 535 + list(self.district_areas(168)), dtype=object)
        area[alive:] = np.where(rng.random(n - alive) < 0.76, CITY, self.district_areas(n - alive))
        c["area_code"] = area
        # Revolution period: 65 anti-Japanese among the living.
        period = np.full(n, "liberation", dtype=object)
        period[:alive][choose_exact(rng, alive, 65)] = "anti_japanese"
        period[alive:][rng.random(n - alive) < 0.2] = "anti_japanese"
        c["revolution_period"] = period
        anti = period == "anti_japanese"
        joined = np.where(
            anti,
            uniform_days(rng, ymd(1942, 1, 1), day(dt.date(1945, 9, 3)), n),
            uniform_days(rng, ymd(1947, 3, 1), day(dt.date(1949, 10, 1)), n),
        )
        c["revolution_joined_on"] = joined
        join_year = joined.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
        join_age = np.where(anti, rng.integers(14, 19, n), rng.integers(14, 21, n))
        birth_year = join_year - join_age
        # Exact average age 89.8 among the living at 2019-12-31: completed age is
        # 2019 - birth year, so shift liberation-period birth years one at a time.
        target = round(89.8 * alive)
        diff = target - int((2019 - birth_year[:alive]).sum())
        movable = np.flatnonzero(~anti[:alive])
        rng.shuffle(movable)
        shift = np.full(len(movable), abs(diff) // len(movable))
        shift[: abs(diff) % len(movable)] += 1
        birth_year[movable] -= np.sign(diff) * shift  # earlier birth = older
        doy = rng.integers(0, 365, n)
        c["birth_date"] = np.array([ymd(int(y)) for y in birth_year]) + doy
        # Rank: 5 / 44 / 654 among the living, prefecture ranks city-managed.
        rank = np.full(n, "section", dtype=object)
        city_alive = np.flatnonzero(area[:alive] == CITY)
        pref = rng.choice(city_alive, size=49, replace=False)
        rank[pref[:5]] = "prefecture_principal"
        rank[pref[5:]] = "prefecture_deputy"
        rest = np.setdiff1d(np.arange(alive), pref)
        rank[rng.choice(rest, size=260, replace=False)] = "county"
        rank[alive:] = pick(rng, ("prefecture_deputy", "county", "section"), n - alive, (0.05, 0.4, 0.55))
        c["rank"] = rank
        c["actual_post"] = (rank != "section") & ((rank != "county") | (rng.random(n) < 0.7))
        # Units by area.
        unit = np.empty(n, dtype="int64")
        for area_code in np.unique(area):
            idx = np.flatnonzero(area == area_code)
            types = (
                ("city_organ", "institution", "enterprise")
                if area_code == CITY
                else ("district_organ", "township", "institution", "enterprise")
            )
            probs = (0.37, 0.47, 0.16) if area_code == CITY else (0.42, 0.12, 0.36, 0.10)
            chosen = pick(rng, types, len(idx), probs)
            for t in types:
                sub = idx[chosen == t]
                unit[sub] = rng.choice(self.units_of(area_code, t), size=len(sub))
        c["unit_id"] = unit
        retire = uniform_days(rng, ymd(1982), ymd(1995), n)
        c["retirement_date"] = retire
        c["entry_date"] = retire
        death = np.full(n, NONE_DAY, dtype="int64")
        death[:alive][choose_exact(rng, alive, 46)] = self.deaths_in(46, 2020, 2)
        death[alive : alive + died18] = self.deaths_in(died18, 2018)
        death[alive + died18 : alive + died18 + died19] = self.deaths_in(died19, 2019)
        death[alive + died18 + died19 :] = uniform_days(rng, ymd(1995), ymd(2018), old)
        c["death_date"] = death
        c["gender"] = np.where(rng.random(n) < 0.88, "M", "F")
        party = np.full(n, None, dtype=object)
        party[:alive][choose_exact(rng, alive, 668)] = "full"
        party[alive:][rng.random(n - alive) < 0.95] = "full"
        c["party_status"] = party
        away = np.zeros(n, dtype=bool)
        away[:alive] = choose_exact(rng, alive, 14)
        relocated = away & (rng.random(n) < 0.45)
        c["relocated"], c["lives_away"] = relocated, away & ~relocated
        self.person_traits(
            c,
            snap,
            impaired_count=648,
            impaired_rate=0.92,
            lives_alone=0.22,
            widowed=0.38,
            empty_nest=0.32,
            health=(0.25, 0.60, 0.15),
            disabled=0.12,
        )
        hardship = np.full(n, None, dtype=object)
        in_bankrupt_unit = np.flatnonzero(self.unit_bankrupt[np.searchsorted(self.unit_id, unit)] & snap)
        # Those of them in hardship (at most 30: every one also receives cash aid, and the
        # smallest veterans' batch is 48 people).
        bankrupt = np.zeros(n, dtype=bool)
        bankrupt[rng.choice(in_bankrupt_unit, size=min(30, len(in_bankrupt_unit)), replace=False)] = True
        hardship[bankrupt] = "bankrupt_enterprise"
        cand = np.flatnonzero(snap & ~bankrupt)
        reasons = ("serious_illness", "advanced_age", "disability", "lost_only_child", "empty_nest", "low_income")
        chosen = rng.choice(cand, size=70 - int(bankrupt.sum()), replace=False)
        hardship[chosen] = pick(rng, reasons, len(chosen), (0.35, 0.25, 0.2, 0.05, 0.1, 0.05))
        c["hardship_reason"] = hardship
        return c

    def person_traits(
        self, c, snap, *, impaired_count, impaired_rate, lives_alone, widowed, empty_nest, health, disabled
    ) -> None:
        """Household, health and impairment flags; exact impairment count among ``snap``."""
        rng = self.rng
        n = len(snap)
        alive = int(snap.sum())
        any_imp = np.zeros(n, dtype=bool)
        age = 2019 - (c["birth_date"].astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970)
        weight = np.clip(age[snap] - 50, 1, None).astype(float) ** 2
        any_imp[snap] = choose_exact(rng, alive, impaired_count, weight)
        any_imp[~snap] = rng.random(n - alive) < impaired_rate
        probs = {"mobility": 0.55, "vision": 0.35, "hearing": 0.5, "speech": 0.12, "memory": 0.3}
        flags = {k: (rng.random(n) < p) & any_imp for k, p in probs.items()}
        none_set = any_imp & ~np.logical_or.reduce(list(flags.values()))
        flags["mobility"] |= none_set
        for k, v in flags.items():
            c[f"impaired_{k}"] = v
        c["lives_alone"] = rng.random(n) < lives_alone
        c["widowed"] = c.get("widowed_fixed", rng.random(n) < widowed)
        c.pop("widowed_fixed", None)
        c["empty_nest"] = ~c["lives_alone"] & (rng.random(n) < empty_nest)
        c["lost_only_child"] = rng.random(n) < 0.012
        c["health_status"] = pick(rng, ("good", "chronic", "serious"), n, health)
        c["disabled"] = rng.random(n) < disabled

    def make_survivors(self, vet: dict[str, np.ndarray], vet_ids: np.ndarray) -> dict[str, np.ndarray]:
        rng = self.rng
        alive, died, new2020 = 356, 30, 18
        vdeath = vet["death_date"]
        recent = np.flatnonzero((vdeath >= ymd(2018)) & (vdeath < ymd(2019, 11)))
        old = np.flatnonzero((vdeath > NONE_DAY) & (vdeath < ymd(2018)))
        in2020 = np.flatnonzero((vdeath >= ymd(2020)) & (vdeath < ymd(2020, 11)))
        cadre = np.concatenate(
            [
                rng.choice(recent, size=40, replace=False),
                rng.choice(old, size=alive - 40 + died, replace=False),
                rng.choice(in2020, size=new2020, replace=False),
            ]
        )
        n = len(cadre)
        c = self.base_people(n, "survivor")
        snap = np.arange(n) < alive
        c["deceased_cadre_id"] = vet_ids[cadre].astype(object)
        c["area_code"] = vet["area_code"][cadre]
        c["unit_id"] = vet["unit_id"][cadre]
        c["entry_date"] = vdeath[cadre] + rng.integers(10, 45, n)
        c["birth_date"] = vet["birth_date"][cadre] + rng.integers(0, 12 * 365, n)
        c["gender"] = np.where(vet["gender"][cadre] == "M", "F", "M")
        death = np.full(n, NONE_DAY, dtype="int64")
        death[:alive][choose_exact(rng, alive, 20)] = self.deaths_in(20, 2020, 2)
        lo = np.maximum(c["entry_date"][alive : alive + died] + 30, ymd(2018))
        death[alive : alive + died] = uniform_days(rng, lo, np.full(died, ymd(2020)))
        c["death_date"] = death
        party = np.full(n, None, dtype=object)
        party[:alive][choose_exact(rng, alive, 12)] = "full"
        c["party_status"] = party
        away = np.zeros(n, dtype=bool)
        away[:alive] = choose_exact(rng, alive, 13)
        c["lives_away"] = away
        c["widowed_fixed"] = np.ones(n, dtype=bool)
        self.person_traits(
            c,
            snap,
            impaired_count=214,
            impaired_rate=0.6,
            lives_alone=0.45,
            widowed=1.0,
            empty_nest=0.4,
            health=(0.3, 0.55, 0.15),
            disabled=0.08,
        )
        hardship = np.full(n, None, dtype=object)
        cand = np.flatnonzero(snap)
        chosen = rng.choice(cand, size=120, replace=False)
        hardship[chosen] = pick(
            rng,
            ("serious_illness", "advanced_age", "disability", "lost_only_child", "empty_nest", "low_income"),
            120,
            (0.2, 0.25, 0.1, 0.05, 0.15, 0.25),
        )
        c["hardship_reason"] = hardship
        return c

    def make_retirees(self) -> dict[str, np.ndarray]:
        rng = self.rng
        by_type = {"city_organ": 3566, "district_organ": 5386, "township": 1141, "institution": 22104}
        alive = sum(by_type.values())
        died18, died19, new2020 = 280, 300, 1600
        n = alive + died18 + died19 + new2020
        c = self.base_people(n, "retiree")
        snap = np.arange(n) < alive
        utype = np.concatenate([np.full(v, k, dtype=object) for k, v in by_type.items()])
        utype = np.concatenate([utype, pick(rng, list(by_type), n - alive, np.array(list(by_type.values())))])
        area = np.empty(n, dtype=object)
        town_w = DISTRICT_WEIGHTS * np.array([0.3 if a[2] == "district" else 1.0 for a in AREAS[1:]])
        for t in by_type:
            idx = np.flatnonzero(utype == t)
            if t == "city_organ":
                area[idx] = CITY
            elif t == "institution":
                area[idx] = np.where(rng.random(len(idx)) < 0.41, CITY, self.district_areas(len(idx)))
            else:
                area[idx] = self.district_areas(len(idx), town_w if t == "township" else None)
        c["area_code"] = area
        unit = np.empty(n, dtype="int64")
        for t in by_type:
            idx = np.flatnonzero(utype == t)
            unit[idx] = self.draw_units(area[idx], t)
        c["unit_id"] = unit
        female = rng.random(n) < 0.38
        c["gender"] = np.where(female, "F", "M")
        # Retirement dates: more recent years more numerous (the 扩张期).
        years = np.arange(1985, 2018)
        wy = np.exp((years - 2017) / 11.0)
        ry = np.empty(n, dtype="int64")
        ry[:alive] = rng.choice(years, size=alive, p=wy / wy.sum())
        recent = rng.choice(alive, size=2950, replace=False)
        ry[recent[:1500]] = 2019
        ry[recent[1500:]] = 2018
        ry[alive : alive + died18 + died19] = rng.choice(years, size=died18 + died19, p=wy / wy.sum())
        ry[alive + died18 + died19 :] = 2020
        retire = np.array([ymd(int(y)) for y in ry]) + rng.integers(0, 365, n)
        retire[ry == 2020] = np.minimum(retire[ry == 2020], ymd(2020, 12, 31) - 1)
        c["retirement_date"] = retire
        c["entry_date"] = retire
        retire_age = np.where(female, 55, 60) + rng.integers(0, 3, n)
        c["birth_date"] = retire - retire_age * 365 - rng.integers(0, 300, n)
        death = np.full(n, NONE_DAY, dtype="int64")
        death[:alive][choose_exact(rng, alive, 320)] = self.deaths_in(320, 2020, 2)
        lo18 = np.maximum(retire[alive : alive + died18] + 30, ymd(2018))
        death[alive : alive + died18] = uniform_days(rng, lo18, np.full(died18, ymd(2019)))
        lo19 = np.maximum(retire[alive + died18 : alive + died18 + died19] + 30, ymd(2019))
        death[alive + died18 : alive + died18 + died19] = uniform_days(rng, lo19, np.full(died19, ymd(2020)))
        c["death_date"] = death
        # Ranks: 10 + 80 actual-post prefecture (city organs 70, city institutions 20),
        # 15 deputy-prefecture without an actual post; the 2020 dead spare them.
        rank = np.full(n, "section", dtype=object)
        dying = death[:alive] > NONE_DAY
        organ = np.flatnonzero(snap & (utype == "city_organ") & ~np.pad(dying, (0, n - alive)))
        inst = np.flatnonzero(snap & (utype == "institution") & (area == CITY) & ~np.pad(dying, (0, n - alive)))
        pref_organ = rng.choice(organ, size=85, replace=False)
        pref_inst = rng.choice(inst, size=20, replace=False)
        rank[pref_organ[:8]] = "prefecture_principal"
        rank[pref_inst[:2]] = "prefecture_principal"
        rank[pref_organ[8:85]] = "prefecture_deputy"
        rank[pref_inst[2:]] = "prefecture_deputy"
        actual = np.zeros(n, dtype=bool)
        actual[pref_organ[:70]] = True
        actual[pref_inst] = True
        is_organ = np.isin(utype, ("city_organ", "district_organ"))
        county = (rank == "section") & (rng.random(n) < np.where(is_organ, 0.12, 0.05))
        rank[county] = "county"
        actual |= county & (rng.random(n) < 0.6)
        c["rank"], c["actual_post"] = rank, actual
        party = np.full(n, None, dtype=object)
        # Party members lean to organs, to ranks and to the city (district branches stay small).
        pw = (
            np.where(is_organ[:alive], 3.0, 1.0)
            * np.where(rank[:alive] == "section", 1.0, 4.0)
            * np.where(area[:alive] == CITY, 3.5, 1.0)
        )
        party[:alive][choose_exact(rng, alive, 10_320, pw)] = "full"
        party[alive:][rng.random(n - alive) < 0.32] = "full"
        probation = (party == "full") & (ry >= 2019) & (rng.random(n) < 0.03)
        party[probation] = "probationary"
        c["party_status"] = party
        away = np.zeros(n, dtype=bool)
        away[:alive] = choose_exact(rng, alive, 80)
        relocated = away & (rng.random(n) < 0.3)
        c["relocated"], c["lives_away"] = relocated, away & ~relocated
        self.person_traits(
            c,
            snap,
            impaired_count=9_659,
            impaired_rate=0.3,
            lives_alone=0.08,
            widowed=0.1,
            empty_nest=0.22,
            health=(0.66, 0.32, 0.02),
            disabled=0.012,
        )
        hardship = np.full(n, None, dtype=object)
        chosen = rng.choice(np.flatnonzero(snap & (ry < 2019)), size=45, replace=False)
        hardship[chosen] = pick(
            rng,
            ("serious_illness", "disability", "lost_only_child", "empty_nest", "low_income"),
            45,
            (0.4, 0.2, 0.1, 0.1, 0.2),
        )
        c["hardship_reason"] = hardship
        return c

    @staticmethod
    def tiers(c: dict[str, np.ndarray]) -> np.ndarray:
        age = 2019 - (c["birth_date"].astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970)
        away = c["relocated"] | c["lives_away"]
        t1 = c["disabled"] | (c["health_status"] == "serious") | (c["lives_alone"] & (age >= 90))
        t2 = (age >= 80) | ((c["health_status"] == "chronic") & (c["lives_alone"] | c["empty_nest"]))
        t3 = ((c["health_status"] == "chronic") | (age >= 70)) & ~away
        return np.select([t1, t2, t3], [1, 2, 3], default=4)

    def make_people(self) -> People:
        rng = self.rng
        vet = self.make_veterans()
        base = self.k * PEOPLE_ID_STRIDE
        vet_ids = base + 1 + np.arange(len(vet["category"]))
        sur = self.make_survivors(vet, vet_ids)
        ret = self.make_retirees()
        groups = [vet, sur, ret]
        cols: dict[str, np.ndarray] = {}
        for key in vet:
            cols[key] = np.concatenate([g[key] for g in groups])
        n = len(cols["category"])
        cols["id"] = base + 1 + np.arange(n)
        # Snapshot membership marker, used only while generating.
        self.snap_alive = (cols["entry_date"] <= self.snapshot) & (
            (cols["death_date"] == NONE_DAY) | (cols["death_date"] > self.snapshot)
        )
        female = cols["gender"] == "F"
        cols["name"] = synthetic_names(rng, female)
        cols["phone"] = synthetic_phones(rng, n)
        cols["service_tier"] = self.tiers(cols)
        return People(cols)

    # ------------------------------------------------------------------ branches
    def make_branches(self, p: People) -> None:
        rng = self.rng
        c = p.cols
        city_units = self.unit_id[(self.unit_area == CITY) & np.isin(self.unit_type, ("city_organ", "institution"))]
        kinds: list[str] = []
        areas: list[str] = []
        units: list[int | None] = []
        # Active at the snapshot: 171 city-unit, 61 temporary, 86 district branches.
        for i in range(171):
            kinds.append("city_unit")
            areas.append(CITY)
            units.append(int(city_units[i % len(city_units)]))
        temp_areas = [CITY] * 25 + list(self.district_areas(36))
        dist_areas = list(self.district_areas(86))
        for a in temp_areas:
            kinds.append("temporary")
            areas.append(a)
            units.append(None)
        for a in dist_areas:
            kinds.append("district")
            areas.append(a)
            units.append(None)
        active = len(kinds)  # 318
        # Closed before the snapshot (8), founded in 2020 (6).
        extra = [
            ("city_unit", CITY),
            ("temporary", CITY),
            ("district", "620102"),
            ("district", "620121"),
            ("temporary", "620103"),
            ("city_unit", CITY),
            ("district", "620123"),
            ("temporary", "620104"),
        ]
        new = [
            ("temporary", CITY),
            ("city_unit", CITY),
            ("district", "620102"),
            ("district", "620105"),
            ("temporary", "620121"),
            ("district", "620103"),
        ]
        for kind, a in extra + new:
            kinds.append(kind)
            areas.append(a)
            units.append(int(rng.choice(city_units)) if kind == "city_unit" else None)
        nb = len(kinds)
        kinds_a = np.array(kinds, dtype=object)
        areas_a = np.array(areas, dtype=object)
        founded = uniform_days(rng, np.full(nb, ymd(1990)), np.full(nb, ymd(2017)))
        founded[active + len(extra) :] = uniform_days(
            rng, np.full(len(new), ymd(2020, 3)), np.full(len(new), ymd(2020, 9))
        )
        closed = np.full(nb, NONE_DAY, dtype="int64")
        closed[active : active + len(extra)] = uniform_days(
            rng, np.full(len(extra), ymd(2018, 3)), np.full(len(extra), ymd(2019, 10))
        )
        secretary = np.zeros(nb, dtype=bool)
        secretary[:active] = choose_exact(rng, active, 270)
        secretary[active:] = rng.random(nb - active) < 0.8
        ids = self.k * UNIT_ID_STRIDE + 1 + np.arange(nb)
        self.branch_id, self.branch_area, self.branch_kind = ids, areas_a, kinds_a
        self.branch_founded, self.branch_closed = founded, closed
        # Members: living party members at the snapshot go to active branches of their area,
        # city-managed mostly to unit branches; weights give a spread with a few tiny and a
        # few oversized branches. 2020 entrants may go to the new branches.
        weights = rng.gamma(16.0, 1.0, nb)
        tiny = rng.choice(active, size=5, replace=False)
        weights[tiny] = 0.004
        big = rng.choice(np.setdiff1d(np.arange(171), tiny), size=6, replace=False)
        weights[big] *= 1.8
        merge = tiny[:2]  # two tiny branches are merged away in 2020
        closed[merge] = uniform_days(rng, np.full(2, ymd(2020, 4)), np.full(2, ymd(2020, 10)))
        self.branch_closed = closed
        member = c["party_status"] != None  # noqa: E711 (object array)
        branch = np.full(len(p), None, dtype=object)
        entrants = c["entry_date"] > self.snapshot
        at_snapshot = np.zeros(nb, dtype=bool)
        at_snapshot[:active] = True
        at_snapshot[merge] = False
        open_2020 = closed == NONE_DAY
        for area_code in np.unique(c["area_code"]):
            for group, allowed in ((member & ~entrants, at_snapshot), (member & entrants, open_2020)):
                idx = np.flatnonzero(group & (c["area_code"] == area_code))
                if not len(idx):
                    continue
                pool = np.flatnonzero((areas_a == area_code) & allowed)
                wts = weights[pool] * np.where(kinds_a[pool] == "temporary", 0.35 if area_code == CITY else 0.8, 1.0)
                branch[idx] = ids[rng.choice(pool, size=len(idx), p=wts / wts.sum())]
        c["branch_id"] = branch
        self.w.insert(
            schema.party_branches,
            {
                "id": ids,
                "name": [self.branch_name(i, kinds_a[i], areas_a[i]) for i in range(nb)],
                "kind": kinds_a,
                "area_code": areas_a,
                "unit_id": units,
                "secretary_is_retiree": secretary,
                "founded_on": to_dates(founded),
                "closed_on": to_dates(closed),
            },
        )

    def branch_name(self, i: int, kind: str, area: str) -> str:
        area_name = dict((a[0], a[1]) for a in AREAS)[area]
        if kind == "city_unit":
            return f"市直离退休干部第{i + 1}党支部"
        if kind == "temporary":
            return f"{area_name}离退休干部临时党支部（{i + 1}）"
        return f"{area_name}离退休干部第{i + 1}党支部"

    def write_people(self, p: People) -> None:
        c = p.cols
        cols = {
            "id": c["id"],
            "category": c["category"],
            "name": c["name"],
            "gender": c["gender"],
            "birth_date": to_dates(c["birth_date"]),
            "area_code": c["area_code"],
            "unit_id": c["unit_id"],
            "rank": c["rank"],
            "actual_post": c["actual_post"],
            "revolution_period": c["revolution_period"],
            "revolution_joined_on": to_dates(c["revolution_joined_on"]),
            "retirement_date": to_dates(c["retirement_date"]),
            "entry_date": to_dates(c["entry_date"]),
            "death_date": to_dates(c["death_date"]),
            "deceased_cadre_id": c["deceased_cadre_id"],
            "party_status": c["party_status"],
            "branch_id": c["branch_id"],
        }
        for key in (
            "relocated",
            "lives_away",
            "lives_alone",
            "widowed",
            "empty_nest",
            "lost_only_child",
            "impaired_mobility",
            "impaired_vision",
            "impaired_hearing",
            "impaired_speech",
            "impaired_memory",
            "health_status",
            "disabled",
            "service_tier",
            "hardship_reason",
            "phone",
        ):
            cols[key] = c[key]
        # Deceased cadres first (self reference), then everyone else.
        self.w.insert(schema.people, cols)

    # ------------------------------------------------------------------ activities
    def make_branch_activities(self) -> None:
        rng = self.rng
        nb = len(self.branch_id)
        # A branch's diligence: most hold nearly everything, a few skip often.
        u = rng.random(nb)
        diligence = np.select(
            [u < 0.7, u < 0.88], [np.ones(nb), rng.uniform(0.88, 0.97, nb)], default=rng.uniform(0.45, 0.75, nb)
        )
        bid, typ, held = [], [], []
        months = [(y, m) for y in (2018, 2019, 2020) for m in range(1, 13)]
        for y, m in months:
            ms, me = ymd(y, m), ymd(y + (m == 12), m % 12 + 1)
            live = (self.branch_founded < ms) & ((self.branch_closed == NONE_DAY) | (self.branch_closed >= me))
            specs = [("theme_day", 1.0), ("committee", 0.8)]
            if m % 3 == 0:
                specs += [("general_meeting", 1.0), ("party_lecture", 1.0)]
            if m == 12:
                specs.append(("life_meeting", 1.0))
            for activity, base in specs:
                held_mask = live & (rng.random(nb) < diligence * base)
                k = int(held_mask.sum())
                bid.append(self.branch_id[held_mask])
                typ.append(np.full(k, activity, dtype=object))
                held.append(uniform_days(rng, np.full(k, ms), np.full(k, me)))
        bid_a, held_a = np.concatenate(bid), np.concatenate(held)
        self.w.insert(
            schema.branch_activities,
            {
                "id": self.ids.take("branch_activities", len(bid_a)),
                "branch_id": bid_a,
                "activity_type": np.concatenate(typ),
                "held_on": to_dates(held_a),
            },
        )

    def windows(self, cadence: str) -> list[tuple[int, int, int]]:
        """(start, end, year) of each cadence window inside the activity range."""
        out = []
        if cadence == "weekly":
            s = self.start  # 2018-01-01 is a Monday
            while s < self.end:
                out.append((s, min(s + 7, self.end), (np.datetime64(s, "D").astype(object)).year))
                s += 7
        elif cadence in ("monthly", "quarterly"):
            step = 1 if cadence == "monthly" else 3
            for y in (2018, 2019, 2020):
                for m in range(1, 13, step):
                    e = ymd(y + 1) if m + step > 12 else ymd(y, m + step)
                    out.append((ymd(y, m), e, y))
        return out

    def make_contacts(self, p: People) -> None:
        rng = self.rng
        c = p.cols
        n = len(p)
        entry, death = c["entry_date"], c["death_date"]
        death_or_end = np.where(death == NONE_DAY, self.end, death)
        area = c["area_code"]
        # A few people are hard to reach every time; lagging areas miss more in 2020.
        # Most people are reached every time; some now and then miss one; a few are hard
        # to reach. Lagging areas miss more in 2020.
        u = rng.random(n)
        reliability = np.select([u < 0.8, u < 0.96], [1.0, 0.95], default=0.45)
        lag = np.ones(n)
        for code, f in LAGGING_2020.items():
            lag[area == code] = f
        chunks: dict[str, list] = {k: [] for k in ("person", "date", "channel", "occasion", "role", "event")}

        def emit(person_idx, dates, channel, occasion, role, event=None):
            chunks["person"].append(c["id"][person_idx])
            chunks["date"].append(dates)
            chunks["channel"].append(channel)
            chunks["occasion"].append(occasion)
            chunks["role"].append(role)
            chunks["event"].append(np.full(len(person_idx), None, dtype=object) if event is None else event)

        routine_channels = (("phone", 0.5), ("wechat", 0.22), ("home_visit", 0.18), ("sms", 0.05), ("forum", 0.05))
        routine_roles = (
            ("bureau_staff", 0.45),
            ("community", 0.25),
            ("doctor", 0.1),
            ("volunteer", 0.15),
            ("leader", 0.05),
        )

        def routine(idx: np.ndarray, dates: np.ndarray) -> None:
            k = len(idx)
            emit(
                idx,
                dates,
                pick(rng, [x for x, _ in routine_channels], k, [w for _, w in routine_channels]),
                np.full(k, "routine", dtype=object),
                pick(rng, [x for x, _ in routine_roles], k, [w for _, w in routine_roles]),
            )

        tier = c["service_tier"]
        for t, cadence in ((1, "weekly"), (2, "monthly"), (3, "quarterly")):
            who = np.flatnonzero(tier == t)
            for ws, we, year in self.windows(cadence):
                lo = np.maximum(entry[who], ws)
                hi = np.minimum(death_or_end[who], we)
                ok = lo < hi
                chance = reliability[who] * (lag[who] if year == 2020 else 1.0)
                hit = ok & (rng.random(len(who)) < chance)
                routine(who[hit], uniform_days(rng, lo[hit], hi[hit]))

        # Festival visits: the visit list is all veterans, survivors, hardship cases and
        # prefecture-level retirees; tier-4 people get a festival call besides.
        fest_list = (
            (c["category"] != "retiree")
            | (c["hardship_reason"] != None)  # noqa: E711 (element-wise on an object array)
            | np.isin(c["rank"], ("prefecture_principal", "prefecture_deputy"))
        )
        tier4 = (tier == 4) & ~fest_list
        for fw in festival_windows():
            ws, we = max(day(fw["window_start"]), self.start), min(day(fw["window_end"]), self.end)
            if ws >= we:
                continue
            year = fw["festival_date"].year
            for mask, channels, chance in (
                (fest_list, (("home_visit", 0.86), ("forum", 0.14)), 0.97),
                (tier4, (("phone", 0.6), ("wechat", 0.3), ("sms", 0.1)), 0.97),
            ):
                who = np.flatnonzero(mask)
                lo = np.maximum(entry[who], ws)
                hi = np.minimum(death_or_end[who], we)
                f = lag[who] if year == 2020 else 1.0
                hit = (lo < hi) & (rng.random(len(who)) < chance * reliability[who] * f)
                k = int(hit.sum())
                roles = (
                    (("leader", 0.3), ("bureau_staff", 0.5), ("community", 0.2))
                    if channels[0][0] == "home_visit"
                    else (("bureau_staff", 0.8), ("community", 0.2))
                )
                emit(
                    who[hit],
                    uniform_days(rng, lo[hit], hi[hit]),
                    pick(rng, [x for x, _ in channels], k, [w for _, w in channels]),
                    np.full(k, fw["festival"], dtype=object),
                    pick(rng, [x for x, _ in roles], k, [w for _, w in roles]),
                )

        self.make_events(p, emit, death_or_end)
        person = np.concatenate(chunks["person"])
        dates = np.concatenate(chunks["date"])
        channel = np.concatenate(chunks["channel"])
        occasion = np.concatenate(chunks["occasion"])
        role = np.concatenate(chunks["role"])
        event = np.concatenate(chunks["event"])
        person, dates, channel, occasion, role, event = self.adjust_key_cohort(
            p, person, dates, channel, occasion, role, event
        )
        order = np.lexsort((person, dates))
        self.w.insert(
            schema.contacts,
            {
                "id": self.ids.take("contacts", len(order)),
                "person_id": person[order],
                "contact_date": to_dates(dates[order]),
                "channel": channel[order],
                "occasion": occasion[order],
                "contact_role": role[order],
                "event_id": event[order],
            },
        )

    def key_cohort(self, c: dict[str, np.ndarray]) -> np.ndarray:
        vet = (c["category"] == "veteran") & (c["area_code"] == CITY)
        ret = (
            (c["category"] == "retiree")
            & np.isin(c["rank"], ("prefecture_principal", "prefecture_deputy"))
            & c["actual_post"]
        )
        return vet | ret

    def adjust_key_cohort(self, p, person, dates, channel, occasion, role, event):
        """Every key-cohort person reached in 2018 and 2019 (the report); in 2020 exactly
        three of them were missed all year (the dashboard must show "还差 3 人")."""
        rng = self.rng
        c = p.cols
        cohort = self.key_cohort(c)
        alive_2020 = np.flatnonzero(cohort & self.snap_alive & (c["death_date"] == NONE_DAY))
        missed_2020 = c["id"][rng.choice(alive_2020, size=3, replace=False)]
        keep = ~(np.isin(person, missed_2020) & (dates >= ymd(2020)))
        person, dates, channel, occasion, role, event = (
            a[keep] for a in (person, dates, channel, occasion, role, event)
        )
        add_person, add_date = [], []
        for year in (2018, 2019, 2020):
            ys, ye = ymd(year), ymd(year + 1)
            at_end = cohort & (c["entry_date"] < ye) & ((c["death_date"] == NONE_DAY) | (c["death_date"] >= ye))
            ids = c["id"][at_end]
            ids = ids[~np.isin(ids, person[(dates >= ys) & (dates < ye)])]
            if year == 2020:
                ids = ids[~np.isin(ids, missed_2020)]
            add_person.append(ids)
            add_date.append(uniform_days(rng, ys + 60, ye - 30, len(ids)))
        person = np.concatenate([person, *add_person])
        dates = np.concatenate([dates, *add_date])
        k = len(person) - len(channel)
        channel = np.concatenate([channel, np.full(k, "phone", dtype=object)])
        occasion = np.concatenate([occasion, np.full(k, "routine", dtype=object)])
        role = np.concatenate([role, np.full(k, "bureau_staff", dtype=object)])
        event = np.concatenate([event, np.full(k, None, dtype=object)])
        return person, dates, channel, occasion, role, event

    def make_events(self, p: People, emit: Callable, death_or_end: np.ndarray) -> None:
        """Occasions that oblige a visit, the visits made for them, and the events table."""
        rng = self.rng
        c = p.cols
        n = len(p)
        cat = c["category"]
        yearly_rate = np.select([cat == "veteran", cat == "survivor"], [0.32, 0.2], default=0.03)
        ev_person, ev_type, ev_date = [], [], []
        for year in (2018, 2019, 2020):
            ys, ye = ymd(year), ymd(year + 1)
            lo = np.maximum(c["entry_date"], ys)
            hi = np.minimum(death_or_end, ye)
            live = lo < hi
            hosp = live & (rng.random(n) < yearly_rate)
            ev_person.append(np.flatnonzero(hosp))
            ev_type.append(np.full(int(hosp.sum()), "hospitalisation", dtype=object))
            ev_date.append(uniform_days(rng, lo[hosp], hi[hosp]))
            fam = live & (rng.random(n) < 0.008)
            ev_person.append(np.flatnonzero(fam))
            ev_type.append(np.full(int(fam.sum()), "family_event", dtype=object))
            ev_date.append(uniform_days(rng, lo[fam], hi[fam]))
            by = c["birth_date"].astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
            age = year - by
            bday = live & (age >= 80) & (age % 5 == 0)
            bdates = np.array([ymd(year) for _ in range(1)])[0] + (
                c["birth_date"] - np.array([ymd(int(y)) for y in by])
            )
            bday &= (bdates >= lo) & (bdates < hi)
            ev_person.append(np.flatnonzero(bday))
            ev_type.append(np.full(int(bday.sum()), "birthday", dtype=object))
            ev_date.append(bdates[bday])
            died = (c["death_date"] >= ys) & (c["death_date"] < ye)
            ev_person.append(np.flatnonzero(died))
            ev_type.append(np.full(int(died.sum()), "death", dtype=object))
            ev_date.append(c["death_date"][died])
        idx = np.concatenate(ev_person)
        etype = np.concatenate(ev_type)
        edate = np.concatenate(ev_date).astype("int64")
        due = edate + 3  # 五必访: visit within three days of the event being reported
        eids = self.ids.take("visit_events", len(idx))
        self.w.insert(
            schema.visit_events,
            {
                "id": eids,
                "person_id": c["id"][idx],
                "event_type": etype,
                "event_date": to_dates(edate),
                "visit_due_on": to_dates(due),
            },
        )
        # Visits for events: most on time, some late, a few never (lagging areas worse).
        u = rng.random(len(idx))
        lagging = np.isin(c["area_code"][idx], list(LAGGING_2020))
        on_time = u < np.where(lagging, 0.74, 0.9)
        late = ~on_time & (u < 0.97)
        delay = np.where(on_time, rng.integers(0, 4, len(idx)), rng.integers(4, 12, len(idx)))
        delay = np.where(etype == "birthday", np.where(on_time, rng.integers(0, 2, len(idx)), delay), delay)
        visit_date = edate + delay
        keep = (on_time | late) & (visit_date < self.end)
        occ_map = {
            "hospitalisation": "hospital",
            "family_event": "family_event",
            "death": "condolence",
            "birthday": "birthday",
        }
        k = int(keep.sum())
        emit(
            idx[keep],
            visit_date[keep],
            pick(rng, ("home_visit",), k),
            np.array([occ_map[t] for t in etype[keep]], dtype=object),
            pick(rng, ("leader", "bureau_staff", "community", "doctor"), k, (0.25, 0.5, 0.15, 0.1)),
            eids[keep].astype(object),
        )

    def make_pairings(self, p: People) -> None:
        rng = self.rng
        c = p.cols
        cat = c["category"]
        chance = np.select([cat == "veteran", cat == "survivor"], [0.97, 0.8], default=0.22)
        paired = (rng.random(len(p)) < chance) & (c["death_date"] == NONE_DAY) | (
            (rng.random(len(p)) < chance * 0.5) & (c["death_date"] != NONE_DAY)
        )
        idx = np.flatnonzero(paired)
        k = len(idx)
        mode = np.where(
            cat[idx] == "veteran",
            pick(rng, ("one_to_one", "many_to_one"), k, (0.7, 0.3)),
            pick(rng, ("one_to_many", "one_to_one"), k, (0.8, 0.2)),
        )
        role = np.where(
            mode == "one_to_one",
            pick(rng, ("leader", "bureau_staff"), k, (0.4, 0.6)),
            pick(rng, ("community", "doctor", "volunteer", "bureau_staff"), k, (0.35, 0.2, 0.3, 0.15)),
        )
        started = np.maximum(c["entry_date"][idx], uniform_days(rng, np.full(k, ymd(2016)), np.full(k, ymd(2020, 12))))
        ended = np.where(
            c["death_date"][idx] != NONE_DAY,
            c["death_date"][idx],
            np.where(
                rng.random(k) < 0.06, uniform_days(rng, np.full(k, ymd(2019)), np.full(k, ymd(2020, 12))), NONE_DAY
            ),
        )
        ended = np.where((ended != NONE_DAY) & (ended <= started), started + 30, ended)
        helpers = synthetic_names(rng, rng.random(k) < 0.5)
        self.w.insert(
            schema.pairings,
            {
                "id": self.ids.take("pairings", k),
                "person_id": c["id"][idx],
                "helper_name": helpers,
                "helper_role": role,
                "mode": mode,
                "started_on": to_dates(started),
                "ended_on": to_dates(ended),
            },
        )

    # ------------------------------------------------------------------ money
    def make_money(self, p: People) -> None:
        rng = self.rng
        c = p.cols
        amounts = self.budget_amounts(c)
        self.budget_base = amounts
        # Monthly lump payments per area and category (person empty), spent against the
        # budget with each category's own rhythm; precise services paid late in the year.
        rows: dict[str, list] = {
            k: [] for k in ("paid_on", "area_code", "category", "amount", "form", "person_id", "hardship_reason")
        }
        rhythm = {
            "pension": np.full(12, 1 / 12),
            "medical": np.full(12, 1 / 12),
            "precise_service": np.array([0.02, 0.02, 0.03, 0.04, 0.05, 0.05, 0.06, 0.07, 0.1, 0.14, 0.18, 0.24]),
            "facilities": np.array([0.0, 0.02, 0.05, 0.08, 0.1, 0.1, 0.1, 0.1, 0.12, 0.1, 0.1, 0.13]),
            "training": np.array([0.0, 0.05, 0.1, 0.1, 0.15, 0.1, 0.05, 0.05, 0.15, 0.1, 0.1, 0.05]),
        }
        for (year, area_code, category), budget in amounts.items():
            if category not in rhythm:
                continue
            # Payroll (离休费) is paid as budgeted; other categories wander a little.
            execution = 1.0 - abs(rng.normal(0, 0.004)) if category == "pension" else 1.0 + rng.normal(0, 0.015)
            if category in ("precise_service", "facilities"):
                execution *= UNDERSPEND.get(area_code, 0.93)
            if category == "medical":
                execution = 1.0 + abs(rng.normal(0.04, 0.03))  # medical costs run over
            shares = rhythm[category] * execution
            for m in range(12):
                if shares[m] <= 0:
                    continue
                rows["paid_on"].append(ymd(year, m + 1, 25) if not (year == 2020 and m == 11) else ymd(2020, 12, 31))
                rows["area_code"].append(area_code)
                rows["category"].append(category)
                rows["amount"].append(round(float(budget * shares[m]), 2))
                rows["form"].append("cash")
                rows["person_id"].append(None)
                rows["hardship_reason"].append(None)
        self.hardship_batches(c, rows)
        n = len(rows["paid_on"])
        rows["paid_on"] = to_dates(np.array(rows["paid_on"], dtype="int64"))
        self.w.insert(schema.disbursements, {"id": self.ids.take("disbursements", n), **rows})

    def budget_amounts(self, c: dict[str, np.ndarray]) -> dict[tuple[int, str, str], float]:
        """Annual initial budgets of one replica (元), by year, area and category."""
        out = {}
        for year in (2018, 2019, 2020):
            ref = ymd(year)
            alive = (c["entry_date"] <= ref) & ((c["death_date"] == NONE_DAY) | (c["death_date"] > ref))
            for code, *_ in AREAS:
                here = alive & (c["area_code"] == code)
                vets = int((here & (c["category"] == "veteran")).sum())
                survivors = int((here & (c["category"] == "survivor")).sum())
                everyone = int(here.sum())
                growth = 1.0 + 0.04 * (year - 2018)
                out[(year, code, "pension")] = round(vets * 98_000 * growth + survivors * 9_600, -3)
                out[(year, code, "medical")] = round(vets * 36_000 * growth + everyone * 150, -3)
                out[(year, code, "precise_service")] = round(everyone * (40 if code == CITY else 22) * growth, -3)
                out[(year, code, "hardship_aid")] = 0.0  # filled from the batches below
                out[(year, code, "facilities")] = round(everyone * 30 * growth + 50_000, -3)
                out[(year, code, "training")] = round(everyone * 12 * growth + 20_000, -3)
        return out

    def hardship_batches(self, c: dict[str, np.ndarray], rows: dict[str, list]) -> None:
        """One batch before each Spring Festival; 2020 is the report's."""
        rng = self.rng
        batches = {
            2018: ((48, 28, 85), 400_000, 30_000),
            2019: ((52, 31, 88), 420_000, 32_000),
            2020: ((56, 34, 92), 450_000, 35_000),
        }
        for year, (counts, total, goods_total) in batches.items():
            sf, window_start = SPRING_FESTIVALS[year]
            pay_lo = max(day(window_start) - 10, ymd(year, 1, 2))
            paid = uniform_days(rng, np.full(sum(counts), pay_lo), np.full(sum(counts), day(window_start) + 3))
            alive = (c["entry_date"] < pay_lo) & ((c["death_date"] == NONE_DAY) | (c["death_date"] > day(sf)))
            flagged = alive & (c["hardship_reason"] != None)  # noqa: E711
            chosen = []
            for cat, k in zip(("veteran", "retiree", "survivor"), counts):
                pool = np.flatnonzero(flagged & (c["category"] == cat))
                if cat == "veteran":
                    # Bankrupt-enterprise veterans first: they also get goods.
                    pri = pool[c["hardship_reason"][pool] == "bankrupt_enterprise"]
                    rest = np.setdiff1d(pool, pri)
                    chosen.append(np.concatenate([pri, rng.choice(rest, size=k - len(pri), replace=False)]))
                else:
                    chosen.append(rng.choice(pool, size=k, replace=False))
            idx = np.concatenate(chosen)
            # Amounts of 2,000 / 2,500 / 3,000 元 summing exactly to the batch total.
            n = len(idx)
            amount = np.full(n, 2500.0)
            surplus = int(round((total - 2500 * n) / 500))  # >0: more 3,000s; <0: more 2,000s
            severe = np.isin(c["hardship_reason"][idx], ("serious_illness", "disability"))
            order = np.argsort(~severe, kind="stable")
            n3 = 40 + max(surplus, 0)
            n2 = n3 - surplus
            amount[order[:n3]] = 3000.0
            amount[order[::-1][:n2]] = 2000.0
            assert amount.sum() == total, (year, amount.sum())
            for i, a, d in zip(idx, amount, paid):
                rows["paid_on"].append(int(d))
                rows["area_code"].append(c["area_code"][i])
                rows["category"].append("hardship_aid")
                rows["amount"].append(float(a))
                rows["form"].append("cash")
                rows["person_id"].append(int(c["id"][i]))
                rows["hardship_reason"].append(c["hardship_reason"][i])
                self.budget_base[(year, c["area_code"][i], "hardship_aid")] += float(a)
            goods_idx = idx[c["hardship_reason"][idx] == "bankrupt_enterprise"]
            per = goods_total / len(goods_idx)
            goods_amounts = np.full(len(goods_idx), round(per, 2))
            goods_amounts[-1] = round(goods_total - goods_amounts[:-1].sum(), 2)
            for i, a in zip(goods_idx, goods_amounts):
                rows["paid_on"].append(day(window_start) + 5)
                rows["area_code"].append(c["area_code"][i])
                rows["category"].append("hardship_aid")
                rows["amount"].append(float(a))
                rows["form"].append("goods")
                rows["person_id"].append(int(c["id"][i]))
                rows["hardship_reason"].append("bankrupt_enterprise")
                self.budget_base[(year, c["area_code"][i], "hardship_aid")] += float(a)

    # ------------------------------------------------------------------ recommendations
    def make_recommendations(self, p: People) -> None:
        rng = self.rng
        c = p.cols
        n = len(p)
        death_or_end = np.where(c["death_date"] == NONE_DAY, self.end, c["death_date"])
        lo = np.maximum(c["entry_date"], self.start)
        live = lo < death_or_end
        # Service requests: older and frailer people ask more; three services lag (the report).
        rate = np.select([c["service_tier"] == 1, c["service_tier"] == 2], [1.6, 0.6], default=0.04)
        k_per = rng.poisson(rate * 3) * live
        idx = np.repeat(np.arange(n), k_per)
        k = len(idx)
        services = (
            "housekeeping",
            "transport",
            "nursing",
            "long_term_care",
            "companionship",
            "escort_medical",
            "errands",
            "home_learning",
        )
        svc = pick(rng, services, k, (0.22, 0.2, 0.12, 0.06, 0.1, 0.14, 0.12, 0.04))
        req = uniform_days(rng, lo[idx], death_or_end[idx])
        gap = np.isin(svc, ("nursing", "long_term_care", "companionship"))
        delivered_ok = rng.random(k) < np.where(gap, 0.58, 0.93)
        delay = np.where(gap, rng.integers(3, 40, k), rng.integers(0, 8, k))
        delivered = np.where(delivered_ok & (req + delay < self.end), req + delay, NONE_DAY)
        provider = np.where(
            delivered != NONE_DAY, pick(rng, ("unit", "community", "family_medical"), k, (0.45, 0.35, 0.2)), None
        )
        self.w.insert(
            schema.service_deliveries,
            {
                "id": self.ids.take("service_deliveries", k),
                "person_id": c["id"][idx],
                "service": svc,
                "requested_on": to_dates(req),
                "delivered_on": to_dates(delivered),
                "provider_type": provider,
            },
        )
        # Suggestions from active retirees and veterans.
        sugg = live & (rng.random(n) < np.where(c["category"] == "survivor", 0.0, 0.012))
        sidx = np.flatnonzero(sugg)
        k = len(sidx)
        sub = uniform_days(rng, lo[sidx], death_or_end[sidx])
        due = sub + 30
        u = rng.random(k)
        answered = np.where(
            u < 0.74, sub + rng.integers(3, 30, k), np.where(u < 0.9, sub + rng.integers(31, 80, k), NONE_DAY)
        )
        answered = np.where(answered >= self.end, NONE_DAY, answered)
        self.w.insert(
            schema.suggestions,
            {
                "id": self.ids.take("suggestions", k),
                "person_id": c["id"][sidx],
                "submitted_on": to_dates(sub),
                "topic": pick(rng, SUGGESTION_TOPICS, k),
                "department": pick(rng, SUGGESTION_DEPARTMENTS, k),
                "due_on": to_dates(due),
                "answered_on": to_dates(answered),
            },
        )
        # Silver talent pool: younger retirees with skills.
        by = c["birth_date"].astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
        young = (c["category"] == "retiree") & (2019 - by < 75) & live
        tidx = np.flatnonzero(young & (rng.random(n) < 0.045))
        k = len(tidx)
        joined = np.maximum(c["entry_date"][tidx], uniform_days(rng, np.full(k, ymd(2016)), np.full(k, ymd(2020, 12))))
        left = np.where(rng.random(k) < 0.08, joined + rng.integers(90, 700, k), NONE_DAY)
        left = np.where(left >= self.end, NONE_DAY, left)
        fields = pick(
            rng,
            ("technology", "agriculture", "education", "medicine", "law", "culture", "economy"),
            k,
            (0.2, 0.12, 0.25, 0.15, 0.08, 0.12, 0.08),
        )
        self.w.insert(
            schema.talent_pool,
            {
                "id": self.ids.take("talent_pool", k),
                "person_id": c["id"][tidx],
                "field": fields,
                "joined_on": to_dates(joined),
                "left_on": to_dates(left),
            },
        )
        # Activities of the talent pool. Drawn last of all, so no earlier draw changes.
        self.make_talent_activities(c["id"][tidx], fields, joined, left, death_or_end[tidx])

    def make_talent_activities(
        self, person_ids: np.ndarray, fields: np.ndarray, joined: np.ndarray, left: np.ndarray, gone: np.ndarray
    ) -> None:
        """座谈, 调研, 授课培训, 咨询服务, 宣讲 while in the pool; about a quarter never take part."""
        rng = self.rng
        k = len(person_ids)
        lo = np.maximum(joined, self.start)
        hi = np.minimum(np.where(left == NONE_DAY, self.end, left), gone)
        span = np.maximum(hi - lo, 0)
        active = rng.random(k) < 0.74
        n_act = rng.poisson(np.where(active, 2.4, 0.0) * span / 365.25)
        aidx = np.repeat(np.arange(k), n_act)
        held = uniform_days(rng, lo[aidx], hi[aidx])
        kinds = pick(rng, TALENT_ACTIVITY_TITLES, len(aidx), (0.26, 0.2, 0.22, 0.19, 0.13))
        self.w.insert(
            schema.talent_activities,
            {
                "id": self.ids.take("talent_activities", len(aidx)),
                "person_id": person_ids[aidx],
                "held_on": to_dates(held),
                "kind": kinds,
                "title": [
                    TALENT_ACTIVITY_TITLES[kd].format(field=TALENT_FIELD_NAMES[f]) for kd, f in zip(kinds, fields[aidx])
                ],
            },
        )

    # ------------------------------------------------------------------ all
    def generate(self) -> dict[tuple[int, str, str], float]:
        self.make_units()
        people = self.make_people()
        self.make_branches(people)
        self.write_people(people)
        self.make_branch_activities()
        self.make_contacts(people)
        self.make_pairings(people)
        self.make_money(people)
        self.make_recommendations(people)
        return self.budget_base


# ---------------------------------------------------------------------------- builder


def build_demo(
    engine: sa.Engine,
    scale: int = 1,
    seed: int = DEFAULT_SEED,
    *,
    include_new_area: bool = False,
    log: Callable[[str], None] = lambda s: None,
) -> dict[str, int]:
    """Create the schema and write a demo ledger of ``scale`` replicas; returns row counts.

    Refuses to write into a database that already holds a ledger.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    existing = set(sa.inspect(engine).get_table_names()) & set(schema.TABLES)
    if existing:
        raise RuntimeError(
            f"the database already has ledger tables ({', '.join(sorted(existing))}); use an empty database"
        )
    schema.Base.metadata.create_all(engine)
    ids = Ids()
    budgets: dict[tuple[int, str, str], float] = {}
    counts: dict[str, int] = {}
    t0 = time.perf_counter()
    with engine.begin() as conn:
        w = Writer(conn)
        write_catalogues(w, include_new_area)
        counts.update(w.counts)
    for k in range(scale):
        with engine.begin() as conn:
            w = Writer(conn)
            replica = Replica(k, seed, w, ids)
            for key, amount in replica.generate().items():
                budgets[key] = budgets.get(key, 0.0) + amount
            for name, v in w.counts.items():
                counts[name] = counts.get(name, 0) + v
        log(f"replica {k + 1}/{scale} written ({time.perf_counter() - t0:.1f} s)")
    with engine.begin() as conn:
        w = Writer(conn)
        keys = sorted(budgets)
        w.insert(
            schema.budgets,
            {
                "id": list(range(1, len(keys) + 1)),
                "year": [k[0] for k in keys],
                "area_code": [k[1] for k in keys],
                "category": [k[2] for k in keys],
                "amount": [round(budgets[k], 2) for k in keys],
            },
        )
        counts["budgets"] = len(keys)
    if engine.dialect.name == "postgresql":
        # Fresh statistics, as a loaded production database has: without them the planner
        # guesses a few hundred rows per table and picks nested loops over whole tables.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE"))
    return counts


def main(argv: list[str] | None = None) -> int:
    from data_access.config import resolve_url
    from data_access.db import make_engine

    ap = argparse.ArgumentParser(description="Write the demo ledger into an empty service database.")
    ap.add_argument("--url", help="database URL (default: the configured service database)")
    ap.add_argument("--scale", type=int, default=1, help="replicas of the city (1 = the report's city)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--with-new-area", action="store_true", help="enable 兰州新区 in the areas table")
    ap.add_argument(
        "--ensure-default",
        action="store_true",
        help="build the embedded demo file only if no database is configured and the file is missing",
    )
    args = ap.parse_args(argv)
    if args.ensure_default:
        cfg = resolve_url()
        if not cfg.is_embedded_demo:
            print(f"service database configured ({cfg.source}); no demo ledger needed")
        elif ensure_demo_database(cfg.demo_path):
            print(f"demo ledger built: {cfg.demo_path}")
        else:
            print(f"demo ledger present: {cfg.demo_path}")
        return 0
    url = args.url or resolve_url().url
    engine = make_engine(url)
    t0 = time.perf_counter()
    try:
        counts = build_demo(
            engine, args.scale, args.seed, include_new_area=args.with_new_area, log=lambda s: print(s, file=sys.stderr)
        )
    except RuntimeError as exc:
        print(f"demo ledger not written: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    total = sum(counts.values())
    print(f"demo ledger written at scale {args.scale}: {total:,} rows in {time.perf_counter() - t0:.1f} s")
    for name, n in sorted(counts.items()):
        print(f"  {name:20s} {n:>10,}")
    return 0


def ensure_demo_database(path) -> bool:
    """Build the embedded demo ledger at ``path`` if no file is there; True if built now.

    An existing file is never touched, whatever it holds: it may be someone's own ledger
    (``SERVICE_DEMO_DB`` pointed at it by mistake), and replacing it with synthetic data that
    is then served without sign-in would lose it and mislead. A file that lacks tables is
    reported by the schema check (an old demo file: delete it and it is built anew).

    Written to a temporary file first and moved into place without overwriting (a hard
    link), so a reader never sees a half-built ledger and two processes starting at once
    cannot replace each other's file.
    """
    import os
    import tempfile
    from pathlib import Path

    from data_access.db import make_engine

    path = Path(path)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".demo-", suffix=".sqlite", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)
    from data_access.rollups import refresh as refresh_rollups

    engine = make_engine(f"sqlite:///{tmp}")
    try:
        build_demo(engine)
        refresh_rollups(engine)  # served as a real ledger would be: from its rollups
    finally:
        engine.dispose()
    try:
        os.link(tmp, path)  # fails if the file appeared meanwhile: never overwrite
    except FileExistsError:
        return False
    except OSError:  # no hard links on this file system: move it, unless one appeared
        if path.exists():
            return False
        os.replace(tmp, path)
        return True
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return True


if __name__ == "__main__":
    raise SystemExit(main())
