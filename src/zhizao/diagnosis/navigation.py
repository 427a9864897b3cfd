"""The diagnosis app's entry in the side navigation."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhizao.common.navigation import (
    Action,
    Figure,
    LinkGroup,
    Shortcut,
    WorkbenchPart,
    register_nav,
    register_organization_links,
    register_workbench,
)

from . import access
from .cache import parsed_model
from .enums import AssessmentKind, AssessmentState, CampaignState, TargetState
from .messages import lang_text
from .models import CampaignTarget, SectionAssignment

register_nav(
    "diagnosis:home",
    label=_("Maturity diagnosis"),
    icon="diagnosis",
    order=60,
    active_on=(
        "diagnosis:assessment",
        "diagnosis:report",
        "diagnosis:campaign_list",
        "diagnosis:campaign_detail",
        "diagnosis:campaign_new",
        "diagnosis:statistics",
    ),
)


# --- workbench providers (the home page of each role; zhizao.common.navigation) -------------

WAITING_LIMIT = 10


def section_name(model_row, domain_id: str) -> str:
    """A questionnaire section's (domain's) name in the reader's language."""
    for domain in parsed_model(model_row).domains():
        if domain.id == domain_id:
            return lang_text(domain.name)
    return ""


def _level_name(model_row, level: int | None) -> str:
    if not level:
        return gettext("below level 1")
    levels = parsed_model(model_row).levels
    return lang_text(levels[level - 1].name) if level <= len(levels) else str(level)


def enterprise_workbench(request, membership) -> WorkbenchPart:
    """Sections of a self-assessment handed to this user and not yet done (each stays until every
    requirement in it is answered), the self-assessment in progress; the latest maturity level.
    3 queries."""
    org_id = membership.organization_id
    actions = []
    for section in (
        SectionAssignment.objects.filter(
            assignee=request.user,
            assessment__organization_id=org_id,
            assessment__state=AssessmentState.DRAFT,
            completed_at__isnull=True,
        )
        .select_related("assessment__model")
        .order_by("assigned_at", "id")[:WAITING_LIMIT]
    ):
        actions.append(
            Action(
                label=_("Answer the section “%(section)s” handed to you")
                % {"section": section_name(section.assessment.model, section.domain_id)},
                url=f"{reverse('diagnosis:assessment', args=[section.assessment_id])}"
                f"?{urlencode({'section': section.domain_id})}",
                kind=_("Questionnaire section"),
            )
        )
    for draft in (
        access.assessments_for(membership)
        .filter(kind=AssessmentKind.SELF, state=AssessmentState.DRAFT)
        .order_by("-updated_at", "-id")[:WAITING_LIMIT]
    ):
        actions.append(
            Action(
                label=_("Finish your self-assessment (%(done)s of %(total)s answered)")
                % {"done": draft.answered_count, "total": draft.asked_count or "—"},
                url=reverse("diagnosis:assessment", args=[draft.pk]),
                kind=_("Self-assessment"),
            )
        )
    latest = (
        access.assessments_for(membership)
        .filter(state=AssessmentState.SUBMITTED)
        .order_by("-submitted_at", "-id")
        .first()
    )
    figures = [
        Figure(
            label=_("Maturity level"),
            value=str(latest.level) if latest and latest.level is not None else "—",
            url=reverse("diagnosis:report", args=[latest.pk])
            if latest
            else reverse("diagnosis:home"),
            detail=_level_name(latest.model, latest.level)
            if latest
            else gettext("not assessed yet"),
        )
    ]
    return WorkbenchPart(
        actions=actions,
        figures=figures,
        shortcuts=[Shortcut(_("Maturity diagnosis"), reverse("diagnosis:home"))],
    )


def provider_workbench(request, membership) -> WorkbenchPart:
    """Per running campaign, the enterprises it assigned to this provider and not yet visited
    (one line a campaign, however many enterprises: a provider with sixty visits reads one
    task, not sixty), and its on-site diagnoses in progress. 2 queries."""
    waiting = (
        CampaignTarget.objects.filter(
            assigned__provider_id=membership.organization_id,
            state=TargetState.PLANNED,
            campaign__state=CampaignState.RUNNING,
        )
        .values("campaign_id", "campaign__name", "campaign__deadline")
        .annotate(n=Count("id"))
        .order_by("campaign__deadline", "campaign_id")[:WAITING_LIMIT]
    )
    actions = [
        Action(
            label=gettext("%(campaign)s: enterprises to visit: %(n)d")
            % {"campaign": row["campaign__name"], "n": row["n"]},
            url=reverse("diagnosis:campaign_detail", args=[row["campaign_id"]]),
            due=row["campaign__deadline"],
            kind=_("Campaign"),
        )
        for row in waiting
    ]
    actions += [
        Action(
            label=_("Finish the on-site diagnosis of %(org)s") % {"org": a.organization.name},
            url=reverse("diagnosis:assessment", args=[a.pk]),
            kind=_("On-site diagnosis"),
        )
        for a in access.assessments_for(membership)
        .filter(state=AssessmentState.DRAFT)
        .order_by("-updated_at", "-id")[:WAITING_LIMIT]
    ]
    return WorkbenchPart(
        actions=actions, shortcuts=[Shortcut(_("Diagnoses"), reverse("diagnosis:home"))]
    )


def staff_workbench(request, membership) -> WorkbenchPart:
    """Running campaigns. 1 query."""
    running = access.campaigns_for(membership).filter(state=CampaignState.RUNNING).count()
    return WorkbenchPart(
        figures=[
            Figure(
                label=_("Running diagnosis campaigns"),
                value=str(running),
                url=reverse("diagnosis:campaign_list"),
            )
        ],
        shortcuts=[
            Shortcut(_("Diagnosis campaigns"), reverse("diagnosis:campaign_list")),
            Shortcut(_("Diagnosis statistics"), reverse("diagnosis:statistics")),
        ],
    )


register_workbench(
    "diagnosis.enterprise",
    roles=("enterprise",),
    provide=enterprise_workbench,
    order=10,
    queries=3,
)
register_workbench(
    "diagnosis.provider",
    roles=("provider",),
    provide=provider_workbench,
    order=10,
    queries=2,
)
register_workbench(
    "diagnosis.staff", roles=("operator", "officer"), provide=staff_workbench, order=10, queries=1
)


# --- an organisation's page: its assessments and campaigns the viewer may open --------------

LINKS_SHOWN = 10


def organization_links(request, membership, organization) -> list[LinkGroup]:
    """2 queries."""
    assessments = LinkGroup(title=gettext("Maturity assessments"))
    for a in (
        access.assessments_for(membership)
        .filter(organization=organization)
        .order_by("-created_at", "-id")[:LINKS_SHOWN]
    ):
        state = a.get_state_display()
        level = f" · {gettext('level')} {a.level}" if a.level is not None else ""
        assessments.links.append(
            Shortcut(
                f"{a.get_kind_display()} · {a.created_at:%Y-%m-%d} · {state}{level}",
                reverse(
                    "diagnosis:report" if a.is_submitted else "diagnosis:assessment", args=[a.pk]
                ),
            )
        )
    campaigns = LinkGroup(title=gettext("Diagnosis campaigns"))
    campaigns.links = [
        Shortcut(c.name, reverse("diagnosis:campaign_detail", args=[c.pk]))
        for c in access.campaigns_for(membership)
        .filter(targets__enterprise=organization)
        .distinct()
        .order_by("-created_at", "-id")[:LINKS_SHOWN]
    ]
    return [assessments, campaigns]


register_organization_links("diagnosis", provide=organization_links, order=10, queries=2)
