"""The organisation import on plain data: header mapping, row validation, error codes."""

from __future__ import annotations

import ast
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from zhizao_core.importing import (
    COLUMNS,
    ERROR_CODES,
    TEMPLATE_COLUMNS,
    CellError,
    HeaderResult,
    ImportContext,
    OrganizationRecord,
    ValidationResult,
    map_header,
    normalize_email,
    normalize_phone,
    normalize_website,
    validate_rows,
)
from zhizao_core.importing import columns as columns_module
from zhizao_core.registry.uscc import make_uscc, uscc_check_character

SRC = Path(__file__).resolve().parents[2] / "src"

CTX = ImportContext(
    region_codes=frozenset({"320214", "320583", "330106", "320200"}),
    industry_codes=frozenset(
        {
            "34",
            "342",
            "3421",
            "05",
            "051",
            "0511",
            "51",
            "511",
            "6513",
            "13",
            "013",
            "0131",
            "0111",
            "3985",
        }
    ),
    clusters={
        "wuxi-iot": "wuxi-iot",
        "无锡物联网集群": "wuxi-iot",
        "Wuxi IoT Cluster": "wuxi-iot",
        "suzhou-nano": "suzhou-nano",
        "苏州纳米新材料集群": "suzhou-nano",
    },
    chain_nodes={
        "ic-packaging": "ic-packaging",
        "集成电路/封装测试": "ic-packaging",
        "ic-design": "ic-design",
        "集成电路/芯片设计": "ic-design",
    },
    current_year=2026,
)

USCC_A = make_uscc(region="320214", serial=101)
USCC_B = make_uscc(region="320583", serial=102)
USCC_C = make_uscc(region="330106", serial=103)

HEADER_ZH = [
    "名称",
    "统一社会信用代码",
    "机构类型",
    "行政区划代码",
    "行业代码",
    "企业规模",
    "成立年份",
    "从业人数",
    "营业收入（万元）",
    "地址",
    "网址",
    "简介",
    "主要产品",
    "能力标签",
    "所属集群",
    "产业链环节",
    "联系人",
    "联系电话",
    "联系邮箱",
]
HEADER_EN = [
    "name",
    "uscc",
    "kind",
    "region",
    "industry",
    "size",
    "founded_year",
    "employees",
    "revenue_wan",
    "address",
    "website",
    "description",
    "products",
    "capabilities",
    "clusters",
    "chain_nodes",
    "contact_name",
    "contact_phone",
    "contact_email",
]
KEYS = HEADER_EN
ALL_KEYS = frozenset(KEYS)

BASE = {
    "name": "无锡恒润精密机械有限公司",
    "uscc": USCC_A,
    "kind": "制造企业",
    "region": "320214",
    "industry": "3421",
    "size": "中型",
    "founded_year": "2008",
    "employees": "320",
    "revenue_wan": "12500",
    "address": "江苏省无锡市新吴区长江路 88 号",
    "website": "www.hengrun-jx.com",
    "description": "数控机床研发制造",
    "products": "数控车床、加工中心",
    "capabilities": "精密加工；智能产线集成",
    "clusters": "无锡物联网集群",
    "chain_nodes": "集成电路/封装测试",
    "contact_name": "张伟",
    "contact_phone": "0510-85201234",
    "contact_email": "zhangwei@example.com",
}
BASE_RECORD = OrganizationRecord(
    row=1,
    name="无锡恒润精密机械有限公司",
    uscc=USCC_A,
    kind="manufacturer",
    region="320214",
    industry="3421",
    size="medium",
    founded_year=2008,
    employees=320,
    revenue_wan=Decimal("12500.00"),
    address="江苏省无锡市新吴区长江路 88 号",
    website="https://www.hengrun-jx.com",
    description="数控机床研发制造",
    products=("数控车床", "加工中心"),
    capabilities=("精密加工", "智能产线集成"),
    clusters=("wuxi-iot",),
    chain_nodes=("ic-packaging",),
    contact_name="张伟",
    contact_phone="0510-85201234",
    contact_email="zhangwei@example.com",
    present=ALL_KEYS,
)


def row(**changes: object) -> list[object]:
    values = {**BASE, **changes}
    return [values[key] for key in KEYS]


def check(rows: list[list[object]], header: list[object] | None = None) -> ValidationResult:
    mapped = map_header(header or HEADER_ZH)
    assert mapped.errors == []
    return validate_rows(mapped, rows, CTX)


def error(row_number: int, key: str, code: str, **params: object) -> CellError:
    label = HEADER_ZH[KEYS.index(key)]
    return CellError(row_number, label, code, {"column": label, **params})


# --- the header ---------------------------------------------------------------------------------


