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

# ---------------------------------------------------------------------------- navigation
SECTION_OVERVIEW = "总览"
SECTION_TOPICS = "专题分析"
SECTION_SCREEN = "会议大屏"
PAGE_TITLES = {
    "overview": "总览",
    "contacts": "联系覆盖",
    "branches": "党支部",
    "money": "帮扶与经费",
    "districts": "区县对比",
    "screen": "会议大屏",
}

# ---------------------------------------------------------------------------- filters
FILTERS_HEADER = "筛选条件"
PERIOD_MODE = {"year": "按年度", "range": "自定义区间"}
PERIOD_MODE_LABEL = "统计期间"
YEAR_LABEL = "统计年度"
RANGE_LABEL = "日期范围"
AREA_LABEL = "区域"
AREA_ALL = "全部区域（市直及各区县）"
LEVEL_LABEL = "管理层级"
LEVEL_ALL = "全部层级"
CATEGORY_LABEL = "人员类别"
RANK_LABEL = "职级"
AGE_LABEL = "年龄段"
TIER_LABEL = "服务等级"
ALL = "全部"
RESET = "重置筛选"
CITY_WIDE = "全市"
FILTER_HELP = "筛选条件对所有页面生效，并写入网址：复制浏览器地址即可分享当前视图。"
SUMMARY_PREFIX = "当前视图"

URL_NOTICE = "链接中的参数 {param}={value} 无法识别，已忽略。"
URL_NOTICE_YEAR = "链接中的年度 {value} 不在数据范围（{first}–{last}）内，已改用 {last} 年。"
URL_NOTICE_RANGE = "链接中的日期范围 {start} 至 {end} 无效（格式应为 YYYY-MM-DD，且开始不晚于结束），已改用年度视图。"

# ---------------------------------------------------------------------------- overview
OVERVIEW_TITLE = "总览"
GROUP_PEOPLE = "服务对象"
GROUP_CONTACT = "联系服务"
GROUP_PARTY = "党的建设"
GROUP_MONEY = "经费与帮扶"
ATTENTION = "需要关注"
ATTENTION_NONE = "当前筛选范围内没有需要特别关注的事项。"
YOY = "同比"
NO_PRIOR = "无上年同期数据"
TARGET_MET = "✔ 达标（目标 100%）"
TARGET_SHORT = "▼ 未达标：还差 {n} 人"
AHEAD = "▲ 快于序时 {pts}"
BEHIND = "▼ 慢于序时 {pts}"
ON_PACE = "● 与序时进度持平"
CHART_COVERAGE_BY_AREA = "各区域联系覆盖率（目标 100%）"
CHART_TREND = "服务对象人数变化（两增一减）"
CHART_BUDGET = "各类经费预算执行率与序时进度"
TABLE_AREAS = "分区域概况"
DOWNLOAD_CSV = "下载 CSV"
TARGET_LINE = "目标 100%"
TIME_PROGRESS_LINE = "序时进度 {p}"
CITY_AVERAGE_LINE = "全市 {p}"

KPI.update(
    {
        "average_age": ("平均年龄", "筛选范围内期末在册健在人员在统计期最后一天的周岁年龄的平均值。"),
        "overdue": (
            "逾期未联系",
            "截至数据截至日（或所选期间最后一天），最近一次联系早于其服务等级规定周期的人数："
            "一级 7 天、二级 31 天、三级 92 天、四级 245 天；从未联系的自纳入台帐之日起算。",
        ),
        "execution": (
            "预算执行率",
            "统计期内各类经费支出 ÷ 所属年度年初预算；"
            "与序时进度（当年已过天数 ÷ 全年天数）对照，低于序时进度为执行偏慢。",
        ),
        "precise_execution": (
            "精准服务经费执行率",
            "统计期内精准服务经费支出 ÷ 年初精准服务预算；与序时进度对照。",
        ),
        "goods": ("慰问品（实物）", "统计期内发放的米面油等慰问品价值，单独统计，不计入帮扶金；人次为领取人数。"),
        "activity": (
            "组织生活完成率",
            "已按规定开展组织生活的支部月数 ÷ 应开展的支部月数：每月须开展主题党日，"
            "季末月另须当季已召开党员大会并上党课；只计期内已结束、且在支部成立之后的月份。",
        ),
    }
)

