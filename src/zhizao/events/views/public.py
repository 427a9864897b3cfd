"""Public pages (no login): events, programme with what is live now, speakers, halls and
zones, exhibitors and products with Chinese search, one booth. Fast, phone-first."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from zhizao.accounts.middleware import membership_optional
from zhizao.common.pagination import paginate

from .. import access, selectors


@membership_optional
def public_list(request):
    page = paginate(
        request, access.public_events().select_related("host").order_by("-starts_on", "-id"), 25
    )
    return render(
        request, "events/public_list.html", {"events": page.object_list, "page_obj": page}
    )


@membership_optional
def public_event(request, pk):
    event = access.access_public_event(pk)
    now = timezone.now()
    blocks = selectors.programme(event)
    live = [s for entry in blocks for s in entry["sessions"] if s.starts_at <= now < s.ends_at]
    return render(
        request,
        "events/public_event.html",
        {"event": event, "programme": blocks, "live": live, "now": now},
    )


@membership_optional
def public_speakers(request, pk):
    event = access.access_public_event(pk)
    speakers = event.speakers.prefetch_related("sessions").order_by("name", "id")
    return render(request, "events/public_speakers.html", {"event": event, "speakers": speakers})


@membership_optional
def public_halls(request, pk):
    event = access.access_public_event(pk)
    return render(
        request, "events/public_halls.html", {"event": event, "halls": selectors.halls_of(event)}
    )


@membership_optional
def public_exhibitors(request, pk):
    event = access.access_public_event(pk)
    q = (request.GET.get("q") or "").strip()[:100]
    zone = request.GET.get("zone")
    zone = int(zone) if zone and zone.isdigit() else None
    page = paginate(request, selectors.exhibitors(event, q=q, zone=zone), 30)
    return render(
        request,
        "events/public_exhibitors.html",
        {"event": event, "booths": page.object_list, "page_obj": page, "q": q, "zone": zone},
    )


@membership_optional
def public_booth(request, pk):
    booth = access.access_public_booth(pk)
    return render(
        request,
        "events/public_booth.html",
        {
            "booth": booth,
            "event": booth.event,
            "offerings": booth.offerings.filter(state="published").order_by("title"),
            "registration": access.registration_of(request.membership, booth.event),
        },
    )
