"""A transformation project's financing demand: raised from the project page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.selectors import actor_for_request
from zhizao.policies import access as project_access

from .. import services
from ..errors import MatchError


@login_required
@require_POST
def project_financing(request, pk):
    project = project_access.access_project(request.membership, pk, write=True)
    try:
        demand = services.financing_demand_for_project(actor_for_request(request), project)
    except MatchError as error:
        messages.error(request, error.message)
        return redirect("policies:project_detail", pk=project.pk)
    messages.success(
        request,
        _("A draft financing demand was prepared from the project: check it and publish it."),
    )
    return redirect("matchmaking:demand_edit", pk=demand.pk)
