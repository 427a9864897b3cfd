"""A society's (or the operator's) writes: courses, lessons with their video file or link, the
quiz, publishing, and answering ratings. A society edits only its own courses."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhizao.common.audit import Actor
from zhizao.common.services import update_fields
from zhizao.matchmaking.vocabulary import is_category
from zhizao.registry.enums import OrganizationKind
from zhizao.registry.models import Organization
from zhizao.registry.services.organizations import name_sort_key
from zhizao_core.text import normalize_search_text

from ..access import can_create_course, can_edit_course
from ..enums import VIDEO_TYPES, CourseLevel, CourseState
from ..errors import ClassroomError
from ..models import Course, Lesson, Option, Question, Quiz, Rating
from .base import audit, link, links, names, not_allowed, text

COURSE_FIELDS = ("title", "summary", "lecturers", "level", "subdomains", "categories")


def _check_course(values: dict) -> dict:
    out = {}
    if "title" in values:
        out["title"] = text(
            values["title"],
            field="title",
            label=pgettext("document", "Title"),
            required=True,
            max_length=200,
        )
    if "summary" in values:
        out["summary"] = text(
            values["summary"], field="summary", label=_("Summary"), max_length=5000
        )
    if "lecturers" in values:
        out["lecturers"] = names(values["lecturers"], field="lecturers")
    if "level" in values:
        if values["level"] not in CourseLevel.values:
            raise ClassroomError("bad_level", _("Choose a level."), field="level")
        out["level"] = values["level"]
    if "subdomains" in values:
        subs = names(values["subdomains"], field="subdomains", max_length=40)
        out["subdomains"] = sorted(set(subs))
    if "categories" in values:
        cats = names(values["categories"], field="categories", max_length=40)
        if any(not is_category(c) for c in cats):
            raise ClassroomError("bad_category", _("Choose known categories."), field="categories")
        out["categories"] = sorted(set(cats))
    return out


def _search_text(course: Course, society_name: str) -> str:
    return normalize_search_text(
        course.title, course.summary, society_name, " ".join(course.lecturers)
    )


def create_course(actor: Actor, society: Organization, **fields) -> Course:
    """A draft course of ``society`` (a society organisation; its own members or an operator)."""
    if not can_create_course(actor) or society.kind != OrganizationKind.SOCIETY:
        raise not_allowed()
    course = Course(society=society)
    if not can_edit_course(actor, course):
        raise not_allowed()
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise ClassroomError("bad_field", _("Unknown field."), field=sorted(unknown)[0])
    values = _check_course({"title": fields.get("title", ""), **fields})
    for name, value in values.items():
        setattr(course, name, value)
    course.search_text = _search_text(course, society.name)
    course.title_sort = name_sort_key(course.title)
    with transaction.atomic():
        course.save()
        audit(actor, "course_created", course, changes={"title": [None, course.title]})
    return course


def update_course(actor: Actor, course: Course, **fields) -> Course:
    if not can_edit_course(actor, course):
        raise not_allowed()
    values = _check_course(fields)
    with transaction.atomic():
        locked = Course.objects.select_for_update().select_related("society").get(pk=course.pk)

        def prepare(obj):
            obj.search_text = _search_text(obj, locked.society.name)
            obj.title_sort = name_sort_key(obj.title)

        update_fields(
            actor,
            locked,
            values,
            fields=COURSE_FIELDS,
            event="classroom.course_updated",
            prepare=prepare,
            also_save=("search_text", "title_sort"),
        )
    return locked


def set_course_state(actor: Actor, course: Course, state: str) -> Course:
    """Publish (needs at least one lesson) or take back to draft."""
    if not can_edit_course(actor, course):
        raise not_allowed()
    if state not in CourseState.values:
        raise ClassroomError("bad_state", _("Unknown state."))
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        if locked.state == state:
            return locked
        if state == CourseState.PUBLISHED and not locked.lessons.exists():
            raise ClassroomError("no_lessons", _("Add at least one lesson before publishing."))
        before = locked.state
        locked.state = state
        if state == CourseState.PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
        locked.save(update_fields=["state", "published_at"])
        audit(actor, "course_state", locked, changes={"state": [before, state]})
    return locked


# --- lessons ---------------------------------------------------------------------------------

# How each accepted video type starts: (offset, bytes).
_SIGNATURES = {
    "video/mp4": (4, b"ftyp"),
    "video/webm": (0, b"\x1a\x45\xdf\xa3"),
    "video/ogg": (0, b"OggS"),
}


def check_video(upload) -> str:
    """The content type of an uploaded video, by its extension AND its first bytes; refused:
    another type, an empty file, or one over ``ZHIZAO_CLASSROOM_VIDEO_MAX_BYTES``."""
    name = (getattr(upload, "name", "") or "").lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    content_type = VIDEO_TYPES.get(ext)
    if content_type is None:
        raise ClassroomError(
            "bad_video_type", _("Upload an MP4, WebM or Ogg video."), field="video"
        )
    size = upload.size or 0
    if size <= 0:
        raise ClassroomError("empty_video", _("The video file is empty."), field="video")
    limit = settings.ZHIZAO_CLASSROOM_VIDEO_MAX_BYTES
    if size > limit:
        raise ClassroomError(
            "video_too_large",
            _("The video is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            field="video",
        )
    offset, magic = _SIGNATURES[content_type]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head[offset : offset + len(magic)] != magic:
        raise ClassroomError(
            "bad_video_type", _("The file is not the video type its name says."), field="video"
        )
    return content_type


def add_lesson(
    actor: Actor,
    course: Course,
    *,
    title: str,
    minutes: int = 0,
    summary: str = "",
    video=None,
    video_link: str = "",
    documents=(),
    position: int | None = None,
) -> Lesson:
    """A lesson at the end of the course (or at ``position``): an uploaded video (checked,
    stored through the classroom storage) or an external video link, or neither."""
    if not can_edit_course(actor, course):
        raise not_allowed()
    title = text(
        title, field="title", label=pgettext("document", "Title"), required=True, max_length=200
    )
    summary = text(summary, field="summary", label=_("Summary"), max_length=5000)
    video_link = link(video_link, field="video_link")
    documents = links(list(documents), field="documents")
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = -1
    if not 0 <= minutes <= 600:
        raise ClassroomError(
            "bad_minutes", _("Give the duration in minutes (0–600)."), field="minutes"
        )
    if video is not None and video_link:
        raise ClassroomError(
            "two_videos", _("Upload a video or give a link, not both."), field="video_link"
        )
    content_type = check_video(video) if video is not None else ""
    with transaction.atomic():
        Course.objects.select_for_update().filter(pk=course.pk).first()
        if position is None:
            last = course.lessons.order_by("-position").values_list("position", flat=True).first()
            position = 0 if last is None else last + 1
        lesson = Lesson(
            course=course,
            position=position,
            title=title,
            summary=summary,
            video_link=video_link,
            documents=documents,
            minutes=minutes,
        )
        if video is not None:
            lesson.video_type = content_type
            lesson.video_size = video.size
            base = video.name.rsplit("/", 1)[-1]
            ext = base.rsplit(".", 1)[-1].lower()
            lesson.video.save(f"lesson-{position}.{ext}", video, save=False)
        lesson.save()
        audit(
            actor,
            "lesson_created",
            lesson,
            changes={"title": [None, title]},
            context={"course": course.pk, "video": content_type or ("link" if video_link else "")},
        )
    return lesson


def save_quiz(actor: Actor, course: Course, *, questions: list[dict], pass_percent: int = 60):
    """Replace the course's quiz: ``questions`` = [{"text", "multiple", "options": [{"text",
    "correct"}]}]. A single-choice question has exactly one correct option; a multiple-choice
    one at least one."""
    if not can_edit_course(actor, course):
        raise not_allowed()
    if not 1 <= int(pass_percent) <= 100:
        raise ClassroomError("bad_pass", _("The pass mark is 1–100 %."), field="pass_percent")
    if not 1 <= len(questions) <= 50:
        raise ClassroomError("bad_questions", _("Give 1–50 questions."), field="questions")
    clean = []
    for i, q in enumerate(questions):
        qtext = text(
            q.get("text"), field="questions", label=_("Question"), required=True, max_length=500
        )
        options = [
            (
                text(
                    o.get("text"),
                    field="questions",
                    label=_("Answer"),
                    required=True,
                    max_length=300,
                ),
                bool(o.get("correct")),
            )
            for o in q.get("options", [])
        ]
        right = sum(1 for _t, c in options if c)
        multiple = bool(q.get("multiple"))
        if len(options) < 2 or right < 1 or (not multiple and right != 1):
            raise ClassroomError(
                "bad_options",
                _("Question %(n)s needs at least two answers and the right number marked correct.")
                % {"n": i + 1},
                field="questions",
            )
        clean.append((qtext, multiple, options))
    with transaction.atomic():
        Course.objects.select_for_update().filter(pk=course.pk).first()
        quiz, _created = Quiz.objects.get_or_create(course=course)
        quiz.pass_percent = int(pass_percent)
        quiz.save(update_fields=["pass_percent"])
        quiz.questions.all().delete()
        for qi, (qtext, multiple, options) in enumerate(clean):
            question = Question.objects.create(
                quiz=quiz, position=qi, text=qtext, multiple=multiple
            )
            Option.objects.bulk_create(
                Option(question=question, position=oi, text=t, correct=c)
                for oi, (t, c) in enumerate(options)
            )
        audit(actor, "quiz_saved", quiz, context={"course": course.pk, "questions": len(clean)})
    return quiz


def answer_rating(actor: Actor, rating: Rating, *, answer: str) -> Rating:
    if not can_edit_course(actor, rating.course):
        raise not_allowed()
    answer = text(answer, field="answer", label=_("Answer"), required=True, max_length=2000)
    with transaction.atomic():
        locked = Rating.objects.select_for_update().get(pk=rating.pk)
        before = locked.answer
        locked.answer = answer
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answer", "answered_at"])
        audit(actor, "rating_answered", locked, changes={"answer": [before, answer]})
    return locked
