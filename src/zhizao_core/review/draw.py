"""Random draw (随机抽取) under the same constraints, with a per-pair probability cap Q.

The method (after Jecmen et al., NeurIPS 2020, "randomized assignment with probability caps"),
in two exact integer steps:

1. **Marginals.** Solve the fractional assignment of largest expected affinity in which every
   pair's probability is at most Q: the same min-cost-flow network as the optimum, with every
   capacity and supply multiplied by 10⁴ and the pair arcs given capacity Q × 10⁴. The flow on a
   pair arc ÷ 10⁴ is the pair's probability (``result.probabilities``).
2. **Sampling.** Round that fractional flow to a 0/1 assignment with *dependent rounding on
   cycles*: while an arc carries a fractional amount, find a cycle of fractional arcs (one
   exists, since every node's balance is integral), and push the flow around it forward by α
   with probability β/(α+β) or backward by β otherwise (α, β: the distances to the next whole
   unit). Every step keeps each node's balance, keeps every arc's value between its current
   floor and ceiling, makes at least one more arc whole and leaves every arc's expected value
   unchanged. So the draw gives each application exactly k experts, each expert a load
   between its bounds, at most m experts per organisation, no excluded pair, and each pair is
   drawn with exactly its marginal probability, never above Q.

All randomness comes from ``random.Random(seed)`` consumed in a fixed order, and the flow solver
is deterministic, so the same problem and seed replay the same draw. Manual placements
(``fixed``) are kept, outside the draw. With panel rules the sampled draws that break a rule are
drawn again (up to 1,000 times, the seed's stream continuing): each draw still meets every
constraint, but the pair probabilities are then conditional and the cap is no longer
guaranteed — the result says so in ``method`` ("draw_conditioned").
"""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np

from .assign import result_from_choice
from .compile import Compiled, check_obvious, compile_problem, effective_counts, raise_infeasible
from .model import AssignmentProblem, AssignmentResult
from .network import build_flow

__all__ = ["random_draw"]

UNIT = 10_000  # probabilities in units of 10⁻⁴


def _marginals(c: Compiled, cap_units: int) -> tuple[list[int], list[int], list[int], list[int]]:
    """The fractional flow: (tails, heads, values, bounds-free arc list) of the circulation, in
    units of 1/UNIT. Arcs: source→expert (whole load), expert→(org node|application),
    org node→application. Application→sink and sink→source are whole and left out."""
    smcf, first_pair, (first_group, n_groups), (tails, heads) = build_flow(
        c, pair_capacity=cap_units, scale=UNIT, want_ends=True
    )
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        return None
    R = len(c.exp_ids)
    n_arcs = first_group + n_groups
    arcs = np.arange(n_arcs, dtype=np.int32)
    values = smcf.flows(arcs).astype(np.int64)
    values[:R] += c.lo_rem * UNIT  # the source→expert arcs carry the minimum load as well
    return tails.tolist(), heads.tolist(), values.tolist(), first_pair


def _round(tails: list[int], heads: list[int], values: list[int], rng: random.Random) -> list[int]:
    """Dependent rounding of a circulation given in units of 1/UNIT (see the module text)."""
    values = list(values)
    adj: dict[int, dict[int, None]] = {}
    for a, v in enumerate(values):
        if v % UNIT:
            adj.setdefault(tails[a], {})[a] = None
            adj.setdefault(heads[a], {})[a] = None
    scan = 0
    n = len(values)
    while True:
        while scan < n and values[scan] % UNIT == 0:
            scan += 1
        if scan == n:
            return values
        # Walk along fractional arcs until a node repeats: that closes a cycle.
        start = scan
        u = tails[start]
        a = start
        pos = {u: 0}
        path: list[tuple[int, bool]] = []
        while True:
            forward = tails[a] == u
            v = heads[a] if forward else tails[a]
            path.append((a, forward))
            if v in pos:
                cycle = path[pos[v] :]
                break
            pos[v] = len(path)
            nxt = None
            for b in adj[v]:
                if b != a:
                    nxt = b
                    break
            if nxt is None:  # cannot happen for a circulation with whole balances
                raise RuntimeError("fractional arc without a continuation")
            a, u = nxt, v
        alpha = min((UNIT - values[b] % UNIT) if f else values[b] % UNIT for b, f in cycle)
        beta = min(values[b] % UNIT if f else (UNIT - values[b] % UNIT) for b, f in cycle)
        delta = alpha if rng.randrange(alpha + beta) < beta else -beta
        for b, f in cycle:
            values[b] += delta if f else -delta
            if values[b] % UNIT == 0:
                del adj[tails[b]][b]
                del adj[heads[b]][b]


