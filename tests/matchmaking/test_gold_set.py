"""The matchmaking gold set is well formed and consistent with its own rules.

The files are data that the evaluation trusts, so these checks fail on a typo in an id, a code
that is not in the registry's reference tables, or a grade that contradicts a demand's musts.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from zhizao_core.matching.evaluate import split_demands
from zhizao_core.matching.lexicon import resolve_category
from zhizao_core.matching.vocabulary import (
    CATEGORIES,
    CERTIFICATIONS,
    KINDS,
    LEVELLED_CERTIFICATIONS,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "zhizao"
GOLD = SRC / "matchmaking" / "data" / "gold"
REFERENCE = SRC / "registry" / "data"

#: demands for which the catalogue has nothing good (supply gaps): every grade is at most 1
GAP_DEMANDS = {"d060", "d070", "d082", "d114", "d120", "d129", "d150", "d169"}
MUST_KINDS = {"certification", "region", "industry_case", "category", "text"}
CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


def _load(name):
    return json.loads((GOLD / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gold():
    offerings = _load("catalogue.json")
    demands = _load("demands.json")
    judgments = _load("judgments.json")
    return offerings, demands, judgments


@pytest.fixture(scope="module")
def reference():
    with (REFERENCE / "industries.csv").open(encoding="utf-8") as f:
        industries = {row["code"] for row in csv.DictReader(f)}
    with (REFERENCE / "regions.csv").open(encoding="utf-8") as f:
        regions = {row["code"] for row in csv.DictReader(f)}
    return industries, regions


def _covers(offering_region: str, region: str) -> bool:
    """A province or city code covers the codes under it ("320000" covers "320412")."""
    prefix = offering_region
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return region.startswith(prefix)


def _level(offering, family: str):
    levels = []
    for cert in offering["certifications"]:
        if cert.startswith(family):
            rest = cert[len(family) :]
            match = re.search(r"[1-5一二三四五]", rest)
            if match:
                levels.append(
                    int(match.group()) if match.group().isdigit() else CN_DIGITS[match.group()]
                )
    return max(levels, default=None)


def _same_industry(a: str, b: str) -> bool:
    if len(a) >= 3 and len(b) >= 3:
        return a[:3] == b[:3]
    return a.startswith(b) or b.startswith(a)


def _unmet(requirement, offering, demand):
    """The structured requirements the test can check; None when it cannot judge this one."""
    if isinstance(requirement, dict):
        kind = requirement["kind"]
        if kind == "region":
            return not any(_covers(r, requirement["value"]) for r in offering["regions"])
        if kind == "certification":
            if "min_level" in requirement:
                level = _level(offering, requirement["value"])
                return level is None or level < requirement["min_level"]
            return requirement["value"] not in offering["certifications"]
        if kind == "industry_case":
            return not any(
                _same_industry(c["industry"], requirement["value"]) for c in offering["cases"]
            )
        return None
    if requirement == "本地服务团队":
        return not any(_covers(r, demand["region"]) for r in offering["regions"])
    if requirement == "同行业案例":
        return not any(_same_industry(c["industry"], demand["industry"]) for c in offering["cases"])
    if match := re.fullmatch(r"CMMI(\d)(及以上)?", requirement):
        level = _level(offering, "CMMI")
        return level is None or level < int(match.group(1))
    if match := re.fullmatch(r"等保(.)级(及以上)?", requirement):
        level = _level(offering, "等保")
        return level is None or level < CN_DIGITS[match.group(1)]
    if requirement in CERTIFICATIONS:
        return requirement not in offering["certifications"]
    return None


def test_sizes(gold):
    offerings, demands, judgments = gold
    assert len(offerings) >= 300
    assert len(demands) >= 150
    assert len(judgments) >= 15 * len(demands)


def test_ids_are_unique_and_sequential(gold):
    offerings, demands, _ = gold
    assert [o["id"] for o in offerings] == [f"o{n:03d}" for n in range(1, len(offerings) + 1)]
    assert [d["id"] for d in demands] == [f"d{n:03d}" for n in range(1, len(demands) + 1)]


def test_offerings_follow_the_contract(gold, reference):
    offerings, _, _ = gold
    industries, regions = reference
    fields = {
        "id",
        "kind",
        "title",
        "description",
        "categories",
        "industries",
        "regions",
        "certifications",
        "cases",
    }
    for o in offerings:
        assert fields <= set(o) <= fields | {"provider"}, o["id"]
        assert o["kind"] in KINDS, o["id"]
        assert o["title"].strip() and len(o["description"]) >= 20, o["id"]
        assert o["categories"] and set(o["categories"]) <= set(CATEGORIES), o["id"]
        assert o["industries"] and set(o["industries"]) <= industries, o["id"]
        assert o["regions"] and set(o["regions"]) <= regions, o["id"]
        for cert in o["certifications"]:
            assert cert in CERTIFICATIONS or any(
                cert.startswith(p) for p in LEVELLED_CERTIFICATIONS
            ), (o["id"], cert)
        assert len(o["cases"]) <= 4, o["id"]
        for case in o["cases"]:
            assert set(case) == {"title", "industry", "region", "result"}, o["id"]
            assert case["industry"] in industries and case["region"] in regions, (o["id"], case)
            assert case["title"].strip() and case["result"].strip(), o["id"]
        if o["kind"] == "financial":
            assert o["categories"] == ["financing"], o["id"]


def test_every_category_and_kind_is_covered(gold):
    offerings, demands, _ = gold
    per_category = Counter(c for o in offerings for c in o["categories"])
    assert {c: n for c, n in per_category.items() if n < 10} == {}
    assert set(per_category) == set(CATEGORIES)
    assert {o["kind"] for o in offerings} == set(KINDS)
    assert {d["category"] for d in demands if "style" not in d} == set(CATEGORIES)


def _check_requirement(requirement, where):
    if isinstance(requirement, str):
        assert requirement.strip(), where
        return
    assert isinstance(requirement, dict), where
    assert requirement["kind"] in MUST_KINDS, where
    assert isinstance(requirement["value"], str) and requirement["value"], where
    if "min_level" in requirement:
        assert (
            requirement["kind"] == "certification"
            and requirement["value"] in LEVELLED_CERTIFICATIONS
        ), where
        assert isinstance(requirement["min_level"], int), where
    if requirement["kind"] == "category":
        assert requirement["value"] in CATEGORIES, where


def test_demands_follow_the_contract(gold, reference):
    _, demands, _ = gold
    industries, regions = reference
    fields = {"id", "title", "description", "category", "industry", "region", "budget_yuan", "must"}
    for d in demands:
        assert fields <= set(d) <= fields | {"nice", "style"}, d["id"]
        style = d.get("style", "category_given")
        if style == "problem_only":
            assert d["category"] is None, d["id"]
        elif style == "wrong_category":
            assert d["category"] in CATEGORIES, d["id"]
        else:  # a code, or (issue 16) a name or alias a person would write
            assert style == "category_given", d["id"]
            assert resolve_category(d["category"]) in CATEGORIES, d["id"]
        assert d["industry"] in industries, d["id"]
        assert re.fullmatch(r"\d{6}", d["region"]) and d["region"] in regions, d["id"]
        assert d["title"].strip() and d["description"].strip(), d["id"]
        if d["budget_yuan"] is not None:
            assert isinstance(d["budget_yuan"], str), d["id"]
            try:
                assert Decimal(d["budget_yuan"]) > 0, d["id"]
            except InvalidOperation:
                pytest.fail(f"{d['id']}.budget_yuan is not a decimal string")
        assert len(d["must"]) <= 3, d["id"]
        for n, requirement in enumerate(d["must"] + d.get("nice", [])):
            _check_requirement(requirement, f"{d['id']}[{n}]")


def test_the_managers_demands_and_their_test_split(gold):
    """Issue 16: at least 80 demands written as factory managers write, of every type, with at
    least 30 of them in the test split that tuning never sees."""
    _, demands, _ = gold
    styled = [d for d in demands if "style" in d]
    assert len(styled) >= 80
    assert Counter(d["style"] for d in styled) == {
        "problem_only": 61,
        "wrong_category": 15,
        "category_given": 12,
    }
    _, test = split_demands([d["id"] for d in styled])
    assert len(test) >= 30


def test_judgments_refer_to_existing_ids_with_grades_and_reasons(gold):
    offerings, demands, judgments = gold
    offering_ids = {o["id"] for o in offerings}
    demand_ids = {d["id"] for d in demands}
    pairs = Counter((j["demand"], j["offering"]) for j in judgments)
    assert [p for p, n in pairs.items() if n > 1] == []
    for j in judgments:
        assert set(j) == {"demand", "offering", "grade", "reason"}, j
        assert j["demand"] in demand_ids and j["offering"] in offering_ids, j
        assert j["grade"] in (0, 1, 2, 3) and type(j["grade"]) is int, j
        assert isinstance(j["reason"], str) and j["reason"].strip(), j


def test_every_demand_has_fifteen_judgments(gold):
    _, demands, judgments = gold
    per_demand = Counter(j["demand"] for j in judgments)
    assert {d["id"]: per_demand[d["id"]] for d in demands if per_demand[d["id"]] < 15} == {}


def test_supply_gaps_are_exactly_the_listed_demands(gold):
    _, demands, judgments = gold
    best = defaultdict(int)
    for j in judgments:
        best[j["demand"]] = max(best[j["demand"]], j["grade"])
    assert {d["id"] for d in demands if best[d["id"]] <= 1} == GAP_DEMANDS


def test_no_good_grade_for_an_offering_failing_a_must(gold):
    offerings, demands, judgments = gold
    by_id = {o["id"]: o for o in offerings}
    demand_by_id = {d["id"]: d for d in demands}
    violations = []
    checked = 0
    for j in judgments:
        if j["grade"] < 2:
            continue
        demand, offering = demand_by_id[j["demand"]], by_id[j["offering"]]
        for requirement in demand["must"]:
            unmet = _unmet(requirement, offering, demand)
            checked += unmet is not None
            if unmet:
                violations.append((j["demand"], j["offering"], requirement))
    assert violations == []
    assert checked > 100


def test_region_musts_are_present_and_checked(gold):
    _, demands, _ = gold
    region_musts = [
        r
        for d in demands
        for r in d["must"]
        if r == "本地服务团队" or (isinstance(r, dict) and r["kind"] == "region")
    ]
    assert len(region_musts) >= 20
