"""Writes for the diagnosis module. Each function checks its business rules, writes in one
transaction and records an audit entry; the views and the API call these and nothing else."""

from __future__ import annotations

import hashlib
import mimetypes
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.accounts.models import Membership
from zhizao.common.audit import Actor, record
from zhizao.common.models import AuditAction
from zhizao.registry.enums import OrganizationKind
from zhizao.registry.models import Organization
from zhizao_core.diagnosis import NA, ModelError, answer_code, normalize_answer, score
from zhizao_core.diagnosis import round_half_up as rhu
from zhizao_core.diagnosis.allocation import (
    Provider,
    Target,
    allocate,
    check_assignment,
    distance,
)

from .enums import AssessmentKind, AssessmentState, CampaignState, EnterpriseType, TargetState
from .errors import DiagnosisError
from .models import (
    Answer,
    Assessment,
    Campaign,
    CampaignProvider,
    CampaignTarget,
    Evidence,
    MaturityModel,
    SectionAssignment,
)

# The generic audit action of each event that is not a plain update.
EVENT_ACTIONS = {
    "assessment_started": AuditAction.CREATE,
    "campaign_created": AuditAction.CREATE,
    "onsite_started": AuditAction.CREATE,
    "evidence_added": AuditAction.CREATE,
    "model_loaded": AuditAction.CREATE,
    "assessment_submitted": AuditAction.STATE,
    "campaign_state": AuditAction.STATE,
    "campaign_visit": AuditAction.STATE,
    "campaign_exported": AuditAction.EXPORT,
}


def audit(actor: Actor, event: str, obj=None, **kwargs):
    """An audit entry for a diagnosis write: the generic action (created / updated / state
    changed / exported) and the precise event in the context."""
    action = EVENT_ACTIONS.get(event, AuditAction.UPDATE)
    context = {"event": f"diagnosis.{event}", **kwargs.pop("context", {})}
    return record(actor, action, obj, context=context, **kwargs)


EVIDENCE_EXTENSIONS = {
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".webp",
    ".docx",
    ".xlsx",
    ".pptx",
    ".txt",
    ".csv",
    ".doc",
    ".xls",
}
MAX_CAMPAIGN_TARGETS = 20_000