def test_chinese_header():
    header = map_header(HEADER_ZH)
    assert header == HeaderResult(
        columns=dict(enumerate(KEYS)),
        errors=[],
        unknown_columns=[],
        labels=dict(zip(KEYS, HEADER_ZH, strict=True)),
    )


def test_english_header():
    header = map_header(HEADER_EN)
    assert header.columns == dict(enumerate(KEYS))
    assert header.errors == [] and header.unknown_columns == []
    assert header.labels == {key: key for key in KEYS}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("名称*", "name"),
        ("*名称", "name"),
        (" 名称 ＊", "name"),
        ("名称（必填）", "name"),
        ("机构名称", "name"),
        ("企业名称", "name"),
        ("单位名称", "name"),
        ("Name", "name"),
        ("信用代码", "uscc"),
        ("ＵＳＣＣ", "uscc"),
        ("Unified Social Credit Code", "uscc"),
        ("类型", "kind"),
        ("Kind*", "kind"),
        ("区划代码", "region"),
        ("REGION", "region"),
        ("国民经济行业代码", "industry"),
        ("营业收入（万元）", "revenue_wan"),
        ("营业收入(万元)", "revenue_wan"),
        ("营业收入 【万元】", "revenue_wan"),
        ("营业收入", "revenue_wan"),
        ("营收（万元）", "revenue_wan"),
        ("Revenue_Wan", "revenue_wan"),
        ("founded year", "founded_year"),
        ("Contact Name", "contact_name"),
        ("contact-email", "contact_email"),
        ("E-mail", "contact_email"),
        ("联系人\n（选填）", "contact_name"),
        ("产业链环节", "chain_nodes"),
        ("所属集群", "clusters"),
    ],
)
def test_header_variants(text, key):
    header = map_header([text])
    assert header.columns == {0: key}
    assert header.labels == {key: " ".join(text.split())}


def test_missing_duplicate_and_unknown_columns():
    header = map_header(
        ["名称", None, "", "备注", "机构类型", "Name", "行政区划代码", "机构名称", 2024]
    )
    assert header.columns == {0: "name", 4: "kind", 6: "region"}
    assert header.unknown_columns == ["备注", "2024"]
    assert header.labels == {"name": "名称", "kind": "机构类型", "region": "行政区划代码"}
    assert header.errors == [
        CellError(0, "统一社会信用代码", "missing_column", {"column": "统一社会信用代码"}),
        CellError(0, "Name", "duplicate_column", {"column": "Name", "first": "名称"}),
        CellError(0, "机构名称", "duplicate_column", {"column": "机构名称", "first": "名称"}),
    ]


def test_every_required_column_missing():
    header = map_header(["地址"])
    assert [(e.row, e.column, e.code) for e in header.errors] == [
        (0, "名称", "missing_column"),
        (0, "统一社会信用代码", "missing_column"),
        (0, "机构类型", "missing_column"),
        (0, "行政区划代码", "missing_column"),
    ]


def test_rows_are_not_checked_when_the_header_is_wrong():
    header = map_header(["名称", "机构类型", "行政区划代码"])
    result = validate_rows(
        header, [["某公司", "制造企业", "320214"], [None, ""], ["x", "", ""]], CTX
    )
    assert result == ValidationResult(
        records=[],
        rows=2,
        invalid_rows=frozenset(),
        errors=[CellError(0, "统一社会信用代码", "missing_column", {"column": "统一社会信用代码"})],
    )


# --- valid files ----------------------------------------------------------------------------------


def test_all_valid_file():
    rows = [
        row(),
        row(
            name="昆山智云工业软件有限公司",
            uscc=USCC_B,
            kind="服务商",
            region="320583",
            industry="6513",
            size="",
            founded_year="",
            employees="",
            revenue_wan="",
            address="",
            website="",
            description="",
            products="MES、WMS",
            capabilities="",
            clusters="",
            chain_nodes="",
            contact_name="",
            contact_phone="",
            contact_email="",
        ),
        row(
            name="杭州鑫达电子材料有限公司",
            uscc=USCC_C,
            kind="manufacturer",
            region="330106",
            industry="3985",
            size="小型",
            clusters="wuxi-iot、苏州纳米新材料集群、Wuxi IoT Cluster",
            chain_nodes="ic-design；集成电路 / 封装测试",
            contact_phone="+86 139 1234 5678",
            contact_email="Li.Na@Example.COM",
            contact_name="李娜",
        ),
    ]
    result = check(rows)
    assert result.errors == [] and result.invalid_rows == frozenset() and result.rows == 3
    assert result.records == [
        BASE_RECORD,
        OrganizationRecord(
            row=2,
            name="昆山智云工业软件有限公司",
            uscc=USCC_B,
            kind="provider",
            region="320583",
            industry="6513",
            size="",
            founded_year=None,
            employees=None,
            revenue_wan=None,
            address="",
            website="",
            description="",
            products=("MES", "WMS"),
            capabilities=(),
            clusters=(),
            chain_nodes=(),
            contact_name="",
            contact_phone="",
            contact_email="",
            present=ALL_KEYS,
        ),
        OrganizationRecord(
            row=3,
            name="杭州鑫达电子材料有限公司",
            uscc=USCC_C,
            kind="manufacturer",
            region="330106",
            industry="3985",
            size="small",
            founded_year=2008,
            employees=320,
            revenue_wan=Decimal("12500.00"),
            address="江苏省无锡市新吴区长江路 88 号",
            website="https://www.hengrun-jx.com",
            description="数控机床研发制造",
            products=("数控车床", "加工中心"),
            capabilities=("精密加工", "智能产线集成"),
            clusters=("wuxi-iot", "suzhou-nano"),
            chain_nodes=("ic-design", "ic-packaging"),
            contact_name="李娜",
            contact_phone="13912345678",
            contact_email="li.na@example.com",
            present=ALL_KEYS,
        ),
    ]


