"""Models → ``zhizao_core.review`` dataclasses, loaded in one pass per round, and the round's
problem as JSON (the format of ``zhizao review draw``) so a draw can be replayed anywhere.

回避 inputs come from the platform: the expert's current organisation (its membership), its
former organisations with their until-dates, its declared relations (and itself: an expert on
the application's team is related to it), declared conflicts, collaborations between its
organisation and the applicant (joint projects — a loan of the applicant's project from the
expert's organisation — and accepted introductions in matchmaking) within the call's window,
the same region when the call asks, and the experts the applicant named."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.db.models import Q

from zhizao.calls.enums import ApplicationState
from zhizao.calls.models import Application as CallApplication
from zhizao.matchmaking.models import Introduction
from zhizao.policies.models import Loan
from zhizao_core.matching.vocabulary import CATEGORIES
from zhizao_core.review import (
    Application,
    AssignmentProblem,
    Collaboration,
    Expert,
    ExpertProfile,
    PanelRule,
    PastOrganisation,
)
from zhizao_core.review.affinity import affinity_score

from .models import Bid, DeclaredConflict, RoundExpert
from .models import Expert as ExpertRow

#: the applications a round reviews
ROUND_STATES = (ApplicationState.FORMAL_PASSED, ApplicationState.IN_REVIEW)


def round_applications(review_round):
    return (
        CallApplication.objects.filter(call_id=review_round.call_id, state__in=ROUND_STATES)
        .select_related("applicant", "category")
        .order_by("id")
    )


def round_experts(review_round):
    """The candidate pool: active experts in an active membership, minus those who said they
    are not available for this round."""
    unavailable = RoundExpert.objects.filter(round=review_round, available=False).values(
        "expert_id"
    )
    return (
        ExpertRow.objects.filter(is_active=True, membership__is_active=True)
        .exclude(pk__in=unavailable)
        .select_related("membership__organization")
        .prefetch_related("past_organisations__organization", "relations")
        .order_by("id")
    )


def _people(values) -> tuple[str, ...]:
    out = []
    for value in values or []:
        if isinstance(value, dict):
            for key in ("id", "name"):
                if value.get(key):
                    out.append(str(value[key]).strip())
        elif str(value).strip():
            out.append(str(value).strip())
    return tuple(dict.fromkeys(out))


def _named(
    values, by_name: dict[str, list[str]], known_ids: set[str], by_org: dict[str, list[str]]
) -> tuple[str, ...]:
    """The experts an applicant named (回避申请), resolved to expert ids: applicants never see
    the pool, so they name experts by name (an id of the pool is taken as it is) or an
    organisation by name or USCC (every expert of the pool currently there). A name two
    experts share excludes both; a name nobody in the pool has excludes nobody."""
    out: list[str] = []
    for value in values or []:
        if isinstance(value, dict):
            name = str(value.get("name") or "").strip()
            if value.get("kind") == "organisation":
                out.extend(by_org.get(name, []))
                continue
            value = name
        value = str(value).strip()
        if value in known_ids:
            out.append(value)
        else:
            out.extend(by_name.get(value, []))
    return tuple(dict.fromkeys(out))


def _text(application) -> str:
    parts = [application.title]
    for value in (application.data or {}).values():
        if isinstance(value, str):
            parts.append(value)
    return "\n".join(parts)[:5000]


def _collaborations(experts, applications, since: dt.date) -> dict[int, list[Collaboration]]:
    """Per expert organisation id: collaborations with any applicant since ``since``."""
    expert_orgs = {e.membership.organization_id for e in experts}
    applicants = {a.applicant_id for a in applications}
    found: dict[int, list[Collaboration]] = {}
    since_dt = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
    intros = Introduction.objects.filter(accepted_at__gte=since_dt).filter(
        Q(demand__enterprise_id__in=applicants, offering__provider_id__in=expert_orgs)
        | Q(demand__enterprise_id__in=expert_orgs, offering__provider_id__in=applicants)
    )
    for intro in intros.select_related("demand__enterprise", "offering__provider"):
        a, b = intro.demand.enterprise, intro.offering.provider
        day = intro.accepted_at.date()
        for mine, other in ((a, b), (b, a)):
            if mine.pk in expert_orgs:
                found.setdefault(mine.pk, []).append(
                    Collaboration(organisation=other.uscc, on=day, kind="introduction")
                )
    loans = Loan.objects.filter(end_date__gte=since).filter(
        Q(project__enterprise_id__in=applicants, lender_id__in=expert_orgs)
        | Q(project__enterprise_id__in=expert_orgs, lender_id__in=applicants)
    )
    for loan in loans.select_related("project__enterprise", "lender"):
        a, b = loan.project.enterprise, loan.lender
        for mine, other in ((a, b), (b, a)):
            if mine.pk in expert_orgs:
                found.setdefault(mine.pk, []).append(
                    Collaboration(organisation=other.uscc, on=loan.end_date, kind="joint_project")
                )
    return found


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def expert_profile(expert: ExpertRow) -> ExpertProfile:
    """Fields: the GB/T 4754 divisions, the Chinese names of the technical domains and the
    keywords; text: the keywords."""
    words = [CATEGORIES[d][0] for d in expert.domains if d in CATEGORIES]
    keywords = [
        w.strip()
        for w in expert.keywords.replace("，", ",").replace("、", ",").replace("；", ",").split(",")
        if w.strip()
    ]
    return ExpertProfile(
        fields=tuple(dict.fromkeys([*expert.divisions, *words, *keywords[:20]])),
        text=expert.keywords,
    )


def plain(value):
    """Engine explanations as JSON: decimals as strings, recursively."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def round_bids(review_round, *, expert_id=None) -> dict[tuple[str, str], str]:
    """(application id, expert id) → the expert's bid, when the call allows bidding."""
    if not review_round.call.allow_bidding:
        return {}
    qs = Bid.objects.filter(round=review_round)
    if expert_id is not None:
        qs = qs.filter(expert_id=expert_id)
    return {
        (str(a), str(e)): interest
        for a, e, interest in qs.values_list("application_id", "expert_id", "interest")
    }


