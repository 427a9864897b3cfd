"""Issue 16: categories as people write them, and the problem a demand describes read as the
capabilities that solve it (``zhizao_core.matching.lexicon``)."""

from __future__ import annotations

import pytest

from zhizao_core.matching import parse_catalogue, parse_demands
from zhizao_core.matching.lexicon import (
    infer,
    read_demand,
    read_offering_categories,
    resolve_category,
)
from zhizao_core.matching.model import Demand, Offering


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("mes", "mes"),
        ("MES", "mes"),
        ("制造执行系统", "mes"),
        ("制造执行系统（MES）", "mes"),
        ("Manufacturing Execution System", "mes"),
        ("机器视觉检测", "machine_vision"),
        ("视觉检测", "machine_vision"),
        ("ＡＯＩ", "machine_vision"),
        ("预测性维护", "predictive_maintenance"),
        ("EMS", "energy_management"),
        ("融资租赁", "financing"),
        ("工业 互联网 平台", "iiot_platform"),
        ("焊接工作站", None),
        ("", None),
    ],
)
def test_categories_are_read_in_every_accepted_form(label, code):
    assert resolve_category(label) == code


def test_problems_are_read_as_capabilities_with_a_confidence():
    def read(text):
        return [(i.category, i.confidence, i.phrases(), i.capability.zh) for i in infer(text)]

    assert read("产品表面划伤，客户投诉多") == [
        ("machine_vision", 0.7769, ["表面划伤"], "外观缺陷检测（机器视觉）")
    ]
    assert read("电费占成本太高") == [
        ("energy_management", 0.7769, ["电费"], "能耗监测与节能（能源管理）")
    ]
    assert read("注塑机老是突然停机，轴承异响") == [
        (
            "predictive_maintenance",
            0.9817,
            ["突然停机", "异响", "轴承"],
            "设备故障预警（预测性维护）",
        )
    ]
    assert read("老师傅退休后没人会调机")[0] == (
        "iiot_platform",
        0.9765,
        ["老师傅", "没人会", "调机"],
        "工艺知识沉淀与调机专家系统",
    )
    # typos and colloquial forms are phrases of their own
    assert read("机器老是停基")[0][:2] == ("predictive_maintenance", 0.5276)
    assert read("") == []
    assert read("公司简介") == []


def test_the_named_category_leads_unless_the_text_contradicts_it():
    named = read_demand(Demand("a", "MES", "冲压车间报工", category="mes"))
    assert named.weights == {"mes": 1.0, "data_acquisition": 0.1942}
    wrong = read_demand(
        Demand(
            "b",
            "想贷款上设备",
            "要买两台注塑机，资金不够，想找融资租赁或者贷款。",
            category="consulting",
        )
    )
    assert wrong.weights == {"financing": 0.9817, "consulting": 0.5}
    assert wrong.financing is True  # it sees the banks' products, not the consultants'
    none = read_demand(Demand("c", "仓库账和实物对不上", "找料要半天"))
    assert [(i.category, i.confidence) for i in none.inferred] == [("wms", 0.6321)]
    assert none.financing is False


def test_offerings_without_our_categories_are_read_from_their_tags_and_text():
    tagged = Offering("o1", "solution", "系统", categories=(), tags=("WMS",))
    assert read_offering_categories(tagged) == {"wms": 1.0}
    untagged = Offering("o2", "solution", "AI验布机", "识别断纱、油污、破洞等布面疵点")
    assert read_offering_categories(untagged) == {"machine_vision": 0.9502}


def test_parsers_keep_unknown_labels_as_tags_with_one_warning_and_optional_case_titles():
    warnings = []
    [o1, o2] = parse_catalogue(
        [
            {"id": "1", "kind": "solution", "title": "A", "categories": ["MES", "焊接工作站"],
             "cases": [{"result": "效率提升"}]},
            {"id": "2", "kind": "solution", "title": "B", "categories": ["焊接工作站", "AOI"]},
        ],
        warnings,
    )  # fmt: skip
    assert (o1.categories, o1.tags, o1.cases[0].title) == (("mes",), ("焊接工作站",), "")
    assert (o2.categories, o2.tags) == (("machine_vision",), ("焊接工作站",))
    assert o1.fields()["tags"] == "焊接工作站"
    assert [(w.path, w.text()) for w in warnings] == [
        (
            "[0].categories[1]",
            "[0].categories[1]: 未知的类别 焊接工作站，已作为标签保留（按文本匹配）",
        )
    ]
    [d] = parse_demands([{"id": "d", "title": "x", "category": "机器视觉检测"}])
    assert (d.category, d.tags) == ("machine_vision", ())
    [d] = parse_demands([{"id": "d", "title": "x", "category": "钣金"}], warnings)
    assert (d.category, d.tags) == (None, ("钣金",))
    assert warnings[-1].path == "[0].category"


