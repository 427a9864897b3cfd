"""The events vocabulary: participant types, registration and meeting states, outcomes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ForumKind(models.TextChoices):
    OPENING = "opening", _("Opening")
    SUB_FORUM = "sub_forum", _("Sub-forum")


class ParticipantKind(models.TextChoices):
    VISITOR = "visitor", _("Visitor")
    EXHIBITOR = "exhibitor", _("Exhibitor")
    SPEAKER = "speaker", _("Speaker")
    MEDIA = "media", _("Media")
    GUEST = "guest", _("Guest")


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Registered")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


# registrations that hold a place within the type's capacity
HOLDS_PLACE = (RegistrationState.PENDING, RegistrationState.APPROVED)


class MeetingState(models.TextChoices):
    # not the list column "Requested" (申请时间): the request waits for the other side
    REQUESTED = "requested", pgettext_lazy("meeting state", "Requested")
    ACCEPTED = "accepted", pgettext_lazy("meeting state", "Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class LinkAccess(models.TextChoices):
    """Who gets a session's online link (live stream, recording): everyone, or the event's
    approved registrants and its organisers only."""

    PUBLIC = "public", pgettext_lazy("online link", "Public")
    REGISTERED = "registered", _("Registered participants only")


class Placement(models.TextChoices):
    NONE = "none", _("Not placed")
    DRAFT = "draft", _("Draft schedule")
    PUBLISHED = "published", _("Published")


class Outcome(models.TextChoices):
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("No-show")
    FOLLOW_UP = "follow_up", _("Follow-up")


class UnplacedReason(models.TextChoices):
    NO_COMMON_SLOT = "no_common_slot", _("No common free slot")
    PARTICIPANT_FULL = "participant_full", _("A participant is full")
    CAPACITY = "capacity", _("No table left")
    CONFLICT = "conflict", _("Conflict with a fixed meeting")


RESPONSE_TRANSITIONS = {
    MeetingState.REQUESTED: {MeetingState.ACCEPTED, MeetingState.DECLINED, MeetingState.CANCELLED},
    MeetingState.ACCEPTED: {MeetingState.CANCELLED},
}
