"""Transformation projects that need financing meet banks through a financing demand: the
enterprise raises it from its project (prefilled with the amount still to finance and the
project's facts), reviews it, and publishes it; banks then see it among the demands that fit
their financial products, ranked with reasons like any other demand."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao.policies.enums import ProjectKind
from zhizao.policies.models import Project
from zhizao_core.text.amounts import format_cny

from ..enums import BUDGET_BOUNDS, BudgetBand, DemandState, Timeline
from ..models import Demand
from .listings import create_demand


def financing_gap_yuan(project: Project) -> Decimal | None:
    """Total investment minus the loans already taken; None while the investment is unknown."""
    total = project.total_investment_yuan
    if total is None:
        return None
    loans = sum((loan.amount_yuan for loan in project.loans.all()), Decimal("0"))
    return max(Decimal("0"), total - loans)


def budget_band_for(amount: Decimal | None) -> str:
    if amount is None or amount <= 0:
        return BudgetBand.OPEN
    for band, (low, high) in BUDGET_BOUNDS.items():
        if band == BudgetBand.OPEN:
            continue
        if (low is None or amount > low) and (high is None or amount <= high):
            return band
    return BudgetBand.OPEN


def financing_description(project: Project, gap: Decimal | None) -> str:
    def money(value):
        return format_cny(value) if value is not None else _("not given")

    lines = [
        _("Transformation project “%(name)s” (%(kind)s).")
        % {"name": project.name, "kind": ProjectKind(project.kind).label},
        _(
            "Total investment %(total)s: equipment %(equipment)s, software %(software)s, "
            "technical services %(services)s, other %(other)s."
        )
        % {
            "total": money(project.total_investment_yuan),
            "equipment": money(project.equipment_yuan),
            "software": money(project.software_yuan),
            "services": money(project.services_yuan),
            "other": money(project.other_yuan),
        },
    ]
    loans = list(project.loans.all())
    if loans:
        lines.append(
            _("Loans already taken: %(amount)s in %(n)s loan(s).")
            % {
                "amount": format_cny(sum((loan.amount_yuan for loan in loans), Decimal("0"))),
                "n": len(loans),
            }
        )
    if gap is not None:
        lines.append(_("Still to finance: %(gap)s.") % {"gap": format_cny(gap)})
    if project.start_date:
        lines.append(_("Start date: %(day)s.") % {"day": project.start_date.isoformat()})
    lines.append(_("We are looking for equipment-renewal or technology-upgrade loans or leasing."))
    return "\n".join(lines)


def financing_demand_for_project(actor: Actor, project: Project) -> Demand:
    """A draft financing demand for the project (the caller has checked that the actor may
    edit it). A second click returns the open one instead of a duplicate."""
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        existing = (
            Demand.objects.filter(project=project)
            .exclude(state=DemandState.CLOSED)
            .order_by("-id")
            .first()
        )
        if existing is not None:
            return existing
        gap = financing_gap_yuan(project)
        enterprise = project.enterprise
        demand = create_demand(
            actor,
            enterprise,
            title=_("Financing for “%(name)s”") % {"name": project.name},
            description=financing_description(project, gap),
            category="financing",
            industry=enterprise.industry_id or "",
            region=project.region_id or enterprise.region_id,
            budget_band=budget_band_for(gap),
            timeline=Timeline.QUARTER,
            project=project,
        )
    return demand
