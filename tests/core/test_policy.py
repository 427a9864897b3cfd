"""The policy engine on plain data: the shipped rules' hand-computed cases, rule checks with
their places, three-valued logic, caps, stacking, versions by date, and the property that the
bulk screener and the explainer agree on every generated case."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhizao_core.policy import (
    Enterprise,
    FactsError,
    Loan,
    Project,
    RuleError,
    Title,
    evaluate,
    half_up,
    loan_years,
    parse_facts,
    parse_rule,
    parse_rule_file,
    run_case,
    with_changes,
)
from zhizao_core.policy.money import fen_str
from zhizao_core.policy.screen import FactTable, screen

RULES = Path(__file__).resolve().parents[2] / "src" / "zhizao" / "policies" / "data" / "rules"
FILES = {
    p.stem: parse_rule_file(yaml.safe_load(p.read_text("utf-8")))
    for p in sorted(RULES.glob("*.yaml"))
}
CATALOGUE = {key: f.versions for key, f in FILES.items()}
CASES = [(key, i) for key, f in FILES.items() for i in range(len(f.cases))]
AS_OF = date(2025, 6, 30)


def test_the_required_rules_ship_with_cases():
    required = {
        "wuxi-im-transformation",
        "jiangsu-mfg-loan-interest",
        "suzhou-im-loan-2020",
        "changzhou-equipment-2021",
        "yangzhou-cmmm-level",
        "shenzhen-single-champion",
    }
    assert required <= set(FILES)
    for key in required:
        assert len(FILES[key].cases) >= 3, key
        assert FILES[key].versions[0].valid_from == date(2024, 1, 1)
        assert FILES[key].versions[0].valid_to is None


@pytest.mark.parametrize(("key", "index"), CASES, ids=[f"{k}-{i}" for k, i in CASES])
def test_shipped_case_holds_to_the_fen(key, index):
    result = run_case(CATALOGUE, key, FILES[key].cases[index])
    assert result.problems == []
    assert result.passed is True


def wuxi(**project) -> Enterprise:
    base = dict(
        id="p1",
        kind="intelligent_transformation",
        start_date=date(2025, 3, 1),
        equipment_fen=20_000_000_00,
        software_fen=6_000_000_00,
        services_fen=3_000_000_00,
        other_fen=2_000_000_00,
    )
    base.update(project)
    return Enterprise(
        uscc="91320214MA1W0X3K0B",
        name="无锡恒润",
        region="320214",
        industry="3421",
        projects=(Project(**base),),
    )


def test_wuxi_explanation_names_values_sources_and_parameters():
    (outcome,) = evaluate(CATALOGUE, wuxi(), AS_OF, items=["wuxi-im-transformation"])
    assert outcome.eligible is True
    assert outcome.amount_fen == 2_200_000_00
    texts = [step["text"] for step in outcome.explanation]
    assert texts[0].startswith("适用版本 v1（2024-01-01 起）")
    assert "参数“设备投资奖补比例” = 0.08（2024-01-01 起施行）" in texts
    assert "项目总投资 31,000,000.00 元 大于 30,000,000.00 元 → 满足" in texts
    assert "8% × 设备投资 20,000,000.00 元 = 1,600,000.00 元" in texts
    assert texts[-1] == "符合条件，金额 2,200,000.00 元"
    condition = next(s for s in outcome.explanation if s.get("fact") == "project.total_investment")
    assert condition["source"] == "projects[p1].total_investment"


def test_unknown_fact_gives_possibly_with_the_missing_named_and_a_possible_amount():
    enterprise = wuxi(other_fen=None)
    (outcome,) = evaluate(CATALOGUE, enterprise, AS_OF, items=["wuxi-im-transformation"])
    assert outcome.eligible is None
    assert outcome.missing == ["project.other_yuan"]
    # the amount does not depend on the missing fact: it is shown as a possibility
    assert outcome.amount_fen == 2_200_000_00
    assert (
        outcome.explanation[-1]["text"]
        == "可能符合，预计 2,200,000.00 元，需补充：project.other_yuan"
    )


def test_false_part_decides_an_all_even_with_unknowns():
    enterprise = Enterprise(uscc="9" * 18, region="320505", projects=(Project(id="x", kind=None),))
    (outcome,) = evaluate(CATALOGUE, enterprise, AS_OF, items=["wuxi-im-transformation"])
    assert (outcome.eligible, outcome.amount_fen, outcome.missing) == (False, 0, [])


def test_enterprise_without_projects_and_with_unknown_projects():
    none = Enterprise(uscc="1" * 18, region="320214", projects=())
    unknown = Enterprise(uscc="2" * 18, region="320214", projects=None)
    (a,) = evaluate(CATALOGUE, none, AS_OF, items=["wuxi-im-transformation"])
    (b,) = evaluate(CATALOGUE, unknown, AS_OF, items=["wuxi-im-transformation"])
    assert (a.project, a.eligible, a.amount_fen) == (None, False, 0)
    assert (b.project, b.eligible, b.amount_fen, b.missing) == (
        None,
        None,
        None,
        ["enterprise.projects"],
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 1, 1), date(2025, 12, 31), [(2025, 365, True)]),
        (date(2024, 1, 1), date(2024, 12, 31), [(2024, 366, True)]),
        (date(2025, 7, 1), date(2026, 6, 30), [(2025, 184, False), (2026, 181, False)]),
        (date(2024, 2, 28), date(2024, 3, 1), [(2024, 3, False)]),
    ],
)
def test_loan_years_count_both_end_dates(start, end, expected):
    assert list(loan_years(start, end)) == expected


def test_interest_in_a_leap_year_whole_year_is_amount_times_points():
    loan = Loan(amount_fen=10_000_000_00, start_date=date(2024, 1, 1), end_date=date(2024, 12, 31))
    enterprise = Enterprise(
        uscc="3" * 18, region="320214", industry="3421", projects=(Project(id="p", loans=(loan,)),)
    )
    (outcome,) = evaluate(
        CATALOGUE, enterprise, date(2024, 12, 31), items=["jiangsu-mfg-loan-interest"]
    )
    assert outcome.amount_fen == 200_000_00


def test_half_up_rounding_and_fen_text():
    assert half_up(Fraction(1, 2)) == 1
    assert half_up(Fraction(3, 2)) == 2
    assert half_up(Fraction(249, 100)) == 2
    assert half_up(Fraction(-1, 2)) == -1
    assert fen_str(123456789) == "1234567.89"
    assert fen_str(5) == "0.05"


def rule(**overrides) -> dict:
    data = {
        "id": "t-item",
        "name": {"zh": "测试条目", "en": "test item"},
        "subject": "project",
        "valid_from": "2024-01-01",
        "conditions": {"fact": "project.equipment", "op": "gt", "value": "0"},
        "amount": {"percent": "0.1", "of": ["project.equipment"]},
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("changes", "path", "code"),
    [
        (
            {"conditions": {"fact": "project.colour", "op": "eq", "value": "x"}},
            "conditions.fact",
            "unknown_fact",
        ),
        (
            {"conditions": {"fact": "project.equipment", "op": "prefix", "value": ["1"]}},
            "conditions.op",
            "bad_op",
        ),
        (
            {"amount": {"percent": "1.5", "of": ["project.equipment"]}},
            "amount.percent",
            "out_of_range",
        ),
        ({"amount": {"percent": "0.1", "of": ["project.colour"]}}, "amount.of[0]", "unknown_base"),
        (
            {"amount": {"percent": {"param": "nope"}, "of": ["project.equipment"]}},
            "amount.percent.param",
            "unknown_param",
        ),
        ({"amount": {"fixed": 0.1}}, "amount.fixed", "not_decimal_string"),
        (
            {"stages": [{"label": "开工", "share": "0.3"}, {"label": "竣工", "share": "0.6"}]},
            "stages",
            "stages_sum",
        ),
        ({"subject": "enterprise"}, "conditions.fact", "project_fact_in_enterprise_rule"),
        ({"caps": [{"per": "month", "yuan": "1"}]}, "caps[0].per", "one_of"),
        ({"valid_from": "2024-13-01"}, "valid_from", "bad_date"),
        ({"id": "Bad Id"}, "id", "bad_key"),
        (
            {
                "amount": {
                    "tiers": {
                        "fact": "enterprise.maturity_level",
                        "bands": [
                            {"from": "3", "amount": {"fixed": "1"}},
                            {"from": "2", "amount": {"fixed": "2"}},
                        ],
                    }
                }
            },
            "amount.tiers.bands[1]",
            "bands_ascending",
        ),
    ],
)
def test_malformed_rules_are_refused_naming_the_place(changes, path, code):
    with pytest.raises(RuleError) as info:
        parse_rule(rule(**changes))
    assert (info.value.problems[0].path, info.value.problems[0].code) == (path, code)


def test_too_deep_and_too_large_rules_are_refused():
    deep = {"fact": "project.equipment", "op": "gt", "value": "0"}
    for _ in range(12):
        deep = {"not": deep}
    with pytest.raises(RuleError) as info:
        parse_rule(rule(conditions=deep))
    assert info.value.problems[0].code == "too_deep"
    assert info.value.problems[0].path == "conditions" + ".not" * 9
    wide = {
        "all": [
            {"any": [{"fact": "project.equipment", "op": "gt", "value": str(i)} for i in range(50)]}
            for _ in range(10)
        ]
    }
    with pytest.raises(RuleError) as info:
        parse_rule(rule(conditions=wide))
    assert [p.code for p in info.value.problems] == ["too_many_nodes"]


def test_problem_texts_are_chinese_and_english():
    with pytest.raises(RuleError) as info:
        parse_rule(rule(conditions={"fact": "project.colour", "op": "eq", "value": "x"}))
    assert info.value.problems[0].text("zh") == "conditions.fact: 未知的事实：project.colour"
    assert info.value.problems[0].text("en") == "conditions.fact: unknown fact: project.colour"


def test_versions_are_chosen_by_the_as_of_date():
    v1 = parse_rule(rule(version=1, valid_from="2024-01-01", amount={"fixed": "100"}))
    v2 = parse_rule(rule(version=2, valid_from="2026-01-01", amount={"fixed": "200"}))
    catalogue = {"t-item": [v1, v2]}
    enterprise = wuxi()
    assert [o.amount_fen for o in evaluate(catalogue, enterprise, date(2025, 12, 31))] == [100_00]
    assert [o.amount_fen for o in evaluate(catalogue, enterprise, date(2026, 1, 1))] == [200_00]
    (before,) = evaluate(catalogue, enterprise, date(2023, 12, 31))
    assert (before.version, before.eligible, before.amount_fen) == (None, False, 0)
    assert before.explanation[0]["text"] == "2023-12-31 无有效版本：本条目不适用"


def test_take_the_higher_across_a_stacking_group():
    a = parse_rule(
        rule(
            id="a-item",
            amount={"percent": "0.1", "of": ["project.equipment"]},
            stacking={"group": "g1", "mode": "highest"},
        )
    )
    b = parse_rule(
        rule(id="b-item", amount={"fixed": "5000000"}, stacking={"group": "g1", "mode": "highest"})
    )
    catalogue = {"a-item": [a], "b-item": [b]}
    outcomes = {o.item: o for o in evaluate(catalogue, wuxi(), AS_OF)}
    assert outcomes["a-item"].amount_fen == 0
    assert outcomes["b-item"].amount_fen == 5_000_000_00
    assert outcomes["a-item"].explanation[-2]["text"].startswith("与“测试条目”不叠加，按就高原则")
    # asked for one item only, the group is still weighed
    (only_a,) = evaluate(catalogue, wuxi(), AS_OF, items=["a-item"])
    assert only_a.amount_fen == 0


def test_group_total_may_not_exceed_the_investment():
    a = parse_rule(
        rule(
            id="a-item",
            amount={"percent": "0.8", "of": ["project.total_investment"]},
            stacking={"group": "g2", "mode": "total_le_investment"},
        )
    )
    b = parse_rule(
        rule(
            id="b-item",
            amount={"percent": "0.5", "of": ["project.total_investment"]},
            stacking={"group": "g2", "mode": "total_le_investment"},
        )
    )
    outcomes = {o.item: o for o in evaluate({"a-item": [a], "b-item": [b]}, wuxi(), AS_OF)}
    assert outcomes["a-item"].amount_fen == 24_800_000_00
    assert outcomes["b-item"].amount_fen == 6_200_000_00
    assert outcomes["b-item"].binding_cap == {"per": "investment", "yuan": "31000000.00"}


def test_per_enterprise_cap_is_used_up_in_project_order_and_possible_rows_do_not_use_it():
    item = parse_rule(
        rule(amount={"fixed": "600000"}, caps=[{"per": "enterprise", "yuan": "1000000"}])
    )
    projects = (
        Project(id="b", start_date=date(2025, 2, 1), equipment_fen=1),
        Project(id="a", start_date=date(2025, 1, 1), equipment_fen=None),
        Project(id="c", start_date=None, equipment_fen=1),
        Project(id="d", start_date=date(2025, 3, 1), equipment_fen=1),
    )
    enterprise = Enterprise(uscc="4" * 18, projects=projects)
    outcomes = evaluate({"t-item": [item]}, enterprise, AS_OF)
    assert [(o.project, o.eligible, o.amount_fen) for o in outcomes] == [
        ("a", None, 600_000_00),
        ("b", True, 600_000_00),
        ("d", True, 400_000_00),
        ("c", True, 0),
    ]
    assert outcomes[2].binding_cap == {"per": "enterprise", "yuan": "1000000.00"}


def test_staged_payments_split_the_amount_and_the_last_stage_takes_the_remainder():
    item = parse_rule(
        rule(
            amount={"fixed": "1000000.01"},
            stages=[{"label": "开工", "share": "0.3"}, {"label": "竣工", "share": "0.7"}],
        )
    )
    (outcome,) = evaluate({"t-item": [item]}, wuxi(), AS_OF)
    assert outcome.stages == [
        {"label": "开工", "share": "0.3", "amount_yuan": "300000.00"},
        {"label": "竣工", "share": "0.7", "amount_yuan": "700000.01"},
    ]


def test_with_changes_makes_a_sandbox_copy():
    data = yaml.safe_load((RULES / "wuxi-im-transformation.yaml").read_text("utf-8"))
    version = {**{k: data[k] for k in ("id", "name", "subject")}, **data["versions"][0]}
    changed = with_changes(version, {"parameters.equipment_rate": "0.10"})
    assert version["parameters"]["equipment_rate"]["value"] == "0.08"
    (outcome,) = evaluate({"wuxi-im-transformation": [parse_rule(changed)]}, wuxi(), AS_OF)
    assert outcome.amount_fen == 2_600_000_00


def test_facts_file_problems_are_all_named():
    data = [
        {
            "uscc": "91320214MA1W0X3K0B",
            "name": "a",
            "region": "3202",
            "maturity_level": 7,
            "projects": [
                {
                    "id": "p",
                    "equipment_yuan": 1.5,
                    "loans": [{"amount_yuan": "-1", "start_date": "2025-02-30"}],
                }
            ],
        },
        {
            "uscc": "91320214MA1W0X3K0B",
            "name": "b",
            "titles": [{"title": "专精特新", "level": "county"}],
        },
    ]
    with pytest.raises(FactsError) as info:
        parse_facts(data)
    assert [p.text("en") for p in info.value.problems] == [
        '[0].projects[0].equipment_yuan: “1.5” is not a decimal string (e.g. "2600000.00")',
        "[0].projects[0].loans[0].amount_yuan: amount cannot be negative: -1",
        "[0].projects[0].loans[0].start_date: a date is YYYY-MM-DD: 2025-02-30",
        "[0].region: a region code is 6 digits: 3202",
        "[0].maturity_level: must be a whole number from 0 to 5: 7",
        "[1].titles[0].level: a level is national, provincial or city: county",
        "[1].uscc: duplicate enterprise: 91320214MA1W0X3K0B",
    ]


# --- the screener agrees with the explainer ---------------------------------------------------

SYNTHETIC = [
    rule(
        id="s-tiers",
        subject="enterprise",
        conditions={
            "any": [
                {"fact": "enterprise.maturity_level", "op": "ge", "value": "2"},
                {"title": ["专精特新"], "levels": ["national"]},
            ]
        },
        amount={
            "tiers": {
                "fact": "enterprise.maturity_level",
                "bands": [
                    {"from": "1", "amount": {"fixed": "10000"}},
                    {"above": "3", "amount": {"fixed": "30000.50"}},
                ],
            }
        },
        caps=[{"per": "enterprise", "yuan": "20000"}],
    ),
    rule(
        id="s-share",
        conditions={
            "all": [
                {"fact": "project.intelligent_equipment_share", "op": "ge", "value": "0.3"},
                {"not": {"fact": "project.kind", "op": "in", "value": ["green"]}},
                {
                    "fact": "project.start_date",
                    "op": "between",
                    "value": ["2024-01-01", "2025-12-31"],
                },
            ]
        },
        amount={
            "min": [
                {"percent": "0.125", "of": ["project.intelligent_equipment", "project.software"]},
                {"fixed": "3000000"},
            ]
        },
        caps=[{"per": "enterprise_year", "yuan": "2500000"}],
        stacking={"group": "g-s", "mode": "highest"},
    ),
    rule(
        id="s-choose",
        conditions={"fact": "project.total_investment", "op": "ge", "value": "1000000"},
        amount={
            "choose": [
                {
                    "when": {"fact": "enterprise.industry", "op": "prefix", "value": ["C"]},
                    "amount": {"percent": "0.0333", "of": ["project.total_investment"]},
                }
            ],
            "otherwise": {"fixed": "777.77"},
        },
        caps=[
            {
                "per": "project",
                "yuan": "1500000",
                "when": {"fact": "enterprise.region", "op": "prefix", "value": ["32"]},
            },
            {"per": "enterprise", "yuan": "2000000"},
        ],
        stacking={"group": "g-s", "mode": "highest"},
    ),
    rule(
        id="s-loans",
        conditions={"fact": "enterprise.region", "op": "not_prefix", "value": ["44"]},
        amount={
            "sum": [
                {"interest": {"points": "0.015", "not_above_rate": True}},
                {"loan_percent": "0.002"},
            ]
        },
        caps=[
            {"per": "project_year", "yuan": "800000"},
            {"per": "enterprise_year", "yuan": "1000000"},
        ],
        stacking={"group": "g-inv", "mode": "total_le_investment"},
    ),
    rule(
        id="s-inv",
        amount={"percent": "0.9", "of": ["project.equipment"]},
        stacking={"group": "g-inv", "mode": "total_le_investment"},
    ),
    rule(
        id="s-title",
        subject="enterprise",
        conditions={"title": ["单项冠军企业", "单项冠军产品"]},
        amount={
            "title_table": [
                {"title": "单项冠军企业", "levels": ["national"], "yuan": "3000000"},
                {"title": "单项冠军产品", "yuan": "1000000"},
            ]
        },
        stacking={"group": "g-d", "mode": "difference"},
    ),
]
SYN_CATALOGUE = {r["id"]: [parse_rule(r)] for r in SYNTHETIC} | CATALOGUE


def maybe(strategy):
    return st.one_of(st.none(), strategy)


money = st.one_of(
    st.sampled_from([0, 1, 99_999_99, 100_000_000, 3_000_000_000]), st.integers(0, 50_000_000_000)
)
days = st.integers(0, 1400).map(lambda d: date(2023, 1, 1) + timedelta(days=d))
loans = st.builds(
    lambda amount, rate, start, length, end_known: Loan(
        amount_fen=amount,
        annual_rate=rate,
        start_date=start,
        end_date=(start + timedelta(days=length)) if start is not None and end_known else None,
    ),
    maybe(money),
    maybe(
        st.sampled_from(
            [Fraction(31, 1000), Fraction(69, 2000), Fraction(1, 100), Fraction(42, 1000)]
        )
    ),
    st.one_of(days, st.none()),
    st.sampled_from([0, 30, 364, 365, 500, 1100]),
    st.booleans(),
)


@st.composite
def projects(draw, index):
    equipment = draw(maybe(money))
    intelligent = None if equipment is None else draw(maybe(st.integers(0, equipment)))
    return Project(
        id=f"p{index}",
        kind=draw(
            maybe(
                st.sampled_from(["intelligent_transformation", "digital_transformation", "green"])
            )
        ),
        start_date=draw(maybe(days)),
        equipment_fen=equipment,
        intelligent_equipment_fen=intelligent,
        software_fen=draw(maybe(money)),
        services_fen=draw(maybe(money)),
        other_fen=draw(maybe(money)),
        loans=draw(maybe(st.lists(loans, max_size=2).map(tuple))),
    )


@st.composite
def enterprises(draw, index):
    count = draw(st.integers(0, 3))
    return Enterprise(
        uscc=f"{index:018d}",
        region=draw(
            maybe(st.sampled_from(["320214", "320505", "320412", "321002", "440305", "330200"]))
        ),
        industry=draw(maybe(st.sampled_from(["3421", "1713", "6513", "3562", "2710"]))),
        titles=draw(
            maybe(
                st.lists(
                    st.builds(
                        Title,
                        st.sampled_from(["单项冠军企业", "单项冠军产品", "专精特新"]),
                        maybe(st.sampled_from(["national", "provincial", "city"])),
                        maybe(days),
                    ),
                    max_size=2,
                ).map(tuple)
            )
        ),
        maturity_level=draw(maybe(st.integers(0, 5))),
        projects=draw(maybe(st.tuples(*[projects(i) for i in range(count)]))),
        received=draw(
            st.sampled_from(
                [{}, {"s-title": 1_500_000_00}, {"shenzhen-single-champion": 2_000_000_00}]
            )
        ),
    )


@st.composite
def registries(draw):
    size = draw(st.integers(1, 12))
    return [draw(enterprises(i)) for i in range(size)]


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    registry=registries(),
    as_of=st.sampled_from([date(2025, 6, 30), date(2026, 3, 1), date(2023, 6, 1)]),
)
def test_screener_agrees_with_the_explainer(registry, as_of):
    table = FactTable.build(registry)
    for key in sorted(SYN_CATALOGUE):
        result = screen(SYN_CATALOGUE, table, as_of, item=key)
        got = {
            (registry[e].uscc, pid): (eligible, amount, binding)
            for e, pid, eligible, amount, binding in result.rows()
        }
        expected = {}
        for enterprise in registry:
            for outcome in evaluate(SYN_CATALOGUE, enterprise, as_of, items=[key]):
                expected[(outcome.enterprise, outcome.project)] = (
                    {True: 1, False: 0, None: -1}[outcome.eligible],
                    -1 if outcome.amount_fen is None else outcome.amount_fen,
                    outcome.binding_cap,
                )
        assert got == expected, key


def test_screener_totals_on_a_fixed_registry():
    registry = [
        wuxi(),
        wuxi(other_fen=None),
        Enterprise(uscc="5" * 18, region="320505", projects=()),
    ]
    registry[1] = Enterprise(**{**registry[1].__dict__, "uscc": "6" * 18})
    result = screen(CATALOGUE, FactTable.build(registry), AS_OF, item="wuxi-im-transformation")
    assert result.summary() == {
        "rows": 3,
        "eligible": 1,
        "unknown": 1,
        "not_eligible": 1,
        "total_fen": 2_200_000_00,
    }
    assert list(result.rows()) == [
        (0, "p1", 1, 2_200_000_00, None),
        (1, "p1", -1, 2_200_000_00, None),
        (2, None, 0, 0, None),
    ]


def test_rule_data_is_never_code():
    nasty = copy.deepcopy(rule())
    nasty["conditions"] = {"fact": "__import__('os').system('true')", "op": "eq", "value": "x"}
    with pytest.raises(RuleError) as info:
        parse_rule(nasty)
    assert info.value.problems[0].code == "unknown_fact"


def test_a_parameter_without_a_label_is_refused_naming_it():
    """Officers read a parameter by its label (sandbox fields, explanations), never its name."""
    params = {
        "rate": {"value": "0.1", "label": {"zh": "奖补比例", "en": "grant rate"}},
        "threshold": {"value": "100"},
        "floor": "5",
    }
    with pytest.raises(RuleError) as info:
        parse_rule(rule(parameters=params))
    assert [(p.path, p.code) for p in info.value.problems] == [
        ("parameters.threshold.label", "name_required"),
        ("parameters.floor.label", "name_required"),
    ]
    assert info.value.problems[0].text("zh") == (
        "parameters.threshold.label: 名称必须填写（至少中文）"
    )
