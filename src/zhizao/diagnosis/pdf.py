"""The report as a PDF (WeasyPrint + Noto CJK from Debian's fonts-noto-cjk)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone


def render_report_pdf(request, report) -> bytes:
    import weasyprint

    html = render_to_string(
        "diagnosis/report_pdf.html",
        {"report": report, "assessment": report.assessment, "now": timezone.localtime()},
        request=request,
    )
    # No base_url: the document has no external resources (fonts come from fontconfig), so
    # nothing is fetched while rendering.
    return weasyprint.HTML(string=html).write_pdf()
