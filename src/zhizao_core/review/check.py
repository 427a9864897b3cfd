"""A manual change to one application's experts, checked against the same rules as the
optimum and the draw; every refusal is named (Chinese by default)."""

from __future__ import annotations

from collections import Counter

from .model import AssignmentProblem
from .rules import exclusions

__all__ = ["check_assignment"]


def check_assignment(
    problem: AssignmentProblem,
    app_id: str,
    expert_ids,
    *,
    current: dict[str, tuple[str, ...]] | None = None,
    lang: str = "zh",
) -> list[str]:
    """Refusals for giving application ``app_id`` exactly the experts ``expert_ids``: unknown
    ids, duplicates, a count other than k, an excluded pair (with its reason), more than m
    experts of one organisation, a broken panel rule, and — when ``current`` (the other
    applications' experts) is given — an expert pushed over its maximum load. Empty: allowed."""
    en = lang == "en"
    out: list[str] = []
    apps = {a.id: a for a in problem.applications}
    experts = {e.id: e for e in problem.experts}
    if app_id not in apps:
        return [f"unknown application {app_id}" if en else f"未知的申报 {app_id}"]
    ids = list(expert_ids)
    for e in ids:
        if e not in experts:
            out.append(f"unknown expert {e}" if en else f"未知的专家 {e}")
    for e, n in Counter(ids).items():
        if n > 1:
            out.append(f"expert {e} is listed twice" if en else f"专家 {e} 重复")
    k = problem.reviewers_per_application
    if len(set(ids)) != k:
        out.append(
            f"the application needs exactly {k} experts, {len(set(ids))} given"
            if en
            else f"每个申报须有 {k} 位专家，现为 {len(set(ids))} 位"
        )
    known = [e for e in dict.fromkeys(ids) if e in experts]
    one = AssignmentProblem(
        call_date=problem.call_date,
        applications=[apps[app_id]],
        experts=[experts[e] for e in known],
        conflict_years=problem.conflict_years,
        conflicts=frozenset(p for p in problem.conflicts if p[0] == app_id),
        same_region_prefix=problem.same_region_prefix,
        max_named_exclusions=problem.max_named_exclusions,
    )
    for x in exclusions(one):
        out.append(
            f"expert {x.expert} is excluded: {x.reason_en}"
            if en
            else f"专家 {x.expert} 须回避：{x.reason}"
        )
    orgs = Counter(experts[e].organisation for e in known if experts[e].organisation)
    m = problem.max_experts_per_organisation
    for org, n in orgs.items():
        if n > m:
            out.append(
                f"{n} experts of organisation {org}, at most {m} allowed"
                if en
                else f"同一单位 {org} 的专家有 {n} 位，最多 {m} 位"
            )
    for rule in problem.panel_rules:
        if rule.kind == "at_least_attribute":
            have = sum(rule.attribute in experts[e].attributes for e in known)
            if have < rule.count:
                out.append(
                    f"at least {rule.count} experts with '{rule.attribute}' needed, {have} given"
                    if en
                    else f"至少需要 {rule.count} 位具备“{rule.attribute}”的专家，现为 {have} 位"
                )
        elif rule.kind == "at_most_per_region":
            regions = Counter(
                experts[e].region[: rule.prefix_len]
                for e in known
                if len(experts[e].region) >= rule.prefix_len > 0
            )
            for prefix, n in regions.items():
                if n > rule.count:
                    out.append(
                        f"{n} experts from region {prefix}, at most {rule.count} allowed"
                        if en
                        else f"同一地区 {prefix} 的专家有 {n} 位，最多 {rule.count} 位"
                    )
    if current is not None:
        loads = Counter(e for a, es in current.items() if a != app_id for e in es)
        for e in known:
            limit = experts[e].max_load
            if limit is not None and loads[e] + 1 > limit:
                out.append(
                    f"expert {e} would review {loads[e] + 1} applications, at most {limit}"
                    if en
                    else f"专家 {e} 的评审量将为 {loads[e] + 1}，超过上限 {limit}"
                )
    return out
