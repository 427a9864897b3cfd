"""``zhizao registry import FILE [--commit] [--skip-invalid] [--format json]``

Without ``--commit``: validate only, print the report, exit 0 when every row is valid, else 1.
The counts ``created`` / ``updated`` / ``unchanged`` then say what a commit would do.
With ``--commit``: write every row in one transaction; when any row is bad, write nothing and
exit 1 (counts are 0), unless ``--skip-invalid``, which writes the valid rows and exits 0.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from zhizao.common.audit import Actor
from zhizao.registry.services.imports import import_file


class Command(BaseCommand):
    help = "Check, and with --commit import, a file (.xlsx or .csv) of organisations."
    # A data command: the system checks would import every page and API module (about a second
    # before any row is read); `zhizao check` and the test command run them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--commit", action="store_true", help="Write the rows.")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="With --commit: write the valid rows and skip the bad ones.",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--language", default="zh-hans", help="Language of the error messages (zh-hans or en)."
        )

    def handle(
        self,
        *args,
        file: str,
        commit: bool,
        skip_invalid: bool,
        format: str,
        language: str,
        **options,
    ):
        translation.activate(language)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        outcome = import_file(
            Actor(extra={"via": "cli", "file": path.name}),
            name=path.name,
            data=path.read_bytes(),
            commit=commit,
            skip_invalid=skip_invalid,
        )
        self._print(outcome.report, format)
        sys.exit(0 if outcome.ok else 1)

    def _print(self, result: dict, fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(
            _(
                "Rows: %(rows)d  valid: %(valid)d  new: %(created)d  updated: "
                "%(updated)d  unchanged: %(unchanged)d"
            )
            % result
        )
        for error in result["errors"]:
            if not error["row"] and not error["column"]:  # about the whole file
                self.stdout.write(f"{error['message']} [{error['code']}]")
                continue
            self.stdout.write(_("Row %(row)s, column %(column)s: %(message)s [%(code)s]") % error)
