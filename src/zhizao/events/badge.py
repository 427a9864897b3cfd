"""The badge as a PDF: name, organisation, participant type, the event, and a QR code of the
badge code (segno, as SVG inside the page; WeasyPrint with Noto CJK)."""

from __future__ import annotations

import io

import segno
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


def qr_svg(code: str) -> str:
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="svg", scale=6, border=2, xmldecl=False)
    return buffer.getvalue().decode("utf-8")


def render_badge_pdf(registration) -> bytes:
    import weasyprint

    html = render_to_string(
        "events/badge_pdf.html",
        {
            "registration": registration,
            "event": registration.event,
            "qr": mark_safe(qr_svg(registration.badge_code)),  # noqa: S308 (segno's SVG)
        },
    )
    return weasyprint.HTML(string=html).write_pdf()
