"""The min-cost-flow network of a compiled assignment problem (see assign.py for its shape)."""

from __future__ import annotations

import numpy as np

__all__ = ["build_flow"]


def build_flow(
    c,
    *,
    pair_capacity: int = 1,
    scale: int = 1,
    costs=None,
    active_groups=None,
    want_ends=False,
    group_nodes=None,
    want_arcs=False,
):
    """The min-cost-flow network of a compiled problem. Every capacity and supply is multiplied
    by ``scale`` (the draw solves a fractional problem in units of 1/scale); pair arcs get
    ``pair_capacity`` (already in those units). ``active_groups`` (a boolean mask over the
    (application, organisation) groups) limits the organisation nodes to those groups; by
    default every group with more candidates than its cap gets one. Returns (solver, first pair
    arc, (first group arc, number of group arcs)[, (tails, heads) of every arc with
    ``want_ends``; (tails, heads, capacities, costs) with ``want_arcs``]). ``group_nodes``
    (a mask over the groups) gives exactly the groups that get a node, whatever their count
    (a pruned network keeps the nodes of the full one)."""
    from ortools.graph.python import min_cost_flow

    P, R = len(c.app_ids), len(c.exp_ids)
    expert_node = 1 + np.arange(R, dtype=np.int64)
    app_node = 1 + R + np.arange(P, dtype=np.int64)
    has, inv, uniq, caps = c.group_caps()
    group_counts = np.bincount(inv, minlength=len(uniq)) if len(uniq) else np.zeros(0, np.int64)
    needs = group_counts > caps
    if active_groups is not None:
        needs &= active_groups
    if group_nodes is not None:
        needs = group_nodes.copy()
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
    if want_arcs:
        tails = np.concatenate(
            [np.zeros(R, dtype=np.int64), expert_node[c.pair_exp], group_node[needs]]
        )
        ends = np.concatenate([expert_node, heads, app_node[uniq[needs] // max(c.n_orgs, 1)]])
        capacities = np.concatenate(
            [
                ((c.hi_rem - c.lo_rem).clip(min=0) * scale).astype(np.int64),
                np.full(n, pair_capacity, dtype=np.int64),
                (np.maximum(caps[needs], 0) * scale).astype(np.int64),
            ]
        )
        arc_costs = np.concatenate(
            [np.zeros(R, dtype=np.int64), cost.astype(np.int64), np.zeros(n_groups, np.int64)]
        )
        return smcf, first_pair, (first_group, n_groups), (tails, ends, capacities, arc_costs)
    if want_ends:
        tails = [np.zeros(R, dtype=np.int64), expert_node[c.pair_exp]]
        ends = [expert_node, heads]
        if n_groups:
            tails.append(group_node[needs])
            ends.append(app_node[uniq[needs] // max(c.n_orgs, 1)])
        return (
            smcf,
            first_pair,
            (first_group, n_groups),
            (np.concatenate(tails), np.concatenate(ends)),
        )
    return smcf, first_pair, (first_group, n_groups)
