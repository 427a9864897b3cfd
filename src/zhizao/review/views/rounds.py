"""The selection office's pages: rounds of its calls, the assignment run (optimum or draw),
the replay of a draw, manual changes, the exclusion reasons, panel decisions, appraisal, and
aggregation and ranking with the hand-over to 公示."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.selectors import actor_for_request
from zhizao.calls.access import calls_for, can_manage_call
from zhizao.calls.models import Application
from zhizao.common.lists import list_page

from .. import access, lists, selectors, services
from ..adapters import round_applications
from ..enums import AssignmentState, PanelOutcome, RoundKind, RoundState
from ..errors import ReviewError
from ..forms import (
    AppraisalForm,
    AssignForm,
    AvailabilityForm,
    ManualForm,
    PanelDecisionForm,
    RankingForm,
    ReasonForm,
    RoundForm,
)
from ..models import Assignment, PanelDecision, Ranking, RoundExpert, Substitute


def _managed_calls(membership):
    return [
        c for c in calls_for(membership).order_by("-year", "-id") if can_manage_call(membership, c)
    ]


@login_required
@list_page(lists.ROUNDS)
def round_list(request):
    membership = request.membership
    if not access.can_see_rounds(membership):
        raise Http404
    listing = lists.ROUNDS.run(request, access.rounds_for(membership))
    if listing.response:
        return listing.response
    return render(
        request,
        "review/round_list.html",
        {
            **listing.context(),
            "rounds": listing.page_obj.object_list,
            "can_create": access.can_run_rounds(membership),
        },
    )


@login_required
def round_new(request):
    membership = request.membership
    if not access.can_run_rounds(membership):
        raise Http404
    calls = _managed_calls(membership)
    form = RoundForm(request.POST or None, calls=calls)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        call = next(c for c in calls if str(c.pk) == data["call"])
        try:
            review_round = services.create_round(
                actor_for_request(request),
                call,
                name=data["name"],
                kind=data["kind"],
                deadline=data["deadline"],
                reviewers_per_application=data["reviewers_per_application"],
                visibility=data["visibility"],
                panel_rules=[{"kind": "at_least_attribute", "attribute": "economic", "count": 1}]
                if data.get("economic_expert")
                else [],
            )
        except ReviewError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Round created."))
            return redirect("review:round_detail", pk=review_round.pk)
    return render(
        request, "review/round_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


def _by_application(review_round):
    rows: dict = {}
    for a in access.office_assignments(review_round):
        rows.setdefault(a.application_id, {"application": a.application, "assignments": []})
        rows[a.application_id]["assignments"].append(a)
    subs = Substitute.objects.filter(round=review_round).select_related("expert")
    for s in subs:
        if s.application_id in rows:
            rows[s.application_id].setdefault("substitutes", []).append(s)
    return list(rows.values())


@login_required
def round_detail(request, pk):
    membership = request.membership
    review_round = access.access_round(membership, pk)
    applications = list(round_applications(review_round))
    assigned = Application.objects.filter(review_assignments__round=review_round).distinct()
    apps_for_manual = {a.pk: a for a in [*applications, *assigned]}
    experts = list(selectors.pool_experts().order_by("name", "id"))
    return render(
        request,
        "review/round_detail.html",
        {
            "round": review_round,
            "applications": applications,
            "rows": _by_application(review_round),
            "overview": selectors.round_overview(review_round),
            "assign_form": AssignForm(initial={"method": "optimal", "cap": "0.5"}),
            "availability_form": AvailabilityForm(experts=experts, initial={"available": False}),
            "manual_form": ManualForm(applications=list(apps_for_manual.values()), experts=experts),
            "loads": selectors.expert_loads(review_round),
            "panel": RoundExpert.objects.filter(round=review_round).select_related("expert"),
            "decisions": {
                d.application_id: d for d in PanelDecision.objects.filter(round=review_round)
            },
            "is_panel": review_round.kind == RoundKind.PANEL,
            "outcomes": PanelOutcome.choices,
            "can_assign": review_round.state in (RoundState.DRAFT, RoundState.ASSIGNING),
            "can_open": review_round.state == RoundState.ASSIGNING
            and not review_round.summary.get("problems")
            and not review_round.summary.get("running"),
            "S": RoundState,
            "active": AssignmentState.ACTIVE,
        },
    )


def _done(request, pk, message):
    messages.success(request, message)
    return redirect("review:round_detail", pk=pk)


@login_required
@require_POST
def round_assign(request, pk):
    review_round = access.access_round(request.membership, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Choose the method; the seed is a whole number and the cap 0 to 1.")
        )
        return redirect("review:round_detail", pk=pk)
    try:
        review_round = services.run_assignment(
            actor_for_request(request),
            review_round,
            method=form.cleaned_data["method"],
            seed=form.cleaned_data.get("seed"),
            cap=form.cleaned_data.get("cap"),
        )
    except ReviewError as error:
        messages.error(request, error.message)
        return redirect("review:round_detail", pk=pk)
    if review_round.summary.get("running"):
        return _done(request, pk, _("The assignment is running in the background."))
    if review_round.summary.get("problems"):
        messages.error(request, _("No assignment meets the rules: see the problems below."))
        return redirect("review:round_detail", pk=pk)
    return _done(request, pk, _("Assignment done."))


@login_required
def round_replay(request, pk):
    review_round = access.access_round(request.membership, pk)
    replay = selectors.replay_draw(review_round)
    return render(request, "review/round_replay.html", {"round": review_round, "replay": replay})


@login_required
def round_snapshot(request, pk):
    """The stored problem of the last run, in the format of ``zhizao review draw``."""
    review_round = access.access_round(request.membership, pk)
    if not review_round.snapshot:
        raise Http404
    response = HttpResponse(
        json.dumps(review_round.snapshot, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="round-{review_round.pk}.json"'
    return response


@login_required
def round_exclusions(request, pk):
    review_round = access.access_round(request.membership, pk)
    grouped = selectors.exclusions_by_application(review_round)
    return render(
        request,
        "review/round_exclusions.html",
        {"round": review_round, "grouped": sorted(grouped.items(), key=lambda kv: kv[0].pk)},
    )


@login_required
@require_POST
def round_open(request, pk):
    review_round = access.access_round(request.membership, pk)
    try:
        services.open_round(actor_for_request(request), review_round)
    except ReviewError as error:
        messages.error(request, error.message)
        return redirect("review:round_detail", pk=pk)
    return _done(request, pk, _("The experts have their assignments and were notified."))


@login_required
@require_POST
def round_close(request, pk):
    review_round = access.access_round(request.membership, pk)
    try:
        services.close_round(actor_for_request(request), review_round)
    except ReviewError as error:
        messages.error(request, error.message)
        return redirect("review:round_detail", pk=pk)
    return _done(request, pk, _("Round closed."))


@login_required
@require_POST
def assignment_add(request, pk):
    review_round = access.access_round(request.membership, pk)
    form = ManualForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an application and an expert."))
        return redirect("review:round_detail", pk=pk)
    application = Application.objects.filter(
        pk=form.cleaned_data["application"], call_id=review_round.call_id
    ).first()
    expert = selectors.pool_experts().filter(pk=form.cleaned_data["expert"]).first()
    if application is None or expert is None:
        messages.error(request, _("Choose an application and an expert."))
        return redirect("review:round_detail", pk=pk)
    try:
        services.add_assignment(actor_for_request(request), review_round, application, expert)
    except ReviewError as error:
        messages.error(request, _("Refused: %(reason)s") % {"reason": error.message})
        return redirect("review:round_detail", pk=pk)
    return _done(request, pk, _("Expert assigned."))


@login_required
@require_POST
def assignment_remove(request, pk):
    assignment = Assignment.objects.select_related("round__call").filter(pk=pk).first()
    if assignment is None:
        raise Http404
    access.access_round(request.membership, assignment.round_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
        return redirect("review:round_detail", pk=assignment.round_id)
    try:
        services.remove_assignment(
            actor_for_request(request), assignment, reason=form.cleaned_data["reason"]
        )
    except ReviewError as error:
        messages.error(request, error.message)
        return redirect("review:round_detail", pk=assignment.round_id)
    return _done(request, assignment.round_id, _("Assignment removed."))


@login_required
@require_POST
def panel_decision(request, pk):
    review_round = access.access_round(request.membership, pk)
    form = PanelDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The decision is not complete."))
        return redirect("review:round_detail", pk=pk)
    data = dict(form.cleaned_data)
    application = Application.objects.filter(
        pk=data.pop("application"), call_id=review_round.call_id
    ).first()
    if application is None:
        raise Http404
    try:
        services.record_panel_decision(
            actor_for_request(request), review_round, application, **data
        )
    except ReviewError as error:
        messages.error(request, error.message)
        return redirect("review:round_detail", pk=pk)
    return _done(request, pk, _("Panel decision recorded."))


@login_required
@require_POST
def round_appraise(request, pk):
    review_round = access.access_round(request.membership, pk)
    form = AppraisalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rate from 1 to 5."))
        return redirect("review:round_detail", pk=pk)
    expert = selectors.pool_experts().filter(pk=form.cleaned_data["expert"]).first()
    if expert is None:
        raise Http404
    try:
        services.appraise_expert(
            actor_for_request(request),
            review_round,
            expert,
            timeliness=form.cleaned_data["timeliness"],
            quality=form.cleaned_data["quality"],
            note=form.cleaned_data.get("note") or "",
        )
    except ReviewError as error:
        messages.error(request, error.message)
        return redirect("review:round_detail", pk=pk)
    return _done(request, pk, _("Appraisal saved."))


@login_required
def round_ranking(request, pk):
    review_round = access.access_round(request.membership, pk)
    form = RankingForm(
        request.POST or None, initial={"method": "mean", "trim": 1, "divergence": "20"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rank_round(actor_for_request(request), review_round, **form.cleaned_data)
        except ReviewError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Ranking computed."))
            return redirect("review:round_ranking", pk=pk)
    ranking = Ranking.objects.filter(round=review_round).order_by("-created_at", "-id").first()
    english = (request.LANGUAGE_CODE or "").startswith("en")
    return render(
        request,
        "review/round_ranking.html",
        {
            "round": review_round,
            "form": form,
            "ranking": ranking,
            "english": english,
            "proposed_count": sum(1 for p in ranking.proposal if p["proposed"]) if ranking else 0,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def ranking_propose(request, pk):
    ranking = Ranking.objects.select_related("round__call").filter(pk=pk).first()
    if ranking is None:
        raise Http404
    access.access_round(request.membership, ranking.round_id)
    try:
        services.propose_ranking(actor_for_request(request), ranking)
    except ReviewError as error:
        messages.error(request, error.message)
        return redirect("review:round_ranking", pk=ranking.round_id)
    messages.success(request, _("The proposed list is in public notice (公示)."))
    return redirect("review:round_ranking", pk=ranking.round_id)


@login_required
@require_POST
def round_availability(request, pk):
    """The office records whether an expert reviews in this round (and its load)."""
    review_round = access.access_round(request.membership, pk)
    form = AvailabilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an expert."))
        return redirect("review:round_detail", pk=pk)
    expert = selectors.pool_experts().filter(pk=form.cleaned_data["expert"]).first()
    if expert is None:
        raise Http404
    try:
        services.set_availability(
            actor_for_request(request),
            review_round,
            expert,
            available=form.cleaned_data["available"],
            max_load=form.cleaned_data.get("max_load"),
        )
    except ReviewError as error:
        messages.error(request, error.message)
        return redirect("review:round_detail", pk=pk)
    return _done(request, pk, _("Availability saved."))
