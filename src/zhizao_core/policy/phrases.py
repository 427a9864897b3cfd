"""The words of the policy engine, in Chinese and English: problem messages and the texts of
an explanation. Kept in the core so that the command line, the pages and the PDF say the same
thing; the platform picks the language (``zh`` or ``en``)."""

from __future__ import annotations

PROBLEMS = {
    "required": ("必须填写", "is required"),
    "not_text": ("应为文字", "must be text"),
    "not_object": ("应为对象（键值对）", "must be an object"),
    "not_list": ("应为非空列表", "must be a non-empty list"),
    "not_boolean": ("应为 true 或 false", "must be true or false"),
    "too_many": ("条目过多（上限 {limit}）", "too many entries (limit {limit})"),
    "facts_not_list": ("事实文件应为企业列表", "the facts file must be a list of enterprises"),
    "not_decimal_string": (
        '“{value}”不是十进制数字字符串（如 "2600000.00"）',
        '“{value}” is not a decimal string (e.g. "2600000.00")',
    ),
    "more_than_two_decimals": ("金额最多两位小数（分）", "amounts have at most two decimals (fen)"),
    "negative": ("金额不能为负：{value}", "amount cannot be negative: {value}"),
    "rate_range": (
        '利率应为 0 到 1 之间的小数（如 "0.0345"）：{value}',
        'a rate is a fraction between 0 and 1 (e.g. "0.0345"): {value}',
    ),
    "bad_date": ("日期应为 YYYY-MM-DD：{value}", "a date is YYYY-MM-DD: {value}"),
    "int_range": (
        "应为 {lo} 到 {hi} 的整数：{value}",
        "must be a whole number from {lo} to {hi}: {value}",
    ),
    "bad_uscc": (
        "统一社会信用代码应为 18 位数字或大写字母：{value}",
        "a credit code is 18 digits or capital letters: {value}",
    ),
    "bad_region": ("行政区划代码应为 6 位数字：{value}", "a region code is 6 digits: {value}"),
    "bad_industry": (
        "国民经济行业代码应为门类字母或 2–4 位数字：{value}",
        "an industry code is a section letter or 2–4 digits: {value}",
    ),
    "bad_level": (
        "级别应为 national、provincial 或 city：{value}",
        "a level is national, provincial or city: {value}",
    ),
    "end_before_start": ("结束日期早于开始日期", "the end date is before the start date"),
    "intelligent_above_equipment": (
        "智能装备投资不能大于设备投资",
        "intelligent equipment cannot exceed equipment",
    ),
    "duplicate_project": ("项目编号重复：{value}", "duplicate project id: {value}"),
    "duplicate_enterprise": ("企业重复：{value}", "duplicate enterprise: {value}"),
    "bad_received": (
        '应为 {{"item": 条目编号, "amount_yuan": 金额}}',
        'must be {{"item": item id, "amount_yuan": amount}}',
    ),
    "bad_key": (
        "编号只能用小写字母、数字和连字符（2–80 位）：{value}",
        "an id uses lower-case letters, digits and hyphens (2–80): {value}",
    ),
    "name_required": ("名称必须填写（至少中文）", "a name is required (Chinese at least)"),
    "one_of": ("应为以下之一：{choices}", "must be one of: {choices}"),
    "too_deep": ("嵌套过深（上限 {limit} 层）", "nested too deeply (limit {limit} levels)"),
    "too_many_nodes": (
        "规则过大（上限 {limit} 个节点）",
        "the rule is too large (limit {limit} nodes)",
    ),
    "unknown_param": ("未定义的参数：{value}", "undefined parameter: {value}"),
    "bad_param_name": (
        "参数名只能用小写字母、数字和下划线：{value}",
        "a parameter name uses lower-case letters, digits and underscores: {value}",
    ),
    "out_of_range": ("数值 {value} 超出范围 [{lo}, {hi}]", "{value} is outside [{lo}, {hi}]"),
    "unknown_fact": ("未知的事实：{value}", "unknown fact: {value}"),
    "project_fact_in_enterprise_rule": (
        "按企业计算的条目不能使用项目数据：{value}",
        "an item evaluated per enterprise cannot use project data: {value}",
    ),
    "not_integer": ("应为整数：{value}", "must be a whole number: {value}"),
    "bad_code_prefix": (
        "区划代码前缀应为 2–6 位数字：{value}",
        "a region prefix is 2–6 digits: {value}",
    ),
    "bad_industry_prefix": (
        "行业代码应为门类字母或 2–4 位数字：{value}",
        "an industry prefix is a section letter or 2–4 digits: {value}",
    ),
    "bad_op": (
        "运算“{value}”不适用于该事实，可用：{choices}",
        "operator “{value}” does not apply to this fact; use one of: {choices}",
    ),
    "between_two": ("区间应为两个值 [下限, 上限]", "a range is two values [low, high]"),
    "between_order": ("区间上限小于下限", "the upper bound is below the lower bound"),
    "unknown_base": ("未知的计算基数：{value}", "unknown base: {value}"),
    "tiers_need_number": ("分档只能按数值事实：{value}", "tiers need a numeric fact: {value}"),
    "band_from_or_above": (
        "每档写 from（含）或 above（不含）其一",
        "each band has either from (inclusive) or above (exclusive)",
    ),
    "bands_ascending": ("分档界限应由小到大", "band bounds must ascend"),
    "title_row": ("每行应有 title 和 yuan", "each row needs title and yuan"),
    "when_not_for_enterprise_cap": (
        "按企业汇总的上限不能附加条件",
        "a per-enterprise cap of a per-project item cannot have a condition",
    ),
    "choice_when_amount": ("每个选项应有 when 和 amount", "each choice needs when and amount"),
    "stages_sum": ("分期比例之和应为 1", "stage shares must add up to 1"),
    "file_unreadable": ("无法读取文件：{detail}", "cannot read the file: {detail}"),
    "unknown_item": ("未知的政策条目：{value}", "unknown policy item: {value}"),
    "case_mismatch": ("{detail}", "{detail}"),
}


