"""The public certificate check: a code gives the name, the course, the date and whether the
certificate is valid — nothing else (no organisation, no hours, no e-mail)."""

from __future__ import annotations

from django.shortcuts import render

from zhizao.accounts.middleware import membership_optional
from zhizao_core.learning import format_code, normalize_code

from ..forms import VerifyForm
from ..models import Certificate


@membership_optional
def verify(request):
    form = VerifyForm(request.GET or None)
    result = None
    if form.is_valid():
        code = normalize_code(form.cleaned_data["code"])
        certificate = (
            Certificate.objects.filter(code=code)
            .only("name", "course_title", "issued_on", "revoked_at", "code")
            .first()
        )
        result = {
            "found": certificate is not None,
            "code": format_code(code),
            "name": certificate.name if certificate else "",
            "course": certificate.course_title if certificate else "",
            "date": certificate.issued_on if certificate else None,
            "valid": certificate is not None and certificate.revoked_at is None,
        }
    return render(request, "classroom/verify.html", {"form": form, "result": result})
