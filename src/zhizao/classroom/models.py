"""The cloud classroom: courses of member societies with ordered lessons (an uploaded video
served with range requests, or an external link; documents), a quiz, enrolments with progress
per lesson, quiz attempts, certificates, ratings and live classes (an events ``Session``).
Fields and constraints only; every write goes through ``services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhizao.events.models import Session
from zhizao.registry.models import Organization

from .enums import CourseLevel, CourseState
from .storage import video_storage


def classroom_storage():
    """The storage of lesson videos: ``STORAGES[settings.ZHIZAO_CLASSROOM_STORAGE]``, looked up
    lazily (``storage.video_storage``)."""
    return video_storage


def video_path(instance, filename: str) -> str:
    return f"classroom/videos/{instance.course_id}/{filename}"


class Course(models.Model):
    society = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("society"),
    )
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    lecturers = models.JSONField(_("lecturers"), default=list, blank=True)
    level = models.CharField(
        _("level"), max_length=16, choices=CourseLevel.choices, default=CourseLevel.INTRODUCTORY
    )
    state = models.CharField(
        _("state"), max_length=12, choices=CourseState.choices, default=CourseState.DRAFT
    )
    # Maturity sub-domain ids (of the diagnosis models) and matchmaking category codes.
    subdomains = models.JSONField(_("maturity sub-domains"), default=list, blank=True)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    search_text = models.TextField(editable=False, default="")
    # The catalogue's title sort: hex of the GBK bytes (GBK orders common characters by pinyin).
    title_sort = models.CharField(max_length=400, editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["state", "society"])]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    video = models.FileField(
        _("video file"), storage=classroom_storage, upload_to=video_path, blank=True, max_length=300
    )
    video_type = models.CharField(max_length=40, blank=True)
    video_size = models.PositiveBigIntegerField(default=0)
    video_link = models.URLField(_("external video link"), max_length=500, blank=True)
    documents = models.JSONField(_("documents (links)"), default=list, blank=True)
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=0)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["course_id", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Quiz(models.Model):
    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="quiz")
    pass_percent = models.PositiveSmallIntegerField(_("pass mark (%)"), default=60)

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return f"{self.course_id}: quiz"


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=500)
    multiple = models.BooleanField(_("several answers"), default=False)

    class Meta:
        ordering = ["quiz_id", "position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("answer"), max_length=300)
    correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["question_id", "position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    # The organisation the learner enrolled for (its managers see the progress).
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="enrolments", null=True
    )
    created_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="classroom_enrol_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.course_id}"


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    position_seconds = models.PositiveIntegerField(default=0)
    completed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="classroom_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.lesson_id}: {self.position_seconds}s"


class QuizAttempt(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)
    passed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.score}/{self.total}"


class Certificate(models.Model):
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(_("verification code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=100)
    course_title = models.CharField(_("course"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    issued_on = models.DateField(_("date"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="classroom_certificate_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.course_title}"


class Rating(models.Model):
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="rating")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="ratings")
    stars = models.PositiveSmallIntegerField(_("stars"))
    comment = models.TextField(_("comment"), blank=True)
    answer = models.TextField(_("the society's answer"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="classroom_stars_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course_id}: {self.stars}★"


class LiveClass(models.Model):
    """A live class of a course: an events ``Session`` (registration and attendance are the
    events app's) with the online link and, afterwards, the recording."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="live_classes")
    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="live_class")
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    recording_link = models.URLField(_("recording link"), max_length=500, blank=True)
    recording_lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("live class")
        verbose_name_plural = _("live classes")

    def __str__(self) -> str:
        return f"{self.course_id} · {self.session_id}"
