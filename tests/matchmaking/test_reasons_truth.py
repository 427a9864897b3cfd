"""Every reason the ranker gives is true of the pair's facts (issue 17: "无锡本地服务团队" was
given for providers in Xuzhou, Suqian and Suzhou). Checked on the whole gold set — every demand's
first ten results, every reason — and on the case that was reported."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from zhizao.matchmaking.management.commands._matching import GOLD_DIR, reference_names
from zhizao_core.matching import MatchIndex, Offering, parse_catalogue, parse_demands
from zhizao_core.matching.lexicon import (
    demand_text_for_reading,
    domains_of,
    read_demand,
    read_offering_categories,
)
from zhizao_core.matching.model import Demand
from zhizao_core.matching.rank import (
    _industry_fit,
    check_requirement,
    covers_region,
    local_presence,
    same_division,
)
from zhizao_core.matching.text import normalize


@pytest.fixture(scope="module")
def ranked():
    offerings = parse_catalogue(json.loads((GOLD_DIR / "catalogue.json").read_text("utf-8")))
    demands = parse_demands(json.loads((GOLD_DIR / "demands.json").read_text("utf-8")))
    names = reference_names()
    index = MatchIndex(embedder=None, names=names)
    index.add_many(offerings)
    return names, [(d, index.rank(d, top=10, variant="fused")) for d in demands]


def _fields_text(o: Offering) -> str:
    return "\n".join(o.fields().values())


def assert_true_of_facts(reason, demand: Demand, o: Offering, names) -> None:
    data = reason.data
    if reason.code == "requirements":
        checks = [check_requirement(r, demand, o, names) for r in demand.must]
        assert data["total"] == len(checks)
        assert data["met"] == sum(c.met for c in checks)
        assert data["missing"] == [c.requirement.label for c in checks if not c.met]
    elif reason.code == "industry_cases":
        assert data["count"] == sum(
            1 for c in o.cases if same_division(c.industry, demand.industry)
        )
        assert data["count"] > 0
    elif reason.code == "local_team":
        # a team in the demand's city: one of the offering's regions is that city or inside it
        assert local_presence(o, demand.region) == "local"
        assert any(
            not code.endswith("0000") and covers_region(code, demand.region) for code in o.regions
        )
        assert reason.zh == f"{names.place(demand.region)}本地服务团队"
    elif reason.code == "service_area":
        assert data["presence"] == local_presence(o, demand.region) in ("province", "nationwide")
        assert "本地服务团队" not in reason.zh
    elif reason.code == "category":
        assert data["category"] == demand.category and demand.category in o.categories
    elif reason.code == "problem":
        assert data["category"] in read_offering_categories(o)
        text = normalize(f"{demand.title}\n{demand.description}\n{' '.join(demand.tags)}")
        assert all(normalize(p) in text for p in data["phrases"])
        assert read_demand(demand).inference(data["category"]) is not None
    elif reason.code == "domain":
        # a trade the demand (naming no category) says it is in, and the offering's title says
        # it is made for, with the title's own words for it
        assert not demand.category
        demand_text = demand_text_for_reading(demand)
        asked = {d.code: p for d, p in domains_of(demand_text).items()}
        offered = {d.code: p for d, p in domains_of(o.title).items()}
        assert data["domains"]
        assert all(code in asked and code in offered for code in data["domains"])
        assert all(any(p in offered[c] for c in data["domains"]) for p in data["phrases"])
        assert all(p in o.title for p in data["phrases"])
        assert data["demand_phrases"]
        assert all(p in demand_text for p in data["demand_phrases"])
    elif reason.code == "industry":
        assert _industry_fit(o.industries, demand.industry) >= 0.75
    elif reason.code == "matched_terms":
        fields = o.fields()
        for h in data["highlights"]:
            assert fields[h["field"]][h["start"] : h["end"]] == h["text"]
    elif reason.code == "nice":
        checks = [check_requirement(r, demand, o, names) for r in demand.nice]
        assert (data["met"], data["total"]) == (sum(c.met for c in checks), len(checks))
    elif reason.code == "budget":
        assert o.price_min_yuan is not None and o.price_min_yuan <= demand.budget_yuan
    else:  # semantic and introductions are not produced without embeddings and signals
        pytest.fail(f"unchecked reason {reason.code}")


def test_every_reason_on_the_gold_set_is_true(ranked):
    names, results = ranked
    checked = 0
    codes = set()
    for demand, matches in results:
        for m in matches:
            offering = ranked_offering(m.id)
            for reason in m.reasons:
                assert_true_of_facts(reason, demand, offering, names)
                checked += 1
                codes.add(reason.code)
    assert checked > 3000
    assert {"requirements", "local_team", "service_area", "category", "problem", "domain"} <= codes


_OFFERINGS: dict[str, Offering] = {}


def ranked_offering(ident: str) -> Offering:
    if not _OFFERINGS:
        for o in parse_catalogue(json.loads((GOLD_DIR / "catalogue.json").read_text("utf-8"))):
            _OFFERINGS[o.id] = o
    return _OFFERINGS[ident]


def test_a_province_wide_provider_is_not_called_a_local_team():
    """The case reported: providers in Xuzhou, Suqian and Suzhou serving all of Jiangsu were
    given "无锡本地服务团队" for a demand in Wuxi."""
    names = reference_names()
    index = MatchIndex(embedder=None, names=names)
    for ident, region in (("xz", "320300"), ("sq", "321300"), ("sz", "320500")):
        index.add(
            Offering(
                ident,
                "solution",
                "注塑车间MES",
                "工单报工",
                categories=("mes",),
                regions=("320000",),
                provider=region,
            )
        )
    index.add(
        Offering("wx", "solution", "注塑MES", "报工", categories=("mes",), regions=("320214",))
    )
    index.add(Offering("cn", "solution", "MES", "报工", categories=("mes",), regions=("100000",)))
    demand = Demand("d", "注塑MES", "报工", category="mes", region="320214", budget_yuan=Decimal(1))
    reasons = {m.id: [r.zh for r in m.reasons] for m in index.rank(demand, top=10)}
    assert reasons["wx"][0] == "无锡本地服务团队"
    for ident in ("xz", "sq", "sz"):
        assert reasons[ident][0] == "服务范围覆盖江苏全省（含无锡）"
        assert not any("本地" in r for r in reasons[ident])
    assert reasons["cn"][0] == "全国服务（含无锡）"
