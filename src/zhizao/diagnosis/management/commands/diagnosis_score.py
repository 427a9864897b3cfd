"""``zhizao diagnosis score --model FILE --answers FILE``

Scores an answers file against a model file and prints the result as JSON (scores as decimal
strings: ``score`` rounded half-up to 2 places, level and node scores to 4). No database is
needed. Bad input: every problem is printed to stderr as ``place: message`` and the exit
status is 1 (2 when a file cannot be read).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation

from zhizao.diagnosis.loading import parse_model_file
from zhizao.diagnosis.messages import problem_text, reason_text
from zhizao_core.diagnosis import ModelError, Problem, score_file


class Command(BaseCommand):
    help = "Score an answers file against a maturity model file and print JSON."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--model", required=True, help="Model file (.yaml or .json).")
        parser.add_argument("--answers", required=True, help="Answers file (.json).")
        parser.add_argument(
            "--language", default="zh-hans", help="Language of messages and explanation texts."
        )

    def handle(self, *args, model: str, answers: str, language: str, **options):
        translation.activate(language)
        try:
            parsed, _data, _sha = parse_model_file(Path(model))
        except ModelError as exc:
            return self._fail(exc.problems, 1 if Path(model).is_file() else 2)
        path = Path(answers)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            return self._fail([Problem(path.name, "file_unreadable", {"detail": exc.strerror})], 2)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return self._fail([Problem(path.name, "file_unreadable", {"detail": str(exc)})], 1)
        try:
            result = score_file(parsed, data)
        except ModelError as exc:
            return self._fail(exc.problems, 1)
        out = result.as_json(parsed)
        for step in out["explanation"]:
            if step["step"] == "level":
                step["text"] = f"L{step['level']} = {step['score']}: {reason_text(step['reason'])}"
            else:
                step["text"] = f"S = {' + '.join(step['terms']) or '0'} = {step['score']}"
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return None

    def _fail(self, problems, status: int):
        for problem in problems:
            sys.stderr.write(problem_text(problem) + "\n")
        sys.exit(status)
