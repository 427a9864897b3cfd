"""Operators: the introduction funnel by category, city and provider with deal values, and
the supply gaps that feed the chains' weak-link analysis."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts import roles
from zhizao.accounts.selectors import actor_for_request

from .. import access, services, stats
from ..enums import FUNNEL
from ..errors import MatchError

GROUPINGS = ("category", "city", "provider")


@login_required
def funnel(request):
    membership = request.membership
    if not access.can_view_funnel(membership):
        raise Http404
    grouping = request.GET.get("by") if request.GET.get("by") in GROUPINGS else "category"
    total = stats.funnel()
    return render(
        request,
        "matchmaking/funnel.html",
        {
            "total": total,
            "total_stages": list(zip([s.label for s in FUNNEL], total.counts, strict=True)),
            "rows": stats.funnel_by(grouping),
            "grouping": grouping,
            "groupings": GROUPINGS,
            "stages": [s.label for s in FUNNEL],
        },
    )


@login_required
def gaps(request):
    """The supply gaps as last computed in the background, with their time; never ranks in
    the request. Without any result yet, the computation is asked for (once)."""
    membership = request.membership
    if not access.can_view_funnel(membership):
        raise Http404
    report, pending = stats.latest_supply_gap_report()
    if report is None and not pending:
        services.request_supply_gaps(actor_for_request(request))
        pending = True
    groups = stats.shown_gap_groups(report.groups) if report else []
    return render(
        request,
        "matchmaking/gaps.html",
        {
            "report": report,
            "pending": pending,
            "groups": groups,
            "n_demands": report.demand_count if report else 0,
            "can_refresh": roles.is_operator(membership),
        },
    )


@login_required
@require_POST
def gaps_refresh(request):
    """An operator asks for the supply gaps to be computed again (enqueued once)."""
    membership = request.membership
    if not roles.is_operator(membership):
        raise Http404
    if services.request_supply_gaps(actor_for_request(request)):
        messages.success(
            request,
            _("The supply gaps are being computed again. Reload this page in a few minutes."),
        )
    else:
        messages.info(request, _("The supply gaps are already being computed."))
    return redirect("matchmaking:gaps")


@login_required
@require_POST
def suggest(request, pk):
    """An operator suggests an offering to a demand (both sides are notified)."""
    membership = request.membership
    if not roles.is_operator(membership):
        raise Http404
    demand = access.access_demand(membership, pk)
    offering = access.access_offering(membership, request.POST.get("offering") or 0)
    try:
        services.suggest_introduction(actor_for_request(request), demand=demand, offering=offering)
    except MatchError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Introduction suggested to both sides."))
    return redirect("matchmaking:demand_detail", pk=demand.pk)
