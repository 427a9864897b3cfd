"""Events (会议 · 展会 · 云上博览馆): an event with its programme (forums in blocks, sessions,
speakers), registration per participant type with badges, check-in and session attendance,
personal agendas, the exhibition (halls, zones, booths with their offerings), booth visits and
leads, 1:1 meeting requests placed by the scheduler, and the procurement area.

Sessions, registration and attendance are generic: the cloud classroom reuses them for live
classes. Fields and constraints only; every write goes through ``services``."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.common.validators import validate_web_url
from zhizao.matchmaking.models import Demand, Introduction, Offering
from zhizao.registry.models import Cluster, Organization

from .enums import (
    EventState,
    ForumKind,
    LinkAccess,
    MeetingState,
    Outcome,
    ParticipantKind,
    Placement,
    RegistrationState,
    UnplacedReason,
)


def _user_fk(**kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **kwargs,
    )


def _url(verbose_name):
    return models.URLField(verbose_name, blank=True, validators=[validate_web_url])


class Event(models.Model):
    """A conference or expo, run by the host organisation (its staff and the platform's
    operators organise it), with its meeting rules."""

    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    host = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="hosted_events", verbose_name=_("host")
    )
    host_units = models.CharField(_("host units"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_url = _url(_("online address"))
    # the default of the sessions' online links (a session may say otherwise); the event's own
    # online address follows it
    session_link_access = models.CharField(
        _("online links"), max_length=12, choices=LinkAccess.choices, default=LinkAccess.PUBLIC
    )
    state = models.CharField(
        _("state"), max_length=12, choices=EventState.choices, default=EventState.DRAFT
    )
    # meeting rules
    meeting_days = models.JSONField(_("meeting days"), default=list, blank=True)
    meeting_day_start = models.TimeField(_("meetings from"), default="09:00")
    meeting_day_end = models.TimeField(_("meetings until"), default="17:00")
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=20, validators=[MinValueValidator(5)]
    )
    tables = models.PositiveSmallIntegerField(_("tables"), default=10)
    max_meetings = models.PositiveSmallIntegerField(
        _("meetings per participant"), null=True, blank=True
    )
    needs_acceptance = models.BooleanField(_("requests need acceptance"), default=True)
    schedule_published_at = models.DateTimeField(_("schedule published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # raised by every write that changes the public pages: the key of their cached fragments
    public_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="event_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProgrammeBlock(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="blocks")
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event_id", "position", "id"]
        verbose_name = _("programme block")
        verbose_name_plural = _("programme blocks")

    def __str__(self) -> str:
        return self.title


class Forum(models.Model):
    """The opening or a sub-forum of an event's programme, in a block."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="forums")
    block = models.ForeignKey(
        ProgrammeBlock, null=True, blank=True, on_delete=models.SET_NULL, related_name="forums"
    )
    kind = models.CharField(
        pgettext_lazy("forum kind", "kind"), max_length=12, choices=ForumKind.choices
    )
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event_id", "position", "id"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self) -> str:
        return self.title


