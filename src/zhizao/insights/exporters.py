"""Output formats: the monthly report as Word (docxtpl over a replaceable template) and PDF
(WeasyPrint), a dashboard as an A4 PDF, each chart's data as XLSX / CSV with Chinese headers,
and the report's chart as PNG (Word takes no SVG) drawn with Pillow and the CJK font."""

from __future__ import annotations

import base64
import io
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from zhizao.common.exports import csv_stream, xlsx_bytes
from zhizao_core.text import format_cny
from zhizao_core.text.amounts import format_count

from . import charts
from .report_data import report_content

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def template_path() -> Path:
    configured = getattr(settings, "ZHIZAO_REPORT_TEMPLATE", "")
    return (
        Path(configured)
        if configured
        else Path(__file__).resolve().parent / "data" / "report-template.docx"
    )


def display(value, unit: str) -> str:
    """A figure as people read it: 12,345 (家/个) or 3,500万元 / 1.2亿元."""
    if unit == "yuan":
        return format_cny(Decimal(str(value)))
    return format_count(int(value))


def figure_rows(content: dict) -> list[dict]:
    return [
        {
            "name": name,
            "label": f["label"],
            "month": display(f["month"], f["unit"]),
            "ytd": display(f["year_to_date"], f["unit"]),
            "raw": f,
        }
        for name, f in content["figures"].items()
    ]


def as_of_text(content: dict) -> str:
    if not content["as_of"]:
        return "—"
    value = parse_datetime(content["as_of"])
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else content["as_of"]


def chart_png(rows: list[tuple[str, Decimal]], *, width: int = 1200, row: int = 48) -> bytes:
    """Horizontal bars of the month's counts, drawn on the server (no browser)."""
    from PIL import Image, ImageDraw, ImageFont

    height = max(row * len(rows) + 40, 80)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype(FONT, 24)
    except OSError:
        font = ImageFont.load_default()
    top = max((v for _l, v in rows), default=Decimal("0")) or Decimal("1")
    left = 420
    for i, (label, value) in enumerate(rows):
        y = 20 + i * row
        draw.text((left - 12, y + 8), label[:16], fill="#3b4656", font=font, anchor="ra")
        w = int(float(value / top) * (width - left - 160))
        draw.rectangle([left, y + 6, left + max(w, 2), y + row - 6], fill="#1f5fbf")
        draw.text((left + w + 10, y + 8), format_count(int(value)), fill="#1f2933", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _count_rows(content: dict) -> list[tuple[str, Decimal]]:
    return [
        (f["label"], Decimal(f["month"]))
        for f in content["figures"].values()
        if f["unit"] == "count"
    ]


def report_docx(content: dict, *, photos: dict[str, bytes] | None = None) -> bytes:
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    doc = DocxTemplate(str(template_path()))
    photos = photos or {}
    sections = []
    for number, section in enumerate(content["sections"], start=1):
        items = []
        for item in section["items"]:
            line = f"{item.get('date', '')} {item['title']}".strip()
            image = ""
            if item.get("photo") and item["photo"] in photos:
                image = InlineImage(doc, io.BytesIO(photos[item["photo"]]), width=Mm(120))
            items.append({"line": line, "detail": item.get("detail", ""), "image": image})
        sections.append(
            {
                "heading": f"{_chinese_number(number)}、{section['title']}",
                "text": section["text"],
                "entries": items,
            }
        )
    context = {
        "title": content["title"],
        "scope_line": f"范围：{content['scope_name'] or '全部地区'}",
        "as_of_text": as_of_text(content),
        "summary": content["summary"],
        "figure_rows": figure_rows(content),
        "chart": InlineImage(doc, io.BytesIO(chart_png(_count_rows(content))), width=Mm(160)),
        "sections": sections,
    }
    doc.render(context, autoescape=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


_NUMBERS = "一二三四五六七八九十"


def _chinese_number(n: int) -> str:
    return _NUMBERS[n - 1] if 1 <= n <= 10 else str(n)


def report_pdf(content: dict, *, chart_svg: str, photos: dict[str, str] | None = None) -> bytes:
    import weasyprint

    html = render_to_string(
        "insights/report_pdf.html",
        {
            "content": content,
            "figure_rows": figure_rows(content),
            "chart_svg": chart_svg,
            "as_of_text": as_of_text(content),
            "photos": photos or {},
        },
    )
    return weasyprint.HTML(string=html).write_pdf()


def dashboard_pdf(context: dict) -> bytes:
    import weasyprint

    html = render_to_string("insights/dashboard_pdf.html", context)
    return weasyprint.HTML(string=html).write_pdf()


SERIES_HEADER = ("指标", "分项", "月份", "数值", "单位")
# Names first, as people read the table; the code last, under its proper name, for operators
# who join the sheet with others (a district's name alone is not unique: 鼓楼区 is in Nanjing
# and in Xuzhou, and the code is what the registry and the statistics bureau key on).
REGION_HEADER = ("指标", "地区", "数值", "单位", "行政区划代码")


def table_bytes(fmt: str, header, rows) -> tuple[bytes, str]:
    rows = list(rows)
    if fmt == "xlsx":
        return (
            xlsx_bytes(header, rows, sheet="数据"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return "".join(csv_stream(header, rows)).encode("utf-8"), "text/csv; charset=utf-8"


def report_file_bytes(report, fmt: str) -> tuple[bytes, str]:
    content = report_content(report)
    photos = (
        {n.photo.name: n.photo.read() for n in report.news.all() if n.photo} if report.pk else {}
    )
    if fmt == "docx":
        return report_docx(content, photos=photos), (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
    svg = charts.bar_svg(
        [
            {"label": r["label"], "value": Decimal(str(r["raw"]["month"]))}
            for r in figure_rows(content)
            if r["raw"]["unit"] == "count"
        ],
        title="本月数据",
    )
    images = {
        name: "data:image/" + _image_kind(data) + ";base64," + base64.b64encode(data).decode()
        for name, data in photos.items()
    }
    return report_pdf(content, chart_svg=svg, photos=images), "application/pdf"


def _image_kind(data: bytes) -> str:
    return "png" if data.startswith(b"\x89PNG") else "jpeg"