def test_english_header_gives_the_same_records():
    assert check([row()], header=HEADER_EN).records == [BASE_RECORD]


def test_spreadsheet_numbers_are_normalised():
    """Cells as an XLSX reader returns them: floats, ints, dates."""
    cells = row(
        region=320214.0,
        industry=3421.0,
        founded_year=2008.0,
        employees=320.0,
        revenue_wan=12500.0,
        contact_phone=5108520123.0,
    )
    cells[KEYS.index("contact_phone")] = 13912345678.0
    result = check([cells])
    assert result.errors == []
    record = result.records[0]
    assert (
        record.region,
        record.industry,
        record.founded_year,
        record.employees,
        record.revenue_wan,
        record.contact_phone,
    ) == ("320214", "3421", 2008, 320, Decimal("12500.00"), "13912345678")
    ints = row(region=320214, industry=3421, founded_year=2008, employees=320, revenue_wan=12500)
    assert check([ints]).records == [BASE_RECORD]
    dated = check([row(founded_year=dt.date(2008, 5, 1))]).records[0]
    assert dated.founded_year == 2008
    assert check([row(founded_year=dt.datetime(2008, 5, 1, 9, 30))]).records[0].founded_year == 2008


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("name", "  无锡恒润\n精密  机械  ", "无锡恒润 精密 机械"),
        (
            "name",
            "ＡＢＣ（无锡）有限公司",
            "ＡＢＣ（无锡）有限公司",
        ),  # names are kept as registered
        ("uscc", " " + USCC_A.lower()[:9] + " " + USCC_A.lower()[9:], USCC_A),
        ("uscc", USCC_A.translate({ord(ch): ord(ch) + 0xFEE0 for ch in USCC_A}), USCC_A),
        ("kind", "Manufacturer", "manufacturer"),
        ("kind", "服务商", "provider"),
        ("kind", "系统解决方案供应商", "provider"),
        ("kind", "解决方案服务商", "provider"),
        ("kind", "银行", "bank"),
        ("kind", "金融机构", "bank"),
        ("kind", "高校", "university"),
        ("kind", "科研院所", "university"),
        ("kind", "高校院所", "university"),
        ("kind", "学会", "society"),
        ("kind", "协会", "society"),
        ("kind", "学会协会", "society"),
        ("kind", "政府", "government"),
        ("kind", "政府部门", "government"),
        ("kind", " GOVERNMENT ", "government"),
        ("region", "３２０２１４", "320214"),
        ("region", "320214.0", "320214"),
        ("region", Decimal("320214"), "320214"),
        ("industry", "3421.0", "3421"),
        ("industry", "111.0", "0111"),
        ("region", "320200", "320200"),
        ("industry", "C3421", "3421"),
        ("industry", "0511", "0511"),
        ("industry", "511", "511"),
        ("industry", "131", "0131"),  # text that lost its zero: the one padded code that exists
        ("industry", 111, "0111"),
        ("industry", 111.0, "0111"),
        ("industry", 5, "05"),
        ("industry", 3421, "3421"),
        ("size", "大型", "large"),
        ("size", "Medium", "medium"),
        ("size", "小型企业", "small"),
        ("size", "微型", "micro"),
        ("founded_year", "2008年", 2008),
        ("founded_year", "2008-05-01", 2008),
        ("founded_year", "2008/5/1", 2008),
        ("founded_year", "2008年5月", 2008),
        ("founded_year", "1800", 1800),
        ("founded_year", "2026", 2026),
        ("employees", "1,200", 1200),
        ("employees", "1200.0", 1200),
        ("employees", "1200人", 1200),
        ("employees", 1200.0, 1200),
        ("employees", "0", 0),
        ("employees", "１２００", 1200),
        ("employees", Decimal("1200"), 1200),
        ("founded_year", Decimal("2008.0"), 2008),
        ("revenue_wan", "1.2亿", Decimal("12000.00")),
        ("revenue_wan", "3500万", Decimal("3500.00")),
        ("revenue_wan", "50000元", Decimal("5.00")),
        ("revenue_wan", "3,500", Decimal("3500.00")),
        ("revenue_wan", 12.345, Decimal("12.35")),
        ("revenue_wan", "0", Decimal("0.00")),
        ("website", "HTTP://Hengrun.COM/About", "http://hengrun.com/About"),
        (
            "website",
            "https://www.example.com.cn:8443/a?b=1",
            "https://www.example.com.cn:8443/a?b=1",
        ),
        ("description", "第一行\r\n第二行", "第一行\n第二行"),
        ("products", "车床；车床、 铣床 ", ("车床", "铣床")),
        ("products", "数控  车床\n加工中心", ("数控 车床", "加工中心")),
        ("capabilities", "ISO 9001/IATF 16949", ("ISO 9001", "IATF 16949")),
        ("clusters", "suzhou-nano、苏州纳米新材料集群", ("suzhou-nano",)),
        ("clusters", "wuxi iot cluster", ("wuxi-iot",)),
        ("chain_nodes", "集成电路／芯片设计", ("ic-design",)),
        ("contact_phone", "139-1234-5678", "13912345678"),
        ("contact_phone", "1３912345678", "13912345678"),
        ("contact_phone", "(0510) 8520 1234 转 801", "0510-85201234-801"),
        ("contact_email", " ZhangWei@Example.com ", "zhangwei@example.com"),
    ],
)
def test_cell_normalisation(key, value, expected):
    result = check([row(**{key: value})])
    assert result.errors == []
    assert getattr(result.records[0], key) == expected


