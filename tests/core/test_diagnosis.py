"""The scoring engine on a small model whose every figure below was computed by hand."""

from __future__ import annotations

import copy
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhizao_core.diagnosis import (
    ModelError,
    parse_answers,
    parse_model,
    peer_group,
    percentile_of,
    roadmap,
    round_half_up,
    score_file,
)
from zhizao_core.diagnosis.allocation import (
    Provider,
    Target,
    allocate,
    check_assignment,
    greedy_allocate,
)


def T(zh):
    return {"zh": zh, "en": zh}


def req(rid, sub, level, allow_na=False):
    return {"id": rid, "subdomain": sub, "level": level, "text": T(rid), "allow_na": allow_na}


TINY = {
    "id": "tiny",
    "version": "1",
    "name": T("小模型"),
    "level_rule": "full_credit",
    "threshold": "0.8",
    "levels": [{"number": n, "name": T(f"L{n}")} for n in (1, 2, 3, 4)],
    "elements": [
        {
            "id": "a",
            "name": T("A"),
            "weight": {"discrete": "3", "process": "1"},
            "domains": [
                {
                    "id": "a-d",
                    "name": T("A1"),
                    "weight": "1",
                    "subdomains": [
                        {"id": "a1", "name": T("a1"), "weight": "1", "tags": ["MES"]},
                        {"id": "a2", "name": T("a2"), "weight": "1"},
                    ],
                }
            ],
        },
        {
            "id": "b",
            "name": T("B"),
            "weight": "1",
            "domains": [
                {
                    "id": "b-d",
                    "name": T("B1"),
                    "weight": "1",
                    "subdomains": [{"id": "b1", "name": T("b1"), "weight": "1"}],
                }
            ],
        },
    ],
    # level 4 has no requirements at all
    "requirements": [
        req("a1-1-1", "a1", 1),
        req("a1-1-2", "a1", 1),
        req("a1-2-1", "a1", 2),
        req("a1-3-1", "a1", 3, allow_na=True),
        req("a2-1-1", "a2", 1, allow_na=True),
        req("a2-2-1", "a2", 2),
        req("b1-1-1", "b1", 1),
        req("b1-2-1", "b1", 2),
        req("b1-2-2", "b1", 2),
        req("b1-3-1", "b1", 3),
    ],
}

CASE_1 = {
    "a1-1-1": 1,
    "a1-1-2": 0.5,
    "a2-1-1": "na",
    "b1-1-1": 0.8,
    "a1-2-1": 0.8,
    "a2-2-1": 0.8,
    "b1-2-1": 1,
    "b1-2-2": 0.5,
    "a1-3-1": 0.5,
    "b1-3-1": 0,
}
CASE_2 = {
    "a1-1-1": 0.8,
    "a1-1-2": 0.8,
    "a2-1-1": 0.8,
    "b1-1-1": 0.8,
    "a1-2-1": 1,
    "a2-2-1": 1,
    "b1-2-1": 1,
    "b1-2-2": 0.5,
    "a1-3-1": 0.5,
    "b1-3-1": 1,
}


@pytest.fixture
def tiny():
    return parse_model(copy.deepcopy(TINY))


def run(model, answers, kind="discrete"):
    return score_file(model, {"enterprise_type": kind, "answers": answers})


def test_na_only_subdomain_is_left_out_and_weights_renormalise(tiny):
    result = run(tiny, CASE_1)
    # L1: a1 = (1 + 0.5)/2 = 0.75; a2 only 不适用 → left out, A = 0.75; B = 0.8
    # X1 = (3·0.75 + 1·0.8)/4 = 0.7625 < 0.8
    assert result.node("a2", 1).applies is False
    assert result.node("a-d", 1).score == Fraction(3, 4)
    assert result.levels[0].score == Fraction(61, 80)
    assert result.levels[0].reason == "below_threshold"
    # L2: A = (0.8+0.8)/2 = 0.8, B = 0.75 → (2.4 + 0.75)/4 = 0.7875; L3: (1.5 + 0)/4 = 0.375
    assert result.levels[1].score == Fraction(63, 80)
    assert result.levels[2].score == Fraction(3, 8)
    assert [lv.reason for lv in result.levels[1:]] == ["lower_level_not_met"] * 3
    assert result.level == 0
    assert result.score == Fraction(61, 80)
    out = result.as_json(tiny)
    assert out["score"] == "0.76"
    assert out["levels"] == {"1": "0.7625", "2": "0.7875", "3": "0.3750", "4": "0.0000"}
    assert out["subdomains"]["a2"] == {"2": "0.8000"}
    assert out["subdomains"]["b1"] == {"1": "0.8000", "2": "0.7500", "3": "0.0000"}


