"""Writes to diagnosis campaigns: create, providers, allocation (min-cost max-flow in the
core), moving a target by hand, the campaign state, visits and the on-site assessment."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao.common.bulk import bulk_write
from zhizao.registry.enums import OrganizationKind
from zhizao.registry.models import Organization
from zhizao_core.diagnosis.allocation import (
    Provider,
    Target,
    allocate,
    check_assignment,
    distance,
)

from ..enums import AssessmentKind, AssessmentState, CampaignState, EnterpriseType, TargetState
from ..errors import DiagnosisError
from ..messages import allocation_reason
from ..models import Assessment, Campaign, CampaignProvider, CampaignTarget
from ..selectors import provider_conflicts
from .base import MAX_CAMPAIGN_TARGETS, audit


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
        with bulk_write(CampaignTarget, [t.pk for t in free]):
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
    with transaction.atomic(), bulk_write(Campaign, [campaign.pk]):
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
