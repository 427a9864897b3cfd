"""A society's (or the operator's) live classes of a course: schedule one (a session of the
course's series event, through ``services.schedule_live_class``) and attach its recording
afterwards (a link or a lesson of the course); a registered learner joins one through the
platform, which records the attendance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.selectors import actor_for_request

from .. import access, services
from ..errors import ClassroomError
from ..forms import LiveClassForm, RecordingForm
from .writes import form_write, message_write


def _page(request, course, *, form=None, status=200):
    lives = list(
        course.live_classes.select_related("session", "recording_lesson").order_by(
            "-session__starts_at", "-id"
        )
    )
    for live in lives:
        live.recording_form = RecordingForm(
            course=course,
            initial={"recording_link": live.recording_link, "lesson": live.recording_lesson_id},
            prefix=f"r{live.pk}",
        )
    return render(
        request,
        "classroom/live_classes.html",
        {"course": course, "form": form or LiveClassForm(), "lives": lives},
        status=status,
    )


@login_required
def live_classes(request, pk):
    course = access.access_course(request.membership, pk, edit=True)
    if request.method != "POST":
        return _page(request, course)
    return form_write(
        request,
        LiveClassForm(request.POST),
        lambda actor, data: services.schedule_live_class(
            actor,
            course,
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            online_url=data["online_url"],
            capacity=data["capacity"],
        ),
        success=_("Live class scheduled; learners can register for it."),
        done=lambda _result: redirect("classroom:live_classes", pk=course.pk),
        again=lambda form: _page(request, course, form=form, status=400),
    )


@login_required
@require_POST
def live_recording(request, pk):
    live = access.access_live_class(request.membership, pk)
    if not access.can_edit_course(request.membership, live.course):
        raise Http404
    return message_write(
        request,
        lambda actor, data: services.attach_recording(
            actor, live, link_url=data["recording_link"], lesson=data["lesson"]
        ),
        form=RecordingForm(request.POST, course=live.course, prefix=f"r{live.pk}"),
        invalid=_("Give a valid link or choose a lesson."),
        success=_("Recording attached."),
        done=redirect("classroom:live_classes", pk=live.course_id),
    )


@login_required
@require_POST
def live_join(request, pk):
    """A registered learner joins a live class: attendance recorded by the events app, then
    off to the online link. Refused (not registered, too early, over): back to the course page
    with the reason, and no link."""
    live = access.access_live_class(request.membership, pk)
    try:
        url = services.join_live_class(actor_for_request(request), live)
    except ClassroomError as error:
        messages.error(request, error.message)
        return redirect("classroom:course_detail", pk=live.course_id)
    return HttpResponseRedirect(url)
