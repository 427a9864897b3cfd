"""The certificate as a PDF (WeasyPrint + Noto CJK from Debian's fonts-noto-cjk): the person,
the course, the society, the hours, the date and the verification code with a QR code of the
public verification page."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from zhizao.events.badge import qr_svg
from zhizao_core.learning import format_code


def render_certificate_pdf(certificate, verify_url: str) -> bytes:
    import weasyprint

    html = render_to_string(
        "classroom/certificate_pdf.html",
        {
            "certificate": certificate,
            "code": format_code(certificate.code),
            "verify_url": verify_url,
            "qr": mark_safe(qr_svg(verify_url)),  # noqa: S308 (segno's SVG)
        },
    )
    return weasyprint.HTML(string=html).write_pdf()
