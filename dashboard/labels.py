"""Every Chinese text the dashboard shows, in one place (codes are English everywhere else)."""

from __future__ import annotations

APP_TITLE = "离退休干部精准服务领导驾驶舱"
ORG_NAME = "市委老干部局"
AS_OF = "数据截至"
DEMO_BANNER = "演示数据：本页面使用内置演示台帐（全部为虚构数据），不代表真实情况。"

CATEGORY = {"veteran": "离休干部", "retiree": "退休干部", "survivor": "遗属"}
CATEGORY_SHORT = {"veteran": "离休", "retiree": "退休", "survivor": "遗属"}
LEVEL = {"city": "市属", "district": "区县属"}
RANK = {
    "prefecture_principal": "正地级",
    "prefecture_deputy": "副地级",
    "county": "县处级",
    "section": "科级及以下",
}
UNIT_TYPE = {
    "city_organ": "市级机关",
    "district_organ": "区县机关",
    "township": "乡镇",
    "institution": "事业单位",
    "enterprise": "企业",
}
REVOLUTION_PERIOD = {"anti_japanese": "抗日战争时期", "liberation": "解放战争时期"}
TIER = {1: "一级（每周）", 2: "二级（每月）", 3: "三级（每季度）", 4: "四级（节日）"}
AGE_BAND = {"under_60": "60岁以下", "60_69": "60-69岁", "70_79": "70-79岁", "80_89": "80-89岁", "90_plus": "90岁及以上"}
BRANCH_KIND = {"city_unit": "市直机关事业单位", "temporary": "临时党支部", "district": "区县"}
BUDGET_CATEGORY = {
    "pension": "离休费",
    "medical": "医药费",
    "precise_service": "精准服务",
    "hardship_aid": "特困帮扶",
    "facilities": "活动设施",
    "training": "学习培训",
}

# Headline figures on the first screen: label and 口径 (definition) shown as help text.
KPI = {
    "veterans": ("离休干部", "期末在册且健在的离休干部人数（统计期末日）。"),
    "retirees": ("退休干部", "期末在册且健在的机关事业单位退休干部人数。"),
    "survivors": ("遗属", "期末在册且健在的已故离休干部无固定收入遗属人数。"),
    "veteran_age": ("离休干部平均年龄", "离休干部在统计期最后一天的周岁年龄的平均值。"),
    "key_coverage": (
        "重点对象联系覆盖率",
        "统计期内至少联系过一次的重点对象 ÷ 重点对象（市属离休干部 + 担任过副地级以上实职的退休干部）；目标 100%。",
    ),
    "coverage": ("联系覆盖率", "统计期内至少联系过一次的人数 ÷ 期末在册健在的全部服务对象（离休、退休、遗属）。"),
    "branches": ("离退休干部党支部", "统计期末存续的离退休干部党支部数（市直机关事业单位、临时、区县）。"),
    "members": ("服务党员", "期末在册健在、组织关系在上述党支部的党员人数。"),
    "secretary_share": ("离退休党员任书记比例", "书记由离退休干部担任的支部 ÷ 支部总数。"),
    "aid": ("特困帮扶", "统计期内领取特困帮扶金的人数（去重）与金额；慰问品另计。"),
}

ERRORS = {
    "database_unavailable": "无法连接服务数据库，请检查数据库地址与网络后刷新页面。",
    "schema_missing": "服务数据库缺少必需的表或字段：{detail}。请对照数据字典（docs/data-dictionary.md）补齐。",
    "empty_database": "服务数据库中还没有任何业务记录（联系、经费或组织生活），暂无可展示的数据。",
    "config_error": "数据库配置有误：{detail}。",
    "bad_filter": "筛选条件无效：{detail}。",
    "data_access_error": "读取数据时出错，请稍后重试。",
}
