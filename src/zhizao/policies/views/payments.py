"""Payments (拨付) for confirmed entries: the rule's stages prefilled, refused beyond the entry's
amount or the budget."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhizao.accounts.selectors import actor_for_request
from zhizao.common.widgets import IsoDateInput

from .. import access
from ..errors import PolicyError
from ..services import payments


class PaymentForm(forms.Form):
    stage = forms.CharField(label=gettext_lazy("Stage"), max_length=80)
    amount_yuan = forms.DecimalField(
        label=gettext_lazy("Amount (yuan)"), max_digits=16, decimal_places=2, min_value=0
    )
    paid_on = forms.DateField(label=gettext_lazy("Paid on"), widget=IsoDateInput())
    reference = forms.CharField(
        label=gettext_lazy("Reference (voucher number)"), max_length=120, required=False
    )

    def apply_error(self, error: PolicyError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


@login_required
def payment_new(request, pk):
    membership = request.membership
    entry = access.access_entry(membership, pk)
    stage = payments.next_stage(entry)
    initial = {"paid_on": timezone.localdate()}
    if stage is not None:
        initial.update({"stage": stage["label"], "amount_yuan": stage["due_yuan"]})
    form = PaymentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            payments.record_payment(actor_for_request(request), entry, **form.cleaned_data)
        except PolicyError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("Payment recorded."))
            return redirect("policies:name_list_detail", pk=entry.name_list_id)
    item = entry.name_list.item_version.item
    return render(
        request,
        "policies/payment_form.html",
        {
            "entry": entry,
            "item": item,
            "form": form,
            "stages": payments.payment_stages(entry),
            "paid": payments.entry_paid(entry),
            "payments": entry.payments.select_related("created_by").order_by("paid_on", "id"),
            "budget": payments.budget_use(item),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
