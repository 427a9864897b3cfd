"""Recognitions (荣誉资质) and credit records: staff maintain them on an organisation's
page; an enterprise reads its own recognitions on 我的资质."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhizao.accounts.selectors import actor_for_request

from .. import access, services
from ..errors import PolicyError
from ..forms import CreditRecordForm, EndCreditRecordForm, RecognitionForm


@login_required
def organization_records(request, pk, *, recognition_form=None, credit_form=None, status=200):
    membership = request.membership
    organization = access.access_organization_records(membership, pk)
    return render(
        request,
        "policies/organization_records.html",
        {
            "organization": organization,
            "recognitions": organization.recognitions.order_by("title", "level"),
            "credit_records": organization.credit_records.order_by("-start_date", "-id"),
            "recognition_form": recognition_form or RecognitionForm(),
            "credit_form": credit_form or CreditRecordForm(),
            "end_form": EndCreditRecordForm(),
        },
        status=status,
    )


@login_required
@require_POST
def recognition_add(request, pk):
    organization = access.access_organization_records(request.membership, pk)
    form = RecognitionForm(request.POST)
    if form.is_valid():
        try:
            services.add_recognition(actor_for_request(request), organization, **form.cleaned_data)
        except PolicyError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Recognition added."))
            return redirect("policies:organization_records", pk=organization.pk)
    return organization_records(request, organization.pk, recognition_form=form, status=400)


@login_required
@require_POST
def recognition_remove(request, pk):
    recognition = access.access_recognition(request.membership, pk, write=True)
    services.remove_recognition(actor_for_request(request), recognition)
    messages.success(request, _("Recognition removed."))
    return redirect("policies:organization_records", pk=recognition.organization_id)


@login_required
@require_POST
def credit_add(request, pk):
    organization = access.access_organization_records(request.membership, pk)
    form = CreditRecordForm(request.POST)
    if form.is_valid():
        try:
            services.add_credit_record(
                actor_for_request(request), organization, **form.cleaned_data
            )
        except PolicyError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Credit record added."))
            return redirect("policies:organization_records", pk=organization.pk)
    return organization_records(request, organization.pk, credit_form=form, status=400)


@login_required
@require_POST
def credit_end(request, pk):
    record = access.access_credit_record(request.membership, pk)
    form = EndCreditRecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the record ended."))
    else:
        try:
            services.end_credit_record(
                actor_for_request(request), record, end_date=form.cleaned_data["end_date"]
            )
        except PolicyError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Credit record ended."))
    return redirect("policies:organization_records", pk=record.organization_id)


@login_required
def my_recognitions(request):
    membership = request.membership
    if membership is None or not access.has_projects(membership):
        raise Http404
    return render(
        request,
        "policies/my_recognitions.html",
        {
            "organization": membership.organization,
            "recognitions": access.recognitions_for(membership).order_by("title", "level"),
        },
    )
