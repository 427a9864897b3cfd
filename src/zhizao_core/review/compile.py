"""The assignment problem in arrays: candidate pairs (not excluded, not fixed), scaled integer
affinities, remaining demands and loads after the fixed (manual) placements, and the
explanation of infeasibility. Shared by the optimum (assign.py), the draw (draw.py) and the
manual check (check.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from .model import AssignmentProblem, Exclusion, InfeasibleAssignment
from .rules import exclusions

__all__ = ["Compiled", "compile_problem", "scaled"]


def scaled(value: Decimal) -> int:
    """A 4-place decimal as an integer number of 10⁻⁴ (exact; more places are an input fault
    the parsers report, here they are cut)."""
    return int(Decimal(value).scaleb(4).to_integral_value(rounding="ROUND_DOWN"))


@dataclass
class Compiled:
    problem: AssignmentProblem
    app_ids: list[str]
    exp_ids: list[str]
    app_index: dict[str, int]
    exp_index: dict[str, int]
    k_rem: np.ndarray  # (P,) experts still needed per application
    lo_rem: np.ndarray  # (R,) minimum load still to meet
    hi_rem: np.ndarray  # (R,) maximum load left
    pair_app: np.ndarray  # (N,) int64 candidate pairs
    pair_exp: np.ndarray
    pair_aff: np.ndarray  # (N,) int64 affinity × 10⁴
    exp_org: np.ndarray  # (R,) int64 organisation number, -1 for none
    n_orgs: int
    group_left: dict[tuple[int, int], int]  # (app, org) -> places left where fixed used some
    fixed: list[tuple[int, int]]
    fixed_aff: dict[tuple[int, int], int]
    exclusions: list[Exclusion]
    excluded: dict[tuple[str, str], Exclusion]

    @property
    def slots(self) -> int:
        return int(self.k_rem.sum())

    def group_caps(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For pairs whose expert has an organisation: (pair positions, group of each, group
        keys, cap of each group) where group = (application, organisation). Computed once."""
        cached = self.__dict__.get("_group_caps")
        if cached is None:
            cached = self.__dict__["_group_caps"] = self._group_caps()
        return cached

    def _group_caps(self):
        has = np.nonzero(self.exp_org[self.pair_exp] >= 0)[0]
        keys = self.pair_app[has] * max(self.n_orgs, 1) + self.exp_org[self.pair_exp[has]]
        space = len(self.app_ids) * max(self.n_orgs, 1)
        if space <= 64_000_000:
            # Counting instead of sorting: O(pairs) with a table over all (app, org) keys.
            present = np.bincount(keys, minlength=space) > 0
            uniq = np.nonzero(present)[0]
            lookup = np.zeros(space, dtype=np.int64)
            lookup[uniq] = np.arange(len(uniq))
            inv = lookup[keys]
            del present, lookup
        else:
            uniq, inv = np.unique(keys, return_inverse=True)
        m = self.problem.max_experts_per_organisation
        caps = np.full(len(uniq), m, dtype=np.int64)
        if self.group_left:
            pos = {int(key): j for j, key in enumerate(uniq)}
            for (a, o), left in self.group_left.items():
                j = pos.get(a * max(self.n_orgs, 1) + o)
                if j is not None:
                    caps[j] = left
        return has, inv, uniq, caps


def _affinity_arrays(problem, app_index, exp_index):
    """(app, expert, scaled affinity) arrays of the listed affinities."""
    bulk = getattr(problem, "affinity_scaled", None)
    if bulk is not None:
        return bulk
    n = len(problem.affinity)
    pa = np.empty(n, dtype=np.int64)
    pe = np.empty(n, dtype=np.int64)
    sc = np.empty(n, dtype=np.int64)
    j = 0
    for (a, e), score in problem.affinity.items():
        ai = app_index.get(a)
        ei = exp_index.get(e)
        if ai is None or ei is None:
            continue
        pa[j], pe[j], sc[j] = ai, ei, scaled(score)
        j += 1
    return pa[:j], pe[:j], sc[:j]


