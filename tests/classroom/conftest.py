"""Shared fixtures for the classroom tests: two member societies (A with a published course of
two lessons — a 6-byte-header WebM video and a text lesson — and a two-question quiz; B with
nothing), the enterprise ``enterprise_user`` of 无锡恒润精密机械有限公司 with a colleague, and
another enterprise. Videos are stored in a per-test folder."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import PASSWORD, actor_for, make_organization, make_user
from zhizao.accounts.enums import Role
from zhizao.classroom import services

# A WebM starts with the EBML magic; the rest is filler whose bytes the range tests check.
VIDEO_BYTES = b"\x1a\x45\xdf\xa3" + bytes(range(256)) * 4


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def webm(name="intro.webm", data=VIDEO_BYTES):
    return SimpleUploadedFile(name, data, content_type="video/webm")


@pytest.fixture(autouse=True)
def _classroom_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "classroom": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "classroom")},
        },
    }


@pytest.fixture
def society_a(db):
    return make_organization(
        name="江苏省机械工程学会", kind="society", region="320102", industry=None
    )


@pytest.fixture
def society_b(db):
    return make_organization(
        name="江苏省自动化学会", kind="society", region="320102", industry=None
    )


@pytest.fixture
def society_a_user(society_a):
    return make_user("society_a", role=Role.SOCIETY, organization=society_a)


@pytest.fixture
def society_b_user(society_b):
    return make_user("society_b", role=Role.SOCIETY, organization=society_b)


@pytest.fixture
def colleague(factory_org):
    return make_user(
        "colleague", role=Role.ENTERPRISE, organization=factory_org, display_name="陈工"
    )


@dataclass
class World:
    course: object
    video_lesson: object
    text_lesson: object
    quiz: object


@pytest.fixture
def world(society_a_user, society_a) -> World:
    actor = actor_for(society_a_user)
    course = services.create_course(
        actor,
        society_a,
        title="工业机器人应用与编程入门",
        summary="面向制造企业的机器人选型、示教编程与安全。",
        lecturers=["张教授"],
        level="introductory",
        subdomains=["data-management"],
        categories=["industrial_robot"],
    )
    video_lesson = services.add_lesson(actor, course, title="机器人基础", minutes=10, video=webm())
    text_lesson = services.add_lesson(
        actor, course, title="安全规范", minutes=20, documents=["https://example.org/safety.pdf"]
    )
    quiz = services.save_quiz(
        actor,
        course,
        pass_percent=50,
        questions=[
            {
                "text": "示教器的作用是？",
                "options": [{"text": "编程与操作", "correct": True}, {"text": "供电"}],
            },
            {
                "text": "哪些属于安全措施？",
                "multiple": True,
                "options": [
                    {"text": "安全围栏", "correct": True},
                    {"text": "急停按钮", "correct": True},
                    {"text": "加快速度"},
                ],
            },
        ],
    )
    services.set_course_state(actor, course, "published")
    course.refresh_from_db()
    return World(course, video_lesson, text_lesson, quiz)


def right_answers(quiz) -> dict:
    return {
        q.pk: [o.pk for o in q.options.all() if o.correct]
        for q in quiz.questions.prefetch_related("options")
    }