def _lock(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


# --- assessments ---------------------------------------------------------------------------


def start_self_assessment(
    actor: Actor, organization: Organization, model: MaturityModel, enterprise_type: str
) -> Assessment:
    """Start (or, on a second click, return) the organisation's open self-assessment."""
    if enterprise_type not in EnterpriseType.values:
        raise DiagnosisError(
            "bad_type", _("Choose discrete or process manufacturing."), field="enterprise_type"
        )
    if organization.kind != OrganizationKind.MANUFACTURER:
        raise DiagnosisError("not_manufacturer", _("Only manufacturers take a self-assessment."))
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        existing = Assessment.objects.filter(
            organization=organization,
            model=model,
            kind=AssessmentKind.SELF,
            state=AssessmentState.DRAFT,
        ).first()
        if existing is not None:
            return existing
        assessment = Assessment.objects.create(
            model=model,
            organization=organization,
            kind=AssessmentKind.SELF,
            enterprise_type=enterprise_type,
            started_by=actor.user,
            asked_count=len(model.parsed().asked(enterprise_type)),
        )
        audit(actor, "assessment_started", assessment, context={"model": model.key})
    return assessment


def set_enterprise_type(actor: Actor, assessment: Assessment, enterprise_type: str) -> Assessment:
    if enterprise_type not in EnterpriseType.values:
        raise DiagnosisError(
            "bad_type", _("Choose discrete or process manufacturing."), field="enterprise_type"
        )
    with transaction.atomic():
        locked = _lock(assessment)
        _require_draft(locked)
        before = locked.enterprise_type
        locked.enterprise_type = enterprise_type
        locked.asked_count = len(locked.model.parsed().asked(enterprise_type))
        locked.answered_count = _answered_count(locked)
        locked.save(
            update_fields=["enterprise_type", "asked_count", "answered_count", "updated_at"]
        )
        audit(
            actor,
            "enterprise_type_changed",
            locked,
            changes={"enterprise_type": [before, enterprise_type]},
        )
    return locked


def _require_draft(assessment: Assessment) -> None:
    if assessment.state != AssessmentState.DRAFT:
        raise DiagnosisError(
            "submitted", _("This assessment has been submitted and can no longer be changed.")
        )


def _answered_count(assessment: Assessment) -> int:
    asked = {r.id for r in assessment.model.parsed().asked(assessment.enterprise_type)}
    return sum(
        1 for rid in assessment.answers.values_list("requirement_id", flat=True) if rid in asked
    )


def save_answer(
    actor: Actor, assessment: Assessment, requirement_id: str, value, comment: str | None = None
) -> Answer:
    """Save one answer (and its comment) the moment it is given."""
    model = assessment.model.parsed()
    requirement = model.requirement_by_id.get(requirement_id)
    if requirement is None:
        raise DiagnosisError("unknown_requirement", _("Unknown requirement."), field="requirement")
    answer = normalize_answer(value)
    if answer is None:
        raise DiagnosisError(
            "invalid_answer",
            _("Choose fully met, mostly met, partly met or not met."),
            field="value",
        )
    if answer == NA and not requirement.allow_na:
        raise DiagnosisError(
            "na_not_allowed",
            _("This requirement cannot be answered “not applicable”."),
            field="value",
        )
    code = answer_code(answer)
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise DiagnosisError(
            "comment_too_long", _("The comment is longer than 2,000 characters."), field="comment"
        )
    with transaction.atomic():
        locked = _lock(assessment)
        _require_draft(locked)
        existing = Answer.objects.filter(assessment=locked, requirement_id=requirement_id).first()
        before = {"value": existing.value, "comment": existing.comment} if existing else {}
        if existing is None:
            saved = Answer.objects.create(
                assessment=locked,
                requirement_id=requirement_id,
                value=code,
                comment=comment,
                answered_by=actor.user,
            )
        else:
            existing.value = code
            if comment is not None:
                existing.comment = comment
            existing.answered_by = actor.user
            existing.save()
            saved = existing
        locked.answered_count = _answered_count(locked)
        locked.save(update_fields=["answered_count", "updated_at"])
        after = {"value": saved.value, "comment": saved.comment}
        if before != after:
            audit(
                actor,
                "answer_saved",
                locked,
                changes={
                    f"{requirement_id}.{k}": [before.get(k), v]
                    for k, v in after.items()
                    if before.get(k) != v
                },
            )
    assessment.answered_count = locked.answered_count
    return saved


def mark_rest_not_met(
    actor: Actor, assessment: Assessment, subdomain_id: str, from_level: int
) -> int:
    """Answer 不满足 to every still unanswered requirement of a sub-domain from ``from_level``
    up: a factory that has not reached a level need not click through everything above it.
    Answers already given are never touched. Returns how many were filled."""
    model = assessment.model.parsed()
    if subdomain_id not in model.path_of_subdomain:
        raise DiagnosisError("unknown_section", _("Unknown section."), field="subdomain")
    asked = {r.id for r in model.asked(assessment.enterprise_type)}
    wanted = [
        r.id
        for r in model.requirements
        if r.subdomain == subdomain_id and r.level >= from_level and r.id in asked
    ]
    with transaction.atomic():
        locked = _lock(assessment)
        _require_draft(locked)
        answered = set(
            Answer.objects.filter(assessment=locked, requirement_id__in=wanted).values_list(
                "requirement_id", flat=True
            )
        )
        fill = [rid for rid in wanted if rid not in answered]
        Answer.objects.bulk_create(
            Answer(assessment=locked, requirement_id=rid, value="0", answered_by=actor.user)
            for rid in fill
        )
        locked.answered_count = _answered_count(locked)
        locked.save(update_fields=["answered_count", "updated_at"])
        if fill:
            audit(
                actor,
                "answers_marked_not_met",
                locked,
                changes={f"{rid}.value": [None, "0"] for rid in fill},
            )
    assessment.answered_count = locked.answered_count
    return len(fill)


def add_evidence(actor: Actor, assessment: Assessment, requirement_id: str, upload) -> Evidence:
    if requirement_id not in assessment.model.parsed().requirement_by_id:
        raise DiagnosisError("unknown_requirement", _("Unknown requirement."), field="requirement")
    name = PurePath(upload.name or "evidence").name[:200]
    suffix = PurePath(name).suffix.lower()
    if suffix not in EVIDENCE_EXTENSIONS:
        raise DiagnosisError(
            "bad_file_type",
            _("Evidence must be a PDF, an image, an Office document, a text or a CSV file."),
            field="file",
        )
    if upload.size > settings.ZHIZAO_EVIDENCE_MAX_BYTES:
        raise DiagnosisError(
            "file_too_large",
            _("The file is larger than %(mb)s MB.")
            % {"mb": settings.ZHIZAO_EVIDENCE_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    digest = hashlib.sha256()
    content = b"".join(upload.chunks())
    digest.update(content)
    sha = digest.hexdigest()
    with transaction.atomic():
        locked = _lock(assessment)
        _require_draft(locked)
        evidence = Evidence(
            assessment=locked,
            requirement_id=requirement_id,
            original_name=name,
            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
            size_bytes=len(content),
            sha256=sha,
            uploaded_by=actor.user,
        )
        evidence.file.save(name, ContentFile(content), save=False)
        evidence.save()
        audit(
            actor,
            "evidence_added",
            locked,
            context={"requirement": requirement_id, "file": name, "sha256": sha},
        )
    return evidence


def remove_evidence(actor: Actor, evidence: Evidence) -> None:
    with transaction.atomic():
        locked = _lock(evidence.assessment)
        _require_draft(locked)
        audit(
            actor,
            "evidence_removed",
            locked,
            context={"requirement": evidence.requirement_id, "file": evidence.original_name},
        )
        file = evidence.file
        evidence.delete()
        transaction.on_commit(lambda: file.delete(save=False))


def assign_section(
    actor: Actor, assessment: Assessment, domain_id: str, assignee_id: int | None
) -> SectionAssignment | None:
    """Hand a domain of the questionnaire to a colleague (a member of the same organisation)."""
    model = assessment.model.parsed()
    if domain_id not in {d.id for d in model.domains()}:
        raise DiagnosisError("unknown_section", _("Unknown section."), field="domain")
    owner_id = (
        assessment.organization_id
        if assessment.kind == AssessmentKind.SELF
        else assessment.provider_id
    )
    with transaction.atomic():
        locked = _lock(assessment)
        _require_draft(locked)
        current = SectionAssignment.objects.filter(assessment=locked, domain_id=domain_id).first()
        before = current.assignee_id if current else None
        if assignee_id is None:
            if current:
                current.delete()
            result = None
        else:
            if not Membership.objects.filter(
                user_id=assignee_id, organization_id=owner_id, is_active=True
            ).exists():
                raise DiagnosisError(
                    "not_a_colleague",
                    _("A section can only be handed to a member of your own organisation."),
                    field="assignee",
                )
            result, _created = SectionAssignment.objects.update_or_create(
                assessment=locked,
                domain_id=domain_id,
                defaults={"assignee_id": assignee_id, "assigned_by": actor.user},
            )
        if before != assignee_id:
            audit(
                actor,
                "section_assigned",
                locked,
                changes={f"section.{domain_id}": [before, assignee_id]},
            )
    return result


def answers_of(assessment: Assessment) -> dict:
    return {
        a.requirement_id: normalize_answer(a.value)
        for a in assessment.answers.all()
        if normalize_answer(a.value) is not None
    }


def compute(assessment: Assessment):
    """The exact result of an assessment's answers (complete or not: unanswered requirements
    are left out, like 不适用, which the report says for drafts)."""
    model = assessment.model.parsed()
    asked = {r.id for r in model.asked(assessment.enterprise_type)}
    answers = {k: v for k, v in answers_of(assessment).items() if k in asked}
    return model, score(model, assessment.enterprise_type, answers)


def missing_requirements(assessment: Assessment) -> list[str]:
    model = assessment.model.parsed()
    answered = set(assessment.answers.values_list("requirement_id", flat=True))
    return [r.id for r in model.asked(assessment.enterprise_type) if r.id not in answered]


def submit(actor: Actor, assessment: Assessment) -> Assessment:
    """Score the complete answers and store the result. A second submit changes nothing."""
    with transaction.atomic():
        locked = _lock(assessment)
        if locked.state == AssessmentState.SUBMITTED:
            return locked
        missing = missing_requirements(locked)
        if missing:
            raise DiagnosisError(
                "incomplete",
                _("%(n)s requirements are not answered yet.") % {"n": len(missing)},
            )
        model, result = compute(locked)
        org = locked.organization
        locked.state = AssessmentState.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor.user
        locked.score = Decimal(rhu(result.score, 6))
        locked.level = result.level
        locked.result = result.as_json(model)
        locked.answered_count = len(result.requirement_scores)
        locked.industry_division = org.industry_division
        locked.city_code = org.city_code
        locked.province_code = org.province_code
        locked.size = org.size
        if locked.kind == AssessmentKind.SELF:
            Assessment.objects.filter(
                organization=org, model=locked.model, kind=AssessmentKind.SELF, is_latest=True
            ).update(is_latest=False)
            locked.is_latest = True
        locked.save()
        audit(
            actor,
            "assessment_submitted",
            locked,
            context={"score": str(locked.score), "level": locked.level},
        )
        target = CampaignTarget.objects.filter(assessment=locked).first()
        if target is not None:
            target.state = TargetState.REPORTED
            target.reported_at = locked.submitted_at
            target.save(update_fields=["state", "reported_at"])
    return locked


def set_target_level(actor: Actor, assessment: Assessment, level: int | None) -> Assessment:
    numbers = assessment.model.parsed().level_numbers
    if level is not None and level not in numbers:
        raise DiagnosisError("bad_level", _("Unknown level."), field="target_level")
    with transaction.atomic():
        locked = _lock(assessment)
        before = locked.target_level
        locked.target_level = level
        locked.save(update_fields=["target_level", "updated_at"])
        audit(actor, "target_set", locked, changes={"target_level": [before, level]})
    return locked


# --- campaigns -----------------------------------------------------------------------------


def create_campaign(actor: Actor, *, targets_qs, **fields) -> Campaign:
    ids = list(
        targets_qs.filter(kind=OrganizationKind.MANUFACTURER, is_active=True)
        .order_by("name_sort", "id")
        .values_list("id", flat=True)[: MAX_CAMPAIGN_TARGETS + 1]
    )
    if not ids:
        raise DiagnosisError(
            "no_targets", _("The filter selects no active manufacturer."), field="target_filter"
        )
    if len(ids) > MAX_CAMPAIGN_TARGETS:
        raise DiagnosisError(
            "too_many_targets",
            _("The filter selects more than %(n)s enterprises; narrow it down.")
            % {"n": f"{MAX_CAMPAIGN_TARGETS:,}"},
            field="target_filter",
        )
    with transaction.atomic():
        campaign = Campaign.objects.create(created_by=actor.user, **fields)
        CampaignTarget.objects.bulk_create(
            CampaignTarget(campaign=campaign, enterprise_id=pk, position=i)
            for i, pk in enumerate(ids)
        )
        audit(actor, "campaign_created", campaign, context={"targets": len(ids)})
    return campaign


def _require_not_closed(campaign: Campaign) -> None:
    if campaign.state == CampaignState.CLOSED:
        raise DiagnosisError("closed", _("This campaign is closed."))


def add_provider(
    actor: Actor,
    campaign: Campaign,
    provider: Organization,
    quota: int,
    regions: list[str],
    conflicts: list[Organization],
) -> CampaignProvider:
    _require_not_closed(campaign)
    if provider.kind != OrganizationKind.PROVIDER or not provider.is_active:
        raise DiagnosisError(
            "not_provider", _("Choose an active solution provider."), field="provider"
        )
    if quota < 1:
        raise DiagnosisError("bad_quota", _("The quota must be at least 1."), field="quota")
    with transaction.atomic():
        entry, created = CampaignProvider.objects.update_or_create(
            campaign=campaign, provider=provider, defaults={"quota": quota, "regions": regions}
        )
        entry.conflicts.set(conflicts)
        audit(
            actor,
            "campaign_provider_saved",
            campaign,
            context={
                "provider": provider.name,
                "quota": quota,
                "regions": regions,
                "conflicts": [c.pk for c in conflicts],
                "created": created,
            },
        )
    return entry


def provider_conflicts(campaign: Campaign) -> dict[int, set[int]]:
    """Per campaign provider: the enterprises it has a stake in — declared ones, and any
    enterprise a member of the provider's staff also belongs to."""
    entries = list(campaign.providers.prefetch_related("conflicts"))
    target_ids = set(campaign.targets.values_list("enterprise_id", flat=True))
    out = {e.pk: {c.pk for c in e.conflicts.all()} for e in entries}
    provider_orgs = {e.provider_id: e.pk for e in entries}
    staff = Membership.objects.filter(
        organization_id__in=provider_orgs, is_active=True
    ).values_list("user_id", "organization_id")
    users_by_provider: dict[int, set[int]] = {}
    for user_id, org_id in staff:
        users_by_provider.setdefault(org_id, set()).add(user_id)
    all_users = set().union(*users_by_provider.values()) if users_by_provider else set()
    shared = Membership.objects.filter(
        user_id__in=all_users, organization_id__in=target_ids, is_active=True
    ).values_list("user_id", "organization_id")
    for user_id, enterprise_id in shared:
        for org_id, users in users_by_provider.items():
            if user_id in users:
                out[provider_orgs[org_id]].add(enterprise_id)
    return out


def _core_providers(campaign: Campaign, entries, conflicts, manual_load) -> list[Provider]:
    return [
        Provider(
            id=e.pk,
            home=e.provider.region_id,
            quota=max(0, e.quota - manual_load.get(e.pk, 0)),
            regions=tuple(e.regions),
            conflicts=frozenset(conflicts.get(e.pk, set())),
        )
        for e in entries
    ]


def propose_allocation(actor: Actor, campaign: Campaign) -> dict:
    """Allocate every target not placed by hand; placements made by hand are kept."""
    _require_not_closed(campaign)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        entries = list(campaign.providers.select_related("provider"))
        conflicts = provider_conflicts(campaign)
        targets = list(
            campaign.targets.select_related("enterprise").filter(
                state__in=[TargetState.UNASSIGNED, TargetState.PLANNED]
            )
        )
        manual = [t for t in targets if t.manual and t.assigned_id]
        manual_load: dict[int, int] = {}
        for t in manual:
            manual_load[t.assigned_id] = manual_load.get(t.assigned_id, 0) + 1
        busy = campaign.targets.exclude(
            state__in=[TargetState.UNASSIGNED, TargetState.PLANNED]
        ).count()
        free = [t for t in targets if not (t.manual and t.assigned_id)]
        capacity = max(0, campaign.capacity - len(manual) - busy)
        # targets are identified by their enterprise: conflicts are sets of enterprises
        result = allocate(
            [Target(t.enterprise_id, t.enterprise.region_id) for t in free],
            _core_providers(campaign, entries, conflicts, manual_load),
            capacity,
        )
        for t in free:
            t.assigned_id = result.assigned.get(t.enterprise_id)
            t.distance = result.distance.get(t.enterprise_id, "")
            t.unassigned_reason = result.unassigned.get(t.enterprise_id, "")
            t.state = TargetState.PLANNED if t.assigned_id else TargetState.UNASSIGNED
        CampaignTarget.objects.bulk_update(
            free, ["assigned", "distance", "unassigned_reason", "state"], batch_size=1000
        )
        campaign.allocated_at = timezone.now()
        campaign.save(update_fields=["allocated_at"])
        summary = {
            "assigned": len(result.assigned),
            "unassigned": len(result.unassigned),
            "manual": len(manual),
            "capacity": campaign.capacity,
        }
        audit(actor, "campaign_allocated", campaign, context=summary)
    return summary


def reassign_target(actor: Actor, target: CampaignTarget, entry: CampaignProvider | None) -> None:
    campaign = target.campaign
    _require_not_closed(campaign)
    if target.state in (TargetState.VISITED, TargetState.REPORTED):
        raise DiagnosisError(
            "already_visited", _("This enterprise has been visited; it can no longer be moved.")
        )
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = target.assigned_id
        if entry is None:
            target.assigned = None
            target.state = TargetState.UNASSIGNED
            target.unassigned_reason = "removed_by_operator"
            target.distance = ""
        else:
            if entry.campaign_id != campaign.pk:
                raise DiagnosisError("bad_provider", _("Unknown provider."), field="provider")
            load = entry.targets.exclude(pk=target.pk).count()
            if target.assigned_id is None or target.assigned_id != entry.pk:
                conflicts = provider_conflicts(campaign).get(entry.pk, set())
                refusal = check_assignment(
                    Target(target.enterprise_id, target.enterprise.region_id),
                    Provider(
                        entry.pk,
                        entry.provider.region_id,
                        entry.quota,
                        tuple(entry.regions),
                        frozenset(conflicts),
                    ),
                    load,
                )
                if refusal is None and target.assigned_id is None:
                    planned = campaign.targets.exclude(assigned=None).count()
                    if planned >= campaign.capacity:
                        refusal = "budget_exhausted"
                if refusal:
                    raise DiagnosisError(refusal, allocation_reason(refusal), field="provider")
            target.assigned = entry
            target.state = TargetState.PLANNED
            target.unassigned_reason = ""
            target.distance = (
                distance(
                    Provider(entry.pk, entry.provider.region_id, entry.quota, tuple(entry.regions)),
                    target.enterprise.region_id,
                )
                or ""
            )
        target.manual = True
        target.save()
        audit(
            actor,
            "campaign_target_moved",
            campaign,
            changes={f"target.{target.enterprise_id}": [before, target.assigned_id]},
        )


def set_campaign_state(actor: Actor, campaign: Campaign, state: str) -> Campaign:
    allowed = {
        CampaignState.DRAFT: {CampaignState.RUNNING},
        CampaignState.RUNNING: {CampaignState.CLOSED},
        CampaignState.CLOSED: set(),
    }
    if state not in allowed[campaign.state]:
        raise DiagnosisError("bad_state", _("The campaign cannot move to that state."))
    if state == CampaignState.RUNNING and not campaign.targets.exclude(assigned=None).exists():
        raise DiagnosisError(
            "not_allocated", _("Allocate the enterprises to providers before starting.")
        )
    with transaction.atomic():
        before = campaign.state
        updated = Campaign.objects.filter(pk=campaign.pk, state=before).update(state=state)
        if not updated:
            raise DiagnosisError("bad_state", _("The campaign cannot move to that state."))
        campaign.state = state
        audit(actor, "campaign_state", campaign, changes={"state": [before, state]})
    return campaign


def record_visit(actor: Actor, target: CampaignTarget, visited_on, note: str) -> CampaignTarget:
    if visited_on is None:
        raise DiagnosisError("no_date", _("Give the date of the visit."), field="visited_at")
    if visited_on > timezone.localdate():
        raise DiagnosisError(
            "future_date", _("The visit date cannot be in the future."), field="visited_at"
        )
    with transaction.atomic():
        locked = CampaignTarget.objects.select_for_update().get(pk=target.pk)
        if locked.state == TargetState.REPORTED:
            raise DiagnosisError("reported", _("The diagnosis has already been reported."))
        before = locked.state
        locked.visited_at = visited_on
        locked.visit_note = (note or "").strip()[:2000]
        locked.state = TargetState.VISITED
        locked.save(update_fields=["visited_at", "visit_note", "state"])
        audit(
            actor,
            "campaign_visit",
            locked.campaign,
            changes={f"target.{locked.enterprise_id}.state": [before, locked.state]},
            context={"visited_at": visited_on.isoformat()},
        )
    return locked


def start_onsite(actor: Actor, target: CampaignTarget) -> Assessment:
    """The provider's on-site diagnosis for a campaign target (one per target)."""
    with transaction.atomic():
        locked = (
            CampaignTarget.objects.select_for_update().select_related("campaign").get(pk=target.pk)
        )
        if locked.assessment_id:
            return locked.assessment
        campaign = locked.campaign
        self_assessment = (
            Assessment.objects.filter(
                organization_id=locked.enterprise_id,
                kind=AssessmentKind.SELF,
                state=AssessmentState.SUBMITTED,
                model__key=campaign.model.key,
            )
            .order_by("-submitted_at")
            .first()
        )
        enterprise_type = (
            self_assessment.enterprise_type if self_assessment else EnterpriseType.DISCRETE
        )
        assessment = Assessment.objects.create(
            model=self_assessment.model if self_assessment else campaign.model,
            organization_id=locked.enterprise_id,
            kind=AssessmentKind.ONSITE,
            enterprise_type=enterprise_type,
            provider_id=locked.assigned.provider_id,
            verifies=self_assessment,
            started_by=actor.user,
        )
        assessment.asked_count = len(assessment.model.parsed().asked(enterprise_type))
        assessment.save(update_fields=["asked_count"])
        locked.assessment = assessment
        if locked.state == TargetState.PLANNED:
            locked.state = TargetState.VISITED
            locked.visited_at = locked.visited_at or timezone.localdate()
        locked.save(update_fields=["assessment", "state", "visited_at"])
        audit(
            actor,
            "onsite_started",
            assessment,
            context={"campaign": campaign.pk, "verifies": getattr(self_assessment, "pk", None)},
        )
    return assessment


def distance_labels() -> dict[str, str]:
    return {
        "district": _("same district"),
        "city": _("same city"),
        "province": _("same province"),
        "service_region": _("in its service region"),
    }


def allocation_reason(code: str) -> str:
    return {
        "budget_exhausted": _("the budget pays for no more diagnoses"),
        "no_provider_in_region": _("no provider serves its region"),
        "conflict_of_interest": _("every provider serving its region has a stake in it"),
        "no_capacity": _("the providers serving its region have no quota left"),
        "outside_service_region": _("the enterprise lies outside the provider's service regions"),
        "quota_full": _("the provider's quota is full"),
        "removed_by_operator": _("removed by an operator"),
    }.get(code, code)


def model_errors_text(exc: ModelError) -> list[str]:
    from .messages import problems_text

    return problems_text(exc.problems)