def test_present_lists_the_columns_of_the_file_only():
    header = ["统一社会信用代码", "名称", "机构类型", "行政区划代码", "行业代码", "备注"]
    result = check(
        [[USCC_A, "某某精密有限公司", "制造企业", "320214", "3421", "随便"]], header=header
    )
    record = result.records[0]
    assert record.present == frozenset({"uscc", "name", "kind", "region", "industry"})
    assert (record.size, record.founded_year, record.products, record.contact_name) == (
        "",
        None,
        (),
        "",
    )


def test_empty_rows_are_skipped_but_keep_their_numbers():
    rows = [row(), [], [None] * 19, ["", "  ", "\u3000"], row(uscc=USCC_B), [None, None]]
    result = check(rows)
    assert result.rows == 2
    assert [r.row for r in result.records] == [1, 5]


def test_short_rows_and_extra_cells():
    result = check(
        [[BASE["name"], USCC_A, "服务商", "320214"], [*row(), "多余", "cells"]], header=HEADER_ZH
    )
    assert result.errors[0:0] == []
    assert [r.row for r in result.records] == [1]
    assert result.errors == [error(2, "uscc", "duplicate_in_file", value=USCC_A, first_row=1)]


def test_a_row_with_data_only_in_unknown_columns_is_counted_and_invalid():
    header = ["名称", "统一社会信用代码", "机构类型", "行政区划代码", "备注"]
    result = check([[None, None, None, None, "只有备注"]], header=header)
    assert result.rows == 1 and result.invalid_rows == frozenset({1})
    assert [(e.column, e.code) for e in result.errors] == [
        ("名称", "required"),
        ("统一社会信用代码", "required"),
        ("机构类型", "required"),
        ("行政区划代码", "required"),
    ]


# --- every error code, with its parameters --------------------------------------------------------

BAD_CHECK = USCC_A[:17] + ("0" if USCC_A[17] != "0" else "1")
_ORG17 = "91320214000000" + "AB" + "X"
ORG_BAD = _ORG17 + uscc_check_character(_ORG17)
LONG_ITEM = "超长产品名称" * 9  # 54 characters