COLUMNS = {
    "area": "区域",
    "people": "服务对象（人）",
    "veterans": "离休干部（人）",
    "retirees": "退休干部（人）",
    "survivors": "遗属（人）",
    "coverage": "联系覆盖率",
    "key_coverage": "重点对象覆盖率",
    "overdue": "逾期未联系（人）",
    "branches": "党支部（个）",
    "members": "党员（人）",
    "aid_recipients": "帮扶人数",
    "aid_amount": "帮扶金额（元）",
    "category": "人员类别",
    "year": "年度",
    "execution_rate": "预算执行率",
    "budget": "预算（元）",
    "actual": "支出（元）",
    "budget_category": "经费类别",
}

ATTENTION_ITEMS = {
    "lagging_area": "{area}联系覆盖率 {value}，低于全市 {city}",
    "key_short": "重点对象尚有 {n} 人本期未联系（目标全覆盖）",
    "overdue": "{n} 人逾期未联系，其中{area}最多（{m} 人）",
    "budget_behind": "{area}{category}经费执行率 {value}，慢于序时进度 {progress}",
    "branch_gaps": "{n} 个党支部组织生活完成率低于 80%",
}
ATTENTION_LINK = "查看"
SEVERITY_URGENT = ":red-badge[:material/priority_high: 紧急]"
SEVERITY_WATCH = ":orange-badge[:material/visibility: 关注]"
NO_KEY_COHORT = "本范围内无重点对象"

# ---------------------------------------------------------------------------- contact coverage page
CONTACTS_TITLE = "联系覆盖"
BREADCRUMB_CITY = "全市"
DRILL_HINT = "点击柱形可下钻：区域 → 单位 → 人员名单。"
DRILL_NOTICE_AREA = "下钻区域 {value} 不在当前筛选范围内，已返回全市视图。"
DRILL_NOTICE_UNIT = "下钻单位 {value} 不在所选区域的名单中，已返回区域视图。"
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
SECTION_COVERAGE = "联系覆盖"
SECTION_CADENCE = "按级联系达标"
SECTION_VISITS = "节日走访与“五必访”"
SECTION_ACTIVITY = "联系趋势与方式"
SECTION_PAIRING = "结对联系"
SECTION_OVERDUE = "逾期未联系名单"
SECTION_PEOPLE = "人员名单"
CHART_COVERAGE_BY_UNIT = "{area}各单位联系覆盖率（覆盖率最低的 {n} 个单位）"
CHART_MONTHLY = "月度联系人次与联系覆盖"
CHART_CHANNEL = "联系方式构成"
CHART_ROLE = "联系人员构成"
SERIES_CONTACTS = "联系人次"
SERIES_MONTH_COVERAGE = "当月联系覆盖率"
OVERDUE_CAPTION = "共 {n} 人，按逾期天数从多到少排列；姓名已脱敏。逾期判定日：{on}。"
PEOPLE_CAPTION = "{unit}：在册 {n} 人，本期未联系 {m} 人（排在最前）；姓名已脱敏。"
NEVER = "从未联系"
YES, NO = "是", "否"

KPI.update(
    {
        "festival": (
            "节日走访完成率",
            "节日走访名单（全部离休干部、遗属、困难对象、副地级以上实职退休干部）中，"
            "在节日走访窗口内（元旦 12月20日–1月3日，春节 腊月十五–正月十五，国庆 9月20日–10月7日）"
            "获上门或座谈走访的人数 ÷ 名单人数；统计期内已结束的节日合计。",
        ),
        "hospital": (
            "住院探望及时率",
            "统计期内报告的生病住院事件中，在报告后 3 天内（应访截止日前）上门探望的 ÷ 报告事件数。",
        ),
        "pairing": ("结对覆盖率", "期末有在结对关系（一对一、一对多、多对一）的人数 ÷ 期末在册健在的服务对象。"),
        "tier_compliance": (
            "按级达标率",
            "各服务等级中，统计期内每个已结束的联系周期（一级每周、二级每月、三级每季度、四级每个节日）"
            "都至少联系一次的人数 ÷ 应联系人数。",
        ),
    }
)

COLUMNS.update(
    {
        "population": "在册人数",
        "reached": "已联系人数",
        "unreached": "未联系人数",
        "unit": "单位",
        "tier": "服务等级",
        "cadence": "联系周期",
        "windows": "应联系周期数",
        "owing": "应联系人数",
        "compliant": "达标人数",
        "missed": "未达标人数",
        "compliance": "达标率",
        "festival": "节日",
        "festival_date": "节日日期",
        "listed": "走访名单人数",
        "visited": "已走访人数",
        "completion": "完成率",
        "event_type": "事项",
        "events": "报告件数",
        "on_time": "3天内走访（件）",
        "visited_events": "已走访（件）",
        "timeliness": "及时率",
        "month": "月份",
        "contacts": "联系人次",
        "people_contacted": "联系人数",
        "channel": "联系方式",
        "contact_role": "联系人员",
        "share": "占比",
        "mode": "结对方式",
        "paired": "结对人数",
        "name": "姓名",
        "last_contact": "最近联系日期",
        "days_overdue": "逾期天数",
        "days_since": "距今天数",
        "helper_name": "结对联系人",
        "reached_flag": "本期已联系",
    }
)

