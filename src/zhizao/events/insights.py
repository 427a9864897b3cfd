"""Events' figures for the dashboards and the monthly report: events held, registrations,
attendance (check-ins), 1:1 meetings placed and the deals that came out of them (count and
value); every event held as a report activity (技术交流) with its registrations and check-ins."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhizao.insights.providers import ActivitySource, Figure, register_activities, register_figure
from zhizao_core.insights import Activity

from .enums import EventState, Placement, RegistrationState
from .models import Event, MeetingRequest, Registration


def _held():
    return Event.objects.filter(state=EventState.PUBLISHED)


def _meeting_deals():
    return MeetingRequest.objects.filter(introduction__deal_at__isnull=False)


register_figure(
    Figure(
        name="events.held",
        label=_("Events held"),
        area="events",
        queryset=_held,
        date="starts_on",
        organization="host",
        order=80,
    )
)
register_figure(
    Figure(
        name="events.registrations",
        label=_("Event registrations"),
        area="events",
        queryset=lambda: Registration.objects.filter(state=RegistrationState.APPROVED),
        date="created_at",
        organization="organization",
        order=81,
    )
)
register_figure(
    Figure(
        name="events.attendance",
        label=_("Participants checked in"),
        area="events",
        queryset=lambda: Registration.objects.filter(checked_in_at__isnull=False),
        date="checked_in_at",
        organization="organization",
        order=82,
    )
)
register_figure(
    Figure(
        name="events.meetings",
        label=_("1:1 meetings placed"),
        area="events",
        queryset=lambda: MeetingRequest.objects.filter(
            placement=Placement.PUBLISHED, starts_at__isnull=False
        ),
        date="starts_at",
        organization="requester__organization",
        order=83,
    )
)
register_figure(
    Figure(
        name="events.meeting_deals",
        label=_("Deals from 1:1 meetings"),
        area="events",
        queryset=_meeting_deals,
        date="introduction__deal_at",
        organization="requester__organization",
        order=84,
    )
)
register_figure(
    Figure(
        name="events.meeting_deal_value",
        label=_("Deal value from 1:1 meetings"),
        area="events",
        queryset=_meeting_deals,
        date="introduction__deal_at",
        organization="requester__organization",
        amount="introduction__deal_value_yuan",
        unit="yuan",
        order=85,
    )
)


def _events_held(first: dt.date, last: dt.date, scope: str) -> list[Activity]:
    events = _held().filter(starts_on__gte=first, starts_on__lte=last)
    if scope:
        events = events.filter(host__region__code__startswith=scope)
    events = events.annotate(
        registered=Count(
            "registrations",
            filter=Q(registrations__state=RegistrationState.APPROVED),
            distinct=True,
        ),
        checked_in=Count(
            "registrations",
            filter=Q(registrations__checked_in_at__isnull=False),
            distinct=True,
        ),
    )
    return [
        Activity(
            section="exchange",
            date=event.starts_on,
            title=f"举办“{event.title}”",
            detail=f"报名 {event.registered} 人，签到 {event.checked_in} 人",
            source="events.held",
            link=reverse("events:event_detail", args=[event.pk]),
        )
        for event in events.order_by("starts_on", "id")
    ]


register_activities(ActivitySource(name="events.held", fetch=_events_held))
