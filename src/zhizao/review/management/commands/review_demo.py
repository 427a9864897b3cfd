"""``zhizao review demo``: 40 experts and an online review round in progress on this year's
双十 call (after ``zhizao calls demo``). Idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhizao.review.demo import DEMO_SEED, load_review_demo


class Command(BaseCommand):
    help = "Load demo experts and an online review round in progress."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEMO_SEED)

    def handle(self, *args, seed: int, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is refused when ZHIZAO_ENV=production.")
        result = load_review_demo(seed=seed)
        line = f"Review demo: {result['experts']} experts"
        if result.get("round"):
            line += (
                f"; round “{result['round']}” ({result['state']}): "
                f"{result['assignments']} assignments, {result['submitted']} reviews submitted"
            )
        if result.get("note"):
            line += f" ({result['note']})"
        self.stdout.write(line)