# ---------------------------------------------------------------------------- party-branch page
BRANCHES_TITLE = "党支部"
ACTIVITY_TYPE = {
    "theme_day": "主题党日",
    "general_meeting": "党员大会",
    "committee": "支委会",
    "party_lecture": "党课",
    "life_meeting": "组织生活会",
}
SECTION_BRANCH_STRUCTURE = "支部设置与书记配备"
SECTION_MEMBERS = "党员分布"
SECTION_ORG_LIFE = "组织生活"
SECTION_CHANGES = "历年变化"
SECTION_BRANCH_LIST = "支部名单"
SECTION_BRANCH_DETAIL = "支部详情"
CHART_BRANCHES_BY_AREA = "各区域党支部数（按类型）"
CHART_MEMBERS_HIST = "每个支部的党员人数分布"
CHART_ORG_LIFE_MONTHLY = "各月组织生活完成率"
CHART_TIMELINE = "组织生活记录"
BRANCH_GAPS = "组织生活有缺项的支部（行动清单）"
BRANCH_GAPS_CAPTION = "共 {n} 个支部有未按规定开展组织生活的月份，按完成率从低到高排列。"
BRANCH_DRILL_HINT = "点击柱形进入该区域的支部名单；在名单中勾选一行查看支部详情。"
DRILL_NOTICE_BRANCH = "下钻支部 {value} 不在所选区域的支部名单中，已返回区域视图。"
FLAG_SMALL = "正式党员不足 3 名"
FLAG_LARGE = "超过 50 人"
BRANCH_FACTS = (
    "{kind} · {area}{unit} · 成立于 {founded} · 书记{secretary}由离退休党员担任"
    " · 党员 {members} 人（正式党员 {full} 人）"
)

KPI.update(
    {
        "branches_total": ("离退休干部党支部", "统计期末存续的离退休干部党支部数（成立日期早于期末且未撤销）。"),
        "small_branches": ("正式党员不足3名的支部", "期末正式党员少于 3 名的支部数（不符合设立支部的基本条件）。"),
        "large_branches": ("党员超过50人的支部", "期末党员超过 50 人的支部数（宜拆分设置）。"),
    }
)

COLUMNS.update(
    {
        "kind": "支部类型",
        "branch": "支部名称",
        "retiree_secretaries": "离退休党员任书记（个）",
        "retiree_secretary_share": "离退休党员任书记比例",
        "secretary": "书记由离退休党员担任",
        "full_members": "正式党员（人）",
        "flags": "提示",
        "months_owed": "应开展月数",
        "months_complete": "已开展月数",
        "missed_months": "缺项月份",
        "founded": "新成立（个）",
        "closed": "撤销（个）",
        "joined": "新增党员（人）",
        "left": "减少党员（人）",
        "branches_count": "支部（个）",
        "activity_type": "活动",
        "held_on": "日期",
        "city_unit": "市直机关事业单位（个）",
        "temporary": "临时党支部（个）",
        "district": "区县（个）",
        "below_min_full": "正式党员不足3名（个）",
        "above_max": "超过50人（个）",
        "founded_on": "成立日期",
    }
)

