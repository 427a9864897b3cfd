"""A society's (or the operator's) course editor: the course's fields, lessons (video upload
or link, documents), the quiz, publishing, and answers to ratings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.roles import is_operator
from zhizao.accounts.selectors import actor_for_request
from zhizao.common.pagination import paginate
from zhizao.registry.enums import OrganizationKind
from zhizao.registry.models import Organization

from .. import access, selectors, services
from ..errors import ClassroomError
from ..forms import AnswerForm, CourseForm, LessonForm, QuizEditForm, quiz_text
from .writes import form_write, message_write


def _society_for_new_course(request):
    """A society creates for itself; the operator for the society it picks (``society``)."""
    if is_operator(request.membership):
        pk = request.POST.get("society") or request.GET.get("society")
        return (
            Organization.objects.filter(pk=pk, kind=OrganizationKind.SOCIETY).first()
            if (pk and str(pk).isdigit())
            else None
        )
    return Organization.objects.filter(pk=request.membership.organization_id).first()


@login_required
def my_courses(request):
    if not access.can_create_course(request.membership):
        raise Http404
    page = paginate(
        request,
        access.editable_courses_for(request.membership)
        .select_related("society")
        .order_by("-created_at", "-id"),
        25,
    )
    return render(
        request, "classroom/my_courses.html", {"courses": page.object_list, "page_obj": page}
    )


@login_required
def course_new(request):
    if not access.can_create_course(request.membership):
        raise Http404
    form = CourseForm(request.POST or None, subdomain_choices=selectors.subdomain_choices())
    status = 200
    societies = (
        Organization.objects.filter(kind=OrganizationKind.SOCIETY).order_by("name")[:200]
        if is_operator(request.membership)
        else None
    )
    if request.method == "POST":
        status = 400
        society = _society_for_new_course(request)
        if society is None:
            form.add_error(None, _("Choose a society."))
        elif form.is_valid():
            try:
                course = services.create_course(
                    actor_for_request(request), society, **form.values()
                )
            except ClassroomError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Course created. Add its lessons."))
                return redirect("classroom:course_edit", pk=course.pk)
    return render(
        request,
        "classroom/course_form.html",
        {"form": form, "societies": societies},
        status=status,
    )


def _editor(request, course, *, form=None, lesson_form=None, quiz_form=None, status=200):
    quiz = getattr(course, "quiz", None)
    return render(
        request,
        "classroom/course_edit.html",
        {
            "course": course,
            "form": form
            or CourseForm(
                initial={
                    "title": course.title,
                    "summary": course.summary,
                    "lecturers": "\n".join(course.lecturers),
                    "level": course.level,
                    "subdomains": course.subdomains,
                    "categories": course.categories,
                },
                subdomain_choices=selectors.subdomain_choices(),
            ),
            "lesson_form": lesson_form or LessonForm(initial={"minutes": 10}),
            "quiz_form": quiz_form
            or QuizEditForm(
                initial={"pass_percent": quiz.pass_percent if quiz else 60, "text": quiz_text(quiz)}
            ),
            "lessons": list(course.lessons.order_by("position", "id")),
            "ratings": course.ratings.select_related("enrolment__user")[:50],
            "answer_form": AnswerForm(),
        },
        status=status,
    )


@login_required
def course_edit(request, pk):
    course = access.access_course(request.membership, pk, edit=True)
    if request.method != "POST":
        return _editor(request, course)
    form = CourseForm(request.POST, subdomain_choices=selectors.subdomain_choices())
    return form_write(
        request,
        form,
        lambda actor, data: services.update_course(actor, course, **form.values()),
        success=_("Saved."),
        done=lambda _result: redirect("classroom:course_edit", pk=course.pk),
        again=lambda form: _editor(request, course, form=form, status=400),
    )


@login_required
@require_POST
def lesson_new(request, pk):
    course = access.access_course(request.membership, pk, edit=True)
    return form_write(
        request,
        LessonForm(request.POST, request.FILES),
        lambda actor, data: services.add_lesson(
            actor,
            course,
            title=data["title"],
            minutes=data["minutes"],
            summary=data["summary"],
            video=data.get("video"),
            video_link=data["video_link"],
            documents=data["documents"],
        ),
        success=_("Lesson added."),
        done=lambda _result: redirect("classroom:course_edit", pk=course.pk),
        again=lambda form: _editor(request, course, lesson_form=form, status=400),
    )


@login_required
@require_POST
def quiz_edit(request, pk):
    course = access.access_course(request.membership, pk, edit=True)
    form = QuizEditForm(request.POST)
    return form_write(
        request,
        form,
        lambda actor, data: services.save_quiz(
            actor, course, questions=form.questions(), pass_percent=data["pass_percent"]
        ),
        success=_("Quiz saved."),
        done=lambda _result: redirect("classroom:course_edit", pk=course.pk),
        again=lambda form: _editor(request, course, quiz_form=form, status=400),
        error_field="text",
    )


@login_required
@require_POST
def course_state(request, pk):
    course = access.access_course(request.membership, pk, edit=True)
    return message_write(
        request,
        lambda actor, _data: services.set_course_state(
            actor, course, request.POST.get("state", "")
        ),
        success=_("Saved."),
        done=redirect("classroom:course_edit", pk=course.pk),
    )


@login_required
@require_POST
def rating_answer(request, pk):
    rating = access.access_rating_to_answer(request.membership, pk)
    return message_write(
        request,
        lambda actor, data: services.answer_rating(actor, rating, answer=data["answer"]),
        form=AnswerForm(request.POST),
        invalid=_("Write an answer."),
        success=_("Answer published."),
        done=redirect("classroom:course_edit", pk=rating.course_id),
    )
