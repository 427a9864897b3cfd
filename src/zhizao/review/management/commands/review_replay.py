"""``zhizao review replay ROUND_ID``: run a round's stored random draw again from its stored
problem, seed and cap, and say whether the same draw comes out (exit 0 same, 1 different or
not a draw)."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from zhizao.review.models import ReviewRound
from zhizao.review.selectors import replay_draw


class Command(BaseCommand):
    help = "Replay a round's stored random draw and compare it with the stored one."

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)

    def handle(self, *args, round_id: int, **options):
        review_round = ReviewRound.objects.filter(pk=round_id).first()
        if review_round is None:
            sys.stderr.write(f"没有编号为 {round_id} 的评审轮次\n")
            sys.exit(1)
        replay = replay_draw(review_round)
        if not replay["replayable"]:
            sys.stderr.write("该轮次最近一次分配不是随机抽取，无法重放\n")
            sys.exit(1)
        self.stdout.write(
            json.dumps(
                {k: str(v) if k == "cap" else v for k, v in replay.items()}, ensure_ascii=False
            )
        )
        if not replay["same"]:
            sys.stderr.write("重放结果与保存的抽取结果不同\n")
            sys.exit(1)
