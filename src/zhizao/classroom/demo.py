"""Demo data for the cloud classroom: 12 courses from 6 member societies (the demo society and
five of the calls demo's), two of them with a real 6-second 320×180 WebM test pattern rendered by
ffmpeg (Debian's package; without it the demo says so and uses external links), quizzes, live
classes past (with attendance) and upcoming through the events app, enrolments and progress for
the demo enterprise's staff, two certificates. Everything through the services; idempotent."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from zhizao.accounts.demo import DEMO_PASSWORD, _fixed_org, _organization_for, ensure_demo_accounts
from zhizao.accounts.enums import Role
from zhizao.accounts.models import Membership, User
from zhizao.common.audit import Actor
from zhizao.events import services as events

from . import services
from .models import Course

SOCIETIES = [
    ("江苏省机械工程学会", 991000),
    ("江苏省自动化学会", 991001),
    ("江苏省仪器仪表学会", 991002),
    ("江苏省电子学会", 991003),
    ("江苏省人工智能学会", 991005),
]
# (title, sub-domains of the CMMM model, matchmaking categories, level)
COURSES = [
    ("工业机器人离线编程与仿真", ["manufacturing-equipment"], ["industrial_robot"], "introductory"),
    ("数字孪生车间建模入门", ["system-integration"], [], "intermediate"),
    ("车间数据采集与边缘计算", ["data-management"], [], "introductory"),
    ("MES 选型与实施要点", ["system-integration"], [], "intermediate"),
    ("设备预测性维护实践", ["equipment-maintenance"], [], "advanced"),
    ("机器视觉质量检测", ["production-operations"], ["machine_vision"], "intermediate"),
    ("工业网络与信息安全基础", ["information-security", "industrial-network"], [], "introductory"),
    ("智能制造人才培养体系", ["personnel-skills"], [], "introductory"),
    ("企业数字化转型战略规划", ["organization-strategy"], [], "introductory"),
    ("APS 高级排产原理", ["planning-scheduling"], [], "advanced"),
    ("能源管理与双碳", ["energy-management"], [], "intermediate"),
    ("工业 AI 大模型应用", ["data-management"], [], "advanced"),
]
STAFF = [("learner1", "陈工"), ("learner2", "刘工"), ("learner3", "吴工")]


def _actor(org, role, user=None) -> Actor:
    return Actor(
        user=user,
        organization_id=org.pk,
        organization_name=org.name,
        role=role,
        extra={"source": "demo"},
    )


def _user_actor(user, org, role=Role.ENTERPRISE) -> Actor:
    return _actor(org, role, user)


def render_test_video(seconds: int = 6) -> bytes | None:
    """A WebM test pattern (lavfi testsrc, no text), or None without ffmpeg."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "pattern.webm"
        subprocess.run(  # noqa: S603 (fixed arguments)
            [
                ffmpeg,
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                f"testsrc=size=320x180:rate=25:duration={seconds}",
                "-c:v",
                "libvpx",
                "-b:v",
                "200k",
                "-y",
                str(out),
            ],
            check=True,
            timeout=120,
        )
        return out.read_bytes()


def _staff(enterprise) -> list[User]:
    users = list(User.objects.filter(username="enterprise"))
    for username, name in STAFF:
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, organization=enterprise, role=Role.ENTERPRISE)
        users.append(user)
    return users


