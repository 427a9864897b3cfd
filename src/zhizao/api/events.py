"""Events API: events, sessions, the caller's registration, check-in, halls, booths, meeting
requests (ask, answer, outcome), the meeting schedule (organisers: run, publish), leads
(exhibitors) and analytics (organisers). The same access rules (``zhizao.events.access``) and
services as the pages; contact details of a lead only with the visitor's consent."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status

from zhizao.events import access, selectors, services
from zhizao.events.enums import MeetingState, Outcome, ParticipantKind
from zhizao.events.errors import EventError
from zhizao.events.models import Registration
from zhizao.registry.models import Organization

from .common import (
    ApiOperation,
    ErrorSerializer,
    IdField,
    IsoDateTimeField,
    QueryInt,
    TextInput,
    actor,
    paged,
    paginated,
    parse,
    respond,
)
from .pagination import StandardPagination

TAGS = ["events"]
ERRORS = {400: ErrorSerializer}


# --- serializers ----------------------------------------------------------------------------


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    host = serializers.CharField(source="host.name")
    host_units = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    venue = serializers.CharField()
    online_url = serializers.SerializerMethodField(
        help_text="Empty for readers who are not approved registrants or organisers when the "
        "event keeps its online links for registered participants"
    )
    session_link_access = serializers.CharField(
        help_text="The sessions' default: `public` or `registered` (approved registrants and "
        "organisers only)"
    )
    state = serializers.CharField()
    slot_minutes = serializers.IntegerField()
    tables = serializers.IntegerField()
    max_meetings = serializers.IntegerField(allow_null=True)
    needs_acceptance = serializers.BooleanField()
    schedule_published_at = IsoDateTimeField(allow_null=True)

    def get_online_url(self, obj) -> str:
        return access.event_online_url(obj, obj.pk in self.context["private"])


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    forum = serializers.CharField(source="forum.title", allow_null=True, default=None)
    starts_at = IsoDateTimeField()
    ends_at = IsoDateTimeField()
    room = serializers.CharField()
    link_access = serializers.SerializerMethodField(
        help_text="`public`, or `registered`: the links are for approved registrants and "
        "organisers only"
    )
    online_url = serializers.SerializerMethodField(
        help_text="Empty when the link is kept for registered participants and the reader "
        "is not one"
    )
    recording_url = serializers.SerializerMethodField(help_text="As `online_url`")
    speakers = serializers.SerializerMethodField()

    def get_speakers(self, obj) -> list[str]:
        return [s.name for s in obj.speakers.all()]

    def get_link_access(self, obj) -> str:
        return "registered" if obj.links_restricted(self.context["event"]) else "public"

    def get_online_url(self, obj) -> str:
        return access.session_links(obj, self.context["event"], self.context["private"])[0]

    def get_recording_url(self, obj) -> str:
        return access.session_links(obj, self.context["event"], self.context["private"])[1]


class RegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    event = serializers.IntegerField(source="event_id")
    kind = serializers.CharField(source="type.kind")
    name = serializers.CharField()
    organization = serializers.CharField(source="organization.name")
    state = serializers.CharField()
    badge_code = serializers.CharField()
    shares_contact = serializers.BooleanField()
    checked_in_at = IsoDateTimeField(allow_null=True)


class RegisterInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ParticipantKind.choices)
    name = TextInput(max_length=100)
    invitation_code = TextInput(max_length=40)
    phone = TextInput(max_length=30)
    email = TextInput(max_length=254)
    shares_contact = serializers.BooleanField(required=False, default=False)


class CheckInInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    door = TextInput(max_length=40)
    session = IdField(help_text="A session of the event: record attendance instead")


class CheckInSerializer(serializers.Serializer):
    first = serializers.BooleanField(help_text="false: already checked in (at `at`)")
    at = IsoDateTimeField()
    registration = RegistrationSerializer()


class ZoneSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    booths = serializers.IntegerField(source="booth_count")


class HallSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    zones = ZoneSerializer(many=True, source="zones.all")


class BoothSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    exhibitor = serializers.CharField(source="exhibitor.name")
    hall = serializers.CharField(source="zone.hall.name")
    zone = serializers.CharField(source="zone.name")
    introduction = serializers.CharField()
    offerings = serializers.SerializerMethodField()

    def get_offerings(self, obj) -> list[dict]:
        return [{"id": o.pk, "title": o.title} for o in obj.offerings.all()]


class BoothQuery(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=100, allow_blank=True)
    zone = QueryInt(min_value=1, max_value=2**31)


class PartySerializer(serializers.Serializer):
    registration = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    organization = serializers.CharField(source="organization.name")


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    event = serializers.IntegerField(source="event_id")
    requester = PartySerializer()
    recipient = PartySerializer()
    reason = serializers.CharField()
    priority = serializers.IntegerField()
    state = serializers.CharField()
    placement = serializers.CharField()
    slot = serializers.CharField()
    starts_at = IsoDateTimeField(allow_null=True)
    ends_at = IsoDateTimeField(allow_null=True)
    table = serializers.IntegerField(allow_null=True)
    unplaced_reason = serializers.CharField()
    unplaced_detail = serializers.CharField(
        source="unplaced_detail_text", help_text="What blocks it, in the request's language"
    )
    unplaced_helps = serializers.CharField(
        source="unplaced_helps_text", help_text="What would help, in the request's language"
    )
    requester_outcome = serializers.CharField()
    recipient_outcome = serializers.CharField()


class MeetingInputSerializer(serializers.Serializer):
    recipient = IdField(required=True, help_text="The other participant's registration id")
    reason = serializers.CharField(max_length=1000)
    priority = serializers.IntegerField(min_value=1, max_value=3, default=1)


class MeetingActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["accept", "decline", "cancel", "outcome"])
    reason = TextInput(max_length=500)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)


class MeetingQuery(serializers.Serializer):
    state = serializers.ChoiceField(choices=MeetingState.choices, required=False)


class ScheduleInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["run", "publish"])


class ScheduleSerializer(serializers.Serializer):
    placed = serializers.IntegerField()
    weight = serializers.IntegerField(required=False)
    optimal = serializers.BooleanField(required=False)
    published = serializers.IntegerField(required=False)


class LeadSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="registration.name")
    organization = serializers.CharField(source="registration.organization.name")
    rating = serializers.IntegerField()
    note = serializers.CharField()
    created_at = IsoDateTimeField()
    phone = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()

    def _shared(self, obj) -> bool:
        return obj.registration_id in self.context["consenting"]

    def get_phone(self, obj) -> str:
        return obj.registration.phone if self._shared(obj) else ""

    def get_email(self, obj) -> str:
        return obj.registration.email if self._shared(obj) else ""


class LeadInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    note = TextInput(max_length=2000)
    rating = serializers.IntegerField(min_value=1, max_value=5, default=3)


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    header = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))


def _plain_rows(tables):
    return [
        {
            "key": t.key,
            "title": t.title,
            "header": [str(h) for h in t.header],
            "rows": [[c if isinstance(c, int | float) else str(c) for c in r] for r in t.rows],
        }
        for t in tables
    ]


# --- operations -----------------------------------------------------------------------------


class EventListApi(ApiOperation):
    @extend_schema(
        responses={200: paginated(EventSerializer), **ERRORS},
        summary="Events the caller may see (published, and the drafts it organises)",
        operation_id="events_list",
        tags=TAGS,
    )
    def get(self, request):
        qs = (
            access.events_for(request.membership)
            .select_related("host")
            .order_by("-starts_on", "-id")
        )
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        # the events whose private online address the reader gets: one query for the page
        private = access.private_link_event_ids(request.membership, [e.pk for e in page])
        return paginator.get_paginated_response(
            EventSerializer(page, many=True, context={"private": private}).data
        )


class EventDetailApi(ApiOperation):
    @extend_schema(
        responses=EventSerializer, summary="One event", operation_id="event_retrieve", tags=TAGS
    )
    def get(self, request, pk):
        event = access.access_event(request.membership, pk)
        private = {event.pk} if access.sees_private_links(request.membership, event) else set()
        return respond(EventSerializer, event, private=private)


class SessionListApi(ApiOperation):
    @extend_schema(
        responses=SessionSerializer(many=True),
        summary="The event's sessions with speakers, rooms, live and recording links",
        operation_id="event_sessions",
        tags=TAGS,
    )
    def get(self, request, pk):
        event = access.access_event(request.membership, pk)
        return respond(
            SessionSerializer,
            list(selectors.sessions_of(event)),
            many=True,
            event=event,
            private=access.sees_private_links(request.membership, event),
        )


class RegistrationApi(ApiOperation):
    @extend_schema(
        responses=RegistrationSerializer,
        summary="The caller's registration for the event (404 when not registered)",
        operation_id="event_registration_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        event = access.access_event(request.membership, pk)
        registration = access.registration_of(request.membership, event)
        if registration is None:
            raise Http404
        return respond(RegistrationSerializer, registration)

    @extend_schema(
        request=RegisterInputSerializer,
        responses={201: RegistrationSerializer, **ERRORS},
        summary="Register the caller for the event, for its organisation",
        operation_id="event_registration_create",
        tags=TAGS,
    )
    def post(self, request, pk):
        event = access.access_event(request.membership, pk)
        values = parse(RegisterInputSerializer, request.data)
        organization = Organization.objects.get(pk=request.membership.organization_id)
        registration = services.register(actor(request), event, organization=organization, **values)
        return respond(RegistrationSerializer, registration, status_code=status.HTTP_201_CREATED)


class CheckInApi(ApiOperation):
    @extend_schema(
        request=CheckInInputSerializer,
        responses={200: CheckInSerializer, **ERRORS},
        summary="Scan a badge at the door, or at a session (organisers); a second scan says when",
        operation_id="event_checkin",
        tags=TAGS,
    )
    def post(self, request, pk):
        event = access.access_event(request.membership, pk, organize=True)
        values = parse(CheckInInputSerializer, request.data)
        if values.get("session"):
            session = event.sessions.filter(pk=values["session"]).first()
            if session is None:
                raise Http404
            result = services.record_attendance(actor(request), session, badge_code=values["code"])
        else:
            result = services.check_in(
                actor(request), event, badge_code=values["code"], door=values.get("door", "")
            )
        return respond(
            CheckInSerializer,
            {"first": result.first, "at": result.at, "registration": result.registration},
        )


class HallListApi(ApiOperation):
    @extend_schema(
        responses=HallSerializer(many=True),
        summary="Halls and zones with their booth counts",
        operation_id="event_halls",
        tags=TAGS,
    )
    def get(self, request, pk):
        event = access.access_event(request.membership, pk)
        return respond(HallSerializer, selectors.halls_of(event), many=True)


class BoothListApi(ApiOperation):
    @extend_schema(
        parameters=[BoothQuery],
        responses={200: paginated(BoothSerializer), **ERRORS},
        summary="Booths with their exhibitors and offerings; q searches names and products",
        operation_id="event_booths",
        tags=TAGS,
    )
    def get(self, request, pk):
        event = access.access_event(request.membership, pk)
        query = parse(BoothQuery, request.query_params)
        qs = selectors.exhibitors(event, q=query.get("q") or "", zone=query.get("zone"))
        return paged(request, self, qs, BoothSerializer)


class MeetingListApi(ApiOperation):
    @extend_schema(
        parameters=[MeetingQuery],
        responses={200: paginated(MeetingSerializer), **ERRORS},
        summary="The caller's meeting requests at the event (organisers: all of them)",
        operation_id="event_meetings_list",
        tags=TAGS,
    )
    def get(self, request, pk):
        event = access.access_event(request.membership, pk)
        query = parse(MeetingQuery, request.query_params)
        qs = access.meetings_for(request.membership, event).order_by("-created_at", "-id")
        if query.get("state"):
            qs = qs.filter(state=query["state"])
        return paged(request, self, qs, MeetingSerializer)

    @extend_schema(
        request=MeetingInputSerializer,
        responses={201: MeetingSerializer, **ERRORS},
        summary="Ask another participant for a 1:1 meeting, with a reason",
        operation_id="event_meetings_create",
        tags=TAGS,
    )
    def post(self, request, pk):
        event = access.access_event(request.membership, pk)
        requester = access.registration_of(request.membership, event)
        if requester is None:
            raise Http404
        values = parse(MeetingInputSerializer, request.data)
        recipient = Registration.objects.filter(event=event, pk=values["recipient"]).first()
        if recipient is None:
            raise Http404
        meeting = services.request_meeting(
            actor(request),
            event,
            requester=requester,
            recipient=recipient,
            reason=values["reason"],
            priority=values["priority"],
        )
        return respond(MeetingSerializer, meeting, status_code=status.HTTP_201_CREATED)


class MeetingDetailApi(ApiOperation):
    @extend_schema(
        responses=MeetingSerializer,
        summary="One meeting (its two parties and the organisers)",
        operation_id="event_meeting_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        return respond(MeetingSerializer, access.access_meeting(request.membership, pk))

    @extend_schema(
        request=MeetingActionSerializer,
        responses={200: MeetingSerializer, **ERRORS},
        summary="accept / decline (the recipient), cancel, outcome held|no_show|follow_up",
        operation_id="event_meeting_action",
        tags=TAGS,
    )
    def post(self, request, pk):
        meeting = access.access_meeting(request.membership, pk, party=True)
        values = parse(MeetingActionSerializer, request.data)
        who = actor(request)
        action = values["action"]
        if action in ("accept", "decline"):
            meeting = services.respond_meeting(
                who, meeting, accept=action == "accept", reason=values.get("reason", "")
            )
        elif action == "cancel":
            meeting = services.cancel_meeting(who, meeting)
        else:
            if not values.get("outcome"):
                raise EventError("required", _("Choose an outcome."), field="outcome")
            meeting = services.record_outcome(who, meeting, outcome=values["outcome"])
        return respond(MeetingSerializer, meeting)


class ScheduleApi(ApiOperation):
    @extend_schema(
        responses=MeetingSerializer(many=True),
        summary="Accepted meetings with their slot, table, or why not placed (organisers)",
        operation_id="event_schedule_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        event = access.access_event(request.membership, pk, organize=True)
        qs = access.meetings_for(request.membership, event).filter(state=MeetingState.ACCEPTED)
        return respond(MeetingSerializer, list(qs.order_by("starts_at", "table", "id")), many=True)

    @extend_schema(
        request=ScheduleInputSerializer,
        responses={200: ScheduleSerializer, **ERRORS},
        summary="run: the batch draft (published meetings stay); publish: the draft",
        operation_id="event_schedule_action",
        tags=TAGS,
    )
    def post(self, request, pk):
        event = access.access_event(request.membership, pk, organize=True)
        values = parse(ScheduleInputSerializer, request.data)
        if values["action"] == "run":
            result = services.run_schedule(actor(request), event)
            data = {"placed": result.placed, "weight": result.weight, "optimal": result.optimal}
        else:
            data = {"placed": 0, "published": services.publish_schedule(actor(request), event)}
        return respond(ScheduleSerializer, data)


class LeadListApi(ApiOperation):
    @extend_schema(
        responses=LeadSerializer(many=True),
        summary="A booth's leads (its exhibitor and the organisers); contacts only with consent",
        operation_id="event_booth_leads",
        tags=TAGS,
    )
    def get(self, request, pk):
        booth = access.access_booth(request.membership, pk)
        if not access.can_see_leads(request.membership, booth):
            raise Http404
        leads = list(access.leads_for(request.membership, booth))
        return respond(
            LeadSerializer, leads, many=True, consenting=access.consenting_registration_ids(booth)
        )

    @extend_schema(
        request=LeadInputSerializer,
        responses={201: LeadSerializer, **ERRORS},
        summary="Scan a visitor's badge at the booth: a lead with a note and a rating",
        operation_id="event_booth_leads_create",
        tags=TAGS,
    )
    def post(self, request, pk):
        booth = access.access_booth(request.membership, pk, write=True)
        values = parse(LeadInputSerializer, request.data)
        lead = services.collect_lead(
            actor(request),
            booth,
            badge_code=values["code"],
            note=values.get("note", ""),
            rating=values["rating"],
        )
        return respond(
            LeadSerializer,
            lead,
            status_code=status.HTTP_201_CREATED,
            consenting=access.consenting_registration_ids(booth),
        )


class AnalyticsApi(ApiOperation):
    @extend_schema(
        responses=TableSerializer(many=True),
        summary="The organiser's analytics tables (registrations, check-ins, attendance, "
        "booths, meeting funnel, procurement)",
        operation_id="event_analytics",
        tags=TAGS,
    )
    def get(self, request, pk):
        event = access.access_event(request.membership, pk, organize=True)
        return respond(
            TableSerializer, _plain_rows(selectors.organiser_analytics(event)), many=True
        )


urlpatterns = [
    path("", EventListApi.as_view(), name="api-events"),
    path("<int:pk>/", EventDetailApi.as_view(), name="api-event"),
    path("<int:pk>/sessions/", SessionListApi.as_view(), name="api-event-sessions"),
    path("<int:pk>/registration/", RegistrationApi.as_view(), name="api-event-registration"),
    path("<int:pk>/checkin/", CheckInApi.as_view(), name="api-event-checkin"),
    path("<int:pk>/halls/", HallListApi.as_view(), name="api-event-halls"),
    path("<int:pk>/booths/", BoothListApi.as_view(), name="api-event-booths"),
    path("<int:pk>/meetings/", MeetingListApi.as_view(), name="api-event-meetings"),
    path("<int:pk>/schedule/", ScheduleApi.as_view(), name="api-event-schedule"),
    path("<int:pk>/analytics/", AnalyticsApi.as_view(), name="api-event-analytics"),
    path("meetings/<int:pk>/", MeetingDetailApi.as_view(), name="api-event-meeting"),
    path("booths/<int:pk>/leads/", LeadListApi.as_view(), name="api-event-booth-leads"),
]
