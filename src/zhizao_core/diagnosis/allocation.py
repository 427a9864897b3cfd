"""Allocating a diagnosis campaign's target enterprises to providers (免费巡诊).

Rules, in this order:
1. a provider never gets an enterprise it has a stake in (declared conflicts, shared staff);
2. a provider only gets enterprises inside its service regions and never more than its quota;
3. the number of diagnoses never exceeds what the budget pays for (budget ÷ price);
4. among the allocations that serve the most enterprises, the nearest one wins: same district
   before same city before same province before elsewhere in the service region;
5. remaining ties go to enterprises earlier in the target list (the operator's order).

This is a min-cost max-flow (source → enterprise → provider → sink, provider capacity = quota),
solved with OR-Tools. ``greedy_allocate`` is the obvious baseline (each enterprise in turn to
the nearest provider with room); the benchmark compares the two.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DISTANCE_CODES = ("district", "city", "province", "service_region")


@dataclass(frozen=True)
class Target:
    id: int
    region: str  # 6-digit GB/T 2260 code


@dataclass(frozen=True)
class Provider:
    id: int
    home: str  # the provider's own region code
    quota: int
    regions: tuple[str, ...] = ()  # service regions; empty means the home province
    conflicts: frozenset[int] = frozenset()


@dataclass
class Allocation:
    assigned: dict[int, int] = field(default_factory=dict)  # target id → provider id
    distance: dict[int, str] = field(default_factory=dict)  # target id → DISTANCE_CODES item
    unassigned: dict[int, str] = field(default_factory=dict)  # target id → reason code
    capacity: int = 0

    @property
    def cost(self) -> int:
        return sum(DISTANCE_CODES.index(code) for code in self.distance.values())


def covers(region: str, code: str) -> bool:
    """Whether the region ``region`` (province 32xxxx → "320000", city "320200", district)
    contains ``code``."""
    if region.endswith("0000"):
        return code[:2] == region[:2]
    if region.endswith("00"):
        return code[:4] == region[:4]
    return code == region


def distance(provider: Provider, code: str) -> str | None:
    regions = provider.regions or (provider.home[:2] + "0000",)
    if not any(covers(r, code) for r in regions):
        return None
    if code == provider.home:
        return "district"
    if code[:4] == provider.home[:4]:
        return "city"
    if code[:2] == provider.home[:2]:
        return "province"
    return "service_region"


def _candidates(target: Target, providers: list[Provider]) -> list[tuple[int, int, str]]:
    """(distance tier, provider index, distance code) for every provider that may take it."""
    out = []
    for j, provider in enumerate(providers):
        if provider.quota <= 0 or target.id in provider.conflicts:
            continue
        d = distance(provider, target.region)
        if d is not None:
            out.append((DISTANCE_CODES.index(d), j, d))
    return out


def _why_unassigned(target: Target, providers: list[Provider]) -> str:
    in_region = [p for p in providers if distance(p, target.region) is not None]
    if not in_region:
        return "no_provider_in_region"
    if all(target.id in p.conflicts for p in in_region):
        return "conflict_of_interest"
    return "no_capacity"


def allocate(targets: list[Target], providers: list[Provider], capacity: int) -> Allocation:
    from ortools.graph.python import min_cost_flow

    result = Allocation(capacity=max(0, capacity))
    n, m = len(targets), len(providers)
    source, sink = n + m, n + m + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs: list[tuple[int, int, int, str]] = []  # arc index, target idx, provider idx, distance
    rank_scale = n + 1
    for i, target in enumerate(targets):
        flow.add_arc_with_capacity_and_unit_cost(source, i, 1, 0)
        for tier, j, d in _candidates(target, providers):
            # distance dominates; the target's position breaks ties (earlier first)
            cost = tier * rank_scale * 4 + i
            arc = flow.add_arc_with_capacity_and_unit_cost(i, n + j, 1, cost)
            arcs.append((arc, i, j, d))
    for j, provider in enumerate(providers):
        if provider.quota > 0:
            flow.add_arc_with_capacity_and_unit_cost(n + j, sink, provider.quota, 0)
    supply = min(result.capacity, n)
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    if supply and arcs:
        status = flow.solve_max_flow_with_min_cost()
        if status != flow.OPTIMAL:  # pragma: no cover - the graph is always feasible
            raise RuntimeError(f"allocation solver status {status}")
        for arc, i, j, d in arcs:
            if flow.flow(arc) > 0:
                result.assigned[targets[i].id] = providers[j].id
                result.distance[targets[i].id] = d
    _fill_unassigned(result, targets, providers)
    return result


def greedy_allocate(targets: list[Target], providers: list[Provider], capacity: int) -> Allocation:
    """Baseline: each enterprise in list order to the nearest provider with room left."""
    result = Allocation(capacity=max(0, capacity))
    room = {p.id: p.quota for p in providers}
    for target in targets:
        if len(result.assigned) >= result.capacity:
            break
        options = sorted(
            (c for c in _candidates(target, providers) if room[providers[c[1]].id] > 0),
            key=lambda c: (c[0], -room[providers[c[1]].id], c[1]),
        )
        if options:
            _tier, j, d = options[0]
            provider = providers[j]
            room[provider.id] -= 1
            result.assigned[target.id] = provider.id
            result.distance[target.id] = d
    _fill_unassigned(result, targets, providers)
    return result


def _fill_unassigned(result: Allocation, targets: list[Target], providers: list[Provider]) -> None:
    for target in targets:
        if target.id in result.assigned:
            continue
        if len(result.assigned) >= result.capacity:
            reason = "budget_exhausted"
        else:
            reason = _why_unassigned(target, providers)
        result.unassigned[target.id] = reason


def check_assignment(target: Target, provider: Provider, load: int) -> str | None:
    """Why an operator's manual change is refused, or None when it is allowed."""
    if target.id in provider.conflicts:
        return "conflict_of_interest"
    if distance(provider, target.region) is None:
        return "outside_service_region"
    if load >= provider.quota:
        return "quota_full"
    return None
