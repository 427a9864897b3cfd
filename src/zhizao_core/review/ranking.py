"""The proposed list (拟入选名单): ranked results through a score cut-off and per-category
quotas, each entry with its reason."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import AggregateResult

__all__ = ["Proposal", "propose_list"]


@dataclass
class Proposal:
    application: str
    rank: int
    score: Decimal
    category: str
    proposed: bool
    reason: str  # a code: "within_quota" | "below_cutoff" | "quota_full" | "tie_at_quota"
    text: str  # Chinese
    text_en: str
    tie: bool = False


def propose_list(
    results: list[AggregateResult],
    *,
    categories: dict[str, str] | None = None,
    quotas: dict[str, int] | None = None,
    cutoff: Decimal | None = None,
) -> list[Proposal]:
    """Walk the results in rank order. An application is proposed when its score reaches the
    cut-off and its category has a place left. Applications of one category tied on the rounded
    score are taken together: when the places left cannot hold all of them, none is proposed
    and each is marked ``tie_at_quota`` for the panel to decide. A category without a quota is
    unlimited."""
    categories = categories or {}
    quotas = quotas or {}
    ordered = sorted(results, key=lambda r: (r.rank, r.application))
    used: dict[str, int] = {}
    out: list[Proposal] = []
    i = 0
    while i < len(ordered):
        r = ordered[i]
        cat = categories.get(r.application, "")
        group = [r]
        j = i + 1
        while j < len(ordered) and ordered[j].score == r.score:
            group.append(ordered[j])
            j += 1
        by_cat: dict[str, list[AggregateResult]] = {}
        for g in group:
            by_cat.setdefault(categories.get(g.application, ""), []).append(g)
        for cat, members in by_cat.items():
            quota = quotas.get(cat)
            left = None if quota is None else quota - used.get(cat, 0)
            for g in members:
                label = cat or "—"
                if cutoff is not None and g.score < cutoff:
                    p = (
                        False,
                        "below_cutoff",
                        f"得分 {g.score} 低于分数线 {cutoff}",
                        f"score {g.score} below the cut-off {cutoff}",
                        False,
                    )
                elif left is not None and left <= 0:
                    p = (
                        False,
                        "quota_full",
                        f"类别 {label} 名额 {quota} 已满",
                        f"category {label}: its {quota} places are taken",
                        False,
                    )
                elif left is not None and len(members) > left:
                    p = (
                        False,
                        "tie_at_quota",
                        f"与 {len(members)} 个申报同分 {g.score}，类别 {label} 只剩 {left} 个名额，需会议决定",
                        f"tied with {len(members)} applications at {g.score}; category {label} has "
                        f"{left} places left: the panel decides",
                        True,
                    )
                else:
                    p = (
                        True,
                        "within_quota",
                        f"第 {g.rank} 名，类别 {label} 名额内",
                        f"rank {g.rank}, within the places of category {label}",
                        False,
                    )
                out.append(
                    Proposal(g.application, g.rank, g.score, cat, p[0], p[1], p[2], p[3], p[4])
                )
            proposed_here = sum(1 for p in out[-len(members) :] if p.proposed)
            used[cat] = used.get(cat, 0) + proposed_here
            if left is not None and len(members) > left > 0:
                used[cat] = quota  # the tied group closes the category
        i = j
    return out
