"""The column layout of the organisation import, and the error codes of its checks.

Headers may be Chinese or English (any listed alias); matching ignores case, full-/half-width
differences, surrounding spaces, a trailing ``*`` (the template's required marker) and the kind
of brackets. Columns not in the layout are reported and ignored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool
    aliases: tuple[str, ...]
    example: str
    zh_description: str
    en_description: str


COLUMNS: tuple[Column, ...] = (
    Column("name", "名称", "name", True, ("机构名称", "企业名称", "单位名称", "organization"),
           "无锡恒润精密机械有限公司", "机构全称，2–200 字", "Full name, 2–200 characters"),
    Column("uscc", "统一社会信用代码", "uscc", True, ("信用代码", "社会信用代码", "credit code"),
           "9132021400000CT75L", "18 位，按 GB 32100-2015 校验；同一代码视为同一机构，重复导入只更新",
           "18 characters, check character per GB 32100-2015; the key: the same code updates the same organisation"),
    Column("kind", "机构类型", "kind", True, ("类型", "type"),
           "制造企业", "制造企业、服务商、金融机构、高校院所、学会协会、政府部门（或英文 manufacturer、provider、bank、university、society、government）",
           "manufacturer, provider, bank, university, society or government (or the Chinese names)"),
    Column("region", "行政区划代码", "region", True, ("区划代码", "所在地区代码", "region code"),
           "320214", "6 位 GB/T 2260 代码，区县级（或地级市）", "6-digit GB/T 2260 code of the district (or city)"),
    Column("industry", "行业代码", "industry", False, ("国民经济行业代码", "行业分类代码", "industry code"),
           "3421", "GB/T 4754-2017 大类（2 位）、中类（3 位）或小类（4 位）；制造企业必填",
           "GB/T 4754-2017 division (2 digits), group (3) or class (4); required for manufacturers"),
    Column("size", "企业规模", "size", False, ("规模",), "中型", "大型、中型、小型、微型",
           "large, medium, small or micro"),
    Column("founded_year", "成立年份", "founded_year", False, ("成立时间", "founded"), "2008",
           "四位年份", "Four-digit year"),
    Column("employees", "从业人数", "employees", False, ("员工人数", "职工人数"), "420",
           "整数", "Whole number"),
    Column("revenue_wan", "营业收入（万元）", "revenue_wan", False,
           ("营业收入", "营收（万元）", "营收", "revenue"), "35000",
           "单位万元；也可写“3.5亿”“3500万”", "In 10,000 yuan; “3.5亿” or “3500万” are understood"),
    Column("address", "地址", "address", False, ("注册地址", "通讯地址"), "无锡市新吴区长江路88号",
           "不超过 300 字", "At most 300 characters"),
    Column("website", "网址", "website", False, ("网站", "官网"), "https://www.example.com",
           "网址或域名", "A web address or domain"),
    Column("description", "简介", "description", False, ("机构简介", "企业简介"), "",
           "不超过 2000 字", "At most 2,000 characters"),
    Column("products", "主要产品", "products", False, ("产品",), "数控车床、加工中心",
           "多项用顿号、逗号或分号分隔，每项不超过 50 字", "Items separated by 、 , or ; (each ≤ 50 characters)"),
    Column("capabilities", "能力标签", "capabilities", False, ("能力", "技术能力"), "精密加工；ISO 9001",
           "多项用顿号、逗号或分号分隔", "Items separated by 、 , or ;"),
    Column("clusters", "所属集群", "clusters", False, ("集群",), "",
           "集群代码或名称，多项分隔", "Cluster codes or names, separated"),
    Column("chain_nodes", "产业链环节", "chain_nodes", False, ("产业链节点", "链上环节"), "",
           "环节代码，或“产业链名/环节名”，多项分隔", "Node codes or “chain/node” names, separated"),
    Column("contact_name", "联系人", "contact_name", False, ("联系人姓名",), "张伟",
           "联系人姓名（个人信息，须经本人同意）", "Contact person (personal data: with their consent)"),
    Column("contact_phone", "联系电话", "contact_phone", False, ("电话", "手机"), "13912345678",
           "11 位手机号或带区号的固定电话", "11-digit mobile or landline with area code"),
    Column("contact_email", "联系邮箱", "contact_email", False, ("邮箱", "电子邮箱", "email"),
           "zhangwei@example.com", "电子邮箱", "E-mail address"),
)
BY_KEY = {c.key: c for c in COLUMNS}

KIND_VALUES = {
    "manufacturer": "manufacturer", "制造企业": "manufacturer", "制造业企业": "manufacturer",
    "企业": "manufacturer",
    "provider": "provider", "服务商": "provider", "解决方案服务商": "provider",
    "系统解决方案供应商": "provider", "智能制造服务商": "provider",
    "bank": "bank", "金融机构": "bank", "银行": "bank",
    "university": "university", "高校院所": "university", "高校": "university",
    "科研院所": "university", "高等院校": "university",
    "society": "society", "学会协会": "society", "学会": "society", "协会": "society",
    "government": "government", "政府部门": "government", "政府": "government",
}
SIZE_VALUES = {"large": "large", "大型": "large", "大": "large", "medium": "medium",
               "中型": "medium", "中": "medium", "small": "small", "小型": "small", "小": "small",
               "micro": "micro", "微型": "micro", "微": "micro"}

# Error codes (row 0 = the header).
ERROR_CODES = {
    "missing_column": "a required column is missing from the header",
    "duplicate_column": "two header cells name the same column",
    "required": "a required cell is empty",
    "too_long": "the text is longer than allowed (params: max)",
    "too_short": "the text is shorter than allowed (params: min)",
    "uscc_length": "the credit code does not have 18 characters",
    "uscc_alphabet": "the credit code has a character outside its alphabet",
    "uscc_region": "positions 3–8 of the credit code are not digits",
    "uscc_check": "the credit code's check character is wrong (params: expected)",
    "uscc_org_check": "the organisation-code check inside the credit code is wrong",
    "duplicate_in_file": "an earlier row has the same credit code (params: first_row)",
    "kind_unknown": "not a known organisation kind (params: value)",
    "region_format": "the region code is not 6 digits (params: value)",
    "region_unknown": "no such region code (params: value)",
    "industry_format": "the industry code is not 2–4 digits (params: value)",
    "industry_unknown": "no such industry code (params: value)",
    "industry_required": "manufacturers need an industry code",
    "size_unknown": "not a known size class (params: value)",
    "year_invalid": "not a year between 1800 and this year (params: value, max)",
    "integer_invalid": "not a whole number ≥ 0 (params: value)",
    "amount_invalid": "not an amount (params: value)",
    "amount_negative": "the amount is negative (params: value)",
    "website_invalid": "not a web address (params: value)",
    "list_too_long": "too many items (params: max)",
    "item_too_long": "an item is too long (params: max, value)",
    "cluster_unknown": "no such cluster (params: value)",
    "chain_node_unknown": "no such chain node (params: value)",
    "phone_invalid": "not a mainland mobile or landline number (params: value)",
    "email_invalid": "not an e-mail address (params: value)",
    "contact_name_required": "contact details without a contact name",
}

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})


def header_key(text: object) -> str:
    value = unicodedata.normalize("NFKC", "" if text is None else str(text))
    value = value.translate(_BRACKETS).strip().rstrip("*").strip().casefold()
    return re.sub(r"\s+", " ", value)


HEADER_INDEX: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.zh, _column.en, _column.key, *_column.aliases):
        HEADER_INDEX[header_key(_name)] = _column.key

# (key, Chinese header, English header, required, example, zh description, en description)
TEMPLATE_COLUMNS = [(c.key, c.zh, c.en, c.required, c.example, c.zh_description, c.en_description)
                    for c in COLUMNS]
