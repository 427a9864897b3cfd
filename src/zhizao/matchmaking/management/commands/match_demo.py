"""``zhizao match demo``: demo offerings, demands, introductions in every state and two open
challenges (after ``zhizao registry demo``). Idempotent."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from zhizao.matchmaking.demo import DEMO_SEED, load_matchmaking_demo


class Command(BaseCommand):
    help = "Load demo offerings, demands, introductions and open challenges."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEMO_SEED)
        parser.add_argument("--offerings", type=int, default=3000)
        parser.add_argument("--demands", type=int, default=2500)

    def handle(self, *args, seed: int, offerings: int, demands: int, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is refused when ZHIZAO_ENV=production.")
        started = time.monotonic()
        # the listings are embedded by the web server's background thread, not while loading
        with override_settings(ZHIZAO_MATCH_BACKGROUND_EMBEDDING=False):
            result = load_matchmaking_demo(seed=seed, offerings=offerings, demands=demands)
        if not result.get("offerings"):
            self.stdout.write(
                f"Matchmaking demo: nothing to do ({result.get('existing', 0):,} offerings exist)."
            )
            return
        made = result["introductions"]
        self.stdout.write(
            f"Matchmaking demo: {result['offerings']:,} offerings ({result['cases']:,} cases), "
            f"{result['demands']:,} demands, {sum(made.values())} introductions "
            f"({', '.join(f'{k} {v}' for k, v in made.items())}), "
            f"{result['challenges']['challenges']} challenges "
            f"({time.monotonic() - started:.1f} s)."
        )
