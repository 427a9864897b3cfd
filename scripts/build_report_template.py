"""Write the default Word template of the monthly report (a plain .docx with docxtpl tags).
The alliance may replace it with its own layout: keep the tags, change everything else.

    python scripts/build_report_template.py src/zhizao/insights/data/report-template.docx
"""

from __future__ import annotations

import sys

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt


def main(dest: str) -> None:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.font.size = Pt(11)
    title = doc.add_paragraph("{{ title }}", style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("{{ scope_line }}　数据截至 {{ as_of_text }}")
    doc.add_paragraph("{{ summary }}")
    doc.add_paragraph("主要数据", style="Heading 1")
    table = doc.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("指标", "本月", "本年累计"), strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for f in figure_rows %}"
    row = table.rows[2].cells
    row[0].text, row[1].text, row[2].text = "{{ f.label }}", "{{ f.month }}", "{{ f.ytd }}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    doc.add_paragraph("{{ chart }}")
    doc.add_paragraph("{%p for s in sections %}")
    doc.add_paragraph("{{ s.heading }}", style="Heading 1")
    doc.add_paragraph("{{ s.text }}")
    doc.add_paragraph("{%p for i in s.entries %}")
    doc.add_paragraph("{{ i.line }}", style="List Bullet")
    doc.add_paragraph("{{ i.detail }}")
    doc.add_paragraph("{{ i.image }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.save(dest)


if __name__ == "__main__":
    main(sys.argv[1])
