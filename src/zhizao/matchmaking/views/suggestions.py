"""Match suggestions: the setting an enterprise or a supplier uses to turn them off (or on)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhizao.accounts.selectors import actor_for_request

from .. import services
from ..models import MatchSuggestion


@login_required
def suggestion_settings(request):
    """Whether we tell this organisation of new matches, and the last suggestions sent to it."""
    membership = request.membership
    if not services.may_set_suggestions(membership):
        raise Http404
    if request.method == "POST":
        services.set_suggestion_preference(
            actor_for_request(request),
            membership.organization,
            enabled=request.POST.get("enabled") == "1",
        )
        messages.success(request, _("Saved."))
        return redirect("matchmaking:suggestion_settings")
    recent = (
        MatchSuggestion.objects.filter(recipient_id=membership.organization_id)
        .select_related("demand", "offering")
        .order_by("-created_at", "-id")[:20]
    )
    return render(
        request,
        "matchmaking/suggestion_settings.html",
        {
            "enabled": services.suggestions_enabled(membership.organization_id),
            "recent": recent,
        },
    )
