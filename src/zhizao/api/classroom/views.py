"""Classroom API: the catalogue and a course, a lesson (for its learners), the caller's
enrolments (enrol, progress, the quiz marked on the server), a course's live classes, the
caller's certificates and the public check of a certificate by its code (name, course, date,
valid — nothing else). The same access rules (``zhizao.classroom.access``) and services as
the pages; another user's enrolment is a 404."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny

from zhizao.classroom import access, selectors, services
from zhizao.classroom.models import Certificate
from zhizao.common.validators import validate_search_query
from zhizao_core.learning import format_code, normalize_code

from ..common import (
    ApiOperation,
    ErrorSerializer,
    IdField,
    IsoDateTimeField,
    actor,
    paged,
    paginated,
    parse,
    respond,
)

TAGS = ["classroom"]
ERRORS = {400: ErrorSerializer}


# --- serializers ----------------------------------------------------------------------------


class ClassroomLessonItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    position = serializers.IntegerField()
    title = serializers.CharField()
    minutes = serializers.IntegerField()


class ClassroomCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    summary = serializers.CharField()
    society = serializers.CharField(source="society.name")
    lecturers = serializers.ListField(child=serializers.CharField())
    level = serializers.CharField()
    state = serializers.CharField()
    published_at = IsoDateTimeField(allow_null=True)


class ClassroomCourseDetailSerializer(ClassroomCourseSerializer):
    lessons = ClassroomLessonItemSerializer(many=True, source="lesson_list")


class ClassroomCourseQuery(serializers.Serializer):
    q = serializers.CharField(
        required=False, max_length=100, allow_blank=True, validators=[validate_search_query]
    )


class ClassroomLessonSerializer(ClassroomLessonItemSerializer):
    course = serializers.IntegerField(source="course_id")
    summary = serializers.CharField()
    video_url = serializers.SerializerMethodField()
    video_link = serializers.CharField()
    documents = serializers.ListField(child=serializers.CharField())
    resume_position = serializers.IntegerField(help_text="Seconds saved for the caller")

    def get_video_url(self, obj) -> str:
        return reverse("classroom:lesson_video", args=[obj.pk]) if obj.video else ""


class ClassroomProgressSerializer(serializers.Serializer):
    lessons_total = serializers.IntegerField()
    lessons_completed = serializers.IntegerField()
    percent = serializers.IntegerField()
    hours = serializers.CharField()
    quiz_required = serializers.BooleanField()
    quiz_passed = serializers.BooleanField()
    complete = serializers.BooleanField()
    resume_lesson = serializers.IntegerField(source="resume_lesson_id", allow_null=True)
    resume_position = serializers.IntegerField()
    explanation = serializers.CharField()


class ClassroomEnrolmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    course = serializers.IntegerField(source="course_id")
    course_title = serializers.CharField(source="course.title")
    created_at = IsoDateTimeField()
    completed_at = IsoDateTimeField(allow_null=True)
    hours = serializers.CharField()


class ClassroomEnrolmentDetailSerializer(ClassroomEnrolmentSerializer):
    progress = ClassroomProgressSerializer(source="course_progress")


class ClassroomProgressInputSerializer(serializers.Serializer):
    lesson = IdField(required=True)
    position_seconds = serializers.IntegerField(min_value=0, max_value=24 * 3600)
    completed = serializers.BooleanField(required=False, default=False)


class ClassroomSavedProgressSerializer(serializers.Serializer):
    lesson = serializers.IntegerField(source="lesson_id")
    position_seconds = serializers.IntegerField()
    completed = serializers.BooleanField()


class ClassroomOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()


class ClassroomQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()
    multiple = serializers.BooleanField()
    options = ClassroomOptionSerializer(many=True, source="options.all")


class ClassroomQuizSerializer(serializers.Serializer):
    pass_percent = serializers.IntegerField()
    questions = ClassroomQuestionSerializer(many=True, source="questions.all")


class ClassroomAnswerSerializer(serializers.Serializer):
    question = IdField(required=True)
    options = serializers.ListField(child=IdField(required=True), max_length=50)


class ClassroomQuizInputSerializer(serializers.Serializer):
    answers = ClassroomAnswerSerializer(many=True, max_length=200)


class ClassroomQuizResultSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    total = serializers.IntegerField()
    passed = serializers.BooleanField()
    explanation = serializers.CharField()
    course_completed = serializers.BooleanField()


class ClassroomLiveClassSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField(source="session.title")
    starts_at = IsoDateTimeField(source="session.starts_at")
    ends_at = IsoDateTimeField(source="session.ends_at")
    event = serializers.IntegerField(source="session.event_id")
    online_link = serializers.CharField(
        source="visible_link",
        help_text="Empty unless the caller may join (approved registration, the course's editors)",
    )
    recording_link = serializers.CharField()
    recording_lesson = serializers.IntegerField(source="recording_lesson_id", allow_null=True)


class ClassroomJoinSerializer(serializers.Serializer):
    online_link = serializers.CharField(help_text="Where the class is held; attendance recorded")


class ClassroomCertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.SerializerMethodField()
    name = serializers.CharField()
    course = serializers.IntegerField(source="course_id")
    course_title = serializers.CharField()
    hours = serializers.CharField()
    issued_on = serializers.DateField()
    valid = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    def get_code(self, obj) -> str:
        return format_code(obj.code)

    def get_valid(self, obj) -> bool:
        return obj.revoked_at is None

    def get_pdf_url(self, obj) -> str:
        return reverse("classroom:certificate_pdf", args=[obj.pk])


class ClassroomVerifyQuery(serializers.Serializer):
    code = serializers.CharField(max_length=40)


class ClassroomVerifySerializer(serializers.Serializer):
    found = serializers.BooleanField()
    name = serializers.CharField()
    course = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    valid = serializers.BooleanField()


# --- operations -----------------------------------------------------------------------------


def _own_enrolment(request, pk):
    return access.access_own_enrolment(request.membership, pk)


class CourseListApi(ApiOperation):
    @extend_schema(
        parameters=[ClassroomCourseQuery],
        responses={200: paginated(ClassroomCourseSerializer), **ERRORS},
        summary="Courses the caller may see (published; a society also its drafts), newest first",
        operation_id="classroom_courses_list",
        tags=TAGS,
    )
    def get(self, request):
        query = parse(ClassroomCourseQuery, request.query_params)
        courses = selectors.catalogue(access.courses_for(request.membership), query.get("q", ""))
        return paged(request, self, courses, ClassroomCourseSerializer)


class CourseDetailApi(ApiOperation):
    @extend_schema(
        responses=ClassroomCourseDetailSerializer,
        summary="One course with its lessons' titles",
        operation_id="classroom_course_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        course = access.access_course(request.membership, pk)
        course.lesson_list = list(course.lessons.order_by("position", "id"))
        return respond(ClassroomCourseDetailSerializer, course)


class LessonDetailApi(ApiOperation):
    @extend_schema(
        responses=ClassroomLessonSerializer,
        summary="A lesson (its learners and editors): video, documents, the caller's position",
        operation_id="classroom_lesson_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        lesson = access.access_lesson(request.membership, pk)
        enrolment = access.enrolment_of(request.membership, lesson.course)
        lesson.resume_position = selectors.position_in(enrolment, lesson)
        return respond(ClassroomLessonSerializer, lesson)


class EnrolApi(ApiOperation):
    @extend_schema(
        request=None,
        responses={201: ClassroomEnrolmentSerializer, **ERRORS},
        summary="Enrol the caller in a published course, for its organisation",
        operation_id="classroom_enrolment_create",
        tags=TAGS,
    )
    def post(self, request, pk):
        course = access.access_course(request.membership, pk)
        enrolment = services.enrol(actor(request), course)
        return respond(ClassroomEnrolmentSerializer, enrolment, status_code=status.HTTP_201_CREATED)


class EnrolmentListApi(ApiOperation):
    @extend_schema(
        responses={200: paginated(ClassroomEnrolmentSerializer), **ERRORS},
        summary="The caller's enrolments, newest first",
        operation_id="classroom_enrolments_list",
        tags=TAGS,
    )
    def get(self, request):
        enrolments = (
            access.own_enrolments(request.membership)
            .select_related("course")
            .order_by("-created_at", "-id")
        )
        return paged(request, self, enrolments, ClassroomEnrolmentSerializer)


class EnrolmentDetailApi(ApiOperation):
    @extend_schema(
        responses=ClassroomEnrolmentDetailSerializer,
        summary="One of the caller's enrolments with its progress and where to resume",
        operation_id="classroom_enrolment_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        enrolment = _own_enrolment(request, pk)
        enrolment.course_progress = selectors.progress_of(enrolment)
        return respond(ClassroomEnrolmentDetailSerializer, enrolment)


class ProgressApi(ApiOperation):
    @extend_schema(
        request=ClassroomProgressInputSerializer,
        responses={200: ClassroomSavedProgressSerializer, **ERRORS},
        summary="Save the caller's position in a lesson of the enrolment (and completion)",
        operation_id="classroom_progress_save",
        tags=TAGS,
    )
    def post(self, request, pk):
        enrolment = _own_enrolment(request, pk)
        values = parse(ClassroomProgressInputSerializer, request.data)
        lesson = enrolment.course.lessons.filter(pk=values["lesson"]).first()
        if lesson is None:
            raise Http404
        progress = services.save_progress(
            actor(request),
            enrolment,
            lesson,
            position_seconds=values["position_seconds"],
            completed=values["completed"],
        )
        return respond(ClassroomSavedProgressSerializer, progress)


class QuizApi(ApiOperation):
    @extend_schema(
        responses=ClassroomQuizSerializer,
        summary="The course's quiz for the enrolment (questions and options, not the answers)",
        operation_id="classroom_quiz_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        enrolment = _own_enrolment(request, pk)
        quiz = getattr(enrolment.course, "quiz", None)
        if quiz is None:
            raise Http404
        return respond(ClassroomQuizSerializer, quiz)

    @extend_schema(
        request=ClassroomQuizInputSerializer,
        responses={200: ClassroomQuizResultSerializer, **ERRORS},
        summary="Submit the answers; the server marks them (a pass may complete the course)",
        operation_id="classroom_quiz_submit",
        tags=TAGS,
    )
    def post(self, request, pk):
        enrolment = _own_enrolment(request, pk)
        values = parse(ClassroomQuizInputSerializer, request.data)
        answers = {a["question"]: list(a["options"]) for a in values["answers"]}
        attempt = services.submit_quiz(actor(request), enrolment, answers)
        enrolment.refresh_from_db(fields=["completed_at"])
        return respond(
            ClassroomQuizResultSerializer,
            {
                "score": attempt.score,
                "total": attempt.total,
                "passed": attempt.passed,
                "explanation": attempt.result.explanation,
                "course_completed": enrolment.completed_at is not None,
            },
        )


class LiveClassListApi(ApiOperation):
    @extend_schema(
        responses=ClassroomLiveClassSerializer(many=True),
        summary="The course's live classes, soonest first (registration: the events API)",
        operation_id="classroom_live_classes_list",
        tags=TAGS,
    )
    def get(self, request, pk):
        course = access.access_course(request.membership, pk)
        lives = list(
            course.live_classes.select_related("session").order_by("session__starts_at", "id")
        )
        for live in lives:
            live.course = course
        joinable = access.joinable_live_ids(request.membership, lives)
        for live in lives:
            live.visible_link = live.online_link if live.pk in joinable else ""
        return respond(ClassroomLiveClassSerializer, lives, many=True)


class CertificateListApi(ApiOperation):
    @extend_schema(
        responses={200: paginated(ClassroomCertificateSerializer), **ERRORS},
        summary="The caller's own certificates, newest first",
        operation_id="classroom_certificates_list",
        tags=TAGS,
    )
    def get(self, request):
        mine = access.certificates_for(request.membership).filter(
            user_id=request.membership.user_id
        )
        return paged(
            request, self, mine.order_by("-issued_on", "-id"), ClassroomCertificateSerializer
        )


class CertificateVerifyApi(ApiOperation):
    """Public: anyone holding a code may check it."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[ClassroomVerifyQuery],
        responses={200: ClassroomVerifySerializer, **ERRORS},
        summary="Check a certificate by its code: name, course, date and whether it is valid",
        operation_id="classroom_certificate_verify",
        tags=TAGS,
        auth=[],
    )
    def get(self, request):
        code = normalize_code(parse(ClassroomVerifyQuery, request.query_params)["code"])
        found = (
            Certificate.objects.filter(code=code)
            .only("name", "course_title", "issued_on", "revoked_at")
            .first()
        )
        return respond(
            ClassroomVerifySerializer,
            {
                "found": found is not None,
                "name": found.name if found else "",
                "course": found.course_title if found else "",
                "date": found.issued_on if found else None,
                "valid": found is not None and found.revoked_at is None,
            },
        )


class LiveClassJoinApi(ApiOperation):
    @extend_schema(
        request=None,
        responses={200: ClassroomJoinSerializer, **ERRORS},
        summary=(
            "Join a live class: the caller's approved registration, from 15 minutes before the"
            " start to the end; attendance recorded once, the online link returned"
        ),
        operation_id="classroom_live_class_join",
        tags=TAGS,
    )
    def post(self, request, pk):
        live = access.access_live_class(request.membership, pk)
        url = services.join_live_class(actor(request), live)
        return respond(ClassroomJoinSerializer, {"online_link": url})
