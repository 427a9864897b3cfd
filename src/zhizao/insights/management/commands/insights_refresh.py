"""``zhizao insights refresh``: rebuild the dashboards' summary tables now."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zhizao.insights.services import refresh_facts


class Command(BaseCommand):
    help = "Rebuild the dashboards' summary tables."

    def handle(self, *args, **options):
        refresh = refresh_facts()
        self.stdout.write(f"{refresh.rows} rows in {refresh.duration_ms} ms")
