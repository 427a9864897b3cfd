"""Who may see and change which assessment and campaign. Every fetch goes through here; a
missing object and a forbidden one look the same (404)."""

from __future__ import annotations

from django.http import Http404

from zhizao.accounts.enums import Role
from zhizao.accounts.roles import is_enterprise, is_operator, role_of

from .enums import AssessmentKind, AssessmentState
from .models import Assessment, Campaign, CampaignTarget


def can_self_assess(membership) -> bool:
    return is_enterprise(membership)


def can_view(membership, assessment: Assessment) -> bool:
    if membership is None:
        return False
    if membership.role == Role.OPERATOR:
        return True
    if membership.role == Role.ENTERPRISE:
        return assessment.organization_id == membership.organization_id and (
            assessment.kind == AssessmentKind.SELF or assessment.is_submitted
        )
    if membership.role == Role.PROVIDER:
        return (
            assessment.kind == AssessmentKind.ONSITE
            and assessment.provider_id == membership.organization_id
        )
    return False


def can_edit(membership, assessment: Assessment) -> bool:
    if membership is None or assessment.state != AssessmentState.DRAFT:
        return False
    if assessment.kind == AssessmentKind.SELF:
        return (
            membership.role == Role.ENTERPRISE
            and assessment.organization_id == membership.organization_id
        )
    return membership.role == Role.PROVIDER and assessment.provider_id == membership.organization_id


def access_assessment(membership, pk, *, write: bool = False) -> Assessment:
    assessment = (
        Assessment.objects.select_related("model", "organization", "provider", "verifies")
        .filter(pk=pk)
        .first()
    )
    if assessment is None or not can_view(membership, assessment):
        raise Http404
    if write and not can_edit(membership, assessment):
        raise Http404
    return assessment


def assessments_for(membership):
    qs = Assessment.objects.select_related("model", "organization", "provider")
    if membership is None:
        return qs.none()
    if membership.role == Role.OPERATOR:
        return qs
    if membership.role == Role.ENTERPRISE:
        return qs.filter(organization_id=membership.organization_id).exclude(
            kind=AssessmentKind.ONSITE, state=AssessmentState.DRAFT
        )
    if membership.role == Role.PROVIDER:
        return qs.filter(kind=AssessmentKind.ONSITE, provider_id=membership.organization_id)
    return qs.none()


def can_view_statistics(membership) -> bool:
    return role_of(membership) in (Role.OPERATOR, Role.OFFICER)


def access_campaign(membership, pk) -> Campaign:
    campaign = Campaign.objects.select_related("model").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    if is_operator(membership):
        return campaign
    if role_of(membership) == Role.OFFICER:
        return campaign
    if (
        role_of(membership) == Role.PROVIDER
        and campaign.providers.filter(provider_id=membership.organization_id).exists()
        and campaign.state != "draft"
    ):
        return campaign
    raise Http404


def campaigns_for(membership):
    if is_operator(membership) or role_of(membership) == Role.OFFICER:
        return Campaign.objects.all()
    if role_of(membership) == Role.PROVIDER:
        return Campaign.objects.filter(providers__provider_id=membership.organization_id).exclude(
            state="draft"
        )
    return Campaign.objects.none()


def access_target(membership, pk, *, provider_action: bool = False) -> CampaignTarget:
    target = (
        CampaignTarget.objects.select_related(
            "campaign", "enterprise", "assigned__provider", "assessment"
        )
        .filter(pk=pk)
        .first()
    )
    if target is None:
        raise Http404
    if provider_action:
        if (
            role_of(membership) == Role.PROVIDER
            and target.assigned is not None
            and target.assigned.provider_id == membership.organization_id
            and target.campaign.state == "running"
        ):
            return target
        raise Http404
    if is_operator(membership):
        return target
    raise Http404