def test_threshold_exactly_met_full_credit_and_half_up_rounding(tiny):
    result = run(tiny, CASE_2)
    # X1 = 0.8 exactly → met; X2 = (3·1 + 0.75)/4 = 0.9375 met; X3 = (3·0.5 + 1)/4 = 0.625
    assert [lv.score for lv in result.levels[:3]] == [
        Fraction(4, 5),
        Fraction(15, 16),
        Fraction(5, 8),
    ]
    assert [lv.met for lv in result.levels] == [True, True, False, False]
    assert result.level == 2
    assert result.score == Fraction(21, 8)  # 2 + 0.625
    assert result.as_json(tiny)["score"] == "2.63"  # 2.625 rounds half-up


def test_actual_score_rule(tiny):
    data = copy.deepcopy(TINY)
    data["level_rule"] = "actual_score"
    model = parse_model(data)
    result = run(model, CASE_2)
    # 0.8 + 0.9375 + 0.625 = 2.3625
    assert result.score == Fraction(189, 80)
    assert result.as_json(model)["score"] == "2.36"
    assert result.level == 2


def test_weights_differ_by_enterprise_type(tiny):
    result = run(tiny, CASE_2, kind="process")
    # A weighs 1 for process firms: X2 = (1 + 0.75)/2 = 0.875, X3 = (0.5 + 1)/2 = 0.75
    assert result.levels[1].score == Fraction(7, 8)
    assert result.levels[2].score == Fraction(3, 4)
    assert result.score == Fraction(11, 4)
    assert result.as_json(tiny)["score"] == "2.75"


def test_level_without_requirements_is_not_met_and_says_why(tiny):
    answers = dict(CASE_2, **{"a1-3-1": 0.8, "b1-3-1": 0.8})
    result = run(tiny, answers)
    # X3 = (3·0.8 + 0.8)/4 = 0.8 exactly → met; level 4 has nothing → X4 = 0, not met
    assert [lv.met for lv in result.levels] == [True, True, True, False]
    assert result.levels[3].reason == "nothing_applies"
    assert result.levels[3].applies is False
    assert result.score == Fraction(3)
    assert result.level == 3
    assert result.as_json(tiny)["score"] == "3.00"
    total = result.explanation[-1]
    assert total == {
        "step": "total",
        "rule": "full_credit",
        "terms": ["1", "1", "1", "0.0000"],
        "score": "3.00",
        "level": 3,
        "first_unmet": 4,
    }


def test_all_levels_met_adds_nothing():
    data = copy.deepcopy(TINY)
    data["levels"] = data["levels"][:3]
    model = parse_model(data)
    answers = dict.fromkeys(CASE_2, 1)
    result = run(model, answers)
    assert result.score == 3 and result.level == 3
    assert result.explanation[-1]["first_unmet"] is None


def test_level_just_below_threshold_is_not_met(tiny):
    answers = dict(CASE_2, **{"b1-1-1": 0.5})
    result = run(tiny, answers)
    # X1 = (3·0.8 + 0.5)/4 = 0.725
    assert result.levels[0].score == Fraction(29, 40)
    assert result.level == 0


