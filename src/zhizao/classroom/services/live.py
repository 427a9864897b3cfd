"""Live classes reuse the events app: a live class is an events ``Session`` of the course's
series event (``云课堂 · <course>``, hosted by the course's society, one year from its first
class), so registration, capacity, badges, check-in and attendance are the events app's own
services and pages. The classroom keeps only the link (``LiveClass``) and the recording
attached afterwards; reminders go through the notifications, once per registration's
organisation and class, by a periodic task."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao.common.notifications import notify
from zhizao.events import services as events
from zhizao.events.enums import ParticipantKind, RegistrationState
from zhizao.events.errors import EventError
from zhizao.events.models import Event, Registration

from ..access import can_edit_course
from ..errors import ClassroomError
from ..models import Course, Lesson, LiveClass
from .base import audit, link, not_allowed

SERIES_DAYS = 365


def _series_event(actor: Actor, course: Course, day: dt.date, capacity):
    known = (
        Event.objects.filter(
            sessions__live_class__course=course, starts_on__lte=day, ends_on__gte=day
        )
        .order_by("-starts_on")
        .first()
    )
    if known is not None:
        return known
    event = events.create_event(
        actor,
        course.society,
        title=f"云课堂 · {course.title}"[:200],
        starts_on=day,
        ends_on=day + dt.timedelta(days=SERIES_DAYS),
        description=course.summary[:2000],
    )
    visitor = event.registration_types.get(kind=ParticipantKind.VISITOR)
    events.configure_registration(actor, visitor, capacity=capacity, needs_approval=False)
    return events.set_event_state(actor, event, "published")


def schedule_live_class(
    actor: Actor,
    course: Course,
    *,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    online_url: str = "",
    capacity: int | None = None,
) -> LiveClass:
    """A live class of ``course`` (its society or an operator): a session of the course's
    series event, open for registration (``capacity`` places, none: no limit). The online link
    is kept on the live class only, never on the event or its session: the events pages and API
    are public, and a learner who had the link could join unregistered and uncounted."""
    if not can_edit_course(actor, course):
        raise not_allowed()
    online_url = link(online_url, field="online_url")
    try:
        with transaction.atomic():
            day = timezone.localtime(
                timezone.make_aware(starts_at) if timezone.is_naive(starts_at) else starts_at
            ).date()
            event = _series_event(actor, course, day, capacity)
            session = events.add_session(
                actor,
                event,
                title=title,
                starts_at=starts_at,
                ends_at=ends_at,
                description=course.summary[:2000],
            )
            live = LiveClass.objects.create(course=course, session=session, online_link=online_url)
            audit(actor, "live_class_created", live, context={"course": course.pk})
    except EventError as error:
        raise ClassroomError(error.code, error.message, field=error.field) from None
    return live


def attach_recording(
    actor: Actor, live: LiveClass, *, link_url: str = "", lesson: Lesson | None = None
) -> LiveClass:
    """After the class: its recording as a link, or as a lesson of the course."""
    if not can_edit_course(actor, live.course):
        raise not_allowed()
    link_url = link(link_url, field="recording_link")
    if lesson is not None and lesson.course_id != live.course_id:
        raise ClassroomError("bad_lesson", _("Choose a lesson of this course."), field="lesson")
    if not link_url and lesson is None:
        raise ClassroomError(
            "required", _("Give a link or choose a lesson."), field="recording_link"
        )
    with transaction.atomic():
        locked = LiveClass.objects.select_for_update().get(pk=live.pk)
        before = [locked.recording_link, locked.recording_lesson_id]
        locked.recording_link = link_url
        locked.recording_lesson = lesson
        locked.save(update_fields=["recording_link", "recording_lesson"])
        audit(
            actor,
            "recording_attached",
            locked,
            changes={"recording": [before, [link_url, lesson.pk if lesson else None]]},
        )
    return locked


# A learner may join this long before the start (to test sound and video).
JOIN_OPENS_BEFORE = dt.timedelta(minutes=15)


def join_live_class(actor: Actor, live: LiveClass, *, now: dt.datetime | None = None) -> str:
    """A registered learner joins ``live`` through the platform: the events app records the
    attendance (once), and the online link to send the learner on is returned. Refused
    (``ClassroomError``) without an approved registration, before ``JOIN_OPENS_BEFORE`` the start,
    after the end, or when the class has no online link."""
    url = live.online_link
    if not url:
        raise ClassroomError("no_link", _("This live class has no online link."))
    try:
        events.attend_online(actor, live.session, opens_before=JOIN_OPENS_BEFORE, now=now)
    except EventError as error:
        raise ClassroomError(error.code, error.message) from None
    return url


def send_live_class_reminders(
    *, now: dt.datetime | None = None, ahead: dt.timedelta | None = None
) -> int:
    """Remind every approved registrant of live classes starting within ``ahead`` (default
    one hour); once per class. Returns how many classes were reminded."""
    now = now or timezone.now()
    ahead = ahead or dt.timedelta(hours=1)
    count = 0
    with transaction.atomic():
        due = list(
            LiveClass.objects.select_for_update(skip_locked=True)
            .filter(
                reminded_at__isnull=True,
                session__starts_at__gt=now,
                session__starts_at__lte=now + ahead,
            )
            .select_related("session", "course")
        )
        for live in due:
            when = timezone.localtime(live.session.starts_at).strftime("%H:%M")
            registrations = Registration.objects.filter(
                event_id=live.session.event_id, state=RegistrationState.APPROVED
            ).select_related("organization", "user")
            for registration in registrations:
                notify(
                    registration.organization,
                    user=registration.user,
                    title=_("Reminder: live class “%(title)s” at %(when)s")
                    % {"title": live.session.title, "when": when},
                    link=f"/classroom/courses/{live.course_id}/",
                )
            count += 1
        LiveClass.objects.filter(pk__in=[live.pk for live in due]).update(reminded_at=now)
    return count
