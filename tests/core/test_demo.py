"""The demo generator is deterministic, realistic in shape, and unique where it must be."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from zhizao_core.demo import IndustryRef, RegionRef, generate_organizations
from zhizao_core.registry.uscc import validate_uscc
from zhizao_core.text import organization_name_key

DATA = Path(__file__).resolve().parents[2] / "src" / "zhizao" / "registry" / "data"


@pytest.fixture(scope="module")
def inputs():
    rows = list(csv.DictReader(open(DATA / "regions.csv", encoding="utf-8")))
    names = {r["code"]: r["name_zh"] for r in rows}
    regions = [
        RegionRef(r["code"], r["name_zh"], r["parent"], names[r["parent"]], r["code"][:2] + "0000")
        for r in rows
        if r["level"] == "district" and not r["valid_to"]
    ]
    industries = [
        IndustryRef(r["code"], r["name_zh"])
        for r in csv.DictReader(open(DATA / "industries.csv", encoding="utf-8"))
        if r["level"] == "class"
    ]
    return regions, industries


def digest(orgs) -> str:
    return hashlib.sha256(json.dumps(orgs, default=str, ensure_ascii=False).encode()).hexdigest()


def test_same_seed_same_organisations_other_seed_others(inputs):
    regions, industries = inputs
    first = list(generate_organizations(seed=5, size=2000, regions=regions, industries=industries))
    again = list(generate_organizations(seed=5, size=2000, regions=regions, industries=industries))
    other = list(generate_organizations(seed=6, size=2000, regions=regions, industries=industries))
    assert digest(first) == digest(again)
    assert digest(first) != digest(other)


def test_names_and_codes_are_unique_and_codes_valid(inputs):
    regions, industries = inputs
    orgs = list(generate_organizations(seed=1, size=20000, regions=regions, industries=industries))
    assert len({o["name"] for o in orgs}) == 20000
    # unique also as the registry compares names (the active-name constraint)
    assert len({organization_name_key(o["name"]) for o in orgs}) == 20000
    assert len({o["uscc"] for o in orgs}) == 20000
    assert [o["uscc"] for o in orgs if validate_uscc(o["uscc"]) is not None] == []
    assert {o["region"] for o in orgs} <= {r.code for r in regions}


def test_kind_mix_and_size_consistency(inputs):
    regions, industries = inputs
    orgs = list(generate_organizations(seed=2, size=5000, regions=regions, industries=industries))
    kinds = Counter(o["kind"] for o in orgs)
    assert 0.76 < kinds["manufacturer"] / 5000 < 0.86
    assert 0.07 < kinds["provider"] / 5000 < 0.13
    assert len([o for o in orgs if o["name"] == "江南大学"]) == 1
    limits = {"micro": (0, 19), "small": (20, 299), "medium": (300, 999), "large": (1000, 10**6)}
    for org in orgs:
        if org["kind"] == "manufacturer":
            low, high = limits[org["size"]]
            assert low <= org["employees"] <= high, org
            assert org["industry"][:2].isdigit() and 13 <= int(org["industry"][:2]) <= 43
