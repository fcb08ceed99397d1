"""The codes stored in the service database, in display order.

These are the whitelists: filters accept only these values, and the dashboard's labels
module gives each its Chinese name (the talent fields' names live here, as the demo ledger
writes them into activity titles). Area codes are data (table ``areas``).
"""

from __future__ import annotations

CITY = "city"  # 市直 / 市属: people and units managed by the city bureau

CATEGORIES = ("veteran", "retiree", "survivor")  # 离休 / 退休 / 遗属
LEVELS = ("city", "district")  # 市属 / 区县属
RANKS = (
    "prefecture_principal",  # 正地级
    "prefecture_deputy",  # 副地级
    "county",  # 县处级
    "section",  # 科级及以下
)
PREFECTURE_RANKS = ("prefecture_principal", "prefecture_deputy")
UNIT_TYPES = ("city_organ", "district_organ", "township", "institution", "enterprise")
REVOLUTION_PERIODS = ("anti_japanese", "liberation")  # 抗日战争 / 解放战争
TIERS = (1, 2, 3, 4)
HEALTH_STATUSES = ("good", "chronic", "serious")
IMPAIRMENTS = ("mobility", "vision", "hearing", "speech", "memory")  # 五不
HARDSHIP_REASONS = (
    "serious_illness",  # 重病
    "advanced_age",  # 高龄
    "disability",  # 失能
    "lost_only_child",  # 失独
    "empty_nest",  # 空巢
    "low_income",  # 低收入
    "bankrupt_enterprise",  # 破产改制企业
)
BRANCH_KINDS = ("city_unit", "temporary", "district")
ACTIVITY_TYPES = ("theme_day", "general_meeting", "committee", "party_lecture", "life_meeting")
CHANNELS = ("home_visit", "phone", "wechat", "sms", "forum")
IN_PERSON_CHANNELS = ("home_visit", "forum")
CONTACT_ROLES = ("leader", "bureau_staff", "community", "doctor", "volunteer")
FESTIVALS = ("new_year", "spring_festival", "national_day")
OCCASIONS = ("routine", *FESTIVALS, "hospital", "family_event", "condolence", "birthday")
EVENT_TYPES = ("hospitalisation", "family_event", "death", "birthday")
PAIRING_MODES = ("one_to_one", "one_to_many", "many_to_one")
BUDGET_CATEGORIES = (
    "pension",  # 离休费
    "medical",  # 医药费
    "precise_service",  # 精准服务
    "hardship_aid",  # 特困帮扶
    "facilities",  # 活动设施
    "training",  # 学习培训
)
PAYMENT_FORMS = ("cash", "goods")
SERVICES = (
    "housekeeping",  # 家政服务
    "transport",  # 用车服务
    "nursing",  # 医疗护理
    "long_term_care",  # 长期照护
    "companionship",  # 精神慰藉
    "escort_medical",  # 助医陪诊
    "errands",  # 代办代购
    "home_learning",  # 送学上门
)
PROVIDER_TYPES = ("unit", "community", "family_medical")  # 三位一体
GAP_SERVICES = ("nursing", "long_term_care", "companionship")  # named as lacking by the report
SPECIAL_GROUPS = (  # 重点人群 (data_access.groups holds each one's condition)
    "aged_80_plus",
    "aged_90_plus",
    "aged_100_plus",
    "lives_alone",
    "widowed",
    "empty_nest",
    "lost_only_child",
    "impaired_any",
    *(f"impaired_{k}" for k in IMPAIRMENTS),
    "seriously_ill",
    "disabled",
    "living_away",
)
# The talent pool's fields and their names (the one home of both: the dashboard's labels and
# the demo ledger's activity titles read them from here).
TALENT_FIELD_NAMES = {
    "technology": "科技",
    "agriculture": "农业",
    "education": "教育",
    "medicine": "医疗卫生",
    "law": "法律",
    "culture": "文化",
    "economy": "经济",
}
TALENT_FIELDS = tuple(TALENT_FIELD_NAMES)
# What members of the silver talent pool take part in: 座谈 / 调研 / 授课培训 / 咨询服务 / 宣讲.
TALENT_ACTIVITY_KINDS = ("forum", "research", "training", "advisory", "lecture")

# Age bands (年龄段): code -> (minimum age inclusive, maximum age exclusive or None).
AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "under_60": (0, 60),
    "60_69": (60, 70),
    "70_79": (70, 80),
    "80_89": (80, 90),
    "90_plus": (90, None),
}