def compile_problem(problem: AssignmentProblem) -> Compiled:
    apps, experts = problem.applications, problem.experts
    P, R = len(apps), len(experts)
    app_ids = [a.id for a in apps]
    exp_ids = [e.id for e in experts]
    app_index = {a: i for i, a in enumerate(app_ids)}
    exp_index = {e: i for i, e in enumerate(exp_ids)}
    excl = exclusions(problem)
    excluded = {(x.application, x.expert): x for x in excl}

    orgs: dict[str, int] = {}
    exp_org = np.full(R, -1, dtype=np.int64)
    for i, e in enumerate(experts):
        if e.organisation:
            exp_org[i] = orgs.setdefault(e.organisation, len(orgs))

    k_rem = np.full(P, problem.reviewers_per_application, dtype=np.int64)
    lo_rem = np.array([e.min_load for e in experts], dtype=np.int64)
    hi_rem = np.array(
        [P if e.max_load is None else min(e.max_load, P) for e in experts], dtype=np.int64
    )
    fixed: list[tuple[int, int]] = []
    group_used: Counter = Counter()
    for a, e in sorted(problem.fixed):
        if a in app_index and e in exp_index:
            ai, ei = app_index[a], exp_index[e]
            fixed.append((ai, ei))
            k_rem[ai] -= 1
            lo_rem[ei] = max(lo_rem[ei] - 1, 0)
            hi_rem[ei] -= 1
            if exp_org[ei] >= 0:
                group_used[(ai, int(exp_org[ei]))] += 1
    m = problem.max_experts_per_organisation
    group_left = {key: m - used for key, used in group_used.items()}

    pa, pe, sc = _affinity_arrays(problem, app_index, exp_index)
    fixed_aff: dict[tuple[int, int], int] = {pair: 0 for pair in fixed}
    if fixed:
        lookup = {(int(a), int(e)): int(s) for a, e, s in zip(pa, pe, sc, strict=True)}
        for pair in fixed:
            fixed_aff[pair] = lookup.get(pair, 0)

    if problem.listed_pairs_only:
        pair_app, pair_exp, pair_aff = pa, pe, sc
        allowed = np.ones(len(pa), dtype=bool)
        if excluded or fixed:
            blocked = {(app_index[a], exp_index[e]) for a, e in excluded} | set(fixed)
            key = pa * R + pe
            bkeys = np.array([a * R + e for a, e in blocked], dtype=np.int64)
            allowed &= ~np.isin(key, bkeys)
        pair_app, pair_exp, pair_aff = pa[allowed], pe[allowed], sc[allowed]
        order = np.lexsort((pair_exp, pair_app))
        pair_app, pair_exp, pair_aff = pair_app[order], pair_exp[order], pair_aff[order]
    else:
        dense = np.zeros((P, R), dtype=np.int64)
        dense[pa, pe] = sc
        mask = np.ones((P, R), dtype=bool)
        for a, e in excluded:
            mask[app_index[a], exp_index[e]] = False
        for ai, ei in fixed:
            mask[ai, ei] = False
        pair_app, pair_exp = np.nonzero(mask)
        pair_app = pair_app.astype(np.int64)
        pair_exp = pair_exp.astype(np.int64)
        pair_aff = dense[pair_app, pair_exp]
        del dense, mask
    return Compiled(
        problem=problem,
        app_ids=app_ids,
        exp_ids=exp_ids,
        app_index=app_index,
        exp_index=exp_index,
        k_rem=k_rem,
        lo_rem=lo_rem,
        hi_rem=hi_rem,
        pair_app=pair_app,
        pair_exp=pair_exp,
        pair_aff=pair_aff,
        exp_org=exp_org,
        n_orgs=len(orgs),
        group_left=group_left,
        fixed=fixed,
        fixed_aff=fixed_aff,
        exclusions=excl,
        excluded=excluded,
    )


def _fixed_problems(c: Compiled) -> list[tuple[str, str, dict]]:
    out = []
    problem = c.problem
    for ai, ei in c.fixed:
        a, e = c.app_ids[ai], c.exp_ids[ei]
        if (a, e) in c.excluded:
            out.append(("fixed_excluded", "", {"app": a, "expert": e}))
    for ai in np.nonzero(c.k_rem < 0)[0]:
        out.append(
            ("fixed_too_many", "", {"app": c.app_ids[ai], "k": problem.reviewers_per_application})
        )
    for ei in np.nonzero(c.hi_rem < 0)[0]:
        out.append(("fixed_over_load", "", {"expert": c.exp_ids[ei]}))
    for (ai, _o), left in c.group_left.items():
        if left < 0:
            out.append(
                (
                    "fixed_org",
                    "",
                    {"app": c.app_ids[ai], "m": problem.max_experts_per_organisation},
                )
            )
    return out


