"""Introductions: incoming and outgoing requests, accept / decline, contacts after acceptance
(with consent), meetings, deals and closing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts import roles
from zhizao.accounts.selectors import actor_for_request
from zhizao.common.lists import list_page
from zhizao.registry.models import Contact

from .. import access, lists, services
from ..enums import TRANSITIONS, IntroductionState, Side
from ..errors import MatchError
from ..forms import AcceptForm, ConsentForm, DealForm, MeetingForm, ReasonForm
from ..presentation import reason_text

S = IntroductionState
BOXES = ("incoming", "outgoing", "all")


@login_required
@list_page(lists.INTRODUCTIONS)
def introduction_list(request):
    """Incoming requests (the other side asked), outgoing ones (we asked), or all."""
    membership = request.membership
    if membership is None or not (
        roles.is_enterprise(membership)
        or roles.is_supplier(membership)
        or roles.is_operator(membership)
    ):
        raise Http404
    qs = access.introductions_for(membership)
    box = request.GET.get("box") if request.GET.get("box") in BOXES else "all"
    our_side = (
        Side.ENTERPRISE
        if roles.is_enterprise(membership)
        else Side.PROVIDER
        if roles.is_supplier(membership)
        else None
    )
    if our_side and box == "incoming":
        qs = qs.exclude(requested_by=our_side)
    elif our_side and box == "outgoing":
        qs = qs.filter(requested_by=our_side)
    listing = lists.INTRODUCTIONS.run(request, qs)
    if listing.response:
        return listing.response
    if our_side and box != "all":
        listing.keep.append(("box", box))
    return render(
        request,
        "matchmaking/introduction_list.html",
        {
            **listing.context(),
            "introductions": listing.page_obj.object_list,
            "box": box,
            "boxes": BOXES if our_side else (),
            "our_side": our_side,
        },
    )


def _own_contacts(membership):
    return Contact.objects.filter(organization_id=membership.organization_id).order_by(
        "-is_primary", "id"
    )


@login_required
def introduction_detail(request, pk, *, forms=None, status=200):
    membership = request.membership
    introduction = access.access_introduction(membership, pk)
    side = access.side_of(membership, introduction)
    other = (Side.PROVIDER if side == Side.ENTERPRISE else Side.ENTERPRISE) if side else None
    possible = TRANSITIONS.get(introduction.state, frozenset())
    awaiting_us = (
        side is not None and introduction.state == S.REQUESTED and side != introduction.requested_by
    )
    forms = forms or {}
    return render(
        request,
        "matchmaking/introduction_detail.html",
        {
            "introduction": introduction,
            "demand": introduction.demand,
            "offering": introduction.offering,
            "side": side,
            "awaiting_us": awaiting_us,
            "can_request": side is not None and introduction.state == S.SUGGESTED,
            "can_decline": side is not None and (introduction.state == S.SUGGESTED or awaiting_us),
            "can_meet": side is not None and S.MET in possible,
            "can_deal": side is not None and S.DEAL in possible,
            "can_close": (side is not None or roles.is_operator(membership))
            and S.CLOSED in possible,
            "can_consent": side is not None
            and introduction.state in {S.SUGGESTED, S.REQUESTED, S.ACCEPTED, S.MET, S.DEAL},
            # the other side's people: after acceptance, with consent only
            "their_contacts": access.shared_contacts(introduction, of_side=other) if other else [],
            "our_consents": access.consents_of(introduction, of_side=side) if side else [],
            "reasons": [reason_text(r) for r in introduction.reasons if r.get("code") != "rank"],
            "rank": next(
                (r.get("position") for r in introduction.reasons if r.get("code") == "rank"), None
            ),
            "own_contacts": _own_contacts(membership) if side else [],
            "demand_contact": introduction.demand.contact if side == Side.ENTERPRISE else None,
            "accept_form": forms.get("accept") or AcceptForm(),
            "reason_form": forms.get("reason") or ReasonForm(),
            "meeting_form": forms.get("meeting") or MeetingForm(),
            "deal_form": forms.get("deal") or DealForm(),
            "consent_form": forms.get("consent")
            or ConsentForm(contacts=_own_contacts(membership) if side else []),
        },
        status=status,
    )


def _act(request, pk, action):
    membership = request.membership
    introduction = access.access_introduction(
        membership, pk, party=action not in ("close",) or not roles.is_operator(membership)
    )
    return membership, introduction


@login_required
@require_POST
def introduction_accept(request, pk):
    membership, introduction = _act(request, pk, "accept")
    form = AcceptForm(request.POST)
    form.is_valid()
    share = None
    if form.cleaned_data.get("share_contact"):
        if access.side_of(membership, introduction) == Side.ENTERPRISE:
            share = introduction.demand.contact
        else:
            share = _own_contacts(membership).first()
    try:
        services.accept_introduction(actor_for_request(request), introduction, share_contact=share)
    except MatchError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Introduction accepted."))
    return redirect("matchmaking:introduction_detail", pk=introduction.pk)


@login_required
@require_POST
def introduction_request(request, pk):
    """A suggested introduction: either side turns it into a request."""
    _membership, introduction = _act(request, pk, "request")
    try:
        services.set_introduction_state(
            actor_for_request(request),
            introduction,
            S.REQUESTED,
            message=request.POST.get("message", ""),
        )
    except MatchError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Introduction request sent."))
    return redirect("matchmaking:introduction_detail", pk=introduction.pk)


def _with_reason(request, pk, action, state, done):
    _membership, introduction = _act(request, pk, action)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.set_introduction_state(
            actor_for_request(request),
            introduction,
            state,
            reason=form.cleaned_data.get("reason", ""),
        )
    except MatchError as error:
        form.apply_error(error)
        return introduction_detail(request, pk, forms={"reason": form}, status=400)
    messages.success(request, done)
    return redirect("matchmaking:introduction_detail", pk=introduction.pk)


@login_required
@require_POST
def introduction_decline(request, pk):
    return _with_reason(request, pk, "decline", S.DECLINED, _("Introduction declined."))


@login_required
@require_POST
def introduction_close(request, pk):
    return _with_reason(request, pk, "close", S.CLOSED, _("Introduction closed."))


@login_required
@require_POST
def introduction_meet(request, pk):
    _membership, introduction = _act(request, pk, "meet")
    form = MeetingForm(request.POST)
    form.is_valid()
    try:
        services.record_meeting(
            actor_for_request(request), introduction, note=form.cleaned_data.get("note", "")
        )
    except MatchError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Meeting recorded."))
    return redirect("matchmaking:introduction_detail", pk=introduction.pk)


@login_required
@require_POST
def introduction_deal(request, pk):
    _membership, introduction = _act(request, pk, "deal")
    form = DealForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.record_deal(
                actor_for_request(request),
                introduction,
                value_yuan=form.cleaned_data["value_yuan"],
                evidence=form.cleaned_data.get("evidence"),
            )
        except MatchError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Deal recorded."))
            return redirect("matchmaking:introduction_detail", pk=introduction.pk)
    return introduction_detail(request, pk, forms={"deal": form}, status=400)


@login_required
def deal_evidence(request, pk):
    introduction = access.access_introduction(request.membership, pk)
    if not introduction.deal_evidence:
        raise Http404
    return FileResponse(
        introduction.deal_evidence.open("rb"),
        as_attachment=True,
        filename=introduction.deal_evidence_name or "evidence",
    )


@login_required
@require_POST
def introduction_consent(request, pk):
    """Record a contact person's consent to be passed to the other side (PIPL Art. 23)."""
    membership, introduction = _act(request, pk, "consent")
    form = ConsentForm(request.POST, contacts=_own_contacts(membership))
    if form.is_valid():
        contact = _own_contacts(membership).filter(pk=form.cleaned_data["contact"]).first()
        try:
            services.grant_consent(actor_for_request(request), introduction, contact)
        except MatchError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("matchmaking:introduction_detail", pk=introduction.pk)
    return introduction_detail(request, pk, forms={"consent": form}, status=400)


@login_required
@require_POST
def consent_withdraw(request, pk):
    consent = access.access_consent(request.membership, pk)
    try:
        services.withdraw_consent(actor_for_request(request), consent)
    except MatchError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("matchmaking:introduction_detail", pk=consent.introduction_id)
