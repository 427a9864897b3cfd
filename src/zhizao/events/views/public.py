"""Public pages (no login): events, programme with what is live now, speakers, halls and
zones, exhibitors and products with Chinese search, one booth, one session. Fast,
phone-first: the body of each page is rendered once per version of the event and kept
(``events.public_cache``); only the page frame (menu, language) is rendered per request.
The kept bodies are what anybody may read: online links kept for registered participants are
never in them; a reader who gets those links is served a body rendered for the request."""

from __future__ import annotations

from bisect import bisect_right

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from zhizao.accounts.middleware import membership_optional
from zhizao.common.lists import list_page
from zhizao.common.pagination import paginate
from zhizao.common.validators import validate_search_query

from .. import access, lists, selectors
from ..public_cache import enabled, fragment


def _query_key(request) -> tuple:
    return tuple(sorted((k, tuple(values)) for k, values in request.GET.lists()))


def _phase(event, now) -> int:
    """Where ``now`` falls among the event's session starts and ends: the pages that show what
    is live differ only when this changes."""
    if not enabled():
        return 0
    bounds = fragment(event, ("bounds",), lambda: selectors.session_bounds(event))
    return bisect_right(bounds, now.timestamp())


@membership_optional
@list_page(lists.PUBLIC_EVENTS)
def public_list(request):
    listing = lists.PUBLIC_EVENTS.run(request, access.public_events().select_related("host"))
    if listing.response:
        return listing.response
    return render(
        request,
        "events/public_list.html",
        {**listing.context(), "events": listing.page_obj.object_list},
    )


def _private_reader(request, event) -> bool:
    """The reader gets the links the event keeps for registered participants (an approved
    registrant or an organiser) and the event keeps some: the body is then rendered for this
    request, never served from nor put into the shared cache, which holds only what anybody
    may read. Anonymous readers cost no query here."""
    return (
        request.membership is not None
        and access.has_private_links(event)
        and access.sees_private_links(request.membership, event)
    )


def _mark(sessions, event) -> None:
    for s in sessions:
        s.restricted = s.links_restricted(event)


@membership_optional
def public_event(request, pk):
    event = access.access_public_event(pk)
    private = _private_reader(request, event)

    def build():
        now = timezone.now()
        blocks = selectors.programme(event)
        _mark([s for entry in blocks for s in entry["sessions"]], event)
        live = [s for entry in blocks for s in entry["sessions"] if s.starts_at <= now < s.ends_at]
        return render_to_string(
            "events/_public_event_body.html",
            {"event": event, "programme": blocks, "live": live, "now": now, "private": private},
            request=request if private else None,
        )

    body = (
        build() if private else fragment(event, ("programme", _phase(event, timezone.now())), build)
    )
    return render(request, "events/public_event.html", {"event": event, "body": body})


@membership_optional
def public_session(request, pk):
    session = access.access_public_session(pk)
    event = session.event
    private = _private_reader(request, event)

    def build():
        shown = selectors.public_session(session.pk)
        _mark([shown], event)
        return render_to_string(
            "events/_public_session_body.html",
            {"event": event, "session": shown, "now": timezone.now(), "private": private},
            request=request if private else None,
        )

    body = (
        build()
        if private
        else fragment(event, ("session", session.pk, _phase(event, timezone.now())), build)
    )
    return render(
        request, "events/public_session.html", {"event": event, "session": session, "body": body}
    )


@membership_optional
def public_speakers(request, pk):
    event = access.access_public_event(pk)

    def build():
        speakers = event.speakers.prefetch_related("sessions").order_by("name", "id")
        return render_to_string(
            "events/_public_speakers_body.html", {"event": event, "speakers": speakers}
        )

    body = fragment(event, ("speakers",), build)
    return render(request, "events/public_speakers.html", {"event": event, "body": body})


@membership_optional
def public_halls(request, pk):
    event = access.access_public_event(pk)

    def build():
        return render_to_string(
            "events/_public_halls_body.html", {"event": event, "halls": selectors.halls_of(event)}
        )

    body = fragment(event, ("halls",), build)
    return render(request, "events/public_halls.html", {"event": event, "body": body})


@membership_optional
def public_exhibitors(request, pk):
    event = access.access_public_event(pk)
    q = (request.GET.get("q") or "").strip()
    error = ""
    try:
        validate_search_query(q)
    except ValidationError as problem:
        error, q = problem.messages[0], ""
    zone = request.GET.get("zone")
    zone = int(zone) if zone and zone.isdigit() else None

    def build():
        page = paginate(request, selectors.exhibitors(event, q=q, zone=zone), 30)
        return render_to_string(
            "events/_public_exhibitors_body.html",
            {"event": event, "booths": page.object_list, "page_obj": page},
            request=request,
        )

    body = fragment(event, ("exhibitors", q, zone, _query_key(request)), build)
    return render(
        request,
        "events/public_exhibitors.html",
        {"event": event, "body": body, "q": q, "zone": zone, "search_error": error},
    )


@membership_optional
def public_booth(request, pk):
    booth = access.access_public_booth(pk)
    event = booth.event

    def build():
        return render_to_string(
            "events/_public_booth_body.html",
            {
                "booth": booth,
                "offerings": booth.offerings.filter(state="published").order_by("title"),
            },
        )

    body = fragment(event, ("booth", booth.pk, selectors.offerings_stamp(booth)), build)
    return render(
        request,
        "events/public_booth.html",
        {
            "booth": booth,
            "event": event,
            "body": body,
            "registration": access.registration_of(request.membership, event),
        },
    )
