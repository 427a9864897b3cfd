"""``zhizao policies demo``: the shipped rules as published policies, a few thousand demo
transformation projects with loans, recognitions, credit records, the demo enterprise's own
projects, two proactive scans with an announced name list, confirmations and staged payments
(after ``zhizao registry demo``). Idempotent."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhizao.policies.demo import load_policy_demo


class Command(BaseCommand):
    help = "Load demo policies, projects, scans, a name list and payments."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=20261123)

    def handle(self, *args, seed: int, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is refused when ZHIZAO_ENV=production.")
        started = time.monotonic()
        result = load_policy_demo(seed=seed)
        self.stdout.write(
            f"Demo policies: {result.get('projects', 0):,} projects, {result.get('loans', 0):,} "
            f"loans, {result.get('recognitions', 0):,} recognitions, "
            f"{result.get('credit_records', 0):,} credit records, {result.get('scans', 0)} scans, "
            f"{result.get('confirmed', 0)} confirmations, {result.get('payments', 0)} payments "
            f"({time.monotonic() - started:.1f} s)."
        )
