"""``zhizao match snapshot [--full]``: bring the ranking index snapshot up to date and save it
under ``ZHIZAO_MATCH_SNAPSHOT_DIR`` (the newest snapshot with the rows changed since it applied,
or a build from the database when there is none or with ``--full``), every listing embedded.
Web processes map the newest snapshot read-only. Prints what it did as JSON."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from zhizao.matchmaking import index


class Command(BaseCommand):
    help = "Build or update the matchmaking index snapshot that web processes map."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Build from the database.")

    def handle(self, *args, full, **options):
        self.stdout.write(json.dumps(index.build_snapshot(full=full)))
