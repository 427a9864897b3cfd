"""The exact optimum of expert assignment.

Maximise the total affinity subject to: every application gets exactly k distinct experts,
every expert between its minimum and maximum load, no excluded pair (回避), at most m experts of
one (current) organisation on one application, and the call's panel rules.

Without panel rules this is a min-cost flow, solved exactly by OR-Tools ``SimpleMinCostFlow``
(network matrices of bipartite b-matchings are totally unimodular, so the integral flow of least
cost is the optimum of the integer problem)::

    source ──(max−min load)──▶ expert r ──(1, cost −affinity×10⁴)──▶ [application p, org o] ──(m)──▶ p
     supply K−Σmin            supply min load                       node only when o has more   supply −k
                                                                    than m candidates on p

Minimum loads are lower bounds moved into node supplies. Affinities have 4 places and are
scaled by 10⁴ to integers, so the optimum is exact and ``total_affinity`` is the exact decimal
sum. Panel rules (at least n experts with an attribute, at most n per region) break the flow
structure: then the same problem is an integer programme solved to proven optimality by
OR-Tools CP-SAT (one worker, fixed seed: the same input gives the same assignment).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from .compile import Compiled, check_obvious, compile_problem, raise_infeasible
from .model import AssignmentProblem, AssignmentResult

__all__ = ["build_flow", "result_from_choice", "solve_assignment"]


def build_flow(c: Compiled, *, pair_capacity: int = 1, scale: int = 1, costs=None):
    """The min-cost-flow network of a compiled problem. Every capacity and supply is multiplied
    by ``scale`` (the draw solves a fractional problem in units of 1/scale); pair arcs get
    ``pair_capacity`` (already in those units). Returns (solver, first pair arc, group arcs)."""
    from ortools.graph.python import min_cost_flow

    P, R = len(c.app_ids), len(c.exp_ids)
    expert_node = 1 + np.arange(R, dtype=np.int64)
    app_node = 1 + R + np.arange(P, dtype=np.int64)
    has, inv, uniq, caps = c.group_caps()
    group_counts = np.bincount(inv, minlength=len(uniq)) if len(uniq) else np.zeros(0, np.int64)
    needs = group_counts > caps
    group_node = np.full(len(uniq), -1, dtype=np.int64)
    n_groups = int(needs.sum())
    group_node[needs] = 1 + R + P + np.arange(n_groups, dtype=np.int64)

    heads = app_node[c.pair_app].copy()
    if len(has):
        via = group_node[inv]
        routed = via >= 0
        heads[has[routed]] = via[routed]

    smcf = min_cost_flow.SimpleMinCostFlow()
    # 1. source → experts (load above the minimum)
    smcf.add_arcs_with_capacity_and_unit_cost(
        np.zeros(R, dtype=np.int32),
        expert_node.astype(np.int32),
        ((c.hi_rem - c.lo_rem).clip(min=0) * scale).astype(np.int64),
        np.zeros(R, dtype=np.int64),
    )
    # 2. expert → application (or its organisation node)
    first_pair = R
    n = len(c.pair_app)
    cost = -c.pair_aff if costs is None else costs
    smcf.add_arcs_with_capacity_and_unit_cost(
        expert_node[c.pair_exp].astype(np.int32),
        heads.astype(np.int32),
        np.full(n, pair_capacity, dtype=np.int64),
        cost.astype(np.int64),
    )
    # 3. organisation nodes → application
    first_group = R + n
    if n_groups:
        g_apps = uniq[needs] // max(c.n_orgs, 1)
        smcf.add_arcs_with_capacity_and_unit_cost(
            group_node[needs].astype(np.int32),
            app_node[g_apps].astype(np.int32),
            (np.maximum(caps[needs], 0) * scale).astype(np.int64),
            np.zeros(n_groups, dtype=np.int64),
        )
    supplies = np.concatenate(
        [
            [(c.slots - int(c.lo_rem.sum())) * scale],
            c.lo_rem * scale,
            -c.k_rem * scale,
            np.zeros(n_groups, dtype=np.int64),
        ]
    ).astype(np.int64)
    smcf.set_nodes_supplies(np.arange(1 + R + P + n_groups, dtype=np.int32), supplies)
    return smcf, first_pair, (first_group, n_groups)


def _solve_flow(c: Compiled) -> np.ndarray:
    smcf, first, _ = build_flow(c)
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise_infeasible([("combined", {"k": c.problem.reviewers_per_application})])
    n = len(c.pair_app)
    flows = smcf.flows(np.arange(first, first + n, dtype=np.int32))
    return flows > 0


def _solve_cp_sat(c: Compiled) -> np.ndarray:
    from ortools.sat.python import cp_model

    problem = c.problem
    n = len(c.pair_app)
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(n)]
    by_app: dict[int, list[int]] = {}
    by_exp: dict[int, list[int]] = {}
    for i in range(n):
        by_app.setdefault(int(c.pair_app[i]), []).append(i)
        by_exp.setdefault(int(c.pair_exp[i]), []).append(i)
    for ai in range(len(c.app_ids)):
        model.add(sum(x[i] for i in by_app.get(ai, ())) == int(c.k_rem[ai]))
    for ei in range(len(c.exp_ids)):
        load = sum(x[i] for i in by_exp.get(ei, ()))
        model.add(load >= int(c.lo_rem[ei]))
        model.add(load <= int(c.hi_rem[ei]))
    has, inv, _uniq, caps = c.group_caps()
    members: dict[int, list[int]] = {}
    for pos, g in zip(has, inv, strict=True):
        members.setdefault(int(g), []).append(int(pos))
    for g, items in members.items():
        if len(items) > caps[g]:
            model.add(sum(x[i] for i in items) <= int(max(caps[g], 0)))
    experts = problem.experts
    fixed_by_app: dict[int, list[int]] = {}
    for ai, ei in c.fixed:
        fixed_by_app.setdefault(ai, []).append(ei)
    for rule in problem.panel_rules:
        if rule.kind == "at_least_attribute":
            for ai, items in by_app.items():
                have = sum(
                    rule.attribute in experts[e].attributes for e in fixed_by_app.get(ai, ())
                )
                chosen = [
                    x[i] for i in items if rule.attribute in experts[int(c.pair_exp[i])].attributes
                ]
                model.add(sum(chosen) >= rule.count - have)
        elif rule.kind == "at_most_per_region":
            for ai, items in by_app.items():
                regions: dict[str, list] = {}
                for i in items:
                    region = experts[int(c.pair_exp[i])].region
                    if len(region) >= rule.prefix_len > 0:
                        regions.setdefault(region[: rule.prefix_len], []).append(x[i])
                used: dict[str, int] = {}
                for e in fixed_by_app.get(ai, ()):
                    region = experts[e].region
                    if len(region) >= rule.prefix_len > 0:
                        key = region[: rule.prefix_len]
                        used[key] = used.get(key, 0) + 1
                for key, chosen in regions.items():
                    if len(chosen) + used.get(key, 0) > rule.count:
                        model.add(sum(chosen) <= rule.count - used.get(key, 0))
        else:
            raise ValueError(f"unknown panel rule {rule.kind!r}")
    model.maximize(sum(int(c.pair_aff[i]) * x[i] for i in range(n) if c.pair_aff[i]))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status != cp_model.OPTIMAL:
        raise_infeasible([("combined", {"k": problem.reviewers_per_application})])
    return np.array([bool(solver.value(v)) for v in x], dtype=bool)


def result_from_choice(
    c: Compiled, chosen: np.ndarray, *, method: str, solver: str, seed=None, cap=None
) -> AssignmentResult:
    """The result of a 0/1 choice over the candidate pairs (plus the fixed pairs)."""
    per_app: dict[int, list[tuple[int, int, bool]]] = {ai: [] for ai in range(len(c.app_ids))}
    idx = np.nonzero(chosen)[0]
    for a, e, s in zip(
        c.pair_app[idx].tolist(), c.pair_exp[idx].tolist(), c.pair_aff[idx].tolist(), strict=True
    ):
        per_app[a].append((e, s, False))
    for (a, e), s in c.fixed_aff.items():
        per_app[a].append((e, s, True))
    assignments: dict[str, tuple[str, ...]] = {}
    per_pair: dict[tuple[str, str], dict] = {}
    loads = dict.fromkeys(c.exp_ids, 0)
    total = 0
    worst = None
    for ai, items in per_app.items():
        a = c.app_ids[ai]
        items.sort(key=lambda t: c.exp_ids[t[0]])
        assignments[a] = tuple(c.exp_ids[e] for e, _, _ in items)
        app_total = 0
        for e, s, fixed in items:
            eid = c.exp_ids[e]
            loads[eid] += 1
            per_pair[(a, eid)] = {"affinity": Decimal(s).scaleb(-4), "fixed": fixed}
            app_total += s
        total += app_total
        worst = app_total if worst is None else min(worst, app_total)
    return AssignmentResult(
        total_affinity=Decimal(total).scaleb(-4).quantize(Decimal("0.0001")),
        assignments=assignments,
        loads=loads,
        exclusions=c.exclusions,
        per_pair=per_pair,
        method=method,
        seed=seed,
        cap=cap,
        worst_application_affinity=Decimal(worst or 0).scaleb(-4).quantize(Decimal("0.0001")),
        solver=solver,
    )


def solve_assignment(problem: AssignmentProblem) -> AssignmentResult:
    """The assignment of largest total affinity; ``InfeasibleAssignment`` names why there is
    none."""
    c = compile_problem(problem)
    check_obvious(c)
    if problem.panel_rules:
        chosen = _solve_cp_sat(c)
        return result_from_choice(c, chosen, method="optimal", solver="cp_sat")
    chosen = _solve_flow(c)
    return result_from_choice(c, chosen, method="optimal", solver="min_cost_flow")