def _panel_ok(c: Compiled, result: AssignmentResult) -> bool:
    experts = {e.id: e for e in c.problem.experts}
    for rule in c.problem.panel_rules:
        for ids in result.assignments.values():
            if rule.kind == "at_least_attribute":
                if sum(rule.attribute in experts[e].attributes for e in ids) < rule.count:
                    return False
            elif rule.kind == "at_most_per_region":
                seen: dict[str, int] = {}
                for e in ids:
                    region = experts[e].region
                    if len(region) >= rule.prefix_len > 0:
                        key = region[: rule.prefix_len]
                        seen[key] = seen.get(key, 0) + 1
                        if seen[key] > rule.count:
                            return False
    return True


def random_draw(problem: AssignmentProblem, *, seed: int, cap: Decimal) -> AssignmentResult:
    """A random assignment under the same constraints, each pair's probability at most ``cap``;
    the same problem and seed give the same draw."""
    cap = Decimal(cap)
    if not (Decimal(0) < cap <= 1) or cap.as_tuple().exponent < -4:
        raise ValueError("cap must be a decimal in (0, 1] with at most 4 places")
    c = compile_problem(problem)
    check_obvious(c)
    cap_units = int(cap * UNIT)
    fractional = _marginals(c, cap_units)
    if fractional is None:
        # Name the applications whose candidates cannot carry k experts under the cap: each
        # candidate carries at most Q, each organisation at most its cap.
        P = len(c.app_ids)
        has, inv, uniq, caps = c.group_caps()
        no_org = np.ones(len(c.pair_app), dtype=bool)
        no_org[has] = False
        mass = np.bincount(c.pair_app[no_org], minlength=P).astype(np.int64) * cap_units
        if len(uniq):
            counts = np.bincount(inv, minlength=len(uniq))
            mass += np.bincount(
                uniq // max(c.n_orgs, 1),
                weights=np.minimum(counts * cap_units, np.maximum(caps, 0) * UNIT),
                minlength=P,
            ).astype(np.int64)
        need = -(-problem.reviewers_per_application * UNIT // cap_units)
        codes = [
            (
                "cap_short",
                {
                    "app": c.app_ids[ai],
                    "need": int(need),
                    "eligible": int(effective_counts(c)[ai]),
                    "cap": cap,
                },
            )
            for ai in np.nonzero(mass < c.k_rem * UNIT)[0]
        ]
        raise_infeasible(codes or [("combined", {"k": problem.reviewers_per_application})])
    tails, heads, values, first_pair = fractional
    n = len(c.pair_app)
    rng = random.Random(seed)
    probabilities = {
        (c.app_ids[int(c.pair_app[i])], c.exp_ids[int(c.pair_exp[i])]): Decimal(v).scaleb(-4)
        for i, v in enumerate(values[first_pair : first_pair + n])
        if v
    }
    for attempt in range(1000):
        rounded = _round(tails, heads, values, rng)
        chosen = np.array(rounded[first_pair : first_pair + n], dtype=np.int64) >= UNIT
        method = "draw" if not problem.panel_rules else "draw_conditioned"
        result = result_from_choice(
            c, chosen, method=method, solver="min_cost_flow+dependent_rounding", seed=seed, cap=cap
        )
        if not problem.panel_rules or _panel_ok(c, result):
            result.probabilities = probabilities
            for pair, info in result.per_pair.items():
                info["probability"] = probabilities.get(pair, Decimal(1) if info["fixed"] else None)
            result.per_pair_attempts = attempt + 1
            return result
    raise_infeasible([("combined", {"k": problem.reviewers_per_application})])
