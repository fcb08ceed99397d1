"""Every Chinese text the dashboard shows, in one place (codes are English everywhere else)."""

from __future__ import annotations

from data_access import code_names, codes, privacy, rules

# The judgement thresholds as the 口径 texts quote them (defined once, in data_access.rules).
_PACE_PTS = rules.points(rules.PACE_BEHIND)  # "5"
_OVERSPENT = f"{rules.OVERSPENT * 100:g}%"  # "100%"
_LAG_PTS = rules.points(rules.LAG)  # "1"
_COMPLETE = f"{rules.BRANCH_COMPLETE * 100:g}%"  # "100%"
# The small-cell rule as the texts quote it (defined once, in data_access.privacy).
_SMALL, _SMALL_CELL = privacy.THRESHOLD, privacy.SMALL_CELL  # 5, "<5"

APP_TITLE = "离退休干部精准服务领导驾驶舱"
ORG_NAME = "市委老干部局"
AS_OF = "数据截至"
WARM_USER = "缓存预热（系统）"
DEMO_BANNER = "演示数据：本页面使用内置演示台帐（全部为虚构数据），不代表真实情况。"

CATEGORY = code_names.CATEGORY
CATEGORY_SHORT = {"veteran": "离休", "retiree": "退休", "survivor": "遗属"}
LEVEL = {"city": "市属", "district": "区县属"}
RANK = code_names.RANK
TIER = {1: "一级（每周）", 2: "二级（每月）", 3: "三级（每季度）", 4: "四级（节日）"}
AGE_BAND = {"under_60": "60岁以下", "60_69": "60-69岁", "70_79": "70-79岁", "80_89": "80-89岁", "90_plus": "90岁及以上"}
BRANCH_KIND = code_names.BRANCH_KIND
BUDGET_CATEGORY = code_names.BUDGET_CATEGORY

# Every figure's name and 口径 (definition, shown as help text), by its key in the metric
# catalogue (dashboard/metrics.py: query, counts, unit, direction and judgement rule of each).
# Read them through ``metrics.get(key).name`` / ``.help``.
KPI = {
    "veterans": ("离休干部", "期末在册且健在的离休干部人数（统计期末日）。"),
    "retirees": ("退休干部", "期末在册且健在的机关事业单位退休干部人数。"),
    "survivors": ("遗属", "期末在册且健在的已故离休干部无固定收入遗属人数。"),
    "veteran_age": ("离休干部平均年龄", "离休干部在统计期最后一天的周岁年龄的平均值。"),
    "key_coverage": (
        "重点对象联系覆盖率",
        "统计期内至少联系过一次的重点对象 ÷ 重点对象（市属离休干部 + 担任过副地级以上实职的退休干部）；目标 100%。",
    ),
    "coverage": (
        "联系覆盖率",
        "统计期内至少联系过一次的人数 ÷ 期末在册健在的全部服务对象（离休、退休、遗属）。"
        f"区域覆盖率低于全市 {_LAG_PTS} 个百分点及以上为落后（图中标 ▼，并列入需要关注）。",
    ),
    "branches": (
        "离退休干部党支部",
        "统计期末存续的离退休干部党支部数（成立日期早于期末且未撤销），含市直机关事业单位、临时、区县三类。",
    ),
    "members": (
        "服务党员",
        "期末在册健在、组织关系在上述党支部的党员人数。按所在党支部的区域统计"
        "（党员由其他区县管理的，仍计入其党支部所在区域），各区域之和等于全市。",
    ),
    "secretary_share": ("离退休党员任书记比例", "书记由离退休干部担任的支部 ÷ 支部总数。"),
    "aid": (
        "特困帮扶",
        "统计期内领取特困帮扶金的人数（去重）与金额；慰问品另计。按发放区域统计（与该区域经费执行中的"
        "“特困帮扶”支出一致），受助人由其他区县管理的也计入发放区域；金额各区域之和等于全市，"
        "同一人由两个区域发放时在两区域各计一人、全市计一人。",
    ),
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
SECTION_SERVICES = "精准服务专项"
PAGE_TITLES = {
    "overview": "总览",
    "contacts": "联系覆盖",
    "branches": "党支部",
    "money": "帮扶与经费",
    "districts": "区县对比",
    "groups": "重点人群",
    "services": "精准服务",
    "talent": "银发人才库",
    "suggestions": "建言献计",
    "screen": "会议大屏",
    "briefing": "工作简报",
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
URL_NOTICE_RANGE_CLAMPED = "链接中的日期范围 {start} 至 {end} 超出数据范围（{first} 至 {last}），已截取为范围内的部分。"
URL_NOTICE_RANGE_OUTSIDE = "链接中的日期范围 {start} 至 {end} 不在数据范围（{first} 至 {last}）内，已改用年度视图。"
URL_NOTICE_OVERSIZED = "⚠ 链接中的参数过多或过长（超过 1000 个或 512K 字符），已全部忽略，当前显示默认视图。"
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
MOM = "环比"  # against the span of the same length just before (a period shorter than a year)
NO_PRIOR = "无上年同期数据"
TARGET_MET = "✔ 达标（目标 100%）"
TARGET_SHORT = "▼ 未达标：还差 {n} 人"
# Budget execution against time progress: the status word (data_access.rules.budget_pace)
# and the KPI's reading "status：gap" come from the same judgement.
PACE_STATUS = {
    rules.BEHIND: "▼ 偏慢",
    rules.OVER: "▲ 超支",
    rules.ON_PACE: "● 正常",
    rules.NO_BUDGET: "—",
}
PACE_TEXT = "{status}：{gap}"
PACE_GAP_BEHIND = "慢于序时 {pts} 个百分点"
PACE_GAP_AHEAD = "快于序时 {pts} 个百分点"
PACE_GAP_LEVEL = "与序时持平"
PACE_RULE = (
    f"执行率低于序时进度 {_PACE_PTS} 个百分点及以上为“偏慢”（▼），"
    f"执行率超过 {_OVERSPENT} 为“超支”（▲），其余为“正常”（●）。"
)
LAG_RULE = f"低于参照值（全市或平均）{_LAG_PTS} 个百分点及以上标 ▼。"
COUNT_RATE = "{count} · {rate}"
# What the count above a card's rate counts (issue #26: an unlabelled "587 人" above "99.5%"):
# the card reads "已联系 587 人 · 99.5%". By the catalogue's key of the rate.
COUNTED = "{what} {count}"
COUNT_WHAT = {
    "key_coverage": "已联系",
    "coverage": "已联系",
    "festival": "已走访",
    "hospital": "按时探望",
    "pairing": "已结对",
    "secretary_share": "离退休党员任书记",
    "activity": "已开展",
    "execution": "已支出",
    "precise_execution": "已支出",
    "precise_share": "已支出",
    "hardship_coverage": "已帮扶",
    "services_delivery_rate": "已办结",
    "services_gap_rate": "已办结",
    "services_tier_compliance": "达标",
    "tl_participation": "期末在库者中参加",
    "sg_on_time": "按期答复",
}
BRANCH_MONTHS = "{n} 支部月"
BRANCH_GAPS_DELTA = "{n} 个支部有缺项"
OF_BRANCHES = "共 {n} 个支部"
OF_SPENDING = "全部经费支出 {total}"
OF_FLAGGED = "登记困难 {n} 人"
UNIT_PEOPLE = "{n} 人"
UNIT_BRANCHES = "{n} 个"
UNIT_PERSON_TIMES = "{n} 人次"
ON_ROLL = "在册 {n} 人"
CHART_COVERAGE_BY_AREA = "各区域联系覆盖率（目标 100%）"
CHART_TREND = "服务对象人数变化（两增一减）"
CHART_BUDGET = "各类经费预算执行率与序时进度"
TABLE_AREAS = "分区域概况"
DOWNLOAD_CSV = "下载 CSV"
EXPORT_NO_AUDIT = "审计日志暂时无法记录，含个人信息的明细暂停导出（每次导出必须留痕）。请稍后再试或联系管理员。"
AUDIT_UNAVAILABLE = "审计日志暂时无法记录本次访问，原因已记入服务器日志；含个人信息的明细暂停导出。"
TARGET_LINE = "目标 100%"
NOBODY_IN_VIEW = "当前筛选条件下没有在册服务对象，请放宽筛选条件。"
TIME_PROGRESS_LINE = "序时进度 {p}"
EACH_AREA = "各区域"  # how a chart with one bar per area begins its title (drill.by_area_title)
SCOPED_TITLE = "{where}：{title}"  # a chart of one district's (or some areas') figures
YEAR = "{y} 年"  # a year on screen (axes, tables, pickers): "2018 年"; file names keep "2018年"
REFERENCE_LINE = "{where} {p}"  # the view's own value: 全市, or the areas it covers
AXIS_FROM = "纵轴从 {p} 起，未从 0 起"  # a zoomed rate axis says where it starts

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
            "统计期内各类经费支出合计 ÷ 所属年度年初预算合计（当前视图的全部区域与类别）。"
            "与序时进度（当年已过天数 ÷ 全年天数）对照：" + PACE_RULE,
        ),
        "precise_execution": (
            "精准服务经费执行率",
            "统计期内精准服务经费支出 ÷ 年初精准服务预算；与序时进度对照：" + PACE_RULE,
        ),
        "goods": ("慰问品（实物）", "统计期内发放的米面油等慰问品价值，单独统计，不计入帮扶金；人次为领取人数。"),
        "activity": (
            "组织生活完成率",
            "已按规定开展组织生活的支部月数 ÷ 应开展的支部月数：每月须开展主题党日，"
            "季末月另须当季已召开党员大会并上党课；只计期内已结束、且在支部成立之后的月份。"
            f"支部完成率低于 {_COMPLETE}（任一应开展月份未按规定开展）即为“有缺项”，列入缺项清单和需要关注。",
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
    "key_coverage": "重点对象联系覆盖率",
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
    "budget_behind": (
        "{n} 项经费执行偏慢（慢于序时进度 {pts} 个百分点及以上），最慢：{area}{category} {value}（序时进度 {progress}）"
    ),
    "branch_gaps": "{n} 个党支部组织生活有缺项（完成率低于 {complete}），最低 {lowest}",
}
ATTENTION_RULES = (
    "列入需要关注的规则："
    f"区域联系覆盖率低于全市 {_LAG_PTS} 个百分点及以上；重点对象未全覆盖；有逾期未联系的人；"
    + "、".join(BUDGET_CATEGORY[c] for c in rules.PACED_CATEGORIES)
    + f"经费执行率低于序时进度 {_PACE_PTS} 个百分点及以上（偏慢）；"
    f"党支部组织生活完成率低于 {_COMPLETE}（有缺项）。"
)
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
CADENCE = code_names.CADENCE
FESTIVAL = code_names.FESTIVAL
EVENT_TYPE = code_names.EVENT_TYPE
CHANNEL = code_names.CHANNEL
CONTACT_ROLE = code_names.CONTACT_ROLE
PAIRING_MODE = code_names.PAIRING_MODE
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
UNREACHED_VS_OVERDUE = (
    "“未联系”是统计期内一次也没有联系过的人；“逾期未联系”是截至判定日最近一次联系已超过其服务等级周期的人"
    "（本期联系过、但间隔已太久的也算，需要关注中的人数即此项）：两者口径不同，人数也不同。"
)
TABLE_FIRST_ROWS = "页面列出前 {n} 行（共 {total} 行）；下载的 CSV 与 Excel 含全部行。"
OVERDUE_SCREEN_ROWS = 2_000  # the most overdue first: what a leader reads; the files hold everyone
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
        "pairing": KPI["pairing"][0],  # 结对覆盖率: the pairing table's rate, as its card names it
    }
)

