"""``zhizao diagnosis demo``: load the shipped models, demo assessments and a running
campaign (after ``zhizao registry demo``). Idempotent."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhizao.diagnosis.demo import load_demo_assessments


class Command(BaseCommand):
    help = "Load demo maturity assessments and a running diagnosis campaign."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=20261123)

    def handle(self, *args, seed: int, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is refused when ZHIZAO_ENV=production.")
        started = time.monotonic()
        result = load_demo_assessments(seed=seed)
        self.stdout.write(
            f"Demo assessments: {result.get('created', 0):,} created "
            f"({time.monotonic() - started:.1f} s)."
        )
