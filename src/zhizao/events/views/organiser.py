"""The organiser's pages: create an event, its dashboard (registration forms, programme,
exhibition), the timetable grid, approvals, the check-in pages, the meeting schedule (run,
review, publish, re-optimise preview) and analytics with exports."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.accounts.selectors import actor_for_request
from zhizao.common.lists import list_page
from zhizao.registry.models import Cluster, Organization

from .. import access, lists, selectors, services
from ..enums import EventState, MeetingState, Placement, RegistrationState
from ..errors import EventError
from ..forms import CodeForm, EventForm, RegistrationTypeForm, TimetableFormSet
from ..models import (
    Forum,
    Hall,
    MeetingRequest,
    ProgrammeBlock,
    RegistrationType,
    Session,
    Zone,
)
from .common import table_response


@login_required
def event_new(request):
    if not access.can_create_event(request.membership):
        raise Http404
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        host = Organization.objects.get(pk=request.membership.organization_id)
        try:
            event = services.create_event(actor_for_request(request), host, **form.values())
        except EventError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("events:organize", pk=event.pk)
    return render(
        request,
        "events/event_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def event_edit(request, pk):
    """The organiser changes the event after creation: dates, venue and online address, host
    units, meeting rules; refused (and named) when published meetings would break."""
    event = access.access_event(request.membership, pk, organize=True)
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(actor_for_request(request), event, **form.values())
        except EventError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("events:organize", pk=event.pk)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "event": event},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def organize(request, pk):
    event = access.access_event(request.membership, pk, organize=True)
    actor = actor_for_request(request)
    if request.method == "POST":
        try:
            if "add" in request.POST:
                _add_part(actor, event, request.POST)
            elif "state" in request.POST:
                services.set_event_state(actor, event, request.POST["state"])
            elif "type" in request.POST:
                rtype = RegistrationType.objects.filter(
                    event=event, pk=request.POST.get("type")
                ).first()
                form = RegistrationTypeForm(request.POST)
                if rtype is None or not form.is_valid():
                    raise EventError("bad_input", _("Check the registration form's values."))
                services.configure_registration(actor, rtype, **form.cleaned_data)
        except EventError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
        return redirect("events:organize", pk=event.pk)
    return render(
        request,
        "events/organize.html",
        {
            "event": event,
            "types": RegistrationType.objects.filter(event=event),
            "pending": event.registrations.filter(state=RegistrationState.PENDING).count(),
            "states": EventState,
            "halls": selectors.halls_of(event),
            "blocks": ProgrammeBlock.objects.filter(event=event),
            "forums": Forum.objects.filter(event=event).select_related("block"),
            "speakers": event.speakers.all(),
            "clusters": Cluster.objects.order_by("code"),
            "booths": selectors.exhibitors(event),
        },
    )


def _add_part(actor, event, data) -> None:
    """One small form per part of the programme and the exhibition (``add`` names it)."""
    what = data.get("add")
    title = (data.get("title") or "").strip()
    if what == "block":
        services.add_block(actor, event, title=title)
    elif what == "forum":
        block = ProgrammeBlock.objects.filter(event=event, pk=data.get("block") or 0).first()
        services.add_forum(
            actor, event, title=title, kind=data.get("kind") or "sub_forum", block=block
        )
    elif what == "speaker":
        services.add_speaker(
            actor,
            event,
            name=title,
            affiliation=data.get("affiliation", ""),
            bio=data.get("bio", ""),
        )
    elif what == "hall":
        services.add_hall(actor, event, name=title)
    elif what == "zone":
        hall = Hall.objects.filter(event=event, pk=data.get("hall") or 0).first()
        if hall is None:
            raise EventError("bad_hall", _("Choose a hall of this event."), field="hall")
        cluster = Cluster.objects.filter(pk=data.get("cluster") or 0).first()
        services.add_zone(actor, hall, name=title, cluster=cluster)
    elif what == "booth":
        zone = Zone.objects.filter(hall__event=event, pk=data.get("zone") or 0).first()
        exhibitor = Organization.objects.filter(
            name=(data.get("exhibitor") or "").strip(), is_active=True
        ).first()
        if zone is None or exhibitor is None:
            raise EventError(
                "bad_booth", _("Choose a zone and give an exhibitor's registered name.")
            )
        services.assign_booth(actor, zone, code=title, exhibitor=exhibitor)
    else:
        raise EventError("bad_input", _("Check the form's values."))


def _day(event, value):
    try:
        day = dt.date.fromisoformat(value) if value else event.starts_on
    except ValueError:
        day = event.starts_on
    return day if event.starts_on <= day <= event.ends_on else event.starts_on


@login_required
def timetable(request, pk):
    """The drag-free timetable: one grid per day (title, start, end, room, forum, links); the
    whole grid is checked and saved at once."""
    event = access.access_event(request.membership, pk, organize=True)
    day = _day(event, request.GET.get("day") or request.POST.get("day"))
    forums = {f.pk: f for f in Forum.objects.filter(event=event)}
    sessions = [
        s
        for s in Session.objects.filter(event=event).order_by("starts_at", "room", "id")
        if timezone.localtime(s.starts_at).date() == day
    ]
    initial = [
        {
            "id": s.pk,
            "title": s.title,
            "start": timezone.localtime(s.starts_at).time(),
            "end": timezone.localtime(s.ends_at).time(),
            "room": s.room,
            "forum": s.forum_id,
            "online_url": s.online_url,
            "recording_url": s.recording_url,
            "link_access": s.link_access,
        }
        for s in sessions
    ]
    formset = TimetableFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        rows = []
        for data in formset.cleaned_data:
            if not data or not data.get("title"):
                continue
            rows.append({**data, "forum": forums.get(data.get("forum"))})
        try:
            services.save_timetable(actor_for_request(request), event, day=day, rows=rows)
        except EventError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Timetable saved."))
            return redirect(f"{request.path}?day={day.isoformat()}")
    days = [
        event.starts_on + dt.timedelta(days=i)
        for i in range((event.ends_on - event.starts_on).days + 1)
    ]
    return render(
        request,
        "events/timetable.html",
        {"event": event, "formset": formset, "day": day, "days": days, "forums": forums.values()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@list_page(lists.REGISTRATIONS)
def registrations(request, pk):
    event = access.access_event(request.membership, pk, organize=True)
    if request.method == "POST":
        registration = (
            access.registrations_for(request.membership, event)
            .filter(pk=request.POST.get("registration"))
            .first()
        )
        if registration is None:
            raise Http404
        try:
            services.set_registration_state(
                actor_for_request(request), registration, request.POST.get("state", "")
            )
        except EventError as error:
            messages.error(request, error.message)
        return redirect("events:registrations", pk=event.pk)
    listing = lists.REGISTRATIONS.run(request, access.registrations_for(request.membership, event))
    if listing.response:
        return listing.response
    return render(
        request,
        "events/registrations.html",
        {**listing.context(), "event": event, "registrations": listing.page_obj.object_list},
    )


def _scan_page(request, event, *, session=None):
    form = CodeForm(request.POST or None)
    result = error = None
    if request.method == "POST" and form.is_valid():
        actor = actor_for_request(request)
        try:
            if session is None:
                result = services.check_in(
                    actor,
                    event,
                    badge_code=form.cleaned_data["code"],
                    door=form.cleaned_data.get("door") or "",
                )
            else:
                result = services.record_attendance(
                    actor, session, badge_code=form.cleaned_data["code"]
                )
        except EventError as exc:
            error = exc.message
        form = CodeForm(initial={"door": request.POST.get("door", "")})
    return render(
        request,
        "events/checkin.html",
        {"event": event, "session": session, "form": form, "result": result, "error": error},
        status=400 if error else 200,
    )


@login_required
def checkin(request, pk):
    event = access.access_event(request.membership, pk, organize=True)
    return _scan_page(request, event)


@login_required
def session_checkin(request, pk):
    session = access.access_session(request.membership, pk, organize=True)
    return _scan_page(request, session.event, session=session)


@login_required
def schedule(request, pk):
    event = access.access_event(request.membership, pk, organize=True)
    actor = actor_for_request(request)
    moves = preview = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "run":
                result = services.run_schedule(actor, event)
                messages.success(
                    request,
                    _("Draft ready: %(placed)s placed, total priority %(weight)s.")
                    % {"placed": result.placed, "weight": result.weight},
                )
            elif action == "publish":
                n = services.publish_schedule(actor, event)
                messages.success(request, _("%(n)s meetings published.") % {"n": n})
            elif action == "preview":
                preview, moves = services.preview_reoptimise(actor, event)
            else:
                raise Http404
        except EventError as error:
            messages.error(request, error.message)
        if action != "preview":
            return redirect("events:schedule", pk=event.pk)
    accepted = access.meetings_for(request.membership, event).filter(state=MeetingState.ACCEPTED)
    return render(
        request,
        "events/schedule.html",
        {
            "event": event,
            "placed": accepted.exclude(placement=Placement.NONE).order_by("starts_at", "table"),
            "unplaced": accepted.filter(placement=Placement.NONE).order_by("-priority", "id"),
            "drafts": accepted.filter(placement=Placement.DRAFT).count(),
            "requested": MeetingRequest.objects.filter(
                event=event, state=MeetingState.REQUESTED
            ).count(),
            "moves": moves,
            "preview": preview,
        },
    )


@login_required
def analytics(request, pk):
    event = access.access_event(request.membership, pk, organize=True)
    return render(
        request,
        "events/analytics.html",
        {"event": event, "tables": selectors.organiser_analytics(event)},
    )


@login_required
def analytics_export(request, pk, key, fmt):
    event = access.access_event(request.membership, pk, organize=True)
    try:
        table = services.export_event_table(actor_for_request(request), event, key=key, fmt=fmt)
    except EventError:
        raise Http404 from None
    return table_response(table, fmt, prefix=f"event-{event.pk}")
