"""``zhizao match reindex``: build this process's ranking index from the database (published
offerings and demands, signal counts) and save the embedding cache, so that the first page
view after a deploy or a bulk load does not embed every listing. Prints what it indexed."""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand

from zhizao.matchmaking import index


class Command(BaseCommand):
    help = "Build the matchmaking index from the database and save the embedding cache."

    def handle(self, *args, **options):
        started = time.perf_counter()
        index.reset()
        built = index.get_index(refresh=False)
        embedded = index.embed_all()
        self.stdout.write(
            json.dumps(
                {
                    "offerings": len(built),
                    "demands": built.demands.n_alive,
                    "embedder": getattr(built.embedder, "name", "none"),
                    "embedded": embedded,
                    "seconds": round(time.perf_counter() - started, 2),
                }
            )
        )
