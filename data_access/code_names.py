"""The Chinese names of the ledger's codes: one home for what the dashboard shows
(``dashboard.labels`` reads them) and what the import template writes and reads back
(``data_access.ledger_import``). The codes themselves are in ``data_access.codes``."""

CATEGORY = {"veteran": "离休干部", "retiree": "退休干部", "survivor": "遗属"}
RANK = {"prefecture_principal": "正地级", "prefecture_deputy": "副地级", "county": "县处级", "section": "科级及以下"}
HARDSHIP_REASON = {
    "serious_illness": "重病",
    "advanced_age": "高龄",
    "disability": "失能",
    "lost_only_child": "失独",
    "empty_nest": "空巢",
    "low_income": "家庭收入低",
    "bankrupt_enterprise": "破产改制企业",
}
BRANCH_KIND = {"city_unit": "市直机关事业单位", "temporary": "临时党支部", "district": "区县"}
CADENCE = {"weekly": "每周", "monthly": "每月", "quarterly": "每季度", "festival": "每个节日"}
FESTIVAL = {"new_year": "元旦", "spring_festival": "春节", "national_day": "国庆"}
EVENT_TYPE = {
    "hospitalisation": "生病住院",
    "family_event": "家庭重大变故",
    "death": "去世吊唁",
    "birthday": "80岁以上逢五逢十生日",
}
CHANNEL = {"home_visit": "上门走访", "phone": "电话", "wechat": "微信", "sms": "短信", "forum": "座谈"}
CONTACT_ROLE = {
    "leader": "领导干部",
    "bureau_staff": "老干部工作人员",
    "community": "社区干部",
    "doctor": "签约医生",
    "volunteer": "党员志愿者",
}
PAIRING_MODE = {"one_to_one": "一对一", "one_to_many": "一对多", "many_to_one": "多对一"}
ACTIVITY_TYPE = {
    "theme_day": "主题党日",
    "general_meeting": "党员大会",
    "committee": "支委会",
    "party_lecture": "党课",
    "life_meeting": "组织生活会",
}
BUDGET_CATEGORY = {
    "pension": "离休费",
    "medical": "医药费",
    "precise_service": "精准服务",
    "hardship_aid": "特困帮扶",
    "facilities": "活动设施",
    "training": "学习培训",
}
FORM = {"cash": "现金", "goods": "实物"}
SERVICE = {
    "housekeeping": "家政服务",
    "transport": "用车服务",
    "nursing": "医疗护理",
    "long_term_care": "长期照护",
    "companionship": "精神慰藉",
    "escort_medical": "助医陪诊",
    "errands": "代办代购",
    "home_learning": "送学上门",
}
PROVIDER_TYPE = {"unit": "单位", "community": "社区", "family_medical": "家庭医生（家庭/医疗）"}
TALENT_ACTIVITY_KIND = {
    "forum": "座谈",
    "research": "调研",
    "training": "授课培训",
    "advisory": "咨询服务",
    "lecture": "宣讲",
}