@pytest.mark.parametrize(
    ("changes", "key", "code", "params"),
    [
        ({"name": ""}, "name", "required", {}),
        ({"name": "  "}, "name", "required", {}),
        ({"name": "某"}, "name", "too_short", {"min": 2, "length": 1}),
        ({"name": "厂" * 201}, "name", "too_long", {"max": 200, "length": 201}),
        ({"uscc": ""}, "uscc", "required", {}),
        ({"uscc": "9132021"}, "uscc", "uscc_length", {"value": "9132021", "length": 7}),
        (
            {"uscc": "91320214MA1W0X3KIB"},
            "uscc",
            "uscc_alphabet",
            {"value": "91320214MA1W0X3KIB", "char": "I"},
        ),
        ({"uscc": "9132A214MA1W0X3K0B"}, "uscc", "uscc_region", {"value": "9132A214MA1W0X3K0B"}),
        ({"uscc": BAD_CHECK}, "uscc", "uscc_check", {"value": BAD_CHECK, "expected": USCC_A[17]}),
        (
            {"uscc": "91350100M000100Y4Z"},
            "uscc",
            "uscc_check",
            {"value": "91350100M000100Y4Z", "expected": "3"},
        ),
        # body 000000AB: 10·4 + 11·2 = 62, 62 mod 11 = 7, 11 - 7 = 4 (the code carries X)
        ({"uscc": ORG_BAD}, "uscc", "uscc_org_check", {"value": ORG_BAD, "expected": "4"}),
        ({"kind": ""}, "kind", "required", {}),
        ({"kind": "工厂"}, "kind", "kind_unknown", {"value": "工厂"}),
        ({"region": None}, "region", "required", {}),
        ({"region": "32021"}, "region", "region_format", {"value": "32021"}),
        ({"region": "32O214"}, "region", "region_format", {"value": "32O214"}),
        ({"region": 320214.5}, "region", "region_format", {"value": "320214.5"}),
        ({"region": "329999"}, "region", "region_unknown", {"value": "329999"}),
        ({"region": Decimal("Infinity")}, "region", "region_format", {"value": "Infinity"}),
        ({"industry": ""}, "industry", "industry_required", {}),
        ({"industry": "34a"}, "industry", "industry_format", {"value": "34a"}),
        ({"industry": "3"}, "industry", "industry_format", {"value": "3"}),
        ({"industry": "34211"}, "industry", "industry_format", {"value": "34211"}),
        ({"industry": "ABC"}, "industry", "industry_format", {"value": "ABC"}),
        ({"industry": 3421.5}, "industry", "industry_format", {"value": "3421.5"}),
        ({"industry": "9999"}, "industry", "industry_unknown", {"value": "9999"}),
        ({"industry": "0999"}, "industry", "industry_unknown", {"value": "0999"}),
        ({"industry": 9999}, "industry", "industry_unknown", {"value": "9999"}),
        (
            {"industry": 511},
            "industry",
            "industry_ambiguous",
            {"value": "511", "candidates": "511, 0511"},
        ),
        (
            {"industry": 13.0},
            "industry",
            "industry_ambiguous",
            {"value": "13", "candidates": "13, 013"},
        ),
        ({"size": "巨型"}, "size", "size_unknown", {"value": "巨型"}),
        (
            {"founded_year": "1799"},
            "founded_year",
            "year_invalid",
            {"value": "1799", "min": 1800, "max": 2026},
        ),
        (
            {"founded_year": "2027"},
            "founded_year",
            "year_invalid",
            {"value": "2027", "min": 1800, "max": 2026},
        ),
        (
            {"founded_year": "去年"},
            "founded_year",
            "year_invalid",
            {"value": "去年", "min": 1800, "max": 2026},
        ),
        (
            {"founded_year": 2008.5},
            "founded_year",
            "year_invalid",
            {"value": "2008.5", "min": 1800, "max": 2026},
        ),
        ({"employees": "12.5"}, "employees", "integer_invalid", {"value": "12.5"}),
        ({"employees": 12.5}, "employees", "integer_invalid", {"value": "12.5"}),
        ({"employees": "很多"}, "employees", "integer_invalid", {"value": "很多"}),
        ({"employees": True}, "employees", "integer_invalid", {"value": "True"}),
        ({"employees": "-3"}, "employees", "integer_negative", {"value": "-3"}),
        ({"employees": -3}, "employees", "integer_negative", {"value": "-3"}),
        (
            {"employees": "20000000"},
            "employees",
            "too_large",
            {"value": "20000000", "max": 10_000_000},
        ),
        ({"revenue_wan": "abc"}, "revenue_wan", "amount_invalid", {"value": "abc"}),
        ({"revenue_wan": "3,50"}, "revenue_wan", "amount_invalid", {"value": "3,50"}),
        ({"revenue_wan": "-1"}, "revenue_wan", "amount_negative", {"value": "-1"}),
        ({"revenue_wan": "-1.2亿"}, "revenue_wan", "amount_negative", {"value": "-1.2亿"}),
        (
            {"revenue_wan": "2000000亿"},
            "revenue_wan",
            "too_large",
            {"value": "2000000亿", "max": Decimal(10_000_000_000)},
        ),
        (
            {"revenue_wan": "10000000000.01"},
            "revenue_wan",
            "too_large",
            {"value": "10000000000.01", "max": Decimal(10_000_000_000)},
        ),
        ({"address": "路" * 301}, "address", "too_long", {"max": 300, "length": 301}),
        (
            {"website": "ftp://hengrun.com"},
            "website",
            "website_invalid",
            {"value": "ftp://hengrun.com"},
        ),
        ({"website": "恒润官网"}, "website", "website_invalid", {"value": "恒润官网"}),
        (
            {"website": "hengrun.com/" + "a" * 190},
            "website",
            "too_long",
            {"max": 200, "length": 210},
        ),
        ({"description": "简" * 2001}, "description", "too_long", {"max": 2000, "length": 2001}),
        (
            {"products": "、".join(f"产品{i}" for i in range(51))},
            "products",
            "list_too_long",
            {"count": 51, "max": 50},
        ),
        (
            {"capabilities": f"精密加工、{LONG_ITEM}"},
            "capabilities",
            "item_too_long",
            {"value": LONG_ITEM, "max": 50},
        ),
        (
            {"clusters": "不存在集群、wuxi-iot；另一个集群"},
            "clusters",
            "cluster_unknown",
            {"value": "不存在集群、另一个集群"},
        ),
        (
            {"chain_nodes": "集成电路/不存在"},
            "chain_nodes",
            "chain_node_unknown",
            {"value": "集成电路/不存在"},
        ),
        ({"chain_nodes": "封装测试"}, "chain_nodes", "chain_node_unknown", {"value": "封装测试"}),
        ({"contact_name": "张" * 51}, "contact_name", "too_long", {"max": 50, "length": 51}),
        ({"contact_name": ""}, "contact_name", "contact_name_required", {}),
        ({"contact_name": "", "contact_phone": ""}, "contact_name", "contact_name_required", {}),
        ({"contact_phone": "12345"}, "contact_phone", "phone_invalid", {"value": "12345"}),
        (
            {"contact_phone": "12912345678"},
            "contact_phone",
            "phone_invalid",
            {"value": "12912345678"},
        ),
        ({"contact_email": "zhangwei@"}, "contact_email", "email_invalid", {"value": "zhangwei@"}),
    ],
)
def test_error_codes_and_parameters(changes, key, code, params):
    result = check([row(**changes)])
    assert result.records == []
    assert result.invalid_rows == frozenset({1}) and result.rows == 1
    assert result.errors == [error(1, key, code, **params)]


