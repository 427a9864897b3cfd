"""``zhizao match import FILE [--apply] [--publish] [--language zh-hans|en]``

Imports a provider pool or product catalogue (xlsx or csv) as offerings: without ``--apply`` a
preview (every row's action, every problem by row and column, the unknown categories kept as
tags); with ``--apply`` the import, in one transaction and only when no row has a problem. Prints
the report as JSON on stdout; problems on stderr in the chosen language. Exit 0 (done or
previewed without problems), 1 (a row or the file has a problem; nothing written), 2 (the file
cannot be read)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation

from zhizao.accounts.enums import Role
from zhizao.common.audit import Actor

from ...errors import MatchError
from ...services.imports import import_offerings
from ._matching import fail

#: the command acts as the platform's operator (it is run by one, on the server)
CLI_ACTOR = Actor(role=Role.OPERATOR, extra={"via": "zhizao match import"})


class Command(BaseCommand):
    help = "Import a provider pool / product catalogue (xlsx, csv) as offerings."
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="The table (.xlsx or .csv).")
        parser.add_argument("--apply", action="store_true", help="Import (default: preview).")
        parser.add_argument(
            "--publish", action="store_true", help="Publish new offerings that can be published."
        )
        parser.add_argument("--language", default="zh-hans", help="zh-hans (default) or en.")

    def handle(self, *args, file, apply, publish, language, **options):
        lang = "en" if language.startswith("en") else "zh-hans"
        with translation.override(lang):
            path = Path(file)
            try:
                data = path.read_bytes()
            except OSError as exc:
                fail([f"{path}: {'无法读取文件' if lang != 'en' else 'cannot read the file'}"
                      f"（{exc.strerror or exc}）"], 2)  # fmt: skip
            try:
                result = import_offerings(
                    CLI_ACTOR, data=data, name=path.name, apply=apply, publish=publish
                )
            except MatchError as error:
                fail([error.message], 1)
            for warning in result.warnings:
                sys.stderr.write(warning + "\n")
            sys.stdout.write(json.dumps(result.as_json(), ensure_ascii=False) + "\n")
            if result.errors:
                fail(result.errors, 1)