def test_application_domains_are_read_and_an_offering_made_for_another_is_lowered():
    from zhizao_core.matching.lexicon import demand_domains, domain_fit, domains_of

    def read(text):
        return {d.code: phrases for d, phrases in domains_of(text).items()}

    assert read("空调外壳钣金件，喷涂后表面有划伤") == {
        "appliance": ("空调",),
        "metal": ("钣金", "喷涂"),
    }
    # the longest phrase wins its place: 压铸件 is casting, 压铸 alone metal parts
    assert read("压铸件和压铸机") == {"casting": ("压铸件",), "metal": ("压铸",)}
    assert read("ＰＣＢＡ炉后AOI") == {"electronics": ("ＰＣＢＡ",)}
    assert read("外观缺陷检测工作站") == {}
    demand = demand_domains(Demand("d", "产品表面划伤", "空调外壳钣金件，喷涂后表面有划伤"))
    assert {d.code for d in demand} == {"appliance", "metal"}
    # an offering's title says what it is made for
    assert domain_fit(demand, domains_of("金属件外观缺陷检测")) == 1.0
    assert domain_fit(demand, domains_of("外观缺陷检测工作站")) == 1.0  # general
    assert domain_fit(demand, domains_of("布匹瑕疵在线检测")) == 0.0  # made for another trade
    # a demand that names no trade is best served by the general offerings
    unnamed = demand_domains(Demand("e", "货发错了", "拣货靠纸单"))
    assert unnamed == {}
    assert domain_fit(unnamed, domains_of("药企WMS")) == 0.0
    assert domain_fit(unnamed, domains_of("仓储管理系统WMS标准版")) == 1.0


def test_a_demand_naming_no_category_ranks_offerings_made_for_another_trade_lower():
    from zhizao_core.matching import MatchIndex
    from zhizao_core.matching.rank import Weights, weights_for

    plain = Weights(lexical=0.5, semantic=0.0, category=0.5, industry=0, cases=0, local=0, nice=0)
    problem = Weights(
        lexical=0.5, semantic=0.0, category=0.5, industry=0, cases=0, local=0, nice=0, domain=0.5
    )
    table = {"fused_lexical": plain, "fused_lexical_problem": problem}
    ix = MatchIndex(embedder=None, weights=table)
    text = "表面划伤、磕碰、脏污自动检测"
    ix.add_many(
        [
            Offering(
                "fabric", "solution", "布匹外观缺陷检测", text, categories=("machine_vision",)
            ),
            Offering("general", "solution", "外观缺陷检测", text, categories=("machine_vision",)),
            Offering(
                "metal", "solution", "钣金件外观缺陷检测", text, categories=("machine_vision",)
            ),
        ]
    )
    unnamed = Demand("d1", "产品表面划伤", "空调外壳钣金件，喷涂后表面有划伤")
    named = Demand(
        "d2", "产品表面划伤", "空调外壳钣金件，喷涂后表面有划伤", category="machine_vision"
    )
    assert weights_for(ix.weights, "fused_lexical", unnamed) is problem
    assert weights_for(ix.weights, "fused_lexical", named) is plain

    ranked = ix.rank(unnamed, top=10)
    assert [m.id for m in ranked] == ["metal", "general", "fabric"]
    reasons = {m.id: {r.code: r for r in m.reasons} for m in ranked}
    assert reasons["metal"]["domain"].zh == "应用领域相符：钣金冲压与金属件（钣金）"
    assert reasons["metal"]["domain"].data == {
        "domains": ["metal"],
        "phrases": ["钣金"],
        "demand_phrases": ["钣金", "喷涂"],
    }
    assert "domain" not in reasons["general"] and "domain" not in reasons["fabric"]
    # the fabric offering loses the domain's share of the fused score (0.5 of 1.5)
    comps = {m.id: m.components for m in ranked}
    assert {i: c["domain"] for i, c in comps.items()} == {"metal": 1, "general": 1, "fabric": 0}
    fused = {
        i: (0.5 * c["lexical"] + 0.5 * c["category"] + 0.5 * c["domain"]) / 1.5
        for i, c in comps.items()
    }
    assert {m.id: m.fit for m in ranked} == {i: round(100 * f) for i, f in fused.items()}

    # the same demand naming its category: its own weights, no domain fit, no such reason
    again = ix.rank(named, top=10)
    assert all("domain" not in {r.code for r in m.reasons} for m in again)
    assert {m.id: m.fit for m in again} == {
        m.id: round(100 * (0.5 * m.components["lexical"] + 0.5 * m.components["category"]))
        for m in again
    }
    # weights given without a problem set: the demands naming no category use them too
    ix2 = MatchIndex(embedder=None, weights={"fused_lexical": plain})
    assert weights_for(ix2.weights, "fused_lexical", unnamed) is plain