def test_roadmap_ranks_by_gain_and_finds_the_smallest_closing_set(tiny):
    result = run(tiny, CASE_1)
    gaps = roadmap(tiny, result, target_level=2)
    assert [g.level for g in gaps] == [1, 2]
    first = gaps[0]
    # a1-1-2: coefficient 3/4 · 1/2 = 3/8, gain 3/8 · 0.5 = 0.1875; b1-1-1: 1/4 · 0.2 = 0.05
    assert [(i.requirement.id, i.gain, i.closes) for i in first.items] == [
        ("a1-1-2", Fraction(3, 16), True),
        ("b1-1-1", Fraction(1, 20), False),
    ]
    assert first.needed == Fraction(3, 80)
    assert first.score_after_closing == Fraction(19, 20)
    second = gaps[1]
    # a1-2-1 and a2-2-1: 3/4 · 1/2 · 0.2 = 0.075 each; b1-2-2: 1/4 · 1/2 · 0.5 = 0.0625
    assert [(i.requirement.id, i.gain) for i in second.items] == [
        ("a1-2-1", Fraction(3, 40)),
        ("a2-2-1", Fraction(3, 40)),
        ("b1-2-2", Fraction(1, 16)),
    ]
    assert [i.closes for i in second.items] == [True, False, False]
    assert roadmap(tiny, result)[0].level == 1  # default target: the next level


def test_answers_file_errors_name_each_problem(tiny):
    bad = dict(CASE_1)
    del bad["b1-3-1"]
    bad["nope"] = 1
    bad["a1-1-1"] = 0.7
    bad["b1-1-1"] = "na"
    with pytest.raises(ModelError) as caught:
        parse_answers(tiny, {"enterprise_type": "discrete", "answers": bad})
    found = {(p.path, p.code) for p in caught.value.problems}
    assert found == {
        ("answers.nope", "unknown_requirement"),
        ("answers.a1-1-1", "invalid_answer"),
        ("answers.b1-1-1", "na_not_allowed"),
        ("answers.b1-3-1", "missing_answer"),
    }
    with pytest.raises(ModelError) as caught:
        parse_answers(tiny, {"enterprise_type": "mixed", "answers": CASE_1})
    assert [(p.path, p.code) for p in caught.value.problems] == [("enterprise_type", "bad_choice")]


def test_model_errors_name_the_place():
    data = copy.deepcopy(TINY)
    data["requirements"][3]["subdomain"] = "zz"
    data["requirements"][4]["level"] = 9
    data["elements"][1]["weight"] = {"discrete": "1"}
    data["elements"][1]["domains"][0]["id"] = "a-d"
    data["levels"][2]["number"] = 5
    data["threshold"] = "1.5"
    with pytest.raises(ModelError) as caught:
        parse_model(data)
    found = {(p.path, p.code) for p in caught.value.problems}
    assert found == {
        ("requirements[3].subdomain", "unknown_subdomain"),
        ("requirements[4].level", "unknown_level"),
        ("elements[1].weight", "weight_type_missing"),
        ("elements[1].domains[0].id", "duplicate_id"),
        ("levels[2].number", "level_sequence"),
        ("threshold", "out_of_range"),
    }


def test_model_too_large_is_refused():
    data = copy.deepcopy(TINY)
    data["requirements"] = [req(f"r{i}", "a1", 1) for i in range(5001)]
    with pytest.raises(ModelError) as caught:
        parse_model(data)
    assert [(p.path, p.code) for p in caught.value.problems] == [("requirements", "too_many")]


def test_zero_weight_for_a_type_is_not_asked():
    data = copy.deepcopy(TINY)
    data["elements"][0]["domains"][0]["subdomains"][1]["weight"] = {"discrete": 1, "process": 0}
    model = parse_model(data)
    asked = {r.id for r in model.asked("process")}
    assert "a2-1-1" not in asked and "a2-2-1" not in asked
    answers = {k: v for k, v in CASE_2.items() if not k.startswith("a2")}
    result = run(model, answers, kind="process")
    # L1: A = a1 = 0.8, B = 0.8 → 0.8; a2 ignored for process firms
    assert result.levels[0].score == Fraction(4, 5)


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Fraction(2625, 1000), 2, "2.63"),
        (Fraction(2635, 1000), 2, "2.64"),
        (Fraction(1, 3), 4, "0.3333"),
        (Fraction(2, 3), 4, "0.6667"),
        (Fraction(0), 2, "0.00"),
        (Fraction(5), 2, "5.00"),
        (Fraction(99995, 100000), 4, "1.0000"),
    ],
)
def test_round_half_up(value, places, shown):
    assert round_half_up(value, places) == shown


