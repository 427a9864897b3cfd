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

import dataclasses
from decimal import Decimal

import numpy as np

from .compile import Compiled, check_obvious, compile_problem, diagnose_combined, raise_infeasible
from .model import AssignmentProblem, AssignmentResult
from .network import build_flow

__all__ = ["build_flow", "result_from_choice", "solve_assignment"]  # build_flow: network.py


def _likely_overfilled(c: Compiled) -> np.ndarray:
    """Groups that an application's 2k best candidates would overfill: added before the first
    solve so that one round usually suffices (any group may be added: each is a true
    constraint; ties at the 2k-th score count in)."""
    has, inv, uniq, caps = c.group_caps()
    k = int(max(c.k_rem.max(initial=1), 1))
    top = _top_in_groups(c.pair_app, c.pair_aff, len(c.app_ids), 2 * k)
    used = np.bincount(inv[top[has]], minlength=len(uniq))
    return used > caps


# --- pruned solving, proved by the dual ----------------------------------------------------------
#
# A dense round (5,000 × 2,500: 12.5 M candidate pairs) needs only a few of each application's
# candidates. The network is solved on each application's best candidates and each expert's
# best applications; node potentials of that optimum (shortest distances in its residual
# network, Bellman–Ford) then price every pair left out. When no left-out pair has a negative
# reduced cost the residual network of the full problem has no negative cycle, so the pruned
# optimum is the optimum of the full problem (min-cost-flow optimality conditions); otherwise
# the priced-out pairs with a negative reduced cost are added and the network solved again.
# Nothing is approximated: when the certificate cannot be made (too many rounds, no
# convergence, a pruned network without a feasible flow) the whole network is solved.

PRUNE_MIN_PAIRS = 400_000  # smaller networks are solved whole
PRUNE_MIN_PER_SLOT = 100  # candidates per needed review below which pruning gains nothing
PRUNE_PER_APPLICATION = 6  # × k: an application's best candidates kept at first
PRUNE_PER_EXPERT = 2  # × its maximum load: an expert's best applications kept at first
PRUNE_ROUNDS = 8
POTENTIAL_ITERATIONS = 4000


def _top_in_groups(key: np.ndarray, score: np.ndarray, n_groups: int, top: int) -> np.ndarray:
    """The pairs among the ``top`` best scores of their group (ties kept: a superset is
    fine). Groups are small integers; a stable radix sort groups them."""
    n = len(key)
    counts = np.bincount(key, minlength=n_groups)
    width = int(counts.max()) if n else 0
    if width <= top:
        return np.ones(n, dtype=bool)
    starts = np.cumsum(counts) - counts
    padded = np.full((n_groups, width), -1, dtype=np.int64)
    if np.all(key[1:] >= key[:-1]):  # already grouped (the compiled pairs are, by application)
        padded[key, np.arange(n, dtype=np.int64) - starts[key]] = score
    else:
        small = key.astype(np.int32 if n_groups > 32767 else np.int16)
        order = np.argsort(small, kind="stable")
        sorted_key = key[order]
        padded[sorted_key, np.arange(n, dtype=np.int64) - starts[sorted_key]] = score[order]
    threshold = np.partition(padded, width - top, axis=1)[:, width - top]
    return score >= threshold[key]


def _initial_keep(
    c: Compiled, per_application: int = PRUNE_PER_APPLICATION, per_expert: int = PRUNE_PER_EXPERT
) -> np.ndarray:
    """Each application's 6k best candidates, and for an expert left with fewer than twice its
    maximum load of kept pairs, its best applications too (so that loads can be met)."""
    k = int(max(c.k_rem.max(initial=1), 1))
    keep = _top_in_groups(c.pair_app, c.pair_aff, len(c.app_ids), per_application * k)
    R = len(c.exp_ids)
    wanted = np.maximum(c.hi_rem, 1) * per_expert
    needy = np.bincount(c.pair_exp[keep], minlength=R) < wanted
    if needy.any():
        idx = np.nonzero(needy[c.pair_exp])[0]
        top = int(wanted[needy].max())
        keep[idx[_top_in_groups(c.pair_exp[idx], c.pair_aff[idx], R, top)]] = True
    return keep


def _subset(c: Compiled, idx: np.ndarray) -> Compiled:
    """The same problem restricted to the candidate pairs ``idx`` (same groups and caps)."""
    has, inv, uniq, caps = c.group_caps()
    sub = dataclasses.replace(
        c, pair_app=c.pair_app[idx], pair_exp=c.pair_exp[idx], pair_aff=c.pair_aff[idx]
    )
    where = np.full(len(c.pair_app), -1, dtype=np.int64)
    where[has] = np.arange(len(has), dtype=np.int64)
    sel = where[idx]
    inside = sel >= 0
    sub.__dict__["_group_caps"] = (np.nonzero(inside)[0], inv[sel[inside]], uniq, caps)
    return sub


