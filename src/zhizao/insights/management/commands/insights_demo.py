"""``zhizao insights demo``: the provincial department's jurisdiction, the summary tables, the
public figures and a drafted report for the previous month (after the other demos)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhizao.insights.demo import load_insights_demo


class Command(BaseCommand):
    help = "Load the insights demo data."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is refused when ZHIZAO_ENV=production.")
        result = load_insights_demo()
        self.stdout.write(
            f"Demo insights: {result['rows']:,} summary rows, report {result['month']}"
        )
