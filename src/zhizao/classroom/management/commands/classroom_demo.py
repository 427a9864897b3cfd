"""``manage.py classroom_demo``: demo courses, live classes and learning (after the events
demo). Idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhizao.classroom.demo import load_classroom_demo


class Command(BaseCommand):
    help = "Load the cloud-classroom demo: 12 courses of 6 societies, live classes, learners."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is refused when ZHIZAO_ENV=production.")
        result = load_classroom_demo()
        if "existing" in result:
            self.stdout.write(
                f"Classroom demo: nothing to do ({result['existing']} courses exist)."
            )
            return
        if not result["ffmpeg"]:
            self.stdout.write(
                "Classroom demo: ffmpeg is not installed (Debian package ffmpeg): the lessons use "
                "external video links instead of rendered test videos."
            )
        self.stdout.write(
            "Classroom demo: {courses} courses of {societies} societies, {videos} with a video "
            "file, {live_classes} live classes, {enrolments} enrolments, {certificates} "
            "certificates.".format(**result)
        )
