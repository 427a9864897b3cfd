"""``zhizao diagnosis load-models [FILE ...]``: validate and load maturity model files (the
shipped ones by default). All files are checked first; nothing is loaded if any is wrong, and
every problem is printed as ``file: place: message``. Loading the same file twice is a no-op;
a changed file must carry a new version."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation

from zhizao.diagnosis.loading import shipped_model_files
from zhizao.diagnosis.messages import problem_text
from zhizao.diagnosis.services import load_model_files
from zhizao_core.diagnosis import ModelError


class Command(BaseCommand):
    help = "Validate and load maturity model files (default: the shipped models)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*")
        parser.add_argument("--language", default="zh-hans")

    def handle(self, *args, files: list[str], language: str, **options):
        translation.activate(language)
        paths = [Path(f) for f in files] if files else shipped_model_files()
        try:
            outcomes = load_model_files(paths)
        except ModelError as exc:
            for problem in exc.problems:
                sys.stderr.write(problem_text(problem) + "\n")
            sys.exit(1)
        for o in outcomes:
            self.stdout.write(f"{o.path}: {o.key} {o.version} {o.status} ({o.requirements})")
