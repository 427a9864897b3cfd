"""A society's (or the operator's) live classes of a course: schedule one (a session of the
course's series event, through ``services.schedule_live_class``) and attach its recording
afterwards (a link or a lesson of the course)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.selectors import actor_for_request

from .. import access, services
from ..errors import ClassroomError
from ..forms import LiveClassForm, RecordingForm


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
    form = LiveClassForm(request.POST)
    if not form.is_valid():
        return _page(request, course, form=form, status=400)
    data = form.cleaned_data
    try:
        services.schedule_live_class(
            actor_for_request(request),
            course,
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            online_url=data["online_url"],
            capacity=data["capacity"],
        )
    except ClassroomError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _page(request, course, form=form, status=400)
    messages.success(request, _("Live class scheduled; learners can register for it."))
    return redirect("classroom:live_classes", pk=course.pk)


@login_required
@require_POST
def live_recording(request, pk):
    live = access.access_live_class(request.membership, pk)
    if not access.can_edit_course(request.membership, live.course):
        raise Http404
    form = RecordingForm(request.POST, course=live.course, prefix=f"r{live.pk}")
    if form.is_valid():
        try:
            services.attach_recording(
                actor_for_request(request),
                live,
                link_url=form.cleaned_data["recording_link"],
                lesson=form.cleaned_data["lesson"],
            )
        except ClassroomError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Recording attached."))
    else:
        messages.error(request, _("Give a valid link or choose a lesson."))
    return redirect("classroom:live_classes", pk=live.course_id)
