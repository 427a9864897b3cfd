"""``zhizao events demo``: the World Intelligent Manufacturing Conference, in progress today
(after ``registry_demo`` and ``match_demo``). Idempotent."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhizao.events.demo import load_events_demo


class Command(BaseCommand):
    help = "Load the demo conference: programme, exhibition, participants, meetings, leads."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--exhibitors", type=int, default=150)
        parser.add_argument("--participants", type=int, default=1500)
        parser.add_argument("--requests", type=int, default=2000)

    def handle(self, *args, seed, exhibitors, participants, requests, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is refused when ZHIZAO_ENV=production.")
        started = time.monotonic()
        result = load_events_demo(
            seed=seed, exhibitors=exhibitors, participants=participants, requests=requests
        )
        if not result.get("event"):
            self.stdout.write("Events demo: nothing to do (the conference exists).")
            return
        self.stdout.write(
            f"Events demo: event #{result['event']}, {result['sessions']} sessions, "
            f"{result['speakers']} speakers, {result['booths']} booths, "
            f"{result['registrations']:,} registrations, meetings {result['meetings']}, "
            f"{result['visits']:,} booth visits, {result['leads']:,} leads, "
            f"{result['needs']} procurement needs ({time.monotonic() - started:.1f} s)"
        )
