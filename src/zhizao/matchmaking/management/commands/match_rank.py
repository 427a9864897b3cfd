"""``zhizao match rank --catalogue FILE --demands FILE [--top 10] [--variant fused]
[--language zh-hans]``

Ranks the catalogue's offerings for every demand and prints JSON lines, one per demand, in the
demands' order: ``{"demand": id, "results": [{"offering": id, "score": n, "reasons": [...]}]}``
(the contract is in docs/matching.md). Bad input: every problem on stderr as ``[3].region: …``,
exit 1; an unreadable file: exit 2.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zhizao.matchmaking.rank_cli import HELP, add_arguments, rank


class Command(BaseCommand):
    help = HELP
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, catalogue, demands, top, variant, language, no_embeddings, **options):
        rank(
            catalogue=catalogue,
            demands=demands,
            top=top,
            variant=variant,
            language=language,
            no_embeddings=no_embeddings,
        )
