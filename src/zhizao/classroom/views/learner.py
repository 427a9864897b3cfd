"""A learner's pages: the catalogue (``lists.CATALOGUE``: Chinese search, filters, sorts, export), a course (enrol, rate), the lesson player
(progress saved by small POSTs), the quiz, my learning (courses for the enterprise's open
diagnosis gaps first) and the certificate PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.roles import is_enterprise
from zhizao.accounts.selectors import actor_for_request
from zhizao.common.lists import list_page

from .. import access, selectors, services
from ..errors import ClassroomError
from ..forms import RatingForm
from ..lists import CATALOGUE
from ..pdf import render_certificate_pdf
from .writes import message_write


@login_required
@list_page(CATALOGUE)
def catalogue(request):
    listing = CATALOGUE.run(
        request, selectors.catalogue_rows(access.courses_for(request.membership))
    )
    if listing.response:
        return listing.response
    return render(
        request,
        "classroom/catalogue.html",
        {
            **listing.context(),
            "courses": listing.page_obj.object_list,
            "can_create": access.can_create_course(request.membership),
            "can_staff": access.can_view_staff_progress(request.membership),
            "can_statistics": access.can_view_statistics(request.membership),
        },
    )


@login_required
def course_detail(request, pk, *, rating_form=None, status=200):
    course = access.access_course(request.membership, pk)
    enrolment = access.enrolment_of(request.membership, course)
    progress = selectors.progress_of(enrolment) if enrolment else None
    certificate = getattr(enrolment, "certificate", None) if enrolment else None
    rating = getattr(enrolment, "rating", None) if enrolment else None
    live_classes = list(
        course.live_classes.select_related("session").order_by("session__starts_at")
    )
    for live in live_classes:
        live.course = course
    return render(
        request,
        "classroom/course_detail.html",
        {
            "course": course,
            "lessons": list(course.lessons.order_by("position", "id")),
            "enrolment": enrolment,
            "progress": progress,
            "certificate": certificate,
            "has_quiz": course.quiz.questions.exists() if hasattr(course, "quiz") else False,
            "summary": selectors.course_summary(course),
            "ratings": course.ratings.select_related("enrolment__user")[:20],
            "live_classes": live_classes,
            "joinable": access.joinable_live_ids(request.membership, live_classes),
            "now": timezone.now(),
            "rating_form": rating_form
            or RatingForm(
                initial={"stars": rating.stars, "comment": rating.comment} if rating else None
            ),
            "can_edit": access.can_edit_course(request.membership, course),
            "can_learn": access.can_learn(request.membership),
        },
        status=status,
    )


@login_required
@require_POST
def enrol(request, pk):
    course = access.access_course(request.membership, pk)
    return message_write(
        request,
        lambda actor, _data: services.enrol(actor, course),
        success=_("You are enrolled. Start with the first lesson."),
        done=redirect("classroom:course_detail", pk=course.pk),
    )


@login_required
@require_POST
def rate(request, pk):
    course = access.access_course(request.membership, pk)
    enrolment = access.enrolment_of(request.membership, course)
    if enrolment is None:
        raise Http404
    form = RatingForm(request.POST)
    if not form.is_valid():
        return course_detail(request, pk, rating_form=form, status=400)
    try:
        services.rate_course(actor_for_request(request), enrolment, **form.cleaned_data)
    except ClassroomError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return course_detail(request, pk, rating_form=form, status=400)
    messages.success(request, _("Thank you for your rating."))
    return redirect("classroom:course_detail", pk=course.pk)


def _lesson_and_enrolment(request, pk):
    lesson = access.access_lesson(request.membership, pk)
    enrolment = access.enrolment_of(request.membership, lesson.course)
    return lesson, enrolment


@login_required
def lesson(request, pk):
    lesson, enrolment = _lesson_and_enrolment(request, pk)
    lessons = list(lesson.course.lessons.order_by("position", "id"))
    index = next(i for i, item in enumerate(lessons) if item.pk == lesson.pk)
    return render(
        request,
        "classroom/lesson.html",
        {
            "lesson": lesson,
            "course": lesson.course,
            "enrolment": enrolment,
            "position": selectors.position_in(enrolment, lesson),
            "previous": lessons[index - 1] if index > 0 else None,
            "next": lessons[index + 1] if index + 1 < len(lessons) else None,
            "number": index + 1,
            "count": len(lessons),
        },
    )


@login_required
@require_POST
def lesson_progress(request, pk):
    """The player's small POST: ``position`` (seconds) and ``completed`` ("1")."""
    lesson, enrolment = _lesson_and_enrolment(request, pk)
    if enrolment is None:
        raise Http404
    try:
        progress = services.save_progress(
            actor_for_request(request),
            enrolment,
            lesson,
            position_seconds=request.POST.get("position", "0").split(".")[0] or 0,
            completed=request.POST.get("completed") == "1",
        )
    except ClassroomError as error:
        return JsonResponse({"error": error.message}, status=400)
    if request.POST.get("page") == "1":  # the "mark as completed" button: back to the course
        messages.success(request, _("Lesson completed."))
        return redirect("classroom:course_detail", pk=lesson.course_id)
    return JsonResponse({"position": progress.position_seconds, "completed": progress.completed})


@login_required
def quiz(request, pk):
    course = access.access_course(request.membership, pk)
    enrolment = access.enrolment_of(request.membership, course)
    quiz = getattr(course, "quiz", None)
    if enrolment is None or quiz is None:
        raise Http404
    questions = list(quiz.questions.prefetch_related("options"))
    attempt = None
    status = 200
    if request.method == "POST":
        answers = {q.pk: request.POST.getlist(f"q{q.pk}") for q in questions}
        try:
            attempt = services.submit_quiz(actor_for_request(request), enrolment, answers)
        except ClassroomError as error:
            messages.error(request, error.message)
            status = 400
    return render(
        request,
        "classroom/quiz.html",
        {
            "course": course,
            "quiz": quiz,
            "questions": questions,
            "attempt": attempt,
            "marks": {m.id: m for m in attempt.result.marks} if attempt else {},
            "best": enrolment.attempts.filter(passed=True).exists(),
        },
        status=status,
    )


@login_required
def my_learning(request):
    enrolments = list(
        access.own_enrolments(request.membership).select_related("course", "course__society")
    )
    rows = [(e, selectors.progress_of(e)) for e in enrolments]
    recommended = []
    if is_enterprise(request.membership):
        taken = {e.course_id for e in enrolments}
        gaps = selectors.open_gaps(request.membership.organization_id)
        recommended = [c for c in selectors.recommended_courses(gaps) if c.pk not in taken]
    return render(
        request,
        "classroom/my_learning.html",
        {"rows": rows, "recommended": recommended},
    )


@login_required
@require_POST
def certificate_issue(request, pk):
    course = access.access_course(request.membership, pk)
    enrolment = access.enrolment_of(request.membership, course)
    if enrolment is None:
        raise Http404
    try:
        certificate = services.issue_certificate(actor_for_request(request), enrolment)
    except ClassroomError as error:
        messages.error(request, error.message)
        return redirect("classroom:course_detail", pk=course.pk)
    return redirect("classroom:certificate_pdf", pk=certificate.pk)


@login_required
def certificate_pdf(request, pk):
    certificate = access.access_certificate(request.membership, pk)
    verify_url = request.build_absolute_uri(
        reverse("classroom:verify") + f"?code={certificate.code}"
    )
    response = HttpResponse(
        render_certificate_pdf(certificate, verify_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response
