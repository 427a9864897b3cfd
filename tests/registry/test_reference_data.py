"""Integrity of the reference data files shipped in ``zhizao/registry/data``.

Plain pytest: reads the CSV and YAML files directly (no Django, no database), so a broken row
is reported with its code before any loader sees it.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[2] / "src/zhizao/registry/data"

INDUSTRY_HEADER = ["code", "level", "parent", "name_zh", "name_en"]
REGION_HEADER = ["code", "level", "parent", "name_zh", "name_en", "valid_from", "valid_to"]
SECTION_DIVISIONS = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}
MANUFACTURING = {f"{n:02d}" for n in range(13, 44)}
# Divisions whose groups and classes are shipped in full.
DETAILED_DIVISIONS = MANUFACTURING | {"65", "66"}
RETIRED_WUXI = {"320202": "崇安区", "320203": "南长区", "320204": "北塘区"}
POSITIONS = {"upstream", "midstream", "downstream"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@cache
def _raw(name: str) -> bytes:
    return (DATA / name).read_bytes()


@cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def industries() -> tuple[dict[str, str], ...]:
    return _rows("industries.csv")


def regions() -> tuple[dict[str, str], ...]:
    return _rows("regions.csv")


@cache
def industry_by_code() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in industries()}


@cache
def region_by_code() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in regions()}


@cache
def examples() -> dict:
    with open(DATA / "clusters.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _industry_level_count(level: str, divisions: set[str] | None = None) -> int:
    return sum(
        1
        for row in industries()
        if row["level"] == level and (divisions is None or row["code"][:2] in divisions)
    )


# --- file format -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["industries.csv", "regions.csv", "clusters.yaml", "SOURCES.md"])
def test_files_are_utf8_with_lf_line_endings(name):
    raw = _raw(name)
    raw.decode("utf-8")
    assert b"\r" not in raw
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    assert raw.endswith(b"\n")


@pytest.mark.parametrize(
    ("name", "header"), [("industries.csv", INDUSTRY_HEADER), ("regions.csv", REGION_HEADER)]
)
def test_csv_header_sorting_and_clean_cells(name, header):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader) == header
        body = list(reader)
    assert all(len(row) == len(header) for row in body)
    codes = [row[0] for row in body]
    assert codes == sorted(codes), "rows are sorted by code"
    assert len(codes) == len(set(codes)), "codes are unique"
    for row in body:
        assert all(cell == cell.strip() for cell in row), row
        assert row[3] and row[4], f"{row[0]} needs both names"


# --- industries (GB/T 4754-2017) ---------------------------------------------------------------


def test_industry_levels_and_code_shapes():
    shapes = {"section": r"[A-T]", "division": r"\d{2}", "group": r"\d{3}", "class": r"\d{4}"}
    for row in industries():
        assert row["level"] in shapes, row
        assert re.fullmatch(shapes[row["level"]], row["code"]), row


def test_industry_parents_exist_and_follow_the_code_hierarchy():
    by_code = industry_by_code()
    parent_level = {"division": "section", "group": "division", "class": "group"}
    for row in industries():
        code, level, parent = row["code"], row["level"], row["parent"]
        if level == "section":
            assert parent == "", row
            continue
        assert parent in by_code, f"{code}: missing parent {parent!r}"
        assert by_code[parent]["level"] == parent_level[level], row
        if level == "division":
            low, high = SECTION_DIVISIONS[parent]
            assert low <= int(code) <= high, row
        else:
            assert code.startswith(parent) and len(code) == len(parent) + 1, row


def test_industry_counts():
    assert _industry_level_count("section") == 20
    assert [r["code"] for r in industries() if r["level"] == "section"] == list(
        "ABCDEFGHIJKLMNOPQRST"
    )
    divisions = {r["code"] for r in industries() if r["level"] == "division"}
    assert len(divisions) == 97
    assert divisions == {f"{n:02d}" for n in range(1, 98)}
    assert {r["code"] for r in industries() if r["parent"] == "C"} == MANUFACTURING
    # GB/T 4754-2017 manufacturing: 31 divisions, 179 groups, 609 classes.
    assert _industry_level_count("group", MANUFACTURING) == 179
    assert _industry_level_count("class", MANUFACTURING) == 609
    assert _industry_level_count("group", {"65"}) == 8
    assert _industry_level_count("class", {"65"}) == 15
    assert _industry_level_count("group", {"66"}) == 5
    assert _industry_level_count("class", {"66"}) == 16
    assert _industry_level_count("group") == 192
    assert _industry_level_count("class") == 640


def test_groups_and_classes_only_where_shipped_in_full():
    for row in industries():
        if row["level"] in ("group", "class"):
            assert row["code"][:2] in DETAILED_DIVISIONS, row


def test_every_detailed_division_and_group_has_children():
    children = Counter(row["parent"] for row in industries())
    for row in industries():
        if row["level"] == "division" and row["code"] in DETAILED_DIVISIONS:
            assert children[row["code"]], row
        if row["level"] == "group":
            assert children[row["code"]], row


def test_single_class_groups_use_code_zero_and_the_group_name():
    by_code = industry_by_code()
    classes_of: dict[str, list[str]] = {}
    for row in industries():
        if row["level"] == "class":
            classes_of.setdefault(row["parent"], []).append(row["code"])
    for group, classes in classes_of.items():
        if len(classes) == 1:
            (only,) = classes
            assert only == group + "0", only
            assert by_code[only]["name_zh"] == by_code[group]["name_zh"], only
        else:
            assert not any(code.endswith("0") for code in classes), group


@pytest.mark.parametrize(
    ("code", "name_zh"),
    [
        ("C", "制造业"),
        ("13", "农副食品加工业"),
        ("131", "谷物磨制"),
        ("1311", "稻谷加工"),
        ("34", "通用设备制造业"),
        ("342", "金属加工机械制造"),
        ("3421", "金属切削机床制造"),
        ("3491", "工业机器人制造"),
        ("3612", "新能源车整车制造"),
        ("3737", "海洋工程装备制造"),
        ("3825", "光伏设备及元器件制造"),
        ("3841", "锂离子电池制造"),
        ("39", "计算机、通信和其他电子设备制造业"),
        ("3973", "集成电路制造"),
        ("43", "金属制品、机械和设备修理业"),
        ("4390", "其他机械和设备修理业"),
        ("65", "软件和信息技术服务业"),
        ("6520", "集成电路设计"),
        ("6532", "物联网技术服务"),
        ("66", "货币金融服务"),
        ("6621", "商业银行服务"),
    ],
)
def test_industry_spot_checks(code, name_zh):
    assert industry_by_code()[code]["name_zh"] == name_zh


def test_industry_english_names():
    assert industry_by_code()["3421"]["name_en"] == "Manufacture of metal-cutting machine tools"
    for row in industries():
        assert row["name_en"].isascii(), row
        assert row["name_en"][0].isupper(), row


# --- regions (GB/T 2260) ------------------------------------------------------------------------


def test_region_levels_parents_and_code_prefixes():
    by_code = region_by_code()
    for row in regions():
        code, level, parent = row["code"], row["level"], row["parent"]
        assert re.fullmatch(r"\d{6}", code), row
        if level == "province":
            assert code.endswith("0000") and parent == "", row
        elif level == "city":
            assert code.endswith("00") and not code.endswith("0000"), row
            assert parent == code[:2] + "0000", row
        elif level == "district":
            assert not code.endswith("00"), row
            assert parent == code[:4] + "00", row
        else:
            pytest.fail(f"unknown level in {row}")
        if parent:
            assert parent in by_code, f"{code}: missing parent {parent}"
            expected = {"city": "province", "district": "city"}[level]
            assert by_code[parent]["level"] == expected, row


def test_region_counts():
    levels = Counter(row["level"] for row in regions())
    assert levels == {"province": 4, "city": 41, "district": 308}
    assert {r["code"] for r in regions() if r["level"] == "province"} == {
        "310000",
        "320000",
        "330000",
        "340000",
    }
    cities = Counter(r["code"][:2] for r in regions() if r["level"] == "city")
    assert cities == {"31": 1, "32": 13, "33": 11, "34": 16}
    current = Counter(
        r["code"][:2] for r in regions() if r["level"] == "district" and not r["valid_to"]
    )
    assert current == {"31": 16, "32": 95, "33": 90, "34": 104}


def test_shanghai_districts_hang_off_the_municipal_city_row():
    by_code = region_by_code()
    assert by_code["310100"]["level"] == "city"
    assert by_code["310100"]["name_zh"] == "上海市"
    assert by_code["310100"]["parent"] == "310000"
    districts = [r for r in regions() if r["code"].startswith("31") and r["level"] == "district"]
    assert len(districts) == 16
    assert all(r["parent"] == "310100" for r in districts)


def test_retired_wuxi_districts_and_validity_dates():
    by_code = region_by_code()
    for code, name in RETIRED_WUXI.items():
        row = by_code[code]
        assert (row["name_zh"], row["parent"], row["valid_to"]) == (name, "320200", "2015-10-01")
    assert by_code["320213"]["name_zh"] == "梁溪区" and not by_code["320213"]["valid_to"]
    for row in regions():
        assert row["valid_from"] == "", row
        if row["code"] not in RETIRED_WUXI:
            assert row["valid_to"] == "", row
        else:
            dt.date.fromisoformat(row["valid_to"])


@pytest.mark.parametrize(
    ("code", "name_zh", "name_en"),
    [
        ("310000", "上海市", "Shanghai"),
        ("310115", "浦东新区", "Pudong New Area"),
        ("310112", "闵行区", "Minhang District"),
        ("320000", "江苏省", "Jiangsu"),
        ("320200", "无锡市", "Wuxi"),
        ("320214", "新吴区", "Xinwu District"),
        ("320281", "江阴市", "Jiangyin City"),
        ("320282", "宜兴市", "Yixing City"),
        ("320481", "溧阳市", "Liyang City"),
        ("321200", "泰州市", "Taizhou"),
        ("330000", "浙江省", "Zhejiang"),
        ("330382", "乐清市", "Yueqing City"),
        ("330522", "长兴县", "Changxing County"),
        ("331000", "台州市", "Taizhou"),
        ("331100", "丽水市", "Lishui"),
        ("331127", "景宁畲族自治县", "Jingning She Autonomous County"),
        ("340000", "安徽省", "Anhui"),
        ("340300", "蚌埠市", "Bengbu"),
        ("341181", "天长市", "Tianchang City"),
        ("341500", "六安市", "Lu'an"),
        ("341600", "亳州市", "Bozhou"),
    ],
)
def test_region_spot_checks(code, name_zh, name_en):
    row = region_by_code()[code]
    assert (row["name_zh"], row["name_en"]) == (name_zh, name_en)


def test_region_english_names_match_the_chinese_suffix():
    for row in regions():
        name_zh, name_en = row["name_zh"], row["name_en"]
        assert re.fullmatch(r"[A-Z][A-Za-z' ]+", name_en), row
        if row["level"] != "district":
            assert " " not in name_en, row
        elif name_zh.endswith("自治县"):
            assert name_en.endswith(" Autonomous County"), row
        elif name_zh.endswith("新区"):
            assert name_en.endswith(" New Area"), row
        else:
            suffix = {"区": " District", "县": " County", "市": " City"}[name_zh[-1]]
            assert name_en.endswith(suffix), row


# --- clusters and chains (example data) ------------------------------------------------------------


def test_examples_have_clusters_and_chains():
    data = examples()
    assert set(data) == {"clusters", "chains"}
    assert len(data["clusters"]) == 13
    assert len(data["chains"]) >= 12


def test_cluster_codes_unique_and_regions_exist():
    codes = [item["code"] for item in examples()["clusters"]]
    assert len(codes) == len(set(codes))
    for item in examples()["clusters"]:
        assert SLUG.match(item["code"]) and len(item["code"]) <= 60, item["code"]
        region = region_by_code().get(item["region"])
        assert region is not None and region["level"] in ("province", "city"), item["code"]
        for key in ("name_zh", "name_en", "description_zh", "description_en"):
            assert isinstance(item[key], str) and item[key].strip(), (item["code"], key)


def test_chain_codes_unique_and_clusters_exist():
    clusters = {item["code"] for item in examples()["clusters"]}
    chains = examples()["chains"]
    codes = [chain["code"] for chain in chains]
    assert len(codes) == len(set(codes))
    for chain in chains:
        assert SLUG.match(chain["code"]) and len(chain["code"]) <= 60, chain["code"]
        assert chain["cluster"] in clusters, chain["code"]
        region = region_by_code().get(chain["region"])
        assert region is not None and region["level"] in ("province", "city"), chain["code"]
        for key in ("name_zh", "name_en", "description_zh", "description_en"):
            assert isinstance(chain[key], str) and chain[key].strip(), (chain["code"], key)
    assert clusters == {chain["cluster"] for chain in chains}, "every cluster has a chain"


def test_chain_nodes():
    industry_codes = set(industry_by_code())
    order = {"upstream": 0, "midstream": 1, "downstream": 2}
    node_codes = []
    for chain in examples()["chains"]:
        nodes = chain["nodes"]
        assert 6 <= len(nodes) <= 12, chain["code"]
        positions = [node["position"] for node in nodes]
        assert set(positions) == POSITIONS, f"{chain['code']} spans up-, mid- and downstream"
        ranks = [order[p] for p in positions]
        assert ranks == sorted(ranks), f"{chain['code']} lists nodes upstream first"
        for node in nodes:
            node_codes.append(node["code"])
            assert SLUG.match(node["code"]) and len(node["code"]) <= 80, node["code"]
            assert node["name_zh"].strip() and node["name_en"].strip(), node["code"]
            assert node["industries"], node["code"]
            for code in node["industries"]:
                assert isinstance(code, str), f"{node['code']}: quote industry code {code!r}"
                assert code in industry_codes, f"{node['code']}: unknown industry {code}"
            assert node["keywords"], node["code"]
            assert all(isinstance(k, str) and k.strip() for k in node["keywords"]), node["code"]
    assert len(node_codes) == len(set(node_codes)), "node codes are unique across chains"