MESSAGES = {
    "app_short": (
        "申报 {app} 只有 {eligible} 位可选专家（回避和单位上限之后），需要 {k} 位",
        "application {app} has only {eligible} eligible experts (after 回避 and the "
        "organisation cap), needs {k}",
    ),
    "app_attribute": (
        "申报 {app} 只有 {eligible} 位具备“{attribute}”的可选专家，规则要求至少 {count} 位",
        "application {app} has only {eligible} eligible experts with '{attribute}', the panel "
        "rule needs {count}",
    ),
    "min_loads": (
        "专家最低评审量之和 {total} 超过评审任务总数 {slots}",
        "the experts' minimum loads add up to {total}, more than the {slots} reviews to assign",
    ),
    "max_loads": (
        "专家最高评审量之和 {total} 少于评审任务总数 {slots}",
        "the experts' maximum loads add up to {total}, fewer than the {slots} reviews to assign",
    ),
    "expert_min": (
        "专家 {expert} 的最低评审量 {lo} 超过其可评审的申报数 {eligible}",
        "expert {expert} has a minimum load of {lo} but only {eligible} applications it may review",
    ),
    "bad_loads": (
        "专家 {expert} 的最低评审量 {lo} 大于最高评审量 {hi}",
        "expert {expert} has a minimum load {lo} above its maximum {hi}",
    ),
    "cap_short": (
        "申报 {app} 在单对概率上限 {cap} 下至少需要 {need} 位可选专家（计入同单位上限），只有 {eligible} 位",
        "application {app} needs at least {need} eligible experts under the pair cap {cap} "
        "(counting the organisation cap), has {eligible}",
    ),
    "apps_together": (
        "申报 {apps} 无法同时获得足够专家：它们可选的专家 {experts} 的评审量上限不够，还缺 {missing} 次评审",
        "applications {apps} cannot all get enough experts: their eligible experts {experts} "
        "lack the load for {missing} more reviews",
    ),
    "min_loads_together": (
        "专家最低评审量无法同时满足：{experts} 的最低评审量与回避和单位上限冲突",
        "the minimum loads cannot all be met: {experts} conflict with 回避 and the organisation cap",
    ),
    "combined": (
        "无法同时满足每个申报 {k} 位专家、专家评审量上下限、同单位上限和专家组规则",
        "no assignment meets {k} experts per application, the load bounds, the organisation "
        "cap and the panel rules together",
    ),
    "fixed_excluded": (
        "人工指定的专家 {expert} 须回避申报 {app}",
        "the manually placed expert {expert} is excluded from application {app}",
    ),
    "fixed_too_many": (
        "申报 {app} 人工指定的专家多于 {k} 位",
        "application {app} has more than {k} manually placed experts",
    ),
    "fixed_over_load": (
        "人工指定使专家 {expert} 超过最高评审量",
        "manual placements put expert {expert} over its maximum load",
    ),
    "fixed_org": (
        "申报 {app} 人工指定的同单位专家超过 {m} 位",
        "application {app} has more than {m} manually placed experts of one organisation",
    ),
}


def raise_infeasible(codes: list[tuple[str, dict]]):
    zh = [MESSAGES[code][0].format(**params) for code, params in codes]
    en = [MESSAGES[code][1].format(**params) for code, params in codes]
    raise InfeasibleAssignment(zh, en, codes)


