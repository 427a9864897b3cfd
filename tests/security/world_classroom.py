"""The classroom part of the security world: the member society (``society``) publishes
``course`` (a WebM video lesson ``lesson``, a text lesson, a one-question quiz); enterprise A
(``ent_a``) is enrolled, completed it and holds ``certificate``; its rating ``rating`` is
unanswered; ``live`` is a live class held yesterday without its recording. B, provider, bank, expert and officer are enrolled in nothing."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhizao.classroom import services

VIDEO = b"\x1a\x45\xdf\xa3" + b"\x00" * 60


def build_classroom_world(o: dict, actor: dict, society) -> None:
    soc = actor["society"]
    course = services.create_course(
        soc, society, title="安全表机器人课程", level="introductory", subdomains=["data-management"]
    )
    o["lesson"] = services.add_lesson(
        soc,
        course,
        title="安全表视频课",
        minutes=1,
        video=SimpleUploadedFile("v.webm", VIDEO, content_type="video/webm"),
    )
    text = services.add_lesson(soc, course, title="安全表文字课", minutes=5)
    quiz = services.save_quiz(
        soc,
        course,
        questions=[
            {"text": "安全表问题", "options": [{"text": "对", "correct": True}, {"text": "错"}]}
        ],
    )
    o["course"] = services.set_course_state(soc, course, "published")
    ent = actor["ent_a"]
    enrolment = services.enrol(ent, o["course"])
    services.save_progress(ent, enrolment, o["lesson"], position_seconds=60)
    services.save_progress(ent, enrolment, text, position_seconds=0, completed=True)
    question = quiz.questions.get()
    o["quiz_answers"] = {f"q{question.pk}": [question.options.get(correct=True).pk]}
    services.submit_quiz(ent, enrolment, {question.pk: [question.options.get(correct=True).pk]})
    enrolment.refresh_from_db()
    o["certificate"] = services.issue_certificate(ent, enrolment)
    o["rating"] = services.rate_course(ent, enrolment, stars=4, comment="安全表评价")
    # a live class held yesterday, its recording not attached yet
    day = timezone.localdate() - dt.timedelta(days=1)
    o["live"] = services.schedule_live_class(
        soc,
        o["course"],
        title="安全表直播课",
        starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(19, 0))),
        ends_at=timezone.make_aware(dt.datetime.combine(day, dt.time(20, 0))),
    )
