"""回避 rules as data: which expert may not review which application, and why.

The rules, in order (one exclusion per pair, the first rule that holds wins):

1. ``organisation``: the expert's current organisation is one of the application's organisations;
2. ``past_organisation``: a former organisation of the expert is one of them, left on or after
   the call date minus ``conflict_years`` calendar years (2026-06-30, 3 years: 2023-06-30
   counts; from a 29 February the window starts on 28 February);
3. ``relation``: a declared relation of the expert (kinship, supervisor–student, co-author) is
   one of the application's people;
4. ``declared``: the pair is a declared conflict (the expert's recusal or the office's record);
5. ``collaboration``: a recorded collaboration of the expert with one of the application's
   organisations (joint project, introduction) on or after the same window start;
6. ``region``: the call asks for it (``same_region_prefix``) and the expert's region code and the
   application's share that many leading digits;
7. ``named``: the applicant named the expert, the first ``max_named_exclusions`` (default 3)
   distinct names honoured (more is an input problem the platform reports).

The work is proportional to the number of exclusions, not to applications × experts: each rule
looks its candidates up in an index.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from .model import AssignmentProblem, Exclusion

__all__ = ["exclusions", "honoured_named_exclusions", "window_start"]


def window_start(call_date: date, years: int) -> date:
    """The call date minus ``years`` calendar years (29 February → 28 February)."""
    try:
        return call_date.replace(year=call_date.year - years)
    except ValueError:  # 29 February in a year that has none
        return call_date.replace(year=call_date.year - years, day=28)


def honoured_named_exclusions(names: tuple[str, ...], limit: int) -> tuple[str, ...]:
    """The applicant-named exclusions that count: the first ``limit`` distinct ones."""
    seen: list[str] = []
    for name in names:
        if name not in seen:
            seen.append(name)
    return tuple(seen[: max(limit, 0)])


def _reason(rule: str, detail: dict, years: int) -> tuple[str, str]:
    if rule == "organisation":
        return "专家现任单位为申报单位", "the expert's current organisation is an applicant"
    if rule == "past_organisation":
        return (
            f"专家{years}年内曾在申报单位任职（至{detail['until'].isoformat()}）",
            f"the expert worked for an applicant within {years} years "
            f"(until {detail['until'].isoformat()})",
        )
    if rule == "relation":
        return (
            f"专家与项目人员 {detail['person']} 有申报的关系（亲属、师生或合作者）",
            f"the expert declared a relation with {detail['person']} "
            "(kin, supervisor–student or co-author)",
        )
    if rule == "declared":
        return "已申报利益冲突", "a declared conflict of interest"
    if rule == "collaboration":
        return (
            f"专家{years}年内与申报单位有合作记录（{detail['on'].isoformat()}）",
            f"the expert collaborated with an applicant within {years} years "
            f"({detail['on'].isoformat()})",
        )
    if rule == "region":
        return (
            f"专家与申报单位属同一地区（区划代码前{detail['prefix_len']}位 {detail['prefix']}）",
            f"the expert is from the applicant's region (first {detail['prefix_len']} digits "
            f"{detail['prefix']})",
        )
    return "申报方申请回避该专家", "the applicant asked to exclude this expert"


def _marker(found: dict):
    def mark(i: int, rule: str, detail: dict) -> None:
        if i not in found:
            found[i] = (rule, detail)

    return mark


def exclusions(problem: AssignmentProblem) -> list[Exclusion]:
    """Every excluded application × expert pair, one per pair with the first rule that holds,
    applications in input order and, within one, experts in input order."""
    experts = problem.experts
    index_of = {e.id: i for i, e in enumerate(experts)}
    since = window_start(problem.call_date, problem.conflict_years)
    years = problem.conflict_years

    by_org: dict[str, list[int]] = defaultdict(list)
    by_past: dict[str, list[tuple[int, date]]] = defaultdict(list)
    by_person: dict[str, list[int]] = defaultdict(list)
    by_collab: dict[str, list[tuple[int, date, str]]] = defaultdict(list)
    by_region: dict[str, list[int]] = defaultdict(list)
    prefix_len = problem.same_region_prefix
    for i, e in enumerate(experts):
        if e.organisation:
            by_org[e.organisation].append(i)
        for past in e.past_organisations:
            if past.until >= since:
                by_past[past.uscc].append((i, past.until))
        for person in dict.fromkeys(e.relations):
            by_person[person].append(i)
        for c in e.collaborations:
            if c.on >= since:
                by_collab[c.organisation].append((i, c.on, c.kind))
        if prefix_len and len(e.region) >= prefix_len:
            by_region[e.region[:prefix_len]].append(i)
    declared: dict[str, list[int]] = defaultdict(list)
    for app_id, expert_id in problem.conflicts:  # order does not matter: sorted per application
        if expert_id in index_of:
            declared[app_id].append(index_of[expert_id])

    out: list[Exclusion] = []
    for app in problem.applications:
        found: dict[int, tuple[str, dict]] = {}

        mark = _marker(found)

        orgs = list(dict.fromkeys(app.organisations))
        for org in orgs:
            for i in by_org.get(org, ()):
                mark(i, "organisation", {"organisation": org})
        for org in orgs:
            for i, until in by_past.get(org, ()):
                mark(i, "past_organisation", {"organisation": org, "until": until})
        for person in dict.fromkeys(app.people):
            for i in by_person.get(person, ()):
                mark(i, "relation", {"person": person})
        for i in declared.get(app.id, ()):
            mark(i, "declared", {})
        for org in orgs:
            for i, on, kind in by_collab.get(org, ()):
                mark(i, "collaboration", {"organisation": org, "on": on, "kind": kind})
        if prefix_len and len(app.region) >= prefix_len:
            prefix = app.region[:prefix_len]
            for i in by_region.get(prefix, ()):
                mark(i, "region", {"prefix": prefix, "prefix_len": prefix_len})
        for name in honoured_named_exclusions(app.named_exclusions, problem.max_named_exclusions):
            if name in index_of:
                mark(index_of[name], "named", {})
        for i in sorted(found):
            rule, detail = found[i]
            zh, en = _reason(rule, detail, years)
            plain = {k: v.isoformat() if isinstance(v, date) else v for k, v in detail.items()}
            out.append(Exclusion(app.id, experts[i].id, rule, zh, plain, en))
    return out