def check_obvious(c: Compiled) -> None:
    """Raise ``InfeasibleAssignment`` naming what cannot be met before any solver runs."""
    codes: list[tuple[str, dict]] = [(code, params) for code, _, params in _fixed_problems(c)]
    if codes:
        raise_infeasible(codes)
    problem = c.problem
    for e in problem.experts:
        if e.max_load is not None and e.min_load > e.max_load:
            codes.append(("bad_loads", {"expert": e.id, "lo": e.min_load, "hi": e.max_load}))
    if codes:
        raise_infeasible(codes)
    P = len(c.app_ids)
    eligible = effective_counts(c)
    for ai in np.nonzero(eligible < c.k_rem)[0]:
        codes.append(
            (
                "app_short",
                {
                    "app": c.app_ids[ai],
                    "eligible": int(eligible[ai] + problem.reviewers_per_application - c.k_rem[ai]),
                    "k": problem.reviewers_per_application,
                },
            )
        )
    for rule in problem.panel_rules:
        if rule.kind != "at_least_attribute":
            continue
        has = np.array([rule.attribute in e.attributes for e in problem.experts], dtype=bool)
        counts = np.bincount(c.pair_app[has[c.pair_exp]], minlength=P)
        for ai, ei in c.fixed:
            if has[ei]:
                counts[ai] += 1
        for ai in np.nonzero(counts < rule.count)[0]:
            codes.append(
                (
                    "app_attribute",
                    {
                        "app": c.app_ids[ai],
                        "eligible": int(counts[ai]),
                        "attribute": rule.attribute,
                        "count": rule.count,
                    },
                )
            )
    slots = c.slots
    if int(c.lo_rem.sum()) > slots:
        codes.append(("min_loads", {"total": int(c.lo_rem.sum()), "slots": slots}))
    if int(c.hi_rem.sum()) < slots:
        codes.append(("max_loads", {"total": int(c.hi_rem.sum()), "slots": slots}))
    per_expert = np.bincount(c.pair_exp, minlength=len(c.exp_ids))
    for ei in np.nonzero(per_expert < c.lo_rem)[0]:
        codes.append(
            (
                "expert_min",
                {
                    "expert": c.exp_ids[ei],
                    "lo": int(problem.experts[ei].min_load),
                    "eligible": int(per_expert[ei] + problem.experts[ei].min_load - c.lo_rem[ei]),
                },
            )
        )
    if codes:
        raise_infeasible(codes)


def _names(items: list[str], limit: int = 10) -> str:
    shown = "、".join(items[:limit])
    return shown + (f" 等 {len(items)} 个" if len(items) > limit else "")


def diagnose_combined(c: Compiled) -> list[tuple[str, dict]]:
    """Why no assignment exists when every simple count adds up: a maximum flow without the
    minimum loads shows the applications left short (named with their eligible experts);
    when none is short, the minimum loads are what cannot hold."""
    import dataclasses

    from .network import build_flow

    relaxed = dataclasses.replace(c, lo_rem=np.zeros_like(c.lo_rem))
    relaxed.__dict__.pop("_group_caps", None)
    smcf, first, _ = build_flow(relaxed)
    smcf.solve_max_flow_with_min_cost()
    n = len(c.pair_app)
    chosen = smcf.flows(np.arange(first, first + n, dtype=np.int32)) > 0
    got = np.bincount(c.pair_app[chosen], minlength=len(c.app_ids))
    short = np.nonzero(got < c.k_rem)[0]
    if len(short):
        mask = np.isin(c.pair_app, short)
        eligible = np.unique(c.pair_exp[mask])
        experts = sorted({c.exp_ids[e] for e in eligible.tolist()})
        # The applications that compete for the short ones' experts: those holding a place
        # of an eligible expert whose load is full.
        loads = np.bincount(c.pair_exp[chosen], minlength=len(c.exp_ids))
        full = eligible[loads[eligible] >= c.hi_rem[eligible]]
        rivals = np.unique(c.pair_app[chosen & np.isin(c.pair_exp, full)])
        together = np.union1d(short, rivals)
        return [
            (
                "apps_together",
                {
                    "apps": _names([c.app_ids[a] for a in together.tolist()]),
                    "experts": _names(experts),
                    "missing": int((c.k_rem[short] - got[short]).sum()),
                },
            )
        ]
    with_min = [c.exp_ids[e] for e in np.nonzero(c.lo_rem > 0)[0].tolist()]
    if with_min:
        return [("min_loads_together", {"experts": _names(with_min)})]
    return [("combined", {"k": c.problem.reviewers_per_application})]


def effective_counts(c: Compiled) -> np.ndarray:
    """Per application: how many experts it can get at most (the organisation cap applied)."""
    P = len(c.app_ids)
    has, inv, uniq, caps = c.group_caps()
    no_org = np.ones(len(c.pair_app), dtype=bool)
    no_org[has] = False
    counts = np.bincount(c.pair_app[no_org], minlength=P).astype(np.int64)
    if len(uniq):
        group_counts = np.bincount(inv, minlength=len(uniq))
        group_app = uniq // max(c.n_orgs, 1)
        counts += np.bincount(
            group_app, weights=np.minimum(group_counts, np.maximum(caps, 0)), minlength=P
        ).astype(np.int64)
    return counts
