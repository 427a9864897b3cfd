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

from .compile import Compiled, check_obvious, compile_problem, diagnose_combined, raise_infeasible
from .model import AssignmentProblem, AssignmentResult
from .network import build_flow

__all__ = ["build_flow", "result_from_choice", "solve_assignment"]  # build_flow: network.py


def _likely_overfilled(c: Compiled) -> np.ndarray:
    """Groups that an application's 2k best candidates would overfill: added before the first
    solve so that one round usually suffices (any group may be added: each is a true
    constraint)."""
    has, inv, uniq, caps = c.group_caps()
    n = len(c.pair_app)
    key = c.pair_app * 16384 + (10000 - np.clip(c.pair_aff, 0, 10000))
    order = np.argsort(key, kind="stable")
    counts = np.bincount(c.pair_app, minlength=len(c.app_ids))
    starts = np.cumsum(counts) - counts
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - starts[c.pair_app[order]]
    top = rank < 2 * np.maximum(c.k_rem[c.pair_app], 1)
    in_top = top[has]
    used = np.bincount(inv[in_top], minlength=len(uniq))
    return used > caps


def _solve_flow(c: Compiled, *, lazy: bool = True) -> np.ndarray:
    """The optimum by min-cost flow. With ``lazy`` the organisation cap is added as needed:
    solve with the groups that fixed placements already use, then add a node for every
    (application, organisation) group the solution overfills and solve again, until none is
    overfilled. Each round solves a relaxation of the full problem exactly, so a solution that
    meets every cap is the optimum of the full problem; on real and generated data one to three
    rounds add a few hundred groups instead of one node per group."""
    has, inv, uniq, caps = c.group_caps()
    n = len(c.pair_app)
    m = c.problem.max_experts_per_organisation
    active = None
    if lazy and len(uniq):
        active = (caps < m) | _likely_overfilled(c)
    for _round in range(30):
        smcf, first, _ = build_flow(c, active_groups=active)
        status = smcf.solve()
        if status != smcf.OPTIMAL:
            # A relaxation is infeasible only when the full problem is.
            raise_infeasible(diagnose_combined(c))
        chosen = smcf.flows(np.arange(first, first + n, dtype=np.int32)) > 0
        if active is None:
            return chosen
        used = np.bincount(inv[chosen[has]], minlength=len(uniq))
        over = (used > caps) & ~active
        if not over.any():
            return chosen
        active |= over
    active[:] = True
    smcf, first, _ = build_flow(c, active_groups=active)
    if smcf.solve() != smcf.OPTIMAL:
        raise_infeasible(diagnose_combined(c))
    return smcf.flows(np.arange(first, first + n, dtype=np.int32)) > 0


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