def build_problem(review_round, *, call_date: dt.date | None = None, expert_id=None):
    """The round's assignment problem and the rows behind its ids:
    ``(problem, applications_by_id, experts_by_id, parts)``; with ``expert_id`` the problem
    of that one expert (what it may bid on)."""
    call = review_round.call
    call_date = call_date or dt.date.today()
    applications = list(round_applications(review_round))
    experts = round_experts(review_round)
    if expert_id is not None:
        experts = experts.filter(pk=expert_id)
    experts = list(experts)
    bids = round_bids(review_round, expert_id=expert_id)
    loads = dict(
        RoundExpert.objects.filter(round=review_round, max_load__isnull=False).values_list(
            "expert_id", "max_load"
        )
    )
    collaborations = _collaborations(
        experts, applications, _years_before(call_date, call.conflict_years)
    )
    by_name: dict[str, list[str]] = {}
    for e in experts:
        by_name.setdefault(e.name.strip(), []).append(str(e.pk))
    known_ids = {str(e.pk) for e in experts}
    by_org: dict[str, list[str]] = {}
    for e in experts:
        org = e.membership.organization
        for key in {org.name.strip(), org.uscc}:
            by_org.setdefault(key, []).append(str(e.pk))
    core_apps = [
        Application(
            id=str(a.pk),
            organisations=(a.applicant.uscc,),
            people=_people(a.people),
            region=a.region_code or a.applicant.region_id or "",
            industry=a.industry_code or (a.applicant.industry_id or ""),
            category=a.category.code if a.category_id else "",
            text=_text(a),
            named_exclusions=_named(a.named_exclusions, by_name, known_ids, by_org),
        )
        for a in applications
    ]
    core_experts = []
    for e in experts:
        relations = [r.person for r in e.relations.all()]
        relations += [p for p in (e.person_id, e.name) if p]
        core_experts.append(
            Expert(
                id=str(e.pk),
                organisation=e.membership.organization.uscc,
                past_organisations=tuple(
                    PastOrganisation(uscc=p.organization.uscc, until=p.until)
                    for p in e.past_organisations.all()
                ),
                relations=tuple(dict.fromkeys(relations)),
                max_load=loads.get(e.pk, e.max_load),
                region=e.membership.organization.region_id or "",
                attributes=frozenset(e.attributes or []),
                collaborations=tuple(collaborations.get(e.membership.organization_id, [])),
            )
        )
    affinity = {}
    parts = {}
    for e in experts:
        profile = expert_profile(e)
        for a in core_apps:
            score, why = affinity_score(profile, a, bid=bids.get((a.id, str(e.pk))))
            if score:
                affinity[(a.id, str(e.pk))] = score
            parts[(a.id, str(e.pk))] = why
    conflicts = frozenset(
        (str(a), str(e))
        for a, e in DeclaredConflict.objects.filter(round=review_round).values_list(
            "application_id", "expert_id"
        )
    )
    problem = AssignmentProblem(
        call_date=call_date,
        applications=core_apps,
        experts=core_experts,
        reviewers_per_application=review_round.reviewers_per_application,
        max_experts_per_organisation=call.max_experts_per_organisation,
        conflict_years=call.conflict_years,
        affinity=affinity,
        conflicts=conflicts,
        same_region_prefix=call.same_region_exclusion,
        # the call's limit counts what the applicant named (an organisation is one entry, however
        # many experts it has); every expert those entries resolve to is excluded
        max_named_exclusions=max(
            [call.max_named_exclusions, *(len(a.named_exclusions) for a in core_apps)]
        ),
        panel_rules=tuple(PanelRule(**rule) for rule in review_round.panel_rules or []),
    )
    return problem, {str(a.pk): a for a in applications}, {str(e.pk): e for e in experts}, parts