def _potentials(n_nodes, tails, heads, capacities, costs, flows) -> np.ndarray | None:
    """Node potentials that make every residual arc's reduced cost non-negative (shortest
    distances from a virtual root joined to every node), or None without convergence."""
    fwd = flows < capacities
    back = flows > 0
    rt = np.concatenate([tails[fwd], heads[back]])
    rh = np.concatenate([heads[fwd], tails[back]])
    rc = np.concatenate([costs[fwd], -costs[back]])
    order = np.argsort(rh, kind="stable")
    rt, rh, rc = rt[order], rh[order], rc[order]
    uh, starts = np.unique(rh, return_index=True)
    d = np.zeros(n_nodes, dtype=np.int64)
    for _ in range(POTENTIAL_ITERATIONS):
        best = np.minimum.reduceat(d[rt] + rc, starts)
        lower = best < d[uh]
        if not lower.any():
            return d
        d[uh[lower]] = best[lower]
    return None


def _solve_pruned(
    c: Compiled,
    active,
    *,
    per_application: int = PRUNE_PER_APPLICATION,
    per_expert: int = PRUNE_PER_EXPERT,
) -> np.ndarray | None:
    """The exact optimum of the network with the ``active`` organisation groups, solved on a
    pruned set of pairs and proved by the dual; None when no proof is reached."""
    n = len(c.pair_app)
    R, P = len(c.exp_ids), len(c.app_ids)
    has, inv, uniq, caps = c.group_caps()
    nodes = np.bincount(inv, minlength=len(uniq)) > caps if len(uniq) else np.zeros(0, bool)
    if active is not None:
        nodes &= active
    node_of_group = np.full(len(uniq), -1, dtype=np.int64)
    node_of_group[nodes] = 1 + R + P + np.arange(int(nodes.sum()), dtype=np.int64)
    head = 1 + R + c.pair_app
    if len(has):
        via = node_of_group[inv]
        routed = via >= 0
        head[has[routed]] = via[routed]
    keep = _initial_keep(c, per_application, per_expert)
    for _round in range(PRUNE_ROUNDS):
        idx = np.nonzero(keep)[0]
        sub = _subset(c, idx)
        smcf, first, _groups, (tails, heads, capacities, costs) = build_flow(
            sub, group_nodes=nodes, want_arcs=True
        )
        if smcf.solve() != smcf.OPTIMAL:
            if keep.all():
                return None
            # too few pairs to carry every application and load: keep twice as many
            per_application, per_expert = 2 * per_application, 2 * per_expert
            keep |= _initial_keep(c, per_application, per_expert)
            continue
        flows = smcf.flows(np.arange(len(tails), dtype=np.int32))
        pi = _potentials(smcf.num_nodes(), tails, heads, capacities, costs, flows)
        if pi is None:
            return None
        out = np.nonzero(~keep)[0]
        reduced = -c.pair_aff[out] + pi[1 + c.pair_exp[out]] - pi[head[out]]
        negative = reduced < 0
        if not negative.any():
            chosen = np.zeros(n, dtype=bool)
            chosen[idx] = flows[first : first + len(idx)] > 0
            return chosen
        keep[out[negative]] = True
    return None


def _solve_relaxation(c: Compiled, active) -> np.ndarray:
    """The exact optimum with the organisation cap only on the ``active`` groups (all groups
    when None)."""
    n = len(c.pair_app)
    # worth it on dense rounds only (5,000 × 2,500: 833 candidates per review needed); a
    # sparse top-200 round (40–67 per review) is solved as fast whole
    if n >= PRUNE_MIN_PAIRS and n >= PRUNE_MIN_PER_SLOT * max(c.slots, 1):
        chosen = _solve_pruned(c, active)
        if chosen is not None:
            return chosen
    smcf, first, _ = build_flow(c, active_groups=active)
    if smcf.solve() != smcf.OPTIMAL:
        # A relaxation is infeasible only when the full problem is.
        raise_infeasible(diagnose_combined(c))
    return smcf.flows(np.arange(first, first + n, dtype=np.int32)) > 0


def _solve_flow(c: Compiled, *, lazy: bool = True) -> np.ndarray:
    """The optimum by min-cost flow. With ``lazy`` the organisation cap is added as needed:
    solve with the groups that fixed placements already use, then add a node for every
    (application, organisation) group the solution overfills and solve again, until none is
    overfilled. Each round solves a relaxation of the full problem exactly, so a solution that
    meets every cap is the optimum of the full problem; on real and generated data one to three
    rounds add a few hundred groups instead of one node per group."""
    has, inv, uniq, caps = c.group_caps()
    m = c.problem.max_experts_per_organisation
    active = None
    if lazy and len(uniq):
        active = (caps < m) | _likely_overfilled(c)
    for _round in range(30):
        chosen = _solve_relaxation(c, active)
        if active is None:
            return chosen
        used = np.bincount(inv[chosen[has]], minlength=len(uniq))
        over = (used > caps) & ~active
        if not over.any():
            return chosen
        active |= over
    active[:] = True
    return _solve_relaxation(c, active)


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