# ---------------------------------------------------------------------------- party-branch page
BRANCHES_TITLE = "党支部"
ACTIVITY_TYPE = code_names.ACTIVITY_TYPE
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
HARDSHIP_REASON = code_names.HARDSHIP_REASON
FORM = code_names.FORM
SECTION_EXECUTION = "预算执行与序时进度"
SECTION_CUMULATIVE = "累计支出进度"
SECTION_SHARE = "精准服务经费占比"
SECTION_AID = "特困帮扶"
SECTION_UNAIDED = "有困难但本期未获帮扶的人员"
SECTION_PAYMENTS = "支出明细"
CHART_EXECUTION_BY_AREA = "各区域预算执行率（全部经费）"
CHART_EXECUTION_BY_CATEGORY = "{area}各类经费预算执行率"
CHART_CUMULATIVE = "{what}累计支出与预算、序时进度"
SERIES_CUMULATIVE = "累计支出"
SERIES_BUDGET = "年度预算"
SERIES_PROGRESS = "序时进度线"
ALL_SPENDING = "全部经费"
MONEY_DRILL_HINT = "点击柱形下钻：区域 → 经费类别 → 支出明细（受助人姓名已脱敏）。"
DRILL_NOTICE_CATEGORY = "下钻经费类别 {value} 无法识别，已返回区域视图。"
TIME_PROGRESS_KPI = (
    "序时进度",
    "统计期最后一天（或数据截至日）已过天数 ÷ 预算年度全年天数；执行率应与之对照：" + PACE_RULE,
)
KPI["time_progress"] = TIME_PROGRESS_KPI
PAYMENTS_CAPTION = "{area}{category}：{n} 笔，合计 {total}；整笔发放（如离休费）不列受助人。"
UNAIDED_CAPTION = "共 {n} 人；姓名已脱敏。"
LUMP = "（整笔发放）"

KPI.update(
    {
        "precise_share": (
            "精准服务经费占比",
            "统计期内精准服务经费支出 ÷ 全部经费支出（报告所指“用在精准服务的经费少之又少”）。",
        ),
        "aid_per_recipient": ("人均帮扶", "统计期内特困帮扶现金金额 ÷ 领取人数（去重）；慰问品不计入。"),
        "hardship_coverage": (
            "困难对象覆盖率",
            "期末在册健在、登记有重病、高龄、失能、失独、空巢、家庭收入低、破产改制企业等困难情形的人员中，"
            "统计期内领取特困帮扶金的人数 ÷ 登记人数。按本人所属（管理）区域统计，由任何区域发放的均算已帮扶。",
        ),
    }
)