class Speaker(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=100)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    bio = models.CharField(_("short bio"), max_length=500, blank=True)

    class Meta:
        ordering = ["event_id", "name", "id"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """A timed session (a talk, a panel, a live class) with its room, online link and
    recording; generic — not expo-specific."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    forum = models.ForeignKey(
        Forum, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    online_url = _url(_("live stream address"))
    recording_url = _url(_("recording address"))
    # blank: as the event's ``session_link_access``
    link_access = models.CharField(
        _("online link"), max_length=12, choices=LinkAccess.choices, blank=True
    )
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="sessions")

    class Meta:
        ordering = ["starts_at", "room", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["event", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_times_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def links_restricted(self, event: Event | None = None) -> bool:
        """Whether the online and recording links are for the event's approved registrants
        and organisers only (``event``: the session's event, already at hand)."""
        event = event or self.event
        access = self.link_access or event.session_link_access
        return access == LinkAccess.REGISTERED


class RegistrationType(models.Model):
    """A registration form for one participant type, with its capacity (None: no limit),
    approval and invitation code. ``taken`` counts the places held (pending + approved); it is
    changed only under a row lock, so the last places cannot be taken twice."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registration_types")
    kind = models.CharField(_("participant type"), max_length=12, choices=ParticipantKind.choices)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    taken = models.PositiveIntegerField(_("places taken"), default=0)
    needs_approval = models.BooleanField(_("needs approval"), default=False)
    invitation_code = models.CharField(_("invitation code"), max_length=40, blank=True)

    class Meta:
        ordering = ["event_id", "id"]
        verbose_name = _("registration type")
        verbose_name_plural = _("registration types")
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="one_form_per_kind"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(taken__lte=models.F("capacity")),
                name="registration_capacity_kept",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_kind_display()}"


class Registration(models.Model):
    """One user's registration for an event, for its organisation; the badge code is what
    the QR code carries and what check-in scans."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    type = models.ForeignKey(RegistrationType, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="event_registrations"
    )
    name = models.CharField(_("name on badge"), max_length=100)
    state = models.CharField(_("state"), max_length=12, choices=RegistrationState.choices)
    badge_code = models.CharField(_("badge code"), max_length=16, unique=True)
    shares_contact = models.BooleanField(_("shares contact with exhibitors"), default=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    available_slots = models.JSONField(_("available meeting slots"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = _user_fk()
    checked_in_door = models.CharField(_("door"), max_length=40, blank=True)

    class Meta:
        ordering = ["event_id", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_user")
        ]
        indexes = [models.Index(fields=["event", "organization"])]

    def __str__(self) -> str:
        return f"{self.name} · {self.organization}"


class AgendaItem(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="agenda")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_items")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="agenda_once")
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} · {self.session_id}"


class Attendance(models.Model):
    """A registration seen at a session (badge scanned at the room door)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("at"))
    recorded_by = _user_fk()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "registration"], name="attend_once")
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} @ {self.session_id}"


class Hall(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="halls")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event_id", "position", "id"]
        verbose_name = _("hall")
        verbose_name_plural = _("halls")

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("name"), max_length=100)
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["hall_id", "id"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")

    def __str__(self) -> str:
        return self.name


class Booth(models.Model):
    """An exhibitor organisation's booth: its offerings are linked from matchmaking (never
    typed again); cases, documents and videos are links; staff on duty are names."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="booths")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="booths")
    code = models.CharField(_("booth number"), max_length=20)
    exhibitor = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="booths")
    introduction = models.TextField(_("introduction"), blank=True)
    offerings = models.ManyToManyField(Offering, blank=True, related_name="booths")
    cases = models.JSONField(_("cases"), default=list, blank=True)
    documents = models.JSONField(_("documents (links)"), default=list, blank=True)
    videos = models.JSONField(_("videos (links)"), default=list, blank=True)
    staff_on_duty = models.JSONField(_("staff on duty"), default=list, blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["event_id", "code", "id"]
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="booth_code_once"),
            models.UniqueConstraint(fields=["event", "exhibitor"], name="one_booth_per_exhibitor"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.exhibitor}"


class BoothVisit(models.Model):
    """A visitor at a booth; ``shares_contact`` is the visitor's consent for this exhibitor."""

    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="visits")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("at"))
    shares_contact = models.BooleanField(_("shares contact"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["booth", "registration"], name="visit_once")]

    def __str__(self) -> str:
        return f"{self.registration_id} @ {self.booth_id}"


class Lead(models.Model):
    """A visitor's badge scanned by an exhibitor's staff, with a note and a rating (1–5)."""

    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="leads")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("note"), blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_by = _user_fk()
    created_at = models.DateTimeField(_("collected"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["booth", "registration"], name="lead_once")]

    def __str__(self) -> str:
        return f"{self.registration_id} @ {self.booth_id}"


class MeetingRequest(models.Model):
    """A 1:1 meeting asked by one registration of another, with a reason; once accepted the
    scheduler places it into a slot (a draft until the organiser publishes)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    state = models.CharField(
        _("state"), max_length=12, choices=MeetingState.choices, default=MeetingState.REQUESTED
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    placement = models.CharField(
        _("placement"), max_length=12, choices=Placement.choices, default=Placement.NONE
    )
    slot = models.CharField(_("slot"), max_length=20, blank=True)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    table = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    unplaced_reason = models.CharField(
        _("why not placed"), max_length=20, choices=UnplacedReason.choices, blank=True
    )
    unplaced_detail = models.CharField(_("detail"), max_length=500, blank=True)
    unplaced_helps = models.CharField(_("what would help"), max_length=500, blank=True)
    # the scheduler's codes and parameters (``events.unplaced``): the texts above, rendered in
    # the reader's language; the two stored texts are the Chinese fallback
    unplaced_params = models.JSONField(default=dict, blank=True)
    requester_outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    recipient_outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    introduction = models.ForeignKey(
        Introduction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        indexes = [models.Index(fields=["event", "state", "placement"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("recipient")), name="meeting_two_parties"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient}"

    def _unplaced_texts(self) -> tuple[str, str]:
        from .unplaced import render

        if not self.unplaced_params.get("detail"):
            return self.unplaced_detail, self.unplaced_helps
        names = {
            f"P{party.pk}": _("%(name)s (%(organization)s)")
            % {"name": party.name, "organization": party.organization.name}
            for party in (self.requester, self.recipient)
        }
        return render(self.unplaced_params, names)

    @property
    def unplaced_detail_text(self) -> str:
        """What blocks the request, in the active language."""
        return self._unplaced_texts()[0]

    @property
    def unplaced_helps_text(self) -> str:
        """What would help, in the active language."""
        return self._unplaced_texts()[1]


class ProcurementNeed(models.Model):
    """A buyer's need posted in the event's procurement area: a matchmaking demand."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="procurement_needs")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    demand = models.OneToOneField(Demand, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.demand_id}"
