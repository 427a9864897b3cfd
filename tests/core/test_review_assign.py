"""Expert assignment: 回避 rules with their boundary dates, the exact optimum against brute force
(hypothesis) and against a generic MIP (SciPy's HiGHS), panel rules, manual placements, and the
infeasibility messages."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhizao_core.review import (
    Application,
    AssignmentProblem,
    Collaboration,
    Expert,
    InfeasibleAssignment,
    PanelRule,
    PastOrganisation,
    check_assignment,
    exclusions,
    solve_assignment,
    window_start,
)

D = Decimal
CALL = date(2026, 6, 30)


def pairs(excl):
    return [(x.application, x.expert, x.rule) for x in excl]


# --- 回避 rules ---------------------------------------------------------------------------


def test_every_rule_with_its_reason_and_the_first_rule_wins():
    app = Application(
        "A1",
        organisations=("ORG-A", "ORG-B"),
        people=("P-1",),
        region="320412",
        named_exclusions=("E7", "E8", "E9", "E6"),
    )
    experts = [
        # current organisation AND a relation: organisation comes first
        Expert("E1", organisation="ORG-A", relations=("P-1",)),
        Expert("E2", past_organisations=(PastOrganisation("ORG-B", date(2023, 6, 30)),)),
        Expert("E3", relations=("P-1",)),
        Expert("E4"),
        Expert("E5", collaborations=(Collaboration("ORG-A", date(2024, 1, 5), "joint_project"),)),
        Expert("E6", region="320500"),
        Expert("E7"),
        Expert("E8", region="110000"),
        Expert("E9", relations=("P-2",)),
        Expert("E10", organisation="ORG-C", region="310000"),
    ]
    problem = AssignmentProblem(
        call_date=CALL,
        applications=[app],
        experts=experts,
        conflicts=frozenset({("A1", "E4")}),
        same_region_prefix=2,
    )
    excl = exclusions(problem)
    assert pairs(excl) == [
        ("A1", "E1", "organisation"),
        ("A1", "E2", "past_organisation"),
        ("A1", "E3", "relation"),
        ("A1", "E4", "declared"),
        ("A1", "E5", "collaboration"),
        ("A1", "E6", "region"),
        ("A1", "E7", "named"),
        ("A1", "E8", "named"),
        ("A1", "E9", "named"),
    ]
    reasons = {x.expert: x.reason for x in excl}
    details = {x.expert: x.detail for x in excl}
    assert details["E2"] == {"organisation": "ORG-B", "until": "2023-06-30"}
    assert details["E5"] == {"organisation": "ORG-A", "on": "2024-01-05", "kind": "joint_project"}
    assert details["E6"] == {"prefix": "32", "prefix_len": 2}
    assert {x.expert: x.reason_en for x in excl}["E1"] == (
        "the expert's current organisation is an applicant"
    )
    assert reasons["E1"] == "专家现任单位为申报单位"
    assert reasons["E2"] == "专家3年内曾在申报单位任职（至2023-06-30）"
    assert reasons["E3"] == "专家与项目人员 P-1 有申报的关系（亲属、师生或合作者）"
    assert reasons["E4"] == "已申报利益冲突"
    assert reasons["E5"] == "专家3年内与申报单位有合作记录（2024-01-05）"
    assert reasons["E6"] == "专家与申报单位属同一地区（区划代码前2位 32）"
    assert reasons["E7"] == "申报方申请回避该专家"
    # The fourth named expert (E6) is already excluded by region; a fourth name is not honoured:
    problem.same_region_prefix = None
    assert ("A1", "E6", "named") not in pairs(exclusions(problem))
    assert ("A1", "E6", "region") not in pairs(exclusions(problem))


@pytest.mark.parametrize(
    ("until", "excluded"),
    [
        (date(2023, 6, 30), True),  # the contract's example: exactly 3 calendar years counts
        (date(2023, 6, 29), False),
        (date(2026, 1, 1), True),
    ],
)
def test_past_organisation_window_boundary(until, excluded):
    problem = AssignmentProblem(
        call_date=CALL,
        applications=[Application("A1", organisations=("ORG",))],
        experts=[Expert("E1", past_organisations=(PastOrganisation("ORG", until),))],
    )
    assert (pairs(exclusions(problem)) == [("A1", "E1", "past_organisation")]) is excluded


def test_window_from_29_february_starts_on_28_february():
    assert window_start(date(2028, 2, 29), 3) == date(2025, 2, 28)
    assert window_start(date(2028, 2, 29), 4) == date(2024, 2, 29)
    problem = AssignmentProblem(
        call_date=date(2028, 2, 29),
        applications=[Application("A1", organisations=("ORG",))],
        experts=[
            Expert("E1", past_organisations=(PastOrganisation("ORG", date(2025, 2, 28)),)),
            Expert("E2", past_organisations=(PastOrganisation("ORG", date(2025, 2, 27)),)),
            Expert("E3", collaborations=(Collaboration("ORG", date(2025, 2, 28)),)),
            Expert("E4", collaborations=(Collaboration("ORG", date(2025, 2, 27)),)),
        ],
    )
    assert pairs(exclusions(problem)) == [
        ("A1", "E1", "past_organisation"),
        ("A1", "E3", "collaboration"),
    ]


def test_conflict_years_is_a_setting():
    problem = AssignmentProblem(
        call_date=CALL,
        conflict_years=5,
        applications=[Application("A1", organisations=("ORG",))],
        experts=[Expert("E1", past_organisations=(PastOrganisation("ORG", date(2021, 6, 30)),))],
    )
    assert pairs(exclusions(problem)) == [("A1", "E1", "past_organisation")]
    problem.conflict_years = 4
    assert exclusions(problem) == []


# --- the optimum ----------------------------------------------------------------------------


def small_problem(**kw):
    apps = [
        Application("A1", organisations=("O1",)),
        Application("A2", organisations=("O2",), people=("P1",)),
    ]
    experts = [
        Expert("E1", "O1"),
        Expert("E2", "O3"),
        Expert("E3", "O3"),
        Expert("E4", relations=("P1",)),
        Expert("E5", past_organisations=(PastOrganisation("O2", date(2023, 6, 30)),)),
    ]
    aff = {
        ("A1", "E2"): D("0.9"),
        ("A1", "E3"): D("0.8"),
        ("A2", "E1"): D("0.5"),
        ("A2", "E4"): D("0.99"),
        ("A1", "E5"): D("0.1"),
    }
    return AssignmentProblem(
        call_date=CALL,
        applications=apps,
        experts=experts,
        reviewers_per_application=2,
        affinity=aff,
        **kw,
    )


def test_small_optimum_by_hand():
    # A1 may not have E1 (same organisation); E2 and E3 share O3 (one per application):
    # best A1 = E2 0.9 + E5 0.1. A2 may not have E4 (relation) nor E5 (former employer):
    # best A2 = E1 0.5 + one of E2/E3 at 0. Total 1.5.
    result = solve_assignment(small_problem())
    assert result.total_affinity == D("1.5000")
    assert result.assignments["A1"] == ("E2", "E5")
    assert result.assignments["A2"][0] == "E1"
    assert result.worst_application_affinity == D("0.5000")
    assert result.per_pair[("A1", "E2")] == {"affinity": D("0.9000"), "fixed": False}
    assert result.method == "optimal" and result.solver == "min_cost_flow"


def test_manual_placements_are_kept():
    result = solve_assignment(small_problem(fixed=frozenset({("A1", "E3")})))
    assert result.assignments["A1"] == ("E3", "E5")  # E2 would break the one-per-O3 cap
    assert result.per_pair[("A1", "E3")]["fixed"] is True
    assert result.total_affinity == D("1.4000")


def test_panel_rules_use_the_integer_programme():
    problem = small_problem(panel_rules=(PanelRule("at_least_attribute", "economic", count=1),))
    problem.experts[4] = Expert(
        "E5",
        past_organisations=(PastOrganisation("O2", date(2023, 6, 30)),),
        attributes=frozenset({"economic"}),
    )
    problem.experts[1] = Expert("E2", "O3", attributes=frozenset({"economic"}))
    result = solve_assignment(problem)
    assert result.solver == "cp_sat"
    assert result.total_affinity == D("1.5000")
    assert "E2" in result.assignments["A2"]  # the only economic expert A2 may have


def test_infeasible_application_named_with_its_count():
    problem = small_problem()
    problem.reviewers_per_application = 4
    with pytest.raises(InfeasibleAssignment) as err:
        solve_assignment(problem)
    assert err.value.problems == [
        "申报 A1 只有 3 位可选专家（回避和单位上限之后），需要 4 位",
        "申报 A2 只有 2 位可选专家（回避和单位上限之后），需要 4 位",
    ]
    assert err.value.problems_en[0] == (
        "application A1 has only 3 eligible experts (after 回避 and the organisation cap), needs 4"
    )


def test_infeasible_loads_named():
    problem = small_problem()
    problem.experts = [
        Expert(e.id, e.organisation, e.past_organisations, e.relations, min_load=2)
        for e in problem.experts
    ]
    with pytest.raises(InfeasibleAssignment) as err:
        solve_assignment(problem)
    assert err.value.problems == [
        "专家最低评审量之和 10 超过评审任务总数 4",
        "专家 E1 的最低评审量 2 超过其可评审的申报数 1",
        "专家 E4 的最低评审量 2 超过其可评审的申报数 1",
        "专家 E5 的最低评审量 2 超过其可评审的申报数 1",
    ]
    problem = small_problem()
    problem.experts = [
        Expert(e.id, e.organisation, e.past_organisations, e.relations, max_load=0)
        for e in problem.experts[:4]
    ] + [problem.experts[4]]
    with pytest.raises(InfeasibleAssignment) as err:
        solve_assignment(problem)
    assert "专家最高评审量之和 2 少于评审任务总数 4" in err.value.problems


def test_infeasible_combination_named():
    # Each application alone has 2 candidates and the loads add up, but E9 can review only one.
    problem = AssignmentProblem(
        call_date=CALL,
        applications=[Application("A1"), Application("A2")],
        experts=[
            Expert("E1", max_load=1),
            Expert("E2", max_load=1),
            Expert("E9", max_load=1),
            Expert("E3", max_load=1),
        ],
        reviewers_per_application=2,
        conflicts=frozenset({("A1", "E3"), ("A2", "E3"), ("A1", "E1"), ("A2", "E1")}),
    )
    with pytest.raises(InfeasibleAssignment) as err:
        solve_assignment(problem)
    assert err.value.problems == [
        "申报 A1、A2 无法同时获得足够专家：它们可选的专家 E2、E9 的评审量上限不够，还缺 2 次评审"
    ]


def test_listed_pairs_only_and_bulk_arrays_give_the_same_optimum():
    problem = small_problem()
    dense = solve_assignment(problem)
    bulk = small_problem(listed_pairs_only=False)
    index_a = {a.id: i for i, a in enumerate(bulk.applications)}
    index_e = {e.id: i for i, e in enumerate(bulk.experts)}
    items = list(bulk.affinity.items())
    bulk.affinity_scaled = (
        np.array([index_a[a] for (a, _), _ in items]),
        np.array([index_e[e] for (_, e), _ in items]),
        np.array([int(s * 10000) for _, s in items]),
    )
    bulk.affinity = {}
    assert solve_assignment(bulk).total_affinity == dense.total_affinity


# --- brute force ----------------------------------------------------------------------------


def brute_force(problem: AssignmentProblem):
    """The best total over every assignment, or None when none is feasible."""
    banned = {(x.application, x.expert) for x in exclusions(problem)}
    experts = problem.experts
    k = problem.reviewers_per_application
    options = []
    for app in problem.applications:
        choices = []
        for combo in itertools.combinations(range(len(experts)), k):
            ids = [experts[i].id for i in combo]
            if any((app.id, e) in banned for e in ids):
                continue
            fixed_here = {e for a, e in problem.fixed if a == app.id}
            if not fixed_here <= set(ids):
                continue
            orgs = [experts[i].organisation for i in combo if experts[i].organisation]
            if any(orgs.count(o) > problem.max_experts_per_organisation for o in orgs):
                continue
            if check_assignment(problem, app.id, ids):
                continue
            choices.append(combo)
        options.append(choices)
    best = None
    for plan in itertools.product(*options):
        loads = [0] * len(experts)
        for combo in plan:
            for i in combo:
                loads[i] += 1
        if any(
            loads[i] < e.min_load or (e.max_load is not None and loads[i] > e.max_load)
            for i, e in enumerate(experts)
        ):
            continue
        total = sum(
            (
                problem.affinity.get((app.id, experts[i].id), D(0))
                for app, combo in zip(problem.applications, plan, strict=True)
                for i in combo
            ),
            D(0),
        )
        best = total if best is None else max(best, total)
    return best


@st.composite
def problems(draw, panel: bool = False):
    n_apps = draw(st.integers(1, 3))
    n_exp = draw(st.integers(2, 5))
    k = draw(st.integers(1, 2))
    orgs = ["O1", "O2", "O3", ""]
    apps = [
        Application(f"A{i}", organisations=(draw(st.sampled_from(orgs[:3])),))
        for i in range(n_apps)
    ]
    experts = []
    for j in range(n_exp):
        lo = draw(st.integers(0, 1))
        hi = draw(st.one_of(st.none(), st.integers(lo, 3)))
        experts.append(
            Expert(
                f"E{j}",
                organisation=draw(st.sampled_from(orgs)),
                min_load=lo,
                max_load=hi,
                region=draw(st.sampled_from(["3204", "3205", "1100"])),
                attributes=frozenset({"economic"}) if draw(st.booleans()) else frozenset(),
            )
        )
    scores = st.integers(0, 10000).map(lambda n: D(n).scaleb(-4))
    affinity = {}
    for a in apps:
        for e in experts:
            if draw(st.booleans()):
                affinity[(a.id, e.id)] = draw(scores)
    conflicts = frozenset(
        (a.id, e.id) for a in apps for e in experts if draw(st.integers(0, 9)) == 0
    )
    rules = ()
    if panel:
        rules = tuple(
            draw(
                st.lists(
                    st.sampled_from(
                        [
                            PanelRule("at_least_attribute", "economic", count=1),
                            PanelRule("at_most_per_region", prefix_len=4, count=1),
                            PanelRule("at_most_per_region", prefix_len=2, count=1),
                        ]
                    ),
                    min_size=1,
                    max_size=2,
                    unique=True,
                )
            )
        )
    return AssignmentProblem(
        call_date=CALL,
        applications=apps,
        experts=experts,
        reviewers_per_application=k,
        max_experts_per_organisation=1,
        affinity=affinity,
        conflicts=conflicts,
        panel_rules=rules,
    )


def _compare(problem):
    expected = brute_force(problem)
    if expected is None:
        with pytest.raises(InfeasibleAssignment):
            solve_assignment(problem)
        return
    result = solve_assignment(problem)
    assert result.total_affinity == expected
    for app in problem.applications:
        ids = result.assignments[app.id]
        assert check_assignment(problem, app.id, ids) == []
    for e in problem.experts:
        assert e.min_load <= result.loads[e.id] <= (e.max_load if e.max_load is not None else 99)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_flow_optimum_equals_brute_force(problem):
    _compare(problem)


@settings(max_examples=80, deadline=None)
@given(problems(panel=True))
def test_integer_programme_optimum_equals_brute_force(problem):
    _compare(problem)


# --- against a generic MIP ------------------------------------------------------------------


def test_medium_instance_equals_highs_mip():
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix

    rng = np.random.default_rng(7)
    P, R, k = 40, 20, 3
    apps = [Application(f"A{i}", organisations=(f"O{rng.integers(0, 15)}",)) for i in range(P)]
    experts = [
        Expert(f"E{j}", organisation=f"O{rng.integers(0, 12)}", min_load=2, max_load=8)
        for j in range(R)
    ]
    aff = {(a.id, e.id): D(int(rng.integers(0, 10001))).scaleb(-4) for a in apps for e in experts}
    conflicts = frozenset((a.id, e.id) for a in apps for e in experts if rng.random() < 0.05)
    problem = AssignmentProblem(
        call_date=CALL,
        applications=apps,
        experts=experts,
        reviewers_per_application=k,
        affinity=aff,
        conflicts=conflicts,
    )
    result = solve_assignment(problem)

    banned = {(x.application, x.expert) for x in exclusions(problem)}
    var = [(a, e) for a in range(P) for e in range(R) if (apps[a].id, experts[e].id) not in banned]
    n = len(var)
    cost = np.array([-float(aff[(apps[a].id, experts[e].id)]) for a, e in var])
    rows, lo, hi = [], [], []
    A = lil_matrix((P + R + P * 12, n))
    for j, (a, e) in enumerate(var):
        A[a, j] = 1
        A[P + e, j] = 1
        org = int(experts[e].organisation[1:])
        A[P + R + a * 12 + org, j] = 1
    lo = [k] * P + [2] * R + [0] * (P * 12)
    hi = [k] * P + [8] * R + [1] * (P * 12)
    res = milp(
        cost,
        constraints=LinearConstraint(A.tocsr(), lo, hi),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
    )
    assert res.status == 0
    chosen = [var[j] for j in np.nonzero(res.x > 0.5)[0]]
    mip_total = sum((aff[(apps[a].id, experts[e].id)] for a, e in chosen), D(0))
    assert result.total_affinity == mip_total
    del rows


# --- the pruned network, proved by the dual -----------------------------------------------


def _check_choice(c, chosen):
    """Every application its k, every expert within its loads, no group over its cap."""
    assert (np.bincount(c.pair_app[chosen], minlength=len(c.app_ids)) == c.k_rem).all()
    loads = np.bincount(c.pair_exp[chosen], minlength=len(c.exp_ids))
    assert (loads >= c.lo_rem).all() and (loads <= c.hi_rem).all()
    has, inv, uniq, caps = c.group_caps()
    assert (np.bincount(inv[chosen[has]], minlength=len(uniq)) <= caps).all()


def _full_network_optimum(c) -> int:
    from zhizao_core.review.network import build_flow

    smcf, _first, _ = build_flow(c)
    assert smcf.solve() == smcf.OPTIMAL
    return -smcf.optimal_cost()


@settings(max_examples=150, deadline=None)
@given(problems(), st.integers(1, 3), st.integers(1, 2))
def test_pruned_network_proved_by_the_dual_equals_the_whole_network(problem, keep, per_expert):
    from zhizao_core.review.assign import _solve_pruned
    from zhizao_core.review.compile import compile_problem

    c = compile_problem(problem)
    chosen = _solve_pruned(c, None, per_application=keep, per_expert=per_expert)
    try:
        expected = solve_assignment(problem)
    except InfeasibleAssignment:
        assert chosen is None  # a pruned network of an infeasible problem has no flow either
        return
    if chosen is None:  # no proof reached: the caller solves the whole network
        return
    _check_choice(c, chosen)
    total = int(c.pair_aff[chosen].sum()) + sum(c.fixed_aff.values())
    assert D(total).scaleb(-4) == expected.total_affinity


def _dense_instance(P, R, k, seed):
    rng = np.random.default_rng(seed)
    apps = [Application(f"A{i}", organisations=(f"O{rng.integers(0, 40)}",)) for i in range(P)]
    hi = -(-k * P // R) + 1
    experts = [
        Expert(f"E{j}", organisation=f"O{rng.integers(0, 40)}", min_load=1, max_load=hi)
        for j in range(R)
    ]
    # clustered affinities: many applications want the same few experts, so the best
    # candidates alone cannot carry the loads and the dual has to bring more pairs in
    taste = rng.integers(0, 10001, size=(P, R)) // 4 + 7500 * (rng.random((1, R)) < 0.1)
    pa = np.repeat(np.arange(P, dtype=np.int64), R)
    pe = np.tile(np.arange(R, dtype=np.int64), P)
    conflicts = frozenset(
        (f"A{a}", f"E{e}")
        for a, e in zip(rng.integers(0, P, P), rng.integers(0, R, P), strict=True)
    )
    return AssignmentProblem(
        call_date=CALL,
        applications=apps,
        experts=experts,
        reviewers_per_application=k,
        conflicts=conflicts,
        affinity_scaled=(pa, pe, np.minimum(taste.ravel(), 10000).astype(np.int64)),
    )


@pytest.mark.parametrize(("keep", "seed"), [(1, 1), (1, 2), (2, 3), (6, 4)])
def test_pruned_network_needs_the_dual_to_add_pairs_and_gets_the_same_optimum(keep, seed):
    from zhizao_core.review.assign import _initial_keep, _solve_pruned
    from zhizao_core.review.compile import compile_problem

    c = compile_problem(_dense_instance(120, 40, 3, seed))
    chosen = _solve_pruned(c, None, per_application=keep, per_expert=1)
    assert chosen is not None
    _check_choice(c, chosen)
    assert int(c.pair_aff[chosen].sum()) == _full_network_optimum(c)
    if keep == 1:  # the first pruned network alone was not the optimum
        first = _initial_keep(c, keep, 1)
        assert chosen[~first].any()


def test_a_round_above_the_pruning_size_gets_the_whole_networks_optimum():
    from zhizao_core.review.assign import PRUNE_MIN_PAIRS, PRUNE_MIN_PER_SLOT
    from zhizao_core.review.compile import compile_problem

    problem = _dense_instance(1100, 400, 3, 5)
    c = compile_problem(problem)
    assert len(c.pair_app) >= max(PRUNE_MIN_PAIRS, PRUNE_MIN_PER_SLOT * c.slots)
    result = solve_assignment(problem)
    assert result.total_affinity == D(_full_network_optimum(c)).scaleb(-4)
    assert sum(len(v) for v in result.assignments.values()) == 3300