COLUMNS.update(
    {
        "gap": "与序时进度之差（百分点）",
        "status": "执行状态",
        "time_progress": "序时进度",
        "precise_actual": "精准服务支出（元）",
        "all_actual": "全部支出（元）",
        "precise_share": "精准服务占比",
        "recipients": "帮扶人数",
        "cash_amount": "帮扶金额（元）",
        "per_recipient": "人均帮扶（元/人）",
        "goods_recipients": "慰问品人数",
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
# The 区县对比 matrix: each compared metric's column header (also its CSV header) and how it
# is ranked (appended to its 口径); the metrics themselves are in dashboard/metrics.py.
METRIC_COLUMN = {
    "key_coverage": "重点对象联系覆盖率",
    "coverage": "联系覆盖率",
    "overdue": "逾期未联系（人）",
    "overdue_rate": "逾期未联系率",
    "festival": "节日走访完成率",
    "branches": "党支部（个）",
    "secretary_share": "离退休党员任书记比例",
    "execution": "预算执行率",
    "aid_per_recipient": "人均帮扶",
    "hardship_coverage": "困难对象覆盖率",
    "lives_alone_share": "独居比例",
    "impaired_share": "“五不”比例",
}
RANK_NOTE = {
    "key_coverage": " 排名：越高越好；无重点对象的区域不排名。",
    "coverage": " 排名：越高越好。",
    "overdue": " 排名：越少越好；人数随区域规模而变，不计入综合名次（综合名次用逾期未联系率）。",
    "overdue_rate": " 排名：越低越好。",
    "festival": " 排名：越高越好。",
    "branches": " 排名：按数量从多到少，仅作描述。",
    "secretary_share": " 排名：越高越好。",
    "execution": " 排名：越接近序时进度越好。",
    "aid_per_recipient": " 排名：按金额从高到低，仅作描述。",
    "hardship_coverage": " 排名：越高越好。",
    "lives_alone_share": "排名：从高到低，比例越高越需关注。",
    "impaired_share": "排名：从高到低。",
}
KPI.update(
    {
        "lives_alone_share": ("独居比例", "期末在册健在人员中独居者所占比例。"),
        "overdue_rate": (
            "逾期未联系率",
            "逾期未联系人数 ÷ 期末在册健在的服务对象人数（联系覆盖率的分母），即每百人中逾期未联系的人数；"
            "可在规模不同的区域之间比较。",
        ),
        "impaired_share": (
            "“五不”比例",
            "期末在册健在人员中存在走不动、看不见、听不到、说不清、记不住至少一项者所占比例。",
        ),
    }
)
# How metrics.Metric.judge words a judgement (the pace rule words it as PACE_STATUS).
JUDGE_LAG = "▼ 落后"
JUDGE_TARGET_MET = "✔ 达标"
JUDGE_TARGET_SHORT = "▼ 未达标"
JUDGE_GAPS = "▼ 有缺项"
RANK_SUFFIX = "排名"
UNIT_YUAN_PER_PERSON = "（元/人）"  # a header's unit: the cells are plain numbers
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
COLUMNS.update(
    {
        "before": "上年同期",
        "now": "本期",
        "change": "变化",
        "change_points": "变化（百分点）",
        "before_per_person": "上年同期（元/人）",
        "now_per_person": "本期（元/人）",
        "change_per_person": "变化（元/人）",
        "direction": "判断",
    }
)

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
SCREEN_DEMO_SNAPSHOT = "演示用的固定数据快照，不会更新"
SCREEN_BAD_PARAM = "大屏参数 {param}={value} 无效，已使用默认值。"
SCREEN_COVERAGE_LEGEND = "绿线：目标 100%；▼ 低于全市 " + _LAG_PTS + " 个百分点及以上"
SCREEN_CITY_LINE = "虚线：{where} {city}"  # drawn on every bar, in the swatch's colour; 全市 or the areas shown
SCREEN_BUDGET_LEGEND = (
    "绿线：序时进度 {progress}；全部经费支出 {actual} 万元 · 执行率 {execution}（{status}）；"
    "▼ 偏慢：慢于序时进度 " + _PACE_PTS + " 个百分点及以上"
)
# Notes under the screen's rate figures: the count behind each rate.
SCREEN_TEXT = {
    "reached": "已联系 {n} 人",
    "secretaries": "{n} 个支部由离退休党员任书记",
    "org_life_done": "已开展 {n} 支部月 · {gaps} 个支部有缺项",
}

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
SMALL_CELL_NOTE = (
    f"为保护个人信息，少于 {_SMALL} 人的人数显示为“{_SMALL_CELL}”，由其推算的金额、人均和比例显示为“（已隐藏）”；"
    "必要时连带隐去一格（也显示“（已隐藏）”），防止由合计反推。"
)
PERSON_LISTS_OFF = "本账号只能查看汇总数据，不显示人员名单。"
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
    "screen_login": "大屏令牌登录",
    "screen_token_failed": "大屏令牌无效",
}
SCREEN_TOKEN_INVALID = "大屏令牌无效或已撤销：请向管理员索取新的大屏链接。"
SCREEN_TOKEN_ROLE = "大屏"
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

# ---------------------------------------------------------------------------- 重点人群 and 精准服务 (groups, services)
# (labels of pages/groups.py and pages/services.py go here)
GROUPS_TITLE = "重点人群"
# Special group code -> (short name, 口径). Ages are completed years on the period's last day.
_ALIVE = "期末在册健在、在筛选与权限范围内的服务对象中，"
SPECIAL_GROUP = {
    "aged_80_plus": ("80岁以上", _ALIVE + "统计期最后一天周岁年龄满 80 岁的人数（含 90、100 岁以上）。"),
    "aged_90_plus": ("90岁以上", _ALIVE + "统计期最后一天周岁年龄满 90 岁的人数（含 100 岁以上）。"),
    "aged_100_plus": ("100岁以上", _ALIVE + "统计期最后一天周岁年龄满 100 岁的人数。"),
    "lives_alone": ("独居", _ALIVE + "台帐登记为独居的人数。"),
    "widowed": ("丧偶", _ALIVE + "台帐登记为丧偶的人数。"),
    "empty_nest": ("空巢", _ALIVE + "台帐登记为空巢（子女不在身边）的人数。"),
    "lost_only_child": ("失独", _ALIVE + "台帐登记为失独的人数。"),
    "impaired_any": ("“五不”（至少一项）", _ALIVE + "走不动、看不见、听不到、说不清、记不住至少占一项的人数。"),
    "impaired_mobility": ("走不动", _ALIVE + "台帐登记为行动不便（走不动）的人数。"),
    "impaired_vision": ("看不见", _ALIVE + "台帐登记为视力障碍（看不见）的人数。"),
    "impaired_hearing": ("听不到", _ALIVE + "台帐登记为听力障碍（听不到）的人数。"),
    "impaired_speech": ("说不清", _ALIVE + "台帐登记为言语障碍（说不清）的人数。"),
    "impaired_memory": ("记不住", _ALIVE + "台帐登记为记忆障碍（记不住）的人数。"),
    "seriously_ill": ("重病", _ALIVE + "健康状况登记为“重病”的人数（慢性病不计入）。"),
    "disabled": ("失能（残疾）", _ALIVE + "台帐登记为失能或残疾的人数。"),
    "living_away": ("异地居住", _ALIVE + "易地安置或长期在外地居住的人数（两项登记任一即计入）。"),
}
GROUPS_SHARE = "占在册 {p}"
GROUPS_SECTION_TABLE = "各类重点人群（按人员类别）"
GROUPS_SECTION_AREAS = "分区域分布"
GROUPS_SECTION_TREND = "历年变化：两增一减与高龄化"
GROUPS_SECTION_AREA_GROUPS = "{area}各类重点人群"
GROUPS_SECTION_PEOPLE = "人员名单"
GROUPS_DEFINITIONS = "各类人群口径说明"
GROUPS_PICK = "查看人群"
GROUPS_PICK_HELP = "选择一类人群，查看其在各区域的人数与占比；点击柱形进入该区域。"
GROUPS_CHART_AREAS = "{group}：各区域人数占在册人数的比例"
GROUPS_CHART_AREA = "{area}：各类重点人群人数"
GROUPS_CHART_SHARE_TREND = "高龄化：80岁、90岁以上占在册人数的比例"
GROUPS_CHART_POPULATION_TREND = "服务对象人数（两增一减）"
GROUPS_DRILL_HINT = "点击柱形下钻：区域 → 人群 → 人员名单（姓名、电话已脱敏）。"
GROUPS_AREA_HINT = "点击某一人群的柱形，查看该人群的人员名单。"
GROUPS_PEOPLE_CAPTION = "{area} · {group}：共 {n} 人，按年龄从大到小排列；姓名、电话已脱敏。"
GROUPS_DRILL_NOTICE = "下钻人群 {value} 无法识别，已返回区域视图。"
GROUPS_NEED_AREA = "下钻人群 {value} 需先选定区域，已返回全市视图。"
GROUPS_TREND_NOTE = "每年按当年最后一天（当年未结束则按数据截至日）的在册健在人员统计；筛选条件同上。"
GROUPS_UNIT = "人"
GROUPS_SUB_ITEM = "其中："
GROUPS_PERSONS = "{n}人"
GROUPS_PERSONS_SHARE = "{n}人（{p}）"
GROUPS_SHARE_PERSONS = "{p}<br>{n}人"
GROUPS_FILE = {"areas": "分区域", "trend": "历年变化", "category": "分类别", "people": "{area}_{group}_名单"}
GROUPS_NO_PEOPLE = "当前范围内没有在册健在的服务对象。"
COLUMNS.update(
    {
        "group": "人群",
        "group_count": "人数",
        "group_share": "占在册比例",
        "age": "年龄（周岁）",
        "phone": "联系电话",
        "people_total": "在册健在（人）",
        "veteran_count": "离休干部（人）",
        "retiree_count": "退休干部（人）",
        "survivor_count": "遗属（人）",
        "aged_80_share": "80岁以上占比",
        "aged_90_share": "90岁以上占比",
        **{f"grp_{k}": v[0] for k, v in SPECIAL_GROUP.items()},
    }
)

SERVICES_TITLE = "精准服务"
SERVICE = code_names.SERVICE
PROVIDER_TYPE = code_names.PROVIDER_TYPE
PROVIDER_NONE = "（未办结）"
GAP_MARK = "★"
GAP_NOTE = "★ 为调研报告指出的短板服务（医疗护理、长期照护、精神慰藉）。"
SERVICES_SECTION_TIERS = "四级服务分类与联系达标"
SERVICES_SECTION_SERVICES = "八项个性服务"
SERVICES_SECTION_AREAS = "分区域办理情况"
SERVICES_SECTION_PROVIDERS = "三位一体：服务提供方"
SERVICES_SECTION_REQUESTS = "服务申请明细"
SERVICES_SECTION_TIER_AREAS = "各区域服务对象的服务等级"
SERVICES_CHART_TIERS = "各服务等级联系达标率（目标 100%）"
SERVICES_CHART_SERVICES = "{area}各项服务办结率"
SERVICES_CHART_AREAS = "各区域服务办结率"
SERVICES_CHART_PROVIDERS = "已办结服务的提供方构成"
SERVICES_AVERAGE_LINE = "平均 {p}"
SERVICES_TARGET_LINE = "目标 100%"
SERVICES_DRILL_HINT = "点击柱形下钻：区域 → 服务项目 → 申请明细（姓名、电话已脱敏）。"
SERVICES_AREA_HINT = "点击某项服务的柱形，查看该服务的申请明细。"
SERVICES_REQUESTS_CAPTION = "{area} · {service}：本期申请 {n} 件，期末未办结 {m} 件（排在最前）；姓名、电话已脱敏。"
SERVICES_DRILL_NOTICE = "下钻服务项目 {value} 无法识别，已返回区域视图。"
SERVICES_NEED_AREA = "下钻服务项目 {value} 需先选定区域，已返回全市视图。"
SERVICES_STATUS_OPEN = "▲ 未办结"
SERVICES_STATUS_DONE = "✔ 已办结"
SERVICES_DAYS = "{d} 天"
SERVICES_DAYS_DELTA = "中位 {median} · 九成在 {p90}内"  # "九成在 19 天内", not "P90"
SERVICES_GAP_DELTA = "其他五项 {p}"
SERVICES_COMPLIANCE_DELTA = "未达标 {n} 人"
SERVICES_CASES = "{n} 件"
SERVICES_CASES_SHARE = "{n} 件（{p}）"
SERVICES_DELIVERED_DELTA = "已办结 {n} 件"
SERVICES_FILE = {
    "tiers": "分级达标",
    "tier_areas": "分区域服务等级",
    "services": "分服务项目",
    "areas": "分区域",
    "providers": "分提供方",
    "requests": "{area}_{service}_申请明细",
}
KPI.update(
    {
        "groups_people": (
            "在册健在服务对象",
            "统计期末在册健在、在筛选与权限范围内的离休干部、退休干部和遗属人数；各类人群比例的分母。",
        ),
        **{f"group_{k}": v for k, v in SPECIAL_GROUP.items()},
        "services_requested": (
            "服务申请",
            "统计期内提出（申请日期在期内）的八项个性服务申请件数；人员筛选条件适用于申请人，期内去世者在世时的申请计入。",
        ),
        "services_delivery_rate": (
            "办结率",
            "本期申请中，在统计期最后一天前（含）已办结的件数 ÷ 本期申请件数。各服务、各区域的办结率图中，" + LAG_RULE,
        ),
        "services_days": (
            "平均办理天数",
            "已办结申请从申请日到办结日的天数的平均值；中位数和“九成在 N 天内”的 N（第 90 百分位）按最近秩法："
            "使已办结件数累计达到 50%、90% 的最小天数。",
        ),
        "services_open": (
            "期末未办结",
            "本期申请中，截至统计期最后一天仍未办结的件数（含从未指派提供方的）。",
        ),
        "services_gap_rate": (
            "三项短板办结率",
            "医疗护理、长期照护、精神慰藉三项服务（调研报告指出的短板）本期申请的办结率；与其他五项对照。",
        ),
        "services_tier_compliance": (
            "按级联系达标率",
            "四个服务等级合计：统计期内每个已结束的联系周期（一级每周、二级每月、三级每季度、四级每个节日）"
            "都至少联系一次的人数 ÷ 应联系人数（与联系覆盖页口径相同）。"
            "各等级达标率图中，" + LAG_RULE,
        ),
        "services_tier_people": (
            "分级服务对象",
            "期末在册健在的服务对象按服务等级（四级服务分类）统计的人数；一级每周、二级每月联系。",
        ),
    }
)
COLUMNS.update(
    {
        "service": "服务项目",
        "gap_service": "报告短板",
        "requested": "申请（件）",
        "delivered": "已办结（件）",
        "open_requests": "期末未办结（件）",
        "delivery_rate": "办结率",
        "mean_days": "平均天数",
        "median_days": "中位天数",
        "p90_days": "九成办结天数",
        "provider_type": "提供方",
        "provider_share": "占已办结比例",
        "requested_on": "申请日期",
        "delivered_on": "办结日期",
        "days": "办理天数",
        "request_status": "状态",
        "tier_people": "在册人数",
        **{f"tier_{t}": v for t, v in TIER.items()},
    }
)

# ------------------------------------------------------------------ 银发人才库 and 建言献计 (talent, suggestions)

# 建言献计 (pages/suggestions.py)
SUGGESTIONS_TITLE = "建言献计"
SG_SECTION_DEPARTMENTS = "各承办部门办理情况"
SG_SECTION_AREA_TOPIC = "按建言人区域与建议主题"
SG_SECTION_TREND = "月度趋势"
SG_SECTION_OVERDUE = "逾期未答复建议（督办清单）"
SG_SECTION_LIST = "建议清单"
SG_CHART_DEPARTMENTS = "各承办部门按期答复率"
SG_CHART_MONTHLY = "各月收到建议与按期答复率"
SG_SERIES_RECEIVED = "收到建议（件）"
SG_SERIES_ON_TIME = "按期答复率（按提交月份）"
SG_TARGET_LINE = "应答尽答 100%"
SG_DRILL_HINT = "点击柱形查看该部门的建议清单（建言人姓名已脱敏）。"
SG_DRILL_NOTICE = "链接中的承办部门“{value}”在当前筛选范围内没有建议，已返回全部部门视图。"
SG_DRILL_NOTICE_LEVEL = "建言献计页面只能按承办部门下钻，链接中的下钻参数 {value} 已忽略。"
SG_OVERDUE_CAPTION = (
    "共 {n} 件（其中本期收到 {m} 件、此前各期积压 {k} 件），按逾期天数从多到少排列；判定日 {on}；建言人姓名已脱敏。"
)
SG_OVERDUE_NONE = "判定日 {on} 没有逾期未答复的建议。"
SG_LIST_CAPTION = (
    "{department}：本期收到 {received} 件，另有此前收到、截至判定日 {on} 仍未答复的 {carried} 件；"
    "逾期未答复的排在最前，建言人姓名已脱敏。"
)
SG_STATUS = {
    "overdue": "▲ 逾期未答复",
    "pending": "● 办理中（未到期）",
    "late": "■ 超期答复",
    "on_time": "✔ 按期答复",
}
SG_NO_DUE = "本期收到的建议均未到答复期限"
SG_ON_TIME_DELTA = "按期 {on_time}/{due} 件"
SG_LATE_DELTA = "超期答复 {late} 件"
SG_DAYS_VALUE = "{v:.1f} 天"
SG_DAYS_DELTA = "中位 {median} 天 · 九成在 {p90} 天内"
SG_RECEIVED_DELTA = "{people} 人提出"
SG_OPEN_DELTA = "未到期 {pending} 件"
SG_OVERDUE_DELTA = "本期收到 {m} 件"
SG_DEFINITIONS = (
    "**口径说明**：判定日 = 统计期最后一天与数据截至日中较早者。"
    "收到 = 提交日期在统计期内；已到期 = 答复期限早于判定日；按期答复 = 答复日期不晚于答复期限；"
    "超期答复 = 判定日前已答复但晚于期限；在办 = 判定日前未答复（含此前各期积压）；"
    "逾期未答复 = 在办且已到期。区域为建言人所在区域。"
)
KPI.update(
    {
        "sg_received": (
            "收到建议",
            "统计期内提交的建言献计件数（提交日期在统计期内，且不晚于数据截至日）；按建言人的区域、类别等筛选。",
        ),
        "sg_on_time": (
            "按期答复率",
            "分母：统计期内收到、且答复期限已过（答复期限早于判定日）的建议件数；"
            "分子：其中在答复期限当日或之前答复的件数。尚未到期的建议不进分子也不进分母（即使已提前答复），"
            "以免提前答复抬高比率。判定日 = 统计期最后一天与数据截至日中较早者。"
            "各部门答复率图中，" + LAG_RULE,
        ),
        "sg_days": (
            "平均答复天数",
            "统计期内收到、且在判定日前已答复的建议，答复日期减提交日期（天）的平均值；"
            "中位数为一半建议在此天数内答复，“九成在 N 天内”为 90% 的建议在 N 天内答复"
            "（第 90 百分位，最近秩法）。未答复的不计入。",
        ),
        "sg_open": (
            "在办建议",
            "截至判定日尚未答复的建议件数，包括此前各期收到、仍未答复的积压件；其中答复期限已过的即逾期未答复。",
        ),
        "sg_overdue": (
            "逾期未答复",
            "截至判定日尚未答复、且答复期限早于判定日的建议件数，不论何时收到；逾期天数 = 判定日 − 答复期限。"
            "已答复但晚于期限的计为“超期答复”，不在此列。",
        ),
    }
)
COLUMNS.update(
    {
        "sg_department": "承办部门",
        "sg_topic": "建议主题",
        "sg_received": "收到（件）",
        "sg_due": "已到期（件）",
        "sg_on_time": "按期答复（件）",
        "sg_on_time_rate": "按期答复率",
        "sg_late": "超期答复（件）",
        "sg_avg_days": "平均答复天数",
        "sg_open": "在办（件）",
        "sg_overdue": "逾期未答复（件）",
        "sg_name": "建言人",
        "sg_submitted_on": "提交日期",
        "sg_due_on": "答复期限",
        "sg_answered_on": "答复日期",
        "sg_status": "办理状态",
        "sg_days_to_answer": "答复用时（天）",
        "sg_days_overdue": "逾期天数",
        "sg_late_days": "逾期/超期天数",
        "sg_period": "收到时间",
    }
)
SG_NONE = "本期没有收到建议。"
SG_PIECES = "{n} 件"
SG_JUDGEMENT_DAY = " 本页判定日：**{on}**。"
SG_RECEIVED_NOW = "本期"
SG_RECEIVED_BEFORE = "此前积压"

# 银发人才库 (pages/talent.py)
TALENT_TITLE = "银发人才库"
TALENT_FIELD = codes.TALENT_FIELD_NAMES
TALENT_ACTIVITY_KIND = code_names.TALENT_ACTIVITY_KIND
TL_SECTION_AREAS = "分区域分布"
TL_SECTION_STRUCTURE = "专业领域与年龄结构"
TL_SECTION_ACTIVITY = "参与活动情况"
TL_SECTION_TREND = "历年变化"
TL_SECTION_MEMBERS = "人才名单"
TL_CHART_AREAS = "各区域期末在库人数"
TL_CHART_AREA_FIELDS = "{area}各专业领域期末在库人数"
TL_CHART_FIELDS = "期末在库人员的专业领域"
TL_CHART_AGES = "期末在库人员的年龄段"
TL_CHART_KINDS = "本期活动类型（人次）"
TL_CHART_TREND = "历年期末在库人数与参与率"
TL_SERIES_POOL = "期末在库（人）"
TL_SERIES_RATE = "参与率"
TL_YEAR = YEAR
TL_PEOPLE = "{n} 人"
# Issue 26: "712 人参加" here and "702 人" on 参与率 read as one figure. This one counts everyone who
# took part in the period (those who have left the pool since too); 参与率 counts those still in it.
TL_ACTIVITY_DELTA = "{n} 人参加（含期内已出库）"
TL_PARTICIPATION_DELTA = "{n}/{d} 人"
TL_SMALL_CHART = f"{{title}}：有少于 {_SMALL} 人的分组，为保护个人信息不绘图，见下表。"
TL_NO_ACTIVITY = "本期没有人才库活动记录。"
TL_DRILL_HINT = "点击柱形下钻：区域 → 专业领域 → 人才名单（姓名已脱敏）。"
TL_DRILL_HINT_AREA = (
    f"点击柱形查看该领域的人才名单（姓名已脱敏）；“{_SMALL_CELL}”为少于 {_SMALL} 人，仍可点击查看名单。"
)
TL_DRILL_NOTICE_FIELD = "链接中的专业领域 {value} 无法识别或缺少区域，已返回上一级视图。"
TL_DRILL_NOTICE_UNIT = "银发人才库页面不按单位下钻，链接中的参数 {value} 已忽略。"
TL_MULTI_FIELD_NOTE = "一人登记多个领域的，在每个领域各计一次；合计按人去重。"
TL_MEMBERS_CAPTION = (
    "{area} · {field}：期末在库 {n} 人，其中 {m} 人在统计期（{period}）内参加过活动（活动多的排在前）；姓名已脱敏。"
)
KPI.update(
    {
        "tl_pool": (
            "期末在库人数",
            "统计期最后一天在人才库中的人数（入库日期不晚于期末，出库日期为空或晚于期末），"
            "且本人期末在册健在、在筛选与权限范围内；一人多个领域只计一次。",
        ),
        "tl_joined": ("本期入库", "入库日期在统计期内的人数（去重）。"),
        "tl_left": ("本期出库", "出库日期在统计期内的人数（去重）；期内去世的不计为出库，也不计入期末在库。"),
        "tl_activities": (
            "本期活动（人次）",
            "统计期内人才库成员（活动当日在库）参加座谈、调研、授课培训、咨询服务、宣讲的人次；"
            "下方为参加的人数（去重）。按领域统计时，按活动当日所在领域归类。",
        ),
        "tl_participation": (
            "参与率",
            "期末在库人员中，统计期内（在库期间）至少参加过一次活动的人数 ÷ 期末在库人数。",
        ),
    }
)
COLUMNS.update(
    {
        "tl_total": "合计（人）",
        **{f"tl_field_{code}": f"{name}（人）" for code, name in TALENT_FIELD.items()},
        "tl_field": "专业领域",
        "tl_pool": "期末在库（人）",
        "tl_joined": "本期入库（人）",
        "tl_left": "本期出库（人）",
        "tl_participants": "参加活动（人）",
        "tl_rate": "参与率",
        "tl_kind": "活动类型",
        "tl_age_band": "年龄段",
        "tl_activities": "活动（人次）",
        "tl_activity_people": "参加人数",
        "tl_name": "姓名",
        "tl_age": "年龄",
        "tl_joined_on": "入库日期",
        "tl_member_activities": "本期参加活动（次）",
    }
)

# ---------------------------------------------------------------------------------------
# Issue #18 — what a director sees: chart tooltips, drilled level, number formats,
# Chinese chrome, phone layout, print. (Kept in one block to ease merging.)
# ---------------------------------------------------------------------------------------
HOVER_COVERAGE = "联系覆盖率"
HOVER_REACHED = "已联系 {reached} / {population} 人"
HOVER_EXECUTION = "执行率"
HOVER_SPENT = "支出 {actual} / 预算 {budget}"
TABLE_SCROLL_HINT = "共 {n} 列：表格可左右滑动查看全部列，首列固定。"
GROUPS_FILE_PEOPLE = "名单"  # the drilled level (area-group) is in the file name already
CMP_METRIC_MISSING = "{n} 个区域没有该指标（{areas}），不画柱形。"
CMP_PROFILE_NOTE = "只比较比率与占比（全市 = 100）；人数、支部数和金额随区域规模而变，不在画像中。"
CMP_YOY_LEFT_OUT = "{n} 个区域两年均无该指标，未列出。"
SCREEN_RANK_PLACE = "综合名次"
SCREEN_RANK_SCORE = "平均名次"
SCREEN_RANK_HOW = (
    "综合名次 = 各区域都有的 {n} 项方向性比率指标名次的平均值，越小越好（{metrics}）；"
    "人数、支部数和金额随区域规模而变，不计入。括号内为单项名次。"
)
# Streamlit's own English words in its menu, tooltips and pickers, as shown in Chinese.
CHROME_ZH = {
    "System": "系统",
    "Light": "浅色",
    "Dark": "深色",
    "Theme": "主题",
    "Print": "打印",
    "Main menu": "主菜单",
    "Search": "搜索",
    "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏",
    "Download as CSV": "下载 CSV",
    "Show/hide columns": "显示/隐藏列",
    "Clear all": "全部清除",
    "Clear": "清除",
    "No results": "无匹配项",
    "No options to select": "没有可选项",
    "Copy to clipboard": "复制",
    "Help": "帮助",
    # The table's column menu and search (issue 26, item 9)
    "Sort ascending": "升序排列",
    "Sort descending": "降序排列",
    "Statistics": "统计",
    "Autosize": "自动调整列宽",
    "Pin column": "固定此列",
    "Unpin column": "取消固定",
    "Hide column": "隐藏此列",
    "Format": "数字格式",
    "Copy column name": "复制列名",
    "Automatic": "自动",
    "Localized": "本地格式",
    "Plain": "纯数字",
    "Compact": "紧凑",
    "Percent": "百分比",
    "Scientific": "科学计数",
    "Accounting": "会计格式",
    "Count": "计数",
    "Distinct": "不同值",
    "Empty": "空值",
    "Minimum": "最小值",
    "Maximum": "最大值",
    "Average": "平均值",
    "Median": "中位数",
    "Sum": "合计",
    "Standard deviation": "标准差",
    "Values": "值",
    "Type to search": "输入以搜索",
    "{n} results": "找到 {n} 项",
    "over 1000": "超过 1000 项",
}
CMP_COMPOSITE_WHY = "综合名次明细：每个区域在各项比率指标上的数值与名次"
CMP_COMPOSITE = "综合名次（会议大屏「区县综合排名」同此）：{order}。{how}"

# ---------------------------------------------------------------------------- Excel workbooks and the watermark
DOWNLOAD_XLSX = "下载 Excel"
DOWNLOAD_XLSX_HELP = "与 CSV 同样的行与脱敏规则，并带标题、筛选条件、数据截至、口径与数字格式。"
XLSX_TOO_LARGE = "行数超过 Excel 单表上限，请下载 CSV。"
EXPORT_PAGE = "导出本页（Excel）"
EXPORT_PAGE_STEM = "整页"  # the page's workbook: 联系覆盖_整页_全市_2020年_截至….xlsx
EXPORT_PAGE_HELP = "一个 Excel 文件：封面为本页指标（数值、计数、判断与口径），其后每张表一个工作表。"
INTERNAL = "内部资料"
WB_INTERNAL_NOTICE = "内部资料 · 注意保密 · 不得外传"
WB_PAGE = "页面：{page}"
WB_FILTERS = "筛选条件：{filters}"
WB_DRILL = "下钻：{drill}"
WB_TAKEN = "导出账号：{account} · 导出时间：{at}"
WB_DEMO = "演示数据：全部为虚构数据，不代表真实情况。"
WB_DEFINITIONS = "口径："
WB_DEFINITION_ITEM = "【{column}】{text}"
WB_HIDDEN_NOTE = (
    f"该数值由少于 {_SMALL} 人的人数推算，或为防止由合计反推而连带隐去，"
    f"为保护个人信息已隐藏（与“{_SMALL_CELL}”同一规则）。"
)
WB_ROWS = "共 {n} 行。"
WB_COVER = "封面"
WB_COVER_TITLE = "{page} · 本页导出"
WB_COVER_HEADERS = ("指标", "数值", "计数", "判断与对比", "口径")
WB_SHEETS = "本文件各表："
WB_SHEET_ROWS = "{sheet}（{n} 行）"
WB_FOOTER_PAGE = "第 &P 页，共 &N 页"
WB_SHEET_FALLBACK = "表"
WATERMARK = "{account} · {at}"
WB_PROPERTIES = {"class": "密级", "account": "导出账号", "taken_at": "导出时间", "as_of": "数据截至"}

# ---------------------------------------------------------------------------- 工作简报 (briefing)
# The briefing writes the figures as the source report does: numbers with their units and no
# space between (703人, 89.8岁), 万 for the party members where the report uses it (1.1万人).
BRIEFING_TITLE = "工作简报"
BRIEFING_DOC_TITLE = "{where}离退休干部工作简报"
BRIEFING_DOC_SUBTITLE = "（截至{date}）"
BRIEFING_ISSUER = "{org}　　　　{date}"
BRIEFING_SECTIONS = {
    "basics": "一、基本情况",
    "changes": "二、队伍变化",
    "progress": "三、工作进展",
    "attention": "四、需要关注",
}
BRIEFING_CITY = "全市"
BRIEFING_DATE = "{y}年{m}月{d}日"
BRIEFING_UNITS = {
    "people": "人",
    "named": "名",
    "branches": "个",
    "pieces": "件",
    "years": "岁",
    "branch_months": "个支部月",
    "person_times": "人次",
    "yuan": "元",
    "wan_yuan": "万元",
}
BRIEFING_PUNCT = {"comma": "，", "semicolon": "；", "stop": "。", "among": "，其中，", "open": "（", "close": "）"}
BRIEFING_TIER = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
BRIEFING_YEAR = "{y}年"
BRIEFING_CHANGE_AFTER = "{shown}，{change}"  # "703人，较上年同期减少44人"
BRIEFING_CHART_REFERENCE = "绿色虚线：{label} {value}"
BRIEFING_TEN_THOUSAND = "{v}万"
BRIEFING_YUAN_WAN = "{v}万元"
BRIEFING_PER_PERSON = "{v}元"

# Figure key -> (name, 口径) for the figures that have no card of their own on a page
# (a breakdown the report gives); the others take labels.KPI's.
_AT_END = "统计期末（简报日期）在册健在的"
BRIEFING_FIGURES = {
    "veterans_city": ("市属离休干部", _AT_END + "离休干部中，由市直管理（管理区域为市直）的人数。"),
    "veterans_district": ("区县离休干部", _AT_END + "离休干部中，由各区县管理的人数。"),
    "veterans_liberation": (
        "解放战争时期参加革命",
        _AT_END + "离休干部中，1945年9月3日至1949年9月30日参加革命的人数。",
    ),
    "veterans_anti_japanese": (
        "抗日战争时期参加革命",
        _AT_END + "离休干部中，1937年7月7日至1945年9月2日参加革命的人数。",
    ),
    "veterans_prefecture_principal": ("正地级离休干部", _AT_END + "离休干部中，职级为正地级的人数。"),
    "veterans_prefecture_deputy": ("副地级离休干部", _AT_END + "离休干部中，职级为副地级的人数。"),
    "veterans_county_and_below": ("县级及以下离休干部", _AT_END + "离休干部中，职级为县处级或科级及以下的人数。"),
    "living_away": (
        "异地居住的离退休干部和遗属",
        _AT_END + "离休干部、退休干部和遗属中，易地安置或长期在外地居住的人数（两项登记任一即计入）。",
    ),
    "retirees_city_organ": ("市级机关单位退休干部", _AT_END + "退休干部中，原单位为市级机关的人数。"),
    "retirees_district_organ": ("区县机关单位退休干部", _AT_END + "退休干部中，原单位为区县机关的人数。"),
    "retirees_township": ("乡镇退休干部", _AT_END + "退休干部中，原单位为乡镇的人数。"),
    "retirees_institution": ("事业单位退休干部", _AT_END + "退休干部中，原单位为事业单位的人数。"),
    "retirees_enterprise": ("企业退休干部", _AT_END + "退休干部中，原单位为企业的人数。"),
    "prefecture_retirees": (
        "担任过副地级实职以上的退休干部",
        _AT_END + "退休干部中，担任过副地级以上实职（职级为正地级或副地级且为实职）的人数；重点对象的一部分。",
    ),
    "prefecture_retirees_principal": ("其中正地级", _AT_END + "担任过正地级实职的退休干部人数。"),
    "prefecture_retirees_deputy": ("其中副地级", _AT_END + "担任过副地级实职的退休干部人数。"),
    "branches_city_unit": ("市直机关事业单位离退休干部党支部", "统计期末存续的市直机关事业单位离退休干部党支部数。"),
    "branches_temporary": ("临时党支部", "统计期末存续的离退休干部临时党支部数。"),
    "branches_district": ("区县离退休干部党支部", "统计期末存续的区县离退休干部党支部数。"),
    "retiree_secretaries": ("离退休党员担任书记的支部", "统计期末存续的支部中，书记由离退休干部担任的支部数。"),
    "cadres_total": ("离退休干部总量", _AT_END + "离休干部与退休干部人数（不含遗属）。"),
    "aid_amount": ("帮扶金额", "统计期内发放的特困帮扶金（现金）合计；慰问品另计。"),
    "tier_people": (
        "分级服务对象",
        _AT_END + "服务对象中，各服务等级（一级每周、二级每月、三级每季度、四级节日）的人数。",
    ),
    "services_delivered": ("已办结服务", "本期申请的八项个性服务中，在统计期最后一天前（含）已办结的件数。"),
    "tl_participants": ("参加活动的人才库成员", "期末在库成员中，统计期内参加过人才库活动的人数。"),
    "sg_answered_on_time": ("按期答复的建议", "本期收到且已到答复期限的建议中，在期限内答复的件数。"),
    "branch_gaps": (
        "组织生活有缺项的支部",
        "组织生活完成率低于 " + _COMPLETE + " 的支部数（任一应开展月份未按规定开展）。",
    ),
}

# Each sentence of the briefing: {key} fields are its figures (value and unit as written),
# {where} the scope, {date} the briefing date. A figure the small-cell rule hides, or that is
# empty, takes its clause out of the sentence (never a blank or "<5" in the prose).
BRIEFING_TEXT = {
    "veterans": "截至{date}，{where}共有离休干部{veterans}，平均年龄{veteran_age}。",
    "veterans_none": "截至{date}，{where}没有在册的离休干部。",
    "veterans_split_intro": "其中，",
    "veterans_city": "市属离休干部{veterans_city}",
    "veterans_district": "区县离休干部{veterans_district}",
    "veterans_liberation": "解放战争时期参加革命{veterans_liberation}",
    "veterans_anti_japanese": "抗日战争时期参加革命{veterans_anti_japanese}",
    "veterans_prefecture_principal": "正地级{veterans_prefecture_principal}",
    "veterans_prefecture_deputy": "副地级{veterans_prefecture_deputy}",
    "veterans_county_and_below": "县级及以下{veterans_county_and_below}",
    "survivors": "有已故离休干部无固定收入遗属{survivors}",
    "survivors_none": "没有已故离休干部无固定收入遗属",
    "living_away": "易地安置、长期外地居住的离退休干部和已故离休干部无固定收入遗属共{living_away}",
    "retirees": "{where}机关事业单位退休干部{retirees}",
    "retirees_none": "{where}没有在册的机关事业单位退休干部。",
    "retirees_city_organ": "市级机关单位{retirees_city_organ}",
    "retirees_district_organ": "区县机关单位{retirees_district_organ}",
    "retirees_township": "乡镇{retirees_township}",
    "retirees_institution": "事业单位{retirees_institution}",
    "retirees_enterprise": "企业{retirees_enterprise}",
    "prefecture_retirees": "担任过副地级实职以上退休干部{prefecture_retirees}",
    "prefecture_retirees_principal": "正地级{prefecture_retirees_principal}",
    "prefecture_retirees_deputy": "副地级{prefecture_retirees_deputy}",
    "branches": "{where}有离退休干部党支部{branches}",
    "branches_none": "{where}没有存续的离退休干部党支部。",
    "branches_city_unit": "市直机关事业单位离退休干部党支部{branches_city_unit}",
    "branches_temporary": "临时党支部{branches_temporary}",
    "branches_district": "区县离退休干部党支部{branches_district}",
    "members": "服务离退休干部党员{members}",
    "retiree_secretaries": "离退休党员担任书记的支部有{retiree_secretaries}，占{secretary_share}",
    # 二、队伍变化
    "two_up_one_down": "与上年同期相比，离退休干部总量{cadres_total}，{cadres_total_change}；"
    "其中退休干部{retirees}，{retirees_change}；离休干部{veterans}，{veterans_change}。",
    "two_up_one_down_yes": "队伍结构呈现“两增一减”态势，退休干部已成为老干部群体的主体。",
    "two_up_one_down_no": "队伍结构未呈现典型的“两增一减”态势。",
    "no_prior": "上年同期（{date}）不在台帐数据范围内，暂无法比较队伍增减。",
    "ageing": (
        "从年龄结构看，服务对象中80岁以上{aged_80_plus}，占{aged_80_share}；90岁以上{aged_90_plus}，占{aged_90_share}"
    ),
    "impaired": "离休干部中存在走不动、看不见、听不到、说不清、记不住情况之一的占{veteran_impaired_share}，"
    "退休干部占{retiree_impaired_share}",
    "living": "从居住情况看，独居{lives_alone}，空巢{empty_nest}，易地安置或长期外地居住{living_away}",
    # 三、工作进展
    "key_coverage": "联系服务方面，{period}重点对象联系覆盖率{key_coverage}（已联系{key_reached}），{key_judgement}",
    "key_coverage_none": "联系服务方面，{where}没有重点对象",
    "key_met": "实现全覆盖",
    "key_short": "还差{n}人未联系",
    "coverage": "全部服务对象联系覆盖率{coverage}（已联系{reached}）",
    "overdue": "逾期未联系{overdue}",
    "overdue_none": "没有逾期未联系的服务对象",
    "tiers": "按四级服务分类，{tiers}",
    "tier_item": "{tier}（{cadence}联系）达标率{rate}",
    "festival": "节日走访完成率{festival}（走访{visited}）",
    "org_life": "组织生活方面，组织生活完成率{activity}（已开展{months_complete}）",
    "org_life_gaps": "{branch_gaps}支部有缺项",
    "org_life_full": "各支部均按规定开展",
    "execution": "经费保障方面，预算执行率{execution}（支出{actual}），序时进度{time_progress}，{pace}",
    "precise_execution": "精准服务经费执行率{precise_execution}，{precise_pace}",
    "aid": "特困帮扶方面，为{aid_recipients}发放帮扶金{aid_amount}，人均{per_recipient}",
    "aid_none": "特困帮扶方面，本期尚未发放特困帮扶金",
    "goods": "发放慰问品价值{goods}",
    "services": (
        "精准服务方面，八项个性服务本期申请{services_requested}，"
        "已办结{services_delivered}，办结率{services_delivery_rate}"
    ),
    "talent": "银发人才库期末在库{tl_pool}，本期{tl_participants}参加活动，参与率{tl_participation}",
    "suggestions": (
        "建言献计方面，本期收到建议{sg_received}，已到期的建议中按期答复{sg_answered_on_time}，按期答复率{sg_on_time}"
    ),
    "suggestions_none": "建言献计方面，本期没有收到建议",
    "sg_overdue": "逾期未答复{sg_overdue}",
    "attention_item": "{text}（详见“{page}”页）。",
    "attention_none": "当前范围内没有需要特别关注的事项。",
    "hidden_note": "（个别分项人数较少，按个人信息保护规定不单独列示。）",
}
BRIEFING_PERIOD = "{year}年以来"
BRIEFING_PACE = {
    "behind": "执行偏慢（慢于序时{pts}个百分点）",
    "on_pace": "执行进度正常（{gap}）",
    "over": "已超出预算",
    "none": "本期无预算",
}
BRIEFING_PACE_GAP = {"ahead": "快于序时{pts}个百分点", "behind": "慢于序时{pts}个百分点", "level": "与序时持平"}
BRIEFING_CHANGE = {
    "up": "较{when}增加{v}",
    "down": "较{when}减少{v}",
    "same": "与{when}持平",
    "rate_up": "较{when}提高{v}个百分点",
    "rate_down": "较{when}下降{v}个百分点",
    "rate_same": "与{when}持平",
}
BRIEFING_LAST_YEAR = "上年同期"
BRIEFING_WHEN = "{date}"

# The page: its controls, notes, downloads and the sentences that stand in for a briefing
# that cannot be written.
BRIEFING_AS_OF = "简报日期"
BRIEFING_AS_OF_HELP = "简报按这一天的在册人员和年初至这一天的工作数据撰写；默认为数据截至日。"
BRIEFING_COMPARE = "对比"
BRIEFING_COMPARE_OPTIONS = {"none": "不对比", "last_year": "上年同期", "last_quarter": "上季度末", "custom": "指定日期"}
BRIEFING_COMPARE_DATE = "对比日期"
BRIEFING_ATTENTION_LINK = "第{n}项：查看「{page}」"
BRIEFING_SHOW_DIFF = "显示两期简报的差异"
BRIEFING_DIFF_TITLE = "两期简报对照（标出变化的文字）"
BRIEFING_DIFF_BEFORE = "{date}"
BRIEFING_DIFF_AFTER = "{date}"
BRIEFING_SCOPE_NOTE = (
    "简报按所选区域的全部服务对象撰写（其他筛选条件不适用）；每句话的统计口径在鼠标悬停时显示。"
    "区县账号只能生成本区域的简报。"
)
BRIEFING_CHARTS = "简报引用的图表"
BRIEFING_DOWNLOAD_WORD = "下载 Word"
BRIEFING_DOWNLOAD_PDF = "下载 PDF"
BRIEFING_DOWNLOAD_HELP = "与本页相同的简报正文，公文格式，含图表、页码与“内部资料”页脚；下载记入审计日志。"
BRIEFING_FOOTER = "内部资料 · 导出账号：{account} · 导出时间：{at}"
BRIEFING_PAGE_NUMBER = "— {n} —"
BRIEFING_DEMO = "演示数据：全部为虚构数据，不代表真实情况。"
BRIEFING_FILE = "工作简报_{where}_截至{date}"
BRIEFING_CHART_COVERAGE = "各区域联系覆盖率（{year}年以来）"
BRIEFING_CHART_TREND = "服务对象人数变化（两增一减，各年末）"
BRIEFING_CHART_BUDGET = "各类经费预算执行率与序时进度"
BRIEFING_BAD = {
    "bad_date": "简报日期“{value}”无法识别，请按 YYYY-MM-DD 格式填写，例如 2019-12-31。",
    "before_ledger": (
        "简报日期 {value} 早于台帐数据的起始日（{first}），无法撰写简报，请选择 {first} 至 {last} 之间的日期。"
    ),
    "after_as_of": "简报日期 {value} 晚于数据截至日（{last}），尚无这一天的数据，请选择 {first} 至 {last} 之间的日期。",
    "bad_compare": "对比日期“{value}”无效（应为 {first} 至 {last} 之间、且早于简报日期的日期），本次不作对比。",
    "unknown_area": "区域“{value}”不存在或不在本账号的权限范围内，无法撰写该区域的简报。",
    "nobody": "{where}在 {date} 没有在册的服务对象，无法撰写简报。",
    "failed": "简报文件生成失败，请稍后重试；原因已记入服务器日志。",
}

# The phone's card per area (components.area_cards), standing in for a wide per-area table.
AREA_CARD_RATE = "{label} {p}"
AREA_CARD_OVERDUE = "逾期未联系 {n} 人"
AREA_CARD_PLACE = "综合第 {place} 名"
AREA_CARD_WEAKEST = "{mark}最弱一项：{label} {value}（第 {rank}/{n} 名）"
