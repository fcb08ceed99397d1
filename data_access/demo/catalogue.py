"""The demo city's fixed lists: areas, tiers, festival windows, name stems, and the
catalogue tables written once before the replicas."""

from __future__ import annotations

import datetime as dt

import numpy as np

from data_access import codes, schema
from data_access.codes import CITY
from data_access.demo.writer import Writer

SNAPSHOT = dt.date(2019, 12, 31)
ACTIVITY_START = dt.date(2018, 1, 1)
ACTIVITY_END = dt.date(2021, 1, 1)  # exclusive
DEFAULT_SEED = 20191231
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
TALENT_FIELD_NAMES = codes.TALENT_FIELD_NAMES
TALENT_ACTIVITY_TITLES = {  # kind code -> title template (stored as data, in Chinese)
    "forum": "{field}工作座谈会",
    "research": "{field}专题调研",
    "training": "{field}知识授课培训",
    "advisory": "{field}咨询服务",
    "lecture": "{field}政策宣讲",
}
SUGGESTION_TOPICS = ("养老服务", "医疗保障", "城市建设", "文化生活", "交通出行", "生态环境", "社区治理", "教育发展")


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