def test_industry_is_required_for_manufacturers_even_without_the_column():
    header = ["名称", "统一社会信用代码", "机构类型", "行政区划代码"]
    result = check(
        [
            ["某某精密有限公司", USCC_A, "制造企业", "320214"],
            ["某某软件有限公司", USCC_B, "服务商", "320214"],
        ],
        header=header,
    )
    assert [r.row for r in result.records] == [2]
    assert result.errors == [CellError(1, "行业代码", "industry_required", {"column": "行业代码"})]


def test_contact_name_required_when_its_column_is_absent():
    header = ["名称", "统一社会信用代码", "机构类型", "行政区划代码", "联系邮箱"]
    result = check([["某某软件有限公司", USCC_B, "服务商", "320214", "a@b.cn"]], header=header)
    assert result.errors == [CellError(1, "联系人", "contact_name_required", {"column": "联系人"})]


def test_all_problems_of_a_row_are_reported_in_file_column_order():
    header = ["联系电话", "机构类型", "名称", "统一社会信用代码", "行政区划代码", "Industry*"]
    result = check([["123", "工厂", "", BAD_CHECK, "329999", "9999"]], header=header)
    assert result.errors == [
        CellError(1, "联系电话", "phone_invalid", {"column": "联系电话", "value": "123"}),
        CellError(1, "机构类型", "kind_unknown", {"column": "机构类型", "value": "工厂"}),
        CellError(1, "名称", "required", {"column": "名称"}),
        CellError(
            1,
            "统一社会信用代码",
            "uscc_check",
            {"column": "统一社会信用代码", "value": BAD_CHECK, "expected": USCC_A[17]},
        ),
        CellError(
            1, "行政区划代码", "region_unknown", {"column": "行政区划代码", "value": "329999"}
        ),
        CellError(1, "Industry*", "industry_unknown", {"column": "Industry", "value": "9999"}),
        CellError(1, "联系人", "contact_name_required", {"column": "联系人"}),
    ]


def test_duplicates_in_the_file_mark_the_later_rows():
    rows = [
        row(),
        row(uscc=USCC_B),
        row(uscc=" " + USCC_A.lower()),  # the same code once normalised
        row(uscc=BAD_CHECK),
        row(uscc=BAD_CHECK),  # invalid codes are reported as invalid, not as duplicates
        row(uscc=USCC_B, region="329999"),
    ]
    result = check(rows)
    assert [r.row for r in result.records] == [1, 2]
    assert result.invalid_rows == frozenset({3, 4, 5, 6})
    assert result.errors == [
        error(3, "uscc", "duplicate_in_file", value=USCC_A, first_row=1),
        error(4, "uscc", "uscc_check", value=BAD_CHECK, expected=USCC_A[17]),
        error(5, "uscc", "uscc_check", value=BAD_CHECK, expected=USCC_A[17]),
        error(6, "uscc", "duplicate_in_file", value=USCC_B, first_row=2),
        error(6, "region", "region_unknown", value="329999"),
    ]