answer_values = st.sampled_from([1, 0.8, 0.5, 0])


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({k: answer_values for k in CASE_1}))
def test_score_properties(answers):
    model = parse_model(copy.deepcopy(TINY))
    result = run(model, answers)
    assert 0 <= result.score <= 4
    assert result.level == sum(1 for lv in result.levels if lv.met)
    assert int(result.score) == result.level or (result.score == result.level)
    # every gap closed → the working level is met
    if result.level < 3:
        gaps = roadmap(model, result)
        assert gaps[0].score_after_closing >= Fraction(4, 5)
        closing = {i.requirement.id for i in gaps[0].items if i.closes}
        better = dict(answers, **dict.fromkeys(closing, 1))
        assert run(model, better).levels[gaps[0].level - 1].score == gaps[0].score_after_closing


def test_peer_group_hides_small_groups_and_counts_ties_half():
    assert peer_group("industry", below=1, equal=1, total=4, level_counts={1: 4}).hidden
    group = peer_group("region", below=6, equal=2, total=10, level_counts={1: 7, 2: 3})
    assert group.percentile == 70
    assert group.level_shares == {1: Fraction(7, 10), 2: Fraction(3, 10)}
    assert percentile_of([Fraction(1), Fraction(2), Fraction(2), Fraction(3)], Fraction(2)) == 50


def test_allocation_prefers_near_providers_and_respects_quota_budget_and_conflicts():
    targets = [Target(i, "320211" if i % 2 else "320506") for i in range(10)]
    providers = [
        Provider(100, "320211", 3),
        Provider(101, "320506", 3, conflicts=frozenset({2})),
        Provider(102, "320100", 10),
    ]
    result = allocate(targets, providers, capacity=8)
    loads = {p: list(result.assigned.values()).count(p) for p in (100, 101, 102)}
    assert loads == {100: 3, 101: 3, 102: 2}
    assert result.assigned[2] != 101
    assert result.unassigned == {8: "budget_exhausted", 9: "budget_exhausted"}
    assert sorted(result.distance.values()).count("district") == 6
    assert result.cost == 4  # two "province" placements at distance 2
    baseline = greedy_allocate(targets, providers, capacity=8)
    assert len(baseline.assigned) == 8 and baseline.cost >= result.cost


def test_allocation_beats_greedy_when_order_matters():
    # greedy gives target 0 the only provider target 1 can use
    targets = [Target(0, "320211"), Target(1, "320211")]
    providers = [
        Provider(100, "320211", 1),
        Provider(101, "320500", 1, regions=("320000",), conflicts=frozenset({1})),
    ]
    assert greedy_allocate(targets, providers, 2).unassigned == {1: "no_capacity"}
    best = allocate(targets, providers, 2)
    assert best.assigned == {0: 101, 1: 100}
    assert best.unassigned == {}


def test_manual_reassignment_checks():
    provider = Provider(5, "320211", 2, regions=("320200",), conflicts=frozenset({9}))
    assert check_assignment(Target(9, "320211"), provider, 0) == "conflict_of_interest"
    assert check_assignment(Target(1, "320506"), provider, 0) == "outside_service_region"
    assert check_assignment(Target(1, "320213"), provider, 2) == "quota_full"
    assert check_assignment(Target(1, "320213"), provider, 1) is None
    unreachable = allocate([Target(1, "110101")], [provider], 5)
    assert unreachable.unassigned == {1: "no_provider_in_region"}


def test_actual_score_total_exactly_at_x8_is_level_two():
    data = copy.deepcopy(TINY)
    data["level_rule"] = "actual_score"
    model = parse_model(data)
    answers = {
        **{k: 1 for k in CASE_1 if "-1-" in k},
        **{k: 0.8 for k in CASE_1 if "-2-" in k},
        "a1-3-1": 0,
        "b1-3-1": 0,
    }
    result = run(model, answers)
    # X1 = 1, X2 = 0.8 exactly (met), X3 = 0 → S = 1 + 0.8 + 0 = 1.8, the band edge of level 2
    assert [lv.score for lv in result.levels[:3]] == [1, Fraction(4, 5), 0]
    assert result.score == Fraction(9, 5) and result.level == 2
    assert result.as_json(model)["score"] == "1.80"
    # the same answers under full credit: S = 2 + 0 = 2
    assert run(parse_model(copy.deepcopy(TINY)), answers).as_json(model)["score"] == "2.00"