# --- the problem as JSON (replay) -------------------------------------------------------------


def problem_to_data(problem: AssignmentProblem) -> dict:
    return {
        "call_date": problem.call_date.isoformat(),
        "reviewers_per_application": problem.reviewers_per_application,
        "max_experts_per_organisation": problem.max_experts_per_organisation,
        "conflict_years": problem.conflict_years,
        "same_region_prefix": problem.same_region_prefix,
        "max_named_exclusions": problem.max_named_exclusions,
        "applications": [
            {
                "id": a.id,
                "organisations": list(a.organisations),
                "people": list(a.people),
                "region": a.region,
                "industry": a.industry,
                "category": a.category,
                "named_exclusions": list(a.named_exclusions),
            }
            for a in problem.applications
        ],
        "experts": [
            {
                "id": e.id,
                "organisation": e.organisation,
                "past_organisations": [
                    {"uscc": p.uscc, "until": p.until.isoformat()} for p in e.past_organisations
                ],
                "relations": list(e.relations),
                "max_load": e.max_load,
                "min_load": e.min_load,
                "region": e.region,
                "attributes": sorted(e.attributes),
                "collaborations": [
                    {"organisation": c.organisation, "on": c.on.isoformat(), "kind": c.kind}
                    for c in e.collaborations
                ],
            }
            for e in problem.experts
        ],
        "affinity": [
            {"application": a, "expert": e, "score": str(score)}
            for (a, e), score in sorted(problem.affinity.items())
        ],
        "conflicts": [{"application": a, "expert": e} for a, e in sorted(problem.conflicts)],
        "panel_rules": [
            {"kind": r.kind, "attribute": r.attribute, "prefix_len": r.prefix_len, "count": r.count}
            for r in problem.panel_rules
        ],
        "fixed": [{"application": a, "expert": e} for a, e in sorted(problem.fixed)],
    }


def problem_from_data(data: dict) -> AssignmentProblem:
    day = dt.date.fromisoformat
    return AssignmentProblem(
        call_date=day(data["call_date"]),
        reviewers_per_application=data["reviewers_per_application"],
        max_experts_per_organisation=data["max_experts_per_organisation"],
        conflict_years=data["conflict_years"],
        same_region_prefix=data.get("same_region_prefix"),
        max_named_exclusions=data.get("max_named_exclusions", 3),
        applications=[
            Application(
                id=a["id"],
                organisations=tuple(a["organisations"]),
                people=tuple(a["people"]),
                region=a.get("region", ""),
                industry=a.get("industry", ""),
                category=a.get("category", ""),
                named_exclusions=tuple(a.get("named_exclusions", ())),
            )
            for a in data["applications"]
        ],
        experts=[
            Expert(
                id=e["id"],
                organisation=e["organisation"],
                past_organisations=tuple(
                    PastOrganisation(uscc=p["uscc"], until=day(p["until"]))
                    for p in e["past_organisations"]
                ),
                relations=tuple(e["relations"]),
                max_load=e.get("max_load"),
                min_load=e.get("min_load", 0),
                region=e.get("region", ""),
                attributes=frozenset(e.get("attributes", ())),
                collaborations=tuple(
                    Collaboration(organisation=c["organisation"], on=day(c["on"]), kind=c["kind"])
                    for c in e.get("collaborations", ())
                ),
            )
            for e in data["experts"]
        ],
        affinity={(x["application"], x["expert"]): Decimal(x["score"]) for x in data["affinity"]},
        conflicts=frozenset((x["application"], x["expert"]) for x in data["conflicts"]),
        panel_rules=tuple(PanelRule(**r) for r in data.get("panel_rules", ())),
        fixed=frozenset((x["application"], x["expert"]) for x in data.get("fixed", ())),
    )


def digest(assignments: dict) -> str:
    """A short fingerprint of an assignment (application → sorted experts)."""
    plain = {str(a): sorted(str(e) for e in es) for a, es in assignments.items()}
    return hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest()[:16]