def test_a_first_row_invalid_for_another_reason_still_claims_its_code():
    result = check([row(region="329999"), row()])
    assert result.records == []
    assert result.errors == [
        error(1, "region", "region_unknown", value="329999"),
        error(2, "uscc", "duplicate_in_file", value=USCC_A, first_row=1),
    ]


def test_records_are_equal_to_constructed_ones_and_frozen():
    record = check([row()]).records[0]
    assert record == BASE_RECORD and hash(record.products) == hash(BASE_RECORD.products)
    assert repr(record) == repr(BASE_RECORD)
    with pytest.raises(AttributeError):
        record.name = "x"  # type: ignore[misc]


def test_validation_accepts_any_iterable_of_sequences():
    result = validate_rows(map_header(tuple(HEADER_ZH)), (tuple(row()) for _ in range(1)), CTX)
    assert result.records == [BASE_RECORD]


# --- single-value normalisers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("13912345678", "13912345678"),
        ("+86 139-1234-5678", "13912345678"),
        ("+8613912345678", "13912345678"),
        ("8613912345678", "13912345678"),
        ("0086 139 1234 5678", "13912345678"),
        ("１３９１２３４５６７８", "13912345678"),
        ("0510-85201234", "0510-85201234"),
        ("051085201234", "0510-85201234"),
        ("(0510) 8520 1234", "0510-85201234"),
        ("（0510）85201234", "0510-85201234"),
        ("0510-85201234-801", "0510-85201234-801"),
        ("0510-85201234转801", "0510-85201234-801"),
        ("0510-85201234 ext. 801", "0510-85201234-801"),
        ("010-62345678", "010-62345678"),
        ("01062345678", "010-62345678"),
        ("021 6234 5678", "021-62345678"),
        ("+86 10 6234 5678", "010-62345678"),
        ("+86-510-85201234", "0510-85201234"),
        ("0755-2345678", "0755-2345678"),
        ("400-812-3456", "400-812-3456"),
        ("4008123456", "400-812-3456"),
        ("800 812 3456", "800-812-3456"),
        ("12345", None),
        ("12912345678", None),
        ("139123456789", None),
        ("0510-0123456", None),
        ("0211-2345678", None),
        ("abc", None),
        ("", None),
        ("+1 650 253 0000", None),
    ],
)
def test_normalize_phone(text, phone):
    assert normalize_phone(text) == phone


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("Zhang.Wei@Example.COM", "zhang.wei@example.com"),
        (" a+b@c.com.cn ", "a+b@c.com.cn"),
        ("ａ@example.com", "a@example.com"),
        ("a@b", None),
        ("a b@c.com", None),
        ("@c.com", None),
        ("张伟@example.com", None),
        ("a@-b.com", None),
        ("a@b..com", None),
    ],
)
def test_normalize_email(text, email):
    assert normalize_email(text) == email


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("www.Example.com", "https://www.example.com"),
        ("example.com", "https://example.com"),
        ("HTTP://Example.com/Path?q=1", "http://example.com/Path?q=1"),
        ("example.com.cn:8080/x", "https://example.com.cn:8080/x"),
        ("https://华为.中国", "https://华为.中国"),
        ("ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ", "https://www.example.com"),
        ("ftp://x.com", None),
        ("javascript:alert(1)", None),
        ("localhost", None),
        ("http://", None),
        ("exa mple.com", None),
        ("https://example", None),
        ("-x.com", None),
        ("x.c0m", None),
    ],
)
def test_normalize_website(text, url):
    assert normalize_website(text) == url


# --- the template and the error catalogue ---------------------------------------------------------


def test_template_columns():
    assert [c[0] for c in TEMPLATE_COLUMNS] == KEYS
    assert [c[1] for c in TEMPLATE_COLUMNS] == HEADER_ZH
    assert [c[2] for c in TEMPLATE_COLUMNS] == HEADER_EN
    assert [c[0] for c in TEMPLATE_COLUMNS if c[3]] == ["name", "uscc", "kind", "region"]
    for key, _zh, en, required, example, zh_desc, en_desc in TEMPLATE_COLUMNS:
        assert isinstance(required, bool) and isinstance(example, str)
        assert zh_desc and en_desc and key == en
    assert len(COLUMNS) == len(TEMPLATE_COLUMNS)


def test_the_template_example_row_is_valid():
    header = [zh + ("*" if required else "") for _k, zh, _e, required, *_rest in TEMPLATE_COLUMNS]
    example = [c[4] for c in TEMPLATE_COLUMNS]
    result = check([example], header=header)
    assert result.errors == []
    assert result.records[0].uscc == "91320214MA1W0X3K0B"


