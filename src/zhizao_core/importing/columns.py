"""The column layout of the organisation import, its vocabularies, limits and error codes.

Columns (``*`` = required; a header may be the Chinese name, the English name or an alias):

================ ========================== ============== ==================================================
key              中文表头 (aliases)          English        rule
================ ========================== ============== ==================================================
name *           名称 (机构名称, 企业名称,   name           2-200 characters after trimming; inner runs of
                 单位名称)                                 whitespace become one space
uscc *           统一社会信用代码 (信用代码, uscc           normalised (half-width, upper case, no spaces),
                 社会信用代码)                              then GB 32100-2015 (``validate_uscc``); a code
                                                           seen on an earlier row → ``duplicate_in_file``
kind *           机构类型 (类型)            kind           制造企业/manufacturer, 服务商/provider (also
                                                           解决方案服务商, 系统解决方案供应商), 金融机构/bank
                                                           (also 银行), 高校院所/university (also 高校,
                                                           科研院所), 学会协会/society (also 学会, 协会),
                                                           政府部门/government (also 政府)
region *         行政区划代码 (区划代码)    region         6 digits (a spreadsheet number 320214.0 is read as
                                                           "320214") and a known district or city code
industry         行业代码 (国民经济行业代码) industry      GB/T 4754-2017 code of 2-4 digits (a leading
                                                           section letter, C3421, is dropped); required for
                                                           manufacturers. A *number* (the spreadsheet lost
                                                           leading zeros) is tried as written and zero-padded
                                                           up to 4 digits: one known candidate is used,
                                                           several are ``industry_ambiguous``. Digit text
                                                           that is unknown but has exactly one known
                                                           zero-padded form is read as that form.
size             企业规模 (规模)            size           大型/large, 中型/medium, 小型/small, 微型/micro
founded_year     成立年份 (成立时间)        founded_year   1800 .. the current year; 2008, "2008年",
                                                           "2008-05-01" or a date cell
employees        从业人数 (员工人数)        employees      whole number ≥ 0 (≤ 10,000,000); "1,200",
                                                           1200.0 and "1200人" are read, 12.5 is refused
revenue_wan      营业收入（万元） (营业收入, revenue_wan   amount in 万元 ≥ 0, rounded to 0.01 万元;
                 营收（万元）)                             "3.5亿", "3500万", "50000元" are converted
address          地址                       address        at most 300 characters
website          网址 (网站, 官网)          website        http(s) address or bare domain; a bare domain
                                                           becomes https://…; at most 200 characters
description      简介                       description    at most 2,000 characters
products         主要产品 (产品)            products       list split on ; ； 、 , ， / | and line breaks;
                                                           ≤ 50 items of ≤ 50 characters
capabilities     能力标签 (能力)            capabilities   list, same limits
clusters         所属集群 (集群)            clusters       list of cluster codes or exact cluster names
chain_nodes      产业链环节 (产业链节点)    chain_nodes    list of chain-node codes or "产业链名/环节名"
                                                           (split as above but never on "/")
contact_name     联系人 (联系人姓名)        contact_name   at most 50 characters; required when a contact
                                                           phone or e-mail is given
contact_phone    联系电话 (联系人电话, 手机) contact_phone mainland mobile 1[3-9]+9 digits (+86, spaces and
                                                           dashes allowed) → "13912345678"; landline with
                                                           area code → "0510-85201234[-801]"; 400/800
                                                           numbers → "400-123-4567"
contact_email    联系邮箱 (邮箱, 电子邮箱)  contact_email  simple e-mail check, lower-cased, ≤ 254
================ ========================== ============== ==================================================

Header matching is by ``header_key``: NFKC (full-width → half-width), case-folded, whitespace,
``_`` and ``-`` removed, every kind of bracket read as ``()``, a leading or trailing ``*``
(the template's required marker) and a trailing ``(必填)``/``(选填)`` ignored. Headers that
match nothing are returned as ``unknown_columns`` and their cells ignored; a missing required
column is ``missing_column`` and a column given twice ``duplicate_column`` (both row 0).
Completely empty rows are skipped and not counted; row numbers count data rows from 1 (the row
right after the header), empty ones included, so they point at the row in the file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "BY_KEY",
    "COLUMNS",
    "ERROR_CODES",
    "HEADER_INDEX",
    "KIND_VALUES",
    "SIZE_VALUES",
    "TEMPLATE_COLUMNS",
    "Column",
    "header_key",
    "value_key",
]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool
    aliases: tuple[str, ...]
    example: str
    zh_description: str
    en_description: str


# --- limits ---------------------------------------------------------------------------------

NAME_MIN = 2
NAME_MAX = 200
ADDRESS_MAX = 300
WEBSITE_MAX = 200
DESCRIPTION_MAX = 2000
LIST_ITEMS_MAX = 50
LIST_ITEM_MAX = 50
CONTACT_NAME_MAX = 50
EMAIL_MAX = 254
YEAR_MIN = 1800
EMPLOYEES_MAX = 10_000_000
REVENUE_MAX_WAN = Decimal(10_000_000_000)  # 100万亿元: far above any company, inside the column

# --- error codes ----------------------------------------------------------------------------
# Every CellError carries ``column`` (the header label without its ``*``) in ``params`` as
# well as the parameters listed here.

MISSING_COLUMN = "missing_column"
DUPLICATE_COLUMN = "duplicate_column"
REQUIRED = "required"
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
USCC_LENGTH = "uscc_length"
USCC_ALPHABET = "uscc_alphabet"
USCC_REGION = "uscc_region"
USCC_CHECK = "uscc_check"
USCC_ORG_CHECK = "uscc_org_check"
DUPLICATE_IN_FILE = "duplicate_in_file"
KIND_UNKNOWN = "kind_unknown"
REGION_FORMAT = "region_format"
REGION_UNKNOWN = "region_unknown"
INDUSTRY_FORMAT = "industry_format"
INDUSTRY_UNKNOWN = "industry_unknown"
INDUSTRY_AMBIGUOUS = "industry_ambiguous"
INDUSTRY_REQUIRED = "industry_required"
SIZE_UNKNOWN = "size_unknown"
YEAR_INVALID = "year_invalid"
INTEGER_INVALID = "integer_invalid"
INTEGER_NEGATIVE = "integer_negative"
TOO_LARGE = "too_large"
AMOUNT_INVALID = "amount_invalid"
AMOUNT_NEGATIVE = "amount_negative"
WEBSITE_INVALID = "website_invalid"
LIST_TOO_LONG = "list_too_long"
ITEM_TOO_LONG = "item_too_long"
CLUSTER_UNKNOWN = "cluster_unknown"
CHAIN_NODE_UNKNOWN = "chain_node_unknown"
PHONE_INVALID = "phone_invalid"
EMAIL_INVALID = "email_invalid"
CONTACT_NAME_REQUIRED = "contact_name_required"

#: code → one-line English description (with the message parameters besides ``column``).
ERROR_CODES: dict[str, str] = {
    MISSING_COLUMN: "a required column is missing from the header row (row 0; column = its Chinese header)",
    DUPLICATE_COLUMN: "two header cells name the same column (row 0; params: first)",
    REQUIRED: "a required cell is empty",
    TOO_SHORT: "the text is shorter than allowed (params: min, length)",
    TOO_LONG: "the text is longer than allowed (params: max, length)",
    USCC_LENGTH: "the credit code does not have 18 characters (params: value, length)",
    USCC_ALPHABET: "the credit code has a character outside its alphabet, e.g. I O Z S V (params: value, char)",
    USCC_REGION: "positions 3-8 of the credit code are not 6 digits (params: value)",
    USCC_CHECK: "the credit code's check character (position 18) is wrong (params: value, expected)",
    USCC_ORG_CHECK: "the GB 11714 check inside an enterprise credit code is wrong (params: value, expected)",
    DUPLICATE_IN_FILE: "an earlier row of the file has the same credit code (params: value, first_row)",
    KIND_UNKNOWN: "not a known organisation kind (params: value)",
    REGION_FORMAT: "the region code is not 6 digits (params: value)",
    REGION_UNKNOWN: "no such region code (params: value)",
    INDUSTRY_FORMAT: "the industry code is not 2-4 digits (params: value)",
    INDUSTRY_UNKNOWN: "no such industry code (params: value)",
    INDUSTRY_AMBIGUOUS: "a numeric industry code that lost its leading zeros fits several codes (params: value, candidates)",
    INDUSTRY_REQUIRED: "a manufacturer needs an industry code",
    SIZE_UNKNOWN: "not a known size class (params: value)",
    YEAR_INVALID: "not a year between 1800 and the current year (params: value, min, max)",
    INTEGER_INVALID: "not a whole number (params: value)",
    INTEGER_NEGATIVE: "a whole number below zero (params: value)",
    TOO_LARGE: "the number is larger than allowed (params: value, max)",
    AMOUNT_INVALID: "not an amount (params: value)",
    AMOUNT_NEGATIVE: "the amount is negative (params: value)",
    WEBSITE_INVALID: "not an http(s) address or domain (params: value)",
    LIST_TOO_LONG: "the list has too many items (params: count, max)",
    ITEM_TOO_LONG: "an item of the list is too long (params: value, max)",
    CLUSTER_UNKNOWN: "no cluster with this code or name (params: value)",
    CHAIN_NODE_UNKNOWN: "no chain node with this code or chain/node name (params: value)",
    PHONE_INVALID: "not a mainland mobile, landline with area code, or 400/800 number (params: value)",
    EMAIL_INVALID: "not an e-mail address (params: value)",
    CONTACT_NAME_REQUIRED: "a contact phone or e-mail is given without the contact's name",
}

# --- the columns ----------------------------------------------------------------------------

COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        "名称",
        "name",
        True,
        ("机构名称", "企业名称", "单位名称", "organization name", "organisation name"),
        "无锡恒润精密机械有限公司",
        "机构全称，2–200 个字符",
        "Full registered name, 2–200 characters",
    ),
    Column(
        "uscc",
        "统一社会信用代码",
        "uscc",
        True,
        ("信用代码", "社会信用代码", "unified social credit code", "credit code"),
        "91320214MA1W0X3K0B",
        "18 位统一社会信用代码，按 GB 32100-2015 校验；是机构的唯一标识，已存在的代码将更新该机构",
        "The 18-character unified social credit code, checked per GB 32100-2015; it identifies "
        "the organisation: an existing code updates that organisation",
    ),
    Column(
        "kind",
        "机构类型",
        "kind",
        True,
        ("类型", "organization type", "type"),
        "制造企业",
        "制造企业、服务商、金融机构、高校院所、学会协会、政府部门之一（也可填英文 manufacturer、"
        "provider、bank、university、society、government）",
        "One of manufacturer, provider, bank, university, society, government (or the Chinese "
        "names 制造企业, 服务商, 金融机构, 高校院所, 学会协会, 政府部门)",
    ),
    Column(
        "region",
        "行政区划代码",
        "region",
        True,
        ("区划代码", "region code"),
        "320214",
        "所在区县（或地级市）的 6 位行政区划代码，请将单元格设为文本格式",
        "6-digit administrative division code of the district (or city); format the cell as text",
    ),
    Column(
        "industry",
        "行业代码",
        "industry",
        False,
        ("国民经济行业代码", "国民经济行业分类代码", "industry code"),
        "3421",
        "GB/T 4754-2017 国民经济行业代码：大类 2 位、中类 3 位或小类 4 位；制造企业必填；"
        "请设为文本格式以保留开头的 0",
        "GB/T 4754-2017 industry code: division (2 digits), group (3) or class (4); required for "
        "manufacturers; format the cell as text to keep leading zeros",
    ),
    Column(
        "size",
        "企业规模",
        "size",
        False,
        ("规模", "company size"),
        "中型",
        "大型、中型、小型、微型之一",
        "One of large, medium, small, micro (大型, 中型, 小型, 微型)",
    ),
    Column(
        "founded_year",
        "成立年份",
        "founded_year",
        False,
        ("成立时间", "founded", "year founded"),
        "2008",
        "四位年份，如 2008（也可填成立日期）",
        "Four-digit year such as 2008 (a founding date is also accepted)",
    ),
    Column(
        "employees",
        "从业人数",
        "employees",
        False,
        ("员工人数", "职工人数"),
        "320",
        "从业人员数，非负整数",
        "Number of employees, a whole number ≥ 0",
    ),
    Column(
        "revenue_wan",
        "营业收入（万元）",
        "revenue_wan",
        False,
        ("营业收入", "营收（万元）", "营收", "revenue"),
        "12500",
        "上一年度营业收入，单位万元；也可写“1.25亿”“12500万”等",
        "Last year's revenue in 10,000 yuan (万元); “1.25亿” or “12500万” are also understood",
    ),
    Column(
        "address",
        "地址",
        "address",
        False,
        ("注册地址", "通讯地址"),
        "江苏省无锡市新吴区长江路 88 号",
        "不超过 300 个字符",
        "At most 300 characters",
    ),
    Column(
        "website",
        "网址",
        "website",
        False,
        ("网站", "官网"),
        "https://www.example.com",
        "以 http:// 或 https:// 开头的网址，或域名（将补全为 https://）",
        "A web address starting with http:// or https://, or a bare domain (https:// is added)",
    ),
    Column(
        "description",
        "简介",
        "description",
        False,
        ("机构简介", "企业简介"),
        "专注数控机床研发制造",
        "不超过 2000 个字符",
        "At most 2,000 characters",
    ),
    Column(
        "products",
        "主要产品",
        "products",
        False,
        ("产品",),
        "数控车床、加工中心",
        "多项用顿号、逗号、分号或斜杠分隔；最多 50 项，每项不超过 50 个字符",
        "Items separated by 、 , ; or /; at most 50 items of at most 50 characters",
    ),
    Column(
        "capabilities",
        "能力标签",
        "capabilities",
        False,
        ("能力",),
        "精密加工、智能产线集成",
        "多项用顿号、逗号、分号或斜杠分隔；最多 50 项，每项不超过 50 个字符",
        "Items separated by 、 , ; or /; at most 50 items of at most 50 characters",
    ),
    Column(
        "clusters",
        "所属集群",
        "clusters",
        False,
        ("集群",),
        "",
        "平台已登记的集群代码或集群全称，多项用顿号分隔",
        "Codes or exact names of clusters registered on the platform, separated by 、",
    ),
    Column(
        "chain_nodes",
        "产业链环节",
        "chain_nodes",
        False,
        ("产业链节点",),
        "",
        "环节代码，或“产业链名称/环节名称”，多项用顿号分隔",
        "Chain-node codes, or “chain name/node name”, separated by 、",
    ),
    Column(
        "contact_name",
        "联系人",
        "contact_name",
        False,
        ("联系人姓名",),
        "张伟",
        "联系人姓名，不超过 50 个字符；填写联系电话或邮箱时必填（个人信息，请确认已获本人同意）",
        "Contact person, at most 50 characters; required when a phone or e-mail is given "
        "(personal data: make sure the person agreed)",
    ),
    Column(
        "contact_phone",
        "联系电话",
        "contact_phone",
        False,
        ("联系人电话", "联系人手机", "手机"),
        "0510-85201234",
        "11 位手机号，或带区号的固定电话（如 0510-85201234，分机用“-”或“转”）",
        "11-digit mainland mobile, or landline with area code (e.g. 0510-85201234; extension "
        "after “-” or 转)",
    ),
    Column(
        "contact_email",
        "联系邮箱",
        "contact_email",
        False,
        ("联系人邮箱", "邮箱", "电子邮箱", "email", "e-mail"),
        "zhangwei@example.com",
        "电子邮箱地址",
        "E-mail address",
    ),
)
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}

#: Ordered (key, Chinese header, English header, required, example, zh description,
#: en description) — for the downloadable template and the documentation.
TEMPLATE_COLUMNS: list[tuple[str, str, str, bool, str, str, str]] = [
    (c.key, c.zh, c.en, c.required, c.example, c.zh_description, c.en_description) for c in COLUMNS
]

# --- matching headers and vocabulary --------------------------------------------------------

_BRACKETS = str.maketrans(
    {
        "[": "(",
        "]": ")",
        "{": "(",
        "}": ")",
        "【": "(",
        "】": ")",
        "〔": "(",
        "〕": ")",
        "〖": "(",
        "〗": ")",
        "<": "(",
        ">": ")",
        "《": "(",
        "》": ")",
    }
)
_HEADER_DROP = re.compile(r"[\s_\-]+")
_MARKERS = ("(必填)", "(选填)", "(可选)", "(required)", "(optional)")


def header_key(text: object) -> str:
    """The matching form of a header cell: ``" 营业收入 （万元）* "`` → ``"营业收入(万元)"``."""
    value = unicodedata.normalize("NFKC", "" if text is None else str(text)).casefold()
    value = _HEADER_DROP.sub("", value.translate(_BRACKETS)).strip("*")
    for marker in _MARKERS:
        if value.endswith(marker):
            value = value[: -len(marker)].rstrip("*")
            break
    return value


def value_key(text: str) -> str:
    """The matching form of a vocabulary value: NFKC, case-folded, without whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


