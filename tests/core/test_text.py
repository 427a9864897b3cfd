"""Chinese text helpers: half-width, search text, lists, sorting, amounts and money."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhizao_core.text import (
    AmountError,
    chinese_sort_key,
    format_cny,
    format_count,
    format_wan_short,
    normalize_search_text,
    organization_name_key,
    parse_amount,
    split_list,
    to_halfwidth,
)

# --- normalisation -------------------------------------------------------------------------------


def test_to_halfwidth_maps_the_fullwidth_ascii_block_only():
    assert to_halfwidth("ＡＢＣ１２３，！（）　ｘ") == "ABC123,!() x"
    assert to_halfwidth("数控车床、加工中心。①㎡") == "数控车床、加工中心。①㎡"
    assert to_halfwidth("") == ""


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("无锡恒润精密机械有限公司", "无锡恒润精密机械有限公司"),
        ("无锡恒润（集团）有限公司", "无锡恒润(集团)有限公司"),
        (" 无锡 恒润\u3000(集团)有限公司 ", "无锡恒润(集团)有限公司"),
        ("无锡恒润\u200b精密\u2060机械有限公司\u200e", "无锡恒润精密机械有限公司"),
        ("ＡＢＣ Precision Ltd.", "abcprecisionltd."),
        ("", ""),
    ],
)
def test_organization_name_key(name, key):
    assert organization_name_key(name) == key


def test_normalize_search_text():
    assert (
        normalize_search_text("无锡ＡＢＣ  精密", None, "", " MES\tWMS ")
        == "无锡abc 精密 | mes wms"
    )
    assert normalize_search_text("Straße") == "strasse"
    assert normalize_search_text(None, "", "   ") == ""
    assert normalize_search_text("一") == "一"


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("数控车床、加工中心；减速机", ["数控车床", "加工中心", "减速机"]),
        ("a;b；c,d，e/f／g|h｜i\nj\r\nk､l", list("abcdefghijkl")),
        (" 车床 、、 铣床 ;\u3000车床 ", ["车床", "铣床"]),
        ("ISO 9001, IATF 16949", ["ISO 9001", "IATF 16949"]),
        ("", []),
        (None, []),
        ("、；,", []),
    ],
)
def test_split_list(text, items):
    assert split_list(text) == items


def test_chinese_sort_key_orders_common_characters_by_pinyin():
    names = ["张三", "李四", "王五", "阿里", "北京", "中国", "赵六", "钱七"]
    assert sorted(names, key=chinese_sort_key) == [
        "阿里",
        "北京",
        "李四",
        "钱七",
        "王五",
        "张三",
        "赵六",
        "中国",
    ]


def test_chinese_sort_key_places_ascii_first_and_unencodable_last():
    words = ["😀", "无锡", "ABC", "Ａpple", "123", "䶵"]  # U+4DB5 is outside GBK
    assert sorted(words, key=chinese_sort_key) == ["123", "ABC", "Ａpple", "无锡", "䶵", "😀"]
    assert chinese_sort_key("Ａ") == chinese_sort_key("A") == (0x41,)
    assert chinese_sort_key("阿") == (0xB0A2,)
    # GBK extension characters (not GB 2312) sort after the GB 2312 area
    assert chinese_sort_key("丂")[0] > chinese_sort_key("齄")[0]
    assert chinese_sort_key("") == ()


# --- amounts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "wan", "yuan"),
    [
        (3500, Decimal("3500"), Decimal("3500")),
        (3500.0, Decimal("3500"), Decimal("3500")),
        (0.1, Decimal("0.1"), Decimal("0.1")),
        (12.345678, Decimal("12.3457"), Decimal("12.35")),
        (Decimal("1200.50"), Decimal("1200.5"), Decimal("1200.5")),
        ("3,500", Decimal("3500"), Decimal("3500")),
        ("1,234,567.8", Decimal("1234567.8"), Decimal("1234567.8")),
        ("３５００", Decimal("3500"), Decimal("3500")),
        ("３，５００万元", Decimal("3500"), Decimal("35000000")),
        ("3500万", Decimal("3500"), Decimal("35000000")),
        ("3500万元", Decimal("3500"), Decimal("35000000")),
        ("1.2亿", Decimal("12000"), Decimal("120000000")),
        ("1.2亿元", Decimal("12000"), Decimal("120000000")),
        ("50000元", Decimal("5"), Decimal("50000")),
        ("1千万", Decimal("1000"), Decimal("10000000")),
        ("2千万元", Decimal("2000"), Decimal("20000000")),
        ("800千元", Decimal("80"), Decimal("800000")),
        ("3百万", Decimal("300"), Decimal("3000000")),
        ("¥ 1,000 元", Decimal("0.1"), Decimal("1000")),
        ("￥12.5万", Decimal("12.5"), Decimal("125000")),
        ("RMB 2亿", Decimal("20000"), Decimal("200000000")),
        ("0", Decimal("0"), Decimal("0")),
        ("-0", Decimal("0"), Decimal("0")),
        (".5万", Decimal("0.5"), Decimal("5000")),
        ("1元", Decimal("0.0001"), Decimal("1")),
        ("0.4元", Decimal("0"), Decimal("0.4")),
    ],
)
def test_parse_amount(value, wan, yuan):
    assert parse_amount(value) == wan
    assert parse_amount(value, unit="wan") == wan
    assert parse_amount(value, unit="yuan") == yuan


def test_parse_amount_results_have_no_exponent_and_no_float_artefacts():
    assert str(parse_amount(3500.0)) == "3500"
    assert str(parse_amount("1.2亿")) == "12000"
    assert str(parse_amount(0.1 + 0.2)) == "0.3"
    assert str(parse_amount("12.50")) == "12.5"
    assert parse_amount("12.345", places=2) == Decimal("12.35")  # half up
    assert parse_amount("12.344", places=2) == Decimal("12.34")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "amount_invalid"),
        ("abc", "amount_invalid"),
        ("3,50", "amount_invalid"),  # not a thousands grouping: refused rather than guessed
        ("1,2345", "amount_invalid"),
        ("12万万", "amount_invalid"),
        ("3500美元", "amount_invalid"),
        ("1e5", "amount_invalid"),
        ("三千五百万", "amount_invalid"),
        (None, "amount_invalid"),
        (True, "amount_invalid"),
        (float("nan"), "amount_invalid"),
        (float("inf"), "amount_invalid"),
        (Decimal("NaN"), "amount_invalid"),
        ([3500], "amount_invalid"),
        (1e300, "amount_invalid"),
        (-1, "amount_negative"),
        (-0.5, "amount_negative"),
        ("-3500", "amount_negative"),
        ("-1.2亿", "amount_negative"),
        (Decimal("-0.01"), "amount_negative"),
    ],
)
def test_parse_amount_errors(value, code):
    with pytest.raises(AmountError) as info:
        parse_amount(value)
    assert info.value.code == code
    assert isinstance(info.value, ValueError)


def test_parse_amount_refuses_unknown_units():
    with pytest.raises(ValueError):
        parse_amount("1", unit="usd")
    with pytest.raises(ValueError):
        parse_amount("1", places=9)


# --- formatting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yuan", "zh", "en"),
    [
        (0, "0元", "¥0"),
        (8000, "8,000元", "¥8,000"),
        (8000.5, "8,000.5元", "¥8,000.5"),
        (Decimal("9999.99"), "9,999.99元", "¥9,999.99"),
        (Decimal("9999.996"), "1万元", "¥10,000"),  # rounds up into the next unit
        (10_000, "1万元", "¥10,000"),
        (125_000, "12.5万元", "¥125,000"),
        (123_456, "12.35万元", "¥123,456"),
        (999_999, "100万元", "¥999,999"),
        (1_000_000, "100万元", "¥1 million"),
        (35_000_000, "3,500万元", "¥35 million"),
        (99_999_999, "1亿元", "¥100 million"),
        (120_000_000, "1.2亿元", "¥120 million"),
        (999_999_999, "10亿元", "¥1 billion"),
        (1_200_000_000, "12亿元", "¥1.2 billion"),
        (14_000_000_000, "140亿元", "¥14 billion"),
        (1_234_567_890_000, "12,345.68亿元", "¥1,234.57 billion"),
        (-50_000, "-5万元", "-¥50,000"),
        (Decimal("-0.001"), "0元", "¥0"),
    ],
)
def test_format_cny(yuan, zh, en):
    assert format_cny(yuan) == zh
    assert format_cny(yuan, lang="zh-hans") == zh
    assert format_cny(yuan, lang="en") == en
    assert format_cny(yuan, lang="en-gb") == en


def test_format_count_keeps_exact_counts():
    assert format_count(12_345) == "12,345"
    assert format_count(12_345, "en") == "12,345"
    assert format_count(0) == "0"
    assert format_count(1_000_000) == "1,000,000"


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0"),
        (999, "999"),
        (9_999, "9999"),
        (10_000, "1万"),
        (12_345, "1.2万"),
        (15_500, "1.6万"),
        (99_999, "10万"),
        (1_234_567, "123.5万"),
        (99_999_999, "1亿"),
        (120_000_000, "1.2亿"),
        (14_000_000_000, "140亿"),
        (Decimal("12.5"), "12.5"),
        (-12_345, "-1.2万"),
    ],
)
def test_format_wan_short(n, text):
    assert format_wan_short(n) == text


def test_plain_number_never_writes_an_exponent():
    from zhizao_core.text.amounts import plain_number

    assert [plain_number(Decimal(v)) for v in ("100", "100.00", "0.35", "2.50", "0")] == [
        "100",
        "100",
        "0.35",
        "2.5",
        "0",
    ]
    assert plain_number(1000) == "1000"