# ---------------------------------------------------------------------------- aid and budget page
MONEY_TITLE = "帮扶与经费"
HARDSHIP_REASON = {
    "serious_illness": "重病",
    "advanced_age": "高龄",
    "disability": "失能",
    "lost_only_child": "失独",
    "empty_nest": "空巢",
    "low_income": "家庭收入低",
    "bankrupt_enterprise": "破产改制企业",
}
FORM = {"cash": "现金", "goods": "实物"}
SECTION_EXECUTION = "预算执行与序时进度"
SECTION_CUMULATIVE = "累计支出进度"
SECTION_SHARE = "精准服务经费占比"
SECTION_AID = "特困帮扶"
SECTION_UNAIDED = "有困难但本期未获帮扶的人员"
SECTION_PAYMENTS = "支出明细"
CHART_EXECUTION_BY_AREA = "各区域预算执行率（全部经费）"
CHART_EXECUTION_BY_CATEGORY = "{area}各类经费预算执行率"
CHART_CUMULATIVE = "{what}累计支出与预算、序时进度"
CHART_SHARE = "各区域精准服务经费占全部支出的比例"
SERIES_CUMULATIVE = "累计支出"
SERIES_BUDGET = "年度预算"
SERIES_PROGRESS = "序时进度线"
ALL_SPENDING = "全部经费"
MONEY_DRILL_HINT = "点击柱形下钻：区域 → 经费类别 → 支出明细（受助人姓名已脱敏）。"
DRILL_NOTICE_CATEGORY = "下钻经费类别 {value} 无法识别，已返回区域视图。"
STATUS_BEHIND = "▼ 偏慢"
STATUS_OVER = "▲ 超支"
STATUS_OK = "● 正常"
PAYMENTS_CAPTION = "{area}{category}：{n} 笔，合计 {total}；整笔发放（如离休费）不列受助人。"
UNAIDED_CAPTION = "共 {n} 人；姓名已脱敏。"
LUMP = "（整笔发放）"

KPI.update(
    {
        "precise_share": (
            "精准服务经费占比",
            "统计期内精准服务经费支出 ÷ 全部经费支出（报告所指“用在精准服务的经费少之又少”）。",
        ),
        "per_recipient": ("人均帮扶", "统计期内特困帮扶现金金额 ÷ 领取人数（去重）；慰问品不计入。"),
        "hardship_coverage": (
            "困难对象覆盖率",
            "期末在册健在、登记有重病、高龄、失能、失独、空巢、家庭收入低、破产改制企业等困难情形的人员中，"
            "统计期内领取特困帮扶金的人数 ÷ 登记人数。",
        ),
    }
)

COLUMNS.update(
    {
        "gap": "与序时进度之差",
        "status": "执行状态",
        "time_progress": "序时进度",
        "precise_actual": "精准服务支出（元）",
        "all_actual": "全部支出（元）",
        "precise_share": "精准服务占比",
        "recipients": "帮扶人数",
        "cash_amount": "帮扶金额（元）",
        "per_recipient": "人均（元）",
        "goods_recipients": "慰问品人次",
        "goods_amount": "慰问品（元）",
        "hardship_reason": "困难情形",
        "flagged": "登记困难人数",
        "aided": "已帮扶人数",
        "paid_on": "支付日期",
        "amount": "金额（元）",
        "form": "形式",
        "recipient": "受助人",
        "recipient_category": "人员类别",
        "coverage_rate": "覆盖率",
    }
)

# ---------------------------------------------------------------------------- district comparison page
DISTRICTS_TITLE = "区县对比"
COMPARISON_METRICS = {
    "key_coverage": ("重点对象覆盖率", KPI["key_coverage"][1] + " 排名：越高越好；无重点对象的区域不排名。"),
    "coverage": ("联系覆盖率", KPI["coverage"][1] + " 排名：越高越好。"),
    "overdue": ("逾期未联系（人）", KPI["overdue"][1] + " 排名：越少越好。"),
    "festival": ("节日走访完成率", KPI["festival"][1] + " 排名：越高越好。"),
    "branches": ("党支部（个）", KPI["branches_total"][1] + " 排名：按数量从多到少，仅作描述。"),
    "secretary_share": ("离退休党员任书记比例", KPI["secretary_share"][1] + " 排名：越高越好。"),
    "execution": ("预算执行率", KPI["execution"][1] + " 排名：越接近序时进度越好。"),
    "aid_per_recipient": ("人均帮扶", KPI["per_recipient"][1] + " 排名：按金额从高到低，仅作描述。"),
    "hardship_coverage": ("困难对象覆盖率", KPI["hardship_coverage"][1] + " 排名：越高越好。"),
    "lives_alone_share": ("独居比例", "期末在册健在人员中独居者所占比例。排名：从高到低，比例越高越需关注。"),
    "impaired_share": (
        "“五不”比例",
        "期末在册健在人员中存在走不动、看不见、听不到、说不清、记不住至少一项者所占比例。排名：从高到低。",
    ),
}
RANK_SUFFIX = "排名"
COMPARISON_TABLE = "对比总表（括号内为排名，1 为最好）"
COMPARISON_HELP = (
    "每一格与对应专题页面在筛选该区域时显示的数值一致（同一口径、同一计算）。颜色：蓝色越深排名越靠前，"
    "方向性指标的最后一名标为橙色；“全市”行不参与排名。点击列名可排序。"
)
CHART_METRIC_BY_AREA = "{metric}：各区域与全市"
CHART_PROFILE = "{area}与全市对比（全市 = 100）"
CHART_SCATTER = "{x} 与 {y}"
PICK_METRIC = "指标"
PICK_AREA = "区域"
PICK_X = "横轴指标"
PICK_Y = "纵轴指标"
SECTION_METRIC_BARS = "分指标对比"
SECTION_PROFILE = "区域画像"
SECTION_SCATTER = "两项指标关系"
SECTION_YOY = "同比变化"
SECTION_DRILL = "查看区域详情"
DRILL_TO = "在「{page}」中查看{area}"
BACK_TO_DISTRICTS = "返回区县对比"
YOY_NONE = "上年同期不在数据范围内，无法比较。"
CHANGE_BETTER = "▲ 改善"
CHANGE_WORSE = "▼ 退步"
CHANGE_SAME = "● 持平"
CHANGE_UP = "上升"
CHANGE_DOWN = "下降"
COLUMNS.update({"before": "上年同期", "now": "本期", "change": "变化", "direction": "判断"})

