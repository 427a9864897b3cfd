"""A participant's pages: the event (register), the agenda with its .ics, the badge PDF, meeting
requests (ask, answer, outcome, .ics), booth visits and the procurement area."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.selectors import actor_for_request
from zhizao.common.lists import list_page
from zhizao.common.pagination import paginate
from zhizao.matchmaking.models import Offering
from zhizao.registry.models import Organization

from .. import access, lists, selectors, services
from ..adapters import event_slots
from ..badge import render_badge_pdf
from ..enums import MeetingState, ParticipantKind, RegistrationState
from ..errors import EventError
from ..forms import MeetingRequestForm, NeedForm, OutcomeForm, RegisterForm, RespondForm, VisitForm
from ..ics import CalendarEvent, calendar
from ..models import ProcurementNeed
from .common import ics_response


def _own_registration(request, event, *, approved: bool = True):
    registration = access.registration_of(request.membership, event)
    if registration is None or (approved and registration.state != RegistrationState.APPROVED):
        raise Http404
    return registration


@login_required
@list_page(lists.EVENTS)
def event_list(request):
    listing = lists.EVENTS.run(
        request, access.events_for(request.membership).select_related("host")
    )
    if listing.response:
        return listing.response
    return render(
        request,
        "events/event_list.html",
        {
            **listing.context(),
            "events": listing.page_obj.object_list,
            "can_create": access.can_create_event(request.membership),
        },
    )


@login_required
def event_detail(request, pk, *, form=None, status=200):
    event = access.access_event(request.membership, pk)
    registration = access.registration_of(request.membership, event)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "registration": registration,
            # the registration form starts from the account: the badge shows the person's
            # name, and the phone and e-mail are the ones the platform already has
            "form": form
            or RegisterForm(
                initial={
                    "kind": ParticipantKind.VISITOR,
                    "name": str(request.user),
                    "phone": request.user.phone,
                    "email": request.user.email,
                }
            ),
            "can_organize": access.can_organize(request.membership, event),
            "booth": access.own_booth(request.membership, event),
        },
        status=status,
    )


@login_required
@require_POST
def register(request, pk):
    event = access.access_event(request.membership, pk)
    form = RegisterForm(request.POST)
    if not form.is_valid():
        return event_detail(request, pk, form=form, status=400)
    organization = Organization.objects.get(pk=request.membership.organization_id)
    try:
        services.register(
            actor_for_request(request), event, organization=organization, **form.cleaned_data
        )
    except EventError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return event_detail(request, pk, form=form, status=400)
    messages.success(request, _("You are registered."))
    return redirect("events:event_detail", pk=event.pk)


@login_required
def agenda(request, pk):
    event = access.access_event(request.membership, pk)
    registration = _own_registration(request, event)
    if request.method == "POST":
        session = access.access_session(request.membership, request.POST.get("session"))
        actor = actor_for_request(request)
        try:
            if request.POST.get("remove"):
                services.remove_from_agenda(actor, registration, session)
            else:
                services.add_to_agenda(actor, registration, session)
        except EventError as error:
            messages.error(request, error.message)
        return redirect("events:agenda", pk=event.pk)
    chosen = set(registration.agenda.values_list("session_id", flat=True))
    entries = selectors.agenda_for(registration)
    for entry in entries:
        if entry.kind == "session":  # the reader is an approved registrant: every link
            entry.obj.restricted = entry.obj.links_restricted(event)
    return render(
        request,
        "events/agenda.html",
        {
            "event": event,
            "registration": registration,
            "entries": entries,
            "now": timezone.now(),
            "private": True,
            "programme": selectors.programme(event),
            "chosen": chosen,
        },
    )


# A participant may join this long before the start (to test sound and video), as in the
# classroom's live classes.
JOIN_OPENS_BEFORE = dt.timedelta(minutes=15)


@login_required
@require_POST
def session_join(request, pk):
    """Join a session online through the platform: the attendance of an approved registrant
    is recorded (``services.attend_online``, once), then off to the session's online link.
    Whoever does not get the link (a session kept for registered participants) or comes too
    early or too late is sent back to the session's page with the reason, and nothing is
    written."""
    session = access.access_session(request.membership, pk)
    event = session.event
    registration = access.registration_of(request.membership, event)
    approved = registration is not None and registration.state == RegistrationState.APPROVED
    organiser = access.can_organize(request.membership, event)
    online, _recording = access.session_links(session, event, approved or organiser)
    back = redirect("events:public_session", pk=session.pk)
    if not online:
        messages.error(
            request,
            _("Register for this event to get the link.")
            if session.online_url
            else _("This session has no online link."),
        )
        return back
    now = timezone.now()
    if now < session.starts_at - JOIN_OPENS_BEFORE:
        messages.error(request, _("The session cannot be joined yet."))
        return back
    if now > session.ends_at:
        messages.error(request, _("The session is over."))
        return back
    if approved:
        try:
            services.attend_online(
                actor_for_request(request), session, opens_before=JOIN_OPENS_BEFORE, now=now
            )
        except EventError as error:
            messages.error(request, error.message)
            return back
    return HttpResponseRedirect(online)


def _calendar_entries(entries, event):
    out = []
    for e in entries:
        uid = f"{e.kind}-{e.obj.pk}@zhizao"
        out.append(
            CalendarEvent(uid, e.starts_at, e.ends_at, e.title, e.where or event.venue, event.title)
        )
    return out


@login_required
def agenda_ics(request, pk):
    event = access.access_event(request.membership, pk)
    registration = _own_registration(request, event)
    text = calendar(
        _calendar_entries(selectors.agenda_for(registration), event),
        now=timezone.now(),
        name=event.title,
    )
    return ics_response(text, f"agenda-{event.pk}")


@login_required
def badge(request, pk):
    event = access.access_event(request.membership, pk)
    registration = _own_registration(request, event)
    response = HttpResponse(render_badge_pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="badge-{registration.badge_code}.pdf"'
    return response


@login_required
def meetings(request, pk, *, form=None, status=200):
    event = access.access_event(request.membership, pk)
    registration = _own_registration(request, event)
    page = paginate(
        request, access.own_meetings(request.membership, event).order_by("-created_at", "-id")
    )
    q = (request.GET.get("q") or "").strip()[:50]
    partners = access.meeting_partners_for(request.membership, event)
    if q:
        partners = partners.filter(organization__search_text__contains=q.casefold())
    return render(
        request,
        "events/meetings.html",
        {
            "event": event,
            "registration": registration,
            "meetings": page.object_list,
            "page_obj": page,
            "partners": partners.order_by("organization__name_sort", "id")[:50],
            "q": q,
            "form": form or MeetingRequestForm(initial={"recipient": request.GET.get("to")}),
            "slots": event_slots(event),
            "available": set(registration.available_slots)
            if registration.available_slots is not None
            else None,
        },
        status=status,
    )


@login_required
@require_POST
def availability(request, pk):
    """The meeting slots the participant is free in (all of them: no limit)."""
    event = access.access_event(request.membership, pk)
    registration = _own_registration(request, event)
    valid = {s.id for s in event_slots(event)}
    chosen = [s for s in request.POST.getlist("slot") if s in valid]
    try:
        services.set_availability(
            actor_for_request(request),
            registration,
            None if request.POST.get("all") or set(chosen) == valid else chosen,
        )
    except EventError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Availability saved."))
    return redirect("events:meetings", pk=event.pk)


@login_required
@require_POST
def meeting_request(request, pk):
    event = access.access_event(request.membership, pk)
    registration = _own_registration(request, event)
    form = MeetingRequestForm(request.POST)
    if not form.is_valid():
        return meetings(request, pk, form=form, status=400)
    recipient = (
        access.meeting_partners_for(request.membership, event)
        .filter(pk=form.cleaned_data["recipient"])
        .first()
    )
    if recipient is None:
        form.add_error("recipient", _("Choose another participant of this event."))
        return meetings(request, pk, form=form, status=400)
    try:
        meeting = services.request_meeting(
            actor_for_request(request),
            event,
            requester=registration,
            recipient=recipient,
            reason=form.cleaned_data["reason"],
            priority=form.cleaned_data["priority"],
        )
    except EventError as error:
        form.add_error(None, error.message)
        return meetings(request, pk, form=form, status=400)
    messages.success(request, _("Meeting requested."))
    return redirect("events:meeting_detail", pk=meeting.pk)


@login_required
def meeting_detail(request, pk):
    meeting = access.access_meeting(request.membership, pk)
    user_id = request.membership.user_id
    return render(
        request,
        "events/meeting_detail.html",
        {
            "meeting": meeting,
            "event": meeting.event,
            "is_recipient": meeting.recipient.user_id == user_id,
            "is_party": access.is_party(request.membership, meeting),
            "outcome_form": OutcomeForm(),
            "states": MeetingState,
        },
    )


@login_required
@require_POST
def meeting_respond(request, pk):
    meeting = access.access_meeting(request.membership, pk, party=True)
    form = RespondForm(request.POST)
    form.is_valid()
    try:
        services.respond_meeting(
            actor_for_request(request),
            meeting,
            accept=bool(form.cleaned_data.get("accept")),
            reason=form.cleaned_data.get("reason") or "",
        )
    except EventError as error:
        messages.error(request, error.message)
    return redirect("events:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_outcome(request, pk):
    meeting = access.access_meeting(request.membership, pk, party=True)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.record_outcome(
                actor_for_request(request), meeting, outcome=form.cleaned_data["outcome"]
            )
        except EventError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Outcome recorded."))
    return redirect("events:meeting_detail", pk=meeting.pk)


@login_required
def meeting_ics(request, pk):
    meeting = access.access_meeting(request.membership, pk, party=True)
    if meeting.starts_at is None or meeting.placement != "published":
        raise Http404
    other = (
        meeting.recipient
        if meeting.requester.user_id == request.membership.user_id
        else meeting.requester
    )
    text = calendar(
        [
            CalendarEvent(
                f"meeting-{meeting.pk}@zhizao",
                meeting.starts_at,
                meeting.ends_at,
                _("Meeting with %(name)s (%(org)s)")
                % {"name": other.name, "org": other.organization.name},
                _("Table %(n)s") % {"n": meeting.table},
                meeting.reason,
            )
        ],
        now=timezone.now(),
    )
    return ics_response(text, f"meeting-{meeting.pk}")


@login_required
@require_POST
def booth_visit(request, pk):
    booth = access.access_booth(request.membership, pk)
    registration = _own_registration(request, booth.event)
    form = VisitForm(request.POST)
    form.is_valid()
    try:
        services.record_visit(
            actor_for_request(request),
            booth,
            registration,
            shares_contact=bool(form.cleaned_data.get("shares_contact")),
        )
    except EventError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Visit recorded."))
    return redirect("events:public_booth", pk=booth.pk)


@login_required
def procurement(request, pk):
    event = access.access_event(request.membership, pk)
    registration = _own_registration(request, event)
    form = NeedForm(request.POST or None, initial={"region": registration.organization.region_id})
    if request.method == "POST" and form.is_valid():
        try:
            need = services.post_need(
                actor_for_request(request), event, registration, **form.cleaned_data
            )
        except EventError as error:
            form.add_error(None, error.message)
        else:
            return redirect("events:need_detail", pk=need.pk)
    needs = ProcurementNeed.objects.filter(event=event, registration=registration).select_related(
        "demand"
    )
    return render(
        request,
        "events/procurement.html",
        {"event": event, "form": form, "needs": needs, "registration": registration},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def need_detail(request, pk):
    need = access.access_need(request.membership, pk)
    return render(
        request,
        "events/need_detail.html",
        {"need": need, "event": need.event, "ranked": services.ranked_offerings(need)},
    )


@login_required
@require_POST
def need_meeting(request, pk):
    """One click: a meeting request to the exhibitor of a ranked offering."""
    need = access.access_need(request.membership, pk)
    offering = Offering.objects.filter(pk=request.POST.get("offering")).first()
    recipient = (
        services.exhibitor_registration(need.event, offering.provider_id) if offering else None
    )
    if recipient is None:
        messages.error(request, _("This exhibitor has nobody registered for meetings."))
        return redirect("events:need_detail", pk=need.pk)
    try:
        meeting = services.request_meeting(
            actor_for_request(request),
            need.event,
            requester=need.registration,
            recipient=recipient,
            reason=_("Procurement need: %(title)s — offering: %(offering)s")
            % {"title": need.demand.title, "offering": offering.title},
        )
    except EventError as error:
        messages.error(request, error.message)
        return redirect("events:need_detail", pk=need.pk)
    return redirect("events:meeting_detail", pk=meeting.pk)
