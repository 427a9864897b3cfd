"""The downloadable import template and the column documentation shown on the upload page."""

from __future__ import annotations

import io
from dataclasses import dataclass

import xlsxwriter
from django.utils.translation import get_language

from zhizao.common.exports import csv_stream
from zhizao_core.importing import TEMPLATE_COLUMNS


@dataclass(frozen=True)
class TemplateColumn:
    key: str
    zh: str
    en: str
    required: bool
    example: str
    description: str


def template_columns() -> list[TemplateColumn]:
    english = (get_language() or "zh-hans").startswith("en")
    return [
        TemplateColumn(
            key=key,
            zh=zh,
            en=en,
            required=required,
            example=str(example),
            description=en_desc if english else zh_desc,
        )
        for key, zh, en, required, example, zh_desc, en_desc in TEMPLATE_COLUMNS
    ]


def template_csv() -> str:
    columns = template_columns()
    return "".join(csv_stream([c.zh for c in columns], [[c.example for c in columns]]))


def template_xlsx() -> bytes:
    columns = template_columns()
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    sheet = workbook.add_worksheet("机构")
    required = workbook.add_format({"bold": True, "bg_color": "#FDE2E1", "border": 1})
    optional = workbook.add_format({"bold": True, "bg_color": "#E8EEF9", "border": 1})
    text = workbook.add_format({"num_format": "@"})
    for col, column in enumerate(columns):
        sheet.write_string(
            0,
            col,
            column.zh + ("*" if column.required else ""),
            required if column.required else optional,
        )
        sheet.write_comment(0, col, f"{column.en}: {column.description}")
        # Codes are text: a credit code or a region code must never become a number.
        sheet.set_column(col, col, max(12, len(column.zh) * 2 + 6), text)
        sheet.write_string(1, col, column.example)
    sheet.freeze_panes(1, 0)
    doc = workbook.add_worksheet("说明 Columns")
    bold = workbook.add_format({"bold": True})
    for col, title in enumerate(
        ["中文表头", "English header", "必填 Required", "示例 Example", "说明 Description"]
    ):
        doc.write_string(0, col, title, bold)
    for row, column in enumerate(columns, start=1):
        doc.write_string(row, 0, column.zh)
        doc.write_string(row, 1, column.en)
        doc.write_string(row, 2, "是 yes" if column.required else "否 no")
        doc.write_string(row, 3, column.example)
        doc.write_string(row, 4, column.description)
    doc.set_column(0, 1, 22)
    doc.set_column(3, 3, 26)
    doc.set_column(4, 4, 80)
    workbook.close()
    return buffer.getvalue()
