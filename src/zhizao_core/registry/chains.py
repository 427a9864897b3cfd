"""Weak links of an industrial chain (链长制 补链): nodes with no or too few local enterprises."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

POSITIONS = ("upstream", "midstream", "downstream")


@dataclass(frozen=True)
class NodeFacts:
    code: str
    name: str
    position: str
    local_enterprises: int
    leader_present: bool = False


@dataclass(frozen=True)
class WeakLinkPolicy:
    min_enterprises: int = 3


@dataclass(frozen=True)
class NodeAssessment:
    code: str
    position: str
    local_enterprises: int
    weak: bool
    severity: str  # "missing" | "thin" | "ok"
    reason_code: str
    reason_params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ChainAssessment:
    nodes: tuple[NodeAssessment, ...]
    weak_count: int
    coverage: float
    explanation: tuple[str, ...]


def assess_chain(
    nodes: Sequence[NodeFacts], *, policy: WeakLinkPolicy = WeakLinkPolicy()
) -> ChainAssessment:
    for node in nodes:
        if node.position not in POSITIONS:
            raise ValueError(
                f"node {node.code}: position must be one of {POSITIONS}, not {node.position!r}"
            )
        if node.local_enterprises < 0:
            raise ValueError(f"node {node.code}: negative enterprise count")
    ordered = sorted(
        enumerate(nodes), key=lambda item: (POSITIONS.index(item[1].position), item[0])
    )
    assessed = []
    explanation = []
    for _, node in ordered:
        n, m = node.local_enterprises, policy.min_enterprises
        if n == 0:
            item = NodeAssessment(
                node.code, node.position, n, True, "missing", "node_missing", {"min": m}
            )
            explanation.append(f"{node.code}: no local enterprise (weak link)")
        elif n < m:
            item = NodeAssessment(
                node.code, node.position, n, True, "thin", "node_thin", {"count": n, "min": m}
            )
            explanation.append(f"{node.code}: {n} local enterprises, fewer than {m} (weak link)")
        else:
            item = NodeAssessment(node.code, node.position, n, False, "ok", "node_ok", {"count": n})
            explanation.append(f"{node.code}: {n} local enterprises")
        assessed.append(item)
    covered = sum(1 for a in assessed if a.local_enterprises > 0)
    coverage = round(covered / len(assessed), 4) if assessed else 0.0
    return ChainAssessment(
        nodes=tuple(assessed),
        weak_count=sum(a.weak for a in assessed),
        coverage=coverage,
        explanation=tuple(explanation),
    )
