"""``zhizao policies evaluate --facts FILE [--item ID ...] [--as-of YYYY-MM-DD]``

Evaluates policy items on a facts file and prints JSON lines, one per enterprise or project and
item (the contract is in docs/policy-rules.md). The items are the shipped rule files, overlaid
by the versions published in the platform's database when one is reachable, plus any
``--rules FILE``. The explanations name places, industries and project kinds (read from the
registry's reference files, so no database is needed), with their codes kept beside. Bad facts:
every problem on stderr as ``place: message``, exit 1; an unknown item: exit 1; an unreadable
file: exit 2.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils import timezone, translation

from zhizao.policies import engine
from zhizao.policies.models import PolicyItemVersion
from zhizao_core.policy import FactsError, RuleError, evaluate, parse_facts
from zhizao_core.policy.phrases import problem_text


class Command(BaseCommand):
    help = "Evaluate policy items on a facts file and print JSON lines."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument(
            "--facts", required=True, help="Facts file (.json): a list of enterprises."
        )
        parser.add_argument(
            "--item",
            action="append",
            default=None,
            help="Item id; repeat for several (default: all).",
        )
        parser.add_argument(
            "--as-of",
            default=None,
            help="Date deciding which rule versions apply (default: today).",
        )
        parser.add_argument(
            "--rules",
            action="append",
            default=[],
            help="Extra rule file (.yaml/.json); replaces a shipped item of the same id.",
        )
        parser.add_argument(
            "--no-database",
            action="store_true",
            help="Use only the rule files, not the items published in the database.",
        )
        parser.add_argument(
            "--language",
            default="zh-hans",
            help="Language of messages and explanations (zh-hans or en).",
        )

    def handle(self, *args, facts, item, as_of, rules, no_database, language, **options):
        translation.activate(language)
        lang = "en" if language.startswith("en") else "zh"
        try:
            day = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            self._fail([f"--as-of: {problem_text('bad_date', {'value': as_of}, lang)}"], 1)
        catalogue = engine.shipped_catalogue()
        if not no_database:
            try:
                stored = engine.stored_catalogue(
                    PolicyItemVersion.objects.select_related("item").filter(
                        state__in=("published", "superseded")
                    )
                )
            except DatabaseError:
                stored = {}
            catalogue.update(stored)
        for path in rules:
            try:
                rule_file = engine.read_rule_file(Path(path))
            except OSError as exc:
                self._fail(
                    [f"{path}: {problem_text('file_unreadable', {'detail': exc.strerror}, lang)}"],
                    2,
                )
            except RuleError as exc:
                self._fail([f"{path}: {p.text(lang)}" for p in exc.problems], 1)
            except Exception as exc:  # a YAML syntax error names its line
                self._fail(
                    [f"{path}: {problem_text('file_unreadable', {'detail': str(exc)}, lang)}"], 1
                )
            catalogue[rule_file.key] = list(rule_file.versions)
        unknown = [key for key in item or [] if key not in catalogue]
        if unknown:
            self._fail(
                [
                    f"--item: {problem_text('unknown_item', {'value': key}, lang)}"
                    for key in unknown
                ],
                1,
            )
        path = Path(facts)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            self._fail(
                [f"{path.name}: {problem_text('file_unreadable', {'detail': exc.strerror}, lang)}"],
                2,
            )
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._fail(
                [f"{path.name}: {problem_text('file_unreadable', {'detail': str(exc)}, lang)}"], 1
            )
        try:
            enterprises = parse_facts(data)
        except FactsError as exc:
            self._fail([p.text(lang) for p in exc.problems], 1)
        out = sys.stdout
        # places, industries and project kinds named in the explanations, from the shipped
        # reference files (no database needed); the codes stay in the JSON beside the names
        names = engine.reference_code_names(lang)
        for enterprise in enterprises:
            for outcome in evaluate(catalogue, enterprise, day, items=item, lang=lang, names=names):
                out.write(json.dumps(outcome.as_json(), ensure_ascii=False) + "\n")

    def _fail(self, lines: list[str], status: int):
        for line in lines:
            sys.stderr.write(line + "\n")
        sys.exit(status)
