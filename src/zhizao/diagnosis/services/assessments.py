"""Writes to assessments: start, answer (one or many), evidence, hand-overs, submit, target.
Each checks its business rules, writes in one transaction on the locked assessment and records
an audit entry."""

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
from zhizao.common.audit import Actor
from zhizao.common.bulk import bulk_write
from zhizao.registry.enums import OrganizationKind
from zhizao.registry.models import Organization
from zhizao_core.diagnosis import NA, answer_code, normalize_answer
from zhizao_core.diagnosis import round_half_up as rhu

from ..enums import AssessmentKind, AssessmentState, EnterpriseType, TargetState
from ..errors import DiagnosisError
from ..models import Answer, Assessment, CampaignTarget, Evidence, MaturityModel, SectionAssignment
from ..selectors import compute, missing_requirements
from .base import EVIDENCE_EXTENSIONS, audit


def _lock(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


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
        _recount(locked)
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


def _recount(locked: Assessment) -> None:
    """Count the answered requirements of a locked draft and mark each handed-over section done
    (every asked requirement answered, by whoever) or open again; the caller saves the count."""
    model = locked.model.parsed()
    asked = {r.id for r in model.asked(locked.enterprise_type)}
    answered = set(locked.answers.values_list("requirement_id", flat=True)) & asked
    locked.answered_count = len(answered)
    open_domains = model.open_domains(locked.enterprise_type, answered)
    for section in locked.section_assignments.all():
        done = section.domain_id not in open_domains
        if done != (section.completed_at is not None):
            section.completed_at = timezone.now() if done else None
            section.save(update_fields=["completed_at"])


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
        _recount(locked)
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


def save_answers(
    actor: Actor, assessment: Assessment, answers: dict, comments: dict | None = None
) -> dict[str, DiagnosisError]:
    """Save several answers at once, all or none: the problems by requirement id (when there
    is any, nothing was saved)."""
    comments = comments or {}
    errors: dict[str, DiagnosisError] = {}
    with transaction.atomic():
        for requirement_id, value in answers.items():
            try:
                save_answer(actor, assessment, requirement_id, value, comments.get(requirement_id))
            except DiagnosisError as exc:
                errors[requirement_id] = exc
        if errors:
            transaction.set_rollback(True)
    return errors


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
        _recount(locked)
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
            _recount(locked)
            result.refresh_from_db(fields=["completed_at"])
        if before != assignee_id:
            audit(
                actor,
                "section_assigned",
                locked,
                changes={f"section.{domain_id}": [before, assignee_id]},
            )
    return result


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
            previous = Assessment.objects.filter(
                organization=org, model=locked.model, kind=AssessmentKind.SELF, is_latest=True
            ).values_list("pk", flat=True)
            with bulk_write(Assessment, previous) as ids:
                Assessment.objects.filter(pk__in=ids).update(is_latest=False)
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
