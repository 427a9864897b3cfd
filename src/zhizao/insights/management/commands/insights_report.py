"""``zhizao insights report --month YYYY-MM [--scope REGION_CODE] --format docx|pdf|json
--output FILE``

The monthly report of a month: the stored one (published: its frozen figures; draft: its
edits) when there is one for the month and scope, else a preview drafted from the month's
records. JSON holds the month, the scope, ``as_of``, the sections with their items and the
figures by name. A bad month or scope: a message on stderr, exit 1; an unwritable output
file: exit 2."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from zhizao.insights.cli import report_bytes
from zhizao.insights.errors import InsightsError


class Command(BaseCommand):
    help = "Write the monthly report of a month as Word, PDF or JSON."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--scope", default="", help="Region code (default: all regions)")
        parser.add_argument("--format", dest="fmt", choices=("docx", "pdf", "json"), default="json")
        parser.add_argument(
            "--output", required=True, help="File to write ('-' for stdout, JSON only)"
        )

    def handle(self, *args, month, scope, fmt, output, **options):
        try:
            body = report_bytes(month=month, scope=scope, fmt=fmt)
        except InsightsError as error:
            sys.stderr.write(f"错误：{error.message}\n")
            sys.exit(1)
        if output == "-" and fmt == "json":
            sys.stdout.write(body.decode("utf-8"))
            return
        try:
            Path(output).write_bytes(body)
        except OSError as error:
            sys.stderr.write(f"错误：无法写入文件“{output}”：{error.strerror}\n")
            sys.exit(2)
        sys.stderr.write(f"已写入 {output}（{len(body):,} 字节）\n")
