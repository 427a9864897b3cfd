"""The classroom demo: 12 published courses of 6 societies, live classes past (with attendance)
and upcoming on the events app, the demo enterprise's staff enrolled with progress, two
certificates; a second run changes nothing. Videos need ffmpeg: without it the lessons link out."""

from __future__ import annotations

import shutil

from zhizao.classroom.demo import load_classroom_demo
from zhizao.classroom.models import Certificate, Course, Enrolment, Lesson, LiveClass
from zhizao.events.models import Attendance


def test_the_demo_loads_once(db):
    result = load_classroom_demo()
    has_ffmpeg = shutil.which("ffmpeg") is not None
    assert result == {
        "courses": 12,
        "societies": 6,
        "videos": 2 if has_ffmpeg else 0,
        "live_classes": 4,
        "enrolments": 16,
        "certificates": 2,
        "ffmpeg": has_ffmpeg,
    }
    assert Course.objects.filter(state="published").values("society").distinct().count() == 6
    assert Lesson.objects.exclude(video="").count() == (2 if has_ffmpeg else 0)
    assert Attendance.objects.filter(session__live_class__isnull=False).count() == 2 * 4
    assert LiveClass.objects.count() == 4
    assert Enrolment.objects.filter(completed_at__isnull=False).count() == 4
    assert Certificate.objects.count() == 2
    assert load_classroom_demo() == {"existing": 12}