# ---------------------------------------------------------------------------- meeting screen
SCREEN_TITLE = "会议大屏"
SCREEN_PANELS = {
    "overview": "服务对象与联系总体情况",
    "coverage": "各区域联系覆盖率（目标 100%）",
    "branches": "离退休干部党支部建设",
    "budget": "各类经费预算执行与序时进度",
    "aid": "特困帮扶发放情况",
    "ranking": "区县综合排名",
}
SCREEN_NEXT = "下一屏 {s} 秒"
SCREEN_PAUSED = "已暂停 · 按空格键继续"
SCREEN_STALE = "数据已 {days} 天未更新（数据截至 {as_of}）"
SCREEN_OFFLINE = "服务数据库暂时无法连接，显示的是 {time} 的最后一次数据，恢复后将自动更新"
SCREEN_DEMO = "演示数据"
SCREEN_BAD_PARAM = "大屏参数 {param}={value} 无效，已使用默认值。"

# ---------------------------------------------------------------------------- sign-in, roles, audit
SIGNIN = "登录"
SIGNIN_BUTTON = "登录"
SIGNIN_OIDC = "使用单位统一身份认证登录"
USERNAME = "用户名"
PASSWORD = "密码"
SIGNIN_FAILED = "用户名或密码不正确。"
SIGNIN_LOCKED = "该账号登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试。"
SIGNIN_EXPIRED = "登录已超时，请重新登录。"
SIGNIN_BAD_ACCOUNT = "该账号的角色配置不完整，请联系管理员。"
SIGNIN_NO_ROLE = "账号 {email} 尚未获得本系统的访问权限，请联系管理员。"
SIGNIN_NOT_CONFIGURED = "尚未配置登录（登录）：服务数据库中含有个人敏感信息，未配置登录前不显示任何数据。"
SIGNIN_HOW = (
    "请管理员在 `.streamlit/secrets.toml`（或 `DASHBOARD_ACCESS_FILE` 指定的文件）中配置 `[auth]`"
    "（统一身份认证，OpenID Connect）或 `[[access.accounts]]`（本地账号），详见 README“登录与权限”。"
)
SIGNOUT = "退出登录"
SIGNED_IN_AS = "当前用户：{name} · {role}{area}"
DEMO_USER = "演示用户"
ROLE = {"city": "市级领导", "district": "区县老干部局", "admin": "系统管理员"}
NO_CITY_WIDE = "全市合计仅对市级账号显示。"
SMALL_CELL = "<5"
SMALL_CELL_NOTE = "为保护个人信息，少于 5 人的格子显示为“<5”（必要时连带隐去一格，防止由合计反推）。"
AUDIT_TITLE = "审计日志"
AUDIT_RANGE = "日期范围"
AUDIT_USER = "用户"
AUDIT_ACTION = "操作"
AUDIT_ACTIONS = {
    "view": "浏览",
    "export": "导出",
    "login": "登录",
    "login_failed": "登录失败",
    "login_blocked": "登录被锁定",
}
COLUMNS.update(
    {
        "at": "时间",
        "user_id": "用户",
        "role": "角色",
        "action": "操作",
        "page": "页面",
        "filters": "筛选条件",
        "file_name": "导出文件",
        "rows": "导出行数",
    }
)
PAGE_TITLES["audit"] = "审计日志"
SECTION_ADMIN = "系统管理"
