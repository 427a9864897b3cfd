"""Nominating bodies (推荐) and the selection office's formal review (形式审查)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.selectors import actor_for_request
from zhizao.common.lists import list_page

from .. import access, lists
from ..enums import ApplicationState
from ..errors import CallError
from ..selectors import CHECKLIST, applications_for_nominator, quota_left
from ..services import formal, nominations
from .common import done, parse_local

A = ApplicationState


@login_required
def nominations_page(request, pk):
    """A nominating body's page of one call: what is addressed to it, the quota left."""
    membership = request.membership
    call = access.access_call(membership, pk)
    if (
        membership.role not in access.NOMINATOR_ROLES
        or not call.quotas.filter(nominator_id=membership.organization_id).exists()
    ):
        raise Http404
    applications = list(applications_for_nominator(call, membership.organization_id))
    nominees = [a.pk for a in applications if a.state == A.NOMINATED]
    # for each nominee but the first: the order with it moved up one place
    move_up = {}
    for i, pk in enumerate(nominees[1:], start=1):
        order = list(nominees)
        order[i - 1], order[i] = order[i], order[i - 1]
        move_up[pk] = order
    return render(
        request,
        "calls/nominations.html",
        {
            "call": call,
            "rows": [(a, move_up.get(a.pk)) for a in applications],
            "quota_left": quota_left(call, membership.organization_id),
        },
    )


@login_required
@require_POST
def nominations_rank(request, pk):
    membership = request.membership
    call = access.access_call(membership, pk)
    if (
        membership.role not in access.NOMINATOR_ROLES
        or not call.quotas.filter(nominator_id=membership.organization_id).exists()
    ):
        raise Http404
    error = None
    try:
        order = [int(x) for x in request.POST.getlist("order")]
        nominations.rank_nominees(
            actor_for_request(request), call, nominator_id=membership.organization_id, order=order
        )
    except ValueError:
        error = CallError("bad_order", _("List every nominated application exactly once."))
    except CallError as exc:
        error = exc
    return done(request, error, _("Order saved."), "calls:nominations", call.pk)


@login_required
@require_POST
def nominate(request, pk):
    membership = request.membership
    application = access.access_application(membership, pk)
    if not access.is_nominator(membership, application):
        raise Http404
    actor = actor_for_request(request)
    error = None
    try:
        if request.POST.get("action") == "withdraw":
            nominations.withdraw_nomination(actor, application)
        else:
            nominations.nominate_application(actor, application)
    except CallError as exc:
        error = exc
    return done(request, error, _("Done."), "calls:nominations", application.call_id)


@login_required
@list_page(lists.FORMAL_REVIEW)
def formal_review(request, pk):
    """The office's list of a call's applications waiting for formal review, with checks."""
    membership = request.membership
    call = access.access_call(membership, pk, manage=True)
    waiting = A.NOMINATED if call.requires_nomination else A.SUBMITTED
    listing = lists.FORMAL_REVIEW.run(
        request,
        access.applications_for(membership)
        .filter(call=call)
        .select_related("applicant", "nominator", "category"),
        initial={"state": waiting},
    )
    if listing.response:
        return listing.response
    # the checks of each application are on its page (they read its answers, files and
    # earlier applications); the list stays a constant number of queries
    rows = [(a, []) for a in listing.page_obj.object_list]
    return render(
        request,
        "calls/formal_review.html",
        {**listing.context(), "call": call, "rows": rows, "waiting": waiting},
    )


@login_required
@require_POST
def formal_action(request, pk):
    membership = request.membership
    application = access.access_application(membership, pk)
    if not access.can_review_formally(membership, application):
        raise Http404
    actor = actor_for_request(request)
    action = request.POST.get("action", "")
    expected = request.POST.get("expected") or None
    error = None
    try:
        if action == "checklist":
            formal.set_checklist(
                actor,
                application,
                {code: request.POST.get(code) == "1" for code, _label in CHECKLIST},
            )
        elif action == "pass":
            formal.pass_formal_review(actor, application, expected=expected)
        elif action == "return":
            deadline = parse_local(request.POST.get("deadline", ""))
            formal.return_for_correction(
                actor,
                application,
                request=request.POST.get("request", ""),
                deadline=deadline,
                expected=expected,
            )
        elif action == "reject":
            formal.reject_application(
                actor, application, reason=request.POST.get("reason", ""), expected=expected
            )
        else:
            raise CallError("bad_action", _("Unknown action."))
    except CallError as exc:
        error = exc
    return done(request, error, _("Done."), "calls:application_detail", application.pk)
