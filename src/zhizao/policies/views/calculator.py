"""“My policies” (政策计算器): an enterprise's items, eligible / possibly / not, with amounts and
explanations; officers and operators open it for any organisation."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhizao.accounts import roles
from zhizao.accounts.selectors import actor_for_request

from .. import access, engine
from ..calculator import evaluate_organization
from ..forms import DATE
from ..services.calculator import record_calculator_results


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=gettext_lazy("as of"), widget=DATE, required=False)


def _as_of(data):
    form = AsOfForm(data or None)
    if form.is_valid() and form.cleaned_data.get("as_of"):
        return form.cleaned_data["as_of"], form
    today = timezone.localdate()
    return today, form if form.is_bound else AsOfForm(initial={"as_of": today})


def _page(request, organization, *, own: bool):
    membership = request.membership
    as_of, form = _as_of(request.GET)
    calculation = evaluate_organization(
        organization,
        as_of=as_of,
        lang=engine.language(),
        staff=roles.is_staff(membership),
    )
    record_url = (
        reverse("policies:my_policies_record")
        if own
        else reverse("policies:organization_calculator_record", args=[organization.pk])
    )
    return render(
        request,
        "policies/calculator.html",
        {
            "organization": organization,
            "own": own,
            "as_of": as_of,
            "as_of_form": form,
            "calculation": calculation,
            "record_url": record_url,
        },
    )


@login_required
def my_policies(request):
    organization = access.access_calculator_organization(request.membership)
    return _page(request, organization, own=True)


@login_required
def organization_calculator(request, pk):
    organization = access.access_calculator_organization(request.membership, pk)
    return _page(request, organization, own=False)


def _record(request, organization, back: str):
    as_of, _form = _as_of(request.POST)
    created, _skipped = record_calculator_results(
        actor_for_request(request), organization, as_of=as_of, lang=engine.language()
    )
    if created:
        messages.success(request, _("%(n)s results saved as evidence.") % {"n": len(created)})
    else:
        messages.info(request, _("These results were already saved today."))
    return redirect(f"{back}?as_of={as_of.isoformat()}")


@login_required
@require_POST
def my_policies_record(request):
    organization = access.access_calculator_organization(request.membership)
    return _record(request, organization, reverse("policies:my_policies"))


@login_required
@require_POST
def organization_calculator_record(request, pk):
    organization = access.access_calculator_organization(request.membership, pk)
    return _record(
        request, organization, reverse("policies:organization_calculator", args=[organization.pk])
    )
