"""``manage.py calls_demo``: demo calls (after the registry, diagnosis and policies demos).
Idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhizao.calls.demo import load_calls_demo


class Command(BaseCommand):
    help = "Load demo calls: this year's 双十, a smart-factory 公示, two past catalogues."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is refused when ZHIZAO_ENV=production.")
        result = load_calls_demo()
        if "existing" in result:
            self.stdout.write(f"Calls demo: nothing to do ({result['existing']} calls exist).")
            return
        self.stdout.write(
            "Calls demo: {calls} calls, {applications} applications this year, {nominated} "
            "nominated ({refused} refused beyond quota), {returned} returned for correction, "
            "{publicity} in the smart-factory 公示.".format(**result)
        )