def load_classroom_demo(*, now: dt.datetime | None = None) -> dict:
    if Course.objects.exists():
        return {"existing": Course.objects.count()}
    now = now or timezone.now()
    ensure_demo_accounts()
    societies = [_organization_for("society")] + [
        _fixed_org(name, "society", "320102", serial) for name, serial in SOCIETIES
    ]
    society_user = User.objects.get(username="society")
    operator_org = _organization_for("platform")
    operator = _actor(operator_org, Role.OPERATOR, User.objects.get(username="operator"))
    video = render_test_video()
    enterprise = _organization_for("manufacturer")
    with transaction.atomic():
        staff = _staff(enterprise)
        courses = []
        for i, (title, subs, cats, level) in enumerate(COURSES):
            society = societies[i % len(societies)]
            actor = (
                _actor(society, Role.SOCIETY, society_user) if i % len(societies) == 0 else operator
            )
            course = services.create_course(
                actor,
                society,
                title=title,
                summary=f"{society.name}面向制造企业的“{title}”课程：原理、案例与实施步骤。",
                lecturers=[f"{society.name[3:5]}专家组"],
                level=level,
                subdomains=subs,
                categories=cats,
            )
            first = {"title": "第一讲 概念与案例", "minutes": 1 if i < 2 else 20}
            if i < 2 and video is not None:
                first["video"] = SimpleUploadedFile(
                    f"course-{i + 1}.webm", video, content_type="video/webm"
                )
            else:
                first["video_link"] = f"https://www.example.org/imac/course-{i + 1}"
            services.add_lesson(actor, course, **first)
            services.add_lesson(
                actor,
                course,
                title="第二讲 实施步骤",
                minutes=25,
                documents=[f"https://www.example.org/imac/course-{i + 1}/slides.pdf"],
            )
            services.save_quiz(
                actor,
                course,
                pass_percent=60,
                questions=[
                    {
                        "text": f"“{title}”首先要做什么？",
                        "options": [
                            {"text": "梳理现状与目标", "correct": True},
                            {"text": "直接采购设备"},
                        ],
                    },
                    {
                        "text": "哪些属于实施要点？",
                        "multiple": True,
                        "options": [
                            {"text": "数据基础", "correct": True},
                            {"text": "人员培训", "correct": True},
                            {"text": "忽略安全"},
                        ],
                    },
                ],
            )
            courses.append(services.set_course_state(actor, course, "published"))
        # live classes: one past (with attendance) and one upcoming, in the first two courses
        lives = []
        for i, course in enumerate(courses[:2]):
            actor = _actor(course.society, Role.SOCIETY, society_user) if i == 0 else operator
            for days, label in ((-7, "直播回顾"), (7, "直播答疑")):
                start = (now + dt.timedelta(days=days)).replace(
                    hour=11, minute=0, second=0, microsecond=0
                )
                live = services.schedule_live_class(
                    actor,
                    course,
                    title=f"{label}：{course.title}",
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=1),
                    online_url="https://meeting.example.org/imac",
                    capacity=200,
                )
                lives.append((actor, live, days < 0))
        registrations = {}
        for actor, live, past in lives:
            event = live.session.event
            for user in staff:
                key = (event.pk, user.pk)
                if key not in registrations:
                    registrations[key] = events.register(
                        _user_actor(user, enterprise),
                        event,
                        kind="visitor",
                        organization=enterprise,
                    )
                if past:
                    events.record_attendance(
                        actor,
                        live.session,
                        badge_code=registrations[key].badge_code,
                        now=live.session.starts_at + dt.timedelta(minutes=5),
                    )
        # enrolments and progress
        certificates = 0
        enrolments = 0
        for n, user in enumerate(staff):
            learner = _user_actor(user, enterprise)
            for course in courses[n : n + 4]:
                enrolment = services.enrol(learner, course)
                enrolments += 1
                lessons = list(course.lessons.order_by("position"))
                services.save_progress(learner, enrolment, lessons[0], position_seconds=50)
                if course in courses[n : n + 2] and n < 2:
                    services.save_progress(
                        learner, enrolment, lessons[0], position_seconds=60, completed=True
                    )
                    services.save_progress(
                        learner, enrolment, lessons[1], position_seconds=0, completed=True
                    )
                    quiz = course.quiz
                    answers = {
                        q.pk: [o.pk for o in q.options.all() if o.correct]
                        for q in quiz.questions.prefetch_related("options")
                    }
                    services.submit_quiz(learner, enrolment, answers)
                    enrolment.refresh_from_db()
                    if n == 0 and course == courses[0]:
                        services.issue_certificate(learner, enrolment)
                        certificates += 1
                    elif n == 1 and course == courses[1]:
                        services.issue_certificate(learner, enrolment)
                        certificates += 1
                    services.rate_course(learner, enrolment, stars=5 - n, comment="案例实用")
    return {
        "courses": len(courses),
        "societies": len(societies),
        "videos": 2 if video is not None else 0,
        "live_classes": len(lives),
        "enrolments": enrolments,
        "certificates": certificates,
        "ffmpeg": video is not None,
    }
