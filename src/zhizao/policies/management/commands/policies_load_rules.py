"""``zhizao policies load-rules [FILE ...]``: check and load policy rule files (the shipped ones
by default) into the platform: the policy, the item and one published version per version in
the file, with the file's example cases. All files are checked first; nothing is loaded if any
is wrong, and every problem is printed as ``file: message`` with exit code 1. Loading the same
files twice changes nothing; a changed rule must carry a new version number."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.utils import translation

from zhizao.policies.loading import RuleLoadError, load_rule_files


class Command(BaseCommand):
    help = "Check and load policy rule files (default: the shipped rules)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*")
        parser.add_argument("--language", default="zh-hans")

    def handle(self, *args, files: list[str], language: str, **options):
        translation.activate(language)
        try:
            report = load_rule_files(files or None)
        except RuleLoadError as exc:
            for problem in exc.problems:
                sys.stderr.write(problem + "\n")
            sys.exit(1)
        for f in report.files:
            versions = ", ".join(f"v{n} {s}" for n, s in f.versions.items())
            self.stdout.write(
                f"{f.path}: {f.item} (policy {f.policy}, item {f.item_status}; {versions})"
            )
            for note in f.notes:
                self.stdout.write(f"{f.path}: {note}")
