"""The report as a PDF (WeasyPrint + Noto CJK from Debian's fonts-noto-cjk).

Rendering takes seconds, so pages never render it: ``services.reports`` asks the worker to
render it once per content version of the assessment and serves the stored file afterwards.
``RENDERS`` counts the renders of this process per assessment id (read by the tests and the
benchmark to prove that a cached download rendered nothing)."""

from __future__ import annotations

from collections import Counter

from django.template.loader import render_to_string
from django.utils import timezone

RENDERS: Counter[int] = Counter()


def render_report_pdf(report, request=None) -> bytes:
    import weasyprint

    html = render_to_string(
        "diagnosis/report_pdf.html",
        {"report": report, "assessment": report.assessment, "now": timezone.localtime()},
        request=request,
    )
    RENDERS[report.assessment.pk] += 1
    # No base_url: the document has no external resources (fonts come from fontconfig), so
    # nothing is fetched while rendering.
    return weasyprint.HTML(string=html).write_pdf()
