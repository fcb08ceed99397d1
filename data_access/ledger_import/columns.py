"""What a ledger workbook holds: one sheet per table of ``docs/data-dictionary.md``.

Every column's type, whether it may be empty and what it refers to are read from
``data_access.schema``; this module adds only what the schema cannot say: the Chinese sheet
and column names (the data dictionary's 中文名, checked by the tests) and the Chinese label
of every code (the same words as the dashboard's labels, checked by the tests too; the data
layer does not import the dashboard). The natural key of every table is its primary key:
the identifier the bureau's own system assigns (areas by code, tiers by number).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from data_access import code_names, codes, schema

# Table -> Chinese sheet name, in load order (referenced tables first).
SHEETS: dict[str, str] = {
    "areas": "地区",
    "units": "原工作单位",
    "service_tiers": "四级服务分类",
    "party_branches": "离退休干部党支部",
    "people": "服务对象",
    "festival_windows": "节日走访时段",
    "visit_events": "必访事项",
    "contacts": "联系走访记录",
    "pairings": "结对联系",
    "branch_activities": "组织生活",
    "budgets": "年初预算",
    "disbursements": "经费支出",
    "service_deliveries": "八项个性服务",
    "suggestions": "建言献计",
    "talent_pool": "银发人才库",
    "talent_activities": "人才库活动",
}
HELP_SHEET = "填表说明"
LISTS_SHEET = "代码表"

HEADERS: dict[str, dict[str, str]] = {
    "areas": {"code": "地区代码", "name": "地区名称", "kind": "类型", "sort_order": "排序", "enabled": "是否启用"},
    "units": {
        "id": "单位编号",
        "name": "单位名称",
        "area_code": "所属地区",
        "unit_type": "单位类型",
        "bankrupt_restructured": "破产改制企业",
    },
    "service_tiers": {
        "tier": "服务等级",
        "name": "等级名称",
        "cadence": "联系频次",
        "cadence_days": "联系间隔天数",
        "description": "分类标准",
    },
    "party_branches": {
        "id": "支部编号",
        "name": "支部名称",
        "kind": "支部类型",
        "area_code": "所属地区",
        "unit_id": "依托单位",
        "secretary_is_retiree": "书记由离退休干部担任",
        "founded_on": "成立日期",
        "closed_on": "撤销日期",
    },
    "people": {
        "id": "人员编号",
        "category": "人员类别",
        "name": "姓名",
        "gender": "性别",
        "birth_date": "出生日期",
        "area_code": "管理地区",
        "unit_id": "原工作单位",
        "rank": "职级",
        "actual_post": "实职",
        "revolution_period": "参加革命工作时期",
        "revolution_joined_on": "参加革命工作时间",
        "retirement_date": "离休/退休日期",
        "entry_date": "纳入管理服务日期",
        "death_date": "去世日期",
        "deceased_cadre_id": "已故离休干部",
        "party_status": "党员身份",
        "branch_id": "所在党支部",
        "relocated": "易地安置",
        "lives_away": "长期外地居住",
        "lives_alone": "独居",
        "widowed": "丧偶",
        "empty_nest": "空巢",
        "lost_only_child": "失独",
        "impaired_mobility": "走不动",
        "impaired_vision": "看不见",
        "impaired_hearing": "听不到",
        "impaired_speech": "说不清",
        "impaired_memory": "记不住",
        "health_status": "健康状况",
        "disabled": "失能",
        "service_tier": "服务等级",
        "hardship_reason": "困难类型",
        "phone": "联系电话",
    },
    "festival_windows": {
        "id": "编号",
        "festival": "节日",
        "festival_date": "节日日期",
        "window_start": "走访开始日期",
        "window_end": "走访截止日期（不含）",
    },
    "visit_events": {
        "id": "事项编号",
        "person_id": "服务对象",
        "event_type": "事项类型",
        "event_date": "发生/报告日期",
        "visit_due_on": "应访日期",
    },
    "contacts": {
        "id": "记录编号",
        "person_id": "服务对象",
        "contact_date": "联系日期",
        "channel": "联系方式",
        "occasion": "联系事由",
        "contact_role": "联系人身份",
        "event_id": "对应必访事项",
    },
    "pairings": {
        "id": "编号",
        "person_id": "服务对象",
        "helper_name": "联系人姓名",
        "helper_role": "联系人身份",
        "mode": "结对方式",
        "started_on": "开始日期",
        "ended_on": "结束日期（不含）",
    },
    "branch_activities": {"id": "编号", "branch_id": "党支部", "activity_type": "活动类型", "held_on": "举办日期"},
    "budgets": {
        "id": "编号",
        "year": "预算年度",
        "area_code": "地区",
        "category": "经费类别",
        "amount": "预算金额（元）",
    },
    "disbursements": {
        "id": "编号",
        "paid_on": "支付日期",
        "area_code": "地区",
        "category": "经费类别",
        "amount": "金额（元）",
        "form": "支付形式",
        "person_id": "受助/领取人",
        "hardship_reason": "帮扶原因",
    },
    "service_deliveries": {
        "id": "编号",
        "person_id": "服务对象",
        "service": "服务项目",
        "requested_on": "申请日期",
        "delivered_on": "完成日期",
        "provider_type": "服务提供方",
    },
    "suggestions": {
        "id": "编号",
        "person_id": "建言人",
        "submitted_on": "提交日期",
        "topic": "主题",
        "department": "承办部门",
        "due_on": "答复期限",
        "answered_on": "答复日期",
    },
    "talent_pool": {
        "id": "编号",
        "person_id": "人员",
        "field": "专业领域",
        "joined_on": "入库日期",
        "left_on": "出库日期",
    },
    "talent_activities": {
        "id": "编号",
        "person_id": "参加人员",
        "held_on": "活动日期",
        "kind": "活动类型",
        "title": "活动名称",
    },
}

# Chinese labels of the codes: those the dashboard shows too come from their one home,
# data_access.code_names; the others only the import uses.
CATEGORY = code_names.CATEGORY
GENDER = {"M": "男", "F": "女"}
RANK = code_names.RANK
UNIT_TYPE = {
    "city_organ": "市级机关",
    "district_organ": "区县机关",
    "township": "乡镇",
    "institution": "事业单位",
    "enterprise": "企业",
}
AREA_KIND = {"city": "市直", "district": "区", "county": "县", "new_area": "新区"}
REVOLUTION_PERIOD = {"anti_japanese": "抗日战争时期", "liberation": "解放战争时期"}
PARTY_STATUS = {"full": "正式党员", "probationary": "预备党员"}
HEALTH_STATUS = {"good": "健康", "chronic": "慢性病", "serious": "重病"}
HARDSHIP_REASON = code_names.HARDSHIP_REASON
BRANCH_KIND = code_names.BRANCH_KIND
CADENCE = code_names.CADENCE
FESTIVAL = code_names.FESTIVAL
EVENT_TYPE = code_names.EVENT_TYPE
CHANNEL = code_names.CHANNEL
OCCASION = {
    "routine": "日常联系",
    **FESTIVAL,
    "hospital": "生病住院",
    "family_event": "家庭重大变故",
    "condolence": "去世吊唁",
    "birthday": "80岁以上逢五逢十生日",
}
CONTACT_ROLE = code_names.CONTACT_ROLE
PAIRING_MODE = code_names.PAIRING_MODE
ACTIVITY_TYPE = code_names.ACTIVITY_TYPE
BUDGET_CATEGORY = code_names.BUDGET_CATEGORY
FORM = code_names.FORM
SERVICE = code_names.SERVICE
PROVIDER_TYPE = code_names.PROVIDER_TYPE
TALENT_FIELD = codes.TALENT_FIELD_NAMES
TALENT_ACTIVITY_KIND = code_names.TALENT_ACTIVITY_KIND
TIER = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}

# (table, column) or column -> its codes; every code list must equal data_access.codes.
CODE_COLUMNS: dict[str, dict] = {
    "areas.kind": AREA_KIND,
    "units.unit_type": UNIT_TYPE,
    "service_tiers.cadence": CADENCE,
    "party_branches.kind": BRANCH_KIND,
    "people.category": CATEGORY,
    "people.gender": GENDER,
    "people.rank": RANK,
    "people.revolution_period": REVOLUTION_PERIOD,
    "people.party_status": PARTY_STATUS,
    "people.health_status": HEALTH_STATUS,
    "people.hardship_reason": HARDSHIP_REASON,
    "people.service_tier": TIER,
    "festival_windows.festival": FESTIVAL,
    "visit_events.event_type": EVENT_TYPE,
    "contacts.channel": CHANNEL,
    "contacts.occasion": OCCASION,
    "contacts.contact_role": CONTACT_ROLE,
    "pairings.helper_role": CONTACT_ROLE,
    "pairings.mode": PAIRING_MODE,
    "branch_activities.activity_type": ACTIVITY_TYPE,
    "budgets.category": BUDGET_CATEGORY,
    "disbursements.category": BUDGET_CATEGORY,
    "disbursements.form": FORM,
    "disbursements.hardship_reason": HARDSHIP_REASON,
    "service_deliveries.service": SERVICE,
    "service_deliveries.provider_type": PROVIDER_TYPE,
    "talent_pool.field": TALENT_FIELD,
    "talent_activities.kind": TALENT_ACTIVITY_KIND,
}
# The code lists of data_access.codes each label map must cover exactly (tested).
CODE_SOURCES: dict[str, tuple] = {
    "units.unit_type": codes.UNIT_TYPES,
    "party_branches.kind": codes.BRANCH_KINDS,
    "people.category": codes.CATEGORIES,
    "people.rank": codes.RANKS,
    "people.revolution_period": codes.REVOLUTION_PERIODS,
    "people.health_status": codes.HEALTH_STATUSES,
    "people.hardship_reason": codes.HARDSHIP_REASONS,
    "people.service_tier": codes.TIERS,
    "festival_windows.festival": codes.FESTIVALS,
    "visit_events.event_type": codes.EVENT_TYPES,
    "contacts.channel": codes.CHANNELS,
    "contacts.occasion": codes.OCCASIONS,
    "contacts.contact_role": codes.CONTACT_ROLES,
    "pairings.mode": codes.PAIRING_MODES,
    "branch_activities.activity_type": codes.ACTIVITY_TYPES,
    "budgets.category": codes.BUDGET_CATEGORIES,
    "disbursements.form": codes.PAYMENT_FORMS,
    "service_deliveries.service": codes.SERVICES,
    "service_deliveries.provider_type": codes.PROVIDER_TYPES,
    "talent_pool.field": codes.TALENT_FIELDS,
    "talent_activities.kind": codes.TALENT_ACTIVITY_KINDS,
}

# References a cell may give by name as well as by code/number (matched, nearest suggested).
BY_NAME = {"areas", "units", "party_branches"}


@dataclass(frozen=True)
class Column:
    table: str
    name: str
    header: str
    kind: str  # int / text / date / bool / money / code / ref
    required: bool
    length: int | None = None
    codes: dict | None = None  # code -> Chinese label
    ref: str | None = None  # referenced table (kind "ref")

    @property
    def key(self) -> bool:
        return self.name in natural_key(self.table)


def natural_key(table: str) -> tuple[str, ...]:
    return tuple(c.name for c in schema.TABLES[table].primary_key.columns)


def _kind(col: sa.Column) -> str:
    if isinstance(col.type, sa.Boolean):
        return "bool"
    if isinstance(col.type, sa.Date):
        return "date"
    if isinstance(col.type, sa.Numeric) and not isinstance(col.type, sa.Integer):
        return "money"
    if isinstance(col.type, sa.Integer):
        return "int"
    return "text"


def _columns(table: str) -> tuple[Column, ...]:
    out = []
    for col in schema.TABLES[table].columns:
        kind = _kind(col)
        ref = None
        fks = list(col.foreign_keys)
        code_map = CODE_COLUMNS.get(f"{table}.{col.name}")
        if fks and code_map is None:
            ref = fks[0].column.table.name
            kind = "ref"
        elif code_map is not None:
            kind = "code"
        # Booleans are never null (unknown = false); everything else follows the schema.
        required = not col.nullable and kind != "bool" and col.default is None
        length = getattr(col.type, "length", None) if kind in ("text", "code") else None
        out.append(Column(table, col.name, HEADERS[table][col.name], kind, required, length, code_map, ref))
    return tuple(out)


TABLE_COLUMNS: dict[str, tuple[Column, ...]] = {t: _columns(t) for t in SHEETS}
TABLE_BY_SHEET = {sheet: table for table, sheet in SHEETS.items()}
