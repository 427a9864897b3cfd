"""Policies figures: transformation projects and their investment, loans, subsidies decided
(confirmed name-list entries) and paid (by policy), recognitions (by title)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhizao.insights.providers import Figure, register_figure

from .enums import EntryState, RecognitionTitle
from .models import Loan, NameListEntry, Payment, Policy, Project, Recognition


def _projects():
    return Project.objects.exclude(status="cancelled").filter(start_date__isnull=False)


def _project_detail(project) -> str:
    return reverse("policies:project_detail", args=[project.pk])


def _policy_budgets() -> dict[str, object]:
    return {
        str(pk): budget
        for pk, budget in Policy.objects.filter(budget_yuan__isnull=False).values_list(
            "pk", "budget_yuan"
        )
    }


def _policy_labels() -> dict[str, str]:
    return {str(pk): title for pk, title in Policy.objects.values_list("pk", "title")}


register_figure(
    Figure(
        name="policies.projects",
        label=_("Transformation projects started"),
        area="projects",
        queryset=_projects,
        date="start_date",
        organization="enterprise",
        order=30,
        detail=_project_detail,
    )
)
for _field, _label, _order in (
    ("equipment_yuan", _("Investment in equipment"), 31),
    ("software_yuan", _("Investment in software"), 32),
    ("services_yuan", _("Investment in services"), 33),
    ("other_yuan", _("Other investment"), 34),
):
    register_figure(
        Figure(
            name=f"policies.investment_{_field.removesuffix('_yuan')}",
            label=_label,
            area="projects",
            queryset=_projects,
            date="start_date",
            organization="enterprise",
            amount=_field,
            unit="yuan",
            order=_order,
            detail=_project_detail,
        )
    )
register_figure(
    Figure(
        name="policies.loans",
        label=_("Loans to projects"),
        area="projects",
        queryset=lambda: Loan.objects.all(),
        date="start_date",
        organization="project__enterprise",
        amount="amount_yuan",
        unit="yuan",
        order=35,
        detail=lambda loan: reverse("policies:project_detail", args=[loan.project_id]),
    )
)
register_figure(
    Figure(
        name="policies.subsidies_decided",
        label=_("Subsidies decided"),
        area="subsidies",
        queryset=lambda: NameListEntry.objects.filter(
            state=EntryState.CONFIRMED, name_list__announced_at__isnull=False
        ),
        date="name_list__announced_at",
        organization="enterprise",
        amount="amount_yuan",
        key="name_list__item_version__item__policy_id",
        unit="yuan",
        order=40,
        key_labels=_policy_labels,
    )
)
register_figure(
    Figure(
        name="policies.subsidies_paid",
        label=_("Subsidies paid"),
        area="subsidies",
        queryset=lambda: Payment.objects.all(),
        date="paid_on",
        organization="entry__enterprise",
        amount="amount_yuan",
        key="entry__name_list__item_version__item__policy_id",
        unit="yuan",
        order=41,
        key_labels=_policy_labels,
        budgets=_policy_budgets,
    )
)
register_figure(
    Figure(
        name="policies.recognitions",
        label=_("Recognitions (smart factories, champions …)"),
        area="recognitions",
        queryset=lambda: Recognition.objects.filter(since__isnull=False),
        date="since",
        organization="organization",
        key="title",
        order=60,
        key_labels=lambda: {str(k): str(v) for k, v in RecognitionTitle.choices},
        detail=lambda rec: reverse("policies:organization_records", args=[rec.organization_id]),
    )
)