HEADER_INDEX: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.zh, _column.en, _column.key, *_column.aliases):
        _existing = HEADER_INDEX.setdefault(header_key(_name), _column.key)
        assert _existing == _column.key, f"header {_name!r} is ambiguous"

KIND_VALUES: dict[str, str] = {
    value_key(k): v
    for k, v in {
        "manufacturer": "manufacturer",
        "制造企业": "manufacturer",
        "制造业企业": "manufacturer",
        "provider": "provider",
        "服务商": "provider",
        "解决方案服务商": "provider",
        "系统解决方案供应商": "provider",
        "智能制造系统解决方案供应商": "provider",
        "solution provider": "provider",
        "bank": "bank",
        "金融机构": "bank",
        "银行": "bank",
        "financial institution": "bank",
        "university": "university",
        "高校院所": "university",
        "高校": "university",
        "科研院所": "university",
        "university / institute": "university",
        "society": "society",
        "学会协会": "society",
        "学会": "society",
        "协会": "society",
        "society / association": "society",
        "government": "government",
        "政府部门": "government",
        "政府": "government",
        "government unit": "government",
    }.items()
}

SIZE_VALUES: dict[str, str] = {
    value_key(k): v
    for k, v in {
        "large": "large",
        "大型": "large",
        "大型企业": "large",
        "medium": "medium",
        "中型": "medium",
        "中型企业": "medium",
        "small": "small",
        "小型": "small",
        "小型企业": "small",
        "micro": "micro",
        "微型": "micro",
        "微型企业": "micro",
    }.items()
}