def test_error_code_constants_match_the_catalogue():
    constants = {
        value
        for name, value in vars(columns_module).items()
        if name.isupper() and isinstance(value, str) and value in ERROR_CODES
    }
    assert constants == set(ERROR_CODES)
    assert len(ERROR_CODES) == 33
    assert all(description and "\n" not in description for description in ERROR_CODES.values())


def _messages_module() -> dict[str, str]:
    """code → English msgid, read from the Django-side module without importing Django."""
    tree = ast.parse((SRC / "zhizao" / "registry" / "import_messages.py").read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "MESSAGES":
            assert isinstance(node.value, ast.Dict)
            return {
                key.value: value.args[0].value  # type: ignore[union-attr]
                for key, value in zip(node.value.keys, node.value.values, strict=True)
            }
    raise AssertionError("MESSAGES not found")


def _chinese() -> dict[str, str]:
    """English msgid → Chinese msgstr from the zh_Hans catalogue (a minimal .po reader)."""
    po = SRC / "zhizao" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    catalogue: dict[str, str] = {}
    current: list[str] | None = None
    msgid: list[str] = []
    msgstr: list[str] = []

    def unquote(text: str) -> str:
        return text.strip()[1:-1].replace('\\"', '"').replace("\\n", "\n")

    for line in [*po.read_text("utf-8").splitlines(), ""]:
        if line.startswith("msgid "):
            msgid, msgstr = [unquote(line[6:])], []
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [unquote(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(unquote(line))
        elif not line.strip():
            if msgid and "".join(msgid):
                catalogue["".join(msgid)] = "".join(msgstr)
            msgid, msgstr, current = [], [], None
    return catalogue


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", text))


def test_every_error_code_has_an_english_and_a_chinese_message():
    messages = _messages_module()
    chinese = _chinese()
    assert set(ERROR_CODES) <= set(messages)
    for msgid in messages.values():
        msgstr = chinese.get(msgid)
        assert msgstr, f"no Chinese for {msgid!r}"
        assert _placeholders(msgid) == _placeholders(msgstr), msgid
        assert re.search(r"[\u4e00-\u9fff]", msgstr)


def test_every_error_code_is_produced_and_its_messages_render():
    """One file that triggers every row-level code; every error renders in both languages with
    exactly the parameters it carries."""
    header = map_header([*HEADER_ZH, "名称", "Kind"])
    missing = map_header(["地址"])
    rows = [row(), row(uscc=USCC_B)]
    for changes in [
        {"name": "某"},
        {"name": "厂" * 201},
        {"uscc": ""},
        {"uscc": "9132021"},
        {"uscc": "91320214MA1W0X3KIB"},
        {"uscc": "9132A214MA1W0X3K0B"},
        {"uscc": BAD_CHECK},
        {"uscc": ORG_BAD},
        {"kind": "工厂"},
        {"region": "32021"},
        {"region": "329999"},
        {"industry": ""},
        {"industry": "34a"},
        {"industry": "9999"},
        {"industry": 511},
        {"size": "巨型"},
        {"founded_year": "1799"},
        {"employees": "12.5"},
        {"employees": "-3"},
        {"employees": "20000000"},
        {"revenue_wan": "abc"},
        {"revenue_wan": "-1"},
        {"website": "ftp://x.com"},
        {"products": "、".join(map(str, range(51)))},
        {"capabilities": LONG_ITEM},
        {"clusters": "不存在"},
        {"chain_nodes": "不存在"},
        {"contact_name": ""},
        {"contact_phone": "12345"},
        {"contact_email": "a@"},
    ]:
        rows.append(row(**{"uscc": make_uscc(region="320214", serial=len(rows)), **changes}))
    rows.append(row(uscc=USCC_A))
    result = validate_rows(map_header(HEADER_ZH), rows, CTX)
    errors = header.errors + missing.errors + result.errors
    assert {e.code for e in errors} == set(ERROR_CODES)
    messages, chinese = _messages_module(), _chinese()
    for e in errors:
        english = messages[e.code] % dict(e.params)
        assert "%(" not in english
        text = chinese[messages[e.code]] % dict(e.params)
        assert "%(" not in text and text


def test_chinese_messages_read_as_an_operator_expects():
    messages, chinese = _messages_module(), _chinese()

    def zh(code: str, **params: object) -> str:
        return chinese[messages[code]] % params

    assert zh("uscc_check", expected="3") == "统一社会信用代码校验位错误，应为 3"
    assert zh("region_unknown", value="329999") == "行政区划代码 329999 不存在"
    assert zh("duplicate_in_file", first_row=3) == "与第 3 行的统一社会信用代码重复"
    assert zh("missing_column", column="统一社会信用代码") == "缺少必填列「统一社会信用代码」"