def problem_text(code: str, params: dict, lang: str = "zh") -> str:
    zh, en = PROBLEMS.get(code, (code, code))
    template = zh if lang.startswith("zh") else en
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


# --- explanation ----------------------------------------------------------------------------

FACT_LABELS = {
    "enterprise.region": ("注册地行政区划", "registered region"),
    "enterprise.industry": ("国民经济行业", "industry (GB/T 4754)"),
    "enterprise.maturity_level": ("智能制造能力成熟度等级", "maturity level"),
    "enterprise.revenue": ("营业收入", "revenue"),
    "enterprise.employees": ("从业人数", "employees"),
    "enterprise.titles": ("荣誉资质", "titles held"),
    "project.kind": ("项目类型", "project kind"),
    "project.start_date": ("项目开工日期", "project start date"),
    "project.region": ("项目所在地", "project location"),
    "project.equipment": ("设备投资", "equipment investment"),
    "project.intelligent_equipment": ("智能装备投资", "intelligent-equipment investment"),
    "project.software": ("软件投资", "software investment"),
    "project.services": ("技术服务投资", "technical-services investment"),
    "project.other": ("其他投资", "other investment"),
    "project.total_investment": ("项目总投资", "total investment"),
    "project.loan_amount": ("贷款金额合计", "total loans"),
    "project.intelligent_equipment_share": (
        "智能装备占设备投资比例",
        "intelligent share of equipment",
    ),
    "project.loans": ("项目贷款", "project loans"),
}
OPS = {
    "eq": ("等于", "equals"),
    "ne": ("不等于", "is not"),
    "gt": ("大于", "above"),
    "ge": ("不低于", "at least"),
    "lt": ("小于", "below"),
    "le": ("不高于", "at most"),
    "between": ("介于", "between"),
    "in": ("属于", "is one of"),
    "not_in": ("不属于", "is none of"),
    "prefix": ("位于/属于", "within"),
    "not_prefix": ("不位于/不属于", "outside"),
}
RESULT = {
    True: ("满足", "met"),
    False: ("不满足", "not met"),
    None: ("待确认（缺少数据）", "unknown (data missing)"),
}
LEVELS = {
    "national": ("国家级", "national"),
    "provincial": ("省级", "provincial"),
    "city": ("市级", "city"),
}
CAPS = {
    "project": ("每个项目上限", "per project cap"),
    "project_year": ("每个项目每年上限", "per project per year cap"),
    "enterprise": ("每家企业累计上限", "per enterprise cap"),
    "enterprise_year": ("每家企业每年上限", "per enterprise per year cap"),
    "investment": ("不超过项目总投资", "not above the total investment"),
}
WORDS = {
    "yuan": (" 元", " yuan"),
    "unknown": ("未知", "unknown"),
    "colon": ("：", ": "),
    "question": ("？", "? "),
    "all": ("以下条件全部满足", "all of the following"),
    "any": ("以下条件满足其一", "any of the following"),
    "not": ("以下条件不成立", "none of the following"),
    "version": (
        "适用版本 v{version}（{valid_from} 起{valid_to}），依据：{reference}",
        "version v{version} (from {valid_from}{valid_to}), source: {reference}",
    ),
    "version_to": ("至 {date}", " to {date}"),
    "not_in_force": (
        "{as_of} 无有效版本：本条目不适用",
        "no version in force on {as_of}: the item does not apply",
    ),
    "param": (
        "参数“{label}” = {value}（{since} 起施行{reference}）",
        "parameter “{label}” = {value} (in force from {since}{reference})",
    ),
    "param_ref": ("，{reference}", "; {reference}"),
    "no_projects": (
        "未登记任何项目：本条目按项目计算",
        "no project registered: this item is evaluated per project",
    ),
    "projects_unknown": (
        "项目情况未知：登记项目后可计算",
        "projects unknown: register a project to evaluate",
    ),
    "fixed": ("定额 {amount} 元", "fixed {amount} yuan"),
    "percent": (
        "{rate} × {base} {value} 元 = {amount} 元",
        "{rate} × {base} {value} = {amount} yuan",
    ),
    "percent_unknown": ("{rate} × {base}（未知）", "{rate} × {base} (unknown)"),
    "tier": ("{label} {value}：适用“{band}”档", "{label} {value}: band “{band}”"),
    "tier_none": ("{label} {value}：未达到任何档次", "{label} {value}: below every band"),
    "title_row": ("持有{level}“{title}”：{amount} 元", "holds {level} “{title}”: {amount} yuan"),
    "title_none": ("未持有表中任何荣誉资质", "holds none of the titles in the table"),
    "title_pick": ("按最高一项计：{amount} 元", "the highest counts: {amount} yuan"),
    "interest_year": (
        "贷款{n} {amount} 元 × {points} × {days}/365 天（{year} 年）= {value} 元",
        "loan {n} {amount} × {points} × {days}/365 days ({year}) = {value} yuan",
    ),
    "interest_full_year": (
        "贷款{n} {amount} 元 × {points}（{year} 年全年）= {value} 元",
        "loan {n} {amount} × {points} (all of {year}) = {value} yuan",
    ),
    "interest_rate_bound": (
        "贴息点数不超过贷款利率 {rate}",
        "points limited to the loan rate {rate}",
    ),
    "loan_percent": (
        "贷款{n} {amount} 元 × {rate}（{year} 年）= {value} 元",
        "loan {n} {amount} × {rate} ({year}) = {value} yuan",
    ),
    "loan_unknown": ("贷款{n}：金额或日期未知", "loan {n}: amount or dates unknown"),
    "no_loans": ("没有贷款", "no loans"),
    "choose": ("适用情形 {n}", "case {n} applies"),
    "choose_none": ("不属于任何列明情形", "none of the listed cases applies"),
    "cap_skipped": (
        "{cap} {cap_amount} 元：不适用本情形",
        "{cap} {cap_amount} yuan: does not apply here",
    ),
    "sum": ("合计 {amount} 元", "total {amount} yuan"),
    "min": ("取较小者 {amount} 元", "the smaller: {amount} yuan"),
    "cap": ("{cap} {cap_amount} 元：{outcome}", "{cap} {cap_amount} yuan: {outcome}"),
    "cap_year": (
        "{year} 年 {cap} {cap_amount} 元：{outcome}",
        "{year} {cap} {cap_amount} yuan: {outcome}",
    ),
    "cap_bound": ("封顶，{before} 元 → {after} 元", "binding, {before} → {after} yuan"),
    "cap_free": ("未触及", "not reached"),
    "cap_used": (
        "{cap} {cap_amount} 元，本企业此前已用 {used} 元：{outcome}",
        "{cap} {cap_amount} yuan, {used} yuan already used by this enterprise: {outcome}",
    ),
    "stacking_highest": (
        "与“{other}”不叠加，按就高原则由“{other}”计 {other_amount} 元，本条目计 0 元",
        "does not stack with “{other}”: the higher ({other_amount} yuan) is paid there, 0 here",
    ),
    "stacking_kept": (
        "与同组条目不叠加，本条目金额最高，予以保留",
        "does not stack with its group; this item is the highest and is kept",
    ),
    "stacking_exclusive": (
        "与“{other}”互斥，只能享受其一；按金额较高者计",
        "mutually exclusive with “{other}”: only one applies, the higher",
    ),
    "stacking_difference": (
        "已获同类奖励 {received} 元，补差额：{before} − {received} = {after} 元",
        "already received {received} yuan in this group; the difference is paid: {before} − {received} = {after} yuan",
    ),
    "stacking_investment": (
        "同组奖补合计不超过项目总投资 {total} 元：本条目 {before} → {after} 元",
        "the group's total may not exceed the investment {total} yuan: {before} → {after} yuan",
    ),
    "stage": ("{label}拨付 {share}：{amount} 元", "{label}: {share} = {amount} yuan"),
    "result_yes": ("符合条件，金额 {amount} 元", "eligible: {amount} yuan"),
    "result_no": ("不符合条件", "not eligible"),
    "result_unknown": ("可能符合，需补充：{missing}", "possibly eligible, if: {missing}"),
    "result_unknown_amount": (
        "可能符合，预计 {amount} 元，需补充：{missing}",
        "possibly eligible, about {amount} yuan, if: {missing}",
    ),
    "source_facts": ("事实文件 {path}", "facts file {path}"),
    "titles_held": ("持有：{titles}", "holds: {titles}"),
    "titles_none": ("未持有任何荣誉资质", "holds no titles"),
}


def word(key: str, lang: str = "zh", **params) -> str:
    zh, en = WORDS[key]
    return (zh if lang.startswith("zh") else en).format(**params)


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang.startswith("zh") else pair[1]
