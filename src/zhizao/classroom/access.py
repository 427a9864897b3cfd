"""Who may see and change which course, lesson, enrolment and certificate. Every fetch goes
through here; a missing object and a forbidden one look the same (404).

- Courses: published courses are open to every signed-in user (the catalogue); a society's
  members see and edit their own society's courses, drafts included; operators all.
- Lessons: their titles show on the course page; the lesson itself (player, video, documents)
  opens to the learners enrolled in the published course and to those who may edit it.
- Enrolments and certificates: the learner's own; the managers (enterprise members) of the
  organisation the learner enrolled for see its staff's; operators see all.
- A certificate's public check answers by its code only (name, course, date, valid)."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from zhizao.accounts.roles import acts_for, belongs_to, is_enterprise, is_operator, is_society
from zhizao.events.enums import RegistrationState
from zhizao.events.models import Registration

from .enums import CourseState
from .models import Certificate, Course, Enrolment, Lesson, LiveClass, Rating


def can_create_course(membership) -> bool:
    return is_operator(membership) or is_society(membership)


def can_edit_course(membership, course: Course) -> bool:
    return is_operator(membership) or (
        is_society(membership) and acts_for(membership, course.society_id)
    )


def can_view_statistics(membership) -> bool:
    return is_operator(membership)


def can_view_staff_progress(membership) -> bool:
    return is_operator(membership) or is_enterprise(membership)


def can_learn(membership) -> bool:
    """Anyone acting in an organisation may enrol (the enrolment is for that organisation)."""
    return membership is not None and membership.role is not None


# --- courses ---------------------------------------------------------------------------------


def published_courses():
    return Course.objects.filter(state=CourseState.PUBLISHED)


def courses_for(membership):
    if membership is None:
        return Course.objects.none()
    if is_operator(membership):
        return Course.objects.all()
    if is_society(membership):
        return Course.objects.filter(
            Q(state=CourseState.PUBLISHED) | Q(society_id=membership.organization_id)
        )
    return published_courses()


def editable_courses_for(membership):
    if is_operator(membership):
        return Course.objects.all()
    if is_society(membership):
        return Course.objects.filter(society_id=membership.organization_id)
    return Course.objects.none()


def access_course(membership, pk, *, edit: bool = False) -> Course:
    course = courses_for(membership).select_related("society").filter(pk=pk).first()
    if course is None or (edit and not can_edit_course(membership, course)):
        raise Http404
    return course


def enrolment_of(membership, course: Course) -> Enrolment | None:
    if membership is None:
        return None
    return Enrolment.objects.filter(user_id=membership.user_id, course=course).first()


def can_open_lesson(membership, lesson: Lesson, enrolment: Enrolment | None = None) -> bool:
    course = lesson.course
    if can_edit_course(membership, course):
        return True
    if course.state != CourseState.PUBLISHED or membership is None:
        return False
    if enrolment is None:
        enrolment = enrolment_of(membership, course)
    return enrolment is not None


def access_lesson(membership, pk) -> Lesson:
    lesson = Lesson.objects.select_related("course", "course__society").filter(pk=pk).first()
    if lesson is None or not can_open_lesson(membership, lesson):
        raise Http404
    return lesson


def access_lesson_to_edit(membership, pk) -> Lesson:
    lesson = Lesson.objects.select_related("course").filter(pk=pk).first()
    if lesson is None or not can_edit_course(membership, lesson.course):
        raise Http404
    return lesson


# --- enrolments ------------------------------------------------------------------------------


def own_enrolments(membership):
    if membership is None:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(user_id=membership.user_id)


def staff_enrolments_for(membership):
    """The enrolments a manager sees: its own organisation's staff (operators: all)."""
    if is_operator(membership):
        return Enrolment.objects.all()
    if is_enterprise(membership):
        return Enrolment.objects.filter(organization_id=membership.organization_id)
    return Enrolment.objects.none()


def access_own_enrolment(membership, pk) -> Enrolment:
    enrolment = own_enrolments(membership).select_related("course").filter(pk=pk).first()
    if enrolment is None:
        raise Http404
    return enrolment


# --- certificates, ratings, live classes -----------------------------------------------------


def certificates_for(membership):
    if membership is None:
        return Certificate.objects.none()
    if is_operator(membership):
        return Certificate.objects.all()
    own = Q(user_id=membership.user_id)
    if is_enterprise(membership):
        own |= Q(enrolment__organization_id=membership.organization_id)
    return Certificate.objects.filter(own)


def access_certificate(membership, pk) -> Certificate:
    certificate = certificates_for(membership).select_related("course").filter(pk=pk).first()
    if certificate is None:
        raise Http404
    return certificate


def access_rating_to_answer(membership, pk) -> Rating:
    rating = Rating.objects.select_related("course").filter(pk=pk).first()
    if rating is None or not can_edit_course(membership, rating.course):
        raise Http404
    return rating


def live_classes_for(membership):
    return LiveClass.objects.filter(course__in=courses_for(membership))


def access_live_class(membership, pk) -> LiveClass:
    live = (
        live_classes_for(membership)
        .select_related("course", "session", "session__event")
        .filter(pk=pk)
        .first()
    )
    if live is None:
        raise Http404
    return live


def joinable_live_ids(membership, lives) -> set[int]:
    """Which of ``lives`` (live classes) ``membership`` may join and so may see the online
    link of: the approved registrants of the class's event, those who may edit the course (its
    society, operators) and the event's organisers. One query for the registrations."""
    lives = list(lives)
    if membership is None or not lives:
        return set()
    allowed = {live.pk for live in lives if can_edit_course(membership, live.course)}
    rest = [live for live in lives if live.pk not in allowed]
    if rest:
        registered = set(
            Registration.objects.filter(
                event_id__in={live.session.event_id for live in rest},
                user_id=membership.user_id,
                state=RegistrationState.APPROVED,
            ).values_list("event_id", flat=True)
        )
        allowed |= {
            live.pk
            for live in rest
            # the series event is hosted by the course's society: its members organise it
            if live.session.event_id in registered or belongs_to(membership, live.course.society_id)
        }
    return allowed
